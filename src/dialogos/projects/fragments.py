"""Rendered entries of the project list, kept in the cache.

The list first reads, through ``core.access``, which projects the reader may see (plain values,
no model instances); only then does it take each project's rendered entry from the cache. An
entry holds nothing that depends on who reads it — the list query decides *whether* a project
shows, the entry only *how* — so an entry cached for the secretariat can never reach a visitor
whose list does not hold that project.

Keys carry the project's id and ``updated_at`` (every save moves it; changing a type or a place
moves it on the projects concerned), the language, the dialogue's label as shown, and
``VERSION`` (raise it when ``projects/_item.html`` changes). ``PROJECTS_FRAGMENT_CACHE_SECONDS``
(default a day; 0 turns the cache off) bounds how long an entry lives, independently of
``PUBLIC_CACHE_SECONDS``: signed-in readers get the entries from the cache too.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from dialogos.projects.models import Project

VERSION = 1
DEFAULT_SECONDS = 24 * 3600
ROW_FIELDS = ("pk", "updated_at", "dialogue__name", "dialogue__short_name")


def seconds() -> int:
    return int(getattr(settings, "PROJECTS_FRAGMENT_CACHE_SECONDS", DEFAULT_SECONDS))


@dataclass(frozen=True)
class Row:
    """One project of a list as the cache needs it."""

    pk: int
    updated_at: datetime.datetime | None
    dialogue_label: str

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> Row:
        short, name = values.get("dialogue__short_name"), values.get("dialogue__name")
        label = (short.get_text() if short else "") or (name.get_text() if name else "")
        return cls(pk=values["pk"], updated_at=values["updated_at"], dialogue_label=label)

    def key(self, language: str) -> str:
        stamp = f"{self.updated_at.timestamp():.6f}" if self.updated_at else "-"
        digest = hashlib.sha1(self.dialogue_label.encode(), usedforsecurity=False).hexdigest()
        return f"projects:entry:{VERSION}:{self.pk}:{stamp}:{language}:{digest[:12]}"


def rows(qs: Any) -> Any:
    """``qs`` (already narrowed by ``core.access``) reduced to what the cache keys need."""
    return qs.values(*ROW_FIELDS)


def entries(rows: Iterable[Row]) -> list[SafeString]:
    """The rendered ``<li>`` of each row, in order: from the cache, the missing ones rendered
    from their projects (a fixed number of queries for all of them) and stored."""
    wanted = list(rows)
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    keys = [row.key(language) for row in wanted]
    ttl = seconds()
    found: dict[str, str] = cache.get_many(keys) if ttl else {}
    missing = [row.pk for row, key in zip(wanted, keys, strict=True) if key not in found]
    if missing:
        projects = {p.pk: p for p in Project.objects.filter(pk__in=missing).with_listing_data()}
        fresh = {
            key: render_to_string("projects/_item.html", {"project": projects[row.pk]})
            for row, key in zip(wanted, keys, strict=True)
            if key not in found and row.pk in projects
        }
        if ttl and fresh:
            cache.set_many(fresh, ttl)
        found.update(fresh)
    return [mark_safe(found[key]) for key in keys if key in found]  # noqa: S308 — our template's output
