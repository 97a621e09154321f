"""Bounces: delivery status notifications (RFC 3464) read from a bounce mailbox, matched to
the review e-mails they answer, recorded once, and the addresses stopped."""

from __future__ import annotations

import mailbox
import smtplib
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from dialogos.news import services
from dialogos.news.models import Bounce, Dispatch, ReviewIssue, Subscriber
from dialogos.news.services import bounces, sending

pytestmark = pytest.mark.django_db

# A Postfix bounce: addressed to the VERP envelope sender, the original headers returned.
POSTFIX_HARD = """\
Return-Path: <>
Delivered-To: {verp}
Received: by mx.bounce-host.example (Postfix) id 4F2A1; Sat, 28 Nov 2026 10:00:02 +0000 (UTC)
Date: Sat, 28 Nov 2026 10:00:02 +0000 (UTC)
From: MAILER-DAEMON@mx.bounce-host.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: {verp}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="4F2A1.1764324002/mx.bounce-host.example"
Message-Id: <20261128100002.4F2A1@mx.bounce-host.example>

This is a MIME-encapsulated message.

--4F2A1.1764324002/mx.bounce-host.example
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.bounce-host.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{to}>: host mail.example.org[192.0.2.10] said: 550 5.1.1 <{to}>:
    Recipient address rejected: User unknown in virtual mailbox table

--4F2A1.1764324002/mx.bounce-host.example
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.bounce-host.example
X-Postfix-Queue-ID: 4F2A1
Arrival-Date: Sat, 28 Nov 2026 10:00:01 +0000 (UTC)

Final-Recipient: rfc822; {to}
Original-Recipient: rfc822;{to}
Action: failed
Status: 5.1.1
Remote-MTA: dns; mail.example.org
Diagnostic-Code: smtp; 550 5.1.1 <{to}>: Recipient address rejected: User
    unknown in virtual mailbox table

--4F2A1.1764324002/mx.bounce-host.example
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <{verp}>
From: Dialogos <news@dialogos.example>
To: {to}
Subject: Quarterly Review
Message-ID: {message_id}

--4F2A1.1764324002/mx.bounce-host.example--
"""

# An Exim-style soft bounce with the whole original message attached, sent to the plain
# bounce address (no VERP): only the Message-ID of the original names the outbox row.
EXIM_SOFT = """\
Return-path: <>
To: bounces@dialogos.example
From: Mail Delivery System <Mailer-Daemon@relay.example.net>
Subject: Mail delivery failed: returning message to sender
Message-Id: <E1soft-{n}@relay.example.net>
Date: Sat, 28 Nov 2026 11:0{n}:00 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="exim-b-{n}"

--exim-b-{n}
Content-Type: text/plain; charset=us-ascii

A message that you sent could not be delivered to all of its recipients.
The mailbox of {to} is full.

--exim-b-{n}
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example.net

Action: failed
Final-Recipient: rfc822;{to}
Status: 4.2.2
Remote-MTA: dns; mail.example.org
Diagnostic-Code: smtp; 452 4.2.2 Mailbox full

--exim-b-{n}
Content-Type: message/rfc822

Return-Path: <news@dialogos.example>
Message-ID: {message_id}
From: Dialogos <news@dialogos.example>
To: {to}
Subject: Quarterly Review
Content-Type: text/plain; charset=utf-8

The review.

--exim-b-{n}--
"""

DELAYED = """\
From: MAILER-DAEMON@relay.example.net
To: {verp}
Subject: Delayed Mail (still being retried)
Message-ID: <delay-1@relay.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="d1"

--d1
Content-Type: text/plain

Still trying.

--d1
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example.net

Final-Recipient: rfc822; {to}
Action: delayed
Status: 4.4.1
Will-Retry-Until: Tue, 1 Dec 2026 10:00:00 +0000

--d1--
"""

AUTO_REPLY = """\
From: someone@example.org
To: bounces@dialogos.example
Subject: Out of office
Message-ID: <ooo-1@example.org>

I am away until Monday.
"""


@pytest.fixture
def sent(world: Any, settings: Any, make_item: Any) -> dict[str, Any]:
    """An issue sent to three subscribers, with a VERP bounce address configured."""
    settings.NEWS_BOUNCE_ADDRESS = "bounces@dialogos.example"
    settings.DEFAULT_FROM_EMAIL = "Dialogos <news@dialogos.example>"
    make_item(title={"en": "News of the quarter"})
    for n in range(3):
        Subscriber.objects.create(email=f"reader{n}@example.org", status="active")
    issue = services.create_review_issue(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Quarterly Review"},
        period_start=_days_ago(60),
        period_end=_days_ago(0),
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sending, "enqueue", lambda issue_id: None)
        services.publish_review_issue(actor=world.alice, issue=issue)
    sending.send_issue(issue.pk)
    by_address = {m.to[0]: m for m in mail.outbox}
    return {"issue": issue, "mail": by_address}


def _days_ago(days: int) -> Any:
    import datetime

    from django.utils import timezone

    return timezone.now().date() - datetime.timedelta(days=days)


def fill(template: str, message: Any, n: int = 1) -> str:
    return template.format(
        to=message.to[0],
        verp=message.from_email,
        message_id=message.extra_headers["Message-ID"],
        n=n,
    )


def write_mbox(path: Path, texts: list[str]) -> Path:
    box = mailbox.mbox(str(path))
    for text in texts:
        box.add(mailbox.mboxMessage(text.encode()))
    box.flush()
    box.close()
    return path


def test_each_e_mail_names_its_outbox_row_in_a_signed_envelope_and_message_id(
    sent: dict[str, Any],
) -> None:
    message = sent["mail"]["reader0@example.org"]
    row = Dispatch.objects.get(email="reader0@example.org")
    assert (
        message.from_email
        == f"bounces+review-{row.pk}-{bounces._signature(row.pk)}@dialogos.example"
    )
    assert message.extra_headers["From"] == "Dialogos <news@dialogos.example>"
    assert message.extra_headers["Message-ID"].startswith(f"<review-{row.pk}-")
    assert bounces.dispatch_ids_in(message.from_email) == {row.pk}
    forged = message.from_email.replace(f"review-{row.pk}-", f"review-{row.pk + 1}-")
    assert bounces.dispatch_ids_in(forged) == set()


def test_a_hard_bounce_in_an_mbox_stops_the_address_once(
    sent: dict[str, Any], tmp_path: Path, capsys: Any
) -> None:
    message = sent["mail"]["reader0@example.org"]
    box = write_mbox(
        tmp_path / "bounces.mbox",
        [fill(POSTFIX_HARD, message), fill(DELAYED, message), AUTO_REPLY],
    )
    call_command("news_bounces", str(box))
    out = capsys.readouterr().out
    assert "3 messages read: 1 hard and 0 soft bounces recorded" in out
    assert "1 other notices" in out and "1 not delivery reports" in out
    assert "stopped after bounces: reader0@example.org" in out
    bounce = Bounce.objects.get()
    assert (bounce.kind, bounce.status) == ("hard", "5.1.1")
    assert "User unknown" in bounce.diagnostic
    assert bounce.dispatch == Dispatch.objects.get(email="reader0@example.org")
    subscriber = Subscriber.objects.get(email="reader0@example.org")
    assert subscriber.status == Subscriber.Status.BOUNCED and subscriber.bounces == 1
    assert Subscriber.objects.filter(status="active").count() == 2
    # Reading the same mailbox again records nothing twice.
    call_command("news_bounces", str(box))
    assert "0 hard and 0 soft bounces recorded, 1 already recorded" in capsys.readouterr().out
    assert Bounce.objects.count() == 1
    assert Subscriber.objects.get(email="reader0@example.org").bounces == 1


def test_three_soft_bounces_in_a_maildir_stop_the_address(
    sent: dict[str, Any], tmp_path: Path
) -> None:
    message = sent["mail"]["reader1@example.org"]
    box = mailbox.Maildir(str(tmp_path / "Maildir"))
    for n in (1, 2):
        box.add(mailbox.MaildirMessage(fill(EXIM_SOFT, message, n).encode()))
    result = bounces.record_mailbox(tmp_path / "Maildir")
    assert (result.soft, result.hard, result.stopped) == (2, 0, [])
    assert Subscriber.objects.get(email="reader1@example.org").status == "active"
    box.add(mailbox.MaildirMessage(fill(EXIM_SOFT, message, 3).encode()))
    result = bounces.record_mailbox(tmp_path / "Maildir")
    assert (result.soft, result.already, result.stopped) == (1, 2, ["reader1@example.org"])
    subscriber = Subscriber.objects.get(email="reader1@example.org")
    assert subscriber.status == Subscriber.Status.BOUNCED and subscriber.bounces == 3
    assert set(Bounce.objects.values_list("status", flat=True)) == {"4.2.2"}


def test_a_notice_without_a_valid_mark_changes_nothing(
    sent: dict[str, Any], tmp_path: Path
) -> None:
    message = sent["mail"]["reader2@example.org"]
    forged = fill(POSTFIX_HARD, message)
    row = Dispatch.objects.get(email="reader2@example.org")
    good = bounces.token(row.pk)
    forged = forged.replace(good, f"review-{row.pk}-{'0' * 12}")
    path = tmp_path / "one.eml"
    path.write_text(forged)
    result = bounces.record_mailbox(path)
    assert (result.messages, result.unmatched, result.hard) == (1, 1, 0)
    assert not Bounce.objects.exists()
    assert Subscriber.objects.get(email="reader2@example.org").status == "active"


def test_a_stopped_address_gets_nothing_more(
    world: Any, sent: dict[str, Any], tmp_path: Path
) -> None:
    message = sent["mail"]["reader0@example.org"]
    path = tmp_path / "bounce.eml"
    path.write_text(fill(POSTFIX_HARD, message))
    bounces.record_mailbox(path)
    mail.outbox.clear()
    issue = services.create_review_issue(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Next Review"},
        period_start=_days_ago(60),
        period_end=_days_ago(0),
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sending, "enqueue", lambda issue_id: None)
        services.publish_review_issue(actor=world.alice, issue=issue)
    sending.send_issue(issue.pk)
    assert sorted(m.to[0] for m in mail.outbox) == ["reader1@example.org", "reader2@example.org"]


def test_an_address_stopped_after_queueing_is_not_sent_to(world: Any, make_item: Any) -> None:
    make_item(title={"en": "News of the quarter"})
    for n in range(3):
        Subscriber.objects.create(email=f"late{n}@example.org", status="active")
    issue = services.create_review_issue(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Quarterly Review"},
        period_start=_days_ago(60),
        period_end=_days_ago(0),
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sending, "enqueue", lambda issue_id: None)
        services.publish_review_issue(actor=world.alice, issue=issue)
    Subscriber.objects.filter(email="late1@example.org").update(status="unsubscribed")
    sending.send_issue(issue.pk)
    assert sorted(m.to[0] for m in mail.outbox) == ["late0@example.org", "late2@example.org"]
    row = Dispatch.objects.get(email="late1@example.org")
    assert row.status == Dispatch.Status.FAILED and "unsubscribed" in row.last_error
    issue.refresh_from_db()
    assert issue.sending == ReviewIssue.Sending.SENT
    # "Retry failed e-mails" does not queue it again either.
    assert services.retry_failed(actor=world.alice, issue=issue) == 0


def test_a_refusal_while_sending_is_a_bounce_hard_or_soft_by_its_code(
    world: Any, make_item: Any
) -> None:
    make_item(title={"en": "News of the quarter"})
    for address in ("gone@example.org", "full@example.org"):
        Subscriber.objects.create(email=address, status="active")
    issue = services.create_review_issue(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Quarterly Review"},
        period_start=_days_ago(60),
        period_end=_days_ago(0),
    )
    real_send = mail.EmailMultiAlternatives.send
    codes = {"gone@example.org": 550, "full@example.org": 452}

    def refusing(self: Any, fail_silently: bool = False) -> int:
        code = codes.get(self.to[0])
        if code:
            raise smtplib.SMTPRecipientsRefused({self.to[0]: (code, b"refused")})
        return real_send(self, fail_silently)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sending, "enqueue", lambda issue_id: None)
        patch.setattr(mail.EmailMultiAlternatives, "send", refusing)
        services.publish_review_issue(actor=world.alice, issue=issue)
        sending.send_issue(issue.pk)
    assert dict(Bounce.objects.values_list("subscriber__email", "kind")) == {
        "gone@example.org": "hard",
        "full@example.org": "soft",
    }
    assert Subscriber.objects.get(email="gone@example.org").status == "bounced"
    assert Subscriber.objects.get(email="full@example.org").status == "active"


def test_the_workspace_shows_the_bounces_of_an_issue(
    world: Any, sent: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "bounce.eml"
    path.write_text(fill(POSTFIX_HARD, sent["mail"]["reader0@example.org"]))
    bounces.record_mailbox(path)
    url = f"/en/workspace/prague-process/news/review/{sent['issue'].pk}/"
    page = world.client_for(world.alice).get(url).content.decode()
    assert "reader0@example.org" in page and "5.1.1" in page
    assert "Permanent (hard): 1" in page and "Stopped after bounces" in page
    russian = world.client_for(world.alice).get(url.replace("/en/", "/ru/")).content.decode()
    assert "Возвраты" in russian
    assert world.client_for(world.bob).get(url).status_code == 404


def test_a_missing_or_unreadable_mailbox_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("news_bounces", str(tmp_path / "nothing"))


def test_the_operator_reads_bounces_in_the_admin_and_cannot_change_them(
    world: Any, sent: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "bounce.eml"
    path.write_text(fill(POSTFIX_HARD, sent["mail"]["reader0@example.org"]))
    bounces.record_mailbox(path)
    client = world.client_for(world.olga)
    page = client.get("/admin/news/bounce/").content.decode()
    assert "5.1.1" in page
    assert client.get("/admin/news/bounce/add/").status_code == 403
