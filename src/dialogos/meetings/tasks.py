"""Background work of the meetings app. Tasks take plain values and call a service; they also
work when run immediately (tests, embedded default)."""

from __future__ import annotations

from django_tasks import task

from dialogos.meetings.services import notifications


@task()
def send_notifications() -> int:
    """Send every pending meeting e-mail (each at most once); returns how many were sent."""
    return notifications.send_pending()


@task()
def queue_reminders(days_ahead: int = 7) -> int:
    """Queue reminders for meetings starting within ``days_ahead`` days (idempotent)."""
    return notifications.queue_meeting_reminders(days_ahead=days_ahead)
