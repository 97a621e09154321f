"""Forms of the secretariat's workspace.

Model forms run the model's own ``clean()`` so most mistakes show on the page before the
service is called; the service validates again and stays the authority.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dialogos.core.forms import (  # noqa: F401 — re-exported for the workspace views
    DATE_WIDGET,
    ByNameIterator,
    CountryChoiceField,
    attach_errors,
    model_fields,
)
from dialogos.core.models import AccessLevel
from dialogos.dialogues.models import (
    Body,
    BodyMembership,
    Dialogue,
    GroupingMembership,
    Office,
    Organisation,
    Participation,
)
from dialogos.people.models import Role


class OrganisationChoiceField(forms.ModelChoiceField):
    iterator = ByNameIterator

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Organisation.objects.all())
        kwargs.setdefault("label", _("organisation"))
        kwargs.setdefault("empty_label", _("— none —"))
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        name = str(obj.name)
        return f"{obj.acronym} — {name}" if obj.acronym and name else (obj.acronym or name)


class ParticipationForm(forms.ModelForm[Participation]):
    country = CountryChoiceField(required=False)
    organisation = OrganisationChoiceField(required=False)

    class Meta:
        model = Participation
        fields = ["country", "organisation", "status", "start", "end", "note"]
        widgets = {"start": DATE_WIDGET, "end": DATE_WIDGET}
        help_texts = {"end": _("Leave empty while it lasts.")}


class BodyForm(forms.ModelForm[Body]):
    class Meta:
        model = Body
        fields = ["name", "slug", "kind", "access_level", "established", "order", "description"]
        widgets = {"established": DATE_WIDGET}
        help_texts = {
            "slug": _("Letters, digits and hyphens, used in addresses (e.g. strategic-group)."),
            "access_level": _("Who may see the body's documents and meetings."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A body has no parent to inherit from.
        self.fields["access_level"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in AccessLevel.choices if value != AccessLevel.INHERIT
        ]


class BodyMembershipForm(forms.ModelForm[BodyMembership]):
    country = CountryChoiceField(required=False)
    organisation = OrganisationChoiceField(required=False)

    class Meta:
        model = BodyMembership
        fields = ["country", "organisation", "capacity", "start", "end"]
        widgets = {"start": DATE_WIDGET, "end": DATE_WIDGET}


class OfficeForm(forms.ModelForm[Office]):
    country = CountryChoiceField(required=False)
    organisation = OrganisationChoiceField(required=False)

    class Meta:
        model = Office
        fields = ["kind", "title", "body", "country", "organisation", "start", "end", "note"]
        widgets = {"start": DATE_WIDGET, "end": DATE_WIDGET}

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        assert isinstance(body, forms.ModelChoiceField)
        body.queryset = Body.objects.filter(dialogue=dialogue)
        body.empty_label = _("— the dialogue as a whole —")


class GroupingMembershipForm(forms.ModelForm[GroupingMembership]):
    country = CountryChoiceField()

    class Meta:
        model = GroupingMembership
        fields = ["country", "start", "end", "note"]
        widgets = {"start": DATE_WIDGET, "end": DATE_WIDGET}


class EndForm(forms.Form):
    end = forms.DateField(label=_("until"), widget=DATE_WIDGET)


def _languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("e-mail address"))
    display_name = forms.CharField(label=_("name"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("role"), choices=Role.Kind.choices)
    country = CountryChoiceField(
        required=False,
        help_text=_("Required for a focal point or contributor; leave empty for the secretariat."),
    )
    language = forms.ChoiceField(label=_("language of the invitation"), choices=_languages)
