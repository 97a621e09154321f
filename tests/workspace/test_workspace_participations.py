"""The secretariat adds, changes and removes the states and organisations taking part."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from tests.workspace.conftest import audit_entries, queries_for

LIST = "/en/workspace/prague-process/participations/"
ADD = LIST + "add/"


def _participation(world: Any, code: str) -> Any:
    return world.pp.participations.get(country_id=code)


def test_it_lists_current_and_past_participants(world: Any, alice: Client) -> None:
    import datetime

    lt = _participation(world, "LT")
    lt.end = datetime.date(2015, 6, 30)
    lt.save(update_fields=["end"])
    page = alice.get(LIST).content.decode()
    current, past = page.split('id="past-heading"')
    assert "Czechia" in current and "Lithuania" not in current
    assert "Lithuania" in past and "2015-06-30" in past


def test_it_adds_a_state_with_an_audit_entry(world: Any, alice: Client) -> None:
    response = alice.post(ADD, {"country": "AT", "status": "participating", "start": "2009-04-28"})
    assert response.status_code == 302
    assert response["Location"] == LIST
    added = _participation(world, "AT")
    assert added.status == "participating"
    assert str(added.start) == "2009-04-28"
    [entry] = audit_entries(action="create", object_id=str(added.pk))
    assert entry.actor_id == world.alice.pk
    assert entry.dialogue_id == world.pp.pk
    assert "saved" in alice.get(LIST).content.decode()


def test_it_adds_a_partner_organisation(world: Any, alice: Client) -> None:
    response = alice.post(ADD, {"organisation": world.icmpd.pk, "status": "partner"})
    assert response.status_code == 302
    assert world.pp.participations.filter(organisation=world.icmpd, status="partner").exists()


def test_it_refuses_an_unknown_country_code(world: Any, alice: Client) -> None:
    response = alice.post(ADD, {"country": "QQ", "status": "participating"})
    assert response.status_code == 200
    assert 'id="id_country_error"' in response.content.decode()
    assert world.pp.participations.count() == 2
    assert audit_entries() == []


def test_it_refuses_a_duplicate_participation(world: Any, alice: Client) -> None:
    response = alice.post(ADD, {"country": "CZ", "status": "observer"})
    assert response.status_code == 200
    assert "already takes part in this dialogue" in response.content.decode()
    assert world.pp.participations.filter(country_id="CZ").count() == 1
    assert audit_entries() == []


def test_it_refuses_an_end_before_the_start(world: Any, alice: Client) -> None:
    response = alice.post(
        ADD,
        {"country": "AT", "status": "participating", "start": "2020-01-01", "end": "2019-01-01"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_end_error"' in page
    assert "must not be before the start" in page
    assert not world.pp.participations.filter(country_id="AT").exists()


def test_it_refuses_both_a_state_and_an_organisation(world: Any, alice: Client) -> None:
    response = alice.post(
        ADD, {"country": "AT", "organisation": world.icmpd.pk, "status": "observer"}
    )
    assert response.status_code == 200
    assert "either a state or an organisation" in response.content.decode()
    assert world.pp.participations.count() == 2


def test_it_changes_a_participation(world: Any, alice: Client) -> None:
    cz = _participation(world, "CZ")
    url = reverse("workspace:participation_edit", kwargs={"slug": "prague-process", "pk": cz.pk})
    assert 'value="CZ" selected' in alice.get(url).content.decode()
    response = alice.post(url, {"country": "CZ", "status": "observer", "end": "2030-12-31"})
    assert response.status_code == 302
    cz.refresh_from_db()
    assert (cz.status, str(cz.end)) == ("observer", "2030-12-31")
    [entry] = audit_entries(action="update")
    assert entry.actor_id == world.alice.pk
    assert ("status", "participating", "observer") in entry.changes()


def test_it_does_not_reach_another_dialogues_participation(world: Any, alice: Client) -> None:
    hu = world.bp.participations.get()
    url = reverse("workspace:participation_edit", kwargs={"slug": "prague-process", "pk": hu.pk})
    assert alice.get(url).status_code == 404
    assert alice.post(url, {"country": "HU", "status": "observer"}).status_code == 404
    hu.refresh_from_db()
    assert hu.status == "participating"


def test_it_removes_a_participation_after_confirmation(world: Any, alice: Client) -> None:
    lt = _participation(world, "LT")
    url = reverse("workspace:participation_remove", kwargs={"slug": "prague-process", "pk": lt.pk})
    assert "Lithuania" in alice.get(url).content.decode()
    assert world.pp.participations.filter(pk=lt.pk).exists()
    response = alice.post(url)
    assert response.status_code == 302
    assert not world.pp.participations.filter(pk=lt.pk).exists()
    [entry] = audit_entries(action="delete")
    assert (entry.actor_id, entry.object_id) == (world.alice.pk, str(lt.pk))


def test_the_list_takes_the_same_number_of_queries_however_long(world: Any, alice: Client) -> None:
    from dialogos.dialogues.models import Organisation, Participation

    before = queries_for(alice, LIST)
    for code in ("AT", "DE", "FR", "PL"):
        Participation.objects.create(dialogue=world.pp, country_id=code, status="participating")
    other = Organisation.objects.create(slug="iom", acronym="IOM", name={"en": "IOM"})
    Participation.objects.create(dialogue=world.pp, organisation=other, status="partner")
    assert queries_for(alice, LIST) == before
