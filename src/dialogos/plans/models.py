"""Action plans: the plan, its tree of items with weighted progress, indicators, the links to
what implements each item, and the reporting cycles in which states answer for their items.

The tree is stored as a parent key plus a materialised ``path`` (fixed-width position per
level) and a ``depth``: ordering by ``path`` gives the whole tree in display order in one
query, and a subtree is ``path__startswith``. Progress is computed in Python in one pass and
stored (``services.recompute_progress``).

Weights: siblings' weights are relative shares (whole numbers 0 to 1000) and are normalised, so
they need not add up to 100. An item of weight 0 is shown but does not count. Siblings whose
weights are all 0 are inconsistent and refused by the services.

Rules about one object live here; writes live in ``plans.services``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogos.core.i18n import TranslatedField
from dialogos.core.models import AccessLevel, Country, Protected
from dialogos.meetings.models import Meeting
from dialogos.texts.models import OutcomeText

PATH_STEP = 5  # characters per level in ``PlanItem.path``
MAX_DEPTH = 8
MAX_POSITION = 10**PATH_STEP - 1
MAX_WEIGHT = 1000


def path_segment(position: int) -> str:
    return f"{position:0{PATH_STEP}d}"


class ProgressStatus(models.Model):
    """One entry of a dialogue's editable list of statuses, each worth a share of progress."""

    dialogue = models.ForeignKey(
        "dialogues.Dialogue", on_delete=models.CASCADE, related_name="plan_statuses"
    )
    code = models.SlugField(_("short identifier"), max_length=40)
    name = TranslatedField(_("name"), text_max_length=100)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), help_text=_("How far an item with this status is, from 0 to 100.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_default = models.BooleanField(
        _("default for new items"), default=False, help_text=_("At most one per dialogue.")
    )

    class Meta:
        ordering = ["dialogue", "order", "progress", "code"]
        verbose_name = _("progress status")
        verbose_name_plural = _("progress statuses")
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "code"], name="plans_status_unique_code"),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="plans_status_progress_range"
            ),
        ]

    def __str__(self) -> str:
        return str(self.name) or self.code

    def clean(self) -> None:
        if self.progress is not None and not 0 <= self.progress <= 100:
            raise ValidationError({"progress": _("Enter a progress between 0 and 100.")})


class ActionPlanQuerySet(models.QuerySet["ActionPlan"]):
    def for_dialogue(self, dialogue: Any) -> ActionPlanQuerySet:
        return self.filter(dialogue=dialogue)

    def with_listing_data(self) -> ActionPlanQuerySet:
        return self.select_related("dialogue", "meeting", "text")


class ActionPlan(Protected):
    """A dialogue's plan of work for a period, turned from the text that adopted it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")
        IMPLEMENTING = "implementing", _("Being implemented")
        COMPLETED = "completed", _("Completed")
        SUPERSEDED = "superseded", _("Superseded")

    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialogue"),
        on_delete=models.CASCADE,
        related_name="action_plans",
    )
    slug = models.SlugField(_("short identifier"), max_length=80)
    title = TranslatedField(_("title"), text_max_length=300)
    summary = TranslatedField(_("summary"), blank=True, multiline=True)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("adopted at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_plans",
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    text = models.ForeignKey(
        "texts.OutcomeText",
        verbose_name=_("adopting text"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_plans",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    progress = models.DecimalField(
        _("progress (%)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    progress_computed_at = models.DateTimeField(_("progress computed"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["dialogue", "order", "-period_start", "slug"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "slug"], name="plans_plan_unique_slug"),
        ]

    def __str__(self) -> str:
        return str(self.title) or self.slug

    @property
    def period(self) -> str:
        return f"{self.period_start}–{self.period_end}"

    def clean(self) -> None:
        if self.period_start and not 1945 <= self.period_start <= 2200:
            raise ValidationError({"period_start": _("Enter a year between 1945 and 2200.")})
        if self.period_end and not 1945 <= self.period_end <= 2200:
            raise ValidationError({"period_end": _("Enter a year between 1945 and 2200.")})
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(
                {"period_end": _("The last year must not be before the first year.")}
            )
        if self.meeting_id and self.dialogue_id:
            meeting_dialogue = Meeting.objects.filter(pk=self.meeting_id).values_list(
                "dialogue_id", flat=True
            )
            if list(meeting_dialogue) not in ([], [self.dialogue_id]):
                raise ValidationError({"meeting": _("This meeting belongs to another dialogue.")})
        if self.text_id and self.dialogue_id:
            text_dialogue = OutcomeText.objects.filter(pk=self.text_id).values_list(
                "dialogue_id", flat=True
            )
            if list(text_dialogue) not in ([], [self.dialogue_id]):
                raise ValidationError({"text": _("This text belongs to another dialogue.")})


class PlanItemQuerySet(models.QuerySet["PlanItem"]):
    def tree_order(self) -> PlanItemQuerySet:
        return self.order_by("path")

    def roots(self) -> PlanItemQuerySet:
        return self.filter(parent__isnull=True)

    def subtree(self, item: PlanItem) -> PlanItemQuerySet:
        return self.filter(plan_id=item.plan_id, path__startswith=item.path)

    def led_by(self, code: str) -> PlanItemQuerySet:
        return self.filter(states__country_id=code.upper()).distinct()


class PlanItem(Protected):
    """One node of a plan: a pillar, thematic component, objective, commitment or action."""

    class Kind(models.TextChoices):
        PILLAR = "pillar", _("Pillar")
        COMPONENT = "component", _("Thematic component")
        OBJECTIVE = "objective", _("Objective")
        COMMITMENT = "commitment", _("Commitment")
        ACTION = "action", _("Action")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    path = models.CharField(max_length=PATH_STEP * MAX_DEPTH, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    position = models.PositiveIntegerField(_("position"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ACTION)
    code = models.CharField(
        _("number"), max_length=20, blank=True, help_text=_("As in the adopted text, e.g. 2.1.")
    )
    title = TranslatedField(_("title"), text_max_length=500)
    description = TranslatedField(_("description"), blank=True, multiline=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        help_text=_(
            "A relative share among its siblings (0–1000); shares are normalised, "
            "0 means not counted."
        ),
    )
    status = models.ForeignKey(
        ProgressStatus,
        verbose_name=_("status"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    progress = models.DecimalField(
        _("progress (%)"), max_digits=5, decimal_places=2, default=Decimal("0"), editable=False
    )

    access_level = models.CharField(
        _("access"), max_length=16, choices=AccessLevel.choices, default=AccessLevel.INHERIT
    )
    access_dialogue_path = "plan__dialogue"
    access_parent_path = "plan"

    objects = PlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "path"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.UniqueConstraint(fields=["plan", "path"], name="plans_item_unique_path"),
            models.CheckConstraint(
                condition=Q(weight__lte=MAX_WEIGHT), name="plans_item_weight_range"
            ),
        ]

    def __str__(self) -> str:
        title = str(self.title)
        return f"{self.code} {title}" if self.code else title

    def is_ancestor_of(self, other: PlanItem) -> bool:
        return (
            self.plan_id == other.plan_id
            and other.path.startswith(self.path)
            and other.path != self.path
        )

    def clean(self) -> None:
        if self.weight is not None and self.weight > MAX_WEIGHT:
            raise ValidationError(
                {"weight": _("Enter a whole number from 0 to %(max)d.") % {"max": MAX_WEIGHT}}
            )


class ItemState(models.Model):
    """A state's part in an item: lead, co-lead or participant, and what it last reported."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        CO_LEAD = "co_lead", _("Co-lead")
        PARTICIPANT = "participant", _("Participating")

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="states")
    country = models.ForeignKey(
        Country, verbose_name=_("state"), on_delete=models.PROTECT, related_name="plan_items"
    )
    role = models.CharField(_("part"), max_length=20, choices=Role.choices)
    status = models.ForeignKey(
        ProgressStatus,
        verbose_name=_("reported status"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("last reported"), null=True, blank=True)

    class Meta:
        ordering = ["item", "role", "country"]
        verbose_name = _("state in an item")
        verbose_name_plural = _("states in items")
        constraints = [
            models.UniqueConstraint(fields=["item", "country"], name="plans_itemstate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} — {self.get_role_display()}"


class ItemLink(models.Model):
    """Something that implements an item: a meeting, a document, a good practice or an
    outside address (exactly one). Projects link themselves from their own app."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="links")
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="plan_links",
    )
    document = models.ForeignKey(
        "library.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="plan_links",
    )
    practice = models.ForeignKey(
        "library.Practice",
        verbose_name=_("good practice"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="plan_links",
    )
    url = models.URLField(_("address"), blank=True, max_length=500)
    label = TranslatedField(_("label"), blank=True, text_max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["item", "order", "pk"]
        verbose_name = _("implementing link")
        verbose_name_plural = _("implementing links")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(meeting__isnull=False, document__isnull=True, practice__isnull=True, url="")
                    | Q(meeting__isnull=True, document__isnull=False, practice__isnull=True, url="")
                    | Q(meeting__isnull=True, document__isnull=True, practice__isnull=False, url="")
                    | Q(meeting__isnull=True, document__isnull=True, practice__isnull=True)
                    & ~Q(url="")
                ),
                name="plans_link_one_target",
            ),
        ]

    def __str__(self) -> str:
        target = self.meeting_id or self.document_id or self.practice_id
        return str(self.label) or self.url or str(target)


class Indicator(models.Model):
    """A measure of an item, with a baseline, a target and dated values."""

    class Unit(models.TextChoices):
        PERCENT = "percent", _("Percentage (0–100)")
        COUNT = "count", _("Count (whole number)")
        NUMBER = "number", _("Number")
        AMOUNT = "amount", _("Amount of money")

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("number"), max_length=20, blank=True)
    name = TranslatedField(_("name"), text_max_length=300)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.COUNT)
    unit_label = TranslatedField(
        _("unit label"),
        blank=True,
        text_max_length=60,
        help_text=_("What is counted, e.g. officials trained, or the currency."),
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["item", "order", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return str(self.name)

    def check_value(self, value: Decimal, *, field: str = "value") -> None:
        """Refuse a value that does not fit the unit."""
        check_unit_value(self.unit, value, field=field)

    def clean(self) -> None:
        for name in ("baseline", "target"):
            value = getattr(self, name)
            if value is not None:
                check_unit_value(self.unit, value, field=name)


def check_unit_value(unit: str, value: Decimal, *, field: str = "value") -> None:
    if unit == Indicator.Unit.PERCENT and not Decimal(0) <= value <= Decimal(100):
        raise ValidationError({field: _("A percentage lies between 0 and 100.")})
    if unit == Indicator.Unit.COUNT and (value != value.to_integral_value() or value < 0):
        raise ValidationError({field: _("A count is a whole number, 0 or more.")})
    if unit == Indicator.Unit.AMOUNT and value < 0:
        raise ValidationError({field: _("An amount is 0 or more.")})


class IndicatorValue(models.Model):
    """One measured value of an indicator, on a date, for the whole plan or one state."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    country = models.ForeignKey(
        Country,
        verbose_name=_("state"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    report = models.ForeignKey(
        "plans.StateReport",
        verbose_name=_("from report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_values",
    )
    note = TranslatedField(_("note"), blank=True, text_max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["indicator", "-on", "-pk"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")

    def __str__(self) -> str:
        return f"{self.on}: {self.value}"


class ReportingCycleQuerySet(models.QuerySet["ReportingCycle"]):
    def open(self) -> ReportingCycleQuerySet:
        return self.filter(status=ReportingCycle.Status.OPEN)


class ReportingCycle(Protected):
    """A round in which the secretariat asks states to report on some items and indicators."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open for answers")
        CLOSED = "closed", _("Closed")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="cycles")
    title = TranslatedField(_("title"), text_max_length=300)
    instructions = TranslatedField(_("instructions"), blank=True, multiline=True)
    period_start = models.DateField(_("reporting period from"))
    period_end = models.DateField(_("reporting period until"))
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    items = models.ManyToManyField(
        PlanItem, verbose_name=_("items to report on"), related_name="cycles", blank=True
    )
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indicators to report on"), related_name="cycles", blank=True
    )
    reminder_days = models.JSONField(
        _("reminders (days before the deadline)"), default=list, blank=True
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    access_level = models.CharField(
        _("access"), max_length=16, choices=AccessLevel.choices, default=AccessLevel.MEMBERS
    )
    access_dialogue_path = "plan__dialogue"
    access_parent_path = "plan"

    objects = ReportingCycleQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-deadline", "-pk"]
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")

    def __str__(self) -> str:
        return str(self.title)

    def is_past_deadline(self, now: datetime.datetime | None = None) -> bool:
        return (now or timezone.now()) > self.deadline

    def accepts_answers(self, now: datetime.datetime | None = None) -> bool:
        return self.status == self.Status.OPEN and not self.is_past_deadline(now)

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(
                {"period_end": _("The end of the period must not be before its start.")}
            )


class StateReport(models.Model):
    """One state's report in a cycle: answers per item, values per indicator, and its review."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CLARIFICATION = "clarification", _("Clarification asked")
        ACCEPTED = "accepted", _("Accepted")

    EDITABLE = {Status.NOT_STARTED, Status.DRAFT, Status.CLARIFICATION}

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="reports")
    country = models.ForeignKey(
        Country, verbose_name=_("state"), on_delete=models.PROTECT, related_name="plan_reports"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.TextField(_("note from the secretariat"), blank=True)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        ordering = ["cycle", "country"]
        verbose_name = _("state report")
        verbose_name_plural = _("state reports")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "country"], name="plans_report_unique_state"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} — {self.country_id}"

    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class ReportAnswer(models.Model):
    """A state's answer about one item in one report."""

    report = models.ForeignKey(StateReport, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="answers")
    status = models.ForeignKey(
        ProgressStatus,
        verbose_name=_("status"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    narrative = models.TextField(_("what was done"), blank=True)
    evidence = models.JSONField(_("evidence links"), default=list, blank=True)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["report", "item__path"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["report", "item"], name="plans_answer_unique_item"),
        ]

    def __str__(self) -> str:
        return f"{self.report} — {self.item_id}"


class ReportValue(models.Model):
    """A state's value of one indicator in one report."""

    report = models.ForeignKey(StateReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="reported_values"
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["report", "indicator"]
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="plans_value_unique_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} — {self.indicator_id}: {self.value}"


class ReportReminder(models.Model):
    """A reminder e-mail about a cycle's deadline; ``key`` makes queuing it idempotent."""

    key = models.CharField(max_length=200, unique=True)
    cycle = models.ForeignKey(ReportingCycle, on_delete=models.CASCADE, related_name="reminders")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=8, default="en")
    days_before = models.PositiveSmallIntegerField(_("days before the deadline"))
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")

    def __str__(self) -> str:
        return f"{self.cycle_id} → {self.email}"
