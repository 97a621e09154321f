"""Two full-text engines behind one interface, picked by ``connection.vendor``.

Both receive already-parsed terms (letters and digits only, see ``search.text``), so no user
input ever reaches an engine's query syntax unescaped.
"""

from __future__ import annotations

import datetime
from typing import Any, Protocol

from django.db import connection
from django.db.models import QuerySet

from dialogos.search.text import ParsedQuery


class Engine(Protocol):
    name: str

    def match_sql(self, parsed: ParsedQuery) -> tuple[str, list[Any]]:
        """A self-contained ``SELECT`` of the ids of the entries matching ``parsed`` (it must
        not refer to an outer table: Django re-aliases tables inside subqueries)."""

    def ranked_ids(
        self, candidates: QuerySet[Any], parsed: ParsedQuery, *, limit: int, offset: int
    ) -> list[int]:
        """Ids of the matching ``candidates`` (a queryset of entries), best first."""

    def raw_ids(self, parsed: ParsedQuery, *, limit: int) -> list[int]:
        """The bare engine query (no access, no facets): for benchmarks."""

    def index_bytes(self) -> int:
        """Bytes used by the full-text structures (tables and indexes), best effort."""


def current_year() -> int:
    return datetime.datetime.now(tz=datetime.UTC).year


def get_engine() -> Engine:
    if connection.vendor == "postgresql":
        from dialogos.search.engines.postgres import PostgresEngine

        return PostgresEngine()
    from dialogos.search.engines.sqlite import SqliteEngine

    return SqliteEngine()
