"""``dialogos news_bounces <mbox-or-maildir> …``: record the bounces in a bounce mailbox.

Reads delivery status notifications (RFC 3464) from an mbox file, a Maildir folder or a single
message file, matches each to the review e-mail it answers (by the signed VERP address or
Message-ID that sending put on it), records hard and soft bounces on the subscription and stops
an address after a hard bounce or repeated soft ones. Running it again on the same mailbox
records nothing twice. Prints what it did; exits with 2 when a path cannot be read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dialogos.news.services import bounces


class Command(BaseCommand):
    help = "Record the bounces of review e-mails found in an mbox file or a Maildir folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="mbox files, Maildir folders or messages")

    def handle(self, *args: Any, **options: Any) -> None:
        total = bounces.Result()
        for name in options["paths"]:
            path = Path(name)
            if not path.exists():
                raise CommandError(f"{name}: no such file or folder", returncode=2)
            try:
                result = bounces.record_mailbox(path)
            except (OSError, ValueError) as error:
                raise CommandError(
                    f"{name}: cannot be read as a mailbox ({error})", returncode=2
                ) from error
            for attribute in (
                "messages",
                "not_reports",
                "not_bounces",
                "unmatched",
                "already",
                "hard",
                "soft",
            ):
                setattr(total, attribute, getattr(total, attribute) + getattr(result, attribute))
            total.stopped += result.stopped
        self.stdout.write(
            f"{total.messages} messages read: {total.hard} hard and {total.soft} soft bounces "
            f"recorded, {total.already} already recorded, {total.unmatched} not matched to a "
            f"review e-mail, {total.not_bounces} other notices (delayed, delivered), "
            f"{total.not_reports} not delivery reports."
        )
        for address in total.stopped:
            self.stdout.write(f"stopped after bounces: {address}")
