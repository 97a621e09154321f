"""Reads shared by the pages, the feeds, the template tags and the API of the news app.

Every read narrows with ``core.access.visible`` first and then keeps only what is published
and whose time has come; the secretariat sees drafts only in its workspace (and, as a
preview, on an item's page).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from dialogos.core import access
from dialogos.core.cache import cached_until_change
from dialogos.dialogues.models import Dialogue
from dialogos.news.models import NewsImage, NewsItem, NewsItemQuerySet, ReviewIssue, Topic

PAGE_SIZE = 20


@dataclass(frozen=True)
class NewsFilters:
    """What a visitor asked the list for; unknown values are ignored, never an error."""

    dialogue: str = ""
    year: int | None = None
    topic: str = ""

    @classmethod
    def from_query(cls, params: Any) -> NewsFilters:
        def text(name: str) -> str:
            value = params.get(name, "")
            return str(value or "").strip()[:60] if isinstance(value, str) else ""

        year_text = text("year")
        year = int(year_text) if year_text.isdecimal() and 1900 < int(year_text) < 2200 else None
        return cls(dialogue=text("dialogue"), year=year, topic=text("topic"))

    @property
    def narrowed(self) -> bool:
        return bool(self.dialogue or self.year or self.topic)

    def query(self, **override: Any) -> str:
        values = {"dialogue": self.dialogue, "year": self.year or "", "topic": self.topic}
        values.update(override)
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


@dataclass(frozen=True)
class Page:
    """One page of a list, found without counting the whole list (no COUNT over 20,000 rows):
    one row more than the page is read to know whether a next page exists."""

    items: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


MAX_PAGE = 10_000


def page_of(qs: Any, number: Any, size: int = PAGE_SIZE) -> Page:
    """The ``number``-th page of ``qs``; a bad or out-of-range number gives the first page."""
    text = str(number or "1")
    page = int(text) if text.isdecimal() and 0 < int(text) <= MAX_PAGE else 1
    rows = list(qs[(page - 1) * size : page * size + 1])
    if not rows and page > 1:
        return page_of(qs, 1, size)
    return Page(items=rows[:size], number=page, has_next=len(rows) > size)


def live_news(user: Any, now: datetime.datetime | None = None) -> NewsItemQuerySet:
    """The items ``user`` may read now, latest first."""
    return cast(NewsItemQuerySet, access.visible(user, NewsItem.objects.published(now)))


def filtered_news(user: Any, filters: NewsFilters) -> NewsItemQuerySet:
    qs = live_news(user)
    if filters.dialogue:
        qs = qs.filter(dialogue__slug=filters.dialogue)
    if filters.year:
        qs = qs.in_year(filters.year)
    if filters.topic:
        qs = qs.with_topic(filters.topic)
    return qs


def for_listing(items: list[NewsItem]) -> list[NewsItem]:
    """Give each item of a list its address and thumbnail address, built from one ``reverse``
    (a list of twenty items would otherwise resolve forty URLs while rendering)."""
    base = reverse("news:list")
    for item in items:
        item.list_url = f"{base}{item.pk}/{item.slug or 'item'}/"  # type: ignore[attr-defined]
        images = list(item.images.all())
        image = images[0] if images else None
        item.thumb = image  # type: ignore[attr-defined]
        if image is not None:
            item.thumb_url = f"{base}images/{image.pk}/small.{image.extension}"  # type: ignore[attr-defined]
    return items


@dataclass(frozen=True)
class Choice:
    """A dialogue or topic offered as a filter, its name already in the reader's language."""

    slug: str
    name: str


def filter_options() -> dict[str, Any]:
    """Choices for the filters: dialogues, topics and a fixed span of years (no scan). Kept in
    the cache until the next change of content, per language."""

    def read() -> tuple[list[Choice], list[Choice]]:
        dialogues = Dialogue.objects.order_by("order", "slug").values_list("slug", "name")
        topics = Topic.objects.order_by("order", "slug").values_list("slug", "name")
        return (
            [Choice(slug, str(name)) for slug, name in dialogues],
            [Choice(slug, str(name)) for slug, name in topics],
        )

    dialogues, topics = cached_until_change(f"news:filter-options:{get_language()}", read)
    return {
        "dialogues": dialogues,
        "topics": topics,
        "years": list(range(timezone.now().year, 2008, -1)),
    }


def readable_item(user: Any, pk: Any) -> NewsItem:
    """An item the user may read: live and visible, or any item of the user's secretariat
    (a preview). 404 alike for missing, hidden and not yet published."""
    item = access.get_visible_or_404(
        user,
        NewsItem.objects.select_related("dialogue").prefetch_related("topics"),
        pk=pk,
    )
    if not item.is_live() and not access.can_change(user, item):
        raise Http404
    return item


def image_for(user: Any, pk: Any) -> NewsImage:
    try:
        image = NewsImage.objects.select_related("item", "item__dialogue").get(pk=pk)
    except (NewsImage.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    item = image.item
    if not access.can_view(user, item):
        raise Http404
    if not item.is_live() and not access.can_change(user, item):
        raise Http404
    return image


def published_reviews(user: Any, dialogue: Dialogue | None = None) -> Any:
    qs = access.visible(
        user,
        ReviewIssue.objects.filter(status=ReviewIssue.Status.PUBLISHED).select_related("dialogue"),
    )
    if dialogue is not None:
        qs = qs.filter(dialogue=dialogue)
    return qs.order_by("-period_end", "-pk")


def readable_review(user: Any, pk: Any) -> ReviewIssue:
    issue = access.get_visible_or_404(user, ReviewIssue.objects.select_related("dialogue"), pk=pk)
    if issue.status != ReviewIssue.Status.PUBLISHED and not access.can_change(user, issue):
        raise Http404
    return issue
