"""Forms of the member pages: one's own registrations, applications, nominations, credentials."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogos.core.forms import CountryChoiceField
from dialogos.core.models import Country
from dialogos.meetings.models import Registration
from dialogos.people.models import Person

DETAIL_FIELDS = ["delegation_role", "visibility", "needs_access", "needs_diet", "needs_visa_letter"]


class RegistrationDetailsForm(forms.ModelForm[Registration]):
    """Role, visibility and needs: what a registrant may change until the deadline."""

    class Meta:
        model = Registration
        fields = DETAIL_FIELDS
        widgets = {"visibility": forms.RadioSelect}


class ApplyForm(forms.ModelForm[Registration]):
    class Meta:
        model = Registration
        fields = DETAIL_FIELDS
        widgets = {"visibility": forms.RadioSelect}


class PersonOfStateField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        label = f"{obj.family_name}, {obj.given_name}"
        if obj.position:
            label += f" — {obj.position}"
        return f"{label} ({obj.country_id})" if obj.country_id else label


class NominateForm(forms.ModelForm[Registration]):
    """A focal point nominates a delegate of one of his states: an existing person or a new one."""

    country = CountryChoiceField(label=_("state"), empty_label=None)
    person = PersonOfStateField(
        label=_("person"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— a new person (fill in below) —"),
    )
    given_name = forms.CharField(
        label=_("given name (Latin script)"), max_length=100, required=False
    )
    family_name = forms.CharField(
        label=_("family name (Latin script)"), max_length=100, required=False
    )
    email = forms.EmailField(label=_("e-mail address"), required=False)
    position = forms.CharField(label=_("position"), max_length=200, required=False)

    class Meta:
        model = Registration
        fields = DETAIL_FIELDS
        widgets = {"visibility": forms.RadioSelect}

    field_order = [
        "country",
        "person",
        "given_name",
        "family_name",
        "email",
        "position",
        *DETAIL_FIELDS,
    ]

    def __init__(self, *args: Any, countries: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visibility"].label = _("who may see the delegate in the list of participants")
        self.fields["country"].queryset = Country.objects.filter(code__in=countries)  # type: ignore[attr-defined]
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(country_id__in=countries)
            .select_related("country")
            .order_by("family_name", "given_name", "pk")
        )
        if len(countries) == 1:
            self.initial.setdefault("country", countries[0])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, country = data.get("person"), data.get("country")
        if person is not None and country is not None and person.country_id != country.pk:
            self.add_error("person", _("This person is not of the state chosen."))
        if person is None:
            for name in ("given_name", "family_name"):
                if not data.get(name):
                    self.add_error(name, _("Choose a person above or give the new person's name."))
        return data

    def new_person_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "given_name": data["given_name"],
            "family_name": data["family_name"],
            "email": data["email"],
            "position": data["position"],
            "country": data["country"],
        }

    def registration_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in DETAIL_FIELDS}


class CredentialsForm(forms.Form):
    country = CountryChoiceField(label=_("state"), empty_label=None)
    file = forms.FileField(label=_("letter of credentials"), help_text=_("PDF or scanned image."))

    def __init__(self, *args: Any, countries: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.filter(code__in=countries)  # type: ignore[attr-defined]
