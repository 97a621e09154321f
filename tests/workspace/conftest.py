"""Helpers for the workspace tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@pytest.fixture
def alice(world: Any) -> Client:
    """Alice, the Prague Process secretariat, signed in."""
    return world.client_for(world.alice)


def audit_entries(**filters: Any) -> list[Any]:
    from dialogos.core.models import AuditEntry

    return list(AuditEntry.objects.filter(**filters))


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)
