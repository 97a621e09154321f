"""Plans and their items in search: found by their words and their states, only by those who
may see them (an item under a hidden item stays hidden)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from dialogos.core.models import AccessLevel
from dialogos.plans.models import PlanItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_embeddings(settings: Any) -> None:
    settings.SEARCH_EMBEDDINGS = False


def found(world: Any, user: Any, query: str) -> set[str]:
    response = world.client_for(user).get("/api/v1/search", {"q": query, "kind": "plan_item"})
    assert response.status_code == 200, response.content
    return {r["title"] for r in response.json()["results"] if r["title"].startswith("Action ")}


def test_items_are_found_by_words_and_by_role(world: Any, pw: Any) -> None:
    PlanItem.objects.filter(pk=pw.component.pk).update(access_level=AccessLevel.SECRETARIAT)
    call_command("reindex", verbosity=0)
    assert found(world, None, "Action") == {"Action B1"}
    assert found(world, world.bob, "Action") == {"Action B1"}
    assert found(world, world.alice, "Action") == {"Action A1", "Action A2", "Action B1"}
    page = world.client_for(None).get("/en/search/", {"q": "Action Plan 2023"}).content.decode()
    assert "/en/plans/prague-process/action-plan/" in page
