"""The rendered entries of the project list kept in the cache: never shown to someone who may
not see the project, and never stale after a change through the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from dialogos.projects import services
from tests.projects.conftest import Mrc

pytestmark = pytest.mark.django_db

LIST = "/en/projects/"


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Any) -> None:
    settings.PROJECTS_FRAGMENT_CACHE_SECONDS = 600
    cache.clear()


@pytest.mark.parametrize("public_cache", [0, 300])
def test_an_entry_cached_for_the_secretariat_never_reaches_others(
    world: Any, mrc: Mrc, settings: Any, public_cache: int
) -> None:
    settings.PUBLIC_CACHE_SECONDS = public_cache
    for user in (world.erin, world.olga):  # both see the hidden project: its entry is cached
        page = world.client_for(user).get(LIST).text
        assert "Confidential pilot" in page and "Islamabad" in page
    for user in (None, world.alice, world.bob, world.frank, mrc.staff):
        for path in (LIST, f"{LIST}?dialogue=budapest-process", f"{LIST}?country=PK"):
            page = world.client_for(user).get(path).text
            assert "Confidential pilot" not in page, (user, path)
            assert "Migrant Resource Centre Islamabad" in page, (user, path)


def test_a_change_shows_at_once_in_the_list(world: Any, mrc: Mrc) -> None:
    client = world.client_for(None)
    assert "Migrant Resource Centre Islamabad" in client.get(LIST).text
    services.save_project(
        actor=world.erin,
        dialogue=world.bp,
        project=mrc.project,
        values={"title": {"en": "MRC Islamabad, renamed"}},
    )
    page = client.get(LIST).text
    assert "MRC Islamabad, renamed" in page and "Migrant Resource Centre Islamabad" not in page


def test_a_renamed_place_or_type_shows_in_the_cached_entry(world: Any, mrc: Mrc) -> None:
    client = world.client_for(None)
    page = client.get(LIST).text
    assert "Islamabad</span>" in page and "Migrant Resource Centre ·" in page
    services.save_place(
        actor=world.erin, dialogue=world.bp, place=mrc.place, values={"name": {"en": "Lahore"}}
    )
    services.save_project_type(
        actor=world.erin,
        dialogue=world.bp,
        project_type=mrc.mrc_type,
        values={"name": {"en": "Resource centre"}},
    )
    page = client.get(LIST).text
    assert "Lahore</span>" in page and "Resource centre ·" in page
    services.delete_place(actor=world.erin, place=mrc.place)
    assert "Lahore" not in client.get(LIST).text


def test_each_language_has_its_own_entry(world: Any, mrc: Mrc) -> None:
    client = world.client_for(None)
    assert "Migrant Resource Centre Islamabad" in client.get(LIST).text
    russian = client.get("/ru/projects/").text
    assert "Ресурсный центр в Исламабаде" in russian
    assert "Migrant Resource Centre Islamabad" not in russian
