"""Reads over the index: one search with facets and snippets, and related items.

Access is part of every query, before counting and facets: rows the user may not see are never
counted, suggested or shown. ``public``, ``members`` and ``secretariat`` rows are filtered by
the stored effective level and dialogue against ``core.access.principal``; ``group`` rows by
asking each source, inside the same SQL, which of its group-level objects the user may see.
A page costs a fixed number of queries whatever the size of the index.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dialogos.core import access
from dialogos.core.i18n import TranslatedText
from dialogos.core.models import AccessLevel, Country
from dialogos.search import embeddings
from dialogos.search.engines import get_engine
from dialogos.search.models import Facet, SearchEntry, SearchTag, SearchText, SearchTopic
from dialogos.search.registry import get_source, sources
from dialogos.search.text import ParsedQuery, highlight, parse_query, snippet

PAGE_SIZE = 20
MAX_PAGE = 500
RELATED_LIMIT = 5
RELATED_CANDIDATES = 2000
FACET_ORDER = (
    Facet.KIND,
    Facet.DIALOGUE,
    Facet.COUNTRY,
    Facet.TOPIC,
    Facet.YEAR,
    Facet.LANGUAGE,
)
_TOPIC_KEY = re.compile(r"^[\w.-]{1,64}$")


def access_q(user: Any) -> Q:
    """Rows of the index ``user`` may see, as one condition (subqueries included)."""
    who = access.principal(user)
    if who.is_operator:
        return Q()
    q = Q(access=AccessLevel.PUBLIC)
    if not who.is_authenticated:
        return q
    if who.secretariat_of:
        q |= Q(dialogue_id__in=sorted(who.secretariat_of))
    if who.member_of:
        q |= Q(access=AccessLevel.MEMBERS, dialogue_id__in=sorted(who.member_of))
        q |= Q(access=AccessLevel.MEMBERS, dialogue_id__isnull=True)
    for source in sources():
        group_rows = SearchEntry.objects.filter(kind=source.kind, access=AccessLevel.GROUP).values(
            "object_id"
        )
        allowed = source.visible_group_queryset(
            user, source.model._default_manager.filter(pk__in=group_rows)
        ).values("pk")
        q |= Q(kind=source.kind, access=AccessLevel.GROUP, object_id__in=allowed)
    return q


@dataclass
class Filters:
    """Facet filters from a request, validated; what was invalid is named in ``ignored``."""

    kind: str = ""
    dialogue: int | None = None
    country: str = ""
    topic: str = ""
    year: int | None = None
    language: str = ""
    ignored: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> Filters:
        f = cls()

        def value(name: str) -> str:
            raw = data.get(name)
            return str(raw or "").strip()[:100]

        kind = value("kind")
        if kind:
            if get_source(kind) is not None:
                f.kind = kind
            else:
                f.ignored.append("kind")
        dialogue = value("dialogue")
        if dialogue:
            if dialogue.isdigit() and len(dialogue) < 12:
                f.dialogue = int(dialogue)
            else:
                f.ignored.append("dialogue")
        country = value("country").upper()
        if country:
            if len(country) == 2 and country.isalpha() and country.isascii():
                f.country = country
            else:
                f.ignored.append("country")
        topic = value("topic")
        if topic:
            if _TOPIC_KEY.match(topic):
                f.topic = topic
            else:
                f.ignored.append("topic")
        year = value("year")
        if year:
            if year.isdigit() and len(year) == 4:
                f.year = int(year)
            else:
                f.ignored.append("year")
        language = value("language")
        if language:
            if language in dict(settings.LANGUAGES):
                f.language = language
            else:
                f.ignored.append("language")
        return f

    def active(self) -> dict[str, str]:
        pairs = {
            Facet.KIND.value: self.kind,
            Facet.DIALOGUE.value: str(self.dialogue or ""),
            Facet.COUNTRY.value: self.country,
            Facet.TOPIC.value: self.topic,
            Facet.YEAR.value: str(self.year or ""),
            Facet.LANGUAGE.value: self.language,
        }
        return {k: v for k, v in pairs.items() if v}

    def apply(self, qs: QuerySet[SearchEntry]) -> QuerySet[SearchEntry]:
        for facet, value in self.active().items():
            qs = qs.filter(
                id__in=SearchTag.objects.filter(facet=facet, value=value).values("entry_id")
            )
        return qs


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Hit:
    entry: SearchEntry
    kind_label: str
    title: SafeString
    snippet: SafeString
    url: str
    date: datetime.date | None


@dataclass
class Results:
    query: str
    parsed: ParsedQuery
    filters: Filters
    total: int = 0
    page: int = 1
    pages: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    @property
    def searched(self) -> bool:
        return bool(self.parsed) or bool(self.filters.active())


def parse_page(raw: Any) -> tuple[int, bool]:
    """A page number from user input: (page, valid)."""
    text = str(raw or "").strip()
    if not text:
        return 1, True
    if text.isdigit() and len(text) < 6 and 1 <= int(text) <= MAX_PAGE:
        return int(text), True
    return 1, False


def _labels(facet: str, values: list[str]) -> dict[str, str]:
    language = get_language()
    if facet == Facet.KIND:
        return {v: str(s.label) for v in values if (s := get_source(v)) is not None}
    if facet == Facet.COUNTRY:
        return {c.code: c.name.get_text(language) for c in Country.objects.filter(code__in=values)}
    if facet == Facet.TOPIC:
        return SearchTopic.labels(values)
    if facet == Facet.DIALOGUE:
        from dialogos.dialogues.models import Dialogue

        ids = [int(v) for v in values if v.isdigit()]
        return {
            str(d.pk): (d.short_name.get_text(language) or d.name.get_text(language))
            for d in Dialogue.objects.filter(pk__in=ids)
        }
    if facet == Facet.LANGUAGE:
        names = dict(settings.LANGUAGES)
        return {v: str(names.get(v, v)) for v in values}
    return {v: v for v in values}


def _facets(qs: QuerySet[SearchEntry], filters: Filters) -> dict[str, list[FacetValue]]:
    rows = (
        SearchTag.objects.filter(entry_id__in=qs.values("id"))
        .values("facet", "value")
        .annotate(n=Count("entry_id"))
        .order_by()
    )
    grouped: dict[str, list[tuple[str, int]]] = {}
    for row in rows:
        grouped.setdefault(row["facet"], []).append((row["value"], row["n"]))
    active = filters.active()
    result: dict[str, list[FacetValue]] = {}
    for facet in FACET_ORDER:
        values = grouped.get(facet.value, [])
        if not values:
            continue
        labels = _labels(facet.value, [v for v, _n in values])
        items = [
            FacetValue(v, labels.get(v, v), n, active.get(facet.value) == v) for v, n in values
        ]
        if facet == Facet.YEAR:
            items.sort(key=lambda i: i.value, reverse=True)
        else:
            items.sort(key=lambda i: (-i.count, i.label))
        result[facet.value] = items[:30]
    return result


def search(user: Any, query: str | None, data: Mapping[str, Any]) -> Results:
    """Search the index as ``user`` sees it; ``data`` carries the facet filters and page."""
    parsed = parse_query(query)
    filters = Filters.parse(data)
    results = Results(query=str(query or "")[:500], parsed=parsed, filters=filters)
    page, page_ok = parse_page(data.get("page"))
    if not page_ok:
        results.messages.append(str(_("That page number is not valid; showing the first page.")))
    if filters.ignored:
        results.messages.append(
            str(_("These filters were not valid and were ignored: %(names)s."))
            % {"names": ", ".join(filters.ignored)}
        )
    if query and not parsed and str(query).strip():
        results.messages.append(str(_("Enter words to search for: symbols alone find nothing.")))
    if not results.searched:
        return results

    base = filters.apply(SearchEntry.objects.filter(access_q(user)))
    engine = get_engine()
    matching = base
    if parsed:
        sql, params = engine.match_sql(parsed)
        matching = base.filter(id__in=RawSQL(sql, params))  # noqa: S611
    results.total = matching.count()
    results.pages = max(1, math.ceil(results.total / PAGE_SIZE))
    if page > results.pages and results.total:
        results.messages.append(
            str(_("The last page of results is page %(pages)d; showing it."))
            % {"pages": results.pages}
        )
        page = results.pages
    results.page = page
    offset = (page - 1) * PAGE_SIZE
    if results.total:
        if parsed:
            ids = engine.ranked_ids(base, parsed, limit=PAGE_SIZE, offset=offset)
        else:
            ids = list(
                matching.order_by("-date", "-id").values_list("id", flat=True)[
                    offset : offset + PAGE_SIZE
                ]
            )
        entries = SearchEntry.objects.in_bulk(ids)
        bodies = dict(SearchText.objects.filter(entry_id__in=ids).values_list("entry_id", "body"))
        language = get_language()
        stems = parsed.highlight_stems
        for entry_id in ids:
            entry = entries.get(entry_id)
            if entry is None:
                continue
            source = get_source(entry.kind)
            results.hits.append(
                Hit(
                    entry=entry,
                    kind_label=str(source.label) if source else entry.kind,
                    title=highlight(entry.title_text(language), stems),
                    snippet=snippet(
                        TranslatedText(bodies.get(entry_id) or {}).get_text(language), stems
                    ),
                    url=entry.url_for(language),
                    date=entry.date,
                )
            )
    results.facets = _facets(matching, filters) if results.total else {}
    return results


def related(
    user: Any, kind: str, key: int, *, limit: int = RELATED_LIMIT
) -> list[SearchEntry] | None:
    """Up to ``limit`` entries close to the object (``kind``, ``key``) that ``user`` may see:
    by cosine of the embeddings over candidates sharing its dialogue, countries or topics
    (recent first), falling back to the count of shared countries and topics. ``None`` when
    the object is not in the index or the user may not see it."""
    allowed = access_q(user)
    entry = SearchEntry.objects.filter(allowed, kind=kind, object_id=key).first()
    if entry is None:
        return None
    visible = SearchEntry.objects.filter(allowed).exclude(id=entry.id)
    tags = [
        (t.facet, t.value)
        for t in entry.tags.all()
        if t.facet in (Facet.COUNTRY, Facet.TOPIC, Facet.DIALOGUE)
    ]
    near = Q(pk__in=[])
    for facet, value in tags:
        near |= Q(tags__facet=facet, tags__value=value)
    candidates = list(
        visible.filter(id__in=SearchEntry.objects.filter(near).values("id")).order_by(
            "-date", "-id"
        )[:RELATED_CANDIDATES]
    )
    if not candidates:
        return []
    mine = SearchText.objects.filter(entry_id=entry.id).values_list("vector", flat=True).first()
    if mine:
        vectors = dict(
            SearchText.objects.filter(
                entry_id__in=[c.id for c in candidates], vector__isnull=False
            ).values_list("entry_id", "vector")
        )
        with_vectors = [c for c in candidates if vectors.get(c.id)]
        if with_vectors:
            best = embeddings.cosine_top(
                bytes(mine), [bytes(vectors[c.id] or b"") for c in with_vectors], limit
            )
            return [with_vectors[i] for i, _score in best]
    mine_countries, mine_topics = set(entry.countries), set(entry.topics)

    def overlap(c: SearchEntry) -> int:
        return len(mine_countries & set(c.countries)) + 2 * len(mine_topics & set(c.topics))

    return sorted(candidates, key=lambda c: -overlap(c))[:limit]
