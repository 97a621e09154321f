"""A small plan of the Prague Process for the plan tests.

Two pillars; pillar 1 has a component led by Czechia with two actions (weights 1 and 3),
pillar 2 one action led by Lithuania. An indicator (count) on the first action. A cycle asks
Czechia and Lithuania about the three actions and the indicator, deadline in ten days.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from dialogos.plans import services
from dialogos.plans.models import (
    ActionPlan,
    Indicator,
    PlanItem,
    ProgressStatus,
    ReportingCycle,
    StateReport,
)


@dataclass
class PlanWorld:
    plan: ActionPlan
    statuses: dict[str, ProgressStatus]
    pillar1: PlanItem
    pillar2: PlanItem
    component: PlanItem
    action1: PlanItem
    action2: PlanItem
    action3: PlanItem
    indicator: Indicator
    cycle: ReportingCycle
    cz_report: StateReport
    lt_report: StateReport


def make_plan(world: Any, **extra: Any) -> ActionPlan:
    values = {
        "slug": "action-plan",
        "title": {"en": "Action Plan 2023–2027", "ru": "План действий 2023–2027"},
        "period_start": 2023,
        "period_end": 2027,
        "status": ActionPlan.Status.IMPLEMENTING,
        **extra,
    }
    return services.save_plan(actor=world.alice, dialogue=world.pp, **values)


@pytest.fixture
def pw(world: Any) -> PlanWorld:
    alice = world.alice
    statuses = {s.code: s for s in services.ensure_default_statuses(actor=alice, dialogue=world.pp)}
    plan = make_plan(world)

    def item(parent: PlanItem | None, title: str, **kw: Any) -> PlanItem:
        return services.create_item(
            actor=alice, plan=plan, parent=parent, title={"en": title, "ru": title + " (ru)"}, **kw
        )

    pillar1 = item(None, "Dialogue", kind=PlanItem.Kind.PILLAR, code="1")
    pillar2 = item(None, "Training", kind=PlanItem.Kind.PILLAR, code="2")
    component = item(pillar1, "Component A", kind=PlanItem.Kind.COMPONENT, leads=["CZ"])
    action1 = item(component, "Action A1", weight=1, leads=["CZ"], participants=["LT"])
    action2 = item(component, "Action A2", weight=3, leads=["CZ"])
    action3 = item(pillar2, "Action B1", leads=["LT"])
    indicator = services.save_indicator(
        actor=alice,
        item=action1,
        name={"en": "Officials trained"},
        unit=Indicator.Unit.COUNT,
        baseline=0,
        target=100,
    )
    now = timezone.now()
    cycle = services.save_cycle(
        actor=alice,
        plan=plan,
        title={"en": "Report 2026", "ru": "Отчёт 2026"},
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        deadline=now + datetime.timedelta(days=10),
        items=[action1, action2, action3],
        indicators=[indicator],
        states=None,
    )
    services.open_cycle(actor=alice, cycle=cycle)
    return PlanWorld(
        plan=plan,
        statuses=statuses,
        pillar1=pillar1,
        pillar2=pillar2,
        component=component,
        action1=action1,
        action2=action2,
        action3=action3,
        indicator=indicator,
        cycle=cycle,
        cz_report=StateReport.objects.get(cycle=cycle, country_id="CZ"),
        lt_report=StateReport.objects.get(cycle=cycle, country_id="LT"),
    )
