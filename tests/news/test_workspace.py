"""The secretariat's news pages: who gets in, writing and scheduling, announcements, reviews,
subscribers."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from dialogos.core.models import AuditEntry
from dialogos.meetings.models import ScheduleAction, ScheduleDecision
from dialogos.news.models import NewsItem, ReviewIssue, Subscriber

pytestmark = pytest.mark.django_db

BASE = "/en/workspace/prague-process/news/"


def form(**extra: Any) -> dict[str, Any]:
    data = {
        "title_en": "Strategic Group meeting held",
        "title_ru": "Состоялось заседание Стратегической группы",
        "lead_en": "A lead.",
        "lead_ru": "",
        "body_en": "Some **text**.",
        "body_ru": "",
        "status": "draft",
        "published_at": "",
        "access_level": "public",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    "path",
    ["", "new/", "review/", "subscribers/"],
)
def test_only_the_dialogues_secretariat_gets_in(world: Any, path: str) -> None:
    for user in (None, world.bob, world.carol, world.dan, world.erin, world.frank):
        assert world.client_for(user).get(BASE + path).status_code == 404
    for user in (world.alice, world.olga):
        assert world.client_for(user).get(BASE + path).status_code == 200


def test_writing_saving_a_draft_then_publishing(world: Any) -> None:
    client = world.client_for(world.alice)
    response = client.post(BASE + "new/", form())
    item = NewsItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}{item.pk}/pictures/"
    assert item.status == NewsItem.Status.DRAFT and item.published_at is None
    assert item.slug == "strategic-group-meeting-held"
    assert AuditEntry.objects.filter(verb="news item written").exists()
    assert world.client_for(None).get(item.get_absolute_url()).status_code == 404
    client.post(f"{BASE}{item.pk}/", form(status="published"))
    item.refresh_from_db()
    assert item.is_live()
    assert world.client_for(None).get(item.get_absolute_url()).status_code == 200


def test_a_future_date_schedules_the_item(world: Any) -> None:
    client = world.client_for(world.alice)
    when = (timezone.now() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(BASE + "new/", form(status="published", published_at=when), follow=True)
    assert "will appear on" in response.content.decode()
    item = NewsItem.objects.get()
    assert item.is_scheduled()
    index = client.get(BASE).content.decode()
    assert "Scheduled" in index and item.get_absolute_url() in index
    assert world.client_for(None).get(item.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "bad",
    [
        {"title_en": "", "title_ru": ""},
        {"status": "archived"},
        {"access_level": "group"},
        {"published_at": "not a date"},
        {"title_en": "x" * 301},
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(
    world: Any, bad: dict[str, str]
) -> None:
    response = world.client_for(world.alice).post(BASE + "new/", form(**bad))
    assert response.status_code == 200
    assert "field--invalid" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_a_meeting_of_another_dialogue_cannot_be_linked(world: Any) -> None:
    from dialogos.meetings import services as meeting_services

    start = timezone.now() + datetime.timedelta(days=5)
    other = meeting_services.create_meeting(
        actor=world.erin,
        dialogue=world.bp,
        title={"en": "Budapest meeting"},
        start=start,
        end=start + datetime.timedelta(days=1),
        time_zone="Europe/Budapest",
    )
    response = world.client_for(world.alice).post(BASE + "new/", form(meetings=[other.pk]))
    assert response.status_code == 200
    assert not NewsItem.objects.exists()


def test_the_secretariat_of_another_dialogue_cannot_touch_an_item(
    world: Any, make_item: Any
) -> None:
    item = make_item()
    client = world.client_for(world.erin)
    assert client.post(f"{BASE}{item.pk}/", form(title_en="Hijacked")).status_code == 404
    assert client.post(f"{BASE}{item.pk}/delete/").status_code == 404
    assert client.post(f"/en/workspace/budapest-process/news/{item.pk}/", form()).status_code == 404
    item.refresh_from_db()
    assert str(item.title) == "Strategic Group met"


def test_deleting_an_item(world: Any, make_item: Any) -> None:
    item = make_item()
    client = world.client_for(world.alice)
    assert client.get(f"{BASE}{item.pk}/delete/").status_code == 200
    assert client.post(f"{BASE}{item.pk}/delete/").status_code == 302
    assert not NewsItem.objects.exists()


def decision(world: Any) -> ScheduleDecision:
    return ScheduleDecision.objects.create(
        dialogue=world.pp,
        action=ScheduleAction.RESCHEDULE,
        reason={"en": "COVID-19 outbreak (example data)"},
        announcement={
            "en": "Face-to-face activities are rescheduled (example data).",
            "ru": "Очные мероприятия переносятся (пример данных).",
        },
    )


def test_an_announcement_becomes_a_draft_news_item_once(world: Any) -> None:
    record = decision(world)
    client = world.client_for(world.alice)
    index = client.get(BASE).content.decode()
    assert "Face-to-face activities are rescheduled" in index
    url = f"{BASE}announcements/{record.pk}/"
    first = client.post(url)
    item = NewsItem.objects.get()
    assert first["Location"] == f"{BASE}{item.pk}/"
    assert item.status == NewsItem.Status.DRAFT
    assert item.schedule_decision == record
    assert item.body["ru"] == "Очные мероприятия переносятся (пример данных)."
    assert "Rescheduled" in item.title["en"]
    second = client.post(url)
    assert second["Location"] == first["Location"]
    assert NewsItem.objects.count() == 1
    assert "Face-to-face activities are rescheduled" not in client.get(BASE).content.decode()


def test_announcements_of_another_dialogue_are_not_reachable(world: Any) -> None:
    record = decision(world)
    for user in (world.erin, world.bob, None):
        assert world.client_for(user).post(f"{BASE}announcements/{record.pk}/").status_code == 404
    response = world.client_for(world.erin).post(
        f"/en/workspace/budapest-process/news/announcements/{record.pk}/"
    )
    assert response.status_code == 404
    assert not NewsItem.objects.exists()


def test_opening_editing_and_sending_an_issue_from_the_workspace(
    world: Any, make_item: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_item(title={"en": "News of the quarter"})
    Subscriber.objects.create(email="reader@example.org", status="active")
    client = world.client_for(world.alice)
    today = timezone.now().date()
    response = client.post(
        BASE + "review/",
        {
            "title_en": "Quarterly Review",
            "title_ru": "",
            "period_start": (today - datetime.timedelta(days=80)).isoformat(),
            "period_end": today.isoformat(),
            "introduction_en": "Hello",
            "introduction_ru": "",
        },
    )
    issue = ReviewIssue.objects.get()
    assert response["Location"] == f"{BASE}review/{issue.pk}/"
    page = client.get(f"{BASE}review/{issue.pk}/").content.decode()
    assert "News of the quarter" in page
    entry = issue.entries.get()
    client.post(
        f"{BASE}review/{issue.pk}/entries/{entry.pk}/",
        {"title_en": "Edited entry", "title_ru": "", "summary_en": "", "summary_ru": ""},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}review/{issue.pk}/send/")
    issue.refresh_from_db()
    assert issue.sending == ReviewIssue.Sending.SENT
    progress = client.get(f"{BASE}review/{issue.pk}/?part=progress", HTTP_HX_REQUEST="true")
    assert "1 of 1 e-mails sent" in progress.content.decode()


def test_an_issue_period_that_ends_before_it_starts_is_refused(world: Any) -> None:
    response = world.client_for(world.alice).post(
        BASE + "review/",
        {
            "title_en": "Bad",
            "title_ru": "",
            "period_start": "2024-05-01",
            "period_end": "2024-01-01",
            "introduction_en": "",
            "introduction_ru": "",
        },
    )
    assert response.status_code == 200
    assert not ReviewIssue.objects.exists()


def test_subscribers_page_shows_figures(world: Any) -> None:
    a = Subscriber.objects.create(email="a@example.org", status="active", language="ru")
    a.dialogues.set([world.pp])
    Subscriber.objects.create(email="b@example.org", status="active")
    c = Subscriber.objects.create(email="c@example.org", status="active")
    c.dialogues.set([world.bp])
    Subscriber.objects.create(email="d@example.org", status="unsubscribed")
    page = world.client_for(world.alice).get(BASE + "subscribers/").content.decode()
    assert "a@example.org" in page and "b@example.org" in page
    assert "c@example.org" not in page  # chose only the Budapest Process
    assert "RU: 1" in page and "EN: 1" in page


@pytest.mark.parametrize(
    "path", ["999/", "999/pictures/", "review/999/", "review/999/send/", "announcements/999/"]
)
def test_unknown_ids_are_404(world: Any, path: str) -> None:
    client = world.client_for(world.alice)
    assert client.get(BASE + path).status_code in (404, 405)
    assert client.post(BASE + path).status_code == 404


def test_the_workspace_list_costs_the_same_queries_at_two_sizes(
    world: Any, make_item: Any, django_assert_max_num_queries: Any
) -> None:
    client = world.client_for(world.alice)
    for n in range(3):
        make_item(title={"en": f"Item {n}"})
    client.get(BASE)
    with django_assert_max_num_queries(30) as small:
        client.get(BASE)
    for n in range(3, 30):
        make_item(title={"en": f"Item {n}"}, status=NewsItem.Status.DRAFT if n % 2 else "published")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(BASE)
