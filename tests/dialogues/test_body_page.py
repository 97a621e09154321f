"""The page of one body: description, members and offices; hidden bodies answer 404."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from dialogos.dialogues.models import Body, BodyMembership, Office, Organisation

D = datetime.date
URL = "/{lang}/dialogues/prague-process/bodies/{slug}/"


def test_it_answers_in_english_and_russian(world: Any) -> None:
    english = world.client_for(None).get(URL.format(lang="en", slug="strategic-group"))
    russian = world.client_for(None).get(URL.format(lang="ru", slug="strategic-group"))

    assert english.status_code == 200
    assert russian.status_code == 200
    assert "Strategic Group</h1>" in english.text
    assert "Стратегическая группа</h1>" in russian.text
    assert "Литва" in russian.text


def test_it_shows_description_members_and_offices(world: Any) -> None:
    world.strategic_group.description = {"en": "A *limited* group of states."}
    world.strategic_group.save(update_fields=["description"])
    commission = Organisation.objects.create(
        slug="ec", acronym="EC", name={"en": "European Commission"}
    )
    BodyMembership.objects.create(body=world.strategic_group, organisation=commission)
    BodyMembership.objects.create(
        body=world.strategic_group, country_id="PL", start=D(2017, 9, 1), end=D(2019, 12, 31)
    )
    Office.objects.create(
        dialogue=world.pp,
        body=world.strategic_group,
        kind=Office.Kind.BODY_CHAIR,
        country_id="CZ",
        start=D(2023, 1, 1),
    )

    response = world.client_for(None).get(URL.format(lang="en", slug="strategic-group"))

    detail = response.context["detail"]
    assert "<em>limited</em>" in response.text
    assert [str(m.holder) for m in detail.current_members] == ["EC", "Lithuania"]
    assert [m.country_id for m in detail.past_members] == ["PL"]
    assert [o.country_id for o in detail.offices.current] == ["CZ"]
    assert [o.country_id for o in detail.offices.past] == ["LT"]
    text = response.text.replace("\xa0", " ")  # dates do not break across lines
    assert "1 September 2017 – 31 December 2019" in text
    assert "since 1 January 2023" in text


def test_a_body_of_another_dialogue_is_not_found_under_this_one(world: Any) -> None:
    response = world.client_for(None).get("/en/dialogues/budapest-process/bodies/strategic-group/")

    assert response.status_code == 404


def test_an_unknown_body_is_not_found(world: Any) -> None:
    response = world.client_for(world.olga).get(URL.format(lang="en", slug="no-such-body"))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 404), ("bob", 404), ("erin", 404), ("alice", 200), ("olga", 200)],
)
def test_a_secretariat_body_answers_only_the_secretariat(
    world: Any, who: str | None, status: int
) -> None:
    Body.objects.create(
        dialogue=world.pp, slug="closed", name={"en": "Closed group"}, access_level="secretariat"
    )
    user = getattr(world, who) if who else None

    response = world.client_for(user).get(URL.format(lang="en", slug="closed"))

    assert response.status_code == status
    assert ("Closed group" in response.text) is (status == 200)


def test_a_hidden_body_answers_exactly_like_a_missing_one(world: Any) -> None:
    Body.objects.create(
        dialogue=world.pp, slug="closed", name={"en": "Closed group"}, access_level="secretariat"
    )
    client = world.client_for(world.bob)

    hidden = client.get(URL.format(lang="en", slug="closed"))
    missing = client.get(URL.format(lang="en", slug="absent"))

    assert hidden.status_code == missing.status_code == 404

    # Only the masked CSRF token (new on every response) and the address itself may differ.
    def normal(content: bytes) -> bytes:
        return re.sub(rb"[A-Za-z0-9]{64}", b"", content).replace(b"/closed/", b"/absent/")

    assert normal(hidden.content) == normal(missing.content)


@pytest.mark.parametrize(("who", "status"), [(None, 404), ("frank", 404), ("dan", 200)])
def test_a_members_body_answers_only_members(world: Any, who: str | None, status: int) -> None:
    Body.objects.create(
        dialogue=world.pp, slug="members", name={"en": "Members' body"}, access_level="members"
    )
    user = getattr(world, who) if who else None

    response = world.client_for(user).get(URL.format(lang="en", slug="members"))

    assert response.status_code == status
