"""The plans API: plans and items as the pages show them (access, filters, constant queries);
reports with a token for their own state's reporters and the secretariat; 401/404/422 refusals
that change nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from pydantic import TypeAdapter

from dialogos.api.services import create_api_token
from dialogos.core.models import AccessLevel
from dialogos.plans.api import PlanDetailOut, PlanOut, ReportOut
from dialogos.plans.models import (
    ActionPlan,
    PlanItem,
    ReportAnswer,
    ReportingCycle,
    StateReport,
)
from tests.api.api_helpers import API, Caller, count_queries, errors
from tests.plans.conftest import make_plan
from tests.plans.test_public_pages import _grow

pytestmark = pytest.mark.django_db

DETAIL = f"{API}/plans/prague-process/action-plan"


def caller(user: Any | None) -> Caller:
    if user is None:
        return Caller()
    return Caller(token=create_api_token(actor=user, user=user, name="tests")[1])


def test_the_list_and_the_plan_follow_access(world: Any, pw: Any) -> None:
    data = caller(None).get(f"{API}/plans").json()
    TypeAdapter(list[PlanOut]).validate_python(data)
    assert [p["slug"] for p in data] == ["action-plan"]
    detail = caller(None).get(DETAIL, lang="ru").json()
    TypeAdapter(PlanDetailOut).validate_python(detail)
    assert detail["title"] == "План действий 2023–2027"
    titles = [i["title_i18n"]["en"] for i in detail["items"]]
    assert titles == ["Dialogue", "Component A", "Action A1", "Action A2", "Training", "Action B1"]
    a1 = detail["items"][2]
    assert a1["leads"][0]["code"] == "CZ" and a1["participants"] == ["LT"]
    assert a1["indicators"][0]["unit"] == "count"
    ActionPlan.objects.filter(pk=pw.plan.pk).update(access_level=AccessLevel.MEMBERS)
    assert caller(None).get(DETAIL).status_code == 404
    assert caller(world.erin).get(DETAIL).status_code == 404
    assert caller(world.dan).get(DETAIL).status_code == 200
    assert caller(None).get(f"{API}/plans").json() == []


def test_hidden_items_are_left_out_and_filters_apply(world: Any, pw: Any) -> None:
    PlanItem.objects.filter(pk=pw.action2.pk).update(access_level=AccessLevel.SECRETARIAT)
    ids = [i["id"] for i in caller(None).get(DETAIL).json()["items"]]
    assert pw.action2.pk not in ids
    assert pw.action2.pk in [i["id"] for i in caller(world.alice).get(DETAIL).json()["items"]]
    lt = caller(None).get(f"{DETAIL}?state=LT").json()["items"]
    assert {i["id"] for i in lt} == {
        pw.pillar1.pk,
        pw.component.pk,
        pw.action1.pk,
        pw.pillar2.pk,
        pw.action3.pk,
    }
    assert caller(None).get(f"{DETAIL}?pillar=nonsense").status_code == 200


def test_the_plan_costs_the_same_queries_for_20_and_200_items(world: Any) -> None:
    small = make_plan(world, slug="small")
    large = make_plan(world, slug="large")
    _grow(world, small, 20)
    _grow(world, large, 200)
    anonymous = caller(None)
    n_small, _r = count_queries(lambda: anonymous.get(f"{API}/plans/prague-process/small"))
    n_large, response = count_queries(lambda: anonymous.get(f"{API}/plans/prague-process/large"))
    assert response.status_code == 200 and len(response.json()["items"]) == 200
    assert n_small == n_large


def report_url(report: StateReport, tail: str = "") -> str:
    return f"{API}/plans/reports/{report.pk}{tail}"


def body(pw: Any, **extra: Any) -> dict[str, Any]:
    return {
        "answers": [
            {"item_id": pw.action1.pk, "status": "completed", "narrative": "Done."},
            {"item_id": pw.action2.pk, "status": "in-progress"},
            {"item_id": pw.action3.pk, "status": "planned", "evidence": ["https://example.org"]},
        ],
        "values": {str(pw.indicator.pk): 25},
        **extra,
    }


def test_reporters_see_only_their_states_reports(world: Any, pw: Any) -> None:
    assert caller(None).get(f"{API}/plans/reports").status_code == 401
    assert caller(None).get(report_url(pw.cz_report)).status_code == 401
    bob = caller(world.bob).get(f"{API}/plans/reports").json()
    TypeAdapter(list[ReportOut]).validate_python(bob)
    assert [r["country"]["code"] for r in bob] == ["CZ"]
    assert {
        r["country"]["code"] for r in caller(world.alice).get(f"{API}/plans/reports").json()
    } == {
        "CZ",
        "LT",
    }
    assert caller(world.erin).get(f"{API}/plans/reports").json() == []
    for user in (world.dan, world.erin, world.frank):
        assert caller(user).get(report_url(pw.cz_report)).status_code == 404
    assert caller(world.bob).get(report_url(pw.lt_report)).status_code == 404


def test_a_contributor_saves_the_focal_point_submits_the_secretariat_accepts(
    world: Any, pw: Any
) -> None:
    carol = caller(world.carol)
    response = carol.send("put", report_url(pw.cz_report), body(pw))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "draft" and response.json()["values"] == {
        str(pw.indicator.pk): 25.0
    }
    assert carol.post(report_url(pw.cz_report, "/submit")).status_code == 403
    bob = caller(world.bob)
    assert bob.post(report_url(pw.cz_report, "/submit")).json()["status"] == "submitted"
    assert bob.post(report_url(pw.cz_report, "/accept"), {}).status_code == 404
    accepted = caller(world.alice).post(report_url(pw.cz_report, "/accept"), {"note": "Thanks"})
    assert accepted.json()["status"] == "accepted"
    plan = caller(None).get(DETAIL).json()
    assert plan["progress"] > 0
    assert plan["items"][2]["status"]["code"] == "completed"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"values": {"X": 3}}, "values.X"),
        ({"answers": [{"item_id": 999999, "status": "completed"}]}, "answers.0.item"),
        ({"answers": [{"item_id": 0, "status": "nope"}]}, "answers.0.status"),
        ({"answers": [{"item_id": 0, "evidence": ["ftp://x"]}]}, "answers.0.evidence"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_bad_bodies_are_422_naming_the_field_and_save_nothing(
    world: Any, pw: Any, change: dict[str, Any], field: str
) -> None:
    data = body(pw)
    if "answers" in change and change["answers"][0]["item_id"] == 0:
        change = {"answers": [{**change["answers"][0], "item_id": pw.action1.pk}]}
    data.update(change)
    response = caller(world.bob).send("put", report_url(pw.cz_report), data)
    assert field in errors(response)
    assert not ReportAnswer.objects.filter(report=pw.cz_report).exists()


def test_values_in_the_wrong_unit_are_refused(world: Any, pw: Any) -> None:
    for value in ("2.5", -1, "abc"):
        data = body(pw, values={str(pw.indicator.pk): value})
        response = caller(world.bob).send("put", report_url(pw.cz_report), data)
        assert f"values.{pw.indicator.pk}" in errors(response)
    assert not ReportAnswer.objects.filter(report=pw.cz_report).exists()


def test_after_the_deadline_the_api_refuses_with_a_reason(world: Any, pw: Any) -> None:
    ReportingCycle.objects.filter(pk=pw.cycle.pk).update(
        deadline=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = caller(world.bob).send("put", report_url(pw.cz_report), body(pw))
    assert "deadline" in str(errors(response)[None])
    pw.cz_report.refresh_from_db()
    assert pw.cz_report.status == StateReport.Status.NOT_STARTED


def test_malformed_json_is_a_clean_error(world: Any, pw: Any) -> None:
    response = caller(world.bob).send("put", report_url(pw.cz_report), "{not json")
    assert response.status_code in (400, 422)
    assert caller(world.bob).get(f"{API}/plans/reports/abc").status_code == 422


def test_the_list_of_reports_costs_the_same_queries_for_more_reports(world: Any, pw: Any) -> None:
    from dialogos.plans import services

    alice = caller(world.alice)
    services.save_report(
        actor=world.bob,
        report=pw.cz_report,
        answers=[services.AnswerInput(item_id=pw.action1.pk, status_id=pw.statuses["planned"].pk)],
    )
    alice.get(f"{API}/plans/reports")  # the token's first use is recorded once
    before, response = count_queries(lambda: alice.get(f"{API}/plans/reports"))
    assert len(response.json()) == 2
    cycle = services.save_cycle(
        actor=world.alice,
        plan=pw.plan,
        title={"en": "Another"},
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 6, 30),
        deadline=timezone.now() + datetime.timedelta(days=5),
        items=[pw.action2],
    )
    services.open_cycle(actor=world.alice, cycle=cycle)
    after, response = count_queries(lambda: alice.get(f"{API}/plans/reports"))
    assert len(response.json()) == 4
    assert before == after
