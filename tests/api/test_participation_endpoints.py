from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from dialogos.core.models import AuditEntry
from dialogos.dialogues.models import Participation
from tests.api.api_helpers import PP, Caller, errors

URL = f"{PP}/participations"


def holders(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [
        p["country"]["code"] if p["country"] else p["organisation"]["slug"] for p in response.json()
    ]


@pytest.fixture
def history(world: Any) -> None:
    """Georgia took part until 2015; ICMPD is a partner."""
    Participation.objects.create(
        dialogue=world.pp,
        country_id="GE",
        status=Participation.Status.PARTICIPATING,
        end=datetime.date(2015, 1, 1),
    )
    Participation.objects.create(
        dialogue=world.pp, organisation=world.icmpd, status=Participation.Status.PARTNER
    )


def test_it_lists_todays_participations_by_name(
    world: Any, history: None, anonymous: Caller
) -> None:
    assert holders(anonymous.get(URL)) == ["CZ", "icmpd", "LT"]


def test_it_lists_participations_in_russian(world: Any, history: None, anonymous: Caller) -> None:
    data = anonymous.get(URL, lang="ru").json()
    assert [p["country"]["name"] for p in data if p["country"]] == ["Литва", "Чехия"]


def test_it_filters_by_status(world: Any, history: None, anonymous: Caller) -> None:
    assert holders(anonymous.get(f"{URL}?status=partner")) == ["icmpd"]


def test_it_includes_the_past_when_asked(world: Any, history: None, anonymous: Caller) -> None:
    response = anonymous.get(f"{URL}?current=false")
    assert holders(response) == ["CZ", "GE", "icmpd", "LT"]
    georgia = next(p for p in response.json() if p["country"] and p["country"]["code"] == "GE")
    assert georgia["end"] == "2015-01-01"
    assert georgia["is_current"] is False


def test_an_unknown_status_filter_is_a_422_naming_it(world: Any, anonymous: Caller) -> None:
    assert "status" in errors(anonymous.get(f"{URL}?status=member"))


def test_alice_adds_a_participation_with_a_token_and_it_is_audited(
    world: Any, as_user: Callable[[Any], Caller]
) -> None:
    response = as_user(world.alice).post(
        URL, {"country": "pl", "status": "observer", "start": "2024-01-01"}
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["country"]["code"] == "PL"
    assert data["status"] == "observer"
    participation = Participation.objects.get(pk=data["id"])
    assert participation.dialogue == world.pp
    entry = AuditEntry.objects.get(object_id=str(participation.pk), action="create")
    assert entry.actor == world.alice
    assert entry.dialogue_id == world.pp.pk


def test_olga_the_operator_may_add_a_participation(
    world: Any, as_user: Callable[[Any], Caller]
) -> None:
    response = as_user(world.olga).post(URL, {"country": "PL", "status": "participating"})
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("name", ["bob", "dan", "frank", "erin"])
def test_others_are_refused_with_403_and_nothing_is_saved(
    world: Any, as_user: Callable[[Any], Caller], name: str
) -> None:
    response = as_user(getattr(world, name)).post(URL, {"country": "PL", "status": "observer"})
    assert response.status_code == 403
    assert not Participation.objects.filter(country_id="PL").exists()
    assert not AuditEntry.objects.filter(verb="save participation").exists()


def test_anonymous_writes_are_refused_with_401(world: Any, anonymous: Caller) -> None:
    response = anonymous.post(URL, {"country": "PL", "status": "observer"})
    assert response.status_code == 401
    assert not Participation.objects.filter(country_id="PL").exists()


def test_a_duplicate_participation_is_a_422_explaining_the_clash(
    world: Any, as_user: Callable[[Any], Caller]
) -> None:
    response = as_user(world.alice).post(URL, {"country": "CZ", "status": "participating"})
    assert errors(response) == {
        None: "Czechia already takes part in this dialogue for part of that period."
    }
    assert Participation.objects.filter(dialogue=world.pp, country_id="CZ").count() == 1


def test_an_unknown_country_is_a_422_naming_the_country_field(
    world: Any, as_user: Callable[[Any], Caller]
) -> None:
    response = as_user(world.alice).post(URL, {"country": "QQ", "status": "participating"})
    assert errors(response) == {"country": "There is no country with the code “QQ”."}


def test_an_end_before_the_start_is_a_422_naming_the_end(
    world: Any, as_user: Callable[[Any], Caller]
) -> None:
    response = as_user(world.alice).post(
        URL,
        {"country": "PL", "status": "observer", "start": "2024-01-01", "end": "2023-01-01"},
    )
    assert errors(response) == {"end": "The end date must not be before the start date."}
    assert not Participation.objects.filter(country_id="PL").exists()
    assert not AuditEntry.objects.filter(verb="save participation").exists()


def test_a_state_cannot_be_a_partner_organisation(
    world: Any, as_user: Callable[[Any], Caller]
) -> None:
    response = as_user(world.alice).post(URL, {"country": "PL", "status": "partner"})
    assert "status" in errors(response)


def test_a_missing_status_is_a_422_in_the_request_language(
    world: Any, as_user: Callable[[Any], Caller]
) -> None:
    alice = as_user(world.alice)
    assert errors(alice.post(URL, {"country": "PL"})) == {"status": "This field is required."}
    assert errors(alice.post(f"{URL}?lang=ru", {"country": "PL"})) == {
        "status": "Обязательное поле."
    }


def test_alice_changes_the_end_of_a_participation(
    world: Any, as_user: Callable[[Any], Caller]
) -> None:
    czechia = Participation.objects.get(dialogue=world.pp, country_id="CZ")
    response = as_user(world.alice).patch(f"{URL}/{czechia.pk}", {"end": "2030-12-31"})
    assert response.status_code == 200, response.content
    assert response.json()["end"] == "2030-12-31"
    czechia.refresh_from_db()
    assert czechia.end == datetime.date(2030, 12, 31)
    assert czechia.status == Participation.Status.PARTICIPATING
    entry = AuditEntry.objects.get(action="update", verb="save participation")
    assert entry.actor == world.alice
    assert entry.before["end"] is None
    assert entry.after["end"] == "2030-12-31"


def test_bob_cannot_change_a_participation(world: Any, as_user: Callable[[Any], Caller]) -> None:
    czechia = Participation.objects.get(dialogue=world.pp, country_id="CZ")
    response = as_user(world.bob).patch(f"{URL}/{czechia.pk}", {"end": "2030-12-31"})
    assert response.status_code == 403
    czechia.refresh_from_db()
    assert czechia.end is None


def test_a_participation_of_another_dialogue_is_not_found_here(
    world: Any, as_user: Callable[[Any], Caller]
) -> None:
    hungary = Participation.objects.get(dialogue=world.bp, country_id="HU")
    response = as_user(world.alice).patch(f"{URL}/{hungary.pk}", {"end": "2030-12-31"})
    assert response.status_code == 404


def test_alice_removes_a_participation(world: Any, as_user: Callable[[Any], Caller]) -> None:
    lithuania = Participation.objects.get(dialogue=world.pp, country_id="LT")
    response = as_user(world.alice).delete(f"{URL}/{lithuania.pk}")
    assert response.status_code == 204
    assert not Participation.objects.filter(pk=lithuania.pk).exists()
    assert AuditEntry.objects.get(action="delete").actor == world.alice


def test_erin_cannot_remove_a_participation_of_another_dialogue(
    world: Any, as_user: Callable[[Any], Caller]
) -> None:
    lithuania = Participation.objects.get(dialogue=world.pp, country_id="LT")
    assert as_user(world.erin).delete(f"{URL}/{lithuania.pk}").status_code == 403
    assert Participation.objects.filter(pk=lithuania.pk).exists()
