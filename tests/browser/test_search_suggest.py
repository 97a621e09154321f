"""Suggestions in a real browser: typing into the search box opens a listbox of entries the
reader may see; the keyboard chooses one and Enter opens it; Escape closes the list; without a
choice Enter still submits the search."""

from __future__ import annotations

import os
import re
from typing import Any

from dialogos.core.models import AccessLevel

SHOTS = os.environ.get("SUGGEST_SCREENSHOTS", "")


def test_a_delegate_types_chooses_a_suggestion_with_the_keyboard_and_lands_on_it(
    world: Any, make_search_meeting: Any, page: Any, sign_in: Any, settings: Any
) -> None:
    settings.SEARCH_EMBEDDINGS = False
    make_search_meeting(
        "Labour mobility workshop",
        level=AccessLevel.PUBLIC,
        year=2023,
        objectives="Workers and their rights.",
    )
    target = make_search_meeting(
        "Labour migration expert meeting",
        level=AccessLevel.MEMBERS,
        year=2024,
        objectives="Workers and their rights.",
    )
    make_search_meeting(
        "Labour migration internal review",
        level=AccessLevel.SECRETARIAT,
        year=2025,
        objectives="Workers and their rights.",
    )

    sign_in(world.dan)
    page.goto("/en/search/")
    box = page.get_by_role("combobox", name="Search for")
    assert box.get_attribute("aria-expanded") == "false"
    box.press_sequentially("labour mig", delay=40)
    listbox = page.get_by_role("listbox", name="Suggestions")
    listbox.wait_for(state="visible")
    assert box.get_attribute("aria-expanded") == "true"
    options = listbox.get_by_role("option")
    assert options.count() == 1  # the secretariat's meeting is not suggested to a delegate
    assert options.first.inner_text().startswith("Labour migration expert meeting")
    assert listbox.locator("mark").first.inner_text() == "Labour"
    live = page.locator("[data-suggest-live]")
    assert live.inner_text().startswith("1 suggestion")

    box.press("ArrowDown")
    option_id = options.first.get_attribute("id")
    assert box.get_attribute("aria-activedescendant") == option_id
    assert options.first.get_attribute("aria-selected") == "true"
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "suggest-en-wide.png"))
    box.press("Enter")
    page.wait_for_url(re.compile(rf"/en/meetings/{target.pk}/$"))
    assert "Labour migration expert meeting" in page.locator("h1").inner_text()


def test_escape_closes_the_list_and_enter_without_a_choice_searches(
    world: Any, make_search_meeting: Any, page: Any, settings: Any
) -> None:
    settings.SEARCH_EMBEDDINGS = False
    make_search_meeting(
        "Labour mobility workshop",
        level=AccessLevel.PUBLIC,
        year=2023,
        objectives="Workers and their rights.",
    )
    make_search_meeting(
        "Labour market forum",
        level=AccessLevel.PUBLIC,
        year=2024,
        objectives="Workers and their rights.",
    )
    make_search_meeting(
        "Labour migration expert meeting",
        level=AccessLevel.MEMBERS,
        year=2024,
        objectives="Workers and their rights.",
    )

    page.goto("/en/search/")
    box = page.get_by_role("combobox", name="Search for")
    box.press_sequentially("labo", delay=40)
    listbox = page.get_by_role("listbox", name="Suggestions")
    listbox.wait_for(state="visible")
    options = listbox.get_by_role("option")
    assert options.count() == 2  # a visitor: the members' meeting is not suggested
    box.press("ArrowUp")  # up wraps to the last
    assert options.nth(1).get_attribute("aria-selected") == "true"
    box.press("ArrowDown")  # and down back to the first
    assert options.nth(0).get_attribute("aria-selected") == "true"
    box.press("Escape")
    listbox.wait_for(state="hidden")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None
    assert box.input_value() == "labo"
    box.press("Enter")
    page.wait_for_url(re.compile(r"/en/search/\?q=labo$"))
    assert page.locator("#search-count").inner_text() == "2 results"


def test_a_visitor_picks_a_russian_suggestion_with_the_mouse(
    world: Any, make_search_meeting: Any, page: Any, settings: Any
) -> None:
    settings.SEARCH_EMBEDDINGS = False
    target = make_search_meeting(
        "Return policy", level=AccessLevel.PUBLIC, year=2022, objectives="Workers and their rights."
    )
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/ru/search/")
    box = page.get_by_role("combobox", name="Искать")
    box.press_sequentially("retu", delay=40)
    listbox = page.get_by_role("listbox", name="Подсказки")
    listbox.wait_for(state="visible")
    assert page.locator("[data-suggest-live]").inner_text().startswith("1 подсказка")
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "suggest-ru-narrow.png"))
    listbox.get_by_role("option").first.click()
    page.wait_for_url(re.compile(rf"/ru/meetings/{target.pk}/$"))


def test_without_javascript_the_form_still_submits(
    world: Any, make_search_meeting: Any, chromium: Any, live_server: Any, settings: Any
) -> None:
    settings.SEARCH_EMBEDDINGS = False
    make_search_meeting(
        "Labour mobility workshop",
        level=AccessLevel.PUBLIC,
        year=2023,
        objectives="Workers and their rights.",
    )
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/en/search/")
        box = page.locator("#search-q")
        assert box.get_attribute("role") is None  # a plain search field
        box.fill("labour")
        box.press("Enter")
        page.wait_for_url(re.compile(r"/en/search/\?q=labour$"))
        assert page.locator("#search-count").inner_text() == "1 result"
        assert page.locator("#search-q-listbox").is_hidden()
    finally:
        context.close()
