"""A NUL character, which PostgreSQL cannot store, is refused before any view: cleaned out of
query strings, a 404 in a path, a 400 in a JSON body — never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dialogos.api.services import create_api_token

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/en/meetings/?dialogue=%00&country=C%00Z",
        "/en/library/?topic=%00",
        "/en/news/?dialogue=prague%00",
        "/en/search/?q=migr%00ation",
        "/api/v1/meetings?dialogue=%00",
        "/api/v1/news/reviews?dialogue=%00",
        "/api/v1/search?q=%00",
    ],
)
def test_nul_in_a_query_string_is_ignored(world: Any, path: str) -> None:
    assert Client().get(path).status_code == 200


def test_nul_in_a_path_is_not_found(world: Any) -> None:
    assert Client().get("/en/dialogues/prague%00process/").status_code == 404


def test_nul_in_a_json_body_is_refused_with_a_reason(world: Any) -> None:
    token = create_api_token(actor=world.alice, user=world.alice, name="test")[1]
    response = Client().post(
        "/api/v1/library/documents",
        data='{"dialogue": "prague-process", "title": {"en": "A\\u0000B"}, "date": "2024-01-01"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
