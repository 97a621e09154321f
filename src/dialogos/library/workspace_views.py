"""The secretariat's library pages: documents and their files, the review queue of good
practices, calls for practices, country profiles and the topics.

Every view finds the dialogue by its slug and lets only its secretariat (or an operator)
through; everyone else gets the same 404. Writes go through ``library.services``; their
``ValidationError`` is shown on the form, a ``PermissionDenied`` answers 404.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialogos.core import access
from dialogos.core.models import AccessLevel
from dialogos.dialogues.models import Dialogue
from dialogos.library import services
from dialogos.library.forms import (
    CallForm,
    CommentForm,
    DocumentForm,
    FileForm,
    PracticeAccessForm,
    ProfileForm,
    TopicForm,
    attach_errors,
    model_fields,
)
from dialogos.library.models import (
    CountryProfile,
    Document,
    DocumentType,
    LibraryFile,
    Practice,
    PracticeCall,
    PracticeEvent,
    PracticeStatus,
    ProfileEvent,
    ProfileStatus,
    Topic,
)

R = TypeVar("R", bound=HttpResponseBase)
PAGE_SIZE = 50


def _dialogue(request: HttpRequest, slug: str) -> Dialogue:
    """The dialogue, if the user is its secretariat; 404 alike for missing and forbidden."""
    dialogue = Dialogue.objects.filter(slug=slug).first()
    if dialogue is None:
        raise Http404
    access.require_secretariat(request.user, dialogue.pk)
    return dialogue


def _refusals_as_404(view: Callable[..., R]) -> Callable[..., R]:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> R:
        try:
            return view(*args, **kwargs)
        except PermissionDenied as exc:
            raise Http404 from exc

    return wrapper


def _render(
    request: HttpRequest, template: str, dialogue: Dialogue, context: dict[str, Any]
) -> HttpResponse:
    return render(
        request,
        template,
        {"nav_section": "workspace", "section": "library", "dialogue": dialogue, **context},
    )


def _save_form(
    request: HttpRequest, form: forms.BaseForm, save: Callable[[], Any], success: str
) -> bool:
    """Validate ``form`` and call ``save``; on a service error, show it on the form."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save()
    except ValidationError as error:
        attach_errors(form, error)
        return False
    messages.success(request, success)
    return True


def _error_messages(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


def _url(name: str, dialogue: Dialogue, *args: Any) -> str:
    return reverse(f"library_workspace:{name}", args=[dialogue.slug, *args])


def _confirm_remove(
    request: HttpRequest,
    dialogue: Dialogue,
    *,
    what: str,
    title: str,
    back: str,
    remove: Callable[[], None],
    done: str,
    after: str,
) -> HttpResponse:
    if request.method == "POST":
        try:
            remove()
        except ValidationError as error:
            _error_messages(request, error)
            return redirect(back)
        messages.success(request, done)
        return redirect(after)
    context = {"title": title, "what": what, "back": back, "current": "true"}
    return _render(request, "workspace/confirm_remove.html", dialogue, context)


# Overview ---------------------------------------------------------------------------------------


@_refusals_as_404
def index(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    practices = Practice.objects.filter(dialogue=dialogue).aggregate(
        review=Count("pk", filter=Q(status=PracticeStatus.SUBMITTED)),
        published=Count("pk", filter=Q(status=PracticeStatus.PUBLISHED)),
    )
    profiles = CountryProfile.objects.filter(dialogue=dialogue)
    now = timezone.now()
    overdue = [p for p in profiles.select_related("country") if p.may_publish_unendorsed(now)]
    context = {
        "documents": Document.objects.filter(dialogue=dialogue).count(),
        "practices": practices,
        "calls": PracticeCall.objects.filter(dialogue=dialogue).count(),
        "profiles": profiles.count(),
        "awaiting": profiles.filter(status=ProfileStatus.SUBMITTED).count(),
        "overdue": overdue,
        "topics": Topic.objects.count(),
        "current": "page",
    }
    return _render(request, "library/workspace/index.html", dialogue, context)


# Documents --------------------------------------------------------------------------------------


@_refusals_as_404
def document_list(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    type_ = request.GET.get("type", "")
    rows = (
        Document.objects.filter(dialogue=dialogue)
        .select_related("meeting")
        .annotate(
            languages=Count("files", filter=Q(files__is_current=True)),
            total_downloads=Sum("files__downloads"),
        )
        .order_by("-date", "-pk")
    )
    if type_ in DocumentType.values:
        rows = rows.filter(type=type_)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "documents": list(page.object_list),
        "types": DocumentType.choices,
        "type": type_,
        "current": "true",
    }
    return _render(request, "library/workspace/documents.html", dialogue, context)


@_refusals_as_404
def document_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    document = get_object_or_404(Document, pk=pk, dialogue=dialogue) if pk else None
    form = DocumentForm(
        request.POST or None, instance=document or Document(dialogue=dialogue), dialogue=dialogue
    )
    saved: dict[str, Document] = {}

    def save() -> None:
        fields = model_fields(form)
        if document is None:
            saved["doc"] = services.create_document(actor=request.user, dialogue=dialogue, **fields)
        else:
            saved["doc"] = services.update_document(actor=request.user, document=document, **fields)

    if _save_form(request, form, save, _("The document is saved.")):
        return redirect(_url("document", dialogue, saved["doc"].pk))
    context = {"form": form, "document": document, "current": "true"}
    return _render(request, "library/workspace/document_edit.html", dialogue, context)


def _file_versions(owner_filter: dict[str, Any]) -> dict[str, list[LibraryFile]]:
    versions: dict[str, list[LibraryFile]] = {}
    for record in (
        LibraryFile.objects.filter(**owner_filter)
        .select_related("uploaded_by")
        .defer("text")
        .order_by("language", "-version")
    ):
        versions.setdefault(record.language, []).append(record)
    return versions


def _upload(
    request: HttpRequest, dialogue: Dialogue, owner: Document | Practice | CountryProfile
) -> FileForm:
    """Handle the file form on an owner's page; return the form to show (with its errors)."""
    form = FileForm(request.POST or None, request.FILES or None, dialogue=dialogue)
    if request.method == "POST" and "upload" in request.POST:

        def save() -> None:
            services.attach_file(
                actor=request.user,
                owner=owner,
                language=form.cleaned_data["language"],
                upload=form.cleaned_data["file"],
            )

        if _save_form(request, form, save, _("The file is stored.")):
            form = FileForm(dialogue=dialogue)
            form.stored = True  # type: ignore[attr-defined]
    return form


@_refusals_as_404
def document_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    document = get_object_or_404(
        Document.objects.select_related("meeting").prefetch_related("topics", "countries"),
        pk=pk,
        dialogue=dialogue,
    )
    form = _upload(request, dialogue, document)
    if getattr(form, "stored", False):
        return redirect(_url("document", dialogue, document.pk))
    level, source = access.effective_level(document)
    context = {
        "document": document,
        "versions": _file_versions({"document": document}),
        "file_form": form,
        "level_label": dict(AccessLevel.choices).get(level, level),
        "inherited": source is not document,
        "current": "true",
    }
    return _render(request, "library/workspace/document.html", dialogue, context)


@_refusals_as_404
def document_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    document = get_object_or_404(Document, pk=pk, dialogue=dialogue)
    return _confirm_remove(
        request,
        dialogue,
        what=str(document),
        title=_("Remove the document"),
        back=_url("document", dialogue, document.pk),
        remove=lambda: services.delete_document(actor=request.user, document=document),
        done=_("The document is removed."),
        after=_url("documents", dialogue),
    )


@_refusals_as_404
@require_POST
def file_remove(request: HttpRequest, slug: str, file_pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    record = get_object_or_404(
        LibraryFile.objects.select_related("document", "practice", "profile"), pk=file_pk
    )
    owner = record.owner()
    if owner.dialogue_id != dialogue.pk:
        raise Http404
    try:
        services.remove_file(actor=request.user, record=record)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("The file and its earlier versions are removed."))
    if isinstance(owner, Document):
        return redirect(_url("document", dialogue, owner.pk))
    if isinstance(owner, Practice):
        return redirect(_url("practice", dialogue, owner.pk))
    return redirect(_url("profile", dialogue, owner.pk))


# Practices and their review ---------------------------------------------------------------------


@_refusals_as_404
def review(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    status = request.GET.get("status", PracticeStatus.SUBMITTED)
    if status not in PracticeStatus.values:
        status = PracticeStatus.SUBMITTED
    rows = (
        Practice.objects.filter(dialogue=dialogue, status=status)
        .select_related("country", "call")
        .order_by("-submitted_at", "-updated_at", "-pk")
    )
    counts = dict(
        Practice.objects.filter(dialogue=dialogue)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    tabs = [(value, label, counts.get(value, 0)) for value, label in PracticeStatus.choices]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "practices": list(page.object_list),
        "status": status,
        "tabs": tabs,
        "current": "true",
    }
    return _render(request, "library/workspace/review.html", dialogue, context)


def _practice(dialogue: Dialogue, pk: int) -> Practice:
    return get_object_or_404(
        Practice.objects.select_related(
            "country", "call", "dialogue", "created_by"
        ).prefetch_related(
            "topics",
            "countries",
            Prefetch("files", queryset=LibraryFile.objects.filter(is_current=True)),
            Prefetch("events", queryset=PracticeEvent.objects.select_related("actor")),
        ),
        pk=pk,
        dialogue=dialogue,
    )


@_refusals_as_404
def practice_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    practice = _practice(dialogue, pk)
    comment_form = CommentForm(request.POST or None)
    access_form = PracticeAccessForm(
        request.POST if "access" in request.POST else None,
        initial={"access_level": practice.access_level},
    )
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "access" and access_form.is_valid():
                services.update_practice(
                    actor=request.user,
                    practice=practice,
                    access_level=access_form.cleaned_data["access_level"],
                )
                messages.success(request, _("Who may see it is saved."))
                return redirect(_url("practice", dialogue, practice.pk))
            if action in {"publish", "return", "unpublish"} and comment_form.is_valid():
                comment = comment_form.cleaned_data["comment"]
                if action == "publish":
                    services.publish_practice(
                        actor=request.user, practice=practice, comment=comment
                    )
                    messages.success(request, _("The practice is published."))
                elif action == "return":
                    services.return_practice(actor=request.user, practice=practice, comment=comment)
                    messages.success(request, _("The practice is sent back to the state."))
                else:
                    services.unpublish_practice(
                        actor=request.user, practice=practice, comment=comment
                    )
                    messages.success(request, _("The practice is withdrawn from publication."))
                return redirect(_url("practice", dialogue, practice.pk))
        except ValidationError as error:
            attach_errors(comment_form, error)
    context = {
        "practice": practice,
        "files": sorted(practice.files.all(), key=lambda f: f.language),
        "events": list(practice.events.all()),
        "comment_form": comment_form,
        "access_form": access_form,
        "current": "true",
    }
    return _render(request, "library/workspace/practice.html", dialogue, context)


# Calls for practices ----------------------------------------------------------------------------


@_refusals_as_404
def call_list(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    received = ~Q(practices__status=PracticeStatus.DRAFT)
    calls = (
        PracticeCall.objects.filter(dialogue=dialogue)
        .annotate(
            received=Count("practices", filter=received),
            published=Count("practices", filter=Q(practices__status=PracticeStatus.PUBLISHED)),
        )
        .order_by("-deadline", "-pk")
    )
    context = {"calls": list(calls), "current": "true"}
    return _render(request, "library/workspace/calls.html", dialogue, context)


@_refusals_as_404
def call_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    call = get_object_or_404(PracticeCall, pk=pk, dialogue=dialogue) if pk else None
    form = CallForm(request.POST or None, instance=call or PracticeCall(dialogue=dialogue))
    saved: dict[str, PracticeCall] = {}

    def save() -> None:
        saved["call"] = services.save_call(
            actor=request.user, dialogue=dialogue, call=call, **model_fields(form)
        )

    if _save_form(request, form, save, _("The call is saved.")):
        return redirect(_url("call", dialogue, saved["call"].pk))
    context = {"form": form, "call": call, "current": "true"}
    return _render(request, "library/workspace/call_edit.html", dialogue, context)


@_refusals_as_404
def call_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    call = get_object_or_404(PracticeCall, pk=pk, dialogue=dialogue)
    practices = (
        Practice.objects.filter(call=call)
        .exclude(status=PracticeStatus.DRAFT)
        .select_related("country")
        .order_by("country__code", "pk")
    )
    drafts = Practice.objects.filter(call=call, status=PracticeStatus.DRAFT).count()
    context = {"call": call, "practices": list(practices), "drafts": drafts, "current": "true"}
    return _render(request, "library/workspace/call.html", dialogue, context)


@_refusals_as_404
def call_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    call = get_object_or_404(PracticeCall, pk=pk, dialogue=dialogue)
    return _confirm_remove(
        request,
        dialogue,
        what=str(call),
        title=_("Remove the call for practices"),
        back=_url("call", dialogue, call.pk),
        remove=lambda: services.delete_call(actor=request.user, call=call),
        done=_("The call is removed; the practices it received are kept."),
        after=_url("calls", dialogue),
    )


# Country profiles -------------------------------------------------------------------------------


@_refusals_as_404
def profile_list(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    now = timezone.now()
    profiles = sorted(
        CountryProfile.objects.filter(dialogue=dialogue).select_related("country"),
        key=lambda p: (str(p.country.name).casefold(), p.kind),
    )
    context = {"profiles": profiles, "now": now, "current": "true"}
    return _render(request, "library/workspace/profiles.html", dialogue, context)


@_refusals_as_404
def profile_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    profile = get_object_or_404(CountryProfile, pk=pk, dialogue=dialogue) if pk else None
    form = ProfileForm(request.POST or None, instance=profile or CountryProfile(dialogue=dialogue))
    saved: dict[str, CountryProfile] = {}

    def save() -> None:
        saved["profile"] = services.save_profile(
            actor=request.user, dialogue=dialogue, profile=profile, **model_fields(form)
        )

    if _save_form(request, form, save, _("The profile is saved.")):
        return redirect(_url("profile", dialogue, saved["profile"].pk))
    context = {"form": form, "profile": profile, "current": "true"}
    return _render(request, "library/workspace/profile_edit.html", dialogue, context)


@_refusals_as_404
def profile_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    profile = get_object_or_404(
        CountryProfile.objects.select_related("country").prefetch_related(
            Prefetch("events", queryset=ProfileEvent.objects.select_related("actor"))
        ),
        pk=pk,
        dialogue=dialogue,
    )
    if request.method == "POST" and request.POST.get("action") in {"submit", "publish"}:
        try:
            if request.POST["action"] == "submit":
                services.submit_profile(actor=request.user, profile=profile)
                messages.success(request, _("The profile is formally submitted to the state."))
            else:
                services.publish_profile_unendorsed(actor=request.user, profile=profile)
                messages.success(request, _("The profile is published as not endorsed."))
        except ValidationError as error:
            _error_messages(request, error)
        return redirect(_url("profile", dialogue, profile.pk))
    form = _upload(request, dialogue, profile)
    if getattr(form, "stored", False):
        return redirect(_url("profile", dialogue, profile.pk))
    if profile.is_frozen() and form.errors:
        # The upload form is not shown while the files are fixed: say why on the page.
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, str(text))
        return redirect(_url("profile", dialogue, profile.pk))
    context = {
        "profile": profile,
        "versions": _file_versions({"profile": profile}),
        "events": list(profile.events.all()),
        # While the state considers a version, and once endorsed, its files stay as they are.
        "file_form": None if profile.is_frozen() else form,
        "frozen": profile.is_frozen(),
        "may_publish": profile.may_publish_unendorsed(),
        "due": profile.endorsement_due(),
        "current": "true",
    }
    return _render(request, "library/workspace/profile.html", dialogue, context)


@_refusals_as_404
def profile_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    profile = get_object_or_404(CountryProfile, pk=pk, dialogue=dialogue)
    return _confirm_remove(
        request,
        dialogue,
        what=str(profile),
        title=_("Remove the profile"),
        back=_url("profile", dialogue, profile.pk),
        remove=lambda: services.delete_profile(actor=request.user, profile=profile),
        done=_("The profile is removed."),
        after=_url("profiles", dialogue),
    )


# Topics -----------------------------------------------------------------------------------------


@_refusals_as_404
def topic_list(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    topics = Topic.objects.annotate(
        document_count=Count("documents", distinct=True),
        practice_count=Count("practices", distinct=True),
    ).order_by("order", "slug")
    context = {"topics": list(topics), "current": "true"}
    return _render(request, "library/workspace/topics.html", dialogue, context)


@_refusals_as_404
def topic_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    topic = get_object_or_404(Topic, pk=pk) if pk else None
    form = TopicForm(request.POST or None, instance=topic or Topic())

    def save() -> None:
        services.save_topic(actor=request.user, topic=topic, **model_fields(form))

    if _save_form(request, form, save, _("The topic is saved.")):
        return redirect(_url("topics", dialogue))
    context = {"form": form, "topic": topic, "current": "true"}
    return _render(request, "library/workspace/topic_edit.html", dialogue, context)
