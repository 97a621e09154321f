"""The project staff's pages, under /<lang>/account/projects/: their projects and the entry of
results. Staff see only the projects they work on; any other project answers 404."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from dialogos.projects import services
from dialogos.projects.forms import ResultsForm
from dialogos.projects.models import Indicator, Project
from dialogos.projects.workspace_views import handle_results, recent_values


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_section": "account", **context})


def _staff_project(request: HttpRequest, pk: int) -> Project:
    project = get_object_or_404(Project.objects.select_related("dialogue"), pk=pk)
    if not services.is_staff(request.user, project):
        raise Http404
    return project


@login_required
def my_projects(request: HttpRequest) -> HttpResponse:
    projects = (
        Project.objects.staffed_by(request.user.pk or 0)
        .select_related("dialogue", "type")
        .prefetch_related("indicators")
        .order_by("-start", "pk")
    )
    return _render(request, "projects/member/mine.html", {"projects": list(projects)})


@login_required
def project_results(request: HttpRequest, pk: int) -> HttpResponse:
    project = _staff_project(request, pk)
    indicators = list(project.indicators.prefetch_related("categories"))
    return _render(
        request, "projects/member/project.html", {"project": project, "indicators": indicators}
    )


@login_required
def indicator_results(request: HttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    project = _staff_project(request, pk)
    indicator = get_object_or_404(
        Indicator.objects.prefetch_related("categories"), pk=indicator_pk, project=project
    )
    indicator.project = project
    period = str(request.GET.get("period", ""))[:10]
    form = ResultsForm(
        request.POST or None, indicator=indicator, initial={"period": period} if period else {}
    )
    if handle_results(request, indicator, form):
        url = reverse("projects_member:indicator", args=[project.pk, indicator.pk])
        return redirect(url + "?" + urlencode({"period": str(form.data.get("period", ""))[:10]}))
    return _render(
        request,
        "projects/member/indicator.html",
        {
            "project": project,
            "indicator": indicator,
            "results_form": form,
            "recent": recent_values(indicator),
        },
    )
