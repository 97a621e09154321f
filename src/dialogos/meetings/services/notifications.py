"""The e-mail outbox of the meetings app.

Causes (a confirmation, a schedule change, a reminder …) write ``Notification`` rows inside
their own transaction, each with a unique ``key`` per recipient and cause, so nothing is queued
twice. After the commit a background task sends what is pending.

Sending, and why no e-mail goes out twice
-----------------------------------------
1. *Claim*: a short transaction moves a batch of ``pending`` rows to ``claimed`` under a random
   claim token (PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite: the immediate transaction
   serialises claimers). Claimed rows whose lease ran out (a worker died before touching them)
   may be claimed again — they were never handed to the mail server.
2. *Mark before send*: immediately before handing a row to the mail server, one committed
   ``UPDATE … SET status='sending' WHERE claim=<token> AND status='claimed'`` takes it. If that
   matches no row, another worker owns it and it is skipped.
3. *Send*, then mark ``sent``.

A worker that dies between 2 and 3 leaves at most one row per worker in ``sending``; such rows
are never sent again automatically (the mail may have gone), so no recipient gets a message
twice. ``uncertain_notifications`` lists them for the operator. When the mail backend raises an
error the message was not accepted, and the row goes back to ``pending`` (``failed`` after
``MAX_ATTEMPTS``).
"""

from __future__ import annotations

import datetime
import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.mime.text import MIMEText
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dialogos.meetings import calendars
from dialogos.meetings.models import (
    Meeting,
    Notification,
    Registration,
    ScheduleAction,
    ScheduleChange,
    ScheduleDecision,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
LEASE = datetime.timedelta(seconds=getattr(settings, "NOTIFICATION_LEASE_SECONDS", 600))


@dataclass
class Outgoing:
    """A notification to queue (see ``queue``)."""

    key: str
    kind: str
    email: str
    language: str
    meeting_id: int | None = None
    user_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)


def _language(code: str | None) -> str:
    codes = {c for c, _n in settings.LANGUAGES}
    code = (code or "")[:2]
    return code if code in codes else settings.LANGUAGE_CODE


def queue(items: Iterable[Outgoing]) -> int:
    """Write outbox rows (inside the caller's transaction); an existing key is left alone.

    Schedules the sender to run after the commit. Returns how many rows were offered.
    Written with one multi-row ``INSERT … ON CONFLICT (key) DO NOTHING`` per batch: building
    ten thousand model instances would cost seconds.
    """
    now = timezone.now()
    rows = [
        (
            item.key[:200],
            item.kind,
            item.meeting_id,
            item.user_id,
            item.email,
            _language(item.language),
            json.dumps(item.payload),
            Notification.Status.PENDING,
            0,
            "",
            "",
            now,
        )
        for item in items
        if item.email
    ]
    if not rows:
        return 0
    table = connection.ops.quote_name(Notification._meta.db_table)
    payload = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    columns = (
        '"key", "kind", "meeting_id", "user_id", "email", "language", "payload", "status", '
        '"attempts", "claim", "last_error", "created_at"'
    )
    # One prepared single-row statement, sent many times (psycopg pipelines it; sqlite3 loops
    # in C): a multi-row statement with thousands of placeholders costs more to parse.
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 — fixed names, values bound
        f"(%s, %s, %s, %s, %s, %s, {payload}, %s, %s, %s, %s, %s)"
        ' ON CONFLICT ("key") DO NOTHING'
    )
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*row[:-1], stamp) for row in rows])
    transaction.on_commit(enqueue_sending)
    return len(rows)


def queue_for_registration(registration: Registration, kind: str, *, key: str | None = None) -> int:
    """Queue one message about a registration to its registrant (once per ``key``)."""
    email, language = registration.recipient()
    return queue(
        [
            Outgoing(
                key=key or f"{kind}:{registration.pk}",
                kind=kind,
                email=email,
                language=language,
                meeting_id=registration.meeting_id,
                user_id=registration.user_id,
                payload={"registration": registration.pk},
            )
        ]
    )


def enqueue_sending() -> None:
    from dialogos.meetings.tasks import send_notifications

    send_notifications.enqueue()


# Sending -------------------------------------------------------------------------------------


def claim(*, batch_size: int = 50, now: datetime.datetime | None = None) -> str | None:
    """Claim up to ``batch_size`` rows for this worker; returns the claim token (or None)."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    claimable = Q(status=Notification.Status.PENDING) | Q(
        status=Notification.Status.CLAIMED, claimed_at__lt=now - LEASE
    )
    with transaction.atomic():
        qs = Notification.objects.filter(claimable).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True)
        ids = list(qs.values_list("pk", flat=True)[:batch_size])
        if not ids:
            return None
        taken = Notification.objects.filter(claimable, pk__in=ids).update(
            status=Notification.Status.CLAIMED, claim=token, claimed_at=now
        )
    return token if taken else None


def send_pending(*, batch_size: int = 50, limit: int | None = None) -> int:
    """Send what is pending, batch by batch, until nothing is left (or ``limit`` sent)."""
    sent = 0
    while limit is None or sent < limit:
        token = claim(batch_size=batch_size if limit is None else min(batch_size, limit - sent))
        if token is None:
            break
        sent += _send_claimed(token)
    return sent


def _send_claimed(token: str) -> int:
    sent = 0
    rows = list(
        Notification.objects.filter(claim=token, status=Notification.Status.CLAIMED).order_by("pk")
    )
    cache: dict[Any, Any] = {}
    with mail.get_connection() as conn:
        for row in rows:
            try:
                message = render(row, cache)
            except Exception as exc:  # a broken template must not block the others
                logger.exception("Could not render notification %s", row.pk)
                Notification.objects.filter(pk=row.pk, claim=token).update(
                    status=Notification.Status.FAILED, last_error=repr(exc)[:2000]
                )
                continue
            # Mark before send: committed on its own (autocommit) before the mail server sees it.
            took = Notification.objects.filter(
                pk=row.pk, claim=token, status=Notification.Status.CLAIMED
            ).update(status=Notification.Status.SENDING, attempts=F("attempts") + 1)
            if not took:
                continue
            if message is None:  # nothing to say any more (e.g. the registration is gone)
                Notification.objects.filter(pk=row.pk).update(
                    status=Notification.Status.SENT, sent_at=timezone.now(), last_error="skipped"
                )
                continue
            message.connection = conn
            try:
                message.send()
            except Exception as exc:  # the backend refused: it was not sent, try again later
                logger.warning("Sending notification %s failed: %r", row.pk, exc)
                Notification.objects.filter(pk=row.pk).update(
                    status=(
                        Notification.Status.FAILED
                        if row.attempts + 1 >= MAX_ATTEMPTS
                        else Notification.Status.PENDING
                    ),
                    claim="",
                    last_error=repr(exc)[:2000],
                )
                continue
            Notification.objects.filter(pk=row.pk).update(
                status=Notification.Status.SENT, sent_at=timezone.now()
            )
            sent += 1
    return sent


def uncertain_notifications() -> QuerySet[Notification]:
    """Rows a worker took for sending but never marked sent: check the mail log by hand."""
    return Notification.objects.filter(status=Notification.Status.SENDING)


def resolve_notifications(*, actor: Any, ids: Iterable[int], resend: bool) -> int:
    """The operator's decision on e-mails the platform cannot be sure about.

    Rows left in "sending" (a worker died between marking and the mail server's answer) and
    rows that failed: ``resend`` puts them back in the queue, which the worker then sends;
    otherwise they are marked sent (the mail log shows they left). Other rows are not touched,
    so a sent e-mail is never sent again by mistake. Returns how many rows changed."""
    from dialogos.core import access
    from dialogos.core.audit import record
    from dialogos.core.models import AuditEntry

    if not access.principal(actor).is_operator:
        raise PermissionDenied(_("Only a platform operator decides on uncertain e-mails."))
    wanted = sorted({int(pk) for pk in ids})
    uncertain = [Notification.Status.SENDING, Notification.Status.FAILED]
    with transaction.atomic():
        rows = list(
            Notification.objects.filter(pk__in=wanted, status__in=uncertain).select_related(
                "meeting"
            )
        )
        for row in rows:
            before = {"status": row.status, "last_error": row.last_error}
            if resend:
                row.status, row.claim, row.claimed_at = Notification.Status.PENDING, "", None
                row.attempts = 0
            else:
                row.status, row.sent_at = Notification.Status.SENT, timezone.now()
                row.last_error = (row.last_error + "\n" if row.last_error else "") + (
                    "marked sent by an operator"
                )
            row.save(
                update_fields=["status", "claim", "claimed_at", "attempts", "sent_at", "last_error"]
            )
            record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=row,
                before=before,
                after={"status": row.status, "last_error": row.last_error},
                verb=gettext_noop("send e-mail again")
                if resend
                else gettext_noop("mark e-mail as sent"),
                dialogue_id=row.meeting.dialogue_id if row.meeting else None,
            )
        if resend and rows:
            transaction.on_commit(enqueue_sending)
    return len(rows)


# Rendering ---------------------------------------------------------------------------------


def _calendar_part(ics: bytes, *, method: str) -> MIMEText:
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="meeting.ics")
    return part


def _decision_with_changes(
    decision_id: Any, cache: dict[Any, Any] | None
) -> tuple[ScheduleDecision | None, list[ScheduleChange]]:
    """A decision and all its changes, read once per batch: a mass change writes one e-mail
    per person concerned, and they all share it."""
    key = ("decision", decision_id)
    if cache is not None and key in cache:
        return cache[key]
    decision = (
        ScheduleDecision.objects.select_related("dialogue").filter(pk=decision_id).first()
        if isinstance(decision_id, int)
        else None
    )
    changes = (
        list(
            ScheduleChange.objects.filter(decision=decision)
            .select_related("meeting", "meeting__country")
            .order_by("new_start", "pk")
        )
        if decision is not None
        else []
    )
    if cache is not None:
        cache[key] = (decision, changes)
    return decision, changes


def render(row: Notification, cache: dict[Any, Any] | None = None) -> mail.EmailMessage | None:
    """The e-mail for one outbox row, in the recipient's language (None: nothing to send).

    ``cache`` (one per batch) keeps what many rows share, such as a mass change's decision."""
    with translation.override(row.language):
        context: dict[str, Any] = {
            "notification": row,
            "language": row.language,
            "site_url": settings.SITE_URL,
        }
        attachment: MIMEText | None = None
        if row.kind == Notification.Kind.SCHEDULE_CHANGE:
            decision, all_changes = _decision_with_changes(row.payload.get("decision"), cache)
            if decision is None:
                return None
            wanted = set(row.payload.get("meetings", []))
            changes = [c for c in all_changes if c.meeting_id in wanted]
            if not changes:
                return None
            for change in changes:
                change.meeting_link = calendars.meeting_url(change.meeting, row.language)  # type: ignore[attr-defined]
            cancel = decision.action == ScheduleAction.CANCEL
            context.update(
                decision=decision,
                changes=changes,
                reason=decision.reason.get_text(row.language),
                dialogue=decision.dialogue,
            )
            ics = calendars.invitation(
                [c.meeting for c in changes],
                language=row.language,
                attendee=row.email,
                cancel=cancel,
                private_ids=set(row.payload.get("registered", [])),
            )
            attachment = _calendar_part(
                ics, method=calendars.METHOD_CANCEL if cancel else calendars.METHOD_REQUEST
            )
        else:
            registration = (
                Registration.objects.select_related(
                    "meeting", "meeting__dialogue", "meeting__country", "person"
                )
                .filter(pk=row.payload.get("registration"))
                .first()
            )
            if registration is None:
                return None
            meeting = registration.meeting
            context.update(
                registration=registration,
                meeting=meeting,
                meeting_link=calendars.meeting_url(meeting, row.language),
            )
            invite = row.kind in {
                Notification.Kind.CONFIRMED,
                Notification.Kind.REMINDER,
            } or (
                row.kind == Notification.Kind.PROMOTED
                and registration.status == Registration.Status.CONFIRMED
            )
            if row.kind == Notification.Kind.REMINDER and registration.status not in (
                Registration.PARTICIPANT_STATUSES
            ):
                return None
            if (
                row.kind == Notification.Kind.REMINDER
                and meeting.status == Meeting.Status.CANCELLED
            ):
                return None
            if invite:
                ics = calendars.invitation([meeting], language=row.language, attendee=row.email)
                attachment = _calendar_part(ics, method=calendars.METHOD_REQUEST)
            elif row.kind == Notification.Kind.REJECTED and row.payload.get("was_confirmed"):
                ics = calendars.invitation(
                    [meeting], language=row.language, attendee=row.email, cancel=True
                )
                attachment = _calendar_part(ics, method=calendars.METHOD_CANCEL)
        subject = render_to_string(f"meetings/email/{row.kind}_subject.txt", context)
        body = render_to_string(f"meetings/email/{row.kind}.txt", context)
    message = mail.EmailMessage(
        subject=" ".join(subject.split())[:250],
        body=body,
        to=[row.email],
        headers={"Content-Language": row.language, "X-Dialogos-Notification": row.key},
    )
    if attachment is not None:
        message.attach(attachment)
    return message


# Reminders ---------------------------------------------------------------------------------

REMINDER_STATUSES = (
    Meeting.Status.PLANNED,
    Meeting.Status.CONFIRMED,
    Meeting.Status.RESCHEDULED,
    Meeting.Status.MOVED_ONLINE,
)


def queue_meeting_reminders(*, days_ahead: int = 7, now: datetime.datetime | None = None) -> int:
    """Queue a reminder to every confirmed participant of meetings starting within ``days_ahead``.

    Idempotent: the key names the meeting's calendar revision and the registration, so running it
    again queues nothing new — unless the meeting was moved since, which deserves a new reminder.
    Returns how many reminders were newly queued.
    """
    now = now or timezone.now()
    meetings = Meeting.objects.filter(
        start__gte=now,
        start__lt=now + datetime.timedelta(days=days_ahead),
        status__in=REMINDER_STATUSES,
    )
    registrations = (
        Registration.objects.filter(
            meeting__in=meetings, status__in=Registration.PARTICIPANT_STATUSES
        )
        .select_related("meeting", "meeting__dialogue", "user", "person", "person__user")
        .order_by("pk")
    )
    items = []
    for registration in registrations:
        email, language = registration.recipient()
        items.append(
            Outgoing(
                key=(
                    f"reminder:{registration.meeting_id}:{registration.meeting.ical_sequence}"
                    f":{registration.pk}"
                ),
                kind=Notification.Kind.REMINDER,
                email=email,
                language=language,
                meeting_id=registration.meeting_id,
                user_id=registration.user_id,
                payload={"registration": registration.pk},
            )
        )
    if not items:
        return 0
    with transaction.atomic():
        before = Notification.objects.filter(kind=Notification.Kind.REMINDER).count()
        queue(items)
        return Notification.objects.filter(kind=Notification.Kind.REMINDER).count() - before
