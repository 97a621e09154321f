"""The item tree: weighted roll-up, the weight rule, moves without cycles, depth and deletion."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dialogos.core.models import AuditEntry
from dialogos.plans import services
from dialogos.plans.models import MAX_DEPTH, PlanItem

pytestmark = pytest.mark.django_db


def refresh(*items: PlanItem) -> None:
    for item in items:
        item.refresh_from_db()


def test_progress_rolls_up_by_normalised_weight(world: Any, pw: Any) -> None:
    alice = world.alice
    services.update_item(actor=alice, item=pw.action1, status=pw.statuses["completed"])
    services.update_item(actor=alice, item=pw.action2, status=pw.statuses["in-progress"])
    refresh(pw.action1, pw.action2, pw.component, pw.pillar1, pw.pillar2)
    pw.plan.refresh_from_db()
    # (1 * 100 + 3 * 50) / 4 = 62.5
    assert pw.component.progress == Decimal("62.50")
    assert pw.pillar1.progress == Decimal("62.50")
    assert pw.pillar2.progress == Decimal("0.00")
    assert pw.plan.progress == Decimal("31.25")


def test_weight_zero_is_shown_but_not_counted(world: Any, pw: Any) -> None:
    alice = world.alice
    services.update_item(actor=alice, item=pw.action1, status=pw.statuses["completed"])
    services.update_item(actor=alice, item=pw.action2, weight=0)
    pw.component.refresh_from_db()
    assert pw.component.progress == Decimal("100.00")


def test_siblings_all_weighing_zero_are_refused_and_nothing_changes(world: Any, pw: Any) -> None:
    services.update_item(actor=world.alice, item=pw.action1, weight=0)
    with pytest.raises(ValidationError) as error:
        services.update_item(actor=world.alice, item=pw.action2, weight=0)
    assert "weight" in error.value.message_dict
    pw.action2.refresh_from_db()
    assert pw.action2.weight == 3


@pytest.mark.parametrize("weight", [-1, 1001, 2.5, "3"])
def test_a_weight_outside_whole_numbers_0_to_1000_is_refused(
    world: Any, pw: Any, weight: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        services.update_item(actor=world.alice, item=pw.action1, weight=weight)
    assert "weight" in error.value.message_dict


def test_an_item_cannot_move_under_itself_or_its_descendants(world: Any, pw: Any) -> None:
    for target in (pw.pillar1, pw.component, pw.action1):
        with pytest.raises(ValidationError) as error:
            services.update_item(actor=world.alice, item=pw.pillar1, parent=target)
        assert "parent" in error.value.message_dict
    pw.pillar1.refresh_from_db()
    assert pw.pillar1.parent_id is None


def test_moving_an_item_moves_its_subtree_and_recomputes(world: Any, pw: Any) -> None:
    services.update_item(actor=world.alice, item=pw.action1, status=pw.statuses["completed"])
    services.update_item(actor=world.alice, item=pw.component, parent=pw.pillar2)
    refresh(pw.component, pw.action1, pw.action2, pw.pillar1, pw.pillar2)
    assert pw.component.depth == 1
    assert pw.component.path.startswith(pw.pillar2.path)
    assert pw.action1.path.startswith(pw.component.path) and pw.action1.depth == 2
    # pillar 1 has no parts left: a leaf without status counts 0; pillar 2 = (25 + 0) / 2
    assert pw.pillar1.progress == Decimal("0.00")
    assert pw.pillar2.progress == Decimal("12.50")
    paths = list(
        PlanItem.objects.filter(plan=pw.plan).order_by("path").values_list("pk", flat=True)
    )
    assert paths == [
        pw.pillar1.pk,
        pw.pillar2.pk,
        pw.action3.pk,
        pw.component.pk,
        pw.action1.pk,
        pw.action2.pk,
    ]


def test_a_plan_has_at_most_eight_levels(world: Any, pw: Any) -> None:
    parent = pw.action1
    for _level in range(MAX_DEPTH - parent.depth - 1):
        parent = services.create_item(actor=world.alice, plan=pw.plan, parent=parent, title="x")
    assert parent.depth == MAX_DEPTH - 1
    with pytest.raises(ValidationError):
        services.create_item(actor=world.alice, plan=pw.plan, parent=parent, title="too deep")


def test_deleting_an_item_deletes_its_subtree(world: Any, pw: Any) -> None:
    removed = services.delete_item(actor=world.alice, item=pw.pillar1)
    assert removed == 4
    assert list(PlanItem.objects.filter(plan=pw.plan)) == [pw.pillar2, pw.action3]
    assert AuditEntry.objects.filter(verb="plan item deleted").count() == 1


def test_leads_must_take_part_in_the_dialogue(world: Any, pw: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.update_item(actor=world.alice, item=pw.action1, leads=["HU"])
    assert "leads" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.update_item(actor=world.alice, item=pw.action1, leads=["CZ"], co_leads=["CZ"])


def test_only_the_secretariat_changes_the_tree(world: Any, pw: Any) -> None:
    for user in (world.bob, world.carol, world.dan, world.erin, world.frank):
        with pytest.raises(PermissionDenied):
            services.update_item(actor=user, item=pw.action1, weight=5)
        with pytest.raises(PermissionDenied):
            services.create_item(actor=user, plan=pw.plan, title="x")


def test_a_status_of_another_dialogue_is_refused(world: Any, pw: Any) -> None:
    other = services.ensure_default_statuses(actor=world.erin, dialogue=world.bp)[0]
    with pytest.raises(ValidationError) as error:
        services.update_item(actor=world.alice, item=pw.action1, status=other)
    assert "status" in error.value.message_dict


def test_changing_a_statuss_share_recomputes_the_plans(world: Any, pw: Any) -> None:
    status = pw.statuses["in-progress"]
    services.update_item(actor=world.alice, item=pw.action3, status=status)
    services.save_status(
        actor=world.alice,
        dialogue=world.pp,
        status=status,
        code=status.code,
        name=status.name,
        progress=80,
    )
    pw.pillar2.refresh_from_db()
    assert pw.pillar2.progress == Decimal("80.00")


def test_a_status_in_use_cannot_be_removed(world: Any, pw: Any) -> None:
    with pytest.raises(ValidationError):
        services.delete_status(actor=world.alice, status=pw.statuses["not-started"])


def test_compute_progress_of_two_thousand_items_is_fast() -> None:
    rows: list[tuple[int, int | None, int, int | None]] = []
    pk = 0
    parents: list[int | None] = [None]
    for _level in range(6):
        next_parents = []
        for parent in parents:
            for _k in range(4 if parent is not None else 3):
                pk += 1
                rows.append((pk, parent, 1 + pk % 3, (pk * 7) % 101))
                next_parents.append(pk)
        parents = next_parents
        if pk > 2000:
            break
    started = time.perf_counter()
    result, total = services.compute_progress(rows)
    assert time.perf_counter() - started < 1.0
    assert len(result) == len(rows)
    assert Decimal(0) <= total <= Decimal(100)
