"""iCalendar: one meeting, a dialogue's meetings, and a private feed that holds only what its
owner is registered for and may see."""

from __future__ import annotations

from typing import Any

import icalendar

from dialogos.meetings import calendars, services
from tests.meetings.conftest import wall


def uids(data: bytes | None) -> set[str]:
    assert data is not None
    return {str(e["UID"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def test_one_meeting_in_its_time_zone_and_language(world: Any) -> None:
    meeting = services.create_meeting(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Ministerial Conference", "ru": "Министерская конференция"},
        city={"en": "Prague", "ru": "Прага"},
        start=wall(2030, 10, 24, 9),
        end=wall(2030, 10, 25, 18),
        time_zone="Europe/Prague",
        online_url="https://meet.example.org/secret",
    )
    cal = icalendar.Calendar.from_ical(calendars.meeting_calendar(meeting, language="ru"))
    (event,) = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Министерская конференция"
    assert "Прага" in str(event["LOCATION"])
    assert event.start.hour == 9 and str(event.start.tzinfo) == "Europe/Prague"
    assert [tz.tz_name for tz in cal.timezones] == ["Europe/Prague"]
    assert "secret" not in calendars.meeting_calendar(meeting, language="en").decode()


def test_a_dialogue_calendar_holds_only_what_the_viewer_may_see(
    world: Any, make_meeting: Any
) -> None:
    public = make_meeting(access_level="public")
    members = make_meeting(access_level="members")
    secret = make_meeting(access_level="secretariat")
    other = services.create_meeting(
        actor=world.erin,
        dialogue=world.bp,
        title={"en": "Budapest"},
        start=public.start,
        end=public.end,
    )
    assert uids(calendars.dialogue_calendar(world.pp, viewer=None, language="en")) == {
        public.ical_uid
    }
    assert uids(calendars.dialogue_calendar(world.pp, viewer=world.bob, language="en")) == {
        public.ical_uid,
        members.ical_uid,
    }
    assert uids(calendars.dialogue_calendar(world.pp, viewer=world.alice, language="en")) == {
        public.ical_uid,
        members.ical_uid,
        secret.ical_uid,
    }
    assert other.ical_uid not in uids(
        calendars.dialogue_calendar(world.pp, viewer=world.alice, language="en")
    )


def test_the_private_feed_holds_only_registered_meetings_the_person_may_see(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    dan = make_person("Dan", user=world.dan, country="LT")
    registered = make_meeting(access_level="group", online_url="https://meet.example.org/x")
    not_registered = make_meeting(access_level="public")
    withdrawn_from = make_meeting(access_level="public")
    hidden = make_meeting(access_level="public")
    services.add_registration(actor=world.alice, meeting=registered, person=dan)
    gone = services.add_registration(actor=world.alice, meeting=withdrawn_from, person=dan)
    services.withdraw_registration(actor=world.alice, registration=gone)
    services.add_registration(actor=world.alice, meeting=hidden, person=dan)
    services.update_meeting(actor=world.alice, meeting=hidden, access_level="secretariat")

    feed = services.calendar_feed_for(user=world.dan)
    assert services.calendar_feed_for(user=world.dan).token == feed.token
    data = calendars.person_calendar(feed.token)
    assert uids(data) == {registered.ical_uid}
    assert data is not None and b"meet.example.org/x" in data
    assert not_registered.ical_uid not in uids(data)

    assert calendars.person_calendar("not-a-token") is None
    assert calendars.person_calendar("") is None
    old = feed.token
    services.rotate_calendar_feed(user=world.dan)
    assert calendars.person_calendar(old) is None
    world.dan.is_active = False
    world.dan.save(update_fields=["is_active"])
    assert calendars.person_calendar(services.calendar_feed_for(user=world.dan).token) is None
