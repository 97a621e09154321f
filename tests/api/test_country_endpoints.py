from __future__ import annotations

from typing import Any

from tests.api.api_helpers import API, Caller


def codes(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [c["code"] for c in response.json()]


def test_it_lists_every_state_by_name(db: Any, anonymous: Caller) -> None:
    response = anonymous.get(f"{API}/countries")
    data = response.json()
    assert len(data) > 240
    assert "XK" in codes(response)
    names = [c["name"] for c in data]
    assert names.index("Afghanistan") < names.index("Zimbabwe")


def test_it_lists_states_by_their_russian_names_in_russian(db: Any, anonymous: Caller) -> None:
    data = anonymous.get(f"{API}/countries", lang="ru").json()
    by_code = {c["code"]: c for c in data}
    assert by_code["CZ"]["name"] == "Чехия"
    assert by_code["CZ"]["name_i18n"]["en"] == "Czechia"
    names = [c["name"] for c in data]
    assert names.index("Австралия") < names.index("Япония")


def test_it_finds_a_state_by_its_russian_name_in_any_case(db: Any, anonymous: Caller) -> None:
    # SQLite's LIKE does not fold Cyrillic: the match is done in Python.
    assert codes(anonymous.get(f"{API}/countries?q=ЧЕХ")) == ["CZ"]
    assert codes(anonymous.get(f"{API}/countries?q=чех")) == ["CZ"]


def test_it_finds_a_state_by_a_former_name(db: Any, anonymous: Caller) -> None:
    assert "TR" in codes(anonymous.get(f"{API}/countries?q=turkey"))
    assert "SZ" in codes(anonymous.get(f"{API}/countries?q=свазиленд"))


def test_it_finds_a_state_whatever_the_accents(db: Any, anonymous: Caller) -> None:
    assert "TR" in codes(anonymous.get(f"{API}/countries?q=turkiye"))


def test_it_finds_nothing_for_nonsense(db: Any, anonymous: Caller) -> None:
    assert codes(anonymous.get(f"{API}/countries?q=qqqzzz")) == []


def test_it_shows_a_state_with_its_dialogues(world: Any, anonymous: Caller) -> None:
    data = anonymous.get(f"{API}/countries/cz").json()
    assert data["code"] == "CZ"
    assert data["name"] == "Czechia"
    assert [p["dialogue"]["slug"] for p in data["participations"]] == ["prague-process"]
    assert data["participations"][0]["status"] == "participating"


def test_it_shows_a_state_in_russian(world: Any, anonymous: Caller) -> None:
    data = anonymous.get(f"{API}/countries/CZ", lang="ru").json()
    assert data["name"] == "Чехия"
    assert data["participations"][0]["dialogue"]["name"] == "Пражский процесс"


def test_an_unknown_code_is_a_404_saying_so(db: Any, anonymous: Caller) -> None:
    response = anonymous.get(f"{API}/countries/QQ")
    assert response.status_code == 404
    assert response.json()["detail"] == "There is no country with the code “QQ”."
