"""Reads over texts shared by the pages and the API; each costs a fixed number of queries.

Every function takes the reading user and narrows through ``core.access``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.http import Http404

from dialogos.core import access
from dialogos.core.models import Country
from dialogos.texts.models import (
    Circulation,
    Comment,
    Objection,
    OutcomeText,
    OutcomeTextQuerySet,
    Paragraph,
    TextVersion,
)


def visible_texts(user: Any) -> OutcomeTextQuerySet:
    qs = access.visible(user, OutcomeText.objects.all())
    assert isinstance(qs, OutcomeTextQuerySet)
    return qs.select_related("dialogue", "adopted_at_meeting", "adopted_version")


def get_text(user: Any, pk: Any) -> OutcomeText:
    return access.get_visible_or_404(
        user,
        OutcomeText.objects.select_related("dialogue", "adopted_at_meeting", "adopted_version"),
        pk=pk,
    )


def visible_versions(user: Any, text: OutcomeText) -> list[TextVersion]:
    """Versions of ``text`` the user may see, oldest first (the secretariat sees drafts)."""
    qs = access.visible(user, TextVersion.objects.filter(text=text)).order_by("number")
    return list(qs)


def get_version(user: Any, text: OutcomeText, number: Any) -> TextVersion:
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise Http404 from None
    version = access.get_visible_or_404(
        user, TextVersion.objects.filter(text=text).select_related("text"), number=number
    )
    version.text = text
    return version


def paragraphs_of(version: TextVersion) -> list[Paragraph]:
    return list(Paragraph.objects.filter(version=version).order_by("position"))


def circulations_of(versions: Sequence[TextVersion]) -> list[Circulation]:
    """Circulations of these versions, newest first, with their states and objections."""
    return list(
        Circulation.objects.filter(version__in=versions)
        .select_related("version", "body")
        .prefetch_related(
            Prefetch("states", queryset=Country.objects.order_by("code")),
            Prefetch(
                "objections", queryset=Objection.objects.select_related("country", "raised_by")
            ),
        )
        .order_by("-created_at", "-pk")
    )


@dataclass
class ParagraphComments:
    paragraph: Paragraph | None
    by_state: list[tuple[Country, list[Comment]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(c) for _s, c in self.by_state)


def side_by_side(
    user: Any,
    circulation: Circulation,
    *,
    only_sent: bool = True,
    country: str = "",
    paragraphs: Sequence[Paragraph] | None = None,
    general: bool = True,
) -> list[ParagraphComments]:
    """The comments on a circulated version, per paragraph and per state (general comments
    first, when ``general``). The secretariat reads sent comments; a state reads its own,
    drafts included. ``paragraphs``: only these (a page of a long text)."""
    if paragraphs is None:
        paragraphs = paragraphs_of(circulation.version)
    comments = access.visible(user, Comment.objects.filter(circulation=circulation))
    if only_sent:
        comments = comments.filter(status=Comment.Status.SENT)
    if country:
        comments = comments.filter(country_id=country)
    on = Q(paragraph__in=[p.pk for p in paragraphs])
    if general:
        on |= Q(paragraph__isnull=True)
    rows = list(
        comments.filter(on)
        .select_related("country", "author", "sent_by")
        .order_by("country_id", "pk")
    )
    grouped: dict[int | None, dict[str, list[Comment]]] = {}
    countries: dict[str, Country] = {}
    for c in rows:
        grouped.setdefault(c.paragraph_id, {}).setdefault(c.country_id, []).append(c)
        countries[c.country_id] = c.country
    result = [ParagraphComments(None)] if general else []
    result += [ParagraphComments(p) for p in paragraphs]
    for item in result:
        key = item.paragraph.pk if item.paragraph else None
        per_state = grouped.get(key, {})
        item.by_state = [(countries[code], per_state[code]) for code in sorted(per_state)]
    return result


def open_circulation_for(circulations: list[Circulation], codes: set[str]) -> Circulation | None:
    """The newest open circulation that went to one of ``codes``."""
    for c in circulations:
        if c.is_open() and any(s.code in codes for s in c.states.all()):
            return c
    return None


def mark_wording(rows: list[ParagraphComments]) -> None:
    """Give each amendment a ``wording_diff``: its wording against the paragraph's."""
    from dialogos.texts.diff import words_diff

    for row in rows:
        if row.paragraph is None:
            continue
        for _state, comments in row.by_state:
            for c in comments:
                if c.kind == Comment.Kind.AMENDMENT:
                    original = row.paragraph.content.get(c.language, "")
                    c.wording_diff = words_diff(original, c.proposed_text)  # type: ignore[attr-defined]
