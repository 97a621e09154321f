"""Rendered pieces of news kept in the cache: one list entry, one item's text as HTML.

A list page first reads, through ``core.access``, which items the reader may see (plain
values, no model instances); only then does it take each item's rendered entry from the cache.
An entry holds nothing that depends on who reads it — the list query decides *whether* an item
shows, the entry only *how* — so a members-only entry cached for a member can never reach a
visitor: the visitor's list never asks for it.

Keys carry the item's id and ``updated_at`` (every save moves it; the picture services move it
too), the language, the dialogue's label as shown, and ``VERSION`` (raise it when the entry's
template changes). ``NEWS_FRAGMENT_CACHE_SECONDS`` (default a day; 0 turns the cache off) bounds
how long an entry lives. Independent of ``PUBLIC_CACHE_SECONDS``: signed-in readers, whose pages
are never cached whole, get the entries from the cache too.
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

from dialogos.core.markdown import render as markdown
from dialogos.news.models import NewsItem

VERSION = 1
DEFAULT_SECONDS = 24 * 3600

# What a list needs to find an entry in the cache: no text, no model instances.
ROW_FIELDS = ("pk", "updated_at", "dialogue_id", "dialogue__name", "dialogue__short_name")


def seconds() -> int:
    return int(getattr(settings, "NEWS_FRAGMENT_CACHE_SECONDS", DEFAULT_SECONDS))


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _stamp(value: datetime.datetime | None) -> str:
    return f"{value.timestamp():.6f}" if value is not None else "-"


@dataclass(frozen=True)
class Row:
    """One item of a list as the cache needs it."""

    pk: int
    updated_at: datetime.datetime | None
    dialogue_label: str

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> Row:
        label = ""
        if values.get("dialogue_id"):
            short, name = values.get("dialogue__short_name"), values.get("dialogue__name")
            label = (short.get_text() if short else "") or (name.get_text() if name else "")
        return cls(pk=values["pk"], updated_at=values["updated_at"], dialogue_label=label)

    def key(self, language: str, show_dialogue: bool) -> str:
        label = self.dialogue_label if show_dialogue else ""
        digest = hashlib.sha1(label.encode(), usedforsecurity=False).hexdigest()[:12]
        return f"news:entry:{VERSION}:{self.pk}:{_stamp(self.updated_at)}:{language}:{digest}"


def rows(qs: Any) -> Any:
    """``qs`` (already narrowed by ``core.access``) reduced to what the cache keys need."""
    return qs.values(*ROW_FIELDS)


def entries(rows: Iterable[Row], *, show_dialogue: bool) -> list[SafeString]:
    """The rendered ``<li>`` of each row, in order: from the cache, the missing ones rendered
    from their items (one query for all of them) and stored."""
    from dialogos.news import queries

    wanted = list(rows)
    language = _language()
    keys = [row.key(language, show_dialogue) for row in wanted]
    ttl = seconds()
    found: dict[str, str] = cache.get_many(keys) if ttl else {}
    missing = [row.pk for row, key in zip(wanted, keys, strict=True) if key not in found]
    if missing:
        items = NewsItem.objects.filter(pk__in=missing).with_listing_data()
        by_pk = {item.pk: item for item in queries.for_listing(list(items))}
        fresh: dict[str, str] = {}
        for row, key in zip(wanted, keys, strict=True):
            if key in found or row.pk not in by_pk:
                continue
            html = render_to_string(
                "news/_item.html", {"item": by_pk[row.pk], "show_dialogue": show_dialogue}
            )
            fresh[key] = html
        if ttl and fresh:
            cache.set_many(fresh, ttl)
        found.update(fresh)
    return [mark_safe(found[key]) for key in keys if key in found]  # noqa: S308 — our template's output


def item_html(item: NewsItem, language: str | None = None) -> tuple[SafeString, str]:
    """An item's text in ``language`` as sanitised HTML, and the language it is really in."""
    language = language or _language()
    text = item.body.get_text(language)
    text_language = item.body.language_of(language) if text else item.title.language_of()
    return markdown_of(item.pk, item.updated_at, f"body:{language}", text), text_language


def markdown_of(pk: int, updated_at: datetime.datetime | None, part: str, text: str) -> SafeString:
    """``core.markdown.render(text)`` of a part of an item, cached on the item's version."""
    ttl = seconds()
    if not ttl or not text:
        return markdown(text)
    key = f"news:md:{VERSION}:{pk}:{_stamp(updated_at)}:{part}"
    html = cache.get(key)
    if html is None:
        html = str(markdown(text))
        cache.set(key, html, ttl)
    return mark_safe(html)  # noqa: S308 — sanitised by core.markdown before it was stored
