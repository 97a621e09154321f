"""Every list endpoint runs the same number of queries whatever the amount of data."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from dialogos.core.models import AccessLevel, Country
from dialogos.dialogues.models import (
    Body,
    BodyMembership,
    Dialogue,
    Grouping,
    GroupingMembership,
    Office,
    Participation,
)
from tests.api.api_helpers import API, PP, Caller, count_queries

ENDPOINTS = [
    f"{API}/dialogues",
    f"{PP}",
    f"{PP}/participations",
    f"{PP}/participations?current=false",
    f"{PP}/states",
    f"{PP}/bodies",
    f"{PP}/bodies/strategic-group",
    f"{PP}/offices",
    f"{PP}/offices?current=true",
    f"{API}/countries?q=a",
    f"{API}/countries/LT",
    f"{API}/groupings",
    f"{API}/groupings/bench-region",
]
MORE = 30


def grow(world: Any, n: int = MORE) -> None:
    """``n`` more of everything those endpoints list."""
    taken = set(Participation.objects.values_list("country_id", flat=True))
    countries = list(Country.objects.exclude(code__in=taken).order_by("code")[:n])
    region, _created = Grouping.objects.get_or_create(
        slug="bench-region", defaults={"name": {"en": "Region", "ru": "Регион"}}
    )
    groupings = Grouping.objects.bulk_create(
        Grouping(slug=f"grouping-{Grouping.objects.count()}-{i}", name={"en": f"G {i}"})
        for i in range(n)
    )
    world.pp.groupings.add(region, *groupings)
    GroupingMembership.objects.bulk_create(
        GroupingMembership(grouping=region, country=c, start=datetime.date(2000, 1, 1))
        for c in countries
    )
    GroupingMembership.objects.bulk_create(
        GroupingMembership(grouping=g, country=c) for g, c in zip(groupings, countries, strict=True)
    )
    GroupingMembership.objects.create(grouping=groupings[0], country_id="LT")
    Participation.objects.bulk_create(
        Participation(
            dialogue=world.pp,
            country=c,
            status=Participation.Status.PARTICIPATING if i % 3 else Participation.Status.OBSERVER,
            end=datetime.date(2019, 1, 1) if i % 5 == 0 else None,
        )
        for i, c in enumerate(countries)
    )
    Participation.objects.bulk_create(
        Participation(dialogue=world.bp, country=c, status=Participation.Status.PARTICIPATING)
        for c in countries[:5]
    )
    offset = Dialogue.objects.count()
    dialogues = Dialogue.objects.bulk_create(
        Dialogue(slug=f"bench-{offset + i}", name={"en": f"Bench dialogue {offset + i}"})
        for i in range(n)
    )
    for d in dialogues:
        d.groupings.add(region)
    levels = [AccessLevel.PUBLIC, AccessLevel.MEMBERS, AccessLevel.SECRETARIAT, AccessLevel.GROUP]
    offset = Body.objects.count()
    bodies = Body.objects.bulk_create(
        Body(
            dialogue=world.pp,
            slug=f"body-{offset + i}",
            name={"en": f"Body {i}"},
            access_level=levels[i % len(levels)],
        )
        for i in range(n)
    )
    BodyMembership.objects.bulk_create(
        BodyMembership(body=b, country=c) for b, c in zip(bodies, countries, strict=True)
    )
    BodyMembership.objects.bulk_create(
        BodyMembership(
            body=world.strategic_group,
            country=c,
            access_level=AccessLevel.SECRETARIAT if i % 2 else AccessLevel.INHERIT,
        )
        for i, c in enumerate(countries)
    )
    Office.objects.bulk_create(
        Office(
            dialogue=world.pp,
            body=bodies[i] if i % 2 else None,
            kind=Office.Kind.OTHER,
            title={"en": f"Office {i}"},
            country=c,
            start=datetime.date(2020 + i % 6, 1, 1),
        )
        for i, c in enumerate(countries)
    )


@pytest.mark.parametrize("who", [None, "alice", "dan", "olga"])
def test_list_endpoints_run_a_constant_number_of_queries(
    world: Any, as_user: Callable[[Any], Caller], who: str | None
) -> None:
    caller = as_user(getattr(world, who) if who else None)
    grow(world, 1)
    caller.get(f"{API}/dialogues")  # the token's first use is written down once
    before = {}
    for url in ENDPOINTS:
        queries, response = count_queries(lambda url=url: caller.get(url))
        assert response.status_code == 200, (url, response.content)
        before[url] = queries
    sizes = {url: len(caller.get(url).content) for url in ENDPOINTS}

    grow(world)

    for url in ENDPOINTS:
        queries, response = count_queries(lambda url=url: caller.get(url))
        assert response.status_code == 200, (url, response.content)
        assert queries == before[url], f"{url}: {before[url]} queries, then {queries}"
        assert queries <= 8, f"{url}: {queries} queries"
    grown = [url for url in ENDPOINTS if len(caller.get(url).content) > sizes[url]]
    # The data really grew under every list (the single dialogue and country aside).
    assert set(ENDPOINTS) - set(grown) <= {PP, f"{API}/countries?q=a"}
