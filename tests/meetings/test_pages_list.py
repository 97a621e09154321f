"""The public list of meetings: what each visitor sees, the filters, and a fixed query count."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dialogos.core.models import Country
from dialogos.meetings import services
from dialogos.meetings.models import Meeting
from tests.meetings.conftest import wall

pytestmark = pytest.mark.django_db


def _titles(response: Any) -> str:
    return response.content.decode()


def test_it_lists_upcoming_meetings_in_english_and_russian(world: Any, make_meeting: Any) -> None:
    make_meeting(
        title={"en": "Expert workshop on returns", "ru": "Семинар экспертов по возвращению"}
    )
    client = world.client_for(None)

    english = client.get("/en/meetings/")
    russian = client.get("/ru/meetings/")

    assert english.status_code == 200
    assert "Expert workshop on returns" in english.content.decode()
    assert russian.status_code == 200
    assert "Семинар экспертов по возвращению" in russian.content.decode()


def test_it_shows_dates_in_the_meetings_own_zone_with_its_name(
    world: Any, make_meeting: Any
) -> None:
    # 23:30 in Tokyo is still the previous day in UTC: the list must show the local day.
    make_meeting(
        title={"en": "Tokyo call"},
        start=wall(2031, 3, 10, 23, 30),
        end=wall(2031, 3, 11, 1, 0),
        time_zone="Asia/Tokyo",
    )
    html = world.client_for(None).get("/en/meetings/").content.decode()

    assert "10–11 March 2031" in html
    assert "Asia/Tokyo" in html


def test_it_puts_past_meetings_under_past(world: Any, make_meeting: Any) -> None:
    make_meeting(
        title={"en": "Old conference"}, start=wall(2019, 5, 6, 9), end=wall(2019, 5, 7, 17)
    )
    make_meeting(title={"en": "Future workshop"})
    client = world.client_for(None)

    upcoming = client.get("/en/meetings/").content.decode()
    past = client.get("/en/meetings/?when=past").content.decode()

    assert "Future workshop" in upcoming
    assert "Old conference" not in upcoming
    assert "Old conference" in past
    assert "Future workshop" not in past


def test_it_marks_postponed_cancelled_and_online_meetings(world: Any, make_meeting: Any) -> None:
    postponed = make_meeting(title={"en": "Postponed one"})
    cancelled = make_meeting(title={"en": "Cancelled one"})
    online = make_meeting(title={"en": "Online one"})
    for meeting, action in [
        (postponed, "postpone"),
        (cancelled, "cancel"),
        (online, "move_online"),
    ]:
        services.change_meeting_schedule(
            actor=world.alice,
            meeting=meeting,
            action=action,
            reason={"en": "Because", "ru": "Потому что"},
        )

    html = world.client_for(None).get("/en/meetings/").content.decode()

    assert 'meeting-status--postponed">Postponed<' in html
    assert 'meeting-status--cancelled">Cancelled<' in html
    assert 'meeting-status--moved_online">Moved online<' in html
    assert "New date to be announced" in html


@pytest.mark.parametrize("who", [None, "frank", "bob", "dan", "erin"])
def test_secretariat_meetings_are_not_listed_for_others(
    world: Any, make_meeting: Any, who: str | None
) -> None:
    make_meeting(title={"en": "Internal planning"}, access_level="secretariat")
    make_meeting(title={"en": "Open workshop"})
    user = getattr(world, who) if who else None

    html = world.client_for(user).get("/en/meetings/").content.decode()

    assert "Open workshop" in html
    assert "Internal planning" not in html


@pytest.mark.parametrize("who", ["alice", "olga"])
def test_secretariat_meetings_are_listed_for_the_secretariat(
    world: Any, make_meeting: Any, who: str
) -> None:
    make_meeting(title={"en": "Internal planning"}, access_level="secretariat")

    html = world.client_for(getattr(world, who)).get("/en/meetings/").content.decode()

    assert "Internal planning" in html


def test_members_meetings_are_listed_for_members_only(world: Any, make_meeting: Any) -> None:
    make_meeting(title={"en": "Members briefing"}, access_level="members")

    assert "Members briefing" in world.client_for(world.dan).get("/en/meetings/").content.decode()
    assert "Members briefing" not in world.client_for(None).get("/en/meetings/").content.decode()
    assert "Members briefing" not in (
        world.client_for(world.erin).get("/en/meetings/").content.decode()
    )


def test_hidden_meetings_do_not_leak_into_the_filter_choices(world: Any, make_meeting: Any) -> None:
    make_meeting(
        title={"en": "Secret"},
        access_level="secretariat",
        country=Country.objects.get(code="MT"),
        start=wall(2033, 2, 1, 9),
        end=wall(2033, 2, 1, 12),
    )
    html = world.client_for(None).get("/en/meetings/").content.decode()

    assert 'value="MT"' not in html
    assert 'value="2033"' not in html
    assert 'value="prague-process"' not in html


class TestFilters:
    @pytest.fixture
    def meetings(self, world: Any, make_meeting: Any) -> dict[str, Meeting]:
        cz, lt = Country.objects.get(code="CZ"), Country.objects.get(code="LT")
        return {
            "conference": make_meeting(
                title={"en": "Ministerial in Prague"},
                type=Meeting.Type.MINISTERIAL,
                level=Meeting.Level.MINISTERIAL,
                country=cz,
                start=wall(2030, 10, 24, 9),
                end=wall(2030, 10, 25, 18),
            ),
            "workshop": make_meeting(
                title={"en": "Workshop in Vilnius"},
                type=Meeting.Type.WORKSHOP,
                level=Meeting.Level.EXPERTS,
                country=lt,
                start=wall(2031, 4, 2, 9),
                end=wall(2031, 4, 2, 17),
            ),
            "hosted": make_meeting(
                title={"en": "Online call hosted by Czechia"},
                type=Meeting.Type.WEBINAR,
                format=Meeting.Format.ONLINE,
                host_states=[cz],
                start=wall(2031, 6, 2, 9),
                end=wall(2031, 6, 2, 11),
            ),
            "budapest": make_meeting(
                actor=world.erin,
                dialogue=world.bp,
                title={"en": "Budapest Process meeting"},
                start=wall(2031, 7, 1, 9),
                end=wall(2031, 7, 1, 11),
            ),
        }

    def _shown(self, world: Any, query: str) -> set[str]:
        html = world.client_for(None).get(f"/en/meetings/?{query}").content.decode()
        names = {
            "conference": "Ministerial in Prague",
            "workshop": "Workshop in Vilnius",
            "hosted": "Online call hosted by Czechia",
            "budapest": "Budapest Process meeting",
        }
        return {key for key, title in names.items() if title in html}

    def test_by_type(self, world: Any, meetings: Any) -> None:
        assert self._shown(world, "type=workshop") == {"workshop"}

    def test_by_level(self, world: Any, meetings: Any) -> None:
        assert self._shown(world, "level=ministerial") == {"conference"}

    def test_by_year_shows_every_meeting_of_that_year(self, world: Any, meetings: Any) -> None:
        assert self._shown(world, "year=2031") == {"workshop", "hosted", "budapest"}

    def test_by_country_held_or_hosted(self, world: Any, meetings: Any) -> None:
        assert self._shown(world, "country=cz") == {"conference", "hosted"}

    def test_by_dialogue(self, world: Any, meetings: Any) -> None:
        assert self._shown(world, "dialogue=budapest-process") == {"budapest"}

    def test_combined(self, world: Any, meetings: Any) -> None:
        assert self._shown(world, "year=2031&country=CZ&type=webinar") == {"hosted"}

    def test_nonsense_values_are_ignored(self, world: Any, meetings: Any) -> None:
        response = world.client_for(None).get("/en/meetings/?type=nope&year=abc&country=XYZ")
        assert response.status_code == 200
        assert self._shown(world, "type=nope&year=abc&country=XYZ&when=all") == set(meetings)

    def test_no_match_says_so(self, world: Any, meetings: Any) -> None:
        html = world.client_for(None).get("/en/meetings/?year=2030&type=webinar").content.decode()
        assert "No meetings match these filters." in html

    def test_htmx_gets_only_the_results(self, world: Any, meetings: Any) -> None:
        response = world.client_for(None).get("/en/meetings/?type=workshop", HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert html.lstrip().startswith('<div id="meeting-results"')
        assert "Workshop in Vilnius" in html
        assert "<html" not in html


def test_it_paginates_by_25(world: Any, make_meeting: Any) -> None:
    start = timezone.now() + datetime.timedelta(days=10)
    for n in range(27):
        make_meeting(
            title={"en": f"Numbered meeting {n:02d}"},
            start=start + datetime.timedelta(days=n),
            end=start + datetime.timedelta(days=n, hours=3),
        )
    client = world.client_for(None)

    first = client.get("/en/meetings/").content.decode()
    second = client.get("/en/meetings/?when=upcoming&page=2").content.decode()

    assert "Numbered meeting 00" in first and "Numbered meeting 24" in first
    assert "Numbered meeting 25" not in first
    assert "Numbered meeting 25" in second and "Numbered meeting 26" in second
    assert "Page 2 of 2" in second


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", [None, "dan", "alice"])
@pytest.mark.parametrize(
    "url", ["/en/meetings/", "/en/meetings/?when=all", "/ru/meetings/?when=past&country=CZ"]
)
def test_the_list_runs_a_fixed_number_of_queries(
    world: Any, make_meeting: Any, who: str | None, url: str
) -> None:
    cz, lt = Country.objects.get(code="CZ"), Country.objects.get(code="LT")
    now = timezone.now()
    make_meeting(title={"en": "First"}, country=cz, host_states=[cz])
    make_meeting(
        title={"en": "Old"},
        country=cz,
        start=now - datetime.timedelta(days=400),
        end=now - datetime.timedelta(days=399),
    )
    client = world.client_for(getattr(world, who) if who else None)
    client.get(url)  # warm the session and the principal's roles alike on both runs
    before = _queries(client, url)

    for n in range(20):
        offset = datetime.timedelta(days=n * 30 - 300)
        make_meeting(
            title={"en": f"More {n}"},
            country=cz if n % 2 else lt,
            host_states=[cz, lt],
            access_level="public" if n % 3 else "members",
            start=now + offset,
            end=now + offset + datetime.timedelta(hours=5),
        )

    assert _queries(client, url) == before


def test_choosing_a_past_year_from_the_upcoming_tab_finds_its_meetings(
    world: Any, make_meeting: Any
) -> None:
    make_meeting(
        title={"en": "Old conference"}, start=wall(2019, 5, 6, 9), end=wall(2019, 5, 7, 17)
    )
    client = world.client_for(None)

    form = client.get("/en/meetings/").content.decode()
    found = client.get("/en/meetings/?dialogue=&type=&level=&year=2019&country=").content.decode()

    assert 'name="when"' not in form  # the default tab gives way to a chosen year
    assert "Old conference" in found
