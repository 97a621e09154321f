"""HTTP API for projects, mounted under /api/v1/: the list with the page's filters, one project
with its indicators and results, the places; writes for the secretariat (projects, funding)
and for the project's staff and the secretariat (results), with a token or the session.

The same rules as the pages (``projects.views``): every read goes through ``core.access``; a
project the caller may not see is a 404, exactly as if it did not exist.
"""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from dialogos.core.models import Country
from dialogos.dialogues.api import (
    CountryRef,
    I18n,
    OrganisationRef,
    SlugRef,
    WriteSchema,
    _country_ref,
    _json,
    _organisation_ref,
    _require_signed_in,
    _slug_ref,
    _tr,
)
from dialogos.dialogues.models import Dialogue, Organisation
from dialogos.library.models import Document
from dialogos.plans.models import PlanItem
from dialogos.projects import services
from dialogos.projects.models import Funding, Indicator, Place, Project, ProjectType
from dialogos.projects.views import (
    PAGE_SIZE,
    ProjectFilters,
    filtered_projects,
    get_project,
    project_indicators,
    project_links,
    visible_places,
)

router = Router(tags=["projects"])

MAX_PAGE_SIZE = 100


# Schemas ----------------------------------------------------------------------------------


class PlaceOut(Schema):
    id: int
    name: str
    name_i18n: I18n
    country: CountryRef
    latitude: float
    longitude: float


class ProjectOut(Schema):
    id: int
    url: str
    dialogue: SlugRef
    type: SlugRef | None
    title: str
    title_i18n: I18n
    status: str
    status_label: str
    start: datetime.date
    end: datetime.date | None
    currency: str
    access_level: str
    countries: list[CountryRef]
    places: list[PlaceOut]


class ProjectPageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[ProjectOut]


class FundingOut(Schema):
    id: int
    donor_country: CountryRef | None
    donor_organisation: OrganisationRef | None
    amount: str
    currency: str


class ValueOut(Schema):
    period: datetime.date
    period_label: str
    category: int | None
    value: int


class CategoryOut(Schema):
    id: int
    name: str
    name_i18n: I18n


class IndicatorOut(Schema):
    id: int
    title: str
    title_i18n: I18n
    unit: str
    unit_i18n: I18n
    breakdown: str
    breakdown_i18n: I18n
    frequency: str
    categories: list[CategoryOut]
    values: list[ValueOut]


class LinkOut(Schema):
    id: int
    title: str
    title_i18n: I18n


class ProjectDetailOut(ProjectOut):
    summary: str
    summary_i18n: I18n
    objectives: str
    objectives_i18n: I18n
    website: str
    implementers: list[OrganisationRef]
    funding: list[FundingOut]
    indicators: list[IndicatorOut]
    plan_items: list[LinkOut]
    documents: list[LinkOut]
    results_csv: str


def _place_out(place: Place) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": place.pk,
        "country": _country_ref(place.country),
        "latitude": float(place.latitude),
        "longitude": float(place.longitude),
    }
    _tr(data, "name", place.name)
    return data


def _type_ref(project_type: ProjectType | None) -> dict[str, Any] | None:
    if project_type is None:
        return None
    data: dict[str, Any] = {"slug": project_type.slug}
    _tr(data, "name", project_type.name)
    return data


def _project_out(project: Project) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": project.pk,
        "url": project.get_absolute_url(),
        "dialogue": _slug_ref(project.dialogue),
        "type": _type_ref(project.type),
        "status": project.status,
        "status_label": str(project.get_status_display()),
        "start": project.start,
        "end": project.end,
        "currency": project.currency,
        "access_level": project.access_level,
        "countries": [_country_ref(c) for c in project.countries.all()],
        "places": [_place_out(p) for p in project.places.all()],
    }
    _tr(data, "title", project.title)
    return data


def _funding_out(row: Funding) -> dict[str, Any]:
    return {
        "id": row.pk,
        "donor_country": _country_ref(row.donor_country),
        "donor_organisation": _organisation_ref(row.donor_organisation),
        "amount": str(row.amount),
        "currency": row.currency,
    }


def _indicator_out(indicator: Indicator) -> dict[str, Any]:
    categories = []
    for category in indicator.categories.all():
        item: dict[str, Any] = {"id": category.pk}
        _tr(item, "name", category.name)
        categories.append(item)
    data: dict[str, Any] = {
        "id": indicator.pk,
        "frequency": indicator.frequency,
        "categories": categories,
        "values": [
            {
                "period": v.period,
                "period_label": indicator.period_label(v.period),
                "category": v.category_id,
                "value": v.value,
            }
            for v in indicator.values.all()
        ],
    }
    _tr(data, "title", indicator.title)
    _tr(data, "unit", indicator.unit)
    _tr(data, "breakdown", indicator.breakdown)
    return data


def _detail(request: HttpRequest, project: Project) -> dict[str, Any]:
    data = _project_out(project)
    _tr(data, "summary", project.summary)
    _tr(data, "objectives", project.objectives)
    data["website"] = project.website
    data["implementers"] = [_organisation_ref(o) for o in project.implementers.all()]
    data["funding"] = [_funding_out(f) for f in project.funding.all()]
    data["indicators"] = [_indicator_out(i) for i in project_indicators(project)]
    data["results_csv"] = f"{project.get_absolute_url()}results.csv"
    for name, rows in project_links(request.user, project).items():
        data[name] = []
        for row in rows:
            item: dict[str, Any] = {"id": row.pk}
            _tr(item, "title", row.title)
            data[name].append(item)
    return data


# Reads ------------------------------------------------------------------------------------


class ProjectQuery(Schema):
    dialogue: str = ""
    country: str = ""
    status: str = ""
    page: int = 1
    page_size: int = PAGE_SIZE


@router.get("/projects", response=ProjectPageOut)
def list_projects(request: HttpRequest, query: Query[ProjectQuery]) -> HttpResponse:
    """Projects the caller may see, filtered like the public list: ``dialogue`` (slug),
    ``country`` (ISO code, directly or through a place) and ``status``. Unknown values are
    ignored. Paginated: ``page`` (from 1) and ``page_size`` (up to 100)."""
    filters = ProjectFilters.from_query(query.dict())
    size = max(1, min(query.page_size, MAX_PAGE_SIZE))
    projects = filtered_projects(request.user, filters)
    count = projects.count()
    pages = max(1, math.ceil(count / size))
    page = max(1, min(query.page, pages))
    rows = projects[(page - 1) * size : page * size] if count else []
    return _json(
        {
            "count": count,
            "page": page,
            "pages": pages,
            "page_size": size,
            "results": [_project_out(p) for p in rows],
        }
    )


@router.get("/projects/places", response=list[PlaceOut])
def list_places(request: HttpRequest) -> HttpResponse:
    """Places of the projects the caller may see, with their coordinates."""
    return _json([_place_out(p) for p in visible_places(request.user)])


@router.get("/projects/{project_id}", response=ProjectDetailOut)
def get_project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    """One project with its funding, indicators and every result value."""
    return _json(_detail(request, get_project(request.user, project_id)))


# Writes -----------------------------------------------------------------------------------


class ProjectIn(WriteSchema):
    dialogue: str = Field(description="The dialogue's slug.")
    title: I18n
    type: str | None = Field(None, description="Slug of one of the dialogue's project types.")
    status: str = Project.Status.ONGOING
    start: datetime.date
    end: datetime.date | None = None
    currency: str = "EUR"
    summary: I18n = Field(default_factory=dict)
    objectives: I18n = Field(default_factory=dict)
    website: str = ""
    access_level: str = "public"
    countries: list[str] = Field(default_factory=list, description="ISO codes.")
    places: list[int] = Field(default_factory=list, description="Ids of the dialogue's places.")
    implementers: list[str] = Field(default_factory=list, description="Organisation slugs.")
    plan_items: list[int] = Field(default_factory=list, description="Ids of plan items served.")
    documents: list[int] = Field(default_factory=list, description="Ids of library documents.")


class ProjectPatch(WriteSchema):
    title: I18n | None = None
    type: str | None = None
    status: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    currency: str | None = None
    summary: I18n | None = None
    objectives: I18n | None = None
    website: str | None = None
    access_level: str | None = None
    countries: list[str] | None = None
    places: list[int] | None = None
    implementers: list[str] | None = None
    plan_items: list[int] | None = None
    documents: list[int] | None = None


def _countries(codes: list[str]) -> list[Country]:
    wanted = {c.strip().upper() for c in codes}
    found = list(Country.objects.filter(code__in=wanted))
    missing = wanted - {c.code for c in found}
    if missing:
        raise ValidationError(
            {
                "countries": _("Unknown country code: %(codes)s")
                % {"codes": ", ".join(sorted(missing))}
            }
        )
    return found


def _places(dialogue: Dialogue, ids: list[int]) -> list[Place]:
    found = list(Place.objects.filter(dialogue=dialogue, pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"places": _("Choose places of this project's dialogue.")})
    return found


def _organisations(slugs: list[str]) -> list[Organisation]:
    found = list(Organisation.objects.filter(slug__in=slugs))
    missing = set(slugs) - {o.slug for o in found}
    if missing:
        raise ValidationError(
            {
                "implementers": _("Unknown organisation: %(slugs)s")
                % {"slugs": ", ".join(sorted(missing))}
            }
        )
    return found


LINKS = ("plan_items", "documents")


def _links(payload: Schema, dialogue: Dialogue) -> dict[str, list[Any]]:
    """The plan items and documents named in ``payload`` (those sent), of this dialogue."""
    data = payload.model_dump(exclude_unset=True)
    found: dict[str, list[Any]] = {}
    if data.get("plan_items") is not None:
        ids = set(data["plan_items"])
        items = list(PlanItem.objects.filter(pk__in=ids, plan__dialogue=dialogue))
        if len(items) != len(ids):
            raise ValidationError(
                {"plan_items": _("Choose plan items of this project's dialogue.")}
            )
        found["plan_items"] = items
    if data.get("documents") is not None:
        ids = set(data["documents"])
        documents = list(Document.objects.filter(pk__in=ids, dialogue=dialogue))
        if len(documents) != len(ids):
            raise ValidationError({"documents": _("Choose documents of this project's dialogue.")})
        found["documents"] = documents
    return found


def _type(dialogue: Dialogue, slug: str | None) -> ProjectType | None:
    if not slug:
        return None
    found = ProjectType.objects.filter(dialogue=dialogue, slug=slug).first()
    if found is None:
        raise ValidationError({"type": _("Choose a type of this project's dialogue.")})
    return found


def _values(payload: Schema, dialogue: Dialogue) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True)
    values = {
        k: v
        for k, v in data.items()
        if k not in {"dialogue", "countries", "places", "implementers", "type", *LINKS}
    }
    if "type" in data:
        values["type"] = _type(dialogue, data["type"])
    if "currency" in values and isinstance(values["currency"], str):
        values["currency"] = values["currency"].strip().upper()
    if values.get("access_level") == "inherit":
        raise ValidationError({"access_level": _("A project has no parent to inherit from.")})
    return values


@router.post("/projects", response={201: ProjectDetailOut})
def create_project(request: HttpRequest, payload: ProjectIn) -> Status:
    """The secretariat adds a project to its dialogue."""
    _require_signed_in(request)
    dialogue = Dialogue.objects.filter(slug=payload.dialogue).first()
    if dialogue is None:
        raise ValidationError({"dialogue": _("There is no such dialogue.")})
    if not services.is_secretariat(request.user, dialogue.pk):
        raise PermissionDenied(_("Only the secretariat of this dialogue may do this."))
    project = services.save_project(
        actor=request.user,
        dialogue=dialogue,
        values=_values(payload, dialogue),
        countries=_countries(payload.countries),
        places=_places(dialogue, payload.places),
        implementers=_organisations(payload.implementers),
        links=_links(payload, dialogue),
    )
    return Status(201, _detail(request, get_project(request.user, project.pk)))


@router.patch("/projects/{project_id}", response=ProjectDetailOut)
def change_project(request: HttpRequest, project_id: int, payload: ProjectPatch) -> HttpResponse:
    """The secretariat changes a project; only the fields sent change."""
    _require_signed_in(request)
    project = get_project(request.user, project_id)
    if not services.is_secretariat(request.user, project.dialogue_id):
        raise PermissionDenied(_("Only the secretariat of this dialogue may do this."))
    services.save_project(
        actor=request.user,
        dialogue=project.dialogue,
        project=project,
        values=_values(payload, project.dialogue),
        countries=_countries(payload.countries) if payload.countries is not None else None,
        places=_places(project.dialogue, payload.places) if payload.places is not None else None,
        implementers=(
            _organisations(payload.implementers) if payload.implementers is not None else None
        ),
        links=_links(payload, project.dialogue),
    )
    return _json(_detail(request, get_project(request.user, project.pk)))


class FundingIn(WriteSchema):
    donor_country: str | None = Field(None, description="ISO code of a donor state.")
    donor_organisation: str | None = Field(None, description="Slug of a donor organisation.")
    amount: Decimal = Field(ge=0, max_digits=16, decimal_places=2)
    currency: str = Field(description="ISO 4217 code; must be the project's currency.")


@router.post("/projects/{project_id}/funding", response={201: FundingOut})
def add_funding(request: HttpRequest, project_id: int, payload: FundingIn) -> Status:
    """The secretariat records one donor's funding, in the project's currency."""
    _require_signed_in(request)
    project = get_project(request.user, project_id)
    if not services.is_secretariat(request.user, project.dialogue_id):
        raise PermissionDenied(_("Only the secretariat of this dialogue may do this."))
    country = None
    organisation = None
    if payload.donor_country:
        country = Country.objects.filter(code=payload.donor_country.strip().upper()).first()
        if country is None:
            raise ValidationError({"donor_country": _("There is no such state.")})
    if payload.donor_organisation:
        organisation = Organisation.objects.filter(slug=payload.donor_organisation).first()
        if organisation is None:
            raise ValidationError({"donor_organisation": _("There is no such organisation.")})
    row = services.save_funding(
        actor=request.user,
        project=project,
        values={
            "donor_country": country,
            "donor_organisation": organisation,
            "amount": payload.amount,
            "currency": payload.currency.strip().upper(),
        },
    )
    return Status(201, _funding_out(row))


class EntryIn(WriteSchema):
    category: int | None = Field(None, description="Id of a category of the breakdown.")
    value: int | None = Field(description="A whole number, zero or more; null clears it.")


class ResultsIn(WriteSchema):
    indicator: int
    period: str = Field(description="A month (2024-05) or a quarter (2024-Q2).")
    values: list[EntryIn]


class ResultsOut(Schema):
    indicator: IndicatorOut


@router.post("/projects/{project_id}/results", response=ResultsOut)
def enter_results(request: HttpRequest, project_id: int, payload: ResultsIn) -> HttpResponse:
    """The project's staff or the secretariat set one period's values of an indicator, all or
    nothing (a period outside the project's, a negative count or an unknown category is 422
    and nothing is saved)."""
    _require_signed_in(request)
    project = get_project(request.user, project_id)
    if not services.can_enter_results(request.user, project):
        raise PermissionDenied(_("Only the project's staff or the secretariat may enter results."))
    indicator = Indicator.objects.filter(pk=payload.indicator, project=project).first()
    if indicator is None:
        raise ValidationError({"indicator": _("Choose an indicator of this project.")})
    indicator.project = project
    services.enter_results(
        actor=request.user,
        indicator=indicator,
        period=services.parse_period(payload.period, indicator),
        entries=[services.Entry(e.category, e.value) for e in payload.values],
    )
    fresh = next(i for i in project_indicators(project) if i.pk == indicator.pk)
    return _json({"indicator": _indicator_out(fresh)})
