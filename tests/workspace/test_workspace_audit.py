"""The audit log of a dialogue: who changed what and when, newest first."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.workspace.conftest import queries_for

AUDIT = "/en/workspace/prague-process/audit/"


def _entries(world: Any, count: int, dialogue: Any = None) -> None:
    from dialogos.core.models import AuditEntry

    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=world.alice,
            action="update",
            verb="save office",
            object_repr=f"Object {n:03d}",
            dialogue_id=(dialogue or world.pp).pk,
            before={"end": None, "title": {"en": "Old"}},
            after={"end": "2030-01-01", "title": {"en": "New"}},
        )
        for n in range(count)
    )


def test_it_shows_who_what_and_the_changed_fields(world: Any, alice: Client) -> None:
    alice.post(
        "/en/workspace/prague-process/participations/add/",
        {"country": "AT", "status": "observer"},
    )
    page = alice.get(AUDIT).content.decode()
    assert "Alice" in page
    assert "created" in page
    assert "Austria" in page
    assert "<dt>status</dt>" in page
    assert "observer" in page


def test_it_shows_only_this_dialogues_entries(world: Any, alice: Client) -> None:
    _entries(world, 1, dialogue=world.bp)
    page = alice.get(AUDIT).content.decode()
    assert "Object 000" not in page
    assert "Nothing has been changed yet" in page


def test_it_pages_by_fifty_newest_first(world: Any, alice: Client) -> None:
    _entries(world, 120)
    first = alice.get(AUDIT).content.decode()
    assert first.count("<tr>") == 51  # the header row and fifty entries
    assert "Object 119" in first and "Object 070" in first and "Object 069" not in first
    assert "Page 1 of 3" in first
    last = alice.get(AUDIT + "?page=3").content.decode()
    assert "Object 019" in last and "Object 000" in last and "Object 020" not in last
    assert alice.get(AUDIT + "?page=99").status_code == 200


def test_it_renders_translated_values_readably(world: Any, alice: Client) -> None:
    _entries(world, 1)
    page = alice.get(AUDIT).content.decode()
    assert "{&quot;en&quot;: &quot;New&quot;}" in page


def test_the_page_takes_the_same_number_of_queries_however_long(world: Any, alice: Client) -> None:
    _entries(world, 2)
    before = queries_for(alice, AUDIT)
    _entries(world, 40)
    assert queries_for(alice, AUDIT) == before
