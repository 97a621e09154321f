"""SQLite FTS5: one ``detail=none`` table over the folded text (title, text, keywords), with a
prefix index for three-letter prefixes, whose rowid is the entry's recency key
(``engines.recency_key``): FTS5 walks a term's document list backwards, newest first, and stops
after ``limit`` visible matches. ``search_fts_doc`` keeps the folded text the index was built
from (FTS5 needs it to delete an entry's terms); a trigger removes it when its entry goes.
``search_fts_rank`` holds, under the same key, what a search reads of each matching entry
(access, dialogue, year, ranking word lines, facet tokens): the newest matches then lie on
neighbouring pages of a narrow table, not one page each of the wide entry table.

FTS5 answers a prefix query (``"migr"*``) by merging the whole document lists of every word with
that prefix before it returns the first row — tens of milliseconds for a frequent word at
100,000 documents — but walks the list of a whole word lazily. So a query term longer than
three letters is first expanded to the indexed words that start with it, from the word list
``search_fts_terms`` (``"migrant" OR "migrants" OR "migration"``); a three-letter term reads the
prefix index; a term of one or two letters matches that word whole.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection

from dialogos.search.engines import (
    ID_BITS,
    ID_MASK,
    FulltextRow,
    NearRow,
    TopRow,
    recency_key,
    top_columns,
)
from dialogos.search.text import MIN_PREFIX, ParsedQuery

CHUNK = 500
#: A term with more indexed words than this is left to FTS5's own prefix query.
MAX_EXPANSION = 100
PREFIX_INDEX = 3
#: The columns of ``search_fts_rank``: what a search reads of each matching entry, keyed by the
#: full-text rowid. Every name but ``key`` is the entry's own, so the caller's condition over
#: ``search_searchentry`` applies to these rows unchanged.
RANK_COLUMNS = "key, id, kind, object_id, dialogue_id, access, year, fts_head, fts_summary, facets"
_TOKEN = re.compile(r"[^\W_]+")


class _State:
    bulk = False


def _upper_bound(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _words_with_prefix(cursor: Any, prefix: str) -> list[str] | None:
    """Indexed words starting with ``prefix``; ``None`` when there are too many to list."""
    cursor.execute(
        "SELECT term FROM search_fts_terms WHERE term >= %s AND term < %s LIMIT %s",
        [prefix, _upper_bound(prefix), MAX_EXPANSION + 1],
    )
    found = [row[0] for row in cursor.fetchall()]
    return None if len(found) > MAX_EXPANSION else found


def _term_expression(cursor: Any, term: str) -> str | None:
    """The FTS5 expression of one term; ``None`` when no indexed word can match it."""
    if len(term) < MIN_PREFIX:
        return f'"{term}"'
    if len(term) == PREFIX_INDEX:
        return f'"{term}"*'
    found = _words_with_prefix(cursor, term)
    if found is None:
        return f'"{term}"*'
    if not found:
        return None
    return "(" + " OR ".join(f'"{word}"' for word in found) + ")"


def match_expression(
    parsed: ParsedQuery, cursor: Any | None = None, require: Sequence[str] = ()
) -> str | None:
    """An FTS5 query: every term quoted (so no word is an operator), matched as a prefix —
    through the word list when a cursor is given — and every ``require``d facet token as a
    whole word. ``None`` when nothing can match."""
    parts: list[str] = []
    for term in parsed.include:
        expression = (
            _term_expression(cursor, term)
            if cursor is not None
            else (f'"{term}"*' if len(term) >= MIN_PREFIX else f'"{term}"')
        )
        if expression is None:
            return None
        parts.append(expression)
    # Facet tokens are letters and digits (``engines.facet_token``): quoted, never operators.
    parts += [f'"{token}"' for token in require if token.isalnum()]
    positive = " AND ".join(parts)
    negatives: list[str] = []
    for term in parsed.exclude:
        expression = (
            _term_expression(cursor, term)
            if cursor is not None
            else (f'"{term}"*' if len(term) >= MIN_PREFIX else f'"{term}"')
        )
        if expression is not None:
            negatives.append(expression)
    if not negatives:
        return positive
    return f"({positive}) NOT ({' OR '.join(negatives)})"


def _key_range(year: int | None) -> tuple[int, int] | None:
    if year is None or not 1 <= year < 9999:
        return None
    first = datetime.date(year, 1, 1).toordinal() << ID_BITS
    last = datetime.date(year + 1, 1, 1).toordinal() << ID_BITS
    return first, last


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
                # The delete trigger of search_fts_doc took the old rows out of search_fts_rank.
                cursor.executemany(
                    f"INSERT INTO search_fts_rank ({RANK_COLUMNS}) "  # noqa: S608 - our names
                    f"SELECT %s, {RANK_COLUMNS.removeprefix('key, ')} "
                    "FROM search_searchentry WHERE id = %s",
                    [(key, entry_id) for key, entry_id, _text in values],
                )
                if not _State.bulk:  # a bulk load reads the word list from the index at its end
                    words: set[str] = set()
                    for r in chunk:
                        words.update(_TOKEN.findall(r.text))
                    cursor.executemany(
                        "INSERT OR IGNORE INTO search_fts_terms (term) VALUES (%s)",
                        [(w,) for w in sorted(words)],
                    )

    def top(
        self,
        where: tuple[str, list[Any]],
        parsed: ParsedQuery,
        *,
        limit: int,
        year: int | None = None,
        require: Sequence[str] = (),
    ) -> list[TopRow]:
        condition, params = where
        span = _key_range(year)
        within = "AND search_fts.rowid >= %s AND search_fts.rowid < %s " if span else ""
        columns, column_params = top_columns(parsed, "glob")
        sql = (
            # Only our own SQL and Django's compiled condition here; values are parameters.
            f"SELECT {columns} FROM search_fts "  # noqa: S608
            # The narrow rank rows stand in for the entries: the same column names.
            "JOIN search_fts_rank AS search_searchentry "
            "ON search_searchentry.key = search_fts.rowid "
            f"WHERE search_fts MATCH %s {within}AND ({condition}) "
            "ORDER BY search_fts.rowid DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            expression = match_expression(parsed, cursor, require)
            if expression is None:
                return []
            cursor.execute(sql, [*column_params, expression, *(span or ()), *params, limit])
            return list(cursor.fetchall())

    def near(
        self, where: tuple[str, list[Any]], tokens: Sequence[str], *, limit: int
    ) -> list[NearRow]:
        """The index's match of any of the tokens (they are words of it), newest first, joined
        to the narrow rank rows for the caller's condition and the facet lines: FTS5 merges
        the tokens' lists backwards and stops after ``limit`` visible entries. Reading the
        entries newest first along the date index instead and testing each one's facet line
        took 25 to 35 ms for 2,000 candidates at 100,000 entries (``docs/benchmarks.md``)."""
        words = [f'"{token}"' for token in tokens if token.isalnum()]
        if not words:
            return []
        condition, params = where
        sql = (
            # Only our own SQL and Django's compiled condition here; values are parameters.
            "SELECT search_searchentry.id, search_searchentry.facets FROM search_fts "  # noqa: S608
            "JOIN search_fts_rank AS search_searchentry "
            "ON search_searchentry.key = search_fts.rowid "
            f"WHERE search_fts MATCH %s AND ({condition}) "
            "ORDER BY search_fts.rowid DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [" OR ".join(words), *params, limit])
            return list(cursor.fetchall())

    def raw_ids(self, parsed: ParsedQuery, *, limit: int) -> list[int]:
        sql = (
            f"SELECT rowid & {ID_MASK} FROM search_fts WHERE search_fts MATCH %s "  # noqa: S608
            "ORDER BY rowid DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            expression = match_expression(parsed, cursor)
            if expression is None:
                return []
            cursor.execute(sql, [expression, limit])
            return [row[0] for row in cursor.fetchall()]

    def index_bytes(self) -> int:
        with connection.cursor() as cursor:
            try:
                cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search%%'")
                row = cursor.fetchone()
            except Exception:  # dbstat is optional in SQLite builds
                return 0
        return int(row[0] or 0) if row else 0

    def maintain(self, *, force: bool = False) -> str:
        """FTS5 walks its lists newest first by itself; what needs keeping are the planner's
        statistics of the entries and their tags (``STATISTICS_TABLES``). Without them SQLite
        guesses that the access condition is selective and reads every visible entry through
        the access index, then sorts them, where the newest-first index stops after the
        first ones: related items, while they walked that index, read all 100,000 entries of
        the benchmark corpus (that statement 0.24 s, against 0.04 s with the statistics). They
        are read again (``ANALYZE``, 0.3 s at 100,000 entries) when the entries have grown or
        shrunk by ``STATISTICS_DRIFT`` since, or with ``force``."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_searchentry")
            entries = int(cursor.fetchone()[0])
            known = _analyzed_rows(cursor)
            if not force:
                if entries < STATISTICS_MIN_ROWS and known is None:
                    return "not needed"
                if known is not None and abs(entries - known) <= known * STATISTICS_DRIFT:
                    return "up to date"
            for table in STATISTICS_TABLES:
                cursor.execute(f"ANALYZE {table}")
        return f"statistics read ({entries} entries)"

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Load without keeping the word list; at the end, merge the index segments into one
        (faster reads), read the word list from the index once and the planner's statistics
        (``maintain``)."""
        _State.bulk = True
        try:
            yield
        finally:
            _State.bulk = False
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            fill_terms(cursor)
        self.maintain(force=True)


#: The tables whose planner statistics ``maintain`` keeps; below ``STATISTICS_MIN_ROWS``
#: entries there are none (every plan is fast), and they are read again once the entries
#: differ by ``STATISTICS_DRIFT`` (a share) from the count they were read at.
STATISTICS_TABLES = ("search_searchentry", "search_searchtag")
STATISTICS_MIN_ROWS = 1000
STATISTICS_DRIFT = 0.1


def _analyzed_rows(cursor: Any) -> int | None:
    """The entries counted when the statistics were last read; ``None`` when there are none."""
    cursor.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    )
    if not cursor.fetchone()[0]:
        return None
    cursor.execute(
        "SELECT stat FROM sqlite_stat1 WHERE tbl = 'search_searchentry' AND idx IS NOT NULL LIMIT 1"
    )
    row = cursor.fetchone()
    return int(str(row[0]).split()[0]) if row else None


def fill_terms(cursor: Any) -> None:
    """Add every word of the index to ``search_fts_terms``."""
    cursor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_fts_vocab "
        "USING fts5vocab(main, search_fts, 'row')"
    )
    cursor.execute(
        "INSERT OR IGNORE INTO search_fts_terms (term) SELECT term FROM search_fts_vocab"
    )
    cursor.execute("DROP TABLE temp.search_fts_vocab")
