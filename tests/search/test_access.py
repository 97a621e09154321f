"""Each role of the world sees exactly what ``core.access`` lets it see — in the results, the
count and every facet, on the page and in the API — and nothing else is hinted at."""

from __future__ import annotations

from typing import Any

import pytest

from dialogos.core import access
from dialogos.core.models import AccessLevel

ROLES = ["anonymous", "frank", "bob", "carol", "dan", "alice", "erin", "olga"]

EXPECTED = {
    "anonymous": {"public"},
    "frank": {"public"},
    "bob": {"public", "pp members"},
    "carol": {"public", "pp members"},
    "dan": {"public", "pp members", "pp group"},
    "alice": {"public", "pp members", "pp group", "pp secretariat", "pp group other"},
    "erin": {"public", "bp members"},
    "olga": {
        "public",
        "pp members",
        "pp group",
        "pp group other",
        "pp secretariat",
        "bp members",
    },
}


@pytest.fixture
def levels(world: Any, make_meeting: Any, make_registration: Any) -> dict[str, Any]:
    meetings = {
        "public": make_meeting("Labour public", country="CZ", year=2021),
        "pp members": make_meeting(
            "Labour pp members", access_level=AccessLevel.MEMBERS, country="LT", year=2022
        ),
        "pp group": make_meeting(
            "Labour pp group", access_level=AccessLevel.GROUP, country="LT", year=2023
        ),
        "pp group other": make_meeting(
            "Labour pp group other", access_level=AccessLevel.GROUP, country="LT", year=2023
        ),
        "pp secretariat": make_meeting(
            "Labour pp secretariat", access_level=AccessLevel.SECRETARIAT, country="CZ", year=2024
        ),
        "bp members": make_meeting(
            "Labour bp members",
            dialogue=world.bp,
            access_level=AccessLevel.MEMBERS,
            country="HU",
            year=2025,
        ),
    }
    make_registration(meetings["pp group"], world.dan)
    return meetings


def user_of(world: Any, role: str) -> Any:
    return None if role == "anonymous" else getattr(world, role)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_finds_exactly_what_it_may_see_on_the_page(
    world: Any, levels: dict[str, Any], role: str
) -> None:
    user = user_of(world, role)
    response = world.client_for(user).get("/en/search/", {"q": "labour"})
    results = response.context["results"]
    found = {hit.entry.title_text("en").removeprefix("Labour ") for hit in results.hits}
    assert found == EXPECTED[role]
    assert results.total == len(EXPECTED[role])
    # The expectation is exactly core.access's decision, object by object.
    assert found == {name for name, m in levels.items() if access.can_view(user, m)}
    body = response.content.decode()
    for name in set(levels) - EXPECTED[role]:
        assert f"Labour {name}<" not in body and f"Labour {name} " not in body


@pytest.mark.parametrize("role", ROLES)
def test_counts_and_facets_in_the_api_count_only_what_the_role_may_see(
    world: Any, levels: dict[str, Any], role: str
) -> None:
    user = user_of(world, role)
    data = world.client_for(user).get("/api/v1/search", {"q": "labour"}).json()
    visible = [levels[name] for name in EXPECTED[role]]
    assert data["total"] == len(visible)
    assert {h["id"] for h in data["results"]} == {m.pk for m in visible}
    facets = {f: {v["value"]: v["count"] for v in values} for f, values in data["facets"].items()}
    years: dict[str, int] = {}
    countries: dict[str, int] = {}
    dialogues: dict[str, int] = {}
    for m in visible:
        years[str(m.start.year)] = years.get(str(m.start.year), 0) + 1
        countries[m.country_id] = countries.get(m.country_id, 0) + 1
        dialogues[str(m.dialogue_id)] = dialogues.get(str(m.dialogue_id), 0) + 1
    assert facets["year"] == years
    assert facets["country"] == countries
    assert facets["dialogue"] == dialogues
    assert facets["kind"] == {"meeting": len(visible)}


def test_a_hidden_country_is_not_suggested_as_a_facet(world: Any, levels: dict[str, Any]) -> None:
    data = world.client_for(world.frank).get("/api/v1/search", {"q": "labour"}).json()
    assert [v["value"] for v in data["facets"]["country"]] == ["CZ"]
    narrowed = world.client_for(None).get("/api/v1/search", {"q": "labour", "country": "HU"})
    assert narrowed.json()["total"] == 0
    assert narrowed.json()["facets"] == {}


def test_a_withdrawn_registration_closes_the_group_meeting_at_once(
    world: Any, levels: dict[str, Any]
) -> None:
    from dialogos.meetings.models import Registration

    Registration.objects.filter(meeting=levels["pp group"]).update(
        status=Registration.Status.WITHDRAWN
    )
    data = world.client_for(world.dan).get("/api/v1/search", {"q": "labour"}).json()
    assert "Labour pp group" not in {h["title"] for h in data["results"]}
    assert data["total"] == 2


def test_changing_the_access_level_reindexes_the_meeting(
    world: Any, levels: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    meeting = levels["public"]
    meeting.access_level = AccessLevel.SECRETARIAT
    with django_capture_on_commit_callbacks(execute=True):
        meeting.save(update_fields=["access_level"])
    frank = world.client_for(world.frank).get("/api/v1/search", {"q": "labour"}).json()
    assert frank["total"] == 0
    alice = world.client_for(world.alice).get("/api/v1/search", {"q": "labour public"}).json()
    assert alice["total"] == 1


def test_a_kept_access_condition_follows_every_change_at_once(
    world: Any, levels: dict[str, Any]
) -> None:
    """The compiled access condition is kept per principal (``query.visible_where``): a change
    of registrations reaches the same principal's next search through its subqueries, and a
    granted or revoked role makes another principal."""
    from dialogos.meetings.models import Registration
    from dialogos.people.models import Role
    from dialogos.search import query

    def titles(user: Any) -> set[str]:
        data = world.client_for(user).get("/api/v1/search", {"q": "labour"}).json()
        return {h["title"] for h in data["results"]}

    assert titles(world.dan) == {"Labour public", "Labour pp members", "Labour pp group"}
    kept = len(query._WHERE)
    # The registration moved to the other group meeting, then withdrawn: the same principal,
    # the same kept condition, a different answer each time.
    registration = Registration.objects.filter(meeting=levels["pp group"])
    registration.update(meeting=levels["pp group other"])
    assert titles(world.dan) == {"Labour public", "Labour pp members", "Labour pp group other"}
    Registration.objects.filter(user=world.dan).update(status=Registration.Status.WITHDRAWN)
    assert titles(world.dan) == {"Labour public", "Labour pp members"}
    assert len(query._WHERE) == kept
    # The delegate's role revoked: members-only entries go at once.
    Role.objects.filter(user=world.dan).update(revoked_at="2026-01-01T00:00:00Z")
    assert titles(world.dan) == {"Labour public"}
    # A secretariat role granted to an account with none: the dialogue's entries come at once.
    assert titles(world.frank) == {"Labour public"}
    Role.objects.create(user=world.frank, dialogue=world.pp, role=Role.Kind.SECRETARIAT)
    assert titles(world.frank) == {
        "Labour public",
        "Labour pp members",
        "Labour pp group",
        "Labour pp group other",
        "Labour pp secretariat",
    }


def test_group_subqueries_only_for_sources_with_group_rows(
    world: Any, make_meeting: Any, make_registration: Any
) -> None:
    """A signed-in reader's condition carries the group subquery of only those sources that
    have group-level rows; a row turning group-level is seen by its group at the next search."""
    from dialogos.search import query
    from dialogos.search.registry import sources

    make_meeting("Labour public", year=2021)
    kinds = [s.kind for s in sources()]
    assert query._group_kinds("default", kinds) == ()
    before, _params = query.visible_where(world.dan)

    def titles() -> set[str]:
        data = world.client_for(world.dan).get("/api/v1/search", {"q": "labour"}).json()
        return {h["title"] for h in data["results"]}

    assert titles() == {"Labour public"}
    closed = make_meeting("Labour closed group", access_level=AccessLevel.GROUP, year=2022)
    make_registration(closed, world.dan)
    make_meeting("Labour other group", access_level=AccessLevel.GROUP, year=2023)
    assert query._group_kinds("default", kinds) == ("meeting",)
    after, _params = query.visible_where(world.dan)
    assert len(after) > len(before)
    assert titles() == {"Labour public", "Labour closed group"}


@pytest.mark.parametrize("role", ROLES)
def test_a_listing_without_words_shows_exactly_what_the_role_may_see(
    world: Any, levels: dict[str, Any], role: str
) -> None:
    """A facet filter alone (no words) lists through the same kept condition as a search."""
    user = user_of(world, role)
    data = world.client_for(user).get("/api/v1/search", {"country": "LT"}).json()
    expected = {levels[name].pk for name in EXPECTED[role] if levels[name].country_id == "LT"}
    assert {h["id"] for h in data["results"]} == expected
    assert data["total"] == len(expected)


@pytest.mark.parametrize("role", ROLES)
def test_related_items_are_only_those_the_role_may_see(
    world: Any, levels: dict[str, Any], role: str
) -> None:
    """Related items of the public meeting of the Prague Process (related: sharing its
    dialogue, a country or a topic): exactly the others of that dialogue the role may see,
    group-level ones only for their group."""
    from django.urls import reverse

    user = user_of(world, role)
    url = reverse("search:related", args=["meeting", levels["public"].pk])
    response = world.client_for(user).get(url)
    assert response.status_code == 200
    titles = {str(item["title"]).removeprefix("Labour ") for item in response.context["items"]}
    assert titles == {name for name in EXPECTED[role] if name.startswith("pp ")}


def test_a_listing_without_words_is_newest_first_and_combines_filters(
    world: Any, make_meeting: Any
) -> None:
    """Without words the facet values alone are the match: every filter applies, and the
    entries come newest first (not by weight)."""
    for year in (2019, 2023, 2021):
        make_meeting(f"Visit {year}", country="CZ", year=year)
    make_meeting("Elsewhere", country="HU", year=2022)
    make_meeting("Other dialogue", country="CZ", dialogue=world.bp, year=2024)
    client = world.client_for(None)
    data = client.get("/api/v1/search", {"country": "CZ"}).json()
    assert [h["title"] for h in data["results"]] == [
        "Other dialogue",
        "Visit 2023",
        "Visit 2021",
        "Visit 2019",
    ]
    assert data["total"] == 4 and data["exact"] is True
    data = client.get("/api/v1/search", {"country": "CZ", "dialogue": world.pp.pk}).json()
    assert [h["title"] for h in data["results"]] == ["Visit 2023", "Visit 2021", "Visit 2019"]
    data = client.get("/api/v1/search", {"country": "CZ", "year": "2021"}).json()
    assert [h["title"] for h in data["results"]] == ["Visit 2021"]
    assert client.get("/api/v1/search", {"country": "FR"}).json()["total"] == 0
