"""Meetings: the meeting itself, its agenda and documents, registrations, credentials,
schedule changes with their history, the notification outbox and private calendar feeds.

Rules about one object live here as methods; writes live in ``meetings.services``.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogos.core.i18n import TranslatedField
from dialogos.core.models import AccessLevel, Country, FastChoiceDisplay, Protected


def new_ical_uid() -> str:
    """A globally unique iCalendar UID; it never changes for the life of the meeting."""
    return f"{uuid.uuid4()}@dialogos"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def known_time_zone(name: str) -> bool:
    """True when ``name`` is an IANA time zone this machine knows."""
    if not name or name != name.strip() or name.startswith(("/", ".")):
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


class MeetingQuerySet(models.QuerySet["Meeting"]):
    """Reads over many meetings. Callers always narrow with ``core.access.visible``."""

    def upcoming(self, now: datetime.datetime | None = None) -> MeetingQuerySet:
        """Meetings not yet over (including postponed ones), soonest first; no cancelled ones."""
        now = now or timezone.now()
        return (
            self.filter(end__gte=now)
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("start", "pk")
        )

    def past(self, now: datetime.datetime | None = None) -> MeetingQuerySet:
        """Meetings that are over, latest first (cancelled ones included, marked by status)."""
        now = now or timezone.now()
        return self.filter(end__lt=now).order_by("-start", "-pk")

    def for_dialogue(self, dialogue: Any) -> MeetingQuerySet:
        return self.filter(dialogue=dialogue)

    def of_type(self, *types: str) -> MeetingQuerySet:
        return self.filter(type__in=types)

    def at_level(self, *levels: str) -> MeetingQuerySet:
        return self.filter(level__in=levels)

    def in_format(self, *formats: str) -> MeetingQuerySet:
        return self.filter(format__in=formats)

    def with_status(self, *statuses: str) -> MeetingQuerySet:
        return self.filter(status__in=statuses)

    def in_year(self, year: int) -> MeetingQuerySet:
        """Meetings starting in ``year`` (UTC calendar year of the start)."""
        start = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
        end = datetime.datetime(year + 1, 1, 1, tzinfo=datetime.UTC)
        return self.filter(start__gte=start, start__lt=end)

    def in_country(self, code: str) -> MeetingQuerySet:
        """Meetings held in, or hosted by, the state with this ISO code."""
        code = code.upper()
        return self.filter(Q(country_id=code) | Q(host_states__code=code)).distinct()

    def starting_between(
        self, start: datetime.datetime | None, end: datetime.datetime | None
    ) -> MeetingQuerySet:
        """Meetings whose start lies in [start, end) (an empty bound is open)."""
        qs = self
        if start is not None:
            qs = qs.filter(start__gte=start)
        if end is not None:
            qs = qs.filter(start__lt=end)
        return qs

    def years(self) -> list[int]:
        """The distinct (UTC) years in which these meetings start, latest first."""
        return sorted({d.year for d in self.dates("start", "year")}, reverse=True)

    def with_listing_data(self) -> MeetingQuerySet:
        """Join what a list page shows, so it costs a fixed number of queries."""
        return self.select_related("dialogue", "body", "country").prefetch_related("host_states")


class Meeting(Protected):
    """One meeting of a dialogue, from a Strategic Group call to a Ministerial Conference.

    Its ``group`` access level means its registrants (see ``access_group_q``).
    """

    class Type(models.TextChoices):
        MINISTERIAL = "ministerial_conference", _("Ministerial conference")
        SENIOR_OFFICIALS = "senior_officials_meeting", _("Senior officials' meeting")
        STRATEGIC_GROUP = "strategic_group_meeting", _("Strategic group meeting")
        WORKING_GROUP = "working_group_meeting", _("Working group or thematic meeting")
        WORKSHOP = "workshop", _("Workshop")
        STUDY_VISIT = "study_visit", _("Study visit")
        TRAINING = "training", _("Training")
        WEBINAR = "webinar", _("Webinar")
        OTHER = "other", _("Other")

    class Level(models.TextChoices):
        MINISTERIAL = "ministerial", _("Ministerial")
        SENIOR_OFFICIALS = "senior_officials", _("Senior officials")
        EXPERTS = "experts", _("Experts")
        PRACTITIONERS = "practitioners", _("Practitioners")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONFIRMED = "confirmed", _("Confirmed")
        POSTPONED = "postponed", _("Postponed, new date to be announced")
        RESCHEDULED = "rescheduled", _("Rescheduled")
        MOVED_ONLINE = "moved_online", _("Moved online")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")

    class RegistrationMode(models.TextChoices):
        OPEN = "open", _("Open: anyone with an account may apply")
        MEMBERS = "members", _("Members of the dialogue may apply")
        INVITATION = "invitation", _("By invitation: focal points nominate delegates")
        NONE = "none", _("No registration on the platform")

    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialogue"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    body = models.ForeignKey(
        "dialogues.Body",
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    title = TranslatedField(_("title"), text_max_length=300)
    objectives = TranslatedField(_("objectives"), blank=True, multiline=True)
    type = models.CharField(_("type"), max_length=30, choices=Type.choices, default=Type.OTHER)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    format = models.CharField(
        _("format"), max_length=12, choices=Format.choices, default=Format.IN_PERSON
    )
    venue = TranslatedField(_("venue"), blank=True, text_max_length=300)
    city = TranslatedField(_("city"), blank=True, text_max_length=120)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    host_states = models.ManyToManyField(
        Country, verbose_name=_("host states"), blank=True, related_name="hosted_meetings"
    )
    occasion = TranslatedField(
        _("occasion"),
        blank=True,
        text_max_length=300,
        help_text=_("For example: official event of the Czech EU Presidency."),
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        help_text=_("IANA name, for example Europe/Prague."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    online_url = models.URLField(
        _("link to join online"),
        blank=True,
        help_text=_("Shown to registered participants only."),
    )
    ical_uid = models.CharField(
        _("calendar identifier"), max_length=255, unique=True, default=new_ical_uid, editable=False
    )
    ical_sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)

    registration_mode = models.CharField(
        _("registration"),
        max_length=12,
        choices=RegistrationMode.choices,
        default=RegistrationMode.INVITATION,
    )
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    changes_deadline = models.DateTimeField(
        _("withdrawals and changes until"),
        null=True,
        blank=True,
        help_text=_("Empty: until the meeting starts."),
    )
    requires_approval = models.BooleanField(
        _("the secretariat approves each registration"), default=True
    )
    capacity = models.PositiveIntegerField(
        _("total seats"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    seats_per_state = models.PositiveSmallIntegerField(
        _("seats per state"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    seats_per_organisation = models.PositiveSmallIntegerField(
        _("seats per organisation"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    requires_credentials = models.BooleanField(_("delegations submit credentials"), default=False)

    reported_participants = models.PositiveIntegerField(
        _("participants (reported)"), null=True, blank=True
    )
    reported_countries = models.PositiveSmallIntegerField(
        _("countries represented (reported)"), null=True, blank=True
    )
    reported_organisations = models.PositiveSmallIntegerField(
        _("organisations represented (reported)"), null=True, blank=True
    )
    attendance_note = TranslatedField(_("note on attendance"), blank=True, text_max_length=500)
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("Illustrative record created for a demonstration, not a real meeting."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["dialogue", "start"]),
            models.Index(fields=["start"]),
            models.Index(fields=["status", "start"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="meeting_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)

    @classmethod
    def access_group_q(cls, user_id: int) -> Q:
        """A meeting's group: the accounts registered for it (not rejected, not withdrawn)."""
        return Q(
            registrations__user_id=user_id,
            registrations__status__in=Registration.ACTIVE_STATUSES,
        )

    # Time --------------------------------------------------------------------------------

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone if known_time_zone(self.time_zone) else "UTC")

    def local_start(self) -> datetime.datetime:
        return self.start.astimezone(self.zone)

    def local_end(self) -> datetime.datetime:
        return self.end.astimezone(self.zone)

    def local_dates(self) -> list[datetime.date]:
        first, last = self.local_start().date(), self.local_end().date()
        return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]

    def is_over(self, now: datetime.datetime | None = None) -> bool:
        return self.end < (now or timezone.now())

    # Registration rules ------------------------------------------------------------------

    def is_open_for_registration(self, now: datetime.datetime | None = None) -> bool:
        """Whether applications and nominations are accepted now (the secretariat may always add)."""
        now = now or timezone.now()
        if self.registration_mode == self.RegistrationMode.NONE:
            return False
        if self.status in {self.Status.CANCELLED, self.Status.HELD} or self.is_over(now):
            return False
        if self.registration_opens and now < self.registration_opens:
            return False
        return not (self.registration_closes and now >= self.registration_closes)

    def changes_allowed_until(self) -> datetime.datetime:
        return self.changes_deadline or self.start

    def quota_for_state(
        self, country_code: str, overrides: dict[str, int] | None = None
    ) -> int | None:
        """Seats for one state: its override when set, else the default per state (None: no limit)."""
        if overrides is None:
            overrides = dict(self.state_quotas.values_list("country_id", "seats"))
        return overrides.get(country_code, self.seats_per_state)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not known_time_zone(self.time_zone):
            errors["time_zone"] = _(
                "“%(zone)s” is not a known time zone (use an IANA name such as Europe/Prague)."
            ) % {"zone": self.time_zone}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The meeting must end after it starts.")
        if (
            self.registration_opens
            and self.registration_closes
            and self.registration_closes <= self.registration_opens
        ):
            errors["registration_closes"] = _("Registration must close after it opens.")
        if self.capacity is not None:
            if self.seats_per_state is not None and self.seats_per_state > self.capacity:
                errors["seats_per_state"] = _(
                    "The seats per state (%(seats)d) exceed the total seats (%(capacity)d)."
                ) % {"seats": self.seats_per_state, "capacity": self.capacity}
            if (
                self.seats_per_organisation is not None
                and self.seats_per_organisation > self.capacity
            ):
                errors["seats_per_organisation"] = _(
                    "The seats per organisation (%(seats)d) exceed the total seats (%(capacity)d)."
                ) % {"seats": self.seats_per_organisation, "capacity": self.capacity}
            if self.pk is not None:
                highest = self.state_quotas.aggregate(m=models.Max("seats"))["m"]
                if highest is not None and highest > self.capacity:
                    errors["capacity"] = _(
                        "A state's quota (%(seats)d) exceeds these total seats; lower it first."
                    ) % {"seats": highest}
        if (
            self.body_id
            and self.dialogue_id
            and self.body
            and self.body.dialogue_id != self.dialogue_id
        ):
            errors["body"] = _("This body belongs to another dialogue.")
        if errors:
            raise ValidationError(errors)


class StateQuota(models.Model):
    """Seats for one state at one meeting, overriding the meeting's default per state."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="state_quotas")
    country = models.ForeignKey(
        Country, verbose_name=_("state"), on_delete=models.PROTECT, related_name="+"
    )
    seats = models.PositiveSmallIntegerField(_("seats"))

    class Meta:
        ordering = ["meeting", "country"]
        verbose_name = _("seats of a state")
        verbose_name_plural = _("seats per state")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "country"], name="statequota_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.country}: {self.seats}"

    def clean(self) -> None:
        capacity = self.meeting.capacity if self.meeting_id else None
        if capacity is not None and self.seats > capacity:
            raise ValidationError(
                {
                    "seats": _(
                        "The quota of %(seats)d seats exceeds the meeting's %(capacity)d seats."
                    )
                    % {"seats": self.seats, "capacity": capacity}
                }
            )


# Agenda, documents and minutes -------------------------------------------------------------


class AgendaDay(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_days")
    date = models.DateField(_("date"))
    title = TranslatedField(_("title"), blank=True, text_max_length=200)

    class Meta:
        ordering = ["meeting", "date"]
        verbose_name = _("agenda day")
        verbose_name_plural = _("agenda days")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "date"], name="agendaday_unique_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}".strip()


class AgendaSession(Protected):
    """A session on one agenda day; times are wall-clock times in the meeting's time zone."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sessions")
    day = models.ForeignKey(AgendaDay, on_delete=models.CASCADE, related_name="sessions")
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"), null=True, blank=True)
    title = TranslatedField(_("title"), text_max_length=300)
    description = TranslatedField(_("description"), blank=True, multiline=True)
    room = models.CharField(_("room"), max_length=120, blank=True)
    chairs = models.ManyToManyField(
        "people.Person", verbose_name=_("chairs"), blank=True, related_name="chaired_sessions"
    )
    speakers = models.ManyToManyField(
        "people.Person", verbose_name=_("speakers"), blank=True, related_name="sessions_spoken"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    access_level = models.CharField(
        _("access"), max_length=16, choices=AccessLevel.choices, default=AccessLevel.INHERIT
    )
    access_dialogue_path = "meeting__dialogue"
    access_parent_path = "meeting"

    class Meta:
        ordering = ["day__date", "start_time", "order", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return str(self.title)

    def starts_at(self) -> datetime.datetime:
        """The aware start of the session (its wall-clock time in the meeting's zone)."""
        return datetime.datetime.combine(self.day.date, self.start_time, tzinfo=self.meeting.zone)

    def ends_at(self) -> datetime.datetime | None:
        if self.end_time is None:
            return None
        return datetime.datetime.combine(self.day.date, self.end_time, tzinfo=self.meeting.zone)

    def clean(self) -> None:
        if self.end_time is not None and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The session must end after it starts.")})
        if self.day_id and self.meeting_id and self.day.meeting_id != self.meeting_id:
            raise ValidationError({"day": _("This day belongs to another meeting.")})


class MeetingDocument(Protected):
    """A document of a meeting (optionally of one session), with one file per language.

    Its access is the meeting's unless set on the document itself.
    """

    class Kind(models.TextChoices):
        AGENDA = "agenda", _("Agenda")
        CONCEPT_NOTE = "concept_note", _("Concept note")
        BACKGROUND = "background", _("Background document")
        PRESENTATION = "presentation", _("Presentation")
        OUTCOME = "outcome", _("Outcome document")
        REPORT = "report", _("Report")
        LIST_OF_PARTICIPANTS = "participants", _("List of participants")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    session = models.ForeignKey(
        AgendaSession,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = TranslatedField(_("title"), text_max_length=300)
    description = TranslatedField(_("description"), blank=True, multiline=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)

    access_level = models.CharField(
        _("access"), max_length=16, choices=AccessLevel.choices, default=AccessLevel.INHERIT
    )
    access_dialogue_path = "meeting__dialogue"
    access_parent_path = "meeting"

    class Meta:
        ordering = ["meeting", "order", "pk"]
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")

    def __str__(self) -> str:
        return str(self.title)

    def clean(self) -> None:
        session = self.session if self.session_id else None
        if session is not None and self.meeting_id and session.meeting_id != self.meeting_id:
            raise ValidationError({"session": _("This session belongs to another meeting.")})


def _private_file_path(instance: Any, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"private/meetings/{uuid.uuid4().hex}.{suffix[:8]}"


class MeetingFile(models.Model):
    """One language version of a meeting document. Streamed by a view after ``can_view``."""

    document = models.ForeignKey(MeetingDocument, on_delete=models.CASCADE, related_name="files")
    language = models.CharField(_("language"), max_length=8)
    file = models.FileField(_("file"), upload_to=_private_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["document", "language"]
        verbose_name = _("meeting file")
        verbose_name_plural = _("meeting files")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language"], name="meetingfile_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.language})"


class MeetingMinutes(Protected):
    """The minutes of a meeting; every saved text is kept as a revision."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")

    access_level = models.CharField(
        _("access"), max_length=16, choices=AccessLevel.choices, default=AccessLevel.INHERIT
    )
    access_dialogue_path = "meeting__dialogue"
    access_parent_path = "meeting"

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(_("Minutes of %(meeting)s") % {"meeting": self.meeting})

    def current(self) -> MinutesRevision | None:
        return self.revisions.order_by("-number").first()


class MinutesRevision(models.Model):
    minutes = models.ForeignKey(MeetingMinutes, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    text = TranslatedField(_("text"), multiline=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        ordering = ["minutes", "-number"]
        verbose_name = _("minutes revision")
        verbose_name_plural = _("minutes revisions")
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="minutesrevision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} #{self.number}"


# Registrations and credentials -------------------------------------------------------------


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def active(self) -> RegistrationQuerySet:
        """Not rejected and not withdrawn."""
        return self.filter(status__in=Registration.ACTIVE_STATUSES)

    def holding_seats(self) -> RegistrationQuerySet:
        return self.filter(status__in=Registration.SEAT_STATUSES)

    def participants(self) -> RegistrationQuerySet:
        """Confirmed (or, after the meeting, attended) registrations."""
        return self.filter(status__in=Registration.PARTICIPANT_STATUSES)

    def waiting(self) -> RegistrationQuerySet:
        return self.filter(status=Registration.Status.WAITING).order_by("waiting_position", "pk")

    def for_user(self, user: Any) -> RegistrationQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user_id=user.pk)


class Registration(FastChoiceDisplay, models.Model):
    """A person's place (or hope of one) at a meeting, on behalf of a state or organisation."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not attend")

    class DelegationRole(models.TextChoices):
        HEAD = "head", _("Head of delegation")
        DELEGATE = "delegate", _("Delegate")
        EXPERT = "expert", _("Expert")

    class Visibility(models.TextChoices):
        NOBODY = "nobody", _("Nobody (only the secretariat)")
        PARTICIPANTS = "participants", _("Other participants")
        EVERYONE = "everyone", _("Everyone who may see the meeting")

    class Channel(models.TextChoices):
        APPLICATION = "application", _("Own application")
        NOMINATION = "nomination", _("Nominated by a focal point")
        SECRETARIAT = "secretariat", _("Added by the secretariat")

    # Statuses that hold one of the meeting's seats (and count against the quotas).
    SEAT_STATUSES = (Status.PENDING, Status.CONFIRMED, Status.ATTENDED, Status.NO_SHOW)
    ACTIVE_STATUSES = (*SEAT_STATUSES, Status.WAITING)
    PARTICIPANT_STATUSES = (Status.CONFIRMED, Status.ATTENDED)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="meeting_registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_registrations",
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("state represented"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "dialogues.Organisation",
        verbose_name=_("organisation represented"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delegation_role = models.CharField(
        _("role in the delegation"),
        max_length=10,
        choices=DelegationRole.choices,
        default=DelegationRole.DELEGATE,
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    channel = models.CharField(_("registered through"), max_length=12, choices=Channel.choices)
    waiting_position = models.PositiveIntegerField(
        _("place on the waiting list"), null=True, blank=True
    )
    visibility = models.CharField(
        _("who may see me in the list of participants"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.PARTICIPANTS,
    )
    needs_access = models.CharField(_("accessibility needs"), max_length=500, blank=True)
    needs_diet = models.CharField(_("dietary needs"), max_length=300, blank=True)
    needs_visa_letter = models.BooleanField(_("needs a visa support letter"), default=False)
    decision_reason = models.TextField(_("reason given"), blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [
            models.Index(fields=["meeting", "status"]),
            models.Index(fields=["meeting", "country", "status"]),
            models.Index(fields=["user", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(status__in=["pending", "confirmed", "waiting", "attended", "no_show"]),
                name="registration_once_per_person",
            ),
            models.CheckConstraint(
                condition=Q(country__isnull=True) | Q(organisation__isnull=True),
                name="registration_one_represented",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.meeting}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def represents(self) -> Any:
        return self.country or self.organisation

    def can_withdraw(self, now: datetime.datetime | None = None) -> bool:
        """Whether the registrant (or their focal point) may still withdraw or change it."""
        now = now or timezone.now()
        if self.status not in {self.Status.PENDING, self.Status.CONFIRMED, self.Status.WAITING}:
            return False
        return now < self.meeting.changes_allowed_until()

    def recipient(self) -> tuple[str, str]:
        """E-mail address and language to write to the registrant (address may be empty)."""
        account = self.user or self.person.user
        if account is not None and account.is_active:
            return account.email, account.language
        return self.person.email, self.meeting.dialogue.main_language


class Credentials(FastChoiceDisplay, models.Model):
    """A state's letter of credentials for one meeting, and the secretariat's decision."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCREDITED = "accredited", _("Accredited")
        REFUSED = "refused", _("Refused")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="credentials")
    country = models.ForeignKey(
        Country, verbose_name=_("state"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("letter"), upload_to=_private_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    note = models.TextField(_("note or reason"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "country"]
        verbose_name = _("credentials")
        verbose_name_plural = _("credentials")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "country"], name="credentials_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.country} — {self.meeting}"


# Schedule changes ---------------------------------------------------------------------------


class ScheduleAction(models.TextChoices):
    RESCHEDULE = "reschedule", _("Rescheduled")
    POSTPONE = "postpone", _("Postponed")
    MOVE_ONLINE = "move_online", _("Moved online")
    CANCEL = "cancel", _("Cancelled")


class ScheduleDecision(FastChoiceDisplay, models.Model):
    """One decision changing the schedule of one or many meetings (e.g. April 2020)."""

    dialogue = models.ForeignKey(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="schedule_decisions"
    )
    action = models.CharField(_("change"), max_length=12, choices=ScheduleAction.choices)
    reason = TranslatedField(_("reason"), multiline=True)
    announcement = TranslatedField(
        _("draft announcement"),
        blank=True,
        multiline=True,
        help_text=_("Prepared for the news; the secretariat edits and publishes it."),
    )
    selection = models.JSONField(_("how the meetings were chosen"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("schedule decision")
        verbose_name_plural = _("schedule decisions")

    def __str__(self) -> str:
        return f"{self.get_action_display()} — {self.created_at:%Y-%m-%d}"


class ScheduleChange(FastChoiceDisplay, models.Model):
    """What one decision changed on one meeting: the meeting's change history."""

    decision = models.ForeignKey(ScheduleDecision, on_delete=models.CASCADE, related_name="changes")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="schedule_changes")
    action = models.CharField(_("change"), max_length=12, choices=ScheduleAction.choices)
    old_start = models.DateTimeField(_("starts (before)"))
    old_end = models.DateTimeField(_("ends (before)"))
    new_start = models.DateTimeField(_("starts (after)"))
    new_end = models.DateTimeField(_("ends (after)"))
    old_status = models.CharField(
        _("status (before)"), max_length=16, choices=Meeting.Status.choices
    )
    new_status = models.CharField(
        _("status (after)"), max_length=16, choices=Meeting.Status.choices
    )
    old_format = models.CharField(
        _("format (before)"), max_length=12, choices=Meeting.Format.choices
    )
    new_format = models.CharField(
        _("format (after)"), max_length=12, choices=Meeting.Format.choices
    )
    sequence = models.PositiveIntegerField(_("calendar revision"))
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "-created_at", "-pk"]
        verbose_name = _("schedule change")
        verbose_name_plural = _("schedule changes")
        constraints = [
            models.UniqueConstraint(fields=["decision", "meeting"], name="schedulechange_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.meeting}"


# Notifications (outbox) and calendar feeds ---------------------------------------------------


class Notification(FastChoiceDisplay, models.Model):
    """One e-mail to one recipient, written in the same transaction as its cause.

    ``key`` is unique per recipient and cause, so a cause can never queue the same message
    twice. The sender claims rows atomically (``pending`` → ``sending``) and commits the claim
    before it sends; see ``meetings.services.notifications``.
    """

    class Kind(models.TextChoices):
        SCHEDULE_CHANGE = "schedule_change", _("Change of schedule")
        CONFIRMED = "confirmed", _("Registration confirmed")
        RECEIVED = "received", _("Registration received")
        WAITING = "waiting", _("Placed on the waiting list")
        PROMOTED = "promoted", _("Promoted from the waiting list")
        REJECTED = "rejected", _("Registration rejected")
        REMINDER = "reminder", _("Reminder")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        CLAIMED = "claimed", _("Taken by a sender")
        SENDING = "sending", _("Handed to the mail server")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=8, default="en")
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claim = models.CharField(max_length=32, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["status", "id"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.email}"


class CalendarFeed(models.Model):
    """The secret address of one account's private calendar of its meetings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_calendar"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("private calendar feed")
        verbose_name_plural = _("private calendar feeds")

    def __str__(self) -> str:
        return str(_("Calendar of %(user)s") % {"user": self.user})
