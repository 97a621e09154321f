"""Public pages of the library: documents, good practices, calls for practices, country
profiles, and the access-checked file download.

Views are thin: parse the request, narrow with ``core.access`` (and, for practices and
profiles, to published ones), read, render. The list filters are shared with the API
(``library.api``) so both answer the same question the same way. Hidden and missing objects
answer the same 404. Every page runs a fixed number of queries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from dialogos.core import access
from dialogos.core.cache import cached_until_change, content_version, page_with_count
from dialogos.core.i18n import to_translated
from dialogos.core.models import Country
from dialogos.dialogues.models import Dialogue
from dialogos.library import services
from dialogos.library.models import (
    CountryProfile,
    Document,
    DocumentQuerySet,
    DocumentType,
    LibraryFile,
    Practice,
    PracticeCall,
    PracticeEvent,
    PracticeQuerySet,
    ProfileEvent,
    ProfileQuerySet,
    Topic,
)

PAGE_SIZE = 25


def _pick(params: Any, name: str, allowed: Any = None, limit: int = 80) -> str:
    value = params.get(name, "")
    value = str(value if value is not None else "").strip()[:limit]
    if allowed is not None and value not in allowed:
        return ""
    return value


def _year(params: Any) -> int | None:
    text = _pick(params, "year", limit=4)
    return int(text) if text.isdecimal() and 1900 < int(text) < 2200 else None


def _country(params: Any) -> str:
    code = _pick(params, "country", limit=2).upper()
    return code if len(code) == 2 and code.isalpha() else ""


@dataclass(frozen=True)
class Filters:
    """What a visitor asked a list for; unknown values are ignored, never an error."""

    type: str = ""
    dialogue: str = ""
    topic: str = ""
    country: str = ""
    year: int | None = None
    language: str = ""
    kind: str = ""

    @classmethod
    def from_query(cls, params: Any) -> Filters:
        languages = [code for code, _name in settings.LANGUAGES] + ["fr", "ar", "de", "es", "tr"]
        return cls(
            type=_pick(params, "type", DocumentType.values),
            dialogue=_pick(params, "dialogue", limit=50),
            topic=_pick(params, "topic"),
            country=_country(params),
            year=_year(params),
            language=_pick(params, "language", languages),
            kind=_pick(params, "kind", CountryProfile.Kind.values),
        )

    @property
    def narrowed(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def query(self, **override: Any) -> str:
        values = {f.name: getattr(self, f.name) for f in fields(self)} | override
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})


# Documents --------------------------------------------------------------------------------------


def visible_documents(user: Any) -> DocumentQuerySet:
    return cast(DocumentQuerySet, access.visible(user, Document.objects.all()))


def filtered_documents(user: Any, filters: Filters) -> DocumentQuerySet:
    qs = visible_documents(user)
    if filters.type:
        qs = qs.of_type(filters.type)
    if filters.dialogue:
        qs = qs.in_dialogue(filters.dialogue)
    if filters.topic:
        qs = qs.on_topic(filters.topic)
    if filters.country:
        qs = qs.about_country(filters.country)
    if filters.year:
        qs = qs.in_year(filters.year)
    if filters.language:
        qs = qs.in_language(filters.language)
    return qs.latest_first().with_listing_data()


def _countries(codes: Any) -> list[Country]:
    return sorted(Country.objects.filter(code__in=codes), key=lambda c: str(c.name).casefold())


def _visibility_key(user: Any) -> str:
    """Who sees which documents, as a cache key.

    Anonymous visitors share one; an operator sees everything. A signed-in account gets its
    own: besides its dialogues, what it sees can depend on groups only it belongs to (the
    registrants of a meeting see the meeting's documents)."""
    who = access.principal(user)
    if who.is_operator:
        return "operator"
    if who.user_id is None:
        return "anonymous"
    members = "-".join(map(str, sorted(who.member_of)))
    secretariat = "-".join(map(str, sorted(who.secretariat_of)))
    return f"u{who.user_id}m{members}s{secretariat}"


def document_filter_options(user: Any) -> dict[str, Any]:
    """Choices of the filter form: what the user's visible documents use.

    The years, countries and languages read every visible document, so they are kept in the
    cache for each position (anonymous, member of these dialogues …) until the next change
    anywhere (the content version moves with every audited write).
    """
    key = "library:options:{}:{}:{}".format(
        content_version(), get_language() or "en", _visibility_key(user)
    )
    options = cache.get(key)
    if options is None:
        options = _document_filter_options(user)
        cache.set(key, options, 300)
    return {
        "types": DocumentType.choices,
        "dialogues": list(Dialogue.objects.order_by("order", "slug")),
        "topics": list(Topic.objects.active()),
        **options,
    }


def _document_filter_options(user: Any) -> dict[str, Any]:
    visible = visible_documents(user).order_by()
    ids = visible.values("pk")
    through = Document.countries.through.objects.filter(document_id__in=ids)
    languages = (
        LibraryFile.objects.filter(document_id__in=ids, is_current=True)
        .order_by()
        .values_list("language", flat=True)
        .distinct()
    )
    return {
        "countries": _countries(through.values("country_id")),
        "years": sorted({d.year for d in visible.dates("date", "year")}, reverse=True),
        "languages": sorted(set(languages)),
    }


def counted(user: Any, what: str, filters: Filters, rows: QuerySet[Any]) -> int:
    """How many ``rows`` (a filtered list of ``what``) there are, kept per reader position and
    filter until the next change anywhere (``cached_until_change``): counting every visible
    row of a large library cost more than showing a page of it."""
    key = f"library:count:{what}:{_visibility_key(user)}:{filters.query()}"
    return int(cached_until_change(key, rows.count))


def paginate(user: Any, what: str, filters: Filters, rows: QuerySet[Any], number: Any) -> Page[Any]:
    return page_with_count(rows, PAGE_SIZE, number, counted(user, what, filters, rows))


def _htmx_partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx and not htmx.boosted)


def document_list(request: HttpRequest) -> HttpResponse:
    filters = Filters.from_query(request.GET)
    page: Page[Document] = paginate(
        request.user,
        "documents",
        filters,
        filtered_documents(request.user, filters),
        request.GET.get("page"),
    )
    context = {
        "nav_section": "library",
        "filters": filters,
        "options": document_filter_options(request.user),
        "page": page,
        "documents": list(page.object_list),
    }
    template = "library/public/_document_results.html" if _htmx_partial(request) else None
    return render(request, template or "library/public/documents.html", context)


def get_document(user: Any, document_id: Any) -> Document:
    return access.get_visible_or_404(
        user,
        Document.objects.select_related(
            "dialogue", "meeting", "meeting__dialogue"
        ).prefetch_related(
            "topics",
            "countries",
            "bodies",
            "related_dialogues",
            Prefetch("files", queryset=LibraryFile.objects.filter(is_current=True)),
        ),
        pk=document_id,
    )


def _json_script(data: dict[str, Any]) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, indent=1)
    escaped = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(escaped)  # noqa: S308 - JSON with <, > and & escaped


def _text(value: Any, language: str) -> str:
    return to_translated(value).get_text(language)


def document_json_ld(document: Document, *, url: str, language: str) -> SafeString:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "DigitalDocument",
        "name": _text(document.title, language),
        "url": url,
        "datePublished": document.date.isoformat(),
        "genre": str(document.get_type_display()),
        "inLanguage": sorted({f.language for f in document.files.all()}) or [language],
        "publisher": {"@type": "Organization", "name": _text(document.dialogue.name, language)},
        "about": [_text(t.name, language) for t in document.topics.all()],
    }
    summary = _text(document.summary, language)
    if summary:
        data["description"] = summary[:500]
    return _json_script(data)


def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    document = get_document(request.user, document_id)
    language = get_language() or "en"
    url = request.build_absolute_uri(reverse("library:document", args=[document.pk]))
    level, _source = access.effective_level(document)
    context = {
        "nav_section": "library",
        "document": document,
        "files": sorted(document.files.all(), key=lambda f: f.language),
        "level": level,
        "json_ld": document_json_ld(document, url=url, language=language),
        "may_change": services.is_secretariat(request.user, document.dialogue_id),
        # The projects this document belongs to, those the viewer may see.
        "projects": list(access.visible(request.user, document.projects.all()).order_by("-pk")),
    }
    return render(request, "library/public/document.html", context)


# Files ------------------------------------------------------------------------------------------


def download(request: HttpRequest, file_id: int) -> FileResponse:
    record = services.open_file(user=request.user, file_id=file_id)
    try:
        handle = record.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    services.count_download(record=record)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=record.original_name,
        content_type=record.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0"
    return response


# Practices --------------------------------------------------------------------------------------


def visible_practices(user: Any) -> PracticeQuerySet:
    """Published practices the user may see (drafts live on member and workspace pages)."""
    return cast(PracticeQuerySet, access.visible(user, Practice.objects.published()))


def filtered_practices(user: Any, filters: Filters) -> PracticeQuerySet:
    qs = visible_practices(user)
    if filters.dialogue:
        qs = qs.filter(dialogue__slug=filters.dialogue)
    if filters.topic:
        qs = qs.on_topic(filters.topic)
    if filters.country:
        qs = qs.about_country(filters.country)
    if filters.year:
        qs = qs.filter(published_at__year=filters.year)
    return qs.select_related("dialogue", "country").order_by("-published_at", "-pk")


def practice_list(request: HttpRequest) -> HttpResponse:
    filters = Filters.from_query(request.GET)
    page: Page[Practice] = paginate(
        request.user,
        "practices",
        filters,
        filtered_practices(request.user, filters),
        request.GET.get("page"),
    )
    visible = visible_practices(request.user).order_by()
    context = {
        "nav_section": "library",
        "filters": filters,
        "page": page,
        "practices": list(page.object_list),
        "options": {
            "dialogues": list(Dialogue.objects.order_by("order", "slug")),
            "topics": list(Topic.objects.active()),
            "countries": _countries(visible.values("country_id")),
        },
        "calls": list(
            access.visible(request.user, PracticeCall.objects.select_related("dialogue"))[:5]
        ),
    }
    template = "library/public/_practice_results.html" if _htmx_partial(request) else None
    return render(request, template or "library/public/practices.html", context)


def get_practice(user: Any, practice_id: Any) -> Practice:
    """A practice the user may read (published and visible, or their state's or dialogue's)."""
    try:
        practice = (
            Practice.objects.select_related("dialogue", "country", "call", "created_by")
            .prefetch_related(
                "topics",
                "countries",
                Prefetch("files", queryset=LibraryFile.objects.filter(is_current=True)),
                Prefetch("events", queryset=PracticeEvent.objects.select_related("actor")),
            )
            .get(pk=int(practice_id))
        )
    except (Practice.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not services.can_read_practice(user, practice):
        raise Http404
    return practice


def practice_json_ld(practice: Practice, *, url: str, language: str) -> SafeString:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "name": _text(practice.title, language),
        "url": url,
        "abstract": _text(practice.summary, language)[:500],
        "spatialCoverage": {"@type": "Country", "name": _text(practice.country.name, language)},
        "about": [_text(t.name, language) for t in practice.topics.all()],
    }
    if practice.published_at:
        data["datePublished"] = practice.published_at.date().isoformat()
    return _json_script(data)


def practice_detail(request: HttpRequest, practice_id: int) -> HttpResponse:
    practice = get_practice(request.user, practice_id)
    url = request.build_absolute_uri(reverse("library:practice", args=[practice.pk]))
    context = {
        "nav_section": "library",
        "practice": practice,
        "files": sorted(practice.files.all(), key=lambda f: f.language),
        "json_ld": practice_json_ld(practice, url=url, language=get_language() or "en"),
        "may_work": services.can_work_on_practice(request.user, practice),
    }
    response = render(request, "library/public/practice.html", context)
    if not practice.is_published:
        response["Cache-Control"] = "private, no-store"
    return response


# Calls for practices ----------------------------------------------------------------------------


def visible_calls(user: Any) -> QuerySet[PracticeCall]:
    return access.visible(user, PracticeCall.objects.all())


def call_list(request: HttpRequest) -> HttpResponse:
    published = Q(practices__status="published")
    calls = (
        visible_calls(request.user)
        .select_related("dialogue")
        .annotate(received=Count("practices", filter=published))
        .order_by("-deadline", "-pk")
    )
    return render(
        request,
        "library/public/calls.html",
        {"nav_section": "library", "calls": list(calls)},
    )


def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    call = access.get_visible_or_404(
        request.user,
        PracticeCall.objects.select_related("dialogue").prefetch_related("topics"),
        pk=call_id,
    )
    practices = (
        visible_practices(request.user).filter(call=call).select_related("country", "dialogue")
    )
    return render(
        request,
        "library/public/call.html",
        {"nav_section": "library", "call": call, "practices": list(practices)},
    )


# Country profiles -------------------------------------------------------------------------------


def visible_profiles(user: Any) -> ProfileQuerySet:
    return cast(ProfileQuerySet, access.visible(user, CountryProfile.objects.published()))


def filtered_profiles(user: Any, filters: Filters) -> ProfileQuerySet:
    qs = visible_profiles(user)
    if filters.dialogue:
        qs = qs.filter(dialogue__slug=filters.dialogue)
    if filters.country:
        qs = qs.filter(country_id=filters.country)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    # Only published profiles are listed: their published version's files.
    return qs.select_related("dialogue", "country").prefetch_related(
        Prefetch("files", queryset=LibraryFile.objects.filter(is_published=True))
    )


def profile_files(profile: CountryProfile) -> list[LibraryFile]:
    """The files a profile's page and API show: the published version once it is published
    (a revision stays on the workspace and member pages until the state endorses it); before
    that, seen only by the secretariat and the state's focal points, the current files.
    ``profile.files`` is prefetched with the current and the published files."""
    files = list(profile.files.all())
    if profile.is_published:
        return profile.published_files(files)
    return sorted((f for f in files if f.is_current), key=lambda f: f.language)


def profile_list(request: HttpRequest) -> HttpResponse:
    filters = Filters.from_query(request.GET)
    profiles = sorted(
        filtered_profiles(request.user, filters),
        key=lambda p: (str(p.country.name).casefold(), p.kind),
    )
    visible = visible_profiles(request.user).order_by()
    context = {
        "nav_section": "library",
        "filters": filters,
        "profiles": profiles,
        "options": {
            "dialogues": list(Dialogue.objects.order_by("order", "slug")),
            "countries": _countries(visible.values("country_id")),
            "kinds": CountryProfile.Kind.choices,
        },
    }
    return render(request, "library/public/profiles.html", context)


def get_profile(user: Any, profile_id: Any) -> CountryProfile:
    try:
        profile = (
            CountryProfile.objects.select_related("dialogue", "country")
            .prefetch_related(
                "topics",
                Prefetch(
                    "files",
                    queryset=LibraryFile.objects.filter(Q(is_current=True) | Q(is_published=True)),
                ),
                Prefetch("events", queryset=ProfileEvent.objects.select_related("actor")),
            )
            .get(pk=int(profile_id))
        )
    except (CountryProfile.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not services.can_read_profile(user, profile):
        raise Http404
    return profile


def profile_detail(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = get_profile(request.user, profile_id)
    language = get_language() or "en"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Report",
        "name": _text(profile.title, language),
        "url": request.build_absolute_uri(reverse("library:profile", args=[profile.pk])),
        "spatialCoverage": {"@type": "Country", "name": _text(profile.country.name, language)},
    }
    if profile.published_at:
        data["datePublished"] = profile.published_at.date().isoformat()
    context = {
        "nav_section": "library",
        "profile": profile,
        "files": profile_files(profile),
        "events": list(profile.events.all()),
        "json_ld": _json_script(data),
    }
    response = render(request, "library/public/profile.html", context)
    if not profile.is_published:
        response["Cache-Control"] = "private, no-store"
    return response
