"""Search pages: the search box with results and facets, the related-items fragment and the
suggestions fragment of the search box.

Thin views: parse the request, let ``search.query`` read the index as the user sees it,
render. Bad input (malformed syntax, huge queries, bad facets or page numbers) gives a message
or an empty result, never an error.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from dialogos.search import query
from dialogos.search.models import Facet
from dialogos.search.registry import get_source
from dialogos.search.suggest import suggest


def _link(params: dict[str, str], **changes: str | None) -> str:
    merged = {**params}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return "?" + urlencode({k: v for k, v in merged.items() if v})


def search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    results = query.search(request.user, q, request.GET)
    params = {"q": results.query, **results.filters.active()}
    facet_groups = []
    labels = dict(Facet.choices)
    for facet, values in results.facets.items():
        items = [
            {
                "value": v,
                "href": _link(params, **{facet: None if v.selected else v.value}),
            }
            for v in values
        ]
        facet_groups.append({"name": facet, "label": labels.get(facet, facet), "items": items})
    context: dict[str, Any] = {
        "nav_section": "search",
        "results": results,
        "facet_groups": facet_groups,
        "clear_href": _link({"q": results.query}),
        "prev_href": _link(params, page=str(results.page - 1)) if results.page > 1 else "",
        "next_href": (
            _link(params, page=str(results.page + 1)) if results.page < results.pages else ""
        ),
        "language": get_language(),
        "start": (results.page - 1) * query.PAGE_SIZE + 1,
    }
    template = "search/_results.html" if getattr(request, "htmx", False) else "search/search.html"
    return render(request, template, context)


def related_fragment(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Up to five related items the user may see, as an HTML fragment (loaded by htmx)."""
    if len(kind) > 32:
        raise Http404
    items = query.related(request.user, kind, pk)
    if items is None:  # not indexed, or not for this user: the same answer
        raise Http404
    language = get_language()
    rows = [
        {
            "title": e.title_text(language),
            "url": e.url_for(language),
            # Items of different kinds may share a title (a declaration's document and its
            # outcome text, a plan and its document): the kind tells them apart.
            "kind": str(source.label) if (source := get_source(e.kind)) else "",
            "entry": e,
        }
        for e in items
    ]
    return render(request, "search/_related.html", {"items": rows})


def suggest_fragment(request: HttpRequest) -> HttpResponse:
    """Up to eight entries the user may see matching what is typed so far, as a listbox
    fragment for the search box (``search/suggest.js``); empty for input that cannot match."""
    items = suggest(request.user, request.GET.get("q", ""))
    return render(request, "search/_suggestions.html", {"suggestions": items})
