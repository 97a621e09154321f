"""Bodies are protected objects: every read goes through ``core.access``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from dialogos.core.models import AccessLevel, AuditEntry
from dialogos.dialogues.models import Body, BodyMembership, Office
from tests.api.api_helpers import PP, Caller, errors

BODIES = f"{PP}/bodies"


@pytest.fixture
def bodies(world: Any) -> Any:
    """A secretariat-only body, a members-only body and a seat hidden inside a public one."""
    secret = Body.objects.create(
        dialogue=world.pp,
        slug="drafting-team",
        name={"en": "Drafting team", "ru": "Редакционная группа"},
        access_level=AccessLevel.SECRETARIAT,
    )
    BodyMembership.objects.create(body=secret, country_id="CZ")
    Office.objects.create(
        dialogue=world.pp, body=secret, kind=Office.Kind.BODY_CHAIR, country_id="CZ"
    )
    internal = Body.objects.create(
        dialogue=world.pp,
        slug="core-group",
        name={"en": "Core group"},
        access_level=AccessLevel.MEMBERS,
    )
    BodyMembership.objects.create(
        body=world.strategic_group, country_id="PL", access_level=AccessLevel.SECRETARIAT
    )
    return secret, internal


def slugs(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [b["slug"] for b in response.json()]


@pytest.mark.parametrize("name", [None, "frank", "bob", "erin"])
def test_a_secretariat_only_body_is_hidden_from_outsiders(
    world: Any, bodies: Any, as_user: Callable[[Any], Caller], name: str | None
) -> None:
    caller = as_user(getattr(world, name) if name else None)
    assert "drafting-team" not in slugs(caller.get(BODIES))
    hidden = caller.get(f"{BODIES}/drafting-team")
    missing = caller.get(f"{BODIES}/no-such-body")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


@pytest.mark.parametrize("name", ["alice", "olga"])
def test_a_secretariat_only_body_is_visible_to_the_secretariat_and_the_operator(
    world: Any, bodies: Any, as_user: Callable[[Any], Caller], name: str
) -> None:
    caller = as_user(getattr(world, name))
    assert "drafting-team" in slugs(caller.get(BODIES))
    data = caller.get(f"{BODIES}/drafting-team", lang="ru").json()
    assert data["name"] == "Редакционная группа"
    assert [m["country"]["code"] for m in data["members"]] == ["CZ"]


def test_a_members_body_is_visible_to_dan_but_not_to_frank_or_the_public(
    world: Any, bodies: Any, as_user: Callable[[Any], Caller]
) -> None:
    assert "core-group" in slugs(as_user(world.dan).get(BODIES))
    assert as_user(world.dan).get(f"{BODIES}/core-group").status_code == 200
    assert "core-group" not in slugs(as_user(world.frank).get(BODIES))
    assert as_user(None).get(f"{BODIES}/core-group").status_code == 404


def test_the_session_sees_what_the_token_sees(world: Any, bodies: Any) -> None:
    assert "drafting-team" in slugs(world.client_for(world.alice).get(BODIES))
    assert "drafting-team" not in slugs(world.client_for(world.bob).get(BODIES))


def test_it_shows_a_public_body_with_members_in_both_languages(
    world: Any, anonymous: Caller
) -> None:
    en = anonymous.get(f"{BODIES}/strategic-group").json()
    ru = anonymous.get(f"{BODIES}/strategic-group", lang="ru").json()
    assert en["name"] == "Strategic Group"
    assert ru["name"] == "Стратегическая группа"
    assert [m["country"]["code"] for m in en["members"]] == ["LT"]
    assert ru["members"][0]["country"]["name"] == "Литва"
    assert en["offices"][0]["kind"] == "body_chair"


def test_a_hidden_seat_on_a_public_body_is_left_out(
    world: Any, bodies: Any, as_user: Callable[[Any], Caller]
) -> None:
    public_view = as_user(None).get(f"{BODIES}/strategic-group").json()
    assert [m["country"]["code"] for m in public_view["members"]] == ["LT"]
    alice_view = as_user(world.alice).get(f"{BODIES}/strategic-group").json()
    assert [m["country"]["code"] for m in alice_view["members"]] == ["LT", "PL"]


def test_offices_of_a_hidden_body_are_left_out_of_the_offices_list(
    world: Any, bodies: Any, as_user: Callable[[Any], Caller]
) -> None:
    def office_bodies(caller: Caller) -> list[str]:
        return [o["body"]["slug"] for o in caller.get(f"{PP}/offices").json() if o["body"]]

    assert office_bodies(as_user(None)) == ["strategic-group"]
    assert sorted(office_bodies(as_user(world.alice))) == ["drafting-team", "strategic-group"]


# Writes ---------------------------------------------------------------------------------


def test_alice_creates_a_body(world: Any, as_user: Callable[[Any], Caller]) -> None:
    response = as_user(world.alice).post(
        BODIES,
        {
            "slug": "wg-return",
            "name": {"en": "Working group on return", "ru": "Рабочая группа по возвращению"},
            "kind": "working_group",
            "access_level": "members",
        },
    )
    assert response.status_code == 201, response.content
    body = Body.objects.get(dialogue=world.pp, slug="wg-return")
    assert body.access_level == AccessLevel.MEMBERS
    assert AuditEntry.objects.get(verb="save body").actor == world.alice


def test_a_body_with_a_slug_already_used_is_a_422(
    world: Any, as_user: Callable[[Any], Caller]
) -> None:
    response = as_user(world.alice).post(BODIES, {"slug": "strategic-group", "name": "Again"})
    assert response.status_code == 422
    assert Body.objects.filter(slug="strategic-group").count() == 1


def test_bob_cannot_create_a_body(world: Any, as_user: Callable[[Any], Caller]) -> None:
    response = as_user(world.bob).post(BODIES, {"slug": "x", "name": "X"})
    assert response.status_code == 403


def test_bob_changing_a_hidden_body_gets_404_and_a_visible_one_403(
    world: Any, bodies: Any, as_user: Callable[[Any], Caller]
) -> None:
    bob = as_user(world.bob)
    assert bob.patch(f"{BODIES}/drafting-team", {"order": 1}).status_code == 404
    assert bob.patch(f"{BODIES}/strategic-group", {"order": 1}).status_code == 403
    assert bob.delete(f"{BODIES}/drafting-team").status_code == 404
    assert Body.objects.filter(slug="drafting-team").exists()


def test_alice_renames_and_deletes_a_body(
    world: Any, bodies: Any, as_user: Callable[[Any], Caller]
) -> None:
    alice = as_user(world.alice)
    response = alice.patch(f"{BODIES}/core-group", {"name": {"en": "Core Group", "ru": "Ядро"}})
    assert response.status_code == 200, response.content
    assert alice.get(f"{BODIES}/core-group", lang="ru").json()["name"] == "Ядро"
    assert alice.delete(f"{BODIES}/core-group").status_code == 204
    assert not Body.objects.filter(slug="core-group").exists()


def test_a_body_name_cannot_be_emptied(world: Any, as_user: Callable[[Any], Caller]) -> None:
    response = as_user(world.alice).patch(f"{BODIES}/strategic-group", {"name": None})
    assert "name" in errors(response)


def test_alice_seats_a_state_on_a_body_and_changes_and_removes_the_seat(
    world: Any, as_user: Callable[[Any], Caller]
) -> None:
    alice = as_user(world.alice)
    url = f"{BODIES}/strategic-group/members"
    response = alice.post(url, {"country": "cz", "capacity": {"en": "rapporteur"}})
    assert response.status_code == 201, response.content
    seat = response.json()
    assert seat["country"]["code"] == "CZ"
    assert seat["capacity"] == "rapporteur"
    response = alice.patch(f"{url}/{seat['id']}", {"start": "2025-01-01"})
    assert response.status_code == 200
    assert response.json()["start"] == "2025-01-01"
    assert alice.delete(f"{url}/{seat['id']}").status_code == 204
    assert not BodyMembership.objects.filter(pk=seat["id"]).exists()
    verbs = set(AuditEntry.objects.filter(actor=world.alice).values_list("verb", flat=True))
    assert {"save body member", "remove body member"} <= verbs


def test_a_second_seat_for_the_same_state_is_a_422(
    world: Any, as_user: Callable[[Any], Caller]
) -> None:
    response = as_user(world.alice).post(f"{BODIES}/strategic-group/members", {"country": "LT"})
    assert errors(response) == {
        None: "Lithuania is already a member of this body for part of that period."
    }


def test_a_seat_needs_exactly_one_holder(world: Any, as_user: Callable[[Any], Caller]) -> None:
    response = as_user(world.alice).post(
        f"{BODIES}/strategic-group/members", {"country": "CZ", "organisation": "icmpd"}
    )
    assert "country" in errors(response)


def test_dan_cannot_seat_a_state(world: Any, as_user: Callable[[Any], Caller]) -> None:
    response = as_user(world.dan).post(f"{BODIES}/strategic-group/members", {"country": "CZ"})
    assert response.status_code == 403
    assert not BodyMembership.objects.filter(country_id="CZ").exists()
