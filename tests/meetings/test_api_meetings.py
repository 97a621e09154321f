"""The meetings API: the same access and filters as the pages, in both languages, with every
read matching its declared schema and lists at a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pydantic import TypeAdapter

from dialogos.api.services import create_api_token
from dialogos.core.models import Country
from dialogos.meetings import services
from dialogos.meetings.api import MeetingDetailOut, MeetingPageOut, ParticipantOut
from dialogos.meetings.models import Meeting, Registration
from tests.api.api_helpers import API, Caller
from tests.meetings.conftest import wall

pytestmark = pytest.mark.django_db

REASON = {"en": "Because of the pandemic.", "ru": "В связи с пандемией."}


def caller(user: Any | None) -> Caller:
    if user is None:
        return Caller()
    return Caller(token=create_api_token(actor=user, user=user, name="tests")[1])


def read(response: Any, schema: Any) -> Any:
    assert response.status_code == 200, response.content
    data = response.json()
    TypeAdapter(schema).validate_python(data)
    return data


@pytest.fixture
def conference(world: Any, make_meeting: Any, make_person: Any) -> Meeting:
    cz = Country.objects.get(code="CZ")
    meeting = make_meeting(
        title={"en": "5th Ministerial Conference", "ru": "5-я министерская конференция"},
        objectives={"en": "Adopt the plan.", "ru": "Принять план."},
        type=Meeting.Type.MINISTERIAL,
        level=Meeting.Level.MINISTERIAL,
        city={"en": "Prague", "ru": "Прага"},
        country=cz,
        host_states=[cz],
        start=wall(2031, 10, 24, 9, 0),
        end=wall(2031, 10, 25, 18, 0),
    )
    day = services.save_agenda_day(
        actor=world.alice, meeting=meeting, date=datetime.date(2031, 10, 24)
    )
    opening = services.save_agenda_session(
        actor=world.alice,
        meeting=meeting,
        day=day,
        start_time=datetime.time(9, 30),
        end_time=datetime.time(11, 0),
        title={"en": "Opening", "ru": "Открытие"},
        chairs=[make_person("Novak", given_name="Jana")],
    )
    services.save_agenda_session(
        actor=world.alice,
        meeting=meeting,
        day=day,
        start_time=datetime.time(14, 0),
        title={"en": "Closed session"},
        access_level="secretariat",
    )
    services.save_meeting_document(
        actor=world.alice, meeting=meeting, session=opening, title={"en": "Opening speech"}
    )
    services.save_meeting_document(
        actor=world.alice, meeting=meeting, title={"en": "Declaration"}, kind="outcome"
    )
    return meeting


def test_the_list_in_english_and_russian(world: Any, conference: Meeting) -> None:
    english = read(caller(None).get(f"{API}/meetings", lang="en"), MeetingPageOut)
    russian = read(caller(None).get(f"{API}/meetings", lang="ru"), MeetingPageOut)

    assert english["count"] == 1
    [meeting] = english["results"]
    assert meeting["title"] == "5th Ministerial Conference"
    assert meeting["title_i18n"] == {
        "en": "5th Ministerial Conference",
        "ru": "5-я министерская конференция",
    }
    assert meeting["start"] == "2031-10-24T09:00:00+02:00"
    assert meeting["time_zone"] == "Europe/Prague"
    assert meeting["url"] == f"/en/meetings/{conference.pk}/"
    assert meeting["host_states"][0]["code"] == "CZ"
    assert russian["results"][0]["title"] == "5-я министерская конференция"
    assert (
        russian["results"][0]["type_label"] == "Министерская конференция"
        or (
            russian["results"][0]["type_label"]  # label text follows the catalogue
        )
    )


def test_the_detail_carries_the_agenda_as_the_caller_may_see_it(
    world: Any, conference: Meeting
) -> None:
    public = read(caller(None).get(f"{API}/meetings/{conference.pk}", lang="ru"), MeetingDetailOut)
    secretariat = read(caller(world.alice).get(f"{API}/meetings/{conference.pk}"), MeetingDetailOut)

    [day] = public["agenda"]
    assert day["date"] == "2031-10-24"
    assert [s["title"] for s in day["sessions"]] == ["Открытие"]
    assert day["sessions"][0]["start"] == "2031-10-24T09:30:00+02:00"
    assert day["sessions"][0]["chairs"] == [{"name": "Jana Novak"}]
    assert [d["title_i18n"]["en"] for d in day["sessions"][0]["documents"]] == ["Opening speech"]
    assert [d["kind"] for d in public["documents"]] == ["outcome"]
    assert public["objectives"] == "Принять план."
    assert len(secretariat["agenda"][0]["sessions"]) == 2


def test_the_detail_shows_changes_of_schedule(world: Any, conference: Meeting) -> None:
    services.change_meeting_schedule(
        actor=world.alice, meeting=conference, action="postpone", reason=REASON
    )
    data = read(caller(None).get(f"{API}/meetings/{conference.pk}", lang="ru"), MeetingDetailOut)

    assert data["status"] == "postponed"
    [change] = data["schedule_changes"]
    assert change["action"] == "postpone"
    assert change["reason"] == "В связи с пандемией."


@pytest.mark.parametrize("who", [None, "frank", "bob", "erin"])
def test_a_secretariat_meeting_is_hidden_from_others(
    world: Any, make_meeting: Any, who: str | None
) -> None:
    hidden = make_meeting(title={"en": "Internal"}, access_level="secretariat")
    api = caller(getattr(world, who) if who else None)

    listed = read(api.get(f"{API}/meetings?when=all"), MeetingPageOut)
    detail = api.get(f"{API}/meetings/{hidden.pk}")
    missing = api.get(f"{API}/meetings/{hidden.pk + 1000}")

    assert listed["count"] == 0
    assert detail.status_code == missing.status_code == 404
    assert detail.json() == missing.json()
    assert api.get(f"{API}/meetings/{hidden.pk}/participants").status_code == 404


@pytest.mark.parametrize("who", ["alice", "olga"])
def test_a_secretariat_meeting_is_shown_to_the_secretariat(
    world: Any, make_meeting: Any, who: str
) -> None:
    hidden = make_meeting(title={"en": "Internal"}, access_level="secretariat")
    api = caller(getattr(world, who))

    assert read(api.get(f"{API}/meetings"), MeetingPageOut)["count"] == 1
    assert read(api.get(f"{API}/meetings/{hidden.pk}"), MeetingDetailOut)["title"] == "Internal"


def test_a_members_meeting_is_for_members(world: Any, make_meeting: Any) -> None:
    meeting = make_meeting(access_level="members")

    assert caller(world.dan).get(f"{API}/meetings/{meeting.pk}").status_code == 200
    assert caller(None).get(f"{API}/meetings/{meeting.pk}").status_code == 404


def test_the_session_of_a_signed_in_user_counts_too(world: Any, make_meeting: Any) -> None:
    meeting = make_meeting(access_level="members")
    api = Caller(client=world.client_for(world.dan))
    assert api.get(f"{API}/meetings/{meeting.pk}").status_code == 200


def test_filters_match_the_page(world: Any, make_meeting: Any) -> None:
    cz = Country.objects.get(code="CZ")
    make_meeting(
        title={"en": "Workshop"},
        type=Meeting.Type.WORKSHOP,
        country=cz,
        start=wall(2031, 4, 2, 9),
        end=wall(2031, 4, 2, 17),
    )
    make_meeting(
        title={"en": "Webinar"},
        type=Meeting.Type.WEBINAR,
        format=Meeting.Format.ONLINE,
        start=wall(2032, 4, 2, 9),
        end=wall(2032, 4, 2, 11),
    )

    def titles(query: str) -> list[str]:
        data = read(caller(None).get(f"{API}/meetings?{query}"), MeetingPageOut)
        return [m["title"] for m in data["results"]]

    assert titles("type=workshop") == ["Workshop"]
    assert titles("country=CZ") == ["Workshop"]
    assert titles("year=2032") == ["Webinar"]
    assert titles("dialogue=budapest-process") == []
    assert titles("when=past") == []
    assert titles("") == ["Workshop", "Webinar"]


def test_a_bad_filter_is_a_422_naming_it(world: Any) -> None:
    response = caller(None).get(f"{API}/meetings?when=soon")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "when"


def test_it_paginates(world: Any, make_meeting: Any) -> None:
    start = timezone.now() + datetime.timedelta(days=5)
    for n in range(7):
        make_meeting(title={"en": f"M{n}"}, start=start + datetime.timedelta(days=n))

    first = read(caller(None).get(f"{API}/meetings?page_size=3"), MeetingPageOut)
    last = read(caller(None).get(f"{API}/meetings?page_size=3&page=3"), MeetingPageOut)

    assert (first["count"], first["pages"], first["page"]) == (7, 3, 1)
    assert [m["title"] for m in first["results"]] == ["M0", "M1", "M2"]
    assert [m["title"] for m in last["results"]] == ["M6"]


def test_participants_as_the_caller_may_see_them(
    world: Any, conference: Meeting, make_person: Any
) -> None:
    cz = Country.objects.get(code="CZ")
    for name, visibility in [
        ("Open", Registration.Visibility.EVERYONE),
        ("Hidden", Registration.Visibility.NOBODY),
    ]:
        services.add_registration(
            actor=world.alice,
            meeting=conference,
            person=make_person(name),
            country=cz,
            visibility=visibility,
            delegation_role=Registration.DelegationRole.HEAD if name == "Open" else "delegate",
        )
    url = f"{API}/meetings/{conference.pk}/participants"

    public = read(caller(None).get(url, lang="ru"), list[ParticipantOut])
    secretariat = read(caller(world.alice).get(url), list[ParticipantOut])

    assert [p["name"] for p in public] == ["Test Open"]
    assert public[0]["country"]["name"] == "Чехия"
    assert public[0]["delegation_role"] == "head"
    assert {p["name"] for p in secretariat} == {"Test Open", "Test Hidden"}


def _count(api: Caller, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", [None, "dan"])
def test_reads_run_a_fixed_number_of_queries(
    world: Any, conference: Meeting, make_meeting: Any, make_person: Any, who: str | None
) -> None:
    api = caller(getattr(world, who) if who else None)
    urls = [
        f"{API}/meetings?when=all",
        f"{API}/meetings/{conference.pk}",
        f"{API}/meetings/{conference.pk}/participants",
    ]
    api.get(urls[0])  # the token's first use is recorded once; measure after it
    before = [_count(api, url) for url in urls]
    cz, lt = Country.objects.get(code="CZ"), Country.objects.get(code="LT")
    day = conference.agenda_days.get()
    for n in range(20):
        make_meeting(title={"en": f"More {n}"}, country=cz, host_states=[cz, lt])
        session = services.save_agenda_session(
            actor=world.alice,
            meeting=conference,
            day=day,
            start_time=datetime.time(12, n),
            title={"en": f"Session {n}"},
            speakers=[make_person(), make_person()],
        )
        services.save_meeting_document(
            actor=world.alice, meeting=conference, session=session, title={"en": f"Paper {n}"}
        )
        services.add_registration(
            actor=world.alice,
            meeting=conference,
            person=make_person(),
            country=lt,
            visibility=Registration.Visibility.EVERYONE,
        )

    assert [_count(api, url) for url in urls] == before
