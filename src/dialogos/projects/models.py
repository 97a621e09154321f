"""Operational projects flanking a dialogue (for example Migrant Resource Centres).

A project belongs to one dialogue, serves its objectives, runs in places (cities with
coordinates), is implemented by organisations and funded by donors, and reports results as
indicators over time (per month or quarter, optionally broken down, e.g. by channel).

Rules about one object live here as methods; writes live in ``projects.services``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dialogos.core.i18n import TranslatedField
from dialogos.core.models import Country, Protected


@lru_cache(maxsize=1)
def currency_codes() -> frozenset[str]:
    """Every active ISO 4217 currency code this machine knows."""
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def validate_currency(value: str) -> None:
    if value not in currency_codes():
        raise ValidationError(
            _("“%(code)s” is not an ISO 4217 currency code (for example EUR, USD)."),
            params={"code": value},
            code="currency",
        )


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


class ProjectType(models.Model):
    """One entry of a dialogue's editable list of project types."""

    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialogue"),
        on_delete=models.CASCADE,
        related_name="project_types",
    )
    slug = models.SlugField(_("short identifier"))
    name = TranslatedField(_("name"), text_max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["dialogue", "order", "slug"]
        verbose_name = _("project type")
        verbose_name_plural = _("project types")
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "slug"], name="project_type_unique_slug"),
        ]

    def __str__(self) -> str:
        return str(self.name)


class Place(models.Model):
    """A city or site where projects run, with its coordinates (WGS 84, decimal degrees)."""

    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialogue"),
        on_delete=models.CASCADE,
        related_name="project_places",
    )
    name = TranslatedField(_("name"), text_max_length=200)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
        help_text=_("Decimal degrees, from −90 (south) to 90 (north)."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
        help_text=_("Decimal degrees, from −180 (west) to 180 (east)."),
    )

    class Meta:
        ordering = ["dialogue", "country", "id"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)


LISTING_FIELDS = (
    "id",
    "access_level",
    "dialogue_id",
    "title",
    "type_id",
    "status",
    "start",
    "end",
    "currency",
    "dialogue__id",
    "dialogue__slug",
    "dialogue__name",
    "dialogue__short_name",
    "dialogue__main_language",
    "type__id",
    "type__slug",
    "type__name",
)


class ProjectQuerySet(models.QuerySet["Project"]):
    """Reads over many projects. Callers always narrow with ``core.access.visible``."""

    def for_dialogue(self, slug: str) -> ProjectQuerySet:
        return self.filter(dialogue__slug=slug)

    def in_country(self, code: str) -> ProjectQuerySet:
        """Projects in this state (named directly or through one of their places)."""
        code = code.upper()
        direct = Project.countries.through.objects.filter(country_id=code).values("project_id")
        through_places = Project.places.through.objects.filter(place__country_id=code).values(
            "project_id"
        )
        return self.filter(Q(pk__in=direct) | Q(pk__in=through_places))

    def with_status(self, *statuses: str) -> ProjectQuerySet:
        return self.filter(status__in=statuses)

    def staffed_by(self, user_id: int) -> ProjectQuerySet:
        return self.filter(members__user_id=user_id, members__role=ProjectMember.Role.STAFF)

    def with_listing_data(self) -> ProjectQuerySet:
        """Join what a list shows (and only that), so it costs a fixed number of queries."""
        return (
            self.select_related("dialogue", "type")
            .only(*LISTING_FIELDS)
            .prefetch_related(
                models.Prefetch("countries", queryset=Country.objects.only("code", "name")),
                models.Prefetch(
                    "places",
                    queryset=Place.objects.select_related("country").only(
                        "id",
                        "name",
                        "country_id",
                        "latitude",
                        "longitude",
                        "country__code",
                        "country__name",
                    ),
                ),
            )
        )

    def in_place(self, place_id: int) -> ProjectQuerySet:
        return self.filter(
            pk__in=Project.places.through.objects.filter(place_id=place_id).values("project_id")
        )


class Project(Protected):
    """An operational project of a dialogue.

    Its ``group`` access level means the project's own staff (see ``access_group_q``).
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        SUSPENDED = "suspended", _("Suspended")
        COMPLETED = "completed", _("Completed")

    dialogue = models.ForeignKey(
        "dialogues.Dialogue",
        verbose_name=_("dialogue"),
        on_delete=models.CASCADE,
        related_name="projects",
    )
    title = TranslatedField(_("title"), text_max_length=300)
    type = models.ForeignKey(
        ProjectType,
        verbose_name=_("type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    summary = TranslatedField(_("summary"), blank=True, multiline=True)
    objectives = TranslatedField(_("objectives"), blank=True, multiline=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ONGOING
    )
    start = models.DateField(_("starts"))
    end = models.DateField(_("ends"), null=True, blank=True, help_text=_("Empty: open-ended."))
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="EUR",
        validators=[validate_currency],
        help_text=_("ISO 4217 code in which the project's funding is recorded, e.g. EUR."),
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="projects"
    )
    places = models.ManyToManyField(
        Place, verbose_name=_("places"), blank=True, related_name="projects"
    )
    implementers = models.ManyToManyField(
        "dialogues.Organisation",
        verbose_name=_("implementing organisations"),
        blank=True,
        related_name="implemented_projects",
    )
    plan_items = models.ManyToManyField(
        "plans.PlanItem",
        verbose_name=_("commitments and plan items served"),
        blank=True,
        related_name="projects",
    )
    documents = models.ManyToManyField(
        "library.Document",
        verbose_name=_("documents"),
        blank=True,
        related_name="projects",
    )
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["dialogue", "-start", "id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="project_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", kwargs={"project_id": self.pk})

    @classmethod
    def access_group_q(cls, user_id: int) -> Q:
        return Q(pk__in=ProjectMember.objects.filter(user_id=user_id).values("project_id"))

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The project cannot end before it starts.")})
        if self.type_id and self.dialogue_id:
            type_dialogue = (
                ProjectType.objects.filter(pk=self.type_id)
                .values_list("dialogue_id", flat=True)
                .first()
            )
            if type_dialogue != self.dialogue_id:
                raise ValidationError({"type": _("Choose a type of this project's dialogue.")})

    def covers(self, first: datetime.date, last: datetime.date) -> bool:
        """True when the period [first, last] overlaps the project's own period."""
        if last < self.start:
            return False
        return self.end is None or first <= self.end


class ProjectMember(models.Model):
    """An account working on a project; staff enter the project's results."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Staff: enters results")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="project_memberships",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STAFF)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["project", "user"]
        verbose_name = _("project member")
        verbose_name_plural = _("project members")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="project_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class Funding(models.Model):
    """What one donor (a state or an organisation) gives a project, in the project's currency."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="funding"
    )
    donor_country = models.ForeignKey(
        Country,
        verbose_name=_("donor state"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    donor_organisation = models.ForeignKey(
        "dialogues.Organisation",
        verbose_name=_("donor organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funded_projects",
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    note = TranslatedField(_("note"), blank=True, text_max_length=300)

    class Meta:
        ordering = ["project", "-amount", "id"]
        verbose_name = _("funding")
        verbose_name_plural = _("funding")
        constraints = [
            models.CheckConstraint(
                condition=(Q(donor_country__isnull=True) & Q(donor_organisation__isnull=False))
                | (Q(donor_country__isnull=False) & Q(donor_organisation__isnull=True)),
                name="funding_one_donor",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_amount_positive"),
            models.UniqueConstraint(
                fields=["project", "donor_country"],
                condition=Q(donor_country__isnull=False),
                name="funding_unique_state",
            ),
            models.UniqueConstraint(
                fields=["project", "donor_organisation"],
                condition=Q(donor_organisation__isnull=False),
                name="funding_unique_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.donor_name()}: {self.amount} {self.currency}"

    def donor_name(self) -> str:
        if self.donor_organisation_id and self.donor_organisation is not None:
            return self.donor_organisation.display_name()
        if self.donor_country_id and self.donor_country is not None:
            return str(self.donor_country)
        return ""

    def clean(self) -> None:
        super().clean()
        if bool(self.donor_country_id) == bool(self.donor_organisation_id):
            raise ValidationError(
                {"donor_organisation": _("Name one donor: a state or an organisation.")}
            )
        if self.project_id and self.currency:
            project_currency = (
                Project.objects.filter(pk=self.project_id)
                .values_list("currency", flat=True)
                .first()
            )
            if project_currency and self.currency != project_currency:
                raise ValidationError(
                    {
                        "currency": _(
                            "This project's funding is recorded in %(project)s; "
                            "enter the amount in %(project)s, not %(given)s."
                        )
                        % {"project": project_currency, "given": self.currency}
                    }
                )


class Indicator(models.Model):
    """A result the project measures over time, e.g. migrants counselled, by channel."""

    class Frequency(models.TextChoices):
        MONTH = "month", _("Monthly")
        QUARTER = "quarter", _("Quarterly")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="indicators"
    )
    title = TranslatedField(_("title"), text_max_length=300)
    unit = TranslatedField(
        _("unit"), text_max_length=100, help_text=_("What is counted, e.g. people.")
    )
    description = TranslatedField(_("description"), blank=True, multiline=True)
    breakdown = TranslatedField(
        _("breakdown"),
        blank=True,
        text_max_length=100,
        help_text=_("What the values are broken down by, e.g. channel. Empty: no breakdown."),
    )
    frequency = models.CharField(
        _("reported"), max_length=8, choices=Frequency.choices, default=Frequency.MONTH
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["project", "order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return str(self.title)

    def period_of(self, day: datetime.date) -> datetime.date:
        """The first day of the month or quarter containing ``day``."""
        if self.frequency == self.Frequency.QUARTER:
            return quarter_start(day)
        return month_start(day)

    def period_end(self, period: datetime.date) -> datetime.date:
        months = 3 if self.frequency == self.Frequency.QUARTER else 1
        return add_months(period, months) - datetime.timedelta(days=1)

    def period_label(self, period: datetime.date) -> str:
        if self.frequency == self.Frequency.QUARTER:
            return f"{period.year} Q{(period.month - 1) // 3 + 1}"
        return f"{period.year}-{period.month:02d}"


class IndicatorCategory(models.Model):
    """One value of an indicator's breakdown, e.g. the channel "telephone or hotline"."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="categories"
    )
    name = TranslatedField(_("name"), text_max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["indicator", "order", "id"]
        verbose_name = _("breakdown category")
        verbose_name_plural = _("breakdown categories")

    def __str__(self) -> str:
        return str(self.name)


class ResultValue(models.Model):
    """The value of an indicator (for one category of its breakdown) in one period."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    category = models.ForeignKey(
        IndicatorCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="values",
    )
    period = models.DateField(_("period"), help_text=_("First day of the month or quarter."))
    value = models.BigIntegerField(_("value"), validators=[MinValueValidator(0)])
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered"), auto_now=True)

    class Meta:
        ordering = ["indicator", "period", "category"]
        verbose_name = _("result value")
        verbose_name_plural = _("result values")
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="result_value_not_negative"),
            models.UniqueConstraint(
                fields=["indicator", "category", "period"],
                condition=Q(category__isnull=False),
                name="result_value_unique_category",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(category__isnull=True),
                name="result_value_unique_total",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period:%Y-%m}: {self.value}"

    def as_row(self) -> dict[str, Any]:
        return {"period": self.period.isoformat(), "value": self.value}
