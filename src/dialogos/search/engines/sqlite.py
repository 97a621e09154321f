"""SQLite FTS5: one ``detail=none`` table over the folded text (title, text, keywords), with a
prefix index for three-letter prefixes, whose rowid is the entry's recency key
(``engines.recency_key``): FTS5 walks a term's document list backwards, newest first, and stops
after ``limit`` visible matches. ``search_fts_doc`` keeps the folded text the index was built
from (FTS5 needs it to delete an entry's terms); a trigger removes it when its entry goes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection

from dialogos.search.engines import ID_MASK, TOP_COLUMNS, FulltextRow, TopRow, recency_key
from dialogos.search.text import ParsedQuery

CHUNK = 500


def match_expression(parsed: ParsedQuery) -> str:
    """An FTS5 query: every term quoted (so no word is an operator) and matched as a prefix."""
    positive = " AND ".join(f'"{term}"*' for term in parsed.include)
    if not parsed.exclude:
        return positive
    negative = " OR ".join(f'"{term}"*' for term in parsed.exclude)
    return f"({positive}) NOT ({negative})"


class SqliteEngine:
    name = "sqlite-fts5"

    def write(self, rows: Sequence[FulltextRow]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                marks = ", ".join(["%s"] * len(chunk))
                # The delete trigger takes the old terms out of search_fts.
                cursor.execute(
                    f"DELETE FROM search_fts_doc WHERE entry_id IN ({marks})",  # noqa: S608
                    [r.entry_id for r in chunk],
                )
                values = [(recency_key(r.entry_id, r.date), r.entry_id, r.text) for r in chunk]
                cursor.executemany(
                    "INSERT INTO search_fts_doc (key, entry_id, text) VALUES (%s, %s, %s)", values
                )
                cursor.executemany(
                    "INSERT INTO search_fts (rowid, text) VALUES (%s, %s)",
                    [(key, text) for key, _id, text in values],
                )

    def top(self, where: tuple[str, list[Any]], parsed: ParsedQuery, *, limit: int) -> list[TopRow]:
        condition, params = where
        sql = (
            # Only our own SQL and Django's compiled condition here; values are parameters.
            f"SELECT {TOP_COLUMNS} FROM search_fts "  # noqa: S608
            f"JOIN search_searchentry ON search_searchentry.id = (search_fts.rowid & {ID_MASK}) "
            f"WHERE search_fts MATCH %s AND ({condition}) "
            "ORDER BY search_fts.rowid DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [match_expression(parsed), *params, limit])
            return list(cursor.fetchall())

    def raw_ids(self, parsed: ParsedQuery, *, limit: int) -> list[int]:
        sql = (
            f"SELECT rowid & {ID_MASK} FROM search_fts WHERE search_fts MATCH %s "  # noqa: S608
            "ORDER BY rowid DESC LIMIT %s"
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

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Merge the index segments into one after a large load (faster reads)."""
        yield
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
