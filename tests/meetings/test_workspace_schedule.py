"""Changes of schedule from the workspace: one meeting, and many at once with a preview."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from dialogos.meetings import services
from dialogos.meetings.models import Meeting, Notification, ScheduleChange, ScheduleDecision
from tests.meetings.conftest import outbox_to, wall

REASON = {"reason_en": "Because of the outbreak.", "reason_ru": "В связи со вспышкой."}


def url(name: str, *args: Any) -> str:
    return reverse(f"meetings_workspace:{name}", args=["prague-process", *args])


@pytest.fixture
def spring(world: Any, make_meeting: Any, make_person: Any) -> dict[str, Meeting]:
    meetings = {
        "april": make_meeting(title={"en": "April workshop"}, start=wall(2030, 4, 14, 9, 0)),
        "may": make_meeting(title={"en": "May study visit"}, start=wall(2030, 5, 19, 9, 0)),
        "webinar": make_meeting(
            title={"en": "May webinar"},
            start=wall(2030, 5, 5, 9, 0),
            format=Meeting.Format.ONLINE,
        ),
        "september": make_meeting(
            title={"en": "September conference"}, start=wall(2030, 9, 20, 9, 0)
        ),
    }
    dan = make_person("Dan", user=world.dan, country="LT")
    guest = make_person("Guest", country=None, email="guest@example.net")
    for key in ("april", "may"):
        services.add_registration(actor=world.alice, meeting=meetings[key], person=dan)
        services.add_registration(actor=world.alice, meeting=meetings[key], person=guest)
    mail.outbox.clear()
    Notification.objects.all().delete()
    return meetings


MASS = {
    "start_before": "2030-07-01",
    "formats": ["in_person", "hybrid"],
    "action": "postpone",
    **REASON,
}


def test_mass_postponement_previews_then_confirms(
    world: Any, spring: dict[str, Meeting], django_capture_on_commit_callbacks: Any
) -> None:
    client = world.client_for(world.alice)
    preview = client.post(url("schedule_mass"), MASS)
    assert preview.status_code == 200
    shown = [m.pk for m in preview.context["preview"]]
    assert shown == [spring["april"].pk, spring["may"].pk]
    body = preview.content.decode()
    assert "April workshop" in body and "May webinar" not in body
    assert not ScheduleDecision.objects.exists()  # a preview changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("schedule_mass"), {**MASS, "previewed": shown, "confirm": "1"})
    decision = ScheduleDecision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("decision", decision.pk)
    assert decision.selection["formats"] == ["in_person", "hybrid"]
    assert set(ScheduleChange.objects.values_list("meeting_id", flat=True)) == set(shown)
    for key in ("april", "may"):
        spring[key].refresh_from_db()
        assert spring[key].status == Meeting.Status.POSTPONED
    spring["september"].refresh_from_db()
    assert spring["september"].status == Meeting.Status.PLANNED
    # Each registrant once, and the focal point of Czechia (bob) once.
    assert len(outbox_to("guest@example.net")) == 1
    assert len(outbox_to(world.dan.email)) == 1
    assert len(outbox_to(world.bob.email)) == 1

    page = client.get(response["Location"]).content.decode()
    queued = Notification.objects.filter(key__startswith=f"schedule:{decision.pk}:").count()
    assert queued >= 3
    assert f"{queued} notifications were queued" in page
    assert "Because of the outbreak." in page and "В связи со вспышкой." in page
    assert decision.announcement["en"] and decision.announcement["en"][:20] in page


def test_a_selection_that_changed_since_the_preview_is_shown_again(
    world: Any, spring: dict[str, Meeting], make_meeting: Any
) -> None:
    client = world.client_for(world.alice)
    shown = [m.pk for m in client.post(url("schedule_mass"), MASS).context["preview"]]
    make_meeting(title={"en": "A late addition"}, start=wall(2030, 6, 10, 9, 0))
    response = client.post(url("schedule_mass"), {**MASS, "previewed": shown, "confirm": "1"})
    assert response.status_code == 200
    assert not ScheduleDecision.objects.exists()
    assert "A late addition" in response.content.decode()


def test_the_reason_is_needed_in_every_language_of_the_dialogue(
    world: Any, spring: dict[str, Meeting]
) -> None:
    client = world.client_for(world.alice)
    data = {**MASS, "reason_ru": ""}
    shown = [m.pk for m in client.post(url("schedule_mass"), data).context["preview"]]
    response = client.post(url("schedule_mass"), {**data, "previewed": shown, "confirm": "1"})
    assert response.status_code == 200
    assert "missing: Russian" in str(response.context["form"].errors)
    assert not ScheduleDecision.objects.exists()
    spring["april"].refresh_from_db()
    assert spring["april"].status == Meeting.Status.PLANNED


def test_rescheduling_many_needs_the_number_of_days(world: Any, spring: dict[str, Meeting]) -> None:
    client = world.client_for(world.alice)
    response = client.post(url("schedule_mass"), {**MASS, "action": "reschedule"})
    assert "shift_days" in response.context["form"].errors
    shown = [
        m.pk
        for m in client.post(
            url("schedule_mass"), {**MASS, "action": "reschedule", "shift_days": "7"}
        ).context["preview"]
    ]
    client.post(
        url("schedule_mass"),
        {**MASS, "action": "reschedule", "shift_days": "7", "previewed": shown, "confirm": "1"},
    )
    old = spring["april"].start
    spring["april"].refresh_from_db()
    assert spring["april"].start - old == datetime.timedelta(days=7)
    assert spring["april"].status == Meeting.Status.RESCHEDULED


def test_one_meeting_is_rescheduled_in_its_own_time_zone(
    world: Any, spring: dict[str, Meeting], django_capture_on_commit_callbacks: Any
) -> None:
    meeting = spring["april"]
    client = world.client_for(world.alice)
    response = client.post(
        url("schedule", meeting.pk),
        {"action": "reschedule", **REASON},
    )
    assert response.status_code == 200
    assert "Give the new start and end." in str(response.context["form"].errors)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("schedule", meeting.pk),
            {
                "action": "reschedule",
                "start": "2030-10-05T10:00",
                "end": "2030-10-06T16:00",
                **REASON,
            },
        )
    assert response.status_code == 302
    meeting.refresh_from_db()
    # 10:00 in Prague in October (summer time) is 08:00 UTC.
    assert meeting.start == datetime.datetime(2030, 10, 5, 8, 0, tzinfo=datetime.UTC)
    assert meeting.status == Meeting.Status.RESCHEDULED
    assert len(outbox_to("guest@example.net")) == 1
    detail = client.get(url("detail", meeting.pk)).content.decode()
    assert "Because of the outbreak." in detail


def test_moving_one_meeting_online_and_cancelling(world: Any, spring: dict[str, Meeting]) -> None:
    client = world.client_for(world.alice)
    client.post(
        url("schedule", spring["may"].pk),
        {"action": "move_online", "online_url": "https://meet.example.org/may", **REASON},
    )
    spring["may"].refresh_from_db()
    assert spring["may"].format == Meeting.Format.ONLINE
    assert spring["may"].online_url == "https://meet.example.org/may"
    client.post(url("schedule", spring["may"].pk), {"action": "cancel", **REASON})
    spring["may"].refresh_from_db()
    assert spring["may"].status == Meeting.Status.CANCELLED
    # A cancelled meeting cannot change again: the form says why.
    response = client.post(url("schedule", spring["may"].pk), {"action": "postpone", **REASON})
    assert response.status_code == 200
    assert "can no longer change" in response.content.decode()
