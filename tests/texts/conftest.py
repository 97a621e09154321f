"""Helpers for the texts tests: texts, versions and circulations made through the services.

The cast is the shared ``world``: alice (secretariat), bob (focal point CZ), carol
(contributor CZ), dan (delegate LT), erin (secretariat of another dialogue), frank (no role),
olga (operator).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from dialogos.core.models import Country
from dialogos.meetings.models import Meeting
from dialogos.texts import services
from dialogos.texts.models import Circulation, OutcomeText, Paragraph, TextVersion

PARAGRAPHS = [
    {"en": "The participating states meet every year.", "ru": "Государства встречаются ежегодно."},
    {"en": "The Secretariat prepares a report.", "ru": "Секретариат готовит доклад."},
    {"en": "The Chair is thanked.", "ru": "Председателю выражается благодарность."},
]


@dataclass
class Negotiation:
    text: OutcomeText
    version: TextVersion
    paragraphs: list[Paragraph]
    circulation: Circulation | None = None


def soon(days: int = 7) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


@pytest.fixture
def meeting(world: Any) -> Meeting:
    start = timezone.now() - datetime.timedelta(days=2)
    return Meeting.objects.create(
        dialogue=world.pp,
        title={"en": "Senior Officials' Meeting", "ru": "Совещание старших должностных лиц"},
        start=start,
        end=start + datetime.timedelta(days=1),
        access_level="public",
    )


@pytest.fixture
def draft(world: Any) -> Negotiation:
    text = services.create_text(
        actor=world.alice,
        dialogue=world.pp,
        kind=OutcomeText.Kind.CONCLUSIONS,
        title={"en": "Conclusions of the meeting", "ru": "Выводы совещания"},
    )
    version = text.versions.get()
    paragraphs = [
        services.save_paragraph(actor=world.alice, version=version, content=content)
        for content in PARAGRAPHS
    ]
    return Negotiation(text, version, paragraphs)


@pytest.fixture
def circulated(world: Any, draft: Negotiation) -> Negotiation:
    """Version 1 circulated for comments to Czechia and Lithuania, deadline in a week."""
    draft.circulation = services.circulate_version(
        actor=world.alice,
        version=draft.version,
        states=list(Country.objects.filter(code__in=["CZ", "LT"])),
        deadline=soon(),
        message={"en": "Please comment."},
    )
    draft.text.refresh_from_db()
    draft.version.refresh_from_db()
    return draft


@pytest.fixture
def silence(world: Any, circulated: Negotiation) -> Negotiation:
    """A silence procedure on version 1 with Czechia only, deadline in three days."""
    circulated.circulation = services.circulate_version(
        actor=world.alice,
        version=circulated.version,
        states=[Country.objects.get(code="CZ")],
        deadline=soon(3),
        kind=Circulation.Kind.SILENCE,
    )
    circulated.text.refresh_from_db()
    return circulated
