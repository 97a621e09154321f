"""A project serves plan items of its dialogue's action plans and links library documents; the
public page and the API show only the linked objects the reader may see."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from dialogos.library import services as library_services
from dialogos.plans.models import ActionPlan, PlanItem
from dialogos.projects import services
from tests.api.api_helpers import API, Caller, errors
from tests.projects.conftest import Mrc

pytestmark = pytest.mark.django_db


def _item(world: Any, dialogue: Any, title: str, access: str = "public") -> PlanItem:
    plan, _new = ActionPlan.objects.get_or_create(
        dialogue=dialogue,
        slug="plan",
        defaults={"title": {"en": "Plan"}, "period_start": 2019, "period_end": 2025},
    )
    count = PlanItem.objects.filter(plan=plan).count() + 1
    return PlanItem.objects.create(
        plan=plan,
        title={"en": title},
        path=f"{count:05d}",
        position=count,
        access_level=access,
    )


def _document(world: Any, dialogue: Any, actor: Any, title: str, access: str = "public") -> Any:
    return library_services.create_document(
        actor=actor,
        dialogue=dialogue,
        title={"en": title},
        type="action_plan",
        date=datetime.date(2019, 2, 20),
        access_level=access,
    )


def test_linked_items_show_as_far_as_the_reader_may_see(world: Any, mrc: Mrc) -> None:
    public = _item(world, world.bp, "Commitment 1: strengthen migration governance")
    secret = _item(world, world.bp, "Internal action", access="secretariat")
    document = _document(world, world.bp, world.erin, "Istanbul Commitments")
    services.save_project(
        actor=world.erin,
        dialogue=world.bp,
        project=mrc.project,
        values={},
        links={"plan_items": [public, secret], "documents": [document]},
    )
    visitor = world.client_for(None).get(f"/en/projects/{mrc.project.pk}/").text
    assert "Commitment 1: strengthen migration governance" in visitor
    assert "Internal action" not in visitor
    assert "Istanbul Commitments" in visitor
    assert (
        "Internal action"
        in world.client_for(world.erin).get(f"/en/projects/{mrc.project.pk}/").text
    )
    data = Caller().get(f"{API}/projects/{mrc.project.pk}").json()
    assert [i["title"] for i in data["plan_items"]] == [
        "Commitment 1: strengthen migration governance"
    ]
    assert [d["title"] for d in data["documents"]] == ["Istanbul Commitments"]


def test_items_of_another_dialogue_are_refused(world: Any, mrc: Mrc) -> None:
    foreign = _item(world, world.pp, "Prague action")
    with pytest.raises(Exception, match="plan items of this project"):
        services.save_project(
            actor=world.erin,
            dialogue=world.bp,
            project=mrc.project,
            values={},
            links={"plan_items": [foreign]},
        )
    from dialogos.api.services import create_api_token

    token = create_api_token(actor=world.erin, user=world.erin, name="t")[1]
    response = Caller(token=token).patch(
        f"{API}/projects/{mrc.project.pk}", {"plan_items": [foreign.pk]}
    )
    assert "plan_items" in errors(response)
    assert not mrc.project.plan_items.exists()
