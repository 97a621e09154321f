"""Services of the projects app: every write to projects goes through these functions.

Each is keyword-only, owns its transaction and audit entry, raises ``ValidationError`` (naming
the field) on bad input and ``PermissionDenied`` when the actor lacks the right. The project's
secretariat manages everything; a project's staff (``ProjectMember`` with the role "staff")
may only enter the results of their own project.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogos.core import access, audit
from dialogos.core.models import AuditEntry, Country
from dialogos.dialogues.models import Dialogue, Organisation
from dialogos.plans.models import PlanItem
from dialogos.projects.models import (
    Funding,
    Indicator,
    IndicatorCategory,
    Place,
    Project,
    ProjectMember,
    ProjectType,
    ResultValue,
)

M = Any


# Who may do what (built on core.access; the secretariat test is core.access's own) ----------


def is_secretariat(actor: Any, dialogue_id: int | None) -> bool:
    return access.principal(actor).is_secretariat(dialogue_id)


def require_secretariat(actor: Any, dialogue_id: int | None) -> None:
    if not is_secretariat(actor, dialogue_id):
        raise PermissionDenied(_("Only the secretariat of this dialogue may do this."))


def is_staff(actor: Any, project: Project) -> bool:
    """True when ``actor`` is an active account on the project's staff."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return ProjectMember.objects.filter(
        project_id=project.pk, user_id=actor.pk, role=ProjectMember.Role.STAFF
    ).exists()


def can_enter_results(actor: Any, project: Project) -> bool:
    """The project's secretariat and its own staff enter results; nobody else."""
    return is_secretariat(actor, project.dialogue_id) or is_staff(actor, project)


# Saving with validation and audit -----------------------------------------------------------


def _save(*, actor: Any, obj: M, changes: dict[str, Any], verb: str, dialogue_id: int | None) -> M:
    creating = obj.pk is None
    before = None if creating else audit.snapshot(type(obj)._default_manager.get(pk=obj.pk))
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
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


def _delete(*, actor: Any, obj: models.Model, verb: str, dialogue_id: int | None) -> None:
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


# Types and places -----------------------------------------------------------------------------


def save_project_type(
    *,
    actor: Any,
    dialogue: Dialogue,
    values: dict[str, Any],
    project_type: ProjectType | None = None,
) -> ProjectType:
    require_secretariat(actor, dialogue.pk)
    obj = project_type or ProjectType(dialogue=dialogue)
    if obj.dialogue_id != dialogue.pk:
        raise PermissionDenied(_("This type belongs to another dialogue."))
    with transaction.atomic():
        saved = _save(
            actor=actor, obj=obj, changes=values, verb="project type saved", dialogue_id=dialogue.pk
        )
        _touch(Project.objects.filter(type=saved))
        return saved


def delete_project_type(*, actor: Any, project_type: ProjectType) -> None:
    require_secretariat(actor, project_type.dialogue_id)
    if project_type.projects.exists():
        raise ValidationError(_("Projects of this type exist: give them another type first."))
    _delete(
        actor=actor,
        obj=project_type,
        verb="project type removed",
        dialogue_id=project_type.dialogue_id,
    )


def save_place(
    *, actor: Any, dialogue: Dialogue, values: dict[str, Any], place: Place | None = None
) -> Place:
    require_secretariat(actor, dialogue.pk)
    obj = place or Place(dialogue=dialogue)
    if obj.dialogue_id != dialogue.pk:
        raise PermissionDenied(_("This place belongs to another dialogue."))
    with transaction.atomic():
        saved = _save(
            actor=actor, obj=obj, changes=values, verb="place saved", dialogue_id=dialogue.pk
        )
        _touch(Project.objects.filter(places=saved))
        return saved


def delete_place(*, actor: Any, place: Place) -> None:
    require_secretariat(actor, place.dialogue_id)
    with transaction.atomic():
        _touch(Project.objects.filter(places=place))
        _delete(actor=actor, obj=place, verb="place removed", dialogue_id=place.dialogue_id)


def _touch(projects: models.QuerySet[Project]) -> None:
    """A type or place the list shows changed: the projects' ``updated_at`` moves, so their
    cached list entries (``projects.fragments``) are rendered afresh."""
    Project.objects.filter(pk__in=list(projects.values_list("pk", flat=True))).update(
        updated_at=timezone.now()
    )


# Projects -----------------------------------------------------------------------------------


def save_project(
    *,
    actor: Any,
    dialogue: Dialogue,
    values: dict[str, Any],
    countries: Iterable[Country] | None = None,
    places: Iterable[Place] | None = None,
    implementers: Iterable[Organisation] | None = None,
    project: Project | None = None,
    links: Mapping[str, Iterable[Any]] | None = None,
) -> Project:
    """Create or change a project with its countries, places and implementers, all or nothing.

    ``links`` sets the plan items and documents the project serves or links (by field name);
    each must belong to the project's dialogue.
    """
    require_secretariat(actor, dialogue.pk)
    obj = project or Project(dialogue=dialogue)
    if obj.dialogue_id != dialogue.pk:
        raise PermissionDenied(_("This project belongs to another dialogue."))
    place_list = list(places) if places is not None else None
    if place_list is not None and any(p.dialogue_id != dialogue.pk for p in place_list):
        raise ValidationError({"places": _("Choose places of this project's dialogue.")})
    # Compare with the stored row: a form may already have changed ``obj`` in memory.
    if (
        obj.pk is not None
        and "currency" in values
        and Funding.objects.filter(project_id=obj.pk).exclude(currency=values["currency"]).exists()
    ):
        raise ValidationError(
            {
                "currency": _(
                    "Funding is recorded in another currency: change or remove it before "
                    "changing the project's currency."
                )
            }
        )
    links = {name: list(rows) for name, rows in (links or {}).items()}
    item_ids = [row.pk for row in links.get("plan_items", [])]
    if (
        item_ids
        and PlanItem.objects.filter(pk__in=item_ids).exclude(plan__dialogue=dialogue).exists()
    ):
        raise ValidationError({"plan_items": _("Choose plan items of this project's dialogue.")})
    for row in links.get("documents", []):
        if row.dialogue_id != dialogue.pk:
            raise ValidationError({"documents": _("Choose documents of this project's dialogue.")})
    with transaction.atomic():
        obj = _save(
            actor=actor, obj=obj, changes=values, verb="project saved", dialogue_id=dialogue.pk
        )
        if countries is not None:
            obj.countries.set(list(countries))
        if place_list is not None:
            obj.places.set(place_list)
        if implementers is not None:
            obj.implementers.set(list(implementers))
        for name, rows in links.items():
            getattr(obj, name).set(rows)
    return obj


def delete_project(*, actor: Any, project: Project) -> None:
    require_secretariat(actor, project.dialogue_id)
    _delete(actor=actor, obj=project, verb="project removed", dialogue_id=project.dialogue_id)


# Funding ------------------------------------------------------------------------------------


def save_funding(
    *, actor: Any, project: Project, values: dict[str, Any], funding: Funding | None = None
) -> Funding:
    """One donor's contribution, in the project's currency (a mismatch is refused)."""
    require_secretariat(actor, project.dialogue_id)
    obj = funding or Funding(project=project)
    if obj.project_id != project.pk:
        raise PermissionDenied(_("This funding belongs to another project."))
    values = dict(values)
    values.setdefault("currency", obj.currency or project.currency)
    donors = [values.get("donor_country"), values.get("donor_organisation")]
    if all(d is None for d in donors) and obj.pk is None:
        raise ValidationError(
            {"donor_organisation": _("Name one donor: a state or an organisation.")}
        )
    clash = Funding.objects.filter(project=project).exclude(pk=obj.pk)
    if (
        values.get("donor_country") is not None
        and clash.filter(donor_country=values["donor_country"]).exists()
    ):
        raise ValidationError({"donor_country": _("This donor already funds the project.")})
    if (
        values.get("donor_organisation") is not None
        and clash.filter(donor_organisation=values["donor_organisation"]).exists()
    ):
        raise ValidationError({"donor_organisation": _("This donor already funds the project.")})
    with transaction.atomic():
        return _save(
            actor=actor,
            obj=obj,
            changes=values,
            verb="funding saved",
            dialogue_id=project.dialogue_id,
        )


def delete_funding(*, actor: Any, funding: Funding) -> None:
    dialogue_id = funding.project.dialogue_id
    require_secretariat(actor, dialogue_id)
    _delete(actor=actor, obj=funding, verb="funding removed", dialogue_id=dialogue_id)


# Staff --------------------------------------------------------------------------------------


def add_project_member(
    *, actor: Any, project: Project, email: str, role: str = ProjectMember.Role.STAFF
) -> ProjectMember:
    """Give an existing account a role on the project (the secretariat manages staff)."""
    require_secretariat(actor, project.dialogue_id)
    user = get_user_model().objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        raise ValidationError(
            {"email": _("No account has this e-mail address; invite the person first.")}
        )
    if role not in ProjectMember.Role.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    if ProjectMember.objects.filter(project=project, user=user).exists():
        raise ValidationError({"email": _("This account already works on the project.")})
    with transaction.atomic():
        return _save(
            actor=actor,
            obj=ProjectMember(project=project, user=user),
            changes={"role": role},
            verb="project staff added",
            dialogue_id=project.dialogue_id,
        )


def remove_project_member(*, actor: Any, member: ProjectMember) -> None:
    dialogue_id = member.project.dialogue_id
    require_secretariat(actor, dialogue_id)
    _delete(actor=actor, obj=member, verb="project staff removed", dialogue_id=dialogue_id)
    access.forget(member.user)


# Indicators ---------------------------------------------------------------------------------


def save_indicator(
    *, actor: Any, project: Project, values: dict[str, Any], indicator: Indicator | None = None
) -> Indicator:
    require_secretariat(actor, project.dialogue_id)
    obj = indicator or Indicator(project=project)
    if obj.project_id != project.pk:
        raise PermissionDenied(_("This indicator belongs to another project."))
    if (
        obj.pk is not None
        and "frequency" in values
        and ResultValue.objects.filter(indicator_id=obj.pk)
        .exclude(indicator__frequency=values["frequency"])
        .exists()
    ):
        raise ValidationError(
            {"frequency": _("Results are already entered: the frequency cannot change.")}
        )
    with transaction.atomic():
        return _save(
            actor=actor,
            obj=obj,
            changes=values,
            verb="indicator saved",
            dialogue_id=project.dialogue_id,
        )


def delete_indicator(*, actor: Any, indicator: Indicator) -> None:
    dialogue_id = indicator.project.dialogue_id
    require_secretariat(actor, dialogue_id)
    _delete(actor=actor, obj=indicator, verb="indicator removed", dialogue_id=dialogue_id)


def save_indicator_category(
    *,
    actor: Any,
    indicator: Indicator,
    values: dict[str, Any],
    category: IndicatorCategory | None = None,
) -> IndicatorCategory:
    dialogue_id = indicator.project.dialogue_id
    require_secretariat(actor, dialogue_id)
    obj = category or IndicatorCategory(indicator=indicator)
    if obj.indicator_id != indicator.pk:
        raise PermissionDenied(_("This category belongs to another indicator."))
    if (
        obj.pk is None
        and ResultValue.objects.filter(indicator=indicator, category__isnull=True).exists()
    ):
        raise ValidationError(
            _("Totals without a breakdown are already entered: remove them before adding one.")
        )
    with transaction.atomic():
        return _save(
            actor=actor,
            obj=obj,
            changes=values,
            verb="indicator category saved",
            dialogue_id=dialogue_id,
        )


def delete_indicator_category(*, actor: Any, category: IndicatorCategory) -> None:
    dialogue_id = category.indicator.project.dialogue_id
    require_secretariat(actor, dialogue_id)
    _delete(actor=actor, obj=category, verb="indicator category removed", dialogue_id=dialogue_id)


# Results ------------------------------------------------------------------------------------


def parse_period(text: str, indicator: Indicator) -> datetime.date:
    """``2024-05`` (month), ``2024-Q2`` (quarter) or an ISO date: the period's first day."""
    text = (text or "").strip().upper()
    try:
        if "-Q" in text:
            year_text, quarter_text = text.split("-Q", 1)
            quarter = int(quarter_text)
            if not 1 <= quarter <= 4:
                raise ValueError
            day = datetime.date(int(year_text), 3 * (quarter - 1) + 1, 1)
        elif len(text) == 7:
            day = datetime.date(int(text[:4]), int(text[5:7]), 1)
        else:
            day = datetime.date.fromisoformat(text)
    except (ValueError, IndexError):
        raise ValidationError(
            {"period": _("Enter the period as a month (2024-05) or a quarter (2024-Q2).")}
        ) from None
    return indicator.period_of(day)


@dataclass(frozen=True)
class Entry:
    """One value to set: for a category of the breakdown (or the total), ``None`` clears it."""

    category_id: int | None
    value: int | None


def enter_results(
    *, actor: Any, indicator: Indicator, period: datetime.date, entries: Sequence[Entry]
) -> list[ResultValue]:
    """Set the indicator's values for one period, all or nothing.

    The period must be a month or quarter (as the indicator is reported) inside the
    project's own period; values are whole numbers, zero or more; with a breakdown every
    value names one of the indicator's categories, without one there is a single total.
    """
    project = indicator.project
    if not can_enter_results(actor, project):
        raise PermissionDenied(_("Only the project's staff or the secretariat may enter results."))
    if period != indicator.period_of(period):
        raise ValidationError({"period": _("A period starts on the first day of its month.")})
    last = indicator.period_end(period)
    if not project.covers(period, last):
        raise ValidationError(
            {
                "period": _("%(period)s is outside the project's period (%(start)s to %(end)s).")
                % {
                    "period": indicator.period_label(period),
                    "start": project.start.isoformat(),
                    "end": project.end.isoformat() if project.end else _("open-ended"),
                }
            }
        )
    categories = {c.pk: c for c in indicator.categories.all()}
    seen: set[int | None] = set()
    for entry in entries:
        if categories and entry.category_id not in categories:
            raise ValidationError({"category": _("Choose a category of this indicator.")})
        if not categories and entry.category_id is not None:
            raise ValidationError({"category": _("This indicator has no breakdown.")})
        if entry.category_id in seen:
            raise ValidationError({"category": _("Each category may appear once.")})
        seen.add(entry.category_id)
        if entry.value is not None and (
            isinstance(entry.value, bool) or not isinstance(entry.value, int)
        ):
            raise ValidationError({"value": _("Enter a whole number.")})
        if entry.value is not None and entry.value < 0:
            raise ValidationError({"value": _("A count cannot be negative.")})
        if entry.value is not None and entry.value > 10**15:
            raise ValidationError({"value": _("This number is too large.")})
    saved: list[ResultValue] = []
    with transaction.atomic():
        # Hold the indicator's row: two entries for it never interleave (nor race to insert).
        Indicator.objects.select_for_update().filter(pk=indicator.pk).order_by().first()
        existing = {
            v.category_id: v
            for v in ResultValue.objects.filter(indicator=indicator, period=period).order_by("pk")
        }
        if not existing and all(entry.value is None for entry in entries):
            raise ValidationError(_("Enter at least one value."))
        before = {str(k): v.value for k, v in existing.items()}
        after = dict(before)
        for entry in entries:
            current = existing.get(entry.category_id)
            key = str(entry.category_id)
            if entry.value is None:
                if current is not None:
                    current.delete()
                    after.pop(key, None)
                continue
            if current is None:
                current = ResultValue(
                    indicator=indicator, category_id=entry.category_id, period=period
                )
            current.value = entry.value
            current.entered_by = actor if getattr(actor, "is_authenticated", False) else None
            current.save()
            after[key] = entry.value
            saved.append(current)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=indicator,
            before={"period": period.isoformat(), "values": before},
            after={"period": period.isoformat(), "values": after},
            verb="results entered",
            dialogue_id=project.dialogue_id,
        )
    return saved


# Export -------------------------------------------------------------------------------------

CSV_HEADER = ["project_id", "project", "indicator", "unit", "breakdown", "period", "value"]


def results_csv(project: Project, indicators: Sequence[Indicator]) -> str:
    """The project's results as CSV, one row per value; ``indicators`` come with their
    categories and values prefetched (see ``views.project_contents``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    title = _csv_safe(str(project.title))
    for indicator in indicators:
        names = {c.pk: str(c.name) for c in indicator.categories.all()}
        for value in indicator.values.all():
            writer.writerow(
                [
                    project.pk,
                    title,
                    _csv_safe(str(indicator.title)),
                    _csv_safe(str(indicator.unit)),
                    _csv_safe(names.get(value.category_id, "")) if value.category_id else "",
                    indicator.period_label(value.period),
                    value.value,
                ]
            )
    return out.getvalue()


def _csv_safe(text: str) -> str:
    """Keep spreadsheet programs from reading a cell as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
