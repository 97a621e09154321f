"""Look at the meetings' outbox and decide on e-mails the platform cannot be sure about.

dialogos notifications                   # counts by status, and the uncertain ones
dialogos notifications --resend 12 40    # back in the queue (the mail log shows they did not leave)
dialogos notifications --mark-sent 12    # the mail log shows they left
dialogos notifications --resend-failed   # every failed one back in the queue
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from dialogos.meetings import services
from dialogos.meetings.models import Notification
from dialogos.people.models import User


class Command(BaseCommand):
    help = "Show the meetings' outbox; resend or mark sent the e-mails left uncertain or failed."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--resend", nargs="+", type=int, metavar="ID")
        group.add_argument("--mark-sent", nargs="+", type=int, metavar="ID")
        group.add_argument("--resend-failed", action="store_true")
        group.add_argument(
            "--send", action="store_true", help="send every pending e-mail now, in this process"
        )
        parser.add_argument(
            "--operator", default="", help="e-mail of the operator account recorded in the audit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["send"]:
            self.stdout.write(f"{services.send_pending()} e-mail(s) sent.")
            return
        ids = options["resend"] or options["mark_sent"]
        if options["resend_failed"]:
            ids = list(
                Notification.objects.filter(status=Notification.Status.FAILED).values_list(
                    "pk", flat=True
                )
            )
        if ids:
            operator = self._operator(options["operator"])
            changed = services.resolve_notifications(
                actor=operator, ids=ids, resend=not options["mark_sent"]
            )
            self.stdout.write(f"{changed} e-mail(s) changed; {len(set(ids)) - changed} untouched.")
            return
        counts = dict(Notification.objects.values_list("status").annotate(n=Count("pk")).order_by())
        for status, label in Notification.Status.choices:
            self.stdout.write(f"{label}: {counts.get(status, 0)}")
        uncertain = list(services.uncertain_notifications().order_by("pk")[:200])
        if uncertain:
            self.stdout.write(
                "Uncertain (check the mail server's log, then --resend or --mark-sent):"
            )
            for row in uncertain:
                self.stdout.write(f"  {row.pk}  {row.email}  {row.kind}  {row.key}")

    def _operator(self, email: str) -> User:
        operators = User.objects.filter(is_superuser=True, is_active=True)
        if email:
            operators = operators.filter(email__iexact=email)
        operator = operators.order_by("pk").first()
        if operator is None:
            raise CommandError("No active operator account: create one or name it with --operator.")
        return operator
