"""Calling the API through HTTP, and reading its answers, in tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

API = "/api/v1"
PP = f"{API}/dialogues/prague-process"


class Caller:
    """An API client: anonymous, with a bearer token, or with a signed-in session."""

    def __init__(self, *, token: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, lang: str | None = None, headers: dict[str, str] | None = None) -> Any:
        if lang:
            path += ("&" if "?" in path else "?") + f"lang={lang}"
        return self.client.get(path, headers={**self.headers, **(headers or {})})

    def send(
        self, method: str, path: str, data: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        body = data if isinstance(data, str) else json.dumps(data) if data is not None else ""
        return getattr(self.client, method.lower())(
            path,
            body,
            content_type="application/json",
            headers={**self.headers, **(headers or {})},
        )

    def post(self, path: str, data: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.send("post", path, data, headers)

    def patch(self, path: str, data: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.send("patch", path, data, headers)

    def delete(self, path: str, headers: dict[str, str] | None = None) -> Any:
        return self.send("delete", path, None, headers)


def count_queries(call: Callable[[], Any]) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    return len(queries), response


def errors(response: Any) -> dict[str | None, str]:
    """``{field: message}`` of a 422 answer."""
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["detail"]}
