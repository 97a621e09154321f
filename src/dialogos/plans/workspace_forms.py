"""Forms of the secretariat's plan pages. They parse and check shapes only; the rules
(weights, tree, units, deadlines) live in ``plans.services`` and come back as errors."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogos.core.forms import DATE_WIDGET
from dialogos.core.i18n import TranslatedFormField
from dialogos.core.models import AccessLevel, Country
from dialogos.library.models import Document, Practice
from dialogos.meetings.models import Meeting
from dialogos.plans.models import (
    MAX_WEIGHT,
    ActionPlan,
    Indicator,
    PlanItem,
    ProgressStatus,
)
from dialogos.texts.models import OutcomeText


def _name(obj: Any) -> str:
    return str(getattr(obj, "name", obj))


class StatesField(forms.MultipleChoiceField):
    """Several states, chosen among those that take part in the dialogue."""

    widget = forms.SelectMultiple(attrs={"size": 6})

    def __init__(self, *, countries: list[Country], **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(
            choices=[(c.code, _name(c)) for c in sorted(countries, key=lambda c: _name(c))],
            **kwargs,
        )


class PlanForm(forms.ModelForm[ActionPlan]):
    class Meta:
        model = ActionPlan
        fields = [
            "title",
            "slug",
            "summary",
            "period_start",
            "period_end",
            "status",
            "meeting",
            "adopted_on",
            "text",
            "order",
            "access_level",
        ]
        widgets = {"adopted_on": DATE_WIDGET}

    def __init__(self, *args: Any, dialogue: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = self.fields["meeting"]
        assert isinstance(meeting, forms.ModelChoiceField)
        meeting.queryset = Meeting.objects.filter(dialogue=dialogue).order_by("-start")
        text = self.fields["text"]
        assert isinstance(text, forms.ModelChoiceField)
        text.queryset = OutcomeText.objects.filter(dialogue=dialogue)
        access = self.fields["access_level"]
        assert isinstance(access, forms.ChoiceField)
        access.choices = [c for c in AccessLevel.choices if c[0] not in ("inherit", "group")]


class StatusForm(forms.ModelForm[ProgressStatus]):
    class Meta:
        model = ProgressStatus
        fields = ["code", "name", "progress", "order", "is_default"]

    def clean_progress(self) -> int:
        value = self.cleaned_data["progress"]
        if value is None or not 0 <= value <= 100:
            raise forms.ValidationError(_("Enter a progress between 0 and 100."))
        return int(value)


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=PlanItem.Kind.choices)
    code = forms.CharField(
        label=_("number"), max_length=20, required=False, help_text=_("As in the adopted text.")
    )
    title = TranslatedFormField(label=_("title"), max_length=500)
    description = TranslatedFormField(label=_("description"), multiline=True, required=False)
    parent = forms.TypedChoiceField(
        label=_("part of"), coerce=int, required=False, empty_value=None
    )
    position = forms.IntegerField(
        label=_("position"),
        min_value=1,
        max_value=99999,
        required=False,
        help_text=_("Leave empty to place it last."),
    )
    weight = forms.IntegerField(
        label=_("weight"),
        min_value=0,
        max_value=MAX_WEIGHT,
        initial=1,
        help_text=_(
            "A relative share among its siblings (0 to 1000); shares are normalised, "
            "0 means shown but not counted."
        ),
    )
    status = forms.ModelChoiceField(
        label=_("status"), queryset=ProgressStatus.objects.none(), required=False
    )
    access_level = forms.ChoiceField(
        label=_("access"),
        choices=[c for c in AccessLevel.choices if c[0] != "group"],
        initial=AccessLevel.INHERIT,
    )

    def __init__(
        self,
        *args: Any,
        plan: ActionPlan,
        countries: list[Country],
        parents: list[PlanItem],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ModelChoiceField)
        status.queryset = ProgressStatus.objects.filter(dialogue_id=plan.dialogue_id)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.TypedChoiceField)
        parent.choices = [("", _("— top level —"))] + [
            (p.pk, f"{'— ' * p.depth}{p}"[:120]) for p in parents
        ]
        self.fields["leads"] = StatesField(countries=countries, label=_("lead states"))
        self.fields["co_leads"] = StatesField(countries=countries, label=_("co-leads"))
        self.fields["participants"] = StatesField(
            countries=countries, label=_("participating states")
        )


class LinkForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("meeting"), queryset=Meeting.objects.none(), required=False
    )
    document = forms.ModelChoiceField(
        label=_("or a document"), queryset=Document.objects.none(), required=False
    )
    practice = forms.ModelChoiceField(
        label=_("or a good practice"), queryset=Practice.objects.none(), required=False
    )
    url = forms.URLField(label=_("or an address"), required=False, max_length=500)
    label = TranslatedFormField(label=_("label"), required=False, max_length=300)

    def __init__(self, *args: Any, dialogue: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (
            ("meeting", Meeting.objects.filter(dialogue=dialogue).order_by("-start")),
            ("document", Document.objects.filter(dialogue=dialogue).order_by("-date")),
            ("practice", Practice.objects.filter(dialogue=dialogue).published()),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset


class IndicatorForm(forms.ModelForm[Indicator]):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "unit_label",
            "baseline",
            "baseline_year",
            "target",
            "target_year",
            "order",
        ]


class ValueForm(forms.Form):
    on = forms.DateField(label=_("date"), widget=DATE_WIDGET)
    value = forms.CharField(label=_("value"), max_length=30)
    country = forms.ChoiceField(label=_("state"), required=False)

    def __init__(self, *args: Any, countries: list[Country], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = [("", _("— the whole plan —"))] + [
            (c.code, _name(c)) for c in sorted(countries, key=lambda c: _name(c))
        ]


class CycleForm(forms.Form):
    title = TranslatedFormField(label=_("title"), max_length=300)
    instructions = TranslatedFormField(label=_("instructions"), multiline=True, required=False)
    period_start = forms.DateField(label=_("reporting period from"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("reporting period until"), widget=DATE_WIDGET)
    deadline_date = forms.DateField(label=_("deadline (date)"), widget=DATE_WIDGET)
    deadline_time = forms.TimeField(
        label=_("deadline (time)"),
        initial=datetime.time(23, 59),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    time_zone = forms.CharField(label=_("time zone"), initial="Europe/Vienna", max_length=60)
    all_states = forms.BooleanField(
        label=_("ask every participating state"), required=False, initial=True
    )
    reminder_days = forms.CharField(
        label=_("reminders (days before the deadline)"),
        initial="7, 1",
        required=False,
        help_text=_("Whole numbers separated by commas."),
    )

    def __init__(
        self,
        *args: Any,
        countries: list[Country],
        items: list[PlanItem],
        indicators: list[Indicator],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["states"] = StatesField(countries=countries, label=_("or only these states"))
        self.fields["items"] = forms.TypedMultipleChoiceField(
            label=_("items to report on"),
            coerce=int,
            required=False,
            choices=[(i.pk, f"{'— ' * i.depth}{i}"[:120]) for i in items],
            widget=forms.SelectMultiple(attrs={"size": 10}),
        )
        self.fields["indicators"] = forms.TypedMultipleChoiceField(
            label=_("indicators to report on"),
            coerce=int,
            required=False,
            choices=[(i.pk, str(i)[:120]) for i in indicators],
        )

    def clean_time_zone(self) -> str:
        name = str(self.cleaned_data["time_zone"]).strip()
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError(_("Use a time zone name such as Europe/Vienna.")) from None
        return name

    def clean_reminder_days(self) -> list[int]:
        text = str(self.cleaned_data.get("reminder_days") or "")
        days = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdecimal():
                raise forms.ValidationError(_("Whole numbers separated by commas."))
            days.append(int(part))
        return days

    def deadline(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(
            datetime.datetime.combine(data["deadline_date"], data["deadline_time"]),
            zoneinfo.ZoneInfo(data["time_zone"]),
        )


class ClarifyForm(forms.Form):
    note = forms.CharField(
        label=_("what needs clarifying"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class AcceptForm(forms.Form):
    note = forms.CharField(
        label=_("note to the state (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )
