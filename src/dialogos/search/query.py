"""Reads over the index: one search with facets and snippets, and related items.

Access is part of every query, before counting and facets: rows the user may not see are never
counted, suggested or shown. ``public``, ``members`` and ``secretariat`` rows are filtered by
the stored effective level and dialogue against ``core.access.principal``; ``group`` rows by
asking each source, inside the same SQL, which of its group-level objects the user may see.

One request evaluates the full-text match once: the engine returns the matching entries the
user may see, most recent first, at most ``SEARCH_TOP_LIMIT`` (1,000) + 1 of them. Below the
limit the count and the facets are exact; above it the page says "more than 1,000 results" and
the facets count the 1,000 most recent matches (``Results.exact`` is false, and the page and the
API say so). The engine weighs each row of the top set in the same statement (a query word
starting a word of the title weighs ten, one in the start of the text one); a recency boost (up
to 1.5 times) multiplies the weight in memory, so a title match ranks above a text-only match
and a recent entry above an old one. Facet filters are words of the match
(``engines.facet_token``), and the facet counts read each row's token line.
A page costs a fixed number of queries whatever the size of the index. A snippet comes from
the text in the reader's language, or from the start of another language's text when only that
holds a word of the query (``_snippets_elsewhere``); a hit whose title and snippet still show no
word of the query names the countries and topics whose names made it match (``MatchedValue``).
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from dialogos.core import access
from dialogos.core.i18n import TranslatedText, language_codes
from dialogos.core.models import AccessLevel, Country
from dialogos.search import embeddings
from dialogos.search.engines import (
    TopRow,
    facet_of_token,
    facet_token,
    get_engine,
    where_of,
)
from dialogos.search.indexing import all_country_names
from dialogos.search.models import (
    Facet,
    SearchBody,
    SearchEntry,
    SearchHead,
    SearchText,
    SearchTopic,
)
from dialogos.search.registry import get_source, sources
from dialogos.search.text import (
    SNIPPET_HEAD_CHARS,
    SNIPPET_WIDTH,
    ParsedQuery,
    first_match,
    highlight,
    parse_query,
    snippet,
)

PAGE_SIZE = 20
MAX_PAGE = 500
#: At most this many matches are counted exactly, faceted and ranked (``SEARCH_TOP_LIMIT``).
TOP_LIMIT = 1000
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


def access_q(user: Any, group_kinds: Iterable[str] | None = None) -> Q:
    """Rows of the index ``user`` may see, as one condition (subqueries included). With
    ``group_kinds``, only those sources' group-level rows can pass (``visible_where``)."""
    kinds = None if group_kinds is None else set(group_kinds)
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
        if kinds is not None and source.kind not in kinds:
            continue
        group_rows = SearchEntry.objects.filter(kind=source.kind, access=AccessLevel.GROUP).values(
            "object_id"
        )
        allowed = source.visible_group_queryset(
            user, source.model._default_manager.filter(pk__in=group_rows)
        ).values("pk")
        q |= Q(kind=source.kind, access=AccessLevel.GROUP, object_id__in=allowed)
    return q


#: The compiled access condition per (database, registered sources, those of them with
#: group-level rows, principal), the most recently used ``WHERE_CACHE`` of them. Compiling it
#: (every source's group subquery through the ORM) took about ten times as long as a signed-in
#: reader's whole search otherwise. It is
#: safe to keep: the condition is a function of the principal alone — every other fact it
#: depends on (registrations, project members, state roles, the entries themselves) sits in
#: subqueries the database evaluates at each search — and the principal is read afresh for each
#: request, so a granted or revoked role is a different key at once.
WHERE_CACHE = 1024
_WHERE: OrderedDict[tuple[Any, ...], tuple[str, list[Any]]] = OrderedDict()
_WHERE_LOCK = threading.Lock()


def _group_kinds(alias: str, kinds: list[str]) -> tuple[str, ...]:
    """Those of ``kinds`` that have group-level rows in the index of database ``alias``: one
    statement, a probe of the (kind, access) index per kind."""
    db = connections[alias]
    table = db.ops.quote_name(SearchEntry._meta.db_table)
    probes = " UNION ALL ".join(
        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {table} "  # noqa: S608 - our own names
        "WHERE kind = %s AND access = %s)"
        for _kind in kinds
    )
    with db.cursor() as cursor:
        cursor.execute(probes, [v for kind in kinds for v in (kind, kind, AccessLevel.GROUP.value)])
        return tuple(sorted(row[0] for row in cursor.fetchall()))


def visible_where(user: Any) -> tuple[str, list[Any]]:
    """``access_q(user)`` as SQL over ``search_searchentry`` (``engines.where_of``), with the
    group subqueries of only the sources that have group-level rows at this moment: PostgreSQL
    planned every source's subquery at every search (7.5 ms of a signed-in reader's search,
    against 0.3 ms for a visitor's), most of them for sources with no such row. Leaving a
    source out can only hide rows: a row that turns group-level between the probe and the
    search is not shown to this search, and is to the next."""
    who = access.principal(user)
    alias = SearchEntry.objects.db
    kinds = tuple(s.kind for s in sources())
    groups: tuple[str, ...] | None = None
    if who.is_authenticated and not who.is_operator and kinds:
        groups = _group_kinds(alias, list(kinds))
    key = (alias, kinds, groups, who)
    with _WHERE_LOCK:  # a worker may run several requests at once (``serve --threads``)
        found = _WHERE.get(key)
        if found is not None:
            _WHERE.move_to_end(key)
    if found is None:
        found = where_of(SearchEntry.objects.filter(access_q(user, groups)))
        with _WHERE_LOCK:
            _WHERE[key] = found
            while len(_WHERE) > WHERE_CACHE:
                _WHERE.popitem(last=False)
    sql, params = found
    return sql, list(params)


def visible_entries(user: Any) -> QuerySet[SearchEntry]:
    """The entries of the index ``user`` may see, filtered by the kept condition of
    ``visible_where`` (only the group subqueries of sources with group-level rows, compiled
    once per principal): the listing without words and related items read it, as the engine's
    statement does, instead of compiling every source's group subquery through the ORM at each
    request."""
    sql, params = visible_where(user)
    # Our own compiled condition (``where_of``); every value in it is a bound parameter.
    return SearchEntry.objects.filter(RawSQL(sql, params, output_field=BooleanField()))  # noqa: S611


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
            if dialogue.isdecimal() and len(dialogue) < 12:
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
            if year.isdecimal() and len(year) == 4:
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

    def tokens(self) -> list[str]:
        """The index words of the active filters (``engines.facet_token``)."""
        return [facet_token(facet, value) for facet, value in self.active().items()]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True, slots=True)
class MatchedValue:
    """A country or topic of a hit one of whose names holds a word of the query: what made
    the entry match when neither its title nor its snippet shows it (an entry is found by the
    names of its countries and topics, in every language and under former names)."""

    facet: str
    facet_label: str
    value: str
    #: The name in the reader's language.
    text: str
    #: That name, highlighted, followed by the matching name in brackets when that is another
    #: one ("Türkiye (Turkey)").
    label: SafeString


@dataclass
class Hit:
    entry: PageEntry
    kind_label: str
    title: SafeString
    snippet: SafeString
    url: str
    date: datetime.date | None
    #: The language of the text the snippet was cut from: the reader's, or another one (the
    #: entry has no text in the reader's language, or only another language's text holds the
    #: words of the query).
    snippet_language: str = ""
    matched: list[MatchedValue] = field(default_factory=list)

    @property
    def snippet_language_name(self) -> str:
        """The name of the snippet's language when it is not the reader's, else empty."""
        if not self.snippet_language or self.snippet_language == (get_language() or "")[:2]:
            return ""
        return str(dict(settings.LANGUAGES).get(self.snippet_language, self.snippet_language))


@dataclass
class Results:
    query: str
    parsed: ParsedQuery
    filters: Filters
    total: int = 0
    #: False when there are more matches than ``total`` (the top set was full).
    exact: bool = True
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
    if text.isdecimal() and len(text) < 6 and 1 <= int(text) <= MAX_PAGE:
        return int(text), True
    return 1, False


#: Facet labels read recently, per (facet, language): {value: (label, when read)}.
_LABELS: dict[tuple[str, str], dict[str, tuple[str, float]]] = {}


def _labels(facet: str, values: list[str]) -> dict[str, str]:
    """Labels of facet values in the current language; names of countries, dialogues and topics
    are kept for ``SEARCH_LABEL_SECONDS`` (60) in the process, so most pages read none."""
    seconds = float(getattr(settings, "SEARCH_LABEL_SECONDS", 60))
    if seconds <= 0 or facet in (Facet.KIND, Facet.YEAR, Facet.LANGUAGE):
        return _read_labels(facet, values)
    now = time.monotonic()
    known = _LABELS.setdefault((facet, get_language() or ""), {})
    missing = [v for v in values if v not in known or now - known[v][1] > seconds]
    if missing:
        read = _read_labels(facet, missing)
        for value in missing:
            known[value] = (read.get(value, value), now)
    return {v: known[v][0] for v in values}


def _read_labels(facet: str, values: list[str]) -> dict[str, str]:
    language = get_language()
    if facet == Facet.KIND:
        return {v: str(s.label) for v in values if (s := get_source(v)) is not None}
    if facet == Facet.COUNTRY:
        return {c.code: c.name.get_text(language) for c in Country.objects.filter(code__in=values)}
    if facet == Facet.TOPIC:
        return SearchTopic.labels(values)
    if facet == Facet.DIALOGUE:
        from dialogos.dialogues.models import Dialogue

        ids = [int(v) for v in values if v.isdecimal()]
        return {
            str(d.pk): (d.short_name.get_text(language) or d.name.get_text(language))
            for d in Dialogue.objects.filter(pk__in=ids)
        }
    if facet == Facet.LANGUAGE:
        names = dict(settings.LANGUAGES)
        return {v: str(names.get(v, v)) for v in values}
    return {v: v for v in values}


@functools.lru_cache(maxsize=4096)
def _decoded(token: str) -> tuple[str, str] | None:
    return facet_of_token(token)


def _facets(lines: Iterable[str], filters: Filters) -> dict[str, list[FacetValue]]:
    """Facet counts over the entries whose ``facets`` columns are ``lines`` (one per entry):
    the tokens counted in one pass, then decoded once per distinct value."""
    counts = Counter(" ".join(lines).split())
    if not counts:
        return {}
    grouped: dict[str, list[tuple[str, int]]] = {}
    for token, n in counts.items():
        pair = _decoded(token)
        if pair is not None:
            grouped.setdefault(pair[0], []).append((pair[1], n))
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


def _language_order() -> dict[str, int]:
    """The order in which languages stand in for each other: the default one, then the rest."""
    return {
        code: n for n, code in enumerate(dict.fromkeys([settings.LANGUAGE_CODE, *language_codes()]))
    }


def _snippet_texts(ids: list[int], language: str, *, whole: bool) -> dict[int, tuple[str, str]]:
    """Each entry's text in ``language`` — or, for an entry without one, in the first language
    that has one, as ``TranslatedText.get_text`` picks it — with the language: its start
    (``SearchHead``), or with ``whole`` as far as a snippet is ever looked for
    (``SearchBody``). Plain statements: a page of results reads twenty rows, and compiling ORM
    queries would cost more."""
    if not ids:
        return {}
    model = SearchBody if whole else SearchHead
    table = connection.ops.quote_name(model._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    code = language[:2]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT entry_id, text FROM {table} "  # noqa: S608 - our own names; values bound
            f"WHERE language = %s AND entry_id IN ({marks})",
            [code, *ids],
        )
        found = {entry_id: (code, text) for entry_id, text in cursor.fetchall() if text}
        missing = [i for i in ids if i not in found]
        if missing:
            order = _language_order()
            best: dict[int, tuple[int, str, str]] = {}
            for entry_id, other, text in _all_texts(cursor, table, missing):
                rank_of = order.get(other, len(order))
                if text and (entry_id not in best or rank_of < best[entry_id][0]):
                    best[entry_id] = (rank_of, other, text)
            found.update({entry_id: (other, text) for entry_id, (_r, other, text) in best.items()})
    return found


def _all_texts(cursor: Any, table: str, ids: list[int]) -> list[tuple[int, str, str]]:
    """(entry, language, text) of every language of these entries, from ``table``."""
    cursor.execute(
        f"SELECT entry_id, language, text FROM {table} "  # noqa: S608 - our own names; values bound
        f"WHERE entry_id IN ({', '.join(['%s'] * len(ids))})",
        ids,
    )
    return list(cursor.fetchall())


def _snippets(
    ids: list[int], language: str, stems: tuple[str, ...]
) -> dict[int, tuple[str, SafeString]]:
    """The snippet of each entry, with the language of its text: cut from the start of the
    text when the first match (or no match, for a short text) lies there, otherwise from the
    longer start the search scans."""
    heads = _snippet_texts(ids, language, whole=False)
    found: dict[int, tuple[str, SafeString]] = {}
    longer: list[int] = []
    for entry_id, (code, text) in heads.items():
        complete = len(text) <= SNIPPET_HEAD_CHARS
        first = first_match(text, stems, SNIPPET_HEAD_CHARS)
        if complete or (first is not None and first + SNIPPET_WIDTH < SNIPPET_HEAD_CHARS):
            found[entry_id] = (code, snippet(text, stems, first=first))
        else:
            longer.append(entry_id)
    for entry_id, (code, text) in _snippet_texts(longer, language, whole=True).items():
        found[entry_id] = (code, snippet(text, stems))
    return found


def _snippets_elsewhere(
    shown: dict[int, str], stems: tuple[str, ...]
) -> dict[int, tuple[str, SafeString]]:
    """For entries whose text in ``shown``'s language ({entry: language}) holds no word of the
    query, a snippet from the start of another language's text that does, with that language
    (the first in ``_language_order`` that has a match): an English reader who searched with a
    Russian word sees where the Russian text holds it. Only the starts are read
    (``SearchHead``, one statement): reading the whole texts as well made a search of the
    benchmark corpus 1.7 ms slower at the median, for a match in a little more of them."""
    if not shown or not stems:
        return {}
    order = _language_order()
    found: dict[int, tuple[str, SafeString]] = {}
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(SearchHead._meta.db_table)
        heads = sorted(
            _all_texts(cursor, table, list(shown)), key=lambda r: order.get(r[1], len(order))
        )
    for entry_id, code, text in heads:
        if entry_id in found or code == shown[entry_id] or not text:
            continue
        first = first_match(text, stems, SNIPPET_HEAD_CHARS)
        if first is not None and (
            len(text) <= SNIPPET_HEAD_CHARS or first + SNIPPET_WIDTH < SNIPPET_HEAD_CHARS
        ):
            found[entry_id] = (code, snippet(text, stems, first=first))
    return found


@dataclass(frozen=True, slots=True)
class PageEntry:
    """What a hit shows of its entry: read in one plain statement for a page of results (a
    model instance per hit cost more than the statement)."""

    id: int
    kind: str
    object_id: int
    title: dict[str, str]
    url: dict[str, str]
    date: datetime.date | None
    dialogue_id: int | None
    countries: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()

    def title_text(self, language: str | None = None) -> str:
        return TranslatedText(self.title or {}).get_text(language)

    def url_for(self, language: str | None = None) -> str:
        return TranslatedText(self.url or {}).get_text(language)


def page_entries(ids: list[int]) -> dict[int, PageEntry]:
    """The entries of one page of results by id, their values converted as the fields would
    (JSON texts, dates)."""
    if not ids:
        return {}
    table = connection.ops.quote_name(SearchEntry._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, kind, object_id, title, url, date, dialogue_id, countries, topics "  # noqa: S608
            f"FROM {table} WHERE id IN ({marks})",
            ids,
        )
        rows = cursor.fetchall()
    return {
        entry_id: PageEntry(
            entry_id,
            kind,
            object_id,
            _json(title),
            _json(url),
            datetime.date.fromisoformat(date) if isinstance(date, str) else date,
            dialogue_id,
            tuple(_json(countries) or ()),
            tuple(_json(topics) or ()),
        )
        for entry_id, kind, object_id, title, url, date, dialogue_id, countries, topics in rows
    }


def _json(value: Any) -> Any:
    """A JSON column's value: SQLite answers its text, PostgreSQL the value itself."""
    return json.loads(value) if isinstance(value, str) else value


#: Every name of every country (all languages, official, former and other names) and every
#: label of every topic, per facet, with when they were read (``SEARCH_LABEL_SECONDS``).
_NAMES: dict[str, tuple[dict[str, list[str]], float]] = {}


def _all_names(facet: str) -> dict[str, list[str]]:
    """{value: its names} for the country or topic facet, kept like the facet labels."""
    seconds = float(getattr(settings, "SEARCH_LABEL_SECONDS", 60))
    now = time.monotonic()
    kept = _NAMES.get(facet)
    if kept is not None and seconds > 0 and now - kept[1] <= seconds:
        return kept[0]
    names: dict[str, list[str]] = {}
    if facet == Facet.COUNTRY:
        names = all_country_names()  # what the index holds of an entry's countries
    elif facet == Facet.TOPIC:
        for topic in SearchTopic.objects.all():
            names[topic.key] = [str(v) for v in (topic.label or {}).values() if v]
    _NAMES[facet] = (names, now)
    return names


#: A country's or topic's name is searched for a word of the query in its first characters.
_NAME_CHARS = 200
#: The facets whose names a result may be found by, with the entry's values of each.
_NAMED = ((Facet.COUNTRY, attrgetter("countries")), (Facet.TOPIC, attrgetter("topics")))


def _matched(entries: list[PageEntry], stems: tuple[str, ...]) -> dict[int, list[MatchedValue]]:
    """For each of ``entries``, its countries and topics one of whose names holds a word
    starting with one of ``stems`` (``MatchedValue``): the names and labels read once for the
    page."""
    pairs: dict[int, list[tuple[Facet, str, str]]] = {}
    for facet, values_of in _NAMED:
        if not any(values_of(e) for e in entries):
            continue
        names = _all_names(facet.value)
        for entry in entries:
            for value in values_of(entry):
                # The shortest name that matches: "Turkey" rather than "Republic of Turkey".
                name = min(
                    (
                        n
                        for n in names.get(value, ())
                        if first_match(n, stems, _NAME_CHARS) is not None
                    ),
                    key=len,
                    default=None,
                )
                if name is not None:
                    pairs.setdefault(entry.id, []).append((facet, value, name))
    labels = {
        facet.value: _labels(
            facet.value, sorted({v for found in pairs.values() for f, v, _n in found if f == facet})
        )
        for facet, _values_of in _NAMED
    }
    result: dict[int, list[MatchedValue]] = {}
    for entry_id, found in pairs.items():
        for facet, value, name in found:
            text = labels[facet.value].get(value, value)
            label = highlight(text, stems)
            if "<mark>" not in label:
                label = format_html("{} ({})", label, highlight(name, stems))
            result.setdefault(entry_id, []).append(
                MatchedValue(facet.value, str(facet.label), value, text, label)
            )
    return result


def top_limit() -> int:
    return max(PAGE_SIZE, int(getattr(settings, "SEARCH_TOP_LIMIT", TOP_LIMIT)))


def rank(rows: list[TopRow]) -> list[int]:
    """Ids of ``rows`` (most recent first) best first, by the score the engine gave each row
    (``engines.top_columns``: title words over words of the start of the text, times a recency
    boost); ties stay newest first (a stable sort)."""
    return [row[0] for row in sorted(rows, key=itemgetter(2), reverse=True)]


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

    limit = top_limit()
    require = filters.tokens()
    if not parsed and not require:
        return results
    # The facet filters are words of the match (``require``); the condition is access alone.
    # Without words the facet values alone are the match, and the order stays newest first.
    rows = get_engine().top(
        visible_where(user), parsed, limit=limit + 1, year=filters.year, require=require
    )
    results.exact = len(rows) <= limit
    rows = rows[:limit]
    lines = [row[3] for row in rows]
    ordered = rank(rows) if parsed else [row[0] for row in rows]
    results.total = len(ordered)
    if not results.exact:
        results.messages.append(
            str(
                _(
                    "More than %(limit)s results: showing the best of the %(limit)s most recent, "
                    "and the counts beside the filters are for those. Add a word or a filter to "
                    "narrow the search."
                )
            )
            % {"limit": formats.number_format(limit, force_grouping=True)}
        )
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
        ids = ordered[offset : offset + PAGE_SIZE]
        entries = page_entries(ids)
        language = get_language() or settings.LANGUAGE_CODE
        stems = parsed.highlight_stems
        snippets = _snippets(ids, language, stems)
        if stems:
            # Where the text shown holds no word of the query, another language's may.
            bare = {i: code for i, (code, text) in snippets.items() if "<mark>" not in text}
            snippets.update(_snippets_elsewhere(bare, stems))
        unshown: list[PageEntry] = []
        for entry_id in ids:
            entry = entries.get(entry_id)
            if entry is None:
                continue
            source = get_source(entry.kind)
            title = highlight(entry.title_text(language), stems)
            text_language, text = snippets.get(entry_id, ("", mark_safe("")))
            if stems and "<mark>" not in title and "<mark>" not in text:
                unshown.append(entry)
            results.hits.append(
                Hit(
                    entry=entry,
                    kind_label=str(source.label) if source else entry.kind,
                    title=title,
                    snippet=text,
                    url=entry.url_for(language),
                    date=entry.date,
                    snippet_language=text_language,
                )
            )
        if unshown:
            # What made them match, for the hits that show no word of the query.
            matched = _matched(unshown, stems)
            for hit in results.hits:
                hit.matched = matched.get(hit.entry.id, [])
        results.facets = _facets(lines, filters)
    return results


def _vectors(ids: list[int]) -> dict[int, bytes]:
    """The stored embeddings of these entries (those that have one), in one plain statement:
    an ORM ``entry_id__in`` over related items' 2,000 candidates took about 20 ms to build,
    longer than reading the vectors, and so did psycopg's binding of 2,000 placeholders."""
    if not ids:
        return {}
    table = connection.ops.quote_name(SearchText._meta.db_table)
    params: list[Any]
    if connection.vendor == "postgresql":
        among, params = "= ANY(%s)", [list(ids)]  # one array, not 2,000 placeholders
    else:
        among, params = f"IN ({', '.join(['%s'] * len(ids))})", list(ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT entry_id, vector FROM {table} "  # noqa: S608 - our own names; values bound
            f"WHERE vector IS NOT NULL AND entry_id {among}",
            params,
        )
        return {entry_id: bytes(vector) for entry_id, vector in cursor.fetchall() if vector}


#: The facets whose values make two entries near (``related``).
_NEAR_FACETS = (Facet.COUNTRY.value, Facet.TOPIC.value, Facet.DIALOGUE.value)


def related(
    user: Any, kind: str, key: int, *, limit: int = RELATED_LIMIT
) -> list[PageEntry] | None:
    """Up to ``limit`` entries close to the object (``kind``, ``key``) that ``user`` may see:
    by cosine of the embeddings over candidates sharing its dialogue, countries or topics
    (recent first), falling back to the count of shared countries and topics. ``None`` when
    the object is not in the index or the user may not see it.

    The candidates are the entries sharing one of those values that the user may see, newest
    first, at most ``RELATED_CANDIDATES`` (``Engine.near``: SQLite matches the values' tokens,
    words of its index; PostgreSQL walks a covering date index testing each facet line), and the
    overlap is counted on their facet lines."""
    visible = visible_entries(user)
    found = visible.filter(kind=kind, object_id=key).values_list("id", "facets").first()
    if found is None:
        return None
    entry_id, line = found
    mine = {
        token: pair[0]
        for token in (line or "").split()
        if (pair := _decoded(token)) is not None and pair[0] in _NEAR_FACETS
    }
    if not mine:
        return []
    rows = get_engine().near(visible_where(user), sorted(mine), limit=RELATED_CANDIDATES + 1)
    candidates = [row for row in rows if row[0] != entry_id][:RELATED_CANDIDATES]
    if not candidates:
        return []
    chosen: list[int] = []
    vector = _vectors([entry_id]).get(entry_id)
    if vector:
        vectors = _vectors([c[0] for c in candidates])
        with_vectors = [c[0] for c in candidates if c[0] in vectors]
        if with_vectors:
            best = embeddings.cosine_top(vector, [vectors[c] for c in with_vectors], limit)
            chosen = [with_vectors[i] for i, _score in best]
    if not chosen:
        # Shared countries count once, shared topics twice (the dialogue not at all).
        weights = [
            (f" {token} ", 2 if facet == Facet.TOPIC else 1)
            for token, facet in mine.items()
            if facet != Facet.DIALOGUE
        ]

        def overlap(row: tuple[int, str | None]) -> int:
            padded = f" {row[1] or ''} "
            return sum(weight for needle, weight in weights if needle in padded)

        chosen = [row[0] for row in sorted(candidates, key=lambda row: -overlap(row))[:limit]]
    entries = page_entries(chosen)  # what a hit shows, as for a page of results
    return [entries[i] for i in chosen if i in entries]
