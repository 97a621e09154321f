"""What a query finds, through the page and the API, on whichever engine the suite runs on
(SQLite FTS5 by default, PostgreSQL full text with DATABASE_URL)."""

from __future__ import annotations

from typing import Any

import pytest


def titles(client: Any, q: str, **params: str) -> list[str]:
    response = client.get("/en/search/", {"q": q, **params})
    assert response.status_code == 200
    return [str(hit.entry.title_text("en")) for hit in response.context["results"].hits]


def api_titles(client: Any, q: str, **params: str) -> list[str]:
    response = client.get("/api/v1/search", {"q": q, **params})
    assert response.status_code == 200
    return [hit["title"] for hit in response.json()["results"]]


@pytest.fixture
def anon(world: Any) -> Any:
    return world.client_for(None)


def test_diacritics_and_case_are_ignored(make_meeting: Any, anon: Any) -> None:
    make_meeting("Opening speech by Tamulevičius")
    make_meeting("Café de la migration")
    assert titles(anon, "Tamulevicius") == ["Opening speech by Tamulevičius"]
    assert titles(anon, "TAMULEVIČIUS") == ["Opening speech by Tamulevičius"]
    assert titles(anon, "cafe") == ["Café de la migration"]
    assert api_titles(anon, "tamulevicius") == ["Opening speech by Tamulevičius"]


def test_yo_and_ye_match_each_other(make_meeting: Any, anon: Any) -> None:
    make_meeting({"ru": "Объём миграционных потоков"})
    make_meeting({"ru": "Зеленая повестка"})
    assert titles(anon, "объем") == ["Объём миграционных потоков"]
    assert titles(anon, "зелёная") == ["Зеленая повестка"]
    assert titles(anon, "ОБЪЁМ") == ["Объём миграционных потоков"]


def test_country_names_in_every_language_and_former_names(make_meeting: Any, anon: Any) -> None:
    make_meeting("Study visit on border management", country="TR")
    make_meeting("Regional workshop", host_states=("CZ", "LT"))
    assert titles(anon, "Turkey") == ["Study visit on border management"]
    assert titles(anon, "Türkiye") == ["Study visit on border management"]
    assert titles(anon, "Турция") == ["Study visit on border management"]
    assert titles(anon, "Czechia") == ["Regional workshop"]
    assert titles(anon, "Литва") == ["Regional workshop"]


def test_russian_word_forms_find_each_other(make_meeting: Any, anon: Any) -> None:
    make_meeting({"ru": "Миграционная политика и трудовая миграция"})
    make_meeting({"ru": "Заседание Стратегической группы"})
    assert titles(anon, "миграционной политики") == ["Миграционная политика и трудовая миграция"]
    assert titles(anon, "трудовой миграции") == ["Миграционная политика и трудовая миграция"]
    assert titles(anon, "стратегическая группа") == ["Заседание Стратегической группы"]
    assert titles(anon, "заседания") == ["Заседание Стратегической группы"]


def test_english_word_forms_and_prefixes(make_meeting: Any, anon: Any) -> None:
    make_meeting("Policies on labour migration")
    make_meeting("Return and readmission")
    assert titles(anon, "policy") == ["Policies on labour migration"]
    assert titles(anon, "migrations") == ["Policies on labour migration"]
    assert titles(anon, "readm") == ["Return and readmission"]
    assert titles(anon, "lab migr") == ["Policies on labour migration"]


def test_all_words_must_match_and_minus_excludes(make_meeting: Any, anon: Any) -> None:
    make_meeting("Labour migration in Central Asia")
    make_meeting("Labour migration in the Western Balkans")
    assert titles(anon, "labour asia") == ["Labour migration in Central Asia"]
    assert titles(anon, "labour -asia") == ["Labour migration in the Western Balkans"]


def test_english_and_russian_share_one_index(make_meeting: Any, anon: Any) -> None:
    make_meeting({"en": "Senior officials' meeting", "ru": "Встреча старших должностных лиц"})
    assert titles(anon, "senior officials") == ["Senior officials' meeting"]
    assert titles(anon, "должностных") == ["Senior officials' meeting"]
    response = anon.get("/ru/search/", {"q": "должностных"})
    assert "Встреча старших <mark>должностных</mark> лиц" in response.content.decode()


def test_title_ranks_above_body(make_meeting: Any, anon: Any) -> None:
    make_meeting("Annual review", objectives={"en": "We discuss readmission agreements."})
    make_meeting("Readmission agreements", objectives={"en": "A review."})
    assert titles(anon, "readmission") == ["Readmission agreements", "Annual review"]
    assert api_titles(anon, "readmission") == ["Readmission agreements", "Annual review"]


def test_recent_ranks_above_old_when_equally_relevant(make_meeting: Any, anon: Any) -> None:
    make_meeting("Ministerial conference", year=2011)
    make_meeting("Ministerial conference", year=2025)
    response = anon.get("/api/v1/search", {"q": "ministerial"})
    assert [hit["date"][:4] for hit in response.json()["results"]] == ["2025", "2011"]


def test_snippets_highlight_only_with_mark_and_escape_the_rest(
    make_meeting: Any, anon: Any
) -> None:
    make_meeting(
        "<script>alert(1)</script> Return policy",
        objectives={"en": "Talks on <b>return</b> & reintegration."},
    )
    body = anon.get("/en/search/", {"q": "return"}).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Return</mark> policy" in body
    assert "Talks on &lt;b&gt;<mark>return</mark>&lt;/b&gt; &amp; reintegration." in body
    hit = anon.get("/api/v1/search", {"q": "return"}).json()["results"][0]
    assert hit["snippet_html"] == (
        "Talks on &lt;b&gt;<mark>return</mark>&lt;/b&gt; &amp; reintegration."
    )


def test_facets_narrow_the_results(make_meeting: Any, anon: Any, world: Any) -> None:
    make_meeting("Labour migration 2023", year=2023, country="CZ")
    make_meeting("Labour migration 2024", year=2024, country="LT")
    make_meeting("Labour migration in Hungary", dialogue=world.bp, year=2024, country="HU")
    assert titles(anon, "labour", year="2024", country="LT") == ["Labour migration 2024"]
    assert titles(anon, "labour", dialogue=str(world.bp.pk)) == ["Labour migration in Hungary"]
    assert titles(anon, "labour", kind="meeting", language="en", year="2023") == [
        "Labour migration 2023"
    ]
    facets = anon.get("/api/v1/search", {"q": "labour", "year": "2024"}).json()["facets"]
    assert {(v["value"], v["count"]) for v in facets["country"]} == {("LT", 1), ("HU", 1)}
    assert facets["year"] == [{"value": "2024", "label": "2024", "count": 2, "selected": True}]
    labels = {v["value"]: v["label"] for v in facets["dialogue"]}
    assert labels == {str(world.pp.pk): "Prague Process", str(world.bp.pk): "Budapest Process"}


def test_facets_alone_browse_latest_first(make_meeting: Any, anon: Any) -> None:
    make_meeting("Older", year=2019, country="CZ")
    make_meeting("Newer", year=2022, country="CZ")
    make_meeting("Elsewhere", year=2023, country="LT")
    assert titles(anon, "", country="CZ") == ["Newer", "Older"]


def test_results_are_paginated(make_meeting: Any, anon: Any) -> None:
    for n in range(23):
        make_meeting(f"Workshop number {n}")
    first = anon.get("/api/v1/search", {"q": "workshop"}).json()
    second = anon.get("/api/v1/search", {"q": "workshop", "page": "2"}).json()
    assert (first["total"], first["pages"], len(first["results"])) == (23, 2, 20)
    assert len(second["results"]) == 3
    seen = {h["id"] for h in first["results"]} | {h["id"] for h in second["results"]}
    assert len(seen) == 23
    page = anon.get("/en/search/", {"q": "workshop"}).content.decode()
    assert "Page 1 of 2" in page and 'rel="next" href="?q=workshop&amp;page=2"' in page


def test_the_engine_weighs_title_start_of_text_and_the_rest(make_meeting: Any) -> None:
    """The score the engine computes (``engines.top_columns``): a query word starting a word
    of the title weighs ten, of the start of the text one, elsewhere nothing, on top of one;
    a word inside another word does not count; Cyrillic words as Latin ones."""
    from dialogos.search.engines import get_engine
    from dialogos.search.indexing import SUMMARY_CHARS
    from dialogos.search.text import parse_query

    far = "Filler words. " * (SUMMARY_CHARS // 10)
    make_meeting("Миграция труда", objectives={"en": "Nothing here."}, year=2024)
    make_meeting("Second", objectives={"en": "Трудовая миграция в регионе."}, year=2024)
    make_meeting("Third", objectives={"en": f"{far} миграция"}, year=2024)
    make_meeting("Эмиграция", objectives={"en": f"Иммиграция. {far} миграция"}, year=2024)
    rows = get_engine().top(("1 = 1", []), parse_query("миграц"), limit=10)
    weights = sorted(round(row[2] / min(r[2] for r in rows)) for row in rows)
    assert weights == [1, 1, 2, 11]


def test_a_result_found_by_a_country_name_names_the_country(make_meeting: Any, anon: Any) -> None:
    """A meeting found by its country's former name shows that name neither in its title nor
    in its snippet: the result names the country, in the reader's language, with the name that
    matched. A result whose title shows the match names nothing more."""
    make_meeting("Study visit on border management", country="TR")
    make_meeting("Turkey and the eastern route", country="TR")
    response = anon.get("/en/search/", {"q": "Turkey"})
    hits = {h.entry.title_text("en"): h for h in response.context["results"].hits}
    visit = hits["Study visit on border management"]
    assert [(m.facet, m.value, m.text) for m in visit.matched] == [("country", "TR", "Türkiye")]
    assert str(visit.matched[0].label) == "Türkiye (<mark>Turkey</mark>)"
    assert hits["Turkey and the eastern route"].matched == []
    assert "Country: Türkiye (<mark>Turkey</mark>)" in response.content.decode()

    russian = anon.get("/ru/search/", {"q": "Turkey"}).content.decode()
    assert "Страна: Турция (<mark>Turkey</mark>)" in russian
    # The reader's own name for it is highlighted where it matched.
    assert (
        "Страна: <mark>Турция</mark>" in anon.get("/ru/search/", {"q": "турция"}).content.decode()
    )

    data = anon.get("/api/v1/search", {"q": "Turkey"}).json()
    matched = {h["title"]: h["matched"] for h in data["results"]}
    assert matched["Study visit on border management"] == [
        {
            "facet": "country",
            "value": "TR",
            "label": "Türkiye",
            "label_html": "Türkiye (<mark>Turkey</mark>)",
        }
    ]
    assert matched["Turkey and the eastern route"] == []


def test_a_result_found_by_a_word_of_its_text_names_no_country(
    make_meeting: Any, anon: Any
) -> None:
    """Only what made the entry match is named: a snippet that shows the word is enough, and a
    country whose names do not hold it is not named."""
    make_meeting(
        "Regional workshop", objectives={"en": "Border cooperation."}, host_states=("CZ", "LT")
    )
    hit = anon.get("/en/search/", {"q": "border"}).context["results"].hits[0]
    assert "<mark>Border</mark>" in str(hit.snippet)
    assert hit.matched == []
    hit = anon.get("/en/search/", {"q": "литва"}).context["results"].hits[0]
    assert [(m.facet, m.value) for m in hit.matched] == [("country", "LT")]
    assert str(hit.matched[0].label) == "Lithuania (<mark>Литва</mark>)"


def test_naming_what_matched_reads_the_same_statements_for_any_number_of_hits(
    make_meeting: Any, anon: Any, django_assert_max_num_queries: Any
) -> None:
    """The names of countries and their labels are read once for a page, not once a hit."""
    make_meeting("Study visit 1", country="TR")
    with django_assert_max_num_queries(100) as one:
        response = anon.get("/en/search/", {"q": "Turkey"})
    assert len(response.context["results"].hits[0].matched) == 1
    for n in range(2, 8):
        make_meeting(f"Study visit {n}", country="TR", host_states=("CZ", "LT"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = anon.get("/en/search/", {"q": "Turkey"})
    hits = response.context["results"].hits
    assert len(hits) == 7
    assert all([m.value for m in hit.matched] == ["TR"] for hit in hits)
