"""The secretariat's project pages, under /<lang>/workspace/<slug>/projects/: projects, their
places, types, funding, staff, indicators and the entry of results.

Every view finds the dialogue by its slug and lets only its secretariat (or an operator)
through; everyone else, signed in or not, gets the same 404. Writes go through
``projects.services``; their ``ValidationError`` is shown on the form.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dialogos.core import access
from dialogos.dialogues.models import Dialogue
from dialogos.projects import services
from dialogos.projects.forms import (
    CategoryForm,
    FundingForm,
    IndicatorForm,
    MemberForm,
    PlaceForm,
    ProjectForm,
    ProjectTypeForm,
    ResultsForm,
    attach_errors,
    model_fields,
)
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

R = TypeVar("R", bound=HttpResponseBase)
SECTION = "projects"


def _dialogue(request: HttpRequest, slug: str) -> Dialogue:
    """The dialogue, if the user is its secretariat; 404 alike for missing and forbidden."""
    dialogue = Dialogue.objects.filter(slug=slug).first()
    if dialogue is None:
        raise Http404
    access.require_secretariat(request.user, dialogue.pk)
    return dialogue


def _project(request: HttpRequest, slug: str, pk: int) -> tuple[Dialogue, Project]:
    dialogue = _dialogue(request, slug)
    project = get_object_or_404(
        Project.objects.select_related("dialogue"), pk=pk, dialogue=dialogue
    )
    return dialogue, project


def _refusals_as_404(view: Callable[..., R]) -> Callable[..., R]:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> R:
        try:
            return view(*args, **kwargs)
        except PermissionDenied as exc:
            raise Http404 from exc

    return wrapper


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_section": "workspace", "section": SECTION, **context})


def _save_form(
    request: HttpRequest, form: forms.BaseForm, save: Callable[[], Any], success: str
) -> bool:
    """Validate ``form`` and call ``save``; on a service error, show it on the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save()
    except ValidationError as error:
        attach_errors(form, error)
        return False
    messages.success(request, success)
    return True


def _form_page(
    request: HttpRequest,
    dialogue: Dialogue,
    form: forms.BaseForm,
    *,
    title: str,
    back: str,
    submit: str,
    project: Project | None = None,
) -> HttpResponse:
    return _render(
        request,
        "projects/workspace/form.html",
        {
            "dialogue": dialogue,
            "form": form,
            "title": title,
            "back": back,
            "submit": submit,
            "project": project,
            "current": "true",
        },
    )


def _remove(
    request: HttpRequest,
    dialogue: Dialogue,
    *,
    what: str,
    delete: Callable[[], object],
    done: str,
    back: str,
    after: str | None = None,
) -> HttpResponse:
    """GET asks to confirm; POST removes through ``delete`` (a refusal is shown, not raised)."""
    if request.method == "POST":
        try:
            delete()
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
            return redirect(back)
        messages.success(request, done)
        return redirect(after or back)
    return _render(
        request,
        "workspace/confirm_remove.html",
        {
            "dialogue": dialogue,
            "title": _("Remove"),
            "what": what,
            "back": back,
            "current": "true",
        },
    )


def _url(name: str, dialogue: Dialogue, *args: Any) -> str:
    return reverse(f"projects_workspace:{name}", args=[dialogue.slug, *args])


# Projects -----------------------------------------------------------------------------------


@_refusals_as_404
def index(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    projects = (
        Project.objects.filter(dialogue=dialogue)
        .select_related("type")
        .prefetch_related("places")
        .annotate(
            staff_count=Count("members", distinct=True),
            indicator_count=Count("indicators", distinct=True),
        )
        .order_by("-start", "pk")
    )
    return _render(
        request,
        "projects/workspace/index.html",
        {"dialogue": dialogue, "projects": list(projects)},
    )


@_refusals_as_404
def project_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    project = None
    if pk is not None:
        dialogue, project = _project(request, slug, pk)
    instance = project or Project(dialogue=dialogue)
    form = ProjectForm(request.POST or None, instance=instance, dialogue=dialogue)
    saved: list[Project] = []

    def save() -> None:
        saved.append(
            services.save_project(
                actor=request.user,
                dialogue=dialogue,
                project=project,
                values=model_fields(form),
                countries=form.cleaned_data["countries"],
                places=form.cleaned_data["places"],
                implementers=form.cleaned_data["implementers"],
                links=form.links(),
            )
        )

    if _save_form(request, form, save, _("The project is saved.")):
        return redirect(_url("project", dialogue, saved[0].pk))
    back = _url("project", dialogue, project.pk) if project else _url("index", dialogue)
    return _form_page(
        request,
        dialogue,
        form,
        title=_("Change the project") if project else _("Add a project"),
        back=back,
        submit=_("Save the project"),
        project=project,
    )


@_refusals_as_404
def project_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, _project_row = _project(request, slug, pk)
    project = (
        Project.objects.select_related("dialogue", "type")
        .prefetch_related(
            "countries",
            Prefetch("places", queryset=Place.objects.select_related("country")),
            "implementers",
            "plan_items",
            "documents",
            Prefetch(
                "funding",
                queryset=Funding.objects.select_related("donor_country", "donor_organisation"),
            ),
            Prefetch("members", queryset=ProjectMember.objects.select_related("user")),
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related("categories").annotate(
                    value_count=Count("values")
                ),
            ),
        )
        .get(pk=pk)
    )
    return _render(
        request,
        "projects/workspace/project.html",
        {
            "dialogue": dialogue,
            "project": project,
            "member_form": MemberForm(),
        },
    )


@_refusals_as_404
def project_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, project = _project(request, slug, pk)
    return _remove(
        request,
        dialogue,
        what=str(project),
        delete=lambda: services.delete_project(actor=request.user, project=project),
        done=_("The project is removed."),
        back=_url("project", dialogue, pk),
        after=_url("index", dialogue),
    )


# Funding ------------------------------------------------------------------------------------


@_refusals_as_404
def funding_edit(
    request: HttpRequest, slug: str, pk: int, funding_pk: int | None = None
) -> HttpResponse:
    dialogue, project = _project(request, slug, pk)
    funding = get_object_or_404(Funding, pk=funding_pk, project=project) if funding_pk else None
    instance = funding or Funding(project=project, currency=project.currency)
    form = FundingForm(request.POST or None, instance=instance)

    def save() -> None:
        services.save_funding(
            actor=request.user, project=project, funding=funding, values=model_fields(form)
        )

    if _save_form(request, form, save, _("The funding is saved.")):
        return redirect(_url("project", dialogue, pk))
    return _form_page(
        request,
        dialogue,
        form,
        title=_("Change the funding") if funding else _("Add a donor's funding"),
        back=_url("project", dialogue, pk),
        submit=_("Save the funding"),
        project=project,
    )


@_refusals_as_404
def funding_delete(request: HttpRequest, slug: str, pk: int, funding_pk: int) -> HttpResponse:
    dialogue, project = _project(request, slug, pk)
    funding = get_object_or_404(
        Funding.objects.select_related("project", "donor_country", "donor_organisation"),
        pk=funding_pk,
        project=project,
    )
    return _remove(
        request,
        dialogue,
        what=str(funding),
        delete=lambda: services.delete_funding(actor=request.user, funding=funding),
        done=_("The funding is removed."),
        back=_url("project", dialogue, pk),
    )


# Staff --------------------------------------------------------------------------------------


@_refusals_as_404
def member_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, project = _project(request, slug, pk)
    form = MemberForm(request.POST or None)

    def save() -> None:
        services.add_project_member(
            actor=request.user,
            project=project,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        )

    if _save_form(request, form, save, _("The account is added to the project's staff.")):
        return redirect(_url("project", dialogue, pk))
    return _form_page(
        request,
        dialogue,
        form,
        title=_("Add staff to the project"),
        back=_url("project", dialogue, pk),
        submit=_("Add"),
        project=project,
    )


@_refusals_as_404
def member_remove(request: HttpRequest, slug: str, pk: int, member_pk: int) -> HttpResponse:
    dialogue, project = _project(request, slug, pk)
    member = get_object_or_404(
        ProjectMember.objects.select_related("user", "project"), pk=member_pk, project=project
    )
    return _remove(
        request,
        dialogue,
        what=str(member.user),
        delete=lambda: services.remove_project_member(actor=request.user, member=member),
        done=_("The account no longer works on the project."),
        back=_url("project", dialogue, pk),
    )


# Indicators ---------------------------------------------------------------------------------


@_refusals_as_404
def indicator_edit(
    request: HttpRequest, slug: str, pk: int, indicator_pk: int | None = None
) -> HttpResponse:
    dialogue, project = _project(request, slug, pk)
    indicator = (
        get_object_or_404(Indicator, pk=indicator_pk, project=project) if indicator_pk else None
    )
    form = IndicatorForm(request.POST or None, instance=indicator or Indicator(project=project))
    saved: list[Indicator] = []

    def save() -> None:
        saved.append(
            services.save_indicator(
                actor=request.user, project=project, indicator=indicator, values=model_fields(form)
            )
        )

    if _save_form(request, form, save, _("The indicator is saved.")):
        return redirect(_url("indicator", dialogue, pk, saved[0].pk))
    return _form_page(
        request,
        dialogue,
        form,
        title=_("Change the indicator") if indicator else _("Add an indicator"),
        back=_url("indicator", dialogue, pk, indicator.pk)
        if indicator
        else _url("project", dialogue, pk),
        submit=_("Save the indicator"),
        project=project,
    )


@_refusals_as_404
def indicator_detail(request: HttpRequest, slug: str, pk: int, indicator_pk: int) -> HttpResponse:
    """The indicator, its breakdown (categories) and the entry of its results."""
    dialogue, project = _project(request, slug, pk)
    indicator = get_object_or_404(
        Indicator.objects.select_related("project", "project__dialogue").prefetch_related(
            "categories"
        ),
        pk=indicator_pk,
        project=project,
    )
    category_form = CategoryForm(
        request.POST if request.POST.get("form") == "category" else None,
        instance=IndicatorCategory(indicator=indicator),
    )
    if request.POST.get("form") == "category":

        def save_category() -> None:
            services.save_indicator_category(
                actor=request.user, indicator=indicator, values=model_fields(category_form)
            )

        if _save_form(request, category_form, save_category, _("The category is added.")):
            return redirect(_url("indicator", dialogue, pk, indicator_pk))
        results_form = ResultsForm(indicator=indicator, initial=_period_initial(request))
    else:
        results_form = ResultsForm(
            request.POST or None, indicator=indicator, initial=_period_initial(request)
        )
        if handle_results(request, indicator, results_form):
            return redirect(
                _url("indicator", dialogue, pk, indicator_pk)
                + "?"
                + urlencode({"period": str(results_form.data.get("period", ""))[:10]})
            )
    return _render(
        request,
        "projects/workspace/indicator.html",
        {
            "dialogue": dialogue,
            "project": project,
            "indicator": indicator,
            "category_form": category_form,
            "results_form": results_form,
            "recent": recent_values(indicator),
        },
    )


def _period_initial(request: HttpRequest) -> dict[str, Any]:
    period = str(request.GET.get("period", ""))[:10]
    return {"period": period} if period else {}


def recent_values(indicator: Indicator, limit: int = 24) -> list[tuple[str, list[int | None]]]:
    """The latest periods with values, newest first: each with one value per category."""
    categories = list(indicator.categories.all())
    periods = list(
        ResultValue.objects.filter(indicator=indicator)
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()[:limit]
    )
    values = ResultValue.objects.filter(indicator=indicator, period__in=periods)
    table = {(v.period, v.category_id): v.value for v in values}
    keys: list[int | None] = [c.pk for c in categories] if categories else [None]
    return [(indicator.period_label(p), [table.get((p, k)) for k in keys]) for p in periods]


def handle_results(request: HttpRequest, indicator: Indicator, form: ResultsForm) -> bool:
    """Enter one period's results from ``form``; errors are shown on it. Shared with the
    member page of the project's staff."""

    def save() -> None:
        services.enter_results(
            actor=request.user,
            indicator=indicator,
            period=form.cleaned_data["period"],
            entries=[services.Entry(c, v) for c, v in form.entries()],
        )

    return _save_form(request, form, save, _("The results are saved."))


@_refusals_as_404
def indicator_delete(request: HttpRequest, slug: str, pk: int, indicator_pk: int) -> HttpResponse:
    dialogue, project = _project(request, slug, pk)
    indicator = get_object_or_404(
        Indicator.objects.select_related("project"), pk=indicator_pk, project=project
    )
    return _remove(
        request,
        dialogue,
        what=str(indicator),
        delete=lambda: services.delete_indicator(actor=request.user, indicator=indicator),
        done=_("The indicator is removed."),
        back=_url("indicator", dialogue, pk, indicator_pk),
        after=_url("project", dialogue, pk),
    )


@_refusals_as_404
def category_delete(
    request: HttpRequest, slug: str, pk: int, indicator_pk: int, category_pk: int
) -> HttpResponse:
    dialogue, project = _project(request, slug, pk)
    category = get_object_or_404(
        IndicatorCategory.objects.select_related("indicator__project"),
        pk=category_pk,
        indicator_id=indicator_pk,
        indicator__project=project,
    )
    return _remove(
        request,
        dialogue,
        what=str(category),
        delete=lambda: services.delete_indicator_category(actor=request.user, category=category),
        done=_("The category is removed."),
        back=_url("indicator", dialogue, pk, indicator_pk),
    )


# Places and types ---------------------------------------------------------------------------


@_refusals_as_404
def places(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    rows = (
        Place.objects.filter(dialogue=dialogue)
        .select_related("country")
        .annotate(project_count=Count("projects"))
    )
    return _render(
        request, "projects/workspace/places.html", {"dialogue": dialogue, "places": list(rows)}
    )


@_refusals_as_404
def place_edit(request: HttpRequest, slug: str, place_pk: int | None = None) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    place = get_object_or_404(Place, pk=place_pk, dialogue=dialogue) if place_pk else None
    form = PlaceForm(request.POST or None, instance=place or Place(dialogue=dialogue))

    def save() -> None:
        services.save_place(
            actor=request.user, dialogue=dialogue, place=place, values=model_fields(form)
        )

    if _save_form(request, form, save, _("The place is saved.")):
        return redirect(_url("places", dialogue))
    return _form_page(
        request,
        dialogue,
        form,
        title=_("Change the place") if place else _("Add a place"),
        back=_url("places", dialogue),
        submit=_("Save the place"),
    )


@_refusals_as_404
def place_delete(request: HttpRequest, slug: str, place_pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    place = get_object_or_404(Place, pk=place_pk, dialogue=dialogue)
    return _remove(
        request,
        dialogue,
        what=str(place),
        delete=lambda: services.delete_place(actor=request.user, place=place),
        done=_("The place is removed."),
        back=_url("places", dialogue),
    )


@_refusals_as_404
def types(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    rows = ProjectType.objects.filter(dialogue=dialogue).annotate(project_count=Count("projects"))
    return _render(
        request, "projects/workspace/types.html", {"dialogue": dialogue, "types": list(rows)}
    )


@_refusals_as_404
def type_edit(request: HttpRequest, slug: str, type_pk: int | None = None) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    row = get_object_or_404(ProjectType, pk=type_pk, dialogue=dialogue) if type_pk else None
    form = ProjectTypeForm(request.POST or None, instance=row or ProjectType(dialogue=dialogue))

    def save() -> None:
        services.save_project_type(
            actor=request.user, dialogue=dialogue, project_type=row, values=model_fields(form)
        )

    if _save_form(request, form, save, _("The type is saved.")):
        return redirect(_url("types", dialogue))
    return _form_page(
        request,
        dialogue,
        form,
        title=_("Change the type") if row else _("Add a type of project"),
        back=_url("types", dialogue),
        submit=_("Save the type"),
    )


@_refusals_as_404
def type_delete(request: HttpRequest, slug: str, type_pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    row = get_object_or_404(ProjectType, pk=type_pk, dialogue=dialogue)
    return _remove(
        request,
        dialogue,
        what=str(row),
        delete=lambda: services.delete_project_type(actor=request.user, project_type=row),
        done=_("The type is removed."),
        back=_url("types", dialogue),
    )
