"""The governance page: offices now and in the past, and the bodies the user may see."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dialogos.dialogues.models import Body, BodyMembership, Office

URL = "/{lang}/dialogues/prague-process/governance/"
D = datetime.date


def _body(world: Any, slug: str, access_level: str) -> Body:
    body = Body.objects.create(
        dialogue=world.pp,
        slug=slug,
        name={"en": f"The {slug} body", "ru": f"Орган {slug}"},
        access_level=access_level,
    )
    BodyMembership.objects.create(body=body, country_id="CZ")
    Office.objects.create(
        dialogue=world.pp, body=body, kind=Office.Kind.BODY_CHAIR, country_id="CZ"
    )
    return body


def test_it_answers_in_english_and_russian(world: Any) -> None:
    english = world.client_for(None).get(URL.format(lang="en"))
    russian = world.client_for(None).get(URL.format(lang="ru"))

    assert english.status_code == 200
    assert russian.status_code == 200
    assert "Strategic Group" in english.text
    assert "Стратегическая группа" in russian.text
    assert "Пражский процесс" in russian.text


def test_it_shows_offices_held_now_and_past_ones_in_the_history(world: Any) -> None:
    Office.objects.create(
        dialogue=world.pp, kind=Office.Kind.CHAIR, country_id="CZ", start=D(2023, 1, 1)
    )
    Office.objects.create(
        dialogue=world.pp,
        kind=Office.Kind.CHAIR,
        country_id="PL",
        start=D(2011, 1, 1),
        end=D(2017, 12, 31),
    )

    response = world.client_for(None).get(URL.format(lang="en"))

    offices = response.context["governance"].offices
    assert [(o.kind, o.country_id) for o in offices.current] == [("chair", "CZ")]
    assert [(o.kind, o.country_id) for o in offices.past] == [
        ("body_chair", "LT"),
        ("chair", "PL"),
    ]
    text = response.text.replace("\xa0", " ")  # dates do not break across lines
    history = text[text.index('id="offices-past"') :]
    assert "Poland" in history
    assert "1 January 2011 – 31 December 2017" in history
    assert "Lithuania" in history


def test_it_writes_terms_in_russian_on_the_russian_page(world: Any) -> None:
    page = world.client_for(None).get(URL.format(lang="ru")).text.replace("\xa0", " ")

    assert "1 января 2020 – 31 декабря 2020" in page


def test_it_lists_bodies_with_their_current_members(world: Any) -> None:
    BodyMembership.objects.create(body=world.strategic_group, country_id="PL", end=D(2017, 12, 31))

    response = world.client_for(None).get(URL.format(lang="en"))

    [body] = response.context["governance"].bodies
    assert [m.country_id for m in body.current_members] == ["LT"]
    assert 'href="/en/dialogues/prague-process/bodies/strategic-group/"' in response.text


@pytest.mark.parametrize(
    ("who", "sees"),
    [(None, False), ("bob", False), ("dan", False), ("alice", True), ("olga", True)],
)
def test_a_secretariat_body_is_shown_only_to_the_secretariat(
    world: Any, who: str | None, sees: bool
) -> None:
    _body(world, "closed", "secretariat")
    user = getattr(world, who) if who else None

    response = world.client_for(user).get(URL.format(lang="en"))

    assert ("The closed body" in response.text) is sees
    assert ("/bodies/closed/" in response.text) is sees


@pytest.mark.parametrize(
    ("who", "sees"), [(None, False), ("frank", False), ("erin", False), ("dan", True)]
)
def test_a_members_body_is_shown_only_to_members_of_the_dialogue(
    world: Any, who: str | None, sees: bool
) -> None:
    _body(world, "members-only", "members")
    user = getattr(world, who) if who else None

    response = world.client_for(user).get(URL.format(lang="en"))

    assert ("The members-only body" in response.text) is sees


def test_offices_of_a_hidden_body_are_not_shown(world: Any) -> None:
    _body(world, "closed", "secretariat")

    anonymous = world.client_for(None).get(URL.format(lang="en"))
    alice = world.client_for(world.alice).get(URL.format(lang="en"))

    assert [o.body.slug for o in anonymous.context["governance"].offices.current] == []
    assert [o.body.slug for o in alice.context["governance"].offices.current] == ["closed"]
