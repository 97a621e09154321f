"""How meetings appear in search: title, objectives, occasion, venue, city, country and host
states, type and level, dates; access is the meeting's own (a meeting inherits from nothing).
And their documents: title, description, kind, file names and meeting; access is the
document's, inherited from the meeting unless the document sets its own.
"""

from __future__ import annotations

from typing import cast

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dialogos.meetings.models import Meeting, MeetingDocument, MeetingFile
from dialogos.search.registry import (
    IndexEntry,
    Source,
    choice_labels,
    effective_access,
    effective_dialogue_id,
    languages_of,
    register,
    texts,
    urls_for,
)


class MeetingSource(Source[Meeting]):
    kind = "meeting"
    label = _("Meetings")
    model = Meeting

    def queryset(self) -> QuerySet[Meeting]:
        return Meeting.objects.select_related("dialogue", "body", "country").prefetch_related(
            "host_states"
        )

    def entry(self, obj: Meeting) -> IndexEntry:
        countries = [c.code for c in obj.host_states.all()]
        if obj.country_id and obj.country_id not in countries:
            countries.insert(0, obj.country_id)
        body = texts(
            obj.objectives,
            obj.occasion,
            obj.venue,
            obj.city,
            obj.body.name if obj.body else None,
        )
        labels = texts(
            obj.dialogue.name,
            choice_labels(obj.type, Meeting.Type.choices),
            choice_labels(obj.level, Meeting.Level.choices) if obj.level else None,
        )
        return IndexEntry(
            title=dict(obj.title),
            body=body,
            url=urls_for("meetings:detail", obj.pk),
            dialogue_id=effective_dialogue_id(obj),
            access=effective_access(obj),
            countries=countries,
            date=obj.local_start().date(),
            languages=languages_of(obj.title, obj.objectives) or [obj.dialogue.main_language],
            keywords=" ".join(labels.values()),
        )


register(MeetingSource())


def _file_urls(obj: MeetingDocument) -> dict[str, str]:
    """Per interface language: the file in that language, else the first file, else the
    meeting's list of documents. The file view checks the document's access again."""
    files = list(obj.files.all())
    meeting_urls = urls_for("meetings:detail", obj.meeting_id)
    result: dict[str, str] = {}
    for code, meeting_url in meeting_urls.items():
        chosen = next((f for f in files if f.language == code), files[0] if files else None)
        if chosen is None:
            result[code] = f"{meeting_url}#documents"
        else:
            with translation.override(code):
                result[code] = reverse("meetings:file", args=[chosen.pk])
    return result


class MeetingDocumentSource(Source[MeetingDocument]):
    """Documents of meetings (agendas, concept notes, reports …): their title, description,
    kind, file names and the meeting they belong to. A document follows its meeting's access
    unless it sets its own, so a change of the meeting reindexes its documents, and a file added
    or removed reindexes its document."""

    kind = "meetingdocument"
    # The meetings app's own words, capitalised lazily (translated when shown).
    label = cast(Promise, capfirst(MeetingDocument._meta.verbose_name_plural))
    model = MeetingDocument
    parents = {"meetings.Meeting": "meeting"}
    contents = {"meetings.MeetingFile": "document"}

    def queryset(self) -> QuerySet[MeetingDocument]:
        return MeetingDocument.objects.select_related(
            "meeting", "meeting__dialogue", "meeting__country"
        ).prefetch_related(
            "meeting__host_states",
            Prefetch("files", queryset=MeetingFile.objects.order_by("language")),
        )

    def entry(self, obj: MeetingDocument) -> IndexEntry:
        meeting = obj.meeting
        countries = [c.code for c in meeting.host_states.all()]
        if meeting.country_id and meeting.country_id not in countries:
            countries.insert(0, meeting.country_id)
        files = list(obj.files.all())
        keywords = texts(
            dict(meeting.title),
            choice_labels(obj.kind, MeetingDocument.Kind.choices),
        )
        names = " ".join(f.original_name for f in files)
        return IndexEntry(
            title=dict(obj.title),
            body=texts(obj.description),
            url=_file_urls(obj),
            dialogue_id=effective_dialogue_id(obj),
            access=effective_access(obj),
            countries=countries,
            date=meeting.local_start().date(),
            languages=list(
                dict.fromkeys(
                    [f.language for f in files] + languages_of(obj.title, obj.description)
                )
            )
            or [meeting.dialogue.main_language],
            keywords=" ".join([*keywords.values(), names]).strip(),
        )


register(MeetingDocumentSource())
