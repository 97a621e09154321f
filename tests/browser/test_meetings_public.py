"""A visitor finds a meeting through the list's filters and opens it."""

from __future__ import annotations

import json
from typing import Any

from dialogos.core.models import Country
from dialogos.meetings import services
from dialogos.meetings.models import Meeting
from tests.meetings.conftest import wall


def test_a_visitor_finds_a_meeting_by_its_filters_and_opens_it(world: Any, page: Any) -> None:
    cz = Country.objects.get(code="CZ")
    services.create_meeting(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Ministerial Conference in Prague", "ru": "Министерская конференция в Праге"},
        type=Meeting.Type.MINISTERIAL,
        level=Meeting.Level.MINISTERIAL,
        city={"en": "Prague", "ru": "Прага"},
        country=cz,
        start=wall(2031, 10, 24, 9),
        end=wall(2031, 10, 25, 18),
        time_zone="Europe/Prague",
    )
    services.create_meeting(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Workshop on returns"},
        type=Meeting.Type.WORKSHOP,
        start=wall(2031, 11, 3, 9),
        end=wall(2031, 11, 3, 17),
        time_zone="Europe/Vienna",
    )

    page.goto("/en/meetings/")
    page.select_option("#filter-type", "ministerial_conference")
    page.select_option("#filter-country", "CZ")
    page.get_by_role("button", name="Show meetings").click()
    page.wait_for_url("**/en/meetings/?*type=ministerial_conference*")

    results = page.locator("#meeting-results")
    results.get_by_text("1 meeting", exact=True).wait_for()
    assert "Workshop on returns" not in results.inner_text()
    results.get_by_role("link", name="Ministerial Conference in Prague").click()

    page.get_by_role("heading", level=1, name="Ministerial Conference in Prague").wait_for()
    assert "24–25 October 2031" in page.locator(".meeting-when").inner_text()
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert page.get_by_role("link", name="Add to your calendar (.ics)").is_visible()
