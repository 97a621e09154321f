"""Authentication: API tokens and the site's session."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from dialogos.api.models import ApiToken, hash_token
from dialogos.api.services import create_api_token, revoke_api_token
from dialogos.dialogues.models import Participation
from tests.api.api_helpers import PP, Caller

URL = f"{PP}/participations"
NEW = {"country": "PL", "status": "observer"}


def test_the_command_prints_a_token_that_works_and_stores_only_its_hash(world: Any) -> None:
    out = io.StringIO()
    call_command("create_api_token", email="ALICE@example.org", name="script", stdout=out)
    plain = out.getvalue().strip()
    token = ApiToken.objects.get(user=world.alice)
    assert token.name == "script"
    assert token.token_hash == hash_token(plain)
    assert plain not in {token.token_hash, token.hint}
    assert token.last_used_at is None
    assert Caller(token=plain).post(URL, NEW).status_code == 201
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_command_refuses_an_unknown_account(db: Any) -> None:
    with pytest.raises(CommandError, match="No account"):
        call_command("create_api_token", email="nobody@example.org", name="x")


def test_a_revoked_token_is_refused_with_401(world: Any) -> None:
    token, plain = create_api_token(actor=world.alice, user=world.alice, name="old")
    revoke_api_token(actor=world.alice, token=token)
    for response in (Caller(token=plain).post(URL, NEW), Caller(token=plain).get(URL)):
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Participation.objects.filter(country_id="PL").exists()


def test_a_revoked_token_is_refused_even_beside_a_valid_session(world: Any) -> None:
    token, plain = create_api_token(actor=world.alice, user=world.alice, name="old")
    revoke_api_token(actor=world.alice, token=token)
    caller = Caller(token=plain, client=world.client_for(world.alice))
    assert caller.get(URL).status_code == 401


def test_a_made_up_token_is_refused_with_401(world: Any) -> None:
    assert Caller(token="dlg_made-up").get(URL).status_code == 401


def test_a_token_of_a_deactivated_account_is_refused(world: Any) -> None:
    _token, plain = create_api_token(actor=None, user=world.alice, name="x")
    world.alice.is_active = False
    world.alice.save(update_fields=["is_active"])
    assert Caller(token=plain).post(URL, NEW).status_code == 401


def test_another_authorization_scheme_is_refused_with_401(world: Any) -> None:
    response = Client().get(URL, headers={"Authorization": "Basic YWxpY2U6cHc="})
    assert response.status_code == 401


def test_a_session_write_needs_the_csrf_token(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    response = client.post(URL, json.dumps(NEW), content_type="application/json")
    assert response.status_code == 403
    assert not Participation.objects.filter(country_id="PL").exists()

    secret = "s3cr3t" * 5 + "ok"  # a CSRF secret of 32 characters, as the cookie carries
    client.cookies["csrftoken"] = secret
    response = client.post(
        URL, json.dumps(NEW), content_type="application/json", headers={"X-CSRFToken": secret}
    )
    assert response.status_code == 201, response.content


def test_a_session_of_bob_is_refused_like_his_token(
    world: Any, as_user: Callable[[Any], Caller]
) -> None:
    client = world.client_for(world.bob)
    response = client.post(URL, json.dumps(NEW), content_type="application/json")
    assert response.status_code == 403
