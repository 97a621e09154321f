"""The home page: an introduction and one card per dialogue."""

from __future__ import annotations

import datetime
from typing import Any

from dialogos.core.models import Country
from dialogos.dialogues.models import Participation


def test_it_answers_in_english_and_russian(world: Any) -> None:
    english = world.client_for(None).get("/en/")
    russian = world.client_for(None).get("/ru/")

    assert english.status_code == 200
    assert russian.status_code == 200
    assert '<html lang="en"' in english.text
    assert '<html lang="ru"' in russian.text
    assert "Prague Process" in english.text
    assert "Пражский процесс" in russian.text
    assert "Будапештский процесс" in russian.text


def test_it_links_each_dialogue_to_its_about_page(world: Any) -> None:
    page = world.client_for(None).get("/en/").text

    assert 'href="/en/dialogues/prague-process/"' in page
    assert 'href="/en/dialogues/budapest-process/"' in page


def test_it_shows_founding_year_and_tagline(world: Any) -> None:
    world.pp.tagline = {"en": "A targeted migration dialogue", "ru": "Целевой миграционный диалог"}
    world.pp.save(update_fields=["tagline"])

    english = world.client_for(None).get("/en/").text
    russian = world.client_for(None).get("/ru/").text

    assert "2009" in english
    assert "A targeted migration dialogue" in english
    assert "Целевой миграционный диалог" in russian


def test_it_counts_only_current_participating_states(world: Any) -> None:
    Participation.objects.create(
        dialogue=world.pp,
        country=Country.objects.get(code="PL"),
        status=Participation.Status.PARTICIPATING,
        end=datetime.date(2015, 12, 31),
    )
    Participation.objects.create(
        dialogue=world.pp,
        country=Country.objects.get(code="BY"),
        status=Participation.Status.OBSERVER,
    )
    response = world.client_for(None).get("/en/")

    counts = {d.slug: d.state_count for d in response.context["dialogues"]}
    assert counts == {"prague-process": 2, "budapest-process": 1}


def test_its_route_keeps_the_global_name_home(world: Any) -> None:
    from django.urls import reverse
    from django.utils import translation

    with translation.override("ru"):
        assert reverse("home") == "/ru/"
