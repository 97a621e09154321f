"""Rescheduling, postponing, moving online and cancelling one meeting or many, with everyone
concerned told once, in their language, with the updated calendar entry."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from dialogos.core.models import Country
from dialogos.meetings import services
from dialogos.meetings.models import Meeting, Notification, ScheduleChange
from dialogos.meetings.tasks import send_notifications
from dialogos.people.models import Person, Role, User
from tests.meetings.conftest import outbox_to, parse_calendar, wall

REASON = {
    "en": "Because of the COVID-19 outbreak.",
    "ru": "В связи со вспышкой COVID-19.",
}
SPRING = datetime.datetime(2030, 3, 1, tzinfo=datetime.UTC)
JULY = datetime.datetime(2030, 7, 1, tzinfo=datetime.UTC)


@pytest.fixture
def spring(world: Any, make_meeting: Any, make_person: Any) -> dict[str, Any]:
    """Three in-person meetings before July, one online, one after July, with registrants."""
    at = lambda month, day: datetime.datetime(2030, month, day, 7, tzinfo=datetime.UTC)  # noqa: E731
    meetings = {
        "april": make_meeting(
            title={"en": "April workshop", "ru": "Апрельский семинар"},
            start=at(4, 14),
            online_url="https://meet.example.org/april",
        ),
        "may": make_meeting(
            title={"en": "May study visit", "ru": "Майский визит"}, start=at(5, 19)
        ),
        "june": make_meeting(
            title={"en": "June SOM", "ru": "Июньское СДЛ"},
            start=at(6, 2),
            format=Meeting.Format.HYBRID,
        ),
        "webinar": make_meeting(
            title={"en": "Webinar"}, start=at(5, 5), format=Meeting.Format.ONLINE
        ),
        "september": make_meeting(title={"en": "September conference"}, start=at(9, 20)),
    }
    dan = make_person("Dan", user=world.dan, country="LT")
    world.dan.language = "ru"
    world.dan.save(update_fields=["language"])
    guest = make_person("Guest", country=None, email="guest@example.net")
    for key in ("april", "may"):
        services.add_registration(actor=world.alice, meeting=meetings[key], person=dan)
        services.add_registration(actor=world.alice, meeting=meetings[key], person=guest)
    services.add_registration(actor=world.alice, meeting=meetings["september"], person=guest)
    # A second focal point, of Lithuania, who reads English.
    lina = User.objects.create_user("lina@example.org", "x" * 12, display_name="Lina")
    Role.objects.create(
        user=lina,
        dialogue=world.pp,
        role=Role.Kind.FOCAL_POINT,
        country=Country.objects.get(code="LT"),
    )
    mail.outbox.clear()
    Notification.objects.all().delete()
    return meetings


def in_person_before_july(world: Any, action: str, **extra: Any) -> Any:
    return services.reschedule_meetings(
        actor=world.alice,
        dialogue=world.pp,
        action=action,
        reason=REASON,
        start_before=JULY,
        formats=[Meeting.Format.IN_PERSON, Meeting.Format.HYBRID],
        **extra,
    )


def test_the_selection_finds_every_face_to_face_meeting_before_july(
    world: Any, spring: Any
) -> None:
    chosen = services.select_meetings_for_change(
        dialogue=world.pp,
        start_before=JULY,
        formats=[Meeting.Format.IN_PERSON, Meeting.Format.HYBRID],
    )
    assert list(chosen) == [spring["april"], spring["may"], spring["june"]]


def test_postponing_many_meetings_records_history_and_raises_each_sequence(
    world: Any, spring: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        decision = in_person_before_july(world, "postpone")
    changed = {c.meeting_id for c in decision.changes.all()}
    assert changed == {spring[k].pk for k in ("april", "may", "june")}
    for key in ("april", "may", "june"):
        meeting = Meeting.objects.get(pk=spring[key].pk)
        assert meeting.status == Meeting.Status.POSTPONED
        assert meeting.ical_sequence == 1
        (change,) = services.schedule_history(meeting)
        assert change.old_status == Meeting.Status.PLANNED and change.sequence == 1
        assert change.decision.reason["ru"] == REASON["ru"]
    for key in ("webinar", "september"):
        meeting = Meeting.objects.get(pk=spring[key].pk)
        assert meeting.status == Meeting.Status.PLANNED and meeting.ical_sequence == 0
    assert "3 meetings postponed" in decision.announcement["en"]
    assert REASON["ru"] in decision.announcement["ru"]


def test_everyone_concerned_gets_exactly_one_email_in_their_language(
    world: Any, spring: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        in_person_before_july(world, "postpone")
    recipients = sorted(address for m in mail.outbox for address in m.to)
    # Dan (registrant, Russian), the guest (registrant without an account),
    # Bob (focal point of Czechia) and Lina (focal point of Lithuania): once each.
    assert recipients == sorted(
        ["dan@example.org", "guest@example.net", "bob@example.org", "lina@example.org"]
    )
    (to_dan,) = outbox_to("dan@example.org")
    assert to_dan.extra_headers["Content-Language"] == "ru"
    assert REASON["ru"] in to_dan.body and "Апрельский семинар" in to_dan.body
    assert "Июньское СДЛ" not in to_dan.body  # he is registered for April and May only
    cal = parse_calendar(to_dan)
    assert cal["METHOD"] == "REQUEST"
    events = {str(e["UID"]): int(e["SEQUENCE"]) for e in cal.walk("VEVENT")}
    assert events == {spring["april"].ical_uid: 1, spring["may"].ical_uid: 1}
    (to_bob,) = outbox_to("bob@example.org")
    assert to_bob.extra_headers["Content-Language"] == "en"
    assert REASON["en"] in to_bob.body and "June SOM" in to_bob.body
    assert len(parse_calendar(to_bob).walk("VEVENT")) == 3
    # The link to join online goes to registrants only, never to a focal point as such.
    assert b"meet.example.org" not in parse_calendar(to_bob).to_ical()
    assert b"meet.example.org/april" in parse_calendar(to_dan).to_ical()
    (to_guest,) = outbox_to("guest@example.net")
    assert "September" not in to_guest.body

    # Running the sender again sends nothing more.
    sent_before = len(mail.outbox)
    send_notifications.enqueue()
    assert len(mail.outbox) == sent_before
    assert not Notification.objects.exclude(status=Notification.Status.SENT).exists()


def test_cancelling_sends_method_cancel_with_the_same_uid_and_a_higher_sequence(
    world: Any, spring: Any, django_capture_on_commit_callbacks: Any
) -> None:
    april = spring["april"]
    with django_capture_on_commit_callbacks(execute=True):
        services.change_meeting_schedule(
            actor=world.alice,
            meeting=april,
            action="reschedule",
            reason=REASON,
            start=wall(2030, 10, 5, 9),
            end=wall(2030, 10, 6, 17),
        )
    april.refresh_from_db()
    assert april.status == Meeting.Status.RESCHEDULED and april.ical_sequence == 1
    assert april.local_start().hour == 9 and april.local_start().month == 10
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.change_meeting_schedule(
            actor=world.alice, meeting=april, action="cancel", reason=REASON
        )
    (to_guest,) = outbox_to("guest@example.net")
    cal = parse_calendar(to_guest)
    assert cal["METHOD"] == "CANCEL"
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == april.ical_uid
    assert int(event["SEQUENCE"]) == 2
    assert str(event["STATUS"]) == "CANCELLED"
    assert len(services.schedule_history(april)) == 2
    with pytest.raises(ValidationError) as caught:
        services.change_meeting_schedule(
            actor=world.alice, meeting=april, action="postpone", reason=REASON
        )
    assert "meetings" in caught.value.message_dict


def test_moving_many_meetings_shifts_each_and_moving_online_changes_the_format(
    world: Any, spring: Any
) -> None:
    old = {k: m.start for k, m in spring.items()}
    in_person_before_july(world, "reschedule", shift=datetime.timedelta(days=140))
    assert Meeting.objects.get(pk=spring["may"].pk).start == old["may"] + datetime.timedelta(
        days=140
    )
    decision = services.reschedule_meetings(
        actor=world.alice,
        dialogue=world.pp,
        action="move_online",
        reason=REASON,
        start_from=datetime.datetime(2030, 9, 15, tzinfo=datetime.UTC),
        start_before=datetime.datetime(2030, 10, 1, tzinfo=datetime.UTC),
        online_url="https://meet.example.org/som",
    )
    september = Meeting.objects.get(pk=spring["september"].pk)
    assert [c.meeting_id for c in decision.changes.all()] == [september.pk]
    assert (
        september.format == Meeting.Format.ONLINE
        and september.status == Meeting.Status.MOVED_ONLINE
    )
    assert september.online_url == "https://meet.example.org/som"


def test_bad_schedule_changes_are_refused_and_change_nothing(world: Any, spring: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.reschedule_meetings(
            actor=world.alice,
            dialogue=world.pp,
            action="postpone",
            reason={"en": "Only English"},
            start_before=JULY,
        )
    assert (
        "reason" in caught.value.message_dict
        and "Russian" in caught.value.message_dict["reason"][0]
    )
    with pytest.raises(ValidationError) as caught:
        in_person_before_july(world, "reschedule")
    assert "shift" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.reschedule_meetings(
            actor=world.alice,
            dialogue=world.pp,
            action="postpone",
            reason=REASON,
            start_before=SPRING,
        )
    assert "meetings" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.change_meeting_schedule(
            actor=world.alice,
            meeting=spring["may"],
            action="reschedule",
            reason=REASON,
            start=wall(2030, 6, 2, 9),
            end=wall(2030, 6, 1, 9),
        )
    assert "end" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.reschedule_meetings(
            actor=world.bob, dialogue=world.pp, action="cancel", reason=REASON, start_before=JULY
        )
    assert not ScheduleChange.objects.exists()
    assert not Notification.objects.exists()
    assert set(Meeting.objects.values_list("ical_sequence", flat=True)) == {0}


def test_a_person_without_an_account_is_written_in_the_dialogues_main_language(
    world: Any, spring: Any
) -> None:
    in_person_before_july(world, "postpone")
    row = Notification.objects.get(email="guest@example.net")
    assert row.language == "en" and row.user_id is None
    assert Person.objects.filter(email="guest@example.net").exists()


def test_focal_points_hear_only_of_meetings_they_may_see(
    world: Any,
    spring: Any,
    make_meeting: Any,
    make_person: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from dialogos.core.models import AccessLevel

    closed = make_meeting(
        title={"en": "Secretariat retreat"},
        start=spring["april"].start,
        access_level=AccessLevel.SECRETARIAT,
    )
    group = make_meeting(
        title={"en": "Registrants only"},
        start=spring["april"].start,
        access_level=AccessLevel.GROUP,
    )
    lina = User.objects.get(email="lina@example.org")
    services.add_registration(
        actor=world.alice, meeting=group, person=make_person("Lina", user=lina, country="LT")
    )
    Notification.objects.all().delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        in_person_before_july(world, "postpone")
    (to_bob,) = outbox_to("bob@example.org")
    assert "Secretariat retreat" not in to_bob.body and "Registrants only" not in to_bob.body
    (to_lina,) = outbox_to("lina@example.org")
    assert "Registrants only" in to_lina.body and "Secretariat retreat" not in to_lina.body
    uids = {str(e["UID"]) for e in parse_calendar(to_lina).walk("VEVENT")}
    assert group.ical_uid in uids and closed.ical_uid not in uids
