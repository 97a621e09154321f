"""Every write to action plans goes through these functions.

Each is keyword-only, owns its transaction and audit entry, raises ``ValidationError`` (naming
the field) on bad input and ``PermissionDenied`` when the actor lacks the right. Nothing is
half-saved: a refused call leaves the database as it was.

Rules decided here (see ``docs/plans.md``):

- Weights are relative shares among siblings (whole numbers 0 to 1000), normalised when
  progress rolls up; weight 0 means "shown, not counted". A set of siblings whose weights are
  all 0 is inconsistent and refused.
- A leaf's progress is its status's progress; a parent's is the weighted mean of its children.
- A state reports only for itself: focal points and contributors of that state in that dialogue
  save answers; only a focal point submits. Answers are refused after the deadline, except for
  a report the secretariat sent back for clarification (while the cycle is open).
- Accepting a report records each answer as the state's own status for the item; the item's
  status follows when the state leads the item or the item has no lead. Accepted indicator
  values become dated values (at the end of the reporting period) for that state.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dialogos.core import access, audit
from dialogos.core.models import AuditEntry, Country
from dialogos.dialogues.models import Dialogue, Participation
from dialogos.library.models import Document, Practice
from dialogos.meetings.models import Meeting
from dialogos.people.models import Role
from dialogos.plans.models import (
    MAX_DEPTH,
    MAX_POSITION,
    MAX_WEIGHT,
    PATH_STEP,
    ActionPlan,
    Indicator,
    IndicatorValue,
    ItemLink,
    ItemState,
    PlanItem,
    ProgressStatus,
    ReportAnswer,
    ReportingCycle,
    ReportReminder,
    ReportValue,
    StateReport,
    check_unit_value,
    path_segment,
)

TWO_PLACES = Decimal("0.01")
MAX_EVIDENCE = 10


# Helpers ------------------------------------------------------------------------------------


def require_secretariat(actor: Any, dialogue_id: int) -> None:
    if not access.principal(actor).is_secretariat(dialogue_id):
        raise PermissionDenied(_("Only the secretariat of this dialogue may do this."))


def _record(
    *,
    actor: Any,
    obj: Any,
    verb: str,
    dialogue_id: int,
    action: str = AuditEntry.Action.UPDATE,
    before: dict[str, Any] | None = None,
) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        before=before,
        after=audit.snapshot(obj) if action != AuditEntry.Action.DELETE else None,
        verb=verb,
        dialogue_id=dialogue_id,
    )


def _save(*, actor: Any, obj: Any, changes: dict[str, Any], verb: str, dialogue_id: int) -> Any:
    creating = obj.pk is None
    before = None if creating else audit.snapshot(type(obj)._default_manager.get(pk=obj.pk))
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    _record(
        actor=actor,
        obj=obj,
        verb=verb,
        dialogue_id=dialogue_id,
        action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
        before=before,
    )
    return obj


def participating_codes(dialogue_id: int) -> set[str]:
    """Codes of the states that take (or took) part in the dialogue."""
    return set(
        Participation.objects.filter(dialogue_id=dialogue_id, country__isnull=False)
        .exclude(status=Participation.Status.PARTNER)
        .values_list("country_id", flat=True)
    )


def parse_decimal(value: Any, *, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 12:
        raise ValidationError({field: _("Enter a number.")})
    if number != number.quantize(TWO_PLACES):
        raise ValidationError({field: _("Enter a number with at most two decimal places.")})
    return number


# Statuses -----------------------------------------------------------------------------------


DEFAULT_STATUSES: list[tuple[str, dict[str, str], int]] = [
    ("not-started", {"en": "Not started", "ru": "Не начато"}, 0),
    ("planned", {"en": "Planned", "ru": "Запланировано"}, 10),
    ("in-progress", {"en": "In progress", "ru": "В процессе"}, 50),
    ("advanced", {"en": "Well advanced", "ru": "Значительно продвинулось"}, 75),
    ("completed", {"en": "Completed", "ru": "Выполнено"}, 100),
]


def ensure_default_statuses(*, actor: Any, dialogue: Dialogue) -> list[ProgressStatus]:
    """Give a dialogue the usual list of statuses if it has none yet."""
    require_secretariat(actor, dialogue.pk)
    with transaction.atomic():
        if not ProgressStatus.objects.filter(dialogue=dialogue).exists():
            for order, (code, name, progress) in enumerate(DEFAULT_STATUSES, start=1):
                status = ProgressStatus.objects.create(
                    dialogue=dialogue,
                    code=code,
                    name=name,
                    progress=progress,
                    order=order * 10,
                    is_default=code == "not-started",
                )
                _record(
                    actor=actor,
                    obj=status,
                    verb="plan status created",
                    dialogue_id=dialogue.pk,
                    action=AuditEntry.Action.CREATE,
                )
    return list(ProgressStatus.objects.filter(dialogue=dialogue))


def save_status(
    *,
    actor: Any,
    dialogue: Dialogue,
    status: ProgressStatus | None = None,
    code: str,
    name: dict[str, str],
    progress: int,
    order: int = 100,
    is_default: bool = False,
) -> ProgressStatus:
    """Create or change a status; changing its progress recomputes the dialogue's plans."""
    require_secretariat(actor, dialogue.pk)
    if status is not None and status.dialogue_id != dialogue.pk:
        raise PermissionDenied(_("This status belongs to another dialogue."))
    clash = ProgressStatus.objects.filter(dialogue=dialogue, code=code)
    if status is not None:
        clash = clash.exclude(pk=status.pk)
    if clash.exists():
        raise ValidationError({"code": _("Another status already has this identifier.")})
    old_progress = status.progress if status is not None else None
    with transaction.atomic():
        if is_default:
            others = ProgressStatus.objects.filter(dialogue=dialogue, is_default=True)
            if status is not None:
                others = others.exclude(pk=status.pk)
            others.update(is_default=False)
        result = _save(
            actor=actor,
            obj=status or ProgressStatus(dialogue=dialogue),
            changes={
                "code": code,
                "name": name,
                "progress": progress,
                "order": order,
                "is_default": is_default,
            },
            verb="plan status saved",
            dialogue_id=dialogue.pk,
        )
        if old_progress is not None and old_progress != progress:
            for plan in ActionPlan.objects.filter(dialogue=dialogue):
                recompute_progress(plan=plan)
    return result


def delete_status(*, actor: Any, status: ProgressStatus) -> None:
    require_secretariat(actor, status.dialogue_id)
    in_use = (
        PlanItem.objects.filter(status=status).exists()
        or ItemState.objects.filter(status=status).exists()
        or ReportAnswer.objects.filter(status=status).exists()
    )
    if in_use:
        raise ValidationError(
            _("This status is in use by items or answers; give them another status first.")
        )
    with transaction.atomic():
        _record(
            actor=actor,
            obj=status,
            verb="plan status deleted",
            dialogue_id=status.dialogue_id,
            action=AuditEntry.Action.DELETE,
            before=audit.snapshot(status),
        )
        status.delete()


# Plans --------------------------------------------------------------------------------------


def save_plan(
    *, actor: Any, dialogue: Dialogue, plan: ActionPlan | None = None, **fields: Any
) -> ActionPlan:
    """Create or change a plan (title, slug, period, meeting, text, status, summary, access)."""
    require_secretariat(actor, dialogue.pk)
    if plan is not None and plan.dialogue_id != dialogue.pk:
        raise PermissionDenied(_("This plan belongs to another dialogue."))
    slug = fields.get("slug")
    if slug is not None:
        clash = ActionPlan.objects.filter(dialogue=dialogue, slug=slug)
        if plan is not None:
            clash = clash.exclude(pk=plan.pk)
        if clash.exists():
            raise ValidationError({"slug": _("Another plan of this dialogue has this identifier.")})
    with transaction.atomic():
        result: ActionPlan = _save(
            actor=actor,
            obj=plan or ActionPlan(dialogue=dialogue),
            changes=fields,
            verb="action plan saved",
            dialogue_id=dialogue.pk,
        )
    return result


def delete_plan(*, actor: Any, plan: ActionPlan) -> None:
    require_secretariat(actor, plan.dialogue_id)
    with transaction.atomic():
        _record(
            actor=actor,
            obj=plan,
            verb="action plan deleted",
            dialogue_id=plan.dialogue_id,
            action=AuditEntry.Action.DELETE,
            before=audit.snapshot(plan),
        )
        plan.delete()


# The item tree ------------------------------------------------------------------------------


def _check_siblings(plan_id: int, parent_id: int | None) -> None:
    """Refuse siblings whose weights cannot be normalised (all zero)."""
    weights = list(
        PlanItem.objects.filter(plan_id=plan_id, parent_id=parent_id).values_list(
            "weight", flat=True
        )
    )
    if weights and not any(weights):
        raise ValidationError(
            {
                "weight": _(
                    "At least one item at this level must have a weight above 0, "
                    "or progress cannot be computed."
                )
            }
        )


def _next_position(plan_id: int, parent_id: int | None) -> int:
    last = (
        PlanItem.objects.filter(plan_id=plan_id, parent_id=parent_id)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return (last or 0) + 1


def _place(item: PlanItem, parent: PlanItem | None, position: int) -> None:
    if not 1 <= position <= MAX_POSITION:
        raise ValidationError({"position": _("Enter a position from 1 to %d.") % MAX_POSITION})
    if parent is None:
        item.depth = 0
        item.path = path_segment(position)
    else:
        if parent.depth + 1 >= MAX_DEPTH:
            raise ValidationError(
                {"parent": _("A plan can have at most %(n)d levels.") % {"n": MAX_DEPTH}}
            )
        item.depth = parent.depth + 1
        item.path = parent.path + path_segment(position)
    item.parent = parent
    item.position = position
    clash = PlanItem.objects.filter(plan_id=item.plan_id, path=item.path)
    if item.pk is not None:
        clash = clash.exclude(pk=item.pk)
    if clash.exists():
        raise ValidationError({"position": _("Another item already has this position here.")})


def _set_states(item: PlanItem, dialogue_id: int, roles: dict[str, Sequence[str]]) -> None:
    """Replace the item's leads, co-leads and participants (keeping what they reported)."""
    allowed = participating_codes(dialogue_id)
    wanted: dict[str, str] = {}
    labels = {
        ItemState.Role.LEAD: "leads",
        ItemState.Role.CO_LEAD: "co_leads",
        ItemState.Role.PARTICIPANT: "participants",
    }
    for role in (ItemState.Role.LEAD, ItemState.Role.CO_LEAD, ItemState.Role.PARTICIPANT):
        for raw in roles.get(role, ()):
            code = str(raw).strip().upper()
            if code not in allowed:
                raise ValidationError(
                    {
                        labels[role]: _("%(code)s does not take part in this dialogue.")
                        % {"code": code or "—"}
                    }
                )
            if code in wanted and wanted[code] != role:
                raise ValidationError(
                    {
                        labels[role]: _("%(code)s is named twice in different parts.")
                        % {"code": code}
                    }
                )
            wanted[code] = role
    existing = {s.country_id: s for s in ItemState.objects.filter(item=item)}
    for code, state in existing.items():
        if code not in wanted:
            state.delete()
        elif state.role != wanted[code]:
            state.role = wanted[code]
            state.save(update_fields=["role"])
    ItemState.objects.bulk_create(
        [ItemState(item=item, country_id=c, role=r) for c, r in wanted.items() if c not in existing]
    )


ITEM_FIELDS = ("kind", "code", "title", "description", "weight", "status", "access_level")


def _check_item_fields(plan: ActionPlan, fields: dict[str, Any]) -> None:
    weight = fields.get("weight")
    if weight is not None and not (isinstance(weight, int) and 0 <= weight <= MAX_WEIGHT):
        raise ValidationError(
            {"weight": _("Enter a whole number from 0 to %(max)d.") % {"max": MAX_WEIGHT}}
        )
    status = fields.get("status")
    if status is not None and status.dialogue_id != plan.dialogue_id:
        raise ValidationError({"status": _("This status belongs to another dialogue.")})
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))


def create_item(
    *,
    actor: Any,
    plan: ActionPlan,
    parent: PlanItem | None = None,
    position: int | None = None,
    leads: Sequence[str] = (),
    co_leads: Sequence[str] = (),
    participants: Sequence[str] = (),
    **fields: Any,
) -> PlanItem:
    require_secretariat(actor, plan.dialogue_id)
    if parent is not None and parent.plan_id != plan.pk:
        raise ValidationError({"parent": _("This item belongs to another plan.")})
    _check_item_fields(plan, fields)
    if "status" not in fields or fields["status"] is None:
        fields["status"] = ProgressStatus.objects.filter(
            dialogue_id=plan.dialogue_id, is_default=True
        ).first()
    with transaction.atomic():
        item = PlanItem(plan=plan, **fields)
        _place(item, parent, position or _next_position(plan.pk, parent.pk if parent else None))
        item.full_clean()
        item.save()
        _set_states(
            item,
            plan.dialogue_id,
            {
                ItemState.Role.LEAD: leads,
                ItemState.Role.CO_LEAD: co_leads,
                ItemState.Role.PARTICIPANT: participants,
            },
        )
        _check_siblings(plan.pk, item.parent_id)
        recompute_progress(plan=plan)
        item.refresh_from_db()
        _record(
            actor=actor,
            obj=item,
            verb="plan item created",
            dialogue_id=plan.dialogue_id,
            action=AuditEntry.Action.CREATE,
        )
    return item


def update_item(
    *,
    actor: Any,
    item: PlanItem,
    parent: PlanItem | str | None = "keep",
    position: int | None = None,
    leads: Sequence[str] | None = None,
    co_leads: Sequence[str] | None = None,
    participants: Sequence[str] | None = None,
    **fields: Any,
) -> PlanItem:
    """Change an item; a new parent or position moves its whole subtree.

    ``parent="keep"`` leaves it where it is; ``None`` makes it a top-level item.
    """
    plan = item.plan
    require_secretariat(actor, plan.dialogue_id)
    _check_item_fields(plan, fields)
    with transaction.atomic():
        item = PlanItem.objects.select_for_update().get(pk=item.pk)
        before = audit.snapshot(item)
        old_path, old_parent_id = item.path, item.parent_id
        new_parent = item.parent if parent == "keep" else parent
        assert not isinstance(new_parent, str)
        if new_parent is not None:
            if new_parent.plan_id != item.plan_id:
                raise ValidationError({"parent": _("This item belongs to another plan.")})
            if new_parent.pk == item.pk or item.is_ancestor_of(new_parent):
                raise ValidationError(
                    {"parent": _("An item cannot be placed under itself or one of its parts.")}
                )
        for name, value in fields.items():
            setattr(item, name, value)
        moving = (new_parent.pk if new_parent else None) != old_parent_id or (
            position is not None and position != item.position
        )
        if moving:
            new_position = position or (
                item.position
                if (new_parent.pk if new_parent else None) == old_parent_id
                else _next_position(plan.pk, new_parent.pk if new_parent else None)
            )
            _place(item, new_parent, new_position)
            subtree = list(
                PlanItem.objects.filter(plan_id=plan.pk, path__startswith=old_path)
                .exclude(pk=item.pk)
                .only("pk", "path", "depth")
            )
            shift = item.depth - len(old_path) // PATH_STEP + 1
            for sub in subtree:
                sub.path = item.path + sub.path[len(old_path) :]
                sub.depth = sub.depth + shift
                if sub.depth >= MAX_DEPTH:
                    raise ValidationError(
                        {"parent": _("A plan can have at most %(n)d levels.") % {"n": MAX_DEPTH}}
                    )
            # Move the subtree out of the way first so the unique paths never collide.
            for moved in [item, *subtree]:
                PlanItem.objects.filter(pk=moved.pk).update(path=f"~{moved.pk}")
            for sub in subtree:
                PlanItem.objects.filter(pk=sub.pk).update(path=sub.path, depth=sub.depth)
        item.full_clean()
        item.save()
        if leads is not None or co_leads is not None or participants is not None:
            current: dict[str, list[str]] = defaultdict(list)
            for state in ItemState.objects.filter(item=item):
                current[state.role].append(state.country_id)
            _set_states(
                item,
                plan.dialogue_id,
                {
                    ItemState.Role.LEAD: leads
                    if leads is not None
                    else current[ItemState.Role.LEAD],
                    ItemState.Role.CO_LEAD: co_leads
                    if co_leads is not None
                    else current[ItemState.Role.CO_LEAD],
                    ItemState.Role.PARTICIPANT: participants
                    if participants is not None
                    else current[ItemState.Role.PARTICIPANT],
                },
            )
        _check_siblings(plan.pk, item.parent_id)
        if moving:
            _check_siblings(plan.pk, old_parent_id)
        recompute_progress(plan=plan)
        item.refresh_from_db()
        _record(
            actor=actor,
            obj=item,
            verb="plan item changed",
            dialogue_id=plan.dialogue_id,
            before=before,
        )
    return item


def delete_item(*, actor: Any, item: PlanItem) -> int:
    """Delete an item and everything under it; returns how many items went."""
    plan = item.plan
    require_secretariat(actor, plan.dialogue_id)
    with transaction.atomic():
        count = PlanItem.objects.subtree(item).count()
        _record(
            actor=actor,
            obj=item,
            verb="plan item deleted",
            dialogue_id=plan.dialogue_id,
            action=AuditEntry.Action.DELETE,
            before=audit.snapshot(item),
        )
        parent_id = item.parent_id
        PlanItem.objects.subtree(item).order_by("-depth").delete()
        _check_siblings(plan.pk, parent_id)
        recompute_progress(plan=plan)
    return count


@dataclass(frozen=True)
class RollUp:
    items: int
    changed: int
    seconds: float
    progress: Decimal


def compute_progress(
    rows: Iterable[tuple[int, int | None, int, int | None]],
) -> tuple[dict[int, Decimal], Decimal]:
    """Progress of every item from ``(id, parent_id, weight, status_progress)`` rows.

    One pass from the deepest level up: a leaf counts its status's progress, a parent the
    weighted mean of its children (weights normalised; weight 0 does not count). Returns the
    progress per item and the plan's (the weighted mean of the top-level items).
    """
    rows = list(rows)
    children: dict[int | None, list[int]] = defaultdict(list)
    weight: dict[int, int] = {}
    own: dict[int, int] = {}
    parent_of: dict[int, int | None] = {}
    for pk, parent_id, w, status_progress in rows:
        children[parent_id].append(pk)
        weight[pk] = w
        own[pk] = status_progress or 0
        parent_of[pk] = parent_id
    # Depth of each node, without recursion.
    depth: dict[int, int] = {}
    for pk in parent_of:
        chain = []
        node: int | None = pk
        while node is not None and node not in depth:
            chain.append(node)
            node = parent_of.get(node)
        base = depth[node] if node is not None else -1
        for n in reversed(chain):
            base += 1
            depth[n] = base
    result: dict[int, Decimal] = {}
    for pk in sorted(parent_of, key=lambda p: -depth[p]):
        kids = children.get(pk)
        if kids:
            result[pk] = _weighted(kids, weight, result)
        else:
            result[pk] = Decimal(own[pk])
    plan_progress = _weighted(children.get(None, []), weight, result) if rows else Decimal(0)
    return result, plan_progress


def _weighted(kids: list[int], weight: dict[int, int], value: dict[int, Decimal]) -> Decimal:
    total = sum(weight[k] for k in kids)
    if not total:
        return Decimal(0)
    raw = sum(Decimal(weight[k]) * value[k] for k in kids) / Decimal(total)
    return raw.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def recompute_progress(*, plan: ActionPlan) -> RollUp:
    """Compute and store every item's progress and the plan's, in one read and few writes."""
    started = time.perf_counter()
    rows = list(
        PlanItem.objects.filter(plan=plan).values_list(
            "pk", "parent_id", "weight", "status__progress", "progress"
        )
    )
    computed, plan_progress = compute_progress((r[0], r[1], r[2], r[3]) for r in rows)
    changed = [
        PlanItem(pk=pk, progress=computed[pk])
        for pk, _p, _w, _s, stored in rows
        if stored != computed[pk]
    ]
    with transaction.atomic():
        PlanItem.objects.bulk_update(changed, ["progress"], batch_size=500)
        plan.progress = plan_progress
        plan.progress_computed_at = timezone.now()
        ActionPlan.objects.filter(pk=plan.pk).update(
            progress=plan.progress, progress_computed_at=plan.progress_computed_at
        )
    return RollUp(
        items=len(rows),
        changed=len(changed),
        seconds=time.perf_counter() - started,
        progress=plan_progress,
    )


# Links and indicators -----------------------------------------------------------------------


def add_link(
    *,
    actor: Any,
    item: PlanItem,
    meeting: Meeting | None = None,
    document: Document | None = None,
    practice: Practice | None = None,
    url: str = "",
    label: dict[str, str] | None = None,
) -> ItemLink:
    """Link what implements an item: exactly one meeting, document, practice or address."""
    plan = item.plan
    require_secretariat(actor, plan.dialogue_id)
    targets = [t for t in (meeting, document, practice, url) if t]
    if len(targets) != 1:
        raise ValidationError(
            {"url": _("Give exactly one meeting, document, good practice or address.")}
        )
    for name, target in (("meeting", meeting), ("document", document), ("practice", practice)):
        if target is not None and target.dialogue_id != plan.dialogue_id:
            raise ValidationError({name: _("This belongs to another dialogue.")})
    with transaction.atomic():
        link: ItemLink = _save(
            actor=actor,
            obj=ItemLink(item=item),
            changes={
                "meeting": meeting,
                "document": document,
                "practice": practice,
                "url": url,
                "label": label or {},
            },
            verb="plan link added",
            dialogue_id=plan.dialogue_id,
        )
    return link


def delete_link(*, actor: Any, link: ItemLink) -> None:
    dialogue_id = link.item.plan.dialogue_id
    require_secretariat(actor, dialogue_id)
    with transaction.atomic():
        _record(
            actor=actor,
            obj=link,
            verb="plan link removed",
            dialogue_id=dialogue_id,
            action=AuditEntry.Action.DELETE,
            before=audit.snapshot(link),
        )
        link.delete()


def save_indicator(
    *, actor: Any, item: PlanItem, indicator: Indicator | None = None, **fields: Any
) -> Indicator:
    dialogue_id = item.plan.dialogue_id
    require_secretariat(actor, dialogue_id)
    if indicator is not None and indicator.item_id != item.pk:
        raise ValidationError({"item": _("This indicator belongs to another item.")})
    with transaction.atomic():
        if indicator is not None and fields.get("unit", indicator.unit) != indicator.unit:
            for value in IndicatorValue.objects.filter(indicator=indicator):
                check_unit_value(fields["unit"], value.value, field="unit")
        result: Indicator = _save(
            actor=actor,
            obj=indicator or Indicator(item=item),
            changes=fields,
            verb="indicator saved",
            dialogue_id=dialogue_id,
        )
    return result


def delete_indicator(*, actor: Any, indicator: Indicator) -> None:
    dialogue_id = indicator.item.plan.dialogue_id
    require_secretariat(actor, dialogue_id)
    with transaction.atomic():
        _record(
            actor=actor,
            obj=indicator,
            verb="indicator deleted",
            dialogue_id=dialogue_id,
            action=AuditEntry.Action.DELETE,
            before=audit.snapshot(indicator),
        )
        indicator.delete()


def add_indicator_value(
    *,
    actor: Any,
    indicator: Indicator,
    on: datetime.date,
    value: Any,
    country: Country | None = None,
    note: dict[str, str] | None = None,
) -> IndicatorValue:
    dialogue_id = indicator.item.plan.dialogue_id
    require_secretariat(actor, dialogue_id)
    number = parse_decimal(value, field="value")
    indicator.check_value(number)
    if country is not None and country.code not in participating_codes(dialogue_id):
        raise ValidationError({"country": _("This state does not take part in this dialogue.")})
    with transaction.atomic():
        result: IndicatorValue = _save(
            actor=actor,
            obj=IndicatorValue(indicator=indicator),
            changes={"on": on, "value": number, "country": country, "note": note or {}},
            verb="indicator value added",
            dialogue_id=dialogue_id,
        )
    return result


def delete_indicator_value(*, actor: Any, value: IndicatorValue) -> None:
    dialogue_id = value.indicator.item.plan.dialogue_id
    require_secretariat(actor, dialogue_id)
    with transaction.atomic():
        _record(
            actor=actor,
            obj=value,
            verb="indicator value deleted",
            dialogue_id=dialogue_id,
            action=AuditEntry.Action.DELETE,
            before=audit.snapshot(value),
        )
        value.delete()


# Reporting cycles ---------------------------------------------------------------------------


def save_cycle(
    *,
    actor: Any,
    plan: ActionPlan,
    cycle: ReportingCycle | None = None,
    title: dict[str, str],
    instructions: dict[str, str] | None = None,
    period_start: datetime.date,
    period_end: datetime.date,
    deadline: datetime.datetime,
    items: Sequence[PlanItem] = (),
    indicators: Sequence[Indicator] = (),
    states: Sequence[str] | None = None,
    reminder_days: Sequence[int] = (7, 1),
) -> ReportingCycle:
    """Prepare a cycle (or change one still being prepared).

    ``states=None`` asks every participating state; otherwise the given codes.
    """
    require_secretariat(actor, plan.dialogue_id)
    if cycle is not None and cycle.plan_id != plan.pk:
        raise ValidationError(_("This cycle belongs to another plan."))
    if cycle is not None and cycle.status != ReportingCycle.Status.DRAFT:
        raise ValidationError(_("Only a cycle still being prepared can be changed."))
    if any(i.plan_id != plan.pk for i in items):
        raise ValidationError({"items": _("Choose items of this plan only.")})
    if any(i.item.plan_id != plan.pk for i in indicators):
        raise ValidationError({"indicators": _("Choose indicators of this plan only.")})
    if timezone.is_naive(deadline):
        raise ValidationError({"deadline": _("Give the deadline with its time zone.")})
    days = sorted({int(d) for d in reminder_days}, reverse=True)
    if any(not 0 < d <= 90 for d in days):
        raise ValidationError({"reminder_days": _("Reminders go 1 to 90 days before.")})
    allowed = participating_codes(plan.dialogue_id)
    if states is None:
        codes = sorted(allowed)
    else:
        codes = sorted({str(c).strip().upper() for c in states})
        wrong = [c for c in codes if c not in allowed]
        if wrong:
            raise ValidationError(
                {
                    "states": _("These do not take part in this dialogue: %(codes)s")
                    % {"codes": ", ".join(wrong)}
                }
            )
    if not codes:
        raise ValidationError({"states": _("Choose at least one state.")})
    with transaction.atomic():
        result: ReportingCycle = _save(
            actor=actor,
            obj=cycle or ReportingCycle(plan=plan),
            changes={
                "title": title,
                "instructions": instructions or {},
                "period_start": period_start,
                "period_end": period_end,
                "deadline": deadline,
                "reminder_days": days,
            },
            verb="reporting cycle saved",
            dialogue_id=plan.dialogue_id,
        )
        result.items.set(items)
        result.indicators.set(indicators)
        StateReport.objects.filter(cycle=result).exclude(country_id__in=codes).delete()
        existing = set(
            StateReport.objects.filter(cycle=result).values_list("country_id", flat=True)
        )
        StateReport.objects.bulk_create(
            [StateReport(cycle=result, country_id=c) for c in codes if c not in existing]
        )
    return result


def open_cycle(
    *, actor: Any, cycle: ReportingCycle, now: datetime.datetime | None = None
) -> ReportingCycle:
    plan = cycle.plan
    require_secretariat(actor, plan.dialogue_id)
    now = now or timezone.now()
    if cycle.status != ReportingCycle.Status.DRAFT:
        raise ValidationError(_("This cycle is not being prepared any more."))
    if cycle.deadline <= now:
        raise ValidationError({"deadline": _("The deadline has already passed.")})
    if not cycle.items.exists() and not cycle.indicators.exists():
        raise ValidationError({"items": _("Choose at least one item or indicator to report on.")})
    if not cycle.reports.exists():
        raise ValidationError({"states": _("Choose at least one state.")})
    with transaction.atomic():
        before = audit.snapshot(cycle)
        cycle.status = ReportingCycle.Status.OPEN
        cycle.opened_at = now
        cycle.save(update_fields=["status", "opened_at"])
        _record(
            actor=actor,
            obj=cycle,
            verb="reporting cycle opened",
            dialogue_id=plan.dialogue_id,
            before=before,
        )
    return cycle


def close_cycle(
    *, actor: Any, cycle: ReportingCycle, now: datetime.datetime | None = None
) -> ReportingCycle:
    plan = cycle.plan
    require_secretariat(actor, plan.dialogue_id)
    if cycle.status != ReportingCycle.Status.OPEN:
        raise ValidationError(_("Only an open cycle can be closed."))
    with transaction.atomic():
        before = audit.snapshot(cycle)
        cycle.status = ReportingCycle.Status.CLOSED
        cycle.closed_at = now or timezone.now()
        cycle.save(update_fields=["status", "closed_at"])
        _record(
            actor=actor,
            obj=cycle,
            verb="reporting cycle closed",
            dialogue_id=plan.dialogue_id,
            before=before,
        )
    return cycle


def reporting_roles(actor: Any, dialogue_id: int) -> tuple[set[str], set[str]]:
    """The states for which ``actor`` is a focal point, and those it contributes for."""
    who = access.principal(actor)
    return (
        who.countries(dialogue_id, access.FOCAL_POINT),
        who.countries(dialogue_id, access.CONTRIBUTOR),
    )


def can_answer(actor: Any, report: StateReport, dialogue_id: int) -> bool:
    focal, contributor = reporting_roles(actor, dialogue_id)
    return report.country_id in focal | contributor


def can_submit(actor: Any, report: StateReport, dialogue_id: int) -> bool:
    focal, _contributor = reporting_roles(actor, dialogue_id)
    return report.country_id in focal


def _check_open(report: StateReport, cycle: ReportingCycle, now: datetime.datetime) -> None:
    if cycle.status != ReportingCycle.Status.OPEN:
        raise ValidationError(_("This cycle is not open for answers."))
    if not report.is_editable():
        raise ValidationError(_("This report has been submitted and can no longer be changed."))
    late = cycle.is_past_deadline(now)
    if late and report.status != StateReport.Status.CLARIFICATION:
        raise ValidationError(
            _("The deadline of this cycle has passed; answers are no longer accepted.")
        )


def _evidence(raw: Any, *, field: str) -> list[str]:
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        raw = [line for line in raw.splitlines() if line.strip()]
    if not isinstance(raw, list):
        raise ValidationError({field: _("Give the evidence as a list of addresses.")})
    links = [str(u).strip() for u in raw if str(u).strip()]
    if len(links) > MAX_EVIDENCE:
        raise ValidationError({field: _("Give at most %d evidence links.") % MAX_EVIDENCE})
    check = URLValidator(schemes=["http", "https"])
    for link in links:
        try:
            check(link)
        except ValidationError:
            raise ValidationError(
                {field: _("“%(link)s” is not a web address.") % {"link": link[:100]}}
            ) from None
    return links


@dataclass
class AnswerInput:
    item_id: int
    status_id: int | None = None
    narrative: str = ""
    evidence: Any = None


def save_report(
    *,
    actor: Any,
    report: StateReport,
    answers: Sequence[AnswerInput] = (),
    values: dict[int, Any] | None = None,
    now: datetime.datetime | None = None,
) -> StateReport:
    """Save a state's draft answers and indicator values (all or nothing).

    ``values`` maps indicator ids to a value, or to ``None``/``""`` to clear it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        report = StateReport.objects.select_for_update().get(pk=report.pk)
        cycle = ReportingCycle.objects.select_related("plan").get(pk=report.cycle_id)
        dialogue_id = cycle.plan.dialogue_id
        if not can_answer(actor, report, dialogue_id):
            raise PermissionDenied(_("You may report only for your own state."))
        _check_open(report, cycle, now)
        item_ids = set(cycle.items.values_list("pk", flat=True))
        indicator_units = dict(cycle.indicators.values_list("pk", "unit"))
        status_ids = set(
            ProgressStatus.objects.filter(dialogue_id=dialogue_id).values_list("pk", flat=True)
        )
        before = audit.snapshot(report)
        existing = {a.item_id: a for a in ReportAnswer.objects.filter(report=report)}
        to_create: list[ReportAnswer] = []
        to_update: list[ReportAnswer] = []
        for n, answer in enumerate(answers):
            prefix = f"answers.{n}"
            if answer.item_id not in item_ids:
                raise ValidationError({f"{prefix}.item": _("This item is not part of this cycle.")})
            if answer.status_id is not None and answer.status_id not in status_ids:
                raise ValidationError({f"{prefix}.status": _("Choose one of the statuses.")})
            narrative = str(answer.narrative or "").strip()
            if len(narrative) > 10000:
                raise ValidationError(
                    {f"{prefix}.narrative": _("Keep the narrative under 10,000 characters.")}
                )
            evidence = _evidence(answer.evidence, field=f"{prefix}.evidence")
            row = existing.get(answer.item_id) or ReportAnswer(
                report=report, item_id=answer.item_id
            )
            row.status_id = answer.status_id
            row.narrative = narrative
            row.evidence = evidence
            row.updated_at = now
            row.updated_by = actor if getattr(actor, "is_authenticated", False) else None
            (to_update if row.pk else to_create).append(row)
        ReportAnswer.objects.bulk_create(to_create, batch_size=500)
        ReportAnswer.objects.bulk_update(
            to_update,
            ["status", "narrative", "evidence", "updated_at", "updated_by"],
            batch_size=500,
        )
        for indicator_id, raw in (values or {}).items():
            field = f"values.{indicator_id}"
            if indicator_id not in indicator_units:
                raise ValidationError({field: _("This indicator is not part of this cycle.")})
            if raw is None or str(raw).strip() == "":
                ReportValue.objects.filter(report=report, indicator_id=indicator_id).delete()
                continue
            number = parse_decimal(raw, field=field)
            check_unit_value(indicator_units[indicator_id], number, field=field)
            ReportValue.objects.update_or_create(
                report=report, indicator_id=indicator_id, defaults={"value": number}
            )
        if report.status == StateReport.Status.NOT_STARTED:
            report.status = StateReport.Status.DRAFT
        report.updated_at = now
        report.save(update_fields=["status", "updated_at"])
        _record(
            actor=actor,
            obj=report,
            verb="state report saved",
            dialogue_id=dialogue_id,
            before=before,
        )
    return report


def submit_report(
    *, actor: Any, report: StateReport, now: datetime.datetime | None = None
) -> StateReport:
    """A focal point sends the state's report to the secretariat; every item needs a status."""
    now = now or timezone.now()
    with transaction.atomic():
        report = StateReport.objects.select_for_update().get(pk=report.pk)
        cycle = ReportingCycle.objects.select_related("plan").get(pk=report.cycle_id)
        dialogue_id = cycle.plan.dialogue_id
        if not can_submit(actor, report, dialogue_id):
            raise PermissionDenied(_("Only a focal point of this state may submit its report."))
        _check_open(report, cycle, now)
        answered = set(
            ReportAnswer.objects.filter(report=report, status__isnull=False).values_list(
                "item_id", flat=True
            )
        )
        missing = cycle.items.exclude(pk__in=answered).count()
        if missing:
            raise ValidationError(
                _("Give a status for every item before submitting (%(n)d missing).")
                % {"n": missing}
            )
        before = audit.snapshot(report)
        report.status = StateReport.Status.SUBMITTED
        report.submitted_at = now
        report.submitted_by = actor
        report.updated_at = now
        report.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
        _record(
            actor=actor,
            obj=report,
            verb="state report submitted",
            dialogue_id=dialogue_id,
            before=before,
        )
    return report


def ask_clarification(
    *, actor: Any, report: StateReport, note: str, now: datetime.datetime | None = None
) -> StateReport:
    now = now or timezone.now()
    with transaction.atomic():
        report = StateReport.objects.select_for_update().get(pk=report.pk)
        cycle = ReportingCycle.objects.select_related("plan").get(pk=report.cycle_id)
        dialogue_id = cycle.plan.dialogue_id
        require_secretariat(actor, dialogue_id)
        if report.status != StateReport.Status.SUBMITTED:
            raise ValidationError(_("Only a submitted report can be sent back."))
        if cycle.status != ReportingCycle.Status.OPEN:
            raise ValidationError(_("This cycle is not open for answers."))
        note = (note or "").strip()
        if not note:
            raise ValidationError({"note": _("Say what needs clarifying.")})
        before = audit.snapshot(report)
        report.status = StateReport.Status.CLARIFICATION
        report.review_note = note[:5000]
        report.reviewed_at = now
        report.reviewed_by = actor
        report.save(update_fields=["status", "review_note", "reviewed_at", "reviewed_by"])
        _record(
            actor=actor,
            obj=report,
            verb="clarification asked",
            dialogue_id=dialogue_id,
            before=before,
        )
    return report


def accept_report(
    *, actor: Any, report: StateReport, note: str = "", now: datetime.datetime | None = None
) -> RollUp:
    """Accept a submitted report: statuses and values enter the plan; progress recomputed."""
    now = now or timezone.now()
    with transaction.atomic():
        report = StateReport.objects.select_for_update().get(pk=report.pk)
        cycle = ReportingCycle.objects.select_related("plan").get(pk=report.cycle_id)
        plan = cycle.plan
        require_secretariat(actor, plan.dialogue_id)
        if report.status != StateReport.Status.SUBMITTED:
            raise ValidationError(_("Only a submitted report can be accepted."))
        before = audit.snapshot(report)
        answers = list(ReportAnswer.objects.filter(report=report, status__isnull=False))
        states = {
            s.item_id: s
            for s in ItemState.objects.filter(
                item_id__in=[a.item_id for a in answers], country_id=report.country_id
            )
        }
        leads: dict[int, set[str]] = defaultdict(set)
        for item_id, code in ItemState.objects.filter(
            item_id__in=[a.item_id for a in answers], role=ItemState.Role.LEAD
        ).values_list("item_id", "country_id"):
            leads[item_id].add(code)
        new_states: list[ItemState] = []
        changed_states: list[ItemState] = []
        item_status: dict[int, list[int]] = defaultdict(list)
        for answer in answers:
            state = states.get(answer.item_id)
            if state is None:
                state = ItemState(
                    item_id=answer.item_id,
                    country_id=report.country_id,
                    role=ItemState.Role.PARTICIPANT,
                )
                new_states.append(state)
            else:
                changed_states.append(state)
            state.status_id = answer.status_id
            state.reported_at = now
            item_leads = leads.get(answer.item_id, set())
            if not item_leads or report.country_id in item_leads:
                assert answer.status_id is not None
                item_status[answer.status_id].append(answer.item_id)
        ItemState.objects.bulk_create(new_states, batch_size=500)
        ItemState.objects.bulk_update(changed_states, ["status", "reported_at"], batch_size=500)
        for status_id, item_ids in item_status.items():
            PlanItem.objects.filter(pk__in=item_ids).update(status_id=status_id)
        for value in ReportValue.objects.filter(report=report):
            IndicatorValue.objects.update_or_create(
                indicator_id=value.indicator_id,
                report=report,
                defaults={
                    "on": cycle.period_end,
                    "value": value.value,
                    "country_id": report.country_id,
                    "note": {"en": value.note} if value.note else {},
                },
            )
        report.status = StateReport.Status.ACCEPTED
        report.reviewed_at = now
        report.reviewed_by = actor
        report.review_note = (note or "").strip()[:5000]
        report.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_note"])
        _record(
            actor=actor,
            obj=report,
            verb="state report accepted",
            dialogue_id=plan.dialogue_id,
            before=before,
        )
        return recompute_progress(plan=plan)


# Response rates and reminders ---------------------------------------------------------------


@dataclass(frozen=True)
class ResponseRate:
    country: Country
    report: StateReport
    answered: int
    expected: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.expected) if self.expected else 100


def response_rates(cycle: ReportingCycle) -> list[ResponseRate]:
    """Per state: its report, and how many of the cycle's items it has answered (3 queries)."""
    expected = cycle.items.count()
    reports = list(
        StateReport.objects.filter(cycle=cycle)
        .select_related("country")
        .annotate(answered=Count("answers", filter=Q(answers__status__isnull=False)))
    )
    rows = [
        ResponseRate(
            country=r.country,
            report=r,
            answered=r.answered,
            expected=expected,
        )
        for r in reports
    ]
    return sorted(rows, key=lambda row: str(row.country.name).casefold())


def cycle_summaries(cycle_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Per cycle: how many states were asked, have submitted, were accepted (one query)."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for cycle_id, status, n in (
        StateReport.objects.filter(cycle_id__in=list(cycle_ids))
        .values_list("cycle_id", "status")
        .annotate(n=Count("pk"))
        .values_list("cycle_id", "status", "n")
    ):
        counts[cycle_id][status] = n
    result = {}
    for cycle_id in cycle_ids:
        by_status = counts.get(cycle_id, {})
        total = sum(by_status.values())
        done = by_status.get(StateReport.Status.SUBMITTED, 0) + by_status.get(
            StateReport.Status.ACCEPTED, 0
        )
        result[cycle_id] = {
            "total": total,
            "submitted": done,
            "accepted": by_status.get(StateReport.Status.ACCEPTED, 0),
            "clarification": by_status.get(StateReport.Status.CLARIFICATION, 0),
            "percent": round(100 * done / total) if total else 0,
        }
    return result


def cycle_summary(cycle: ReportingCycle) -> dict[str, int]:
    return cycle_summaries([cycle.pk])[cycle.pk]


def queue_report_reminders(*, now: datetime.datetime | None = None) -> int:
    """Queue a reminder to each focal point and contributor of every state that has not yet
    submitted, once per cycle, state, person and reminder day. Idempotent."""
    now = now or timezone.now()
    cycles = ReportingCycle.objects.filter(
        status=ReportingCycle.Status.OPEN, deadline__gt=now
    ).select_related("plan")
    created = 0
    for cycle in cycles:
        due = [d for d in cycle.reminder_days if cycle.deadline - datetime.timedelta(days=d) <= now]
        if not due:
            continue
        day = min(due)  # the latest reminder due; earlier ones missed are not sent late
        pending = list(
            StateReport.objects.filter(
                cycle=cycle,
                status__in=[StateReport.Status.NOT_STARTED, StateReport.Status.DRAFT],
            ).values_list("country_id", flat=True)
        )
        roles = (
            Role.objects.active()
            .filter(
                dialogue_id=cycle.plan.dialogue_id,
                country_id__in=pending,
                role__in=[Role.Kind.FOCAL_POINT, Role.Kind.CONTRIBUTOR],
                user__is_active=True,
            )
            .select_related("user")
        )
        rows = [
            ReportReminder(
                key=f"cycle:{cycle.pk}:d{day}:{role.country_id}:{role.user_id}",
                cycle=cycle,
                country_id=role.country_id,
                user=role.user,
                email=role.user.email,
                language=getattr(role.user, "language", "") or settings.LANGUAGE_CODE,
                days_before=day,
            )
            for role in roles
            if role.country_id
        ]
        with transaction.atomic():
            keys = {r.key for r in rows}
            known = set(ReportReminder.objects.filter(key__in=keys).values_list("key", flat=True))
            fresh = [r for r in rows if r.key not in known]
            ReportReminder.objects.bulk_create(fresh, ignore_conflicts=True)
            created += len(fresh)
    return created


def send_report_reminders(*, now: datetime.datetime | None = None) -> int:
    """Send every queued reminder not yet sent, each at most once; returns how many."""
    now = now or timezone.now()
    sent = 0
    for reminder in ReportReminder.objects.filter(sent_at__isnull=True).select_related(
        "cycle", "country"
    ):
        # Claim the row first: a second worker finds it taken and skips it.
        if not ReportReminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(
            sent_at=now
        ):
            continue
        language = reminder.language if reminder.language in {"en", "ru"} else "en"
        with translation.override(language):
            cycle = reminder.cycle
            subject = _("Reminder: report for %(cycle)s due %(deadline)s") % {
                "cycle": cycle.title.get_text(language),
                "deadline": timezone.localtime(cycle.deadline).strftime("%Y-%m-%d %H:%M %Z"),
            }
            body = _(
                "The report of %(state)s for “%(cycle)s” has not been submitted yet. "
                "The deadline is %(deadline)s. Answer under Account → Progress reports."
            ) % {
                "state": reminder.country.name.get_text(language),
                "cycle": cycle.title.get_text(language),
                "deadline": timezone.localtime(cycle.deadline).strftime("%Y-%m-%d %H:%M %Z"),
            }
        try:
            send_mail(subject, body, None, [reminder.email])
        except OSError:
            ReportReminder.objects.filter(pk=reminder.pk).update(sent_at=None)
            continue
        sent += 1
    return sent
