"""Periodic work of the meetings app (see ``dialogos periodic``): reminders before meetings, and
the outbox, so e-mails a dead worker left pending still go out."""

from dialogos.meetings.tasks import queue_reminders, send_notifications

TASKS = [queue_reminders, send_notifications]
