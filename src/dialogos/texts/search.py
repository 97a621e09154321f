"""How outcome texts appear in search: adopted texts only (a text under negotiation is found
on the member and workspace pages, never through the public index), with the adopted version's
paragraphs as their body and the adoption record; access is the text's own (public, or members
when it was kept within them).
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogos.core.i18n import language_codes, to_translated
from dialogos.search.registry import (
    IndexEntry,
    Source,
    effective_access,
    languages_of,
    register,
    texts,
    urls_for,
)
from dialogos.texts import publishing
from dialogos.texts.models import OutcomeText, Paragraph, TextVersion


class OutcomeTextSource(Source[OutcomeText]):
    kind = "text"
    label = _("Adopted texts")
    model = OutcomeText

    def queryset(self) -> QuerySet[OutcomeText]:
        return OutcomeText.objects.select_related(
            "dialogue", "adopted_at_meeting", "adopted_version"
        ).prefetch_related(
            Prefetch("adopted_version__paragraphs", queryset=Paragraph.objects.order_by("position"))
        )

    def entry(self, obj: OutcomeText) -> IndexEntry | None:
        if not obj.is_adopted or obj.adopted_version is None:
            return None
        version: TextVersion = obj.adopted_version
        paragraphs = [to_translated(p.content) for p in version.paragraphs.all()]
        record = {code: publishing.adoption_record(obj, code) for code in language_codes()}
        title = to_translated(obj.title)
        return IndexEntry(
            title=dict(title),
            body=texts(record, *paragraphs),
            url=urls_for("texts:detail", obj.pk),
            dialogue_id=obj.dialogue_id,
            access=effective_access(obj),
            date=timezone.localtime(obj.adopted_at).date() if obj.adopted_at else None,
            languages=languages_of(title, *paragraphs) or [obj.dialogue.main_language],
            keywords=str(obj.dialogue.name),
        )


register(OutcomeTextSource())
