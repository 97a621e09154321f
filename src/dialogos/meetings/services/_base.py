"""Helpers shared by the meetings services (not part of their public interface)."""

from __future__ import annotations

import datetime
import functools
import random
import time
import zoneinfo
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogos.core import access, audit
from dialogos.core.models import AuditEntry
from dialogos.meetings.models import Meeting, known_time_zone

M = TypeVar("M", bound=models.Model)


def require_secretariat(actor: Any, dialogue_id: int) -> None:
    """Let the dialogue's secretariat (or an operator) through; refuse everyone else."""
    if not access.principal(actor).is_secretariat(dialogue_id):
        raise PermissionDenied(_("Only the secretariat of this dialogue may do this."))


def is_secretariat(actor: Any, dialogue_id: int) -> bool:
    return access.principal(actor).is_secretariat(dialogue_id)


def lock_meeting(meeting_id: int) -> Meeting:
    """Re-read the meeting and hold its row until the transaction ends.

    Every write that counts seats takes this lock first, so two of them never count at the
    same time. (On SQLite the immediate transaction already serialises writers.)
    """
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("dialogue")
        .get(pk=meeting_id)
    )


def aware(value: Any, zone_name: str, *, field: str) -> Any:
    """A datetime made aware: naive values are wall-clock times in the meeting's zone."""
    if value is None or not isinstance(value, datetime.datetime):
        return value
    if timezone.is_aware(value):
        return value
    if not known_time_zone(zone_name):
        raise ValidationError(
            {
                "time_zone": _(
                    "“%(zone)s” is not a known time zone (use an IANA name such as Europe/Prague)."
                )
                % {"zone": zone_name}
            }
        )
    return value.replace(tzinfo=zoneinfo.ZoneInfo(zone_name))


def save_audited(
    *,
    actor: Any,
    obj: M,
    changes: dict[str, Any],
    verb: str,
    dialogue_id: int | None,
    exclude: list[str] | None = None,
) -> M:
    """Apply ``changes``, validate with the model's rules, save and audit — all or nothing."""
    creating = obj.pk is None
    with transaction.atomic():
        before = None if creating else audit.snapshot(type(obj)._default_manager.get(pk=obj.pk))
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.full_clean(exclude=exclude)
        if creating:
            obj.save()
        else:
            obj.save(update_fields=list(changes) or None)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
            obj=obj,
            before=before,
            after=audit.snapshot(obj),
            verb=verb,
            dialogue_id=dialogue_id,
        )
    return obj


def delete_audited(*, actor: Any, obj: models.Model, verb: str, dialogue_id: int | None) -> None:
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=obj,
            before=audit.snapshot(obj),
            verb=verb,
            dialogue_id=dialogue_id,
        )
        obj.delete()


P = ParamSpec("P")
R = TypeVar("R")
LOCK_RETRIES = 50


def retry_when_locked(func: Callable[P, R]) -> Callable[P, R]:
    """Run a write again when SQLite reports the database locked instead of waiting.

    A file database waits (busy timeout), but shared-cache databases report contention at once.
    Only the outermost transaction can be retried; inside another one the error propagates.
    PostgreSQL waits for row locks and never gets here.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(LOCK_RETRIES):
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                if (
                    connection.vendor != "sqlite"
                    or "locked" not in str(exc)
                    or connection.in_atomic_block
                    or attempt == LOCK_RETRIES - 1
                ):
                    raise
                time.sleep(0.005 * (attempt + 1) + random.random() * 0.01)
        raise AssertionError("unreachable")

    return wrapper
