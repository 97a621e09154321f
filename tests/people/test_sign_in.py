"""Signing in by e-mail address, the throttle, and signing out."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

LOGIN = "/en/account/sign-in/"


def _sign_in(client: Client, email: str, password: str, **extra: Any) -> Any:
    return client.post(LOGIN, {"email": email, "password": password, **extra})


def test_the_url_names_resolve() -> None:
    assert reverse("people:login") == LOGIN
    assert reverse("people:account") == "/en/account/"


def test_it_shows_the_form(world: Any) -> None:
    response = Client().get(LOGIN)
    assert response.status_code == 200
    assert b'name="email"' in response.content
    assert b'name="password"' in response.content


def test_it_signs_in_by_email_in_any_case(world: Any) -> None:
    client = Client()
    response = _sign_in(client, "  ALICE@Example.ORG ", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:account")
    assert client.session["_auth_user_id"] == str(world.alice.pk)


def test_it_refuses_a_wrong_password(world: Any) -> None:
    client = Client()
    response = _sign_in(client, "alice@example.org", "not-the-password")
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_answers_an_unknown_address_like_a_wrong_password(world: Any) -> None:
    response = _sign_in(Client(), "nobody@example.org", PASSWORD)
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_it_refuses_an_inactive_account(world: Any) -> None:
    world.frank.is_active = False
    world.frank.save(update_fields=["is_active"])
    client = Client()
    _sign_in(client, "frank@example.org", PASSWORD)
    assert "_auth_user_id" not in client.session


def test_it_blocks_after_too_many_failures_even_with_the_right_password(
    world: Any, settings: Any
) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    client = Client()
    for _attempt in range(3):
        _sign_in(client, "alice@example.org", "wrong-guess-123")
    response = _sign_in(client, "alice@example.org", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_does_not_check_the_password_while_blocked(world: Any, settings: Any) -> None:
    from dialogos.people.models import LoginFailure

    settings.LOGIN_FAILURE_LIMIT = 2
    client = Client()
    for _attempt in range(2):
        _sign_in(client, "alice@example.org", "wrong-guess-123")
    failures = LoginFailure.objects.count()
    _sign_in(client, "alice@example.org", "wrong-guess-456")
    # A blocked attempt is not even checked, so it is not counted as another failure.
    assert LoginFailure.objects.count() == failures


def test_it_still_lets_others_sign_in_while_one_address_is_blocked(
    world: Any, settings: Any
) -> None:
    settings.LOGIN_FAILURE_LIMIT = 2
    for _attempt in range(2):
        _sign_in(Client(), "alice@example.org", "wrong-guess-123")
    client = Client()
    response = _sign_in(client, "bob@example.org", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.bob.pk)


def test_a_success_clears_earlier_failures(world: Any, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    client = Client()
    for _attempt in range(2):
        _sign_in(client, "alice@example.org", "wrong-guess-123")
    assert _sign_in(client, "alice@example.org", PASSWORD).status_code == 302
    for _attempt in range(2):
        _sign_in(Client(), "alice@example.org", "wrong-guess-123")
    assert _sign_in(Client(), "alice@example.org", PASSWORD).status_code == 302


def test_it_follows_a_safe_next(world: Any) -> None:
    response = _sign_in(Client(), "alice@example.org", PASSWORD, next="/en/workspace/")
    assert response["Location"] == "/en/workspace/"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/path", "javascript:alert(1)"]
)
def test_it_ignores_an_unsafe_next(world: Any, target: str) -> None:
    response = _sign_in(Client(), "alice@example.org", PASSWORD, next=target)
    assert response["Location"] == reverse("people:account")


def test_it_keeps_next_in_the_form_after_a_failure(world: Any) -> None:
    response = _sign_in(Client(), "alice@example.org", "nope-nope-nope", next="/en/workspace/")
    assert b'name="next" value="/en/workspace/"' in response.content


def test_sign_out_needs_post(world: Any) -> None:
    client = world.client_for(world.alice)
    assert client.get(reverse("people:logout")).status_code == 405
    assert "_auth_user_id" in client.session


def test_sign_out_signs_out(world: Any) -> None:
    client = world.client_for(world.alice)
    response = client.post(reverse("people:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("people:account")).status_code == 302
