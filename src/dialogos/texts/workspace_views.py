"""The secretariat's pages for outcome texts, under /<lang>/workspace/<slug>/texts/.

Every view finds the dialogue by its slug and lets only its secretariat (or an operator)
through; everyone else gets the same 404. Writes go through ``texts.services``; their
``ValidationError`` is shown on the form or as a message, and nothing is half-saved.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dialogos.core import access
from dialogos.core.forms import attach_errors
from dialogos.dialogues.models import Dialogue
from dialogos.texts import diff, queries, services
from dialogos.texts.forms import (
    AdoptForm,
    CirculateForm,
    ParagraphForm,
    TextForm,
    VersionNoteForm,
)
from dialogos.texts.models import Circulation, Comment, OutcomeText, Paragraph, TextVersion

R = TypeVar("R", bound=HttpResponseBase)
# Comments side by side: paragraphs per page (a long action plan draws thousands of comments).
PARAGRAPHS_PER_PAGE = 25


def _dialogue(request: HttpRequest, slug: str) -> Dialogue:
    dialogue = Dialogue.objects.filter(slug=slug).first()
    if dialogue is None:
        raise Http404
    access.require_secretariat(request.user, dialogue.pk)
    return dialogue


def _text(request: HttpRequest, slug: str, pk: int) -> tuple[Dialogue, OutcomeText]:
    dialogue = _dialogue(request, slug)
    text = get_object_or_404(
        OutcomeText.objects.select_related("dialogue"), pk=pk, dialogue=dialogue
    )
    return dialogue, text


def _version(text: OutcomeText, number: Any) -> TextVersion:
    version = TextVersion.objects.filter(text=text, number=number).first()
    if version is None:
        raise Http404
    version.text = text
    return version


def _refusals_as_404(view: Callable[..., R]) -> Callable[..., R]:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> R:
        try:
            return view(*args, **kwargs)
        except PermissionDenied as exc:
            raise Http404 from exc

    return wrapper


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_section": "workspace", "section": "texts", **context})


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


def _detail(text: OutcomeText) -> HttpResponse:
    return redirect("texts_workspace:detail", slug=text.dialogue.slug, pk=text.pk)


# Texts ------------------------------------------------------------------------------------


@_refusals_as_404
def index(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    services.conclude_silence_procedures()
    texts = list(
        OutcomeText.objects.for_dialogue(dialogue)
        .select_related("adopted_at_meeting")
        .annotate(
            version_count=Count("versions", distinct=True),
            open_count=Count(
                "versions__circulations",
                filter=Q(versions__circulations__outcome=Circulation.Outcome.OPEN),
                distinct=True,
            ),
        )
        .order_by("-updated_at", "-pk")
    )
    negotiating = [t for t in texts if t.is_open]
    closed = [t for t in texts if not t.is_open]
    context = {"dialogue": dialogue, "negotiating": negotiating, "closed": closed}
    return _render(request, "texts/workspace/index.html", context)


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def text_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    text = None if pk is None else get_object_or_404(OutcomeText, pk=pk, dialogue=dialogue)
    form = TextForm(request.POST or None, instance=text)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("title", "kind", "public_when_adopted")}
        try:
            if text is None:
                text = services.create_text(actor=request.user, dialogue=dialogue, **data)
                messages.success(request, _("The text was created with an empty first version."))
                return redirect("texts_workspace:version", slug=slug, pk=text.pk, number=1)
            text = services.update_text(actor=request.user, text=text, **data)
            messages.success(request, _("The text was saved."))
            return _detail(text)
        except ValidationError as error:
            attach_errors(form, error)
    return _render(
        request,
        "texts/workspace/text_form.html",
        {"dialogue": dialogue, "text": text, "form": form},
    )


@_refusals_as_404
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, text = _text(request, slug, pk)
    if services.conclude_silence_procedures(text=text):
        text.refresh_from_db()
    versions = list(text.versions.annotate(paragraph_count=Count("paragraphs")).order_by("-number"))
    circulations = queries.circulations_of(versions)
    sent = dict(
        Comment.objects.filter(circulation__version__text=text, status=Comment.Status.SENT)
        .values_list("circulation_id")
        .annotate(n=Count("pk"))
    )
    for c in circulations:
        c.sent_count = sent.get(c.pk, 0)  # type: ignore[attr-defined]
    draft = next((v for v in versions if v.is_draft), None)
    latest = versions[0] if versions else None
    context = {
        "dialogue": dialogue,
        "text": text,
        "versions": versions,
        "circulations": circulations,
        "draft": draft,
        "latest": latest,
        "can_issue": text.is_open and draft is None and latest is not None,
    }
    return _render(request, "texts/workspace/detail.html", context)


@_refusals_as_404
@require_POST
def withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _dialogue_obj, text = _text(request, slug, pk)
    try:
        services.withdraw_text(actor=request.user, text=text)
        messages.success(request, _("The text was withdrawn from negotiation."))
    except ValidationError as error:
        _errors(request, error)
    return _detail(text)


# Versions and paragraphs --------------------------------------------------------------------


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def version(request: HttpRequest, slug: str, pk: int, number: int) -> HttpResponse:
    dialogue, text = _text(request, slug, pk)
    ver = _version(text, number)
    editable = ver.is_draft and text.is_open
    add_form = ParagraphForm(request.POST or None, prefix="new")
    note_form = VersionNoteForm(initial={"note": ver.note}, prefix="note")
    if request.method == "POST":
        if not editable:
            messages.error(request, _("This version is fixed; issue a next version to change it."))
            return redirect("texts_workspace:version", slug=slug, pk=pk, number=number)
        if request.POST.get("form") == "note":
            note_form = VersionNoteForm(request.POST, prefix="note")
            if note_form.is_valid():
                try:
                    services.update_version_note(
                        actor=request.user, version=ver, note=note_form.cleaned_data["note"]
                    )
                    messages.success(request, _("The note was saved."))
                    return redirect("texts_workspace:version", slug=slug, pk=pk, number=number)
                except ValidationError as error:
                    attach_errors(note_form, error)
            add_form = ParagraphForm(prefix="new")
        elif add_form.is_valid():
            after = None
            after_id = request.POST.get("after", "")
            if after_id.isdecimal():
                after = Paragraph.objects.filter(pk=int(after_id), version=ver).first()
            try:
                services.save_paragraph(
                    actor=request.user,
                    version=ver,
                    content=add_form.cleaned_data["content"],
                    is_heading=add_form.cleaned_data["is_heading"],
                    after=after,
                )
                messages.success(request, _("The paragraph was added."))
                return redirect(
                    reverse("texts_workspace:version", args=[slug, pk, number]) + "#add"
                )
            except ValidationError as error:
                attach_errors(add_form, error)
    context = {
        "dialogue": dialogue,
        "text": text,
        "version": ver,
        "paragraphs": queries.paragraphs_of(ver),
        "editable": editable,
        "add_form": add_form,
        "note_form": note_form,
        "versions": list(text.versions.order_by("number").values_list("number", flat=True)),
        "language": (get_language() or "en")[:2],
    }
    return _render(request, "texts/workspace/version.html", context)


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def paragraph_edit(request: HttpRequest, slug: str, pk: int, number: int, ppk: int) -> HttpResponse:
    dialogue, text = _text(request, slug, pk)
    ver = _version(text, number)
    paragraph = get_object_or_404(Paragraph, pk=ppk, version=ver)
    form = ParagraphForm(
        request.POST or None,
        initial={"content": paragraph.content, "is_heading": paragraph.is_heading},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_paragraph(
                actor=request.user,
                version=ver,
                paragraph=paragraph,
                content=form.cleaned_data["content"],
                is_heading=form.cleaned_data["is_heading"],
            )
            messages.success(request, _("The paragraph was saved."))
            return redirect(
                reverse("texts_workspace:version", args=[slug, pk, number]) + f"#p{paragraph.pk}"
            )
        except ValidationError as error:
            attach_errors(form, error)
    context = {
        "dialogue": dialogue,
        "text": text,
        "version": ver,
        "paragraph": paragraph,
        "form": form,
    }
    return _render(request, "texts/workspace/paragraph_form.html", context)


@_refusals_as_404
@require_POST
def paragraph_action(
    request: HttpRequest, slug: str, pk: int, number: int, ppk: int, action: str
) -> HttpResponse:
    _dialogue_obj, text = _text(request, slug, pk)
    ver = _version(text, number)
    paragraph = get_object_or_404(Paragraph, pk=ppk, version=ver)
    try:
        if action == "delete":
            services.delete_paragraph(actor=request.user, paragraph=paragraph)
            messages.success(request, _("The paragraph was removed."))
        elif action in ("up", "down"):
            services.move_paragraph(actor=request.user, paragraph=paragraph, up=action == "up")
        else:
            raise Http404
    except ValidationError as error:
        _errors(request, error)
    return redirect(reverse("texts_workspace:version", args=[slug, pk, number]))


# Circulation, comments, next version -------------------------------------------------------


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def circulate(request: HttpRequest, slug: str, pk: int, number: int) -> HttpResponse:
    dialogue, text = _text(request, slug, pk)
    ver = _version(text, number)
    states = services.participating_states(dialogue)
    form = CirculateForm(request.POST or None, dialogue=dialogue, states=states)
    if not request.POST and request.GET.get("kind") in Circulation.Kind.values:
        form.initial["kind"] = request.GET["kind"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.circulate_version(
                actor=request.user,
                version=ver,
                states=list(data["states"]),
                body=data["body"],
                deadline=data["deadline"],
                message=data["message"],
                kind=data["kind"],
            )
            messages.success(
                request,
                _("The silence procedure has started; the focal points are told by e-mail.")
                if data["kind"] == Circulation.Kind.SILENCE
                else _("The version was circulated; the focal points are told by e-mail."),
            )
            return _detail(text)
        except ValidationError as error:
            attach_errors(form, error)
    context = {
        "dialogue": dialogue,
        "text": text,
        "version": ver,
        "form": form,
        "paragraph_count": ver.paragraphs.count(),
    }
    return _render(request, "texts/workspace/circulate.html", context)


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def circulation(request: HttpRequest, slug: str, pk: int, cpk: int) -> HttpResponse:
    dialogue, text = _text(request, slug, pk)
    services.conclude_silence_procedures(text=text)
    circ = get_object_or_404(
        Circulation.objects.select_related("version", "body").prefetch_related("states"),
        pk=cpk,
        version__text=text,
    )
    circ.version.text = text
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "close":
                services.close_circulation(actor=request.user, circulation=circ)
                messages.success(request, _("The circulation was closed."))
            elif action in Comment.Decision.values:
                comment = get_object_or_404(
                    Comment, pk=request.POST.get("comment", "").strip() or 0, circulation=circ
                )
                services.decide_comment(actor=request.user, comment=comment, decision=action)
                messages.success(request, _("The decision was recorded."))
            else:
                messages.error(request, _("Choose an action."))
        except (ValidationError, ValueError) as error:
            _errors(
                request,
                error if isinstance(error, ValidationError) else ValidationError(str(error)),
            )
        return redirect("texts_workspace:circulation", slug=slug, pk=pk, cpk=cpk)
    country = request.GET.get("state", "").strip().upper()[:2]
    all_paragraphs = queries.paragraphs_of(circ.version)
    pages = max(1, math.ceil(len(all_paragraphs) / PARAGRAPHS_PER_PAGE))
    raw = request.GET.get("page", "1").strip()
    page = min(max(1, int(raw)), pages) if raw.isdecimal() and len(raw) < 6 else 1
    rows = queries.side_by_side(
        request.user,
        circ,
        country=country,
        paragraphs=all_paragraphs[(page - 1) * PARAGRAPHS_PER_PAGE : page * PARAGRAPHS_PER_PAGE],
        general=page == 1,
    )
    queries.mark_wording(rows)
    states = sorted(circ.states.all(), key=lambda s: str(s.name).casefold())
    answered = set(
        Comment.objects.filter(circulation=circ, status=Comment.Status.SENT).values_list(
            "country_id", flat=True
        )
    )
    latest = text.versions.order_by("-number").first()
    context = {
        "dialogue": dialogue,
        "text": text,
        "circulation": circ,
        "rows": rows,
        "states": states,
        "answered": answered,
        "silent": [s for s in states if s.code not in answered],
        "country": country,
        "page": page,
        "pages": pages,
        "objections": list(circ.objections.select_related("country", "raised_by")),
        "decisions": [c for c in Comment.Decision.choices if c[0] != Comment.Decision.PENDING],
        "can_issue": text.is_open
        and latest is not None
        and latest.pk == circ.version_id
        and not latest.is_draft,
        "language": (get_language() or "en")[:2],
    }
    return _render(request, "texts/workspace/circulation.html", context)


@_refusals_as_404
@require_POST
def next_version(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    _dialogue_obj, text = _text(request, slug, pk)
    ids = [int(v) for v in request.POST.getlist("apply") if v.strip().isdecimal()]
    try:
        ver = services.issue_next_version(actor=request.user, text=text, apply_comments=ids)
    except ValidationError as error:
        _errors(request, error)
        return _detail(text)
    messages.success(
        request,
        _("Version %(number)d was created as a draft; change it, then circulate it.")
        % {"number": ver.number},
    )
    return redirect("texts_workspace:version", slug=slug, pk=pk, number=ver.number)


# Adoption and differences --------------------------------------------------------------------


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def adopt(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, text = _text(request, slug, pk)
    form = AdoptForm(request.POST or None, text=text)
    if not request.POST:
        latest = text.versions.order_by("-number").first()
        form.initial["version"] = latest.pk if latest else None
        if text.adopted_at_meeting_id:
            form.initial["meeting"] = text.adopted_at_meeting_id
    if request.method == "POST" and form.is_valid():
        try:
            services.adopt_text(
                actor=request.user,
                text=text,
                meeting=form.cleaned_data["meeting"],
                version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The adoption was recorded and the text published."))
            return _detail(text)
        except ValidationError as error:
            attach_errors(form, error)
    return _render(
        request, "texts/workspace/adopt.html", {"dialogue": dialogue, "text": text, "form": form}
    )


def diff_context(request: HttpRequest, text: OutcomeText, numbers: list[int]) -> dict[str, Any]:
    """The two versions to compare (``?from=&to=``, default: the last two) and their rows."""

    def pick(name: str, default: int) -> int:
        raw = request.GET.get(name, "").strip()
        if raw.isdecimal() and int(raw) in numbers:
            return int(raw)
        return default

    if not numbers:
        raise Http404
    new = pick("to", numbers[-1])
    old = pick("from", numbers[-2] if len(numbers) > 1 else numbers[-1])
    language = request.GET.get("language", "").strip()[:2]
    from django.conf import settings

    codes = [c for c, _n in settings.LANGUAGES]
    if language not in codes:
        language = (get_language() or "en")[:2]
    old_version = TextVersion.objects.get(text=text, number=old)
    new_version = TextVersion.objects.get(text=text, number=new)
    rows = diff.compare(
        queries.paragraphs_of(old_version), queries.paragraphs_of(new_version), language=language
    )
    return {
        "text": text,
        "numbers": numbers,
        "old": old,
        "new": new,
        "rows": rows,
        "summary": diff.summary(rows),
        "diff_language": language,
        "languages": settings.LANGUAGES,
    }


@_refusals_as_404
def compare(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue, text = _text(request, slug, pk)
    numbers = list(text.versions.order_by("number").values_list("number", flat=True))
    context = diff_context(request, text, numbers)
    context.update(dialogue=dialogue)
    return _render(request, "texts/workspace/diff.html", context)
