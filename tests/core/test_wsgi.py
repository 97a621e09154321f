"""The WSGI entry point: it answers, and freezes long-lived objects after the warm-up."""

from __future__ import annotations

import gc
import io
from typing import Any

import pytest

from dialogos import wsgi


def test_the_long_lived_objects_are_frozen_after_the_warm_up(monkeypatch: Any) -> None:
    monkeypatch.setattr(wsgi, "WARM_UP_REQUESTS", 3)
    calls: list[str] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        calls.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b"ok"]

    wrapped = wsgi.FreezeAfterWarmUp(app)
    gc.unfreeze()
    try:
        for n in range(2):
            assert wrapped({"PATH_INFO": f"/{n}"}, lambda *a: None) == [b"ok"]
        assert gc.get_freeze_count() == 0
        wrapped({"PATH_INFO": "/2"}, lambda *a: None)
        frozen = gc.get_freeze_count()
        assert frozen > 0
        wrapped({"PATH_INFO": "/3"}, lambda *a: None)  # after the warm-up: no second freeze
        assert gc.get_freeze_count() == frozen
        assert calls == ["/0", "/1", "/2", "/3"]
    finally:
        gc.unfreeze()


@pytest.mark.django_db
def test_the_application_answers() -> None:
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"] = status

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/en/",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
    }
    body = b"".join(wsgi.application(environ, start_response))
    assert seen["status"].startswith("200") and b"Dialogos" in body
