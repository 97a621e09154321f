"""Subscriptions to the review: double opt-in by a signed link, one-click unsubscribe.

Tokens are signed with the site's secret key (``django.core.signing``), each kind with its own
salt, so a confirmation link cannot serve as an unsubscribe link or the other way round. A
link that was changed by a single character fails its signature and is refused.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dialogos.core import audit
from dialogos.core.i18n import language_codes
from dialogos.core.models import AuditEntry
from dialogos.dialogues.models import Dialogue
from dialogos.news.models import Subscriber

logger = logging.getLogger(__name__)

CONFIRM_SALT = "dialogos.news.confirm"
UNSUBSCRIBE_SALT = "dialogos.news.unsubscribe"
DEFAULT_CONFIRM_MAX_AGE = 7 * 24 * 3600


class BadToken(Exception):
    """A link whose signature does not match, or which has expired."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def confirm_max_age() -> int:
    return int(getattr(settings, "NEWS_CONFIRM_MAX_AGE", DEFAULT_CONFIRM_MAX_AGE))


def _language(code: str | None) -> str:
    code = (code or "")[:2]
    return code if code in language_codes() else settings.LANGUAGE_CODE


def confirm_token(email: str, language: str, dialogue_ids: list[int]) -> str:
    return signing.dumps(
        {"e": email, "l": language, "d": sorted(dialogue_ids)}, salt=CONFIRM_SALT, compress=True
    )


def unsubscribe_token(subscriber_id: int) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscriber_id))


def unsubscribe_url(subscriber_id: int, language: str) -> str:
    with translation.override(language):
        path = reverse("news:unsubscribe", kwargs={"token": unsubscribe_token(subscriber_id)})
    return f"{settings.SITE_URL}{path}"


def subscribe(*, email: str, language: str, dialogues: list[Dialogue]) -> str:
    """Ask for the review: records a pending address (once) and mails the confirmation link.

    Nobody becomes a subscriber before opening the link. The answer is the same whether the
    address is new or already subscribed, so the form tells nobody who reads the review.
    Returns the confirmation token (for tests and the API).
    """
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    language = _language(language)
    token = confirm_token(email, language, [d.pk for d in dialogues])
    with transaction.atomic():
        subscriber, created = Subscriber.objects.get_or_create(
            email=email, defaults={"language": language}
        )
        if created:
            audit.record(
                actor=None,
                action=AuditEntry.Action.CREATE,
                obj=subscriber,
                after=audit.snapshot(subscriber),
                verb="subscription asked",
            )
        transaction.on_commit(lambda: _send_confirmation(email, language, token))
    return token


def _send_confirmation(email: str, language: str, token: str) -> None:
    with translation.override(language):
        url = settings.SITE_URL + reverse("news:confirm", kwargs={"token": token})
        context = {"url": url, "days": confirm_max_age() // 86400, "site_url": settings.SITE_URL}
        subject = render_to_string("news/email/confirm_subject.txt", context)
        body = render_to_string("news/email/confirm.txt", context)
    message = mail.EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[email],
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
    )
    try:
        message.send()
    except Exception:  # the page still answers; the person can ask again
        logger.exception("Could not send the confirmation of a subscription")


def confirm_subscription(*, token: str) -> Subscriber:
    """Open the confirmation link: the address becomes an active subscriber."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=confirm_max_age())
    except signing.SignatureExpired:
        raise BadToken("expired") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise BadToken("invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        raise BadToken("invalid")
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
            email=data["e"], defaults={"language": _language(data.get("l"))}
        )
        before = audit.snapshot(subscriber)
        subscriber.language = _language(data.get("l"))
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.bounces = 0
        subscriber.save(
            update_fields=["language", "status", "confirmed_at", "unsubscribed_at", "bounces"]
        )
        ids = [int(i) for i in data.get("d", []) if isinstance(i, int)]
        subscriber.dialogues.set(Dialogue.objects.filter(pk__in=ids))
        audit.record(
            actor=None,
            action=AuditEntry.Action.UPDATE,
            obj=subscriber,
            before=before,
            after=audit.snapshot(subscriber),
            verb="subscription confirmed",
        )
    return subscriber


def subscriber_for_unsubscribe(token: str) -> Subscriber:
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        raise BadToken("invalid") from None
    subscriber = Subscriber.objects.filter(pk=int(value)).first() if value.isdecimal() else None
    if subscriber is None:
        raise BadToken("invalid")
    return subscriber


def unsubscribe(*, token: str) -> Subscriber:
    """One click: the address gets no more reviews (idempotent)."""
    subscriber = subscriber_for_unsubscribe(token)
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        return subscriber
    with transaction.atomic():
        before = audit.snapshot(subscriber)
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
        audit.record(
            actor=None,
            action=AuditEntry.Action.UPDATE,
            obj=subscriber,
            before=before,
            after=audit.snapshot(subscriber),
            verb="unsubscribed",
        )
    return subscriber
