"""The secretariat's plan pages: only the dialogue's secretariat (or an operator) gets in;
plans, items, links, indicators, statuses and cycles are edited through forms whose refusals
are shown, with nothing half-saved."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogos.core.models import AccessLevel
from dialogos.meetings.models import Meeting
from dialogos.plans import services
from dialogos.plans.models import (
    ActionPlan,
    IndicatorValue,
    ItemLink,
    PlanItem,
    ProgressStatus,
    ReportingCycle,
    StateReport,
)

pytestmark = pytest.mark.django_db

SLUG = "prague-process"


def ws(name: str, *args: Any) -> str:
    return reverse(f"plans_workspace:{name}", args=[SLUG, *args])


def pages(pw: Any) -> list[str]:
    return [
        ws("index"),
        ws("plan_create"),
        ws("statuses"),
        ws("plan", pw.plan.pk),
        ws("plan_edit", pw.plan.pk),
        ws("item_create", pw.plan.pk),
        ws("item", pw.plan.pk, pw.action1.pk),
        ws("indicator", pw.plan.pk, pw.action1.pk, pw.indicator.pk),
        ws("cycle_create", pw.plan.pk),
        ws("cycle", pw.cycle.pk),
    ]


def test_the_secretariat_and_operator_see_every_page(world: Any, pw: Any) -> None:
    for user in (world.alice, world.olga):
        client = world.client_for(user)
        for url in pages(pw):
            assert client.get(url).status_code == 200, url


def test_everyone_else_gets_404_on_every_page(world: Any, pw: Any) -> None:
    for user in (None, world.bob, world.carol, world.dan, world.erin, world.frank):
        client = world.client_for(user)
        for url in pages(pw):
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(ws("plan_recompute", pw.plan.pk)).status_code == 404
        assert client.post(ws("cycle_action", pw.cycle.pk, "close")).status_code == 404


def test_the_workspace_menu_shows_plans(world: Any, pw: Any) -> None:
    page = world.client_for(world.alice).get(ws("index")).content.decode()
    assert f'href="{ws("index")}" aria-current' in page
    assert "Report 2026" in page and "0 / 2 (0%)" in page


def test_the_secretariat_creates_a_plan_and_items(world: Any) -> None:
    alice = world.client_for(world.alice)
    response = alice.post(
        ws("plan_create"),
        {
            "title_en": "Istanbul Commitments",
            "title_ru": "",
            "slug": "istanbul",
            "summary_en": "",
            "summary_ru": "",
            "period_start": "2019",
            "period_end": "2025",
            "status": "adopted",
            "order": "1",
            "access_level": "public",
        },
    )
    assert response.status_code == 302, response.content.decode()
    plan = ActionPlan.objects.get(slug="istanbul")
    assert ProgressStatus.objects.filter(dialogue=world.pp).count() == 5
    data = {
        "kind": "commitment",
        "code": "1",
        "title_en": "Commitment 1",
        "title_ru": "",
        "description_en": "",
        "description_ru": "",
        "parent": "",
        "position": "",
        "weight": "2",
        "status": "",
        "access_level": "inherit",
        "leads": ["CZ"],
    }
    response = alice.post(ws("item_create", plan.pk), data)
    assert response.status_code == 302
    item = PlanItem.objects.get(plan=plan)
    assert item.weight == 2 and list(item.states.values_list("country_id", "role")) == [
        ("CZ", "lead")
    ]
    child = alice.post(
        ws("item_create", plan.pk), {**data, "parent": str(item.pk), "title_en": "Action 1.1"}
    )
    assert child.status_code == 302
    assert PlanItem.objects.get(plan=plan, parent=item).depth == 1


def test_refusals_show_on_the_item_form_and_save_nothing(world: Any, pw: Any) -> None:
    alice = world.client_for(world.alice)
    base = {
        "kind": "action",
        "title_en": "Moved",
        "title_ru": "",
        "description_en": "",
        "description_ru": "",
        "position": "",
        "weight": "1",
        "status": "",
        "access_level": "inherit",
    }
    # A cycle: the component under its own action is not even offered as a choice.
    response = alice.post(
        ws("item", pw.plan.pk, pw.component.pk), {**base, "parent": str(pw.action1.pk)}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    # A weight out of range, a state that does not take part, a parent of another plan.
    for extra, message in (
        ({"weight": "5000"}, "Ensure this value is less than or equal to 1000."),
        ({"weight": "1.5"}, "Enter a whole number."),
        ({"leads": ["HU"]}, "Select a valid choice."),
        ({"parent": "999999"}, "Select a valid choice."),
    ):
        response = alice.post(
            ws("item", pw.plan.pk, pw.action1.pk), {**base, "parent": "", **extra}
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    pw.component.refresh_from_db()
    pw.action1.refresh_from_db()
    assert pw.component.parent_id == pw.pillar1.pk
    assert str(pw.action1.title) == "Action A1"


def test_all_siblings_at_weight_zero_is_refused_on_the_form(world: Any, pw: Any) -> None:
    services.update_item(actor=world.alice, item=pw.action2, weight=0)
    response = world.client_for(world.alice).post(
        ws("item", pw.plan.pk, pw.action1.pk),
        {
            "kind": "action",
            "title_en": "Action A1",
            "parent": str(pw.component.pk),
            "weight": "0",
            "access_level": "inherit",
        },
    )
    assert "must have a weight above 0" in response.content.decode()
    pw.action1.refresh_from_db()
    assert pw.action1.weight == 1


def test_links_to_meetings_and_addresses_show_to_those_who_may_see_them(
    world: Any, pw: Any
) -> None:
    meeting = Meeting.objects.create(
        dialogue=world.pp,
        title={"en": "Closed workshop"},
        start=timezone.now(),
        end=timezone.now() + datetime.timedelta(hours=2),
        time_zone="Europe/Prague",
        access_level=AccessLevel.SECRETARIAT,
    )
    alice = world.client_for(world.alice)
    url = ws("link_add", pw.plan.pk, pw.action1.pk)
    assert alice.post(url, {"meeting": meeting.pk}).status_code == 302
    assert alice.post(url, {"url": "https://example.org/handbook", "label_en": "Handbook"})
    both = alice.post(url, {"meeting": meeting.pk, "url": "https://example.org/x"}, follow=True)
    assert "Give exactly one meeting" in both.content.decode()
    assert ItemLink.objects.filter(item=pw.action1).count() == 2
    public = world.client_for(None).get("/en/plans/prague-process/").content.decode()
    assert "Handbook" in public and "Closed workshop" not in public
    assert "Closed workshop" in alice.get("/en/plans/prague-process/").content.decode()


def test_indicator_values_are_checked_against_the_unit(world: Any, pw: Any) -> None:
    alice = world.client_for(world.alice)
    url = ws("value_add", pw.plan.pk, pw.action1.pk, pw.indicator.pk)
    bad = alice.post(url, {"on": "2026-06-30", "value": "2.5", "country": ""}, follow=True)
    assert "A count is a whole number" in bad.content.decode()
    wrong_state = alice.post(url, {"on": "2026-06-30", "value": "3", "country": "HU"}, follow=True)
    assert "Select a valid choice" in wrong_state.content.decode()
    assert not IndicatorValue.objects.exists()
    assert alice.post(url, {"on": "2026-06-30", "value": "12", "country": "CZ"}).status_code == 302
    assert IndicatorValue.objects.get().country_id == "CZ"
    page = world.client_for(None).get("/en/plans/prague-process/").content.decode()
    assert "reported by 1 state" in page


def test_statuses_are_edited_and_a_used_one_is_kept(world: Any, pw: Any) -> None:
    alice = world.client_for(world.alice)
    response = alice.post(
        ws("statuses"),
        {"code": "delayed", "name_en": "Delayed", "name_ru": "", "progress": "20", "order": "5"},
    )
    assert response.status_code == 302
    assert ProgressStatus.objects.get(code="delayed").progress == 20
    bad = alice.post(
        ws("statuses"),
        {"code": "x", "name_en": "X", "progress": "150", "order": "5"},
    )
    assert "between 0 and 100" in bad.content.decode()
    used = pw.statuses["not-started"]
    response = alice.post(ws("status_delete", used.pk), follow=True)
    assert "in use" in response.content.decode()
    assert ProgressStatus.objects.filter(pk=used.pk).exists()


def _cycle_data(pw: Any, **extra: Any) -> dict[str, Any]:
    return {
        "title_en": "Report 2027",
        "title_ru": "",
        "instructions_en": "",
        "instructions_ru": "",
        "period_start": "2027-01-01",
        "period_end": "2027-06-30",
        "deadline_date": (timezone.now() + datetime.timedelta(days=20)).date().isoformat(),
        "deadline_time": "17:00",
        "time_zone": "Europe/Vienna",
        "all_states": "",
        "states": ["CZ"],
        "items": [str(pw.action1.pk)],
        "indicators": [],
        "reminder_days": "7, 1",
        **extra,
    }


def test_the_secretariat_prepares_opens_and_monitors_a_cycle(world: Any, pw: Any) -> None:
    alice = world.client_for(world.alice)
    response = alice.post(ws("cycle_create", pw.plan.pk), _cycle_data(pw))
    assert response.status_code == 302
    cycle = ReportingCycle.objects.get(title__en="Report 2027")
    assert cycle.status == ReportingCycle.Status.DRAFT and cycle.reminder_days == [7, 1]
    assert list(cycle.reports.values_list("country_id", flat=True)) == ["CZ"]
    # Members do not see a cycle in preparation.
    assert (
        "Report 2027"
        not in world.client_for(world.bob).get("/en/account/reports/").content.decode()
    )
    assert alice.post(ws("cycle_action", cycle.pk, "open")).status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == ReportingCycle.Status.OPEN
    assert "Report 2027" in world.client_for(world.bob).get("/en/account/reports/").content.decode()
    page = alice.get(ws("cycle", cycle.pk)).content.decode()
    assert "0 of 1 states have submitted (0%)" in page
    assert alice.post(ws("cycle_action", cycle.pk, "explode")).status_code == 404


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"period_end": "2026-01-01"}, "must not be before its start"),
        ({"time_zone": "Mars/Olympus"}, "Use a time zone name"),
        ({"reminder_days": "seven"}, "Whole numbers separated by commas."),
        ({"reminder_days": "400"}, "Reminders go 1 to 90 days before."),
        ({"states": ["HU"]}, "Select a valid choice."),
    ],
)
def test_a_bad_cycle_is_refused_with_a_reason(
    world: Any, pw: Any, extra: dict[str, Any], message: str
) -> None:
    response = world.client_for(world.alice).post(
        ws("cycle_create", pw.plan.pk), _cycle_data(pw, **extra)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReportingCycle.objects.filter(title__en="Report 2027").exists()


def test_a_cycle_whose_deadline_passed_cannot_be_opened(world: Any, pw: Any) -> None:
    alice = world.client_for(world.alice)
    alice.post(ws("cycle_create", pw.plan.pk), _cycle_data(pw))
    cycle = ReportingCycle.objects.get(title__en="Report 2027")
    ReportingCycle.objects.filter(pk=cycle.pk).update(
        deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    response = alice.post(ws("cycle_action", cycle.pk, "open"), follow=True)
    assert "The deadline has already passed." in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.status == ReportingCycle.Status.DRAFT


def test_the_response_rates_count_answers_per_state(world: Any, pw: Any) -> None:
    services.save_report(
        actor=world.carol,
        report=pw.cz_report,
        answers=[services.AnswerInput(item_id=pw.action1.pk, status_id=pw.statuses["planned"].pk)],
    )
    rates = {r.country.code: r for r in services.response_rates(pw.cycle)}
    assert (rates["CZ"].answered, rates["CZ"].expected, rates["CZ"].percent) == (1, 3, 33)
    assert rates["LT"].report.status == StateReport.Status.NOT_STARTED
    page = world.client_for(world.alice).get(ws("cycle", pw.cycle.pk)).content.decode()
    assert "1 / 3" in page and "0 / 3" in page


def test_removing_an_item_needs_confirmation(world: Any, pw: Any) -> None:
    alice = world.client_for(world.alice)
    url = ws("item_delete", pw.plan.pk, pw.component.pk)
    assert "Remove" in alice.get(url).content.decode()
    assert alice.post(url).status_code == 302
    assert not PlanItem.objects.filter(pk__in=[pw.component.pk, pw.action1.pk]).exists()


def test_the_tree_editor_lists_every_item_with_its_leads(world: Any, pw: Any) -> None:
    page = world.client_for(world.alice).get(ws("plan", pw.plan.pk)).content.decode()
    for title in ("Dialogue", "Component A", "Action A1", "Action A2", "Action B1"):
        assert title in page
    assert ws("item", pw.plan.pk, pw.action2.pk) in page
    assert f"{ws('item_create', pw.plan.pk)}?parent={pw.component.pk}" in page
    assert "<td>CZ</td>" in page and "Edit this pillar" not in page


def test_a_large_plan_opens_on_two_levels_and_edits_a_pillar_at_a_time(
    world: Any, pw: Any, monkeypatch: Any
) -> None:
    from dialogos.plans import workspace_views

    monkeypatch.setattr(workspace_views, "EDITOR_WHOLE_TREE", 3)
    alice = world.client_for(world.alice)
    overview = alice.get(ws("plan", pw.plan.pk)).content.decode()
    assert "This plan has 6 items" in overview
    assert "Component A" in overview and "Action A1" not in overview  # two levels
    assert "Edit this pillar (4 items)" in overview  # pillar 1, its component and two actions
    assert f"?pillar={pw.pillar1.pk}" in overview
    one = alice.get(ws("plan", pw.plan.pk), {"pillar": pw.pillar1.pk}).content.decode()
    assert "Action A1" in one and "Action A2" in one and "Action B1" not in one
    assert 'aria-current="page"' in one
    for bad in ("x", "99999999", str(pw.component.pk), "-1"):
        response = alice.get(ws("plan", pw.plan.pk), {"pillar": bad})
        assert response.status_code == 200
        assert "Action A1" not in response.content.decode()
