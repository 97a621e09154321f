"""The secretariat's news pages: items with pictures and scheduling, announcements prepared by
changes of schedule, review issues (gather, order, edit, introduce, send, progress) and the
subscribers.

Every view finds the dialogue by its slug and lets only its secretariat (or an operator)
through; everyone else gets the same 404. The item pages also serve the news of the whole
platform (items without a dialogue) at ``/<lang>/workspace/news/platform/``: the same forms,
for whoever ``core.access`` counts as secretariat of no particular dialogue (the platform's
operators). Writes go through ``news.services``; their
``ValidationError`` is shown on the form, a ``PermissionDenied`` answers 404.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dialogos.core import access
from dialogos.core.forms import attach_errors
from dialogos.dialogues.models import Dialogue
from dialogos.meetings.models import ScheduleDecision
from dialogos.news import services
from dialogos.news.models import (
    Bounce,
    Dispatch,
    NewsImage,
    NewsItem,
    ReviewEntry,
    ReviewIssue,
    Subscriber,
)
from dialogos.news.services.sending import entries_by_section
from dialogos.news.workspace_forms import (
    ImageForm,
    ImageTextForm,
    NewsItemForm,
    ReviewEntryForm,
    ReviewIssueForm,
)

R = TypeVar("R", bound=HttpResponseBase)
PAGE_SIZE = 50


# The platform's news mounts where every app's workspace pages mount, under this "slug".
PLATFORM_SLUG = "news"


@dataclass(frozen=True)
class Scope:
    """Whose news an item page edits: a dialogue's, or the whole platform's (no dialogue)."""

    dialogue: Dialogue | None

    def url(self, name: str, **kwargs: Any) -> str:
        if self.dialogue is None:
            return reverse(
                f"news_workspace:platform_{name}", kwargs={"slug": PLATFORM_SLUG, **kwargs}
            )
        return reverse(f"news_workspace:{name}", kwargs={"slug": self.dialogue.slug, **kwargs})


def _scope(request: HttpRequest, slug: str, platform: bool) -> Scope:
    if not platform:
        return Scope(_dialogue(request, slug))
    if slug != PLATFORM_SLUG or not access.principal(request.user).is_secretariat(None):
        raise Http404
    return Scope(None)


def _dialogue(request: HttpRequest, slug: str) -> Dialogue:
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


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"nav_section": "workspace", "section": "news", **context})


def _item(scope: Scope, pk: int) -> NewsItem:
    if scope.dialogue is None:
        qs = NewsItem.objects.filter(dialogue__isnull=True)
    else:
        qs = NewsItem.objects.filter(dialogue=scope.dialogue)
    return get_object_or_404(qs.select_related("dialogue"), pk=pk)


def _with_urls(scope: Scope, items: list[NewsItem]) -> list[NewsItem]:
    for item in items:
        item.edit_url = scope.url("edit", pk=item.pk)  # type: ignore[attr-defined]
        item.images_url = scope.url("images", pk=item.pk)  # type: ignore[attr-defined]
        item.delete_url = scope.url("delete", pk=item.pk)  # type: ignore[attr-defined]
    return items


def _issue(dialogue: Dialogue, pk: int) -> ReviewIssue:
    return get_object_or_404(
        ReviewIssue.objects.select_related("dialogue"), pk=pk, dialogue=dialogue
    )


def _try(request: HttpRequest, form: forms.BaseForm | None, run: Callable[[], Any]) -> bool:
    """Run a service; show its ``ValidationError`` on the form (or as a message)."""
    try:
        run()
    except ValidationError as error:
        if form is not None:
            attach_errors(form, error)
        else:
            for text in error.messages:
                messages.error(request, text)
        return False
    return True


# News items ---------------------------------------------------------------------------------


@_refusals_as_404
def index(request: HttpRequest, slug: str, platform: bool = False) -> HttpResponse:
    scope = _scope(request, slug, platform)
    dialogue = scope.dialogue
    now = timezone.now()
    items = NewsItem.objects.annotate(n_images=Count("images"))
    items = (
        items.filter(dialogue__isnull=True) if dialogue is None else items.filter(dialogue=dialogue)
    )
    drafts = list(items.filter(status=NewsItem.Status.DRAFT).order_by("-updated_at", "-pk")[:100])
    scheduled = list(items.scheduled(now).order_by("published_at", "pk")[:100])
    paginator = Paginator(items.published(now), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "dialogue": dialogue,
        "scope": scope,
        "create_url": scope.url("create"),
        "drafts": _with_urls(scope, drafts),
        "scheduled": _with_urls(scope, scheduled),
        "page": page,
        "published": _with_urls(scope, list(page.object_list)),
        "platform_url": (
            Scope(None).url("index")
            if dialogue is not None and access.principal(request.user).is_secretariat(None)
            else ""
        ),
    }
    if dialogue is not None:
        context["announcements"] = services.pending_announcements(dialogue)
        context["issues"] = list(
            ReviewIssue.objects.filter(dialogue=dialogue).order_by("-period_end")[:5]
        )
        context["subscribers"] = Subscriber.objects.filter(status=Subscriber.Status.ACTIVE).count()
    return _render(request, "news/workspace/index.html", context)


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def item_edit(
    request: HttpRequest, slug: str, pk: int | None = None, platform: bool = False
) -> HttpResponse:
    scope = _scope(request, slug, platform)
    dialogue = scope.dialogue
    item = _item(scope, pk) if pk is not None else None
    initial = (
        NewsItemForm.initial_for(item) if item else {"status": "draft", "access_level": "public"}
    )
    form = NewsItemForm(request.POST or None, initial=initial, dialogue=dialogue)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        topics = list(data.pop("topics"))
        meetings = list(data.pop("meetings", []))
        documents = list(data.pop("documents", []))
        projects = list(data.pop("projects", []))
        saved: list[NewsItem] = []

        def save() -> None:
            saved.append(
                services.save_news_item(
                    actor=request.user,
                    dialogue=dialogue,
                    item=item,
                    topics=topics,
                    meetings=meetings,
                    documents=documents,
                    projects=projects,
                    **data,
                )
            )

        if _try(request, form, save):
            result = saved[0]
            if result.is_scheduled():
                messages.success(
                    request,
                    _("Saved. The item will appear on %(when)s (UTC).")
                    % {"when": f"{result.published_at:%Y-%m-%d %H:%M}"},
                )
            elif result.is_live():
                messages.success(request, _("Saved and published."))
            else:
                messages.success(request, _("Saved as a draft."))
            if item is None:
                return redirect(scope.url("images", pk=result.pk))
            return redirect(scope.url("index"))
    context = {
        "dialogue": dialogue,
        "scope": scope,
        "item": item,
        "form": form,
        "index_url": scope.url("index"),
        "images_url": scope.url("images", pk=item.pk) if item else "",
    }
    return _render(request, "news/workspace/item_form.html", context)


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, slug: str, pk: int, platform: bool = False) -> HttpResponse:
    scope = _scope(request, slug, platform)
    dialogue = scope.dialogue
    item = _item(scope, pk)
    back = scope.url("index")
    if request.method == "POST":
        services.delete_news_item(actor=request.user, item=item)
        messages.success(request, _("The news item was deleted."))
        return redirect(back)
    context = {
        "dialogue": dialogue,
        "title": _("Delete a news item"),
        "what": str(item.title),
        "back": back,
    }
    return _render(request, "workspace/confirm_remove.html", context)


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def images(request: HttpRequest, slug: str, pk: int, platform: bool = False) -> HttpResponse:
    scope = _scope(request, slug, platform)
    dialogue = scope.dialogue
    item = _item(scope, pk)
    form = ImageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["image"]

        def save() -> None:
            services.add_news_image(
                actor=request.user,
                item=item,
                upload=upload,
                size=upload.size,
                alt=form.cleaned_data["alt"],
                credit=form.cleaned_data["credit"],
            )

        if _try(request, form, save):
            messages.success(request, _("The picture was added."))
            return redirect(scope.url("images", pk=item.pk))
    pictures = list(item.images.order_by("order", "pk"))
    for picture in pictures:
        picture.edit_url = scope.url("image_edit", pk=item.pk, image_pk=picture.pk)  # type: ignore[attr-defined]
        picture.delete_url = scope.url("image_delete", pk=item.pk, image_pk=picture.pk)  # type: ignore[attr-defined]
    context = {
        "dialogue": dialogue,
        "scope": scope,
        "item": item,
        "form": form,
        "images": pictures,
        "index_url": scope.url("index"),
        "edit_url": scope.url("edit", pk=item.pk),
    }
    return _render(request, "news/workspace/images.html", context)


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def image_edit(
    request: HttpRequest, slug: str, pk: int, image_pk: int, platform: bool = False
) -> HttpResponse:
    scope = _scope(request, slug, platform)
    dialogue = scope.dialogue
    item = _item(scope, pk)
    image = get_object_or_404(NewsImage, pk=image_pk, item=item)
    form = ImageTextForm(request.POST or None, initial={"alt": image.alt, "credit": image.credit})
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            services.update_news_image(
                actor=request.user,
                image=image,
                alt=form.cleaned_data["alt"],
                credit=form.cleaned_data["credit"],
            )

        if _try(request, form, save):
            messages.success(request, _("The picture's texts were saved."))
            return redirect(scope.url("images", pk=item.pk))
    context = {
        "dialogue": dialogue,
        "title": _("Texts of a picture"),
        "form": form,
        "submit": _("Save"),
        "back": scope.url("images", pk=item.pk),
    }
    return _render(request, "workspace/form.html", context)


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def image_delete(
    request: HttpRequest, slug: str, pk: int, image_pk: int, platform: bool = False
) -> HttpResponse:
    scope = _scope(request, slug, platform)
    dialogue = scope.dialogue
    item = _item(scope, pk)
    image = get_object_or_404(NewsImage, pk=image_pk, item=item)
    back = scope.url("images", pk=item.pk)
    if request.method == "POST":
        services.remove_news_image(actor=request.user, image=image)
        messages.success(request, _("The picture was removed."))
        return redirect(back)
    context = {
        "dialogue": dialogue,
        "title": _("Remove a picture"),
        "what": str(image.alt),
        "back": back,
    }
    return _render(request, "workspace/confirm_remove.html", context)


@_refusals_as_404
@require_POST
def announcement_draft(request: HttpRequest, slug: str, decision_pk: int) -> HttpResponse:
    """One click: the decision's draft announcement becomes a draft news item (once)."""
    dialogue = _dialogue(request, slug)
    decision = get_object_or_404(ScheduleDecision, pk=decision_pk, dialogue=dialogue)
    item = services.draft_news_from_decision(actor=request.user, decision=decision)
    messages.success(
        request, _("A draft news item was made from the announcement; edit and publish it.")
    )
    return redirect("news_workspace:edit", slug=dialogue.slug, pk=item.pk)


# Review issues ------------------------------------------------------------------------------


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def reviews(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    form = ReviewIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made: list[ReviewIssue] = []

        def save() -> None:
            made.append(
                services.create_review_issue(
                    actor=request.user, dialogue=dialogue, **form.cleaned_data
                )
            )

        if _try(request, form, save):
            messages.success(request, _("The issue was opened with what its period holds."))
            return redirect("news_workspace:review", slug=dialogue.slug, pk=made[0].pk)
    issues = list(
        ReviewIssue.objects.filter(dialogue=dialogue)
        .annotate(n_entries=Count("entries"))
        .order_by("-period_end", "-pk")
    )
    context = {"dialogue": dialogue, "form": form, "issues": issues}
    return _render(request, "news/workspace/reviews.html", context)


def _review_context(dialogue: Dialogue, issue: ReviewIssue) -> dict[str, Any]:
    return {
        "dialogue": dialogue,
        "issue": issue,
        "sections": entries_by_section(issue),
        "progress": services.progress(issue),
        "failed": list(
            Dispatch.objects.filter(issue=issue, status=Dispatch.Status.FAILED).order_by("pk")[:50]
        ),
        "audience": Subscriber.objects.filter(status=Subscriber.Status.ACTIVE).count(),
        "bounces": list(
            Bounce.objects.filter(dispatch__issue=issue)
            .select_related("dispatch", "subscriber")
            .order_by("-received_at", "-pk")[:50]
        ),
        "bounce_counts": {"hard": 0, "soft": 0}
        | {
            row["kind"]: row["n"]
            for row in Bounce.objects.filter(dispatch__issue=issue)
            .values("kind")
            .annotate(n=Count("pk"))
        },
    }


@_refusals_as_404
def review(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    issue = _issue(dialogue, pk)
    context = _review_context(dialogue, issue)
    if request.headers.get("HX-Request") and request.GET.get("part") == "progress":
        return _render(request, "news/workspace/_progress.html", context)
    return _render(request, "news/workspace/review.html", context)


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    issue = _issue(dialogue, pk)
    initial = {
        "title": issue.title,
        "period_start": issue.period_start,
        "period_end": issue.period_end,
        "introduction": issue.introduction,
    }
    form = ReviewIssueForm(request.POST or None, initial=initial)
    back = reverse("news_workspace:review", kwargs={"slug": dialogue.slug, "pk": issue.pk})
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            services.update_review_issue(actor=request.user, issue=issue, **form.cleaned_data)

        if _try(request, form, save):
            messages.success(request, _("The issue was saved."))
            return redirect(back)
    context = {
        "dialogue": dialogue,
        "title": _("Title, period and introduction"),
        "form": form,
        "submit": _("Save"),
        "back": back,
    }
    return _render(request, "workspace/form.html", context)


@_refusals_as_404
@require_POST
def review_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    issue = _issue(dialogue, pk)
    back = redirect("news_workspace:review", slug=dialogue.slug, pk=issue.pk)
    if action == "gather":
        added: list[int] = []
        if _try(
            request,
            None,
            lambda: added.append(services.gather_review(actor=request.user, issue=issue)),
        ):
            messages.success(
                request, _("%(count)d new entries were gathered.") % {"count": added[0]}
            )
    elif action == "publish":
        if _try(
            request,
            None,
            lambda: services.publish_review_issue(actor=request.user, issue=issue, send=False),
        ):
            messages.success(request, _("The issue is published in the archive."))
    elif action == "send":
        queued: list[int] = []
        if _try(
            request,
            None,
            lambda: queued.append(services.publish_review_issue(actor=request.user, issue=issue)),
        ):
            messages.success(
                request,
                _("The issue is published; %(count)d e-mails were queued for the worker.")
                % {"count": queued[0]},
            )
    elif action == "retry":
        count = services.retry_failed(actor=request.user, issue=issue)
        messages.success(
            request, _("%(count)d failed e-mails were queued again.") % {"count": count}
        )
    elif action == "retry-uncertain":
        count = services.retry_failed(actor=request.user, issue=issue, uncertain=True)
        messages.success(request, _("%(count)d e-mails were queued again.") % {"count": count})
    elif action == "resume":
        services.resume_sending(actor=request.user, issue=issue)
        messages.success(request, _("Sending was started again; nobody receives the issue twice."))
    else:
        raise Http404
    return back


def _entry(dialogue: Dialogue, pk: int, entry_pk: int) -> tuple[ReviewIssue, ReviewEntry]:
    issue = _issue(dialogue, pk)
    entry = get_object_or_404(ReviewEntry, pk=entry_pk, issue=issue)
    entry.issue = issue
    return issue, entry


@_refusals_as_404
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, slug: str, pk: int, entry_pk: int) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    issue, entry = _entry(dialogue, pk, entry_pk)
    form = ReviewEntryForm(
        request.POST or None, initial={"title": entry.title, "summary": entry.summary}
    )
    back = reverse("news_workspace:review", kwargs={"slug": dialogue.slug, "pk": issue.pk})
    if request.method == "POST" and form.is_valid():

        def save() -> None:
            services.update_review_entry(actor=request.user, entry=entry, **form.cleaned_data)

        if _try(request, form, save):
            messages.success(request, _("The entry was saved."))
            return redirect(back)
    context = {
        "dialogue": dialogue,
        "title": _("Edit an entry of the review"),
        "form": form,
        "submit": _("Save"),
        "back": back,
    }
    return _render(request, "workspace/form.html", context)


@_refusals_as_404
@require_POST
def entry_action(
    request: HttpRequest, slug: str, pk: int, entry_pk: int, action: str
) -> HttpResponse:
    dialogue = _dialogue(request, slug)
    issue, entry = _entry(dialogue, pk, entry_pk)
    if action in ("up", "down"):
        services.move_review_entry(actor=request.user, entry=entry, direction=action)
    elif action == "remove":
        services.remove_review_entry(actor=request.user, entry=entry)
        messages.success(request, _("The entry was removed from the issue."))
    else:
        raise Http404
    url = reverse("news_workspace:review", kwargs={"slug": dialogue.slug, "pk": issue.pk})
    return redirect(f"{url}#entry-{entry.section}")


# Subscribers --------------------------------------------------------------------------------


@_refusals_as_404
def subscribers(request: HttpRequest, slug: str) -> HttpResponse:
    """Who receives this dialogue's review: figures by status and language, and the list."""
    dialogue = _dialogue(request, slug)
    audience = Subscriber.objects.filter(dialogues=dialogue) | Subscriber.objects.filter(
        dialogues=None
    )
    audience = audience.distinct()
    figures = {
        row["status"]: row["n"]
        for row in Subscriber.objects.filter(pk__in=audience.values("pk"))
        .values("status")
        .annotate(n=Count("pk"))
    }
    languages = list(
        Subscriber.objects.filter(pk__in=audience.values("pk"), status=Subscriber.Status.ACTIVE)
        .values("language")
        .annotate(n=Count("pk"))
        .order_by("language")
    )
    status = request.GET.get("status", "")
    rows = Subscriber.objects.filter(pk__in=audience.values("pk")).order_by("email")
    if status in Subscriber.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "dialogue": dialogue,
        "figures": [
            (value, label, figures.get(value, 0)) for value, label in Subscriber.Status.choices
        ],
        "languages": languages,
        "page": page,
        "rows": list(page.object_list),
        "status": status,
    }
    return _render(request, "news/workspace/subscribers.html", context)
