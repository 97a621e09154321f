from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from dialogos import conf


@pytest.mark.parametrize(
    ("helper", "value"),
    [
        (lambda: conf.env_bool("X", False), "maybe"),
        (lambda: conf.env_int("X", 1), "ten"),
        (lambda: conf.env_int("X", 1, minimum=1), "0"),
        (lambda: conf.env_database("X", Path("x.sqlite3")), "mysql://db/x"),
        (lambda: conf.env_email("X", "console:"), "carrier-pigeon://x"),
        (lambda: conf.env_email("X", "console:"), "smtp://"),
        (lambda: conf.env_redis("X"), "http://localhost:6379"),
    ],
)
def test_a_bad_value_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, helper: Any, value: str
) -> None:
    monkeypatch.setenv("X", value)
    with pytest.raises(ImproperlyConfigured):
        helper()


def test_sqlite_is_tuned_for_concurrent_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("X", raising=False)
    db = conf.env_database("X", Path("x.sqlite3"))
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["timeout"] >= 5


def test_postgres_urls_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X", "postgres://u:p@db.example:5433/dialogos")
    db = conf.env_database("X", Path("unused"))
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"]) == ("db.example", 5433, "dialogos")


def test_smtp_urls_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X", "smtp+tls://me%40x.org:secret@mail.example")
    email = conf.env_email("X", "console:")
    assert email["EMAIL_HOST"] == "mail.example"
    assert email["EMAIL_PORT"] == 587
    assert email["EMAIL_HOST_USER"] == "me@x.org"
    assert email["EMAIL_USE_TLS"] is True


def test_the_settings_module_refuses_a_bad_environment(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, DEBUG="perhaps", DIALOGOS_VAR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", "import dialogos.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr
