"""The secretariat adds and changes bodies, and who sits on them."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from tests.workspace.conftest import audit_entries, queries_for

LIST = "/en/workspace/prague-process/bodies/"


def _body_url(world: Any, name: str = "workspace:body", **extra: Any) -> str:
    return reverse(name, kwargs={"slug": "prague-process", "pk": world.strategic_group.pk, **extra})


def test_it_lists_bodies_with_their_access_and_members(world: Any, alice: Client) -> None:
    page = alice.get(LIST).content.decode()
    assert "Strategic Group" in page
    assert "Public" in page


def test_it_adds_a_body_with_a_name_in_each_language(world: Any, alice: Client) -> None:
    from dialogos.dialogues.models import Body

    response = alice.post(
        LIST + "add/",
        {
            "name_en": "Working Group on Return",
            "name_ru": "Рабочая группа по возвращению",
            "slug": "wg-return",
            "kind": "working_group",
            "access_level": "members",
            "order": "20",
        },
    )
    assert response.status_code == 302
    body = Body.objects.get(dialogue=world.pp, slug="wg-return")
    assert response["Location"] == _body_url(world).replace(
        str(world.strategic_group.pk), str(body.pk)
    )
    assert body.name == {"en": "Working Group on Return", "ru": "Рабочая группа по возвращению"}
    assert body.access_level == "members"
    [entry] = audit_entries(action="create")
    assert (entry.actor_id, entry.dialogue_id) == (world.alice.pk, world.pp.pk)


def test_it_refuses_a_body_without_a_name(world: Any, alice: Client) -> None:
    response = alice.post(
        LIST + "add/", {"slug": "nameless", "kind": "other", "access_level": "public", "order": "1"}
    )
    assert response.status_code == 200
    assert 'id="id_name_error"' in response.content.decode()
    assert world.pp.bodies.count() == 1


def test_it_refuses_a_second_body_with_the_same_short_identifier(world: Any, alice: Client) -> None:
    response = alice.post(
        LIST + "add/",
        {
            "name_en": "Another",
            "slug": "strategic-group",
            "kind": "other",
            "access_level": "public",
            "order": "1",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert world.pp.bodies.count() == 1
    assert audit_entries() == []


def test_it_offers_no_inherited_access_for_a_body(world: Any, alice: Client) -> None:
    page = alice.get(_body_url(world)).content.decode()
    assert 'value="secretariat"' in page
    assert 'value="inherit"' not in page


def test_it_changes_a_body(world: Any, alice: Client) -> None:
    response = alice.post(
        _body_url(world),
        {
            "name_en": "Strategic Group",
            "name_ru": "Стратегическая группа",
            "slug": "strategic-group",
            "kind": "strategic_group",
            "access_level": "group",
            "order": "5",
        },
    )
    assert response.status_code == 302
    world.strategic_group.refresh_from_db()
    assert world.strategic_group.access_level == "group"
    [entry] = audit_entries(action="update")
    assert entry.actor_id == world.alice.pk
    assert ("access_level", "public", "group") in entry.changes()


def test_it_adds_a_member(world: Any, alice: Client) -> None:
    response = alice.post(
        _body_url(world, "workspace:body_member_add"),
        {"country": "CZ", "capacity_en": "Rapporteur", "start": "2024-01-01"},
    )
    assert response.status_code == 302
    assert response["Location"] == _body_url(world)
    member = world.strategic_group.memberships.get(country_id="CZ")
    assert member.capacity == {"en": "Rapporteur"}
    [entry] = audit_entries(action="create")
    assert (entry.actor_id, entry.dialogue_id) == (world.alice.pk, world.pp.pk)
    assert "Czechia" in alice.get(_body_url(world)).content.decode()


def test_it_refuses_a_member_twice_for_the_same_time(world: Any, alice: Client) -> None:
    response = alice.post(_body_url(world, "workspace:body_member_add"), {"country": "LT"})
    assert response.status_code == 200
    assert "already a member of this body" in response.content.decode()
    assert world.strategic_group.memberships.count() == 1


def test_it_removes_a_member(world: Any, alice: Client) -> None:
    member = world.strategic_group.memberships.get()
    url = _body_url(world, "workspace:body_member_remove", member_pk=member.pk)
    response = alice.post(url)
    assert response.status_code == 302
    assert not world.strategic_group.memberships.exists()
    [entry] = audit_entries(action="delete")
    assert entry.actor_id == world.alice.pk


def test_it_does_not_reach_another_dialogues_body(world: Any, alice: Client) -> None:
    from dialogos.dialogues.models import Body

    other = Body.objects.create(dialogue=world.bp, slug="som", name={"en": "SOM"})
    url = reverse("workspace:body", kwargs={"slug": "prague-process", "pk": other.pk})
    assert alice.get(url).status_code == 404
    url = reverse("workspace:body", kwargs={"slug": "budapest-process", "pk": other.pk})
    assert alice.get(url).status_code == 404


def test_the_lists_take_the_same_number_of_queries_however_long(world: Any, alice: Client) -> None:
    from dialogos.dialogues.models import Body, BodyMembership

    before_list, before_body = queries_for(alice, LIST), queries_for(alice, _body_url(world))
    for code in ("AT", "DE", "FR"):
        BodyMembership.objects.create(body=world.strategic_group, country_id=code)
        Body.objects.create(dialogue=world.pp, slug=f"wg-{code.lower()}", name={"en": code})
    BodyMembership.objects.create(body=world.strategic_group, organisation=world.icmpd)
    assert queries_for(alice, LIST) == before_list
    assert queries_for(alice, _body_url(world)) == before_body
