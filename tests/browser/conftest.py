"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(page: Any) -> Any:
    from tests.conftest import PASSWORD

    def _sign_in(user: Any, language: str = "en") -> None:
        page.goto(f"/{language}/account/sign-in/")
        page.fill("input[name=email], input[name=username]", user.email)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form.form button[type=submit], main form button[type=submit]").first.click()
        page.wait_for_load_state()

    return _sign_in


@pytest.fixture
def make_search_meeting(world: Any) -> Callable[..., Any]:
    """A meeting of the Prague Process with English and Russian titles, for the search and
    suggestion journeys (indexed at once: tasks run immediately in tests)."""
    from dialogos.meetings.models import Meeting

    def make(
        title: str,
        *,
        level: str,
        year: int,
        country: str = "CZ",
        objectives: str = "Labour migration and the rights of migrant workers.",
    ) -> Any:
        start = datetime.datetime(year, 6, 3, 9, tzinfo=datetime.UTC)
        return Meeting.objects.create(
            dialogue=world.pp,
            title={"en": title, "ru": f"{title} (RU)"},
            objectives={"en": objectives},
            access_level=level,
            start=start,
            end=start + datetime.timedelta(hours=6),
            country_id=country,
        )

    return make
