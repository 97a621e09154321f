"""The meetings list with its rows and totals kept in the cache: a change shows at once, and
one reader's cached list never shows another what it may not see."""

from __future__ import annotations

from typing import Any

import pytest

from dialogos.meetings import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings: Any) -> None:
    settings.PUBLIC_CACHE_SECONDS = 300


def test_rows_and_totals_follow_changes_and_readers(world: Any, make_meeting: Any) -> None:
    public = make_meeting(title={"en": "Open workshop (example data)"})
    make_meeting(title={"en": "Members seminar (example data)"}, access_level="members")

    def page(user: Any, language: str = "en") -> str:
        # A cookie, so the whole-page cache is passed as for a signed-in browser.
        client = world.client_for(user)
        client.cookies["seen"] = "1"
        return client.get(f"/{language}/meetings/").content.decode()

    member = page(world.dan)
    assert "Members seminar" in member and "2 meetings" in member
    visitor = page(None)
    assert "Members seminar" not in visitor and "1 meeting<" in visitor
    assert "Open workshop (example data)" in visitor

    services.update_meeting(
        actor=world.alice, meeting=public, title={"en": "Renamed workshop (example data)"}
    )
    assert "Renamed workshop" in page(None)
    assert "Renamed workshop" in page(world.dan)
    assert "Open workshop" not in page(world.dan)
