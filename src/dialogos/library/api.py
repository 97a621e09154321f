"""HTTP API of the library, mounted under /api/v1/: documents, topics, good practices, calls
for practices and country profiles.

The same rules as the pages (``library.views``): reads go through ``core.access`` and show
only published practices and profiles to those outside their state and secretariat; what the
caller may not see is a 404, exactly as if it did not exist. Writes: documents for the
dialogue's secretariat; practices for the state's contributors and focal points (submitting
for focal points); country profiles for the secretariat (drafting, formal submission,
publishing without endorsement) and the state's focal point (its answer). Anonymous writes 401,
a visible object the caller may not change 403, bad input 422 naming the field.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import AuthorizationError

from dialogos.core import access
from dialogos.core.i18n import to_translated
from dialogos.core.models import Country
from dialogos.dialogues.api import (
    CountryRef,
    I18n,
    SlugRef,
    Text,
    WriteSchema,
    _country_ref,
    _json,
    _require_signed_in,
    _slug_ref,
    _tr,
)
from dialogos.dialogues.models import Body, Dialogue
from dialogos.library import services
from dialogos.library.models import (
    CountryProfile,
    Document,
    LibraryFile,
    Practice,
    PracticeCall,
    ProfileStatus,
    Topic,
)
from dialogos.library.views import (
    PAGE_SIZE,
    Filters,
    counted,
    filtered_documents,
    filtered_practices,
    filtered_profiles,
    get_document,
    get_practice,
    get_profile,
    profile_files,
    visible_calls,
)
from dialogos.meetings.models import Meeting

router = Router(tags=["library"])

MAX_PAGE_SIZE = 100
F = TypeVar("F", bound=Callable[..., Any])


def _forbidden_as_403(run: F) -> F:
    """A service's ``PermissionDenied`` on a visible object answers 403."""

    @functools.wraps(run)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return run(*args, **kwargs)
        except PermissionDenied as exc:
            raise AuthorizationError(403, str(exc) or _("You may not do this.")) from exc

    return wrapper  # type: ignore[return-value]


# Schemas ----------------------------------------------------------------------------------------


class TopicOut(Schema):
    slug: str
    name: str
    name_i18n: I18n


class FileOut(Schema):
    id: int
    language: str
    name: str
    format: str
    content_type: str
    size: int
    version: int
    url: str


class DocumentOut(Schema):
    id: int
    url: str
    dialogue: SlugRef
    type: str
    type_label: str
    title: str
    title_i18n: I18n
    date: datetime.date
    languages: list[str]
    access_level: str
    is_example: bool


class DocumentPageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[DocumentOut]


class ProjectRef(Schema):
    id: int
    url: str
    title: str
    title_i18n: I18n


class DocumentDetailOut(DocumentOut):
    summary: str
    summary_i18n: I18n
    topics: list[TopicOut]
    countries: list[CountryRef]
    meeting: int | None
    bodies: list[SlugRef]
    related_dialogues: list[SlugRef]
    projects: list[ProjectRef]
    source_url: str
    files: list[FileOut]


class PracticeOut(Schema):
    id: int
    url: str
    dialogue: SlugRef
    country: CountryRef
    status: str
    status_label: str
    title: str
    title_i18n: I18n
    summary: str
    summary_i18n: I18n
    published: datetime.datetime | None
    is_example: bool


class PracticePageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[PracticeOut]


class PracticeEventOut(Schema):
    step: str
    step_label: str
    at: datetime.datetime
    comment: str


class PracticeDetailOut(PracticeOut):
    problem: str
    problem_i18n: I18n
    approach: str
    approach_i18n: I18n
    results: str
    results_i18n: I18n
    transferability: str
    transferability_i18n: I18n
    implementing_bodies: str
    implementing_bodies_i18n: I18n
    partners: str
    partners_i18n: I18n
    contact: str
    contact_i18n: I18n
    period_start: datetime.date | None
    period_end: datetime.date | None
    countries: list[CountryRef]
    topics: list[TopicOut]
    call: int | None
    files: list[FileOut]
    steps: list[PracticeEventOut]


class CallOut(Schema):
    id: int
    url: str
    dialogue: SlugRef
    title: str
    title_i18n: I18n
    description: str
    description_i18n: I18n
    criteria: str
    criteria_i18n: I18n
    opens: datetime.date
    deadline: datetime.date
    is_open: bool


class ProfileEventOut(Schema):
    step: str
    step_label: str
    at: datetime.datetime
    comment: str


class ProfileOut(Schema):
    id: int
    url: str
    dialogue: SlugRef
    country: CountryRef
    kind: str
    kind_label: str
    title: str
    title_i18n: I18n
    period: str
    status: str
    status_label: str
    endorsed: bool
    submitted: datetime.datetime | None
    endorsed_at: datetime.datetime | None
    published: datetime.datetime | None
    is_example: bool
    files: list[FileOut]


class ProfileDetailOut(ProfileOut):
    summary: str
    summary_i18n: I18n
    topics: list[TopicOut]
    access_level: str
    endorsement_due: datetime.datetime | None
    history: list[ProfileEventOut]


# Serialisation ----------------------------------------------------------------------------------


def _topic_out(topic: Topic) -> dict[str, Any]:
    data: dict[str, Any] = {"slug": topic.slug}
    _tr(data, "name", topic.name)
    return data


def _file_out(record: LibraryFile) -> dict[str, Any]:
    return {
        "id": record.pk,
        "language": record.language,
        "name": record.original_name,
        "format": record.extension,
        "content_type": record.content_type,
        "size": record.size,
        "version": record.version,
        "url": reverse("library:file", args=[record.pk]),
    }


def _document_out(document: Document) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": document.pk,
        "url": reverse("library:document", args=[document.pk]),
        "dialogue": _slug_ref(document.dialogue),
        "type": document.type,
        "type_label": str(document.get_type_display()),
        "date": document.date,
        "languages": sorted({f.language for f in document.files.all()}),
        "access_level": document.access_level,
        "is_example": document.is_example,
    }
    _tr(data, "title", document.title)
    return data


def _project_ref(project: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": project.pk, "url": reverse("projects:detail", args=[project.pk])}
    _tr(data, "title", project.title)
    return data


def _document_detail_out(document: Document, user: Any) -> dict[str, Any]:
    """The document with the projects it belongs to that ``user`` may see."""
    data = _document_out(document)
    projects = access.visible(user, document.projects.all()).order_by("-pk")
    _tr(data, "summary", document.summary)
    data.update(
        {
            "topics": [_topic_out(t) for t in document.topics.all()],
            "countries": [_country_ref(c) for c in document.countries.all()],
            "meeting": document.meeting_id,
            "bodies": [_slug_ref(b) for b in document.bodies.all()],
            "related_dialogues": [_slug_ref(d) for d in document.related_dialogues.all()],
            "projects": [_project_ref(p) for p in projects],
            "source_url": document.source_url,
            "files": [_file_out(f) for f in sorted(document.files.all(), key=lambda f: f.language)],
        }
    )
    return data


def _practice_out(practice: Practice) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": practice.pk,
        "url": reverse("library:practice", args=[practice.pk]),
        "dialogue": _slug_ref(practice.dialogue),
        "country": _country_ref(practice.country),
        "status": practice.status,
        "status_label": str(practice.get_status_display()),
        "published": practice.published_at,
        "is_example": practice.is_example,
    }
    _tr(data, "title", practice.title)
    _tr(data, "summary", practice.summary)
    return data


PRACTICE_TEXTS = (
    "problem",
    "approach",
    "results",
    "transferability",
    "implementing_bodies",
    "partners",
    "contact",
)


def _steps_out(events: Any, *, comments: bool) -> list[dict[str, Any]]:
    """The dated steps of a practice or a profile; their comments only with ``comments``."""
    return [
        {
            "step": e.action,
            "step_label": str(e.get_action_display()),
            "at": e.at,
            "comment": e.comment if comments else "",
        }
        for e in events
    ]


def _practice_detail_out(practice: Practice, *, comments: bool) -> dict[str, Any]:
    data = _practice_out(practice)
    for name in PRACTICE_TEXTS:
        _tr(data, name, getattr(practice, name))
    data.update(
        {
            "period_start": practice.period_start,
            "period_end": practice.period_end,
            "countries": [_country_ref(c) for c in practice.countries.all()],
            "topics": [_topic_out(t) for t in practice.topics.all()],
            "call": practice.call_id,
            "files": [_file_out(f) for f in sorted(practice.files.all(), key=lambda f: f.language)],
            "steps": _steps_out(practice.events.all(), comments=comments),
        }
    )
    return data


def _call_out(call: PracticeCall) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": call.pk,
        "url": reverse("library:call", args=[call.pk]),
        "dialogue": _slug_ref(call.dialogue),
        "opens": call.opens,
        "deadline": call.deadline,
        "is_open": call.is_open(),
    }
    for name in ("title", "description", "criteria"):
        _tr(data, name, getattr(call, name))
    return data


def _profile_out(profile: CountryProfile) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": profile.pk,
        "url": reverse("library:profile", args=[profile.pk]),
        "dialogue": _slug_ref(profile.dialogue),
        "country": _country_ref(profile.country),
        "kind": profile.kind,
        "kind_label": str(profile.get_kind_display()),
        "period": profile.period,
        "status": profile.status,
        "status_label": str(profile.get_status_display()),
        "endorsed": profile.is_endorsed,
        "submitted": profile.submitted_at,
        "endorsed_at": profile.endorsed_at,
        "published": profile.published_at,
        "is_example": profile.is_example,
        "files": [_file_out(f) for f in profile_files(profile)],
    }
    _tr(data, "title", profile.title)
    return data


# While the state is to answer: from ``endorsement_due`` on, the secretariat may publish the
# profile without endorsement.
AWAITING_ANSWER = {ProfileStatus.SUBMITTED, ProfileStatus.CHANGES_REQUESTED}


def _profile_detail_out(profile: CountryProfile, user: Any) -> dict[str, Any]:
    """The profile with its history; the comments of its steps only for those who work on it
    (the secretariat, the state's focal points), as on the pages."""
    comments = services.can_work_on_profile(user, profile)
    data = _profile_out(profile)
    _tr(data, "summary", profile.summary)
    data.update(
        {
            "topics": [_topic_out(t) for t in profile.topics.all()],
            "access_level": profile.access_level,
            "endorsement_due": (
                profile.endorsement_due() if profile.status in AWAITING_ANSWER else None
            ),
            "history": _steps_out(profile.events.all(), comments=comments),
        }
    )
    return data


def _page(
    request: HttpRequest,
    what: str,
    query: Any,
    rows: Any,
    serialise: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    size = max(1, min(query.page_size, MAX_PAGE_SIZE))
    count = counted(request.user, what, _filters(query), rows)
    pages = max(1, math.ceil(count / size))
    page = max(1, min(query.page, pages))
    items = rows[(page - 1) * size : page * size] if count else []
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "page_size": size,
        "results": [serialise(r) for r in items],
    }


# Reads ------------------------------------------------------------------------------------------


class ListQuery(Schema):
    type: str = ""
    dialogue: str = ""
    topic: str = ""
    country: str = ""
    year: int | None = None
    language: str = ""
    kind: str = ""
    page: int = 1
    page_size: int = PAGE_SIZE


def _filters(query: ListQuery) -> Filters:
    params = {k: v for k, v in query.dict().items() if v not in (None, "")}
    return Filters.from_query(params)


@router.get("/library/topics", response=list[TopicOut])
def list_topics(request: HttpRequest) -> HttpResponse:
    """The topics in use, in the taxonomy's order."""
    return _json([_topic_out(t) for t in Topic.objects.active()])


@router.get("/library/documents", response=DocumentPageOut)
def list_documents(request: HttpRequest, query: Query[ListQuery]) -> HttpResponse:
    """Documents the caller may see, latest first, filtered like the public list: ``type``,
    ``dialogue`` (slug), ``topic`` (slug), ``country`` (ISO code), ``year``, ``language``
    (of a file). Unknown values are ignored. Paginated: ``page``, ``page_size`` (up to 100)."""
    rows = filtered_documents(request.user, _filters(query))
    return _json(_page(request, "documents", query, rows, _document_out))


@router.get("/library/documents/{document_id}", response=DocumentDetailOut)
def get_document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    """One document with its current file per language."""
    return _json(_document_detail_out(get_document(request.user, document_id), request.user))


@router.get("/library/practices", response=PracticePageOut)
def list_practices(request: HttpRequest, query: Query[ListQuery]) -> HttpResponse:
    """Published practices the caller may see: ``dialogue``, ``topic``, ``country``, ``year``."""
    rows = filtered_practices(request.user, _filters(query))
    return _json(_page(request, "practices", query, rows, _practice_out))


@router.get("/library/practices/{practice_id}", response=PracticeDetailOut)
def get_practice_detail(request: HttpRequest, practice_id: int) -> HttpResponse:
    """One practice: published ones for whoever may see them; drafts and practices in review
    for the state's contributors and focal points and the secretariat (with the comments)."""
    practice = get_practice(request.user, practice_id)
    comments = services.can_work_on_practice(request.user, practice)
    return _json(_practice_detail_out(practice, comments=comments))


@router.get("/library/calls", response=list[CallOut])
def list_calls(request: HttpRequest) -> HttpResponse:
    """Calls for practices the caller may see, latest deadline first."""
    calls = visible_calls(request.user).select_related("dialogue").order_by("-deadline", "-pk")
    return _json([_call_out(c) for c in calls])


@router.get("/library/profiles", response=list[ProfileOut])
def list_profiles(request: HttpRequest, query: Query[ListQuery]) -> HttpResponse:
    """Published country profiles the caller may see: ``dialogue``, ``country``, ``kind``."""
    rows = filtered_profiles(request.user, _filters(query)).order_by("country_id", "kind")
    return _json([_profile_out(p) for p in rows])


@router.get("/library/profiles/{profile_id}", response=ProfileDetailOut)
def get_profile_detail(request: HttpRequest, profile_id: int) -> HttpResponse:
    """One profile with its dated endorsement history: published ones for whoever may see
    them; before publication for the secretariat and, from the formal submission, the state's
    focal points (with the comments of each step)."""
    return _json(_profile_detail_out(get_profile(request.user, profile_id), request.user))


# Writes: documents ------------------------------------------------------------------------------

LevelName = Literal["inherit", "public", "members", "secretariat"]


class DocumentIn(WriteSchema):
    dialogue: str
    type: str = "other"
    title: Text
    summary: Text | None = None
    date: datetime.date
    topics: list[str] | None = None
    countries: list[str] | None = None
    meeting: int | None = None
    bodies: list[str] | None = None
    source_url: str | None = None
    access_level: LevelName = "public"
    is_example: bool = False


class DocumentPatch(WriteSchema):
    type: str | None = None
    title: Text | None = None
    summary: Text | None = None
    date: datetime.date | None = None
    topics: list[str] | None = None
    countries: list[str] | None = None
    meeting: int | None = None
    bodies: list[str] | None = None
    source_url: str | None = None
    access_level: LevelName | None = None
    is_example: bool | None = None


def _topics(slugs: list[str] | None) -> list[Topic] | None:
    if slugs is None:
        return None
    found = {t.slug: t for t in Topic.objects.filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in found]
    if missing:
        raise ValidationError(
            {"topics": _("Unknown topic: %(slugs)s") % {"slugs": ", ".join(missing)}}
        )
    return list(found.values())


def _countries(codes: list[str] | None, field: str = "countries") -> list[Country] | None:
    if codes is None:
        return None
    wanted = {str(c).upper() for c in codes}
    found = list(Country.objects.filter(code__in=wanted))
    missing = wanted - {c.code for c in found}
    if missing:
        raise ValidationError(
            {field: _("Unknown country code: %(codes)s") % {"codes": ", ".join(sorted(missing))}}
        )
    return found


def _document_changes(data: dict[str, Any], dialogue_id: int) -> dict[str, Any]:
    changes = dict(data)
    relations: dict[str, Any] = {
        "topics": _topics(changes.pop("topics", None)),
        "countries": _countries(changes.pop("countries", None)),
    }
    bodies = changes.pop("bodies", None)
    if bodies is not None:
        found = list(Body.objects.filter(dialogue_id=dialogue_id, slug__in=bodies))
        if len(found) != len(set(bodies)):
            raise ValidationError({"bodies": _("Choose bodies of this document's dialogue.")})
        relations["bodies"] = found
    if "meeting" in changes:
        meeting_id = changes.pop("meeting")
        meeting = None
        if meeting_id is not None:
            meeting = Meeting.objects.filter(pk=meeting_id, dialogue_id=dialogue_id).first()
            if meeting is None:
                raise ValidationError({"meeting": _("There is no such meeting in this dialogue.")})
        changes["meeting"] = meeting
    for name in ("title", "summary"):
        if name in changes and changes[name] is not None:
            changes[name] = to_translated(changes[name])
    if changes.get("summary") is None:
        changes.pop("summary", None)
    if changes.get("source_url") is None:
        changes.pop("source_url", None)
    return {**changes, **{k: v for k, v in relations.items() if v is not None}}


def _require_secretariat(request: HttpRequest, dialogue_id: int) -> None:
    """403 unless the caller is the secretariat of the dialogue."""
    if not services.is_secretariat(request.user, dialogue_id):
        raise AuthorizationError(403, _("Only the secretariat of this dialogue may change this."))


def _writable_document(request: HttpRequest, document_id: int) -> Document:
    _require_signed_in(request)
    document = get_document(request.user, document_id)
    _require_secretariat(request, document.dialogue_id)
    return document


@router.post("/library/documents", response={201: DocumentDetailOut})
@_forbidden_as_403
def create_document(request: HttpRequest, payload: DocumentIn) -> Status:
    """Add a document (the dialogue's secretariat). Files are uploaded on the workspace page."""
    _require_signed_in(request)
    data = payload.model_dump(exclude_unset=True)
    data.setdefault("type", payload.type)
    data.setdefault("access_level", payload.access_level)
    dialogue = Dialogue.objects.filter(slug=data.pop("dialogue")).first()
    if dialogue is None:
        raise ValidationError({"dialogue": _("There is no such dialogue.")})
    _require_secretariat(request, dialogue.pk)
    document = services.create_document(
        actor=request.user, dialogue=dialogue, **_document_changes(data, dialogue.pk)
    )
    return Status(201, _document_detail_out(get_document(request.user, document.pk), request.user))


@router.patch("/library/documents/{document_id}", response=DocumentDetailOut)
@_forbidden_as_403
def update_document(request: HttpRequest, document_id: int, payload: DocumentPatch) -> Any:
    """Change a document: only the fields sent."""
    document = _writable_document(request, document_id)
    data = payload.model_dump(exclude_unset=True)
    for name in ("type", "title", "date", "access_level", "is_example"):
        if name in data and data[name] is None:
            raise ValidationError({name: _("This field cannot be empty.")})
    services.update_document(
        actor=request.user,
        document=document,
        **_document_changes(data, document.dialogue_id),
    )
    return _json(_document_detail_out(get_document(request.user, document.pk), request.user))


@router.delete("/library/documents/{document_id}", response={204: None})
@_forbidden_as_403
def delete_document(request: HttpRequest, document_id: int) -> Status:
    """Remove a document and its files."""
    document = _writable_document(request, document_id)
    services.delete_document(actor=request.user, document=document)
    return Status(204, None)


# Writes: practices ------------------------------------------------------------------------------


class PracticeIn(WriteSchema):
    dialogue: str
    country: str
    title: Text
    summary: Text
    problem: Text | None = None
    approach: Text | None = None
    results: Text | None = None
    transferability: Text | None = None
    implementing_bodies: Text | None = None
    partners: Text | None = None
    contact: Text | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    countries: list[str] | None = None
    topics: list[str] | None = None
    call: int | None = None


class PracticePatch(WriteSchema):
    title: Text | None = None
    summary: Text | None = None
    problem: Text | None = None
    approach: Text | None = None
    results: Text | None = None
    transferability: Text | None = None
    implementing_bodies: Text | None = None
    partners: Text | None = None
    contact: Text | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    countries: list[str] | None = None
    topics: list[str] | None = None
    call: int | None = None


def _practice_changes(data: dict[str, Any], dialogue_id: int) -> dict[str, Any]:
    changes = dict(data)
    relations = {
        "topics": _topics(changes.pop("topics", None)),
        "countries": _countries(changes.pop("countries", None)),
    }
    for name in ("title", "summary", *PRACTICE_TEXTS):
        if name in changes:
            if changes[name] is None:
                if name in {"title", "summary"}:
                    raise ValidationError({name: _("This field cannot be empty.")})
                changes[name] = {}
            changes[name] = to_translated(changes[name])
    if "call" in changes:
        call_id = changes.pop("call")
        call = None
        if call_id is not None:
            call = PracticeCall.objects.filter(pk=call_id, dialogue_id=dialogue_id).first()
            if call is None:
                raise ValidationError({"call": _("There is no such call in this dialogue.")})
        changes["call"] = call
    return {**changes, **{k: v for k, v in relations.items() if v is not None}}


def _practice_for_writing(request: HttpRequest, practice_id: int) -> Practice:
    _require_signed_in(request)
    practice = get_practice(request.user, practice_id)
    if not services.can_work_on_practice(request.user, practice):
        raise AuthorizationError(403, _("You may not change this practice."))
    return practice


@router.post("/library/practices", response={201: PracticeDetailOut})
@_forbidden_as_403
def create_practice(request: HttpRequest, payload: PracticeIn) -> Status:
    """Draft a practice for a state (``country``): its contributors and focal points."""
    _require_signed_in(request)
    data = payload.model_dump(exclude_unset=True)
    dialogue = Dialogue.objects.filter(slug=data.pop("dialogue")).first()
    if dialogue is None:
        raise ValidationError({"dialogue": _("There is no such dialogue.")})
    country = Country.objects.filter(code=str(data.pop("country")).upper()).first()
    if country is None:
        raise ValidationError({"country": _("Unknown country code.")})
    practice = services.create_practice(
        actor=request.user,
        dialogue=dialogue,
        country=country,
        **_practice_changes(data, dialogue.pk),
    )
    practice = get_practice(request.user, practice.pk)
    return Status(201, _practice_detail_out(practice, comments=True))


@router.patch("/library/practices/{practice_id}", response=PracticeDetailOut)
@_forbidden_as_403
def update_practice(request: HttpRequest, practice_id: int, payload: PracticePatch) -> Any:
    """Change a draft (or a practice sent back): only the fields sent."""
    practice = _practice_for_writing(request, practice_id)
    data = payload.model_dump(exclude_unset=True)
    services.update_practice(
        actor=request.user, practice=practice, **_practice_changes(data, practice.dialogue_id)
    )
    return _json(_practice_detail_out(get_practice(request.user, practice.pk), comments=True))


@router.post("/library/practices/{practice_id}/submit", response=PracticeDetailOut)
@_forbidden_as_403
def submit_practice(request: HttpRequest, practice_id: int) -> Any:
    """The state's focal point submits the practice to the secretariat for review."""
    practice = _practice_for_writing(request, practice_id)
    services.submit_practice(actor=request.user, practice=practice)
    return _json(_practice_detail_out(get_practice(request.user, practice.pk), comments=True))


class ReviewIn(WriteSchema):
    decision: Literal["publish", "return"]
    comment: str = ""


@router.post("/library/practices/{practice_id}/review", response=PracticeDetailOut)
@_forbidden_as_403
def review_practice(request: HttpRequest, practice_id: int, payload: ReviewIn) -> Any:
    """The secretariat publishes a submitted practice or sends it back with a comment."""
    practice = _practice_for_writing(request, practice_id)
    if payload.decision == "publish":
        services.publish_practice(actor=request.user, practice=practice, comment=payload.comment)
    else:
        services.return_practice(actor=request.user, practice=practice, comment=payload.comment)
    return _json(_practice_detail_out(get_practice(request.user, practice.pk), comments=True))


# Writes: country profiles -----------------------------------------------------------------------

ProfileKind = Literal["light", "extended"]
ProfileLevel = Literal["public", "members", "secretariat"]


class ProfileIn(WriteSchema):
    dialogue: str
    country: str
    kind: ProfileKind = "light"
    title: Text
    summary: Text | None = None
    period: str | None = None
    topics: list[str] | None = None
    access_level: ProfileLevel = "public"
    is_example: bool = False


class ProfilePatch(WriteSchema):
    title: Text | None = None
    summary: Text | None = None
    period: str | None = None
    topics: list[str] | None = None
    access_level: ProfileLevel | None = None
    is_example: bool | None = None


def _profile_changes(data: dict[str, Any]) -> dict[str, Any]:
    changes = dict(data)
    topics = _topics(changes.pop("topics", None))
    for name in ("title", "access_level", "is_example"):
        if name in changes and changes[name] is None:
            raise ValidationError({name: _("This field cannot be empty.")})
    for name in ("title", "summary"):
        if name in changes:
            changes[name] = to_translated(changes[name] or {})
    if "period" in changes and changes["period"] is None:
        changes["period"] = ""
    if topics is not None:
        changes["topics"] = topics
    return changes


def _writable_profile(request: HttpRequest, profile_id: int) -> CountryProfile:
    """A profile the caller sees (404 if not) and, as its dialogue's secretariat, may change
    (403 if not)."""
    _require_signed_in(request)
    profile = get_profile(request.user, profile_id)
    _require_secretariat(request, profile.dialogue_id)
    return profile


def _profile_as_seen(request: HttpRequest, profile_id: int) -> dict[str, Any]:
    return _profile_detail_out(get_profile(request.user, profile_id), request.user)


@router.post("/library/profiles", response={201: ProfileDetailOut})
@_forbidden_as_403
def create_profile(request: HttpRequest, payload: ProfileIn) -> Status:
    """Draft a country profile of a state (``country``, ISO code) in a dialogue: its
    secretariat. One profile per state and ``kind`` in a dialogue. Its file is stored with
    ``POST /library/profiles/{id}/files``."""
    _require_signed_in(request)
    data = payload.model_dump(exclude_unset=True)
    data.setdefault("kind", payload.kind)
    dialogue = Dialogue.objects.filter(slug=data.pop("dialogue")).first()
    if dialogue is None:
        raise ValidationError({"dialogue": _("There is no such dialogue.")})
    _require_secretariat(request, dialogue.pk)
    code = str(data.pop("country")).strip().upper()
    country = Country.objects.states().filter(code=code).first()
    if country is None:
        raise ValidationError({"country": _("Unknown country code.")})
    profile = services.save_profile(
        actor=request.user, dialogue=dialogue, country=country, **_profile_changes(data)
    )
    return Status(201, _profile_as_seen(request, profile.pk))


@router.patch("/library/profiles/{profile_id}", response=ProfileDetailOut)
@_forbidden_as_403
def update_profile(request: HttpRequest, profile_id: int, payload: ProfilePatch) -> Any:
    """Change a profile: only the fields sent (its state and kind stay). While the state
    considers it and once endorsed, its title, summary and period cannot change (422)."""
    profile = _writable_profile(request, profile_id)
    services.save_profile(
        actor=request.user,
        dialogue=profile.dialogue,
        profile=profile,
        **_profile_changes(payload.model_dump(exclude_unset=True)),
    )
    return _json(_profile_as_seen(request, profile.pk))


@router.delete("/library/profiles/{profile_id}", response={204: None})
@_forbidden_as_403
def delete_profile(request: HttpRequest, profile_id: int) -> Status:
    """Remove a profile not yet published, with its files and history."""
    profile = _writable_profile(request, profile_id)
    services.delete_profile(actor=request.user, profile=profile)
    return Status(204, None)


@router.post("/library/profiles/{profile_id}/submit", response=ProfileDetailOut)
@_forbidden_as_403
def submit_profile(request: HttpRequest, profile_id: int) -> Any:
    """The secretariat formally submits the profile (its current files) to the state."""
    profile = _writable_profile(request, profile_id)
    services.submit_profile(actor=request.user, profile=profile)
    return _json(_profile_as_seen(request, profile.pk))


class AnswerIn(WriteSchema):
    decision: Literal["endorse", "request_changes"]
    comment: str = ""


@router.post("/library/profiles/{profile_id}/answer", response=ProfileDetailOut)
@_forbidden_as_403
def answer_profile(request: HttpRequest, profile_id: int, payload: AnswerIn) -> Any:
    """The state's focal point endorses the submitted profile (it is published as endorsed)
    or asks for changes (``comment`` required)."""
    _require_signed_in(request)
    profile = get_profile(request.user, profile_id)
    if payload.decision == "endorse":
        services.endorse_profile(actor=request.user, profile=profile, comment=payload.comment)
    else:
        services.request_profile_changes(
            actor=request.user, profile=profile, comment=payload.comment
        )
    return _json(_profile_as_seen(request, profile.pk))


@router.post("/library/profiles/{profile_id}/publish-unendorsed", response=ProfileDetailOut)
@_forbidden_as_403
def publish_profile_unendorsed(request: HttpRequest, profile_id: int) -> Any:
    """The secretariat publishes the profile marked "not endorsed by the state": only from
    ``endorsement_due``, three months after the formal submission."""
    profile = _writable_profile(request, profile_id)
    services.publish_profile_unendorsed(actor=request.user, profile=profile)
    return _json(_profile_as_seen(request, profile.pk))


# Writes: files ----------------------------------------------------------------------------------
#
# One file per language; sending a new file for a language keeps the earlier one as history.
# ``multipart/form-data`` with the fields ``language`` and ``file``. The same checks as the
# workspace form: the type from the content, the size limit, an empty file refused.


def _store_file(request: HttpRequest, owner: Any, language: str, file: UploadedFile) -> Status:
    record = services.attach_file(
        actor=request.user, owner=owner, language=language.strip().lower(), upload=file
    )
    return Status(201, _file_out(record))


@router.post("/library/documents/{document_id}/files", response={201: FileOut})
@_forbidden_as_403
def upload_document_file(
    request: HttpRequest, document_id: int, language: Form[str], file: File[UploadedFile]
) -> Status:
    """Store a document's file in a language (the dialogue's secretariat)."""
    return _store_file(request, _writable_document(request, document_id), language, file)


@router.post("/library/practices/{practice_id}/files", response={201: FileOut})
@_forbidden_as_403
def upload_practice_file(
    request: HttpRequest, practice_id: int, language: Form[str], file: File[UploadedFile]
) -> Status:
    """Attach a file to a practice (its state's contributors and focal points while it is a
    draft or sent back; the secretariat at any time)."""
    return _store_file(request, _practice_for_writing(request, practice_id), language, file)


@router.post("/library/profiles/{profile_id}/files", response={201: FileOut})
@_forbidden_as_403
def upload_profile_file(
    request: HttpRequest, profile_id: int, language: Form[str], file: File[UploadedFile]
) -> Status:
    """Store a country profile's file in a language (the dialogue's secretariat)."""
    _require_signed_in(request)
    profile = get_profile(request.user, profile_id)
    return _store_file(request, profile, language, file)


@router.delete("/library/files/{file_id}", response={204: None})
@_forbidden_as_403
def delete_file(request: HttpRequest, file_id: int) -> Status:
    """Withdraw a language version of a file with its history (the same people who may store
    it). A file the caller may not read is a 404."""
    _require_signed_in(request)
    record = services.open_file(user=request.user, file_id=file_id)
    services.remove_file(actor=request.user, record=record)
    return Status(204, None)
