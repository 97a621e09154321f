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


def _left_uncertain(queued: list[Notification], monkeypatch: Any) -> Notification:
    original = EmailBackend.send_messages

    def dies(self: EmailBackend, messages: Any) -> int:
        raise Crash

    monkeypatch.setattr(EmailBackend, "send_messages", dies)
    with pytest.raises(Crash):
        notifications.send_pending(batch_size=1)
    monkeypatch.setattr(EmailBackend, "send_messages", original)
    row = Notification.objects.get(status=Notification.Status.SENDING)
    assert row.pk == queued[0].pk
    return row


def test_the_operator_resends_or_marks_sent_an_uncertain_email(
    world: Any, queued: list[Notification], monkeypatch: Any
) -> None:
    from django.core.exceptions import PermissionDenied

    from dialogos.core.models import AuditEntry

    row = _left_uncertain(queued, monkeypatch)
    # Only an operator decides; the secretariat may not.
    with pytest.raises(PermissionDenied):
        services.resolve_notifications(actor=world.alice, ids=[row.pk], resend=True)
    # Rows that are not uncertain are never touched: a pending one stays pending.
    assert services.resolve_notifications(actor=world.olga, ids=[queued[1].pk], resend=False) == 0
    assert Notification.objects.get(pk=queued[1].pk).status == Notification.Status.PENDING
    # Resend: back in the queue, and the worker (immediate in tests) sends it once.
    assert services.resolve_notifications(actor=world.olga, ids=[row.pk], resend=True) == 1
    assert Notification.objects.get(pk=row.pk).status == Notification.Status.PENDING
    assert AuditEntry.objects.filter(verb="send e-mail again").count() == 1
    assert notifications.send_pending() == 6
    assert Notification.objects.filter(status=Notification.Status.SENT).count() == 6
    # Resolving a sent row again does nothing: nothing is sent twice.
    assert services.resolve_notifications(actor=world.olga, ids=[row.pk], resend=True) == 0


def test_the_notifications_command_lists_and_marks(
    world: Any, queued: list[Notification], monkeypatch: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    row = _left_uncertain(queued, monkeypatch)
    out = StringIO()
    call_command("notifications", stdout=out)
    assert f"  {row.pk}  {row.email}" in out.getvalue()
    out = StringIO()
    call_command("notifications", "--mark-sent", str(row.pk), stdout=out)
    assert "1 e-mail(s) changed" in out.getvalue()
    stored = Notification.objects.get(pk=row.pk)
    assert stored.status == Notification.Status.SENT
    assert "marked sent by an operator" in stored.last_error
    assert len(mail.outbox) == 0


def test_the_admin_action_sends_again(
    world: Any, queued: list[Notification], monkeypatch: Any, client: Any
) -> None:
    from tests.conftest import PASSWORD

    row = _left_uncertain(queued, monkeypatch)
    client.login(username=world.olga.email, password=PASSWORD)
    response = client.post(
        "/admin/meetings/notification/",
        {"action": "send_again", "_selected_action": [row.pk, queued[1].pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 e-mails changed; 1 were neither uncertain nor failed." in response.content.decode()
    assert Notification.objects.get(pk=row.pk).status == Notification.Status.PENDING
