from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogos.core.i18n import TranslatedField
from dialogos.core.models import AccessLevel, Country, Protected

FAR_FUTURE = datetime.date(9999, 12, 31)
FAR_PAST = datetime.date(1, 1, 1)


def _today() -> datetime.date:
    return timezone.localdate()


class DatedQuerySet(models.QuerySet[Any]):
    """Rows with a ``start``/``end`` term (either may be empty: unknown or open)."""

    def current(self, on: datetime.date | None = None) -> DatedQuerySet:
        on = on or _today()
        return self.filter(Q(start__isnull=True) | Q(start__lte=on)).filter(
            Q(end__isnull=True) | Q(end__gte=on)
        )

    def past(self, on: datetime.date | None = None) -> DatedQuerySet:
        on = on or _today()
        return self.filter(end__lt=on)

    def overlapping(self, start: datetime.date | None, end: datetime.date | None) -> DatedQuerySet:
        """Terms that share at least one day with [start, end] (empty bounds are open)."""
        qs = self
        if end is not None:
            qs = qs.filter(Q(start__isnull=True) | Q(start__lte=end))
        if start is not None:
            qs = qs.filter(Q(end__isnull=True) | Q(end__gte=start))
        return qs


class Dated(models.Model):
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        abstract = True

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or _today()
        return (self.start is None or self.start <= on) and (self.end is None or self.end >= on)

    def clean_term(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end date must not be before the start date.")})


class HolderMixin(models.Model):
    """Something held by exactly one state or one organisation."""

    country = models.ForeignKey(
        Country,
        verbose_name=_("state"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "dialogues.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def holder(self) -> Country | Organisation | None:
        return self.country or self.organisation

    def holder_q(self) -> Q:
        if self.country_id:
            return Q(country_id=self.country_id)
        return Q(organisation_id=self.organisation_id)

    def clean_holder(self) -> None:
        if bool(self.country_id) == bool(self.organisation_id):
            raise ValidationError(
                {"country": _("Choose either a state or an organisation, not both or neither.")}
            )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        INTERNATIONAL = "international", _("International organisation")
        EU = "eu", _("EU institution or agency")
        PROGRAMME = "programme", _("Programme or facility")
        GOVERNMENT = "government", _("Government body")
        CIVIL_SOCIETY = "civil_society", _("Civil society or academia")
        OTHER = "other", _("Other")

    slug = models.SlugField(_("short identifier"), unique=True)
    name = TranslatedField(_("name"), text_max_length=300)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = models.ForeignKey(
        Country,
        verbose_name=_("seat"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    website = models.URLField(_("website"), blank=True)
    description = TranslatedField(_("description"), blank=True, multiline=True)

    class Meta:
        ordering = ["acronym", "slug"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.acronym or str(self.name)

    def display_name(self) -> str:
        return str(self.name) or self.acronym


class Grouping(models.Model):
    """A named set of states with dated membership (EU, Schengen area, Central Asia …)."""

    class Kind(models.TextChoices):
        UNION = "union", _("Union or treaty area")
        PARTNERSHIP = "partnership", _("Partnership framework")
        REGION = "region", _("Region")
        OTHER = "other", _("Other")

    slug = models.SlugField(_("short identifier"), unique=True)
    name = TranslatedField(_("name"), text_max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGION)
    description = TranslatedField(_("description"), blank=True, multiline=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("grouping")
        verbose_name_plural = _("groupings")

    def __str__(self) -> str:
        return str(self.name)


class GroupingMembership(Dated):
    grouping = models.ForeignKey(Grouping, on_delete=models.CASCADE, related_name="memberships")
    country = models.ForeignKey(
        Country, verbose_name=_("state"), on_delete=models.PROTECT, related_name="groupings"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["grouping", "country"]
        verbose_name = _("grouping membership")
        verbose_name_plural = _("grouping memberships")

    def __str__(self) -> str:
        return f"{self.country} — {self.grouping}"

    def clean(self) -> None:
        self.clean_term()
        clash = (
            GroupingMembership.objects.filter(
                grouping_id=self.grouping_id, country_id=self.country_id
            )
            .exclude(pk=self.pk)
            .overlapping(self.start, self.end)
        )
        if self.grouping_id and self.country_id and clash.exists():
            raise ValidationError(
                _("This state is already a member of this grouping for part of that period.")
            )


class Dialogue(models.Model):
    slug = models.SlugField(_("short identifier"), unique=True)
    name = TranslatedField(_("name"), text_max_length=200)
    short_name = TranslatedField(_("short name"), text_max_length=60, blank=True)
    tagline = TranslatedField(_("one-line summary"), text_max_length=300, blank=True)
    description = TranslatedField(_("description"), blank=True, multiline=True)
    founded = models.PositiveSmallIntegerField(_("founding year"), null=True, blank=True)
    main_language = models.CharField(_("main language"), max_length=8, default="en")
    other_languages = models.JSONField(_("other languages"), default=list, blank=True)
    programme = models.ForeignKey(
        Organisation,
        verbose_name=_("facilitating programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="facilitated_dialogues",
    )
    secretariat_host = models.ForeignKey(
        Organisation,
        verbose_name=_("secretariat hosted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_dialogues",
    )
    website = models.URLField(_("website"), blank=True)
    groupings = models.ManyToManyField(
        Grouping,
        verbose_name=_("groupings"),
        blank=True,
        related_name="dialogues",
        help_text=_("The groupings by which its participating states are listed, in order."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")

    def __str__(self) -> str:
        return str(self.short_name) or str(self.name)

    def get_absolute_url(self) -> str:
        return reverse("dialogues:about", kwargs={"slug": self.slug})

    @property
    def languages(self) -> list[str]:
        return [self.main_language, *[c for c in self.other_languages if c != self.main_language]]

    def clean(self) -> None:
        from django.conf import settings

        known = {code for code, _n in settings.LANGUAGES} | {"fr", "ar", "de", "es", "tr"}
        bad = [c for c in [self.main_language, *self.other_languages] if c not in known]
        if bad:
            raise ValidationError(
                {
                    "other_languages": _("Unknown language code: %(codes)s")
                    % {"codes": ", ".join(bad)}
                }
            )
        year = _today().year
        if self.founded is not None and not 1945 <= self.founded <= year:
            raise ValidationError(
                {"founded": _("Enter a year between 1945 and %(year)d.") % {"year": year}}
            )


class ParticipationQuerySet(DatedQuerySet):
    def states(self) -> ParticipationQuerySet:
        return self.filter(country__isnull=False)

    def organisations(self) -> ParticipationQuerySet:
        return self.filter(organisation__isnull=False)


class Participation(HolderMixin, Dated):
    class Status(models.TextChoices):
        PARTICIPATING = "participating", _("Participating state")
        OBSERVER = "observer", _("Observer")
        PARTNER = "partner", _("Partner organisation")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="participations")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    note = TranslatedField(_("note"), blank=True, text_max_length=500)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["dialogue", "status", "country", "organisation"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(country__isnull=False, organisation__isnull=True)
                    | Q(country__isnull=True, organisation__isnull=False)
                ),
                name="participation_one_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} — {self.get_status_display()}"

    def clean(self) -> None:
        self.clean_holder()
        self.clean_term()
        if self.status == self.Status.PARTNER and self.country_id:
            raise ValidationError(
                {"status": _("A state takes part as a participating state or an observer.")}
            )
        if (
            self.status != self.Status.PARTNER
            and self.organisation_id
            and self.status != self.Status.OBSERVER
        ):
            raise ValidationError(
                {
                    "status": _(
                        "An organisation takes part as a partner organisation or an observer."
                    )
                }
            )
        clash = (
            Participation.objects.filter(self.holder_q(), dialogue_id=self.dialogue_id)
            .exclude(pk=self.pk)
            .overlapping(self.start, self.end)
        )
        if self.dialogue_id and clash.exists():
            raise ValidationError(
                _("%(holder)s already takes part in this dialogue for part of that period.")
                % {"holder": self.holder}
            )


class Body(Protected):
    class Kind(models.TextChoices):
        MINISTERIAL = "ministerial", _("Ministerial Conference")
        STRATEGIC_GROUP = "strategic_group", _("Strategic Group")
        SOM = "som", _("Senior Officials' Meeting")
        WORKING_GROUP = "working_group", _("Working group")
        REFERENCE_GROUP = "reference_group", _("Reference Group")
        FRIENDS = "friends_of_chair", _("Friends of the Chair")
        CONTACT_POINTS = "contact_points", _("Network of contact points")
        OTHER = "other", _("Other")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="bodies")
    slug = models.SlugField(_("short identifier"))
    name = TranslatedField(_("name"), text_max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = TranslatedField(_("description"), blank=True, multiline=True)
    established = models.DateField(_("established"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["dialogue", "order", "slug"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "slug"], name="body_unique_slug"),
        ]

    def __str__(self) -> str:
        return str(self.name)

    @classmethod
    def access_group_q(cls, user_id: int) -> Q:
        """A body's group: people holding a role in the dialogue for a state that sits on it."""
        return Q(
            memberships__country__role_grants__user_id=user_id,
            memberships__country__role_grants__dialogue_id=F("dialogue_id"),
            memberships__country__role_grants__revoked_at__isnull=True,
        )


class BodyMembership(HolderMixin, Dated, Protected):
    """A seat on a body. Its visibility follows the body's unless set on the seat itself."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    capacity = TranslatedField(
        _("capacity"),
        blank=True,
        text_max_length=200,
        help_text=_("For example: rapporteur, acting EU Council Presidency."),
    )

    access_level = models.CharField(
        _("access"), max_length=16, choices=AccessLevel.choices, default=AccessLevel.INHERIT
    )

    access_dialogue_path = "body__dialogue"
    access_parent_path = "body"

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["body", "country", "organisation"]
        verbose_name = _("body member")
        verbose_name_plural = _("body members")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(country__isnull=False, organisation__isnull=True)
                    | Q(country__isnull=True, organisation__isnull=False)
                ),
                name="bodymembership_one_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} — {self.body}"

    def clean(self) -> None:
        self.clean_holder()
        self.clean_term()
        clash = (
            BodyMembership.objects.filter(self.holder_q(), body_id=self.body_id)
            .exclude(pk=self.pk)
            .overlapping(self.start, self.end)
        )
        if self.body_id and clash.exists():
            raise ValidationError(
                _("%(holder)s is already a member of this body for part of that period.")
                % {"holder": self.holder}
            )


class Office(HolderMixin, Dated):
    """A function held by a state or organisation for a term. It grants no access rights."""

    class Kind(models.TextChoices):
        CHAIR = "chair", _("Chair")
        CO_CHAIR = "co_chair", _("Co-Chair")
        SECRETARIAT = "secretariat", _("Secretariat")
        BODY_CHAIR = "body_chair", _("Chair of a body")
        COMPONENT_LEAD = "component_lead", _("Lead of a thematic component")
        RAPPORTEUR = "rapporteur", _("Rapporteur")
        HOST = "host", _("Host")
        OTHER = "other", _("Other")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="offices")
    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="offices",
    )
    kind = models.CharField(_("office"), max_length=20, choices=Kind.choices)
    title = TranslatedField(
        _("title"),
        blank=True,
        text_max_length=200,
        help_text=_("Which office, where several of a kind exist (e.g. Thematic Component 2)."),
    )
    note = TranslatedField(_("note or source"), blank=True, text_max_length=500)

    objects = DatedQuerySet.as_manager()

    class Meta:
        ordering = ["dialogue", "body", "kind", "-start"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(country__isnull=False, organisation__isnull=True)
                    | Q(country__isnull=True, organisation__isnull=False)
                ),
                name="office_one_holder",
            ),
        ]

    def __str__(self) -> str:
        label = str(self.title) or self.get_kind_display()
        where = f" ({self.body})" if self.body_id else ""
        return f"{label}{where}: {self.holder}"

    def clean(self) -> None:
        self.clean_holder()
        self.clean_term()
        if self.body is not None and self.dialogue_id and self.body.dialogue_id != self.dialogue_id:
            raise ValidationError({"body": _("This body belongs to another dialogue.")})
        if self.kind == self.Kind.BODY_CHAIR and not self.body_id:
            raise ValidationError({"body": _("Say which body this chair presides.")})
        if not self.dialogue_id:
            return
        clash = (
            Office.objects.filter(dialogue_id=self.dialogue_id, kind=self.kind)
            .filter(Q(body_id=self.body_id) if self.body_id else Q(body__isnull=True))
            .exclude(pk=self.pk)
            .overlapping(self.start, self.end)
        )
        if self.kind in {self.Kind.COMPONENT_LEAD, self.Kind.OTHER, self.Kind.HOST}:
            # Several of these run side by side; only the same title and holder clash.
            clash = clash.filter(self.holder_q())
            clash = [o for o in clash if o.title == self.title]  # type: ignore[assignment]
            if clash:
                raise ValidationError(
                    _("This holder already has this office for part of that period.")
                )
            return
        other = clash.first()
        if other is not None:
            raise ValidationError(
                _("%(holder)s already holds this office for part of that period (%(term)s).")
                % {"holder": other.holder, "term": other.term_label()}
            )

    def term_label(self) -> str:
        start = self.start.isoformat() if self.start else "…"
        end = self.end.isoformat() if self.end else "…"
        return f"{start} – {end}"
