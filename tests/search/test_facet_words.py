"""Facet values as index words, facet counts read from the entries' token lines, snippets cut
from the per-language texts, and the fast (letter-for-letter folding) path of highlighting."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest

from dialogos.core.models import AccessLevel
from dialogos.search.engines import facet_line, facet_of_token, facet_token, get_engine
from dialogos.search.models import SearchBody, SearchEntry, SearchTag
from dialogos.search.text import _spans, fold, parse_query, snippet


@pytest.mark.parametrize(
    ("facet", "value"),
    [("country", "TR"), ("topic", "asylum-and.protection_1"), ("year", "2019"), ("kind", "мета")],
)
def test_a_facet_token_is_one_word_and_decodes_back(facet: str, value: str) -> None:
    token = facet_token(facet, value)
    assert token.isalnum() and token == fold(token)
    assert facet_of_token(token) == (facet, value)
    assert facet_of_token("qqfzzz") is None and facet_of_token("migration") is None
    assert facet_line([(facet, value), ("language", "en")]).split()[0] == token


@pytest.fixture
def anon(world: Any) -> Any:
    return world.client_for(None)


@pytest.fixture
def corpus(make_meeting: Any) -> None:
    for n in range(12):
        make_meeting(
            f"Labour mobility round {n}",
            year=2010 + n,
            country=("CZ", "LT", "MD")[n % 3],
            objectives={"en": f"Seasonal workers and labour mobility, round {n}."},
        )
    make_meeting("Labour mobility closed", access_level=AccessLevel.SECRETARIAT, country="CZ")


def test_a_facet_filter_is_part_of_the_match(corpus: None, anon: Any) -> None:
    data = anon.get("/api/v1/search", {"q": "labour", "country": "MD"}).json()
    assert data["total"] == 4 and data["exact"] is True
    assert {h["title"] for h in data["results"]} == {
        f"Labour mobility round {n}" for n in (2, 5, 8, 11)
    }
    # The engine alone, without the SQL condition: the token restricts the match.
    rows = get_engine().top(
        ("1 = 1", []), parse_query("labour"), limit=50, require=[facet_token("country", "MD")]
    )
    entries = SearchEntry.objects.in_bulk([row[0] for row in rows])
    assert len(rows) == 4 and all(e.countries == ["MD"] for e in entries.values())


def test_facet_counts_equal_counting_the_facet_rows(corpus: None, anon: Any) -> None:
    data = anon.get("/api/v1/search", {"q": "mobility"}).json()
    visible = SearchEntry.objects.filter(access=AccessLevel.PUBLIC, title__en__icontains="mob")
    expected: dict[str, Counter[str]] = {}
    for facet, value in SearchTag.objects.filter(entry__in=visible).values_list("facet", "value"):
        expected.setdefault(facet, Counter())[value] += 1
    got = {f: {v["value"]: v["count"] for v in values} for f, values in data["facets"].items()}
    assert got == {f: dict(c) for f, c in expected.items()}
    assert got["country"] == {"CZ": 4, "LT": 4, "MD": 4}  # the closed meeting is not counted


def test_a_snippet_comes_from_the_readers_language_or_the_next(
    make_meeting: Any, anon: Any
) -> None:
    make_meeting(
        {"en": "Return counselling", "ru": "Консультирование по возвращению"},
        objectives={"ru": "Консультации для возвращающихся мигрантов."},
    )
    entry = SearchEntry.objects.get(title__en="Return counselling")
    assert set(SearchBody.objects.filter(entry=entry).values_list("language", flat=True)) == {"ru"}
    english = anon.get("/api/v1/search", {"q": "counselling"}).json()["results"][0]
    assert "Консультации" in english["snippet_html"]
    russian = anon.get("/api/v1/search", {"q": "возвращающихся"}).json()["results"][0]
    assert "<mark>возвращающихся</mark>" in russian["snippet_html"]


@pytest.mark.parametrize(
    "text",
    [
        "Migration and re-migration: (migrants) migrate; emigration is not matched.",
        "Миграция, «мигранты» и эмиграция; Ёлки и йогурт.",
        "Tamulevičius met migrants — Türkiye, Mi̇gration (dotted).",
        "",
    ],
)
def test_highlight_spans_are_those_of_word_by_word_folding(text: str) -> None:
    stems = ("migr", "мигр", "елк", "иог", "tamul", "turk")
    slow = []
    for match in re.finditer(r"[^\W_]+", text):
        if fold(match.group()).startswith(stems):
            slow.append(match.span())
    assert _spans(text, stems) == slow


def test_a_snippet_finds_a_match_past_the_start() -> None:
    text = "Opening words. " * 400 + "Here readmission is discussed."
    cut = str(snippet(text, ("readmission",)))
    assert "<mark>readmission</mark>" in cut and cut.startswith("… ")


def test_a_snippet_starts_at_a_folded_match_before_a_plain_one() -> None:
    text = "Opening words. " * 40 + "Türkiye hosted it. " + "Filler text here. " * 40 + "Turkey."
    cut = str(snippet(text, ("turk",)))
    assert "<mark>Türkiye</mark>" in cut
    assert snippet("Nothing to see here.", ("turk",)) == "Nothing to see here."


@pytest.mark.parametrize("step", [1, 2, 5])
def test_postgres_windows_give_the_newest_matches(
    make_meeting: Any, anon: Any, settings: Any, monkeypatch: Any, step: int
) -> None:
    """The newest-entries windows of PostgreSQL (widened in proportion, then none) change the
    cost, never the answer: the same newest matches as reading every match. (SQLite has no
    windows: there the same answer is asked of its newest-first walk.)"""
    from django.db import connection

    from dialogos.search.engines import postgres

    for n in range(60):
        # Every third is about mobility: a middling word, so the first window is too narrow
        # and the widened one enough (three newest entries hold one match, twelve hold four).
        words = "Labour mobility" if n % 3 == 0 else "Border management"
        make_meeting(f"{words} meeting {n}", year=1960 + n)
    settings.SEARCH_TOP_LIMIT = 4
    expected = [r[0] for r in get_engine().top(("1 = 1", []), parse_query("mobility"), limit=3)]
    if connection.vendor == "postgresql":
        monkeypatch.setattr(postgres, "WINDOW_STEP", step)
        monkeypatch.setattr(postgres, "WINDOW_FACTOR", 1)
        monkeypatch.setattr(postgres, "_WINDOWS", {})
    got = [r[0] for r in get_engine().top(("1 = 1", []), parse_query("mobility"), limit=3)]
    assert got == expected
    assert [
        row[1] for row in get_engine().top(("1 = 1", []), parse_query("mobility"), limit=3)
    ] == [
        2017,
        2014,
        2011,
    ]
    data = anon.get("/api/v1/search", {"q": "mobility"}).json()
    assert next(h["title"] for h in data["results"]) == "Labour mobility meeting 57"


def test_facet_words_are_reached_through_filters_only(make_meeting: Any, anon: Any) -> None:
    lookalike = facet_token("country", "TR")
    make_meeting(f"Spoofing {lookalike}", country="LT", objectives={"en": f"Text {lookalike}."})
    make_meeting("Spoofing real", country="TR")
    assert parse_query(f"{lookalike} qqfc spoofing").include == ("spoof",)
    filtered = anon.get("/api/v1/search", {"q": "spoofing", "country": "TR"}).json()
    assert [h["title"] for h in filtered["results"]] == ["Spoofing real"]
    assert anon.get("/api/v1/search", {"q": "qqfc"}).json()["total"] == 0


def test_a_snippet_finds_a_word_written_with_a_ligature() -> None:
    text = "Opening words. " * 40 + "The \ufb01nance report follows."
    assert "<mark>\ufb01nance</mark>" in str(snippet(text, ("financ",)))
