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


def test_dialogos_periodic_queues_and_sends_the_reminders_once(
    world: Any, make_meeting: Any, make_person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    from dialogos.core.management.commands.periodic import periodic_tasks
    from dialogos.meetings.tasks import send_notifications
    from dialogos.plans.tasks import send_report_reminders
    from dialogos.texts.tasks import run_text_deadlines

    tasks = periodic_tasks()
    for expected in (
        queue_reminders,
        send_notifications,
        run_text_deadlines,
        send_report_reminders,
    ):
        assert expected in tasks
    soon = make_meeting(start=timezone.now() + datetime.timedelta(days=2))
    person = make_person("Soon")
    services.add_registration(actor=world.alice, meeting=soon, person=person)
    services.send_pending()
    mail.outbox.clear()
    for _run in range(2):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("periodic", stdout=out)
        assert "periodic task(s) queued" in out.getvalue()
    reminders = outbox_to(person.email)
    assert len(reminders) == 1 and reminders[0].subject.startswith("Reminder:")
    assert Notification.objects.filter(kind=Notification.Kind.REMINDER).count() == 1
