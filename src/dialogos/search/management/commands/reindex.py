"""``dialogos reindex``: rebuild the search index from every registered source.

``--bulk`` rebuilds in the engine's bulk mode (``Engine.bulk()``), for a maintenance window: on
PostgreSQL the GIN index is dropped while the entries are written (searches meanwhile are
slow), then the table is put in date order and the index built once; on SQLite the index is
merged and its word list read once at the end."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dialogos.search import indexing
from dialogos.search.engines import get_engine, no_bulk
from dialogos.search.registry import sources


class Command(BaseCommand):
    help = "Rebuild the search index (all sources, or those named with --kind), in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--kind", action="append", default=None, help="only this kind (repeatable)"
        )
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument(
            "--no-vectors", action="store_true", help="skip the embeddings (related items)"
        )
        parser.add_argument(
            "--bulk",
            action="store_true",
            help="the engine's bulk mode: faster, and on PostgreSQL the table in date order; "
            "searches are slow until it ends (PostgreSQL)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        known = [s.kind for s in sources()]
        kinds = options["kind"]
        if kinds:
            unknown = sorted(set(kinds) - set(known))
            if unknown:
                raise CommandError(
                    f"Unknown kind: {', '.join(unknown)}. Known: {', '.join(known) or 'none'}."
                )
        batch = options["batch_size"]
        if batch is not None and batch < 1:
            raise CommandError("--batch-size must be at least 1.")
        started = time.perf_counter()

        def progress(kind: str, done: int, total: int, stats: indexing.IndexStats) -> None:
            self.stdout.write(f"{kind}: {done}/{total}")

        engine = get_engine()
        with engine.bulk() if options["bulk"] else no_bulk():
            stats = indexing.rebuild(
                kinds=kinds,
                batch_size=batch,
                with_vectors=not options["no_vectors"],
                progress=progress,
            )
        elapsed = time.perf_counter() - started
        rate = stats.indexed / elapsed if elapsed else 0.0
        per_vector = (stats.embed_seconds / stats.embedded * 1000) if stats.embedded else 0.0
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {stats.indexed}, removed {stats.removed} in {elapsed:.1f} s "
                f"({rate:.0f}/s; embeddings {per_vector:.1f} ms each; engine {engine.name})."
            )
        )
