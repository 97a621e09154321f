"""Forms of the library's workspace and member pages. The services validate again and stay
the authority; these forms only parse what people type."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dialogos.core.forms import (  # noqa: F401 — re-exported for the views
    DATE_WIDGET,
    ByNameIterator,
    attach_errors,
    model_fields,
)
from dialogos.core.models import AccessLevel, Country
from dialogos.dialogues.models import Body, Dialogue
from dialogos.library.models import CountryProfile, Document, Practice, PracticeCall, Topic
from dialogos.meetings.models import Meeting


class CountriesField(forms.ModelMultipleChoiceField):
    iterator = ByNameIterator

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Country.objects.states())
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.SelectMultiple(attrs={"size": 8}))
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class TopicsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Topic.objects.active())
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        kwargs.setdefault("label", _("topics"))
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _language_choices(dialogue: Dialogue) -> list[tuple[str, str]]:
    names = dict(settings.LANGUAGES) | {
        "fr": "Français",
        "ar": "العربية",
        "de": "Deutsch",
        "es": "Español",
        "tr": "Türkçe",
    }
    codes = [c for c, _n in settings.LANGUAGES]
    codes += [c for c in dialogue.languages if c not in codes]
    return [(c, str(names.get(c, c))) for c in codes]


class DocumentForm(forms.ModelForm[Document]):
    topics = TopicsField()
    countries = CountriesField(label=_("countries"))

    class Meta:
        model = Document
        fields = [
            "type",
            "title",
            "summary",
            "date",
            "topics",
            "countries",
            "meeting",
            "bodies",
            "related_dialogues",
            "source_url",
            "access_level",
            "is_example",
        ]
        widgets = {"date": DATE_WIDGET}
        help_texts = {
            "summary": _("Markdown: **bold**, lists, links."),
            "access_level": _(
                "“Same as its parent” follows the linked meeting; without a meeting choose a level."
            ),
        }

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = self.fields["meeting"]
        meeting.queryset = Meeting.objects.filter(dialogue=dialogue).order_by("-start")  # type: ignore[attr-defined]
        meeting.label_from_instance = lambda m: f"{m.title} ({m.start:%Y-%m-%d})"  # type: ignore[attr-defined]
        bodies = self.fields["bodies"]
        bodies.queryset = Body.objects.filter(dialogue=dialogue)  # type: ignore[attr-defined]
        bodies.widget = forms.CheckboxSelectMultiple()
        bodies.widget.choices = bodies.choices  # type: ignore[attr-defined]
        related = self.fields["related_dialogues"]
        related.queryset = Dialogue.objects.exclude(pk=dialogue.pk)  # type: ignore[attr-defined]
        related.widget = forms.CheckboxSelectMultiple()
        related.widget.choices = related.choices  # type: ignore[attr-defined]
        self.fields["access_level"].choices = [  # type: ignore[attr-defined]
            c for c in AccessLevel.choices if c[0] != AccessLevel.GROUP
        ]
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("access_level", AccessLevel.PUBLIC)


class FileForm(forms.Form):
    language = forms.ChoiceField(label=_("language"))
    file = forms.FileField(
        label=_("file"),
        help_text=_(
            "PDF, Word, Excel, PowerPoint or OpenDocument. A new file for a language keeps "
            "the earlier one as a previous version."
        ),
    )

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices(dialogue)  # type: ignore[attr-defined]


class CallForm(forms.ModelForm[PracticeCall]):
    topics = TopicsField()

    class Meta:
        model = PracticeCall
        fields = [
            "title",
            "description",
            "criteria",
            "topics",
            "opens",
            "deadline",
            "access_level",
            "is_example",
        ]
        widgets = {"opens": DATE_WIDGET, "deadline": DATE_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["access_level"].choices = [  # type: ignore[attr-defined]
            c for c in AccessLevel.choices if c[0] != AccessLevel.INHERIT
        ]


PRACTICE_FIELDS = [
    "title",
    "summary",
    "problem",
    "approach",
    "results",
    "transferability",
    "period_start",
    "period_end",
    "implementing_bodies",
    "partners",
    "countries",
    "topics",
    "contact",
    "call",
]


class PracticeForm(forms.ModelForm[Practice]):
    """The structured record of a good practice, as its state drafts it."""

    topics = TopicsField()
    countries = CountriesField(label=_("countries concerned"))

    class Meta:
        model = Practice
        fields = PRACTICE_FIELDS
        widgets = {"period_start": DATE_WIDGET, "period_end": DATE_WIDGET}
        help_texts = {
            "summary": _("Two or three sentences. Markdown is allowed in the long texts."),
            "results": _("What changed, with figures and sources where there are any."),
            "transferability": _("What another state would need to do the same."),
        }

    def __init__(self, *args: Any, dialogue: Dialogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = PracticeCall.objects.filter(dialogue=dialogue)  # type: ignore[attr-defined]
        self.fields["call"].label_from_instance = lambda c: str(c.title)  # type: ignore[attr-defined]


class NewPracticeForm(PracticeForm):
    """A new practice: for which state, when the drafter acts for more than one."""

    state = forms.ChoiceField(label=_("state"))

    def __init__(self, *args: Any, states: list[Country], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [(c.code, str(c.name)) for c in states]  # type: ignore[attr-defined]
        self.order_fields(["state", *PRACTICE_FIELDS])


class PracticeAccessForm(forms.Form):
    access_level = forms.ChoiceField(
        label=_("who may see it once published"),
        choices=[c for c in AccessLevel.choices if c[0] not in {"inherit", "group"}],
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("comment"), max_length=10000, required=False, widget=forms.Textarea({"rows": 4})
    )


class ProfileForm(forms.ModelForm[CountryProfile]):
    topics = TopicsField()

    class Meta:
        model = CountryProfile
        fields = [
            "country",
            "kind",
            "title",
            "summary",
            "period",
            "topics",
            "access_level",
            "is_example",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        country.queryset = Country.objects.states()  # type: ignore[attr-defined]
        country.iterator = ByNameIterator  # type: ignore[attr-defined]
        country.label_from_instance = lambda c: str(c.name)  # type: ignore[attr-defined]
        self.fields["access_level"].choices = [  # type: ignore[attr-defined]
            c for c in AccessLevel.choices if c[0] not in {"inherit", "group"}
        ]
        if self.instance.pk is not None:
            self.fields["country"].disabled = True
            self.fields["kind"].disabled = True


class TopicForm(forms.ModelForm[Topic]):
    class Meta:
        model = Topic
        fields = ["slug", "name", "description", "order", "is_active"]
