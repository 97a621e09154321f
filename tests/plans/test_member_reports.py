"""Member pages: focal points and contributors answer for their own state, and only that;
refusals (another state, after the deadline, wrong units) save nothing and never 500."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogos.plans.models import (
    IndicatorValue,
    ItemState,
    ReportAnswer,
    ReportingCycle,
    ReportValue,
    StateReport,
)

pytestmark = pytest.mark.django_db


def report_url(report: StateReport) -> str:
    return reverse("plans_member:report", args=[report.pk])


def answers(pw: Any, **extra: Any) -> dict[str, Any]:
    done = pw.statuses["completed"].pk
    data = {
        f"status-{pw.action1.pk}": done,
        f"narrative-{pw.action1.pk}": "Trained 40 officials.",
        f"evidence-{pw.action1.pk}": "https://example.org/report",
        f"status-{pw.action2.pk}": pw.statuses["in-progress"].pk,
        f"status-{pw.action3.pk}": pw.statuses["planned"].pk,
        f"value-{pw.indicator.pk}": "40",
        "action": "save",
    }
    data.update(extra)
    return data


def test_the_list_shows_each_reporter_the_reports_of_his_state(world: Any, pw: Any) -> None:
    for user in (world.bob, world.carol):
        response = world.client_for(user).get(reverse("plans_member:reports"))
        assert response.status_code == 200
        assert report_url(pw.cz_report) in response.content.decode()
        assert report_url(pw.lt_report) not in response.content.decode()
    for user in (world.dan, world.frank, world.alice):
        response = world.client_for(user).get(reverse("plans_member:reports"))
        assert response.status_code == 200
        assert report_url(pw.cz_report) not in response.content.decode()
    anonymous = world.client_for(None).get(reverse("plans_member:reports"))
    assert anonymous.status_code == 302


def test_nobody_else_opens_a_states_report(world: Any, pw: Any) -> None:
    for user in (world.dan, world.erin, world.frank, None):
        response = world.client_for(user).get(report_url(pw.cz_report))
        assert response.status_code in (302, 404)
    # Bob is focal point of Czechia, not Lithuania: answering for Lithuania is a 404.
    bob = world.client_for(world.bob)
    assert bob.get(report_url(pw.lt_report)).status_code == 404
    assert bob.post(report_url(pw.lt_report), answers(pw)).status_code == 404
    assert not ReportAnswer.objects.filter(report=pw.lt_report).exists()


def test_a_contributor_saves_a_draft_and_the_focal_point_submits(world: Any, pw: Any) -> None:
    carol = world.client_for(world.carol)
    page = carol.get(report_url(pw.cz_report)).content.decode()
    assert "A focal point of your state submits the report." in page
    response = carol.post(report_url(pw.cz_report), answers(pw))
    assert response.status_code == 302
    pw.cz_report.refresh_from_db()
    assert pw.cz_report.status == StateReport.Status.DRAFT
    assert ReportAnswer.objects.filter(report=pw.cz_report).count() == 3
    assert ReportValue.objects.get(report=pw.cz_report).value == Decimal("40")
    # A contributor cannot submit.
    response = carol.post(report_url(pw.cz_report), answers(pw, action="submit"))
    assert response.status_code == 422
    pw.cz_report.refresh_from_db()
    assert pw.cz_report.status == StateReport.Status.DRAFT
    bob = world.client_for(world.bob)
    response = bob.post(report_url(pw.cz_report), answers(pw, action="submit"))
    assert response.status_code == 302
    pw.cz_report.refresh_from_db()
    assert pw.cz_report.status == StateReport.Status.SUBMITTED
    assert pw.cz_report.submitted_by == world.bob
    # Submitted: no more changes, and the page no longer offers the form.
    response = bob.post(report_url(pw.cz_report), answers(pw))
    assert response.status_code == 422
    assert "can no longer be changed" in response.content.decode()
    assert "Save as draft" not in bob.get(report_url(pw.cz_report)).content.decode()


def test_submitting_needs_a_status_for_every_item(world: Any, pw: Any) -> None:
    data = answers(pw, action="submit")
    data[f"status-{pw.action3.pk}"] = ""
    response = world.client_for(world.bob).post(report_url(pw.cz_report), data)
    assert response.status_code == 422
    assert "1 missing" in response.content.decode()
    pw.cz_report.refresh_from_db()
    # The draft was saved (its own transaction); the submission was refused.
    assert pw.cz_report.status == StateReport.Status.DRAFT


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12.5", "A count is a whole number"),
        ("-3", "A count is a whole number"),
        ("lots", "Enter a number."),
        ("1e400", "Enter a number."),
        ("NaN", "Enter a number."),
    ],
)
def test_a_value_in_the_wrong_unit_is_refused_and_nothing_is_saved(
    world: Any, pw: Any, value: str, message: str
) -> None:
    response = world.client_for(world.bob).post(
        report_url(pw.cz_report), answers(pw, **{f"value-{pw.indicator.pk}": value})
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ReportAnswer.objects.filter(report=pw.cz_report).exists()
    assert not ReportValue.objects.filter(report=pw.cz_report).exists()


def test_a_percentage_above_100_is_refused(world: Any, pw: Any) -> None:
    pw.indicator.unit = "percent"
    pw.indicator.save(update_fields=["unit"])
    response = world.client_for(world.bob).post(
        report_url(pw.cz_report), answers(pw, **{f"value-{pw.indicator.pk}": "120"})
    )
    assert response.status_code == 422
    assert "A percentage lies between 0 and 100." in response.content.decode()


def test_bad_evidence_and_unknown_status_are_refused(world: Any, pw: Any) -> None:
    bob = world.client_for(world.bob)
    response = bob.post(
        report_url(pw.cz_report), answers(pw, **{f"evidence-{pw.action1.pk}": "javascript:x"})
    )
    assert response.status_code == 422
    assert "is not a web address" in response.content.decode()
    response = bob.post(report_url(pw.cz_report), answers(pw, **{f"status-{pw.action1.pk}": "x9"}))
    assert response.status_code == 422
    assert not ReportAnswer.objects.filter(report=pw.cz_report).exists()


def test_answers_after_the_deadline_are_refused(world: Any, pw: Any) -> None:
    ReportingCycle.objects.filter(pk=pw.cycle.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    bob = world.client_for(world.bob)
    page = bob.get(report_url(pw.cz_report)).content.decode()
    assert "The deadline has passed" in page
    response = bob.post(report_url(pw.cz_report), answers(pw))
    assert response.status_code == 422
    assert "deadline of this cycle has passed" in response.content.decode()
    assert not ReportAnswer.objects.filter(report=pw.cz_report).exists()


def test_the_secretariat_accepts_and_the_plan_moves(world: Any, pw: Any) -> None:
    world.client_for(world.bob).post(report_url(pw.cz_report), answers(pw, action="submit"))
    alice = world.client_for(world.alice)
    url = reverse("plans_workspace:report", args=["prague-process", pw.cz_report.pk])
    assert "Trained 40 officials." in alice.get(url).content.decode()
    response = alice.post(url, {"decision": "accept", "note": ""})
    assert response.status_code == 302
    pw.cz_report.refresh_from_db()
    assert pw.cz_report.status == StateReport.Status.ACCEPTED
    for item in (pw.action1, pw.action2, pw.action3, pw.component, pw.pillar1):
        item.refresh_from_db()
    # Czechia leads actions 1 and 2: their statuses follow; action 3 is led by Lithuania.
    assert pw.action1.status == pw.statuses["completed"]
    assert pw.action2.status == pw.statuses["in-progress"]
    assert pw.action3.status == pw.statuses["not-started"]
    assert pw.component.progress == Decimal("62.50")
    # Czechia's own status for action 3 is kept as a participant's.
    state = ItemState.objects.get(item=pw.action3, country_id="CZ")
    assert state.role == ItemState.Role.PARTICIPANT and state.status == pw.statuses["planned"]
    value = IndicatorValue.objects.get(indicator=pw.indicator)
    assert (value.value, value.country_id, value.on) == (
        Decimal("40"),
        "CZ",
        datetime.date(2026, 12, 31),
    )
    public = world.client_for(None).get(reverse("plans:dialogue", args=["prague-process"]))
    assert 'value="62.50"' in public.content.decode()


def test_clarification_lets_the_state_answer_again_even_after_the_deadline(
    world: Any, pw: Any
) -> None:
    bob = world.client_for(world.bob)
    bob.post(report_url(pw.cz_report), answers(pw, action="submit"))
    alice = world.client_for(world.alice)
    url = reverse("plans_workspace:report", args=["prague-process", pw.cz_report.pk])
    response = alice.post(url, {"decision": "clarify", "note": ""})
    assert response.status_code == 200  # a note is required
    response = alice.post(url, {"decision": "clarify", "note": "Which officials?"})
    assert response.status_code == 302
    ReportingCycle.objects.filter(pk=pw.cycle.pk).update(
        deadline=timezone.now() - datetime.timedelta(days=1)
    )
    page = bob.get(report_url(pw.cz_report)).content.decode()
    assert "Which officials?" in page
    response = bob.post(report_url(pw.cz_report), answers(pw, action="submit"))
    assert response.status_code == 302
    pw.cz_report.refresh_from_db()
    assert pw.cz_report.status == StateReport.Status.SUBMITTED


def test_only_the_secretariat_reviews(world: Any, pw: Any) -> None:
    world.client_for(world.bob).post(report_url(pw.cz_report), answers(pw, action="submit"))
    url = reverse("plans_workspace:report", args=["prague-process", pw.cz_report.pk])
    for user in (world.bob, world.carol, world.dan, world.erin, world.frank):
        client = world.client_for(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "accept"}).status_code == 404
    assert world.client_for(None).get(url).status_code == 404
    pw.cz_report.refresh_from_db()
    assert pw.cz_report.status == StateReport.Status.SUBMITTED
