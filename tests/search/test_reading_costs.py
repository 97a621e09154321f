"""What makes a search cheap must never change its answer: snippets cut from the short start of
a text or from the longer one, and PostgreSQL's first window sized from its word statistics."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from dialogos.search.engines import get_engine
from dialogos.search.models import SearchBody, SearchHead
from dialogos.search.text import SNIPPET_HEAD_CHARS, parse_query


@pytest.fixture
def anon(world: Any) -> Any:
    return world.client_for(None)


def test_heads_are_the_start_of_every_text(make_meeting: Any) -> None:
    make_meeting(
        {"en": "Long report", "ru": "Длинный доклад"},
        objectives={"en": "Words. " * 1000, "ru": "Коротко."},
    )
    bodies = {(b.entry_id, b.language): b.text for b in SearchBody.objects.all()}
    heads = {(h.entry_id, h.language): h.text for h in SearchHead.objects.all()}
    assert heads.keys() == bodies.keys()
    for key, text in bodies.items():
        assert heads[key] == text[: SNIPPET_HEAD_CHARS + 1]


@pytest.mark.parametrize(
    ("position", "language"),
    [
        (10, "en"),
        (SNIPPET_HEAD_CHARS - 300, "en"),
        (SNIPPET_HEAD_CHARS - 30, "en"),
        (SNIPPET_HEAD_CHARS + 5, "en"),
        (40_000, "en"),
        (40_000, "ru"),
    ],
)
def test_a_snippet_shows_the_first_match_wherever_it_lies(
    make_meeting: Any, anon: Any, position: int, language: str
) -> None:
    filler = "Общие слова " if language == "ru" else "Plain words "
    text = (filler * (position // len(filler) + 1))[:position] + " readmission agreement. Tail."
    make_meeting("Return meeting", objectives={language: text})
    hit = anon.get("/api/v1/search", {"q": "readmission", "lang": language}).json()["results"][0]
    assert "<mark>readmission</mark> agreement." in hit["snippet_html"]
    assert hit["snippet_html"].startswith("… " if position > 100 else filler[0])


def test_a_long_text_without_the_word_shows_its_start(make_meeting: Any, anon: Any) -> None:
    make_meeting("Readmission talks", objectives={"en": "Opening words here. " * 500})
    hit = anon.get("/api/v1/search", {"q": "readmission"}).json()["results"][0]
    assert hit["snippet_html"].startswith("Opening words here.")
    assert hit["snippet_html"].endswith(" …")
    assert "<mark>" not in hit["snippet_html"]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_each_snippet_comes_from_the_text_the_reader_is_shown(
    make_meeting: Any, anon: Any, language: str
) -> None:
    """Each entry's snippet comes from its text in the reader's language, else from the first
    language that has one (English, then Russian): near the start or far into the text."""
    far = "Общие слова " * 300
    make_meeting(
        "Readmission both", objectives={"en": "English readmission.", "ru": "Русский readmission."}
    )
    make_meeting("Readmission near", objectives={"ru": "Только русский readmission."})
    make_meeting("Readmission far", objectives={"ru": far + "readmission далеко."})
    make_meeting("Readmission none")
    answer = anon.get("/api/v1/search", {"q": "readmission", "lang": language}).json()
    snippets = {hit["title"].split()[-1]: hit["snippet_html"] for hit in answer["results"]}
    both = "English" if language == "en" else "Русский"
    assert snippets["both"].startswith(f"{both} <mark>readmission</mark>.")
    assert snippets["near"].startswith("Только русский <mark>readmission</mark>.")
    assert snippets["far"].startswith("… ")
    assert snippets["far"].endswith("<mark>readmission</mark> далеко.")
    assert snippets["none"] == ""


def _match_then_settings() -> tuple[int, tuple[str, str]]:
    """How many entries match "mobility", and the two planner settings after the match."""
    rows = get_engine().top(("1 = 1", []), parse_query("mobility"), limit=3)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')"
        )
        after = cursor.fetchone()
    return len(rows), (after[0], after[1])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner settings")
def test_postgres_planner_settings_last_only_for_the_match(make_meeting: Any) -> None:
    """The match is planned with bitmap scans only; inside a caller's transaction (as here)
    the settings are back to their defaults after it."""
    make_meeting("Labour mobility")
    assert _match_then_settings() == (1, ("on", "on"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statistics")
def test_postgres_statistics_size_the_window_never_the_answer(
    make_meeting: Any, monkeypatch: Any
) -> None:
    from dialogos.search.engines import postgres

    for n in range(40):
        words = "Labour mobility" if n % 4 == 0 else "Border management"
        make_meeting(f"{words} meeting {n}", year=1980 + n)
    engine = get_engine()
    monkeypatch.setattr(postgres, "_STATS", {})
    monkeypatch.setattr(postgres, "_WINDOWS", {})
    monkeypatch.setattr(postgres, "WINDOW_STEP", 2)
    without = [r[0] for r in engine.top(("1 = 1", []), parse_query("mobility"), limit=3)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")
        postgres._STATS.clear()  # read before: empty
        share = engine._estimated_share(cursor, parse_query("meeting"), ())
        rare = engine._estimated_share(cursor, parse_query("mobility"), ())
        absent = engine._estimated_share(cursor, parse_query("zzzword"), ())
    assert share is not None and rare is not None and absent is not None
    assert share == pytest.approx(1.0, abs=0.05)
    assert rare == pytest.approx(0.25, abs=0.05)
    assert absent < rare
    assert [r[0] for r in engine.top(("1 = 1", []), parse_query("mobility"), limit=3)] == without
    assert [r[1] for r in engine.top(("1 = 1", []), parse_query("mobility"), limit=3)] == [
        2016,
        2012,
        2008,
    ]


def _index(name: str = "search_entry_recent_text") -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
        row = cursor.fetchone()
    return str(row[0]) if row else None


def _plan(since: str) -> str:
    """The plan of a match over a window from ``since``, bitmap scans only (as the engine
    plans it; on so few rows the planner would rather read the date index: set aside)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS search_entry_recent")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM search_searchentry WHERE fulltext @@ "
            "to_tsquery('simple', 'mobil:*') AND date >= %s",
            [since],
        )
        return " ".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's recent index")
def test_postgres_recent_index_is_kept_in_step_and_never_changes_an_answer(
    make_meeting: Any, monkeypatch: Any
) -> None:
    from dialogos.search.engines import postgres
    from dialogos.search.tasks import maintain_engine

    engine = get_engine()
    monkeypatch.setattr(postgres, "RECENT_INDEXES", (("search_entry_recent_text", 8),))
    monkeypatch.setattr(postgres, "WINDOW_STEP", 2)
    monkeypatch.setattr(postgres, "_WINDOWS", {})
    for n in range(10):
        make_meeting(f"Labour mobility meeting {n}", year=1990 + n)
    assert engine.maintain() == "search_entry_recent_text: not needed" and _index() is None
    for n in range(10, 24):
        make_meeting(f"Labour mobility meeting {n}", year=1990 + n)
    expected = [r[0] for r in engine.top(("1 = 1", []), parse_query("mobility"), limit=3)]
    # The 8th newest of 24 meetings (1990 … 2013) is that of 2006.
    assert engine.maintain() == "search_entry_recent_text: built from 2006-05-14"
    assert "WHERE (date >= '2006-05-14'::date)" in (_index() or "")
    assert engine.maintain() == "search_entry_recent_text: up to date"
    monkeypatch.setattr(postgres, "_WINDOWS", {})
    # A window inside the newest eight reads the recent index rather than the whole one.
    assert "search_entry_recent_text" in _plan("2010-01-01")
    assert [r[0] for r in engine.top(("1 = 1", []), parse_query("mobility"), limit=3)] == expected
    for n in range(24, 30):
        make_meeting(f"Labour mobility meeting {n}", year=1990 + n)
    # 14 entries since 2006 now: more than 1.5 times 8, so the task builds it again.
    assert maintain_engine.call() == "search_entry_recent_text: built from 2012-05-14"
    assert [r[1] for r in engine.top(("1 = 1", []), parse_query("mobility"), limit=3)] == [
        2019,
        2018,
        2017,
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's recent indexes")
def test_postgres_reads_the_smallest_recent_index_that_holds_the_window(
    make_meeting: Any, monkeypatch: Any
) -> None:
    from dialogos.search.engines import postgres

    engine = get_engine()
    tiers = (("search_entry_recent_text", 12), ("search_entry_newest_text", 4))
    monkeypatch.setattr(postgres, "RECENT_INDEXES", tiers)
    for n in range(12):
        make_meeting(f"Labour mobility meeting {n}", year=1990 + n)
    # Too few entries for the larger index (1.5 times 12), enough for the smaller (1.5 times 4).
    assert engine.maintain() == (
        "search_entry_recent_text: not needed; search_entry_newest_text: built from 1998-05-14"
    )
    for n in range(12, 24):
        make_meeting(f"Labour mobility meeting {n}", year=1990 + n)
    expected = [r[0] for r in engine.top(("1 = 1", []), parse_query("mobility"), limit=3)]
    assert engine.maintain(force=True) == (
        "search_entry_recent_text: built from 2002-05-14; "
        "search_entry_newest_text: built from 2010-05-14"
    )
    assert "search_entry_newest_text" in _plan("2011-01-01")
    assert "search_entry_recent_text" in _plan("2004-01-01")
    monkeypatch.setattr(postgres, "_WINDOWS", {})
    monkeypatch.setattr(postgres, "WINDOW_STEP", 2)
    assert [r[0] for r in engine.top(("1 = 1", []), parse_query("mobility"), limit=3)] == expected


def test_a_small_index_has_nothing_to_maintain(db: None) -> None:
    if connection.vendor == "sqlite":
        assert get_engine().maintain() == "not needed"
    else:
        # A small index has no index of its newest entries.
        assert get_engine().maintain() == (
            "search_entry_recent_text: not needed; search_entry_newest_text: not needed"
        )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner statistics")
def test_sqlite_statistics_are_read_once_the_index_has_grown(
    make_meeting: Any, anon: Any, monkeypatch: Any
) -> None:
    """``maintain`` reads the planner's statistics of the entries and tags once there are
    enough entries, keeps them while the count stays within the drift, reads them again past
    it; the answers are the same with and without them."""
    from dialogos.search.engines import sqlite

    def stats() -> list[tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if not cursor.fetchone()[0]:
                return []
            cursor.execute("SELECT tbl, stat FROM sqlite_stat1 ORDER BY tbl, idx")
            return list(cursor.fetchall())

    def answers() -> tuple[list[int], list[int]]:
        listing = anon.get("/api/v1/search", {"country": "CZ"}).json()
        words = anon.get("/api/v1/search", {"q": "labour"}).json()
        return [h["id"] for h in listing["results"]], [h["id"] for h in words["results"]]

    monkeypatch.setattr(sqlite, "STATISTICS_MIN_ROWS", 4)
    for year in range(2020, 2023):
        make_meeting(f"Labour meeting {year}", country="CZ", year=year)
    engine = get_engine()
    assert engine.maintain() == "not needed" and stats() == []
    for year in range(2023, 2026):
        make_meeting(f"Labour meeting {year}", country="CZ", year=year)
    before = answers()
    assert engine.maintain() == "statistics read (6 entries)"
    assert {tbl for tbl, _stat in stats()} == {"search_searchentry", "search_searchtag"}
    assert answers() == before
    assert engine.maintain() == "up to date"
    make_meeting("Labour meeting 2026", country="CZ", year=2026)
    assert engine.maintain() == "statistics read (7 entries)"
    assert engine.maintain(force=True) == "statistics read (7 entries)"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's word list")
def test_postgres_prefixes_read_as_indexed_words_find_the_same_entries(
    make_meeting: Any, monkeypatch: Any
) -> None:
    """A prefix term that starts a few listed words is matched as those whole words; the
    answers are those of the prefix, whatever the limit on the words."""
    from dialogos.search.engines import postgres

    make_meeting("Zanzibarian labour mobility", year=2001)
    make_meeting("Zanzibar border management", year=2002)
    make_meeting("Mobilisation of the diaspora", year=2003)
    make_meeting({"en": "Migration talks", "ru": "Миграционный диалог"}, year=2004)
    make_meeting({"en": "Return", "ru": "Миграция и возвращение"}, year=2005)
    engine = get_engine()

    def tsquery(query: str) -> str:
        """The tsquery the statement builds for ``query``, as text."""
        sql, params = postgres.tsquery_sql(parse_query(query))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT CAST(({sql}) AS text)", params)
            return str(cursor.fetchone()[0])

    # The words, not the prefix, reach the statement; "mo" is too short to be a prefix and
    # "quokk" starts no word: both stay as they are. Cyrillic words are listed folded.
    assert tsquery("zanzib mo -quokk") == "( 'zanzibar' | 'zanzibarian' ) & 'mo' & !'quokk':*"
    assert tsquery("миграц") == "'миграционныи' | 'миграция'"
    queries = [
        "zanzib",
        "mobil",
        "zanzib -border",
        "mobil -zanzibarian",
        "zanzibar",
        "quokk",
        "миграц",
        "миграц -возвращ",
    ]

    def answers() -> dict[str, list[int]]:
        return {
            q: [r[0] for r in engine.top(("1 = 1", []), parse_query(q), limit=10)] for q in queries
        }

    expanded = answers()
    assert [len(expanded[q]) for q in queries] == [2, 2, 1, 1, 2, 0, 2, 1]
    monkeypatch.setattr(postgres, "EXPAND_WORDS", 0)  # prefixes only
    assert answers() == expanded
    monkeypatch.setattr(postgres, "EXPAND_WORDS", 1)  # "zanzib" starts two words: a prefix
    assert answers() == expanded


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's word list")
def test_postgres_word_list_takes_the_words_of_every_entry_written(make_meeting: Any) -> None:
    make_meeting("Labour mobility")
    assert [r[0] for r in get_engine().top(("1 = 1", []), parse_query("quokk"), limit=5)] == []
    meeting = make_meeting("Quokkaland workshop")
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM search_searchword WHERE word LIKE 'quokk%%'")
        assert [r[0] for r in cursor.fetchall()] == ["quokkaland"]
    found = get_engine().top(("1 = 1", []), parse_query("quokk"), limit=5)
    assert len(found) == 1
    from dialogos.search.models import SearchEntry

    assert SearchEntry.objects.get(id=found[0][0]).object_id == meeting.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner settings")
@pytest.mark.django_db(transaction=True)
def test_postgres_planner_settings_end_with_the_message_outside_a_transaction(
    world: Any, make_meeting: Any
) -> None:
    """Outside any transaction (as a request runs) the settings, the match and the settings
    set back travel in one message, and the next statement plans as usual."""
    make_meeting("Labour mobility")
    assert connection.get_autocommit()
    assert _match_then_settings() == (1, ("on", "on"))


def test_a_snippet_comes_from_another_language_when_only_that_one_holds_the_words(
    make_meeting: Any, anon: Any
) -> None:
    """An English reader who searches with a Russian word sees the Russian text that holds it,
    marked as such, instead of an English start without the word, when the word lies in the
    start of that text (only the starts of the other languages are read); where the reader's
    own text holds the word, it is the one shown."""
    make_meeting(
        "Readmission talks",
        objectives={"en": "Plain English words.", "ru": "Соглашение о реадмиссии подписано."},
    )
    make_meeting(
        "Readmission, the long text",
        objectives={"en": "Plain English words.", "ru": "Общие слова " * 400 + "реадмиссии конец."},
    )
    make_meeting(
        "Readmission in both",
        objectives={"en": "The readmission accord.", "ru": "О реадмиссии."},
    )
    answer = anon.get("/api/v1/search", {"q": "реадмиссия"}).json()
    hits = {h["title"]: h for h in answer["results"]}
    assert hits["Readmission talks"]["snippet_language"] == "ru"
    assert (
        hits["Readmission talks"]["snippet_html"]
        == "Соглашение о <mark>реадмиссии</mark> подписано."
    )
    # Deep in a long Russian text, the word is not looked for: the English start is shown.
    assert hits["Readmission, the long text"]["snippet_language"] == "en"
    assert hits["Readmission, the long text"]["snippet_html"] == "Plain English words."
    # An English word: the English text is shown, with the word where it holds it.
    both = anon.get("/api/v1/search", {"q": "readmission"}).json()["results"]
    shown = {h["title"]: (h["snippet_language"], h["snippet_html"]) for h in both}
    assert shown["Readmission in both"] == ("en", "The <mark>readmission</mark> accord.")
    assert shown["Readmission talks"] == ("en", "Plain English words.")  # no text holds it

    page = anon.get("/en/search/", {"q": "реадмиссия"}).content.decode()
    assert (
        '<span class="search-results__language">Russian text:</span> '
        '<span lang="ru">Соглашение о <mark>реадмиссии</mark> подписано.</span>'
    ) in page
    # And a Russian reader who searches with an English word sees the English text.
    russian = anon.get("/ru/search/", {"q": "accord"}).content.decode()
    assert (
        '<span class="search-results__language">Английский текст:</span> '
        '<span lang="en">The readmission <mark>accord</mark>.</span>'
    ) in russian
