"""The rules every write path shares (pages, API and admin all reach them)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from dialogos.core.models import AuditEntry
from dialogos.dialogues import services
from dialogos.dialogues.models import Body, Office, Participation

D = datetime.date


def test_an_overlapping_chair_term_is_refused_and_nothing_is_saved(world: Any) -> None:
    before = (Office.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as refused:
        services.save_office(
            actor=world.alice,
            dialogue=world.pp,
            body=world.strategic_group,
            kind=Office.Kind.BODY_CHAIR,
            country_id="CZ",
            start=D(2020, 6, 1),
            end=D(2021, 5, 31),
        )
    assert "already holds this office" in str(refused.value)
    assert (Office.objects.count(), AuditEntry.objects.count()) == before


def test_a_following_term_is_accepted(world: Any) -> None:
    office = services.save_office(
        actor=world.alice,
        dialogue=world.pp,
        body=world.strategic_group,
        kind=Office.Kind.BODY_CHAIR,
        country_id="CZ",
        start=D(2021, 1, 1),
        end=D(2021, 12, 31),
    )
    assert office.pk is not None
    assert AuditEntry.objects.filter(actor=world.alice, object_id=str(office.pk)).exists()


def test_two_component_leads_may_serve_side_by_side(world: Any) -> None:
    for code, title in (("CZ", "Thematic Component 1"), ("LT", "Thematic Component 2")):
        services.save_office(
            actor=world.alice,
            dialogue=world.pp,
            kind=Office.Kind.COMPONENT_LEAD,
            country_id=code,
            title={"en": title},
            start=D(2023, 1, 1),
        )
    assert Office.objects.filter(kind=Office.Kind.COMPONENT_LEAD).count() == 2


def test_a_duplicate_participation_is_refused(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        services.save_participation(
            actor=world.alice, dialogue=world.pp, country_id="CZ", status="participating"
        )
    assert "already takes part" in str(refused.value)
    assert Participation.objects.filter(dialogue=world.pp, country_id="CZ").count() == 1


def test_a_later_participation_after_an_ended_one_is_accepted(world: Any) -> None:
    part = Participation.objects.get(dialogue=world.pp, country_id="CZ")
    services.save_participation(actor=world.alice, participation=part, end=D(2019, 12, 31))
    again = services.save_participation(
        actor=world.alice,
        dialogue=world.pp,
        country_id="CZ",
        status="participating",
        start=D(2020, 1, 1),
    )
    assert again.pk != part.pk


def test_an_unknown_country_code_is_refused(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        services.save_participation(
            actor=world.alice, dialogue=world.pp, country_id="ZZ", status="participating"
        )
    assert "country" in refused.value.message_dict


def test_an_end_before_the_start_is_refused(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        services.save_participation(
            actor=world.alice,
            dialogue=world.pp,
            country_id="DE",
            status="participating",
            start=D(2020, 1, 1),
            end=D(2019, 1, 1),
        )
    assert "end" in refused.value.message_dict


def test_a_state_cannot_be_a_partner_organisation(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        services.save_participation(
            actor=world.alice, dialogue=world.pp, country_id="DE", status="partner"
        )
    assert "status" in refused.value.message_dict


def test_a_body_of_another_dialogue_cannot_hold_this_dialogues_office(world: Any) -> None:
    other = Body.objects.create(dialogue=world.bp, slug="som", name={"en": "SOM"})
    with pytest.raises(ValidationError) as refused:
        services.save_office(
            actor=world.alice,
            dialogue=world.pp,
            body=other,
            kind=Office.Kind.BODY_CHAIR,
            country_id="CZ",
        )
    assert "body" in refused.value.message_dict


def test_a_translated_name_must_not_be_empty(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        services.save_body(actor=world.alice, dialogue=world.pp, slug="x", name={})
    assert "name" in refused.value.message_dict
