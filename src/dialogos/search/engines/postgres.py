"""PostgreSQL full text: a generated ``tsvector`` (unaccent; ``simple`` for exact and prefix
matching, ``russian`` — which stems Latin words with the English stemmer — for morphology),
GIN-indexed, ranked by ``ts_rank_cd`` with the title weighing ten times the body, and a boost
for recent entries."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet

from dialogos.search.engines import current_year
from dialogos.search.text import ParsedQuery

# ts_rank_cd weights in the order {D, C, B, A}: title (A) ten times the body (B).
WEIGHTS = "{0.01, 0.02, 0.1, 1.0}"


def tsquery_sql(parsed: ParsedQuery) -> tuple[str, list[Any]]:
    """A tsquery expression. Terms are letters and digits only; they are still passed as
    parameters, quoted inside the tsquery text."""
    parts: list[str] = []
    params: list[Any] = []
    for term in parsed.include:
        parts.append("(to_tsquery('simple', %s) || to_tsquery('russian', %s))")
        params += [f"'{term}':*", f"'{term}':*"]
    sql = " && ".join(parts)
    for term in parsed.exclude:
        sql = f"({sql}) && !!to_tsquery('simple', %s)"
        params.append(f"'{term}':*")
    return sql, params


class PostgresEngine:
    name = "postgresql-fts"

    def match_sql(self, parsed: ParsedQuery) -> tuple[str, list[Any]]:
        query, params = tsquery_sql(parsed)
        return f"SELECT entry_id FROM search_searchtext WHERE document @@ ({query})", params  # noqa: S608

    def ranked_ids(
        self, candidates: QuerySet[Any], parsed: ParsedQuery, *, limit: int, offset: int
    ) -> list[int]:
        inner, inner_params = candidates.values("id").query.sql_with_params()
        query, query_params = tsquery_sql(parsed)
        year = current_year()
        sql = (
            # Only our own SQL and placeholders here; every value is a parameter.
            f"WITH q AS (SELECT ({query}) AS query) "  # noqa: S608
            "SELECT e.id FROM search_searchtext t JOIN search_searchentry e ON e.id = t.entry_id, q "
            f"WHERE t.document @@ q.query AND e.id IN ({inner}) "
            f"ORDER BY ts_rank_cd('{WEIGHTS}', t.document, q.query) "
            "* (1.0 + 0.5 / (1.0 + GREATEST(0, %s - COALESCE(e.year, %s - 20)))) DESC, e.id DESC "
            "LIMIT %s OFFSET %s"
        )
        params = [*query_params, *inner_params, year, year, limit, offset]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def raw_ids(self, parsed: ParsedQuery, *, limit: int) -> list[int]:
        query, params = tsquery_sql(parsed)
        sql = (
            # Only our own SQL and placeholders here; every value is a parameter.
            f"WITH q AS (SELECT ({query}) AS query) SELECT t.entry_id FROM search_searchtext t, q "  # noqa: S608
            f"WHERE t.document @@ q.query ORDER BY ts_rank_cd('{WEIGHTS}', t.document, q.query) "
            "DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit])
            return [row[0] for row in cursor.fetchall()]

    def index_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_total_relation_size('search_searchentry') "
                "+ pg_total_relation_size('search_searchtag') "
                "+ pg_total_relation_size('search_searchtext')"
            )
            row = cursor.fetchone()
        return int(row[0] or 0) if row else 0
