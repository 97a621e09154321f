"""Public pages of the dialogues: home, about, states, governance and one body."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from dialogos.core import access
from dialogos.dialogues import queries
from dialogos.dialogues.models import Body, Dialogue


def _dialogue(slug: str) -> Dialogue:
    return get_object_or_404(queries.dialogue_queryset(), slug=slug)


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "dialogues/home.html",
        {"dialogues": queries.dialogues_for_home(), "nav_section": "dialogues"},
    )


def about(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(slug)
    context = {
        "dialogue": dialogue,
        "nav_section": "dialogues",
        "section": "about",
        "counts": queries.dialogue_counts(request.user, dialogue),
        "leading_offices": queries.leading_offices(dialogue),
    }
    return render(request, "dialogues/about.html", context)


def states(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(slug)
    context = {
        "dialogue": dialogue,
        "nav_section": "dialogues",
        "section": "states",
        "overview": queries.states_overview(dialogue),
    }
    return render(request, "dialogues/states.html", context)


def governance(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(slug)
    context = {
        "dialogue": dialogue,
        "nav_section": "dialogues",
        "section": "governance",
        "governance": queries.governance(request.user, dialogue),
    }
    return render(request, "dialogues/governance.html", context)


def body(request: HttpRequest, slug: str, body_slug: str) -> HttpResponse:
    dialogue = _dialogue(slug)
    found = access.get_visible_or_404(
        request.user, Body.objects.filter(dialogue=dialogue), slug=body_slug
    )
    context = {
        "dialogue": dialogue,
        "nav_section": "dialogues",
        "section": "governance",
        "body": found,
        "detail": queries.body_detail(request.user, found),
    }
    return render(request, "dialogues/body.html", context)
