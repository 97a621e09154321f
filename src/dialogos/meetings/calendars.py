"""iCalendar (RFC 5545) for meetings: one meeting, a dialogue's meetings, a person's feed,
and the invitations and updates attached to e-mails.

A meeting keeps one UID for life; every change that people must see raises its SEQUENCE, so
calendar programs replace the old entry instead of adding a second one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from email.utils import parseaddr
from typing import Any

import icalendar
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation

from dialogos.core import access
from dialogos.core.i18n import to_translated
from dialogos.meetings.models import CalendarFeed, Meeting, Registration

PRODID = "-//Dialogos//Meetings//EN"
METHOD_REQUEST = "REQUEST"
METHOD_CANCEL = "CANCEL"
METHOD_PUBLISH = "PUBLISH"

_ICAL_STATUS: dict[str, str] = {
    Meeting.Status.PLANNED: "TENTATIVE",
    Meeting.Status.POSTPONED: "TENTATIVE",
    Meeting.Status.CONFIRMED: "CONFIRMED",
    Meeting.Status.RESCHEDULED: "CONFIRMED",
    Meeting.Status.MOVED_ONLINE: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def meeting_url(meeting: Meeting, language: str) -> str:
    """The public address of a meeting's page (``/<lang>/meetings/<id>/``)."""
    return f"{settings.SITE_URL}/{language}/meetings/{meeting.pk}/"


def _text(value: Any, language: str) -> str:
    """Translated text in ``language`` (with fallback), also for unsaved plain dicts."""
    return to_translated(value).get_text(language)


def _location(meeting: Meeting, language: str) -> str:
    parts = [
        _text(meeting.venue, language),
        _text(meeting.city, language),
        _text(meeting.country.name, language) if meeting.country else "",
    ]
    text = ", ".join(p for p in parts if p)
    if meeting.format == Meeting.Format.ONLINE:
        return text or str(Meeting.Format.ONLINE.label)
    return text


def _description(meeting: Meeting, language: str, *, private: bool) -> str:
    lines = []
    if meeting.status in {
        Meeting.Status.POSTPONED,
        Meeting.Status.CANCELLED,
        Meeting.Status.MOVED_ONLINE,
        Meeting.Status.RESCHEDULED,
    }:
        lines.append(str(meeting.get_status_display()))
    occasion = _text(meeting.occasion, language)
    if occasion:
        lines.append(occasion)
    objectives = _text(meeting.objectives, language)
    if objectives:
        lines.append(objectives)
    if private and meeting.online_url and meeting.status != Meeting.Status.CANCELLED:
        lines.append(meeting.online_url)
    lines.append(meeting_url(meeting, language))
    return "\n\n".join(lines)


def meeting_event(
    meeting: Meeting,
    *,
    language: str,
    private: bool = False,
    attendee: str | None = None,
    cancel: bool = False,
    stamp: datetime.datetime | None = None,
) -> icalendar.Event:
    """The VEVENT of a meeting, in ``language``.

    ``private`` adds what only registrants may know (the link to join online); ``attendee``
    (an e-mail address) makes it an invitation to that person; ``cancel`` marks it cancelled.
    """
    with translation.override(language):
        event = icalendar.Event()
        event.add("uid", meeting.ical_uid)
        event.add("sequence", meeting.ical_sequence)
        event.add("dtstamp", (stamp or timezone.now()).astimezone(datetime.UTC))
        event.add("last-modified", meeting.updated_at.astimezone(datetime.UTC))
        zone = meeting.zone
        event.add("dtstart", meeting.start.astimezone(zone))
        event.add("dtend", meeting.end.astimezone(zone))
        event.add("summary", _text(meeting.title, language))
        location = _location(meeting, language)
        if location:
            event.add("location", location)
        event.add("description", _description(meeting, language, private=private))
        event.add("url", meeting_url(meeting, language))
        status = "CANCELLED" if cancel else _ICAL_STATUS.get(meeting.status, "TENTATIVE")
        event.add("status", status)
        if attendee:
            _name, organiser = parseaddr(settings.DEFAULT_FROM_EMAIL)
            event.add("organizer", f"mailto:{organiser or 'noreply@localhost'}")
            event.add(
                "attendee",
                f"mailto:{attendee}",
                parameters={"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "ACCEPTED", "RSVP": "FALSE"},
            )
        return event


def build_calendar(
    events: Iterable[icalendar.Event], *, name: str = "", method: str | None = None
) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    dates: list[datetime.date] = []
    for event in events:
        cal.add_component(event)
        for value in (event.start, event.end):
            dates.append(value.date() if isinstance(value, datetime.datetime) else value)
    if dates:
        # Only the transitions around the events: a feed stays small.
        margin = datetime.timedelta(days=366)
        cal.add_missing_timezones(first_date=min(dates) - margin, last_date=max(dates) + margin)
    return bytes(cal.to_ical())


def invitation(
    meetings: Iterable[Meeting],
    *,
    language: str,
    attendee: str,
    cancel: bool = False,
    private_ids: set[int] | None = None,
) -> bytes:
    """The calendar attached to an e-mail: REQUEST, or CANCEL for cancellations.

    The link to join online is included only for meetings in ``private_ids`` (the attendee's
    registrations); ``None`` means all of them."""
    stamp = timezone.now()
    events = [
        meeting_event(
            m,
            language=language,
            private=private_ids is None or m.pk in private_ids,
            attendee=attendee,
            cancel=cancel,
            stamp=stamp,
        )
        for m in meetings
    ]
    return build_calendar(events, method=METHOD_CANCEL if cancel else METHOD_REQUEST)


def meeting_calendar(meeting: Meeting, *, language: str) -> bytes:
    """The calendar of one meeting (the caller has checked ``can_view``)."""
    return build_calendar(
        [meeting_event(meeting, language=language)],
        name=_text(meeting.title, language),
        method=METHOD_PUBLISH,
    )


def dialogue_calendar(dialogue: Any, *, viewer: Any, language: str) -> bytes:
    """Every meeting of a dialogue that ``viewer`` may see (anonymous: the public ones)."""
    meetings = access.visible(viewer, Meeting.objects.filter(dialogue=dialogue)).order_by(
        "start", "pk"
    )
    stamp = timezone.now()
    with translation.override(language):
        name = str(dialogue.name)
    return build_calendar(
        [
            meeting_event(m, language=language, stamp=stamp)
            for m in meetings.select_related("country")
        ],
        name=name,
        method=METHOD_PUBLISH,
    )


def feed_meetings(user: Any) -> QuerySet[Meeting]:
    """The meetings on a person's private feed: registered (not rejected or withdrawn) and visible."""
    ids = Registration.objects.filter(
        user_id=user.pk, status__in=Registration.ACTIVE_STATUSES
    ).values("meeting_id")
    return access.visible(user, Meeting.objects.filter(pk__in=ids)).order_by("start", "pk")


def person_calendar(token: str, *, language: str | None = None) -> bytes | None:
    """The private feed behind a secret token, or ``None`` when the token is unknown (404)."""
    if not token or len(token) > 64:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    user = feed.user
    language = language or user.language
    stamp = timezone.now()
    events = [
        meeting_event(m, language=language, private=True, stamp=stamp)
        for m in feed_meetings(user).select_related("country")
    ]
    return build_calendar(events, name=str(user), method=METHOD_PUBLISH)
