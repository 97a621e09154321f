"""The news of the whole platform (items of no dialogue): the same workspace pages as a
dialogue's, for the platform's operators only."""

from __future__ import annotations

import io
from typing import Any

import pytest

from dialogos.core.models import AuditEntry
from dialogos.news.models import NewsImage, NewsItem
from tests.news.conftest import picture
from tests.news.test_workspace import form

pytestmark = pytest.mark.django_db

BASE = "/en/workspace/news/platform/"


@pytest.mark.parametrize("path", ["", "new/"])
def test_only_the_platforms_operators_get_in(world: Any, path: str) -> None:
    # alice runs the Prague Process, erin the Budapest Process: neither runs the platform.
    for user in (None, world.alice, world.bob, world.carol, world.dan, world.erin, world.frank):
        assert world.client_for(user).get(BASE + path).status_code == 404
    assert world.client_for(world.olga).get(BASE + path).status_code == 200


def test_the_platform_pages_live_under_the_news_mount_only(world: Any) -> None:
    client = world.client_for(world.olga)
    assert client.get("/en/workspace/prague-process/platform/").status_code == 404
    assert client.get("/en/workspace/news/platform/").status_code == 200


def test_an_operator_writes_publishes_and_illustrates_a_platform_item(world: Any) -> None:
    client = world.client_for(world.olga)
    page = client.get(BASE + "new/").content.decode()
    assert 'name="meetings"' not in page  # a platform item links nothing of a dialogue
    response = client.post(BASE + "new/", form(title_en="Dialogos opens its news"))
    item = NewsItem.objects.get()
    assert item.dialogue is None and item.status == NewsItem.Status.DRAFT
    assert response["Location"] == f"{BASE}{item.pk}/pictures/"
    assert AuditEntry.objects.filter(verb="news item written").exists()
    assert "Dialogos opens its news" in client.get(BASE).content.decode()
    assert world.client_for(None).get(item.get_absolute_url()).status_code == 404

    response = client.post(f"{BASE}{item.pk}/", form(title_en="Dialogos opens", status="published"))
    assert response["Location"] == BASE
    item.refresh_from_db()
    assert item.is_live()
    for path in ("/en/news/", "/en/"):
        assert "Dialogos opens" in world.client_for(None).get(path).content.decode()

    response = client.post(
        f"{BASE}{item.pk}/pictures/",
        {"image": _upload(), "alt_en": "The platform's logo", "alt_ru": "", "credit_en": ""},
    )
    assert response.status_code == 302
    image = NewsImage.objects.get()
    pictures = client.get(f"{BASE}{item.pk}/pictures/").content.decode()
    assert f"{BASE}{item.pk}/pictures/{image.pk}/" in pictures
    assert client.post(f"{BASE}{item.pk}/pictures/{image.pk}/delete/").status_code == 302
    assert not NewsImage.objects.exists()
    assert client.post(f"{BASE}{item.pk}/delete/").status_code == 302
    assert not NewsItem.objects.exists()


def test_bad_input_saves_nothing(world: Any) -> None:
    response = world.client_for(world.olga).post(BASE + "new/", form(title_en="", title_ru=""))
    assert response.status_code == 200
    assert "field--invalid" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_a_dialogues_item_is_not_reached_through_the_platform_pages_nor_back(
    world: Any, make_item: Any
) -> None:
    dialogue_item = make_item(title={"en": "Prague news"})
    platform_item = make_item(title={"en": "Platform news"}, dialogue=None, actor=world.olga)
    olga = world.client_for(world.olga)
    assert olga.get(f"{BASE}{dialogue_item.pk}/").status_code == 404
    assert olga.get(f"/en/workspace/prague-process/news/{platform_item.pk}/").status_code == 404
    index = olga.get(BASE).content.decode()
    assert "Platform news" in index and "Prague news" not in index
    alice = world.client_for(world.alice)
    assert alice.post(f"{BASE}{platform_item.pk}/", form(title_en="Hijacked")).status_code == 404
    assert alice.post(f"{BASE}{platform_item.pk}/delete/").status_code == 404
    platform_item.refresh_from_db()
    assert str(platform_item.title) == "Platform news"


def test_the_operator_finds_the_platform_news_from_a_dialogues_news(world: Any) -> None:
    assert (
        BASE
        in world.client_for(world.olga).get("/en/workspace/prague-process/news/").content.decode()
    )
    assert BASE not in (
        world.client_for(world.alice).get("/en/workspace/prague-process/news/").content.decode()
    )


def test_the_page_speaks_russian(world: Any) -> None:
    page = world.client_for(world.olga).get("/ru/workspace/news/platform/").content.decode()
    assert "Новости всей платформы" in page
    assert "Написать новость" in page


def _upload() -> Any:
    data = io.BytesIO(picture())
    data.name = "logo.jpg"
    return data
