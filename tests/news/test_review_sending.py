"""The review: gathering, ordering, publishing, and sending through the idempotent outbox."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from dialogos.core.models import AccessLevel
from dialogos.news import services
from dialogos.news.models import Dispatch, NewsItem, ReviewEntry, ReviewIssue, Subscriber
from dialogos.news.services import sending

pytestmark = pytest.mark.django_db

TODAY = timezone.now().date()
START = TODAY - datetime.timedelta(days=60)


def subscribers(
    world: Any, n: int, language: str = "en", dialogues: list[Any] | None = None
) -> list[Subscriber]:
    rows = Subscriber.objects.bulk_create(
        Subscriber(email=f"{language}{i}@example.org", language=language, status="active")
        for i in range(n)
    )
    for row in rows:
        if dialogues:
            row.dialogues.set(dialogues)
    return rows


@pytest.fixture
def issue(world: Any, make_item: Any) -> ReviewIssue:
    make_item(
        title={"en": "Public news of the quarter"},
        published_at=timezone.now() - datetime.timedelta(days=10),
    )
    make_item(title={"en": "Members-only news"}, access_level=AccessLevel.MEMBERS)
    make_item(title={"en": "A draft"}, status=NewsItem.Status.DRAFT)
    make_item(title={"en": "Too old"}, published_at=timezone.now() - datetime.timedelta(days=400))
    return services.create_review_issue(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Quarterly Review", "ru": "Ежеквартальный обзор"},
        period_start=START,
        period_end=TODAY,
        introduction={"en": "Welcome to the **review**.", "ru": "Добро пожаловать."},
    )


def test_an_issue_gathers_only_public_published_news_of_its_period(issue: ReviewIssue) -> None:
    titles = [str(e.title) for e in issue.entries.all()]
    assert titles == ["Public news of the quarter"]


def test_gathering_again_keeps_edits_and_adds_only_what_is_new(
    world: Any, issue: ReviewIssue, make_item: Any
) -> None:
    entry = issue.entries.get()
    services.update_review_entry(
        actor=world.alice, entry=entry, title={"en": "Edited title"}, summary={"en": "Edited"}
    )
    make_item(title={"en": "Later news"})
    assert services.gather_review(actor=world.alice, issue=issue) == 1
    assert services.gather_review(actor=world.alice, issue=issue) == 0
    assert sorted(str(e.title) for e in issue.entries.all()) == ["Edited title", "Later news"]


def test_the_secretariat_reorders_entries_on_the_page(
    world: Any, issue: ReviewIssue, make_item: Any
) -> None:
    make_item(title={"en": "Second news"})
    services.gather_review(actor=world.alice, issue=issue)
    first, second = issue.entries.order_by("order")
    client = world.client_for(world.alice)
    url = f"/en/workspace/prague-process/news/review/{issue.pk}/entries/{second.pk}/up/"
    assert client.post(url).status_code == 302
    assert [e.pk for e in issue.entries.order_by("order", "pk")] == [second.pk, first.pk]
    removed = client.post(
        f"/en/workspace/prague-process/news/review/{issue.pk}/entries/{first.pk}/remove/"
    )
    assert removed.status_code == 302
    assert list(issue.entries.values_list("pk", flat=True)) == [second.pk]


def test_sending_reaches_each_subscriber_once_in_their_language(
    world: Any, issue: ReviewIssue, django_capture_on_commit_callbacks: Any
) -> None:
    subscribers(world, 3, "en")
    subscribers(world, 2, "ru", dialogues=[world.pp])
    subscribers(world, 2, "xx", dialogues=[world.bp])  # chose only another dialogue
    Subscriber.objects.create(email="gone@example.org", status="unsubscribed")
    Subscriber.objects.create(email="new@example.org", status="pending")
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.publish_review_issue(actor=world.alice, issue=issue)
    assert queued == 5
    assert len(mail.outbox) == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [f"en{i}@example.org" for i in range(3)] + [f"ru{i}@example.org" for i in range(2)]
    )
    russian = next(m for m in mail.outbox if m.to[0].startswith("ru"))
    assert russian.subject == "Ежеквартальный обзор"
    assert russian.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = russian.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.split("/", 3)[3].startswith("ru/news/unsubscribe/")
    assert link in russian.body
    html = russian.alternatives[0][0]
    assert link in html
    issue.refresh_from_db()
    assert issue.status == ReviewIssue.Status.PUBLISHED
    assert issue.sending == ReviewIssue.Sending.SENT
    assert Dispatch.objects.filter(status=Dispatch.Status.SENT).count() == 5
    # Sending again queues nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publish_review_issue(actor=world.alice, issue=issue) == 0
    assert len(mail.outbox) == 5


def test_the_one_click_link_in_the_mail_unsubscribes(
    world: Any, issue: ReviewIssue, django_capture_on_commit_callbacks: Any
) -> None:
    (subscriber,) = subscribers(world, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_review_issue(actor=world.alice, issue=issue)
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = "/" + link.split("/", 3)[3]
    assert world.client_for(None).post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_a_worker_that_died_halfway_resumes_without_duplicates_or_gaps(
    world: Any, issue: ReviewIssue
) -> None:
    subscribers(world, 30)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sending, "enqueue", lambda issue_id: None)
        services.publish_review_issue(actor=world.alice, issue=issue)
    assert sending.send_issue(issue.pk, batch_size=10, limit=12) == 12
    # The dead worker held a claim it never used: those rows are freed on resume.
    token = sending.claim(issue.pk, batch_size=5)
    assert token is not None
    assert Dispatch.objects.filter(status=Dispatch.Status.CLAIMED).count() == 5
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sending, "enqueue", lambda issue_id: sending.send_issue(issue_id))
        services.resume_sending(actor=world.alice, issue=issue)
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == 30
    assert len(set(recipients)) == 30
    assert Dispatch.objects.filter(status=Dispatch.Status.SENT).count() == 30


def test_each_message_is_marked_before_it_is_handed_over_and_marked_sent_after(
    world: Any, issue: ReviewIssue
) -> None:
    """What the mail server receives is already ``sending`` (committed), and the message
    handed over before it is ``sent``: a worker killed at any moment leaves at most one row in
    ``sending``, never one handed over that could be claimed again."""
    subscribers(world, 7)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sending, "enqueue", lambda issue_id: None)
        services.publish_review_issue(actor=world.alice, issue=issue)
    real_send = mail.EmailMultiAlternatives.send
    seen: list[tuple[str, list[str]]] = []

    def watching(self: Any, fail_silently: bool = False) -> int:
        pk = int(self.extra_headers["X-Dialogos-Dispatch"])
        states = dict(Dispatch.objects.values_list("pk", "status"))
        seen.append((states[pk], [p for p, s in states.items() if s == "sending"]))
        return real_send(self, fail_silently)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mail.EmailMultiAlternatives, "send", watching)
        assert sending.send_issue(issue.pk, batch_size=3) == 7
    assert [state for state, _others in seen] == ["sending"] * 7
    assert all(len(others) == 1 for _state, others in seen)  # only the one being handed over
    rows = Dispatch.objects.filter(issue=issue)
    assert {r.status for r in rows} == {"sent"} and all(r.sent_at for r in rows)
    assert {r.attempts for r in rows} == {1}


def test_failures_are_recorded_and_can_be_retried(
    world: Any, issue: ReviewIssue, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    import smtplib

    subscribers(world, 3)
    real_send = mail.EmailMultiAlternatives.send
    calls = {"n": 0}

    def flaky(self: Any, fail_silently: bool = False) -> int:
        calls["n"] += 1
        if self.to[0] == "en1@example.org":
            # A temporary refusal: a soft bounce, the address stays subscribed (a permanent one
            # stops it: tests/news/test_bounces.py).
            raise smtplib.SMTPRecipientsRefused({"en1@example.org": (452, b"mailbox busy")})
        return real_send(self, fail_silently)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mail.EmailMultiAlternatives, "send", flaky)
        with django_capture_on_commit_callbacks(execute=True):
            services.publish_review_issue(actor=world.alice, issue=issue)
    failed = Dispatch.objects.get(status=Dispatch.Status.FAILED)
    assert failed.email == "en1@example.org"
    assert "mailbox busy" in failed.last_error
    assert Subscriber.objects.get(email="en1@example.org").bounces == 1
    page = world.client_for(world.alice).get(
        f"/en/workspace/prague-process/news/review/{issue.pk}/"
    )
    assert "mailbox busy" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client_for(world.alice).post(
            f"/en/workspace/prague-process/news/review/{issue.pk}/retry/"
        )
    assert response.status_code == 302
    assert Dispatch.objects.filter(status=Dispatch.Status.SENT).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [f"en{i}@example.org" for i in range(3)]


def test_the_pace_follows_the_rate_setting(world: Any, issue: ReviewIssue, settings: Any) -> None:
    import time

    settings.NEWS_SEND_RATE = 20
    subscribers(world, 6)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sending, "enqueue", lambda issue_id: None)
        services.publish_review_issue(actor=world.alice, issue=issue)
    started = time.monotonic()
    assert sending.send_issue(issue.pk) == 6
    assert time.monotonic() - started >= 5 / 20 - 0.01


def test_the_archive_shows_published_issues_only(world: Any, issue: ReviewIssue) -> None:
    client = world.client_for(None)
    assert client.get(f"/en/news/review/{issue.pk}/").status_code == 404
    assert "Quarterly Review" not in client.get("/en/news/review/").content.decode()
    services.publish_review_issue(actor=world.alice, issue=issue, send=False)
    page = client.get(f"/en/news/review/{issue.pk}/").content.decode()
    assert "Public news of the quarter" in page and "<strong>review</strong>" in page
    assert "Quarterly Review" in client.get("/en/news/review/").content.decode()
    assert "Ежеквартальный обзор" in client.get(f"/ru/news/review/{issue.pk}/").content.decode()


def test_an_empty_issue_cannot_be_sent(world: Any) -> None:
    from django.core.exceptions import ValidationError

    empty = services.create_review_issue(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Empty"},
        period_start=datetime.date(2001, 1, 1),
        period_end=datetime.date(2001, 3, 31),
    )
    with pytest.raises(ValidationError):
        services.publish_review_issue(actor=world.alice, issue=empty)
    response = world.client_for(world.alice).post(
        f"/en/workspace/prague-process/news/review/{empty.pk}/send/", follow=True
    )
    assert response.status_code == 200
    assert "empty" in response.content.decode()
    assert not Dispatch.objects.exists()


def test_a_meeting_of_the_period_is_gathered(world: Any) -> None:
    from dialogos.meetings import services as meeting_services

    start = timezone.now() - datetime.timedelta(days=5)
    meeting_services.create_meeting(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Senior Officials' Meeting (example)"},
        start=start,
        end=start + datetime.timedelta(days=1),
        time_zone="Europe/Prague",
    )
    issue = services.create_review_issue(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Q"},
        period_start=START,
        period_end=TODAY,
    )
    entry = issue.entries.get()
    assert entry.section == ReviewEntry.Section.HELD
    assert "/meetings/" in sending.entry_path(entry)
