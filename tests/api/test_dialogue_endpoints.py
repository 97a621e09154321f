from __future__ import annotations

from typing import Any

from tests.api.api_helpers import API, PP, Caller


def test_it_lists_dialogues_in_english_with_every_translation(
    world: Any, anonymous: Caller
) -> None:
    response = anonymous.get(f"{API}/dialogues")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    first, second = response.json()
    assert first["slug"] == "prague-process"
    assert first["name"] == "Prague Process"
    assert first["name_i18n"] == {"en": "Prague Process", "ru": "Пражский процесс"}
    assert first["participating_states"] == 2
    assert first["secretariat_host"]["acronym"] == "ICMPD"
    assert second["slug"] == "budapest-process"


def test_it_lists_dialogues_in_russian_when_asked_by_parameter(
    world: Any, anonymous: Caller
) -> None:
    response = anonymous.get(f"{API}/dialogues", lang="ru")
    assert response["Content-Language"] == "ru"
    assert response.json()[0]["name"] == "Пражский процесс"


def test_it_follows_accept_language_without_a_parameter(world: Any, anonymous: Caller) -> None:
    response = anonymous.get(
        f"{API}/dialogues", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}
    )
    assert response.json()[0]["name"] == "Пражский процесс"
    assert "Accept-Language" in response["Vary"]


def test_the_parameter_wins_over_accept_language(world: Any, anonymous: Caller) -> None:
    response = anonymous.get(f"{API}/dialogues?lang=en", headers={"Accept-Language": "ru"})
    assert response.json()[0]["name"] == "Prague Process"


def test_it_falls_back_to_english_for_an_unknown_language(world: Any, anonymous: Caller) -> None:
    response = anonymous.get(f"{API}/dialogues?lang=xx", headers={"Accept-Language": "de"})
    assert response["Content-Language"] == "en"
    # The Budapest Process has no Russian short name: the text falls back to English.
    assert response.json()[1]["name"] == "Budapest Process"


def test_a_text_missing_in_russian_falls_back_to_english(world: Any, anonymous: Caller) -> None:
    response = anonymous.get(f"{API}/dialogues/budapest-process", lang="ru")
    data = response.json()
    assert data["name"] == "Будапештский процесс"
    assert data["short_name"] == ""
    assert data["short_name_i18n"] == {}


def test_it_shows_one_dialogue_in_both_languages(world: Any, anonymous: Caller) -> None:
    en = anonymous.get(PP).json()
    ru = anonymous.get(PP, lang="ru").json()
    assert en["name"] == "Prague Process"
    assert ru["name"] == "Пражский процесс"
    assert en["founded"] == 2009
    assert en["languages"] == ["en", "ru"]


def test_an_unknown_dialogue_is_a_404_with_a_message(world: Any, anonymous: Caller) -> None:
    response = anonymous.get(f"{API}/dialogues/no-such-process")
    assert response.status_code == 404
    assert "no-such-process" in response.json()["detail"]
