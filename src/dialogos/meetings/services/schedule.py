"""Changes of schedule: reschedule, postpone, move online or cancel one meeting or many.

One call is one ``ScheduleDecision``: it changes every chosen meeting, writes one
``ScheduleChange`` per meeting (the history on the meeting page), raises each meeting's
iCalendar SEQUENCE, prepares a draft announcement for the news, and queues — in the same
transaction — exactly one e-mail per person concerned: every active registrant of the changed
meetings and every focal point of the dialogue's participating states, in their own language,
with the updated calendar entries attached (METHOD:CANCEL for cancellations). A worker sends them
after the commit (see ``services.notifications``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dialogos.core import access, audit
from dialogos.core.i18n import TranslatedText, to_translated
from dialogos.core.models import AccessLevel, AuditEntry
from dialogos.dialogues.models import Participation
from dialogos.meetings.models import (
    Meeting,
    MeetingQuerySet,
    Notification,
    Registration,
    ScheduleAction,
    ScheduleChange,
    ScheduleDecision,
)
from dialogos.meetings.services import notifications
from dialogos.meetings.services._base import aware, require_secretariat
from dialogos.people.models import Role

# Meetings whose schedule can still change.
CHANGEABLE_STATUSES = (
    Meeting.Status.PLANNED,
    Meeting.Status.CONFIRMED,
    Meeting.Status.POSTPONED,
    Meeting.Status.RESCHEDULED,
    Meeting.Status.MOVED_ONLINE,
)
NEW_STATUS = {
    ScheduleAction.RESCHEDULE: Meeting.Status.RESCHEDULED,
    ScheduleAction.POSTPONE: Meeting.Status.POSTPONED,
    ScheduleAction.MOVE_ONLINE: Meeting.Status.MOVED_ONLINE,
    ScheduleAction.CANCEL: Meeting.Status.CANCELLED,
}

# The audit verbs built from an action, for the message catalogue.
_AUDIT_VERBS = [
    gettext_noop("reschedule meeting"),
    gettext_noop("reschedule meetings"),
    gettext_noop("postpone meeting"),
    gettext_noop("postpone meetings"),
    gettext_noop("move_online meeting"),
    gettext_noop("move_online meetings"),
    gettext_noop("cancel meeting"),
    gettext_noop("cancel meetings"),
]


def select_meetings_for_change(
    *,
    dialogue: Any,
    start_from: datetime.datetime | None = None,
    start_before: datetime.datetime | None = None,
    formats: Sequence[str] = (),
    statuses: Sequence[str] = (),
) -> MeetingQuerySet:
    """The meetings a mass change would touch (for the page's preview), soonest first.

    For example every in-person meeting before 1 July: ``formats=["in_person"],
    start_before=<1 July>``. Without ``statuses``, every meeting whose schedule can still change.
    """
    qs = Meeting.objects.filter(
        dialogue=dialogue, status__in=list(statuses) or list(CHANGEABLE_STATUSES)
    ).starting_between(start_from, start_before)
    if formats:
        qs = qs.in_format(*formats)
    return qs.order_by("start", "pk")


def change_meeting_schedule(
    *,
    actor: Any,
    meeting: Meeting,
    action: str,
    reason: Any,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    online_url: str = "",
) -> ScheduleDecision:
    """Reschedule (new ``start``/``end``; naive values are in the meeting's zone), postpone,
    move online (optionally with its ``online_url``) or cancel one meeting."""
    return _apply(
        actor=actor,
        dialogue=meeting.dialogue,
        meeting_ids=[meeting.pk],
        action=action,
        reason=reason,
        start=start,
        end=end,
        shift=None,
        online_url=online_url,
        selection={"meetings": [meeting.pk]},
        explicit=True,
    )


def reschedule_meetings(
    *,
    actor: Any,
    dialogue: Any,
    action: str,
    reason: Any,
    meetings: Iterable[Meeting] | None = None,
    start_from: datetime.datetime | None = None,
    start_before: datetime.datetime | None = None,
    formats: Sequence[str] = (),
    statuses: Sequence[str] = (),
    shift: datetime.timedelta | None = None,
    online_url: str = "",
) -> ScheduleDecision:
    """Change many meetings of one dialogue in one step, e.g. postpone every in-person meeting
    before 1 July. Choose them by ``meetings`` or by the criteria of
    ``select_meetings_for_change``. Rescheduling many meetings moves each by ``shift``.
    ``reason`` must be given in each of the dialogue's languages."""
    if meetings is not None:
        ids = [m.pk for m in meetings]
        selection: dict[str, Any] = {"meetings": ids}
        explicit = True
    else:
        chosen = select_meetings_for_change(
            dialogue=dialogue,
            start_from=start_from,
            start_before=start_before,
            formats=formats,
            statuses=statuses,
        )
        if action == ScheduleAction.MOVE_ONLINE:
            chosen = chosen.exclude(format=Meeting.Format.ONLINE)
        ids = list(chosen.values_list("pk", flat=True))
        selection = {
            "start_from": start_from.isoformat() if start_from else None,
            "start_before": start_before.isoformat() if start_before else None,
            "formats": list(formats),
            "statuses": list(statuses),
        }
        explicit = False
    if shift is not None:
        selection["shift_seconds"] = int(shift.total_seconds())
    return _apply(
        actor=actor,
        dialogue=dialogue,
        meeting_ids=ids,
        action=action,
        reason=reason,
        start=None,
        end=None,
        shift=shift,
        online_url=online_url,
        selection=selection,
        explicit=explicit,
    )


def _clean_reason(dialogue: Any, reason: Any) -> TranslatedText:
    text = to_translated(reason)
    text = TranslatedText({k: v.strip() for k, v in text.items() if v and v.strip()})
    interface = {code for code, _n in settings.LANGUAGES}
    unknown = sorted(set(text) - interface)
    if unknown:
        raise ValidationError(
            {"reason": _("Unknown language code: %(codes)s") % {"codes": ", ".join(unknown)}}
        )
    needed = [code for code in dialogue.languages if code in interface]
    missing = [code for code in needed if not text.get(code)]
    if missing:
        names = dict(settings.LANGUAGES)
        raise ValidationError(
            {
                "reason": _(
                    "Give the reason in every language of the dialogue; missing: %(languages)s."
                )
                % {"languages": ", ".join(str(names[c]) for c in missing)}
            }
        )
    return text


def _apply(
    *,
    actor: Any,
    dialogue: Any,
    meeting_ids: list[int],
    action: str,
    reason: Any,
    start: datetime.datetime | None,
    end: datetime.datetime | None,
    shift: datetime.timedelta | None,
    online_url: str,
    selection: dict[str, Any],
    explicit: bool,
) -> ScheduleDecision:
    require_secretariat(actor, dialogue.pk)
    if action not in ScheduleAction.values:
        raise ValidationError({"action": _("Choose reschedule, postpone, move online or cancel.")})
    reason_text = _clean_reason(dialogue, reason)
    if not meeting_ids:
        raise ValidationError({"meetings": _("No meeting matches this choice.")})
    now = timezone.now()
    with transaction.atomic():
        meetings = list(
            Meeting.objects.select_for_update(of=("self",))
            .filter(pk__in=meeting_ids)
            .select_related("country")
            .order_by("start", "pk")
        )
        if len(meetings) != len(set(meeting_ids)):
            raise ValidationError({"meetings": _("Some of these meetings no longer exist.")})
        for m in meetings:
            if m.dialogue_id != dialogue.pk:
                raise ValidationError(
                    {"meetings": _("All meetings must belong to the same dialogue.")}
                )
            if m.status not in CHANGEABLE_STATUSES:
                raise ValidationError(
                    {
                        "meetings": _(
                            "“%(meeting)s” is %(status)s: its schedule can no longer change."
                        )
                        % {"meeting": m, "status": m.get_status_display().lower()}
                    }
                )
            if (
                action == ScheduleAction.MOVE_ONLINE
                and m.format == Meeting.Format.ONLINE
                and explicit
            ):
                raise ValidationError(
                    {"action": _("“%(meeting)s” is already online.") % {"meeting": m}}
                )
        new_dates = _new_dates(action, meetings, start=start, end=end, shift=shift)

        decision = ScheduleDecision.objects.create(
            dialogue=dialogue,
            action=action,
            reason=reason_text,
            selection=selection,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=now,
        )
        changes = []
        for m in meetings:
            old = (m.start, m.end, m.status, m.format)
            m.start, m.end = new_dates.get(m.pk, (m.start, m.end))
            m.status = NEW_STATUS[ScheduleAction(action)]
            if action == ScheduleAction.MOVE_ONLINE:
                m.format = Meeting.Format.ONLINE
                if online_url:
                    m.online_url = online_url
            m.ical_sequence += 1
            m.updated_at = now
            changes.append(
                ScheduleChange(
                    decision=decision,
                    meeting=m,
                    action=action,
                    old_start=old[0],
                    old_end=old[1],
                    old_status=old[2],
                    old_format=old[3],
                    new_start=m.start,
                    new_end=m.end,
                    new_status=m.status,
                    new_format=m.format,
                    sequence=m.ical_sequence,
                    created_at=now,
                )
            )
        _write_meetings(action, meetings, new_dates, shift=shift, online_url=online_url, now=now)
        ScheduleChange.objects.bulk_create(changes, batch_size=500)
        decision.announcement = _draft_announcement(decision, changes)
        decision.save(update_fields=["announcement"])
        _queue_notifications(decision, meetings)
        _audit(actor, decision, changes)
    return decision


def _write_meetings(
    action: str,
    meetings: list[Meeting],
    new_dates: dict[int, tuple[datetime.datetime, datetime.datetime]],
    *,
    shift: datetime.timedelta | None,
    online_url: str,
    now: datetime.datetime,
) -> None:
    """One UPDATE for all meetings (a CASE per row and field would be slow for hundreds)."""
    values: dict[str, Any] = {
        "status": NEW_STATUS[ScheduleAction(action)],
        "ical_sequence": F("ical_sequence") + 1,
        "updated_at": now,
    }
    if action == ScheduleAction.MOVE_ONLINE:
        values["format"] = Meeting.Format.ONLINE
        if online_url:
            values["online_url"] = online_url
    ids = [m.pk for m in meetings]
    if new_dates and shift is None:
        for pk, (start, end) in new_dates.items():
            Meeting.objects.filter(pk=pk).update(start=start, end=end, **values)
        return
    if new_dates and shift is not None:
        values["start"] = F("start") + shift
        values["end"] = F("end") + shift
    Meeting.objects.filter(pk__in=ids).update(**values)


def _new_dates(
    action: str,
    meetings: list[Meeting],
    *,
    start: datetime.datetime | None,
    end: datetime.datetime | None,
    shift: datetime.timedelta | None,
) -> dict[int, tuple[datetime.datetime, datetime.datetime]]:
    if action != ScheduleAction.RESCHEDULE:
        return {}
    if start is not None or end is not None:
        if len(meetings) != 1:
            raise ValidationError(
                {
                    "start": _(
                        "Give new dates for one meeting at a time, or move them all by the same interval."
                    )
                }
            )
        m = meetings[0]
        if start is None or end is None:
            raise ValidationError(
                {"start" if start is None else "end": _("Give the new start and end.")}
            )
        new_start = aware(start, m.time_zone, field="start")
        new_end = aware(end, m.time_zone, field="end")
        if new_end <= new_start:
            raise ValidationError({"end": _("The meeting must end after it starts.")})
        if new_start == m.start and new_end == m.end:
            raise ValidationError({"start": _("These are the meeting's current dates.")})
        return {m.pk: (new_start, new_end)}
    if not shift:
        raise ValidationError(
            {"shift": _("Say by how long to move the meetings, or give new dates for one meeting.")}
        )
    return {m.pk: (m.start + shift, m.end + shift) for m in meetings}


def _draft_announcement(
    decision: ScheduleDecision, changes: list[ScheduleChange]
) -> TranslatedText:
    dialogue = decision.dialogue
    interface = {code for code, _n in settings.LANGUAGES}
    text = TranslatedText()
    for code in dialogue.languages:
        if code not in interface:
            continue
        with translation.override(code):
            items = [
                {
                    "change": c,
                    "title": c.meeting.title.get_text(code),
                    "city": c.meeting.city.get_text(code),
                }
                for c in changes
            ]
            text[code] = render_to_string(
                "meetings/email/announcement.txt",
                {
                    "decision": decision,
                    "dialogue": dialogue,
                    "items": items,
                    "reason": decision.reason.get_text(code),
                },
            ).strip()
    return text


def _queue_notifications(decision: ScheduleDecision, meetings: list[Meeting]) -> int:
    """One outbox row per person concerned, listing every changed meeting that concerns them."""
    dialogue = decision.dialogue
    ids = [m.pk for m in meetings]
    main_language = dialogue.main_language
    recipients: dict[str, dict[str, Any]] = {}

    def add(
        key: str,
        email: str,
        language: str,
        user_id: int | None,
        meeting_ids: Iterable[int],
        *,
        registered: bool,
    ) -> None:
        entry = recipients.setdefault(
            key,
            {
                "email": email,
                "language": language,
                "user_id": user_id,
                "meetings": set(),
                "registered": set(),
            },
        )
        entry["meetings"].update(meeting_ids)
        if registered:
            entry["registered"].update(meeting_ids)

    rows = Registration.objects.filter(
        meeting_id__in=ids, status__in=Registration.ACTIVE_STATUSES
    ).values_list(
        "meeting_id", "user_id", "user__email", "user__language", "user__is_active", "person__email"
    )
    for meeting_id, user_id, user_email, user_language, user_active, person_email in rows.iterator(
        chunk_size=2000
    ):
        if user_id is not None and user_active:
            add(f"u{user_id}", user_email, user_language, user_id, [meeting_id], registered=True)
        elif person_email:
            add(
                f"e{person_email.strip().lower()}",
                person_email.strip(),
                main_language,
                None,
                [meeting_id],
                registered=True,
            )

    states = (
        Participation.objects.filter(dialogue=dialogue, country__isnull=False)
        .current()
        .values("country_id")
    )
    focal_points = {
        grant.user_id: grant.user
        for grant in Role.objects.active()
        .filter(
            dialogue=dialogue, role=access.FOCAL_POINT, country_id__in=states, user__is_active=True
        )
        .select_related("user")
    }
    candidates = Meeting.objects.filter(pk__in=ids)
    # Without group-level meetings what one sees depends only on one's roles, so focal points
    # with the same roles share one answer (one query instead of one per focal point).
    per_person = candidates.filter(access_level=AccessLevel.GROUP).exists()
    seen: dict[Any, list[int]] = {}
    for user in focal_points.values():
        who = access.principal(user)
        key: Any = user.pk if per_person else (who.member_of, who.secretariat_of, who.is_operator)
        if key not in seen:
            seen[key] = list(access.visible(user, candidates).values_list("pk", flat=True))
        visible_ids = seen[key]
        if visible_ids:
            add(f"u{user.pk}", user.email, user.language, user.pk, visible_ids, registered=False)

    items = [
        notifications.Outgoing(
            key=f"schedule:{decision.pk}:{key}",
            kind=Notification.Kind.SCHEDULE_CHANGE,
            email=entry["email"],
            language=entry["language"],
            meeting_id=min(entry["meetings"]) if len(entry["meetings"]) == 1 else None,
            user_id=entry["user_id"],
            payload={
                "decision": decision.pk,
                "meetings": sorted(entry["meetings"]),
                # Only where they are registered may they learn the link to join online.
                "registered": sorted(entry["registered"]),
            },
        )
        for key, entry in recipients.items()
    ]
    return notifications.queue(items)


def _audit(actor: Any, decision: ScheduleDecision, changes: list[ScheduleChange]) -> None:
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=decision,
        after=audit.snapshot(decision),
        verb=f"{decision.action} meetings",
        dialogue_id=decision.dialogue_id,
    )
    audit.record_many(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        entries=[
            {
                "obj": change.meeting,
                "before": {
                    "start": change.old_start.isoformat(),
                    "end": change.old_end.isoformat(),
                    "status": change.old_status,
                    "format": change.old_format,
                },
                "after": {
                    "start": change.new_start.isoformat(),
                    "end": change.new_end.isoformat(),
                    "status": change.new_status,
                    "format": change.new_format,
                    "ical_sequence": change.sequence,
                },
                "verb": f"{decision.action} meeting",
                "dialogue_id": decision.dialogue_id,
            }
            for change in changes
        ],
    )


def schedule_history(meeting: Meeting) -> list[ScheduleChange]:
    """The meeting's changes of schedule, latest first, with their decisions (reason)."""
    return list(meeting.schedule_changes.select_related("decision").order_by("-created_at", "-pk"))
