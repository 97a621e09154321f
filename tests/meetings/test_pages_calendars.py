"""Calendar files: one meeting, a dialogue's meetings and a person's private feed."""

from __future__ import annotations

from typing import Any

import icalendar
import pytest

from dialogos.meetings import services
from dialogos.meetings.models import Meeting
from tests.meetings.conftest import wall

pytestmark = pytest.mark.django_db

CALENDAR = "text/calendar; charset=utf-8"
REASON = {"en": "New dates.", "ru": "Новые даты."}


def events(response: Any) -> list[Any]:
    assert response.status_code == 200
    assert response["Content-Type"] == CALENDAR
    return list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))


def test_a_meetings_calendar_keeps_its_uid_and_raises_its_sequence(
    world: Any, make_meeting: Any
) -> None:
    meeting = make_meeting(title={"en": "Workshop", "ru": "Семинар"})
    client = world.client_for(None)

    [before] = events(client.get(f"/en/meetings/{meeting.pk}/calendar.ics"))
    services.change_meeting_schedule(
        actor=world.alice,
        meeting=meeting,
        action="reschedule",
        reason=REASON,
        start=wall(2032, 3, 1, 9),
        end=wall(2032, 3, 1, 17),
    )
    [after] = events(client.get(f"/ru/meetings/{meeting.pk}/calendar.ics"))

    assert str(before["UID"]) == str(after["UID"]) == Meeting.objects.get().ical_uid
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert str(before["SUMMARY"]) == "Workshop"
    assert str(after["SUMMARY"]) == "Семинар"


@pytest.mark.parametrize("who", [None, "frank", "bob"])
def test_a_hidden_meetings_calendar_is_not_found(
    world: Any, make_meeting: Any, who: str | None
) -> None:
    meeting = make_meeting(access_level="secretariat")
    client = world.client_for(getattr(world, who) if who else None)

    assert client.get(f"/en/meetings/{meeting.pk}/calendar.ics").status_code == 404


def test_the_secretariat_gets_a_hidden_meetings_calendar(world: Any, make_meeting: Any) -> None:
    meeting = make_meeting(access_level="secretariat")
    assert events(world.client_for(world.olga).get(f"/en/meetings/{meeting.pk}/calendar.ics"))


def test_a_dialogues_calendar_has_the_meetings_the_caller_may_see(
    world: Any, make_meeting: Any
) -> None:
    make_meeting(title={"en": "Open workshop"})
    make_meeting(title={"en": "Members briefing"}, access_level="members")
    make_meeting(title={"en": "Internal planning"}, access_level="secretariat")
    url = "/en/meetings/dialogue/prague-process.ics"

    def summaries(user: Any) -> set[str]:
        return {str(e["SUMMARY"]) for e in events(world.client_for(user).get(url))}

    assert summaries(None) == {"Open workshop"}
    assert summaries(world.dan) == {"Open workshop", "Members briefing"}
    assert summaries(world.alice) == {"Open workshop", "Members briefing", "Internal planning"}
    assert world.client_for(None).get("/en/meetings/dialogue/nope.ics").status_code == 404


def test_a_personal_feed_lists_ones_own_meetings_behind_a_secret_address(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    mine = make_meeting(title={"en": "Mine"})
    make_meeting(title={"en": "Not mine"})
    services.add_registration(
        actor=world.alice, meeting=mine, person=make_person("Dan", user=world.dan), country=None
    )
    token = services.calendar_feed_for(user=world.dan).token

    response = world.client_for(None).get(f"/en/meetings/feed/{token}.ics")

    assert {str(e["SUMMARY"]) for e in events(response)} == {"Mine"}
    assert "private" in response["Cache-Control"]
    assert world.client_for(None).get("/en/meetings/feed/not-a-token.ics").status_code == 404


def test_a_rotated_feed_address_stops_working(world: Any) -> None:
    old = services.calendar_feed_for(user=world.dan).token
    new = services.rotate_calendar_feed(user=world.dan).token

    assert world.client_for(None).get(f"/en/meetings/feed/{old}.ics").status_code == 404
    assert world.client_for(None).get(f"/en/meetings/feed/{new}.ics").status_code == 200
