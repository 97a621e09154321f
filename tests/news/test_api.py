"""The news API: public reads through the access gate, secretariat writes with a token."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dialogos.api.services import create_api_token
from dialogos.core.models import AccessLevel
from dialogos.news.models import NewsItem, ReviewIssue

pytestmark = pytest.mark.django_db

API = "/api/v1/news"


def call(method: str, path: str, token: str | None = None, data: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    client = Client()
    if method == "get":
        return client.get(path, headers=headers)
    body = data if isinstance(data, str) else json.dumps(data) if data is not None else ""
    return getattr(client, method)(path, body, content_type="application/json", headers=headers)


@pytest.fixture
def tokens(world: Any) -> dict[str, str]:
    return {
        name: create_api_token(actor=world.olga, user=getattr(world, name), name="test")[1]
        for name in ("alice", "bob", "erin", "olga")
    }


def test_the_list_shows_what_the_caller_may_see(
    world: Any, make_item: Any, tokens: dict[str, str]
) -> None:
    make_item(title={"en": "Public"})
    make_item(title={"en": "Members"}, access_level=AccessLevel.MEMBERS)
    make_item(title={"en": "Draft"}, status=NewsItem.Status.DRAFT)
    make_item(title={"en": "Later"}, published_at=timezone.now() + datetime.timedelta(days=3))
    public = call("get", API).json()
    assert [r["title"] for r in public["results"]] == ["Public"]
    member = call("get", API, tokens["bob"]).json()
    assert sorted(r["title"] for r in member["results"]) == ["Members", "Public"]
    outsider = call("get", API, tokens["erin"]).json()
    assert [r["title"] for r in outsider["results"]] == ["Public"]


def test_one_item_with_its_text_rendered_safely(world: Any, make_item: Any) -> None:
    item = make_item(body={"en": "Hi <script>x</script> **there**", "ru": "Привет"})
    data = call("get", f"{API}/{item.pk}").json()
    assert data["body_i18n"] == {"en": "Hi <script>x</script> **there**", "ru": "Привет"}
    assert "<script>" not in data["body_html"] and "<strong>there</strong>" in data["body_html"]
    russian = Client().get(f"{API}/{item.pk}?lang=ru").json()
    assert russian["body"] == "Привет"


def test_the_secretariat_writes_with_a_token(world: Any, tokens: dict[str, str]) -> None:
    body = {
        "dialogue": "prague-process",
        "title": {"en": "Via the API", "ru": "Через API"},
        "body": "Text",
        "status": "published",
    }
    created = call("post", API, tokens["alice"], body)
    assert created.status_code == 201, created.content
    item_id = created.json()["id"]
    assert call("get", f"{API}/{item_id}").status_code == 200
    changed = call("patch", f"{API}/{item_id}", tokens["alice"], {"status": "draft"})
    assert changed.status_code == 200
    assert call("get", f"{API}/{item_id}").status_code == 404
    assert call("delete", f"{API}/{item_id}", tokens["alice"]).status_code == 204
    assert not NewsItem.objects.exists()


@pytest.mark.parametrize(("who", "status"), [(None, 401), ("bob", 403), ("erin", 403)])
def test_others_cannot_write(
    world: Any, tokens: dict[str, str], who: str | None, status: int
) -> None:
    token = tokens[who] if who else None
    body = {"dialogue": "prague-process", "title": "Nope"}
    assert call("post", API, token, body).status_code == status
    assert not NewsItem.objects.exists()


def test_others_cannot_change_or_see_a_draft(
    world: Any, make_item: Any, tokens: dict[str, str]
) -> None:
    draft = make_item(status=NewsItem.Status.DRAFT)
    live = make_item()
    assert call("patch", f"{API}/{draft.pk}", tokens["bob"], {"title": "x"}).status_code == 404
    assert call("patch", f"{API}/{live.pk}", tokens["bob"], {"title": "x"}).status_code == 403
    assert call("delete", f"{API}/{live.pk}", tokens["erin"]).status_code == 403
    assert call("delete", f"{API}/{live.pk}").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"dialogue": "prague-process"}, "title"),
        ({"dialogue": "nope", "title": "x"}, "dialogue"),
        ({"dialogue": "prague-process", "title": "x", "status": "gone"}, "status"),
        ({"dialogue": "prague-process", "title": "x", "access_level": "group"}, "access_level"),
        ({"dialogue": "prague-process", "title": "x", "published_at": "tomorrow"}, "published_at"),
        ({"dialogue": "prague-process", "title": "x", "topics": ["nope"]}, "topics"),
        ({"dialogue": "prague-process", "title": "x", "meetings": [999]}, "meetings"),
        ({"dialogue": "prague-process", "title": "x", "colour": "red"}, "colour"),
        ({"dialogue": "prague-process", "title": {"fr": "x"}}, "title"),
        ({"dialogue": "prague-process", "title": ""}, "title"),
    ],
)
def test_bad_bodies_answer_422_naming_the_field(
    world: Any, tokens: dict[str, str], body: dict[str, Any], field: str
) -> None:
    response = call("post", API, tokens["alice"], body)
    assert response.status_code == 422, response.content
    assert field in [d["field"] for d in response.json()["detail"]]
    assert not NewsItem.objects.exists()


def test_malformed_json_is_refused(world: Any, tokens: dict[str, str]) -> None:
    assert call("post", API, tokens["alice"], "{not json").status_code in (400, 422)


def test_reviews_through_the_api(world: Any, make_item: Any, tokens: dict[str, str]) -> None:
    make_item(title={"en": "Quarter news"})
    today = timezone.now().date()
    created = call(
        "post",
        f"{API}/reviews",
        tokens["alice"],
        {
            "dialogue": "prague-process",
            "title": "Quarterly Review",
            "period_start": (today - datetime.timedelta(days=30)).isoformat(),
            "period_end": today.isoformat(),
        },
    )
    assert created.status_code == 201, created.content
    issue_id = created.json()["id"]
    assert [e["title"] for e in created.json()["entries"]] == ["Quarter news"]
    assert call("get", f"{API}/reviews/{issue_id}").status_code == 404  # not yet published
    assert call("get", f"{API}/reviews/{issue_id}", tokens["alice"]).status_code == 200
    ReviewIssue.objects.filter(pk=issue_id).update(status="published")
    assert call("get", f"{API}/reviews").json()[0]["id"] == issue_id
    bad = call("patch", f"{API}/reviews/{issue_id}", tokens["alice"], {"period_end": "2000-01-01"})
    assert bad.status_code == 422
    assert (
        call("patch", f"{API}/reviews/{issue_id}", tokens["bob"], {"title": "x"}).status_code == 403
    )


def test_the_list_costs_the_same_queries_at_two_sizes(
    world: Any, make_item: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(3):
        make_item(title={"en": f"Item {n}"})
    client = Client()
    client.get(API)
    with django_assert_max_num_queries(10) as small:
        client.get(API)
    for n in range(3, 25):
        make_item(title={"en": f"Item {n}"})
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(API).json()["results"]) == 20
