"""Registrations: nominations, applications, decisions, the waiting list, attendance,
credentials, the list of participants, statistics and exports.

Seats
-----
A registration that is pending, confirmed, attended or no-show holds a seat: it counts against
the meeting's capacity and its state's (or organisation's) quota. Every write that may take or
free a seat first locks the meeting row (``SELECT … FOR UPDATE``; SQLite's immediate
transactions serialise writers) and only then counts, so capacity and quotas hold under any
number of concurrent requests. When a seat frees, ``promote_waiting_list`` moves the first
waiting registrations whose quota allows into it, in order, each told once.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from dialogos.core import access, audit
from dialogos.core.models import AuditEntry, Country
from dialogos.meetings.files import check_upload
from dialogos.meetings.models import (
    Credentials,
    Meeting,
    Notification,
    Registration,
)
from dialogos.meetings.services import notifications
from dialogos.meetings.services._base import (
    is_secretariat,
    lock_meeting,
    require_secretariat,
    retry_when_locked,
)
from dialogos.people.models import Person

Status = Registration.Status
EDITABLE_FIELDS = {
    "delegation_role",
    "visibility",
    "needs_access",
    "needs_diet",
    "needs_visa_letter",
}


# Seat counting (under the meeting lock) -------------------------------------------------------


@dataclass
class _Seats:
    meeting: Meeting
    total: int = 0
    by_country: Counter[str] = field(default_factory=Counter)
    by_organisation: Counter[int] = field(default_factory=Counter)
    overrides: dict[str, int] = field(default_factory=dict)

    @classmethod
    def count(cls, meeting: Meeting) -> _Seats:
        seats = cls(
            meeting, overrides=dict(meeting.state_quotas.values_list("country_id", "seats"))
        )
        rows = (
            Registration.objects.filter(meeting=meeting, status__in=Registration.SEAT_STATUSES)
            .values("country_id", "organisation_id")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            seats.total += row["n"]
            if row["country_id"]:
                seats.by_country[row["country_id"]] += row["n"]
            if row["organisation_id"]:
                seats.by_organisation[row["organisation_id"]] += row["n"]
        return seats

    def has_room(self, country_id: str | None, organisation_id: int | None) -> bool:
        m = self.meeting
        if m.capacity is not None and self.total >= m.capacity:
            return False
        if country_id:
            quota = m.quota_for_state(country_id, self.overrides)
            if quota is not None and self.by_country[country_id] >= quota:
                return False
        return not (
            organisation_id
            and m.seats_per_organisation is not None
            and self.by_organisation[organisation_id] >= m.seats_per_organisation
        )

    def take(self, country_id: str | None, organisation_id: int | None) -> None:
        self.total += 1
        if country_id:
            self.by_country[country_id] += 1
        if organisation_id:
            self.by_organisation[organisation_id] += 1

    def is_full(self) -> bool:
        m = self.meeting
        return m.capacity is not None and self.total >= m.capacity


def seats_summary(meeting: Meeting) -> dict[str, Any]:
    """Seats taken and free, overall and per state, for the secretariat's pages."""
    seats = _Seats.count(meeting)
    per_state = {}
    for code in sorted(set(seats.by_country) | set(seats.overrides)):
        quota = meeting.quota_for_state(code, seats.overrides)
        per_state[code] = {"taken": seats.by_country[code], "quota": quota}
    waiting = Registration.objects.filter(meeting=meeting, status=Status.WAITING).count()
    return {
        "capacity": meeting.capacity,
        "taken": seats.total,
        "free": None if meeting.capacity is None else max(meeting.capacity - seats.total, 0),
        "waiting": waiting,
        "per_state": per_state,
    }


def _next_waiting_position(meeting: Meeting) -> int:
    top = Registration.objects.filter(meeting=meeting).aggregate(m=Max("waiting_position"))["m"]
    return (top or 0) + 1


def _seat_status(meeting: Meeting, channel: str) -> str:
    if channel == Registration.Channel.SECRETARIAT or not meeting.requires_approval:
        return Status.CONFIRMED
    return Status.PENDING


def _notify(
    registration: Registration, kind: str, *, key: str | None = None, **payload: Any
) -> None:
    email, language = registration.recipient()
    notifications.queue(
        [
            notifications.Outgoing(
                key=key or f"{kind}:{registration.pk}",
                kind=kind,
                email=email,
                language=language,
                meeting_id=registration.meeting_id,
                user_id=registration.user_id,
                payload={"registration": registration.pk, **payload},
            )
        ]
    )


def _notify_new_status(registration: Registration) -> None:
    kind = {
        Status.CONFIRMED: Notification.Kind.CONFIRMED,
        Status.PENDING: Notification.Kind.RECEIVED,
        Status.WAITING: Notification.Kind.WAITING,
    }[Status(registration.status)]
    _notify(registration, kind)


def _audit(
    actor: Any, registration: Registration, verb: str, before: dict[str, Any] | None
) -> None:
    audit.record(
        actor=actor,
        action=AuditEntry.Action.UPDATE if before else AuditEntry.Action.CREATE,
        obj=registration,
        before=before,
        after=audit.snapshot(registration),
        verb=verb,
        dialogue_id=registration.meeting.dialogue_id,
    )


# Creating registrations -------------------------------------------------------------------


@retry_when_locked
def _register(
    *,
    actor: Any,
    meeting: Meeting,
    person: Person,
    channel: str,
    country: Country | None,
    organisation: Any,
    delegation_role: str,
    visibility: str,
    needs_access: str,
    needs_diet: str,
    needs_visa_letter: bool,
    check_window: bool,
) -> Registration:
    with transaction.atomic():
        locked = lock_meeting(meeting.pk)
        if (
            locked.registration_mode == Meeting.RegistrationMode.NONE
            and channel != Registration.Channel.SECRETARIAT
        ):
            raise ValidationError(
                {"meeting": _("This meeting takes no registrations on the platform.")}
            )
        if locked.status in {Meeting.Status.CANCELLED, Meeting.Status.HELD}:
            raise ValidationError(
                {
                    "meeting": _("This meeting is %(status)s: it takes no registrations.")
                    % {"status": locked.get_status_display().lower()}
                }
            )
        if check_window and not locked.is_open_for_registration():
            raise ValidationError({"meeting": _("Registration for this meeting is not open.")})
        if country is not None and organisation is not None:
            raise ValidationError(
                {
                    "organisation": _(
                        "A registration represents a state or an organisation, not both."
                    )
                }
            )
        if Registration.objects.filter(
            meeting=locked, person=person, status__in=Registration.ACTIVE_STATUSES
        ).exists():
            raise ValidationError(
                {
                    "person": _("%(person)s is already registered for this meeting.")
                    % {"person": person}
                }
            )
        if (
            delegation_role == Registration.DelegationRole.HEAD
            and country is not None
            and Registration.objects.filter(
                meeting=locked,
                country=country,
                delegation_role=Registration.DelegationRole.HEAD,
                status__in=Registration.ACTIVE_STATUSES,
            ).exists()
        ):
            raise ValidationError(
                {
                    "delegation_role": _(
                        "%(state)s already has a head of delegation for this meeting."
                    )
                    % {"state": country}
                }
            )
        seats = _Seats.count(locked)
        registration = Registration(
            meeting=locked,
            person=person,
            user=person.user,
            country=country,
            organisation=organisation,
            delegation_role=delegation_role,
            channel=channel,
            visibility=visibility,
            needs_access=needs_access.strip(),
            needs_diet=needs_diet.strip(),
            needs_visa_letter=needs_visa_letter,
            nominated_by=actor if channel == Registration.Channel.NOMINATION else None,
        )
        org_id = organisation.pk if organisation is not None else None
        if seats.has_room(country.pk if country else None, org_id):
            registration.status = _seat_status(locked, channel)
        else:
            registration.status = Status.WAITING
            registration.waiting_position = _next_waiting_position(locked)
        if registration.status == Status.CONFIRMED and channel == Registration.Channel.SECRETARIAT:
            registration.decided_by = actor
            registration.decided_at = timezone.now()
        registration.full_clean(exclude=["person", "user", "meeting"])
        registration.save()
        _audit(actor, registration, "register for meeting", None)
        _notify_new_status(registration)
    return registration


def nominable_countries(*, user: Any, meeting: Meeting) -> set[str]:
    """State codes for which ``user`` may nominate delegates to ``meeting`` (all: ``{"*"}``)."""
    who = access.principal(user)
    if who.is_secretariat(meeting.dialogue_id):
        return {"*"}
    return who.countries(meeting.dialogue_id, access.FOCAL_POINT)


def nominate_delegate(
    *,
    actor: Any,
    meeting: Meeting,
    person: Person,
    country: Country,
    delegation_role: str = Registration.DelegationRole.DELEGATE,
    visibility: str = Registration.Visibility.PARTICIPANTS,
    needs_access: str = "",
    needs_diet: str = "",
    needs_visa_letter: bool = False,
) -> Registration:
    """A focal point nominates a delegate of his own state (the secretariat: of any state).

    The registration holds a seat when the capacity and the state's quota allow (pending when
    the meeting needs approval), and goes on the waiting list otherwise.
    """
    allowed = nominable_countries(user=actor, meeting=meeting)
    if "*" not in allowed and country.pk not in allowed:
        raise PermissionDenied(
            _("You may nominate delegates only for the state you are focal point of.")
        )
    secretariat = "*" in allowed
    return _register(
        actor=actor,
        meeting=meeting,
        person=person,
        channel=Registration.Channel.SECRETARIAT
        if secretariat
        else Registration.Channel.NOMINATION,
        country=country,
        organisation=None,
        delegation_role=delegation_role,
        visibility=visibility,
        needs_access=needs_access,
        needs_diet=needs_diet,
        needs_visa_letter=needs_visa_letter,
        check_window=not secretariat,
    )


def add_registration(
    *,
    actor: Any,
    meeting: Meeting,
    person: Person,
    country: Country | None = None,
    organisation: Any = None,
    delegation_role: str = Registration.DelegationRole.DELEGATE,
    visibility: str = Registration.Visibility.PARTICIPANTS,
    needs_access: str = "",
    needs_diet: str = "",
    needs_visa_letter: bool = False,
) -> Registration:
    """The secretariat registers anyone (a state's delegate, an organisation's, an expert),
    also outside the registration period; confirmed at once when a seat is free."""
    require_secretariat(actor, meeting.dialogue_id)
    return _register(
        actor=actor,
        meeting=meeting,
        person=person,
        channel=Registration.Channel.SECRETARIAT,
        country=country,
        organisation=organisation,
        delegation_role=delegation_role,
        visibility=visibility,
        needs_access=needs_access,
        needs_diet=needs_diet,
        needs_visa_letter=needs_visa_letter,
        check_window=False,
    )


def apply_to_meeting(
    *,
    actor: Any,
    meeting: Meeting,
    organisation: Any = None,
    delegation_role: str = Registration.DelegationRole.EXPERT,
    visibility: str = Registration.Visibility.PARTICIPANTS,
    needs_access: str = "",
    needs_diet: str = "",
    needs_visa_letter: bool = False,
) -> Registration:
    """The signed-in person applies for themselves, where the meeting allows it.

    Open meetings take anyone with an account and a person record; members-only meetings take
    members of the dialogue; invitation-only meetings take nominations only. The applicant
    counts against the quota of the state on their person record.
    """
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to apply."))
    person = Person.objects.filter(user=actor).select_related("country").first()
    if person is None:
        raise ValidationError(
            {"person": _("Complete your profile (your name and country) before applying.")}
        )
    mode = meeting.registration_mode
    if mode in {Meeting.RegistrationMode.INVITATION, Meeting.RegistrationMode.NONE}:
        raise ValidationError(
            {
                "registration_mode": _(
                    "This meeting is by invitation: ask your state's focal point to nominate you."
                )
            }
        )
    if mode == Meeting.RegistrationMode.MEMBERS and not access.principal(actor).is_member(
        meeting.dialogue_id
    ):
        raise ValidationError(
            {"registration_mode": _("Only members of the dialogue may apply for this meeting.")}
        )
    return _register(
        actor=actor,
        meeting=meeting,
        person=person,
        channel=Registration.Channel.APPLICATION,
        country=person.country if organisation is None else None,
        organisation=organisation,
        delegation_role=delegation_role,
        visibility=visibility,
        needs_access=needs_access,
        needs_diet=needs_diet,
        needs_visa_letter=needs_visa_letter,
        check_window=True,
    )


# Decisions and changes -------------------------------------------------------------------------


def _reload(registration: Registration) -> tuple[Meeting, Registration]:
    meeting = lock_meeting(registration.meeting_id)
    fresh = Registration.objects.select_related("person", "person__user", "user").get(
        pk=registration.pk
    )
    fresh.meeting = meeting
    return meeting, fresh


@retry_when_locked
def approve_registration(*, actor: Any, registration: Registration, note: str = "") -> Registration:
    """The secretariat confirms a pending registration (or one on the waiting list, if a seat
    and the state's quota allow). The registrant gets a confirmation with the calendar."""
    require_secretariat(actor, registration.meeting.dialogue_id)
    with transaction.atomic():
        meeting, reg = _reload(registration)
        before = audit.snapshot(reg)
        if reg.status == Status.WAITING:
            if not _Seats.count(meeting).has_room(reg.country_id, reg.organisation_id):
                raise ValidationError(
                    {
                        "status": _(
                            "No seat is free for this registration (capacity or the quota of its state is reached)."
                        )
                    }
                )
        elif reg.status != Status.PENDING:
            raise ValidationError(
                {
                    "status": _(
                        "Only a pending registration or one on the waiting list can be approved; this one is %(status)s."
                    )
                    % {"status": reg.get_status_display().lower()}
                }
            )
        reg.status = Status.CONFIRMED
        reg.waiting_position = None
        reg.decided_by = actor
        reg.decided_at = timezone.now()
        reg.decision_reason = note.strip()
        reg.updated_at = reg.decided_at
        reg.save(
            update_fields=[
                "status",
                "waiting_position",
                "decided_by",
                "decided_at",
                "decision_reason",
                "updated_at",
            ]
        )
        _audit(actor, reg, "approve registration", before)
        _notify(reg, Notification.Kind.CONFIRMED)
    return reg


@retry_when_locked
def reject_registration(*, actor: Any, registration: Registration, reason: str) -> Registration:
    """The secretariat rejects a registration, giving a reason the registrant is told.

    A seat it held goes to the waiting list."""
    require_secretariat(actor, registration.meeting.dialogue_id)
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Give the reason for the rejection; the registrant is told.")}
        )
    with transaction.atomic():
        meeting, reg = _reload(registration)
        before = audit.snapshot(reg)
        if reg.status not in {Status.PENDING, Status.WAITING, Status.CONFIRMED}:
            raise ValidationError(
                {
                    "status": _("This registration is %(status)s: it cannot be rejected.")
                    % {"status": reg.get_status_display().lower()}
                }
            )
        had_seat = reg.status in Registration.SEAT_STATUSES
        was_confirmed = reg.status == Status.CONFIRMED
        reg.status = Status.REJECTED
        reg.waiting_position = None
        reg.decision_reason = reason.strip()
        reg.decided_by = actor
        reg.decided_at = timezone.now()
        reg.updated_at = reg.decided_at
        reg.save(
            update_fields=[
                "status",
                "waiting_position",
                "decision_reason",
                "decided_by",
                "decided_at",
                "updated_at",
            ]
        )
        _audit(actor, reg, "reject registration", before)
        _notify(reg, Notification.Kind.REJECTED, was_confirmed=was_confirmed)
        if had_seat:
            promote_waiting_list(actor=actor, meeting=meeting, locked=True)
    return reg


def _may_act_for(actor: Any, reg: Registration) -> tuple[bool, bool]:
    """(may act at all, acts as secretariat)."""
    who = access.principal(actor)
    dialogue_id = reg.meeting.dialogue_id
    if who.is_secretariat(dialogue_id):
        return True, True
    if who.user_id is not None and who.user_id in {reg.user_id, reg.person.user_id}:
        return True, False
    if reg.country_id and reg.country_id in who.countries(dialogue_id, access.FOCAL_POINT):
        return True, False
    return False, False


@retry_when_locked
def withdraw_registration(*, actor: Any, registration: Registration) -> Registration:
    """The registrant, their state's focal point or the secretariat withdraws a registration.

    Registrants and focal points may do so until the meeting's deadline for changes. A seat it
    held goes to the first on the waiting list whose state's quota allows."""
    with transaction.atomic():
        meeting, reg = _reload(registration)
        allowed, secretariat = _may_act_for(actor, reg)
        if not allowed:
            raise PermissionDenied(_("You may not change this registration."))
        if reg.status not in {Status.PENDING, Status.CONFIRMED, Status.WAITING}:
            raise ValidationError(
                {
                    "status": _("This registration is %(status)s: it cannot be withdrawn.")
                    % {"status": reg.get_status_display().lower()}
                }
            )
        if not secretariat and not reg.can_withdraw():
            raise ValidationError(
                {"status": _("The deadline for withdrawals has passed; write to the secretariat.")}
            )
        before = audit.snapshot(reg)
        had_seat = reg.status in Registration.SEAT_STATUSES
        reg.status = Status.WITHDRAWN
        reg.waiting_position = None
        reg.updated_at = timezone.now()
        reg.save(update_fields=["status", "waiting_position", "updated_at"])
        _audit(actor, reg, "withdraw registration", before)
        if had_seat:
            promote_waiting_list(actor=actor, meeting=meeting, locked=True)
    return reg


@retry_when_locked
def update_registration(*, actor: Any, registration: Registration, **changes: Any) -> Registration:
    """Change a registration's details: role in the delegation, visibility, needs.

    Registrants and their focal point may do so until the deadline for changes; the choice of
    visibility may be changed at any time."""
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            {unknown[0]: _("This detail of a registration cannot be changed here.")}
        )
    with transaction.atomic():
        _meeting, reg = _reload(registration)
        allowed, secretariat = _may_act_for(actor, reg)
        if not allowed:
            raise PermissionDenied(_("You may not change this registration."))
        if reg.status not in Registration.ACTIVE_STATUSES:
            raise ValidationError({"status": _("This registration is no longer active.")})
        if not secretariat and set(changes) - {"visibility"} and not reg.can_withdraw():
            raise ValidationError(
                {"status": _("The deadline for changes has passed; write to the secretariat.")}
            )
        if (
            changes.get("delegation_role") == Registration.DelegationRole.HEAD
            and reg.country_id
            and Registration.objects.filter(
                meeting_id=reg.meeting_id,
                country_id=reg.country_id,
                delegation_role=Registration.DelegationRole.HEAD,
                status__in=Registration.ACTIVE_STATUSES,
            )
            .exclude(pk=reg.pk)
            .exists()
        ):
            raise ValidationError(
                {
                    "delegation_role": _(
                        "%(state)s already has a head of delegation for this meeting."
                    )
                    % {"state": reg.country}
                }
            )
        before = audit.snapshot(reg)
        for name, value in changes.items():
            setattr(
                reg,
                name,
                value.strip() if isinstance(value, str) and name.startswith("needs") else value,
            )
        reg.updated_at = timezone.now()
        reg.full_clean(exclude=["person", "user", "meeting"])
        reg.save(update_fields=[*changes, "updated_at"])
        _audit(actor, reg, "change registration", before)
    return reg


@retry_when_locked
def promote_registration(*, actor: Any, registration: Registration) -> Registration:
    """The secretariat takes one registration off the waiting list, out of turn.

    Refused unless it is on the waiting list and a seat (and its state's quota) is free."""
    require_secretariat(actor, registration.meeting.dialogue_id)
    with transaction.atomic():
        meeting, reg = _reload(registration)
        if reg.status != Status.WAITING:
            raise ValidationError(
                {
                    "status": _(
                        "Only a registration on the waiting list can be promoted; this one is %(status)s."
                    )
                    % {"status": reg.get_status_display().lower()}
                }
            )
        if not _Seats.count(meeting).has_room(reg.country_id, reg.organisation_id):
            raise ValidationError(
                {
                    "status": _(
                        "No seat is free for this registration (capacity or the quota of its state is reached)."
                    )
                }
            )
        _promote(actor, meeting, reg)
    return reg


def _promote(actor: Any, meeting: Meeting, reg: Registration) -> None:
    before = audit.snapshot(reg)
    reg.status = _seat_status(meeting, Registration.Channel.APPLICATION)
    reg.waiting_position = None
    reg.updated_at = timezone.now()
    reg.save(update_fields=["status", "waiting_position", "updated_at"])
    _audit(actor, reg, "promote from waiting list", before)
    # One key per registration: told once, however often promotion is attempted.
    _notify(reg, Notification.Kind.PROMOTED, key=f"promoted:{reg.pk}")


def promote_waiting_list(
    *, actor: Any, meeting: Meeting, locked: bool = False
) -> list[Registration]:
    """Fill free seats from the waiting list, in order, skipping those whose quota is reached.

    Services that free a seat call it inside their transaction (``locked=True`` once they hold
    the meeting lock). Returns the promoted registrations."""
    with transaction.atomic():
        meeting = meeting if locked else lock_meeting(meeting.pk)
        seats = _Seats.count(meeting)
        promoted: list[Registration] = []
        if seats.is_full():
            return promoted
        waiting = (
            Registration.objects.filter(meeting=meeting, status=Status.WAITING)
            .select_related("person", "person__user", "user")
            .order_by("waiting_position", "pk")
        )
        for reg in waiting:
            if seats.is_full():
                break
            if not seats.has_room(reg.country_id, reg.organisation_id):
                continue
            reg.meeting = meeting
            _promote(actor, meeting, reg)
            seats.take(reg.country_id, reg.organisation_id)
            promoted.append(reg)
    return promoted


def record_attendance(*, actor: Any, registration: Registration, attended: bool) -> Registration:
    """The secretariat marks a confirmed participant as attended or not (once the meeting began)."""
    require_secretariat(actor, registration.meeting.dialogue_id)
    with transaction.atomic():
        meeting, reg = _reload(registration)
        if reg.status not in {Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW}:
            raise ValidationError(
                {"status": _("Only confirmed participants can be marked as present or absent.")}
            )
        if timezone.now() < meeting.start:
            raise ValidationError({"status": _("The meeting has not started yet.")})
        before = audit.snapshot(reg)
        reg.status = Status.ATTENDED if attended else Status.NO_SHOW
        reg.updated_at = timezone.now()
        reg.save(update_fields=["status", "updated_at"])
        _audit(actor, reg, "record attendance", before)
    return reg


# Credentials ---------------------------------------------------------------------------------


def submit_credentials(
    *, actor: Any, meeting: Meeting, country: Country, upload: Any
) -> Credentials:
    """A state's focal point (or the secretariat) uploads the delegation's letter of credentials.

    A new letter replaces the earlier one and waits for the secretariat's decision again."""
    allowed = nominable_countries(user=actor, meeting=meeting)
    if "*" not in allowed and country.pk not in allowed:
        raise PermissionDenied(
            _("You may submit credentials only for the state you are focal point of.")
        )
    checked = check_upload(upload)
    with transaction.atomic():
        existing = (
            Credentials.objects.select_for_update().filter(meeting=meeting, country=country).first()
        )
        record = existing or Credentials(meeting=meeting, country=country)
        before = audit.snapshot(existing) if existing else None
        old_name = existing.file.name if existing else None
        record.original_name = checked.name
        record.content_type = checked.content_type
        record.size = checked.size
        record.status = Credentials.Status.SUBMITTED
        record.note = ""
        record.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
        record.submitted_at = timezone.now()
        record.decided_by = None
        record.decided_at = None
        record.file.save(checked.name, upload, save=False)
        new_name = record.file.name
        try:
            record.save()
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE if existing else AuditEntry.Action.CREATE,
                obj=record,
                before=before,
                after=audit.snapshot(record),
                verb=gettext_noop("submit credentials"),
                dialogue_id=meeting.dialogue_id,
            )
        except Exception:
            record.file.storage.delete(new_name)
            raise
        if old_name and old_name != new_name:
            storage = record.file.storage
            stale: str = old_name
            transaction.on_commit(lambda: storage.delete(stale))
    return record


def decide_credentials(
    *, actor: Any, credentials: Credentials, accredit: bool, note: str = ""
) -> Credentials:
    """The secretariat accredits a delegation's credentials, or refuses them with a reason."""
    require_secretariat(actor, credentials.meeting.dialogue_id)
    if not accredit and not note.strip():
        raise ValidationError({"note": _("Give the reason for refusing the credentials.")})
    with transaction.atomic():
        record = Credentials.objects.select_for_update().get(pk=credentials.pk)
        before = audit.snapshot(record)
        record.status = Credentials.Status.ACCREDITED if accredit else Credentials.Status.REFUSED
        record.note = note.strip()
        record.decided_by = actor
        record.decided_at = timezone.now()
        record.save(update_fields=["status", "note", "decided_by", "decided_at"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=record,
            before=before,
            after=audit.snapshot(record),
            verb=gettext_noop("accredit credentials") if accredit else "refuse credentials",
            dialogue_id=record.meeting.dialogue_id,
        )
    return record


def accredited_countries(meeting: Meeting) -> set[str]:
    return set(
        Credentials.objects.filter(
            meeting=meeting, status=Credentials.Status.ACCREDITED
        ).values_list("country_id", flat=True)
    )


# The list of participants ----------------------------------------------------------------------


def participants_list(meeting: Meeting, viewer: Any) -> list[Registration]:
    """The public-facing list of participants as ``viewer`` may see it.

    Only confirmed (or attended) registrations appear; where the meeting requires credentials,
    a state's delegates appear only once its credentials are accredited (organisations and
    individual experts do not submit credentials). Each registrant's choice decides who sees
    them: everyone who may see the meeting, its other participants, or nobody but the
    secretariat. People who may not see the meeting get an empty list.
    """
    if not access.can_view(viewer, meeting):
        return []
    qs = Registration.objects.filter(
        meeting=meeting, status__in=Registration.PARTICIPANT_STATUSES
    ).select_related("person", "person__organisation", "country", "organisation")
    if meeting.requires_credentials:
        qs = qs.filter(Q(country__isnull=True) | Q(country_id__in=accredited_countries(meeting)))
    if not is_secretariat(viewer, meeting.dialogue_id):
        shown = [Registration.Visibility.EVERYONE]
        user_id = access.principal(viewer).user_id
        if user_id is not None and qs.filter(user_id=user_id).exists():
            shown.append(Registration.Visibility.PARTICIPANTS)
        qs = qs.filter(
            Q(visibility__in=shown) | Q(user_id=user_id) if user_id else Q(visibility__in=shown)
        )
    return sorted(
        qs,
        key=lambda r: (
            str(r.country or r.organisation or "~"),
            r.delegation_role != Registration.DelegationRole.HEAD,
            r.person.family_name.lower(),
            r.person.given_name.lower(),
        ),
    )


# Statistics and exports ------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingStatistics:
    """The figures a report needs. ``participants`` counts confirmed people before the meeting
    and, once attendance is recorded, those who attended."""

    participants: int
    countries: int
    organisations: int
    by_state: list[tuple[str, str, int]]  # (code, name, count), largest first
    by_level: dict[str, int]
    by_gender: dict[str, int]
    by_status: dict[str, int]

    def summary(self) -> str:
        """For example "60 officials from 27 countries"."""
        officials = ngettext("%(n)d official", "%(n)d officials", self.participants) % {
            "n": self.participants
        }
        countries = ngettext("%(n)d country", "%(n)d countries", self.countries) % {
            "n": self.countries
        }
        return _("%(officials)s from %(countries)s") % {
            "officials": officials,
            "countries": countries,
        }


def meeting_statistics(meeting: Meeting) -> MeetingStatistics:
    """Counts by state, level and gender, and the headline figures (for the secretariat)."""
    all_regs = Registration.objects.filter(meeting=meeting)
    by_status = dict(all_regs.values_list("status").annotate(n=Count("pk")).order_by())
    attendance_recorded = bool(by_status.get(Status.ATTENDED) or by_status.get(Status.NO_SHOW))
    counted = all_regs.filter(
        status__in=[Status.ATTENDED]
        if attendance_recorded
        else list(Registration.PARTICIPANT_STATUSES)
    )
    state_rows = list(
        counted.filter(country__isnull=False)
        .values("country_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "country_id")
    )
    names = {
        c.code: str(c.name)
        for c in Country.objects.filter(code__in=[r["country_id"] for r in state_rows])
    }
    level_labels = dict(Person.Level.choices)
    gender_labels = dict(Person.Gender.choices)
    by_level = {
        str(level_labels.get(row["person__level"], _("Not stated"))): row["n"]
        for row in counted.values("person__level").annotate(n=Count("pk")).order_by("person__level")
    }
    by_gender = {
        str(gender_labels.get(row["person__gender"], _("Not stated"))): row["n"]
        for row in counted.values("person__gender")
        .annotate(n=Count("pk"))
        .order_by("person__gender")
    }
    return MeetingStatistics(
        participants=counted.count(),
        countries=len(state_rows),
        organisations=counted.filter(organisation__isnull=False)
        .values("organisation_id")
        .distinct()
        .count(),
        by_state=[
            (r["country_id"], names.get(r["country_id"], r["country_id"]), r["n"])
            for r in state_rows
        ],
        by_level=by_level,
        by_gender=by_gender,
        by_status={str(Status(k).label): v for k, v in by_status.items()},
    )


def registration_rows(*, viewer: Any, meeting: Meeting) -> tuple[list[str], list[list[Any]]]:
    """The secretariat's full list (every registration), as a header and rows."""
    require_secretariat(viewer, meeting.dialogue_id)
    accredited = accredited_countries(meeting)
    header = [
        _("State"),
        _("Organisation"),
        _("Family name"),
        _("Given name"),
        _("Name in native script"),
        _("Role in the delegation"),
        _("Position"),
        _("Level"),
        _("Gender"),
        _("E-mail"),
        _("Status"),
        _("Place on the waiting list"),
        _("Credentials accredited"),
        _("Visible to"),
        _("Accessibility needs"),
        _("Dietary needs"),
        _("Visa support letter"),
        _("Registered through"),
        _("Registered"),
        _("Reason given"),
    ]
    rows: list[list[Any]] = []
    regs = (
        Registration.objects.filter(meeting=meeting)
        .select_related("person", "person__user", "country", "organisation", "user")
        .order_by(
            "country_id", "organisation_id", "person__family_name", "person__given_name", "pk"
        )
    )
    for r in regs:
        p = r.person
        email = r.user.email if r.user else (p.email or (p.user.email if p.user else ""))
        rows.append(
            [
                str(r.country) if r.country else "",
                str(r.organisation) if r.organisation else "",
                p.family_name,
                p.given_name,
                p.native_name,
                str(r.get_delegation_role_display()),
                p.position,
                str(p.get_level_display()) if p.level else "",
                str(p.get_gender_display()) if p.gender else "",
                email,
                str(r.get_status_display()),
                r.waiting_position or "",
                (_("yes") if r.country_id in accredited else _("no"))
                if r.country_id and meeting.requires_credentials
                else "",
                str(r.get_visibility_display()),
                r.needs_access,
                r.needs_diet,
                _("yes") if r.needs_visa_letter else "",
                str(r.get_channel_display()),
                r.created_at.astimezone(meeting.zone).strftime("%Y-%m-%d %H:%M"),
                r.decision_reason,
            ]
        )
    return [str(h) for h in header], rows


def _safe_cell(value: Any) -> Any:
    """Keep spreadsheet programs from running what people typed as a formula."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


def export_registrations_csv(*, viewer: Any, meeting: Meeting) -> str:
    """The secretariat's full list as CSV text (UTF-8 with BOM so spreadsheets read Cyrillic)."""
    header, rows = registration_rows(viewer=viewer, meeting=meeting)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe_cell(v) for v in row])
    return out.getvalue()


def export_registrations_xlsx(*, viewer: Any, meeting: Meeting) -> bytes:
    """The secretariat's full list as an Excel workbook, with a second sheet of statistics."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = registration_rows(viewer=viewer, meeting=meeting)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = str(_("Registrations"))[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_safe_cell(v) for v in row])
    sheet.freeze_panes = "A2"
    stats = meeting_statistics(meeting)
    summary = book.create_sheet(str(_("Figures"))[:31])
    summary.append([stats.summary()])
    summary.append([])
    summary.append([_("State"), _("Participants")])
    for _code, name, n in stats.by_state:
        summary.append([name, n])
    summary.append([])
    summary.append([_("Level"), _("Participants")])
    for label, n in stats.by_level.items():
        summary.append([label, n])
    summary.append([])
    summary.append([_("Gender"), _("Participants")])
    for label, n in stats.by_gender.items():
        summary.append([label, n])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def registration_deadline(meeting: Meeting) -> datetime.datetime:
    """Until when registrants may withdraw or change their details."""
    return meeting.changes_allowed_until()
