"""Helpers for the meetings tests: meetings and people made through the services."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from email.message import Message
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from dialogos.core.models import Country
from dialogos.meetings import services
from dialogos.meetings.models import Meeting
from dialogos.people.models import Person


def wall(*parts: int) -> datetime.datetime:
    """A naive wall-clock time: services read it in the meeting's own time zone."""
    return datetime.datetime(*parts)  # noqa: DTZ001


@pytest.fixture
def make_meeting(world: Any) -> Callable[..., Meeting]:
    def make(**fields: Any) -> Meeting:
        start = fields.pop("start", timezone.now() + datetime.timedelta(days=30))
        values: dict[str, Any] = {
            "actor": world.alice,
            "dialogue": world.pp,
            "title": {"en": "Expert workshop", "ru": "Экспертный семинар"},
            "start": start,
            "end": fields.pop("end", start + datetime.timedelta(days=1)),
            "time_zone": "Europe/Prague",
            "registration_mode": Meeting.RegistrationMode.OPEN,
            "requires_approval": False,
        }
        values.update(fields)
        return services.create_meeting(**values)

    return make


@pytest.fixture
def make_person(db: Any) -> Callable[..., Person]:
    counter = {"n": 0}

    def make(
        name: str = "",
        country: str | None = "CZ",
        user: Any = None,
        **fields: Any,
    ) -> Person:
        counter["n"] += 1
        return Person.objects.create(
            given_name=fields.pop("given_name", "Test"),
            family_name=name or f"Person{counter['n']:03d}",
            country=Country.objects.get(code=country) if country else None,
            user=user,
            email=fields.pop("email", f"person{counter['n']}@example.net" if user is None else ""),
            **fields,
        )

    return make


def calendar_parts(message: Any) -> list[Message]:
    return [
        part
        for part in message.attachments
        if isinstance(part, Message) and part.get_content_type() == "text/calendar"
    ]


def parse_calendar(message: Any) -> icalendar.Calendar:
    parts = calendar_parts(message)
    assert len(parts) == 1, message.attachments
    payload = parts[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    return icalendar.Calendar.from_ical(payload)


def outbox_to(address: str) -> list[Any]:
    return [m for m in mail.outbox if address in m.to]
