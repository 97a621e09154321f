"""Malformed syntax, huge queries, bad facets and page numbers: a message or an empty result,
never an error — on the page and in the API."""

from __future__ import annotations

from typing import Any

import pytest

NASTY = [
    '"',
    '"unclosed phrase',
    "-",
    "*",
    "**",
    "NEAR(",
    "a OR OR b",
    "AND",
    "title:labour",
    "labour*)",
    "(labour",
    "^labour",
    "' OR 1=1 --",
    "labour; DROP TABLE search_searchentry",
    "\\",
    "%",
    "_",
    "\x00labour",
    "labour " * 400,
    "ж" * 5000,
    "😀 labour",
    "- - -labour",
    "-labour",
    "labour -",
    "!labour & | :*",
]


@pytest.fixture
def labour(make_meeting: Any) -> Any:
    return make_meeting("Labour migration")


@pytest.mark.parametrize("q", NASTY)
def test_malformed_queries_never_error(world: Any, labour: Any, q: str) -> None:
    client = world.client_for(None)
    page = client.get("/en/search/", {"q": q})
    assert page.status_code == 200
    api = client.get("/api/v1/search", {"q": q})
    assert api.status_code == 200
    data = api.json()
    assert data["total"] in (0, 1)
    assert len(data["terms"]) <= 12


def test_operators_are_plain_words_or_dropped(world: Any, labour: Any) -> None:
    client = world.client_for(None)
    for q in ['"labour', "labour*", "(labour)", "labour OR", "title:labour", "labour:*"]:
        assert client.get("/api/v1/search", {"q": q}).json()["total"] == 1, q


def test_symbols_alone_ask_for_words(world: Any, labour: Any) -> None:
    response = world.client_for(None).get("/en/search/", {"q": '* " -'})
    assert "Enter words to search for" in response.content.decode()
    data = world.client_for(None).get("/api/v1/search", {"q": "*"}).json()
    assert data["total"] == 0 and data["messages"]


@pytest.mark.parametrize(
    ("params", "ignored"),
    [
        ({"kind": "nonsense"}, "kind"),
        ({"dialogue": "prague"}, "dialogue"),
        ({"dialogue": "9" * 40}, "dialogue"),
        ({"country": "Czechia"}, "country"),
        ({"country": "ÇZ"}, "country"),
        ({"year": "20x4"}, "year"),
        ({"year": "-2024"}, "year"),
        ({"language": "xx"}, "language"),
        ({"topic": "<script>"}, "topic"),
    ],
)
def test_bad_facet_values_are_ignored_with_a_message(
    world: Any, labour: Any, params: dict[str, str], ignored: str
) -> None:
    client = world.client_for(None)
    data = client.get("/api/v1/search", {"q": "labour", **params}).json()
    assert data["total"] == 1
    assert any(ignored in m for m in data["messages"])
    page = client.get("/en/search/", {"q": "labour", **params})
    assert page.status_code == 200
    assert "were not valid and were ignored" in page.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1e9", "9999999999", "2.5"])
def test_bad_page_numbers_show_the_first_page(world: Any, labour: Any, page: str) -> None:
    data = world.client_for(None).get("/api/v1/search", {"q": "labour", "page": page}).json()
    assert data["page"] == 1 and data["total"] == 1
    assert data["messages"]


def test_a_page_beyond_the_last_shows_the_last(world: Any, labour: Any) -> None:
    data = world.client_for(None).get("/api/v1/search", {"q": "labour", "page": "40"}).json()
    assert data["page"] == 1 and [h["title"] for h in data["results"]] == ["Labour migration"]
    assert "The last page of results is page 1" in data["messages"][0]


def test_repeated_parameters_and_an_empty_query_are_fine(world: Any, labour: Any) -> None:
    client = world.client_for(None)
    assert client.get("/en/search/?q=labour&q=other&year=2024&year=x").status_code == 200
    page = client.get("/en/search/")
    assert page.status_code == 200
    assert page.context["results"].total == 0
