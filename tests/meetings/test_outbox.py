"""The outbox: a sender that dies mid-send resumes without sending any e-mail twice."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from dialogos.meetings import services
from dialogos.meetings.models import Notification
from dialogos.meetings.services import notifications


@pytest.fixture
def queued(world: Any, make_meeting: Any, make_person: Any) -> list[Notification]:
    meeting = make_meeting()
    for _ in range(6):
        services.add_registration(actor=world.alice, meeting=meeting, person=make_person())
    rows = list(Notification.objects.order_by("pk"))
    assert len(rows) == 6 and {r.status for r in rows} == {Notification.Status.PENDING}
    return rows


class Crash(BaseException):
    """Stands for the worker process being killed."""


def test_a_sender_killed_mid_send_resumes_without_duplicates(
    queued: list[Notification], monkeypatch: Any
) -> None:
    original = EmailBackend.send_messages
    calls = {"n": 0}

    def dies_on_the_third(self: EmailBackend, messages: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise Crash
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", dies_on_the_third)
    with pytest.raises(Crash):
        notifications.send_pending(batch_size=4)
    monkeypatch.setattr(EmailBackend, "send_messages", original)
    assert len(mail.outbox) == 2
    statuses = dict(Notification.objects.values_list("pk", "status"))
    third = queued[2].pk
    assert statuses[third] == Notification.Status.SENDING  # maybe sent: never again
    assert list(services.uncertain_notifications()) == [Notification.objects.get(pk=third)]

    # A new worker at once: the dead worker's untouched claims are leased, the rest go out.
    assert notifications.send_pending() == 2
    # After the lease runs out, the claimed-but-never-sent rows go out too.
    later = timezone.now() + notifications.LEASE + datetime.timedelta(seconds=1)
    token = notifications.claim(now=later)
    assert token is not None
    assert notifications._send_claimed(token) == 1
    assert notifications.send_pending() == 0

    addresses = [m.to[0] for m in mail.outbox]
    assert len(addresses) == len(set(addresses)) == 5
    assert queued[2].email not in addresses
    assert Notification.objects.filter(status=Notification.Status.SENT).count() == 5


def test_a_refused_message_is_tried_again_then_given_up(
    queued: list[Notification], monkeypatch: Any
) -> None:
    def refuses(self: EmailBackend, messages: Any) -> int:
        raise OSError("connection refused")

    monkeypatch.setattr(EmailBackend, "send_messages", refuses)
    for _ in range(notifications.MAX_ATTEMPTS):
        assert notifications.send_pending() == 0
    assert set(Notification.objects.values_list("status", flat=True)) == {
        Notification.Status.FAILED
    }
    assert mail.outbox == []


def test_the_same_cause_never_queues_twice(queued: list[Notification]) -> None:
    row = queued[0]
    notifications.queue(
        [
            notifications.Outgoing(
                key=row.key, kind=row.kind, email=row.email, language="en", payload=row.payload
            )
        ]
    )
    assert Notification.objects.filter(key=row.key).count() == 1
