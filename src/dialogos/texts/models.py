"""Outcome texts: a dialogue's political text from first draft to adoption.

An ``OutcomeText`` (declaration, conclusions, action plan …) has numbered ``TextVersion`` s,
each made of ``Paragraph`` s whose content is translatable. The secretariat circulates a
version (``Circulation``) to a selection of states with a deadline: for comments and
amendments (``Comment``, per paragraph and per state) or as a silence procedure, which an
``Objection`` breaks. The text is adopted at a meeting or when the silence holds.

Who sees what is decided in ``core.access``: a text under negotiation has the ``group`` level,
its group being the accounts holding a role in the dialogue for a state it was circulated to.
Rules about one object live here as methods; writes live in ``texts.services``.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogos.core.i18n import TranslatedField
from dialogos.core.models import AccessLevel, Country, Protected


def new_paragraph_key() -> str:
    """The identity of a paragraph across versions (it survives renumbering)."""
    return uuid.uuid4().hex


def _state_roles_q(prefix: str, user_id: int, dialogue_path: str) -> Q:
    """Rows whose ``prefix`` country is one the user holds an active role for in the dialogue."""
    return Q(
        **{
            f"{prefix}role_grants__user_id": user_id,
            f"{prefix}role_grants__dialogue_id": F(dialogue_path),
            f"{prefix}role_grants__revoked_at__isnull": True,
        }
    )


class OutcomeTextQuerySet(models.QuerySet["OutcomeText"]):
    """Reads over many texts. Callers always narrow with ``core.access.visible``."""

    def adopted(self) -> OutcomeTextQuerySet:
        return self.filter(status=OutcomeText.Status.ADOPTED)

    def under_negotiation(self) -> OutcomeTextQuerySet:
        return self.filter(status__in=OutcomeText.NEGOTIATING)

    def for_dialogue(self, dialogue: Any) -> OutcomeTextQuerySet:
        return self.filter(dialogue=dialogue)

    def with_listing_data(self) -> OutcomeTextQuerySet:
        return self.select_related("dialogue", "adopted_at_meeting", "adopted_version")


class OutcomeText(Protected):
    """A political text a dialogue negotiates and adopts."""

    class Kind(models.TextChoices):
        DECLARATION = "declaration", _("Declaration")
        CONCLUSIONS = "conclusions", _("Conclusions")
        ACTION_PLAN = "action_plan", _("Action plan")
        JOINT_STATEMENT = "joint_statement", _("Joint statement")
        COMMITMENTS = "commitments", _("Commitments")
        OTHER = "other", _("Other text")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NEGOTIATION = "negotiation", _("Under negotiation")
        SILENCE = "silence", _("Silence procedure")
        ADOPTED = "adopted", _("Adopted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Method(models.TextChoices):
        MEETING = "meeting", _("At a meeting")
        SILENCE = "silence", _("By silence procedure")

    NEGOTIATING = (Status.DRAFT, Status.NEGOTIATION, Status.SILENCE)

    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialogue"),
        on_delete=models.CASCADE,
        related_name="outcome_texts",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = TranslatedField(_("title"), text_max_length=300)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    public_when_adopted = models.BooleanField(
        _("public once adopted"),
        default=True,
        help_text=_("Untick to keep the adopted text within the dialogue's members."),
    )
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True)
    adopted_at_meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("adopted at meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adopted_texts",
    )
    adopted_version = models.ForeignKey(
        "texts.TextVersion",
        verbose_name=_("adopted version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adoption_method = models.CharField(
        _("adopted"), max_length=10, choices=Method.choices, blank=True
    )
    adoption_note = TranslatedField(_("note on the adoption"), blank=True, multiline=True)
    document = models.ForeignKey(
        "library.Document",
        verbose_name=_("in the library"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcome_texts",
        help_text=_("The library's record of the adopted text, created on adoption."),
    )
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("Illustrative record created for a demonstration, not a real text."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now, editable=False)

    access_level = models.CharField(
        _("access"), max_length=16, choices=AccessLevel.choices, default=AccessLevel.SECRETARIAT
    )

    objects = OutcomeTextQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outcome text")
        verbose_name_plural = _("outcome texts")
        indexes = [
            models.Index(fields=["dialogue", "status"]),
            models.Index(fields=["status", "adopted_at"]),
            models.Index(fields=["updated_at", "id"]),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("texts:detail", kwargs={"pk": self.pk})

    @classmethod
    def access_group_q(cls, user_id: int) -> Q:
        """A text's group: accounts with a role in the dialogue for a state it went to."""
        return _state_roles_q("versions__circulations__states__", user_id, "dialogue_id")

    @property
    def is_adopted(self) -> bool:
        return self.status == self.Status.ADOPTED

    @property
    def is_open(self) -> bool:
        """Still being negotiated: versions can be issued and circulated."""
        return self.status in self.NEGOTIATING


class TextVersion(Protected):
    """One numbered version of a text. A draft version is editable; once circulated it is fixed.

    Its ``group`` level means the accounts of the states it was circulated to.
    """

    text = models.ForeignKey(OutcomeText, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    note = TranslatedField(
        _("note on this version"),
        blank=True,
        multiline=True,
        help_text=_("What changed and why; shown to the states it is circulated to."),
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField(
        _("issued"), null=True, blank=True, help_text=_("Empty while the version is a draft.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    access_level = models.CharField(
        _("access"), max_length=16, choices=AccessLevel.choices, default=AccessLevel.SECRETARIAT
    )
    access_dialogue_path = "text__dialogue"
    access_parent_path = "text"

    class Meta:
        ordering = ["text", "number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(fields=["text", "number"], name="textversion_unique_number"),
        ]

    def __str__(self) -> str:
        return str(_("%(text)s, version %(number)d") % {"text": self.text, "number": self.number})

    @classmethod
    def access_group_q(cls, user_id: int) -> Q:
        return _state_roles_q("circulations__states__", user_id, "text__dialogue_id")

    @property
    def is_draft(self) -> bool:
        return self.issued_at is None


class Paragraph(Protected):
    """A numbered paragraph of one version; ``key`` follows it from version to version."""

    version = models.ForeignKey(TextVersion, on_delete=models.CASCADE, related_name="paragraphs")
    key = models.CharField(max_length=32, default=new_paragraph_key, editable=False)
    position = models.PositiveIntegerField(_("position"))
    label = models.CharField(
        _("number"),
        max_length=20,
        blank=True,
        help_text=_("Shown before the paragraph, e.g. 4 or 2.1; empty for headings."),
    )
    is_heading = models.BooleanField(_("heading"), default=False)
    content = TranslatedField(_("text"), multiline=True)

    access_level = models.CharField(
        _("access"), max_length=16, choices=AccessLevel.choices, default=AccessLevel.INHERIT
    )
    access_dialogue_path = "version__text__dialogue"
    access_parent_path = "version"

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="paragraph_unique_position"
            ),
            models.UniqueConstraint(fields=["version", "key"], name="paragraph_unique_key"),
        ]

    def __str__(self) -> str:
        return self.label or str(self.content)[:60]


class Circulation(models.Model):
    """A version sent to a selection of states with a deadline: for comments, or in silence."""

    class Kind(models.TextChoices):
        COMMENTS = "comments", _("For comments and amendments")
        SILENCE = "silence", _("Silence procedure")

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        ADOPTED = "adopted", _("Silence held: adopted")
        BROKEN = "broken", _("Silence broken")
        CANCELLED = "cancelled", _("Cancelled")

    version = models.ForeignKey(TextVersion, on_delete=models.CASCADE, related_name="circulations")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMENTS)
    states = models.ManyToManyField(Country, verbose_name=_("states"), related_name="+")
    body = models.ForeignKey(
        "dialogues.Body",
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("When the version went to a body's member states."),
    )
    message = TranslatedField(_("message"), blank=True, multiline=True)
    deadline = models.DateTimeField(_("deadline"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("circulated"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("circulation")
        verbose_name_plural = _("circulations")
        indexes = [models.Index(fields=["outcome", "deadline"])]

    def __str__(self) -> str:
        return f"{self.version} — {self.get_kind_display()}"

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        """Comments or objections are accepted: still open and before the deadline."""
        return self.outcome == self.Outcome.OPEN and (now or timezone.now()) < self.deadline


class Comment(Protected):
    """A state's comment on, or amendment to, a paragraph (or the version as a whole).

    Contributors of the state may draft it; the focal point sends it. The secretariat sees
    every state's comments; a state sees its own (``group``: the accounts of that state).
    """

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        AMENDMENT = "amendment", _("Amendment")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Not decided")
        ACCEPTED = "accepted", _("Accepted")
        NOTED = "noted", _("Noted")
        REJECTED = "rejected", _("Not taken up")

    circulation = models.ForeignKey(Circulation, on_delete=models.CASCADE, related_name="comments")
    paragraph = models.ForeignKey(
        Paragraph,
        verbose_name=_("paragraph"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
        help_text=_("Empty: a comment on the version as a whole."),
    )
    country = models.ForeignKey(
        Country, verbose_name=_("state"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    body = models.TextField(_("comment"), blank=True)
    proposed_text = models.TextField(_("proposed wording"), blank=True)
    language = models.CharField(_("language of the wording"), max_length=8, default="en")
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now, editable=False)

    access_level = models.CharField(
        _("access"), max_length=16, choices=AccessLevel.choices, default=AccessLevel.GROUP
    )
    access_dialogue_path = "circulation__version__text__dialogue"

    class Meta:
        ordering = ["circulation", "paragraph__position", "country", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["circulation", "status"])]

    def __str__(self) -> str:
        return f"{self.country_id}: {self.get_kind_display()}"

    @classmethod
    def access_group_q(cls, user_id: int) -> Q:
        return _state_roles_q("country__", user_id, "circulation__version__text__dialogue_id")


class Objection(Protected):
    """A state's objection that broke a silence procedure: by whom, for which state, when, why."""

    circulation = models.ForeignKey(
        Circulation, on_delete=models.CASCADE, related_name="objections"
    )
    country = models.ForeignKey(
        Country, verbose_name=_("state"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)

    access_level = models.CharField(
        _("access"), max_length=16, choices=AccessLevel.choices, default=AccessLevel.GROUP
    )
    access_dialogue_path = "circulation__version__text__dialogue"

    class Meta:
        ordering = ["raised_at", "pk"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.UniqueConstraint(
                fields=["circulation", "country"], name="objection_one_per_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country_id}: {self.reason[:60]}"

    @classmethod
    def access_group_q(cls, user_id: int) -> Q:
        return _state_roles_q("country__", user_id, "circulation__version__text__dialogue_id")


class TextNotification(models.Model):
    """One e-mail about a text to one recipient, queued in the same transaction as its cause.

    ``key`` is unique per recipient and cause, so nothing is queued twice; the sender claims a
    row (``pending`` → ``sending``) before handing it to the mail server, so nothing is sent twice.
    """

    class Kind(models.TextChoices):
        CIRCULATED = "circulated", _("Version circulated")
        DEADLINE = "deadline", _("Deadline approaching")
        SILENCE = "silence", _("Silence procedure started")
        BROKEN = "broken", _("Silence broken")
        ADOPTED = "adopted", _("Text adopted")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Handed to the mail server")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    circulation = models.ForeignKey(
        Circulation, on_delete=models.CASCADE, related_name="notifications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
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
