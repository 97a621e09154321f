"""Public pages of action plans: the index, a dialogue's plan as a tree with progress, and a
state's own page of commitments.

Views are thin: parse, narrow with ``core.access`` (through ``plans.queries``), render. Hidden
and missing plans answer the same 404; malformed filters are ignored.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from dialogos.core import access
from dialogos.core.models import Country
from dialogos.dialogues.models import Dialogue
from dialogos.plans import queries, rendering
from dialogos.plans.models import ActionPlan


def index(request: HttpRequest) -> HttpResponse:
    groups = queries.dialogues_with_plans(request.user)
    return render(
        request,
        "plans/public/index.html",
        {"nav_section": "plans", "groups": groups},
    )


def _dialogue_plans(request: HttpRequest, slug: str) -> tuple[Dialogue, list[ActionPlan]]:
    dialogue = Dialogue.objects.filter(slug=slug).first()
    if dialogue is None:
        raise Http404
    plans = list(queries.visible_plans(request.user).filter(dialogue=dialogue).order_by("order"))
    if not plans:
        raise Http404
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


def plan_detail(request: HttpRequest, slug: str, plan_slug: str | None = None) -> HttpResponse:
    dialogue, plans = _dialogue_plans(request, slug)
    plan = _pick(plans, plan_slug)
    filters = queries.TreeFilters.from_query(request.GET)
    tree = queries.plan_tree(request.user, plan, filters)
    base_url = (
        reverse("plans:plan", args=[slug, plan.slug])
        if plan_slug
        else reverse("plans:dialogue", args=[slug])
    )
    context: dict[str, Any] = {
        "nav_section": "plans",
        "dialogue": dialogue,
        "plans": plans,
        "plan": plan,
        "tree": tree,
        "tree_html": rendering.tree_html(tree, slug=dialogue.slug),
        "adopting_text": _adopting_text(request.user, plan),
        "filters": filters,
        "base_url": base_url,
    }
    template = "plans/public/plan.html"
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        template = "plans/public/_tree.html"
    return render(request, template, context)


def state_page(
    request: HttpRequest, slug: str, code: str, plan_slug: str | None = None
) -> HttpResponse:
    dialogue, plans = _dialogue_plans(request, slug)
    plan = _pick(plans, request.GET.get("plan") or plan_slug)
    country = Country.objects.filter(code=code.upper()[:2]).first()
    if country is None:
        raise Http404
    commitments = queries.state_commitments(request.user, plan, country.code)
    values = queries.state_values(plan, country.code)
    if not commitments and not values:
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
            "commitments": commitments,
            "leads": [c for c in commitments if c.role != "participant"],
            "values": values,
            "reported_mean": queries.mean_progress(commitments),
        },
    )
