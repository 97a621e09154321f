"""The e-mail outbox of the texts app: focal points hear of circulations, deadlines, broken
silences and adoptions.

Causes write ``TextNotification`` rows in their own transaction, with a ``key`` unique per
recipient and cause (``INSERT … ON CONFLICT DO NOTHING`` through ``bulk_create``), so running a
cause again queues nothing new. After the commit the worker sends what is pending: a row is
taken (``pending`` → ``sending``) by one committed update before the mail server sees it, so
two workers never send the same row; a row left in ``sending`` by a crash is not sent again.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from dialogos.texts.models import Circulation, Comment, TextNotification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
REMINDER_WINDOW = datetime.timedelta(hours=48)


def _language(code: str | None) -> str:
    codes = {c for c, _n in settings.LANGUAGES}
    code = (code or "")[:2]
    return code if code in codes else settings.LANGUAGE_CODE


def queue_for_circulation(
    circulation: Circulation, kind: str, *, codes: set[str] | None = None, suffix: str = ""
) -> int:
    """Queue one message of ``kind`` to each focal point of the circulation's states (or of
    ``codes``), inside the caller's transaction. Returns how many rows were offered."""
    from dialogos.texts.services import focal_point_recipients

    dialogue_id = circulation.version.text.dialogue_id
    states = set(circulation.states.values_list("code", flat=True))
    if codes is not None:
        states &= codes
    rows = []
    for role in focal_point_recipients(dialogue_id, states):
        user = role.user
        if not user.email:
            continue
        rows.append(
            TextNotification(
                key=f"{kind}:{circulation.pk}{suffix}:{user.pk}"[:200],
                kind=kind,
                circulation=circulation,
                user=user,
                email=user.email,
                language=_language(getattr(user, "language", None)),
            )
        )
    if not rows:
        return 0
    TextNotification.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(enqueue_sending)
    return len(rows)


def enqueue_sending() -> None:
    from dialogos.texts.tasks import send_text_notifications

    send_text_notifications.enqueue()


def queue_deadline_reminders(
    *, now: datetime.datetime | None = None, window: datetime.timedelta = REMINDER_WINDOW
) -> int:
    """Remind the focal points of states that have sent nothing yet (or, in a silence
    procedure, every state) when an open circulation's deadline is within ``window``.

    Idempotent: one reminder per circulation, deadline and recipient. Returns how many rows
    were newly queued.
    """
    now = now or timezone.now()
    due = (
        Circulation.objects.filter(
            outcome=Circulation.Outcome.OPEN, deadline__gt=now, deadline__lte=now + window
        )
        .select_related("version__text")
        .prefetch_related("states")
    )
    before = TextNotification.objects.filter(kind=TextNotification.Kind.DEADLINE).count()
    with transaction.atomic():
        for circulation in due:
            codes = {c.code for c in circulation.states.all()}
            if circulation.kind == Circulation.Kind.COMMENTS:
                answered = set(
                    Comment.objects.filter(
                        circulation=circulation, status=Comment.Status.SENT
                    ).values_list("country_id", flat=True)
                )
                codes -= answered
            if codes:
                queue_for_circulation(
                    circulation,
                    TextNotification.Kind.DEADLINE,
                    codes=codes,
                    suffix=f":{circulation.deadline:%Y%m%d%H%M}",
                )
    return TextNotification.objects.filter(kind=TextNotification.Kind.DEADLINE).count() - before


def render(row: TextNotification) -> mail.EmailMessage | None:
    """The e-mail for one row, in the recipient's language (None: nothing to say any more)."""
    circulation = (
        Circulation.objects.select_related("version", "version__text", "version__text__dialogue")
        .filter(pk=row.circulation_id)
        .first()
    )
    if circulation is None:
        return None
    text = circulation.version.text
    with translation.override(row.language):
        path = reverse("texts_member:detail", args=[text.pk])
        context: dict[str, Any] = {
            "row": row,
            "circulation": circulation,
            "version": circulation.version,
            "text": text,
            "dialogue": text.dialogue,
            "link": f"{settings.SITE_URL}{path}",
            "deadline": timezone.localtime(circulation.deadline, datetime.UTC),
        }
        subject = render_to_string("texts/email/subject.txt", context)
        body = render_to_string("texts/email/body.txt", context)
    return mail.EmailMessage(
        subject=" ".join(subject.split())[:250],
        body=body,
        to=[row.email],
        headers={"Content-Language": row.language, "X-Dialogos-Notification": row.key},
    )


def send_pending(*, limit: int = 500) -> int:
    """Send pending rows (each at most once); returns how many were sent."""
    sent = 0
    ids = list(
        TextNotification.objects.filter(status=TextNotification.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0
    with mail.get_connection() as conn:
        for pk in ids:
            took = TextNotification.objects.filter(
                pk=pk, status=TextNotification.Status.PENDING
            ).update(status=TextNotification.Status.SENDING, attempts=F("attempts") + 1)
            if not took:  # another worker has it
                continue
            row = TextNotification.objects.get(pk=pk)
            try:
                message = render(row)
            except Exception as exc:  # a broken template must not block the others
                logger.exception("Could not render text notification %s", pk)
                TextNotification.objects.filter(pk=pk).update(
                    status=TextNotification.Status.FAILED, last_error=repr(exc)[:2000]
                )
                continue
            if message is None:
                TextNotification.objects.filter(pk=pk).update(
                    status=TextNotification.Status.SENT,
                    sent_at=timezone.now(),
                    last_error="skipped",
                )
                continue
            message.connection = conn
            try:
                message.send()
            except Exception as exc:  # refused by the backend: not sent, try again later
                logger.warning("Sending text notification %s failed: %r", pk, exc)
                TextNotification.objects.filter(pk=pk).update(
                    status=(
                        TextNotification.Status.FAILED
                        if row.attempts >= MAX_ATTEMPTS
                        else TextNotification.Status.PENDING
                    ),
                    last_error=repr(exc)[:2000],
                )
                continue
            TextNotification.objects.filter(pk=pk).update(
                status=TextNotification.Status.SENT, sent_at=timezone.now()
            )
            sent += 1
    return sent
