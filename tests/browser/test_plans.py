"""A reporting cycle from end to end in a real browser: the secretariat opens it, Czechia's
focal point answers and submits, the secretariat accepts, and the public page moves."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from dialogos.plans import services
from dialogos.plans.models import PlanItem, ReportingCycle, StateReport


def test_a_cycle_from_opening_to_public_progress(world: Any, page: Any, sign_in: Any) -> None:
    alice = world.alice
    statuses = {s.code: s for s in services.ensure_default_statuses(actor=alice, dialogue=world.pp)}
    plan = services.save_plan(
        actor=alice,
        dialogue=world.pp,
        slug="action-plan",
        title={"en": "Action Plan 2023–2027"},
        period_start=2023,
        period_end=2027,
    )
    pillar = services.create_item(
        actor=alice, plan=plan, title={"en": "Dialogue"}, kind=PlanItem.Kind.PILLAR
    )
    first = services.create_item(
        actor=alice, plan=plan, parent=pillar, title={"en": "Joint training"}, leads=["CZ"]
    )
    services.create_item(
        actor=alice, plan=plan, parent=pillar, title={"en": "Study visit"}, leads=["CZ"], weight=3
    )
    services.save_indicator(actor=alice, item=first, name={"en": "Officials trained"}, unit="count")
    assert statuses["completed"].progress == 100

    # The secretariat prepares and opens a cycle for Czechia.
    sign_in(alice)
    page.goto(f"/en/workspace/prague-process/plans/{plan.pk}/")
    page.get_by_role("link", name="New reporting cycle").click()
    page.fill("input[name=title_en]", "Progress report 2026")
    page.fill("input[name=period_start]", "2026-01-01")
    page.fill("input[name=period_end]", "2026-12-31")
    deadline = (timezone.now() + datetime.timedelta(days=30)).date().isoformat()
    page.fill("input[name=deadline_date]", deadline)
    page.uncheck("input[name=all_states]")
    page.select_option("select[name=states]", ["CZ"])
    page.locator("select[name=items]").select_option(
        [str(i.pk) for i in PlanItem.objects.filter(plan=plan, depth=1)]
    )
    page.locator("select[name=indicators]").select_option(index=0)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Open the cycle").click()
    page.wait_for_load_state()
    assert "The cycle is open" in page.locator("main").inner_text()
    cycle = ReportingCycle.objects.get(title__en="Progress report 2026")
    assert cycle.status == ReportingCycle.Status.OPEN

    # Czechia's focal point answers and submits.
    page.context.clear_cookies()
    sign_in(world.bob)
    page.goto("/en/account/reports/")
    page.get_by_role("link", name="Progress report 2026").click()
    page.wait_for_load_state()
    selects = page.locator("main select")
    selects.nth(0).select_option(label="Completed (100%)")
    selects.nth(1).select_option(label="In progress (50%)")
    page.locator("main textarea").first.fill("Forty officials trained in Prague.")
    page.locator("main input[name^=value-]").fill("40")
    page.get_by_role("button", name="Submit to the secretariat").click()
    page.wait_for_load_state()
    assert "The report is submitted" in page.locator("main").inner_text()
    report = StateReport.objects.get(cycle=cycle, country_id="CZ")
    assert report.status == StateReport.Status.SUBMITTED

    # The secretariat reviews and accepts.
    page.context.clear_cookies()
    sign_in(alice)
    page.goto(f"/en/workspace/prague-process/plans/cycles/{cycle.pk}/")
    assert "1 of 1 states have submitted (100%)" in page.locator("main").inner_text()
    page.get_by_role("link", name="Review").click()
    page.wait_for_load_state()
    assert "Forty officials trained in Prague." in page.locator("main").inner_text()
    page.get_by_role("button", name="Accept the report").click()
    page.wait_for_load_state()
    assert "The report is accepted" in page.locator("main").inner_text()

    # The public sees the new progress: (1 * 100 + 3 * 50) / 4 = 62.5.
    page.context.clear_cookies()
    page.goto("/en/plans/prague-process/")
    text = page.locator("main").inner_text()
    assert "Joint training" in text and "Status: Completed" in text
    assert page.locator(f"#item-{pillar.pk} progress").first.get_attribute("value") == "62.50"
