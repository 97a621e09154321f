"""Input no database can store, refused before any view sees it.

A NUL character (``%00``) cannot be stored in a PostgreSQL text value: a query for it fails
with ``DataError`` wherever a view passes a parameter to the database — a 500 on PostgreSQL
where SQLite simply finds nothing. Query strings are cleaned (NULs dropped: list filters ignore
values they do not understand, so a filter with a NUL behaves like any unknown value); a path
with a NUL is a 404; a JSON body with one is a 400 that says why.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils.translation import gettext as _

NUL = "\x00"


def _clean(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        cleaned.setlist(key.replace(NUL, ""), [v.replace(NUL, "") for v in values])
    cleaned._mutable = False
    return cleaned


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path:
            raise Http404
        if "%00" in request.META.get("QUERY_STRING", "") or any(
            NUL in key or any(NUL in v for v in values) for key, values in request.GET.lists()
        ):
            request.GET = _clean(request.GET)  # type: ignore[assignment]
        if request.content_type == "application/json" and b"\\u0000" in request.body:
            return JsonResponse(
                {"detail": _("Text may not contain the NUL character (\\u0000).")}, status=400
            )
        return self.get_response(request)
