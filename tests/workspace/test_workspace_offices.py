"""The secretariat records who holds which office for which term."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from tests.workspace.conftest import audit_entries, queries_for

LIST = "/en/workspace/prague-process/offices/"
ADD = LIST + "add/"


def _chair(world: Any, code: str, start: str, end: str) -> Any:
    from dialogos.dialogues.models import Office

    return Office.objects.create(
        dialogue=world.pp, kind="chair", country_id=code, start=start, end=end
    )


def test_it_lists_offices_now_and_in_history(world: Any, alice: Client) -> None:
    _chair(world, "CZ", "2024-01-01", "2099-12-31")
    page = alice.get(LIST).content.decode()
    now, history = page.split('id="past-heading"')
    assert "Czechia" in now
    assert "Chair of a body" in history and "Lithuania" in history


def test_it_adds_an_office_holder_with_an_audit_entry(world: Any, alice: Client) -> None:
    response = alice.post(
        ADD, {"kind": "chair", "country": "CZ", "start": "2025-01-01", "end": "2025-12-31"}
    )
    assert response.status_code == 302
    office = world.pp.offices.get(kind="chair")
    assert (office.country_id, str(office.start)) == ("CZ", "2025-01-01")
    [entry] = audit_entries(action="create")
    assert (entry.actor_id, entry.dialogue_id) == (world.alice.pk, world.pp.pk)


def test_it_refuses_an_overlapping_office(world: Any, alice: Client) -> None:
    _chair(world, "CZ", "2025-01-01", "2025-12-31")
    response = alice.post(
        ADD, {"kind": "chair", "country": "LT", "start": "2025-07-01", "end": "2026-06-30"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "already holds this office for part of that period" in page
    assert "2025-01-01" in page
    assert world.pp.offices.filter(kind="chair").count() == 1
    assert audit_entries() == []


def test_it_accepts_the_next_term_right_after(world: Any, alice: Client) -> None:
    _chair(world, "CZ", "2025-01-01", "2025-12-31")
    response = alice.post(ADD, {"kind": "chair", "country": "LT", "start": "2026-01-01"})
    assert response.status_code == 302
    assert world.pp.offices.filter(kind="chair").count() == 2


def test_it_wants_a_body_for_a_body_chair(world: Any, alice: Client) -> None:
    response = alice.post(ADD, {"kind": "body_chair", "country": "CZ"})
    assert response.status_code == 200
    assert 'id="id_body_error"' in response.content.decode()


def test_it_offers_only_this_dialogues_bodies(world: Any, alice: Client) -> None:
    from dialogos.dialogues.models import Body

    other = Body.objects.create(dialogue=world.bp, slug="som", name={"en": "Budapest SOM"})
    page = alice.get(ADD).content.decode()
    assert "Strategic Group" in page
    assert "Budapest SOM" not in page
    response = alice.post(ADD, {"kind": "body_chair", "body": other.pk, "country": "CZ"})
    assert response.status_code == 200
    assert 'id="id_body_error"' in response.content.decode()
    assert not world.pp.offices.filter(country_id="CZ").exists()


def test_it_refuses_an_end_before_the_start(world: Any, alice: Client) -> None:
    response = alice.post(
        ADD, {"kind": "chair", "country": "CZ", "start": "2025-01-01", "end": "2024-01-01"}
    )
    assert response.status_code == 200
    assert 'id="id_end_error"' in response.content.decode()
    assert not world.pp.offices.filter(kind="chair").exists()


def test_it_changes_and_removes_an_office(world: Any, alice: Client) -> None:
    office = _chair(world, "CZ", "2025-01-01", "2025-06-30")
    url = reverse("workspace:office_edit", kwargs={"slug": "prague-process", "pk": office.pk})
    response = alice.post(
        url, {"kind": "chair", "country": "CZ", "start": "2025-01-01", "end": "2025-12-31"}
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert str(office.end) == "2025-12-31"
    response = alice.post(url + "remove/")
    assert response.status_code == 302
    assert not world.pp.offices.filter(pk=office.pk).exists()
    assert [e.action for e in audit_entries()] == ["delete", "update"]
    assert {e.actor_id for e in audit_entries()} == {world.alice.pk}


def test_the_list_takes_the_same_number_of_queries_however_long(world: Any, alice: Client) -> None:
    from dialogos.dialogues.models import Office

    before = queries_for(alice, LIST)
    _chair(world, "CZ", "2024-01-01", "2024-12-31")
    _chair(world, "LT", "2025-01-01", "2025-12-31")
    Office.objects.create(
        dialogue=world.pp, kind="body_chair", body=world.strategic_group, organisation=world.icmpd
    )
    assert queries_for(alice, LIST) == before
