from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from dialogos.core.models import AuditEntry
from dialogos.dialogues.models import Office
from tests.api.api_helpers import PP, Caller, errors

OFFICES = f"{PP}/offices"


@pytest.fixture
def chairs(world: Any) -> None:
    """Czechia chaired in 2023, Lithuania chairs from 2024 on."""
    Office.objects.create(
        dialogue=world.pp,
        kind=Office.Kind.CHAIR,
        country_id="CZ",
        start=datetime.date(2023, 1, 1),
        end=datetime.date(2023, 12, 31),
    )
    Office.objects.create(
        dialogue=world.pp, kind=Office.Kind.CHAIR, country_id="LT", start=datetime.date(2024, 1, 1)
    )


def chair_holders(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [o["country"]["code"] for o in response.json() if o["kind"] == "chair"]


def test_it_lists_offices_with_history(world: Any, chairs: None, anonymous: Caller) -> None:
    assert sorted(chair_holders(anonymous.get(OFFICES))) == ["CZ", "LT"]


def test_it_lists_only_todays_holders_when_asked(
    world: Any, chairs: None, anonymous: Caller
) -> None:
    assert chair_holders(anonymous.get(f"{OFFICES}?current=true")) == ["LT"]
    assert chair_holders(anonymous.get(f"{OFFICES}?current=false")) == ["CZ"]


def test_it_lists_offices_in_russian(world: Any, chairs: None, anonymous: Caller) -> None:
    data = anonymous.get(f"{OFFICES}?current=true", lang="ru").json()
    chair = next(o for o in data if o["kind"] == "chair")
    assert chair["country"]["name"] == "Литва"
    assert chair["country"]["name_i18n"]["en"] == "Lithuania"


def test_alice_records_a_chair(world: Any, as_user: Callable[[Any], Caller]) -> None:
    response = as_user(world.alice).post(
        OFFICES, {"kind": "chair", "country": "PL", "start": "2019-01-01", "end": "2019-12-31"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["country"]["code"] == "PL"
    assert AuditEntry.objects.get(verb="save office").actor == world.alice


def test_an_overlapping_chair_is_a_422_naming_the_holder_and_term(
    world: Any, chairs: None, as_user: Callable[[Any], Caller]
) -> None:
    response = as_user(world.alice).post(
        OFFICES, {"kind": "chair", "country": "PL", "start": "2023-06-01", "end": "2023-12-31"}
    )
    assert errors(response) == {
        None: "Czechia already holds this office for part of that period (2023-01-01 – 2023-12-31)."
    }
    assert not Office.objects.filter(country_id="PL").exists()


def test_a_body_chair_names_its_body(world: Any, as_user: Callable[[Any], Caller]) -> None:
    alice = as_user(world.alice)
    assert "body" in errors(alice.post(OFFICES, {"kind": "body_chair", "country": "CZ"}))
    assert "body" in errors(
        alice.post(OFFICES, {"kind": "body_chair", "country": "CZ", "body": "nope"})
    )
    response = alice.post(
        OFFICES,
        {"kind": "body_chair", "country": "CZ", "body": "strategic-group", "start": "2021-01-01"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["body"]["slug"] == "strategic-group"


def test_an_unknown_organisation_is_a_422_naming_it(
    world: Any, as_user: Callable[[Any], Caller]
) -> None:
    response = as_user(world.alice).post(OFFICES, {"kind": "host", "organisation": "nope"})
    assert errors(response) == {"organisation": "There is no organisation “nope”."}


def test_alice_ends_and_removes_a_term(
    world: Any, chairs: None, as_user: Callable[[Any], Caller]
) -> None:
    alice = as_user(world.alice)
    lithuania = Office.objects.get(kind="chair", country_id="LT")
    response = alice.patch(f"{OFFICES}/{lithuania.pk}", {"end": "2024-12-31"})
    assert response.status_code == 200, response.content
    lithuania.refresh_from_db()
    assert lithuania.end == datetime.date(2024, 12, 31)
    assert alice.delete(f"{OFFICES}/{lithuania.pk}").status_code == 204
    assert not Office.objects.filter(pk=lithuania.pk).exists()


@pytest.mark.parametrize("name", ["bob", "frank", "erin"])
def test_others_cannot_record_or_change_offices(
    world: Any, chairs: None, as_user: Callable[[Any], Caller], name: str
) -> None:
    caller = as_user(getattr(world, name))
    assert caller.post(OFFICES, {"kind": "chair", "country": "PL"}).status_code == 403
    lithuania = Office.objects.get(kind="chair", country_id="LT")
    assert caller.patch(f"{OFFICES}/{lithuania.pk}", {"end": "2024-12-31"}).status_code == 403
    assert caller.delete(f"{OFFICES}/{lithuania.pk}").status_code == 403
    lithuania.refresh_from_db()
    assert lithuania.end is None
