"""HTTP API for outcome texts, mounted under /api/v1/.

The same rules as the pages: every read goes through ``core.access`` (a text, version or
comment the caller may not see is a 404, exactly as if it did not exist); writes go through
``texts.services``, with a token or the session. A focal point or contributor comments for his
state, a focal point sends and objects; the secretariat creates, circulates and adopts. Lists run
a fixed number of queries whatever the size of the data.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from dialogos.core import access
from dialogos.core.models import Country
from dialogos.dialogues.api import (
    CountryRef,
    I18n,
    SlugRef,
    WriteSchema,
    _country_ref,
    _json,
    _require_signed_in,
    _slug_ref,
    _tr,
)
from dialogos.dialogues.models import Body, Dialogue
from dialogos.meetings.models import Meeting
from dialogos.texts import queries, services
from dialogos.texts.models import Circulation, Comment, OutcomeText, Paragraph, TextVersion

router = Router(tags=["texts"])

MAX_PAGE_SIZE = 100
Text = str | dict[str, str]


# Schemas ------------------------------------------------------------------------------------


class MeetingRef(Schema):
    id: int
    title: str
    title_i18n: I18n


class TextOut(Schema):
    id: int
    url: str | None
    dialogue: SlugRef
    kind: str
    kind_label: str
    title: str
    title_i18n: I18n
    status: str
    status_label: str
    adopted_at: datetime.datetime | None
    adopted_at_meeting: MeetingRef | None
    adoption_method: str
    adopted_version: int | None
    is_example: bool


class TextPageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[TextOut]


class VersionOut(Schema):
    number: int
    issued_at: datetime.datetime | None
    is_draft: bool
    note: str
    note_i18n: I18n


class TextDetailOut(TextOut):
    versions: list[VersionOut]


class ParagraphOut(Schema):
    id: int
    key: str
    label: str
    is_heading: bool
    content: str
    content_i18n: I18n


class VersionDetailOut(VersionOut):
    paragraphs: list[ParagraphOut]


class CirculationOut(Schema):
    id: int
    version: int
    kind: str
    states: list[CountryRef]
    deadline: datetime.datetime
    outcome: str
    outcome_label: str
    is_open: bool


class ObjectionOut(Schema):
    country: CountryRef
    reason: str
    raised_at: datetime.datetime


class CommentOut(Schema):
    id: int
    circulation: int
    paragraph: int | None
    paragraph_label: str | None
    country: CountryRef
    kind: str
    body: str
    proposed_text: str
    language: str
    status: str
    decision: str
    sent_at: datetime.datetime | None


class TextQuery(Schema):
    dialogue: str = ""
    status: str = ""
    page: int = Field(1, ge=1, le=100000)
    page_size: int = Field(30, ge=1, le=MAX_PAGE_SIZE)


class CommentIn(WriteSchema):
    country: str = Field(..., max_length=2)
    paragraph: int | None = None
    kind: str = Comment.Kind.COMMENT
    body: str = Field("", max_length=20000)
    proposed_text: str = Field("", max_length=20000)
    language: str = Field("en", max_length=8)
    send: bool = False


class SendIn(WriteSchema):
    country: str = Field(..., max_length=2)


class ObjectionIn(WriteSchema):
    country: str = Field(..., max_length=2)
    reason: str = Field(..., max_length=5000)


class TextIn(WriteSchema):
    dialogue: str = Field(..., max_length=60)
    kind: str
    title: Text
    public_when_adopted: bool = True


class ParagraphIn(WriteSchema):
    content: Text
    is_heading: bool = False
    key: str = Field("", max_length=32)


class ParagraphsIn(WriteSchema):
    paragraphs: list[ParagraphIn] = Field(..., max_length=services.MAX_PARAGRAPHS)


class CirculateIn(WriteSchema):
    kind: str = Circulation.Kind.COMMENTS
    states: list[str] = Field(default_factory=list, max_length=300)
    body: str = Field("", max_length=60)
    deadline: datetime.datetime
    message: Text = ""


class AdoptIn(WriteSchema):
    meeting: int
    version: int | None = None
    note: Text = ""


class NextVersionIn(WriteSchema):
    apply_comments: list[int] = Field(default_factory=list, max_length=2000)


# Serialisation ------------------------------------------------------------------------------


def _text_out(text: OutcomeText) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": text.pk,
        "url": text.get_absolute_url() if text.is_adopted else None,
        "dialogue": _slug_ref(text.dialogue),
        "kind": text.kind,
        "kind_label": text.get_kind_display(),
        "status": text.status,
        "status_label": text.get_status_display(),
        "adopted_at": text.adopted_at,
        "adopted_at_meeting": None,
        "adoption_method": text.adoption_method,
        "adopted_version": text.adopted_version.number if text.adopted_version else None,
        "is_example": text.is_example,
    }
    _tr(data, "title", text.title)
    if text.adopted_at_meeting is not None:
        meeting: dict[str, Any] = {"id": text.adopted_at_meeting.pk}
        _tr(meeting, "title", text.adopted_at_meeting.title)
        data["adopted_at_meeting"] = meeting
    return data


def _version_out(version: TextVersion) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": version.number,
        "issued_at": version.issued_at,
        "is_draft": version.is_draft,
    }
    _tr(data, "note", version.note)
    return data


def _paragraph_out(p: Paragraph) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": p.pk,
        "key": p.key,
        "label": p.label,
        "is_heading": p.is_heading,
    }
    _tr(data, "content", p.content)
    return data


def _circulation_out(c: Circulation) -> dict[str, Any]:
    return {
        "id": c.pk,
        "version": c.version.number,
        "kind": c.kind,
        "states": [_country_ref(s) for s in c.states.all()],
        "deadline": c.deadline,
        "outcome": c.outcome,
        "outcome_label": c.get_outcome_display(),
        "is_open": c.is_open(),
    }


def _comment_out(c: Comment) -> dict[str, Any]:
    return {
        "id": c.pk,
        "circulation": c.circulation_id,
        "paragraph": c.paragraph_id,
        "paragraph_label": c.paragraph.label if c.paragraph else None,
        "country": _country_ref(c.country),
        "kind": c.kind,
        "body": c.body,
        "proposed_text": c.proposed_text,
        "language": c.language,
        "status": c.status,
        "decision": c.decision,
        "sent_at": c.sent_at,
    }


def _secretariat_text(request: HttpRequest, text_id: int) -> OutcomeText:
    _require_signed_in(request)
    text = queries.get_text(request.user, text_id)
    if not access.can_change(request.user, text):
        raise PermissionDenied(_("Only the secretariat of this dialogue may do this."))
    return text


def _circulation(request: HttpRequest, circulation_id: int) -> Circulation:
    circ = (
        Circulation.objects.select_related("version", "version__text", "version__text__dialogue")
        .filter(pk=circulation_id)
        .first()
    )
    if circ is None or not access.can_view(request.user, circ.version):
        raise Http404
    return circ


# Reads --------------------------------------------------------------------------------------


@router.get("/texts", response=TextPageOut)
def list_texts(request: HttpRequest, query: Query[TextQuery]) -> HttpResponse:
    """Texts the caller may see: adopted public texts for everyone; texts under negotiation for
    the secretariat and the states they were circulated to. Filters: ``dialogue`` (slug),
    ``status``."""
    services.conclude_silence_procedures()
    texts = queries.visible_texts(request.user)
    if query.dialogue.strip():
        texts = texts.filter(dialogue__slug=query.dialogue.strip())
    if query.status.strip():
        if query.status not in OutcomeText.Status.values:
            raise ValidationError({"status": _("Choose a status from the list.")})
        texts = texts.filter(status=query.status)
    count = texts.count()
    pages = max(1, math.ceil(count / query.page_size))
    page = min(query.page, pages)
    rows = (
        list(
            texts.order_by("-updated_at", "-pk")[
                (page - 1) * query.page_size : page * query.page_size
            ]
        )
        if count
        else []
    )
    return _json(
        {
            "count": count,
            "page": page,
            "pages": pages,
            "page_size": query.page_size,
            "results": [_text_out(t) for t in rows],
        }
    )


@router.get("/texts/{text_id}", response=TextDetailOut)
def get_text(request: HttpRequest, text_id: int) -> HttpResponse:
    """One text with the versions the caller may see."""
    text = queries.get_text(request.user, text_id)
    if services.conclude_silence_procedures(text=text):
        text = queries.get_text(request.user, text_id)
    data = _text_out(text)
    data["versions"] = [_version_out(v) for v in queries.visible_versions(request.user, text)]
    return _json(data)


@router.get("/texts/{text_id}/versions/{number}", response=VersionDetailOut)
def get_version(request: HttpRequest, text_id: int, number: int) -> HttpResponse:
    """One version with its numbered paragraphs (the text in every language)."""
    text = queries.get_text(request.user, text_id)
    version = queries.get_version(request.user, text, number)
    data = _version_out(version)
    data["paragraphs"] = [_paragraph_out(p) for p in queries.paragraphs_of(version)]
    return _json(data)


@router.get("/texts/{text_id}/circulations", response=list[CirculationOut])
def list_circulations(request: HttpRequest, text_id: int) -> HttpResponse:
    """Circulations and procedures of the versions the caller may see, newest first."""
    text = queries.get_text(request.user, text_id)
    versions = queries.visible_versions(request.user, text)
    return _json([_circulation_out(c) for c in queries.circulations_of(versions)])


@router.get("/circulations/{circulation_id}/comments", response=list[CommentOut])
def list_comments(request: HttpRequest, circulation_id: int) -> HttpResponse:
    """Comments on a circulation: every state's sent comments for the secretariat; one's own
    state's (drafts included) for its focal point and contributors."""
    _require_signed_in(request)
    circ = _circulation(request, circulation_id)
    comments = access.visible(request.user, Comment.objects.filter(circulation=circ))
    if access.principal(request.user).is_secretariat(circ.version.text.dialogue_id):
        comments = comments.filter(status=Comment.Status.SENT)
    rows = comments.select_related("country", "paragraph").order_by("country_id", "pk")
    return _json([_comment_out(c) for c in rows])


@router.get("/circulations/{circulation_id}/objections", response=list[ObjectionOut])
def list_objections(request: HttpRequest, circulation_id: int) -> HttpResponse:
    """Objections to a silence procedure the caller may see."""
    circ = _circulation(request, circulation_id)
    rows = access.visible(request.user, circ.objections.all()).select_related("country")
    out = []
    for o in rows:
        out.append(
            {"country": _country_ref(o.country), "reason": o.reason, "raised_at": o.raised_at}
        )
    return _json(out)


# Writes of the states -----------------------------------------------------------------------


@router.post("/circulations/{circulation_id}/comments", response={201: CommentOut})
def create_comment(request: HttpRequest, circulation_id: int, payload: CommentIn) -> Status:
    """A focal point or contributor comments on, or amends, a paragraph (``paragraph``: its id;
    empty for the version as a whole) for his state. ``send`` (focal point only) sends it at
    once; otherwise it is a draft the focal point sends."""
    _require_signed_in(request)
    circ = _circulation(request, circulation_id)
    comment = services.save_comment(
        actor=request.user,
        circulation=circ,
        country=payload.country,
        paragraph=payload.paragraph,
        kind=payload.kind,
        body=payload.body,
        proposed_text=payload.proposed_text,
        language=payload.language,
        send=payload.send,
    )
    comment = Comment.objects.select_related("country", "paragraph").get(pk=comment.pk)
    return Status(201, _comment_out(comment))


@router.post("/circulations/{circulation_id}/send", response=list[CommentOut])
def send_comments(request: HttpRequest, circulation_id: int, payload: SendIn) -> HttpResponse:
    """The focal point sends every draft of his state."""
    _require_signed_in(request)
    circ = _circulation(request, circulation_id)
    services.send_comments(actor=request.user, circulation=circ, country=payload.country)
    rows = Comment.objects.filter(
        circulation=circ, country_id=payload.country.upper(), status=Comment.Status.SENT
    ).select_related("country", "paragraph")
    return _json([_comment_out(c) for c in rows])


@router.post("/circulations/{circulation_id}/objections", response={201: ObjectionOut})
def create_objection(request: HttpRequest, circulation_id: int, payload: ObjectionIn) -> Status:
    """The focal point of a state in a silence procedure objects, with a reason."""
    _require_signed_in(request)
    circ = _circulation(request, circulation_id)
    objection = services.object_to_silence(
        actor=request.user, circulation=circ, country=payload.country, reason=payload.reason
    )
    return Status(
        201,
        {
            "country": _country_ref(Country.objects.get(code=objection.country_id)),
            "reason": objection.reason,
            "raised_at": objection.raised_at,
        },
    )


# Writes of the secretariat ------------------------------------------------------------------


@router.post("/texts", response={201: TextDetailOut})
def create_text(request: HttpRequest, payload: TextIn) -> Status:
    """The secretariat starts a text (with an empty draft version 1)."""
    _require_signed_in(request)
    dialogue = Dialogue.objects.filter(slug=payload.dialogue.strip()).first()
    if dialogue is None:
        raise ValidationError({"dialogue": _("There is no such dialogue.")})
    text = services.create_text(
        actor=request.user,
        dialogue=dialogue,
        kind=payload.kind,
        title=payload.title,
        public_when_adopted=payload.public_when_adopted,
    )
    text = queries.get_text(request.user, text.pk)
    data = _text_out(text)
    data["versions"] = [_version_out(v) for v in queries.visible_versions(request.user, text)]
    return Status(201, data)


@router.put("/texts/{text_id}/versions/{number}/paragraphs", response=VersionDetailOut)
def put_paragraphs(
    request: HttpRequest, text_id: int, number: int, payload: ParagraphsIn
) -> HttpResponse:
    """Replace every paragraph of a draft version (``key`` keeps a paragraph's identity)."""
    text = _secretariat_text(request, text_id)
    version = queries.get_version(request.user, text, number)
    services.replace_paragraphs(
        actor=request.user,
        version=version,
        paragraphs=[p.model_dump() for p in payload.paragraphs],
    )
    data = _version_out(version)
    data["paragraphs"] = [_paragraph_out(p) for p in queries.paragraphs_of(version)]
    return _json(data)


@router.post("/texts/{text_id}/versions/{number}/circulate", response={201: CirculationOut})
def circulate(request: HttpRequest, text_id: int, number: int, payload: CirculateIn) -> Status:
    """Circulate a version for comments (``kind`` = comments) or start a silence procedure
    (``kind`` = silence) to ``states`` (codes) and/or a ``body``'s member states."""
    text = _secretariat_text(request, text_id)
    version = queries.get_version(request.user, text, number)
    codes = [c.strip().upper() for c in payload.states if c.strip()]
    states = list(Country.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {s.code for s in states})
    if unknown:
        raise ValidationError(
            {"states": _("Unknown state: %(codes)s") % {"codes": ", ".join(unknown)}}
        )
    body = None
    if payload.body.strip():
        body = Body.objects.filter(dialogue_id=text.dialogue_id, slug=payload.body.strip()).first()
        if body is None:
            raise ValidationError({"body": _("There is no such body in this dialogue.")})
    circ = services.circulate_version(
        actor=request.user,
        version=version,
        states=states,
        body=body,
        deadline=payload.deadline,
        message=payload.message,
        kind=payload.kind,
    )
    circ = Circulation.objects.select_related("version").get(pk=circ.pk)
    return Status(201, _circulation_out(circ))


@router.post("/texts/{text_id}/next-version", response={201: VersionDetailOut})
def next_version(request: HttpRequest, text_id: int, payload: NextVersionIn) -> Status:
    """Issue the next draft version, applying the amendments named in ``apply_comments``."""
    text = _secretariat_text(request, text_id)
    version = services.issue_next_version(
        actor=request.user, text=text, apply_comments=payload.apply_comments
    )
    data = _version_out(version)
    data["paragraphs"] = [_paragraph_out(p) for p in queries.paragraphs_of(version)]
    return Status(201, data)


@router.post("/texts/{text_id}/adopt", response=TextOut)
def adopt(request: HttpRequest, text_id: int, payload: AdoptIn) -> HttpResponse:
    """Record the adoption of a version at a meeting of the dialogue."""
    text = _secretariat_text(request, text_id)
    meeting = Meeting.objects.filter(pk=payload.meeting, dialogue_id=text.dialogue_id).first()
    if meeting is None:
        raise ValidationError({"meeting": _("There is no such meeting in this dialogue.")})
    version = None
    if payload.version is not None:
        version = TextVersion.objects.filter(text=text, number=payload.version).first()
        if version is None:
            raise ValidationError({"version": _("There is no such version of this text.")})
    services.adopt_text(
        actor=request.user, text=text, meeting=meeting, version=version, note=payload.note
    )
    return _json(_text_out(queries.get_text(request.user, text_id)))
