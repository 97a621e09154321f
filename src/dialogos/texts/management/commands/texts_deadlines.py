"""``dialogos texts_deadlines``: conclude due silence procedures and queue deadline reminders.

Run it from cron (every few minutes). ``--enqueue`` hands the work to the worker instead of
doing it here. Idempotent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dialogos.texts import tasks


class Command(BaseCommand):
    help = "Conclude silence procedures past their deadline and queue deadline reminders."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Leave the work to `dialogos worker`."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            tasks.run_text_deadlines.enqueue()
            self.stdout.write("Queued for the worker.")
            return
        result = tasks.run_text_deadlines.call()
        self.stdout.write(
            f"Adopted by silence: {result['adopted']}; deadline reminders queued: "
            f"{result['reminded']}."
        )
