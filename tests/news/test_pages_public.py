"""The public news pages: what each role reads, drafts and scheduled items, filters, bad input."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from dialogos.core.models import AccessLevel
from dialogos.news.models import NewsItem

pytestmark = pytest.mark.django_db

LIST = "/en/news/"


def titles(response: Any) -> str:
    return response.content.decode()


def test_it_lists_published_items_latest_first(world: Any, make_item: Any) -> None:
    make_item(title={"en": "Older item"}, published_at=timezone.now() - datetime.timedelta(days=9))
    make_item(title={"en": "Newer item"})
    page = world.client_for(None).get(LIST).content.decode()
    assert page.index("Newer item") < page.index("Older item")


def test_drafts_and_scheduled_items_stay_hidden_from_everyone_but_the_workspace(
    world: Any, make_item: Any
) -> None:
    make_item(title={"en": "A draft"}, status=NewsItem.Status.DRAFT)
    make_item(
        title={"en": "Tomorrow's item"}, published_at=timezone.now() + datetime.timedelta(days=1)
    )
    for user in (None, world.bob, world.alice, world.olga):
        page = world.client_for(user).get(LIST).content.decode()
        assert "A draft" not in page
        assert "Tomorrow" not in page
    feed = world.client_for(None).get("/en/news/feed/").content.decode()
    assert "A draft" not in feed and "Tomorrow" not in feed


def test_a_scheduled_item_appears_once_its_time_has_come(world: Any, make_item: Any) -> None:
    item = make_item(published_at=timezone.now() + datetime.timedelta(hours=1))
    client = world.client_for(None)
    assert client.get(item.get_absolute_url()).status_code == 404
    NewsItem.objects.filter(pk=item.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.get(item.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("level", "allowed"),
    [
        (
            AccessLevel.PUBLIC,
            {"anonymous", "alice", "bob", "carol", "dan", "erin", "frank", "olga"},
        ),
        (AccessLevel.MEMBERS, {"alice", "bob", "carol", "dan", "olga"}),
        (AccessLevel.SECRETARIAT, {"alice", "olga"}),
    ],
)
def test_each_role_reads_exactly_what_it_may(
    world: Any, make_item: Any, level: str, allowed: set[str]
) -> None:
    item = make_item(title={"en": "Level test item"}, access_level=level)
    for name in ("anonymous", "alice", "bob", "carol", "dan", "erin", "frank", "olga"):
        user = None if name == "anonymous" else getattr(world, name)
        client = world.client_for(user)
        detail = client.get(item.get_absolute_url())
        listed = "Level test item" in client.get(LIST).content.decode()
        api = client.get(f"/api/v1/news/{item.pk}")
        feed = "Level test item" in client.get("/en/news/prague-process/feed/").content.decode()
        expected = name in allowed
        assert (detail.status_code == 200) is expected, name
        assert listed is expected, name
        assert (api.status_code == 200) is expected, name
        assert feed is expected, name
        if not expected:
            assert detail.status_code == 404
            assert api.status_code == 404


def test_the_secretariat_previews_its_draft_and_others_get_404(world: Any, make_item: Any) -> None:
    item = make_item(status=NewsItem.Status.DRAFT, title={"en": "Unpublished words"})
    preview = world.client_for(world.alice).get(item.get_absolute_url())
    assert preview.status_code == 200
    assert "Preview of a draft" in preview.content.decode()
    assert "no-store" in preview["Cache-Control"]
    for user in (None, world.bob, world.erin):
        assert world.client_for(user).get(item.get_absolute_url()).status_code == 404


def test_the_text_is_markdown_and_scripts_never_reach_the_page(world: Any, make_item: Any) -> None:
    item = make_item(
        body={
            "en": "## Heading\n\n<script>alert('x')</script>\n\n[bad](javascript:alert(1)) "
            "<img src=x onerror=alert(1)>"
        }
    )
    page = world.client_for(None).get(item.get_absolute_url()).content.decode()
    assert "<h2>Heading</h2>" in page
    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert "onerror" not in page


def test_russian_readers_get_russian_text_with_english_fallback(world: Any, make_item: Any) -> None:
    item = make_item(title={"en": "English only title"}, body={"en": "Only English body"})
    both = make_item(title={"en": "Group met", "ru": "Группа собралась"})
    page = world.client_for(None).get(f"/ru/news/{both.pk}/{both.slug}/").content.decode()
    assert "Группа собралась" in page
    fallback = world.client_for(None).get(f"/ru/news/{item.pk}/{item.slug}/").content.decode()
    assert 'lang="en"' in fallback and "English only title" in fallback
    assert "Новости" in fallback


def test_a_wrong_slug_redirects_to_the_right_address(world: Any, make_item: Any) -> None:
    item = make_item()
    response = world.client_for(None).get(f"/en/news/{item.pk}/something-else/")
    assert response.status_code == 301
    assert response["Location"] == item.get_absolute_url()


def test_filters_by_dialogue_year_and_topic(world: Any, make_item: Any) -> None:
    from dialogos.news.models import Topic

    borders = Topic.objects.create(slug="borders", name={"en": "Borders"})
    make_item(title={"en": "Prague item"}, topics=[borders])
    make_item(title={"en": "Budapest item"}, dialogue=world.bp, actor=world.erin)
    make_item(
        title={"en": "Old item"},
        published_at=datetime.datetime(2019, 12, 2, 9, tzinfo=datetime.UTC),
    )
    client = world.client_for(None)
    page = client.get(LIST, {"dialogue": "budapest-process"}).content.decode()
    assert "Budapest item" in page and "Prague item" not in page
    page = client.get(LIST, {"year": "2019"}).content.decode()
    assert "Old item" in page and "Prague item" not in page
    page = client.get(LIST, {"topic": "borders"}).content.decode()
    assert "Prague item" in page and "Old item" not in page


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"page": "-1"},
        {"page": "x"},
        {"dialogue": "nope" * 40},
        {"topic": "'; drop table"},
    ],
)
def test_malformed_queries_never_fail(world: Any, make_item: Any, query: dict[str, str]) -> None:
    make_item()
    assert world.client_for(None).get(LIST, query).status_code == 200


@pytest.mark.parametrize(
    "path", ["/en/news/99999/x/", "/en/news/0/x/", "/en/news/images/1/huge.jpg"]
)
def test_bad_ids_are_404(world: Any, path: str) -> None:
    assert world.client_for(None).get(path).status_code == 404


def test_the_list_advertises_its_atom_feed(world: Any, make_item: Any) -> None:
    make_item()
    page = world.client_for(None).get(LIST, {"dialogue": "prague-process"}).content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in page
    assert reverse("news:dialogue_feed", kwargs={"slug": "prague-process"}) in page


def test_htmx_requests_get_only_the_results(world: Any, make_item: Any) -> None:
    make_item(title={"en": "Only results"})
    response = world.client_for(None).get(LIST, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="news-results"' in body and "<html" not in body


def _items(world: Any, count: int, start: int = 0) -> None:
    now = timezone.now()
    NewsItem.objects.bulk_create(
        NewsItem(
            dialogue=world.pp,
            title={"en": f"Bulk item {n}"},
            slug=f"bulk-item-{n}",
            status=NewsItem.Status.PUBLISHED,
            published_at=now - datetime.timedelta(minutes=n),
        )
        for n in range(start, start + count)
    )


def test_the_list_costs_the_same_queries_for_5_and_60_items(
    world: Any, django_assert_max_num_queries: Any
) -> None:
    """Cold (no entry in the cache) and warm, the count does not grow with the list."""
    client = world.client_for(world.bob)
    _items(world, 5)
    client.get(LIST)
    cache.clear()
    with django_assert_max_num_queries(12) as small:
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries) - 2) as warm:
        assert client.get(LIST).status_code == 200
    _items(world, 55, start=5)
    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(len(warm.captured_queries)):
        assert client.get(LIST).status_code == 200
