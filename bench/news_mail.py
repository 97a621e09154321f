"""A mail backend for benchmarks: sends nothing, records each handed-over message in the DB.

Each message of a review carries ``X-Dialogos-Dispatch: <outbox row id>``; the backend inserts
that id into ``bench_news_delivery`` (committed before ``send_messages`` returns), so a
message handed over twice shows up as two rows however the outbox itself looks. The table
stands for the mail server, a separate system: on PostgreSQL its commits do not wait for the
disk (``synchronous_commit`` off — still visible at once to every session, and surviving the
worker's SIGKILL), so the benchmark times the outbox's own writes, not the stand-in's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction

TABLE = "bench_news_delivery"


def ensure_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (dispatch_id bigint NOT NULL, email varchar(254))"
        )


class CountingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[Any]) -> int:
        rows = [
            (int(m.extra_headers.get("X-Dialogos-Dispatch", 0)), m.to[0]) for m in email_messages
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            cursor.executemany(
                f"INSERT INTO {TABLE} (dispatch_id, email) VALUES (%s, %s)",  # noqa: S608
                rows,
            )
        return len(rows)
