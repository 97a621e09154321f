"""The main journeys of issue 2, in a real browser (Chromium driven by Playwright)."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail

from dialogos.dialogues.models import Office


def test_a_visitor_browses_a_dialogue_in_english_and_russian(world: Any, page: Any) -> None:
    from dialogos.dialogues.models import Grouping, GroupingMembership

    eu = Grouping.objects.create(slug="eu", name={"en": "European Union", "ru": "Европейский союз"})
    for code in ("CZ", "LT"):
        GroupingMembership.objects.create(grouping=eu, country_id=code)
    world.pp.groupings.add(eu)

    page.goto("/en/")
    page.get_by_role("link", name="Prague Process").first.click()
    page.get_by_role("link", name="States").first.click()
    page.wait_for_url(re.compile("/en/dialogues/prague-process/states/"))
    # Waits for the heading (a count right after the click can read the page still loading).
    page.get_by_role("heading", name=re.compile("European Union")).first.wait_for()
    main = page.locator("main")
    assert "Czechia" in main.inner_text()
    assert "Lithuania" in main.inner_text()

    page.get_by_role("link", name="Русский").click()
    page.wait_for_url(re.compile("/ru/dialogues/prague-process/states/"))
    text = page.locator("main").inner_text()
    assert "Европейский союз" in text
    assert "Чехия" in text
    assert page.locator("html").get_attribute("lang") == "ru"

    page.goto("/ru/dialogues/prague-process/governance/")
    assert "Литва" in page.locator("main").inner_text()


def test_the_secretariat_records_a_new_chair_and_the_public_sees_it(
    world: Any, page: Any, sign_in: Any
) -> None:
    sign_in(world.alice)
    page.goto("/en/workspace/prague-process/offices/add/")
    page.select_option("select[name=kind]", "chair")
    page.select_option("select[name=country]", "CZ")
    page.fill("input[name=start]", "2024-01-01")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert Office.objects.filter(dialogue=world.pp, kind="chair", country_id="CZ").exists()

    # An overlapping second chair is refused with a message, nothing saved.
    page.goto("/en/workspace/prague-process/offices/add/")
    page.select_option("select[name=kind]", "chair")
    page.select_option("select[name=country]", "LT")
    page.fill("input[name=start]", "2025-01-01")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "already holds this office" in page.locator("main").inner_text()
    assert not Office.objects.filter(dialogue=world.pp, kind="chair", country_id="LT").exists()

    page.goto("/en/dialogues/prague-process/governance/")
    assert "Czechia" in page.locator("main").inner_text()


def test_an_invited_person_accepts_and_sees_the_role(world: Any, page: Any, sign_in: Any) -> None:
    sign_in(world.alice)
    page.goto("/en/workspace/prague-process/people/invite/")
    page.fill("input[name=email]", "new.delegate@example.org")
    page.fill("input[name=display_name]", "New Delegate")
    page.select_option("select[name=role]", "delegate")
    page.select_option("select[name=country]", "CZ")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[0].body)
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]

    page.context.clear_cookies()
    page.goto(path)
    page.fill("input[name=password1]", "a-long-new-password-1")
    page.fill("input[name=password2]", "a-long-new-password-1")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Delegate" in text
    assert "Prague Process" in text
