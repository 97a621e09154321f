"""Keep the index in step: every save or delete of a registered model (and of a parent named
in a source's ``parents``) queues a reindex in the worker once the transaction commits.

The receivers only enqueue work; what an entry contains is decided by the source.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from dialogos.search import registry

_connected: set[tuple[str, int]] = set()


def _enqueue_keys(kind: str, keys: list[int]) -> None:
    from dialogos.search.tasks import reindex_objects

    transaction.on_commit(lambda: reindex_objects.enqueue(kind, keys))


def _enqueue_children(kind: str, parent_label: str, parent_key: int) -> None:
    from dialogos.search.tasks import reindex_children

    transaction.on_commit(lambda: reindex_children.enqueue(kind, parent_label, parent_key))


def _on_change(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # fixtures being loaded
        return
    if instance.pk is None:
        return
    for source in registry.sources_for_model(sender):
        _enqueue_keys(source.kind, [int(instance.pk)])
    label = sender._meta.label
    for source in registry.sources():
        if label in source.parents and source.model is not sender:
            _enqueue_children(source.kind, label, int(instance.pk))
        if label in source.contents:
            owner = getattr(instance, f"{source.contents[label]}_id", None)
            if owner is not None:
                _enqueue_keys(source.kind, [int(owner)])


def _on_m2m(sender: Any, instance: models.Model, action: str, **kwargs: Any) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not kwargs.get("reverse"):
        _on_change(type(instance), instance)
        return
    model = kwargs.get("model")
    keys = sorted(int(k) for k in (kwargs.get("pk_set") or ()))
    if model is None or not keys:
        return
    for source in registry.sources_for_model(model):
        _enqueue_keys(source.kind, keys)


def _connect(model: type[models.Model]) -> None:
    key = (model._meta.label, id(model))
    if key in _connected:
        return
    _connected.add(key)
    uid = f"search-{model._meta.label}"
    post_save.connect(_on_change, sender=model, dispatch_uid=uid + "-save", weak=False)
    post_delete.connect(_on_change, sender=model, dispatch_uid=uid + "-delete", weak=False)


def connect_all() -> None:
    """Listen to every registered model, its many-to-many fields and its sources' parents."""
    for source in registry.sources():
        _connect(source.model)
        for field in source.model._meta.many_to_many:
            through = field.remote_field.through
            uid = f"search-m2m-{source.model._meta.label}-{field.name}"
            m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=uid, weak=False)
        for label in [*source.parents, *source.contents]:
            _connect(apps.get_model(label))
