"""Reminders before a meeting go to confirmed participants, once."""

from __future__ import annotations

import datetime
from typing import Any

from django.core import mail
from django.utils import timezone

from dialogos.meetings import services
from dialogos.meetings.models import Notification
from dialogos.meetings.tasks import queue_reminders
from tests.meetings.conftest import outbox_to, parse_calendar


def test_reminders_go_to_confirmed_participants_of_meetings_starting_soon_once(
    world: Any, make_meeting: Any, make_person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    soon = make_meeting(start=timezone.now() + datetime.timedelta(days=3), capacity=1)
    later = make_meeting(start=timezone.now() + datetime.timedelta(days=30))
    confirmed = make_person("Confirmed")
    waiting = make_person("Waiting")
    far = make_person("Far")
    services.add_registration(actor=world.alice, meeting=soon, person=confirmed)
    services.add_registration(actor=world.alice, meeting=soon, person=waiting)
    services.add_registration(actor=world.alice, meeting=later, person=far)
    services.send_pending()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_meeting_reminders(days_ahead=7) == 1
    (reminder,) = mail.outbox
    assert reminder.to == [confirmed.email] and reminder.subject.startswith("Reminder:")
    assert str(parse_calendar(reminder).walk("VEVENT")[0]["UID"]) == soon.ical_uid

    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_meeting_reminders(days_ahead=7) == 0
        queue_reminders.enqueue(7)
    assert len(mail.outbox) == 1

    # Moved meetings deserve a new reminder with their new date.
    with django_capture_on_commit_callbacks(execute=True):
        services.change_meeting_schedule(
            actor=world.alice,
            meeting=soon,
            action="reschedule",
            reason={"en": "Room", "ru": "Зал"},
            start=soon.start + datetime.timedelta(days=1),
            end=soon.end + datetime.timedelta(days=1),
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_meeting_reminders(days_ahead=7) == 1
    assert len(outbox_to(confirmed.email)) == 1
    assert Notification.objects.filter(kind=Notification.Kind.REMINDER).count() == 2
