"""``dialogos periodic [--every SECONDS]``: hand the platform's periodic work to the worker.

Each app lists its periodic tasks in ``<app>/periodic.py`` (``TASKS``): meeting reminders and
the meetings' outbox, deadlines of silence procedures, reporting-cycle reminders. Every task is
idempotent, so running this more often than needed is harmless. Without ``--every`` it
enqueues each task once and exits (for cron); with it, it keeps doing so at that interval
(``make run`` starts it beside the worker).
"""

from __future__ import annotations

import importlib
import importlib.util
import time
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser


def periodic_tasks() -> list[Any]:
    found: list[Any] = []
    for config in apps.get_app_configs():
        name = f"{config.name}.periodic"
        if config.name.startswith("dialogos.") and importlib.util.find_spec(name) is not None:
            found.extend(getattr(importlib.import_module(name), "TASKS", []))
    return found


class Command(BaseCommand):
    help = "Enqueue the periodic tasks of every app (once, or every N seconds)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args: Any, **options: Any) -> None:
        every = max(options["every"], 0)
        while True:
            for task in periodic_tasks():
                task.enqueue()
                if options["verbosity"] > 1:
                    self.stdout.write(f"queued {task.module_path}")
            if not every:
                break
            time.sleep(every)
        self.stdout.write(f"{len(periodic_tasks())} periodic task(s) queued.")
