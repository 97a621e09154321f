"""Form pieces every app's pages share: choosing a state, dates, showing a service's errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from dialogos.core.models import Country

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ByNameIterator(ModelChoiceIterator):
    """Choices sorted by their label in the active language, not by primary key."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = sorted(self.queryset, key=lambda obj: self.field.label_from_instance(obj).casefold())
        for obj in rows:
            yield self.choice(obj)


class CountryChoiceField(forms.ModelChoiceField):
    """A state chosen by its code, listed by its name in the active language."""

    iterator = ByNameIterator

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Country.objects.states())
        kwargs.setdefault("label", _("state"))
        kwargs.setdefault("empty_label", _("— none —"))
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def attach_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else NON_FIELD_ERRORS
            for item in errors:
                form.add_error(None if target == NON_FIELD_ERRORS else target, item)
    else:
        form.add_error(None, error)


def model_fields(form: forms.ModelForm[Any]) -> dict[str, Any]:
    """The cleaned values of the form's model fields, as keyword arguments for a service."""
    fields = form._meta.fields or []
    return {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}
