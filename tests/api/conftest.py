"""Fixtures: callers of the API as the cast of ``tests/conftest.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.api.api_helpers import Caller


@pytest.fixture
def anonymous() -> Caller:
    return Caller()


@pytest.fixture
def as_user(world: Any) -> Callable[[Any], Caller]:
    """A caller with a fresh API token of ``user`` (or anonymous for ``None``)."""
    from dialogos.api.services import create_api_token

    def make(user: Any) -> Caller:
        if user is None:
            return Caller()
        _token, plain = create_api_token(actor=None, user=user, name="tests")
        return Caller(token=plain)

    return make
