"""Writes to dialogues, states, bodies and offices.

Each service validates with the model's own rules, writes inside one transaction, locks the
dialogue row so that two concurrent writes cannot both pass an overlap check, and leaves an
audit entry. Invalid input raises ``ValidationError`` and changes nothing.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction
from django.utils.translation import gettext_noop

from dialogos.core import audit
from dialogos.core.models import AuditEntry
from dialogos.dialogues.models import (
    Body,
    BodyMembership,
    Dialogue,
    Grouping,
    GroupingMembership,
    Office,
    Organisation,
    Participation,
)

M = TypeVar("M", bound=models.Model)


def _lock_dialogue(dialogue_id: int | None) -> None:
    if dialogue_id is not None:
        Dialogue.objects.select_for_update().filter(pk=dialogue_id).first()


def _save(*, actor: Any, obj: M, changes: dict[str, Any], verb: str) -> M:
    """Apply ``changes`` to ``obj``, validate, save and audit — all or nothing."""
    creating = obj.pk is None
    with transaction.atomic():
        _lock_dialogue(getattr(obj, "dialogue_id", None) or _body_dialogue_id(obj))
        before = None if creating else audit.snapshot(type(obj)._default_manager.get(pk=obj.pk))
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.full_clean()
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
            dialogue_id=_dialogue_id(obj),
        )
    return obj


def _delete(*, actor: Any, obj: models.Model, verb: str) -> None:
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=obj,
            before=audit.snapshot(obj),
            verb=verb,
            dialogue_id=_dialogue_id(obj),
        )
        obj.delete()


def _body_dialogue_id(obj: models.Model) -> int | None:
    body = getattr(obj, "body", None)
    return body.dialogue_id if isinstance(body, Body) else None


def _dialogue_id(obj: models.Model) -> int | None:
    if isinstance(obj, Dialogue):
        return obj.pk
    return getattr(obj, "dialogue_id", None) or _body_dialogue_id(obj)


# Dialogues, organisations and groupings ---------------------------------------------------


def save_dialogue(*, actor: Any, dialogue: Dialogue | None = None, **fields: Any) -> Dialogue:
    groupings = fields.pop("groupings", None)
    with transaction.atomic():
        dialogue = _save(
            actor=actor,
            obj=dialogue or Dialogue(),
            changes=fields,
            verb=gettext_noop("save dialogue"),
        )
        if groupings is not None:
            dialogue.groupings.set(groupings)
    return dialogue


def save_organisation(
    *, actor: Any, organisation: Organisation | None = None, **fields: Any
) -> Organisation:
    return _save(
        actor=actor,
        obj=organisation or Organisation(),
        changes=fields,
        verb=gettext_noop("save organisation"),
    )


def save_grouping(*, actor: Any, grouping: Grouping | None = None, **fields: Any) -> Grouping:
    return _save(
        actor=actor, obj=grouping or Grouping(), changes=fields, verb=gettext_noop("save grouping")
    )


def save_grouping_membership(
    *, actor: Any, membership: GroupingMembership | None = None, **fields: Any
) -> GroupingMembership:
    return _save(
        actor=actor,
        obj=membership or GroupingMembership(),
        changes=fields,
        verb=gettext_noop("save grouping membership"),
    )


def delete_grouping_membership(*, actor: Any, membership: GroupingMembership) -> None:
    _delete(actor=actor, obj=membership, verb=gettext_noop("remove grouping membership"))


# Participation --------------------------------------------------------------------------


def save_participation(
    *, actor: Any, participation: Participation | None = None, **fields: Any
) -> Participation:
    """Add a state or organisation to a dialogue, or change its status or dates.

    Refuses a second participation of the same holder that overlaps in time.
    """
    return _save(
        actor=actor,
        obj=participation or Participation(),
        changes=fields,
        verb=gettext_noop("save participation"),
    )


def delete_participation(*, actor: Any, participation: Participation) -> None:
    _delete(actor=actor, obj=participation, verb=gettext_noop("remove participation"))


# Bodies ---------------------------------------------------------------------------------


def save_body(*, actor: Any, body: Body | None = None, **fields: Any) -> Body:
    return _save(actor=actor, obj=body or Body(), changes=fields, verb=gettext_noop("save body"))


def delete_body(*, actor: Any, body: Body) -> None:
    _delete(actor=actor, obj=body, verb=gettext_noop("remove body"))


def save_body_membership(
    *, actor: Any, membership: BodyMembership | None = None, **fields: Any
) -> BodyMembership:
    return _save(
        actor=actor,
        obj=membership or BodyMembership(),
        changes=fields,
        verb=gettext_noop("save body member"),
    )


def delete_body_membership(*, actor: Any, membership: BodyMembership) -> None:
    _delete(actor=actor, obj=membership, verb=gettext_noop("remove body member"))


# Offices --------------------------------------------------------------------------------


def save_office(*, actor: Any, office: Office | None = None, **fields: Any) -> Office:
    """Record who holds an office for a term; refuses a term that overlaps another holder's."""
    return _save(
        actor=actor, obj=office or Office(), changes=fields, verb=gettext_noop("save office")
    )


def delete_office(*, actor: Any, office: Office) -> None:
    _delete(actor=actor, obj=office, verb=gettext_noop("remove office"))
