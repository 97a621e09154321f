"""Writes to the index: (re)index objects of a source, drop them, rebuild everything.

Called from the worker (``search.tasks``) and the ``reindex`` command, never from a request.
The index is derived data, so these writes record no audit entry.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from dialogos.core.i18n import TranslatedText
from dialogos.core.models import Country
from dialogos.search import embeddings
from dialogos.search.engines import FulltextRow, facet_line, get_engine
from dialogos.search.models import (
    Facet,
    SearchBody,
    SearchEntry,
    SearchHead,
    SearchTag,
    SearchText,
    SearchTopic,
)
from dialogos.search.registry import IndexEntry, Source, get_source, sources
from dialogos.search.text import (
    FACET_WORD_PREFIX,
    SNIPPET_HEAD_CHARS,
    SNIPPET_SCAN_CHARS,
    fold,
    word_line,
)

logger = logging.getLogger(__name__)

#: PostgreSQL refuses a tsvector over 1 MB; longer extracted text is cut (title and the start
#: of the text matter most for ranking anyway).
MAX_BODY_CHARS = 400_000
#: Characters of the start of each language's text whose words rank (``fts_summary``).
SUMMARY_CHARS = 300
#: A word of a text that starts like the index's words for facet values (taken out).
_FACET_LOOKALIKE = re.compile(rf"(?<![^\W_]){FACET_WORD_PREFIX}[^\W_]*")


@dataclass
class IndexStats:
    indexed: int = 0
    removed: int = 0
    embedded: int = 0
    embed_seconds: float = 0.0


def all_country_names() -> dict[str, list[str]]:
    """Every name of every country (all languages, official, former and other names), by code:
    what the index holds of an entry's countries, and what a result found by one names."""
    names: dict[str, list[str]] = {}
    for country in Country.objects.only("code", "name", "official_name", "other_names"):
        found: list[str] = []
        for value in (country.name, country.official_name):
            found += [str(v) for v in (value or {}).values() if v]
        found += [str(v) for v in (country.other_names or []) if v]
        names[country.code] = found
    return names


def _row(
    entry: IndexEntry, country_names: dict[str, list[str]]
) -> tuple[dict[str, Any], dict[str, str], str]:
    """The entry's columns, the start of its text per language, and the folded text the
    engine indexes."""
    title_text = "\n".join(v for v in entry.title.values() if v)
    body_parts = [v for v in entry.body.values() if v]
    summary = " ".join(v[:SUMMARY_CHARS] for v in body_parts)
    if entry.keywords:
        body_parts.append(entry.keywords)
    for code in entry.countries:
        body_parts.append(" ".join(country_names.get(code.upper(), [])))
    for labels in entry.topics.values():
        body_parts.append(" ".join(v for v in labels.values() if v))
    body_text = "\n".join(body_parts)[:MAX_BODY_CHARS]
    return (
        {
            "title": dict(entry.title),
            "url": dict(entry.url),
            "dialogue_id": entry.dialogue_id,
            "access": entry.access,
            "countries": sorted({c.upper() for c in entry.countries}),
            "topics": sorted(entry.topics),
            "languages": list(dict.fromkeys(entry.languages)),
            "date": entry.date,
            "year": entry.date.year if entry.date else None,
            "fts_head": word_line(title_text),
            "fts_summary": word_line(summary),
        },
        # Only the start of each text is ever cut into a snippet.
        {k[:16]: v[:SNIPPET_SCAN_CHARS] for k, v in entry.body.items() if v},
        fold(f"{title_text}\n{body_text}"),
    )


def _tags(kind: str, row: dict[str, Any]) -> list[tuple[str, str]]:
    tags = [(Facet.KIND.value, kind)]
    if row["dialogue_id"] is not None:
        tags.append((Facet.DIALOGUE.value, str(row["dialogue_id"])))
    tags += [(Facet.COUNTRY.value, code) for code in row["countries"]]
    tags += [(Facet.TOPIC.value, key[:64]) for key in row["topics"]]
    if row["year"]:
        tags.append((Facet.YEAR.value, str(row["year"])))
    tags += [(Facet.LANGUAGE.value, code[:64]) for code in row["languages"]]
    return list(dict.fromkeys(tags))


def embedding_text(entry: IndexEntry) -> str:
    """What the embedding reads: the title and the start of the text, in each language."""
    title = TranslatedText(dict(entry.title)).get_text()
    body = TranslatedText(dict(entry.body)).get_text()
    return f"{title}. {body[:600]}".strip()


def index_objects(
    source: Source[Any], objs: Iterable[Any], *, with_vectors: bool = True
) -> IndexStats:
    """Write the entries of ``objs`` (objects of ``source``); objects whose ``entry`` is
    ``None`` leave the index."""
    built: list[tuple[int, IndexEntry]] = []
    dropped: list[int] = []
    for obj in objs:
        entry = source.entry(obj)
        if entry is None:
            dropped.append(int(obj.pk))
        else:
            built.append((int(obj.pk), entry))
    stats = write_entries(source.kind, built, with_vectors=with_vectors)
    if dropped:
        stats.removed += remove_objects(source.kind, dropped)
    return stats


def write_entries(
    kind: str,
    built: Sequence[tuple[int, IndexEntry]],
    *,
    with_vectors: bool = True,
    country_names: dict[str, list[str]] | None = None,
) -> IndexStats:
    """Write index entries of ``kind`` keyed by object id (insert or replace, tags included)."""
    stats = IndexStats()
    if not built:
        return stats
    names = country_names if country_names is not None else all_country_names()
    vectors: list[bytes | None] = [None] * len(built)
    if with_vectors and embeddings.enabled():
        started = time.perf_counter()
        vectors = list(embeddings.encode([embedding_text(e) for _pk, e in built]))
        stats.embed_seconds = time.perf_counter() - started
        stats.embedded = len(built)
    with transaction.atomic():
        existing = dict(
            SearchEntry.objects.filter(
                kind=kind, object_id__in=[pk for pk, _e in built]
            ).values_list("object_id", "id")
        )
        topics: dict[str, dict[str, str]] = {}
        tag_rows: list[SearchTag] = []
        fulltext: list[FulltextRow] = []
        new_rows: list[
            tuple[SearchEntry, bytes | None, dict[str, str], list[tuple[str, str]], str]
        ] = []
        body_rows: list[SearchBody] = []
        for (pk, entry), vector in zip(built, vectors, strict=True):
            row, bodies, folded = _row(entry, names)
            tags = _tags(kind, row)
            row["facets"] = facet_line(tags)
            if FACET_WORD_PREFIX in folded:  # a text may not pass for a facet value
                folded = _FACET_LOOKALIKE.sub(" ", folded)
            # The facet values are words of the index too: a facet filter is part of the match.
            folded = f"{folded}\n{row['facets']}"
            if pk in existing:
                entry_id = existing[pk]
                SearchEntry.objects.filter(id=entry_id).update(**row)
                SearchText.objects.update_or_create(entry_id=entry_id, defaults={"vector": vector})
                body_rows += [
                    SearchBody(entry_id=entry_id, language=k, text=v) for k, v in bodies.items()
                ]
                tag_rows += [SearchTag(entry_id=entry_id, facet=f, value=v) for f, v in tags]
                fulltext.append(FulltextRow(entry_id, row["date"], folded))
            else:
                new_rows.append(
                    (SearchEntry(kind=kind, object_id=pk, **row), vector, bodies, tags, folded)
                )
            for key, labels in entry.topics.items():
                topics[key[:64]] = {k: v for k, v in labels.items() if v}
            stats.indexed += 1
        created = SearchEntry.objects.bulk_create([row[0] for row in new_rows], batch_size=500)
        if any(e.pk is None for e in created):  # a backend without RETURNING: read the ids
            ids = dict(
                SearchEntry.objects.filter(
                    kind=kind, object_id__in=[e.object_id for e in created]
                ).values_list("object_id", "id")
            )
            for e in created:
                e.pk = ids[e.object_id]
        texts = []
        for entry_row, (_e, vector, bodies, tags, folded) in zip(created, new_rows, strict=True):
            texts.append(SearchText(entry_id=entry_row.pk, vector=vector))
            body_rows += [
                SearchBody(entry_id=entry_row.pk, language=k, text=v) for k, v in bodies.items()
            ]
            tag_rows += [SearchTag(entry_id=entry_row.pk, facet=f, value=v) for f, v in tags]
            fulltext.append(FulltextRow(entry_row.pk, entry_row.date, folded))
        SearchText.objects.bulk_create(texts, batch_size=200)
        SearchBody.objects.filter(entry_id__in=list(existing.values())).delete()
        SearchBody.objects.bulk_create(body_rows, batch_size=200)
        SearchHead.objects.filter(entry_id__in=list(existing.values())).delete()
        SearchHead.objects.bulk_create(
            [
                # One character more than a snippet looks at: a text that goes on shows so.
                SearchHead(
                    entry_id=b.entry_id,
                    language=b.language,
                    text=b.text[: SNIPPET_HEAD_CHARS + 1],
                )
                for b in body_rows
            ],
            batch_size=500,
        )
        get_engine().write(fulltext)
        SearchTag.objects.filter(entry_id__in=list(existing.values())).delete()
        SearchTag.objects.bulk_create(tag_rows, batch_size=1000)
        for key, label in topics.items():
            SearchTopic.objects.update_or_create(key=key, defaults={"label": label})
    return stats


def remove_objects(kind: str, pks: Sequence[int]) -> int:
    _total, detail = SearchEntry.objects.filter(kind=kind, object_id__in=list(pks)).delete()
    return int(detail.get(SearchEntry._meta.label, 0))


def reindex_keys(kind: str, pks: Sequence[int], *, with_vectors: bool = True) -> IndexStats:
    """Index the objects of ``kind`` with these keys; keys whose object is gone leave the index."""
    source = get_source(kind)
    if source is None:
        return IndexStats(removed=remove_objects(kind, pks))
    objs = list(source.queryset().filter(pk__in=list(pks)))
    stats = index_objects(source, objs, with_vectors=with_vectors)
    missing = set(pks) - {int(o.pk) for o in objs}
    if missing:
        stats.removed += remove_objects(kind, sorted(missing))
    return stats


def reindex_children(
    kind: str, parent_label: str, parent_pk: Any, *, with_vectors: bool = True
) -> IndexStats:
    """Reindex the objects of ``kind`` below a changed parent (its access may have changed)."""
    source = get_source(kind)
    if source is None or parent_label not in source.parents:
        return IndexStats()
    keys = list(source.children_of(parent_label, parent_pk).values_list("pk", flat=True))
    return reindex_keys(kind, keys, with_vectors=with_vectors) if keys else IndexStats()


def rebuild(
    *,
    kinds: Sequence[str] | None = None,
    batch_size: int | None = None,
    with_vectors: bool = True,
    progress: Callable[[str, int, int, IndexStats], None] | None = None,
) -> IndexStats:
    """Rebuild the index of the given kinds (all when ``None``) in batches; rows of sources no
    longer registered, and of objects that are gone, are removed."""
    total = IndexStats()
    chosen = [s for s in sources() if kinds is None or s.kind in kinds]
    if kinds is None:
        known = [s.kind for s in sources()]
        removed, _d = SearchEntry.objects.exclude(kind__in=known).delete()
        total.removed += removed
    for source in chosen:
        keys = list(source.queryset().order_by("pk").values_list("pk", flat=True))
        stale = SearchEntry.objects.filter(kind=source.kind).exclude(
            object_id__in=source.queryset().values("pk")
        )
        removed, _d = stale.delete()
        total.removed += removed
        size = batch_size or source.batch_size
        done = 0
        for start in range(0, len(keys), size):
            chunk = keys[start : start + size]
            objs = list(source.queryset().filter(pk__in=chunk))
            stats = index_objects(source, objs, with_vectors=with_vectors)
            done += len(chunk)
            total.indexed += stats.indexed
            total.removed += stats.removed
            total.embedded += stats.embedded
            total.embed_seconds += stats.embed_seconds
            if progress:
                progress(source.kind, done, len(keys), stats)
        if progress and not keys:
            progress(source.kind, 0, 0, IndexStats())
    return total
