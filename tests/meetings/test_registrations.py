"""Nominations, applications, decisions, capacity and quotas, the waiting list."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dialogos.core.models import AuditEntry, Country
from dialogos.meetings import services
from dialogos.meetings.models import Meeting, Notification, Registration
from dialogos.people.models import Person
from tests.meetings.conftest import outbox_to, parse_calendar

Status = Registration.Status


def country(code: str) -> Country:
    return Country.objects.get(code=code)


def test_a_focal_point_nominates_delegates_of_his_own_state(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting(registration_mode=Meeting.RegistrationMode.INVITATION)
    delegate = make_person(country="CZ")
    registration = services.nominate_delegate(
        actor=world.bob, meeting=meeting, person=delegate, country=country("CZ")
    )
    assert registration.status == Status.CONFIRMED
    assert registration.channel == Registration.Channel.NOMINATION
    assert registration.nominated_by == world.bob
    assert services.nominable_countries(user=world.bob, meeting=meeting) == {"CZ"}


def test_a_focal_point_cannot_nominate_for_another_state(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting(registration_mode=Meeting.RegistrationMode.INVITATION)
    lithuanian = make_person(country="LT")
    with pytest.raises(PermissionDenied):
        services.nominate_delegate(
            actor=world.bob, meeting=meeting, person=lithuanian, country=country("LT")
        )
    for nobody in (world.carol, world.dan, world.frank, world.erin):
        with pytest.raises(PermissionDenied):
            services.nominate_delegate(
                actor=nobody, meeting=meeting, person=lithuanian, country=country("LT")
            )
    assert not Registration.objects.exists()


def test_registering_the_same_person_twice_is_refused(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting()
    person = make_person()
    services.nominate_delegate(
        actor=world.bob, meeting=meeting, person=person, country=country("CZ")
    )
    with pytest.raises(ValidationError) as caught:
        services.add_registration(actor=world.alice, meeting=meeting, person=person)
    assert "person" in caught.value.message_dict
    assert "already registered" in caught.value.message_dict["person"][0]
    assert Registration.objects.count() == 1


def test_a_withdrawn_person_may_register_again(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting()
    person = make_person()
    first = services.add_registration(actor=world.alice, meeting=meeting, person=person)
    services.withdraw_registration(actor=world.alice, registration=first)
    again = services.add_registration(actor=world.alice, meeting=meeting, person=person)
    assert again.pk != first.pk and again.status == Status.CONFIRMED


def test_capacity_is_never_exceeded_and_the_rest_wait_in_order(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting(capacity=3)
    people = [make_person(country=None) for _ in range(5)]
    regs = [services.add_registration(actor=world.alice, meeting=meeting, person=p) for p in people]
    assert [r.status for r in regs] == [Status.CONFIRMED] * 3 + [Status.WAITING] * 2
    assert [r.waiting_position for r in regs[3:]] == [1, 2]
    assert services.seats_summary(meeting)["free"] == 0


def test_a_states_quota_sends_its_extra_delegates_to_the_waiting_list(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting(capacity=10, seats_per_state=2)
    services.set_state_quota(actor=world.alice, meeting=meeting, country=country("LT"), seats=1)
    cz = [
        services.nominate_delegate(
            actor=world.bob,
            meeting=meeting,
            person=make_person(country="CZ"),
            country=country("CZ"),
        )
        for _ in range(3)
    ]
    lt = [
        services.add_registration(
            actor=world.alice,
            meeting=meeting,
            person=make_person(country="LT"),
            country=country("LT"),
        )
        for _ in range(2)
    ]
    assert [r.status for r in cz] == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITING]
    assert [r.status for r in lt] == [Status.CONFIRMED, Status.WAITING]
    summary = services.seats_summary(meeting)
    assert summary["per_state"]["CZ"] == {"taken": 2, "quota": 2}
    assert summary["per_state"]["LT"] == {"taken": 1, "quota": 1}


def test_an_organisations_seats_are_limited_too(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting(seats_per_organisation=1)
    first, second = (
        services.add_registration(
            actor=world.alice,
            meeting=meeting,
            person=make_person(country=None),
            organisation=world.icmpd,
        )
        for _ in range(2)
    )
    assert (first.status, second.status) == (Status.CONFIRMED, Status.WAITING)


def test_a_freed_seat_goes_to_the_first_waiting_whose_quota_allows_and_is_told_once(
    world: Any, make_meeting: Any, make_person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting(capacity=2, seats_per_state=1)
    with django_capture_on_commit_callbacks(execute=True):
        cz1 = services.add_registration(
            actor=world.alice,
            meeting=meeting,
            person=make_person(country="CZ"),
            country=country("CZ"),
        )
        lt1 = services.add_registration(
            actor=world.alice,
            meeting=meeting,
            person=make_person(country="LT"),
            country=country("LT"),
        )
        cz2 = services.add_registration(
            actor=world.alice,
            meeting=meeting,
            person=make_person(country="CZ"),
            country=country("CZ"),
        )
        lt2 = services.add_registration(
            actor=world.alice,
            meeting=meeting,
            person=make_person(country="LT"),
            country=country("LT"),
        )
    assert (cz2.status, lt2.status) == (Status.WAITING, Status.WAITING)
    mail.outbox.clear()

    # Lithuania's seat frees: cz2 is first in line but Czechia's quota is full, so lt2 moves up.
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_registration(actor=world.alice, registration=lt1)
    cz2.refresh_from_db()
    lt2.refresh_from_db()
    assert cz2.status == Status.WAITING
    assert lt2.status == Status.CONFIRMED and lt2.waiting_position is None
    told = outbox_to(lt2.person.email)
    assert len(told) == 1 and "seat is free" in told[0].subject
    assert str(parse_calendar(told[0]).walk("VEVENT")[0]["UID"]) == meeting.ical_uid

    # Then Czechia's seat frees: cz2 moves up.
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_registration(actor=world.alice, registration=cz1, reason="Not an official.")
    cz2.refresh_from_db()
    assert cz2.status == Status.CONFIRMED
    # Promotion attempted again: nobody is told twice.
    with django_capture_on_commit_callbacks(execute=True):
        services.promote_waiting_list(actor=world.alice, meeting=meeting)
    assert len(outbox_to(lt2.person.email)) == 1
    assert len(outbox_to(cz2.person.email)) == 1
    assert Notification.objects.filter(kind=Notification.Kind.PROMOTED).count() == 2


def test_the_waiting_list_is_served_in_order(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting(capacity=1)
    holder = services.add_registration(actor=world.alice, meeting=meeting, person=make_person())
    waiting = [
        services.add_registration(actor=world.alice, meeting=meeting, person=make_person())
        for _ in range(3)
    ]
    services.withdraw_registration(actor=world.alice, registration=holder)
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == [Status.CONFIRMED, Status.WAITING, Status.WAITING]
    services.withdraw_registration(actor=world.alice, registration=waiting[0])
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == [Status.WITHDRAWN, Status.CONFIRMED, Status.WAITING]


def test_promoting_a_withdrawn_person_is_refused(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting(capacity=1)
    services.add_registration(actor=world.alice, meeting=meeting, person=make_person())
    waiting = services.add_registration(actor=world.alice, meeting=meeting, person=make_person())
    services.withdraw_registration(actor=world.alice, registration=waiting)
    with pytest.raises(ValidationError) as caught:
        services.promote_registration(actor=world.alice, registration=waiting)
    assert "status" in caught.value.message_dict
    assert "withdrawn" in caught.value.message_dict["status"][0]
    waiting.refresh_from_db()
    assert waiting.status == Status.WITHDRAWN


def test_the_secretariat_promotes_out_of_turn_only_when_a_seat_is_free(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting(capacity=1)
    services.add_registration(actor=world.alice, meeting=meeting, person=make_person())
    waiting = services.add_registration(actor=world.alice, meeting=meeting, person=make_person())
    with pytest.raises(ValidationError):
        services.promote_registration(actor=world.alice, registration=waiting)
    services.update_meeting(actor=world.alice, meeting=meeting, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED  # a raised capacity fills from the list


def test_the_secretariat_approves_and_rejects_with_a_reason(
    world: Any, make_meeting: Any, make_person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting(
        requires_approval=True, registration_mode=Meeting.RegistrationMode.INVITATION
    )
    with django_capture_on_commit_callbacks(execute=True):
        a = services.nominate_delegate(
            actor=world.bob, meeting=meeting, person=make_person(), country=country("CZ")
        )
        b = services.nominate_delegate(
            actor=world.bob, meeting=meeting, person=make_person(), country=country("CZ")
        )
    assert (a.status, b.status) == (Status.PENDING, Status.PENDING)
    assert "received" in outbox_to(a.person.email)[0].subject
    with pytest.raises(PermissionDenied):
        services.approve_registration(actor=world.bob, registration=a)
    with pytest.raises(ValidationError) as caught:
        services.reject_registration(actor=world.alice, registration=b, reason="  ")
    assert "reason" in caught.value.message_dict
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_registration(actor=world.alice, registration=a)
        services.reject_registration(
            actor=world.alice, registration=b, reason="The delegation is complete."
        )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == Status.CONFIRMED and a.decided_by == world.alice
    assert b.status == Status.REJECTED and b.decision_reason == "The delegation is complete."
    (confirmed,) = outbox_to(a.person.email)
    assert "confirmed" in confirmed.subject
    assert parse_calendar(confirmed)["METHOD"] == "REQUEST"
    (rejected,) = outbox_to(b.person.email)
    assert "The delegation is complete." in rejected.body
    assert AuditEntry.objects.filter(verb="reject registration").count() == 1
    with pytest.raises(ValidationError):
        services.approve_registration(actor=world.alice, registration=b)


def test_people_apply_where_the_meeting_allows_it(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    make_person(user=world.dan, country="LT")
    make_person(user=world.frank, country="HU")
    invitation_only = make_meeting(registration_mode=Meeting.RegistrationMode.INVITATION)
    members_only = make_meeting(registration_mode=Meeting.RegistrationMode.MEMBERS)
    open_meeting = make_meeting(registration_mode=Meeting.RegistrationMode.OPEN)
    with pytest.raises(ValidationError) as caught:
        services.apply_to_meeting(actor=world.dan, meeting=invitation_only)
    assert "registration_mode" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.apply_to_meeting(actor=world.frank, meeting=members_only)
    mine = services.apply_to_meeting(actor=world.dan, meeting=members_only)
    assert mine.user == world.dan and mine.country_id == "LT"
    assert mine.channel == Registration.Channel.APPLICATION
    assert (
        services.apply_to_meeting(actor=world.frank, meeting=open_meeting).status
        == Status.CONFIRMED
    )
    with pytest.raises(ValidationError) as caught:
        services.apply_to_meeting(actor=world.carol, meeting=open_meeting)  # no person record
    assert "person" in caught.value.message_dict


def test_applications_outside_the_registration_period_are_refused(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    make_person(user=world.dan, country="LT")
    closed = make_meeting(
        registration_closes=timezone.now() - datetime.timedelta(days=1),
        registration_opens=timezone.now() - datetime.timedelta(days=5),
    )
    with pytest.raises(ValidationError) as caught:
        services.apply_to_meeting(actor=world.dan, meeting=closed)
    assert "not open" in caught.value.message_dict["meeting"][0]
    # The secretariat may still add people.
    services.add_registration(
        actor=world.alice, meeting=closed, person=Person.objects.get(user=world.dan)
    )


def test_registrants_withdraw_and_change_until_the_deadline_only(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    make_person(user=world.dan, country="LT")
    meeting = make_meeting(changes_deadline=timezone.now() + datetime.timedelta(days=2))
    mine = services.apply_to_meeting(actor=world.dan, meeting=meeting, needs_diet="vegetarian")
    services.update_registration(actor=world.dan, registration=mine, needs_visa_letter=True)
    with pytest.raises(PermissionDenied):
        services.withdraw_registration(actor=world.bob, registration=mine)  # not his state
    with pytest.raises(ValidationError) as caught:
        services.update_registration(actor=world.dan, registration=mine, status="confirmed")
    assert "status" in caught.value.message_dict
    Meeting.objects.filter(pk=meeting.pk).update(
        changes_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError):
        services.withdraw_registration(actor=world.dan, registration=mine)
    with pytest.raises(ValidationError):
        services.update_registration(actor=world.dan, registration=mine, needs_diet="none")
    # The choice of visibility stays the registrant's at any time.
    services.update_registration(actor=world.dan, registration=mine, visibility="nobody")
    mine.refresh_from_db()
    assert (mine.needs_diet, mine.needs_visa_letter, mine.visibility) == (
        "vegetarian",
        True,
        "nobody",
    )
    services.withdraw_registration(actor=world.alice, registration=mine)  # the secretariat may


def test_a_state_has_one_head_of_delegation(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting()
    services.nominate_delegate(
        actor=world.bob,
        meeting=meeting,
        person=make_person(),
        country=country("CZ"),
        delegation_role=Registration.DelegationRole.HEAD,
    )
    with pytest.raises(ValidationError) as caught:
        services.nominate_delegate(
            actor=world.bob,
            meeting=meeting,
            person=make_person(),
            country=country("CZ"),
            delegation_role=Registration.DelegationRole.HEAD,
        )
    assert "delegation_role" in caught.value.message_dict


def test_attendance_is_recorded_once_the_meeting_began(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    upcoming = make_meeting()
    r = services.add_registration(actor=world.alice, meeting=upcoming, person=make_person())
    with pytest.raises(ValidationError):
        services.record_attendance(actor=world.alice, registration=r, attended=True)
    started = make_meeting(start=timezone.now() - datetime.timedelta(hours=1))
    r = services.add_registration(actor=world.alice, meeting=started, person=make_person())
    assert (
        services.record_attendance(actor=world.alice, registration=r, attended=False).status
        == Status.NO_SHOW
    )
