"""E-mails to focal points: on circulation, before deadlines (idempotent), on a broken silence
and on adoption; sent once, through the worker's task; the command runs the deadlines."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from dialogos.core.models import Country
from dialogos.texts import notifications, services
from dialogos.texts.models import Circulation, OutcomeText, TextNotification
from tests.texts.conftest import Negotiation, soon


def test_circulation_mails_the_focal_points_once(
    world: Any, draft: Negotiation, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.circulate_version(
            actor=world.alice,
            version=draft.version,
            states=list(Country.objects.filter(code__in=["CZ", "LT"])),
            deadline=soon(),
            message={"en": "Please comment by Friday."},
        )
    assert len(mail.outbox) == 1  # Lithuania has no focal point in this world
    message = mail.outbox[0]
    assert message.to == ["bob@example.org"]
    assert "Please comment by Friday." in message.body
    assert f"/account/texts/{draft.text.pk}/" in message.body
    assert notifications.send_pending() == 0


def test_mail_goes_out_in_the_recipients_language(
    world: Any, draft: Negotiation, django_capture_on_commit_callbacks: Any
) -> None:
    world.bob.language = "ru"
    world.bob.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        services.circulate_version(
            actor=world.alice,
            version=draft.version,
            states=[Country.objects.get(code="CZ")],
            deadline=soon(),
        )
    assert "Выводы совещания" in mail.outbox[0].subject


def test_deadline_reminders_are_queued_once_for_states_that_have_not_answered(
    world: Any, circulated: Negotiation
) -> None:
    circ = circulated.circulation
    assert circ is not None
    assert notifications.queue_deadline_reminders() == 0  # a week away
    near = circ.deadline - datetime.timedelta(hours=12)
    assert notifications.queue_deadline_reminders(now=near) == 1
    assert notifications.queue_deadline_reminders(now=near) == 0
    services.save_comment(actor=world.bob, circulation=circ, country="CZ", body="Done", send=True)
    TextNotification.objects.filter(kind="deadline").delete()
    assert notifications.queue_deadline_reminders(now=near) == 0


def test_broken_silence_and_adoption_are_announced(world: Any, silence: Negotiation) -> None:
    services.object_to_silence(
        actor=world.bob, circulation=silence.circulation, country="CZ", reason="No."
    )
    assert TextNotification.objects.filter(kind="broken").count() == 1
    again = services.circulate_version(
        actor=world.alice,
        version=silence.version,
        states=[Country.objects.get(code="CZ")],
        deadline=soon(2),
        kind=Circulation.Kind.SILENCE,
    )
    assert services.conclude_silence_procedures(now=again.deadline) == 1
    assert TextNotification.objects.filter(kind="adopted").count() == 1
    sent = notifications.send_pending()
    assert sent == TextNotification.objects.filter(status="sent").count()
    assert any("Adopted" in m.subject for m in mail.outbox)


def test_a_failing_mail_server_leaves_the_row_for_later(
    world: Any, circulated: Negotiation, monkeypatch: Any
) -> None:
    assert TextNotification.objects.filter(status="pending").count() == 1

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    assert notifications.send_pending() == 0
    row = TextNotification.objects.get()
    assert row.status == "pending" and row.attempts == 1 and "refused" in row.last_error


def test_the_command_concludes_due_procedures(world: Any, silence: Negotiation) -> None:
    Circulation.objects.filter(pk=silence.circulation.pk).update(  # type: ignore[union-attr]
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    out = StringIO()
    call_command("texts_deadlines", stdout=out)
    assert "Adopted by silence: 1" in out.getvalue()
    assert OutcomeText.objects.get(pk=silence.text.pk).status == "adopted"
    out = StringIO()
    call_command("texts_deadlines", stdout=out)
    assert "Adopted by silence: 0" in out.getvalue()
