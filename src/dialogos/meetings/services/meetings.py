"""Writes to meetings, seat quotas, agendas, documents and their files, minutes, calendar feeds.

Every service is keyword-only, checks the actor's right through ``core.access``, validates with
the model's own rules, writes in one transaction and leaves an audit entry. Bad input raises
``ValidationError`` naming the field, and nothing is saved.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dialogos.core import access, audit
from dialogos.core.models import AccessLevel, AuditEntry, Country
from dialogos.meetings.files import check_upload
from dialogos.meetings.models import (
    AgendaDay,
    AgendaSession,
    CalendarFeed,
    Meeting,
    MeetingDocument,
    MeetingFile,
    MeetingMinutes,
    MinutesRevision,
    Registration,
    StateQuota,
    new_feed_token,
)
from dialogos.meetings.services._base import (
    aware,
    delete_audited,
    lock_meeting,
    require_secretariat,
    save_audited,
)
from dialogos.meetings.services.registrations import promote_waiting_list

# Changes that calendar programs must see: they raise the meeting's SEQUENCE.
CALENDAR_FIELDS = {"title", "start", "end", "time_zone", "venue", "city", "country", "format"}
# Statuses set only through a change of schedule, so that everyone concerned is told.
SCHEDULE_STATUSES = {
    Meeting.Status.POSTPONED,
    Meeting.Status.RESCHEDULED,
    Meeting.Status.MOVED_ONLINE,
    Meeting.Status.CANCELLED,
}
SEAT_FIELDS = {"capacity", "seats_per_state", "seats_per_organisation", "requires_approval"}
READ_ONLY = {"ical_uid", "ical_sequence", "created_at", "updated_at", "dialogue", "id", "pk"}


def create_meeting(
    *,
    actor: Any,
    dialogue: Any,
    title: Any,
    start: datetime.datetime,
    end: datetime.datetime,
    time_zone: str = "UTC",
    host_states: Iterable[Any] = (),
    **fields: Any,
) -> Meeting:
    """Create a meeting of ``dialogue``. Naive ``start``/``end`` are wall-clock times in
    ``time_zone``; aware ones are kept as given. Any other ``Meeting`` field may be passed."""
    require_secretariat(actor, dialogue.pk)
    _refuse_read_only(fields)
    status = fields.get("status", Meeting.Status.PLANNED)
    if status in SCHEDULE_STATUSES:
        raise ValidationError(
            {"status": _("A new meeting is planned, confirmed or held; change it afterwards.")}
        )
    meeting = Meeting(dialogue=dialogue)
    changes = {
        "title": title,
        "time_zone": time_zone,
        "start": aware(start, time_zone, field="start"),
        "end": aware(end, time_zone, field="end"),
        **fields,
    }
    with transaction.atomic():
        meeting = save_audited(
            actor=actor,
            obj=meeting,
            changes=changes,
            verb=gettext_noop("create meeting"),
            dialogue_id=dialogue.pk,
        )
        if host_states:
            meeting.host_states.set(list(host_states))
    return meeting


def update_meeting(
    *, actor: Any, meeting: Meeting, host_states: Iterable[Any] | None = None, **fields: Any
) -> Meeting:
    """Change a meeting's description, place, registration settings or attendance figures.

    Dates of a meeting people registered for, and the statuses postponed / rescheduled / moved
    online / cancelled, change only through ``change_meeting_schedule`` (which tells everyone).
    Changes that calendars show raise the SEQUENCE. Raising capacity or quotas promotes from the
    waiting list.
    """
    require_secretariat(actor, meeting.dialogue_id)
    _refuse_read_only(fields)
    if fields.get("status") in SCHEDULE_STATUSES:
        raise ValidationError(
            {
                "status": _(
                    "Postpone, reschedule, move online or cancel through a change of schedule, so that everyone concerned is told."
                )
            }
        )
    with transaction.atomic():
        locked = lock_meeting(meeting.pk)
        zone_name = fields.get("time_zone", locked.time_zone)
        for name in (
            "start",
            "end",
            "registration_opens",
            "registration_closes",
            "changes_deadline",
        ):
            if name in fields:
                fields[name] = aware(fields[name], zone_name, field=name)
        changed = {k for k, v in fields.items() if _differs(getattr(locked, k, None), v)}
        moving = changed & {"start", "end", "time_zone"}
        if moving and locked.registrations.active().exists():
            raise ValidationError(
                {
                    sorted(moving)[0]: _(
                        "People are registered: change the dates through a change of schedule, so that they are told."
                    )
                }
            )
        if changed & CALENDAR_FIELDS or ("status" in changed):
            fields["ical_sequence"] = locked.ical_sequence + 1
        fields["updated_at"] = timezone.now()
        meeting = save_audited(
            actor=actor,
            obj=locked,
            changes=fields,
            verb=gettext_noop("change meeting"),
            dialogue_id=locked.dialogue_id,
        )
        if host_states is not None:
            meeting.host_states.set(list(host_states))
        if changed & SEAT_FIELDS:
            promote_waiting_list(actor=actor, meeting=meeting, locked=True)
    return meeting


def _differs(old: Any, new: Any) -> bool:
    if hasattr(old, "pk") and not hasattr(new, "pk"):
        return old.pk != new
    return bool(old != new)


def _refuse_read_only(fields: dict[str, Any]) -> None:
    bad = sorted(set(fields) & READ_ONLY)
    if bad:
        raise ValidationError({bad[0]: _("This field is set by the platform.")})


def set_state_quota(
    *, actor: Any, meeting: Meeting, country: Country, seats: int | None
) -> StateQuota | None:
    """Give one state its own number of seats (``None`` removes the override).

    Refuses a quota above the meeting's capacity. A raised quota promotes from the waiting list.
    """
    require_secretariat(actor, meeting.dialogue_id)
    with transaction.atomic():
        locked = lock_meeting(meeting.pk)
        existing = StateQuota.objects.filter(meeting=locked, country=country).first()
        if seats is None:
            if existing is not None:
                delete_audited(
                    actor=actor,
                    obj=existing,
                    verb=gettext_noop("remove state quota"),
                    dialogue_id=locked.dialogue_id,
                )
            promote_waiting_list(actor=actor, meeting=locked, locked=True)
            return None
        if seats < 0:
            raise ValidationError({"seats": _("Enter a number of seats of 0 or more.")})
        quota = save_audited(
            actor=actor,
            obj=existing or StateQuota(meeting=locked, country=country),
            changes={"seats": seats},
            verb=gettext_noop("set state quota"),
            dialogue_id=locked.dialogue_id,
        )
        promote_waiting_list(actor=actor, meeting=locked, locked=True)
    return quota


# Agenda ------------------------------------------------------------------------------------


def save_agenda_day(
    *,
    actor: Any,
    meeting: Meeting,
    date: datetime.date,
    title: Any = None,
    day: AgendaDay | None = None,
) -> AgendaDay:
    """Add a day to the agenda (or change one); the date must be one of the meeting's days."""
    require_secretariat(actor, meeting.dialogue_id)
    if date not in meeting.local_dates():
        raise ValidationError({"date": _("This day is not within the meeting's dates.")})
    changes: dict[str, Any] = {"date": date}
    if title is not None:
        changes["title"] = title
    return save_audited(
        actor=actor,
        obj=day or AgendaDay(meeting=meeting),
        changes=changes,
        verb=gettext_noop("save agenda day"),
        dialogue_id=meeting.dialogue_id,
    )


def save_agenda_session(
    *,
    actor: Any,
    meeting: Meeting,
    day: AgendaDay,
    start_time: datetime.time,
    title: Any,
    end_time: datetime.time | None = None,
    session: AgendaSession | None = None,
    chairs: Iterable[Any] | None = None,
    speakers: Iterable[Any] | None = None,
    **fields: Any,
) -> AgendaSession:
    """Add or change a session; times are wall-clock times in the meeting's time zone.

    ``fields`` may set ``description``, ``room``, ``order`` and ``access_level`` (default:
    the meeting's).
    """
    require_secretariat(actor, meeting.dialogue_id)
    changes = {"day": day, "start_time": start_time, "end_time": end_time, "title": title, **fields}
    with transaction.atomic():
        session = save_audited(
            actor=actor,
            obj=session or AgendaSession(meeting=meeting),
            changes=changes,
            verb=gettext_noop("save session"),
            dialogue_id=meeting.dialogue_id,
        )
        if chairs is not None:
            session.chairs.set(list(chairs))
        if speakers is not None:
            session.speakers.set(list(speakers))
    return session


def delete_agenda_session(*, actor: Any, session: AgendaSession) -> None:
    require_secretariat(actor, session.meeting.dialogue_id)
    delete_audited(
        actor=actor,
        obj=session,
        verb=gettext_noop("remove session"),
        dialogue_id=session.meeting.dialogue_id,
    )


# Documents and files -------------------------------------------------------------------------


def save_meeting_document(
    *,
    actor: Any,
    meeting: Meeting,
    title: Any,
    document: MeetingDocument | None = None,
    **fields: Any,
) -> MeetingDocument:
    """Add or change a document of a meeting. ``fields``: ``kind``, ``session``,
    ``description``, ``order``, ``access_level`` (default: inherit the meeting's)."""
    require_secretariat(actor, meeting.dialogue_id)
    return save_audited(
        actor=actor,
        obj=document or MeetingDocument(meeting=meeting),
        changes={"title": title, **fields},
        verb=gettext_noop("save meeting document"),
        dialogue_id=meeting.dialogue_id,
    )


def attach_meeting_file(
    *, actor: Any, document: MeetingDocument, language: str, upload: Any
) -> MeetingFile:
    """Store the ``language`` version of a document, replacing an earlier one.

    The type is checked from the content (PDF, DOCX/XLSX/PPTX, ODT/ODS/ODP, PNG, JPEG) and must
    match the file's name; the size is limited. Files are stored privately and only ever
    streamed through ``open_meeting_file``.
    """
    meeting = document.meeting
    require_secretariat(actor, meeting.dialogue_id)
    languages = {c for c, _n in settings.LANGUAGES} | set(meeting.dialogue.languages)
    if language not in languages:
        raise ValidationError({"language": _("Choose one of the dialogue's languages.")})
    checked = check_upload(upload)
    old_name: str | None = None
    stored: MeetingFile | None = None
    with transaction.atomic():
        existing = (
            MeetingFile.objects.select_for_update()
            .filter(document=document, language=language)
            .first()
        )
        record = existing or MeetingFile(document=document, language=language)
        before = audit.snapshot(existing) if existing else None
        old_name = existing.file.name if existing else None
        record.original_name = checked.name
        record.content_type = checked.content_type
        record.size = checked.size
        record.sha256 = checked.sha256
        record.uploaded_by = actor if getattr(actor, "is_authenticated", False) else None
        record.uploaded_at = timezone.now()
        record.file.save(checked.name, upload, save=False)
        try:
            record.save()
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE if existing else AuditEntry.Action.CREATE,
                obj=record,
                before=before,
                after=audit.snapshot(record),
                verb=gettext_noop("attach meeting file"),
                dialogue_id=meeting.dialogue_id,
            )
        except Exception:
            default_storage.delete(record.file.name)
            raise
        stored = record
        new_name = record.file.name
        transaction.on_commit(lambda: _delete_stored(old_name, keep=new_name))
    return stored


def _delete_stored(name: str | None, *, keep: str | None = None) -> None:
    if name and name != keep:
        default_storage.delete(name)


def delete_meeting_document(*, actor: Any, document: MeetingDocument) -> None:
    """Remove a document with all its language files (the stored files go after the commit)."""
    require_secretariat(actor, document.meeting.dialogue_id)
    names = list(document.files.values_list("file", flat=True))
    with transaction.atomic():
        delete_audited(
            actor=actor,
            obj=document,
            verb=gettext_noop("remove meeting document"),
            dialogue_id=document.meeting.dialogue_id,
        )
        transaction.on_commit(lambda: _delete_all(names))


def _delete_all(names: list[str]) -> None:
    for name in names:
        _delete_stored(name)


def open_meeting_file(*, user: Any, file_id: int | str) -> MeetingFile:
    """The file, for a view to stream, if ``user`` may see its document; ``Http404`` otherwise.

    Open it with ``record.file.open("rb")``; send ``record.content_type`` and
    ``record.original_name``. Missing and forbidden look the same.
    """
    try:
        record = MeetingFile.objects.select_related(
            "document", "document__meeting", "document__meeting__dialogue"
        ).get(pk=file_id)
    except (MeetingFile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not access.can_view(user, record.document):
        raise Http404
    return record


# Minutes -----------------------------------------------------------------------------------


def save_minutes(
    *, actor: Any, meeting: Meeting, text: Any, note: str = "", access_level: str | None = None
) -> MinutesRevision:
    """Save the minutes as a new revision; earlier revisions are kept as history."""
    require_secretariat(actor, meeting.dialogue_id)
    with transaction.atomic():
        minutes, _created = MeetingMinutes.objects.select_for_update().get_or_create(
            meeting=meeting, defaults={"access_level": access_level or AccessLevel.INHERIT}
        )
        if access_level and minutes.access_level != access_level:
            minutes.access_level = access_level
            minutes.full_clean()
            minutes.save(update_fields=["access_level"])
        last = minutes.revisions.order_by("-number").values_list("number", flat=True).first()
        revision = MinutesRevision(
            minutes=minutes,
            number=(last or 0) + 1,
            text=text,
            note=note,
            author=actor if getattr(actor, "is_authenticated", False) else None,
        )
        revision.full_clean()
        revision.save()
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=revision,
            after=audit.snapshot(revision),
            verb=gettext_noop("save minutes"),
            dialogue_id=meeting.dialogue_id,
        )
    return revision


# Private calendar feeds -------------------------------------------------------------------------


def calendar_feed_for(*, user: Any) -> CalendarFeed:
    """The account's private calendar feed (created on first use)."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.get_or_create(user=user)
        if created:
            audit.record(
                actor=user,
                action=AuditEntry.Action.CREATE,
                obj=feed,
                verb=gettext_noop("create calendar feed"),
            )
    return feed


def rotate_calendar_feed(*, user: Any) -> CalendarFeed:
    """Give the feed a new secret address; the old one stops working at once."""
    with transaction.atomic():
        feed, _created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        feed.token = new_feed_token()
        feed.save(update_fields=["token"])
        audit.record(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            obj=feed,
            verb=gettext_noop("renew calendar feed"),
        )
    return feed


def registered_meeting_ids(*, user: Any) -> set[int]:
    """Meetings the account is registered for (not rejected or withdrawn)."""
    return set(
        Registration.objects.filter(
            user_id=user.pk, status__in=Registration.ACTIVE_STATUSES
        ).values_list("meeting_id", flat=True)
    )
