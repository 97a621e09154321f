"""Search: HTTP API endpoints, mounted under /api/v1/.

``GET /api/v1/search?q=…`` answers exactly what the search page answers for the same caller
(token, session or anonymous): the same access filter inside the query, the same facets.
``total`` is exact when ``exact`` is true; otherwise there are more than ``total`` matches (the
results and facets are over the ``total`` most recent). Invalid filters or page numbers are
ignored and named in ``messages``; malformed search syntax
is reduced to plain terms. It never answers 500 for bad input.

``GET /api/v1/search/suggest?q=…`` answers up to eight entries the caller may see whose text
matches what has been typed so far (the last word as the start of a word), for a type-ahead
list; input under two characters, over 100 or of symbols alone answers an empty list.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest, JsonResponse
from django.utils.translation import get_language
from ninja import Query, Router, Schema
from pydantic import BaseModel, Field

from dialogos.search import query
from dialogos.search.suggest import suggest as suggest_entries

router = Router(tags=["search"])

# ``SearchOut`` documents the answer (OpenAPI); the view builds the same shape as plain values
# and renders it itself. Validating our own values through the models again cost about 0.4 ms
# a request for a page with all six facets, and ninja's ``Schema`` (reading every field through
# its Django-object getter) had cost 1 ms. ``tests/search/test_api.py`` checks every answer
# against ``SearchOut``.


class SearchParams(Schema):
    q: str = ""
    kind: str = ""
    dialogue: str = ""
    country: str = ""
    topic: str = ""
    year: str = ""
    language: str = ""
    page: str = ""


class MatchedOut(BaseModel):
    """A country or topic of the result one of whose names holds a word of the query, given
    when neither the title nor the snippet shows one: what made the result match."""

    facet: str
    value: str
    label: str
    label_html: str


class HitOut(BaseModel):
    kind: str
    id: int
    title: str
    snippet_html: str
    snippet_language: str = Field(
        description="The language of the text the snippet comes from: the reader's, unless the "
        "entry has no text in it or only another language's text holds the words of the query."
    )
    url: str
    date: datetime.date | None
    dialogue_id: int | None
    matched: list[MatchedOut] = Field(
        description="When neither the title nor the snippet shows a word of the query: the "
        "countries and topics whose names made the result match."
    )


class FacetValueOut(BaseModel):
    value: str
    label: str
    count: int
    selected: bool


class SearchOut(BaseModel):
    query: str
    terms: list[str]
    total: int
    exact: bool
    page: int
    pages: int
    results: list[HitOut]
    facets: dict[str, list[FacetValueOut]]
    messages: list[str]


@router.get("/search", response=SearchOut, summary="Search everything the caller may see")
def search(request: HttpRequest, params: Query[SearchParams]) -> JsonResponse:
    data = params.dict()
    results = query.search(request.user, data.pop("q", ""), data)
    language = get_language()
    answer = {
        "query": results.query,
        "terms": list(results.parsed.include),
        "total": results.total,
        "exact": results.exact,
        "page": results.page,
        "pages": results.pages,
        "results": [
            {
                "kind": h.entry.kind,
                "id": h.entry.object_id,
                "title": h.entry.title_text(language),
                "snippet_html": str(h.snippet),
                "snippet_language": h.snippet_language,
                "url": h.url,
                "date": h.date.isoformat() if h.date else None,
                "dialogue_id": h.entry.dialogue_id,
                "matched": [
                    {
                        "facet": m.facet,
                        "value": m.value,
                        "label": m.text,
                        "label_html": str(m.label),
                    }
                    for m in h.matched
                ],
            }
            for h in results.hits
        ],
        "facets": {
            facet: [
                {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                for v in values
            ]
            for facet, values in results.facets.items()
        },
        "messages": results.messages,
    }
    return JsonResponse(answer)


class SuggestParams(Schema):
    q: str = ""


class SuggestionOut(BaseModel):
    kind: str
    kind_label: str
    title: str
    title_html: str
    url: str


class SuggestOut(BaseModel):
    query: str
    suggestions: list[SuggestionOut]


@router.get(
    "/search/suggest",
    response=SuggestOut,
    summary="Suggestions for what is being typed into the search box",
    description=(
        "Up to eight entries the caller may see (the same access as the search) whose text "
        "matches every typed word, the last as the start of a word; titles in the request's "
        "language, with the matched words in <mark> in `title_html` (escaped HTML). Those "
        "whose title holds the words come first, then the newest. Input under two characters, "
        "over 100 characters or of symbols alone answers an empty list."
    ),
)
def suggest(request: HttpRequest, params: Query[SuggestParams]) -> SuggestOut:
    found = suggest_entries(request.user, params.q)
    return SuggestOut(
        query=params.q[:100],
        suggestions=[
            SuggestionOut(
                kind=s.kind,
                kind_label=s.kind_label,
                title=s.text,
                title_html=str(s.title),
                url=s.url,
            )
            for s in found
        ],
    )
