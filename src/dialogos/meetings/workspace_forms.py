"""Forms of the secretariat's meeting pages.

Dates and times are typed as wall-clock times in the meeting's own time zone; the forms turn
them into aware datetimes with the zone chosen on the same form. The services validate again
and stay the authority.
"""

from __future__ import annotations

import datetime
import functools
import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogos.core.forms import (  # noqa: F401 — re-exported for the views
    DATE_WIDGET,
    ByNameIterator,
    CountryChoiceField,
    attach_errors,
    model_fields,
)
from dialogos.core.i18n import TranslatedFormField
from dialogos.core.models import Country
from dialogos.dialogues.models import Body, Dialogue, Organisation
from dialogos.meetings.member_forms import NominateForm
from dialogos.meetings.models import (
    AgendaDay,
    AgendaSession,
    Meeting,
    MeetingDocument,
    ScheduleAction,
    known_time_zone,
)
from dialogos.people.models import Person

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
# Statuses a meeting takes through its form; the others come from a change of schedule.
FORM_STATUSES = (Meeting.Status.PLANNED, Meeting.Status.CONFIRMED, Meeting.Status.HELD)


@functools.cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class WallClockField(forms.DateTimeField):
    """A ``datetime-local`` input read as a naive wall-clock time (its zone is chosen apart)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
    input_formats = [DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]

    def to_python(self, value: Any) -> datetime.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.replace(tzinfo=None)
        for fmt in self.input_formats:
            try:
                return datetime.datetime.strptime(str(value).strip(), fmt)  # noqa: DTZ007
            except ValueError:
                continue
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value: Any) -> Any:
        return value


def local_wall_clock(value: datetime.datetime | None, zone_name: str) -> datetime.datetime | None:
    """An aware datetime shown as the wall-clock time of ``zone_name``."""
    if value is None:
        return None
    zone = zoneinfo.ZoneInfo(zone_name if known_time_zone(zone_name) else "UTC")
    return value.astimezone(zone).replace(tzinfo=None)


def in_zone(value: datetime.datetime | None, zone_name: str) -> datetime.datetime | None:
    if value is None or timezone.is_aware(value):
        return value
    return value.replace(tzinfo=zoneinfo.ZoneInfo(zone_name))


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Person.objects.select_related("country"))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.family_name}, {obj.given_name}" + (
            f" ({obj.country_id})" if obj.country_id else ""
        )


class CountriesChoiceField(forms.ModelMultipleChoiceField):
    """Several states, listed by their name in the active language."""

    iterator = ByNameIterator

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class MeetingForm(forms.ModelForm[Meeting]):
    """The meeting, its place and time, and its registration settings."""

    WALL_CLOCK = ("start", "end", "registration_opens", "registration_closes", "changes_deadline")

    time_zone = forms.ChoiceField(label=_("time zone"), choices=time_zone_choices)
    start = WallClockField(label=_("starts"), help_text=_("Local time in the meeting's zone."))
    end = WallClockField(label=_("ends"), help_text=_("Local time in the meeting's zone."))
    registration_opens = WallClockField(label=_("registration opens"), required=False)
    registration_closes = WallClockField(label=_("registration closes"), required=False)
    changes_deadline = WallClockField(
        label=_("withdrawals and changes until"),
        required=False,
        help_text=_("Empty: until the meeting starts."),
    )
    country = CountryChoiceField(label=_("country"), required=False)
    host_states = CountriesChoiceField(
        label=_("host states"),
        queryset=Country.objects.states(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "type",
            "level",
            "format",
            "body",
            "objectives",
            "occasion",
            "start",
            "end",
            "time_zone",
            "status",
            "venue",
            "city",
            "country",
            "host_states",
            "online_url",
            "access_level",
            "registration_mode",
            "registration_opens",
            "registration_closes",
            "changes_deadline",
            "requires_approval",
            "capacity",
            "seats_per_state",
            "seats_per_organisation",
            "requires_credentials",
            "reported_participants",
            "reported_countries",
            "reported_organisations",
            "attendance_note",
            "is_example",
        ]

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(dialogue=dialogue)  # type: ignore[attr-defined]
        statuses: list[str] = list(FORM_STATUSES)
        if self.instance.pk and self.instance.status not in statuses:
            statuses.insert(0, self.instance.status)
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in Meeting.Status.choices if value in statuses
        ]
        if self.instance.pk:
            zone = self.instance.time_zone
            for name in self.WALL_CLOCK:
                self.initial[name] = local_wall_clock(getattr(self.instance, name), zone)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone_name = data.get("time_zone")
        if zone_name and known_time_zone(zone_name):
            for name in self.WALL_CLOCK:
                data[name] = in_zone(data.get(name), zone_name)
        return data


class QuotaForm(forms.Form):
    country = CountryChoiceField(label=_("state"), empty_label=None)
    seats = forms.IntegerField(
        label=_("seats"),
        min_value=0,
        required=False,
        help_text=_("Empty: remove the state's own number (the default per state applies)."),
    )


class AgendaDayForm(forms.ModelForm[AgendaDay]):
    class Meta:
        model = AgendaDay
        fields = ["date", "title"]
        widgets = {"date": DATE_WIDGET}


class AgendaSessionForm(forms.ModelForm[AgendaSession]):
    chairs = PersonChoiceField(label=_("chairs"))
    speakers = PersonChoiceField(label=_("speakers"))

    class Meta:
        model = AgendaSession
        fields = [
            "day",
            "start_time",
            "end_time",
            "title",
            "description",
            "room",
            "chairs",
            "speakers",
            "order",
            "access_level",
        ]
        widgets = {"start_time": TIME_WIDGET, "end_time": TIME_WIDGET}

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["day"].queryset = AgendaDay.objects.filter(meeting=meeting)  # type: ignore[attr-defined]
        self.fields["day"].empty_label = None  # type: ignore[attr-defined]


class DocumentForm(forms.ModelForm[MeetingDocument]):
    class Meta:
        model = MeetingDocument
        fields = ["kind", "title", "description", "session", "order", "access_level"]

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = AgendaSession.objects.filter(meeting=meeting)  # type: ignore[attr-defined]


class FileForm(forms.Form):
    language = forms.ChoiceField(label=_("language"), choices=settings.LANGUAGES)
    file = forms.FileField(label=_("file"))


class MinutesForm(forms.Form):
    text = TranslatedFormField(label=_("minutes"), multiline=True)
    note = forms.CharField(label=_("what changed"), max_length=300, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=2000)


class CredentialsDecisionForm(forms.Form):
    accredit = forms.BooleanField(required=False)
    note = forms.CharField(label=_("note or reason"), max_length=2000, required=False)


def action_choices(*, include_reschedule: bool = True) -> list[tuple[str, Any]]:
    labels = {
        ScheduleAction.RESCHEDULE: _("Reschedule to new dates"),
        ScheduleAction.POSTPONE: _("Postpone, new date to be announced"),
        ScheduleAction.MOVE_ONLINE: _("Move online"),
        ScheduleAction.CANCEL: _("Cancel"),
    }
    return [(k.value, v) for k, v in labels.items() if include_reschedule or k != "reschedule"]


class ScheduleChangeForm(forms.Form):
    """One meeting: new dates, postponed, online or cancelled, with the reason."""

    action = forms.ChoiceField(label=_("change"), choices=action_choices, widget=forms.RadioSelect)
    reason = TranslatedFormField(
        label=_("reason"),
        multiline=True,
        help_text=_("In every language of the dialogue: it goes to everyone concerned."),
    )
    start = WallClockField(label=_("new start"), required=False)
    end = WallClockField(label=_("new end"), required=False)
    online_url = forms.URLField(label=_("link to join online"), required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        zone = meeting.time_zone
        self.fields["start"].help_text = _("For a new date; local time in %(zone)s.") % {
            "zone": zone
        }
        self.fields["end"].help_text = self.fields["start"].help_text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == ScheduleAction.RESCHEDULE and not (
            data.get("start") and data.get("end")
        ):
            self.add_error("start", _("Give the new start and end."))
        data["start"] = in_zone(data.get("start"), self.meeting.zone.key)
        data["end"] = in_zone(data.get("end"), self.meeting.zone.key)
        return data


class MassScheduleForm(forms.Form):
    """Many meetings of a dialogue, chosen by period, format and status."""

    start_from = forms.DateField(
        label=_("starting on or after"), required=False, widget=DATE_WIDGET
    )
    start_before = forms.DateField(label=_("starting before"), required=False, widget=DATE_WIDGET)
    formats = forms.MultipleChoiceField(
        label=_("format"),
        choices=Meeting.Format.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    statuses = forms.MultipleChoiceField(
        label=_("status"),
        choices=[
            (v, label)
            for v, label in Meeting.Status.choices
            if v not in {Meeting.Status.CANCELLED, Meeting.Status.HELD}
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every meeting whose schedule can still change."),
    )
    action = forms.ChoiceField(label=_("change"), choices=action_choices, widget=forms.RadioSelect)
    shift_days = forms.IntegerField(
        label=_("move by (days)"),
        required=False,
        help_text=_("For rescheduling: every chosen meeting moves by this many days."),
    )
    online_url = forms.URLField(label=_("link to join online"), required=False)
    reason = TranslatedFormField(
        label=_("reason"),
        multiline=True,
        help_text=_("In every language of the dialogue: it goes to everyone concerned."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == ScheduleAction.RESCHEDULE and not data.get("shift_days"):
            self.add_error("shift_days", _("Give the number of days to move the meetings by."))
        return data

    def bounds(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """The period as aware datetimes (midnight in the site's time zone)."""

        def midnight(day: datetime.date | None) -> datetime.datetime | None:
            if day is None:
                return None
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

        return midnight(self.cleaned_data.get("start_from")), midnight(
            self.cleaned_data.get("start_before")
        )


class AddRegistrationForm(NominateForm):
    """The secretariat registers anyone: a state's or an organisation's delegate, or an expert,
    naming an existing person or a new one; also outside the registration period. The
    nomination form of the focal points, with the organisation added and every person listed."""

    organisation = forms.ModelChoiceField(
        label=_("or organisation represented"),
        queryset=Organisation.objects.order_by("acronym", "slug"),
        required=False,
        empty_label=_("— none —"),
    )

    field_order = ["country", "organisation", *NominateForm.field_order[1:]]

    def __init__(self, *args: Any, countries: list[str], **kwargs: Any) -> None:
        super().__init__(*args, countries=countries, **kwargs)
        country = self.fields["country"]
        country.label, country.required = _("state represented"), False
        country.empty_label = _("— none —")  # type: ignore[attr-defined]
        self.initial.pop("country", None)
        self.fields["person"].queryset = Person.objects.select_related("country").order_by(  # type: ignore[attr-defined]
            "family_name", "given_name", "pk"
        )
        self.fields["visibility"].label = _("who may see the person in the list of participants")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("country") is not None and data.get("organisation") is not None:
            self.add_error("organisation", _("Choose a state or an organisation, not both."))
        return data
