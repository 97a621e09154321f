from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dialogos.demo import data
from dialogos.demo.loader import Loader


class Command(BaseCommand):
    help = "Load the demo data (Prague Process, Budapest Process, demo accounts). Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        created = Loader().run()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data in place ({created} new records).")
            if created
            else "Demo data already in place: nothing changed."
        )
        self.stdout.write(f"\nDemo sign-ins (password for all: {data.DEMO_PASSWORD}):")
        for email, name, _roles, _superuser in data.DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:34} {name}")
        self.stdout.write("")
