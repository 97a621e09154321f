"""Atom feeds of the news, per language (the URL prefix) and per dialogue.

A feed holds only what its reader may see: it is read through ``core.access`` like the pages,
so a feed reader without a session gets the public items only.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dialogos.dialogues.models import Dialogue
from dialogos.news import fragments, queries
from dialogos.news.models import NewsItem

FEED_SIZE = 30


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.request = request
        response = super().__call__(request, *args, **kwargs)
        response["Content-Type"] = "application/atom+xml; charset=utf-8"
        return response

    def get_object(self, request: HttpRequest, slug: str | None = None) -> Dialogue | None:
        if slug is None:
            return None
        dialogue = Dialogue.objects.filter(slug=slug).first()
        if dialogue is None:
            raise Http404
        return dialogue

    def title(self, obj: Dialogue | None) -> str:
        if obj is None:
            return _("Dialogos news")
        return _("News of the %(dialogue)s") % {"dialogue": obj.name}

    def subtitle(self, obj: Dialogue | None) -> str:
        return _("News items published on Dialogos, in the reader's language when translated.")

    def link(self, obj: Dialogue | None) -> str:
        url = reverse("news:list")
        return f"{url}?dialogue={obj.slug}" if obj else url

    def feed_url(self, obj: Dialogue | None) -> str:
        if obj is None:
            return reverse("news:feed")
        return reverse("news:dialogue_feed", kwargs={"slug": obj.slug})

    def feed_guid(self, obj: Dialogue | None) -> str:
        return f"{settings.SITE_URL}{self.feed_url(obj)}"

    def items(self, obj: Dialogue | None) -> list[NewsItem]:
        qs = queries.live_news(self.request.user).select_related("dialogue")
        if obj is not None:
            qs = qs.filter(dialogue=obj)
        return list(qs[:FEED_SIZE])

    def item_title(self, item: NewsItem) -> str:
        return str(item.title)

    def item_description(self, item: NewsItem) -> str:
        language = get_language()
        text = item.body.get_text(language) or item.lead.get_text(language)
        return str(fragments.markdown_of(item.pk, item.updated_at, f"feed:{language}", text))

    def item_link(self, item: NewsItem) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: NewsItem) -> str:
        return f"tag:dialogos,{item.created_at:%Y-%m-%d}:news/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: NewsItem) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: NewsItem) -> datetime.datetime | None:
        return item.updated_at

    def item_categories(self, item: NewsItem) -> list[str]:
        return [str(item.dialogue)] if item.dialogue else []


news_feed = NewsFeed()
