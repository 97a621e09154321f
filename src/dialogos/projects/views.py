"""Public pages of projects: the list with filters, one project with its results (chart and
table), the CSV export of its results, and an overview of the places where projects run.

Views are thin: parse the request, narrow with ``core.access``, read, render. The list's
filters and the project's contents are shared with the API (``projects.api``). Hidden and
missing projects answer the same 404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dialogos.core import access
from dialogos.core.cache import cached_until_change, viewer_key
from dialogos.core.models import Country
from dialogos.dialogues.models import Dialogue
from dialogos.projects import charts, fragments, services
from dialogos.projects.models import (
    Funding,
    Indicator,
    IndicatorCategory,
    Place,
    Project,
    ProjectQuerySet,
    ResultValue,
    add_months,
)

PAGE_SIZE = 25


# The list and its filters (shared with the API) -----------------------------------------------


@dataclass(frozen=True)
class ProjectFilters:
    """What a visitor asked the list for; unknown values are ignored, never an error."""

    dialogue: str = ""
    country: str = ""
    status: str = ""
    place: int | None = None

    @classmethod
    def from_query(cls, params: Any) -> ProjectFilters:
        status = str(params.get("status", "") or "").strip()
        country = str(params.get("country", "") or "").strip().upper()
        dialogue = str(params.get("dialogue", "") or "").strip()[:50]
        place = str(params.get("place", "") or "").strip()
        return cls(
            place=int(place) if place.isdecimal() and len(place) < 10 else None,
            dialogue=dialogue,
            country=country if len(country) == 2 and country.isalpha() else "",
            status=status if status in Project.Status.values else "",
        )

    @property
    def narrowed(self) -> bool:
        return bool(self.dialogue or self.country or self.status or self.place)

    def query(self, **override: Any) -> str:
        values = {
            "dialogue": self.dialogue,
            "country": self.country,
            "status": self.status,
            "place": self.place or "",
            **override,
        }
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def visible_projects(user: Any) -> ProjectQuerySet:
    return cast(ProjectQuerySet, access.visible(user, Project.objects.all()))


def filtered_projects(user: Any, filters: ProjectFilters) -> ProjectQuerySet:
    return _narrowed(user, filters).with_listing_data()


def _narrowed(user: Any, filters: ProjectFilters) -> ProjectQuerySet:
    qs = visible_projects(user)
    if filters.dialogue:
        qs = qs.for_dialogue(filters.dialogue)
    if filters.country:
        qs = qs.in_country(filters.country)
    if filters.status:
        qs = qs.with_status(filters.status)
    if filters.place:
        qs = qs.in_place(filters.place)
    return qs.order_by("-start", "-pk")


@dataclass(frozen=True)
class Choice:
    """A dialogue or country offered as a filter, its name in the reader's language."""

    code: str
    name: str


def filter_options(user: Any) -> dict[str, Any]:
    """Only dialogues and countries that have projects the user may see; kept in the cache
    per viewer and language until the next change of content."""
    key = f"projects:filter-options:{viewer_key(user)}:{get_language()}"
    dialogues, countries = cached_until_change(key, lambda: _filter_choices(user))
    return {"dialogues": dialogues, "countries": countries, "statuses": Project.Status.choices}


def _filter_choices(user: Any) -> tuple[list[Choice], list[Choice]]:
    """Five small queries: distinct ids first, then the few rows (one combined query was
    slower on SQLite)."""
    visible = visible_projects(user).order_by().values("pk")
    codes = set(
        Project.countries.through.objects.filter(project_id__in=visible)
        .order_by()
        .values_list("country_id", flat=True)
        .distinct()
    ) | set(
        Project.places.through.objects.filter(project_id__in=visible)
        .order_by()
        .values_list("place__country_id", flat=True)
        .distinct()
    )
    countries = sorted(
        (
            Choice(code, str(name))
            for code, name in Country.objects.filter(code__in=codes).values_list("code", "name")
        ),
        key=lambda c: c.name.casefold(),
    )
    dialogue_ids = set(
        visible_projects(user).order_by().values_list("dialogue_id", flat=True).distinct()
    )
    dialogues = [
        Choice(slug, str(name))
        for slug, name in Dialogue.objects.filter(pk__in=dialogue_ids)
        .order_by("order", "slug")
        .values_list("slug", "name")
    ]
    return dialogues, countries


def project_list(request: HttpRequest) -> HttpResponse:
    filters = ProjectFilters.from_query(request.GET)
    rows = fragments.rows(_narrowed(request.user, filters))
    paginator = Paginator(rows, PAGE_SIZE)
    page: Page[Any] = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "projects/list.html",
        {
            "nav_section": "projects",
            "filters": filters,
            "options": filter_options(request.user),
            "page": page,
            "entries": fragments.entries(fragments.Row.from_values(r) for r in page.object_list),
        },
    )


# One project ------------------------------------------------------------------------------------


def get_project(user: Any, project_id: Any) -> Project:
    """The project if ``user`` may see it; the same ``Http404`` when hidden or missing."""
    return access.get_visible_or_404(
        user,
        Project.objects.select_related("dialogue", "type").prefetch_related(
            "countries",
            Prefetch("places", queryset=Place.objects.select_related("country")),
            "implementers",
            Prefetch(
                "funding",
                queryset=Funding.objects.select_related("donor_country", "donor_organisation"),
            ),
        ),
        pk=project_id,
    )


def project_indicators(project: Project) -> list[Indicator]:
    """The project's indicators with their categories and values (three queries)."""
    return list(
        Indicator.objects.filter(project=project).prefetch_related(
            Prefetch("categories", queryset=IndicatorCategory.objects.order_by("order", "pk")),
            Prefetch("values", queryset=ResultValue.objects.order_by("period", "category_id")),
        )
    )


def indicator_chart(indicator: Indicator) -> charts.Chart:
    """The indicator's values over every period from its first value to its last."""
    categories = list(indicator.categories.all())
    values = list(indicator.values.all())
    if categories:
        series = [charts.Series(name=str(c.name)) for c in categories]
        by_category = {c.pk: s for c, s in zip(categories, series, strict=True)}
    else:
        series = [charts.Series(name=str(indicator.unit) or _("Total"))]
        by_category = {}
    for value in values:
        if not categories:
            target: charts.Series | None = series[0]
        elif value.category_id is None:
            target = None
        else:
            target = by_category.get(value.category_id)
        if target is not None:
            target.points[value.period] = value.value
    periods: list[datetime.date] = []
    if values:
        step = 3 if indicator.frequency == Indicator.Frequency.QUARTER else 1
        current, last = values[0].period, values[-1].period
        while current <= last and len(periods) < 1200:
            periods.append(current)
            current = add_months(current, step)
    return charts.build_chart(
        key=f"indicator-{indicator.pk}",
        title=str(indicator.title),
        unit=str(indicator.unit),
        periods=periods,
        labels=[indicator.period_label(p) for p in periods],
        series=series,
    )


def funding_totals(funding: list[Funding]) -> list[tuple[str, Decimal]]:
    totals: dict[str, Decimal] = {}
    for row in funding:
        totals[row.currency] = totals.get(row.currency, Decimal(0)) + row.amount
    return sorted(totals.items())


def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project(request.user, project_id)
    indicators = project_indicators(project)
    results = [(i, indicator_chart(i)) for i in indicators]
    funding = list(project.funding.all())
    return render(
        request,
        "projects/detail.html",
        {
            "nav_section": "projects",
            "project": project,
            "results": [(i, c, charts.render_svg(c)) for i, c in results],
            "funding": funding,
            "funding_totals": funding_totals(funding),
            "may_enter_results": services.can_enter_results(request.user, project),
            "may_change": access.can_change(request.user, project),
            "links": project_links(request.user, project),
        },
    )


def project_links(user: Any, project: Project) -> dict[str, list[Any]]:
    """Objects of other apps this project is linked to, each filtered by ``core.access``."""
    links: dict[str, list[Any]] = {}
    for name in ("plan_items", "documents"):
        manager = getattr(project, name, None)
        if manager is None:
            continue
        links[name] = list(access.visible(user, manager.all()))
    return links


def results_csv(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project(request.user, project_id)
    body = services.results_csv(project, project_indicators(project))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="project-{project.pk}-results.csv"'
    return response


# Places ---------------------------------------------------------------------------------------

MAP_WIDTH = 720
MAP_HEIGHT = 360


def visible_places(user: Any) -> QuerySet[Place]:
    """Places of projects the user may see, each with the number of those projects (one
    query; the list page, filtered by place, names them)."""
    visible = visible_projects(user).order_by().values("pk")
    return (
        Place.objects.filter(projects__in=visible)
        .select_related("country")
        .annotate(project_count=Count("projects"))
        .order_by("country_id", "pk")
    )


def place_points(places: list[Place]) -> dict[str, Any]:
    """Coordinates on an equirectangular frame fitted around the places (with a margin)."""
    if not places:
        return {"points": [], "box": None}
    lats = [float(p.latitude) for p in places]
    lons = [float(p.longitude) for p in places]
    west, east = min(lons) - 4, max(lons) + 4
    south, north = min(lats) - 3, max(lats) + 3
    span_x = max(east - west, 1.0)
    span_y = max(north - south, 1.0)
    scale = min((MAP_WIDTH - 80) / span_x, (MAP_HEIGHT - 60) / span_y)
    points = []
    for place, lat, lon in zip(places, lats, lons, strict=True):
        points.append(
            {
                "place": place,
                "x": round(40 + (lon - west) * scale, 1),
                "y": round(30 + (north - lat) * scale, 1),
            }
        )
    return {
        "points": points,
        "box": {
            "west": round(west, 1),
            "east": round(east, 1),
            "south": round(south, 1),
            "north": round(north, 1),
        },
    }


def place_list(request: HttpRequest) -> HttpResponse:
    places = list(visible_places(request.user))
    return render(
        request,
        "projects/places.html",
        {
            "nav_section": "projects",
            "places": places,
            "map": place_points(places),
            "map_width": MAP_WIDTH,
            "map_height": MAP_HEIGHT,
        },
    )
