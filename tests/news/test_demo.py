"""The demo news: the seed's four dated items, idempotent, marked where not from a source."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from dialogos.news.models import NewsImage, NewsItem, ReviewIssue

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_seed_items_and_a_second_run_changes_nothing() -> None:
    call_command("demo", stdout=StringIO())
    before = (NewsItem.objects.count(), NewsImage.objects.count(), ReviewIssue.objects.count())
    call_command("demo", stdout=StringIO())
    assert (
        NewsItem.objects.count(),
        NewsImage.objects.count(),
        ReviewIssue.objects.count(),
    ) == before
    dates = sorted(i.published_at.date() for i in NewsItem.objects.all())  # type: ignore[union-attr]
    assert dates == [
        datetime.date(2019, 12, 2),
        datetime.date(2020, 6, 4),
        datetime.date(2021, 11, 4),
        datetime.date(2025, 8, 14),
    ]
    covid = NewsItem.objects.get(published_at__date=datetime.date(2020, 6, 4))
    assert "Tautvydas Tamulevičius" in covid.body["en"]
    assert covid.dialogue is not None and covid.dialogue.slug == "prague-process"
    for item in NewsItem.objects.all():
        assert "example data" in item.body["ru"]  # Russian made for the demo, and it says so
    photo = NewsImage.objects.get()
    assert "example data" in photo.alt["en"]


def test_the_demo_pages_answer(world: Any) -> None:
    call_command("demo", stdout=StringIO())
    client = world.client_for(None)
    for item in NewsItem.objects.all():
        assert client.get(item.get_absolute_url()).status_code == 200
    assert client.get("/ru/news/").status_code == 200
    issue = ReviewIssue.objects.get()
    assert "example data" in client.get(f"/en/news/review/{issue.pk}/").content.decode()
