"""The rendered list entries and texts kept in the cache: never shown to someone who may not
read the item, and never stale after a change through the services."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.cache import cache

from dialogos.core.models import AccessLevel
from dialogos.news import services
from tests.news.conftest import picture

LIST = "/en/news/"


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Any) -> None:
    settings.NEWS_FRAGMENT_CACHE_SECONDS = 600
    cache.clear()


@pytest.mark.parametrize("public_cache", [0, 300])
def test_a_members_entry_cached_for_a_member_never_reaches_a_visitor(
    world: Any, make_item: Any, settings: Any, public_cache: int
) -> None:
    settings.PUBLIC_CACHE_SECONDS = public_cache
    members = make_item(title={"en": "For members only"}, access_level=AccessLevel.MEMBERS)
    secret = make_item(title={"en": "Secretariat note"}, access_level=AccessLevel.SECRETARIAT)
    make_item(title={"en": "Open to all"})
    for user in (world.alice, world.bob):  # secretariat, then a member: entries now cached
        page = world.client_for(user).get(LIST).content.decode()
        assert "For members only" in page and "Open to all" in page
        world.client_for(user).get(members.get_absolute_url())
        world.client_for(user).get("/en/")
    assert "Secretariat note" in world.client_for(world.alice).get(LIST).content.decode()
    for user in (None, world.erin):  # a visitor, an account of no participating state
        client = world.client_for(user)
        for path in (LIST, "/en/", f"{LIST}?dialogue=prague-process", "/en/news/feed/"):
            page = client.get(path).content.decode()
            assert "Open to all" in page, path
            assert "For members only" not in page, path
            assert "Secretariat note" not in page, path
        assert client.get(members.get_absolute_url()).status_code == 404
        assert client.get(secret.get_absolute_url()).status_code == 404
    bob_page = world.client_for(world.bob).get(LIST).content.decode()
    assert "For members only" in bob_page and "Secretariat note" not in bob_page


def test_a_change_shows_at_once_in_the_list_and_the_item(world: Any, make_item: Any) -> None:
    item = make_item(title={"en": "First title"}, body={"en": "First *text*"})
    client = world.client_for(world.bob)
    assert "First title" in client.get(LIST).content.decode()
    assert "First <em>text</em>" in client.get(item.get_absolute_url()).content.decode()
    services.save_news_item(
        actor=world.alice, item=item, title={"en": "Second title"}, body={"en": "Second *text*"}
    )
    page = client.get(LIST).content.decode()
    assert "Second title" in page and "First title" not in page
    detail = client.get(item.get_absolute_url()).content.decode()
    assert "Second <em>text</em>" in detail and "First" not in detail
    feed = client.get("/en/news/feed/").content.decode()
    assert "Second &lt;em&gt;text&lt;/em&gt;" in feed


def test_an_item_made_members_only_leaves_the_visitors_list(world: Any, make_item: Any) -> None:
    item = make_item(title={"en": "Soon restricted"})
    visitor = world.client_for(None)
    assert "Soon restricted" in visitor.get(LIST).content.decode()
    services.save_news_item(actor=world.alice, item=item, access_level=AccessLevel.MEMBERS)
    assert "Soon restricted" not in visitor.get(LIST).content.decode()
    member_page = world.client_for(world.bob).get(LIST).content.decode()
    assert "Soon restricted" in member_page
    assert "Members" in member_page  # the entry now carries the access tag


def test_a_new_picture_and_a_renamed_dialogue_show_in_the_cached_entry(
    world: Any, make_item: Any
) -> None:
    item = make_item(title={"en": "With a picture later"}, dialogue=world.pp)
    client = world.client_for(None)
    page = client.get(LIST).content.decode()
    assert "news-list__image" not in page and "Prague Process" in page
    services.add_news_image(
        actor=world.alice, item=item, upload=io.BytesIO(picture()), alt={"en": "A group photo"}
    )
    assert "news-list__image" in client.get(LIST).content.decode()
    world.pp.short_name = {"en": "PP renamed"}
    world.pp.save(update_fields=["short_name"])
    assert "PP renamed" in client.get(LIST).content.decode()


def test_each_language_has_its_own_entry(world: Any, make_item: Any) -> None:
    make_item(title={"en": "English title", "ru": "Русский заголовок"})
    client = world.client_for(None)
    assert "English title" in client.get(LIST).content.decode()
    russian = client.get("/ru/news/").content.decode()
    assert "Русский заголовок" in russian and "English title" not in russian
    assert "English title" in client.get(LIST).content.decode()
