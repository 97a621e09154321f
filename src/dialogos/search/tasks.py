"""Background work of search: keep the index in step with the objects. Tasks take plain values
and also work when run immediately (tests, embedded default)."""

from __future__ import annotations

from django_tasks import task, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from dialogos.search import indexing


def in_worker() -> bool:
    """False when tasks run immediately, inside the request that queued them: then the
    embeddings (slow) are left out and ``dialogos reindex`` or the next worker run adds them."""
    return not isinstance(task_backends["default"], ImmediateBackend)


@task()
def reindex_objects(kind: str, keys: list[int]) -> int:
    """Reindex these objects of ``kind`` (objects that are gone leave the index)."""
    stats = indexing.reindex_keys(kind, keys, with_vectors=in_worker())
    return stats.indexed + stats.removed


@task()
def reindex_children(kind: str, parent_label: str, parent_key: int) -> int:
    """Reindex the objects of ``kind`` below a changed parent (inherited access, titles …)."""
    stats = indexing.reindex_children(kind, parent_label, parent_key, with_vectors=in_worker())
    return stats.indexed + stats.removed


@task()
def maintain_engine() -> str:
    """The engine's periodic upkeep (PostgreSQL: the index of the newest entries)."""
    from dialogos.search.engines import get_engine

    return get_engine().maintain()
