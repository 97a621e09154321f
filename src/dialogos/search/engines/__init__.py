"""Two full-text engines behind one interface, picked by ``connection.vendor``.

Both receive already-parsed terms (letters and digits only, see ``search.text``), so no user
input ever reaches an engine's query syntax unescaped.

An engine does one thing per request: it finds the entries matching the terms *among those the
caller may see* (the access and facet conditions are part of the same SQL statement), most
recent first, at most ``limit`` of them — so a broad query stops after ``limit`` rows instead of
visiting every match. Counting, facets and ranking then work on that bounded set
(``search.query``), identically on both engines.

Facet values are indexed as words too (``facet_token``: "qqf", the facet's initial and the
value in hexadecimal, e.g. ``qqfc5452`` for the country TR): a facet filter becomes one more
term of the match, so the engine intersects the word's list with the facet value's list and
skips through both, instead of testing every matching entry against the filter. The same
tokens, kept in the entry's ``facets`` column, are what the facet counts read.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import QuerySet

from dialogos.search.text import FACET_WORD_PREFIX, ParsedQuery

#: The recency key of an entry: its date (days) in the high bits, its id in the low 32 bits,
#: so that ordering by the key is ordering by date, then id (entries without a date last).
ID_BITS = 32
ID_MASK = (1 << ID_BITS) - 1


def recency_key(entry_id: int, date: datetime.date | None) -> int:
    return ((date.toordinal() if date else 0) << ID_BITS) | (entry_id & ID_MASK)


@dataclass(frozen=True)
class FulltextRow:
    """What an engine indexes for one entry: the folded text that matching reads."""

    entry_id: int
    date: datetime.date | None
    text: str


#: One matching entry as an engine returns it, what ranking and facet counts need and nothing
#: more: (id, year, score, facets). The score is computed by the engine (``top_columns``).
TopRow = tuple[int, int | None, float, str]

#: An entry as ``Engine.near`` returns it: (id, facets).
NearRow = tuple[int, str]

#: A query word starting a word of the title weighs this much; one starting a word of the start
#: of the text (and not of the title) ``SUMMARY_WEIGHT``; every match weighs 1 to begin with.
TITLE_WEIGHT = 10
SUMMARY_WEIGHT = 1
#: An entry of this year or later has its weight multiplied by 1.5, one of ``n`` years before
#: by 1 + 0.5 / (1 + n); an entry without a date counts as ``UNDATED_AGE`` years old.
RECENCY_BOOST = 0.5
UNDATED_AGE = 20


def top_columns(parsed: ParsedQuery, position: str) -> tuple[str, list[Any]]:
    """The columns of a ``TopRow`` over ``search_searchentry``, as SQL and parameters. The
    score is computed inside the database: a weight summed over the small ``fts_head`` and
    ``fts_summary`` word lines (" term" in a line means a word starting with the term),
    multiplied by the recency boost; neither line is carried to Python. ``position`` is how the
    engine looks for " term" in a line: a substring function (``strpos``), or ``glob``,
    SQLite's ``GLOB '* term*'``, the same test for a term of letters and digits (never a
    wildcard) and cheaper than its ``instr``, which steps through the line character by
    character (0.5 of 3.8 ms for a broad query's 1,001 rows)."""

    def contains(column: str) -> str:
        if position == "glob":
            return f"search_searchentry.{column} GLOB %s"
        return f"{position}(search_searchentry.{column}, %s) > 0"

    cases: list[str] = []
    params: list[Any] = []
    for term in parsed.include:
        cases.append(
            f"CASE WHEN {contains('fts_head')} THEN {TITLE_WEIGHT} "
            f"WHEN {contains('fts_summary')} THEN {SUMMARY_WEIGHT} "
            "ELSE 0 END"
        )
        needle = f"* {term}*" if position == "glob" else f" {term}"
        params += [needle, needle]
    weight = " + ".join(["1", *cases])
    year = current_year()
    age = (
        f"CASE WHEN search_searchentry.year IS NULL THEN {UNDATED_AGE} "
        "WHEN search_searchentry.year >= %s THEN 0 ELSE %s - search_searchentry.year END"
    )
    score = f"CAST(({weight}) * (1.0 + {RECENCY_BOOST} / (1.0 + {age})) AS DOUBLE PRECISION)"
    sql = f"search_searchentry.id, search_searchentry.year, {score}, search_searchentry.facets"
    return sql, [*params, year, year]


def facet_token(facet: str, value: str) -> str:
    """The index word standing for a facet value: letters and digits only, one token for both
    engines' tokenizers, never equal for two different (facet, value) pairs."""
    return f"{FACET_WORD_PREFIX}{facet[:1]}{value.encode().hex()}"


def facet_line(tags: Sequence[tuple[str, str]]) -> str:
    """The tokens of an entry's facet values, separated by spaces (the ``facets`` column)."""
    return " ".join(facet_token(facet, value) for facet, value in tags)


_FACETS_BY_INITIAL: dict[str, str] = {}


def facet_of_token(token: str) -> tuple[str, str] | None:
    """(facet, value) of a facet token; ``None`` for anything else."""
    if not _FACETS_BY_INITIAL:
        from dialogos.search.models import Facet

        _FACETS_BY_INITIAL.update({f.value[:1]: f.value for f in Facet})
    facet = _FACETS_BY_INITIAL.get(token[len(FACET_WORD_PREFIX) : len(FACET_WORD_PREFIX) + 1])
    if facet is None or not token.startswith(FACET_WORD_PREFIX):
        return None
    try:
        return facet, bytes.fromhex(token[len(FACET_WORD_PREFIX) + 1 :]).decode()
    except ValueError:
        return None


class Engine(Protocol):
    name: str

    def write(self, rows: Sequence[FulltextRow]) -> None:
        """Insert or replace the full text of these entries (their rows exist already)."""

    def top(
        self,
        where: tuple[str, list[Any]],
        parsed: ParsedQuery,
        *,
        limit: int,
        year: int | None = None,
        require: Sequence[str] = (),
    ) -> list[TopRow]:
        """Entries matching ``parsed`` that satisfy ``where`` (SQL over ``search_searchentry``,
        not aliased), most recent first, at most ``limit``. ``year``, when the request filters
        by one, lets the engine read only that year's part of its index; ``require`` are facet
        tokens every entry must carry (``where`` still carries both filters)."""

    def near(
        self, where: tuple[str, list[Any]], tokens: Sequence[str], *, limit: int
    ) -> list[NearRow]:
        """Entries carrying at least one of the facet ``tokens`` that satisfy ``where``, most
        recent first, at most ``limit``: the candidates of related items."""

    def raw_ids(self, parsed: ParsedQuery, *, limit: int) -> list[int]:
        """The bare engine query (match, most recent first; no access, no facets): for
        benchmarks."""

    def index_bytes(self) -> int:
        """Bytes used by the index (entries, tags, texts and full-text structures)."""

    def maintain(self, *, force: bool = False) -> str:
        """Periodic upkeep of the engine's structures (``search.periodic``); answers what it
        did."""

    def bulk(self) -> Any:
        """A context manager for loading many entries at once (the engine may defer work to
        its end)."""


def where_of(queryset: QuerySet[Any]) -> tuple[str, list[Any]]:
    """The WHERE condition of a queryset over ``search_searchentry``, as SQL and parameters, to
    be placed in an engine's own statement (``FROM search_searchentry`` without an alias)."""
    query = queryset.query
    compiler = query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.compile(query.where)
    except FullResultSet:
        return "1 = 1", []
    except EmptyResultSet:
        return "1 = 0", []
    return (sql or "1 = 1"), list(params)


def current_year() -> int:
    return datetime.datetime.now(tz=datetime.UTC).year


@contextmanager
def no_bulk() -> Iterator[None]:
    yield


def get_engine() -> Engine:
    if connection.vendor == "postgresql":
        from dialogos.search.engines.postgres import PostgresEngine

        return PostgresEngine()
    from dialogos.search.engines.sqlite import SqliteEngine

    return SqliteEngine()
