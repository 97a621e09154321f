"""Every public dialogue page runs the same number of queries however much data there is."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogos.core.models import Country
from dialogos.dialogues.models import (
    Body,
    BodyMembership,
    Grouping,
    GroupingMembership,
    Office,
    Organisation,
    Participation,
)

PAGES = [
    "/en/",
    "/en/dialogues/prague-process/",
    "/en/dialogues/prague-process/states/",
    "/en/dialogues/prague-process/governance/",
    "/en/dialogues/prague-process/bodies/strategic-group/",
]
MORE = 30


def _grow(world: Any) -> None:
    """Thirty more of everything the pages list."""
    countries = list(Country.objects.exclude(code__in=["CZ", "LT", "HU"])[: 2 * MORE])
    states, observers = countries[:MORE], countries[MORE:]
    groupings = [
        Grouping.objects.create(slug=f"g{i}", name={"en": f"Grouping {i}"}, order=i)
        for i in range(3)
    ]
    world.pp.groupings.add(*groupings)
    for i, country in enumerate(states):
        Participation.objects.create(
            dialogue=world.pp, country=country, status=Participation.Status.PARTICIPATING
        )
        GroupingMembership.objects.create(grouping=groupings[i % 3], country=country)
        BodyMembership.objects.create(body=world.strategic_group, country=country)
    for country in observers:
        Participation.objects.create(
            dialogue=world.pp, country=country, status=Participation.Status.OBSERVER
        )
    for i in range(MORE):
        organisation = Organisation.objects.create(slug=f"o{i}", name={"en": f"Org {i}"})
        Participation.objects.create(
            dialogue=world.pp, organisation=organisation, status=Participation.Status.PARTNER
        )
        Office.objects.create(
            dialogue=world.pp,
            kind=Office.Kind.CHAIR,
            country=states[i],
            start=datetime.date(1980 + i, 1, 1),
            end=datetime.date(1980 + i, 12, 31),
        )
        Office.objects.create(
            dialogue=world.pp,
            body=world.strategic_group,
            kind=Office.Kind.BODY_CHAIR,
            country=states[i],
            start=datetime.date(1950 + i, 1, 1),
            end=datetime.date(1950 + i, 12, 31),
        )
        body = Body.objects.create(
            dialogue=world.pp,
            slug=f"body-{i}",
            name={"en": f"Body {i}"},
            access_level=["public", "members", "secretariat", "group"][i % 4],
        )
        BodyMembership.objects.create(body=body, country=states[i])
        BodyMembership.objects.create(body=body, organisation=organisation)
        Office.objects.create(
            dialogue=world.pp, body=body, kind=Office.Kind.BODY_CHAIR, country=states[i]
        )


def _count(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("who", [None, "dan", "alice", "olga"])
def test_query_count_does_not_grow_with_the_data(world: Any, who: str | None, path: str) -> None:
    client = world.client_for(getattr(world, who) if who else None)
    before = _count(client, path)

    _grow(world)
    after = _count(client, path)

    assert after == before
    assert before <= 10


def test_the_grown_data_really_is_on_the_pages(world: Any) -> None:
    _grow(world)
    client = world.client_for(world.alice)

    states = client.get("/en/dialogues/prague-process/states/")
    governance = client.get("/en/dialogues/prague-process/governance/")
    body = client.get("/en/dialogues/prague-process/bodies/strategic-group/")

    assert states.context["overview"].total == 2 + MORE
    assert len(states.context["overview"].partners) == MORE
    assert len(governance.context["governance"].bodies) == 1 + MORE
    assert len(governance.context["governance"].offices.past) == 1 + 2 * MORE
    assert len(body.context["detail"].current_members) == 1 + MORE
