"""The states page: participating states by grouping, then observers and partners."""

from __future__ import annotations

import datetime
from typing import Any

from dialogos.dialogues.models import Grouping, GroupingMembership, Organisation, Participation

URL = "/{lang}/dialogues/prague-process/states/"


def _grouping(world: Any, slug: str, en: str, ru: str, order: int, codes: list[str]) -> Grouping:
    grouping = Grouping.objects.create(slug=slug, name={"en": en, "ru": ru}, order=order)
    for code in codes:
        GroupingMembership.objects.create(grouping=grouping, country_id=code)
    world.pp.groupings.add(grouping)
    return grouping


def _participate(world: Any, *codes: str) -> None:
    for code in codes:
        Participation.objects.create(
            dialogue=world.pp, country_id=code, status=Participation.Status.PARTICIPATING
        )


def _groups(response: Any) -> list[tuple[str | None, list[str]]]:
    return [
        (group.grouping.slug if group.grouping else None, [c.code for c in group.states])
        for group in response.context["overview"].groups
    ]


def test_it_answers_in_english_and_russian(world: Any) -> None:
    english = world.client_for(None).get(URL.format(lang="en"))
    russian = world.client_for(None).get(URL.format(lang="ru"))

    assert english.status_code == 200
    assert russian.status_code == 200
    assert "Czechia" in english.text
    assert "Чехия" in russian.text
    assert "Пражский процесс" in russian.text


def test_it_lists_states_by_grouping_in_the_dialogues_order(world: Any) -> None:
    _participate(world, "DE", "AM", "MD")
    _grouping(world, "eap", "Eastern Partnership", "Восточное партнёрство", 2, ["AM", "MD"])
    _grouping(world, "eu", "European Union", "Европейский союз", 1, ["CZ", "LT", "DE"])

    response = world.client_for(None).get(URL.format(lang="en"))

    assert _groups(response) == [("eu", ["CZ", "DE", "LT"]), ("eap", ["AM", "MD"])]
    assert response.context["overview"].total == 5
    assert response.text.index("European Union") < response.text.index("Eastern Partnership")


def test_it_counts_states_per_grouping_and_in_total(world: Any) -> None:
    _participate(world, "DE", "AM")
    _grouping(world, "eu", "European Union", "Европейский союз", 1, ["CZ", "LT", "DE"])
    _grouping(world, "schengen", "Schengen area", "Шенгенская зона", 2, ["CZ", "DE"])

    page = world.client_for(None).get(URL.format(lang="en")).text

    assert "3 states" in page
    assert "2 states" in page
    assert "4 states take part in the dialogue today." in page


def test_a_state_may_appear_in_several_groupings(world: Any) -> None:
    _grouping(world, "eu", "European Union", "Европейский союз", 1, ["CZ", "LT"])
    _grouping(world, "schengen", "Schengen area", "Шенгенская зона", 2, ["CZ"])

    response = world.client_for(None).get(URL.format(lang="en"))

    assert _groups(response) == [("eu", ["CZ", "LT"]), ("schengen", ["CZ"])]
    assert response.context["overview"].total == 2


def test_states_in_no_grouping_are_listed_as_other_states(world: Any) -> None:
    _participate(world, "TR")
    _grouping(world, "eu", "European Union", "Европейский союз", 1, ["CZ", "LT"])

    response = world.client_for(None).get(URL.format(lang="en"))

    assert _groups(response) == [("eu", ["CZ", "LT"]), (None, ["TR"])]
    assert "Other states" in response.text


def test_only_current_grouping_membership_counts(world: Any) -> None:
    eu = _grouping(world, "eu", "European Union", "Европейский союз", 1, ["CZ"])
    GroupingMembership.objects.create(grouping=eu, country_id="LT", start=datetime.date(2090, 1, 1))

    response = world.client_for(None).get(URL.format(lang="en"))

    assert _groups(response) == [("eu", ["CZ"]), (None, ["LT"])]


def test_a_grouping_of_another_dialogue_is_not_used(world: Any) -> None:
    other = Grouping.objects.create(slug="other", name={"en": "Elsewhere"})
    GroupingMembership.objects.create(grouping=other, country_id="CZ")
    world.bp.groupings.add(other)

    response = world.client_for(None).get(URL.format(lang="en"))

    assert _groups(response) == [(None, ["CZ", "LT"])]
    assert "Elsewhere" not in response.text


def test_states_that_left_are_not_listed(world: Any) -> None:
    Participation.objects.create(
        dialogue=world.pp,
        country_id="PL",
        status=Participation.Status.PARTICIPATING,
        end=datetime.date(2015, 12, 31),
    )

    response = world.client_for(None).get(URL.format(lang="en"))

    assert "Poland" not in response.text
    assert response.context["overview"].total == 2


def test_names_are_sorted_in_the_active_language(world: Any) -> None:
    # English: Armenia, Germany, Türkiye, Turkmenistan ... Russian: Армения, Германия, Туркменистан, Турция
    _participate(world, "DE", "AM", "TR", "TM")

    english = _groups(world.client_for(None).get(URL.format(lang="en")))
    russian = _groups(world.client_for(None).get(URL.format(lang="ru")))

    assert english == [(None, ["AM", "CZ", "DE", "LT", "TR", "TM"])]
    assert russian == [(None, ["AM", "DE", "LT", "TM", "TR", "CZ"])]


def test_it_lists_observers_and_partner_organisations(world: Any) -> None:
    iom = Organisation.objects.create(
        slug="iom", acronym="IOM", name={"en": "International Organization for Migration"}
    )
    Participation.objects.create(
        dialogue=world.pp, country_id="BY", status=Participation.Status.OBSERVER
    )
    Participation.objects.create(
        dialogue=world.pp, organisation=iom, status=Participation.Status.OBSERVER
    )
    Participation.objects.create(
        dialogue=world.pp, organisation=world.icmpd, status=Participation.Status.PARTNER
    )

    response = world.client_for(None).get(URL.format(lang="en"))

    overview = response.context["overview"]
    assert [str(p.holder) for p in overview.observers] == ["Belarus", "IOM"]
    assert [str(p.holder) for p in overview.partners] == ["ICMPD"]
    assert "International Organization for Migration (IOM)" in response.text
    assert "Belarus" not in [c.name.get_text("en") for g in overview.groups for c in g.states]
