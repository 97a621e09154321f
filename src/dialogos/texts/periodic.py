"""Periodic work of outcome texts (see ``dialogos periodic``): silence procedures that reached
their deadline, reminders before deadlines, and the texts' outbox."""

from dialogos.texts.tasks import run_text_deadlines, send_text_notifications

TASKS = [run_text_deadlines, send_text_notifications]
