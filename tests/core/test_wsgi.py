"""The WSGI entry point freezes the long-lived objects once, after the warm-up."""

from __future__ import annotations

import gc
from typing import Any

from django.core.handlers.wsgi import WSGIHandler

from dialogos import wsgi


def test_the_long_lived_objects_are_frozen_once_after_the_warm_up(monkeypatch: Any) -> None:
    monkeypatch.setattr(wsgi, "WARM_UP_REQUESTS", 3)
    freezes: list[int] = []
    monkeypatch.setattr(wsgi, "_freeze", lambda: freezes.append(1))
    calls: list[str] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        calls.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b"ok"]

    wrapped = wsgi.FreezeAfterWarmUp(app)
    for n in range(2):
        assert wrapped({"PATH_INFO": f"/{n}"}, lambda *a: None) == [b"ok"]
    assert freezes == []
    wrapped({"PATH_INFO": "/2"}, lambda *a: None)
    assert freezes == [1]
    wrapped({"PATH_INFO": "/3"}, lambda *a: None)
    assert freezes == [1]  # once only
    assert calls == ["/0", "/1", "/2", "/3"]


def test_freezing_moves_objects_out_of_the_collectors_sight() -> None:
    gc.unfreeze()
    try:
        wsgi._freeze()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_application_is_django_behind_the_warm_up() -> None:
    assert isinstance(wsgi.application, wsgi.FreezeAfterWarmUp)
    assert isinstance(wsgi.application.app, WSGIHandler)
