"""Inviting someone from the workspace and accepting the invitation."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

NEW_PASSWORD = "a-fresh-long-passphrase"


@pytest.fixture
def invite(world: Any, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Post the workspace's invite form as alice; the e-mail goes out on commit."""

    def post(**fields: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return _invite(world, **fields)

    return post


def _invite(world: Any, **fields: Any) -> Any:
    data = {
        "email": "Vera@Example.org",
        "display_name": "Vera",
        "role": "focal_point",
        "country": "LT",
        "language": "en",
        **fields,
    }
    client = world.client_for(world.alice)
    return client.post(reverse("workspace:invite", kwargs={"slug": "prague-process"}), data)


def _link_path() -> str:
    assert len(mail.outbox) == 1
    found = re.search(r"https?://[^/\s]+(/\S+/invitation/\S+/)", mail.outbox[0].body)
    assert found is not None, mail.outbox[0].body
    return found.group(1)


def _accept(client: Client, path: str, **fields: Any) -> Any:
    data = {"display_name": "Vera Petraitė", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post(path, {**data, **fields})


def test_the_secretariat_invites_and_one_email_goes_out(
    world: Any, invite: Callable[..., Any]
) -> None:
    from dialogos.people.models import Invitation

    response = invite()
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.country_id) == (
        "vera@example.org",
        "focal_point",
        "LT",
    )
    assert invitation.invited_by == world.alice
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vera@example.org"]
    assert "Prague Process" in message.subject
    assert "Focal point" in message.body
    assert "/en/account/invitation/" in message.body


def test_the_email_is_in_the_invitations_language(world: Any, invite: Callable[..., Any]) -> None:
    invite(language="ru")
    message = mail.outbox[0]
    assert "Пражский процесс" in message.subject
    assert "/ru/account/invitation/" in message.body


def test_accepting_creates_the_account_and_the_role(world: Any, invite: Callable[..., Any]) -> None:
    from dialogos.people.models import Role, User

    invite()
    path = _link_path()
    client = Client()
    page = client.get(path)
    assert page.status_code == 200
    assert "Prague Process" in page.content.decode()
    assert "Focal point" in page.content.decode()
    response = _accept(client, path)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:account")
    user = User.objects.get(email="vera@example.org")
    assert user.display_name == "Vera Petraitė"
    assert user.check_password(NEW_PASSWORD)
    role = Role.objects.active().get(user=user)
    assert (role.dialogue_id, role.role, role.country_id) == (world.pp.pk, "focal_point", "LT")
    # Signed in at once.
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_link_works_only_once(world: Any, invite: Callable[..., Any]) -> None:
    from dialogos.people.models import User

    invite()
    path = _link_path()
    _accept(Client(), path)
    again = Client().get(path)
    assert again.status_code == 404
    assert "This invitation link is not valid" in again.content.decode()
    assert _accept(Client(), path, password1="x" * 12).status_code == 404
    assert User.objects.filter(email="vera@example.org").count() == 1


def test_an_expired_link_is_refused(world: Any, invite: Callable[..., Any]) -> None:
    from dialogos.people.models import Invitation, User

    invite()
    path = _link_path()
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert Client().get(path).status_code == 404
    assert _accept(Client(), path).status_code == 404
    assert not User.objects.filter(email="vera@example.org").exists()


def test_an_unknown_token_is_refused(world: Any) -> None:
    response = Client().get(reverse("people:accept_invitation", kwargs={"token": "no-such-token"}))
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


def test_a_weak_password_is_refused_on_the_field(world: Any, invite: Callable[..., Any]) -> None:
    from dialogos.people.models import Invitation, User

    invite()
    path = _link_path()
    response = _accept(Client(), path, password1="12345", password2="12345")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_password1_error"' in page
    assert "too short" in page
    assert not User.objects.filter(email="vera@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_two_different_passwords_are_refused(world: Any, invite: Callable[..., Any]) -> None:
    from dialogos.people.models import User

    invite()
    response = _accept(Client(), _link_path(), password2="another-long-passphrase")
    assert response.status_code == 200
    assert "The two passwords differ" in response.content.decode()
    assert not User.objects.filter(email="vera@example.org").exists()


def test_an_existing_account_accepts_after_signing_in(
    world: Any, invite: Callable[..., Any]
) -> None:
    from dialogos.people.models import Role

    invite(email="frank@example.org", role="delegate", country="")
    path = _link_path()
    anonymous = Client().get(path).content.decode()
    assert "An account with this e-mail address exists" in anonymous
    assert 'name="password1"' not in anonymous
    client = world.client_for(world.frank)
    page = client.get(path).content.decode()
    assert "Accept the invitation" in page
    response = client.post(path)
    assert response.status_code == 302
    assert (
        Role.objects.active().filter(user=world.frank, dialogue=world.pp, role="delegate").exists()
    )
    assert client.get(path).status_code == 404


def test_another_signed_in_account_cannot_take_the_invitation(
    world: Any, invite: Callable[..., Any]
) -> None:
    from dialogos.people.models import Invitation, Role

    invite(email="frank@example.org", role="delegate", country="")
    path = _link_path()
    client = world.client_for(world.dan)
    page = client.get(path).content.decode()
    assert "sent to another address" in page
    client.post(path)
    assert Invitation.objects.get().accepted_at is None
    assert not Role.objects.filter(user=world.dan, role="delegate", country__isnull=True).exists()
