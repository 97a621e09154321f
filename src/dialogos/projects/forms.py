"""Forms of the projects pages (workspace and member area). The services validate again and
stay the authority; these forms only parse and show errors next to their fields."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dialogos.core.forms import (  # noqa: F401 — re-exported for the views
    DATE_WIDGET,
    ByNameIterator,
    CountryChoiceField,
    attach_errors,
    model_fields,
)
from dialogos.core.models import AccessLevel, Country
from dialogos.dialogues.models import Dialogue, Organisation
from dialogos.library.models import Document
from dialogos.plans.models import PlanItem
from dialogos.projects.models import (
    Funding,
    Indicator,
    IndicatorCategory,
    Place,
    Project,
    ProjectMember,
    ProjectType,
)
from dialogos.projects.services import parse_period


class NamedMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several rows, listed by their name in the active language."""

    iterator = ByNameIterator

    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, Organisation):
            return obj.display_name()
        if isinstance(obj, Place):
            return f"{obj.name} ({obj.country_id})"
        return str(getattr(obj, "name", obj))


class CurrencyField(forms.CharField):
    def to_python(self, value: Any) -> str:
        return str(super().to_python(value) or "").strip().upper()


class ProjectTypeForm(forms.ModelForm[ProjectType]):
    class Meta:
        model = ProjectType
        fields = ["name", "slug", "order"]


class PlaceForm(forms.ModelForm[Place]):
    country = CountryChoiceField(label=_("country"), empty_label=None)

    class Meta:
        model = Place
        fields = ["name", "country", "latitude", "longitude"]


class ProjectForm(forms.ModelForm[Project]):
    currency = CurrencyField(
        label=_("currency"),
        max_length=3,
        help_text=_("ISO 4217 code in which the project's funding is recorded, e.g. EUR."),
    )
    countries = NamedMultipleChoiceField(
        label=_("countries"), queryset=Country.objects.states(), required=False
    )
    places = NamedMultipleChoiceField(
        label=_("places"), queryset=Place.objects.none(), required=False
    )
    implementers = NamedMultipleChoiceField(
        label=_("implementing organisations"), queryset=Organisation.objects.all(), required=False
    )
    plan_items = forms.ModelMultipleChoiceField(
        label=_("commitments and plan items served"),
        queryset=PlanItem.objects.none(),
        required=False,
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("documents"), queryset=Document.objects.none(), required=False
    )

    class Meta:
        model = Project
        fields = [
            "title",
            "type",
            "status",
            "start",
            "end",
            "summary",
            "objectives",
            "currency",
            "website",
            "access_level",
        ]
        widgets = {"start": DATE_WIDGET, "end": DATE_WIDGET}

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type_field = self.fields["type"]
        assert isinstance(type_field, forms.ModelChoiceField)
        type_field.queryset = ProjectType.objects.filter(dialogue=dialogue)
        places = self.fields["places"]
        assert isinstance(places, forms.ModelMultipleChoiceField)
        places.queryset = Place.objects.filter(dialogue=dialogue).select_related("country")
        items = self.fields["plan_items"]
        assert isinstance(items, forms.ModelMultipleChoiceField)
        items.queryset = PlanItem.objects.filter(plan__dialogue=dialogue).select_related("plan")
        documents = self.fields["documents"]
        assert isinstance(documents, forms.ModelMultipleChoiceField)
        documents.queryset = Document.objects.filter(dialogue=dialogue)
        level = self.fields["access_level"]
        assert isinstance(level, forms.ChoiceField)
        level.choices = [c for c in AccessLevel.choices if c[0] != AccessLevel.INHERIT]
        if self.instance.pk:
            self.initial.setdefault("countries", list(self.instance.countries.all()))
            self.initial.setdefault("places", list(self.instance.places.all()))
            self.initial.setdefault("implementers", list(self.instance.implementers.all()))
            self.initial.setdefault("plan_items", list(self.instance.plan_items.all()))
            self.initial.setdefault("documents", list(self.instance.documents.all()))

    def links(self) -> dict[str, Any]:
        return {
            "plan_items": self.cleaned_data["plan_items"],
            "documents": self.cleaned_data["documents"],
        }


class FundingForm(forms.ModelForm[Funding]):
    donor_country = CountryChoiceField(label=_("donor state"), required=False)
    currency = CurrencyField(label=_("currency"), max_length=3)

    class Meta:
        model = Funding
        fields = ["donor_country", "donor_organisation", "amount", "currency", "note"]


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("e-mail address of the account"))
    role = forms.ChoiceField(label=_("role"), choices=ProjectMember.Role.choices)


class IndicatorForm(forms.ModelForm[Indicator]):
    class Meta:
        model = Indicator
        fields = ["title", "unit", "frequency", "breakdown", "description", "order"]


class CategoryForm(forms.ModelForm[IndicatorCategory]):
    class Meta:
        model = IndicatorCategory
        fields = ["name", "order"]


class ResultsForm(forms.Form):
    """One period's values: one whole number per category of the breakdown (or a total).

    An empty box leaves that value unset (and clears it if it was set).
    """

    period = forms.CharField(
        label=_("period"),
        max_length=10,
        help_text=_("A month such as 2024-05, or a quarter such as 2024-Q2."),
    )

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.categories = list(indicator.categories.all())
        if indicator.frequency == Indicator.Frequency.MONTH:
            self.fields["period"].widget = forms.TextInput(
                attrs={"type": "month", "placeholder": "2024-05"}
            )
        for category in self.categories:
            self.fields[f"value_{category.pk}"] = forms.IntegerField(
                label=str(category.name), required=False, min_value=0, max_value=10**15
            )
        if not self.categories:
            self.fields["value_total"] = forms.IntegerField(
                label=str(indicator.unit) or _("value"),
                required=False,
                min_value=0,
                max_value=10**15,
            )

    def clean_period(self) -> datetime.date:
        try:
            return parse_period(self.cleaned_data["period"], self.indicator)
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def entries(self) -> list[tuple[int | None, int | None]]:
        if self.categories:
            return [(c.pk, self.cleaned_data.get(f"value_{c.pk}")) for c in self.categories]
        return [(None, self.cleaned_data.get("value_total"))]
