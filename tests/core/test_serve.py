"""``dialogos serve``: the granian command line it hands over to, from options and environment,
and a clear error for a bad setting."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from dialogos.core.management.commands import serve


@pytest.fixture
def handed_over(monkeypatch: Any, settings: Any, tmp_path: Any) -> list[list[str]]:
    calls: list[list[str]] = []
    monkeypatch.setattr(
        serve.os,
        "execve",
        lambda path, args, env: calls.append(
            [*args, f"OPENBLAS_NUM_THREADS={env.get('OPENBLAS_NUM_THREADS')}"]
        ),
    )
    (tmp_path / "staticfiles.json").write_text("{}")
    settings.STATIC_ROOT = tmp_path
    monkeypatch.delenv("WEB_THREADS", raising=False)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    return calls


def _option(args: list[str], name: str) -> str:
    return args[args.index(name) + 1]


def test_defaults_one_request_per_worker_at_a_time(handed_over: list[list[str]]) -> None:
    call_command("serve", "--port", "8123", "--workers", "3")
    (args,) = handed_over
    assert _option(args, "--port") == "8123"
    assert _option(args, "--workers") == "3"
    assert _option(args, "--blocking-threads") == str(serve.DEFAULT_THREADS) == "1"
    assert args[-2] == "dialogos.wsgi:application"
    # numpy's BLAS runs one thread in each worker, unless the operator says otherwise.
    assert args[-1] == "OPENBLAS_NUM_THREADS=1"


def test_an_operators_blas_threads_are_kept(handed_over: list[list[str]], monkeypatch: Any) -> None:
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    call_command("serve", "--port", "8123")
    assert handed_over[0][-1] == "OPENBLAS_NUM_THREADS=2"


def test_threads_from_the_option_or_the_environment(
    handed_over: list[list[str]], monkeypatch: Any
) -> None:
    call_command("serve", "--port", "8123", "--threads", "4")
    monkeypatch.setenv("WEB_THREADS", "3")
    call_command("serve", "--port", "8123")
    assert [_option(a, "--blocking-threads") for a in handed_over] == ["4", "3"]


@pytest.mark.parametrize("bad", ["0", "65", "two", "²", "-1"])
def test_a_bad_thread_count_is_refused_clearly(
    handed_over: list[list[str]], monkeypatch: Any, bad: str
) -> None:
    monkeypatch.setenv("WEB_THREADS", bad)
    with pytest.raises(CommandError, match="WEB_THREADS"):
        call_command("serve", "--port", "8123")
    assert handed_over == []
