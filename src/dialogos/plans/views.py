"""Public pages of action plans: the index, a dialogue's plan as a tree with progress, and a
state's own page of commitments.

Views are thin: parse, narrow with ``core.access`` (through ``plans.queries``), render. Hidden
and missing plans answer the same 404; malformed filters are ignored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from dialogos.core import access
from dialogos.core.cache import cached_until_change
from dialogos.core.models import Country
from dialogos.dialogues.models import Dialogue
from dialogos.plans import caching, queries, rendering
from dialogos.plans.models import ActionPlan


def index(request: HttpRequest) -> HttpResponse:
    groups = queries.dialogues_with_plans(request.user)
    return render(
        request,
        "plans/public/index.html",
        {"nav_section": "plans", "groups": groups},
    )


def _dialogue_plans(request: HttpRequest, slug: str) -> tuple[Dialogue, list[ActionPlan]]:
    """The dialogue and the plans of it the user may see (404 when none), shared by readers
    with the same roles until the content changes."""

    def compute() -> tuple[Dialogue, list[ActionPlan]] | tuple[()]:
        dialogue = Dialogue.objects.filter(slug=slug).first()
        if dialogue is None:
            return ()
        plans = list(
            queries.visible_plans(request.user).filter(dialogue=dialogue).order_by("order")
        )
        return (dialogue, plans) if plans else ()

    found = cached_until_change(
        f"plans:dialogue:{slug}:{caching.roles_class(request.user)}", compute
    )
    if not found:
        raise Http404
    dialogue, plans = found
    return dialogue, plans


def _pick(plans: list[ActionPlan], plan_slug: str | None) -> ActionPlan:
    if plan_slug is None:
        plan = queries.current_plan(plans)
    else:
        plan = next((p for p in plans if p.slug == plan_slug), None)
    if plan is None:
        raise Http404
    return plan


def _adopting_text(user: Any, plan: ActionPlan) -> Any:
    """The text that adopted the plan, if the user may see it and it has a page."""
    text = plan.text
    if text is None or not access.can_view(user, text):
        return None
    try:
        text.get_absolute_url()
    except NoReverseMatch:
        return None
    return text


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _tree_section(
    request: HttpRequest, dialogue: Dialogue, plans: list[ActionPlan], plan: ActionPlan, **more: Any
) -> dict[str, Any]:
    """The filters, the rendered tree and the count of the plan page: what a 2,000-item plan
    spends its time on, shared by readers of the same visibility class until a change."""
    filters: queries.TreeFilters = more["filters"]

    def compute() -> dict[str, Any]:
        tree = queries.plan_tree(request.user, plan, filters)
        fold = None if filters.state else rendering.FOLD_DEPTH
        context = {
            "dialogue": dialogue,
            "plans": plans,
            "plan": plan,
            "tree": tree,
            "tree_html": rendering.tree_html(tree, slug=dialogue.slug, fold_depth=fold),
            **more,
        }
        return {
            "filters": render_to_string("plans/public/_filters.html", context),
            "tree": render_to_string("plans/public/_tree.html", context),
            "total": tree.total,
        }

    key = f"page:{_language()}:{more['base_url']}:{filters.pillar}:{filters.state}"
    section = caching.shared(request.user, plan, key, compute)
    return {
        name: mark_safe(value) if isinstance(value, str) else value  # noqa: S308 - rendered
        for name, value in section.items()
    }


def plan_detail(request: HttpRequest, slug: str, plan_slug: str | None = None) -> HttpResponse:
    dialogue, plans = _dialogue_plans(request, slug)
    plan = _pick(plans, plan_slug)
    filters = queries.TreeFilters.from_query(request.GET)
    base_url = (
        reverse("plans:plan", args=[slug, plan.slug])
        if plan_slug
        else reverse("plans:dialogue", args=[slug])
    )
    section = _tree_section(request, dialogue, plans, plan, filters=filters, base_url=base_url)
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        return HttpResponse(section["tree"])
    context: dict[str, Any] = {
        "nav_section": "plans",
        "dialogue": dialogue,
        "plans": plans,
        "plan": plan,
        "section": section,
        "adopting_text": _adopting_text(request.user, plan),
        "filters": filters,
        "base_url": base_url,
    }
    return render(request, "plans/public/plan.html", context)


def state_page(
    request: HttpRequest, slug: str, code: str, plan_slug: str | None = None
) -> HttpResponse:
    dialogue, plans = _dialogue_plans(request, slug)
    plan = _pick(plans, request.GET.get("plan") or plan_slug)
    country = Country.objects.filter(code=code.upper()[:2]).first()
    if country is None:
        raise Http404

    def compute() -> str | None:
        commitments, values = queries.state_page(request.user, plan, country.code)
        if not commitments and not values:
            return None
        context = {
            "dialogue": dialogue,
            "plans": plans,
            "plan": plan,
            "country": country,
            "commitments": commitments,
            "leads": [c for c in commitments if c.role != "participant"],
            "values": values,
            "reported_mean": queries.mean_progress(commitments),
        }
        return render_to_string("plans/public/_state.html", context)

    # ``""`` stands for "nothing to show" (the cache does not keep ``None``).
    body = caching.shared(
        request.user, plan, f"state:{_language()}:{country.code}", lambda: compute() or ""
    )
    if not body:
        raise Http404
    return render(
        request,
        "plans/public/state.html",
        {
            "nav_section": "plans",
            "dialogue": dialogue,
            "plans": plans,
            "plan": plan,
            "country": country,
            "body": mark_safe(body),  # noqa: S308 - rendered by the template engine
        },
    )
