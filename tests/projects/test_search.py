"""Projects in search: found by title, place and implementer, in both languages, each role seeing
exactly the projects it may see."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from dialogos.core.models import AccessLevel, Country
from dialogos.projects import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_embeddings(settings: Any) -> None:
    settings.SEARCH_EMBEDDINGS = False


@pytest.fixture
def indexed(world: Any, django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    with django_capture_on_commit_callbacks(execute=True):
        place = services.save_place(
            actor=world.erin,
            dialogue=world.bp,
            values={
                "name": {"en": "Peshawar", "ru": "Пешавар"},
                "country": Country.objects.get(code="PK"),
                "latitude": Decimal("34.0151"),
                "longitude": Decimal("71.5249"),
            },
        )
        public = services.save_project(
            actor=world.erin,
            dialogue=world.bp,
            values={
                "title": {
                    "en": "Migrant Resource Centre Peshawar",
                    "ru": "Ресурсный центр в Пешаваре",
                },
                "start": datetime.date(2024, 6, 1),
            },
            places=[place],
        )
        hidden = services.save_project(
            actor=world.erin,
            dialogue=world.bp,
            values={
                "title": {"en": "Resource centre pilot, confidential"},
                "start": datetime.date(2024, 1, 1),
                "access_level": AccessLevel.SECRETARIAT,
            },
        )
    return {"public": public, "hidden": hidden}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (None, {"public"}),
        ("frank", {"public"}),
        ("alice", {"public"}),
        ("erin", {"public", "hidden"}),
    ],
)
def test_each_role_finds_what_it_may_see(
    world: Any, indexed: dict[str, Any], who: str | None, expected: set[str]
) -> None:
    client = world.client_for(getattr(world, who) if who else None)
    data = client.get("/api/v1/search", {"q": "centre", "kind": "project"}).json()
    assert {h["kind"] for h in data["results"]} <= {"project"}
    found = {h["id"] for h in data["results"]}
    assert found == {indexed[name].pk for name in expected}


def test_a_project_is_found_by_its_place_in_russian(world: Any, indexed: dict[str, Any]) -> None:
    response = world.client_for(None).get("/ru/search/", {"q": "Пешавар"})
    assert response.status_code == 200
    assert f"/ru/projects/{indexed['public'].pk}/" in response.text
