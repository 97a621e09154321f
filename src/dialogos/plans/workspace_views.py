"""The secretariat's plan pages: plans, the item tree editor, statuses, indicators and their
values, reporting cycles with response rates, and the review of states' reports.

Every view finds the dialogue by its slug and lets only its secretariat (or an operator)
through; everyone else gets the same 404. Writes go through ``plans.services``; their
``ValidationError`` is shown on the form or as a message, never half-saved.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dialogos.core import access
from dialogos.core.forms import attach_errors
from dialogos.core.models import AccessLevel, Country
from dialogos.dialogues.models import Dialogue
from dialogos.plans import services
from dialogos.plans.models import (
    ActionPlan,
    Indicator,
    IndicatorValue,
    ItemLink,
    ItemState,
    PlanItem,
    ProgressStatus,
    ReportAnswer,
    ReportingCycle,
    ReportValue,
    StateReport,
)
from dialogos.plans.workspace_forms import (
    AcceptForm,
    ClarifyForm,
    CycleForm,
    IndicatorForm,
    ItemForm,
    LinkForm,
    PlanForm,
    StatusForm,
    ValueForm,
)

R = TypeVar("R", bound=HttpResponseBase)


def _dialogue(request: HttpRequest, slug: str) -> Dialogue:
    dialogue = Dialogue.objects.filter(slug=slug).first()
    if dialogue is None:
        raise Http404
    access.require_secretariat(request.user, dialogue.pk)
    return dialogue


def _plan(request: HttpRequest, slug: str, pk: int) -> tuple[Dialogue, ActionPlan]:
    dialogue = _dialogue(request, slug)
    return dialogue, get_object_or_404(ActionPlan, pk=pk, dialogue=dialogue)


def _refusals_as_404(view: Callable[..., R]) -> Callable[..., R]:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> R:
        try:
            return view(*args, **kwargs)
        except PermissionDenied as exc:
            raise Http404 from exc

    return wrapper


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_section": "workspace", "section": "plans", **context})


def _try(request: HttpRequest, form: forms.BaseForm | None, save: Callable[[], Any]) -> bool:
    """Call ``save``; show a service's refusal on the form (or as a message) instead."""
    try:
        save()
    except ValidationError as error:
        if form is not None:
            attach_errors(form, error)
        else:
            for text in error.messages:
                messages.error(request, text)
        return False
    return True


def _countries(dialogue: Dialogue) -> list[Country]:
    codes = services.participating_codes(dialogue.pk)
    return list(Country.objects.filter(code__in=codes))


def _confirm(
    request: HttpRequest,
    dialogue: Dialogue,
    *,
    what: str,
    title: str,
    back: str,
    delete: Callable[[], Any],
    done: str,
    after: str,
) -> HttpResponse:
    if request.method == "POST":
        if _try(request, None, delete):
            messages.success(request, done)
            return redirect(after)
        return redirect(back)
    return _render(
        request,
        "workspace/confirm_remove.html",
        {"dialogue": dialogue, "title": title, "what": what, "back": back, "current": "true"},
    )


# Plans --------------------------------------------------------------------------------------


@_refusals_as_404
def index(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    plans = list(
        ActionPlan.objects.filter(dialogue=dialogue)
        .select_related("meeting")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("order", "-period_start")
    )
    cycles = list(
        ReportingCycle.objects.filter(plan__dialogue=dialogue)
        .select_related("plan")
        .annotate(
            report_count=Count("reports", distinct=True),
        )
        .order_by("-deadline")
    )
    summaries = services.cycle_summaries([c.pk for c in cycles])
    for cycle in cycles:
        cycle.summary = summaries.get(cycle.pk)  # type: ignore[attr-defined]
    return _render(
        request,
        "plans/workspace/index.html",
        {
            "dialogue": dialogue,
            "plans": plans,
            "cycles": cycles,
            "status_count": ProgressStatus.objects.filter(dialogue=dialogue).count(),
        },
    )


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    plan = get_object_or_404(ActionPlan, pk=pk, dialogue=dialogue) if pk else None
    form = PlanForm(request.POST or None, instance=plan, dialogue=dialogue)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PlanForm.Meta.fields}
        result: list[ActionPlan] = []
        if _try(
            request,
            form,
            lambda: result.append(
                services.save_plan(actor=request.user, dialogue=dialogue, plan=plan, **fields)
            ),
        ):
            services.ensure_default_statuses(actor=request.user, dialogue=dialogue)
            messages.success(request, _("The plan is saved."))
            return redirect("plans_workspace:plan", dialogue.slug, result[0].pk)
    back = (
        reverse("plans_workspace:plan", args=[slug, plan.pk])
        if plan
        else reverse("plans_workspace:index", args=[slug])
    )
    return _render(
        request,
        "workspace/form.html",
        {
            "dialogue": dialogue,
            "form": form,
            "title": _("Change the plan") if plan else _("New action plan"),
            "submit": _("Save"),
            "back": back,
            "current": "true",
        },
    )


@_refusals_as_404
def plan_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, plan = _plan(request, slug, pk)
    return _confirm(
        request,
        dialogue,
        what=str(plan),
        title=_("Remove the plan"),
        back=reverse("plans_workspace:plan", args=[slug, pk]),
        delete=lambda: services.delete_plan(actor=request.user, plan=plan),
        done=_("The plan is removed."),
        after=reverse("plans_workspace:index", args=[slug]),
    )


# Above this many items the editor opens on an overview (two levels) and edits a pillar at
# a time; below it, the whole tree.
EDITOR_WHOLE_TREE = 400


@dataclass(slots=True)
class EditorRow:
    """One row of the tree editor, in plain values (a plan may have thousands of items)."""

    pk: int
    depth: int
    code: str
    title: str
    kind: str
    access: str
    weight: int
    status: str
    progress: Decimal
    leads: str = ""
    indicators: int = 0
    below: int = 0
    path: str = ""


def _editor_rows(plan: ActionPlan, pillar: int | None, overview: bool) -> list[EditorRow]:
    """The rows of the editor in tree order, in three queries and one pass."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    kinds = dict(PlanItem.Kind.choices)
    levels = dict(AccessLevel.choices)
    statuses = {
        pk: name.get_text(language) if hasattr(name, "get_text") else str(name)
        for pk, name in ProgressStatus.objects.filter(dialogue_id=plan.dialogue_id).values_list(
            "pk", "name"
        )
    }
    items = PlanItem.objects.filter(plan=plan).order_by("path")
    if pillar is not None:
        root = PlanItem.objects.filter(plan=plan, pk=pillar, depth=0).values_list("path").first()
        items = items.filter(path__startswith=root[0]) if root else items.none()
    rows: list[EditorRow] = []
    by_id: dict[int, EditorRow] = {}
    stack: list[EditorRow] = []
    for (
        pk,
        depth,
        path,
        code,
        title,
        kind,
        access_level,
        weight,
        status_id,
        progress,
    ) in items.values_list(
        "pk",
        "depth",
        "path",
        "code",
        "title",
        "kind",
        "access_level",
        "weight",
        "status_id",
        "progress",
    ):
        while stack and stack[-1].depth >= depth:
            stack.pop()
        for ancestor in stack:
            ancestor.below += 1
        row = EditorRow(
            pk=pk,
            depth=depth,
            code=code,
            title=title.get_text(language) if hasattr(title, "get_text") else str(title),
            kind=str(kinds.get(kind, kind)),
            access="" if access_level == AccessLevel.INHERIT else str(levels[access_level]),
            weight=weight,
            status=statuses.get(status_id, "—") if status_id else "—",
            progress=progress,
            path=path,
        )
        stack.append(row)
        if overview and depth > 1:
            continue
        rows.append(row)
        by_id[pk] = row
    leads: dict[int, list[str]] = {}
    for item_id, code in ItemState.objects.filter(
        item__plan=plan, role=ItemState.Role.LEAD, item_id__in=by_id.keys()
    ).values_list("item_id", "country_id"):
        leads.setdefault(item_id, []).append(code)
    for item_id, codes in leads.items():
        by_id[item_id].leads = ", ".join(codes)
    for item_id, count in (
        Indicator.objects.filter(item__plan=plan, item_id__in=by_id.keys())
        .values_list("item_id")
        .annotate(n=Count("pk"))
        .values_list("item_id", "n")
    ):
        by_id[item_id].indicators = count
    return rows


def _editor_html(
    dialogue: Dialogue, plan: ActionPlan, rows: list[EditorRow], overview: bool
) -> str:
    """The rows as table rows, built in Python: each label translated and each address
    reversed once per page, every value escaped."""
    from dialogos.plans.rendering import escape

    placeholder = 987654321
    item_url = reverse("plans_workspace:item", args=[dialogue.slug, plan.pk, placeholder])
    add_url = reverse("plans_workspace:item_create", args=[dialogue.slug, plan.pk])
    plan_url = reverse("plans_workspace:plan", args=[dialogue.slug, plan.pk])
    add_label = escape(_("Add a part"))
    out = []
    for row in rows:
        access_tag = f' <span class="tag">{escape(row.access)}</span>' if row.access else ""
        code = f"{escape(row.code)} " if row.code else ""
        more = ""
        if overview and row.depth == 0:
            label = ngettext(
                "Edit this pillar (%(counter)s item)",
                "Edit this pillar (%(counter)s items)",
                row.below + 1,
            ) % {"counter": row.below + 1}
            more = f'<br><a href="{plan_url}?pillar={row.pk}">{escape(label)}</a>'
        out.append(
            f'<tr><td><span aria-hidden="true">{"— " * row.depth}</span>'
            f'<a href="{item_url.replace(str(placeholder), str(row.pk))}">{code}{escape(row.title)}</a>'
            f"{access_tag}{more}</td>"
            f"<td>{escape(row.kind)}</td><td>{escape(row.leads)}</td><td>{row.weight}</td>"
            f"<td>{escape(row.status)}</td><td>{round(row.progress)}%</td>"
            f'<td class="table__actions"><a href="{add_url}?parent={row.pk}">{add_label}'
            f'<span class="visually-hidden"> {escape(row.code)}</span></a></td></tr>'
        )
    return "\n".join(out)


@_refusals_as_404
def plan_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The tree editor: the items in tree order with their leads and progress; a large plan
    opens on its top two levels and edits a pillar at a time (``?pillar=``)."""
    dialogue, plan = _plan(request, slug, pk)
    raw = request.GET.get("pillar", "").strip()
    pillar = int(raw) if raw.isdecimal() and len(raw) < 10 else None
    total = PlanItem.objects.filter(plan=plan).count()
    overview = pillar is None and total > EDITOR_WHOLE_TREE
    rows = _editor_rows(plan, pillar, overview)
    pillars = list(
        PlanItem.objects.filter(plan=plan, depth=0).order_by("path").values_list("pk", "code")
    )
    return _render(
        request,
        "plans/workspace/plan.html",
        {
            "dialogue": dialogue,
            "plan": plan,
            "rows": rows,
            "rows_html": mark_safe(_editor_html(dialogue, plan, rows, overview)),  # noqa: S308
            "total": total,
            "overview": overview,
            "pillar": pillar,
            "pillars": pillars,
            "cycles": list(ReportingCycle.objects.filter(plan=plan).order_by("-deadline")),
        },
    )


@_refusals_as_404
@require_POST
def plan_recompute(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, plan = _plan(request, slug, pk)
    services.require_secretariat(request.user, dialogue.pk)
    result = services.recompute_progress(plan=plan)
    messages.success(
        request,
        _("Progress recomputed for %(n)d items in %(ms)d ms.")
        % {"n": result.items, "ms": round(result.seconds * 1000)},
    )
    return redirect("plans_workspace:plan", slug, pk)


# Items --------------------------------------------------------------------------------------


def _item_form(
    request: HttpRequest, dialogue: Dialogue, plan: ActionPlan, item: PlanItem | None
) -> ItemForm:
    parents = list(PlanItem.objects.filter(plan=plan).order_by("path"))
    if item is not None:
        parents = [p for p in parents if not p.path.startswith(item.path)]
    initial: dict[str, Any] = {}
    if item is not None:
        roles: dict[str, list[str]] = {}
        for state in ItemState.objects.filter(item=item):
            roles.setdefault(state.role, []).append(state.country_id)
        initial = {
            "kind": item.kind,
            "code": item.code,
            "title": item.title,
            "description": item.description,
            "parent": item.parent_id,
            "position": item.position,
            "weight": item.weight,
            "status": item.status_id,
            "access_level": item.access_level,
            "leads": roles.get(ItemState.Role.LEAD, []),
            "co_leads": roles.get(ItemState.Role.CO_LEAD, []),
            "participants": roles.get(ItemState.Role.PARTICIPANT, []),
        }
    else:
        parent_text = request.GET.get("parent", "")
        if parent_text.isdecimal():
            initial["parent"] = int(parent_text)
        initial["status"] = (
            ProgressStatus.objects.filter(dialogue=dialogue, is_default=True)
            .values_list("pk", flat=True)
            .first()
        )
    return ItemForm(
        request.POST or None,
        initial=initial,
        plan=plan,
        countries=_countries(dialogue),
        parents=parents,
    )


def _save_item(
    request: HttpRequest, plan: ActionPlan, item: PlanItem | None, form: ItemForm
) -> Any:
    data = form.cleaned_data
    parent_id = data.get("parent")
    parent = PlanItem.objects.filter(plan=plan, pk=parent_id).first() if parent_id else None
    if parent_id and parent is None:
        raise ValidationError({"parent": _("Choose an item of this plan.")})
    fields = {
        "kind": data["kind"],
        "code": data["code"],
        "title": data["title"],
        "description": data["description"],
        "weight": data["weight"],
        "status": data["status"],
        "access_level": data["access_level"],
    }
    states = {
        "leads": data.get("leads") or [],
        "co_leads": data.get("co_leads") or [],
        "participants": data.get("participants") or [],
    }
    if item is None:
        return services.create_item(
            actor=request.user,
            plan=plan,
            parent=parent,
            position=data.get("position"),
            **states,
            **fields,
        )
    return services.update_item(
        actor=request.user,
        item=item,
        parent=parent,
        position=data.get("position"),
        **states,
        **fields,
    )


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, slug: str, pk: int, item_pk: int | None = None) -> HttpResponse:
    dialogue, plan = _plan(request, slug, pk)
    item = get_object_or_404(PlanItem, pk=item_pk, plan=plan) if item_pk else None
    form = _item_form(request, dialogue, plan, item)
    if request.method == "POST" and form.is_valid():
        result: list[PlanItem] = []
        if _try(request, form, lambda: result.append(_save_item(request, plan, item, form))):
            messages.success(request, _("The item is saved."))
            return redirect("plans_workspace:item", slug, pk, result[0].pk)
    context: dict[str, Any] = {
        "dialogue": dialogue,
        "plan": plan,
        "item": item,
        "form": form,
        "current": "true",
    }
    if item is not None:
        context["links"] = list(
            ItemLink.objects.filter(item=item).select_related("meeting", "document", "practice")
        )
        context["indicators"] = list(Indicator.objects.filter(item=item))
        context["link_form"] = LinkForm(dialogue=dialogue)
    return _render(request, "plans/workspace/item.html", context)


@_refusals_as_404
def item_delete(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    dialogue, plan = _plan(request, slug, pk)
    item = get_object_or_404(PlanItem, pk=item_pk, plan=plan)
    return _confirm(
        request,
        dialogue,
        what=str(item),
        title=_("Remove the item and everything under it"),
        back=reverse("plans_workspace:item", args=[slug, pk, item_pk]),
        delete=lambda: services.delete_item(actor=request.user, item=item),
        done=_("The item is removed."),
        after=reverse("plans_workspace:plan", args=[slug, pk]),
    )


@_refusals_as_404
@require_POST
def link_add(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    dialogue, plan = _plan(request, slug, pk)
    item = get_object_or_404(PlanItem, pk=item_pk, plan=plan)
    form = LinkForm(request.POST, dialogue=dialogue)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    elif _try(
        request,
        None,
        lambda: services.add_link(
            actor=request.user,
            item=item,
            meeting=form.cleaned_data["meeting"],
            document=form.cleaned_data["document"],
            practice=form.cleaned_data["practice"],
            url=form.cleaned_data["url"] or "",
            label=form.cleaned_data["label"],
        ),
    ):
        messages.success(request, _("The link is added."))
    return redirect("plans_workspace:item", slug, pk, item_pk)


@_refusals_as_404
def link_delete(request: HttpRequest, slug: str, link_pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    link = get_object_or_404(
        ItemLink.objects.select_related("item", "item__plan"),
        pk=link_pk,
        item__plan__dialogue=dialogue,
    )
    back = reverse("plans_workspace:item", args=[slug, link.item.plan_id, link.item_id])
    return _confirm(
        request,
        dialogue,
        what=str(link),
        title=_("Remove the link"),
        back=back,
        delete=lambda: services.delete_link(actor=request.user, link=link),
        done=_("The link is removed."),
        after=back,
    )


# Indicators ---------------------------------------------------------------------------------


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def indicator_edit(
    request: HttpRequest, slug: str, pk: int, item_pk: int, indicator_pk: int | None = None
) -> HttpResponse:
    dialogue, plan = _plan(request, slug, pk)
    item = get_object_or_404(PlanItem, pk=item_pk, plan=plan)
    indicator = get_object_or_404(Indicator, pk=indicator_pk, item=item) if indicator_pk else None
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in IndicatorForm.Meta.fields}
        result: list[Indicator] = []
        if _try(
            request,
            form,
            lambda: result.append(
                services.save_indicator(
                    actor=request.user,
                    item=item,
                    indicator=Indicator.objects.get(pk=indicator.pk) if indicator else None,
                    **fields,
                )
            ),
        ):
            messages.success(request, _("The indicator is saved."))
            return redirect("plans_workspace:indicator", slug, pk, item_pk, result[0].pk)
    context: dict[str, Any] = {
        "dialogue": dialogue,
        "plan": plan,
        "item": item,
        "indicator": indicator,
        "form": form,
        "current": "true",
    }
    if indicator is not None:
        context["values"] = list(
            IndicatorValue.objects.filter(indicator=indicator).select_related("country")
        )
        context["value_form"] = ValueForm(countries=_countries(dialogue))
    return _render(request, "plans/workspace/indicator.html", context)


@_refusals_as_404
@require_POST
def value_add(
    request: HttpRequest, slug: str, pk: int, item_pk: int, indicator_pk: int
) -> HttpResponse:
    dialogue, plan = _plan(request, slug, pk)
    indicator = get_object_or_404(
        Indicator.objects.select_related("item__plan"), pk=indicator_pk, item__plan=plan
    )
    form = ValueForm(request.POST, countries=_countries(dialogue))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        code = form.cleaned_data["country"]
        country = Country.objects.filter(code=code).first() if code else None
        if _try(
            request,
            None,
            lambda: services.add_indicator_value(
                actor=request.user,
                indicator=indicator,
                on=form.cleaned_data["on"],
                value=form.cleaned_data["value"],
                country=country,
            ),
        ):
            messages.success(request, _("The value is added."))
    return redirect("plans_workspace:indicator", slug, pk, item_pk, indicator_pk)


@_refusals_as_404
def value_delete(request: HttpRequest, slug: str, value_pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    value = get_object_or_404(
        IndicatorValue.objects.select_related("indicator__item__plan"),
        pk=value_pk,
        indicator__item__plan__dialogue=dialogue,
    )
    item = value.indicator.item
    back = reverse(
        "plans_workspace:indicator", args=[slug, item.plan_id, item.pk, value.indicator_id]
    )
    return _confirm(
        request,
        dialogue,
        what=str(value),
        title=_("Remove the value"),
        back=back,
        delete=lambda: services.delete_indicator_value(actor=request.user, value=value),
        done=_("The value is removed."),
        after=back,
    )


@_refusals_as_404
def indicator_delete(
    request: HttpRequest, slug: str, pk: int, item_pk: int, indicator_pk: int
) -> HttpResponse:
    dialogue, plan = _plan(request, slug, pk)
    indicator = get_object_or_404(
        Indicator.objects.select_related("item__plan"), pk=indicator_pk, item__plan=plan
    )
    back = reverse("plans_workspace:item", args=[slug, pk, item_pk])
    return _confirm(
        request,
        dialogue,
        what=str(indicator),
        title=_("Remove the indicator"),
        back=reverse("plans_workspace:indicator", args=[slug, pk, item_pk, indicator_pk]),
        delete=lambda: services.delete_indicator(actor=request.user, indicator=indicator),
        done=_("The indicator is removed."),
        after=back,
    )


# Statuses -----------------------------------------------------------------------------------


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def statuses(request: HttpRequest, slug: str, status_pk: int | None = None) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    status = (
        get_object_or_404(ProgressStatus, pk=status_pk, dialogue=dialogue) if status_pk else None
    )
    form = StatusForm(request.POST or None, instance=status)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _try(
            request,
            form,
            lambda: services.save_status(
                actor=request.user,
                dialogue=dialogue,
                status=ProgressStatus.objects.get(pk=status.pk) if status else None,
                code=data["code"],
                name=data["name"],
                progress=data["progress"],
                order=data["order"],
                is_default=data["is_default"],
            ),
        ):
            messages.success(request, _("The status is saved."))
            return redirect("plans_workspace:statuses", slug)
    return _render(
        request,
        "plans/workspace/statuses.html",
        {
            "dialogue": dialogue,
            "statuses": list(ProgressStatus.objects.filter(dialogue=dialogue)),
            "status": status,
            "form": form,
            "current": "true",
        },
    )


@_refusals_as_404
def status_delete(request: HttpRequest, slug: str, status_pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    status = get_object_or_404(ProgressStatus, pk=status_pk, dialogue=dialogue)
    back = reverse("plans_workspace:statuses", args=[slug])
    return _confirm(
        request,
        dialogue,
        what=str(status),
        title=_("Remove the status"),
        back=back,
        delete=lambda: services.delete_status(actor=request.user, status=status),
        done=_("The status is removed."),
        after=back,
    )


# Reporting cycles ---------------------------------------------------------------------------


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def cycle_edit(
    request: HttpRequest, slug: str, pk: int, cycle_pk: int | None = None
) -> HttpResponse:
    dialogue, plan = _plan(request, slug, pk)
    cycle = get_object_or_404(ReportingCycle, pk=cycle_pk, plan=plan) if cycle_pk else None
    items = list(PlanItem.objects.filter(plan=plan).order_by("path"))
    indicators = list(Indicator.objects.filter(item__plan=plan).order_by("item__path", "order"))
    countries = _countries(dialogue)
    initial: dict[str, Any] = {}
    if cycle is not None:
        codes = list(cycle.reports.values_list("country_id", flat=True))
        initial = {
            "title": cycle.title,
            "instructions": cycle.instructions,
            "period_start": cycle.period_start,
            "period_end": cycle.period_end,
            "deadline_date": cycle.deadline.date(),
            "deadline_time": cycle.deadline.time(),
            "time_zone": "UTC",
            "all_states": len(codes) == len(countries),
            "states": codes,
            "items": list(cycle.items.values_list("pk", flat=True)),
            "indicators": list(cycle.indicators.values_list("pk", flat=True)),
            "reminder_days": ", ".join(str(d) for d in cycle.reminder_days),
        }
    form = CycleForm(
        request.POST or None,
        initial=initial,
        countries=countries,
        items=items,
        indicators=indicators,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_id = {i.pk: i for i in items}
        indicator_by_id = {i.pk: i for i in indicators}
        result: list[ReportingCycle] = []
        if _try(
            request,
            form,
            lambda: result.append(
                services.save_cycle(
                    actor=request.user,
                    plan=plan,
                    cycle=cycle,
                    title=data["title"],
                    instructions=data["instructions"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    deadline=form.deadline(),
                    items=[by_id[i] for i in data["items"] if i in by_id],
                    indicators=[indicator_by_id[i] for i in data["indicators"]],
                    states=None if data["all_states"] else data["states"],
                    reminder_days=data["reminder_days"],
                )
            ),
        ):
            messages.success(request, _("The cycle is saved. Open it when it is ready."))
            return redirect("plans_workspace:cycle", slug, result[0].pk)
    return _render(
        request,
        "workspace/form.html",
        {
            "dialogue": dialogue,
            "form": form,
            "title": _("Change the reporting cycle") if cycle else _("New reporting cycle"),
            "submit": _("Save"),
            "back": reverse("plans_workspace:plan", args=[slug, pk]),
            "current": "true",
        },
    )


def _cycle(request: HttpRequest, slug: str, cycle_pk: int) -> tuple[Dialogue, ReportingCycle]:
    dialogue = _dialogue(request, slug)
    cycle = get_object_or_404(
        ReportingCycle.objects.select_related("plan"), pk=cycle_pk, plan__dialogue=dialogue
    )
    return dialogue, cycle


@_refusals_as_404
def cycle_detail(request: HttpRequest, slug: str, cycle_pk: int) -> HttpResponse:
    dialogue, cycle = _cycle(request, slug, cycle_pk)
    return _render(
        request,
        "plans/workspace/cycle.html",
        {
            "dialogue": dialogue,
            "cycle": cycle,
            "plan": cycle.plan,
            "rates": services.response_rates(cycle),
            "summary": services.cycle_summary(cycle),
            "item_count": cycle.items.count(),
            "indicator_count": cycle.indicators.count(),
            "current": "true",
        },
    )


@_refusals_as_404
@require_POST
def cycle_action(request: HttpRequest, slug: str, cycle_pk: int, action: str) -> HttpResponse:
    _unused, cycle = _cycle(request, slug, cycle_pk)
    actions: dict[str, tuple[Callable[[], Any], str]] = {
        "open": (
            lambda: services.open_cycle(actor=request.user, cycle=cycle),
            _("The cycle is open: the states can answer."),
        ),
        "close": (
            lambda: services.close_cycle(actor=request.user, cycle=cycle),
            _("The cycle is closed."),
        ),
    }
    if action not in actions:
        raise Http404
    run, done = actions[action]
    if _try(request, None, run):
        messages.success(request, done)
    return redirect("plans_workspace:cycle", slug, cycle_pk)


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def report_review(request: HttpRequest, slug: str, report_pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    report = get_object_or_404(
        StateReport.objects.select_related("cycle", "cycle__plan", "country", "submitted_by"),
        pk=report_pk,
        cycle__plan__dialogue=dialogue,
    )
    accept_form = AcceptForm(request.POST if request.POST.get("decision") == "accept" else None)
    clarify_form = ClarifyForm(request.POST if request.POST.get("decision") == "clarify" else None)
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision == "accept" and accept_form.is_valid():
            result: list[services.RollUp] = []
            if _try(
                request,
                accept_form,
                lambda: result.append(
                    services.accept_report(
                        actor=request.user, report=report, note=accept_form.cleaned_data["note"]
                    )
                ),
            ):
                messages.success(
                    request,
                    _("The report is accepted; the plan's progress is now %(p)s%%.")
                    % {"p": result[0].progress},
                )
                return redirect("plans_workspace:cycle", slug, report.cycle_id)
        elif decision == "clarify" and clarify_form.is_valid():
            if _try(
                request,
                clarify_form,
                lambda: services.ask_clarification(
                    actor=request.user, report=report, note=clarify_form.cleaned_data["note"]
                ),
            ):
                messages.success(request, _("The report is sent back for clarification."))
                return redirect("plans_workspace:cycle", slug, report.cycle_id)
        elif decision not in ("accept", "clarify"):
            messages.error(request, _("Choose to accept the report or to ask for clarification."))
    answers = {
        a.item_id: a for a in ReportAnswer.objects.filter(report=report).select_related("status")
    }
    values = {v.indicator_id: v for v in ReportValue.objects.filter(report=report)}
    items = list(report.cycle.items.select_related("status").order_by("path"))
    indicators = list(report.cycle.indicators.order_by("item__path", "order"))
    return _render(
        request,
        "plans/workspace/report.html",
        {
            "dialogue": dialogue,
            "report": report,
            "cycle": report.cycle,
            "rows": [(item, answers.get(item.pk)) for item in items],
            "value_rows": [(ind, values.get(ind.pk)) for ind in indicators],
            "accept_form": accept_form,
            "clarify_form": clarify_form,
            "current": "true",
        },
    )
