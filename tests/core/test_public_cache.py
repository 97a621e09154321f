"""The cache of public pages: only for visitors without cookies, stale the moment data changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dialogos.dialogues import services


@pytest.fixture
def cached(settings: Any) -> None:
    settings.PUBLIC_CACHE_SECONDS = 60
    cache.clear()


def queries_for(client: Client, path: str, **headers: Any) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **headers)
    return response, len(ctx.captured_queries)


def test_a_second_anonymous_visit_costs_one_query(world: Any, cached: None) -> None:
    client = Client()
    first, first_queries = queries_for(client, "/en/dialogues/prague-process/governance/")
    again, again_queries = queries_for(client, "/en/dialogues/prague-process/governance/")
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again["X-Cache"] == "hit"
    assert again_queries == 1 < first_queries


def test_a_change_through_a_service_shows_at_once(world: Any, cached: None) -> None:
    client = Client()
    assert "Poland" not in client.get("/en/dialogues/prague-process/states/").content.decode()
    services.save_participation(
        actor=world.alice, dialogue=world.pp, country_id="PL", status="participating"
    )
    assert "Poland" in client.get("/en/dialogues/prague-process/states/").content.decode()


def test_each_language_and_api_language_is_cached_apart(world: Any, cached: None) -> None:
    client = Client()
    assert "Пражский процесс" in client.get("/ru/").content.decode()
    assert "Пражский процесс" not in client.get("/en/").content.decode()
    ru = client.get("/api/v1/dialogues", HTTP_ACCEPT_LANGUAGE="ru").json()
    en = client.get("/api/v1/dialogues", HTTP_ACCEPT_LANGUAGE="en").json()
    assert ru != en


def test_signed_in_people_are_never_served_from_the_cache(world: Any, cached: None) -> None:
    Client().get("/en/")  # fills the cache for visitors
    client = Client()
    client.force_login(world.alice)
    response = client.get("/en/")
    assert "X-Cache" not in response
    assert "Workspace" in response.content.decode()


def test_a_hidden_body_never_reaches_the_cache_for_visitors(world: Any, cached: None) -> None:
    world.strategic_group.access_level = "secretariat"
    world.strategic_group.save(update_fields=["access_level"])
    alice = Client()
    alice.force_login(world.alice)
    assert alice.get("/en/dialogues/prague-process/bodies/strategic-group/").status_code == 200
    visitor = Client()
    assert visitor.get("/en/dialogues/prague-process/bodies/strategic-group/").status_code == 404
    assert (
        "Strategic Group"
        not in visitor.get("/en/dialogues/prague-process/governance/").content.decode()
    )


def test_pages_that_set_cookies_are_not_cached(world: Any, cached: None) -> None:
    client = Client()
    client.get("/en/account/sign-in/")
    response = Client().get("/en/account/sign-in/")
    assert "X-Cache" not in response


def test_values_cached_until_change_follow_the_data_and_the_viewer(
    world: Any, settings: Any
) -> None:
    from django.core.cache import cache

    from dialogos.core.cache import bump_content_version, cached_until_change, viewer_key

    settings.PUBLIC_CACHE_SECONDS = 300
    cache.clear()
    calls: list[str] = []

    def compute(who: str) -> str:
        calls.append(who)
        return f"{who}:{len(calls)}"

    anonymous = viewer_key(None)
    alice = viewer_key(world.alice)
    assert anonymous != alice
    first = cached_until_change(f"k:{anonymous}", lambda: compute("anon"))
    assert cached_until_change(f"k:{anonymous}", lambda: compute("anon")) == first
    assert cached_until_change(f"k:{alice}", lambda: compute("alice")) == "alice:2"
    bump_content_version()
    assert cached_until_change(f"k:{anonymous}", lambda: compute("anon")) == "anon:3"
    settings.PUBLIC_CACHE_SECONDS = 0
    assert cached_until_change(f"k:{anonymous}", lambda: compute("anon")) == "anon:4"


def test_meeting_filters_with_the_cache_on_show_each_viewer_what_they_may_see(
    world: Any, settings: Any
) -> None:
    import datetime
    import zoneinfo

    from django.core.cache import cache
    from django.test import Client

    from dialogos.core.models import AccessLevel
    from dialogos.meetings import services

    settings.PUBLIC_CACHE_SECONDS = 300
    cache.clear()
    prague = zoneinfo.ZoneInfo("Europe/Prague")
    services.create_meeting(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Closed"},
        start=datetime.datetime(2041, 5, 1, 9, tzinfo=prague),
        end=datetime.datetime(2041, 5, 1, 17, tzinfo=prague),
        access_level=AccessLevel.SECRETARIAT,
    )
    anonymous = Client(HTTP_COOKIE="x=1").get("/en/meetings/?when=all")
    assert "2041" not in [str(y) for y in anonymous.context["options"]["years"]]
    secretariat = world.client_for(world.alice).get("/en/meetings/?when=all")
    assert 2041 in [getattr(y, "year", y) for y in secretariat.context["options"]["years"]]
    # After a change the options follow at once.
    services.create_meeting(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Open"},
        start=datetime.datetime(2042, 5, 1, 9, tzinfo=prague),
        end=datetime.datetime(2042, 5, 1, 17, tzinfo=prague),
    )
    again = Client(HTTP_COOKIE="x=1").get("/en/meetings/?when=all")
    assert 2042 in [getattr(y, "year", y) for y in again.context["options"]["years"]]
