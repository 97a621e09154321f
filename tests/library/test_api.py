"""The library API: reads filtered by access; writes for those who may, 401/403/404/422."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dialogos.api.services import create_api_token
from dialogos.library import services
from dialogos.library.models import Document, Practice, PracticeStatus

pytestmark = pytest.mark.django_db


def call(client: Any, method: str, path: str, body: Any = None, token: str = "") -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return getattr(client, method)(
        f"/api/v1{path}",
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        **headers,
    )


def token_for(user: Any) -> str:
    return create_api_token(actor=user, user=user, name="test")[1]


def test_topics_are_listed(world: Any) -> None:
    data = world.client_for(None).get("/api/v1/library/topics?lang=ru").json()
    names = {t["slug"]: t["name"] for t in data}
    assert names["integration"] == "Интеграция"


def test_the_secretariat_creates_changes_and_removes_a_document(world: Any) -> None:
    from django.test import Client

    token = token_for(world.alice)
    body = {
        "dialogue": "prague-process",
        "type": "report",
        "title": {"en": "Quarterly report (example data)", "ru": "Квартальный отчёт"},
        "date": "2024-03-31",
        "topics": ["data"],
        "countries": ["cz", "LT"],
        "access_level": "members",
    }
    created = call(Client(), "post", "/library/documents", body, token)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["topics"][0]["slug"] == "data"
    assert {c["code"] for c in data["countries"]} == {"CZ", "LT"}
    pk = data["id"]
    changed = call(Client(), "patch", f"/library/documents/{pk}", {"access_level": "public"}, token)
    assert changed.status_code == 200 and changed.json()["access_level"] == "public"
    assert call(Client(), "delete", f"/library/documents/{pk}", None, token).status_code == 204
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "poem"}, "type"),
        ({"title": {"en": "<b>bold</b>"}}, "title"),
        ({"topics": ["nonexistent"]}, "topics"),
        ({"countries": ["ZZ"]}, "countries"),
        ({"access_level": "inherit"}, "access_level"),
        ({"date": "not-a-date"}, "date"),
        ({"meeting": 999999}, "meeting"),
        ({"dialogue": "nowhere"}, "dialogue"),
        ({"title": {"xx": "Unknown language"}}, "title"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_document_input_is_422_naming_the_field(
    world: Any, body: dict[str, Any], field: str
) -> None:
    from django.test import Client

    payload = {
        "dialogue": "prague-process",
        "title": {"en": "Report"},
        "date": "2024-01-01",
        **body,
    }
    response = call(Client(), "post", "/library/documents", payload, token_for(world.alice))
    assert response.status_code == 422, response.content
    fields = {e.get("field") or "" for e in response.json()["detail"]}
    assert any(field in f for f in fields), response.json()
    assert not Document.objects.exists()


def test_document_writes_refuse_the_others(world: Any, make_document: Any) -> None:
    from django.test import Client

    body = {"dialogue": "prague-process", "title": {"en": "X"}, "date": "2024-01-01"}
    assert call(Client(), "post", "/library/documents", body).status_code == 401
    for user in (world.bob, world.carol, world.dan, world.erin, world.frank):
        response = call(Client(), "post", "/library/documents", body, token_for(user))
        assert response.status_code == 403, user
    public = make_document()
    secret = make_document(access_level="secretariat", title={"en": "Secret"})
    token = token_for(world.dan)
    assert (
        call(
            Client(), "patch", f"/library/documents/{public.pk}", {"date": "2020-01-01"}, token
        ).status_code
        == 403
    )
    assert (
        call(
            Client(), "patch", f"/library/documents/{secret.pk}", {"date": "2020-01-01"}, token
        ).status_code
        == 404
    )
    assert (
        call(Client(), "delete", f"/library/documents/{secret.pk}", None, token).status_code == 404
    )
    assert Document.objects.count() == 2


def test_a_contributor_drafts_and_the_focal_point_submits_through_the_api(world: Any) -> None:
    from django.test import Client

    body = {
        "dialogue": "prague-process",
        "country": "cz",
        "title": {"en": "API practice (example data)"},
        "summary": {"en": "Drafted through the API."},
        "topics": ["integration"],
    }
    created = call(Client(), "post", "/library/practices", body, token_for(world.carol))
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "draft"
    patched = call(
        Client(),
        "patch",
        f"/library/practices/{pk}",
        {"results": {"en": "Good"}},
        token_for(world.carol),
    )
    assert patched.json()["results"] == "Good"
    refused = call(
        Client(), "post", f"/library/practices/{pk}/submit", None, token_for(world.carol)
    )
    assert refused.status_code == 403
    submitted = call(
        Client(), "post", f"/library/practices/{pk}/submit", None, token_for(world.bob)
    )
    assert submitted.json()["status"] == "submitted"
    again = call(Client(), "post", f"/library/practices/{pk}/submit", None, token_for(world.bob))
    assert again.status_code == 422 and again.json()["detail"][0]["field"] == "status"
    assert call(Client(), "get", "/library/practices").json()["count"] == 0
    reviewed = call(
        Client(),
        "post",
        f"/library/practices/{pk}/review",
        {"decision": "publish"},
        token_for(world.alice),
    )
    assert reviewed.json()["status"] == "published"
    listed = call(Client(), "get", "/library/practices").json()
    assert listed["count"] == 1 and listed["results"][0]["title"] == "API practice (example data)"
    detail = call(Client(), "get", f"/library/practices/{pk}").json()
    assert [s["step"] for s in detail["steps"]] == ["created", "submitted", "published"]


@pytest.mark.parametrize("name", ["dan", "erin", "frank"])
def test_others_cannot_draft_for_a_state(world: Any, name: str) -> None:
    from django.test import Client

    body = {
        "dialogue": "prague-process",
        "country": "CZ",
        "title": {"en": "Not mine"},
        "summary": {"en": "x"},
    }
    response = call(Client(), "post", "/library/practices", body, token_for(getattr(world, name)))
    assert response.status_code == 403
    assert not Practice.objects.exists()


def test_the_secretariats_comments_are_for_the_state_only(world: Any, make_practice: Any) -> None:
    from django.test import Client

    practice = make_practice()
    services.submit_practice(actor=world.bob, practice=practice)
    services.return_practice(actor=world.alice, practice=practice, comment="Needs figures.")
    services.submit_practice(actor=world.bob, practice=practice)
    services.publish_practice(actor=world.alice, practice=practice)
    public = call(Client(), "get", f"/library/practices/{practice.pk}").json()
    assert all(s["comment"] == "" for s in public["steps"])
    own = call(Client(), "get", f"/library/practices/{practice.pk}", None, token_for(world.carol))
    assert "Needs figures." in {s["comment"] for s in own.json()["steps"]}
    assert Practice.objects.get().status == PracticeStatus.PUBLISHED


def test_profiles_and_calls_are_read(world: Any, make_profile: Any) -> None:
    from django.test import Client

    profile = make_profile()
    assert call(Client(), "get", "/library/profiles").json() == []
    assert call(Client(), "get", f"/library/profiles/{profile.pk}").status_code == 404
    services.submit_profile(actor=world.alice, profile=profile)
    services.endorse_profile(actor=world.bob, profile=profile)
    listed = call(Client(), "get", "/library/profiles").json()
    assert listed[0]["endorsed"] is True and listed[0]["country"]["code"] == "CZ"
    detail = call(Client(), "get", f"/library/profiles/{profile.pk}").json()
    assert [h["step"] for h in detail["history"]] == ["created", "submitted", "endorsed"]
    assert call(Client(), "get", "/library/calls").json() == []
