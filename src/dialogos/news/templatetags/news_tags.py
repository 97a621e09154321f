"""Template tags other pages use to show the news: ``{% latest_news %}`` and the feed link.

    {% load news_tags %}
    {% news_feed_link dialogue %}          (inside <head>: the Atom feed of a dialogue or of all)
    {% latest_news dialogue=dialogue limit=3 %}

Both read through ``core.access`` like every page: a visitor sees public, published items only.
``latest_news`` costs one query whatever the number of items once its entries are in the cache
(two more, whatever the number, for the entries it has to render).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from dialogos.news import fragments, queries

register = template.Library()

MAX_LIMIT = 20


@register.inclusion_tag("news/_latest.html", takes_context=True)
def latest_news(context: template.Context, dialogue: Any = None, limit: Any = 3) -> dict[str, Any]:
    """The latest items a reader may see, of one dialogue (or of all when ``dialogue`` is None)."""
    try:
        count = max(1, min(int(limit), MAX_LIMIT))
    except (TypeError, ValueError):
        count = 3
    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else context.get("user")
    qs = queries.live_news(user)
    if dialogue is not None:
        qs = qs.filter(dialogue=dialogue)
    list_url = reverse("news:list")
    if dialogue is not None:
        list_url += f"?dialogue={dialogue.slug}"
    rows = [fragments.Row.from_values(row) for row in fragments.rows(qs)[:count]]
    entries = fragments.entries(rows, show_dialogue=dialogue is None)
    return {"entries": entries, "dialogue": dialogue, "list_url": list_url}


@register.simple_tag
def news_feed_link(dialogue: Any = None) -> SafeString:
    """``<link rel="alternate" type="application/atom+xml">`` for a dialogue's feed (or all)."""
    if dialogue is not None and getattr(dialogue, "slug", None):
        url = reverse("news:dialogue_feed", kwargs={"slug": dialogue.slug})
        title = _("News of the %(dialogue)s (Atom)") % {"dialogue": dialogue.name}
    else:
        url = reverse("news:feed")
        title = _("Dialogos news (Atom)")
    return format_html(
        '<link rel="alternate" type="application/atom+xml" href="{}" title="{}">', url, title
    )
