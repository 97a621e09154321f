"""Member pages of action plans, under /<lang>/account/reports/: the reports a focal point or
contributor may answer for their own state, and the form to answer and submit.

A report of another state answers 404, like a missing one. Saving goes through
``plans.services.save_report`` (all answers or none); submitting is the focal point's.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dialogos.plans import queries, services
from dialogos.plans.models import (
    PlanItem,
    ProgressStatus,
    ReportAnswer,
    ReportingCycle,
    ReportValue,
    StateReport,
)


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    reports = list(
        StateReport.objects.filter(queries.my_reports_q(request.user))
        .exclude(cycle__status=ReportingCycle.Status.DRAFT)
        .select_related("cycle", "cycle__plan", "cycle__plan__dialogue", "country")
        .order_by("-cycle__deadline", "country_id")
    )
    now = timezone.now()
    open_reports = [r for r in reports if r.cycle.status == ReportingCycle.Status.OPEN]
    return render(
        request,
        "plans/member/reports.html",
        {
            "nav_section": "account",
            "open_reports": open_reports,
            "past_reports": [r for r in reports if r not in open_reports],
            "now": now,
        },
    )


def _report(request: HttpRequest, pk: int) -> StateReport:
    report = (
        StateReport.objects.filter(queries.my_reports_q(request.user), pk=pk)
        .exclude(cycle__status=ReportingCycle.Status.DRAFT)
        .select_related("cycle", "cycle__plan", "cycle__plan__dialogue", "country")
        .first()
    )
    if report is None:
        raise Http404
    return report


def _answers_from_post(
    post: Any, items: list[PlanItem], statuses: dict[int, ProgressStatus]
) -> list[services.AnswerInput]:
    answers = []
    for item in items:
        raw = str(post.get(f"status-{item.pk}", "") or "").strip()
        status_id: int | None = None
        if raw:
            if not raw.isdecimal() or int(raw) not in statuses:
                raise ValidationError({f"status-{item.pk}": _("Choose one of the statuses.")})
            status_id = int(raw)
        answers.append(
            services.AnswerInput(
                item_id=item.pk,
                status_id=status_id,
                narrative=str(post.get(f"narrative-{item.pk}", "") or ""),
                evidence=str(post.get(f"evidence-{item.pk}", "") or ""),
            )
        )
    return answers


@login_required
@require_http_methods(["GET", "POST"])
def report_form(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    cycle = report.cycle
    dialogue_id = cycle.plan.dialogue_id
    items = list(cycle.items.select_related("status").order_by("path"))
    indicators = list(cycle.indicators.order_by("item__path", "order"))
    statuses = {s.pk: s for s in ProgressStatus.objects.filter(dialogue_id=dialogue_id)}
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    posted: dict[str, str] | None = None
    if request.method == "POST":
        posted = {k: str(v) for k, v in request.POST.items()}
        try:
            answers = _answers_from_post(request.POST, items, statuses)
            values: dict[int, Any] = {
                ind.pk: request.POST.get(f"value-{ind.pk}", "") for ind in indicators
            }
            services.save_report(actor=request.user, report=report, answers=answers, values=values)
            if request.POST.get("action") == "submit":
                services.submit_report(actor=request.user, report=report)
                messages.success(request, _("The report is submitted to the secretariat."))
                return redirect("plans_member:reports")
            messages.success(request, _("Your answers are saved as a draft."))
            return redirect("plans_member:report", report.pk)
        except PermissionDenied as exc:
            general.append(str(exc) or _("You may not do this."))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, items_errors in error.message_dict.items():
                    errors[_form_key(name, items)] = list(items_errors)
            else:
                general.extend(error.messages)
        report.refresh_from_db()
    answers_by_item = {a.item_id: a for a in ReportAnswer.objects.filter(report=report)}
    values_by_indicator = {v.indicator_id: v for v in ReportValue.objects.filter(report=report)}
    rows = []
    for item in items:
        answer = answers_by_item.get(item.pk)
        key = f"status-{item.pk}"
        rows.append(
            {
                "item": item,
                "status": (
                    posted.get(key, "")
                    if posted is not None
                    else (str(answer.status_id) if answer and answer.status_id else "")
                ),
                "narrative": (
                    posted.get(f"narrative-{item.pk}", "")
                    if posted is not None
                    else (answer.narrative if answer else "")
                ),
                "evidence": (
                    posted.get(f"evidence-{item.pk}", "")
                    if posted is not None
                    else ("\n".join(answer.evidence) if answer else "")
                ),
                "status_errors": errors.get(key, []),
                "narrative_errors": errors.get(f"narrative-{item.pk}", []),
                "evidence_errors": errors.get(f"evidence-{item.pk}", []),
            }
        )
    value_rows = []
    for ind in indicators:
        stored = values_by_indicator.get(ind.pk)
        value_rows.append(
            {
                "indicator": ind,
                "value": (
                    posted.get(f"value-{ind.pk}", "")
                    if posted is not None
                    else (f"{stored.value.normalize():f}" if stored else "")
                ),
                "errors": errors.get(f"value-{ind.pk}", []),
            }
        )
    editable = (
        report.is_editable()
        and (cycle.accepts_answers() or report.status == StateReport.Status.CLARIFICATION)
        and cycle.status == ReportingCycle.Status.OPEN
    )
    return render(
        request,
        "plans/member/report.html",
        {
            "nav_section": "account",
            "report": report,
            "cycle": cycle,
            "rows": rows,
            "value_rows": value_rows,
            "statuses": list(statuses.values()),
            "editable": editable,
            "can_submit": services.can_submit(request.user, report, dialogue_id),
            "general_errors": general,
            "has_errors": bool(errors or general),
        },
        status=422 if (errors or general) else 200,
    )


def _form_key(name: str, items: list[PlanItem]) -> str:
    """Map a service's field name (``answers.3.evidence``, ``values.12``) to the form's."""
    parts = name.split(".")
    if parts[0] == "values" and len(parts) == 2:
        return f"value-{parts[1]}"
    if parts[0] == "answers" and len(parts) == 3 and parts[1].isdecimal():
        index = int(parts[1])
        if index < len(items):
            return f"{parts[2]}-{items[index].pk}"
    return name
