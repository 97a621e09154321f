"""A text from draft to adoption in a real browser: the secretariat circulates, the focal point
proposes an amendment, the secretariat issues the next version with it, and a silence
procedure adopts it."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from dialogos.texts.models import Circulation, Comment, OutcomeText


def test_a_text_from_draft_to_adoption_by_silence(world: Any, page: Any, sign_in: Any) -> None:
    deadline = (timezone.now() + datetime.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")

    # The secretariat writes a draft and circulates it to Czechia.
    sign_in(world.alice)
    page.goto("/en/workspace/prague-process/texts/")
    page.get_by_role("link", name="Start a new text").click()
    page.fill("input[name=title_en]", "Joint statement on return")
    page.fill("input[name=title_ru]", "Совместное заявление о возвращении")
    page.select_option("select[name=kind]", "joint_statement")
    page.get_by_role("button", name="Create the text").click()
    for words in ("States cooperate on return.", "They meet once a year."):
        page.fill("textarea[name=new-content_en]", words)
        page.get_by_role("button", name="Add the paragraph").click()
        page.wait_for_load_state()
    assert page.locator("ol.text-paragraphs li").count() == 2
    page.get_by_role("link", name="Circulate this version").click()
    page.check("input[name=states][value=CZ]")
    page.fill("input[name=deadline]", deadline)
    page.get_by_role("button", name="Circulate", exact=True).click()
    page.wait_for_load_state()
    assert "focal points are told" in page.locator(".messages, main").first.inner_text()
    text = OutcomeText.objects.get()
    assert text.status == "negotiation"

    # The focal point of Czechia proposes an amendment to paragraph 2 and sends it.
    page.context.clear_cookies()
    sign_in(world.bob)
    page.goto(f"/en/account/texts/{text.pk}/")
    page.get_by_text("Comment or amend paragraph 2").click()
    form = page.locator("#p" + str(text.versions.get().paragraphs.get(label="2").pk))
    form.locator("select[name=kind]").select_option("amendment")
    form.locator("textarea[name=proposed_text]").fill("They meet twice a year.")
    form.locator("textarea[name=body]").fill("Once is not enough.")
    form.get_by_role("button", name="Send now").click()
    page.wait_for_load_state()
    comment = Comment.objects.get()
    assert comment.status == "sent" and comment.sent_by == world.bob

    # The secretariat sees it side by side and issues version 2 with it.
    page.context.clear_cookies()
    sign_in(world.alice)
    circulation = Circulation.objects.get()
    page.goto(f"/en/workspace/prague-process/texts/{text.pk}/circulations/{circulation.pk}/")
    assert "Czechia" in page.locator("main").inner_text()
    assert page.locator("ins", has_text="twice").count() == 1
    page.check(f"input[name=apply][value='{comment.pk}']")
    page.get_by_role("button", name="Issue the next version with the amendments ticked").click()
    page.wait_for_load_state()
    assert "They meet twice a year." in page.locator("ol.text-paragraphs").inner_text()

    # … and puts it under a silence procedure.
    page.get_by_role("link", name="Circulate this version").click()
    page.check("input[name=kind][value=silence]")
    page.check("input[name=states][value=CZ]")
    page.fill("input[name=deadline]", deadline)
    page.get_by_role("button", name="Circulate", exact=True).click()
    page.wait_for_load_state()
    text.refresh_from_db()
    assert text.status == "silence"

    # Nobody objects; once the deadline has passed the public page shows the adopted text.
    Circulation.objects.filter(kind="silence").update(
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    page.context.clear_cookies()
    page.goto(f"/en/texts/{text.pk}/")
    body = page.locator("main").inner_text()
    assert "Joint statement on return" in body
    assert "They meet twice a year." in body
    assert "By silence procedure" in body
    text.refresh_from_db()
    assert text.status == "adopted" and text.adopted_version is not None
    assert text.adopted_version.number == 2
