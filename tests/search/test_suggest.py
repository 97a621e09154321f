"""Suggestions for the search box, through HTTP (the page's fragment and the API): what is
typed so far finds entries the reader may see, title matches first; nothing a reader may not
see is ever suggested; bad input answers 200 with an empty list."""

from __future__ import annotations

from typing import Any

import pytest

from dialogos.core import access
from dialogos.core.models import AccessLevel

FRAGMENT = "/en/search/suggest/"
API = "/api/v1/search/suggest"


def suggested(client: Any, q: str, language: str = "en") -> list[str]:
    """Titles the API suggests for ``q``."""
    data = client.get(API, {"q": q}, HTTP_ACCEPT_LANGUAGE=language).json()
    return [s["title"] for s in data["suggestions"]]


def fragment_titles(client: Any, q: str, language: str = "en") -> str:
    response = client.get(f"/{language}/search/suggest/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def meetings(world: Any, make_meeting: Any, make_registration: Any) -> dict[str, Any]:
    found = {
        "public": make_meeting(
            {"en": "Seasonal workers public", "ru": "Сезонные работники открытая"}, year=2021
        ),
        "members": make_meeting(
            "Seasonal workers members", access_level=AccessLevel.MEMBERS, year=2022
        ),
        "group": make_meeting("Seasonal workers group", access_level=AccessLevel.GROUP, year=2023),
        "secretariat": make_meeting(
            "Seasonal workers secretariat", access_level=AccessLevel.SECRETARIAT, year=2024
        ),
    }
    make_registration(found["group"], world.dan)
    return found


def test_typed_words_suggest_matching_entries_with_the_words_marked(
    world: Any, meetings: dict[str, Any]
) -> None:
    client = world.client_for(None)
    data = client.get(API, {"q": "seasonal wor"}).json()
    assert data["query"] == "seasonal wor"
    [only] = data["suggestions"]
    assert only == {
        "kind": "meeting",
        "kind_label": "Meetings",
        "title": "Seasonal workers public",
        "title_html": "<mark>Seasonal</mark> <mark>workers</mark> public",
        "url": f"/en/meetings/{meetings['public'].pk}/",
    }
    html = fragment_titles(client, "seasonal wor")
    assert 'role="listbox"' in html
    assert f'data-href="/en/meetings/{meetings["public"].pk}/"' in html
    assert "<mark>Seasonal</mark> <mark>workers</mark> public" in html
    assert "1 suggestion" in html


def test_the_last_word_is_a_prefix_as_the_reader_types(
    world: Any, meetings: dict[str, Any]
) -> None:
    client = world.client_for(None)
    for typed in ("sea", "seas", "seaso", "season", "seasonal", "seasonal w", "seasonal work"):
        assert suggested(client, typed) == ["Seasonal workers public"], typed
    assert suggested(client, "seasonal x") == []


def test_titles_in_the_request_language(world: Any, meetings: dict[str, Any]) -> None:
    client = world.client_for(None)
    html = fragment_titles(client, "сезон", language="ru")
    assert "<mark>Сезонные</mark> работники открытая" in html
    assert "/ru/meetings/" in html
    assert "1 подсказка" in html
    assert suggested(client, "сезон", language="ru") == ["Сезонные работники открытая"]


def test_a_title_match_comes_before_a_newer_text_match(world: Any, make_meeting: Any) -> None:
    make_meeting("Return and readmission", year=2020)
    make_meeting("Annual meeting", objectives={"en": "On readmission agreements."}, year=2025)
    titles = suggested(world.client_for(None), "readm")
    assert titles == ["Return and readmission", "Annual meeting"]


def test_at_most_eight_suggestions(world: Any, make_meeting: Any) -> None:
    for n in range(10):
        make_meeting(f"Border management {n}", year=2010 + n)
    titles = suggested(world.client_for(None), "border")
    assert len(titles) == 8
    assert titles[0] == "Border management 9"  # equal titles: newest first


ROLES = ["anonymous", "frank", "bob", "dan", "alice", "erin", "olga"]


@pytest.mark.parametrize("role", ROLES)
def test_only_what_the_role_may_see_is_suggested(
    world: Any, meetings: dict[str, Any], role: str
) -> None:
    user = None if role == "anonymous" else getattr(world, role)
    client = world.client_for(user)
    may_see = {
        f"Seasonal workers {name}" for name, m in meetings.items() if access.can_view(user, m)
    }
    hidden = {f"Seasonal workers {name}" for name in meetings} - may_see
    assert set(suggested(client, "seasonal")) == may_see
    html = fragment_titles(client, "seasonal")
    for title in hidden:
        name = title.removeprefix("Seasonal workers ")
        assert f"</mark> {name}<" not in html
        assert f'/meetings/{meetings[name].pk}/"' not in html


def test_each_level_is_suggested_to_who_may_see_it_and_to_no_one_else(
    world: Any, meetings: dict[str, Any]
) -> None:
    def who_gets(name: str) -> set[str]:
        return {
            role
            for role in ROLES
            if f"Seasonal workers {name}"
            in suggested(
                world.client_for(None if role == "anonymous" else getattr(world, role)), "seasonal"
            )
        }

    assert who_gets("public") == set(ROLES)
    assert who_gets("members") == {"bob", "dan", "alice", "olga"}
    assert who_gets("group") == {"dan", "alice", "olga"}  # dan is registered for it
    assert who_gets("secretariat") == {"alice", "olga"}


def test_a_withdrawn_registrant_is_no_longer_suggested_the_group_meeting(
    world: Any, meetings: dict[str, Any]
) -> None:
    from dialogos.meetings.models import Registration

    client = world.client_for(world.dan)
    assert "Seasonal workers group" in suggested(client, "seasonal")
    Registration.objects.filter(meeting=meetings["group"]).update(
        status=Registration.Status.WITHDRAWN
    )
    assert "Seasonal workers group" not in suggested(client, "seasonal")


BAD = [
    "",
    " ",
    "s",
    " s ",
    "x" * 600,
    "seasonal " * 70,
    "\x00",
    '"',
    "*",
    "**",
    "-",
    "--",
    "-seasonal",
    "' OR 1=1 --",
    "%",
    "_",
    "😀",
    "((",
    "NEAR(",
    "AND",
]


@pytest.mark.parametrize("q", BAD)
def test_bad_input_answers_an_empty_list(world: Any, meetings: dict[str, Any], q: str) -> None:
    client = world.client_for(world.alice)
    api = client.get(API, {"q": q})
    assert api.status_code == 200
    assert api.json()["suggestions"] == []
    page = client.get(FRAGMENT, {"q": q})
    assert page.status_code == 200
    assert 'role="option"' not in page.content.decode()


def test_a_nul_character_is_dropped(world: Any, meetings: dict[str, Any]) -> None:
    assert suggested(world.client_for(None), "sea\x00") == ["Seasonal workers public"]


def test_quotes_and_stars_around_a_word_are_ignored(world: Any, meetings: dict[str, Any]) -> None:
    client = world.client_for(None)
    for q in ('"seasonal"', "seasonal*", "(seasonal)", '"seasonal wor'):
        assert suggested(client, q) == ["Seasonal workers public"], q


def test_no_parameter_at_all(world: Any) -> None:
    client = world.client_for(None)
    assert client.get(API).json() == {"query": "", "suggestions": []}
    assert client.get(FRAGMENT).status_code == 200


def test_a_keystroke_costs_a_few_queries(
    world: Any, meetings: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client = world.client_for(world.dan)
    client.get(API, {"q": "seasonal"})  # the session and the user read once
    with django_assert_max_num_queries(8):
        assert client.get(API, {"q": "seasonal w"}).status_code == 200


def test_the_api_documents_the_endpoint(world: Any) -> None:
    schema = world.client_for(None).get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/search/suggest"]["get"]
    assert "Suggestions" in operation["summary"]
    assert "q" in {p["name"] for p in operation["parameters"]}
