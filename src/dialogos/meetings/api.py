"""HTTP API for meetings: the list with the page's filters, one meeting with its agenda and
documents, and its list of participants.

The same rules as the pages (``meetings.views``): every read goes through ``core.access``; a
meeting the caller may not see is a 404, exactly as if it did not exist. Lists run a fixed
number of queries whatever the size of the data. Registration writes are not here yet.
"""

from __future__ import annotations

import datetime
import math
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema

from dialogos.dialogues.api import (
    CountryRef,
    I18n,
    OrganisationRef,
    SlugRef,
    _country_ref,
    _json,
    _organisation_ref,
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
