"""Demo action plans: the Prague Process Action Plan 2023-2027 and the Budapest Process's
Istanbul Commitments and Call for Action.

Sourced (domain notes): the plan exists for 2023-2027, was endorsed at the 4th Ministerial
Conference in Prague on 24-25 October 2022, has three pillars of work and four Thematic
Components each led by a participating state. The three pillars are most likely the three
objectives of the PP DATA component (dialogue, Migration Observatory, Training Academy): that
is an inference and the demo says so. The components' names, their lead states, where they sit
in the tree, every objective and action below them, and the reporting cycle are example data
and say so in their text.

Istanbul Commitments and Call for Action (domain notes): adopted at the Budapest Process's 6th
Ministerial Conference, Istanbul, 19-20 February 2019, hosted by Turkey; 5 commitments, 6
priority goals, 41 actions. No source gives their names or how the 41 actions are shared
among the 6 goals: every title below the two parts is example data and says so, the sharing
(7, 7, 7, 7, 7, 6) is example data, and no state is named as lead or participant and no
progress is reported (nothing is known).

Idempotent: every row is found by a fixed key; progress is recomputed at the end.
"""

from __future__ import annotations

import datetime
from typing import Any

from dialogos.dialogues.models import Dialogue
from dialogos.meetings.models import Meeting
from dialogos.plans import services
from dialogos.plans.models import (
    ActionPlan,
    Indicator,
    ItemLink,
    ItemState,
    PlanItem,
    ProgressStatus,
    ReportingCycle,
    StateReport,
    path_segment,
)
from dialogos.texts.models import OutcomeText

EXAMPLE = {"en": " (example data)", "ru": " (пример данных)"}


def _ex(text: dict[str, str]) -> dict[str, str]:
    return {code: value + EXAMPLE[code] for code, value in text.items()}


def _statuses(loader: Any, dialogue: Dialogue) -> dict[str, ProgressStatus]:
    result = {}
    for order, (code, name, progress) in enumerate(services.DEFAULT_STATUSES, start=1):
        result[code] = loader.ensure(
            ProgressStatus,
            {"dialogue": dialogue, "code": code},
            name=name,
            progress=progress,
            order=order * 10,
            is_default=code == "not-started",
        )
    return result


def _item(
    loader: Any,
    plan: ActionPlan,
    parent: PlanItem | None,
    position: int,
    **values: Any,
) -> PlanItem:
    path = (parent.path if parent else "") + path_segment(position)
    return loader.ensure(
        PlanItem,
        {"plan": plan, "path": path},
        parent=parent,
        depth=0 if parent is None else parent.depth + 1,
        position=position,
        **values,
    )


def _states(loader: Any, item: PlanItem, role: str, codes: list[str]) -> None:
    for code in codes:
        if code in loader.countries:
            loader.ensure(ItemState, {"item": item, "country": loader.country(code)}, role=role)


def load(loader: Any) -> None:
    _prague(loader)
    _istanbul(loader)


# The 41 actions of the Call for Action shared among its 6 priority goals: example data.
ISTANBUL_ACTIONS = [7, 7, 7, 7, 7, 6]
# No source gives the end of the plan's period: example data, said in the summary.
ISTANBUL_END = 2025


def _istanbul(loader: Any) -> None:
    bp = Dialogue.objects.filter(slug="budapest-process").first()
    if bp is None:
        return
    _statuses(loader, bp)
    meeting = Meeting.objects.filter(ical_uid="demo-bp-ministerial-2019-istanbul@dialogos").first()
    text = (
        OutcomeText.objects.filter(dialogue=bp, kind=OutcomeText.Kind.COMMITMENTS)
        .order_by("-status", "pk")
        .first()
    )
    plan = loader.ensure(
        ActionPlan,
        {"dialogue": bp, "slug": "istanbul-commitments"},
        title={
            "en": "Istanbul Commitments and Call for Action",
            "ru": "Стамбульские обязательства и Призыв к действию",
        },
        summary={
            "en": "Adopted at the 6th Ministerial Conference of the Budapest Process in "
            "Istanbul on 19–20 February 2019, hosted by Turkey: 5 commitments, and a Call for "
            "Action of 6 priority goals and 41 actions. The titles of the commitments, goals "
            "and actions, how the actions are shared among the goals and the last year of the "
            "period are example data until the secretariat enters them from the adopted text; "
            "no state is named and no progress is reported.",
            "ru": "Приняты на 6-й министерской конференции Будапештского процесса в Стамбуле "
            "19–20 февраля 2019 года (принимающая сторона — Турция): 5 обязательств и Призыв к "
            "действию из 6 приоритетных целей и 41 действия. Названия обязательств, целей и "
            "действий, распределение действий по целям и последний год периода — пример "
            "данных, пока секретариат не внесёт их из принятого текста; государства не "
            "указаны, о ходе выполнения не сообщалось.",
        },
        period_start=2019,
        period_end=ISTANBUL_END,
        meeting=meeting,
        adopted_on=datetime.date(2019, 2, 20),
        status=ActionPlan.Status.IMPLEMENTING,
        text=text,
    )
    commitments = _item(
        loader,
        plan,
        None,
        1,
        kind=PlanItem.Kind.OTHER,
        code="I",
        title={"en": "Istanbul Commitments", "ru": "Стамбульские обязательства"},
        description={
            "en": "Five commitments (their titles here are example data).",
            "ru": "Пять обязательств (их названия здесь — пример данных).",
        },
        weight=1,
        status=None,
    )
    for n in range(1, 6):
        _item(
            loader,
            plan,
            commitments,
            n,
            kind=PlanItem.Kind.COMMITMENT,
            code=f"I.{n}",
            title=_ex({"en": f"Commitment {n}", "ru": f"Обязательство {n}"}),
            description={},
            weight=1,
            status=None,
        )
    call = _item(
        loader,
        plan,
        None,
        2,
        kind=PlanItem.Kind.OTHER,
        code="II",
        title={"en": "Call for Action", "ru": "Призыв к действию"},
        description={
            "en": "Six priority goals and 41 actions (titles, and how the actions are shared "
            "among the goals, are example data).",
            "ru": "Шесть приоритетных целей и 41 действие (названия и распределение действий "
            "по целям — пример данных).",
        },
        weight=1,
        status=None,
    )
    number = 0
    for goal_no, count in enumerate(ISTANBUL_ACTIONS, start=1):
        goal = _item(
            loader,
            plan,
            call,
            goal_no,
            kind=PlanItem.Kind.OBJECTIVE,
            code=f"II.{goal_no}",
            title=_ex({"en": f"Priority goal {goal_no}", "ru": f"Приоритетная цель {goal_no}"}),
            description={},
            weight=1,
            status=None,
        )
        for a in range(1, count + 1):
            number += 1
            _item(
                loader,
                plan,
                goal,
                a,
                kind=PlanItem.Kind.ACTION,
                code=f"II.{goal_no}.{a}",
                title=_ex({"en": f"Action {number}", "ru": f"Действие {number}"}),
                description={},
                weight=1,
                status=None,
            )
    if meeting is not None:
        loader.ensure(ItemLink, {"item": call, "meeting": meeting}, url="", label={})
    services.recompute_progress(plan=plan)


def _prague(loader: Any) -> None:
    pp = Dialogue.objects.filter(slug="prague-process").first()
    if pp is None:
        return
    statuses = _statuses(loader, pp)
    meeting = Meeting.objects.filter(ical_uid="demo-pp-ministerial-2022@dialogos").first()
    text = (
        OutcomeText.objects.filter(dialogue=pp, kind=OutcomeText.Kind.ACTION_PLAN)
        .order_by("-status", "pk")
        .first()
    )
    plan = loader.ensure(
        ActionPlan,
        {"dialogue": pp, "slug": "action-plan-2023-2027"},
        title={
            "en": "Prague Process Action Plan 2023–2027",
            "ru": "План действий Пражского процесса на 2023–2027 годы",
        },
        summary={
            "en": "Endorsed with the Joint Declaration at the 4th Ministerial Conference in "
            "Prague on 24–25 October 2022, an official event of the Czech EU Presidency. The "
            "plan has three pillars of work and four Thematic Components, each led by a "
            "participating state. Everything below the pillars is example data.",
            "ru": "Одобрен вместе с Совместной декларацией на 4-й министерской конференции в "
            "Праге 24–25 октября 2022 года, официальном мероприятии председательства Чехии в "
            "ЕС. План включает три направления работы и четыре тематических компонента, "
            "каждый из которых возглавляет государство-участник. Всё, что ниже направлений, — "
            "пример данных.",
        },
        period_start=2023,
        period_end=2027,
        meeting=meeting,
        adopted_on=datetime.date(2022, 10, 25),
        status=ActionPlan.Status.IMPLEMENTING,
        text=text,
    )
    inference = {
        "en": "Inferred from the three objectives of the PP DATA component (2018–2021); the "
        "adopted text is the authority.",
        "ru": "Предположение на основе трёх целей компонента PP DATA (2018–2021); "
        "определяющим является принятый текст.",
    }
    pillars = [
        _item(
            loader,
            plan,
            None,
            n,
            kind=PlanItem.Kind.PILLAR,
            code=str(n),
            title=title,
            description=inference,
            weight=1,
            status=None,
        )
        for n, title in enumerate(
            [
                {"en": "Dialogue", "ru": "Диалог"},
                {"en": "Migration Observatory", "ru": "Миграционная обсерватория"},
                {"en": "Training Academy", "ru": "Учебная академия"},
            ],
            start=1,
        )
    ]
    # Four Thematic Components (sourced: four, each led by a participating state). Their names,
    # leads and their place under the first pillar are example data.
    components = []
    for n in range(1, 5):
        component = _item(
            loader,
            plan,
            pillars[0],
            n,
            kind=PlanItem.Kind.COMPONENT,
            code=f"1.{n}",
            title=_ex({"en": f"Thematic Component {n}", "ru": f"Тематический компонент {n}"}),
            description={},
            weight=1,
            status=None,
        )
        components.append(component)
    example_leads = ["CZ", "HU", "LT", "PL"]
    progress = ["completed", "advanced", "in-progress", "planned", "not-started"]
    k = 0
    for n, component in enumerate(components):
        _states(loader, component, ItemState.Role.LEAD, [example_leads[n]])
        objective = _item(
            loader,
            plan,
            component,
            1,
            kind=PlanItem.Kind.OBJECTIVE,
            code=f"1.{n + 1}.1",
            title=_ex({"en": "Objective", "ru": "Цель"}),
            description={},
            weight=1,
            status=None,
        )
        for a in range(1, 4):
            action = _item(
                loader,
                plan,
                objective,
                a,
                kind=PlanItem.Kind.ACTION,
                code=f"1.{n + 1}.1.{a}",
                title=_ex({"en": f"Action {a}", "ru": f"Действие {a}"}),
                description={},
                weight=a,
                status=statuses[progress[k % len(progress)]],
            )
            k += 1
            _states(loader, action, ItemState.Role.LEAD, [example_leads[n]])
            _states(
                loader,
                action,
                ItemState.Role.PARTICIPANT,
                [c for c in example_leads if c != example_leads[n]][: a - 1],
            )
    for n, pillar in enumerate(pillars[1:], start=2):
        for a in range(1, 3):
            _item(
                loader,
                plan,
                pillar,
                a,
                kind=PlanItem.Kind.ACTION,
                code=f"{n}.{a}",
                title=_ex({"en": f"Action {a}", "ru": f"Действие {a}"}),
                description={},
                weight=1,
                status=statuses[progress[(n + a) % len(progress)]],
            )
    if meeting is not None:
        loader.ensure(ItemLink, {"item": pillars[0], "meeting": meeting}, url="", label={})
    indicator = loader.ensure(
        Indicator,
        {"item": pillars[2], "code": "3.i1"},
        name=_ex({"en": "Officials trained", "ru": "Обучено должностных лиц"}),
        unit=Indicator.Unit.COUNT,
        unit_label={"en": "officials", "ru": "должностных лиц"},
        baseline=0,
        baseline_year=2023,
        target=500,
        target_year=2027,
    )
    cycle = loader.ensure(
        ReportingCycle,
        {"plan": plan, "title": _ex({"en": "Progress report 2026", "ru": "Отчёт о ходе 2026"})},
        instructions=_ex(
            {
                "en": "Report on the actions your state leads or takes part in.",
                "ru": "Сообщите о действиях, которые ваше государство возглавляет "
                "или в которых участвует.",
            }
        ),
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
        deadline=datetime.datetime(2027, 3, 31, 17, 0, tzinfo=datetime.UTC),
        status=ReportingCycle.Status.OPEN,
        reminder_days=[14, 3],
        opened_at=datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC),
    )
    actions = list(PlanItem.objects.filter(plan=plan, kind=PlanItem.Kind.ACTION))
    if not cycle.items.exists():
        cycle.items.set(actions)
        cycle.indicators.set([indicator])
    for code in ["CZ", "HU", "LT", "PL"]:
        if code in loader.countries:
            loader.ensure(StateReport, {"cycle": cycle, "country": loader.country(code)})
    services.recompute_progress(plan=plan)
