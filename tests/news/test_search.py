"""News in search: live items only, each role sees what it may."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from dialogos.core.models import AccessLevel
from dialogos.news.models import NewsItem

pytestmark = pytest.mark.django_db


def found(client: Any, query: str) -> list[str]:
    data = client.get("/api/v1/search", {"q": query}).json()
    return [r["title"] for r in data["results"] if r.get("kind") == "news"]


def test_live_news_is_found_by_each_role_as_it_may(
    world: Any, make_item: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_item(title={"en": "Zanzibarian border talks"}, body={"en": "Quokka details"})
        make_item(
            title={"en": "Zanzibarian members note"},
            access_level=AccessLevel.MEMBERS,
        )
        make_item(title={"en": "Zanzibarian draft"}, status=NewsItem.Status.DRAFT)
        make_item(
            title={"en": "Zanzibarian later"},
            published_at=timezone.now() + datetime.timedelta(days=2),
        )
    assert found(world.client_for(None), "Zanzibarian") == ["Zanzibarian border talks"]
    assert found(world.client_for(None), "quokka") == ["Zanzibarian border talks"]
    assert sorted(found(world.client_for(world.bob), "Zanzibarian")) == [
        "Zanzibarian border talks",
        "Zanzibarian members note",
    ]
    assert found(world.client_for(world.erin), "Zanzibarian") == ["Zanzibarian border talks"]
    page = world.client_for(None).get("/en/search/", {"q": "Zanzibarian"}).content.decode()
    assert "border talks" in page and "members note" not in page
