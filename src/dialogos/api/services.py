"""Creating and revoking API tokens, each with its audit entry."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from dialogos.api.models import ApiToken, hash_token, new_token
from dialogos.core import audit
from dialogos.core.models import AuditEntry

# A token's last use is written at most this often, so reads stay reads.
LAST_USED_RESOLUTION_SECONDS = 60


def create_api_token(*, actor: Any, user: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns it with the plain text, which is never stored."""
    plain = new_token()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name.strip()[:100], token_hash=hash_token(plain), hint=plain[:8]
        )
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=token,
            after=audit.snapshot(token),
            verb=gettext_noop("create API token"),
        )
    return token, plain


def revoke_api_token(*, actor: Any, token: ApiToken) -> None:
    if token.revoked_at is not None:
        return
    with transaction.atomic():
        before = audit.snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=token,
            before=before,
            after=audit.snapshot(token),
            verb=gettext_noop("revoke API token"),
        )


def user_for_token(plain: str) -> Any | None:
    """The active account a plain token belongs to, or ``None``; notes when it was used."""
    if not plain or len(plain) > 200:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_hash=hash_token(plain))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    last = token.last_used_at
    if last is None or (now - last).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
