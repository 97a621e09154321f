"""Public pages of texts: adopted texts and each one's full text with its adoption record.

Texts under negotiation never appear here; an adopted text kept within the dialogue's members
shows only to them (``core.access``). Anything else answers 404.
"""

from __future__ import annotations

import math

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dialogos.dialogues.models import Dialogue
from dialogos.texts import publishing, queries, services
from dialogos.texts.models import OutcomeText

PAGE_SIZE = 30


def text_list(request: HttpRequest) -> HttpResponse:
    services.conclude_silence_procedures()
    texts = queries.visible_texts(request.user).adopted().order_by("-adopted_at", "-pk")
    dialogue_slug = request.GET.get("dialogue", "").strip()[:60]
    kind = request.GET.get("kind", "").strip()
    if dialogue_slug:
        texts = texts.filter(dialogue__slug=dialogue_slug)
    if kind in OutcomeText.Kind.values:
        texts = texts.filter(kind=kind)
    else:
        kind = ""
    count = texts.count()
    pages = max(1, math.ceil(count / PAGE_SIZE))
    raw = request.GET.get("page", "1").strip()
    page = min(max(1, int(raw)), pages) if raw.isdigit() and len(raw) < 6 else 1
    rows = list(texts[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    context = {
        "nav_section": "texts",
        "texts": rows,
        "count": count,
        "page": page,
        "pages": pages,
        "dialogues": list(Dialogue.objects.order_by("order", "slug")),
        "dialogue_slug": dialogue_slug,
        "kind": kind,
        "kinds": OutcomeText.Kind.choices,
    }
    return render(request, "texts/public/list.html", context)


def text_detail(request: HttpRequest, pk: str) -> HttpResponse:
    # A silence procedure past its deadline ends first: the text may have become public.
    services.conclude_silence_procedures()
    text = queries.get_text(request.user, pk)
    if not text.is_adopted:
        raise Http404
    version = text.adopted_version
    paragraphs = queries.paragraphs_of(version) if version is not None else []
    context = {
        "nav_section": "texts",
        "text": text,
        "paragraphs": paragraphs,
        "record": publishing.adoption_record(text, request.LANGUAGE_CODE),
        "document": text.document,
    }
    return render(request, "texts/public/detail.html", context)
