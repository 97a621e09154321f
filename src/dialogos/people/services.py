"""Accounts, roles, invitations and the sign-in throttle."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dialogos.core import access, audit
from dialogos.core.models import AuditEntry, Country
from dialogos.dialogues.models import Dialogue
from dialogos.people.models import Invitation, LoginFailure, Person, Role, User, hash_token


def grant_role(
    *,
    actor: Any,
    user: User,
    dialogue: Dialogue,
    role: str,
    country: Country | None = None,
) -> Role:
    with transaction.atomic():
        grant = Role(
            user=user,
            dialogue=dialogue,
            role=role,
            country=country,
            granted_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        grant.full_clean()
        grant.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=grant,
            after=audit.snapshot(grant),
            verb=gettext_noop("grant role"),
        )
    access.forget(user)
    return grant


def revoke_role(*, actor: Any, grant: Role) -> Role:
    with transaction.atomic():
        before = audit.snapshot(grant)
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=grant,
            before=before,
            after=audit.snapshot(grant),
            verb=gettext_noop("revoke role"),
        )
    access.forget(grant.user)
    return grant


def save_person(*, actor: Any, person: Person | None = None, **fields: Any) -> Person:
    person = person or Person()
    creating = person.pk is None
    with transaction.atomic():
        before = None if creating else audit.snapshot(Person.objects.get(pk=person.pk))
        for name, value in fields.items():
            setattr(person, name, value)
        person.full_clean()
        person.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
            obj=person,
            before=before,
            after=audit.snapshot(person),
            verb=gettext_noop("save person"),
        )
    return person


def invite_person(
    *,
    actor: Any,
    dialogue: Dialogue,
    email: str,
    role: str,
    country: Country | None = None,
    display_name: str = "",
    language: str = "en",
) -> tuple[Invitation, str]:
    """Create an expiring single-use invitation and send it by e-mail through the worker.

    Returns the invitation and its token (only its hash is stored).
    """
    email = email.strip().lower()
    probe = Role(dialogue=dialogue, role=role, country=country)
    probe.clean()  # same rules as the role it will grant
    existing = User.objects.filter(email__iexact=email).first()
    if (
        existing
        and Role.objects.active()
        .filter(user=existing, dialogue=dialogue, role=role, country=country)
        .exists()
    ):
        raise ValidationError({"email": _("This person already has this role.")})
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation(
            email=email,
            dialogue=dialogue,
            role=role,
            country=country,
            display_name=display_name.strip(),
            token_hash=hash_token(token),
            invited_by=actor if getattr(actor, "is_authenticated", False) else None,
            expires_at=timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
            language=language if language in dict(settings.LANGUAGES) else "en",
        )
        invitation.full_clean(exclude=["token_hash"])
        invitation.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=invitation,
            after=audit.snapshot(invitation),
            verb=gettext_noop("invite person"),
            dialogue_id=dialogue.pk,
        )
        from dialogos.people.tasks import send_invitation

        transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk, token))
    return invitation, token


def find_invitation(token: str) -> Invitation | None:
    """The usable invitation for ``token``, or ``None`` (unknown, used or expired alike)."""
    if not token or len(token) > 200:
        return None
    invitation = (
        Invitation.objects.select_related("dialogue", "country")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None or not invitation.is_usable():
        return None
    return invitation


def accept_invitation(
    *, token: str, user: User | None = None, password: str = "", display_name: str = ""
) -> User:
    """Use an invitation once: create the account (or take the signed-in one) and grant the role."""
    with transaction.atomic():
        invitation = find_invitation(token)
        if invitation is None:
            raise ValidationError(
                _("This invitation link is not valid: it was used or it expired.")
            )
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(
                _("This invitation link is not valid: it was used or it expired.")
            )
        if user is None:
            if User.objects.filter(email__iexact=invitation.email).exists():
                raise ValidationError(
                    _(
                        "An account with this e-mail address exists: sign in first, then open the link again."
                    )
                )
            user = User(
                email=invitation.email,
                display_name=(display_name or invitation.display_name).strip(),
                language=invitation.language,
            )
            validate_password(password, user)
            user.set_password(password)
            user.save()
            audit.record(
                actor=user,
                action=AuditEntry.Action.CREATE,
                obj=user,
                after=audit.snapshot(user),
                verb=gettext_noop("accept invitation"),
                dialogue_id=invitation.dialogue_id,
            )
        elif user.email.lower() != invitation.email.lower():
            raise ValidationError(_("This invitation was sent to another e-mail address."))
        already = (
            Role.objects.active()
            .filter(
                user=user,
                dialogue=invitation.dialogue,
                role=invitation.role,
                country=invitation.country,
            )
            .exists()
        )
        if not already:
            grant_role(
                actor=invitation.invited_by or user,
                user=user,
                dialogue=invitation.dialogue,
                role=invitation.role,
                country=invitation.country,
            )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    access.forget(user)
    return user


# Sign-in throttle -------------------------------------------------------------------------


def _throttle_keys(email: str, client: str) -> list[str]:
    return [f"email:{email.strip().lower()}"[:200], f"ip:{client}"[:200]]


def sign_in_blocked(*, email: str, client: str) -> bool:
    """True when too many recent failures came for this address or from this client."""
    since = timezone.now() - datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    limit = settings.LOGIN_FAILURE_LIMIT
    email_key, ip_key = _throttle_keys(email, client)
    recent = LoginFailure.objects.filter(at__gte=since)
    return (
        recent.filter(key=email_key).count() >= limit
        or recent.filter(key=ip_key).count() >= limit * 4
    )


def record_sign_in_failure(*, email: str, client: str) -> None:
    LoginFailure.objects.bulk_create([LoginFailure(key=k) for k in _throttle_keys(email, client)])
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW * 4)
    LoginFailure.objects.filter(at__lt=cutoff).delete()


def clear_sign_in_failures(*, email: str) -> None:
    LoginFailure.objects.filter(key=_throttle_keys(email, "")[0]).delete()
