"""Member pages of texts, under /<lang>/account/texts/: the texts circulated to one's state,
comments and amendments per paragraph until the deadline, objections in a silence procedure.

A text the user may not see answers 404. Writes go through ``texts.services``; a refusal
(after the deadline, wrong state, no such paragraph …) is shown as a message and nothing is
saved; a write the user has no right to make answers 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogos.core import access
from dialogos.core.models import Country
from dialogos.texts import queries, services
from dialogos.texts.forms import CommentForm, ObjectionForm
from dialogos.texts.models import Circulation, Comment, OutcomeText

NAV = {"nav_section": "account"}


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {**NAV, **context})


def _back(text: OutcomeText, **params: Any) -> HttpResponse:
    url = reverse("texts_member:detail", args=[text.pk])
    query = "&".join(f"{k}={v}" for k, v in params.items() if v)
    return redirect(f"{url}?{query}" if query else url)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    services.conclude_silence_procedures()
    texts = list(
        queries.visible_texts(request.user)
        .exclude(status=OutcomeText.Status.DRAFT)
        .order_by("-updated_at", "-pk")[:200]
    )
    who = access.principal(request.user)
    negotiating = [t for t in texts if t.is_open]
    adopted = [t for t in texts if t.is_adopted]
    context = {
        "negotiating": negotiating,
        "adopted": adopted,
        "is_state": any(c for _d, _r, c in who.grants),
    }
    return _render(request, "texts/member/index.html", context)


def _state_context(request: HttpRequest, text: OutcomeText) -> dict[str, Any]:
    drafting, focal = services.state_countries(request.user, text.dialogue_id)
    asked = request.GET.get("state", "").strip().upper()[:2]
    state = asked if asked in drafting else (sorted(drafting)[0] if drafting else "")
    return {"drafting": drafting, "focal": focal, "state": state}


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    text = queries.get_text(request.user, pk)
    if services.conclude_silence_procedures(text=text):
        text = queries.get_text(request.user, pk)
    versions = queries.visible_versions(request.user, text)
    if not versions:
        return _render(request, "texts/member/detail.html", {"text": text, "versions": []})
    numbers = [v.number for v in versions]
    raw = request.GET.get("version", "").strip()
    chosen = int(raw) if raw.isdecimal() and int(raw) in numbers else numbers[-1]
    version = next(v for v in versions if v.number == chosen)
    version.text = text
    states = _state_context(request, text)
    state = states["state"]
    circulations = [c for c in queries.circulations_of(versions) if c.version_id == version.pk]
    own_codes = _all_codes(request, text)
    secretariat = access.principal(request.user).is_secretariat(text.dialogue_id)
    mine = [
        c for c in circulations if secretariat or any(s.code in own_codes for s in c.states.all())
    ]
    current = queries.open_circulation_for(mine, {state}) if state else None
    rows = []
    if current is not None and current.kind == Circulation.Kind.COMMENTS:
        rows = queries.side_by_side(request.user, current, only_sent=False, country=state)
    paragraphs = queries.paragraphs_of(version)
    comments_by_paragraph = {
        (r.paragraph.pk if r.paragraph else None): [c for _s, cs in r.by_state for c in cs]
        for r in rows
    }
    drafts = [
        c for cs in comments_by_paragraph.values() for c in cs if c.status == Comment.Status.DRAFT
    ]
    objected = None
    if current is not None and current.kind == Circulation.Kind.SILENCE:
        objected = next((o for o in current.objections.all() if o.country_id == state), None)
    context = {
        "text": text,
        "versions": versions,
        "version": version,
        "paragraphs": [(p, comments_by_paragraph.get(p.pk, [])) for p in paragraphs],
        "general": comments_by_paragraph.get(None, []),
        "circulations": mine,
        "current": current,
        "drafts": drafts,
        "objected": objected,
        "state_country": Country.objects.filter(code=state).first() if state else None,
        "language": (get_language() or "en")[:2],
        "comment_kinds": Comment.Kind.choices,
        "objection_form": ObjectionForm(),
        **states,
        "can_send": state in states["focal"],
        "commenting": bool(
            current is not None and current.kind == Circulation.Kind.COMMENTS and state
        ),
        "state_choices": sorted(states["drafting"]),
    }
    return _render(request, "texts/member/detail.html", context)


def _all_codes(request: HttpRequest, text: OutcomeText) -> set[str]:
    """Every state the user holds any role for in the text's dialogue."""
    who = access.principal(request.user)
    return {c for d, _r, c in who.grants if d == text.dialogue_id and c}


def _circulation(text: OutcomeText, raw: Any) -> Circulation:
    return get_object_or_404(
        Circulation.objects.select_related("version", "version__text"),
        pk=raw if str(raw).isdecimal() else 0,
        version__text=text,
    )


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    text = queries.get_text(request.user, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else None
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
        return _back(text, state=request.POST.get("country", "")[:2])
    data = form.cleaned_data
    circ = _circulation(text, data["circulation"])
    existing = None
    if data["comment"]:
        existing = Comment.objects.filter(pk=data["comment"], circulation=circ).first()
        if existing is None:
            messages.error(request, _("There is no such comment of this state."))
            return _back(text, state=data["country"])
    try:
        services.save_comment(
            actor=request.user,
            circulation=circ,
            country=data["country"],
            paragraph=data["paragraph"],
            kind=data["kind"],
            body=data["body"],
            proposed_text=data["proposed_text"],
            language=data["language"],
            comment=existing,
            send=bool(data["send"]),
        )
    except PermissionDenied as exc:
        return HttpResponse(str(exc) or _("You may not do this."), status=403)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back(text, state=data["country"], version=circ.version.number)
    messages.success(
        request,
        _("Your comment was sent to the secretariat.")
        if data["send"]
        else _("Your comment was saved as a draft; the focal point sends it."),
    )
    return _back(text, state=data["country"], version=circ.version.number)


@login_required
@require_POST
def delete_comment(request: HttpRequest, pk: int, cpk: int) -> HttpResponse:
    text = queries.get_text(request.user, pk)
    target = get_object_or_404(Comment, pk=cpk, circulation__version__text=text)
    if not access.can_view(request.user, target):
        return HttpResponse(status=404)
    try:
        services.delete_comment(actor=request.user, comment=target)
        messages.success(request, _("The draft was deleted."))
    except PermissionDenied as exc:
        return HttpResponse(str(exc), status=403)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return _back(text, state=target.country_id)


@login_required
@require_POST
def send(request: HttpRequest, pk: int) -> HttpResponse:
    text = queries.get_text(request.user, pk)
    circ = _circulation(text, request.POST.get("circulation", ""))
    country = request.POST.get("country", "").strip().upper()[:2]
    try:
        count = services.send_comments(actor=request.user, circulation=circ, country=country)
    except PermissionDenied as exc:
        return HttpResponse(str(exc), status=403)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back(text, state=country)
    messages.success(
        request,
        _("%(count)d comments were sent to the secretariat.") % {"count": count},
    )
    return _back(text, state=country)


@login_required
@require_POST
def object_to_silence(request: HttpRequest, pk: int) -> HttpResponse:
    text = queries.get_text(request.user, pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the objection."))
        return _back(text, state=request.POST.get("country", "")[:2])
    circ = _circulation(text, form.cleaned_data["circulation"])
    country = form.cleaned_data["country"].strip().upper()
    try:
        services.object_to_silence(
            actor=request.user,
            circulation=circ,
            country=country,
            reason=form.cleaned_data["reason"],
        )
    except PermissionDenied as exc:
        return HttpResponse(str(exc), status=403)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back(text, state=country)
    messages.success(request, _("Your objection was recorded: the silence is broken."))
    return _back(text, state=country)


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    from dialogos.texts.workspace_views import diff_context

    text = queries.get_text(request.user, pk)
    numbers = [v.number for v in queries.visible_versions(request.user, text)]
    context = diff_context(request, text, numbers)
    return _render(request, "texts/member/diff.html", context)
