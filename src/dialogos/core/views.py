from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.translation import get_language_from_request


def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def root_redirect(request: HttpRequest) -> HttpResponse:
    """``/`` sends the visitor to the home page in their browser's language."""
    language = get_language_from_request(request)
    return HttpResponseRedirect(f"/{language}/")
