"""Every role against every surface of the texts app: public pages, member pages, workspace
pages and the API. Texts under negotiation are for the secretariat and the states they went
to; adopted texts are public unless kept within the members; outsiders get 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dialogos.texts import services
from tests.texts.conftest import Negotiation, soon

ROLES = ["anonymous", "alice", "bob", "carol", "dan", "erin", "frank", "olga"]
# Who sees a text circulated to Czechia only.
SEES_CZ_TEXT = {"alice", "bob", "carol", "olga"}


def client(world: Any, role: str) -> Any:
    return world.client_for(None if role == "anonymous" else getattr(world, role))


@pytest.fixture
def cz_only(world: Any, draft: Negotiation) -> Negotiation:
    from dialogos.core.models import Country

    draft.circulation = services.circulate_version(
        actor=world.alice,
        version=draft.version,
        states=[Country.objects.get(code="CZ")],
        deadline=soon(),
    )
    return draft


@pytest.mark.parametrize("role", ROLES)
def test_member_page_of_a_text_under_negotiation(
    world: Any, cz_only: Negotiation, role: str
) -> None:
    url = reverse("texts_member:detail", args=[cz_only.text.pk])
    response = client(world, role).get(url)
    if role == "anonymous":
        assert response.status_code == 302
        return
    expected = 200 if role in SEES_CZ_TEXT else 404
    assert response.status_code == expected
    if expected == 200:
        assert "The Secretariat prepares a report." in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_member_list_shows_only_texts_circulated_to_my_state(
    world: Any, cz_only: Negotiation, role: str
) -> None:
    response = client(world, role).get(reverse("texts_member:index"))
    if role == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    shown = "Conclusions of the meeting" in response.content.decode()
    assert shown == (role in SEES_CZ_TEXT)


@pytest.mark.parametrize("role", ROLES)
def test_a_text_under_negotiation_is_never_public(
    world: Any, cz_only: Negotiation, role: str
) -> None:
    c = client(world, role)
    assert c.get(reverse("texts:detail", args=[cz_only.text.pk])).status_code == 404
    assert "Conclusions of the meeting" not in c.get(reverse("texts:list")).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_workspace_is_for_the_secretariat(world: Any, cz_only: Negotiation, role: str) -> None:
    slug = world.pp.slug
    pk = cz_only.text.pk
    urls = [
        reverse("texts_workspace:index", args=[slug]),
        reverse("texts_workspace:create", args=[slug]),
        reverse("texts_workspace:detail", args=[slug, pk]),
        reverse("texts_workspace:edit", args=[slug, pk]),
        reverse("texts_workspace:version", args=[slug, pk, 1]),
        reverse("texts_workspace:circulate", args=[slug, pk, 1]),
        reverse("texts_workspace:circulation", args=[slug, pk, cz_only.circulation.pk]),  # type: ignore[union-attr]
        reverse("texts_workspace:adopt", args=[slug, pk]),
        reverse("texts_workspace:compare", args=[slug, pk]),
        reverse("texts_workspace:paragraph", args=[slug, pk, 1, cz_only.paragraphs[0].pk]),
    ]
    c = client(world, role)
    allowed = role in {"alice", "olga"}
    for url in urls:
        response = c.get(url)
        if role == "anonymous":
            assert response.status_code in (302, 404), url
        else:
            assert response.status_code == (200 if allowed else 404), url


@pytest.mark.parametrize("role", ["bob", "carol", "dan", "erin", "frank"])
def test_workspace_writes_are_refused_to_others(
    world: Any, cz_only: Negotiation, role: str
) -> None:
    slug = world.pp.slug
    pk = cz_only.text.pk
    c = client(world, role)
    posts = [
        (reverse("texts_workspace:create", args=[slug]), {"title_en": "X", "kind": "declaration"}),
        (reverse("texts_workspace:next_version", args=[slug, pk]), {}),
        (reverse("texts_workspace:withdraw", args=[slug, pk]), {}),
        (
            reverse(
                "texts_workspace:paragraph_action",
                args=[slug, pk, 1, cz_only.paragraphs[0].pk, "delete"],
            ),
            {},
        ),
    ]
    for url, data in posts:
        assert c.post(url, data).status_code == 404, url
    cz_only.text.refresh_from_db()
    assert cz_only.text.versions.count() == 1
    assert cz_only.text.status == "negotiation"


@pytest.mark.parametrize("role", ROLES)
def test_api_text_visibility(world: Any, cz_only: Negotiation, role: str) -> None:
    c = client(world, role)
    response = c.get(f"/api/v1/texts/{cz_only.text.pk}")
    expected = 200 if role in SEES_CZ_TEXT else 404
    assert response.status_code == expected
    listed = {t["id"] for t in c.get("/api/v1/texts").json()["results"]}
    assert (cz_only.text.pk in listed) == (role in SEES_CZ_TEXT)
    version = c.get(f"/api/v1/texts/{cz_only.text.pk}/versions/1")
    assert version.status_code == expected
    if expected == 200:
        assert [p["label"] for p in version.json()["paragraphs"]] == ["1", "2", "3"]


def test_a_state_sees_only_versions_circulated_to_it(world: Any, cz_only: Negotiation) -> None:
    version = services.issue_next_version(actor=world.alice, text=cz_only.text)
    bob = world.client_for(world.bob)
    assert bob.get(f"/api/v1/texts/{cz_only.text.pk}/versions/{version.number}").status_code == 404
    numbers = [v["number"] for v in bob.get(f"/api/v1/texts/{cz_only.text.pk}").json()["versions"]]
    assert numbers == [1]
    alice = world.client_for(world.alice)
    numbers = [
        v["number"] for v in alice.get(f"/api/v1/texts/{cz_only.text.pk}").json()["versions"]
    ]
    assert numbers == [1, 2]


@pytest.mark.parametrize("role", ROLES)
def test_adopted_texts_are_public(
    world: Any, cz_only: Negotiation, meeting: Any, role: str
) -> None:
    services.adopt_text(actor=world.alice, text=cz_only.text, meeting=meeting)
    c = client(world, role)
    response = c.get(reverse("texts:detail", args=[cz_only.text.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "The Chair is thanked." in body
    assert "Senior Officials&#x27;" in body or "Senior Officials'" in body
    assert "Conclusions of the meeting" in c.get(reverse("texts:list")).content.decode()
    assert c.get(f"/api/v1/texts/{cz_only.text.pk}/versions/1").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_adopted_texts_kept_within_members(
    world: Any, cz_only: Negotiation, meeting: Any, role: str
) -> None:
    services.update_text(actor=world.alice, text=cz_only.text, public_when_adopted=False)
    services.adopt_text(actor=world.alice, text=cz_only.text, meeting=meeting)
    response = client(world, role).get(reverse("texts:detail", args=[cz_only.text.pk]))
    members = {"alice", "bob", "carol", "dan", "olga"}
    assert response.status_code == (200 if role in members else 404)


@pytest.mark.parametrize("role", ["alice", "bob", "carol", "dan", "erin", "frank"])
def test_api_comments_by_role(world: Any, cz_only: Negotiation, role: str) -> None:
    circ = cz_only.circulation
    assert circ is not None
    services.save_comment(actor=world.carol, circulation=circ, country="CZ", body="Draft words")
    services.save_comment(actor=world.bob, circulation=circ, country="CZ", body="Sent", send=True)
    response = client(world, role).get(f"/api/v1/circulations/{circ.pk}/comments")
    if role in {"bob", "carol"}:
        assert sorted(c["body"] for c in response.json()) == ["Draft words", "Sent"]
    elif role == "alice":
        assert [c["body"] for c in response.json()] == ["Sent"]
    else:
        assert response.status_code == 404


def test_api_comments_need_sign_in(world: Any, cz_only: Negotiation) -> None:
    circ = cz_only.circulation
    assert circ is not None
    assert world.client_for(None).get(f"/api/v1/circulations/{circ.pk}/comments").status_code == 401
