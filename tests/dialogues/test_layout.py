"""The site layout every page shares: landmarks, navigation, languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

PAGE = "/en/dialogues/prague-process/states/"
NAVIGATION = "dialogos.dialogues.context_processors.navigation"


@pytest.fixture
def workspace_navigation(settings: Any) -> None:
    """The layout's context processor, whether or not settings list it yet."""
    engine = settings.TEMPLATES[0]
    processors = engine["OPTIONS"]["context_processors"]
    if NAVIGATION not in processors:
        options = {**engine["OPTIONS"], "context_processors": [*processors, NAVIGATION]}
        settings.TEMPLATES = [{**engine, "OPTIONS": options}]


def test_it_is_accessible_by_structure(world: Any) -> None:
    page = world.client_for(None).get(PAGE).text

    assert '<html lang="en"' in page
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in page
    assert '<main id="main"' in page
    assert "<header" in page and "<footer" in page
    assert page.count("<h1") == 1


def test_it_keeps_htmx_and_gives_signed_in_people_its_csrf_header(world: Any) -> None:
    page = world.client_for(world.dan).get(PAGE).text

    assert 'hx-headers=\'{"X-CSRFToken": "' in page
    assert "htmx" in page and "<script" in page


def test_visitors_pages_carry_no_csrf_token_so_they_can_be_cached(world: Any) -> None:
    response = world.client_for(None).get(PAGE)

    assert "X-CSRFToken" not in response.text
    assert "htmx" in response.text
    assert not response.cookies


def test_the_brand_links_home_in_the_active_language(world: Any) -> None:
    page = world.client_for(None).get(PAGE.replace("/en/", "/ru/")).text

    assert '<a class="site-header__brand" href="/ru/">Dialogos</a>' in page


def test_the_language_switcher_links_to_the_same_page_in_the_other_language(world: Any) -> None:
    english = world.client_for(None).get(PAGE).text
    russian = world.client_for(None).get(PAGE.replace("/en/", "/ru/")).text

    assert (
        'href="/ru/dialogues/prague-process/states/" hreflang="ru" lang="ru">Русский</a>' in english
    )
    assert (
        'href="/en/dialogues/prague-process/states/" hreflang="en" lang="en">English</a>' in russian
    )


def test_a_visitor_is_offered_to_sign_in_and_come_back(world: Any) -> None:
    page = world.client_for(None).get(PAGE).text

    assert f'href="{reverse("people:login")}?next=/en/dialogues/prague-process/states/"' in page
    assert "Sign out" not in page


def test_a_signed_in_user_sees_account_and_a_sign_out_form(world: Any) -> None:
    page = world.client_for(world.bob).get(PAGE).text

    assert f'href="{reverse("people:account")}"' in page
    assert f'method="post" action="{reverse("people:logout")}"' in page
    assert ">Sign in<" not in page


@pytest.mark.usefixtures("workspace_navigation")
@pytest.mark.parametrize(
    ("who", "sees"),
    [
        (None, False),
        ("bob", False),
        ("frank", False),
        ("alice", True),
        ("erin", True),
        ("olga", True),
    ],
)
def test_workspace_is_offered_to_secretariats_and_operators(
    world: Any, who: str | None, sees: bool
) -> None:
    user = getattr(world, who) if who else None

    page = world.client_for(user).get(PAGE).text

    assert (f'href="{reverse("workspace:index")}"' in page) is sees
