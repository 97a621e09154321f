"""News: HTTP API endpoints, mounted under /api/v1/.

Reads are public and go through ``core.access`` like the pages: a caller sees the published
items and review issues it may see; hidden, missing and not yet published ones are 404 alike.
Writes need the secretariat of the item's dialogue (a token or the session with CSRF); bad
bodies answer 422 naming the field.
"""

from __future__ import annotations

import datetime
import math
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import AuthenticationError, AuthorizationError
from pydantic import ConfigDict

from dialogos.core import access
from dialogos.core.markdown import render as markdown
from dialogos.dialogues.api import I18n, SlugRef, _json, _slug_ref, _tr
from dialogos.dialogues.models import Dialogue
from dialogos.library.models import Document
from dialogos.meetings.models import Meeting
from dialogos.news import queries, services
from dialogos.news.models import NewsItem, ReviewIssue, Topic
from dialogos.news.services.sending import entries_by_section, entry_path
from dialogos.projects.models import Project

router = Router(tags=["news"])

MAX_PAGE_SIZE = 100
Text = str | dict[str, str]


# Schemas ------------------------------------------------------------------------------------


class ImageOut(Schema):
    url: str
    small_url: str
    width: int
    height: int
    alt: str
    alt_i18n: I18n
    credit: str
    credit_i18n: I18n


class NewsOut(Schema):
    id: int
    url: str
    dialogue: SlugRef | None
    title: str
    title_i18n: I18n
    lead: str
    lead_i18n: I18n
    published_at: datetime.datetime | None
    status: str
    access_level: str
    topics: list[str]
    images: list[ImageOut]
    is_example: bool


class NewsDetailOut(NewsOut):
    body: str
    body_i18n: I18n
    body_html: str
    meetings: list[int]
    documents: list[int]
    projects: list[int]


class NewsPageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[NewsOut]


class EntryOut(Schema):
    section: str
    section_label: str
    title: str
    title_i18n: I18n
    summary: str
    summary_i18n: I18n
    url: str


class ReviewOut(Schema):
    id: int
    url: str
    dialogue: SlugRef
    title: str
    title_i18n: I18n
    period_start: datetime.date
    period_end: datetime.date
    status: str
    published_at: datetime.datetime | None


class ReviewDetailOut(ReviewOut):
    introduction: str
    introduction_i18n: I18n
    entries: list[EntryOut]


# Serialisation ------------------------------------------------------------------------------


def _news_out(item: NewsItem) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.pk,
        "url": item.get_absolute_url(),
        "dialogue": _slug_ref(item.dialogue),
        "published_at": item.published_at,
        "status": item.status,
        "access_level": item.access_level,
        "topics": [t.slug for t in item.topics.all()],
        "is_example": item.is_example,
        "images": [],
    }
    _tr(data, "title", item.title)
    _tr(data, "lead", item.lead)
    for image in item.images.all():
        row: dict[str, Any] = {
            "url": image.url("large"),
            "small_url": image.url("small"),
            "width": image.width,
            "height": image.height,
        }
        _tr(row, "alt", image.alt)
        _tr(row, "credit", image.credit)
        data["images"].append(row)
    return data


def _news_detail(item: NewsItem, user: Any) -> dict[str, Any]:
    data = _news_out(item)
    _tr(data, "body", item.body)
    data["body_html"] = str(markdown(data["body"]))
    data["meetings"] = list(
        access.visible(user, item.meetings.all()).order_by("start").values_list("pk", flat=True)
    )
    data["documents"] = list(
        access.visible(user, item.documents.all()).order_by("-date").values_list("pk", flat=True)
    )
    data["projects"] = list(
        access.visible(user, item.projects.all()).order_by("pk").values_list("pk", flat=True)
    )
    return data


def _review_out(issue: ReviewIssue) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": issue.pk,
        "url": issue.get_absolute_url(),
        "dialogue": _slug_ref(issue.dialogue),
        "period_start": issue.period_start,
        "period_end": issue.period_end,
        "status": issue.status,
        "published_at": issue.published_at,
    }
    _tr(data, "title", issue.title)
    return data


def _review_detail(issue: ReviewIssue) -> dict[str, Any]:
    data = _review_out(issue)
    _tr(data, "introduction", issue.introduction)
    entries = []
    for code, label, rows in entries_by_section(issue):
        for entry in rows:
            row: dict[str, Any] = {
                "section": code,
                "section_label": label,
                "url": entry_path(entry),
            }
            _tr(row, "title", entry.title)
            _tr(row, "summary", entry.summary)
            entries.append(row)
    data["entries"] = entries
    return data


# Reads --------------------------------------------------------------------------------------


class NewsQuery(Schema):
    dialogue: str = ""
    year: int | None = None
    topic: str = ""
    page: int = 1
    page_size: int = queries.PAGE_SIZE


@router.get("/news/reviews", response=list[ReviewOut])
def list_reviews(request: HttpRequest, dialogue: str = "") -> HttpResponse:
    """Published issues of the review, latest first (``dialogue``: a slug)."""
    chosen = Dialogue.objects.filter(slug=dialogue).first() if dialogue else None
    if dialogue and chosen is None:
        return _json([])
    issues = queries.published_reviews(request.user, chosen)[:200]
    return _json([_review_out(i) for i in issues])


@router.get("/news/reviews/{issue_id}", response=ReviewDetailOut)
def get_review(request: HttpRequest, issue_id: int) -> HttpResponse:
    return _json(_review_detail(queries.readable_review(request.user, issue_id)))


@router.get("/news", response=NewsPageOut)
def list_news(request: HttpRequest, query: Query[NewsQuery]) -> HttpResponse:
    """Published items the caller may see, latest first, filtered like the public list:
    ``dialogue`` (slug), ``year``, ``topic`` (slug). Paginated: ``page``, ``page_size`` (≤ 100)."""
    params = {k: v for k, v in query.dict().items() if v not in (None, "")}
    filters = queries.NewsFilters.from_query({k: str(v) for k, v in params.items()})
    size = max(1, min(query.page_size, MAX_PAGE_SIZE))
    items = queries.filtered_news(request.user, filters)
    count = items.count()
    pages = max(1, math.ceil(count / size))
    page = max(1, min(query.page, pages))
    rows = (
        items.with_listing_data().prefetch_related("topics")[(page - 1) * size : page * size]
        if count
        else []
    )
    return _json(
        {
            "count": count,
            "page": page,
            "pages": pages,
            "page_size": size,
            "results": [_news_out(item) for item in rows],
        }
    )


@router.get("/news/{item_id}", response=NewsDetailOut)
def get_news(request: HttpRequest, item_id: int) -> HttpResponse:
    item = queries.readable_item(request.user, item_id)
    return _json(_news_detail(item, request.user))


# Writes -------------------------------------------------------------------------------------


class WriteSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class NewsIn(WriteSchema):
    dialogue: str
    title: Text
    lead: Text | None = None
    body: Text | None = None
    status: Literal["draft", "published"] = "draft"
    published_at: datetime.datetime | None = None
    access_level: Literal["public", "members", "secretariat"] = "public"
    topics: list[str] | None = None
    meetings: list[int] | None = None
    documents: list[int] | None = None
    projects: list[int] | None = None


class NewsPatch(WriteSchema):
    title: Text | None = None
    lead: Text | None = None
    body: Text | None = None
    status: Literal["draft", "published"] | None = None
    published_at: datetime.datetime | None = None
    access_level: Literal["public", "members", "secretariat"] | None = None
    topics: list[str] | None = None
    meetings: list[int] | None = None
    documents: list[int] | None = None
    projects: list[int] | None = None


class ReviewIn(WriteSchema):
    dialogue: str
    title: Text
    period_start: datetime.date
    period_end: datetime.date
    introduction: Text | None = None


class ReviewPatch(WriteSchema):
    title: Text | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    introduction: Text | None = None


def _signed_in(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise AuthenticationError(401, _("Sign in or send an API token to make changes."))


def _secretariat(request: HttpRequest, dialogue_id: int | None) -> None:
    if not access.principal(request.user).is_secretariat(dialogue_id):
        raise AuthorizationError(403, _("Only the secretariat of this dialogue may change this."))


def _writable_dialogue(request: HttpRequest, slug: str) -> Dialogue:
    _signed_in(request)
    dialogue = Dialogue.objects.filter(slug=slug).first()
    if dialogue is None:
        raise ValidationError({"dialogue": _("There is no dialogue “%(slug)s”.") % {"slug": slug}})
    _secretariat(request, dialogue.pk)
    return dialogue


def _links(data: dict[str, Any], dialogue_id: int | None) -> dict[str, Any]:
    links: dict[str, Any] = {}
    slugs = data.pop("topics", None)
    if slugs is not None:
        topics = list(Topic.objects.filter(slug__in=slugs))
        missing = sorted(set(slugs) - {t.slug for t in topics})
        if missing:
            raise ValidationError(
                {"topics": _("Unknown topic: %(slugs)s") % {"slugs": ", ".join(missing)}}
            )
        links["topics"] = topics
    models: dict[str, Any] = {"meetings": Meeting, "documents": Document, "projects": Project}
    for name, model in models.items():
        ids = data.pop(name, None)
        if ids is None:
            continue
        found = list(model.objects.filter(pk__in=ids, dialogue__pk=dialogue_id or 0))
        if len(found) != len(set(ids)):
            raise ValidationError({name: _("Link only what belongs to the item's own dialogue.")})
        links[name] = found
    return links


def _editable_item(request: HttpRequest, item_id: int) -> NewsItem:
    _signed_in(request)
    item = NewsItem.objects.select_related("dialogue").filter(pk=item_id).first()
    if item is None or not access.can_view(request.user, item):
        raise Http404
    if not item.is_live() and not access.can_change(request.user, item):
        raise Http404  # drafts and scheduled items do not exist for others
    _secretariat(request, item.dialogue_id)
    return item


@router.post("/news", response={201: NewsDetailOut})
def create_news(request: HttpRequest, payload: NewsIn) -> Status:
    """Write an item (secretariat of ``dialogue``): a draft, published now, or scheduled."""
    dialogue = _writable_dialogue(request, payload.dialogue)
    data = payload.model_dump(exclude={"dialogue"})
    links = _links(data, dialogue.pk)
    item = services.save_news_item(actor=request.user, dialogue=dialogue, **links, **data)
    return Status(201, _news_detail(item, request.user))


@router.patch("/news/{item_id}", response=NewsDetailOut)
def update_news(request: HttpRequest, item_id: int, payload: NewsPatch) -> dict[str, Any]:
    item = _editable_item(request, item_id)
    data = payload.model_dump(exclude_unset=True)
    for name in ("title", "status", "access_level"):
        if name in data and data[name] is None:
            raise ValidationError({name: _("This field may not be empty.")})
    links = _links(data, item.dialogue_id)
    item = services.save_news_item(actor=request.user, item=item, **links, **data)
    return _news_detail(item, request.user)


@router.delete("/news/{item_id}", response={204: None})
def delete_news(request: HttpRequest, item_id: int) -> Status:
    item = _editable_item(request, item_id)
    services.delete_news_item(actor=request.user, item=item)
    return Status(204, None)


@router.post("/news/reviews", response={201: ReviewDetailOut})
def create_review(request: HttpRequest, payload: ReviewIn) -> Status:
    """Open an issue for a period; it gathers the period's news and meetings at once."""
    dialogue = _writable_dialogue(request, payload.dialogue)
    data = payload.model_dump(exclude={"dialogue"})
    issue = services.create_review_issue(actor=request.user, dialogue=dialogue, **data)
    return Status(201, _review_detail(issue))


@router.patch("/news/reviews/{issue_id}", response=ReviewDetailOut)
def update_review(request: HttpRequest, issue_id: int, payload: ReviewPatch) -> dict[str, Any]:
    _signed_in(request)
    issue = ReviewIssue.objects.select_related("dialogue").filter(pk=issue_id).first()
    if issue is None or not access.can_view(request.user, issue):
        raise Http404
    _secretariat(request, issue.dialogue_id)
    data = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    issue = services.update_review_issue(actor=request.user, issue=issue, **data)
    return _review_detail(issue)
