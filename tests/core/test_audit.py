from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from dialogos.core.models import AuditEntry
from dialogos.dialogues import services
from dialogos.dialogues.models import Office


def test_a_service_write_records_who_what_before_and_after(world: Any) -> None:
    office = Office.objects.get(dialogue=world.pp, kind=Office.Kind.BODY_CHAIR)
    services.save_office(actor=world.alice, office=office, end=datetime.date(2020, 11, 30))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE)
    assert entry.actor == world.alice
    assert entry.dialogue_id == world.pp.pk
    assert entry.source == "service"
    assert ("end", "2020-12-31", "2020-11-30") in entry.changes()


def test_a_refused_write_records_nothing(world: Any) -> None:
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        services.save_participation(
            actor=world.alice, dialogue=world.pp, country_id="CZ", status="participating"
        )
    assert AuditEntry.objects.count() == before


def test_an_admin_change_is_audited_and_secrets_are_left_out(world: Any) -> None:
    client = Client()
    client.force_login(world.olga)
    response = client.post(
        f"/admin/dialogues/organisation/{world.icmpd.pk}/change/",
        {
            "slug": "icmpd",
            "name_en": "International Centre for Migration Policy Development",
            "name_ru": "Международный центр по развитию миграционной политики",
            "acronym": "ICMPD",
            "kind": "international",
            "country": "AT",
            "website": "",
            "description_en": "",
            "description_ru": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(source="admin")
    assert entry.actor == world.olga
    assert entry.before["country_id"] is None
    assert entry.after["country_id"] == "AT"
    assert entry.after["name"]["ru"].startswith("Международный")


def test_user_snapshots_never_contain_the_password_hash(world: Any) -> None:
    from dialogos.core.audit import snapshot

    assert "password" not in (snapshot(world.alice) or {})


def test_the_russian_audit_page_names_each_change_in_russian(world: Any) -> None:
    office = Office.objects.get(dialogue=world.pp, kind=Office.Kind.BODY_CHAIR)
    services.save_office(actor=world.alice, office=office, end=datetime.date(2020, 11, 30))
    client = Client()
    client.force_login(world.alice)
    page = client.get("/ru/workspace/prague-process/audit/").content.decode()
    assert "сохранение функции" in page
    assert "save office" not in page
