"""Library: documents with one file per language, good practices, calls for practices and
country (migration) profiles with their endorsement workflow.

Rules about one object live here as methods; writes live in ``library.services``; who sees
what is decided by ``core.access`` (levels) plus the workflow state of practices and
profiles (only published ones are shown to people outside their state and secretariat).
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dialogos.core.i18n import TranslatedField
from dialogos.core.models import AccessLevel, Country, Protected

# How long a formally submitted profile waits for endorsement before the secretariat may
# publish it as "not endorsed by the state".
ENDORSEMENT_WAIT_MONTHS = 3


def add_months(value: datetime.datetime, months: int) -> datetime.datetime:
    """``value`` plus whole calendar months, the day clipped to the month's last day."""
    month_index = value.month - 1 + months
    year, month = value.year + month_index // 12, month_index % 12 + 1
    next_month = datetime.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return value.replace(year=year, month=month, day=min(value.day, last_day))


# Topics ---------------------------------------------------------------------------------------


class TopicQuerySet(models.QuerySet["Topic"]):
    def active(self) -> TopicQuerySet:
        return self.filter(is_active=True)


class Topic(models.Model):
    """One entry of the thematic taxonomy the secretariat edits."""

    slug = models.SlugField(_("short identifier"), unique=True, max_length=80)
    name = TranslatedField(pgettext_lazy("topic", "name"), text_max_length=120)
    description = TranslatedField(_("description"), blank=True, multiline=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return str(self.name)


# Documents ------------------------------------------------------------------------------------


class DocumentType(models.TextChoices):
    DECLARATION = "declaration", _("Declaration")
    ACTION_PLAN = "action_plan", _("Action plan")
    CONCLUSIONS = "conclusions", _("Conclusions")
    AGENDA = "agenda", _("Agenda")
    CONCEPT_NOTE = "concept_note", _("Concept note")
    REPORT = "report", _("Report")
    POLICY_BRIEF = "policy_brief", _("Policy brief")
    HANDBOOK = "handbook", _("Handbook")
    FACTSHEET = "factsheet", _("Factsheet")
    MIGRATION_PROFILE = "migration_profile", _("Migration profile")
    EVALUATION = "evaluation", _("Evaluation")
    IMPACT_NOTE = "impact_note", _("Impact note")
    PRESENTATION = "presentation", _("Presentation")
    MINUTES = "minutes", _("Minutes")
    REVIEW = "review", _("Review")
    OTHER = "other", _("Other")


class DocumentQuerySet(models.QuerySet["Document"]):
    """Reads over many documents. Callers always narrow with ``core.access.visible``."""

    def of_type(self, *types: str) -> DocumentQuerySet:
        return self.filter(type__in=types)

    def in_dialogue(self, slug: str) -> DocumentQuerySet:
        """Documents of the dialogue (its own or shared with it)."""
        shared = Document.related_dialogues.through.objects.filter(dialogue__slug=slug).values(
            "document_id"
        )
        return self.filter(Q(dialogue__slug=slug) | Q(pk__in=shared))

    def on_topic(self, slug: str) -> DocumentQuerySet:
        through = Document.topics.through.objects.filter(topic__slug=slug)
        return self.filter(pk__in=through.values("document_id"))

    def about_country(self, code: str) -> DocumentQuerySet:
        through = Document.countries.through.objects.filter(country_id=code.upper())
        return self.filter(pk__in=through.values("document_id"))

    def in_year(self, year: int) -> DocumentQuerySet:
        return self.filter(
            date__gte=datetime.date(year, 1, 1), date__lt=datetime.date(year + 1, 1, 1)
        )

    def in_language(self, code: str) -> DocumentQuerySet:
        files = LibraryFile.objects.filter(
            document__isnull=False, is_current=True, language=code
        ).values("document_id")
        return self.filter(pk__in=files)

    def latest_first(self) -> DocumentQuerySet:
        return self.order_by("-date", "-pk")

    def with_listing_data(self) -> DocumentQuerySet:
        """What a list shows, in a fixed number of queries; the long summary is left out."""
        return (
            self.select_related("dialogue")
            .defer("summary")
            .prefetch_related(
                models.Prefetch(
                    "files",
                    queryset=LibraryFile.objects.filter(is_current=True)
                    .order_by("language")
                    .only("id", "document_id", "language", "size", "extension", "is_current"),
                )
            )
        )


class Document(Protected):
    """A document of a dialogue — a declaration, a report, a handbook — with one current file
    per language. Linked to a meeting with the level "inherit", it follows the meeting."""

    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialogue"),
        on_delete=models.CASCADE,
        related_name="library_documents",
    )
    related_dialogues = models.ManyToManyField(
        "dialogues.Dialogue",
        verbose_name=_("also of the dialogues"),
        blank=True,
        related_name="shared_library_documents",
    )
    type = models.CharField(
        _("type"), max_length=24, choices=DocumentType.choices, default=DocumentType.OTHER
    )
    title = TranslatedField(_("title"), text_max_length=300)
    summary = TranslatedField(_("summary"), blank=True, multiline=True, text_max_length=20000)
    date = models.DateField(_("date"), db_index=True)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="documents"
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="library_documents"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_documents",
    )
    bodies = models.ManyToManyField(
        "dialogues.Body", verbose_name=_("bodies"), blank=True, related_name="library_documents"
    )
    source_url = models.URLField(_("source on the web"), blank=True)
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("Illustrative record created for a demonstration, not a real document."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now, editable=False)

    access_dialogue_path = "dialogue"
    access_parent_path = "meeting"

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            # The list walks this index newest first and stops after one page (an index that
            # starts with the access level made SQLite gather every match and sort instead).
            models.Index(fields=["date", "id"], name="library_doc_date_id"),
            models.Index(fields=["dialogue", "date"]),
            models.Index(fields=["type", "date"]),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def clean(self) -> None:
        if self.access_level == AccessLevel.INHERIT and not self.meeting_id:
            raise ValidationError(
                {"access_level": _("Only a document linked to a meeting can follow its access.")}
            )
        meeting = self.meeting if self.meeting_id else None
        if meeting is not None and self.dialogue_id and meeting.dialogue_id != self.dialogue_id:
            raise ValidationError({"meeting": _("This meeting belongs to another dialogue.")})


# Calls for practices and good practices -------------------------------------------------------


class CallQuerySet(models.QuerySet["PracticeCall"]):
    def open_on(self, day: datetime.date) -> CallQuerySet:
        return self.filter(opens__lte=day, deadline__gte=day)


class PracticeCall(Protected):
    """A call for good practices: what is sought, by which criteria, until when."""

    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialogue"),
        on_delete=models.CASCADE,
        related_name="practice_calls",
    )
    title = TranslatedField(_("title"), text_max_length=300)
    description = TranslatedField(_("description"), blank=True, multiline=True)
    criteria = TranslatedField(_("criteria"), blank=True, multiline=True)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="practice_calls"
    )
    opens = models.DateField(_("opens"))
    deadline = models.DateField(_("deadline"))
    is_example = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = _("call for practices")
        verbose_name_plural = _("calls for practices")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("opens")),
                name="practicecall_deadline_after_open",
            )
        ]

    def __str__(self) -> str:
        return str(self.title)

    def is_open(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.opens <= day <= self.deadline

    def clean(self) -> None:
        if self.opens and self.deadline and self.deadline < self.opens:
            raise ValidationError({"deadline": _("The deadline must not be before the opening.")})


class PracticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Sent back with comments")
    PUBLISHED = "published", _("Published")


class PracticeQuerySet(models.QuerySet["Practice"]):
    def published(self) -> PracticeQuerySet:
        return self.filter(status=PracticeStatus.PUBLISHED)

    def of_states(self, dialogue_id: int, codes: set[str]) -> PracticeQuerySet:
        return self.filter(dialogue_id=dialogue_id, country_id__in=codes)

    def in_review(self) -> PracticeQuerySet:
        return self.filter(status=PracticeStatus.SUBMITTED)

    def on_topic(self, slug: str) -> PracticeQuerySet:
        through = Practice.topics.through.objects.filter(topic__slug=slug)
        return self.filter(pk__in=through.values("practice_id"))

    def about_country(self, code: str) -> PracticeQuerySet:
        through = Practice.countries.through.objects.filter(country_id=code.upper())
        return self.filter(Q(country_id=code.upper()) | Q(pk__in=through.values("practice_id")))


class Practice(Protected):
    """A good practice of a state, as a structured record.

    A contributor drafts it, the state's focal point submits it, the secretariat publishes it
    or sends it back with comments. Only published practices are shown beyond the state's
    own contributors and focal points and the secretariat; once published, its access level
    decides who sees it.
    """

    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialogue"),
        on_delete=models.CASCADE,
        related_name="practices",
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("submitted by the state"),
        on_delete=models.PROTECT,
        related_name="submitted_practices",
    )
    call = models.ForeignKey(
        PracticeCall,
        verbose_name=_("in answer to the call"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices",
    )
    title = TranslatedField(_("title"), text_max_length=300)
    summary = TranslatedField(_("summary"), multiline=True, text_max_length=5000)
    problem = TranslatedField(_("the problem"), blank=True, multiline=True, text_max_length=20000)
    approach = TranslatedField(_("the approach"), blank=True, multiline=True, text_max_length=20000)
    results = TranslatedField(
        _("results and evidence"), blank=True, multiline=True, text_max_length=20000
    )
    transferability = TranslatedField(
        _("transferability"), blank=True, multiline=True, text_max_length=20000
    )
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("until"), null=True, blank=True)
    implementing_bodies = TranslatedField(
        _("implementing bodies"), blank=True, multiline=True, text_max_length=2000
    )
    partners = TranslatedField(_("partners"), blank=True, multiline=True, text_max_length=2000)
    contact = TranslatedField(_("contact"), blank=True, multiline=True, text_max_length=1000)
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries concerned"), blank=True, related_name="practices"
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="practices"
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PracticeStatus.choices,
        default=PracticeStatus.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    is_example = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now, editable=False)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        indexes = [models.Index(fields=["dialogue", "country", "status"])]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def is_published(self) -> bool:
        return self.status == PracticeStatus.PUBLISHED

    def is_editable(self) -> bool:
        """Drafts and returned practices may be edited by the state's people."""
        return self.status in {PracticeStatus.DRAFT, PracticeStatus.RETURNED}

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The end must not be before the start.")})
        call = self.call if self.call_id else None
        if call is not None and self.dialogue_id and call.dialogue_id != self.dialogue_id:
            raise ValidationError({"call": _("This call belongs to another dialogue.")})


class PracticeEvent(models.Model):
    """One dated step of a practice's workflow, with the reviewer's comments."""

    class Action(models.TextChoices):
        CREATED = "created", _("Draft created")
        SUBMITTED = "submitted", _("Submitted by the focal point")
        RETURNED = "returned", _("Sent back with comments")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Withdrawn from publication")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("step"), max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True, max_length=10000)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["practice", "at", "pk"]
        verbose_name = _("step of a practice")
        verbose_name_plural = _("steps of practices")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"


# Country profiles -----------------------------------------------------------------------------


class ProfileStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the state")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested by the state")
    ENDORSED = "endorsed", _("Endorsed by the state")
    NOT_ENDORSED = "not_endorsed", _("Published, not endorsed by the state")


class ProfileQuerySet(models.QuerySet["CountryProfile"]):
    def published(self) -> ProfileQuerySet:
        return self.filter(published_at__isnull=False)

    def of_states(self, dialogue_id: int, codes: set[str]) -> ProfileQuerySet:
        return self.filter(dialogue_id=dialogue_id, country_id__in=codes)


class CountryProfile(Protected):
    """A migration profile of one state in one dialogue (light or extended).

    The secretariat (or its experts) drafts it and formally submits it to the state; the
    state's focal point endorses it or asks for changes. Three months after a formal
    submission without endorsement the secretariat may publish it marked "not endorsed by the
    state"; the state may later endorse a new version, which replaces it.
    """

    class Kind(models.TextChoices):
        LIGHT = "light", _("Migration profile light")
        EXTENDED = "extended", _("Extended migration profile")

    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialogue"),
        on_delete=models.CASCADE,
        related_name="country_profiles",
    )
    country = models.ForeignKey(
        Country, verbose_name=_("state"), on_delete=models.PROTECT, related_name="profiles"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LIGHT)
    title = TranslatedField(_("title"), text_max_length=300)
    summary = TranslatedField(_("summary"), blank=True, multiline=True, text_max_length=20000)
    period = models.CharField(
        _("period covered"), max_length=40, blank=True, help_text=_("For example: 2019–2023.")
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="profiles"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProfileStatus.choices,
        default=ProfileStatus.DRAFT,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("formally submitted"), null=True, blank=True)
    endorsed_at = models.DateTimeField(_("endorsed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    published_submission_at = models.DateTimeField(
        _("formal submission of the published version"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The files the state was given then are the ones the public sees."),
    )
    is_example = models.BooleanField(_("example data"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now, editable=False)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["country", "kind"]
        verbose_name = _("country profile")
        verbose_name_plural = _("country profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "country", "kind"], name="countryprofile_one_per_kind"
            )
        ]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_endorsed(self) -> bool:
        return self.endorsed_at is not None and self.status == ProfileStatus.ENDORSED

    def endorsement_due(self) -> datetime.datetime | None:
        """When the secretariat may publish without endorsement (None: not submitted)."""
        if self.submitted_at is None:
            return None
        return add_months(self.submitted_at, ENDORSEMENT_WAIT_MONTHS)

    def is_frozen(self) -> bool:
        """While the state considers a version, and once it has endorsed it, the profile's
        content is the state's to answer for: the secretariat cannot change it under it."""
        return self.status in {ProfileStatus.SUBMITTED, ProfileStatus.ENDORSED}

    def published_files(self, files: Any) -> list[LibraryFile]:
        """Of ``files`` (this profile's files, any version), the published version, one per
        language: the files the state endorsed, or was given in the submission published
        without endorsement. A revision prepared afterwards stays out of public view until
        the state endorses it."""
        if self.published_at is None:
            return []
        return sorted((f for f in files if f.is_published), key=lambda f: f.language)

    def may_publish_unendorsed(self, now: datetime.datetime | None = None) -> bool:
        due = self.endorsement_due()
        if due is None or self.status not in {
            ProfileStatus.SUBMITTED,
            ProfileStatus.CHANGES_REQUESTED,
        }:
            return False
        return (now or timezone.now()) >= due


class ProfileEvent(models.Model):
    """One dated step of a profile's endorsement history, shown publicly once published."""

    class Action(models.TextChoices):
        CREATED = "created", _("Drafted by the secretariat")
        SUBMITTED = "submitted", _("Formally submitted to the state")
        CHANGES_REQUESTED = "changes_requested", _("The state asked for changes")
        ENDORSED = "endorsed", _("Endorsed by the state")
        PUBLISHED_UNENDORSED = (
            "published_unendorsed",
            _("Published without endorsement after three months"),
        )
        REPLACED = "replaced", _("Replaced by a new version")

    profile = models.ForeignKey(CountryProfile, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("step"), max_length=24, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True, max_length=10000)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["profile", "at", "pk"]
        verbose_name = _("step of a profile")
        verbose_name_plural = _("steps of profiles")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"


# Files ----------------------------------------------------------------------------------------


def _private_file_path(instance: Any, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"private/library/{uuid.uuid4().hex}.{suffix[:8]}"


class LibraryFile(models.Model):
    """One language version of a document's, practice's or profile's file.

    Replacing a file keeps the earlier one (``is_current`` False) as its version history.
    Streamed only by an access-checked view; ``text`` is what search indexes.
    """

    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    practice = models.ForeignKey(
        Practice, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    profile = models.ForeignKey(
        CountryProfile, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    language = models.CharField(_("language"), max_length=8)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    # Country profiles only: the version the public sees (``CountryProfile.published_files``).
    is_published = models.BooleanField(_("published version"), default=False)
    file = models.FileField(_("file"), upload_to=_private_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    extension = models.CharField(_("format"), max_length=8)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    text = models.TextField(_("extracted text"), blank=True)
    downloads = models.PositiveIntegerField(_("downloads"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["language", "-version"]
        verbose_name = _("library file")
        verbose_name_plural = _("library files")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(document__isnull=False, practice__isnull=True, profile__isnull=True)
                    | Q(document__isnull=True, practice__isnull=False, profile__isnull=True)
                    | Q(document__isnull=True, practice__isnull=True, profile__isnull=False)
                ),
                name="libraryfile_one_owner",
            ),
            models.UniqueConstraint(
                fields=["document", "language"],
                condition=Q(is_current=True, document__isnull=False),
                name="libraryfile_document_current_language",
            ),
            models.UniqueConstraint(
                fields=["practice", "language"],
                condition=Q(is_current=True, practice__isnull=False),
                name="libraryfile_practice_current_language",
            ),
            models.UniqueConstraint(
                fields=["profile", "language"],
                condition=Q(is_current=True, profile__isnull=False),
                name="libraryfile_profile_current_language",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.language}, v{self.version})"

    def owner(self) -> Document | Practice | CountryProfile:
        owner = self.document or self.practice or self.profile
        assert owner is not None
        return owner
