"""The search API answers the documented shape (``SearchOut``) for every kind of request, with
the API's headers; and on SQLite the narrow rank rows follow every change of their entries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from dialogos.core.models import AccessLevel
from dialogos.search.api import SearchOut


@pytest.fixture
def meetings(world: Any, make_meeting: Any) -> list[Any]:
    return [
        make_meeting("Labour migration seminar", year=2023, country="MD"),
        make_meeting(
            {"en": "Return and reintegration", "ru": "Возвращение и реинтеграция"},
            year=2021,
            country="TR",
            objectives={"en": "Labour market access for returnees."},
        ),
        make_meeting("Labour inspection", access_level=AccessLevel.MEMBERS, year=2024),
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"q": "labour"},
        {"q": "labour", "country": "MD"},
        {"q": "labour", "year": "2021", "language": "en"},
        {"q": "возвращение", "lang": "ru"},
        {"q": "labour", "page": "9"},
        {"q": "labour", "country": "Moldova", "year": "²"},
        {"q": "", "country": "TR"},
        {"q": "nothing-matches-this"},
        {"q": "***"},
    ],
)
def test_every_answer_has_the_documented_shape(
    world: Any, meetings: list[Any], params: dict[str, str]
) -> None:
    response = world.client_for(None).get("/api/v1/search", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "Accept-Language" in response["Vary"]
    answer = SearchOut.model_validate(response.json())
    assert answer.total == len(answer.results) or answer.pages > 1 or not answer.exact
    for hit in answer.results:
        assert hit.kind == "meeting"
        assert hit.url.startswith("/")


def test_values_of_a_hit_and_of_the_facets(world: Any, meetings: list[Any]) -> None:
    data = world.client_for(None).get("/api/v1/search", {"q": "labour", "lang": "ru"}).json()
    # Visitors see the two public meetings, newest first when the weights are equal.
    assert [h["id"] for h in data["results"]] == [meetings[0].pk, meetings[1].pk]
    first = data["results"][0]
    assert first["date"] == "2023-05-14"
    assert first["dialogue_id"] == world.pp.pk
    assert first["snippet_html"] == ""  # no text beside its title
    # No Russian text: the snippet is cut from the English one.
    assert data["results"][1]["snippet_html"] == "<mark>Labour</mark> market access for returnees."
    assert data["results"][1]["title"] == "Возвращение и реинтеграция"
    countries = {v["value"]: v for v in data["facets"]["country"]}
    assert countries["MD"]["count"] == 1
    assert countries["MD"]["label"] == "Молдавия"
    assert countries["MD"]["selected"] is False
    assert data["messages"] == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the rank rows are SQLite's")
def test_rank_rows_follow_their_entries(world: Any, meetings: list[Any]) -> None:
    from dialogos.search.models import SearchEntry

    def rank_rows() -> dict[int, tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, access, facets FROM search_fts_rank")
            return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}

    def entries() -> dict[int, tuple[str, str]]:
        return {e.id: (e.access, e.facets) for e in SearchEntry.objects.all()}

    assert rank_rows() == entries()
    meeting = meetings[0]
    meeting.access_level = AccessLevel.MEMBERS
    meeting.country_id = "TR"
    meeting.save()
    from dialogos.search.indexing import reindex_keys

    reindex_keys("meeting", [meeting.pk], with_vectors=False)
    assert rank_rows() == entries()
    assert rank_rows()[SearchEntry.objects.get(object_id=meeting.pk).id][0] == "members"
    from dialogos.search.indexing import remove_objects

    assert remove_objects("meeting", [meetings[1].pk]) == 1
    assert rank_rows() == entries()
    assert len(rank_rows()) == 2
