"""Sending a review issue: one outbox row per (issue, subscriber), each sent at most once.

1. *Queue*: one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` writes a ``Dispatch`` row for every
   active subscriber of the issue's dialogue, in the subscriber's language. The unique pair
   (issue, subscriber) means sending an issue again queues nobody twice.
2. *Claim*: a short transaction moves a batch of ``pending`` rows to ``claimed`` under a random
   token (PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite: the immediate transaction serialises
   claimers). Claims older than ``NEWS_SEND_LEASE_SECONDS`` belong to a dead worker and are
   claimed again — those rows were never handed to the mail server.
3. *Mark before send*: ``UPDATE … SET status='sending' WHERE pk=… AND claim=<token> AND
   status='claimed'`` (committed, durably) takes one row; if it matches nothing another worker
   owns it. The same statement marks the previous message ``sent``: one write, one round trip
   and one commit per message.
4. *Send*; a refusal by the mail server marks the row ``failed`` with the error (a refused
   recipient also counts as a bounce of the subscriber, see ``bounces``). Each e-mail carries a
   signed Message-ID (and, with ``NEWS_BOUNCE_ADDRESS``, a VERP envelope sender) naming its
   row, so that later delivery status notifications find it; addresses stopped meanwhile
   (unsubscribed, bounced) are not sent to.

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
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from dialogos.news.models import Dispatch, ReviewEntry, ReviewIssue, Subscriber
from dialogos.news.services import bounces
from dialogos.news.services.subscriptions import unsubscribe_url

logger = logging.getLogger(__name__)

DEFAULT_RATE = 20.0
DEFAULT_LEASE_SECONDS = 300
UNSUBSCRIBE_MARK = "@@UNSUBSCRIBE_URL@@"
STOPPED = "Not sent: the address was unsubscribed or stopped after bounces."


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
        _relaxed_commit()
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
    """Send the rows of one claim. Each message costs one write before it is handed over: a
    single statement that marks the previous message ``sent`` and takes this one
    (``claimed`` → ``sending``), committed before the hand-over; the batch's last ``sent`` mark
    is written after the loop."""
    sent = 0
    rows = list(
        Dispatch.objects.filter(claim=token, status=Dispatch.Status.CLAIMED)
        .only("pk", "subscriber_id", "email", "language", "attempts")
        .order_by("pk")
    )
    stopped = set(
        Subscriber.objects.filter(pk__in={row.subscriber_id for row in rows})
        .exclude(status=Subscriber.Status.ACTIVE)
        .values_list("pk", flat=True)
    )
    if stopped:  # unsubscribed or stopped after bounces since the issue was queued
        Dispatch.objects.filter(claim=token, subscriber_id__in=stopped).update(
            status=Dispatch.Status.FAILED, claim="", last_error=STOPPED
        )
        rows = [row for row in rows if row.subscriber_id not in stopped]
    handed: int | None = None  # handed to the mail server, its "sent" mark not yet written
    try:
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
                took = _mark(sent=handed, take=row.pk, token=token)
                handed = None
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
                        bounces.record_refusal(row=row, error=exc)
                    continue
                handed = row.pk
                sent += 1
    finally:
        if handed is not None:
            with transaction.atomic():
                _relaxed_commit()
                _mark(sent=handed, take=None, token=token)
    return sent


def _mark(*, sent: int | None, take: int | None, token: str) -> bool:
    """One statement, one round trip: row ``sent`` (handed over before) becomes ``sent``; row
    ``take`` becomes ``sending`` if it is still ``claimed`` under ``token``. Returns whether
    ``take`` was taken (False: another sender owns it now, or there was nothing to take).

    Committed before the caller hands ``take`` over: a worker killed at any later moment
    leaves it in ``sending`` (never sent again automatically). The commit is durable
    (synchronous on PostgreSQL), so a crash of the database itself cannot undo it either."""
    none = -1  # no row has this id
    table = connection.ops.quote_name(Dispatch._meta.db_table)
    sql = (
        f"UPDATE {table} SET "  # noqa: S608 — fixed names, values bound
        "status = CASE WHEN id = %s THEN %s ELSE %s END, "
        "attempts = CASE WHEN id = %s THEN attempts + 1 ELSE attempts END, "
        "sent_at = CASE WHEN id = %s THEN %s ELSE sent_at END "
        "WHERE (id = %s AND claim = %s AND status = %s) OR (id = %s AND status = %s) "
        "RETURNING id"
    )
    take_id = take if take is not None else none
    sent_id = sent if sent is not None else none
    params: list[Any] = [
        take_id,
        Dispatch.Status.SENDING,
        Dispatch.Status.SENT,
        take_id,
        sent_id,
        timezone.now(),
        take_id,
        token,
        Dispatch.Status.CLAIMED,
        sent_id,
        Dispatch.Status.SENDING,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        changed = {row[0] for row in cursor.fetchall()}
    return take is not None and take in changed


def _relaxed_commit() -> None:
    """Inside a transaction whose loss in a crash of the *database* could never cause a second
    sending (a claim: the rows were not handed over yet; a last ``sent`` mark: the row would
    stay ``sending``, which is never sent again automatically): PostgreSQL need not wait for
    the disk. Any later durable commit (the next ``sending`` mark) flushes it anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


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
        envelope = bounces.return_path(row.pk)  # VERP: a bounce names its outbox row
        extra = {"From": settings.DEFAULT_FROM_EMAIL} if envelope else {}
        message = mail.EmailMultiAlternatives(
            subject=subject,
            body=text.replace(UNSUBSCRIBE_MARK, link),
            from_email=envelope or None,
            to=[row.email],
            headers={
                **extra,
                "Message-ID": bounces.message_id(row.pk),
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
