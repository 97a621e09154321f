"""The about page of a dialogue."""

from __future__ import annotations

import datetime
from typing import Any

from dialogos.dialogues.models import Body, Office, Organisation, Participation


def test_it_answers_in_english_and_russian(world: Any) -> None:
    english = world.client_for(None).get("/en/dialogues/prague-process/")
    russian = world.client_for(None).get("/ru/dialogues/prague-process/")

    assert english.status_code == 200
    assert russian.status_code == 200
    assert "<h1" in english.text and "Prague Process</h1>" in english.text
    assert "Пражский процесс</h1>" in russian.text


def test_it_renders_the_description_as_sanitised_markdown(world: Any) -> None:
    world.pp.description = {"en": "A **targeted** dialogue.<script>alert(1)</script>"}
    world.pp.save(update_fields=["description"])

    page = world.client_for(None).get("/en/dialogues/prague-process/").text

    assert "<strong>targeted</strong>" in page
    assert "<script>alert(1)" not in page


def test_it_shows_the_facts_of_the_dialogue(world: Any) -> None:
    mpf = Organisation.objects.create(
        slug="mpf", acronym="MPF", name={"en": "Migration Partnership Facility"}
    )
    world.pp.programme = mpf
    world.pp.save(update_fields=["programme"])

    page = world.client_for(None).get("/en/dialogues/prague-process/").text

    assert "2009" in page
    assert "English, Russian" in page
    assert "Migration Partnership Facility (MPF)" in page
    assert "International Centre for Migration Policy Development (ICMPD)" in page


def test_it_names_languages_in_russian_on_the_russian_page(world: Any) -> None:
    page = world.client_for(None).get("/ru/dialogues/prague-process/").text

    assert "Английский, Русский" in page


def test_it_shows_the_current_chair_but_not_a_past_one(world: Any) -> None:
    Office.objects.create(
        dialogue=world.pp, kind=Office.Kind.CHAIR, country_id="CZ", start=datetime.date(2023, 1, 1)
    )
    Office.objects.create(
        dialogue=world.pp,
        kind=Office.Kind.CO_CHAIR,
        country_id="PL",
        start=datetime.date(2011, 1, 1),
        end=datetime.date(2017, 12, 31),
    )

    response = world.client_for(None).get("/en/dialogues/prague-process/")

    assert [(o.kind, o.country_id) for o in response.context["leading_offices"]] == [
        ("chair", "CZ")
    ]
    assert "Czechia" in response.text
    assert "Poland" not in response.text


def test_it_counts_states_observers_partners_and_visible_bodies(world: Any) -> None:
    Participation.objects.create(
        dialogue=world.pp, country_id="BY", status=Participation.Status.OBSERVER
    )
    Participation.objects.create(
        dialogue=world.pp, organisation=world.icmpd, status=Participation.Status.PARTNER
    )
    Body.objects.create(
        dialogue=world.pp, slug="closed", name={"en": "Closed"}, access_level="secretariat"
    )

    anonymous = world.client_for(None).get("/en/dialogues/prague-process/").context["counts"]
    alice = world.client_for(world.alice).get("/en/dialogues/prague-process/").context["counts"]

    assert (anonymous.states, anonymous.observers, anonymous.partners) == (2, 1, 1)
    assert anonymous.bodies == 1
    assert alice.bodies == 2


def test_it_has_a_sub_navigation_with_the_current_page_marked(world: Any) -> None:
    page = world.client_for(None).get("/en/dialogues/prague-process/").text

    assert 'href="/en/dialogues/prague-process/" aria-current="page"' in page
    assert 'href="/en/dialogues/prague-process/states/"' in page
    assert 'href="/en/dialogues/prague-process/governance/"' in page


def test_an_unknown_dialogue_is_not_found(world: Any) -> None:
    for path in ("", "states/", "governance/", "bodies/strategic-group/"):
        response = world.client_for(None).get(f"/en/dialogues/no-such-dialogue/{path}")
        assert response.status_code == 404, path
