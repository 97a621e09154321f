"""Bounces: delivery status notifications (RFC 3464) matched to the outbox, and what they do.

Every review e-mail carries two signed marks of its outbox row (``Dispatch``):

- its ``Message-ID``, ``<review-<id>-<signature>@<domain>>``, which a DSN quotes in the
  returned headers (``text/rfc822-headers`` or ``message/rfc822``);
- when ``NEWS_BOUNCE_ADDRESS`` is set (``bounces@example.org``), a VERP envelope sender,
  ``bounces+review-<id>-<signature>@example.org``, to which the DSN itself is addressed.

``record_mailbox`` reads a bounce mailbox (mbox file or Maildir, or one message), finds the
notices whose action is ``failed`` and the row they answer (only by a valid signature: a forged
notice cannot stop anyone's subscription), and records each once. A hard bounce (status 5.x.x)
stops the address at once; ``SOFT_LIMIT`` soft ones (4.x.x) stop it too. Stopped addresses
receive nothing more, and the workspace shows every bounce. ``delayed`` and ``delivered``
notices change nothing.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesHeaderParser, HeaderParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from dialogos.news.models import Bounce, Dispatch, Subscriber

SOFT_LIMIT = 3
SALT = "dialogos.news.bounce"
TOKEN = re.compile(r"review-(\d{1,12})-([0-9a-f]{12})", re.IGNORECASE)


# Marks on the outgoing e-mail ----------------------------------------------------------------


def _signature(dispatch_id: int) -> str:
    return salted_hmac(SALT, str(dispatch_id), algorithm="sha256").hexdigest()[:12]


def token(dispatch_id: int) -> str:
    return f"review-{dispatch_id}-{_signature(dispatch_id)}"


def _domain() -> str:
    address = getattr(settings, "NEWS_BOUNCE_ADDRESS", "")
    if "@" in address:
        return address.rsplit("@", 1)[1]
    return urlsplit(settings.SITE_URL).hostname or "dialogos.invalid"


def message_id(dispatch_id: int) -> str:
    return f"<{token(dispatch_id)}@{_domain()}>"


def return_path(dispatch_id: int) -> str:
    """The VERP envelope sender of the e-mail, or "" when no bounce address is configured."""
    address = getattr(settings, "NEWS_BOUNCE_ADDRESS", "")
    if "@" not in address:
        return ""
    local, domain = address.rsplit("@", 1)
    return f"{local}+{token(dispatch_id)}@{domain}"


def dispatch_ids_in(text: str) -> set[int]:
    """Outbox ids whose valid signed token appears in ``text``."""
    found = set()
    for number, signature in TOKEN.findall(text or ""):
        pk = int(number)
        if constant_time_compare(signature.lower(), _signature(pk)):
            found.add(pk)
    return found


# Reading notifications -----------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """One recipient's block of a delivery status notification."""

    recipient: str
    action: str
    status: str
    diagnostic: str

    @property
    def kind(self) -> str | None:
        """``hard``/``soft`` for a failure, None for what is not a bounce (delayed …)."""
        if self.action != "failed":
            return None
        return Bounce.Kind.SOFT if self.status.startswith("4") else Bounce.Kind.HARD


def _address(value: Any) -> str:
    text = str(value or "").strip()
    if ";" in text:  # "rfc822; someone@example.org"
        text = text.split(";", 1)[1]
    return text.strip().strip("<>").lower()


def notices(message: Message) -> list[Notice]:
    """The per-recipient blocks of every ``message/delivery-status`` part."""
    found = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        if not isinstance(blocks, list):
            continue
        for block in blocks:
            if not isinstance(block, Message):
                continue
            recipient = block.get("Final-Recipient") or block.get("Original-Recipient")
            action = str(block.get("Action") or "").strip().lower()
            if not recipient or not action:
                continue  # the per-message block
            status = str(block.get("Status") or "").strip().split(" ")[0]
            diagnostic = " ".join(str(block.get("Diagnostic-Code") or "").split())
            found.append(Notice(_address(recipient), action, status, diagnostic[:2000]))
    return found


def dispatch_ids(message: Message) -> set[int]:
    """The outbox rows a notification answers: from the address it was sent to (VERP) and from
    the returned headers of the original e-mail (its Message-ID)."""
    texts = [
        str(message.get(name) or "")
        for name in ("To", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To")
    ]
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "text/rfc822-headers":
            payload = part.get_payload(decode=True)
            headers = (
                BytesHeaderParser().parsebytes(payload)
                if isinstance(payload, bytes)
                else HeaderParser().parsestr(str(part.get_payload()))
            )
            texts += [str(headers.get("Message-ID") or ""), str(headers.get("Return-Path") or "")]
        elif kind == "message/rfc822":
            inner = part.get_payload()
            original = inner[0] if isinstance(inner, list) and inner else None
            if isinstance(original, Message):
                texts += [
                    str(original.get("Message-ID") or ""),
                    str(original.get("Return-Path") or ""),
                ]
    found: set[int] = set()
    for text in texts:
        found |= dispatch_ids_in(text)
    return found


def is_report(message: Message) -> bool:
    return message.get_content_type() == "multipart/report" or any(
        part.get_content_type() == "message/delivery-status" for part in message.walk()
    )


# Recording -----------------------------------------------------------------------------------


@dataclass
class Result:
    """What reading a mailbox did, for the command's report and the tests."""

    messages: int = 0
    not_reports: int = 0
    not_bounces: int = 0  # delayed, delivered …
    unmatched: int = 0
    already: int = 0
    hard: int = 0
    soft: int = 0
    stopped: list[str] = field(default_factory=list)


def record_bounce(
    *,
    subscriber_id: int,
    kind: str,
    fingerprint: str,
    dispatch_id: int | None = None,
    status: str = "",
    diagnostic: str = "",
) -> tuple[bool, bool]:
    """Record one bounce (once per ``fingerprint``); stop the address after a hard bounce or
    ``SOFT_LIMIT`` soft ones. Returns (recorded, stopped now)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                Bounce.objects.create(
                    subscriber_id=subscriber_id,
                    dispatch_id=dispatch_id,
                    kind=kind,
                    status=status[:16],
                    diagnostic=diagnostic[:2000],
                    fingerprint=fingerprint,
                )
        except IntegrityError:
            return False, False
        Subscriber.objects.filter(pk=subscriber_id).update(bounces=F("bounces") + 1)
        stop = kind == Bounce.Kind.HARD or (
            Bounce.objects.filter(subscriber_id=subscriber_id, kind=Bounce.Kind.SOFT).count()
            >= SOFT_LIMIT
        )
        stopped = bool(
            stop
            and Subscriber.objects.filter(pk=subscriber_id, status=Subscriber.Status.ACTIVE).update(
                status=Subscriber.Status.BOUNCED, unsubscribed_at=timezone.now()
            )
        )
    return True, stopped


def record_message(raw: bytes, result: Result) -> None:
    """Read one message of the bounce mailbox into ``result`` (and the database)."""
    result.messages += 1
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    if not is_report(message):
        result.not_reports += 1
        return
    failures = [(n, n.kind) for n in notices(message) if n.kind is not None]
    if not failures:
        result.not_bounces += 1
        return
    rows = {
        row.pk: row
        for row in Dispatch.objects.filter(pk__in=dispatch_ids(message)).only(
            "pk", "email", "subscriber_id"
        )
    }
    if not rows:
        result.unmatched += 1
        return
    origin = str(message.get("Message-ID") or "") or hashlib.sha256(raw).hexdigest()
    for notice, kind in failures:
        # The row whose address the notice names; a single row also matches a notice naming
        # another address (a forward: the final recipient is not the one we wrote to).
        row = next((r for r in rows.values() if r.email.lower() == notice.recipient), None)
        if row is None and len(rows) == 1:
            row = next(iter(rows.values()))
        if row is None:
            result.unmatched += 1
            continue
        fingerprint = hashlib.sha256(
            f"dsn|{origin}|{row.pk}|{notice.recipient}".encode()
        ).hexdigest()
        recorded, stopped = record_bounce(
            subscriber_id=row.subscriber_id,
            dispatch_id=row.pk,
            kind=str(kind),
            status=notice.status,
            diagnostic=notice.diagnostic,
            fingerprint=fingerprint,
        )
        if not recorded:
            result.already += 1
            continue
        if kind == Bounce.Kind.HARD:
            result.hard += 1
        else:
            result.soft += 1
        if stopped:
            result.stopped.append(row.email)


def messages_at(path: Path) -> Iterator[bytes]:
    """The raw messages of a Maildir (a folder with cur/new), an mbox file, or one message."""
    if path.is_dir():
        box: Any = mailbox.Maildir(str(path), factory=None, create=False)
        for key in box.iterkeys():
            yield box.get_bytes(key)
        return
    with path.open("rb") as handle:
        starts_as_mbox = handle.read(5) == b"From "
    if not starts_as_mbox:
        yield path.read_bytes()
        return
    mbox = mailbox.mbox(str(path), factory=None, create=False)
    try:
        for key in mbox.iterkeys():
            yield mbox.get_bytes(key)
    finally:
        mbox.close()


def record_mailbox(path: Path | str) -> Result:
    """Read every message at ``path`` (see ``messages_at``); safe to run again on the same
    mailbox: what was recorded is not counted twice."""
    result = Result()
    for raw in messages_at(Path(path)):
        record_message(raw, result)
    return result


def record_refusal(*, row: Dispatch, error: Any) -> None:
    """The mail server refused the recipient while we sent (SMTP 4xx/5xx at RCPT)."""
    code = 0
    recipients = getattr(error, "recipients", None)
    if isinstance(recipients, dict) and recipients:
        first = next(iter(recipients.values()))
        if isinstance(first, tuple) and first and isinstance(first[0], int):
            code = first[0]
    kind = Bounce.Kind.SOFT if 400 <= code < 500 else Bounce.Kind.HARD
    record_bounce(
        subscriber_id=row.subscriber_id,
        dispatch_id=row.pk,
        kind=kind,
        status=str(code or ""),
        diagnostic=repr(error)[:2000],
        fingerprint=hashlib.sha256(f"smtp|{row.pk}|{row.attempts + 1}".encode()).hexdigest(),
    )
