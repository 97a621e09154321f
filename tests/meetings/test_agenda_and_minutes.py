"""Agenda days and sessions in the meeting's zone; minutes keep every revision."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from dialogos.core import access
from dialogos.meetings import services
from dialogos.meetings.models import AgendaSession
from tests.meetings.conftest import wall


def test_sessions_are_wall_clock_times_in_the_meetings_zone(world: Any, make_person: Any) -> None:
    meeting = services.create_meeting(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "SOM"},
        start=wall(2030, 4, 27, 9),
        end=wall(2030, 4, 28, 17),
        time_zone="Europe/Lisbon",
    )
    with pytest.raises(ValidationError) as caught:
        services.save_agenda_day(actor=world.alice, meeting=meeting, date=datetime.date(2030, 5, 1))
    assert "date" in caught.value.message_dict
    day = services.save_agenda_day(
        actor=world.alice, meeting=meeting, date=datetime.date(2030, 4, 27), title={"en": "Day 1"}
    )
    chair = make_person("Chair", country="CZ")
    session = services.save_agenda_session(
        actor=world.alice,
        meeting=meeting,
        day=day,
        start_time=datetime.time(10, 0),
        end_time=datetime.time(11, 30),
        title={"en": "Opening", "ru": "Открытие"},
        chairs=[chair],
    )
    assert session.starts_at() == datetime.datetime(2030, 4, 27, 9, 0, tzinfo=datetime.UTC)
    assert list(session.chairs.all()) == [chair]
    with pytest.raises(ValidationError) as caught:
        services.save_agenda_session(
            actor=world.alice,
            meeting=meeting,
            day=day,
            start_time=datetime.time(12, 0),
            end_time=datetime.time(11, 0),
            title={"en": "Backwards"},
        )
    assert "end_time" in caught.value.message_dict
    # A session inherits the meeting's access unless set.
    assert access.visible(None, AgendaSession.objects.all()).count() == 1
    services.update_meeting(actor=world.alice, meeting=meeting, access_level="members")
    assert access.visible(None, AgendaSession.objects.all()).count() == 0
    assert access.visible(world.bob, AgendaSession.objects.all()).count() == 1


def test_minutes_keep_their_revision_history(world: Any, make_meeting: Any) -> None:
    meeting = make_meeting()
    services.save_minutes(actor=world.alice, meeting=meeting, text={"en": "Draft."})
    services.save_minutes(
        actor=world.alice, meeting=meeting, text={"en": "Final.", "ru": "Итог."}, note="agreed"
    )
    minutes = meeting.minutes
    current = minutes.current()
    assert current is not None and current.number == 2 and current.text["ru"] == "Итог."
    assert [r.number for r in minutes.revisions.all()] == [2, 1]
    with pytest.raises(ValidationError):
        services.save_minutes(actor=world.alice, meeting=meeting, text={"xx": "?"})
    assert minutes.revisions.count() == 2
