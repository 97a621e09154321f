"""A cache of public pages and API reads for visitors who are not signed in.

Every audited write raises ``ContentVersion.counter``; the cache key carries it, so a change
shows at once in every server process. A response is stored only when it is a plain 200
that sets no cookie, for a request that carries no cookie and no credentials: whatever is
stored is exactly what any anonymous visitor would be shown.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from dialogos.core.models import ContentVersion

CACHED_PREFIXES = ("/en/", "/ru/", "/api/v1/")
EXCLUDED_PARTS = ("/account/", "/workspace/", "/api/v1/docs", "/admin/")


def content_version() -> int:
    value = ContentVersion.objects.filter(pk=1).values_list("counter", flat=True).first()
    return int(value or 0)


T = TypeVar("T")


def cached_until_change(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept in the cache until the next audited write (the content version
    changes) or ``PUBLIC_CACHE_SECONDS`` pass; computed afresh when that setting is 0.

    The caller puts in ``key`` whatever the value depends on besides the data: the viewer
    (see ``viewer_key``) and the language, for instance."""
    seconds = settings.PUBLIC_CACHE_SECONDS
    if not seconds:
        return compute()
    full = "content:" + hashlib.sha256(f"{content_version()}:{key}".encode()).hexdigest()
    found = cache.get(full)
    if found is not None:
        return found
    value = compute()
    cache.set(full, value, seconds)
    return value


def viewer_key(user: Any) -> str:
    """Who is looking, for keys of values that depend on what one may see."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    return f"user:{user.pk}"


def bump_content_version() -> None:
    """Call after any write that changes what visitors see (audit.record does it)."""
    if not ContentVersion.objects.filter(pk=1).update(counter=F("counter") + 1):
        ContentVersion.objects.get_or_create(pk=1, defaults={"counter": 1})


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return False
    path = request.path
    if not path.startswith(CACHED_PREFIXES):
        return False
    return not any(part in path for part in EXCLUDED_PARTS)


def _key(request: HttpRequest, version: int) -> str:
    raw = "|".join(
        [
            str(version),
            timezone.localdate().isoformat(),  # "current" offices and members change at midnight
            request.get_full_path(),
            request.META.get("HTTP_ACCEPT_LANGUAGE", "")
            if request.path.startswith("/api/")
            else "",
            request.META.get("HTTP_HX_REQUEST", ""),
        ]
    )
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


class PublicCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = settings.PUBLIC_CACHE_SECONDS
        if not seconds or not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request, content_version())
        cached = cache.get(key)
        if cached is not None:
            content, content_type, language = cached
            response = HttpResponse(content, content_type=content_type)
            if language:
                response["Content-Language"] = language
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
            and "private" not in response.get("Cache-Control", "")
        ):
            cache.set(
                key,
                (response.content, response["Content-Type"], response.get("Content-Language")),
                seconds,
            )
        return response


def cached_fragments(
    template: str,
    items: Sequence[Any],
    key: Callable[[Any], str],
    context: dict[str, Any] | None = None,
    name: str = "item",
) -> list[SafeString]:
    """``template`` rendered once per item (as ``name``), in order, each kept until the next
    audited change anywhere (or ``PUBLIC_CACHE_SECONDS``; never kept when that is 0).

    For the rows of a list that signed-in readers, whose pages are never cached whole, ask
    for again and again. ``key(item)`` must name everything a row shows besides the data (the
    language, at least); the list's query, not the row, decides who sees which item, so a row
    holds nothing that depends on the reader. One ``get_many`` for the whole list.
    """
    seconds = settings.PUBLIC_CACHE_SECONDS
    extra = context or {}
    if not seconds:
        return [render_to_string(template, {**extra, name: item}) for item in items]
    version = content_version()
    keys = [
        "fragment:" + hashlib.sha256(f"{version}:{template}:{key(item)}".encode()).hexdigest()
        for item in items
    ]
    found: dict[str, str] = cache.get_many(keys)
    fresh: dict[str, str] = {}
    out: list[SafeString] = []
    for item, full in zip(items, keys, strict=True):
        html = found.get(full)
        if html is None:
            html = fresh[full] = render_to_string(template, {**extra, name: item})
        out.append(mark_safe(html))  # noqa: S308 — our own template's output
    if fresh:
        cache.set_many(fresh, seconds)
    return out


def page_with_count(rows: Any, per_page: int, number: Any, count: int) -> Page[Any]:
    """Page ``number`` of ``rows`` with a total already known (kept by ``cached_until_change``,
    say): the paginator does not count ``rows`` again."""
    paginator = Paginator(rows, per_page)
    paginator.__dict__["count"] = count  # Paginator.count is a cached_property
    return paginator.get_page(number)
