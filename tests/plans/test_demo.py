"""The demo plans: the Prague Process Action Plan and the Istanbul Commitments, idempotent,
with only sourced facts and everything else marked as example data."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.test import Client

from dialogos.plans.models import ActionPlan, ItemState, PlanItem


def test_the_istanbul_commitments(db: Any) -> None:
    call_command("demo", verbosity=0)
    call_command("demo", verbosity=0)  # a second run changes nothing
    plan = ActionPlan.objects.get(slug="istanbul-commitments")
    assert plan.dialogue.slug == "budapest-process"
    assert plan.adopted_on is not None and plan.adopted_on.isoformat() == "2019-02-20"
    assert plan.meeting is not None and plan.meeting.start.date().isoformat() == "2019-02-19"
    assert (
        plan.text is not None and str(plan.text.title) == "Istanbul Commitments and Call for Action"
    )
    items = PlanItem.objects.filter(plan=plan)
    assert items.filter(kind=PlanItem.Kind.COMMITMENT).count() == 5
    assert items.filter(kind=PlanItem.Kind.OBJECTIVE).count() == 6
    assert items.filter(kind=PlanItem.Kind.ACTION).count() == 41
    assert items.count() == 2 + 5 + 6 + 41
    # No source names them: every commitment, goal and action says it is example data.
    for item in items.exclude(depth=0):
        assert "(example data)" in item.title["en"] and "(пример данных)" in item.title["ru"]
    assert "example data" in plan.summary["en"] and "пример данных" in plan.summary["ru"]
    # Nothing invented about real states: no lead, no participant, no reported progress.
    assert not ItemState.objects.filter(item__plan=plan).exists()
    assert not items.filter(status__isnull=False).exists()


def test_the_istanbul_plan_page_renders_in_both_languages(db: Any) -> None:
    call_command("demo", verbosity=0)
    client = Client()
    page = client.get("/en/plans/budapest-process/").content.decode()
    assert "Istanbul Commitments and Call for Action" in page
    assert "Priority goal 6 (example data)" in page and "Action 41 (example data)" in page
    assert "<details" not in page  # three levels: everything open
    russian = client.get("/ru/plans/budapest-process/").content.decode()
    assert "Стамбульские обязательства" in russian and "Действие 41 (пример данных)" in russian
    api = client.get("/api/v1/plans/budapest-process/istanbul-commitments").json()
    assert len(api["items"]) == 54
