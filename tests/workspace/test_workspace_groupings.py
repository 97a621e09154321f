"""The secretariat keeps the membership of the groupings its dialogue uses."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.workspace.conftest import audit_entries, queries_for

LIST = "/en/workspace/prague-process/groupings/"


@pytest.fixture
def eu(world: Any) -> Any:
    from dialogos.dialogues.models import Grouping, GroupingMembership

    grouping = Grouping.objects.create(slug="eu", name={"en": "European Union", "ru": "ЕС"})
    world.pp.groupings.add(grouping)
    GroupingMembership.objects.create(grouping=grouping, country_id="CZ", start="2004-05-01")
    return grouping


def _url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs={"slug": "prague-process", **kwargs})


def test_it_lists_the_members_with_dates(world: Any, alice: Client, eu: Any) -> None:
    page = alice.get(LIST).content.decode()
    assert "European Union" in page
    assert "Czechia" in page and "2004-05-01" in page


def test_it_adds_a_member_state(world: Any, alice: Client, eu: Any) -> None:
    response = alice.post(
        _url("workspace:grouping_member_add", grouping_slug="eu"),
        {"country": "LT", "start": "2004-05-01"},
    )
    assert response.status_code == 302
    member = eu.memberships.get(country_id="LT")
    [entry] = audit_entries(action="create", object_id=str(member.pk))
    assert entry.actor_id == world.alice.pk


def test_it_refuses_an_overlapping_membership(world: Any, alice: Client, eu: Any) -> None:
    response = alice.post(
        _url("workspace:grouping_member_add", grouping_slug="eu"),
        {"country": "CZ", "start": "2010-01-01"},
    )
    assert response.status_code == 200
    assert "already a member of this grouping" in response.content.decode()
    assert eu.memberships.count() == 1


def test_it_refuses_an_unknown_country_code(world: Any, alice: Client, eu: Any) -> None:
    response = alice.post(
        _url("workspace:grouping_member_add", grouping_slug="eu"), {"country": "ZZ"}
    )
    assert response.status_code == 200
    assert 'id="id_country_error"' in response.content.decode()
    assert eu.memberships.count() == 1


def test_it_ends_a_membership(world: Any, alice: Client, eu: Any) -> None:
    member = eu.memberships.get()
    url = _url("workspace:grouping_member_end", grouping_slug="eu", pk=member.pk)
    response = alice.post(url, {"end": "2030-01-31"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert str(member.end) == "2030-01-31"
    [entry] = audit_entries(action="update")
    assert entry.actor_id == world.alice.pk
    assert ("end", None, "2030-01-31") in entry.changes()


def test_it_refuses_to_end_before_the_start(world: Any, alice: Client, eu: Any) -> None:
    member = eu.memberships.get()
    url = _url("workspace:grouping_member_end", grouping_slug="eu", pk=member.pk)
    response = alice.post(url, {"end": "2000-01-01"})
    assert response.status_code == 200
    assert 'id="id_end_error"' in response.content.decode()
    member.refresh_from_db()
    assert member.end is None
    assert audit_entries() == []


def test_it_removes_a_membership(world: Any, alice: Client, eu: Any) -> None:
    member = eu.memberships.get()
    response = alice.post(
        _url("workspace:grouping_member_remove", grouping_slug="eu", pk=member.pk)
    )
    assert response.status_code == 302
    assert not eu.memberships.exists()
    [entry] = audit_entries(action="delete")
    assert entry.actor_id == world.alice.pk


def test_it_does_not_reach_a_grouping_the_dialogue_does_not_use(world: Any, alice: Client) -> None:
    from dialogos.dialogues.models import Grouping, GroupingMembership

    other = Grouping.objects.create(slug="ecowas", name={"en": "ECOWAS"})
    world.bp.groupings.add(other)
    member = GroupingMembership.objects.create(grouping=other, country_id="HU")
    assert (
        alice.get(_url("workspace:grouping_member_add", grouping_slug="ecowas")).status_code == 404
    )
    url = _url("workspace:grouping_member_remove", grouping_slug="ecowas", pk=member.pk)
    assert alice.post(url).status_code == 404
    assert GroupingMembership.objects.filter(pk=member.pk).exists()


def test_the_list_takes_the_same_number_of_queries_however_long(
    world: Any, alice: Client, eu: Any
) -> None:
    from dialogos.dialogues.models import Grouping, GroupingMembership

    before = queries_for(alice, LIST)
    for code in ("AT", "DE", "FR"):
        GroupingMembership.objects.create(grouping=eu, country_id=code)
    schengen = Grouping.objects.create(slug="schengen", name={"en": "Schengen area"})
    world.pp.groupings.add(schengen)
    GroupingMembership.objects.create(grouping=schengen, country_id="CZ")
    assert queries_for(alice, LIST) == before
