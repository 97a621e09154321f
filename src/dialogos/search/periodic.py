"""Periodic work of search (see ``dialogos periodic``): the engine's upkeep — on PostgreSQL, the
GIN index of the newest entries built again once new entries have grown it by half."""

from dialogos.search.tasks import maintain_engine

TASKS = [maintain_engine]
