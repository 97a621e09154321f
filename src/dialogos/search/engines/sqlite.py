"""SQLite FTS5: an external-content table over the folded title and body, ranked by bm25 with
the title weighing ten times the body, and a boost for recent entries."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet

from dialogos.search.engines import current_year
from dialogos.search.text import ParsedQuery

TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0


def match_expression(parsed: ParsedQuery) -> str:
    """An FTS5 query: every term quoted (so no word is an operator) and matched as a prefix."""
    positive = " AND ".join(f'"{term}"*' for term in parsed.include)
    if not parsed.exclude:
        return positive
    negative = " OR ".join(f'"{term}"*' for term in parsed.exclude)
    return f"({positive}) NOT ({negative})"


class SqliteEngine:
    name = "sqlite-fts5"

    def match_sql(self, parsed: ParsedQuery) -> tuple[str, list[Any]]:
        return "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [match_expression(parsed)]

    def ranked_ids(
        self, candidates: QuerySet[Any], parsed: ParsedQuery, *, limit: int, offset: int
    ) -> list[int]:
        inner, inner_params = candidates.values("id").query.sql_with_params()
        year = current_year()
        sql = (
            # Only our own SQL and placeholders here; every value is a parameter.
            "SELECT e.id FROM search_fts JOIN search_searchentry e ON e.id = search_fts.rowid "  # noqa: S608
            f"WHERE search_fts MATCH %s AND e.id IN ({inner}) "
            f"ORDER BY bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}) "
            "* (1.0 + 0.5 / (1.0 + MAX(0, %s - COALESCE(e.year, %s - 20)))), e.id DESC "
            "LIMIT %s OFFSET %s"
        )
        params = [match_expression(parsed), *inner_params, year, year, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def raw_ids(self, parsed: ParsedQuery, *, limit: int) -> list[int]:
        sql = (
            # Only our own SQL and placeholders here; every value is a parameter.
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "  # noqa: S608
            f"ORDER BY bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT}) LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match_expression(parsed), limit])
            return [row[0] for row in cursor.fetchall()]

    def index_bytes(self) -> int:
        with connection.cursor() as cursor:
            try:
                cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search%%'")
                row = cursor.fetchone()
            except Exception:  # dbstat is optional in SQLite builds
                return 0
        return int(row[0] or 0) if row else 0
