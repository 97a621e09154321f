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
