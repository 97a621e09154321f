"""Queue and send the reminders due for open reporting cycles (run it hourly, e.g. from cron).

Idempotent: running it twice sends nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dialogos.plans.tasks import send_report_reminders


class Command(BaseCommand):
    help = "Queue and send the reminders due for open reporting cycles."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the work to the background worker instead of doing it now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            send_report_reminders.enqueue()
            self.stdout.write("Queued.")
            return
        sent = send_report_reminders.call()
        self.stdout.write(f"{sent} reminder(s) sent.")
