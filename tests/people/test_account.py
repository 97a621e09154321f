"""The member area: roles, the person record, the password."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

ACCOUNT = "/en/account/"


def _person(user: Any, **fields: Any) -> Any:
    from dialogos.people.models import Person

    return Person.objects.create(user=user, given_name="Bob", family_name="Novák", **fields)


def test_it_sends_anonymous_visitors_to_sign_in(world: Any) -> None:
    response = Client().get(ACCOUNT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("people:login"))
    assert "next=/en/account/" in response["Location"]


def test_it_lists_the_users_roles(world: Any) -> None:
    response = world.client_for(world.bob).get(ACCOUNT)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Prague Process" in page
    assert "Focal point" in page
    assert "Czechia" in page


def test_it_lists_no_revoked_role(world: Any) -> None:
    from django.utils import timezone

    world.bob.dialogue_roles.update(revoked_at=timezone.now())
    page = world.client_for(world.bob).get(ACCOUNT).content.decode()
    assert "Focal point" not in page
    assert "no role in any dialogue" in page


def test_it_shows_roles_in_russian(world: Any) -> None:
    response = world.client_for(world.bob).get("/ru/account/")
    assert response.status_code == 200
    assert "Пражский процесс" in response.content.decode()


def test_it_says_when_no_person_record_is_linked(world: Any) -> None:
    page = world.client_for(world.frank).get(ACCOUNT).content.decode()
    assert "No person record" in page
    assert 'name="given_name"' not in page


def test_it_saves_the_person_record_with_an_audit_entry(world: Any) -> None:
    from dialogos.core.models import AuditEntry

    person = _person(world.bob)
    response = world.client_for(world.bob).post(
        ACCOUNT,
        {
            "title": "Dr",
            "given_name": "Bohumil",
            "family_name": "Novak",
            "native_name": "Bohumil Novák",
            "position": "Head of Unit",
            "level": "expert",
            "gender": "male",
            "country": "CZ",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.given_name, person.native_name, person.country_id, person.level) == (
        "Bohumil",
        "Bohumil Novák",
        "CZ",
        "expert",
    )
    entry = AuditEntry.objects.get(verb="save person")
    assert entry.actor_id == world.bob.pk


def test_it_refuses_an_unknown_country_and_changes_nothing(world: Any) -> None:
    person = _person(world.bob)
    response = world.client_for(world.bob).post(
        ACCOUNT, {"given_name": "Bohumil", "family_name": "Novak", "country": "QQ"}
    )
    assert response.status_code == 200
    assert 'id="id_country_error"' in response.content.decode()
    person.refresh_from_db()
    assert person.given_name == "Bob"


def test_it_changes_the_password(world: Any) -> None:
    client = world.client_for(world.carol)
    response = client.post(
        reverse("people:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("people:account")
    world.carol.refresh_from_db()
    assert world.carol.check_password("a-new-long-passphrase")
    # Still signed in after the change.
    assert client.get(ACCOUNT).status_code == 200


def test_it_shows_why_a_new_password_is_refused(world: Any) -> None:
    response = world.client_for(world.carol).post(
        reverse("people:password_change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
