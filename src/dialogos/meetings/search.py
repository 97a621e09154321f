"""How meetings appear in search: title, objectives, occasion, venue, city, country and host
states, type and level, dates; access is the meeting's own (a meeting inherits from nothing).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dialogos.core.i18n import language_codes
from dialogos.meetings.models import Meeting
from dialogos.search.registry import (
    IndexEntry,
    Source,
    effective_access,
    effective_dialogue_id,
    languages_of,
    register,
    texts,
    urls_for,
)


def _choice_labels(value: str, choices: Any) -> dict[str, str]:
    """The label of a choice in every interface language (so "семинар" finds a workshop)."""
    labels: dict[str, str] = {}
    label = dict(choices).get(value)
    if not label:
        return labels
    for code in language_codes():
        with translation.override(code):
            labels[code] = str(label)
    return labels


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
            _choice_labels(obj.type, Meeting.Type.choices),
            _choice_labels(obj.level, Meeting.Level.choices) if obj.level else None,
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
