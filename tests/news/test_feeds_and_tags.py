"""Atom feeds per dialogue and language; the template tags other pages use."""

from __future__ import annotations

import datetime
from typing import Any
from xml.etree import ElementTree

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from dialogos.core.models import AccessLevel
from dialogos.news.models import NewsItem

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response: Any) -> list[str]:
    root = ElementTree.fromstring(response.content)  # noqa: S314 — our own feed
    return [e.findtext(f"{ATOM}title") or "" for e in root.iter(f"{ATOM}entry")]


def test_the_dialogue_feed_is_atom_in_the_reader_language(world: Any, make_item: Any) -> None:
    make_item(title={"en": "Prague news", "ru": "Новости Праги"}, body={"en": "**Bold**"})
    make_item(title={"en": "Budapest news"}, dialogue=world.bp, actor=world.erin)
    response = world.client_for(None).get("/en/news/prague-process/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert entries(response) == ["Prague news"]
    assert "&lt;strong&gt;Bold&lt;/strong&gt;" in response.content.decode()
    russian = world.client_for(None).get("/ru/news/prague-process/feed/")
    assert entries(russian) == ["Новости Праги"]
    assert 'xml:lang="ru"' in russian.content.decode()
    assert sorted(entries(world.client_for(None).get("/en/news/feed/"))) == [
        "Budapest news",
        "Prague news",
    ]


def test_a_feed_holds_only_what_its_reader_may_see(world: Any, make_item: Any) -> None:
    make_item(title={"en": "Members only"}, access_level=AccessLevel.MEMBERS)
    make_item(title={"en": "Not yet"}, published_at=timezone.now() + datetime.timedelta(days=1))
    assert entries(world.client_for(None).get("/en/news/feed/")) == []
    assert entries(world.client_for(world.bob).get("/en/news/feed/")) == ["Members only"]


def test_an_unknown_dialogue_feed_is_404(world: Any) -> None:
    assert world.client_for(None).get("/en/news/nope/feed/").status_code == 404


def render(template: str, user: Any, **context: Any) -> str:
    request = RequestFactory().get("/en/")
    request.user = user
    return Template("{% load news_tags %}" + template).render(
        Context({"request": request, **context})
    )


def test_latest_news_shows_the_latest_visible_items(
    world: Any, make_item: Any, django_assert_max_num_queries: Any
) -> None:
    from django.contrib.auth.models import AnonymousUser

    for n in range(5):
        make_item(
            title={"en": f"Item {n}"}, published_at=timezone.now() - datetime.timedelta(days=n)
        )
    make_item(title={"en": "Hidden"}, access_level=AccessLevel.SECRETARIAT)
    make_item(title={"en": "Draft"}, status=NewsItem.Status.DRAFT)
    with django_assert_max_num_queries(3):  # the rows, then the entries not yet in the cache
        html = render("{% latest_news dialogue=pp limit=3 %}", AnonymousUser(), pp=world.pp)
    with django_assert_max_num_queries(1):  # the rows; every entry comes from the cache
        assert render("{% latest_news dialogue=pp limit=3 %}", AnonymousUser(), pp=world.pp) == html
    assert "Item 0" in html and "Item 2" in html and "Item 3" not in html
    assert "Hidden" not in html and "Draft" not in html
    assert "?dialogue=prague-process" in html
    html = render("{% latest_news limit='x' %}", world.alice)
    assert "Hidden" in html


def test_the_feed_link_tag(world: Any) -> None:
    html = render("{% news_feed_link pp %}", None, pp=world.pp)
    assert html.startswith('<link rel="alternate" type="application/atom+xml"')
    assert 'href="/en/news/prague-process/feed/"' in html
    assert 'href="/en/news/feed/"' in render("{% news_feed_link %}", None)
