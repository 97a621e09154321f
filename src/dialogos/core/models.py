from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dialogos.core.i18n import TranslatedField

_CHOICE_LABELS: dict[tuple[int, str], dict[Any, str]] = {}


def choice_label(field: models.Field[Any, Any], value: Any) -> Any:
    """The label of ``value`` among ``field``'s choices in the active language.

    Django's ``get_FOO_display`` rebuilds a dictionary of every choice on each call, hashing
    (and so translating) each lazy label: on a list of meetings that was a tenth of the time.
    Here the labels are computed once per field and language."""
    key = (id(field), translation.get_language() or "")
    labels = _CHOICE_LABELS.get(key)
    if labels is None:
        labels = {}
        for choice, label in field.flatchoices:
            try:
                labels[choice] = str(label)
            except TypeError:  # an unhashable choice value: leave it to the fallback
                continue
        _CHOICE_LABELS[key] = labels
    try:
        return labels.get(value, value)
    except TypeError:
        return value


class FastChoiceDisplay:
    """``get_FOO_display()`` from labels cached per field and language (see ``choice_label``)."""

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> str:
        return str(choice_label(field, getattr(self, field.attname)))


class AccessLevel(models.TextChoices):
    INHERIT = "inherit", _("Same as its parent")
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members of the dialogue")
    GROUP = "group", _("A named group")
    SECRETARIAT = "secretariat", _("Secretariat only")


class Protected(FastChoiceDisplay, models.Model):
    """Base for every object whose visibility ``core.access`` decides.

    Subclasses name the ORM path to their dialogue's id and, when they can inherit, to
    their parent; a subclass that uses the ``group`` level overrides ``access_group_q``.
    """

    access_level = models.CharField(
        _("access"), max_length=16, choices=AccessLevel.choices, default=AccessLevel.PUBLIC
    )

    access_dialogue_path: ClassVar[str | None] = "dialogue"
    access_parent_path: ClassVar[str | None] = None

    class Meta:
        abstract = True

    def access_dialogue_id(self) -> int | None:
        if self.access_dialogue_path is None:
            return None
        target: Any = self
        parts = self.access_dialogue_path.split("__")
        for part in parts[:-1]:
            target = getattr(target, part, None)
            if target is None:
                return None
        return getattr(target, f"{parts[-1]}_id", None)

    def access_parent(self) -> Protected | None:
        if self.access_parent_path is None:
            return None
        parent = getattr(self, self.access_parent_path, None)
        return parent if isinstance(parent, Protected) else None

    @classmethod
    def access_group_q(cls, user_id: int) -> models.Q:
        """Objects of this class whose named group includes the user; none by default."""
        return models.Q(pk__in=[])


class CountryQuerySet(models.QuerySet["Country"]):
    def states(self) -> CountryQuerySet:
        return self.filter(is_active=True)


class Country(models.Model):
    """A state: every ISO 3166-1 entry plus Kosovo (XK), named in each interface language."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    alpha3 = models.CharField(_("three-letter code"), max_length=3, unique=True)
    name = TranslatedField(_("name"))
    official_name = TranslatedField(_("official name"), blank=True)
    other_names = models.JSONField(
        _("other and former names"),
        default=list,
        blank=True,
        help_text=_("Former or alternative names in any language, for search and matching."),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return str(self.name)


class AuditEntry(models.Model):
    """Who changed what and when, with the values before and after."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        OTHER = "other", _("other")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    verb = models.CharField(_("what"), max_length=100, blank=True)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300)
    dialogue_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    source = models.CharField(_("through"), max_length=16, default="service")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def changes(self) -> list[tuple[str, Any, Any]]:
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class ContentVersion(models.Model):
    """One counter that every audited write raises: cached public pages keyed on it go stale
    the moment anything changes, in every server process at once."""

    counter = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("content version")

    def __str__(self) -> str:
        return str(self.counter)
