"""``Engine.near``: the candidates of related items, on both engines — the newest visible
entries carrying at least one of the given facet tokens, at most ``limit``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from dialogos.core.models import AccessLevel
from dialogos.search.engines import facet_token, get_engine
from dialogos.search.models import Facet, SearchEntry
from dialogos.search.query import visible_where


def entry_of(meeting: Any) -> SearchEntry:
    return SearchEntry.objects.get(kind="meeting", object_id=meeting.pk)


def test_near_answers_the_newest_visible_entries_carrying_any_token(
    world: Any, make_meeting: Any
) -> None:
    lt, hu, cz = (facet_token(Facet.COUNTRY, code) for code in ("LT", "HU", "CZ"))
    old = make_meeting("Old visit", country="LT", year=2019)
    new = make_meeting("New visit", country="HU", year=2024)
    middle = make_meeting("Middle visit", host_states=("LT", "CZ"), year=2021)
    make_meeting("Elsewhere", country="PL", year=2025)
    closed = make_meeting(
        "Closed visit", country="LT", year=2023, access_level=AccessLevel.SECRETARIAT
    )
    engine = get_engine()
    visitor = visible_where(AnonymousUser())

    rows = engine.near(visitor, [lt, hu], limit=10)
    assert [row[0] for row in rows] == [entry_of(m).pk for m in (new, middle, old)]
    # Each row carries its entry's facet line, which holds one of the tokens.
    assert all(f" {lt} " in f" {line} " or f" {hu} " in f" {line} " for _id, line in rows)

    assert [row[0] for row in engine.near(visitor, [lt, hu], limit=2)] == [
        entry_of(new).pk,
        entry_of(middle).pk,
    ]
    assert [row[0] for row in engine.near(visitor, [cz], limit=10)] == [entry_of(middle).pk]
    # The secretariat of the dialogue sees the closed meeting too, in its place by date.
    assert entry_of(closed).access == AccessLevel.SECRETARIAT
    secretariat = visible_where(world.alice)
    assert [row[0] for row in engine.near(secretariat, [lt], limit=10)] == [
        entry_of(m).pk for m in (closed, middle, old)
    ]


def test_near_without_a_valid_token_answers_nothing(world: Any, make_meeting: Any) -> None:
    make_meeting("Visit", country="LT")
    engine = get_engine()
    visitor = visible_where(AnonymousUser())
    assert engine.near(visitor, [], limit=10) == []
    # Tokens are letters and digits: anything else never reaches the engine's syntax.
    assert engine.near(visitor, ['qqfc4c54" OR "x', "qqf-1"], limit=10) == []
    assert engine.near(visitor, [facet_token(Facet.COUNTRY, "ZZ")], limit=10) == []
