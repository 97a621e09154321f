"""Forms of the secretariat's news pages. The services validate again and stay the authority."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogos.core.forms import DATE_WIDGET
from dialogos.core.i18n import TranslatedFormField
from dialogos.core.models import AccessLevel
from dialogos.dialogues.models import Dialogue
from dialogos.library.models import Document
from dialogos.meetings.models import Meeting
from dialogos.news.models import NewsItem, Topic
from dialogos.projects.models import Project

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
LEVEL_CHOICES = [
    (AccessLevel.PUBLIC.value, AccessLevel.PUBLIC.label),
    (AccessLevel.MEMBERS.value, AccessLevel.MEMBERS.label),
    (AccessLevel.SECRETARIAT.value, AccessLevel.SECRETARIAT.label),
]


class MeetingChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.start:%Y-%m-%d})"


class TitledChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class NewsItemForm(forms.Form):
    title = TranslatedFormField(label=_("Title"), max_length=300)
    lead = TranslatedFormField(
        label=_("Lead"),
        multiline=True,
        required=False,
        max_length=1000,
        help_text=_("One or two sentences shown in lists, feeds and the review."),
    )
    body = TranslatedFormField(
        label=_("Text"),
        multiline=True,
        required=False,
        help_text=_("Markdown: ## heading, *emphasis*, - lists, [link](https://…)."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=NewsItem.Status.choices)
    published_at = forms.DateTimeField(
        label=_("Publication date and time (UTC)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=_("Empty: now, when published. A later time keeps the item hidden until then."),
    )
    access_level = forms.ChoiceField(label=_("Who may read it"), choices=LEVEL_CHOICES)
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    meetings = MeetingChoiceField(
        label=_("Meetings"),
        queryset=Meeting.objects.none(),
        required=False,
        help_text=_("Meetings this item is about."),
    )
    documents = TitledChoiceField(
        label=_("Documents"), queryset=Document.objects.none(), required=False
    )
    projects = TitledChoiceField(
        label=_("Projects"), queryset=Project.objects.none(), required=False
    )

    def __init__(self, *args: Any, dialogue: Dialogue | None, **kwargs: Any) -> None:
        """``dialogue`` None: an item of the whole platform, which links no meetings,
        documents or projects (those belong to a dialogue)."""
        super().__init__(*args, **kwargs)
        if dialogue is None:
            for name in ("meetings", "documents", "projects"):
                del self.fields[name]
            return
        self.fields["meetings"].queryset = Meeting.objects.filter(  # type: ignore[attr-defined]
            dialogue=dialogue
        ).order_by("-start")
        self.fields["meetings"].widget.attrs["size"] = 8
        self.fields["documents"].queryset = Document.objects.filter(  # type: ignore[attr-defined]
            dialogue=dialogue
        ).order_by("-date", "-pk")
        self.fields["documents"].widget.attrs["size"] = 8
        self.fields["projects"].queryset = Project.objects.filter(  # type: ignore[attr-defined]
            dialogue=dialogue
        ).order_by("-pk")

    @classmethod
    def initial_for(cls, item: NewsItem) -> dict[str, Any]:
        return {
            "title": item.title,
            "lead": item.lead,
            "body": item.body,
            "status": item.status,
            "published_at": item.published_at,
            "access_level": item.access_level,
            "topics": list(item.topics.all()),
            "meetings": list(item.meetings.all()),
            "documents": list(item.documents.all()),
            "projects": list(item.projects.all()),
        }


class ImageForm(forms.Form):
    image = forms.FileField(
        label=_("Picture"),
        help_text=_("JPEG, PNG, GIF or WebP. It is resized for the page; its metadata is removed."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )
    alt = TranslatedFormField(
        label=_("Text alternative"),
        max_length=300,
        help_text=_("What the picture shows, for people who cannot see it."),
    )
    credit = TranslatedFormField(label=_("Credit"), required=False, max_length=200)


class ImageTextForm(forms.Form):
    alt = TranslatedFormField(label=_("Text alternative"), max_length=300)
    credit = TranslatedFormField(label=_("Credit"), required=False, max_length=200)


class ReviewIssueForm(forms.Form):
    title = TranslatedFormField(label=_("Title"), max_length=200)
    period_start = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("To"), widget=DATE_WIDGET)
    introduction = TranslatedFormField(
        label=_("Introduction"), multiline=True, required=False, help_text=_("Markdown.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class ReviewEntryForm(forms.Form):
    title = TranslatedFormField(label=_("Title"), max_length=300)
    summary = TranslatedFormField(
        label=_("Summary"), multiline=True, required=False, max_length=2000
    )
