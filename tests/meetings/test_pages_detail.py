"""One meeting's page: its facts, agenda, documents, participants, history and Event data."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogos.core.models import Country
from dialogos.meetings import services
from dialogos.meetings.models import Meeting, Registration
from tests.meetings.conftest import wall

pytestmark = pytest.mark.django_db

REASON = {"en": "Because of the pandemic.", "ru": "В связи с пандемией."}


def json_ld(response: Any) -> dict[str, Any]:
    found = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(found) == 1
    data = json.loads(found[0])
    assert isinstance(data, dict)
    return data


@pytest.fixture
def conference(world: Any, make_meeting: Any) -> Meeting:
    cz = Country.objects.get(code="CZ")
    return make_meeting(
        title={"en": "5th Ministerial Conference", "ru": "5-я министерская конференция"},
        objectives={"en": "To adopt the **new action plan**.", "ru": "Принять новый план."},
        type=Meeting.Type.MINISTERIAL,
        level=Meeting.Level.MINISTERIAL,
        venue={"en": "Czernin Palace", "ru": "Чернинский дворец"},
        city={"en": "Prague", "ru": "Прага"},
        country=cz,
        host_states=[cz],
        occasion={"en": "Official event of the Czech EU Presidency"},
        start=wall(2031, 10, 24, 9, 0),
        end=wall(2031, 10, 25, 18, 0),
        time_zone="Europe/Prague",
    )


def test_it_shows_the_meeting_in_english(world: Any, conference: Meeting) -> None:
    html = world.client_for(None).get(f"/en/meetings/{conference.pk}/").content.decode()

    assert "5th Ministerial Conference" in html
    assert "<strong>new action plan</strong>" in html
    assert "Ministerial conference" in html
    assert "Czernin Palace" in html and "Prague" in html and "Czechia" in html
    assert "Official event of the Czech EU Presidency" in html
    assert "24–25 October 2031" in html
    assert "from 09:00 to 18:00 CEST, Europe/Prague time" in html
    assert f'href="/en/meetings/{conference.pk}/calendar.ics"' in html
    assert 'href="/en/meetings/dialogue/prague-process.ics"' in html


def test_it_shows_the_meeting_in_russian(world: Any, conference: Meeting) -> None:
    html = world.client_for(None).get(f"/ru/meetings/{conference.pk}/").content.decode()

    assert "5-я министерская конференция" in html
    assert "Чернинский дворец" in html and "Прага" in html
    assert "24–25 октября 2031" in html


def test_it_offers_event_data_for_search_engines(world: Any, conference: Meeting) -> None:
    data = json_ld(world.client_for(None).get(f"/en/meetings/{conference.pk}/"))

    assert data["@type"] == "Event"
    assert data["name"] == "5th Ministerial Conference"
    assert data["startDate"] == "2031-10-24T09:00:00+02:00"
    assert data["endDate"] == "2031-10-25T18:00:00+02:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Prague",
        "addressCountry": "CZ",
    }
    assert data["organizer"]["name"] == "International Centre for Migration Policy Development"


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("cancel", "https://schema.org/EventCancelled"),
        ("postpone", "https://schema.org/EventPostponed"),
        ("reschedule", "https://schema.org/EventRescheduled"),
        ("move_online", "https://schema.org/EventMovedOnline"),
    ],
)
def test_event_data_follows_the_schedule(
    world: Any, conference: Meeting, action: str, status: str
) -> None:
    extra = {}
    if action == "reschedule":
        extra = {"start": wall(2031, 11, 20, 9), "end": wall(2031, 11, 21, 18)}
    services.change_meeting_schedule(
        actor=world.alice, meeting=conference, action=action, reason=REASON, **extra
    )

    response = world.client_for(None).get(f"/ru/meetings/{conference.pk}/")
    data = json_ld(response)

    assert data["eventStatus"] == status
    html = response.content.decode()
    assert "В связи с пандемией." in html  # the history with its reason, in the page's language
    if action == "reschedule":
        assert data["startDate"] == "2031-11-20T09:00:00+01:00"
        assert data["previousStartDate"] == "2031-10-24T09:00:00+02:00"
    if action == "move_online":
        assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
        assert data["location"]["@type"] == "VirtualLocation"


def test_event_data_never_carries_the_link_to_join(world: Any, make_meeting: Any) -> None:
    meeting = make_meeting(
        format=Meeting.Format.HYBRID,
        online_url="https://meet.example.org/secret-room",
        city={"en": "Vienna"},
        country=Country.objects.get(code="AT"),
    )
    response = world.client_for(None).get(f"/en/meetings/{meeting.pk}/")
    data = json_ld(response)

    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [place["@type"] for place in data["location"]] == ["Place", "VirtualLocation"]
    assert "secret-room" not in response.content.decode()


def test_it_shows_the_agenda_with_chairs_speakers_and_visible_documents(
    world: Any, conference: Meeting, make_person: Any
) -> None:
    day = services.save_agenda_day(
        actor=world.alice, meeting=conference, date=datetime.date(2031, 10, 24)
    )
    session = services.save_agenda_session(
        actor=world.alice,
        meeting=conference,
        day=day,
        start_time=datetime.time(9, 30),
        end_time=datetime.time(11, 0),
        title={"en": "Opening session", "ru": "Открытие"},
        chairs=[make_person("Novak", given_name="Jana")],
        speakers=[make_person("Kowalski", given_name="Piotr")],
    )
    services.save_agenda_session(
        actor=world.alice,
        meeting=conference,
        day=day,
        start_time=datetime.time(14, 0),
        title={"en": "Closed session of the secretariat"},
        access_level="secretariat",
    )
    services.save_meeting_document(
        actor=world.alice, meeting=conference, session=session, title={"en": "Opening speech"}
    )
    services.save_meeting_document(
        actor=world.alice,
        meeting=conference,
        session=session,
        title={"en": "Speaking notes"},
        access_level="secretariat",
    )

    public = world.client_for(None).get(f"/en/meetings/{conference.pk}/").content.decode()
    secretariat = world.client_for(world.alice).get(f"/en/meetings/{conference.pk}/")

    assert "Opening session" in public and "09:30–11:00" in public
    assert "Jana Novak" in public and "Piotr Kowalski" in public
    assert "Opening speech" in public
    assert "Speaking notes" not in public
    assert "Closed session of the secretariat" not in public
    assert "Speaking notes" in secretariat.content.decode()
    assert "Closed session of the secretariat" in secretariat.content.decode()


def test_it_shows_the_current_minutes_and_visible_documents(
    world: Any, conference: Meeting
) -> None:
    services.save_minutes(actor=world.alice, meeting=conference, text={"en": "First draft."})
    services.save_minutes(actor=world.alice, meeting=conference, text={"en": "Final minutes."})
    services.save_meeting_document(
        actor=world.alice, meeting=conference, title={"en": "Joint Declaration"}, kind="outcome"
    )
    services.save_meeting_document(
        actor=world.alice,
        meeting=conference,
        title={"en": "Members-only background"},
        access_level="members",
    )

    html = world.client_for(None).get(f"/en/meetings/{conference.pk}/").content.decode()
    member = world.client_for(world.dan).get(f"/en/meetings/{conference.pk}/").content.decode()

    assert "Final minutes." in html and "Revision 2" in html
    assert "First draft." not in html
    assert "Joint Declaration" in html and "Outcome document" in html
    assert "Members-only background" not in html
    assert "Members-only background" in member


def test_minutes_kept_for_the_secretariat_are_not_shown(world: Any, conference: Meeting) -> None:
    services.save_minutes(
        actor=world.alice,
        meeting=conference,
        text={"en": "Internal notes."},
        access_level="secretariat",
    )
    assert "Internal notes." not in (
        world.client_for(world.dan).get(f"/en/meetings/{conference.pk}/").content.decode()
    )


def test_it_lists_participants_as_they_chose(
    world: Any, conference: Meeting, make_person: Any
) -> None:
    cz, lt = Country.objects.get(code="CZ"), Country.objects.get(code="LT")
    for name, country, visibility in [
        ("Public", cz, Registration.Visibility.EVERYONE),
        ("Peers", lt, Registration.Visibility.PARTICIPANTS),
        ("Hidden", cz, Registration.Visibility.NOBODY),
    ]:
        services.add_registration(
            actor=world.alice,
            meeting=conference,
            person=make_person(name, country=country.code),
            country=country,
            visibility=visibility,
        )

    visitor = world.client_for(None).get(f"/en/meetings/{conference.pk}/").content.decode()
    secretariat = world.client_for(world.alice).get(f"/en/meetings/{conference.pk}/")

    assert "Test Public" in visitor
    assert "Test Peers" not in visitor and "Test Hidden" not in visitor
    assert "Test Hidden" in secretariat.content.decode()


def test_it_summarises_the_reported_attendance(world: Any, conference: Meeting) -> None:
    services.update_meeting(
        actor=world.alice, meeting=conference, reported_participants=60, reported_countries=27
    )
    html = world.client_for(None).get(f"/en/meetings/{conference.pk}/").content.decode()

    assert "60 participants from 27 countries" in html


@pytest.mark.parametrize("who", [None, "frank", "bob", "dan", "erin"])
def test_a_secretariat_meeting_is_not_found_for_others(
    world: Any, make_meeting: Any, who: str | None
) -> None:
    hidden = make_meeting(access_level="secretariat")
    client = world.client_for(getattr(world, who) if who else None)

    hidden_response = client.get(f"/en/meetings/{hidden.pk}/")
    missing_response = client.get(f"/en/meetings/{hidden.pk + 1000}/")

    assert hidden_response.status_code == 404
    assert missing_response.status_code == 404
    # The same page, apart from the address itself and the per-response CSRF token.
    assert _page(hidden_response, hidden.pk) == _page(missing_response, hidden.pk + 1000)


def _page(response: Any, pk: int) -> str:
    html = response.content.decode().replace(f"/{pk}/", "/N/")
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html)


@pytest.mark.parametrize("who", ["alice", "olga"])
def test_a_secretariat_meeting_is_shown_to_the_secretariat(
    world: Any, make_meeting: Any, who: str
) -> None:
    hidden = make_meeting(title={"en": "Internal planning"}, access_level="secretariat")
    response = world.client_for(getattr(world, who)).get(f"/en/meetings/{hidden.pk}/")

    assert response.status_code == 200
    assert "Internal planning" in response.content.decode()


def test_a_members_meeting_is_shown_to_a_delegate(world: Any, make_meeting: Any) -> None:
    meeting = make_meeting(access_level="members")

    assert world.client_for(world.dan).get(f"/en/meetings/{meeting.pk}/").status_code == 200
    assert world.client_for(world.frank).get(f"/en/meetings/{meeting.pk}/").status_code == 404


def test_a_group_meeting_is_shown_to_its_registrants(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting(access_level="group")
    person = make_person("Frank", user=world.frank)
    services.add_registration(actor=world.alice, meeting=meeting, person=person, country=None)

    assert world.client_for(world.frank).get(f"/en/meetings/{meeting.pk}/").status_code == 200
    assert world.client_for(world.dan).get(f"/en/meetings/{meeting.pk}/").status_code == 404


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_runs_a_fixed_number_of_queries(
    world: Any, conference: Meeting, make_person: Any
) -> None:
    url = f"/en/meetings/{conference.pk}/"
    client = world.client_for(world.alice)
    day = services.save_agenda_day(
        actor=world.alice, meeting=conference, date=datetime.date(2031, 10, 24)
    )

    def grow(n: int) -> None:
        session = services.save_agenda_session(
            actor=world.alice,
            meeting=conference,
            day=day,
            start_time=datetime.time(9, n),
            title={"en": f"Session {n}"},
            chairs=[make_person()],
            speakers=[make_person(), make_person()],
        )
        services.save_meeting_document(
            actor=world.alice, meeting=conference, session=session, title={"en": f"Paper {n}"}
        )
        services.save_meeting_document(
            actor=world.alice, meeting=conference, title={"en": f"Doc {n}"}
        )
        services.add_registration(
            actor=world.alice,
            meeting=conference,
            person=make_person(),
            country=Country.objects.get(code="CZ"),
            visibility=Registration.Visibility.EVERYONE,
        )

    grow(0)
    client.get(url)
    before = _count(client, url)
    for n in range(1, 21):
        grow(n)

    assert _count(client, url) == before
