"""Public pages of the news: the list with filters, one item, its pictures, the review archive
and the subscription pages.

Views are thin: parse the request, narrow with ``core.access`` (through ``news.queries``),
read or call a service, render. Hidden, missing and not yet published items answer the same 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from dialogos.core import access
from dialogos.core.markdown import render as markdown
from dialogos.dialogues.models import Dialogue
from dialogos.news import fragments, queries, services
from dialogos.news.models import NewsItem
from dialogos.news.services.sending import entries_by_section, entry_path


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], **kw: Any
) -> HttpResponse:
    return render(request, template, {"nav_section": "news", **context}, **kw)


def news_list(request: HttpRequest) -> HttpResponse:
    filters = queries.NewsFilters.from_query(request.GET)
    qs = fragments.rows(queries.filtered_news(request.user, filters))
    page = queries.page_of(qs, request.GET.get("page"))
    options = queries.filter_options()
    dialogue = next((d for d in options["dialogues"] if d.slug == filters.dialogue), None)
    context = {
        "filters": filters,
        "options": options,
        "page": page,
        "entries": fragments.entries(
            [fragments.Row.from_values(row) for row in page.items], show_dialogue=True
        ),
        "feed_dialogue": dialogue,
    }
    template = "news/_results.html" if request.headers.get("HX-Request") else "news/list.html"
    return _render(request, template, context)


def news_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    item = queries.readable_item(request.user, pk)
    if slug != (item.slug or "item") and item.is_live():
        return redirect(item.get_absolute_url(), permanent=True)
    images = list(item.images.order_by("order", "pk"))
    meetings = list(
        access.visible(request.user, item.meetings.all())
        .select_related("country")
        .order_by("start")
    )
    documents = list(access.visible(request.user, item.documents.all()).order_by("-date", "-pk"))
    projects = list(access.visible(request.user, item.projects.all()).order_by("-pk"))
    body, text_language = fragments.item_html(item, get_language())
    context = {
        "item": item,
        "images": images,
        "meetings": meetings,
        "documents": documents,
        "projects": projects,
        "body": body,
        "text_language": text_language,
        "feed_dialogue": item.dialogue,
        "preview": not item.is_live(),
        "can_change": access.can_change(request.user, item),
    }
    response = _render(request, "news/detail.html", context)
    if context["preview"]:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
    return response


def news_image(request: HttpRequest, pk: int, size: str, ext: str) -> FileResponse:
    """A picture through the access gate; public, live items may be cached by anyone."""
    if size not in ("large", "small"):
        raise Http404
    image = queries.image_for(request.user, pk)
    if ext != image.extension:
        raise Http404
    field = image.large if size == "large" else image.small
    try:
        handle = default_storage.open(field.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type=image.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    public = image.item.access_level == "public" and image.item.is_live()
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    return response


# The review archive --------------------------------------------------------------------------


def review_list(request: HttpRequest) -> HttpResponse:
    issues = list(queries.published_reviews(request.user)[:200])
    return _render(request, "news/review_list.html", {"issues": issues})


def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = queries.readable_review(request.user, pk)
    sections = entries_by_section(issue)
    for _code, _label, rows in sections:
        for entry in rows:
            entry.url = entry_path(entry)  # type: ignore[attr-defined]
    context = {
        "issue": issue,
        "sections": sections,
        "introduction": markdown(issue.introduction.get_text()),
        "feed_dialogue": issue.dialogue,
    }
    return _render(request, "news/review_detail.html", context)


# Subscriptions -----------------------------------------------------------------------------


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    language = forms.ChoiceField(label=_("Language of the review"), choices=())
    dialogues = forms.ModelMultipleChoiceField(
        label=_("Dialogues"),
        queryset=Dialogue.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none to receive the review of every dialogue."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [(c, _(str(n))) for c, n in settings.LANGUAGES]  # type: ignore[attr-defined]
        self.fields["dialogues"].queryset = Dialogue.objects.order_by("order", "slug")  # type: ignore[attr-defined]


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    initial = {"language": (get_language() or "en")[:2]}
    slug = request.GET.get("dialogue", "")
    if isinstance(slug, str) and slug:
        initial["dialogues"] = list(Dialogue.objects.filter(slug=slug[:60]))  # type: ignore[assignment]
    form = SubscribeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscribe(
                email=form.cleaned_data["email"],
                language=form.cleaned_data["language"],
                dialogues=list(form.cleaned_data["dialogues"]),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect("news:subscribe_sent")
    return _render(request, "news/subscribe.html", {"form": form})


def subscribe_sent(request: HttpRequest) -> HttpResponse:
    return _render(request, "news/subscribe_sent.html", {})


def _bad_link(request: HttpRequest, reason: str, kind: str) -> HttpResponse:
    response = _render(request, "news/bad_link.html", {"reason": reason, "kind": kind}, status=400)
    response["Cache-Control"] = "private, no-store"
    return response


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link confirms: the page says so (a preview by a mail scanner confirms too,
    which is the address owner's own mailbox acting for them)."""
    try:
        subscriber = services.confirm_subscription(token=token)
    except services.BadToken as bad:
        return _bad_link(request, bad.reason, "confirm")
    dialogues = list(subscriber.dialogues.all())
    response = _render(
        request,
        "news/subscribe_confirmed.html",
        {
            "subscriber": subscriber,
            "dialogues": dialogues,
            "unsubscribe_url": reverse(
                "news:unsubscribe", kwargs={"token": services.unsubscribe_token(subscriber.pk)}
            ),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt  # RFC 8058: mail programs POST here without a session; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link scanners must not unsubscribe anyone); POST unsubscribes."""
    try:
        if request.method == "POST":
            subscriber = services.unsubscribe(token=token)
            done = True
        else:
            subscriber = services.subscriptions.subscriber_for_unsubscribe(token)
            done = False
    except services.BadToken as bad:
        return _bad_link(request, bad.reason, "unsubscribe")
    response = _render(
        request,
        "news/unsubscribe.html",
        {"subscriber": subscriber, "done": done, "token": token},
    )
    response["Cache-Control"] = "private, no-store"
    return response


def item_status(item: NewsItem) -> str:
    if item.status == NewsItem.Status.DRAFT:
        return "draft"
    return "scheduled" if item.is_scheduled() else "published"
