"""Public pages of meetings: the list with filters, one meeting, its calendars and files.

Views are thin: parse the request, narrow with ``core.access``, read, render. The list and
its filters are shared with the API (``meetings.api``) through ``MeetingFilters``, so both
answer the same question the same way. Hidden and missing meetings answer the same 404.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django.core.paginator import Page
from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from dialogos.core import access
from dialogos.core.cache import (
    cached_fragments,
    cached_until_change,
    page_with_count,
    viewer_key,
)
from dialogos.core.i18n import to_translated
from dialogos.core.models import Country
from dialogos.dialogues.models import Dialogue
from dialogos.meetings import calendars, services
from dialogos.meetings.models import (
    AgendaDay,
    AgendaSession,
    Meeting,
    MeetingDocument,
    MeetingFile,
    MeetingMinutes,
    MeetingQuerySet,
    MinutesRevision,
)

PAGE_SIZE = 25
WHEN_CHOICES = ("upcoming", "past", "all")
CALENDAR_TYPE = "text/calendar; charset=utf-8"

# Statuses that change what a visitor should expect: shown as a tag wherever the meeting is.
NOTABLE_STATUSES = frozenset(
    {
        Meeting.Status.POSTPONED,
        Meeting.Status.RESCHEDULED,
        Meeting.Status.MOVED_ONLINE,
        Meeting.Status.CANCELLED,
    }
)

SCHEMA_STATUS: dict[str, str] = {
    Meeting.Status.CANCELLED: "https://schema.org/EventCancelled",
    Meeting.Status.POSTPONED: "https://schema.org/EventPostponed",
    Meeting.Status.RESCHEDULED: "https://schema.org/EventRescheduled",
    Meeting.Status.MOVED_ONLINE: "https://schema.org/EventMovedOnline",
}
SCHEMA_MODE: dict[str, str] = {
    Meeting.Format.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Meeting.Format.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Meeting.Format.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


# The list and its filters (shared with the API) -----------------------------------------------


@dataclass(frozen=True)
class MeetingFilters:
    """What a visitor asked the list for; unknown values are ignored, never an error."""

    when: str = "upcoming"
    dialogue: str = ""
    type: str = ""
    level: str = ""
    year: int | None = None
    country: str = ""

    @classmethod
    def from_query(cls, params: Any) -> MeetingFilters:
        def pick(name: str, allowed: Any) -> str:
            value = str(params.get(name, "") or "").strip()
            return value if value in allowed else ""

        year_text = str(params.get("year", "") or "").strip()
        year = int(year_text) if year_text.isdecimal() and 1900 < int(year_text) < 2200 else None
        when = pick("when", WHEN_CHOICES) or ("all" if year else "upcoming")
        country = str(params.get("country", "") or "").strip().upper()
        return cls(
            when=when,
            dialogue=str(params.get("dialogue", "") or "").strip()[:50],
            type=pick("type", Meeting.Type.values),
            level=pick("level", Meeting.Level.values),
            year=year,
            country=country if len(country) == 2 and country.isalpha() else "",
        )

    @property
    def narrowed(self) -> bool:
        return bool(self.dialogue or self.type or self.level or self.year or self.country)

    def query(self, **override: Any) -> str:
        """The query string of these filters (with ``override``), for links that keep them."""
        values = {
            "when": self.when,
            "dialogue": self.dialogue,
            "type": self.type,
            "level": self.level,
            "year": self.year or "",
            "country": self.country,
            **override,
        }
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def visible_meetings(user: Any) -> MeetingQuerySet:
    return cast(MeetingQuerySet, access.visible(user, Meeting.objects.all()))


def filtered_meetings(user: Any, filters: MeetingFilters) -> MeetingQuerySet:
    """The meetings ``user`` may see that match ``filters``, in the order the list shows them.

    "Upcoming" keeps cancelled meetings that have not yet taken place (marked by their
    status), so a visitor learns of the cancellation; "past" is latest first.
    """
    qs = visible_meetings(user)
    if filters.dialogue:
        qs = qs.filter(dialogue__slug=filters.dialogue)
    if filters.type:
        qs = qs.of_type(filters.type)
    if filters.level:
        qs = qs.at_level(filters.level)
    if filters.year:
        qs = qs.in_year(filters.year)
    if filters.country:
        # A subquery rather than ``in_country``'s join and DISTINCT, which would clash with
        # the ordering and counting below.
        hosted = Meeting.host_states.through.objects.filter(country_id=filters.country)
        qs = qs.filter(Q(country_id=filters.country) | Q(pk__in=hosted.values("meeting_id")))
    now = timezone.now()
    if filters.when == "upcoming":
        qs = qs.filter(end__gte=now).order_by("start", "pk")
    elif filters.when == "past":
        qs = qs.past(now)
    else:
        qs = qs.order_by("-start", "-pk")
    return qs.with_listing_data()


def filter_options(user: Any) -> dict[str, Any]:
    """The choices of the filter form: only dialogues, years and countries that have meetings
    the user may see (three queries, then kept until the data changes)."""
    key = f"meetings:filter-options:{viewer_key(user)}:{get_language()}"
    return cached_until_change(key, lambda: _filter_options(user))


def _filter_options(user: Any) -> dict[str, Any]:
    """Plain values in the current language (no model instances, no lazy strings): kept in
    the cache and read back on every list request, model instances cost several
    milliseconds to unpickle each time."""
    visible = visible_meetings(user)
    hosted = Meeting.host_states.through.objects.filter(meeting_id__in=visible.values("pk"))
    countries = sorted(
        (
            {"code": c.code, "name": str(c.name)}
            for c in Country.objects.filter(
                Q(code__in=visible.values("country_id")) | Q(code__in=hosted.values("country_id"))
            )
        ),
        key=lambda c: c["name"].casefold(),
    )
    dialogues = Dialogue.objects.filter(pk__in=visible.values("dialogue_id")).order_by(
        "order", "slug"
    )
    return {
        "dialogues": [{"slug": d.slug, "name": str(d.name)} for d in dialogues],
        "years": visible.years(),
        "countries": countries,
        "types": [(value, str(label)) for value, label in Meeting.Type.choices],
        "levels": [(value, str(label)) for value, label in Meeting.Level.choices],
    }


def meeting_list(request: HttpRequest) -> HttpResponse:
    filters = MeetingFilters.from_query(request.GET)
    meetings = filtered_meetings(request.user, filters)
    # The total of a reader's filtered list, kept until the next change like the options.
    total = cached_until_change(
        f"meetings:count:{viewer_key(request.user)}:{filters.query()}", meetings.count
    )
    page: Page[Meeting] = page_with_count(meetings, PAGE_SIZE, request.GET.get("page"), total)
    shown = list(page.object_list)
    language = get_language()
    context = {
        "nav_section": "meetings",
        "filters": filters,
        "options": filter_options(request.user),
        "page": page,
        "meetings": shown,
        "rows": cached_fragments(
            "meetings/public/_row.html",
            shown,
            key=lambda meeting: f"{language}:{meeting.pk}",
            context={"notable": NOTABLE_STATUSES},
            name="meeting",
        ),
        "tabs": [
            ("upcoming", _("Upcoming"), filters.query(when="upcoming")),
            ("past", _("Past"), filters.query(when="past")),
            ("all", _("All"), filters.query(when="all")),
        ],
        "notable": NOTABLE_STATUSES,
    }
    template = "meetings/public/list.html"
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.boosted:
        template = "meetings/public/_results.html"
    return render(request, template, context)


# One meeting ---------------------------------------------------------------------------------


def get_meeting(user: Any, meeting_id: int) -> Meeting:
    """The meeting if ``user`` may see it; the same ``Http404`` when hidden or missing."""
    return access.get_visible_or_404(
        user,
        Meeting.objects.select_related(
            "dialogue", "dialogue__secretariat_host", "body", "country"
        ).prefetch_related("host_states"),
        pk=meeting_id,
    )


def _documents(user: Any, meeting: Meeting) -> QuerySet[MeetingDocument]:
    return access.visible(user, MeetingDocument.objects.filter(meeting=meeting)).prefetch_related(
        Prefetch("files", queryset=MeetingFile.objects.order_by("language"))
    )


def _text(value: Any, language: str) -> str:
    return to_translated(value).get_text(language)


def json_ld(meeting: Meeting, *, url: str, language: str, history: list[Any]) -> SafeString:
    """schema.org Event data for the meeting, safe to place in a ``<script>`` element."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": _text(meeting.title, language),
        "url": url,
        "startDate": meeting.local_start().isoformat(),
        "endDate": meeting.local_end().isoformat(),
        "eventStatus": SCHEMA_STATUS.get(meeting.status, "https://schema.org/EventScheduled"),
        "eventAttendanceMode": SCHEMA_MODE.get(
            meeting.format, "https://schema.org/OfflineEventAttendanceMode"
        ),
        "inLanguage": language,
    }
    description = _text(meeting.objectives, language)
    if description:
        data["description"] = description
    if meeting.status == Meeting.Status.RESCHEDULED and history:
        data["previousStartDate"] = history[0].old_start.astimezone(meeting.zone).isoformat()
    places: list[dict[str, Any]] = []
    if meeting.format != Meeting.Format.ONLINE and (meeting.city or meeting.country_id):
        address: dict[str, Any] = {"@type": "PostalAddress"}
        if _text(meeting.city, language):
            address["addressLocality"] = _text(meeting.city, language)
        if meeting.country is not None:
            address["addressCountry"] = meeting.country.code
        places.append(
            {
                "@type": "Place",
                "name": _text(meeting.venue, language) or _text(meeting.city, language),
                "address": address,
            }
        )
    if meeting.format != Meeting.Format.IN_PERSON:
        # The page, never the link to join: that one is for registered participants only.
        places.append({"@type": "VirtualLocation", "url": url})
    if places:
        data["location"] = places[0] if len(places) == 1 else places
    host = meeting.dialogue.secretariat_host
    data["organizer"] = {
        "@type": "Organization",
        "name": _text(host.name if host else meeting.dialogue.name, language),
    }
    if host is not None and host.website:
        data["organizer"]["url"] = host.website
    text = json.dumps(data, ensure_ascii=False, indent=1)
    escaped = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(escaped)  # noqa: S308 - JSON with <, > and & escaped


def attendance_summary(meeting: Meeting) -> str:
    """The reported attendance in words, e.g. "60 officials from 27 countries" ("" if none)."""
    participants = meeting.reported_participants
    if not participants:
        return ""
    officials = ngettext("%(n)d participant", "%(n)d participants", participants) % {
        "n": participants
    }
    parts = [officials]
    if meeting.reported_countries:
        parts.append(
            ngettext("from %(n)d country", "from %(n)d countries", meeting.reported_countries)
            % {"n": meeting.reported_countries}
        )
    if meeting.reported_organisations:
        parts.append(
            ngettext(
                "and %(n)d organisation",
                "and %(n)d organisations",
                meeting.reported_organisations,
            )
            % {"n": meeting.reported_organisations}
        )
    return " ".join(parts)


@dataclass(frozen=True)
class AgendaEntry:
    day: AgendaDay
    sessions: list[AgendaSession]


@dataclass(frozen=True)
class MeetingContents:
    """What a meeting holds that ``user`` may see (shared by the page and the API)."""

    agenda: list[AgendaEntry]
    documents: list[MeetingDocument]  # those not shown under a visible session
    minutes: MinutesRevision | None


def meeting_contents(user: Any, meeting: Meeting) -> MeetingContents:
    """The agenda (visible sessions, each with ``visible_documents``), the other visible
    documents and the current minutes, in a fixed number of queries."""
    documents = list(_documents(user, meeting))
    sessions = list(
        access.visible(user, AgendaSession.objects.filter(meeting=meeting))
        .select_related("day")
        .prefetch_related("chairs", "speakers")
    )
    by_session: dict[int, list[MeetingDocument]] = {}
    for document in documents:
        if document.session_id is not None:
            by_session.setdefault(document.session_id, []).append(document)
    agenda: list[AgendaEntry] = []
    for session in sessions:
        session.meeting = meeting  # already loaded: its zone gives the sessions' times
        session.visible_documents = by_session.get(session.pk, [])  # type: ignore[attr-defined]
        if not agenda or agenda[-1].day.pk != session.day_id:
            agenda.append(AgendaEntry(day=session.day, sessions=[]))
        agenda[-1].sessions.append(session)
    shown = {s.pk for s in sessions}
    minutes = access.visible(user, MeetingMinutes.objects.filter(meeting=meeting)).first()
    return MeetingContents(
        agenda=agenda,
        documents=[d for d in documents if d.session_id is None or d.session_id not in shown],
        minutes=minutes.current() if minutes is not None else None,
    )


def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting(request.user, meeting_id)
    contents = meeting_contents(request.user, meeting)
    history = services.schedule_history(meeting)
    url = request.build_absolute_uri(meeting_url(meeting))
    context = {
        "nav_section": "meetings",
        "meeting": meeting,
        "notable": NOTABLE_STATUSES,
        "history": history,
        "agenda": contents.agenda,
        "documents": contents.documents,
        "minutes": contents.minutes,
        "participants": services.participants_list(meeting, request.user),
        "attendance": attendance_summary(meeting),
        "json_ld": json_ld(meeting, url=url, language=get_language() or "en", history=history),
    }
    return render(request, "meetings/public/detail.html", context)


def meeting_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


# Calendars and files --------------------------------------------------------------------------


def _calendar(content: bytes, *, private: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=CALENDAR_TYPE)
    if private:
        response["Cache-Control"] = "private, no-store"
    return response


def meeting_ics(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting(request.user, meeting_id)
    return _calendar(calendars.meeting_calendar(meeting, language=get_language() or "en"))


def dialogue_ics(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = get_object_or_404(Dialogue, slug=slug)
    content = calendars.dialogue_calendar(
        dialogue, viewer=request.user, language=get_language() or "en"
    )
    return _calendar(content, private=request.user.is_authenticated)


def person_ics(request: HttpRequest, token: str) -> HttpResponse:
    content = calendars.person_calendar(token, language=get_language())
    if content is None:
        raise Http404
    return _calendar(content, private=True)


def meeting_file(request: HttpRequest, file_id: int) -> FileResponse:
    record = services.open_meeting_file(user=request.user, file_id=file_id)
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=record.original_name,
        content_type=record.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    return response
