"""Background work of the texts app. Tasks take plain values and call a service; they also
work when run immediately (tests, embedded default)."""

from __future__ import annotations

from django_tasks import task

from dialogos.texts import notifications, services


@task()
def send_text_notifications() -> int:
    """Send every pending e-mail about texts (each at most once); returns how many were sent."""
    return notifications.send_pending()


@task()
def run_text_deadlines() -> dict[str, int]:
    """Conclude silence procedures whose deadline passed unbroken, and remind focal points of
    deadlines within 48 hours. Idempotent: run it as often as you like."""
    adopted = services.conclude_silence_procedures()
    reminded = notifications.queue_deadline_reminders()
    return {"adopted": adopted, "reminded": reminded}
