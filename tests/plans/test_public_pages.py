"""Public plan pages: the index, the tree with filters, a state's commitments; access levels
on plans and items; constant queries whatever the size of the plan."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogos.core.models import AccessLevel
from dialogos.plans import services
from dialogos.plans.models import ActionPlan, PlanItem
from tests.plans.conftest import make_plan

pytestmark = pytest.mark.django_db

PLAN = "/en/plans/prague-process/"


def test_the_index_lists_visible_plans_with_progress(world: Any, pw: Any) -> None:
    response = world.client_for(None).get(reverse("plans:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Action Plan 2023–2027" in page and 'href="/en/plans/prague-process/"' in page
    assert 'aria-current="true" href="/en/plans/"' in page


def test_the_plan_page_shows_the_tree_leads_and_statuses(world: Any, pw: Any) -> None:
    page = world.client_for(None).get(PLAN).content.decode()
    for text in ("Dialogue", "Component A", "Action A1", "Action B1", "Not started: 0%"):
        assert text in page
    assert 'href="/en/plans/prague-process/states/CZ/"' in page
    assert page.count('<ul class="plan-tree__children">') == 3
    assert page.count('<li class="plan-item') == 6


def test_the_plan_page_in_russian(world: Any, pw: Any) -> None:
    page = world.client_for(None).get("/ru/plans/prague-process/").content.decode()
    assert "План действий 2023–2027" in page and "Action A1 (ru)" in page
    assert "Ход выполнения" in page or "Общий ход" in page


def test_filters_by_state_and_pillar(world: Any, pw: Any) -> None:
    client = world.client_for(None)
    page = client.get(PLAN, {"state": "LT"}).content.decode()
    assert "Action B1" in page and "Action A1" in page  # LT participates in A1
    assert "Action A2" not in page
    page = client.get(PLAN, {"pillar": pw.pillar2.pk}).content.decode()
    assert "Action B1" in page and "Component A" not in page


@pytest.mark.parametrize(
    "query", ["?pillar=abc", "?state=%%", "?pillar=99999999999999", "?state=ZZ", "?pillar=-1"]
)
def test_malformed_filters_are_ignored_or_empty_never_an_error(
    world: Any, pw: Any, query: str
) -> None:
    assert world.client_for(None).get(PLAN + query).status_code == 200


def test_htmx_gets_only_the_tree(world: Any, pw: Any) -> None:
    response = world.client_for(None).get(PLAN, {"state": "CZ"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="plan-tree"') and "<html" not in page


def test_a_state_page_lists_its_commitments(world: Any, pw: Any) -> None:
    page = world.client_for(None).get(f"{PLAN}states/cz/").content.decode()
    assert "Commitments of Czechia" in page
    assert "Action A1" in page and "Action B1" not in page
    assert world.client_for(None).get(f"{PLAN}states/HU/").status_code == 404
    assert world.client_for(None).get(f"{PLAN}states/XXX/").status_code == 404


def test_a_members_plan_is_hidden_from_the_public_and_other_dialogues(world: Any, pw: Any) -> None:
    ActionPlan.objects.filter(pk=pw.plan.pk).update(access_level=AccessLevel.MEMBERS)
    for user in (None, world.frank, world.erin):
        client = world.client_for(user)
        assert client.get(PLAN).status_code == 404
        assert client.get(f"{PLAN}states/CZ/").status_code == 404
        assert "Action Plan 2023" not in client.get("/en/plans/").content.decode()
    for user in (world.alice, world.bob, world.carol, world.dan, world.olga):
        assert world.client_for(user).get(PLAN).status_code == 200


def test_a_secretariat_only_item_and_its_parts_stay_hidden(world: Any, pw: Any) -> None:
    PlanItem.objects.filter(pk=pw.component.pk).update(access_level=AccessLevel.SECRETARIAT)
    for user in (None, world.bob, world.dan):
        page = world.client_for(user).get(PLAN).content.decode()
        assert "Component A" not in page and "Action A1" not in page
        assert "Action B1" in page
    page = world.client_for(world.alice).get(PLAN).content.decode()
    assert "Component A" in page and "Action A1" in page


def test_another_dialogue_or_plan_slug_is_a_404(world: Any, pw: Any) -> None:
    client = world.client_for(None)
    assert client.get("/en/plans/budapest-process/").status_code == 404
    assert client.get("/en/plans/nowhere/").status_code == 404
    assert client.get(f"{PLAN}no-such-plan/").status_code == 404
    assert client.get(f"{PLAN}action-plan/").status_code == 200


def _grow(world: Any, plan: ActionPlan, count: int) -> None:
    """Add ``count`` items spread over three levels, with leads, links and indicators."""
    parents: list[PlanItem | None] = [None]
    made = 0
    while made < count:
        parent = parents[made // 5 % len(parents)]
        item = services.create_item(
            actor=world.alice,
            plan=plan,
            parent=parent,
            title={"en": f"Item {made}"},
            leads=["CZ"] if made % 2 else ["LT"],
            participants=["LT"] if made % 2 else [],
        )
        if made % 7 == 0:
            services.save_indicator(
                actor=world.alice, item=item, name={"en": f"I{made}"}, unit="count"
            )
            services.add_link(actor=world.alice, item=item, url="https://example.org/x")
        if item.depth < 2:
            parents.append(item)
        made += 1


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("user", ["anonymous", "bob", "alice"])
def test_the_plan_page_runs_the_same_queries_for_20_and_200_items(world: Any, user: str) -> None:
    services.ensure_default_statuses(actor=world.alice, dialogue=world.pp)
    small = make_plan(world, slug="small", order=1)
    large = make_plan(world, slug="large", order=2)
    _grow(world, small, 20)
    _grow(world, large, 200)
    client = world.client_for(None if user == "anonymous" else getattr(world, user))
    small_count = _count(client, f"{PLAN}small/")
    large_count = _count(client, f"{PLAN}large/")
    assert small_count == large_count
    assert large_count <= 14
    assert _count(client, f"{PLAN}states/CZ/?plan=small") == _count(
        client, f"{PLAN}states/CZ/?plan=large"
    )
