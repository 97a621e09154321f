"""HTTP API for dialogues, their states, bodies and offices, and for countries and groupings.

Endpoints are thin: parse, authorise through ``core.access``, call a query or a service,
serialise. Every list runs a fixed number of queries whatever the size of the data.

Writes: the caller must be signed in (401), must be able to see the object (404, as if it
did not exist) and must be the dialogue's secretariat or a platform operator (403).
Invalid input raises ``ValidationError`` from the services, which the API answers with 422.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.responses import NinjaJSONEncoder
from pydantic import ConfigDict

from dialogos.core import access
from dialogos.core.i18n import TranslatedText, to_translated
from dialogos.core.models import AccessLevel, Country
from dialogos.dialogues import services
from dialogos.dialogues.models import (
    Body,
    BodyMembership,
    Dialogue,
    Grouping,
    GroupingMembership,
    Office,
    Organisation,
    Participation,
)
from dialogos.dialogues.queries import by_holder, sort_key, states_overview

router = Router()


def _json(data: Any) -> HttpResponse:
    """Render a read as built: it already has its declared schema, which tests check against
    every read; validating it again per request cost half the time of a large list."""
    return JsonResponse(
        data, safe=False, encoder=NinjaJSONEncoder, json_dumps_params={"ensure_ascii": False}
    )


I18n = dict[str, str]
Text = str | dict[str, str]


# Serialisation -------------------------------------------------------------------------


def _text(value: Any) -> str:
    return to_translated(value).get_text(get_language())


def _tr(data: dict[str, Any], name: str, value: Any) -> None:
    """``name`` in the request's language and ``name_i18n`` with every language."""
    text = to_translated(value)
    data[name] = text.get_text(get_language())
    data[f"{name}_i18n"] = dict(text)


def _country_ref(country: Country | None) -> dict[str, Any] | None:
    if country is None:
        return None
    data: dict[str, Any] = {"code": country.code}
    _tr(data, "name", country.name)
    return data


def _organisation_ref(organisation: Organisation | None) -> dict[str, Any] | None:
    if organisation is None:
        return None
    data: dict[str, Any] = {"slug": organisation.slug, "acronym": organisation.acronym}
    _tr(data, "name", organisation.name)
    return data


def _slug_ref(obj: Grouping | Body | Dialogue | None) -> dict[str, Any] | None:
    if obj is None:
        return None
    data: dict[str, Any] = {"slug": obj.slug}
    _tr(data, "name", obj.name)
    return data


def _term(obj: Any, today: datetime.date) -> dict[str, Any]:
    return {"start": obj.start, "end": obj.end, "is_current": obj.is_current(today)}


def _current(on: datetime.date) -> Q:
    """Terms that include the day ``on`` (an empty bound is open)."""
    return (Q(start__isnull=True) | Q(start__lte=on)) & (Q(end__isnull=True) | Q(end__gte=on))


def _holder(obj: Any) -> dict[str, Any]:
    return {
        "country": _country_ref(obj.country),
        "organisation": _organisation_ref(obj.organisation),
    }


class CountryRef(Schema):
    code: str
    name: str
    name_i18n: I18n


class OrganisationRef(Schema):
    slug: str
    acronym: str
    name: str
    name_i18n: I18n


class SlugRef(Schema):
    slug: str
    name: str
    name_i18n: I18n


class DialogueOut(Schema):
    slug: str
    name: str
    name_i18n: I18n
    short_name: str
    short_name_i18n: I18n
    tagline: str
    tagline_i18n: I18n
    description: str
    description_i18n: I18n
    founded: int | None
    main_language: str
    languages: list[str]
    website: str
    programme: OrganisationRef | None
    secretariat_host: OrganisationRef | None
    groupings: list[SlugRef]
    participating_states: int


def _dialogues_out(dialogues: QuerySet[Dialogue]) -> list[dict[str, Any]]:
    """Dialogues with their groupings and participating states today, in three queries.

    The counts come from a narrow aggregate of participations and the groupings as plain
    values: grouping by every (wide, JSON) column of the dialogue row costs far more.
    """
    rows = list(dialogues.select_related("programme", "secretariat_host").order_by("order", "slug"))
    ids = [d.pk for d in rows]
    counts = dict(
        Participation.objects.filter(
            _current(timezone.localdate()),
            dialogue_id__in=ids,
            status=Participation.Status.PARTICIPATING,
            country__isnull=False,
        )
        .values("dialogue_id")
        .annotate(n=Count("pk"))
        .values_list("dialogue_id", "n")
    )
    groupings: dict[int, list[dict[str, Any]]] = {pk: [] for pk in ids}
    links = (
        Dialogue.groupings.through.objects.filter(dialogue_id__in=ids)
        .order_by("grouping__order", "grouping__slug")
        .values_list("dialogue_id", "grouping__slug", "grouping__name")
    )
    for dialogue_id, slug, name in links:
        ref: dict[str, Any] = {"slug": slug}
        _tr(ref, "name", name)
        groupings[dialogue_id].append(ref)
    result = []
    for dialogue in rows:
        data: dict[str, Any] = {
            "slug": dialogue.slug,
            "founded": dialogue.founded,
            "main_language": dialogue.main_language,
            "languages": dialogue.languages,
            "website": dialogue.website,
            "programme": _organisation_ref(dialogue.programme),
            "secretariat_host": _organisation_ref(dialogue.secretariat_host),
            "groupings": groupings[dialogue.pk],
            "participating_states": counts.get(dialogue.pk, 0),
        }
        for name in ("name", "short_name", "tagline", "description"):
            _tr(data, name, getattr(dialogue, name))
        result.append(data)
    return result


def _dialogue(slug: str) -> Dialogue:
    """Dialogues are public; an unknown identifier is a plain 404."""
    dialogue = Dialogue.objects.filter(slug=slug).first()
    if dialogue is None:
        raise Http404(_("There is no dialogue “%(slug)s”.") % {"slug": slug})
    return dialogue


# Dialogues ------------------------------------------------------------------------------


@router.get("/dialogues", response=list[DialogueOut], tags=["dialogues"])
def list_dialogues(request: HttpRequest) -> HttpResponse:
    """Every dialogue, with its number of participating states today."""
    return _json(_dialogues_out(Dialogue.objects.all()))


@router.get("/dialogues/{slug}", response=DialogueOut, tags=["dialogues"])
def get_dialogue(request: HttpRequest, slug: str) -> HttpResponse:
    found = _dialogues_out(Dialogue.objects.filter(slug=slug))
    if not found:
        raise Http404(_("There is no dialogue “%(slug)s”.") % {"slug": slug})
    return _json(found[0])


# Participations -------------------------------------------------------------------------

ParticipationStatus = Literal["participating", "observer", "partner"]


class ParticipationOut(Schema):
    id: int
    status: ParticipationStatus
    status_label: str
    country: CountryRef | None
    organisation: OrganisationRef | None
    start: datetime.date | None
    end: datetime.date | None
    is_current: bool
    note: str
    note_i18n: I18n


def _participation_out(p: Participation, today: datetime.date) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": p.pk,
        "status": p.status,
        "status_label": p.get_status_display(),
        **_holder(p),
        **_term(p, today),
    }
    _tr(data, "note", p.note)
    return data


@router.get(
    "/dialogues/{slug}/participations", response=list[ParticipationOut], tags=["participations"]
)
def list_participations(
    request: HttpRequest,
    slug: str,
    status: ParticipationStatus | None = None,
    current: bool = True,
) -> HttpResponse:
    """States and organisations taking part, by name; ``current=false`` adds past and future."""
    dialogue = _dialogue(slug)
    rows: QuerySet[Participation] = Participation.objects.filter(dialogue=dialogue)
    rows = rows.select_related("country", "organisation")
    if status:
        rows = rows.filter(status=status)
    today = timezone.localdate()
    if current:
        rows = rows.filter(_current(today))
    return _json([_participation_out(p, today) for p in by_holder(rows)])


class StateGroupOut(Schema):
    grouping: SlugRef | None
    count: int
    states: list[CountryRef]


class StatesOut(Schema):
    dialogue: SlugRef
    on: datetime.date
    total: int
    groups: list[StateGroupOut]
    observers: list[ParticipationOut]
    partners: list[ParticipationOut]


@router.get("/dialogues/{slug}/states", response=StatesOut, tags=["participations"])
def dialogue_states(request: HttpRequest, slug: str) -> HttpResponse:
    """Today's participating states by the dialogue's groupings (the public states page).

    A state sits under every grouping it belongs to; states in none come last with
    ``grouping: null``. ``total`` counts each state once.
    """
    dialogue = _dialogue(slug)
    today = timezone.localdate()
    overview = states_overview(dialogue)
    return _json(
        {
            "dialogue": _slug_ref(dialogue),
            "on": today,
            "total": overview.total,
            "groups": [
                {
                    "grouping": _slug_ref(group.grouping),
                    "count": group.count,
                    "states": [_country_ref(c) for c in group.states],
                }
                for group in overview.groups
            ],
            "observers": [_participation_out(p, today) for p in overview.observers],
            "partners": [_participation_out(p, today) for p in overview.partners],
        }
    )


# Bodies ---------------------------------------------------------------------------------

BodyKind = Literal[
    "ministerial",
    "strategic_group",
    "som",
    "working_group",
    "reference_group",
    "friends_of_chair",
    "contact_points",
    "other",
]
Level = Literal["public", "members", "group", "secretariat"]
MemberLevel = Literal["inherit", "public", "members", "group", "secretariat"]


class BodyOut(Schema):
    slug: str
    name: str
    name_i18n: I18n
    kind: BodyKind
    kind_label: str
    description: str
    description_i18n: I18n
    established: datetime.date | None
    order: int
    access_level: Level


class BodyMemberOut(Schema):
    id: int
    country: CountryRef | None
    organisation: OrganisationRef | None
    capacity: str
    capacity_i18n: I18n
    start: datetime.date | None
    end: datetime.date | None
    is_current: bool
    access_level: MemberLevel


class OfficeOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    title_i18n: I18n
    body: SlugRef | None
    country: CountryRef | None
    organisation: OrganisationRef | None
    start: datetime.date | None
    end: datetime.date | None
    is_current: bool
    note: str
    note_i18n: I18n


class BodyDetailOut(BodyOut):
    members: list[BodyMemberOut]
    offices: list[OfficeOut]


def _body_out(body: Body) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": body.slug,
        "kind": body.kind,
        "kind_label": body.get_kind_display(),
        "established": body.established,
        "order": body.order,
        "access_level": body.access_level,
    }
    _tr(data, "name", body.name)
    _tr(data, "description", body.description)
    return data


def _member_out(m: BodyMembership, today: datetime.date) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": m.pk,
        **_holder(m),
        **_term(m, today),
        "access_level": m.access_level,
    }
    _tr(data, "capacity", m.capacity)
    return data


def _office_out(o: Office, today: datetime.date) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": o.pk,
        "kind": o.kind,
        "kind_label": o.get_kind_display(),
        "body": _slug_ref(o.body),
        **_holder(o),
        **_term(o, today),
    }
    _tr(data, "title", o.title)
    _tr(data, "note", o.note)
    return data


def _visible_bodies(request: HttpRequest, dialogue: Dialogue) -> QuerySet[Body]:
    return access.visible(request.user, Body.objects.filter(dialogue=dialogue))


def _body(request: HttpRequest, dialogue: Dialogue, body_slug: str) -> Body:
    """The body if the caller may see it; 404 whether it is missing or hidden."""
    return access.get_visible_or_404(
        request.user, Body.objects.filter(dialogue=dialogue), slug=body_slug
    )


@router.get("/dialogues/{slug}/bodies", response=list[BodyOut], tags=["bodies"])
def list_bodies(request: HttpRequest, slug: str) -> HttpResponse:
    """The dialogue's bodies that the caller may see."""
    dialogue = _dialogue(slug)
    return _json([_body_out(b) for b in _visible_bodies(request, dialogue)])


@router.get("/dialogues/{slug}/bodies/{body_slug}", response=BodyDetailOut, tags=["bodies"])
def get_body(
    request: HttpRequest, slug: str, body_slug: str, current: bool | None = None
) -> HttpResponse:
    """A body with its members (``current=true``: today's only) and its offices."""
    body = _body(request, _dialogue(slug), body_slug)
    today = timezone.localdate()
    members = access.visible(request.user, BodyMembership.objects.filter(body=body))
    members = members.select_related("country", "organisation")
    if current is not None:
        members = members.filter(_current(today)) if current else members.exclude(_current(today))
    offices = Office.objects.filter(body=body).select_related("country", "organisation", "body")
    return _json(
        {
            **_body_out(body),
            "members": [_member_out(m, today) for m in by_holder(members)],
            "offices": [_office_out(o, today) for o in offices],
        }
    )


# Offices --------------------------------------------------------------------------------


def _visible_offices(request: HttpRequest, dialogue: Dialogue) -> QuerySet[Office]:
    """The dialogue's offices, without those of bodies the caller may not see."""
    return Office.objects.filter(
        Q(body__isnull=True) | Q(body__in=_visible_bodies(request, dialogue)), dialogue=dialogue
    )


@router.get("/dialogues/{slug}/offices", response=list[OfficeOut], tags=["offices"])
def list_offices(request: HttpRequest, slug: str, current: bool | None = None) -> HttpResponse:
    """Who holds which office, with history; ``current=true`` for today's holders only."""
    dialogue = _dialogue(slug)
    today = timezone.localdate()
    offices = _visible_offices(request, dialogue).select_related("country", "organisation", "body")
    if current is not None:
        offices = offices.filter(_current(today)) if current else offices.exclude(_current(today))
    return _json([_office_out(o, today) for o in offices])


# Countries ------------------------------------------------------------------------------


class CountryOut(Schema):
    code: str
    alpha3: str
    name: str
    name_i18n: I18n
    official_name: str
    official_name_i18n: I18n
    other_names: list[str]


class CountryParticipationOut(Schema):
    dialogue: SlugRef
    status: ParticipationStatus
    status_label: str
    start: datetime.date | None
    end: datetime.date | None


class CountryGroupingOut(Schema):
    grouping: SlugRef
    start: datetime.date | None
    end: datetime.date | None


class CountryDetailOut(CountryOut):
    participations: list[CountryParticipationOut]
    groupings: list[CountryGroupingOut]


def _country_out(country: Country) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": country.code,
        "alpha3": country.alpha3,
        "other_names": list(country.other_names or []),
    }
    _tr(data, "name", country.name)
    _tr(data, "official_name", country.official_name)
    return data


def _fold(text: str) -> str:
    """Case- and accent-insensitive form for matching (SQL LIKE folds Latin only)."""
    return sort_key(text)[0]


def _matches(country: Country, needle: str) -> bool:
    names = [
        country.code,
        country.alpha3,
        *TranslatedText(country.name).values(),
        *TranslatedText(country.official_name or {}).values(),
        *(country.other_names or []),
    ]
    return any(needle in _fold(name) for name in names)


@router.get("/countries", response=list[CountryOut], tags=["countries"])
def list_countries(request: HttpRequest, q: str = "") -> HttpResponse:
    """Every state in use, by name; ``q`` matches names in any language, former names and
    codes, whatever the case or accents."""
    countries: list[Country] = list(Country.objects.states())
    needle = _fold(q.strip())
    if needle:
        countries = [c for c in countries if _matches(c, needle)]
    countries.sort(key=lambda c: sort_key(_text(c.name)))
    return _json([_country_out(c) for c in countries])


@router.get("/countries/{code}", response=CountryDetailOut, tags=["countries"])
def get_country(request: HttpRequest, code: str) -> HttpResponse:
    """A state, the dialogues it takes part in today and its groupings today."""
    country = Country.objects.filter(code=code.strip().upper()).first()
    if country is None:
        raise Http404(_("There is no country with the code “%(code)s”.") % {"code": code})
    today = timezone.localdate()
    participations = (
        Participation.objects.filter(country=country).current(today).select_related("dialogue")
    )
    memberships = (
        GroupingMembership.objects.filter(country=country).current(today).select_related("grouping")
    )
    return _json(
        {
            **_country_out(country),
            "participations": [
                {
                    "dialogue": _slug_ref(p.dialogue),
                    "status": p.status,
                    "status_label": p.get_status_display(),
                    "start": p.start,
                    "end": p.end,
                }
                for p in participations.order_by("dialogue__order", "dialogue__slug")
            ],
            "groupings": [
                {"grouping": _slug_ref(m.grouping), "start": m.start, "end": m.end}
                for m in memberships.order_by("grouping__order", "grouping__slug")
            ],
        }
    )


# Groupings ------------------------------------------------------------------------------


class GroupingOut(Schema):
    slug: str
    name: str
    name_i18n: I18n
    kind: str
    kind_label: str
    description: str
    description_i18n: I18n


class GroupingMemberOut(Schema):
    country: CountryRef
    start: datetime.date | None
    end: datetime.date | None
    is_current: bool
    note: str


class GroupingDetailOut(GroupingOut):
    on: datetime.date | None
    members: list[GroupingMemberOut]


def _grouping_out(grouping: Grouping) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": grouping.slug,
        "kind": grouping.kind,
        "kind_label": grouping.get_kind_display(),
    }
    _tr(data, "name", grouping.name)
    _tr(data, "description", grouping.description)
    return data


@router.get("/groupings", response=list[GroupingOut], tags=["groupings"])
def list_groupings(request: HttpRequest) -> HttpResponse:
    return _json([_grouping_out(g) for g in Grouping.objects.all()])


@router.get("/groupings/{slug}", response=GroupingDetailOut, tags=["groupings"])
def get_grouping(request: HttpRequest, slug: str, on: datetime.date | None = None) -> HttpResponse:
    """A grouping with its members and their dates: every membership ever, or with
    ``on=YYYY-MM-DD`` the members on that day."""
    grouping = Grouping.objects.filter(slug=slug).first()
    if grouping is None:
        raise Http404(_("There is no grouping “%(slug)s”.") % {"slug": slug})
    today = timezone.localdate()
    memberships = GroupingMembership.objects.filter(grouping=grouping).select_related("country")
    if on is not None:
        memberships = memberships.current(on)
    rows = sorted(memberships, key=lambda m: (sort_key(_text(m.country.name)), m.start or _MIN))
    return _json(
        {
            **_grouping_out(grouping),
            "on": on,
            "members": [
                {"country": _country_ref(m.country), **_term(m, today), "note": m.note}
                for m in rows
            ],
        }
    )


_MIN = datetime.date.min


# Writes ---------------------------------------------------------------------------------


class WriteSchema(Schema):
    model_config = ConfigDict(extra="forbid")


def _require_signed_in(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise AuthenticationError(401, _("Sign in or send an API token to make changes."))


def _require_change(request: HttpRequest, obj: Any) -> None:
    """The caller can see ``obj``; may they change it? 403 if not."""
    if not access.can_change(request.user, obj):
        raise AuthorizationError(403, _("Only the secretariat of this dialogue may change this."))


def _writable_dialogue(request: HttpRequest, slug: str) -> Dialogue:
    _require_signed_in(request)
    dialogue = _dialogue(slug)
    _require_change(request, dialogue)
    return dialogue


def _holder_changes(data: dict[str, Any]) -> dict[str, Any]:
    """Turn ``country`` (ISO code) and ``organisation`` (identifier) into objects.

    Naming either replaces the holder: the other one is cleared unless also given.
    """
    if "country" not in data and "organisation" not in data:
        return {}
    country = None
    organisation = None
    code = (data.get("country") or "").strip()
    if code:
        country = Country.objects.filter(code=code.upper()).first()
        if country is None:
            raise ValidationError(
                {"country": _("There is no country with the code “%(code)s”.") % {"code": code}}
            )
    slug = (data.get("organisation") or "").strip()
    if slug:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise ValidationError(
                {"organisation": _("There is no organisation “%(slug)s”.") % {"slug": slug}}
            )
    return {"country": country, "organisation": organisation}


def _changes(payload: Schema, texts: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields the caller sent, holders resolved and texts as translated objects."""
    data = payload.model_dump(exclude_unset=True)
    changes = {k: v for k, v in data.items() if k not in {"country", "organisation"}}
    changes.update(_holder_changes(data))
    for name in texts:
        if name in changes:
            changes[name] = to_translated(changes[name])
    return changes


class ParticipationIn(WriteSchema):
    status: ParticipationStatus
    country: str | None = None
    organisation: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    note: Text | None = None


class ParticipationPatch(WriteSchema):
    status: ParticipationStatus | None = None
    country: str | None = None
    organisation: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    note: Text | None = None


def _participation(request: HttpRequest, slug: str, pk: int) -> Participation:
    dialogue = _writable_dialogue(request, slug)
    participation = (
        Participation.objects.filter(dialogue=dialogue, pk=pk)
        .select_related("country", "organisation")
        .first()
    )
    if participation is None:
        raise Http404
    return participation


@router.post(
    "/dialogues/{slug}/participations",
    response={201: ParticipationOut},
    tags=["participations"],
)
def create_participation(request: HttpRequest, slug: str, payload: ParticipationIn) -> Status:
    """Add a state (``country``: ISO code) or an organisation (its identifier)."""
    dialogue = _writable_dialogue(request, slug)
    changes = _changes(payload, ("note",))
    participation = services.save_participation(actor=request.user, dialogue=dialogue, **changes)
    return Status(201, _participation_out(participation, timezone.localdate()))


@router.patch(
    "/dialogues/{slug}/participations/{pk}", response=ParticipationOut, tags=["participations"]
)
def update_participation(
    request: HttpRequest, slug: str, pk: int, payload: ParticipationPatch
) -> dict[str, Any]:
    participation = _participation(request, slug, pk)
    changes = _changes(payload, ("note",))
    participation = services.save_participation(
        actor=request.user, participation=participation, **changes
    )
    return _participation_out(participation, timezone.localdate())


@router.delete(
    "/dialogues/{slug}/participations/{pk}", response={204: None}, tags=["participations"]
)
def delete_participation(request: HttpRequest, slug: str, pk: int) -> Status:
    participation = _participation(request, slug, pk)
    services.delete_participation(actor=request.user, participation=participation)
    return Status(204, None)


# Offices

OfficeKind = Literal[
    "chair",
    "co_chair",
    "secretariat",
    "body_chair",
    "component_lead",
    "rapporteur",
    "host",
    "other",
]


class OfficeIn(WriteSchema):
    kind: OfficeKind
    body: str | None = None
    country: str | None = None
    organisation: str | None = None
    title: Text | None = None
    note: Text | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None


class OfficePatch(WriteSchema):
    kind: OfficeKind | None = None
    body: str | None = None
    country: str | None = None
    organisation: str | None = None
    title: Text | None = None
    note: Text | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None


def _office_changes(request: HttpRequest, dialogue: Dialogue, payload: Schema) -> dict[str, Any]:
    changes = _changes(payload, ("title", "note"))
    if "body" in changes:
        body_slug = (changes["body"] or "").strip()
        changes["body"] = None
        if body_slug:
            body = _visible_bodies(request, dialogue).filter(slug=body_slug).first()
            if body is None:
                raise ValidationError(
                    {
                        "body": _("There is no body “%(slug)s” in this dialogue.")
                        % {"slug": body_slug}
                    }
                )
            changes["body"] = body
    return changes


def _office(request: HttpRequest, slug: str, pk: int) -> tuple[Dialogue, Office]:
    _require_signed_in(request)
    dialogue = _dialogue(slug)
    office = (
        _visible_offices(request, dialogue)
        .filter(pk=pk)
        .select_related("country", "organisation", "body")
        .first()
    )
    if office is None:
        raise Http404
    _require_change(request, office)
    return dialogue, office


@router.post("/dialogues/{slug}/offices", response={201: OfficeOut}, tags=["offices"])
def create_office(request: HttpRequest, slug: str, payload: OfficeIn) -> Status:
    """Record who holds an office for a term; ``body`` is a body's identifier."""
    dialogue = _writable_dialogue(request, slug)
    changes = _office_changes(request, dialogue, payload)
    office = services.save_office(actor=request.user, dialogue=dialogue, **changes)
    return Status(201, _office_out(office, timezone.localdate()))


@router.patch("/dialogues/{slug}/offices/{pk}", response=OfficeOut, tags=["offices"])
def update_office(request: HttpRequest, slug: str, pk: int, payload: OfficePatch) -> dict[str, Any]:
    dialogue, office = _office(request, slug, pk)
    changes = _office_changes(request, dialogue, payload)
    office = services.save_office(actor=request.user, office=office, **changes)
    return _office_out(office, timezone.localdate())


@router.delete("/dialogues/{slug}/offices/{pk}", response={204: None}, tags=["offices"])
def delete_office(request: HttpRequest, slug: str, pk: int) -> Status:
    _dialogue, office = _office(request, slug, pk)
    services.delete_office(actor=request.user, office=office)
    return Status(204, None)


# Bodies and their members


class BodyIn(WriteSchema):
    slug: str
    name: Text
    kind: BodyKind = "other"
    description: Text | None = None
    established: datetime.date | None = None
    order: int = 100
    access_level: Level = "public"


class BodyPatch(WriteSchema):
    slug: str | None = None
    name: Text | None = None
    kind: BodyKind | None = None
    description: Text | None = None
    established: datetime.date | None = None
    order: int | None = None
    access_level: Level | None = None


def _writable_body(request: HttpRequest, slug: str, body_slug: str) -> Body:
    _require_signed_in(request)
    body = _body(request, _dialogue(slug), body_slug)
    _require_change(request, body)
    return body


@router.post("/dialogues/{slug}/bodies", response={201: BodyDetailOut}, tags=["bodies"])
def create_body(request: HttpRequest, slug: str, payload: BodyIn) -> Status:
    dialogue = _writable_dialogue(request, slug)
    changes = _changes(payload, ("name", "description"))
    body = services.save_body(actor=request.user, dialogue=dialogue, **changes)
    return Status(201, {**_body_out(body), "members": [], "offices": []})


@router.patch("/dialogues/{slug}/bodies/{body_slug}", response=BodyOut, tags=["bodies"])
def update_body(
    request: HttpRequest, slug: str, body_slug: str, payload: BodyPatch
) -> dict[str, Any]:
    body = _writable_body(request, slug, body_slug)
    changes = _changes(payload, ("name", "description"))
    for required in ("slug", "name", "kind", "order", "access_level"):
        if required in changes and changes[required] in (None, ""):
            raise ValidationError({required: _("This field cannot be blank.")})
    body = services.save_body(actor=request.user, body=body, **changes)
    return _body_out(body)


@router.delete("/dialogues/{slug}/bodies/{body_slug}", response={204: None}, tags=["bodies"])
def delete_body(request: HttpRequest, slug: str, body_slug: str) -> Status:
    body = _writable_body(request, slug, body_slug)
    services.delete_body(actor=request.user, body=body)
    return Status(204, None)


class BodyMemberIn(WriteSchema):
    country: str | None = None
    organisation: str | None = None
    capacity: Text | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    access_level: MemberLevel = "inherit"


class BodyMemberPatch(WriteSchema):
    country: str | None = None
    organisation: str | None = None
    capacity: Text | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    access_level: MemberLevel | None = None


def _writable_member(request: HttpRequest, slug: str, body_slug: str, pk: int) -> BodyMembership:
    body = _writable_body(request, slug, body_slug)
    member = (
        access.visible(request.user, BodyMembership.objects.filter(body=body, pk=pk))
        .select_related("country", "organisation", "body")
        .first()
    )
    if member is None:
        raise Http404
    return member


@router.post(
    "/dialogues/{slug}/bodies/{body_slug}/members",
    response={201: BodyMemberOut},
    tags=["bodies"],
)
def create_body_member(
    request: HttpRequest, slug: str, body_slug: str, payload: BodyMemberIn
) -> Status:
    """Seat a state (``country``) or an organisation on a body."""
    body = _writable_body(request, slug, body_slug)
    changes = _changes(payload, ("capacity",))
    if "access_level" not in changes:
        changes["access_level"] = AccessLevel.INHERIT
    member = services.save_body_membership(actor=request.user, body=body, **changes)
    return Status(201, _member_out(member, timezone.localdate()))


@router.patch(
    "/dialogues/{slug}/bodies/{body_slug}/members/{pk}",
    response=BodyMemberOut,
    tags=["bodies"],
)
def update_body_member(
    request: HttpRequest, slug: str, body_slug: str, pk: int, payload: BodyMemberPatch
) -> dict[str, Any]:
    member = _writable_member(request, slug, body_slug, pk)
    changes = _changes(payload, ("capacity",))
    member = services.save_body_membership(actor=request.user, membership=member, **changes)
    return _member_out(member, timezone.localdate())


@router.delete(
    "/dialogues/{slug}/bodies/{body_slug}/members/{pk}", response={204: None}, tags=["bodies"]
)
def delete_body_member(request: HttpRequest, slug: str, body_slug: str, pk: int) -> Status:
    member = _writable_member(request, slug, body_slug, pk)
    services.delete_body_membership(actor=request.user, membership=member)
    return Status(204, None)
