"""Capacity and quotas hold when many requests arrive at once (real threads, real connections)."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from dialogos.core.models import Country
from dialogos.meetings import services
from dialogos.meetings.models import Meeting, Registration
from dialogos.people.models import Person


@pytest.mark.django_db(transaction=True)
def test_concurrent_nominations_never_exceed_capacity_or_quotas(world: Any) -> None:
    start = timezone.now() + datetime.timedelta(days=20)
    meeting = services.create_meeting(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Rush"},
        start=start,
        end=start + datetime.timedelta(hours=8),
        capacity=5,
        seats_per_state=3,
        requires_approval=False,
    )
    cz, lt = Country.objects.get(code="CZ"), Country.objects.get(code="LT")
    people = [
        Person.objects.create(given_name="P", family_name=f"N{i}", country=cz if i % 2 else lt)
        for i in range(16)
    ]
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def register(batch: list[Person]) -> None:
        try:
            barrier.wait(timeout=10)
            for person in batch:
                services.add_registration(
                    actor=world.alice, meeting=meeting, person=person, country=person.country
                )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(people[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    regs = Registration.objects.filter(meeting=meeting)
    assert regs.count() == 16
    confirmed = regs.filter(status=Registration.Status.CONFIRMED)
    assert confirmed.count() == 5
    for code in ("CZ", "LT"):
        assert confirmed.filter(country_id=code).count() <= 3
    waiting = list(
        regs.filter(status=Registration.Status.WAITING).values_list("waiting_position", flat=True)
    )
    assert len(waiting) == 11 and sorted(waiting) == list(range(1, 12))
    Meeting.objects.filter(pk=meeting.pk).delete()
