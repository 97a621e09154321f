"""The audit log: every change through a service or the admin leaves one entry."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from dialogos.core.cache import bump_content_version
from dialogos.core.models import AuditEntry

SECRET_FIELDS = {"password"}


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_value(v) for v in value]
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def snapshot(obj: models.Model | None) -> dict[str, Any] | None:
    """The concrete field values of ``obj`` as JSON, secrets left out."""
    if obj is None:
        return None
    data: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in SECRET_FIELDS:
            continue
        data[f.attname] = _json_value(getattr(obj, f.attname))
    return data


def _dialogue_id_of(obj: models.Model | None) -> int | None:
    if obj is None:
        return None
    if obj._meta.label_lower == "dialogues.dialogue":
        return int(obj.pk) if obj.pk is not None else None
    value = getattr(obj, "dialogue_id", None)
    if value is not None:
        return int(value)
    access_dialogue_id = getattr(obj, "access_dialogue_id", None)
    if callable(access_dialogue_id):
        result = access_dialogue_id()
        return int(result) if result is not None else None
    return None


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    verb: str = "",
    source: str = "service",
    dialogue_id: int | None = None,
) -> AuditEntry:
    """Write one audit entry; call it inside the service's transaction."""
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    bump_content_version()
    return AuditEntry.objects.create(
        actor_id=actor_id,
        action=action,
        verb=verb[:100],
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:300],
        dialogue_id=dialogue_id if dialogue_id is not None else _dialogue_id_of(obj),
        before=before,
        after=after,
        source=source,
    )


def record_many(
    *, actor: Any, action: str, entries: list[dict[str, Any]], source: str = "service"
) -> list[AuditEntry]:
    """Write many audit entries of one action at once (a mass change of schedule): one
    insert and one content-version bump instead of one each. Each entry is a dict with
    ``obj`` and optionally ``before``, ``after``, ``verb`` and ``dialogue_id``."""
    if not entries:
        return []
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    bump_content_version()
    rows = []
    for entry in entries:
        obj = entry["obj"]
        dialogue_id = entry.get("dialogue_id")
        rows.append(
            AuditEntry(
                actor_id=actor_id,
                action=action,
                verb=str(entry.get("verb", ""))[:100],
                content_type=ContentType.objects.get_for_model(type(obj)),
                object_id=str(obj.pk or ""),
                object_repr=str(obj)[:300],
                dialogue_id=dialogue_id if dialogue_id is not None else _dialogue_id_of(obj),
                before=entry.get("before"),
                after=entry.get("after"),
                source=source,
            )
        )
    return AuditEntry.objects.bulk_create(rows, batch_size=500)


def for_object(obj: models.Model) -> models.QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    ).select_related("actor")
