"""Adopted texts are found through search by their paragraphs; texts under negotiation never."""

from __future__ import annotations

from typing import Any

import pytest

from dialogos.texts import services
from tests.texts.conftest import Negotiation


def found(client: Any, q: str) -> list[str]:
    response = client.get(f"/api/v1/search?q={q}")
    assert response.status_code == 200, response.content
    return [r["title"] for r in response.json()["results"]]


@pytest.mark.parametrize("role", ["anonymous", "alice", "bob", "dan", "frank"])
def test_only_adopted_texts_are_found(
    world: Any,
    circulated: Negotiation,
    meeting: Any,
    role: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = world.client_for(None if role == "anonymous" else getattr(world, role))
    assert "Conclusions of the meeting" not in found(client, "Secretariat")
    with django_capture_on_commit_callbacks(execute=True):
        services.adopt_text(actor=world.alice, text=circulated.text, meeting=meeting)
    assert "Conclusions of the meeting" in found(client, "Secretariat")
    assert "Conclusions of the meeting" in found(client, "доклад")


def test_texts_kept_within_members_are_found_by_members_only(
    world: Any, circulated: Negotiation, meeting: Any, django_capture_on_commit_callbacks: Any
) -> None:
    services.update_text(actor=world.alice, text=circulated.text, public_when_adopted=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.adopt_text(actor=world.alice, text=circulated.text, meeting=meeting)
    assert "Conclusions of the meeting" in found(world.client_for(world.dan), "Chair")
    assert "Conclusions of the meeting" not in found(world.client_for(None), "Chair")
    assert "Conclusions of the meeting" not in found(world.client_for(world.erin), "Chair")
