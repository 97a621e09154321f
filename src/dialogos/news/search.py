"""How news items appear in search: title, lead and text, topics, dialogue, date; access is the
item's own. Only live items are indexed: drafts stay out, and a scheduled item enters the
index when its publication time comes (``schedule_indexing``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dialogos.news.models import NewsItem
from dialogos.search.registry import (
    IndexEntry,
    Source,
    effective_access,
    languages_of,
    register,
    texts,
    urls_for,
)


class NewsSource(Source[NewsItem]):
    kind = "news"
    label = _("News")
    model = NewsItem

    def queryset(self) -> QuerySet[NewsItem]:
        return NewsItem.objects.select_related("dialogue").prefetch_related("topics")

    def entry(self, obj: NewsItem) -> IndexEntry | None:
        if not obj.is_live() or obj.published_at is None:
            return None
        return IndexEntry(
            title=dict(obj.title),
            body=texts(obj.lead, obj.body),
            url=urls_for("news:detail", pk=obj.pk, slug=obj.slug or "item"),
            dialogue_id=obj.dialogue_id,
            access=effective_access(obj),
            topics={t.slug: dict(t.name) for t in obj.topics.all()},
            date=obj.published_at.date(),
            languages=languages_of(obj.title, obj.body) or ["en"],
            keywords=str(obj.dialogue.name) if obj.dialogue else "",
        )


def schedule_indexing(item: NewsItem) -> None:
    """A scheduled item: ask the worker to index it at its publication time (after commit)."""
    if not item.is_scheduled() or item.published_at is None:
        return
    from django_tasks import default_task_backend

    from dialogos.search.tasks import reindex_objects

    if not default_task_backend.supports_defer:
        return  # immediate backends (tests) cannot wait; ``dialogos reindex`` catches up
    when: Any = item.published_at
    pk = item.pk
    transaction.on_commit(lambda: reindex_objects.using(run_after=when).enqueue("news", [pk]))


register(NewsSource())
