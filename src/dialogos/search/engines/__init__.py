"""Two full-text engines behind one interface, picked by ``connection.vendor``.

Both receive already-parsed terms (letters and digits only, see ``search.text``), so no user
input ever reaches an engine's query syntax unescaped.

An engine does one thing per request: it finds the entries matching the terms *among those the
caller may see* (the access and facet conditions are part of the same SQL statement), most
recent first, at most ``limit`` of them — so a broad query stops after ``limit`` rows instead of
visiting every match. Counting, facets and ranking then work on that bounded set
(``search.query``), identically on both engines.
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

from dialogos.search.text import ParsedQuery

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


#: One matching entry as an engine returns it, what ranking needs and nothing more:
#: (id, year, fts_head, fts_summary).
TopRow = tuple[int, int | None, str, str]


#: Columns of ``search_searchentry`` every engine selects for a ``TopRow``.
TOP_COLUMNS = (
    "search_searchentry.id, search_searchentry.year, "
    "search_searchentry.fts_head, search_searchentry.fts_summary"
)


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
    ) -> list[TopRow]:
        """Entries matching ``parsed`` that satisfy ``where`` (SQL over ``search_searchentry``,
        not aliased), most recent first, at most ``limit``. ``year``, when the request filters
        by one, lets the engine read only that year's part of its index (``where`` still
        carries the filter)."""

    def raw_ids(self, parsed: ParsedQuery, *, limit: int) -> list[int]:
        """The bare engine query (match, most recent first; no access, no facets): for
        benchmarks."""

    def index_bytes(self) -> int:
        """Bytes used by the index (entries, tags, texts and full-text structures)."""

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
