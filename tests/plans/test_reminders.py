"""Reminders before a cycle's deadline: to the focal points and contributors of states that
have not submitted, once per reminder day, whatever how often the worker runs."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from dialogos.plans import services
from dialogos.plans.models import ReportingCycle, ReportReminder, StateReport
from dialogos.plans.tasks import send_report_reminders

pytestmark = pytest.mark.django_db


def test_nothing_is_sent_before_the_first_reminder_day(world: Any, pw: Any) -> None:
    # Deadline in ten days; reminders 7 and 1 days before.
    assert services.queue_report_reminders() == 0
    assert send_report_reminders.call() == 0
    assert mail.outbox == []


def test_reminders_go_once_to_each_reporter_of_states_that_have_not_submitted(
    world: Any, pw: Any
) -> None:
    now = pw.cycle.deadline - datetime.timedelta(days=6)
    assert services.queue_report_reminders(now=now) == 2  # bob and carol (Czechia)
    assert services.queue_report_reminders(now=now) == 0
    assert services.send_report_reminders(now=now) == 2
    assert services.send_report_reminders(now=now) == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.org", "carol@example.org"]
    assert "Report 2026" in mail.outbox[0].subject
    # The last day brings a second reminder, not a repeat of the first.
    later = pw.cycle.deadline - datetime.timedelta(hours=12)
    assert services.queue_report_reminders(now=later) == 2
    assert ReportReminder.objects.filter(days_before=1).count() == 2


def test_no_reminder_for_a_submitted_report_or_a_closed_cycle(world: Any, pw: Any) -> None:
    StateReport.objects.filter(pk=pw.cz_report.pk).update(status=StateReport.Status.SUBMITTED)
    now = pw.cycle.deadline - datetime.timedelta(days=1)
    assert services.queue_report_reminders(now=now) == 0
    StateReport.objects.filter(pk=pw.cz_report.pk).update(status=StateReport.Status.DRAFT)
    ReportingCycle.objects.filter(pk=pw.cycle.pk).update(status=ReportingCycle.Status.CLOSED)
    assert services.queue_report_reminders(now=now) == 0


def test_reminders_are_written_in_the_recipients_language(world: Any, pw: Any) -> None:
    world.bob.language = "ru"
    world.bob.save(update_fields=["language"])
    now = pw.cycle.deadline - datetime.timedelta(days=2)
    services.queue_report_reminders(now=now)
    services.send_report_reminders(now=now)
    russian = next(m for m in mail.outbox if m.to == ["bob@example.org"])
    assert "Напоминание" in russian.subject and "Отчёт 2026" in russian.subject


def test_the_command_runs_the_task(world: Any, pw: Any) -> None:
    out = StringIO()
    call_command("plans_reminders", stdout=out)
    assert "0 reminder(s) sent." in out.getvalue()
