"""core.access: who sees which body, and that every surface's two questions agree."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from dialogos.core import access
from dialogos.core.models import AccessLevel
from dialogos.dialogues.models import Body, BodyMembership
from dialogos.people.models import Role

CAST = ["anonymous", "alice", "bob", "carol", "dan", "erin", "frank", "olga"]


def who(world: Any, name: str) -> Any:
    return None if name == "anonymous" else getattr(world, name)


def make_body(world: Any, slug: str, level: str) -> Body:
    return Body.objects.create(dialogue=world.pp, slug=slug, name={"en": slug}, access_level=level)


EXPECTED = {
    AccessLevel.PUBLIC: set(CAST),
    # members: every account with a role in the Prague Process, and the operator
    AccessLevel.MEMBERS: {"alice", "bob", "carol", "dan", "olga"},
    # group: the strategic group seats Lithuania, for which dan is a delegate
    AccessLevel.GROUP: {"alice", "dan", "olga"},
    AccessLevel.SECRETARIAT: {"alice", "olga"},
}


@pytest.mark.parametrize("level", list(EXPECTED))
def test_each_role_sees_exactly_the_bodies_its_level_allows(world: Any, level: str) -> None:
    body = world.strategic_group
    body.access_level = level
    body.save(update_fields=["access_level"])
    seen_by = set()
    for name in CAST:
        user = who(world, name)
        listed = access.visible(user, Body.objects.filter(pk=body.pk)).exists()
        assert listed == access.can_view(user, body), f"list and detail disagree for {name}"
        if listed:
            seen_by.add(name)
    assert seen_by == EXPECTED[level]


def test_a_seat_inherits_the_visibility_of_its_body(world: Any) -> None:
    body = make_body(world, "closed", AccessLevel.SECRETARIAT)
    seat = BodyMembership.objects.create(body=body, country_id="CZ")
    assert seat.access_level == AccessLevel.INHERIT
    assert not access.can_view(world.bob, seat)
    assert access.can_view(world.alice, seat)
    assert not access.visible(world.bob, BodyMembership.objects.filter(pk=seat.pk)).exists()
    assert access.visible(world.alice, BodyMembership.objects.filter(pk=seat.pk)).exists()


def test_a_seat_can_be_more_open_than_its_body(world: Any) -> None:
    body = make_body(world, "closed", AccessLevel.SECRETARIAT)
    seat = BodyMembership.objects.create(
        body=body, country_id="CZ", access_level=AccessLevel.PUBLIC
    )
    assert access.can_view(None, seat)
    assert access.visible(None, BodyMembership.objects.filter(pk=seat.pk)).exists()


def test_inheritance_follows_the_parent_when_it_changes(world: Any) -> None:
    body = make_body(world, "members-only", AccessLevel.MEMBERS)
    seat = BodyMembership.objects.create(body=body, country_id="LT")
    qs = BodyMembership.objects.filter(pk=seat.pk)
    assert access.visible(world.dan, qs).exists()
    assert not access.visible(world.frank, qs).exists()
    body.access_level = AccessLevel.PUBLIC
    body.save(update_fields=["access_level"])
    assert access.visible(world.frank, qs).exists()


def test_a_revoked_role_no_longer_opens_anything(world: Any) -> None:
    body = make_body(world, "members-only", AccessLevel.MEMBERS)
    assert access.can_view(world.dan, body)
    Role.objects.filter(user=world.dan).update(revoked_at="2026-01-01T00:00:00Z")
    dan = type(world.dan).objects.get(pk=world.dan.pk)  # a fresh request, a fresh principal
    assert not access.can_view(dan, body)


def test_an_inactive_account_is_treated_as_anonymous(world: Any) -> None:
    body = make_body(world, "members-only", AccessLevel.MEMBERS)
    world.dan.is_active = False
    assert not access.can_view(world.dan, body)


def test_the_other_dialogues_secretariat_cannot_change_this_one(world: Any) -> None:
    assert access.can_change(world.alice, world.strategic_group)
    assert not access.can_change(world.erin, world.strategic_group)
    assert not access.can_change(world.bob, world.strategic_group)
    assert access.can_change(world.olga, world.strategic_group)
    assert access.can_change(world.alice, world.pp)
    assert not access.can_change(world.erin, world.pp)


def test_missing_and_forbidden_look_the_same(world: Any) -> None:
    hidden = make_body(world, "hidden", AccessLevel.SECRETARIAT)
    with pytest.raises(Http404):
        access.get_visible_or_404(world.bob, Body.objects.all(), pk=hidden.pk)
    with pytest.raises(Http404):
        access.get_visible_or_404(world.bob, Body.objects.all(), pk=hidden.pk + 1000)
    with pytest.raises(Http404):
        access.get_visible_or_404(world.bob, Body.objects.all(), pk="not-a-number")
    assert access.get_visible_or_404(world.alice, Body.objects.all(), pk=hidden.pk) == hidden


def test_require_secretariat_lets_only_the_dialogues_secretariat_through(world: Any) -> None:
    assert access.require_secretariat(world.alice, world.pp.pk).is_secretariat(world.pp.pk)
    for user in (None, world.bob, world.erin, world.frank):
        with pytest.raises(Http404):
            access.require_secretariat(user, world.pp.pk)


def test_managed_dialogues(world: Any) -> None:
    assert access.managed_dialogue_ids(world.alice) == frozenset({world.pp.pk})
    assert access.managed_dialogue_ids(world.bob) == frozenset()
    assert access.managed_dialogue_ids(world.olga) is None


def test_the_principal_is_computed_once_per_user_object(
    world: Any, django_assert_num_queries: Any
) -> None:
    body = make_body(world, "members-only", AccessLevel.MEMBERS)
    with django_assert_num_queries(1):
        access.can_view(world.dan, body)
        access.can_view(world.dan, body)
        access.principal(world.dan)


def test_an_id_beyond_the_database_range_is_not_found(world: Any, client: Any) -> None:
    from django.http import Http404

    from dialogos.core import access
    from dialogos.meetings.models import Meeting

    with pytest.raises(Http404):
        access.get_visible_or_404(world.alice, Meeting.objects.all(), pk=2**70)
    assert client.get(f"/en/meetings/{2**70}/").status_code == 404
