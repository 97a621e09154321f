"""Registrations through the API: the same rules as the pages — who may register whom, seats
and quotas, the waiting list, decisions — with 401/403/404/422 answers that change nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from pydantic import TypeAdapter

from dialogos.api.services import create_api_token
from dialogos.core.models import Country
from dialogos.meetings.api import RegistrationOut, RegistrationPageOut
from dialogos.meetings.models import Meeting, Notification, Registration
from dialogos.people.models import Person
from tests.api.api_helpers import API, Caller, count_queries, errors

pytestmark = pytest.mark.django_db


def caller(user: Any | None) -> Caller:
    if user is None:
        return Caller()
    return Caller(token=create_api_token(actor=user, user=user, name="tests")[1])


def created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.content
    data = response.json()
    TypeAdapter(RegistrationOut).validate_python(data)
    return data


@pytest.fixture
def meeting(make_meeting: Any) -> Meeting:
    return make_meeting(capacity=3, seats_per_state=2)


def url(meeting: Meeting, tail: str = "registrations") -> str:
    return f"{API}/meetings/{meeting.pk}/{tail}"


def test_focal_point_nominates_new_and_existing_people_of_his_state(
    world: Any, meeting: Meeting, make_person: Any
) -> None:
    bob = caller(world.bob)
    first = created(
        bob.post(
            url(meeting),
            {
                "given_name": "Jana",
                "family_name": "Nováková",
                "email": "jana@example.net",
                "country": "cz",
                "delegation_role": "head",
            },
        )
    )
    assert first["status"] == "confirmed"
    assert first["country"]["code"] == "CZ"
    assert first["delegation_role"] == "head"
    assert Person.objects.filter(family_name="Nováková", country_id="CZ").count() == 1
    existing = make_person("Svoboda", "CZ")
    second = created(bob.post(url(meeting), {"person": existing.pk, "country": "CZ"}))
    assert second["status"] == "confirmed"
    # The state's quota (2) is reached: the third goes on the waiting list.
    third = created(
        bob.post(url(meeting), {"given_name": "Petr", "family_name": "Dvořák", "country": "CZ"})
    )
    assert third["status"] == "waiting"
    assert third["waiting_position"] == 1
    # Confirmations are queued for the worker, once per registration.
    queued = Notification.objects.filter(email="jana@example.net")
    assert queued.count() == 1


def test_who_may_not_register_others_is_refused_and_nothing_is_stored(
    world: Any, meeting: Meeting, make_person: Any
) -> None:
    before = Registration.objects.count()
    persons = Person.objects.count()
    anonymous = Caller().post(
        url(meeting), {"given_name": "A", "family_name": "B", "country": "CZ"}
    )
    assert anonymous.status_code == 401
    frank = caller(world.frank).post(
        url(meeting), {"given_name": "A", "family_name": "B", "country": "CZ"}
    )
    assert frank.status_code == 403
    # A focal point of Czechia may not nominate for Lithuania.
    other_state = caller(world.bob).post(
        url(meeting), {"given_name": "A", "family_name": "B", "country": "LT"}
    )
    assert other_state.status_code == 403
    # Nor register an organisation's delegate, which is the secretariat's.
    org = caller(world.bob).post(
        url(meeting), {"given_name": "A", "family_name": "B", "organisation": "icmpd"}
    )
    assert "organisation" in errors(org)
    assert Registration.objects.count() == before
    assert Person.objects.count() == persons


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"given_name": "A", "family_name": "B", "country": "XX"}, "country"),
        ({"given_name": "", "family_name": "B", "country": "CZ"}, "given_name"),
        ({"person": 999999, "country": "CZ"}, "person"),
        ({"given_name": "A", "family_name": "B", "country": "CZ", "colour": "red"}, "colour"),
        (
            {"given_name": "A", "family_name": "B", "country": "CZ", "visibility": "all"},
            "visibility",
        ),
        ({"given_name": "A", "family_name": "B"}, "country"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    world: Any, meeting: Meeting, payload: dict[str, Any], field: str
) -> None:
    persons = Person.objects.count()
    response = caller(world.bob).post(url(meeting), payload)
    assert field in errors(response)
    assert Registration.objects.count() == 0
    assert Person.objects.count() == persons


def test_person_of_another_state_and_registering_twice_are_refused(
    world: Any, meeting: Meeting, make_person: Any
) -> None:
    lithuanian = make_person("Kazlauskas", "LT")
    bob = caller(world.bob)
    assert "person" in errors(bob.post(url(meeting), {"person": lithuanian.pk, "country": "CZ"}))
    czech = make_person("Svoboda", "CZ")
    created(bob.post(url(meeting), {"person": czech.pk, "country": "CZ"}))
    again = bob.post(url(meeting), {"person": czech.pk, "country": "CZ"})
    assert "person" in errors(again)
    assert Registration.objects.filter(person=czech).count() == 1


def test_secretariat_registers_an_organisation_delegate_and_errors_speak_russian(
    world: Any, meeting: Meeting
) -> None:
    alice = caller(world.alice)
    data = created(
        alice.post(
            url(meeting),
            {
                "given_name": "Ana",
                "family_name": "Silva",
                "organisation": "icmpd",
                "delegation_role": "expert",
            },
        )
    )
    assert data["organisation"]["slug"] == "icmpd"
    assert data["channel"] == "secretariat"
    response = alice.post(
        url(meeting) + "?lang=ru", {"given_name": "A", "family_name": "B", "country": "QQ"}
    )
    assert errors(response)["country"] == "Страны с кодом «QQ» не существует."
    assert response["Content-Language"] == "ru"


def test_a_person_applies_for_himself(world: Any, make_meeting: Any, make_person: Any) -> None:
    meeting = make_meeting(capacity=10)
    frank = caller(world.frank)
    # Without a person record he is told to complete his profile.
    assert "person" in errors(frank.post(url(meeting, "applications"), {}))
    make_person("Frank", "LT", user=world.frank)
    data = created(frank.post(url(meeting, "applications"), {"needs_diet": "vegetarian"}))
    assert data["channel"] == "application"
    assert data["country"]["code"] == "LT"
    assert data["needs_diet"] == "vegetarian"
    invitation_only = make_meeting(registration_mode=Meeting.RegistrationMode.INVITATION)
    assert "registration_mode" in errors(frank.post(url(invitation_only, "applications"), {}))


def test_each_role_sees_exactly_the_registrations_it_should(
    world: Any, meeting: Meeting, make_person: Any
) -> None:
    alice = caller(world.alice)
    cz = created(alice.post(url(meeting), {"given_name": "C", "family_name": "Z", "country": "CZ"}))
    lt = created(alice.post(url(meeting), {"given_name": "L", "family_name": "T", "country": "LT"}))
    make_person("Frank", "LT", user=world.frank)
    own = created(caller(world.frank).post(url(meeting, "applications"), {}))

    def listed(user: Any | None) -> Any:
        response = caller(user).get(url(meeting))
        if response.status_code != 200:
            return response.status_code
        TypeAdapter(RegistrationPageOut).validate_python(response.json())
        return {r["id"] for r in response.json()["results"]}

    assert listed(world.alice) == {cz["id"], lt["id"], own["id"]}
    assert listed(world.olga) == {cz["id"], lt["id"], own["id"]}
    assert listed(world.bob) == {cz["id"]}
    assert listed(world.frank) == {own["id"]}
    assert listed(world.erin) == set()
    assert listed(None) == 401
    # One registration: the same rule; outsiders get 404, as if it did not exist.
    assert caller(world.bob).get(f"{API}/registrations/{cz['id']}").status_code == 200
    assert caller(world.bob).get(f"{API}/registrations/{lt['id']}").status_code == 404
    assert caller(world.erin).get(f"{API}/registrations/{cz['id']}").status_code == 404
    assert caller(world.frank).get(f"{API}/registrations/{own['id']}").status_code == 200
    assert Caller().get(f"{API}/registrations/{own['id']}").status_code == 401
    # Filters.
    response = alice.get(url(meeting) + "?country=lt")
    assert {r["id"] for r in response.json()["results"]} == {lt["id"], own["id"]}
    response = alice.get(url(meeting) + "?status=withdrawn")
    assert response.json()["count"] == 0
    assert alice.get(url(meeting) + "?status=lost").status_code == 422


def test_registrations_of_a_meeting_one_may_not_see_are_404(world: Any, make_meeting: Any) -> None:
    from dialogos.core.models import AccessLevel

    closed = make_meeting(access_level=AccessLevel.SECRETARIAT)
    assert caller(world.bob).get(url(closed)).status_code == 404
    response = caller(world.bob).post(
        url(closed), {"given_name": "A", "family_name": "B", "country": "CZ"}
    )
    assert response.status_code == 404
    assert Registration.objects.count() == 0


def test_withdrawal_promotes_the_first_on_the_waiting_list(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting(capacity=1)
    bob = caller(world.bob)
    first = created(
        bob.post(url(meeting), {"given_name": "A", "family_name": "One", "country": "CZ"})
    )
    second = created(
        bob.post(url(meeting), {"given_name": "B", "family_name": "Two", "country": "CZ"})
    )
    assert second["status"] == "waiting"
    response = bob.post(f"{API}/registrations/{first['id']}/withdraw")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    assert Registration.objects.get(pk=second["id"]).status == Registration.Status.CONFIRMED
    # Withdrawing twice is refused with a reason.
    again = bob.post(f"{API}/registrations/{first['id']}/withdraw")
    assert "status" in errors(again)


def test_details_change_and_secretariat_decisions(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting(capacity=5, requires_approval=True)
    make_person("Frank", "LT", user=world.frank)
    frank, alice, bob = caller(world.frank), caller(world.alice), caller(world.bob)
    own = created(frank.post(url(meeting, "applications"), {}))
    assert own["status"] == "pending"
    response = frank.patch(
        f"{API}/registrations/{own['id']}", {"visibility": "nobody", "needs_visa_letter": True}
    )
    assert response.status_code == 200, response.content
    assert response.json()["visibility"] == "nobody"
    assert response.json()["needs_visa_letter"] is True
    assert "delegation_role" in errors(
        frank.patch(f"{API}/registrations/{own['id']}", {"delegation_role": "chief"})
    )
    # Only the secretariat decides: the registrant gets 403, another state's focal point 404.
    assert frank.post(f"{API}/registrations/{own['id']}/approve", {}).status_code == 403
    assert bob.post(f"{API}/registrations/{own['id']}/approve", {}).status_code == 404
    approved = alice.post(f"{API}/registrations/{own['id']}/approve", {"note": "Welcome"})
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "confirmed"
    # Attendance only once the meeting has begun.
    early = alice.post(f"{API}/registrations/{own['id']}/attendance", {"attended": True})
    assert errors(early)["status"] == "The meeting has not started yet."
    Meeting.objects.filter(pk=meeting.pk).update(start=timezone.now() - datetime.timedelta(hours=1))
    attended = alice.post(f"{API}/registrations/{own['id']}/attendance", {"attended": True})
    assert attended.json()["status"] == "attended"
    other = created(
        alice.post(url(meeting), {"given_name": "R", "family_name": "J", "country": "CZ"})
    )
    assert "reason" in errors(alice.post(f"{API}/registrations/{other['id']}/reject", {}))
    rejected = alice.post(f"{API}/registrations/{other['id']}/reject", {"reason": "Full."})
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["decision_reason"] == "Full."
    promote = alice.post(f"{API}/registrations/{other['id']}/promote")
    assert "status" in errors(promote)


def test_the_list_runs_a_fixed_number_of_queries(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting(capacity=100)
    alice = caller(world.alice)
    for i in range(3):
        created(
            alice.post(
                url(meeting),
                {"given_name": "A", "family_name": f"N{i}", "country": "CZ" if i % 2 else "LT"},
            )
        )
    few, _r = count_queries(lambda: alice.get(url(meeting)))
    for i in range(3, 15):
        created(
            alice.post(
                url(meeting), {"given_name": "A", "family_name": f"N{i}", "organisation": "icmpd"}
            )
        )
    many, response = count_queries(lambda: alice.get(url(meeting)))
    assert response.json()["count"] == 15
    assert many == few
    assert Country.objects.filter(code="CZ").exists()
