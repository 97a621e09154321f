"""Creating and changing meetings: validation, calendar revisions, rights, queries, access."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dialogos.core import access
from dialogos.core.models import AuditEntry, Country
from dialogos.meetings import services
from dialogos.meetings.models import Meeting
from tests.meetings.conftest import wall

NOW = timezone.now()


def test_naive_times_are_wall_clock_times_in_the_meetings_zone(world: Any) -> None:
    meeting = services.create_meeting(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Ministerial Conference", "ru": "Министерская конференция"},
        start=wall(2030, 10, 24, 9, 0),
        end=wall(2030, 10, 25, 18, 0),
        time_zone="Europe/Prague",
        host_states=["CZ"],
    )
    meeting.refresh_from_db()
    assert meeting.start == datetime.datetime(2030, 10, 24, 7, 0, tzinfo=datetime.UTC)
    assert meeting.local_start().hour == 9
    assert list(meeting.host_states.values_list("code", flat=True)) == ["CZ"]
    assert meeting.ical_uid.endswith("@dialogos") and meeting.ical_sequence == 0
    assert AuditEntry.objects.filter(verb="create meeting", object_id=str(meeting.pk)).exists()


def test_a_meeting_that_ends_before_it_starts_is_refused_and_nothing_is_saved(world: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_meeting(
            actor=world.alice,
            dialogue=world.pp,
            title={"en": "Backwards"},
            start=NOW + datetime.timedelta(days=3),
            end=NOW + datetime.timedelta(days=2),
        )
    assert "end" in caught.value.message_dict
    assert "after it starts" in caught.value.message_dict["end"][0]
    assert not Meeting.objects.exists()
    assert not AuditEntry.objects.filter(verb="create meeting").exists()


def test_an_unknown_time_zone_is_refused_by_name(world: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_meeting(
            actor=world.alice,
            dialogue=world.pp,
            title={"en": "Somewhere"},
            start=wall(2030, 1, 1, 9),
            end=wall(2030, 1, 1, 17),
            time_zone="Europe/Atlantis",
        )
    assert "time_zone" in caught.value.message_dict
    assert "Europe/Atlantis" in caught.value.message_dict["time_zone"][0]
    with pytest.raises(ValidationError) as caught:
        services.create_meeting(
            actor=world.alice,
            dialogue=world.pp,
            title={"en": "Somewhere"},
            start=NOW,
            end=NOW + datetime.timedelta(hours=2),
            time_zone="../../etc/passwd",
        )
    assert "time_zone" in caught.value.message_dict
    assert not Meeting.objects.exists()


def test_seats_per_state_above_capacity_are_refused(world: Any, make_meeting: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        make_meeting(capacity=10, seats_per_state=12)
    assert "seats_per_state" in caught.value.message_dict
    meeting = make_meeting(capacity=10, seats_per_state=2)
    with pytest.raises(ValidationError) as caught:
        services.set_state_quota(
            actor=world.alice, meeting=meeting, country=Country.objects.get(code="CZ"), seats=11
        )
    assert "seats" in caught.value.message_dict
    assert "exceeds" in caught.value.message_dict["seats"][0]
    assert not meeting.state_quotas.exists()


def test_capacity_cannot_drop_below_a_states_quota(world: Any, make_meeting: Any) -> None:
    meeting = make_meeting(capacity=10)
    services.set_state_quota(
        actor=world.alice, meeting=meeting, country=Country.objects.get(code="CZ"), seats=8
    )
    with pytest.raises(ValidationError) as caught:
        services.update_meeting(actor=world.alice, meeting=meeting, capacity=5)
    assert "capacity" in caught.value.message_dict
    meeting.refresh_from_db()
    assert meeting.capacity == 10


def test_only_the_dialogues_secretariat_creates_meetings(world: Any) -> None:
    for outsider in (world.bob, world.erin, world.frank, None):
        with pytest.raises(PermissionDenied):
            services.create_meeting(
                actor=outsider,
                dialogue=world.pp,
                title={"en": "Not mine"},
                start=NOW,
                end=NOW + datetime.timedelta(hours=1),
            )
    services.create_meeting(
        actor=world.olga,
        dialogue=world.pp,
        title={"en": "Operator's"},
        start=NOW,
        end=NOW + datetime.timedelta(hours=1),
    )


def test_changing_what_calendars_show_raises_the_sequence(world: Any, make_meeting: Any) -> None:
    meeting = make_meeting()
    services.update_meeting(actor=world.alice, meeting=meeting, objectives={"en": "Talk."})
    meeting.refresh_from_db()
    assert meeting.ical_sequence == 0
    services.update_meeting(actor=world.alice, meeting=meeting, city={"en": "Prague"})
    meeting.refresh_from_db()
    assert meeting.ical_sequence == 1


def test_cancelling_goes_through_a_change_of_schedule(world: Any, make_meeting: Any) -> None:
    meeting = make_meeting()
    with pytest.raises(ValidationError) as caught:
        services.update_meeting(actor=world.alice, meeting=meeting, status=Meeting.Status.CANCELLED)
    assert "status" in caught.value.message_dict


def test_dates_of_a_meeting_with_registrants_move_only_by_a_change_of_schedule(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting()
    person = make_person()
    services.add_registration(actor=world.alice, meeting=meeting, person=person)
    with pytest.raises(ValidationError) as caught:
        services.update_meeting(
            actor=world.alice,
            meeting=meeting,
            start=meeting.start + datetime.timedelta(days=1),
            end=meeting.end + datetime.timedelta(days=1),
        )
    assert set(caught.value.message_dict) & {"start", "end"}


def test_upcoming_and_past_split_at_now_and_hide_cancelled_from_upcoming(
    world: Any, make_meeting: Any
) -> None:
    past = make_meeting(start=NOW - datetime.timedelta(days=10), title={"en": "Past"})
    soon = make_meeting(start=NOW + datetime.timedelta(days=1), title={"en": "Soon"})
    later = make_meeting(start=NOW + datetime.timedelta(days=9), title={"en": "Later"})
    gone = make_meeting(start=NOW + datetime.timedelta(days=5), title={"en": "Gone"})
    services.change_meeting_schedule(
        actor=world.alice, meeting=gone, action="cancel", reason={"en": "No", "ru": "Нет"}
    )
    assert list(Meeting.objects.upcoming()) == [soon, later]
    assert list(Meeting.objects.past()) == [past]


def test_filters_by_dialogue_type_level_year_and_country(world: Any, make_meeting: Any) -> None:
    a = make_meeting(
        type=Meeting.Type.WORKSHOP,
        level=Meeting.Level.EXPERTS,
        start=datetime.datetime(2031, 5, 1, 9, tzinfo=datetime.UTC),
        country=Country.objects.get(code="CZ"),
    )
    b = make_meeting(
        type=Meeting.Type.MINISTERIAL,
        level=Meeting.Level.MINISTERIAL,
        start=datetime.datetime(2032, 5, 1, 9, tzinfo=datetime.UTC),
        host_states=["LT"],
    )
    c = services.create_meeting(
        actor=world.erin,
        dialogue=world.bp,
        title={"en": "Budapest"},
        start=wall(2031, 6, 1, 9),
        end=wall(2031, 6, 1, 17),
    )
    qs = Meeting.objects.all()
    assert set(qs.for_dialogue(world.pp)) == {a, b}
    assert list(qs.of_type(Meeting.Type.WORKSHOP)) == [a]
    assert list(qs.at_level(Meeting.Level.MINISTERIAL)) == [b]
    assert set(qs.in_year(2031)) == {a, c}
    assert list(qs.in_country("cz")) == [a]
    assert list(qs.in_country("LT")) == [b]
    assert qs.for_dialogue(world.pp).years() == [2032, 2031]


def test_a_group_meeting_is_seen_by_its_registrants_and_the_secretariat_only(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting(access_level="group")
    person = make_person(user=world.dan, country="LT")
    qs = Meeting.objects.filter(pk=meeting.pk)
    assert not access.can_view(world.dan, meeting)
    assert not access.visible(world.dan, qs).exists()
    registration = services.add_registration(actor=world.alice, meeting=meeting, person=person)
    access.forget(world.dan)
    assert access.can_view(world.dan, meeting)
    assert access.visible(world.dan, qs).exists()
    assert access.can_view(world.alice, meeting)
    for outsider in (world.bob, world.frank, world.erin, None):
        assert not access.can_view(outsider, meeting)
        assert not access.visible(outsider, qs).exists()
    services.withdraw_registration(actor=world.alice, registration=registration)
    assert not access.can_view(world.dan, meeting)
