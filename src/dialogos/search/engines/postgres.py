"""PostgreSQL full text: a stripped ``tsvector`` column ``fulltext`` on ``search_searchentry``
(the ``simple`` configuration over the folded text: the same words SQLite indexes; no positions,
since matching needs none), GIN-indexed. The matching entries the caller may see are taken most
recent first from that index in one statement; nothing ever reads a whole document's
``tsvector`` to rank it."""

from __future__ import annotations

import bisect
import datetime
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connection

from dialogos.search.engines import FulltextRow, NearRow, TopRow, top_columns
from dialogos.search.text import MIN_PREFIX, ParsedQuery

CHUNK = 500
#: A query is first answered from the newest ``WINDOW_FACTOR`` * limit entries; when that finds
#: some matches but too few, from a window widened in proportion (once), then from all.
WINDOW_FACTOR = 10
#: The dates of every ``WINDOW_STEP``-th newest entry are kept ``WINDOW_SECONDS`` per process:
#: where a window of any size starts.
WINDOW_STEP = 500
WINDOW_SECONDS = 60.0
_WINDOWS: dict[Any, tuple[list[Any], float]] = {}
#: The first window holds ``WINDOW_MARGIN`` times the entries the statistics say ``limit``
#: matches need; a query expected to need more than ``FULL_SHARE`` of the index reads it all.
WINDOW_MARGIN = 1.3
FULL_SHARE = 0.2
#: Partial GIN indexes over the newest entries only, each (name, entries): the newest
#: ``entries`` entries (``WHERE date >=`` the date of the last of them, ``maintain``). A window
#: within one reads it, whose lists are a fraction of the whole index's, and the planner picks
#: the smallest that holds the window by itself: a broad query's window (a few thousand
#: entries) the small one, a narrower query's the larger. Each is built again once it covers
#: ``RECENT_SLACK`` times its entries; below ``RECENT_SLACK`` times its entries in all there is
#: none (the next larger index, or the whole one, is small enough).
RECENT_INDEXES: tuple[tuple[str, int], ...] = (
    ("search_entry_recent_text", 20_000),
    ("search_entry_newest_text", 2_500),
)
RECENT_SLACK = 1.5
_RECENT_CUTOFF = re.compile(r"date >= '(\d{4}-\d{2}-\d{2})'::date")
#: The word statistics are read again after this many seconds. They are those of a statistics
#: object of their own (migration ``0013``: the 10,000 most common words of ``strip(fulltext)``,
#: the same words as the column's), which the planner never reads: the column's own list stays
#: at the default 1,000 words, which it reads and searches each time it plans a match.
WORD_STATISTICS = "search_entry_words"
STATS_SECONDS = 300.0
_STATS: dict[Any, tuple[tuple[list[str], list[float], float], float]] = {}
#: Punctuation becomes a space before PostgreSQL's parser sees the text: it would otherwise
#: read "pp-som-2024-agenda.pdf" as one file name, where FTS5 (and the query) see four words.
_SEPARATORS = re.compile(r"[^\w\s]|_")
#: The columns of ``search_searchentry`` that a caller's condition (access: ``kind``,
#: ``object_id``, ``dialogue_id``, ``access``) and the order read, with the row's place
#: (``ctid``): the matching rows are sorted by date with these alone, and only the newest
#: ``limit`` of them are read again, by place, for what a ``TopRow`` needs (the ranking word
#: lines, the facet tokens). Carrying those lines through the sort cost more than reading
#: the rows twice.
MATCH_COLUMNS = "ctid, id, kind, object_id, dialogue_id, access, date"


#: Every word of ``fulltext`` (migration ``0014``; ``write`` adds the words of what it writes,
#: and a word no entry holds any more stays, finding nothing). A prefix term that starts at
#: most ``EXPAND_WORDS`` listed words is matched as those whole words (``tsquery_sql``).
WORDS_TABLE = "search_searchword"
EXPAND_WORDS = 16


_Kept = TypeVar("_Kept")


def _kept(
    store: dict[Any, tuple[_Kept, float]], seconds: float, read: Callable[[], _Kept]
) -> _Kept:
    """``read()`` for the current database, kept ``seconds`` in the process (in ``store``)."""
    now = time.monotonic()
    key = connection.settings_dict.get("NAME")
    cached = store.get(key)
    if cached is not None and now - cached[1] < seconds:
        return cached[0]
    value = read()
    store[key] = (value, now)
    return value


#: The GIN index answers the match without reading a single ``tsvector``; a sequential or
#: ordered index scan would read (detoast) the ``tsvector`` of every row it passes, which the
#: planner does not count. So a match statement is planned with bitmap scans only: the two
#: settings are made local to the statement's transaction and set back to their defaults after
#: it (inside a caller's transaction they would otherwise last to its end).
#: The three statements travel in one message, one round trip instead of four (``BEGIN``, the
#: settings, the statement, ``COMMIT``): the server runs several statements sent together as
#: one transaction, and plans each after the one before it has run.
_BITMAP_ONLY = (
    "SELECT set_config('enable_seqscan', 'off', true), "
    "set_config('enable_indexscan', 'off', true); "
)
_SETTINGS_BACK = "; SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL enable_indexscan TO DEFAULT"


def _bitmap_only(cursor: Any, sql: str, params: list[Any]) -> list[TopRow]:
    """The rows of ``sql`` planned with bitmap scans only (``_BITMAP_ONLY``), in one round
    trip. Django's psycopg cursor binds parameters on the client, so the message may carry
    several statements; the second one's rows are the answer."""
    cursor.execute(_BITMAP_ONLY + sql + _SETTINGS_BACK, params)
    cursor.nextset()
    return list(cursor.fetchall())


def tsquery_sql(parsed: ParsedQuery, require: Sequence[str] = ()) -> tuple[str, list[Any]]:
    """A tsquery expression: the terms as prefixes, the ``require``d facet tokens as whole
    words. A term of ``MIN_PREFIX`` letters or more is read, inside the same statement (one
    snapshot), as the whole words of the word list it starts when they are at most
    ``EXPAND_WORDS`` (``_term_sql``). Terms are letters and digits only; they are still passed
    as parameters, quoted inside the tsquery text."""
    parts: list[str] = []
    params: list[Any] = []
    for term in parsed.include:
        sql, values = _term_sql(term)
        parts.append(sql)
        params += values
    for token in require:
        if token.isalnum():
            parts.append("to_tsquery('simple', %s)")
            params.append(f"'{token}'")
    sql = " && ".join(parts)
    for term in parsed.exclude:
        term_part, values = _term_sql(term)
        sql = f"({sql}) && !!{term_part}"
        params += values
    return sql, params


#: A listed word quoted for a tsquery's text (words are letters and digits; a quote or a
#: backslash would still be escaped).
_QUOTED_WORD = r"'''' || replace(replace(word, '\', '\\'), '''', '''''') || ''''"


def _term_sql(term: str) -> tuple[str, list[Any]]:
    """One term as a tsquery: the whole words of the word list it starts when there are one to
    ``EXPAND_WORDS`` of them (GIN skips through a whole word's list, where for a prefix it
    collects every entry the prefix matches before it intersects), otherwise the prefix. The
    words are read by the statement itself, in its own snapshot, so an entry written meanwhile
    is matched (or, for ``-word``, left out) exactly as by the prefix."""
    if len(term) < MIN_PREFIX or EXPAND_WORDS < 1:
        return "to_tsquery('simple', %s)", [_lexeme(term)]
    return (
        # Our own names and numbers; values bound.
        f"(SELECT CASE WHEN count(*) BETWEEN 1 AND {EXPAND_WORDS} THEN "  # noqa: S608
        f"CAST(string_agg({_QUOTED_WORD}, ' | ') AS tsquery) "
        "ELSE to_tsquery('simple', %s) END "
        f"FROM (SELECT word FROM {WORDS_TABLE} WHERE word LIKE %s "
        f"ORDER BY word LIMIT {EXPAND_WORDS + 1}) AS listed)",
        [_lexeme(term), f"{term}%"],
    )


def _lexeme(term: str) -> str:
    """A prefix lexeme; a term of one or two letters matches that word whole."""
    return f"'{term}':*" if len(term) >= MIN_PREFIX else f"'{term}'"


class PostgresEngine:
    name = "postgresql-fts"

    def write(self, rows: Sequence[FulltextRow]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                cursor.executemany(
                    "UPDATE search_searchentry SET fulltext = strip(to_tsvector('simple', %s)) "
                    "WHERE id = %s",
                    [(_SEPARATORS.sub(" ", r.text), r.entry_id) for r in chunk],
                )
            if rows:
                # Their words join the word list, all in one statement and in word order: two
                # writers inserting the same new words in different orders could otherwise
                # each wait for the other.
                cursor.execute(
                    f"INSERT INTO {WORDS_TABLE} (word) SELECT DISTINCT "  # noqa: S608
                    "unnest(tsvector_to_array(fulltext)) AS word FROM search_searchentry "
                    "WHERE id = ANY(%s) ORDER BY word ON CONFLICT DO NOTHING",
                    [[r.entry_id for r in rows]],
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
        columns, column_params = top_columns(parsed, "strpos")
        query, query_params = tsquery_sql(parsed, require)
        span = ""
        if year is not None and 1 <= year < 9999:
            # The year's dates beside the match, inside the subquery (the facet filter stays).
            span = "AND date >= %s AND date < %s"
            query_params = [*query_params, datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)]
        # The match alone, in a subquery that the planner may not merge (OFFSET 0), so that it
        # is answered by the GIN index without reading any tsvector; the caller's condition
        # (access, facets) then applies to the matching rows under the table's own name; the
        # places of the ``limit`` newest of those are kept, and only those rows are read again
        # (a TID scan, in the same snapshot) for their weights and facet tokens.
        order = "search_searchentry.date DESC NULLS LAST, search_searchentry.id DESC"
        sql = (
            # Only our own SQL and Django's compiled condition here; values are parameters.
            f"SELECT {columns} FROM search_searchentry WHERE ctid = ANY(ARRAY("  # noqa: S608
            f"SELECT search_searchentry.ctid FROM (SELECT {MATCH_COLUMNS} FROM search_searchentry "
            f"WHERE fulltext @@ ({query}) {span} /*window*/ OFFSET 0) AS search_searchentry "
            f"WHERE ({condition}) ORDER BY {order} LIMIT %s)) ORDER BY {order}"
        )
        with connection.cursor() as cursor:
            steps = self._window_steps(cursor)
            share = self._estimated_share(cursor, parsed, require)
            if share is None:  # no statistics yet
                size = limit * WINDOW_FACTOR
            else:
                # Enough newest entries to hold ``limit`` matches by the statistics, with a
                # margin (some of them the caller may not see). A query expected to need more
                # than half the index goes to the whole index at once.
                size = int(limit / max(share, 1e-9) * WINDOW_MARGIN)
                if size > len(steps) * WINDOW_STEP * FULL_SHARE:
                    size = len(steps) * WINDOW_STEP + 1
            for _attempt in range(2):
                # steps[i] starts a window of at least i * WINDOW_STEP + 1 entries.
                step = -(-(size - 1) // WINDOW_STEP)
                if step >= len(steps):
                    break
                # The newest ``size`` entries (the table being in date order after a bulk
                # load, they lie on few pages): enough for a broad query.
                rows = _bitmap_only(
                    cursor,
                    sql.replace("/*window*/", "AND date >= %s"),
                    [*column_params, *query_params, steps[step], *params, limit],
                )
                if len(rows) >= limit:
                    return rows
                if not rows:
                    break
                # Widen in proportion to what this window found, with a margin.
                size = int(size * limit / len(rows) * 1.25) + WINDOW_STEP
            return _bitmap_only(cursor, sql, [*column_params, *query_params, *params, limit])

    def _estimated_share(
        self, cursor: Any, parsed: ParsedQuery, require: Sequence[str]
    ) -> float | None:
        """The share of entries expected to match, from PostgreSQL's statistics of the
        ``fulltext`` words (``WORD_STATISTICS``, kept ``STATS_SECONDS`` in the process): a
        term's share is that of the words it starts (one or two letters: the word itself), a
        word outside the list counts half the smallest listed share, and terms are taken as
        independent. ``None`` before the first ``ANALYZE``."""
        words, shares, floor = self._word_stats(cursor)
        if not words:
            return None

        def share(word: str, *, prefix: bool) -> float:
            first = bisect.bisect_left(words, word)
            if prefix:
                found = min(1.0, sum(shares[first : bisect.bisect_left(words, word + "\uffff")]))
            else:
                found = shares[first] if words[first : first + 1] == [word] else 0.0
            return found or floor / 2

        result = 1.0
        for term in parsed.include:
            result *= share(term, prefix=len(term) >= MIN_PREFIX)
        for token in require:  # facet tokens: whole words
            result *= share(token, prefix=False)
        return result

    def _word_stats(self, cursor: Any) -> tuple[list[str], list[float], float]:
        """The most common words of ``fulltext`` (sorted), their shares, and the smallest
        listed share; empty before the first ``ANALYZE`` (kept ``STATS_SECONDS``)."""

        def read() -> tuple[list[str], list[float], float]:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs "
                "FROM pg_stats_ext_exprs WHERE statistics_schemaname = current_schema() "
                "AND statistics_name = %s",
                [WORD_STATISTICS],
            )
            row = cursor.fetchone()
            if row is None or not row[0] or not row[1]:
                return [], [], 0.0
            words, freqs = list(row[0]), [float(f) for f in row[1]]
            pairs = sorted(zip(words, freqs[: len(words)], strict=True))
            # After the listed shares come their minimum and maximum.
            floor = freqs[len(words)] if len(freqs) > len(words) else min(freqs)
            return [w for w, _f in pairs], [f for _w, f in pairs], floor

        return _kept(_STATS, STATS_SECONDS, read)

    def _window_steps(self, cursor: Any) -> list[Any]:
        """The dates of the newest entry, then of every ``WINDOW_STEP``-th newest one (kept
        ``WINDOW_SECONDS``)."""

        def read() -> list[Any]:
            cursor.execute(
                "SELECT date FROM (SELECT date, row_number() OVER (ORDER BY date DESC, id DESC) "
                "AS n FROM search_searchentry WHERE date IS NOT NULL) AS ordered "
                "WHERE (n - 1) %% %s = 0 ORDER BY n",
                [WINDOW_STEP],
            )
            return [row[0] for row in cursor.fetchall()]

        return _kept(_WINDOWS, WINDOW_SECONDS, read)

    def near(
        self, where: tuple[str, list[Any]], tokens: Sequence[str], *, limit: int
    ) -> list[NearRow]:
        """The entries newest first along the ``(date, id)`` index that carries the access
        columns and the facet line too (``search_entry_recent_cover``, migration ``0015``: an
        index-only scan, no table row read), each tested for the tokens in its own facet line
        (one ``strpos`` per token, with a space on both sides so that a token never matches the
        start of a longer one), until ``limit`` are found. A position, not ``LIKE``: PostgreSQL
        takes a pattern match for a rare one and would rather read the whole table and sort
        what matches than walk the index; a regular expression or an array overlap per row cost
        five and 1.6 times as much. The full-text match of the tokens (as SQLite answers) read
        and sorted some 4,000 rows of a broad dialogue's tokens and then read the 2,000 newest
        again: 30 ms against 20 ms along the plain date index and 10-12 ms along this one."""
        words = [f" {token} " for token in tokens if token.isalnum()]
        if not words:
            return []
        condition, params = where
        shares = " OR ".join(
            ["strpos(' ' || search_searchentry.facets || ' ', %s) > 0"] * len(words)
        )
        sql = (
            # Only our own SQL and Django's compiled condition here; values are parameters.
            "SELECT search_searchentry.id, search_searchentry.facets "  # noqa: S608
            f"FROM search_searchentry WHERE ({condition}) AND ({shares}) "
            "ORDER BY search_searchentry.date DESC, search_searchentry.id DESC LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *words, limit])
            return list(cursor.fetchall())

    def raw_ids(self, parsed: ParsedQuery, *, limit: int) -> list[int]:
        """The same statement as ``top`` without the caller's condition (no access, no facets)."""
        return [row[0] for row in self.top(("TRUE", []), parsed, limit=limit)]

    def index_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_total_relation_size('search_searchentry') "
                "+ pg_total_relation_size('search_searchtag') "
                "+ pg_total_relation_size('search_searchtext') "
                "+ pg_total_relation_size('search_searchbody') "
                "+ pg_total_relation_size('search_searchhead') "
                f"+ pg_total_relation_size('{WORDS_TABLE}')"
            )
            row = cursor.fetchone()
        return int(row[0] or 0) if row else 0

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Without the GIN index while loading; at the end the table is put in date order,
        newest first (``CLUSTER``: a search reads the newest matching rows, which then share
        pages instead of lying one per page), the GIN index built once (much faster than
        growing it row by row), and the planner's statistics read."""
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS search_searchentry_fulltext")
        yield
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute("CLUSTER search_searchentry USING search_entry_recent")
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS search_searchentry_fulltext "
                "ON search_searchentry USING gin (fulltext, date) WITH (fastupdate = off)"
            )
            cursor.execute("RESET maintenance_work_mem")
            cursor.execute("VACUUM ANALYZE search_searchentry")
            for table in ("search_searchtag", "search_searchhead", "search_searchbody"):
                cursor.execute(f"ANALYZE {table}")
        self.maintain(force=True)

    def maintain(self, *, force: bool = False) -> str:
        """Keep the indexes of the newest entries (``RECENT_INDEXES``) in step: build each again
        when it covers ``RECENT_SLACK`` times its entries or more (or ``force``), drop it when
        there are too few entries for it. Answers what it did to each. Concurrently (writes go
        on) when not inside a transaction."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_searchentry WHERE date IS NOT NULL")
            dated = int(cursor.fetchone()[0])
            done = [
                f"{name}: {self._maintain_one(cursor, name, entries, dated, force=force)}"
                for name, entries in RECENT_INDEXES
            ]
        return "; ".join(done)

    def _maintain_one(
        self, cursor: Any, name: str, entries: int, dated: int, *, force: bool
    ) -> str:
        concurrently = "" if connection.in_atomic_block else " CONCURRENTLY"
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND indexname = %s",
            [name],
        )
        row = cursor.fetchone()
        found = _RECENT_CUTOFF.search(row[0]) if row else None
        if dated < entries * RECENT_SLACK:
            if row is None:
                return "not needed"
            cursor.execute(f"DROP INDEX{concurrently} IF EXISTS {name}")
            return "dropped"
        if found is not None and not force:
            cursor.execute(
                "SELECT count(*) FROM search_searchentry WHERE date >= %s",
                [datetime.date.fromisoformat(found.group(1))],
            )
            if int(cursor.fetchone()[0]) < entries * RECENT_SLACK:
                return "up to date"
        cursor.execute(
            "SELECT date FROM search_searchentry WHERE date IS NOT NULL "
            "ORDER BY date DESC, id DESC OFFSET %s LIMIT 1",
            [entries - 1],
        )
        cutoff: datetime.date = cursor.fetchone()[0]
        # A literal date (checked above to be one): the planner can only prove from a
        # constant that a window lies inside the index's entries.
        cursor.execute(f"DROP INDEX{concurrently} IF EXISTS {name}_new")
        cursor.execute(
            f"CREATE INDEX{concurrently} {name}_new ON search_searchentry "
            "USING gin (fulltext, date) WITH (fastupdate = off) "
            f"WHERE date >= '{cutoff.isoformat()}'::date"
        )
        cursor.execute(f"DROP INDEX{concurrently} IF EXISTS {name}")
        cursor.execute(f"ALTER INDEX {name}_new RENAME TO {name}")
        return f"built from {cutoff.isoformat()}"
