"""Sending a review issue: one outbox row per (issue, subscriber), each sent at most once.

1. *Queue*: one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` writes a ``Dispatch`` row for every
   active subscriber of the issue's dialogue, in the subscriber's language. The unique pair
   (issue, subscriber) means sending an issue again queues nobody twice.
2. *Claim*: a short transaction moves a batch of ``pending`` rows to ``claimed`` under a random
   token (PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite: the immediate transaction serialises
   claimers). Claims older than ``NEWS_SEND_LEASE_SECONDS`` belong to a dead worker and are
   claimed again — those rows were never handed to the mail server.
3. *Mark before send*: ``UPDATE … SET status='sending' WHERE pk=… AND claim=<token> AND
   status='claimed'`` (committed) takes one row; if it matches nothing another worker owns it.
4. *Send*, then mark ``sent``; a refusal by the mail server marks the row ``failed`` with the
   error (a refused recipient also counts as a bounce of the subscriber).

A worker killed at any moment leaves at most one row in ``sending`` (handed over or about to
be; never sent again automatically, so nobody gets the issue twice: the workspace lists such
rows and the secretariat may queue them again). Everything else is either sent or claimable.

The pace is at most ``NEWS_SEND_RATE`` messages per second per worker (0: no limit).
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from dialogos.news.models import Dispatch, ReviewEntry, ReviewIssue, Subscriber
from dialogos.news.services.subscriptions import unsubscribe_url

logger = logging.getLogger(__name__)

DEFAULT_RATE = 20.0
DEFAULT_LEASE_SECONDS = 300
BOUNCE_LIMIT = 3
UNSUBSCRIBE_MARK = "@@UNSUBSCRIBE_URL@@"


def send_rate() -> float:
    return float(getattr(settings, "NEWS_SEND_RATE", DEFAULT_RATE))


def lease() -> datetime.timedelta:
    return datetime.timedelta(
        seconds=int(getattr(settings, "NEWS_SEND_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))
    )


def enqueue(issue_id: int) -> None:
    from dialogos.news.tasks import send_review

    send_review.enqueue(issue_id)


# Queue --------------------------------------------------------------------------------------


def queue_issue(issue: ReviewIssue) -> int:
    """Write the outbox rows of ``issue`` (inside the caller's transaction); returns how many
    new rows there are. Subscribers who chose no dialogue receive every dialogue's review."""
    q = connection.ops.quote_name
    dispatch = q(Dispatch._meta.db_table)
    subscriber = q(Subscriber._meta.db_table)
    through = q(Subscriber.dialogues.through._meta.db_table)
    before = Dispatch.objects.filter(issue=issue).count()
    sql = (
        f"INSERT INTO {dispatch} (issue_id, subscriber_id, email, language, status, attempts, "  # noqa: S608 — fixed names, values bound
        f"claim, last_error) "
        f"SELECT %s, s.id, s.email, s.language, %s, 0, '', '' FROM {subscriber} s "
        f"WHERE s.status = %s AND ("
        f"NOT EXISTS (SELECT 1 FROM {through} t WHERE t.subscriber_id = s.id) "
        f"OR EXISTS (SELECT 1 FROM {through} t WHERE t.subscriber_id = s.id "
        f"AND t.dialogue_id = %s)) "
        f"ON CONFLICT (issue_id, subscriber_id) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [issue.pk, Dispatch.Status.PENDING, Subscriber.Status.ACTIVE, issue.dialogue_id],
        )
    return Dispatch.objects.filter(issue=issue).count() - before


# Claim and send -----------------------------------------------------------------------------


def release_stale_claims(issue_id: int, *, force: bool = False) -> int:
    """Give back claims of dead workers (all claims with ``force``): never handed to the mail
    server, so they may be sent now. A live worker that still holds one loses it safely: its
    mark-before-send checks the claim token and skips the row."""
    qs = Dispatch.objects.filter(issue_id=issue_id, status=Dispatch.Status.CLAIMED)
    if not force:
        qs = qs.filter(claimed_at__lt=timezone.now() - lease())
    return qs.update(status=Dispatch.Status.PENDING, claim="", claimed_at=None)


def claim(issue_id: int, *, batch_size: int = 100) -> str | None:
    now = timezone.now()
    token = uuid.uuid4().hex
    claimable = Q(issue_id=issue_id) & (
        Q(status=Dispatch.Status.PENDING)
        | Q(status=Dispatch.Status.CLAIMED, claimed_at__lt=now - lease())
    )
    with transaction.atomic():
        qs = Dispatch.objects.filter(claimable).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.values_list("pk", flat=True)[:batch_size])
        if not ids:
            return None
        taken = Dispatch.objects.filter(claimable, pk__in=ids).update(
            status=Dispatch.Status.CLAIMED, claim=token, claimed_at=now
        )
    return token if taken else None


@dataclass
class _Pace:
    rate: float
    started: float = 0.0
    count: int = 0

    def wait(self) -> None:
        if self.rate <= 0:
            return
        if not self.started:
            self.started = time.monotonic()
        due = self.started + self.count / self.rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self.count += 1


def send_issue(issue_id: int, *, batch_size: int = 100, limit: int | None = None) -> int:
    """Send what is pending for the issue until nothing is left (or ``limit`` sent)."""
    issue = ReviewIssue.objects.select_related("dialogue").filter(pk=issue_id).first()
    if issue is None:
        return 0
    release_stale_claims(issue_id)
    renderer = IssueRenderer(issue)
    pace = _Pace(send_rate())
    sent = 0
    while limit is None or sent < limit:
        token = claim(
            issue_id, batch_size=batch_size if limit is None else min(batch_size, limit - sent)
        )
        if token is None:
            break
        sent += _send_claimed(token, renderer, pace)
    finish_if_done(issue_id)
    return sent


def finish_if_done(issue_id: int) -> bool:
    open_rows = Dispatch.objects.filter(
        issue_id=issue_id, status__in=[Dispatch.Status.PENDING, Dispatch.Status.CLAIMED]
    ).exists()
    if open_rows:
        return False
    ReviewIssue.objects.filter(pk=issue_id, sending=ReviewIssue.Sending.SENDING).update(
        sending=ReviewIssue.Sending.SENT, send_finished_at=timezone.now()
    )
    return True


def _send_claimed(token: str, renderer: IssueRenderer, pace: _Pace) -> int:
    sent = 0
    rows = list(
        Dispatch.objects.filter(claim=token, status=Dispatch.Status.CLAIMED)
        .only("pk", "subscriber_id", "email", "language", "attempts")
        .order_by("pk")
    )
    with mail.get_connection() as conn:
        for row in rows:
            try:
                message = renderer.message(row)
            except Exception as exc:  # a broken template must not block the others
                logger.exception("Could not render review e-mail %s", row.pk)
                Dispatch.objects.filter(pk=row.pk, claim=token).update(
                    status=Dispatch.Status.FAILED, last_error=repr(exc)[:2000]
                )
                continue
            pace.wait()
            took = Dispatch.objects.filter(
                pk=row.pk, claim=token, status=Dispatch.Status.CLAIMED
            ).update(status=Dispatch.Status.SENDING, attempts=F("attempts") + 1)
            if not took:
                continue
            message.connection = conn
            try:
                message.send()
            except Exception as exc:  # refused: it was not sent; recorded for a retry
                logger.warning("Sending review e-mail %s failed: %r", row.pk, exc)
                Dispatch.objects.filter(pk=row.pk).update(
                    status=Dispatch.Status.FAILED, claim="", last_error=repr(exc)[:2000]
                )
                if isinstance(exc, smtplib.SMTPRecipientsRefused):
                    record_bounce(subscriber_id=row.subscriber_id, error=repr(exc))
                continue
            Dispatch.objects.filter(pk=row.pk).update(
                status=Dispatch.Status.SENT, sent_at=timezone.now()
            )
            sent += 1
    return sent


def record_bounce(*, subscriber_id: int, error: str = "") -> None:
    """A recipient refused or bounced: after ``BOUNCE_LIMIT`` bounces the address is stopped."""
    Subscriber.objects.filter(pk=subscriber_id).update(bounces=F("bounces") + 1)
    Subscriber.objects.filter(
        pk=subscriber_id, status=Subscriber.Status.ACTIVE, bounces__gte=BOUNCE_LIMIT
    ).update(status=Subscriber.Status.BOUNCED)


def progress(issue: ReviewIssue) -> dict[str, int]:
    """How many e-mails of the issue are in each state (one query)."""
    counts = dict.fromkeys(Dispatch.Status.values, 0)
    for row in Dispatch.objects.filter(issue=issue).values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    counts["total"] = sum(counts[s] for s in Dispatch.Status.values)
    counts["waiting"] = counts[Dispatch.Status.PENDING] + counts[Dispatch.Status.CLAIMED]
    counts["percent"] = (
        round(100 * counts[Dispatch.Status.SENT] / counts["total"]) if counts["total"] else 0
    )
    return counts


# Rendering ----------------------------------------------------------------------------------


def entries_by_section(issue: ReviewIssue) -> list[tuple[str, str, list[ReviewEntry]]]:
    """The issue's entries grouped in the order of the sections: (code, label, entries)."""
    entries = list(issue.entries.select_related("news_item", "meeting").order_by("order", "pk"))
    groups = []
    for code, label in ReviewEntry.Section.choices:
        rows = [e for e in entries if e.section == code]
        if rows:
            groups.append((code, str(label), rows))
    return groups


def entry_path(entry: ReviewEntry) -> str:
    if entry.news_item_id and entry.news_item is not None:
        return entry.news_item.get_absolute_url()
    if entry.meeting_id:
        return reverse("meetings:detail", kwargs={"meeting_id": entry.meeting_id})
    if entry.document_id:
        return reverse("library:document", kwargs={"document_id": entry.document_id})
    return entry.link


class IssueRenderer:
    """Renders an issue once per language; each message only gets its own unsubscribe link."""

    def __init__(self, issue: ReviewIssue) -> None:
        self.issue = issue
        self._cache: dict[str, tuple[str, str, str]] = {}

    def parts(self, language: str) -> tuple[str, str, str]:
        if language not in self._cache:
            with translation.override(language):
                sections = entries_by_section(self.issue)
                for _code, _label, rows in sections:
                    for entry in rows:
                        path = entry_path(entry)
                        entry.url = (  # type: ignore[attr-defined]
                            f"{settings.SITE_URL}{path}" if path.startswith("/") else path
                        )
                context: dict[str, Any] = {
                    "issue": self.issue,
                    "dialogue": self.issue.dialogue,
                    "sections": sections,
                    "language": language,
                    "site_url": settings.SITE_URL,
                    "issue_url": settings.SITE_URL + self.issue.get_absolute_url(),
                    "unsubscribe_url": UNSUBSCRIBE_MARK,
                }
                subject = " ".join(str(self.issue.title).split())[:250]
                text = render_to_string("news/email/review.txt", context)
                html = render_to_string("news/email/review.html", context)
            self._cache[language] = (subject, text, html)
        return self._cache[language]

    def message(self, row: Dispatch) -> mail.EmailMultiAlternatives:
        subject, text, html = self.parts(row.language)
        link = unsubscribe_url(row.subscriber_id, row.language)
        message = mail.EmailMultiAlternatives(
            subject=subject,
            body=text.replace(UNSUBSCRIBE_MARK, link),
            to=[row.email],
            headers={
                "Content-Language": row.language,
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": f"<{self.issue.dialogue.slug}.review.dialogos>",
                "Precedence": "bulk",
                "Auto-Submitted": "auto-generated",
                "X-Dialogos-Dispatch": str(row.pk),
            },
        )
        message.attach_alternative(html.replace(UNSUBSCRIBE_MARK, link), "text/html")
        return message
