"""The secretariat sees who has which role, revokes roles and invites people."""

from __future__ import annotations

import datetime
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.workspace.conftest import audit_entries, queries_for

PEOPLE = "/en/workspace/prague-process/people/"
INVITE = PEOPLE + "invite/"


def _invitation(world: Any, email: str, **fields: Any) -> Any:
    from dialogos.people.models import Invitation

    fields.setdefault("expires_at", timezone.now() + datetime.timedelta(days=3))
    return Invitation.objects.create(
        email=email, dialogue=world.pp, role="delegate", token_hash=email, **fields
    )


def test_it_lists_the_active_roles_of_this_dialogue_only(world: Any, alice: Client) -> None:
    page = alice.get(PEOPLE).content.decode()
    for email in ("alice@", "bob@", "carol@", "dan@"):
        assert email in page
    assert "erin@" not in page


def test_it_lists_invitations_by_status(world: Any, alice: Client) -> None:
    _invitation(world, "waiting@example.org")
    _invitation(world, "late@example.org", expires_at=timezone.now() - datetime.timedelta(days=1))
    _invitation(world, "done@example.org", accepted_at=timezone.now())
    page = alice.get(PEOPLE).content.decode()
    for email, status in [
        ("waiting@example.org", "waiting"),
        ("late@example.org", "expired"),
        ("done@example.org", "accepted"),
    ]:
        row = page.split(email, 1)[1].split("</tr>", 1)[0]
        assert status in row, email


def test_it_revokes_a_role_with_an_audit_entry(world: Any, alice: Client) -> None:
    grant = world.bob.dialogue_roles.get()
    url = reverse("workspace:role_revoke", kwargs={"slug": "prague-process", "pk": grant.pk})
    assert alice.get(url).status_code == 405
    response = alice.post(url)
    assert response.status_code == 302
    assert response["Location"] == PEOPLE
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    [entry] = audit_entries(verb="revoke role")
    assert (entry.actor_id, entry.dialogue_id) == (world.alice.pk, world.pp.pk)
    roles_table = alice.get(PEOPLE).content.decode().split('id="roles-heading"')[1]
    assert "bob@" not in roles_table.split('id="invitations-heading"')[0]


def test_it_does_not_revoke_a_role_in_another_dialogue(world: Any, alice: Client) -> None:
    grant = world.erin.dialogue_roles.get()
    url = reverse("workspace:role_revoke", kwargs={"slug": "prague-process", "pk": grant.pk})
    assert alice.post(url).status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_revoking_ones_own_secretariat_role_leaves_the_workspace(world: Any, alice: Client) -> None:
    grant = world.alice.dialogue_roles.get()
    url = reverse("workspace:role_revoke", kwargs={"slug": "prague-process", "pk": grant.pk})
    response = alice.post(url)
    assert response["Location"] == reverse("people:account")
    assert alice.get(PEOPLE).status_code == 404


def test_it_invites_with_an_audit_entry(
    world: Any, alice: Client, django_capture_on_commit_callbacks: Any
) -> None:
    from dialogos.people.models import Invitation

    with django_capture_on_commit_callbacks(execute=True):
        response = alice.post(
            INVITE,
            {"email": "new@example.org", "role": "contributor", "country": "CZ", "language": "ru"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.country_id, invitation.language) == (
        "contributor",
        "CZ",
        "ru",
    )
    [entry] = audit_entries(verb="invite person")
    assert (entry.actor_id, entry.dialogue_id) == (world.alice.pk, world.pp.pk)
    assert len(mail.outbox) == 1
    assert "new@example.org" in alice.get(PEOPLE).content.decode()


def test_it_wants_a_state_for_a_focal_point(world: Any, alice: Client) -> None:
    from dialogos.people.models import Invitation

    response = alice.post(
        INVITE, {"email": "new@example.org", "role": "focal_point", "language": "en"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_country_error"' in page
    assert "acts for a state" in page
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_it_refuses_to_invite_someone_who_has_the_role(world: Any, alice: Client) -> None:
    from dialogos.people.models import Invitation

    response = alice.post(
        INVITE,
        {"email": "BOB@example.org", "role": "focal_point", "country": "CZ", "language": "en"},
    )
    assert response.status_code == 200
    assert 'id="id_email_error"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_it_refuses_an_invalid_address(world: Any, alice: Client) -> None:
    response = alice.post(INVITE, {"email": "not-an-address", "role": "delegate", "language": "en"})
    assert response.status_code == 200
    assert 'id="id_email_error"' in response.content.decode()


def test_the_page_takes_the_same_number_of_queries_however_long(world: Any, alice: Client) -> None:
    from dialogos.people.models import Role

    before = queries_for(alice, PEOPLE)
    for n in range(3):
        _invitation(world, f"person{n}@example.org", country_id="CZ", invited_by=world.alice)
    Role.objects.create(user=world.frank, dialogue=world.pp, role="delegate", country_id="CZ")
    Role.objects.create(user=world.erin, dialogue=world.pp, role="delegate", granted_by=world.alice)
    assert queries_for(alice, PEOPLE) == before
