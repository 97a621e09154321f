"""Broad queries: past ``SEARCH_TOP_LIMIT`` matches the count is a lower bound and says so, the
facets count the newest matches, and nothing the user may not see is counted; short words
match whole."""

from __future__ import annotations

from typing import Any

import pytest

from dialogos.core.models import AccessLevel


@pytest.fixture
def anon(world: Any) -> Any:
    return world.client_for(None)


@pytest.fixture
def many(make_meeting: Any, settings: Any) -> None:
    settings.SEARCH_TOP_LIMIT = 20
    for n in range(25):
        make_meeting(f"Workshop number {n}", year=2000 + n, country="CZ" if n % 2 else "LT")
    for n in range(5):
        make_meeting(f"Workshop hidden {n}", access_level=AccessLevel.SECRETARIAT, year=2030)


def test_past_the_limit_the_count_says_more_than(many: None, anon: Any) -> None:
    data = anon.get("/api/v1/search", {"q": "workshop"}).json()
    assert (data["total"], data["exact"], data["pages"]) == (20, False, 1)
    assert any("More than 20 results" in m for m in data["messages"])
    # The 20 newest visible matches (2024 back to 2005), best first; the hidden, newer
    # meetings take no place among them.
    years = sorted(int(h["date"][:4]) for h in data["results"])
    assert years == list(range(2005, 2025))
    facets = {v["value"]: v["count"] for v in data["facets"]["country"]}
    assert facets == {"CZ": 10, "LT": 10}
    page = anon.get("/en/search/", {"q": "workshop"}).content.decode()
    assert "More than 20 results" in page
    russian = anon.get("/ru/search/", {"q": "workshop"}).content.decode()
    assert "Более 20 результатов" in russian


def test_a_narrower_query_is_exact_again(many: None, anon: Any) -> None:
    data = anon.get("/api/v1/search", {"q": "workshop", "country": "CZ"}).json()
    assert (data["total"], data["exact"]) == (12, True)
    assert not any("More than" in m for m in data["messages"])
    year = anon.get("/api/v1/search", {"q": "workshop", "year": "2003"}).json()
    assert [h["title"] for h in year["results"]] == ["Workshop number 3"]
    assert year["exact"] is True


def test_title_matches_rank_first_within_the_newest(
    make_meeting: Any, anon: Any, settings: Any
) -> None:
    settings.SEARCH_TOP_LIMIT = 20
    make_meeting("Readmission agreements", objectives={"en": "Talks."}, year=2010)
    for n in range(10):
        make_meeting(f"Annual review {n}", objectives={"en": "On readmission."}, year=2020 + n)
    titles = [
        h["title"] for h in anon.get("/api/v1/search", {"q": "readmission"}).json()["results"]
    ]
    assert titles[0] == "Readmission agreements"
    assert titles[1:] == [f"Annual review {n}" for n in range(9, -1, -1)]


def test_a_word_of_two_letters_matches_whole(make_meeting: Any, anon: Any) -> None:
    make_meeting("EU talks on mobility")
    make_meeting("Europe and Eurasia")
    titles = [h["title"] for h in anon.get("/api/v1/search", {"q": "EU"}).json()["results"]]
    assert titles == ["EU talks on mobility"]
    titles = [h["title"] for h in anon.get("/api/v1/search", {"q": "eur"}).json()["results"]]
    assert titles == ["Europe and Eurasia"]
