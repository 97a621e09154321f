"""News: dated items with images, the quarterly review, its subscribers and its outbox.

Rules about one object live here as methods; writes live in ``news.services``.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from dialogos.core.i18n import TranslatedField
from dialogos.core.models import Protected


def _rendition_path(instance: NewsImage, filename: str) -> str:
    return f"news/images/{instance.item_id}/{uuid.uuid4().hex}-{filename}"


class Topic(models.Model):
    """A subject the news is filed under (border governance, labour migration …)."""

    slug = models.SlugField(_("short identifier"), unique=True)
    name = TranslatedField(_("name"), text_max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return str(self.name)


class NewsItemQuerySet(models.QuerySet["NewsItem"]):
    """Reads over many items. Callers always narrow with ``core.access.visible``."""

    def published(self, now: datetime.datetime | None = None) -> NewsItemQuerySet:
        """Published items whose publication time has come, latest first."""
        now = now or timezone.now()
        return self.filter(status=NewsItem.Status.PUBLISHED, published_at__lte=now).order_by(
            "-published_at", "-pk"
        )

    def scheduled(self, now: datetime.datetime | None = None) -> NewsItemQuerySet:
        now = now or timezone.now()
        return self.filter(status=NewsItem.Status.PUBLISHED, published_at__gt=now)

    def for_dialogue(self, dialogue: Any) -> NewsItemQuerySet:
        return self.filter(dialogue=dialogue)

    def in_year(self, year: int) -> NewsItemQuerySet:
        start = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
        end = datetime.datetime(year + 1, 1, 1, tzinfo=datetime.UTC)
        return self.filter(published_at__gte=start, published_at__lt=end)

    def with_topic(self, slug: str) -> NewsItemQuerySet:
        return self.filter(topics__slug=slug)

    def between(self, start: datetime.date, end: datetime.date) -> NewsItemQuerySet:
        """Items published on a day in [start, end] (UTC days)."""
        low = datetime.datetime.combine(start, datetime.time.min, tzinfo=datetime.UTC)
        high = datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC
        )
        return self.filter(published_at__gte=low, published_at__lt=high)

    def with_listing_data(self) -> NewsItemQuerySet:
        """Join what a list shows (dialogue, first image), so it costs a fixed number of queries;
        the text itself is left in the database."""
        return (
            self.select_related("dialogue")
            .defer("body", "dialogue__description", "dialogue__tagline")
            .prefetch_related(
                models.Prefetch(
                    "images",
                    queryset=NewsImage.objects.order_by("order", "pk").only(
                        "pk", "item_id", "content_type", "small_width", "small_height", "order"
                    ),
                )
            )
        )


class NewsItem(Protected):
    """One dated news item of a dialogue, or of the whole platform when ``dialogue`` is empty."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialogue"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="news_items",
        help_text=_("Empty: news of the whole platform."),
    )
    title = TranslatedField(_("title"), text_max_length=300)
    slug = models.SlugField(_("address name"), max_length=120, blank=True)
    lead = TranslatedField(
        _("lead"),
        blank=True,
        multiline=True,
        text_max_length=1000,
        help_text=_("One or two sentences shown in lists, feeds and the review."),
    )
    body = TranslatedField(
        _("text"), blank=True, multiline=True, help_text=_("Markdown: headings, lists, links.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication date"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("A time in the future keeps a published item hidden until then."),
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="+")
    meetings = models.ManyToManyField(
        "meetings.Meeting", verbose_name=_("meetings"), blank=True, related_name="news_items"
    )
    documents = models.ManyToManyField(
        "library.Document", verbose_name=_("documents"), blank=True, related_name="news_items"
    )
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("projects"), blank=True, related_name="news_items"
    )
    schedule_decision = models.OneToOneField(
        "meetings.ScheduleDecision",
        verbose_name=_("from the change of schedule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news_item",
    )
    is_example = models.BooleanField(_("example data"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        indexes = [
            models.Index(fields=["status", "published_at"]),
            models.Index(fields=["dialogue", "status", "published_at"]),
            models.Index(
                fields=["access_level", "status", "-published_at"], name="news_item_public_latest"
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("news:detail", kwargs={"pk": self.pk, "slug": self.slug or "item"})

    def is_live(self, now: datetime.datetime | None = None) -> bool:
        """Published and its time has come: visitors (who may see it) see it."""
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
        )

    def is_scheduled(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > now
        )

    def make_slug(self) -> str:
        text = self.title.get_text("en") if hasattr(self.title, "get_text") else str(self.title)
        return (slugify(text)[:100].strip("-")) or "item"

    def first_image(self) -> NewsImage | None:
        images = list(self.images.all())
        return images[0] if images else None


class NewsImage(models.Model):
    """A picture of an item, stored only as checked, re-encoded renditions without metadata."""

    SIZES = {"large": 1200, "small": 480}

    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="images")
    alt = TranslatedField(
        _("text alternative"),
        text_max_length=300,
        help_text=_("What the picture shows, for people who cannot see it."),
    )
    credit = TranslatedField(_("credit"), blank=True, text_max_length=200)
    large = models.FileField(_("large rendition"), upload_to=_rendition_path, max_length=300)
    small = models.FileField(_("small rendition"), upload_to=_rendition_path, max_length=300)
    content_type = models.CharField(max_length=40, default="image/jpeg")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    small_width = models.PositiveIntegerField(default=0)
    small_height = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "order", "pk"]
        verbose_name = _("news image")
        verbose_name_plural = _("news images")

    def __str__(self) -> str:
        return str(self.alt)

    @property
    def extension(self) -> str:
        return "png" if self.content_type == "image/png" else "jpg"

    def url(self, size: str = "large") -> str:
        return reverse("news:image", kwargs={"pk": self.pk, "size": size, "ext": self.extension})


# The quarterly review ---------------------------------------------------------------------


class ReviewIssue(Protected):
    """One issue of a dialogue's review (e.g. the Prague Process Quarterly Review)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        PUBLISHED = "published", _("Published")

    class Sending(models.TextChoices):
        NOT_SENT = "", _("Not sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialogue"),
        on_delete=models.CASCADE,
        related_name="review_issues",
    )
    title = TranslatedField(_("title"), text_max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    introduction = TranslatedField(_("introduction"), blank=True, multiline=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    sending = models.CharField(
        _("sending"), max_length=12, choices=Sending.choices, default="", blank=True
    )
    send_started_at = models.DateTimeField(null=True, blank=True)
    send_finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("review issue")
        verbose_name_plural = _("review issues")

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("news:review", kwargs={"pk": self.pk})


class ReviewEntry(models.Model):
    """One gathered line of an issue, in its section; the secretariat edits and orders them."""

    class Section(models.TextChoices):
        NEWS = "news", _("News")
        HELD = "held", _("Meetings held")
        UPCOMING = "upcoming", _("Upcoming meetings")
        PUBLICATIONS = "publications", _("Publications")

    issue = models.ForeignKey(ReviewIssue, on_delete=models.CASCADE, related_name="entries")
    section = models.CharField(_("section"), max_length=16, choices=Section.choices)
    order = models.PositiveIntegerField(_("order"), default=0)
    news_item = models.ForeignKey(
        NewsItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    document = models.ForeignKey(
        "library.Document", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    title = TranslatedField(_("title"), text_max_length=300)
    summary = TranslatedField(_("summary"), blank=True, multiline=True, text_max_length=2000)
    link = models.CharField(_("link"), max_length=300, blank=True)

    class Meta:
        ordering = ["issue", "section", "order", "pk"]
        verbose_name = _("review entry")
        verbose_name_plural = _("review entries")

    def __str__(self) -> str:
        return str(self.title)


# Subscriptions and the outbox -------------------------------------------------------------


class Subscriber(models.Model):
    """An e-mail address that asked for the review; active only after it confirmed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Stopped after bounces")

    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    dialogues = models.ManyToManyField(
        "dialogues.Dialogue",
        verbose_name=_("dialogues"),
        blank=True,
        related_name="news_subscribers",
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.PENDING
    )
    bounces = models.PositiveSmallIntegerField(_("bounces"), default=0)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        indexes = [models.Index(fields=["status", "id"])]

    def __str__(self) -> str:
        return self.email


class Dispatch(models.Model):
    """One issue to one subscriber: written once per pair, claimed, sent at most once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        CLAIMED = "claimed", _("Taken by a sender")
        SENDING = "sending", _("Handed to the mail server")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    issue = models.ForeignKey(ReviewIssue, on_delete=models.CASCADE, related_name="dispatches")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claim = models.CharField(max_length=32, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("review e-mail")
        verbose_name_plural = _("review e-mails")
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="dispatch_once"),
        ]
        indexes = [models.Index(fields=["issue", "status", "id"])]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.email}"


class Bounce(models.Model):
    """A delivery status notification (RFC 3464) or a refusal by the mail server, matched to
    the e-mail of the outbox it answers. Recorded once (``fingerprint``), however often the
    bounce mailbox is read."""

    class Kind(models.TextChoices):
        HARD = "hard", _("Permanent (hard)")
        SOFT = "soft", _("Temporary (soft)")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="bounce_log")
    dispatch = models.ForeignKey(
        Dispatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="bounces"
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    status = models.CharField(_("status code"), max_length=16, blank=True)
    diagnostic = models.TextField(_("diagnostic"), blank=True)
    fingerprint = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("bounce")
        verbose_name_plural = _("bounces")
        indexes = [models.Index(fields=["subscriber", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.status}".strip()
