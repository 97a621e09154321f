"""Action plans: HTTP API endpoints, mounted under /api/v1/.

Reads follow the pages (``plans.queries``): every plan and item goes through ``core.access``,
a plan the caller may not see is a 404, and a plan costs a fixed number of queries whatever
its size. Reports: a focal point or contributor reads and writes its own state's reports, the
secretariat reviews (accept, ask for clarification); a token or the session.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from dialogos.core import access
from dialogos.core.i18n import to_translated
from dialogos.dialogues.api import (
    CountryRef,
    I18n,
    SlugRef,
    WriteSchema,
    _country_ref,
    _json,
    _require_signed_in,
    _slug_ref,
    _tr,
)
from dialogos.dialogues.models import Dialogue
from dialogos.plans import caching, queries, services
from dialogos.plans.models import (
    ActionPlan,
    Indicator,
    PlanItem,
    ProgressStatus,
    ReportAnswer,
    ReportingCycle,
    StateReport,
)

router = Router(tags=["plans"])


# Schemas ------------------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    slug: str
    url: str
    dialogue: SlugRef
    title: str
    title_i18n: I18n
    period_start: int
    period_end: int
    status: str
    status_label: str
    progress: float
    adopted_on: datetime.date | None
    meeting_id: int | None


class StatusRef(Schema):
    code: str
    name: str
    name_i18n: I18n
    progress: int


class LinkOut(Schema):
    meeting_id: int | None
    document_id: int | None
    practice_id: int | None
    url: str
    label: str


class IndicatorValueOut(Schema):
    on: datetime.date
    value: float
    country: str | None


class IndicatorOut(Schema):
    id: int
    item_id: int
    code: str
    name: str
    name_i18n: I18n
    unit: str
    unit_label: str
    baseline: float | None
    target: float | None
    latest: IndicatorValueOut | None
    state_values: list[IndicatorValueOut]


class ItemOut(Schema):
    id: int
    parent_id: int | None
    depth: int
    position: int
    kind: str
    code: str
    title: str
    title_i18n: I18n
    weight: int
    status: StatusRef | None
    progress: float
    leads: list[CountryRef]
    co_leads: list[CountryRef]
    participants: list[str]
    links: list[LinkOut]
    indicators: list[IndicatorOut]


class PlanDetailOut(PlanOut):
    items: list[ItemOut]


class TreeQuery(Schema):
    state: str = ""
    pillar: str = ""


class AnswerOut(Schema):
    item_id: int
    status: str | None
    narrative: str
    evidence: list[str]


class ReportOut(Schema):
    id: int
    cycle_id: int
    cycle: str
    plan_id: int
    country: CountryRef
    status: str
    deadline: datetime.datetime
    item_ids: list[int]
    indicator_ids: list[int]
    answers: list[AnswerOut]
    values: dict[str, float]
    review_note: str


class AnswerIn(WriteSchema):
    item_id: int
    status: str | None = None
    narrative: str = ""
    evidence: list[str] = []


class ReportIn(WriteSchema):
    answers: list[AnswerIn] = []
    values: dict[str, str | float | int | None] = {}


class NoteIn(WriteSchema):
    note: str = ""


# Helpers ------------------------------------------------------------------------------------


def _plan_data(plan: ActionPlan, url: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": plan.pk,
        "slug": plan.slug,
        "url": url,
        "dialogue": _slug_ref(plan.dialogue),
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "status": plan.status,
        "status_label": plan.get_status_display(),
        "progress": float(plan.progress),
        "adopted_on": plan.adopted_on,
        "meeting_id": plan.meeting_id,
    }
    _tr(data, "title", plan.title)
    return data


def _value(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"on": value.on, "value": float(value.value), "country": value.country_id}


def _link_title(link: Any) -> str:
    target = link.meeting or link.document or link.practice
    return str(target.title) if target is not None else link.url


def _find_plan(request: HttpRequest, slug: str, plan_slug: str) -> ActionPlan:
    dialogue = Dialogue.objects.filter(slug=slug).first()
    if dialogue is None:
        raise Http404
    plan = (
        queries.visible_plans(request.user).filter(dialogue=dialogue, slug=plan_slug[:80]).first()
    )
    if plan is None:
        raise Http404
    return plan


# Plans, items, indicators -------------------------------------------------------------------


@router.get("/plans", response=list[PlanOut], summary="Action plans the caller may see")
def list_plans(request: HttpRequest) -> HttpResponse:
    result = []
    for dialogue, plans in queries.dialogues_with_plans(request.user):
        for plan in plans:
            url = reverse("plans:plan", args=[dialogue.slug, plan.slug])
            result.append(_plan_data(plan, request.build_absolute_uri(url)))
    return _json(result)


# Reports ------------------------------------------------------------------------------------


def _report(request: HttpRequest, pk: int, *, review: bool = False) -> StateReport:
    """A report its own state's reporters or the secretariat may see; 404 for anyone else."""
    _require_signed_in(request)
    report = (
        StateReport.objects.select_related("cycle", "cycle__plan", "country")
        .filter(pk=pk)
        .exclude(cycle__status=ReportingCycle.Status.DRAFT)
        .first()
    )
    if report is None:
        raise Http404
    dialogue_id = report.cycle.plan.dialogue_id
    who = access.principal(request.user)
    if who.is_secretariat(dialogue_id):
        return report
    if review or not services.can_answer(request.user, report, dialogue_id):
        raise Http404
    return report


REPORT_PREFETCH = (
    Prefetch("answers", queryset=ReportAnswer.objects.select_related("status").order_by("pk")),
    "values",
    Prefetch("cycle__items", queryset=PlanItem.objects.order_by("path").only("pk", "path")),
    Prefetch("cycle__indicators", queryset=Indicator.objects.only("pk")),
)


def _with_report_data(reports: QuerySet[StateReport]) -> QuerySet[StateReport]:
    """Everything ``_report_data`` reads, in a fixed number of queries for any number."""
    return reports.select_related("cycle", "cycle__plan", "country").prefetch_related(
        *REPORT_PREFETCH
    )


def _report_data(report: StateReport) -> dict[str, Any]:
    cycle = report.cycle
    return {
        "id": report.pk,
        "cycle_id": cycle.pk,
        "cycle": str(cycle.title),
        "plan_id": cycle.plan_id,
        "country": _country_ref(report.country),
        "status": report.status,
        "deadline": cycle.deadline,
        "item_ids": [i.pk for i in cycle.items.all()],
        "indicator_ids": [i.pk for i in cycle.indicators.all()],
        "answers": [
            {
                "item_id": a.item_id,
                "status": a.status.code if a.status else None,
                "narrative": a.narrative,
                "evidence": a.evidence,
            }
            for a in report.answers.all()
        ],
        "values": {str(v.indicator_id): float(v.value) for v in report.values.all()},
        "review_note": report.review_note,
    }


def _fresh(report: StateReport) -> StateReport:
    return _with_report_data(StateReport.objects.filter(pk=report.pk)).get()


@router.get(
    "/plans/reports",
    response=list[ReportOut],
    summary="Reports of the caller's states (focal points, contributors) or dialogues",
)
def list_reports(request: HttpRequest) -> HttpResponse:
    _require_signed_in(request)
    who = access.principal(request.user)
    q = queries.my_reports_q(request.user)
    if who.secretariat_of:
        q |= Q(cycle__plan__dialogue_id__in=who.secretariat_of)
    reports = StateReport.objects.all() if who.is_operator else StateReport.objects.filter(q)
    reports = _with_report_data(
        reports.exclude(cycle__status=ReportingCycle.Status.DRAFT).order_by(
            "-cycle__deadline", "country_id"
        )
    )[:200]
    return _json([_report_data(r) for r in reports])


@router.get("/plans/reports/{pk}", response=ReportOut, summary="One report")
def get_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _json(_report_data(_fresh(_report(request, pk))))


@router.put(
    "/plans/reports/{pk}",
    response={200: ReportOut},
    summary="Save a state's answers and indicator values (all or nothing)",
)
def put_report(request: HttpRequest, pk: int, payload: ReportIn) -> HttpResponse:
    report = _report(request, pk)
    statuses = {
        s.code: s.pk
        for s in ProgressStatus.objects.filter(dialogue_id=report.cycle.plan.dialogue_id)
    }
    answers = []
    for n, answer in enumerate(payload.answers):
        status_id = None
        if answer.status:
            if answer.status not in statuses:
                raise ValidationError({f"answers.{n}.status": _("Choose one of the statuses.")})
            status_id = statuses[answer.status]
        answers.append(
            services.AnswerInput(
                item_id=answer.item_id,
                status_id=status_id,
                narrative=answer.narrative,
                evidence=answer.evidence,
            )
        )
    values: dict[int, Any] = {}
    for key, value in payload.values.items():
        if not key.isdecimal():
            raise ValidationError({f"values.{key}": _("Unknown indicator.")})
        values[int(key)] = value
    services.save_report(actor=request.user, report=report, answers=answers, values=values)
    return _json(_report_data(_fresh(report)))


@router.post("/plans/reports/{pk}/submit", response=ReportOut, summary="Submit (focal point)")
def submit_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    services.submit_report(actor=request.user, report=report)
    return _json(_report_data(_fresh(report)))


@router.post(
    "/plans/reports/{pk}/accept", response=ReportOut, summary="Accept a report (secretariat)"
)
def accept_report(request: HttpRequest, pk: int, payload: NoteIn) -> HttpResponse:
    report = _report(request, pk, review=True)
    services.accept_report(actor=request.user, report=report, note=payload.note)
    return _json(_report_data(_fresh(report)))


@router.post(
    "/plans/reports/{pk}/clarify",
    response=ReportOut,
    summary="Send a report back for clarification (secretariat)",
)
def clarify_report(request: HttpRequest, pk: int, payload: NoteIn) -> HttpResponse:
    report = _report(request, pk, review=True)
    services.ask_clarification(actor=request.user, report=report, note=payload.note)
    return _json(_report_data(_fresh(report)))


# Registered last: "/plans/reports/{pk}" must match before this pattern.


@router.get(
    "/plans/{slug}/{plan_slug}",
    response=PlanDetailOut,
    summary="One plan with its items in tree order (filters: state, pillar)",
)
def get_plan(
    request: HttpRequest, slug: str, plan_slug: str, filters: Query[TreeQuery]
) -> HttpResponse:
    plan = _find_plan(request, slug, plan_slug)
    tree_filters = queries.TreeFilters.from_query(
        {"state": filters.state, "pillar": filters.pillar}
    )
    url = request.build_absolute_uri(reverse("plans:plan", args=[slug, plan.slug]))
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    key = f"api:{language}:{url}:{tree_filters.pillar}:{tree_filters.state}"
    # The body, shared by callers of the same visibility class until the content changes.
    body = caching.shared(
        request.user, plan, key, lambda: _plan_body(request, plan, tree_filters, url)
    )
    return HttpResponse(body, content_type="application/json")


def _plan_body(
    request: HttpRequest, plan: ActionPlan, filters: queries.TreeFilters, url: str
) -> bytes:
    tree = queries.plan_tree(request.user, plan, filters)
    data = _plan_data(plan, url)
    language = get_language()
    countries: dict[str, dict[str, Any]] = {}
    statuses: dict[int, dict[str, Any]] = {}

    def tr(entry: dict[str, Any], name: str, value: Any) -> None:
        # ``dialogues.api._tr`` with the language read once: this runs thousands of times.
        text = to_translated(value)
        entry[name] = text.get_text(language)
        entry[f"{name}_i18n"] = dict(text)

    def country_ref(country: Any) -> dict[str, Any]:
        ref = countries.get(country.code)
        if ref is None:
            ref = countries[country.code] = {"code": country.code}
            tr(ref, "name", country.name)
        return ref

    items = []
    for row in tree.rows:
        item = row.item
        entry: dict[str, Any] = {
            "id": item.pk,
            "parent_id": item.parent_id,
            "depth": item.depth,
            "position": item.position,
            "kind": item.kind,
            "code": item.code,
            "weight": item.weight,
            "progress": float(item.progress),
            "status": None,
            "leads": [country_ref(c) for c in row.leads],
            "co_leads": [country_ref(c) for c in row.co_leads],
            "participants": [c.code for c in row.participants],
            "links": [
                {
                    "meeting_id": link.meeting_id,
                    "document_id": link.document_id,
                    "practice_id": link.practice_id,
                    "url": link.url,
                    "label": str(link.label) or _link_title(link),
                }
                for link in row.links
            ],
            "indicators": [],
        }
        tr(entry, "title", item.title)
        if item.status is not None:
            status = statuses.get(item.status.pk)
            if status is None:
                status = {"code": item.status.code, "progress": item.status.progress}
                tr(status, "name", item.status.name)
                statuses[item.status.pk] = status
            entry["status"] = status
        for ind_row in row.indicators:
            ind = ind_row.indicator
            ind_data: dict[str, Any] = {
                "id": ind.pk,
                "item_id": ind.item_id,
                "code": ind.code,
                "unit": ind.unit,
                "unit_label": str(ind.unit_label),
                "baseline": float(ind.baseline) if ind.baseline is not None else None,
                "target": float(ind.target) if ind.target is not None else None,
                "latest": _value(ind_row.latest),
                "state_values": [_value(v) for v in ind_row.state_values],
            }
            tr(ind_data, "name", ind.name)
            entry["indicators"].append(ind_data)
        items.append(entry)
    data["items"] = items
    return bytes(_json(data).content)
