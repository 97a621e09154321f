"""HTTP API for meetings: the list with the page's filters, one meeting with its agenda and
documents, and its list of participants.

The same rules as the pages (``meetings.views``): every read goes through ``core.access``; a
meeting the caller may not see is a 404, exactly as if it did not exist. Lists run a fixed
number of queries whatever the size of the data. Registrations: reads and writes for the
registrant, his state's focal point and the secretariat (a token or the session).
"""

from __future__ import annotations

import datetime
import math
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from dialogos.core import access
from dialogos.dialogues.api import (
    CountryRef,
    I18n,
    OrganisationRef,
    SlugRef,
    WriteSchema,
    _country_ref,
    _holder_changes,
    _json,
    _organisation_ref,
    _require_signed_in,
    _slug_ref,
    _tr,
)
from dialogos.meetings import services
from dialogos.meetings.models import (
    AgendaSession,
    Meeting,
    MeetingDocument,
    MinutesRevision,
    Registration,
    ScheduleChange,
)
from dialogos.meetings.views import (
    PAGE_SIZE,
    MeetingFilters,
    attendance_summary,
    filtered_meetings,
    get_meeting,
    meeting_contents,
)
from dialogos.people import services as people_services
from dialogos.people.models import Person

router = Router(tags=["meetings"])

MAX_PAGE_SIZE = 100


# Schemas ----------------------------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    url: str
    calendar_url: str
    dialogue: SlugRef
    body: SlugRef | None
    title: str
    title_i18n: I18n
    type: str
    type_label: str
    level: str
    level_label: str
    format: str
    format_label: str
    status: str
    status_label: str
    start: datetime.datetime
    end: datetime.datetime
    time_zone: str
    venue: str
    venue_i18n: I18n
    city: str
    city_i18n: I18n
    country: CountryRef | None
    host_states: list[CountryRef]
    occasion: str
    occasion_i18n: I18n
    access_level: str
    is_example: bool


class MeetingPageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[MeetingOut]


class PersonRef(Schema):
    name: str


class FileOut(Schema):
    id: int
    language: str
    name: str
    content_type: str
    size: int
    url: str


class DocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    title_i18n: I18n
    description: str
    description_i18n: I18n
    files: list[FileOut]


class SessionOut(Schema):
    id: int
    start: datetime.datetime
    end: datetime.datetime | None
    title: str
    title_i18n: I18n
    description: str
    description_i18n: I18n
    room: str
    chairs: list[PersonRef]
    speakers: list[PersonRef]
    documents: list[DocumentOut]


class AgendaDayOut(Schema):
    date: datetime.date
    title: str
    title_i18n: I18n
    sessions: list[SessionOut]


class ScheduleChangeOut(Schema):
    action: str
    action_label: str
    old_start: datetime.datetime
    new_start: datetime.datetime
    old_status: str
    new_status: str
    reason: str
    reason_i18n: I18n
    announced: datetime.datetime


class MinutesOut(Schema):
    revision: int
    saved: datetime.datetime
    text: str
    text_i18n: I18n


class AttendanceOut(Schema):
    participants: int | None
    countries: int | None
    organisations: int | None
    summary: str


class MeetingDetailOut(MeetingOut):
    objectives: str
    objectives_i18n: I18n
    agenda: list[AgendaDayOut]
    documents: list[DocumentOut]
    minutes: MinutesOut | None
    schedule_changes: list[ScheduleChangeOut]
    attendance: AttendanceOut


class ParticipantOut(Schema):
    name: str
    country: CountryRef | None
    organisation: OrganisationRef | None
    delegation_role: str
    delegation_role_label: str


# Serialisation ---------------------------------------------------------------------------


def _local(value: datetime.datetime, meeting: Meeting) -> datetime.datetime:
    return value.astimezone(meeting.zone)


def _meeting_out(meeting: Meeting) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": meeting.pk,
        "url": reverse("meetings:detail", args=[meeting.pk]),
        "calendar_url": reverse("meetings:ics", args=[meeting.pk]),
        "dialogue": _slug_ref(meeting.dialogue),
        "body": _slug_ref(meeting.body),
        "type": meeting.type,
        "type_label": str(meeting.get_type_display()),
        "level": meeting.level,
        "level_label": str(meeting.get_level_display()) if meeting.level else "",
        "format": meeting.format,
        "format_label": str(meeting.get_format_display()),
        "status": meeting.status,
        "status_label": str(meeting.get_status_display()),
        "start": meeting.local_start(),
        "end": meeting.local_end(),
        "time_zone": meeting.time_zone,
        "country": _country_ref(meeting.country),
        "host_states": [_country_ref(c) for c in meeting.host_states.all()],
        "access_level": meeting.access_level,
        "is_example": meeting.is_example,
    }
    for name in ("title", "venue", "city", "occasion"):
        _tr(data, name, getattr(meeting, name))
    return data


def _document_out(document: MeetingDocument) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": document.pk,
        "kind": document.kind,
        "kind_label": str(document.get_kind_display()),
        "files": [
            {
                "id": f.pk,
                "language": f.language,
                "name": f.original_name,
                "content_type": f.content_type,
                "size": f.size,
                "url": reverse("meetings:file", args=[f.pk]),
            }
            for f in document.files.all()
        ],
    }
    _tr(data, "title", document.title)
    _tr(data, "description", document.description)
    return data


def _person(person: Person) -> dict[str, Any]:
    return {"name": str(person)}


def _session_out(session: AgendaSession) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": session.pk,
        "start": session.starts_at(),
        "end": session.ends_at(),
        "room": session.room,
        "chairs": [_person(p) for p in session.chairs.all()],
        "speakers": [_person(p) for p in session.speakers.all()],
        "documents": [_document_out(d) for d in getattr(session, "visible_documents", [])],
    }
    _tr(data, "title", session.title)
    _tr(data, "description", session.description)
    return data


def _change_out(change: ScheduleChange, meeting: Meeting) -> dict[str, Any]:
    data: dict[str, Any] = {
        "action": change.action,
        "action_label": str(change.get_action_display()),
        "old_start": _local(change.old_start, meeting),
        "new_start": _local(change.new_start, meeting),
        "old_status": change.old_status,
        "new_status": change.new_status,
        "announced": change.created_at,
    }
    _tr(data, "reason", change.decision.reason)
    return data


def _minutes_out(revision: MinutesRevision | None) -> dict[str, Any] | None:
    if revision is None:
        return None
    data: dict[str, Any] = {"revision": revision.number, "saved": revision.created_at}
    _tr(data, "text", revision.text)
    return data


# Endpoints -------------------------------------------------------------------------------


class MeetingQuery(Schema):
    when: Literal["upcoming", "past", "all"] | None = None
    dialogue: str = ""
    type: str = ""
    level: str = ""
    year: int | None = None
    country: str = ""
    page: int = 1
    page_size: int = PAGE_SIZE


@router.get("/meetings", response=MeetingPageOut)
def list_meetings(request: HttpRequest, query: Query[MeetingQuery]) -> HttpResponse:
    """Meetings the caller may see, filtered like the public list: ``when`` (upcoming, the
    default unless a ``year`` is given; past; all), ``dialogue`` (slug), ``type``, ``level``,
    ``year`` and ``country`` (ISO code; held in or hosted by). Unknown values are ignored.
    Paginated: ``page`` (from 1) and ``page_size`` (up to 100)."""
    params = {k: v for k, v in query.dict().items() if v not in (None, "")}
    filters = MeetingFilters.from_query(params)
    size = max(1, min(query.page_size, MAX_PAGE_SIZE))
    meetings = filtered_meetings(request.user, filters)
    count = meetings.count()
    pages = max(1, math.ceil(count / size))
    page = max(1, min(query.page, pages))
    rows = meetings[(page - 1) * size : page * size] if count else []
    return _json(
        {
            "count": count,
            "page": page,
            "pages": pages,
            "page_size": size,
            "results": [_meeting_out(m) for m in rows],
        }
    )


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut)
def get_meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """One meeting with its agenda, documents, minutes and changes of schedule, as far as the
    caller may see them."""
    meeting = get_meeting(request.user, meeting_id)
    contents = meeting_contents(request.user, meeting)
    data = _meeting_out(meeting)
    _tr(data, "objectives", meeting.objectives)
    data["agenda"] = []
    for entry in contents.agenda:
        day: dict[str, Any] = {
            "date": entry.day.date,
            "sessions": [_session_out(s) for s in entry.sessions],
        }
        _tr(day, "title", entry.day.title)
        data["agenda"].append(day)
    data["documents"] = [_document_out(d) for d in contents.documents]
    data["minutes"] = _minutes_out(contents.minutes)
    data["schedule_changes"] = [_change_out(c, meeting) for c in services.schedule_history(meeting)]
    data["attendance"] = {
        "participants": meeting.reported_participants,
        "countries": meeting.reported_countries,
        "organisations": meeting.reported_organisations,
        "summary": attendance_summary(meeting),
    }
    return _json(data)


@router.get("/meetings/{meeting_id}/participants", response=list[ParticipantOut])
def list_participants(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The list of participants as the caller may see it (each registrant chooses who)."""
    meeting = get_meeting(request.user, meeting_id)
    result = []
    registration: Registration
    for registration in services.participants_list(meeting, request.user):
        result.append(
            {
                "name": str(registration.person),
                "country": _country_ref(registration.country),
                "organisation": _organisation_ref(registration.organisation),
                "delegation_role": registration.delegation_role,
                "delegation_role_label": str(registration.get_delegation_role_display()),
            }
        )
    return _json(result)


# Registrations -----------------------------------------------------------------------------
#
# Writes need a signed-in caller (token or session). Who may do what is decided by the same
# services as the pages: a focal point nominates for his own state, the secretariat for anyone,
# a person applies for himself where the meeting allows; the registrant, his focal point or the
# secretariat withdraws or changes details; only the secretariat decides.


RegistrationStatus = Literal[
    "pending", "confirmed", "waiting", "rejected", "withdrawn", "attended", "no_show"
]
DelegationRole = Literal["head", "delegate", "expert"]
Visibility = Literal["nobody", "participants", "everyone"]


class PersonOut(Schema):
    id: int
    name: str


class RegistrationOut(Schema):
    id: int
    meeting: int
    person: PersonOut
    country: CountryRef | None
    organisation: OrganisationRef | None
    delegation_role: str
    delegation_role_label: str
    status: str
    status_label: str
    channel: str
    waiting_position: int | None
    visibility: str
    needs_access: str
    needs_diet: str
    needs_visa_letter: bool
    decision_reason: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class RegistrationPageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[RegistrationOut]


class RegistrationDetailsIn(WriteSchema):
    delegation_role: DelegationRole = "delegate"
    visibility: Visibility = "participants"
    needs_access: str = Field("", max_length=500)
    needs_diet: str = Field("", max_length=300)
    needs_visa_letter: bool = False


class NominationIn(RegistrationDetailsIn):
    """Name an existing person (``person``) or give a new person's name."""

    person: int | None = None
    given_name: str = Field("", max_length=100)
    family_name: str = Field("", max_length=100)
    email: str = Field("", max_length=254)
    position: str = Field("", max_length=200)
    country: str | None = None
    organisation: str | None = None


class ApplicationIn(RegistrationDetailsIn):
    delegation_role: DelegationRole = "expert"
    organisation: str | None = None


class RegistrationPatch(WriteSchema):
    delegation_role: DelegationRole | None = None
    visibility: Visibility | None = None
    needs_access: str | None = Field(None, max_length=500)
    needs_diet: str | None = Field(None, max_length=300)
    needs_visa_letter: bool | None = None


class DecisionIn(WriteSchema):
    note: str = Field("", max_length=2000)


class RejectionIn(WriteSchema):
    reason: str = Field(..., max_length=2000)


class AttendanceIn(WriteSchema):
    attended: bool


class RegistrationQuery(Schema):
    status: RegistrationStatus | None = None
    country: str = ""
    page: int = 1
    page_size: int = 50


def _registration_out(reg: Registration) -> dict[str, Any]:
    return {
        "id": reg.pk,
        "meeting": reg.meeting_id,
        "person": {"id": reg.person_id, "name": str(reg.person)},
        "country": _country_ref(reg.country),
        "organisation": _organisation_ref(reg.organisation),
        "delegation_role": reg.delegation_role,
        "delegation_role_label": str(reg.get_delegation_role_display()),
        "status": reg.status,
        "status_label": str(reg.get_status_display()),
        "channel": reg.channel,
        "waiting_position": reg.waiting_position,
        "visibility": reg.visibility,
        "needs_access": reg.needs_access,
        "needs_diet": reg.needs_diet,
        "needs_visa_letter": reg.needs_visa_letter,
        "decision_reason": reg.decision_reason,
        "created_at": reg.created_at,
        "updated_at": reg.updated_at,
    }


REGISTRATION_RELATED = ("person", "country", "organisation", "meeting")


def _registrations_of(user: Any, meeting: Meeting) -> QuerySet[Registration]:
    """The registrations of ``meeting`` the caller may see: all for the secretariat, his
    states' for a focal point, his own for everyone else."""
    regs = Registration.objects.filter(meeting=meeting)
    who = access.principal(user)
    if who.is_secretariat(meeting.dialogue_id):
        return regs
    mine = Q(user_id=user.pk) | Q(person__user_id=user.pk)
    states = who.countries(meeting.dialogue_id, access.FOCAL_POINT)
    if states:
        mine |= Q(country_id__in=states)
    return regs.filter(mine)


def _own_registration(request: HttpRequest, registration_id: int) -> Registration:
    """A registration the caller may act for; 404 for any other, as if it did not exist."""
    _require_signed_in(request)
    reg = (
        Registration.objects.select_related(*REGISTRATION_RELATED, "person__user")
        .filter(pk=registration_id)
        .first()
    )
    if reg is None or not access.can_view(request.user, reg.meeting):
        raise Http404
    if not _registrations_of(request.user, reg.meeting).filter(pk=reg.pk).exists():
        raise Http404
    return reg


def _fresh(reg: Registration) -> dict[str, Any]:
    reg = Registration.objects.select_related(*REGISTRATION_RELATED).get(pk=reg.pk)
    return _registration_out(reg)


@router.get(
    "/meetings/{meeting_id}/registrations",
    response=RegistrationPageOut,
    tags=["registrations"],
)
def list_registrations(
    request: HttpRequest, meeting_id: int, query: Query[RegistrationQuery]
) -> HttpResponse:
    """The registrations the caller may see: every one for the secretariat, those of his
    states for a focal point, his own for anyone else. Filters: ``status``, ``country``."""
    _require_signed_in(request)
    meeting = get_meeting(request.user, meeting_id)
    regs = _registrations_of(request.user, meeting).select_related(*REGISTRATION_RELATED)
    if query.status:
        regs = regs.filter(status=query.status)
    if query.country.strip():
        regs = regs.filter(country_id=query.country.strip().upper())
    size = max(1, min(query.page_size, MAX_PAGE_SIZE))
    count = regs.count()
    pages = max(1, math.ceil(count / size))
    page = max(1, min(query.page, pages))
    rows = regs.order_by("created_at", "pk")[(page - 1) * size : page * size] if count else []
    return _json(
        {
            "count": count,
            "page": page,
            "pages": pages,
            "page_size": size,
            "results": [_registration_out(r) for r in rows],
        }
    )


@router.post(
    "/meetings/{meeting_id}/registrations",
    response={201: RegistrationOut},
    tags=["registrations"],
)
def create_registration(request: HttpRequest, meeting_id: int, payload: NominationIn) -> Status:
    """A focal point nominates a delegate of his state (``country``); the secretariat registers
    anyone, for a state or an organisation (``organisation``: its identifier), also outside the
    registration period. Name an existing ``person`` (id) or give ``given_name`` and
    ``family_name`` (with ``email`` and ``position``) of a new one. The answer says whether the
    registration holds a seat (``confirmed`` or ``pending``) or is on the waiting list."""
    _require_signed_in(request)
    meeting = get_meeting(request.user, meeting_id)
    allowed = services.nominable_countries(user=request.user, meeting=meeting)
    if not allowed:
        raise PermissionDenied(
            _("Only the secretariat and the states' focal points may register others.")
        )
    secretariat = "*" in allowed
    if payload.organisation and not secretariat:
        raise ValidationError(
            {"organisation": _("Only the secretariat registers organisations' delegates.")}
        )
    holders = _holder_changes({"country": payload.country, "organisation": payload.organisation})
    country, organisation = holders["country"], holders["organisation"]
    if country is None and organisation is None:
        raise ValidationError({"country": _("Name the state the person represents.")})
    details = payload.model_dump(include=set(RegistrationDetailsIn.model_fields))
    with transaction.atomic():
        if payload.person is not None:
            person = Person.objects.filter(pk=payload.person).first()
            if person is None:
                raise ValidationError({"person": _("There is no such person.")})
            if not secretariat and person.country_id != (country.pk if country else None):
                raise ValidationError({"person": _("This person is not of the state chosen.")})
        else:
            for name in ("given_name", "family_name"):
                if not getattr(payload, name).strip():
                    raise ValidationError(
                        {name: _("Name an existing person or give the new person's name.")}
                    )
            person = people_services.save_person(
                actor=request.user,
                given_name=payload.given_name.strip(),
                family_name=payload.family_name.strip(),
                email=payload.email.strip(),
                position=payload.position.strip(),
                country=country,
            )
        if secretariat:
            reg = services.add_registration(
                actor=request.user,
                meeting=meeting,
                person=person,
                country=country,
                organisation=organisation,
                **details,
            )
        else:
            assert country is not None
            reg = services.nominate_delegate(
                actor=request.user, meeting=meeting, person=person, country=country, **details
            )
    return Status(201, _fresh(reg))


@router.post(
    "/meetings/{meeting_id}/applications",
    response={201: RegistrationOut},
    tags=["registrations"],
)
def apply(request: HttpRequest, meeting_id: int, payload: ApplicationIn) -> Status:
    """The caller applies for himself, where the meeting allows it (open to all, or to the
    dialogue's members), for the state of his person record or an ``organisation``."""
    _require_signed_in(request)
    meeting = get_meeting(request.user, meeting_id)
    details = payload.model_dump(include=set(RegistrationDetailsIn.model_fields))
    reg = services.apply_to_meeting(
        actor=request.user,
        meeting=meeting,
        organisation=_holder_changes({"organisation": payload.organisation})["organisation"],
        **details,
    )
    return Status(201, _fresh(reg))


@router.get("/registrations/{registration_id}", response=RegistrationOut, tags=["registrations"])
def get_registration(request: HttpRequest, registration_id: int) -> HttpResponse:
    """One registration: one's own, one of one's states as focal point, or any as secretariat."""
    return _json(_registration_out(_own_registration(request, registration_id)))


@router.patch("/registrations/{registration_id}", response=RegistrationOut, tags=["registrations"])
def change_registration(
    request: HttpRequest, registration_id: int, payload: RegistrationPatch
) -> HttpResponse:
    """Change the role in the delegation, the visibility or the needs (until the deadline for
    changes; the visibility at any time)."""
    reg = _own_registration(request, registration_id)
    changes = payload.model_dump(exclude_unset=True, exclude_none=True)
    reg = services.update_registration(actor=request.user, registration=reg, **changes)
    return _json(_fresh(reg))


@router.post(
    "/registrations/{registration_id}/withdraw",
    response=RegistrationOut,
    tags=["registrations"],
)
def withdraw(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Withdraw; a seat it held goes to the first on the waiting list, who is told."""
    reg = _own_registration(request, registration_id)
    reg = services.withdraw_registration(actor=request.user, registration=reg)
    return _json(_fresh(reg))


def _secretariat_registration(request: HttpRequest, registration_id: int) -> Registration:
    reg = _own_registration(request, registration_id)
    if not access.can_change(request.user, reg.meeting):
        raise PermissionDenied(_("Only the secretariat of this dialogue may decide."))
    return reg


@router.post(
    "/registrations/{registration_id}/approve",
    response=RegistrationOut,
    tags=["registrations"],
)
def approve(request: HttpRequest, registration_id: int, payload: DecisionIn) -> HttpResponse:
    """The secretariat confirms a pending registration (or one on the waiting list when a seat
    and the state's quota allow)."""
    reg = _secretariat_registration(request, registration_id)
    reg = services.approve_registration(actor=request.user, registration=reg, note=payload.note)
    return _json(_fresh(reg))


@router.post(
    "/registrations/{registration_id}/reject",
    response=RegistrationOut,
    tags=["registrations"],
)
def reject(request: HttpRequest, registration_id: int, payload: RejectionIn) -> HttpResponse:
    """The secretariat rejects a registration, with a reason the registrant is told."""
    reg = _secretariat_registration(request, registration_id)
    reg = services.reject_registration(actor=request.user, registration=reg, reason=payload.reason)
    return _json(_fresh(reg))


@router.post(
    "/registrations/{registration_id}/promote",
    response=RegistrationOut,
    tags=["registrations"],
)
def promote(request: HttpRequest, registration_id: int) -> HttpResponse:
    """The secretariat takes a registration off the waiting list out of turn, if a seat is free."""
    reg = _secretariat_registration(request, registration_id)
    reg = services.promote_registration(actor=request.user, registration=reg)
    return _json(_fresh(reg))


@router.post(
    "/registrations/{registration_id}/attendance",
    response=RegistrationOut,
    tags=["registrations"],
)
def attendance(request: HttpRequest, registration_id: int, payload: AttendanceIn) -> HttpResponse:
    """The secretariat records whether a confirmed participant attended."""
    reg = _secretariat_registration(request, registration_id)
    reg = services.record_attendance(
        actor=request.user, registration=reg, attended=payload.attended
    )
    return _json(_fresh(reg))
