"""Only the dialogue's secretariat and operators see its workspace; everyone else a 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

SLUG = "prague-process"

OUTSIDERS = ["anonymous", "frank", "bob", "dan", "erin"]
INSIDERS = ["alice", "olga"]


def _pages(world: Any) -> list[str]:
    """Every workspace page of the Prague Process, with real objects in it."""
    from dialogos.dialogues.models import BodyMembership, Grouping, GroupingMembership, Office

    grouping = Grouping.objects.create(slug="eu", name={"en": "European Union"})
    world.pp.groupings.add(grouping)
    membership = GroupingMembership.objects.create(grouping=grouping, country_id="CZ")
    participation = world.pp.participations.first()
    body = world.strategic_group
    member = BodyMembership.objects.filter(body=body).first()
    office = Office.objects.filter(dialogue=world.pp).first()
    s = {"slug": SLUG}
    g = {**s, "grouping_slug": "eu", "pk": membership.pk}
    return [
        reverse("workspace:dialogue", kwargs=s),
        reverse("workspace:participations", kwargs=s),
        reverse("workspace:participation_add", kwargs=s),
        reverse("workspace:participation_edit", kwargs={**s, "pk": participation.pk}),
        reverse("workspace:participation_remove", kwargs={**s, "pk": participation.pk}),
        reverse("workspace:bodies", kwargs=s),
        reverse("workspace:body_add", kwargs=s),
        reverse("workspace:body", kwargs={**s, "pk": body.pk}),
        reverse("workspace:body_member_add", kwargs={**s, "pk": body.pk}),
        reverse("workspace:body_member_edit", kwargs={**s, "pk": body.pk, "member_pk": member.pk}),
        reverse(
            "workspace:body_member_remove", kwargs={**s, "pk": body.pk, "member_pk": member.pk}
        ),
        reverse("workspace:offices", kwargs=s),
        reverse("workspace:office_add", kwargs=s),
        reverse("workspace:office_edit", kwargs={**s, "pk": office.pk}),
        reverse("workspace:office_remove", kwargs={**s, "pk": office.pk}),
        reverse("workspace:groupings", kwargs=s),
        reverse("workspace:grouping_member_add", kwargs={**s, "grouping_slug": "eu"}),
        reverse("workspace:grouping_member_edit", kwargs=g),
        reverse("workspace:grouping_member_end", kwargs=g),
        reverse("workspace:grouping_member_remove", kwargs=g),
        reverse("workspace:people", kwargs=s),
        reverse("workspace:invite", kwargs=s),
        reverse("workspace:audit", kwargs=s),
    ]


def _client(world: Any, who: str) -> Client:
    return world.client_for(None if who == "anonymous" else getattr(world, who))


@pytest.mark.parametrize("who", OUTSIDERS)
def test_every_page_is_not_found_for_outsiders(world: Any, who: str) -> None:
    client = _client(world, who)
    for url in _pages(world):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("who", OUTSIDERS)
def test_every_write_is_not_found_for_outsiders(world: Any, who: str) -> None:
    from dialogos.core.models import AuditEntry

    client = _client(world, who)
    role = world.bob.dialogue_roles.get()
    urls = [*_pages(world), reverse("workspace:role_revoke", kwargs={"slug": SLUG, "pk": role.pk})]
    for url in urls:
        assert client.post(url, {"end": "2030-01-01", "country": "AT"}).status_code == 404, url
    assert not AuditEntry.objects.exists()
    assert world.pp.participations.count() == 2


@pytest.mark.parametrize("who", INSIDERS)
def test_every_page_opens_for_the_secretariat_and_operators(world: Any, who: str) -> None:
    client = _client(world, who)
    for url in _pages(world):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["anonymous", "frank", "bob", "dan"])
def test_the_index_is_not_found_without_a_secretariat_role(world: Any, who: str) -> None:
    assert _client(world, who).get(reverse("workspace:index")).status_code == 404


def test_the_index_lists_only_the_dialogues_the_user_runs(world: Any) -> None:
    page = world.client_for(world.erin).get(reverse("workspace:index")).content.decode()
    assert "Budapest Process" in page
    assert "Prague Process" not in page


def test_the_index_lists_every_dialogue_for_an_operator(world: Any) -> None:
    page = world.client_for(world.olga).get(reverse("workspace:index")).content.decode()
    assert "Budapest Process" in page
    assert "Prague Process" in page


def test_an_unknown_dialogue_is_not_found_even_for_an_operator(world: Any) -> None:
    client = world.client_for(world.olga)
    assert client.get("/en/workspace/no-such-dialogue/").status_code == 404


def test_a_revoked_secretariat_role_closes_the_workspace(world: Any) -> None:
    from django.utils import timezone

    world.alice.dialogue_roles.update(revoked_at=timezone.now())
    client = world.client_for(world.alice)
    assert client.get(reverse("workspace:dialogue", kwargs={"slug": SLUG})).status_code == 404


def test_the_workspace_renders_in_russian(world: Any) -> None:
    client = world.client_for(world.alice)
    for url in _pages(world):
        russian = url.replace("/en/", "/ru/", 1)
        response = client.get(russian)
        assert response.status_code == 200, russian
        assert '<html lang="ru"' in response.content.decode()
    overview = client.get(f"/ru/workspace/{SLUG}/").content.decode()
    assert "Пражский процесс" in overview
