"""Search in a real browser: type a query, narrow by a facet, open a result; what a delegate
finds and a visitor does not."""

from __future__ import annotations

import re
from typing import Any

from dialogos.core.models import AccessLevel


def test_a_delegate_searches_narrows_by_country_and_opens_a_meeting(
    world: Any, make_search_meeting: Any, page: Any, sign_in: Any, settings: Any
) -> None:
    settings.SEARCH_EMBEDDINGS = False
    make_search_meeting(
        "Labour mobility workshop", country="CZ", level=AccessLevel.PUBLIC, year=2023
    )
    target = make_search_meeting(
        "Labour migration expert meeting", country="LT", level=AccessLevel.MEMBERS, year=2024
    )
    make_search_meeting(
        "Labour internal review", country="LT", level=AccessLevel.SECRETARIAT, year=2024
    )

    page.goto("/en/")
    page.get_by_role("link", name="Search").first.click()
    page.fill("input[name=q]", "labour")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/en/search/\?q=labour"))
    assert page.locator("#search-count").inner_text() == "1 result"
    assert "Labour mobility workshop" in page.locator(".search-results").inner_text()

    sign_in(world.dan)
    page.goto("/en/search/?q=Lithuania+labour")
    assert page.locator("#search-count").inner_text() == "1 result"
    page.goto("/en/search/?q=labour")
    assert page.locator("#search-count").inner_text() == "2 results"
    results = page.locator(".search-results").inner_text()
    assert "Labour internal review" not in results
    page.locator(".search-facet a[data-facet=country][data-value=LT]").click()
    page.wait_for_url(re.compile(r"country=LT"))
    assert page.locator("#search-count").inner_text() == "1 result"
    assert page.locator(".search-results mark").first.inner_text() == "Labour"
    page.get_by_role("link", name="Labour migration expert meeting").click()
    page.wait_for_url(re.compile(rf"/en/meetings/{target.pk}/$"))
    assert "Labour migration expert meeting" in page.locator("h1").inner_text()


def test_a_visitor_searches_in_russian(
    world: Any, make_search_meeting: Any, page: Any, settings: Any
) -> None:
    settings.SEARCH_EMBEDDINGS = False
    make_search_meeting("Return policy", country="TR", level=AccessLevel.PUBLIC, year=2022)
    page.goto("/ru/search/?q=%D0%A2%D1%83%D1%80%D1%86%D0%B8%D1%8F")  # "Турция"
    assert page.locator("#search-count").inner_text() == "1 результат"
    assert page.locator("html").get_attribute("lang") == "ru"
    # Found by the country's Russian name, which neither the title nor the snippet holds: the
    # result names the country, the matched word highlighted.
    assert page.locator(".search-results__matched").inner_text() == "Страна: Турция"
    assert page.locator(".search-results__matched mark").inner_text() == "Турция"
    # The meeting has no Russian text: its English one is shown, and said to be English.
    assert page.locator(".search-results__language").inner_text() == "Английский текст:"
    assert page.locator(".search-results__snippet [lang=en]").inner_text().startswith("Labour")
    page.get_by_role("link", name="Return policy (RU)").click()
    page.wait_for_url(re.compile(r"/ru/meetings/\d+/$"))
