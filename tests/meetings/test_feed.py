"""The Atom feed of meetings: the public's view with the list's filters, in the page's language."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client

from dialogos.core.models import AccessLevel

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response: Any) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 — our own response
    return [e.findtext(f"{ATOM}title") or "" for e in root.iter(f"{ATOM}entry")]


def test_the_feed_shows_only_public_meetings_whoever_asks(world: Any, make_meeting: Any) -> None:
    make_meeting(title={"en": "Open workshop", "ru": "Открытый семинар"})
    make_meeting(title={"en": "Members' meeting"}, access_level=AccessLevel.MEMBERS)
    make_meeting(title={"en": "Secretariat retreat"}, access_level=AccessLevel.SECRETARIAT)
    for client in (Client(), world.client_for(world.alice), world.client_for(world.olga)):
        titles = entries(client.get("/en/meetings/feed.atom"))
        assert len(titles) == 1
        assert titles[0].startswith("Open workshop — ")


def test_the_feed_speaks_the_language_and_keeps_the_filters(world: Any, make_meeting: Any) -> None:
    from dialogos.meetings.models import Meeting

    make_meeting(title={"en": "Workshop", "ru": "Семинар"}, type=Meeting.Type.WORKSHOP)
    make_meeting(title={"en": "Training", "ru": "Тренинг"}, type=Meeting.Type.TRAINING)
    response = Client().get("/ru/meetings/feed.atom?type=workshop")
    titles = entries(response)
    assert [t.split(" — ")[0] for t in titles] == ["Семинар"]
    assert response["Content-Language"] == "ru"
    page = Client().get("/en/meetings/?type=workshop").content.decode()
    assert 'type="application/atom+xml"' in page
    assert "/en/meetings/feed.atom?" in page and "type=workshop" in page


def test_bad_filters_give_the_unfiltered_feed_not_an_error(world: Any, make_meeting: Any) -> None:
    make_meeting(title={"en": "Workshop"})
    titles = entries(Client().get("/en/meetings/feed.atom?year=abc&type=<script>&country=123"))
    assert len(titles) == 1
