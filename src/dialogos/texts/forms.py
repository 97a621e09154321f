"""Forms of the texts pages. They parse and check the shape of the input; the services decide
and stay the authority (their ``ValidationError`` is shown on the form)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogos.core.forms import ByNameIterator
from dialogos.core.i18n import TranslatedFormField
from dialogos.core.models import Country
from dialogos.dialogues.models import Body, Dialogue
from dialogos.meetings.models import Meeting
from dialogos.texts.models import Circulation, Comment, OutcomeText, TextVersion

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class TextForm(forms.ModelForm[OutcomeText]):
    class Meta:
        model = OutcomeText
        fields = ["title", "kind", "public_when_adopted"]


class ParagraphForm(forms.Form):
    content = TranslatedFormField(label=_("Text of the paragraph"), multiline=True)
    is_heading = forms.BooleanField(label=_("This is a heading (not numbered)"), required=False)


class VersionNoteForm(forms.Form):
    note = TranslatedFormField(
        label=_("Note on this version"),
        multiline=True,
        required=False,
        help_text=_("What changed and why; shown to the states it is circulated to."),
    )


class StateChoices(forms.ModelMultipleChoiceField):
    iterator = ByNameIterator

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class CirculateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Purpose"), choices=Circulation.Kind.choices, widget=forms.RadioSelect
    )
    states = StateChoices(
        label=_("States"),
        queryset=Country.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose states one by one, or a body below, or both."),
    )
    body = forms.ModelChoiceField(
        label=_("All member states of a body"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline (UTC)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    message = TranslatedFormField(
        label=_("Message to the focal points"), multiline=True, required=False
    )

    def __init__(self, *args: Any, dialogue: Dialogue, states: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["states"].queryset = states  # type: ignore[attr-defined]
        self.fields["body"].queryset = Body.objects.filter(dialogue=dialogue)  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial.setdefault("kind", Circulation.Kind.COMMENTS)
            self.initial.setdefault(
                "deadline",
                (timezone.now() + datetime.timedelta(days=14))
                .astimezone(datetime.UTC)
                .replace(hour=17, minute=0, second=0, microsecond=0, tzinfo=None),
            )


class AdoptForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Meeting that adopted the text"), queryset=Meeting.objects.none()
    )
    version = forms.ModelChoiceField(
        label=_("Version adopted"), queryset=TextVersion.objects.none()
    )
    note = TranslatedFormField(label=_("Note on the adoption"), multiline=True, required=False)

    def __init__(self, *args: Any, text: OutcomeText, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(  # type: ignore[attr-defined]
            dialogue_id=text.dialogue_id
        ).order_by("-start")
        self.fields["version"].queryset = text.versions.order_by("-number")  # type: ignore[attr-defined]
        self.fields["version"].label_from_instance = lambda v: str(  # type: ignore[attr-defined]
            _("Version %(number)d") % {"number": v.number}
        )


class CommentForm(forms.Form):
    circulation = forms.IntegerField(widget=forms.HiddenInput)
    country = forms.CharField(max_length=2, widget=forms.HiddenInput)
    paragraph = forms.IntegerField(required=False, widget=forms.HiddenInput)
    comment = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Comment.Kind.choices, initial=Comment.Kind.COMMENT
    )
    body = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    proposed_text = forms.CharField(
        label=_("Proposed wording (amendment)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(label=_("Language of the wording"), choices=settings.LANGUAGES)
    send = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ObjectionForm(forms.Form):
    circulation = forms.IntegerField(widget=forms.HiddenInput)
    country = forms.CharField(max_length=2, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for the objection"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
