"""News in a real browser: the secretariat writes and publishes an item with a picture; a
visitor reads it, subscribes to the review and confirms by the link in the e-mail."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from dialogos.news.models import NewsImage, NewsItem, Subscriber
from tests.news.conftest import picture


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def test_a_news_item_from_the_workspace_to_a_confirmed_subscriber(
    world: Any, page: Any, sign_in: Any, tmp_path: Path
) -> None:
    photo = tmp_path / "ministerial.jpg"
    photo.write_bytes(picture("JPEG", (2000, 1300)))

    sign_in(world.alice)
    page.goto("/en/workspace/prague-process/news/")
    page.get_by_role("link", name="Write a news item").click()
    page.fill("input[name=title_en]", "Ministerial Conference in preparation")
    page.fill("input[name=title_ru]", "Подготовка министерской конференции")
    page.fill("textarea[name=lead_en]", "The Conference is being prepared.")
    page.fill("textarea[name=body_en]", "## Programme\n\nThe **programme** follows.")
    page.select_option("select[name=status]", "draft")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Saved as a draft." in page.locator("main").inner_text()

    page.set_input_files("input[name=image]", str(photo))
    page.fill("input[name=alt_en]", "Delegations at the conference table")
    page.fill("input[name=credit_en]", "Prague Process Ministerial 2022 group photo")
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state()
    assert "The picture was added." in page.locator("main").inner_text()
    assert NewsImage.objects.get().width == 1200

    page.get_by_role("link", name="Back to the item").click()
    page.select_option("select[name=status]", "published")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Saved and published." in page.locator("main").inner_text()
    item = NewsItem.objects.get()
    assert item.is_live()

    # A visitor, in a fresh browser context without a session.
    visitor = page.context.browser.new_context(base_url=page.url.split("/en/")[0])
    reader = visitor.new_page()
    reader.goto("/en/news/")
    reader.get_by_role("link", name="Ministerial Conference in preparation").click()
    reader.wait_for_load_state()
    assert reader.locator("h1").inner_text() == "Ministerial Conference in preparation"
    assert reader.locator("main h2", has_text="Programme").count() == 1
    image = reader.locator("figure img")
    assert image.get_attribute("alt") == "Delegations at the conference table"
    assert reader.evaluate("document.querySelector('figure img').complete")
    assert reader.evaluate("document.querySelector('figure img').naturalWidth") > 0
    assert reader.locator('link[rel=alternate][type="application/atom+xml"]').count() == 1

    reader.get_by_role("link", name="Subscribe to the review").click()
    reader.fill("input[name=email]", "reader@example.org")
    reader.select_option("select[name=language]", "ru")
    reader.check(f"input[name=dialogues][value='{world.pp.pk}']")
    reader.get_by_role("button", name="Subscribe").click()
    reader.wait_for_load_state()
    assert "Check your e-mail" in reader.locator("h1").inner_text()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING

    (message,) = mail.outbox
    link = re.search(r"https?://\S+/news/subscribe/confirm/\S+/", message.body)
    assert link
    path = "/" + link.group(0).split("/", 3)[3]
    reader.goto(path)
    assert "Вы подписаны" in reader.locator("h1").inner_text()
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.language == "ru"
    assert list(subscriber.dialogues.all()) == [world.pp]

    reader.goto(path[:-3] + "xx/")
    assert "Эта ссылка не работает" in reader.locator("h1").inner_text()
    visitor.close()
