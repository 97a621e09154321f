"""Public pages of texts: adopted texts and each one's full text with its adoption record.

Texts under negotiation never appear here; an adopted text kept within the dialogue's members
shows only to them (``core.access``). Anything else answers 404.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from dialogos.dialogues.models import Dialogue
from dialogos.texts import caching, publishing, queries, services
from dialogos.texts.models import OutcomeText

PAGE_SIZE = 30


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def text_list(request: HttpRequest) -> HttpResponse:
    # A silence procedure past its deadline ends first: a text may have become public (an
    # adoption is an audited change, so nothing stale is served below).
    services.conclude_silence_procedures()
    dialogue_slug = request.GET.get("dialogue", "").strip()[:60]
    kind = request.GET.get("kind", "").strip()
    if kind not in OutcomeText.Kind.values:
        kind = ""
    raw = request.GET.get("page", "1").strip()
    asked = int(raw) if raw.isdecimal() and len(raw) < 6 else 1

    def compute() -> str:
        texts = queries.visible_texts(request.user).adopted().order_by("-adopted_at", "-pk")
        if dialogue_slug:
            texts = texts.filter(dialogue__slug=dialogue_slug)
        if kind:
            texts = texts.filter(kind=kind)
        count = texts.count()
        pages = max(1, math.ceil(count / PAGE_SIZE))
        page = min(max(1, asked), pages)
        context = {
            "texts": list(texts[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]),
            "count": count,
            "page": page,
            "pages": pages,
            "dialogues": list(Dialogue.objects.order_by("order", "slug")),
            "dialogue_slug": dialogue_slug,
            "kind": kind,
            "kinds": OutcomeText.Kind.choices,
        }
        return render_to_string("texts/public/_list.html", context)

    body = caching.shared(
        request.user, f"list:{_language()}:{dialogue_slug}:{kind}:{asked}", compute
    )
    return render(
        request,
        "texts/public/list.html",
        {"nav_section": "texts", "body": mark_safe(body)},  # noqa: S308 - rendered
    )


def text_detail(request: HttpRequest, pk: str) -> HttpResponse:
    # A silence procedure past its deadline ends first: the text may have become public.
    services.conclude_silence_procedures()
    text = queries.get_text(request.user, pk)
    if not text.is_adopted:
        raise Http404

    def compute() -> str:
        version = text.adopted_version
        context = {
            "text": text,
            "paragraphs": queries.paragraphs_of(version) if version is not None else [],
            "record": publishing.adoption_record(text, request.LANGUAGE_CODE),
            "document": text.document,
        }
        return render_to_string("texts/public/_detail.html", context)

    body = caching.shared(request.user, f"text:{text.pk}:{_language()}", compute)
    return render(
        request,
        "texts/public/detail.html",
        {"nav_section": "texts", "text": text, "body": mark_safe(body)},  # noqa: S308 - rendered
    )
