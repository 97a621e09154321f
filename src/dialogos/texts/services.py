"""Writes of the texts app: every change to a text goes through these functions.

Each is keyword-only, owns its transaction and audit entry, raises ``ValidationError`` (naming
the field) on bad input and ``PermissionDenied`` when the actor lacks the right. Nothing is
half-saved: a refusal rolls the whole write back.

Workflow: ``create_text`` (with a first draft version) → ``save_paragraph`` … →
``circulate_version`` (states, deadline) → states ``save_comment`` / ``send_comments`` →
``decide_comment`` → ``issue_next_version`` (optionally applying accepted amendments) → … →
``adopt_text`` at a meeting, or ``circulate_version(kind=silence)`` which
``conclude_silence_procedures`` turns into an adoption when no state ``object_to_silence``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogos.core import access, audit
from dialogos.core.i18n import TranslatedText, language_codes, to_translated
from dialogos.core.models import AccessLevel, AuditEntry, Country
from dialogos.dialogues.models import Body, Dialogue, Participation
from dialogos.meetings.models import Meeting
from dialogos.people.models import Role
from dialogos.texts.models import (
    Circulation,
    Comment,
    Objection,
    OutcomeText,
    Paragraph,
    TextNotification,
    TextVersion,
)

MAX_PARAGRAPHS = 2000
MAX_COMMENT_LENGTH = 20000
MAX_REASON_LENGTH = 5000


# Helpers -----------------------------------------------------------------------------------


def _require_secretariat(actor: Any, dialogue_id: int) -> None:
    if not access.principal(actor).is_secretariat(dialogue_id):
        raise PermissionDenied(_("Only the secretariat of this dialogue may do this."))


def _record(
    *,
    actor: Any,
    obj: Any,
    verb: str,
    dialogue_id: int,
    before: dict[str, Any] | None = None,
    action: str = AuditEntry.Action.UPDATE,
) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        before=before,
        after=None if action == AuditEntry.Action.DELETE else audit.snapshot(obj),
        verb=verb,
        dialogue_id=dialogue_id,
    )


def _lock_text(text_id: int) -> OutcomeText:
    return (
        OutcomeText.objects.select_for_update(of=("self",))
        .select_related("dialogue")
        .get(pk=text_id)
    )


def _touch(text: OutcomeText, *fields: str) -> None:
    text.updated_at = timezone.now()
    text.save(update_fields=["updated_at", *fields])


def _clean_text(value: Any, *, field: str, required: bool = True) -> TranslatedText:
    try:
        text = to_translated(value)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None
    unknown = set(text) - set(language_codes())
    if unknown:
        raise ValidationError(
            {field: _("Unknown language code: %(codes)s") % {"codes": ", ".join(sorted(unknown))}}
        )
    text = TranslatedText({k: v.strip() for k, v in text.items() if v and v.strip()})
    if required and not text:
        raise ValidationError({field: _("Enter the text in at least one language.")})
    return text


def state_countries(user: Any, dialogue_id: int) -> tuple[set[str], set[str]]:
    """States the user may draft comments for, and states the user may send them for."""
    who = access.principal(user)
    focal = who.countries(dialogue_id, access.FOCAL_POINT)
    drafting = focal | who.countries(dialogue_id, access.CONTRIBUTOR)
    return drafting, focal


def renumber(version: TextVersion) -> None:
    """Number the paragraphs 1, 2, 3 … in order; headings carry no number."""
    rows = list(version.paragraphs.order_by("position", "pk"))
    number = 0
    changed = []
    for index, p in enumerate(rows, start=1):
        label = ""
        if not p.is_heading:
            number += 1
            label = str(number)
        if p.label != label or p.position != index * 10:
            p.label, p.position = label, index * 10
            changed.append(p)
    if changed:
        # Positions are unique per version: move them out of the way first.
        for offset, p in enumerate(changed):
            Paragraph.objects.filter(pk=p.pk).update(position=10**6 + offset)
        for p in changed:
            Paragraph.objects.filter(pk=p.pk).update(position=p.position, label=p.label)


# Texts and versions --------------------------------------------------------------------------


def create_text(
    *,
    actor: Any,
    dialogue: Dialogue,
    kind: str,
    title: Any,
    public_when_adopted: bool = True,
    is_example: bool = False,
) -> OutcomeText:
    """A new text with an empty first draft version, visible to the secretariat only."""
    _require_secretariat(actor, dialogue.pk)
    if kind not in OutcomeText.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of text from the list.")})
    text = OutcomeText(
        dialogue=dialogue,
        kind=kind,
        title=_clean_text(title, field="title"),
        public_when_adopted=public_when_adopted,
        is_example=is_example,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    text.full_clean()
    with transaction.atomic():
        text.save()
        version = TextVersion.objects.create(text=text, number=1, created_by=text.created_by)
        _record(
            actor=actor,
            obj=text,
            verb="create text",
            dialogue_id=dialogue.pk,
            action=AuditEntry.Action.CREATE,
        )
        _record(
            actor=actor,
            obj=version,
            verb="create version",
            dialogue_id=dialogue.pk,
            action=AuditEntry.Action.CREATE,
        )
    return text


def update_text(*, actor: Any, text: OutcomeText, **changes: Any) -> OutcomeText:
    """Change the title, kind or whether the text will be public once adopted."""
    _require_secretariat(actor, text.dialogue_id)
    allowed = {"title", "kind", "public_when_adopted"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed here.")})
    with transaction.atomic():
        text = _lock_text(text.pk)
        before = audit.snapshot(text)
        if "title" in changes:
            changes["title"] = _clean_text(changes["title"], field="title")
        if "kind" in changes and changes["kind"] not in OutcomeText.Kind.values:
            raise ValidationError({"kind": _("Choose a kind of text from the list.")})
        for name, value in changes.items():
            setattr(text, name, value)
        if "public_when_adopted" in changes and text.is_adopted:
            text.access_level = _adopted_level(text)
            changes["access_level"] = text.access_level
        text.full_clean()
        _touch(text, *changes)
        _record(
            actor=actor, obj=text, verb="change text", dialogue_id=text.dialogue_id, before=before
        )
    return text


def draft_version(text: OutcomeText) -> TextVersion | None:
    return text.versions.filter(issued_at__isnull=True).order_by("-number").first()


def latest_issued(text: OutcomeText) -> TextVersion | None:
    return text.versions.filter(issued_at__isnull=False).order_by("-number").first()


def _editable(actor: Any, version: TextVersion) -> TextVersion:
    _require_secretariat(actor, version.text.dialogue_id)
    version = (
        TextVersion.objects.select_for_update(of=("self",))
        .select_related("text", "text__dialogue")
        .get(pk=version.pk)
    )
    if not version.is_draft:
        raise ValidationError(
            _("Version %(number)d was circulated and is fixed; issue a next version to change it.")
            % {"number": version.number}
        )
    if not version.text.is_open:
        raise ValidationError(_("This text is no longer under negotiation."))
    return version


def save_paragraph(
    *,
    actor: Any,
    version: TextVersion,
    content: Any,
    is_heading: bool = False,
    paragraph: Paragraph | None = None,
    after: Paragraph | None = None,
) -> Paragraph:
    """Add a paragraph to a draft version (at the end, or after ``after``) or change one."""
    with transaction.atomic():
        version = _editable(actor, version)
        text = _clean_text(content, field="content")
        if paragraph is not None:
            paragraph = Paragraph.objects.filter(pk=paragraph.pk, version=version).first()
            if paragraph is None:
                raise ValidationError({"paragraph": _("This paragraph is not in this version.")})
            before = audit.snapshot(paragraph)
            paragraph.content = text
            paragraph.is_heading = is_heading
            paragraph.save(update_fields=["content", "is_heading"])
            verb = "change paragraph"
            action = AuditEntry.Action.UPDATE
        else:
            before = None
            count = version.paragraphs.count()
            if count >= MAX_PARAGRAPHS:
                raise ValidationError(
                    _("A version has at most %(limit)d paragraphs.") % {"limit": MAX_PARAGRAPHS}
                )
            if after is not None:
                anchor = Paragraph.objects.filter(pk=after.pk, version=version).first()
                if anchor is None:
                    raise ValidationError({"after": _("This paragraph is not in this version.")})
                position = anchor.position + 5
            else:
                position = (version.paragraphs.aggregate(m=Max("position"))["m"] or 0) + 10
            paragraph = Paragraph.objects.create(
                version=version, position=position, content=text, is_heading=is_heading
            )
            verb = "add paragraph"
            action = AuditEntry.Action.CREATE
        renumber(version)
        paragraph.refresh_from_db()
        _record(
            actor=actor,
            obj=paragraph,
            verb=verb,
            dialogue_id=version.text.dialogue_id,
            before=before,
            action=action,
        )
        _touch(version.text)
    return paragraph


def delete_paragraph(*, actor: Any, paragraph: Paragraph) -> None:
    with transaction.atomic():
        version = _editable(actor, paragraph.version)
        found = Paragraph.objects.filter(pk=paragraph.pk, version=version).first()
        if found is None:
            raise ValidationError({"paragraph": _("This paragraph is not in this version.")})
        paragraph = found
        _record(
            actor=actor,
            obj=paragraph,
            verb="delete paragraph",
            dialogue_id=version.text.dialogue_id,
            before=audit.snapshot(paragraph),
            action=AuditEntry.Action.DELETE,
        )
        paragraph.delete()
        renumber(version)
        _touch(version.text)


def move_paragraph(*, actor: Any, paragraph: Paragraph, up: bool) -> None:
    """Swap a paragraph of a draft version with the one before (``up``) or after it."""
    with transaction.atomic():
        version = _editable(actor, paragraph.version)
        rows = list(version.paragraphs.order_by("position"))
        index = next((i for i, p in enumerate(rows) if p.pk == paragraph.pk), None)
        if index is None:
            raise ValidationError({"paragraph": _("This paragraph is not in this version.")})
        other = index - 1 if up else index + 1
        if not 0 <= other < len(rows):
            return
        rows[index], rows[other] = rows[other], rows[index]
        for i, p in enumerate(rows, start=1):
            Paragraph.objects.filter(pk=p.pk).update(position=10**6 + i)
        for i, p in enumerate(rows, start=1):
            Paragraph.objects.filter(pk=p.pk).update(position=i * 10)
        renumber(version)
        _record(
            actor=actor,
            obj=paragraph,
            verb="move paragraph",
            dialogue_id=version.text.dialogue_id,
        )


def replace_paragraphs(
    *, actor: Any, version: TextVersion, paragraphs: Sequence[dict[str, Any]]
) -> TextVersion:
    """Set all paragraphs of a draft version at once (API, import). Each item has ``content``
    (text or language → text), optionally ``is_heading`` and ``key`` (to keep the identity of
    a paragraph of the version it is based on)."""
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise ValidationError(
            {
                "paragraphs": _("A version has at most %(limit)d paragraphs.")
                % {"limit": MAX_PARAGRAPHS}
            }
        )
    with transaction.atomic():
        version = _editable(actor, version)
        seen: set[str] = set()
        rows = []
        for index, item in enumerate(paragraphs):
            content = _clean_text(item.get("content"), field=f"paragraphs.{index}.content")
            key = str(item.get("key") or "")[:32]
            if key and key in seen:
                raise ValidationError(
                    {f"paragraphs.{index}.key": _("Each paragraph needs its own key.")}
                )
            if key:
                seen.add(key)
            p = Paragraph(
                version=version,
                position=(index + 1) * 10,
                content=content,
                is_heading=bool(item.get("is_heading", False)),
            )
            if key:
                p.key = key
            rows.append(p)
        version.paragraphs.all().delete()
        Paragraph.objects.bulk_create(rows)
        renumber(version)
        _record(
            actor=actor,
            obj=version,
            verb="replace paragraphs",
            dialogue_id=version.text.dialogue_id,
        )
        _touch(version.text)
    return version


def update_version_note(*, actor: Any, version: TextVersion, note: Any) -> TextVersion:
    with transaction.atomic():
        version = _editable(actor, version)
        before = audit.snapshot(version)
        version.note = _clean_text(note, field="note", required=False)
        version.save(update_fields=["note"])
        _record(
            actor=actor,
            obj=version,
            verb="change version note",
            dialogue_id=version.text.dialogue_id,
            before=before,
        )
    return version


def issue_next_version(
    *, actor: Any, text: OutcomeText, apply_comments: Iterable[int] = ()
) -> TextVersion:
    """A new draft version copied from the latest one, applying the chosen accepted
    amendments (ids of ``Comment`` s on the latest version's paragraphs)."""
    _require_secretariat(actor, text.dialogue_id)
    with transaction.atomic():
        text = _lock_text(text.pk)
        if not text.is_open:
            raise ValidationError(_("This text is no longer under negotiation."))
        if draft_version(text) is not None:
            raise ValidationError(
                _("A draft version exists already: change it, or circulate it first.")
            )
        base = latest_issued(text)
        if base is None:
            raise ValidationError(_("Circulate the first version before issuing a next one."))
        wanted = {int(i) for i in apply_comments}
        amendments = list(
            Comment.objects.filter(
                pk__in=wanted,
                circulation__version=base,
                kind=Comment.Kind.AMENDMENT,
                status=Comment.Status.SENT,
                paragraph__isnull=False,
            ).order_by("sent_at", "pk")
        )
        if len(amendments) != len(wanted):
            raise ValidationError(
                {
                    "apply_comments": _(
                        "Only amendments sent on the paragraphs of version %(number)d can be applied."
                    )
                    % {"number": base.number}
                }
            )
        by_paragraph = {c.paragraph_id: c for c in amendments}
        if len(by_paragraph) != len(amendments):
            raise ValidationError(
                {"apply_comments": _("Choose at most one amendment for each paragraph.")}
            )
        version = TextVersion.objects.create(
            text=text,
            number=base.number + 1,
            based_on=base,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        copies = []
        for p in base.paragraphs.order_by("position"):
            content = TranslatedText(p.content)
            amendment = by_paragraph.get(p.pk)
            if amendment is not None:
                content[amendment.language] = amendment.proposed_text
            copies.append(
                Paragraph(
                    version=version,
                    key=p.key,
                    position=p.position,
                    label=p.label,
                    is_heading=p.is_heading,
                    content=content,
                )
            )
        Paragraph.objects.bulk_create(copies)
        if amendments:
            Comment.objects.filter(pk__in=[c.pk for c in amendments]).update(
                decision=Comment.Decision.ACCEPTED, updated_at=timezone.now()
            )
        _record(
            actor=actor,
            obj=version,
            verb="issue next version",
            dialogue_id=text.dialogue_id,
            action=AuditEntry.Action.CREATE,
        )
        _touch(text)
    return version


# Circulation --------------------------------------------------------------------------------


def participating_states(dialogue: Dialogue) -> QuerySet[Country]:
    codes = (
        Participation.objects.current()
        .filter(dialogue=dialogue, country__isnull=False)
        .values("country_id")
    )
    return Country.objects.filter(code__in=codes)


def body_states(body: Body) -> list[Country]:
    from dialogos.dialogues.models import BodyMembership

    codes = (
        BodyMembership.objects.current()
        .filter(body=body, country__isnull=False)
        .values("country_id")
    )
    return list(Country.objects.filter(code__in=codes))


def circulate_version(
    *,
    actor: Any,
    version: TextVersion,
    states: Iterable[Country],
    deadline: datetime.datetime,
    message: Any = None,
    body: Body | None = None,
    kind: str = Circulation.Kind.COMMENTS,
    now: datetime.datetime | None = None,
) -> Circulation:
    """Send a version to states with a deadline (for comments, or as a silence procedure).

    A draft version is issued (fixed) by its first circulation. The states' accounts in the
    dialogue may then see the text; its focal points are told by e-mail.
    """
    now = now or timezone.now()
    _require_secretariat(actor, version.text.dialogue_id)
    if kind not in Circulation.Kind.values:
        raise ValidationError({"kind": _("Choose how the version is circulated.")})
    if deadline is None or not isinstance(deadline, datetime.datetime):
        raise ValidationError({"deadline": _("Enter a deadline.")})
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline, datetime.UTC)
    if deadline <= now:
        raise ValidationError({"deadline": _("The deadline must be in the future.")})
    if deadline > now + datetime.timedelta(days=366):
        raise ValidationError({"deadline": _("The deadline must be within a year.")})
    with transaction.atomic():
        text = _lock_text(version.text_id)
        version = TextVersion.objects.select_for_update(of=("self",)).get(pk=version.pk)
        if not text.is_open:
            raise ValidationError(_("This text is no longer under negotiation."))
        if body is not None and body.dialogue_id != text.dialogue_id:
            raise ValidationError({"body": _("This body belongs to another dialogue.")})
        chosen = {c.code: c for c in states}
        if body is not None:
            chosen.update({c.code: c for c in body_states(body)})
        if not chosen:
            raise ValidationError({"states": _("Choose at least one state.")})
        allowed = set(participating_states(text.dialogue).values_list("code", flat=True))
        strangers = sorted(set(chosen) - allowed)
        if strangers:
            raise ValidationError(
                {
                    "states": _("Not participating in this dialogue: %(codes)s")
                    % {"codes": ", ".join(strangers)}
                }
            )
        if not version.paragraphs.exists():
            raise ValidationError(_("This version has no paragraphs: write the text first."))
        latest = text.versions.order_by("-number").first()
        if latest is not None and latest.pk != version.pk:
            raise ValidationError(_("Only the latest version can be circulated."))
        if (
            kind == Circulation.Kind.SILENCE
            and Circulation.objects.filter(
                version__text=text, kind=Circulation.Kind.SILENCE, outcome=Circulation.Outcome.OPEN
            ).exists()
        ):
            raise ValidationError(_("A silence procedure on this text is already running."))
        circulation = Circulation.objects.create(
            version=version,
            kind=kind,
            body=body,
            message=_clean_text(message, field="message", required=False),
            deadline=deadline,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            created_at=now,
        )
        circulation.states.set(list(chosen.values()))
        if version.is_draft:
            version.issued_at = now
        version.access_level = AccessLevel.GROUP
        version.save(update_fields=["issued_at", "access_level"])
        text.status = (
            OutcomeText.Status.SILENCE
            if kind == Circulation.Kind.SILENCE
            else OutcomeText.Status.NEGOTIATION
        )
        text.access_level = AccessLevel.GROUP
        _touch(text, "status", "access_level")
        _record(
            actor=actor,
            obj=circulation,
            verb="start silence procedure" if kind == Circulation.Kind.SILENCE else "circulate",
            dialogue_id=text.dialogue_id,
            action=AuditEntry.Action.CREATE,
        )
        from dialogos.texts import notifications

        notifications.queue_for_circulation(
            circulation,
            TextNotification.Kind.SILENCE
            if kind == Circulation.Kind.SILENCE
            else TextNotification.Kind.CIRCULATED,
        )
    return circulation


def close_circulation(*, actor: Any, circulation: Circulation) -> Circulation:
    """End a circulation for comments early, or cancel a silence procedure."""
    _require_secretariat(actor, circulation.version.text.dialogue_id)
    with transaction.atomic():
        text = _lock_text(circulation.version.text_id)
        circulation = Circulation.objects.select_for_update().get(pk=circulation.pk)
        if circulation.outcome != Circulation.Outcome.OPEN:
            raise ValidationError(_("This circulation is already over."))
        before = audit.snapshot(circulation)
        silence = circulation.kind == Circulation.Kind.SILENCE
        circulation.outcome = (
            Circulation.Outcome.CANCELLED if silence else Circulation.Outcome.CLOSED
        )
        circulation.decided_at = timezone.now()
        circulation.save(update_fields=["outcome", "decided_at"])
        if silence and text.status == OutcomeText.Status.SILENCE:
            text.status = OutcomeText.Status.NEGOTIATION
            _touch(text, "status")
        _record(
            actor=actor,
            obj=circulation,
            verb="close circulation",
            dialogue_id=text.dialogue_id,
            before=before,
        )
    return circulation


# Comments -----------------------------------------------------------------------------------


def _open_circulation(circulation_id: int, now: datetime.datetime) -> Circulation:
    circulation = (
        Circulation.objects.select_for_update(of=("self",))
        .select_related("version", "version__text")
        .get(pk=circulation_id)
    )
    if not circulation.is_open(now):
        raise ValidationError(
            _("The deadline of this circulation has passed: nothing more can be sent.")
            if now >= circulation.deadline
            else _("This circulation is over.")
        )
    return circulation


def save_comment(
    *,
    actor: Any,
    circulation: Circulation,
    country: Country | str,
    kind: str = Comment.Kind.COMMENT,
    body: str = "",
    proposed_text: str = "",
    language: str = "en",
    paragraph: Paragraph | int | None = None,
    comment: Comment | None = None,
    send: bool = False,
    now: datetime.datetime | None = None,
) -> Comment:
    """A state's comment or amendment (a draft; ``send`` at once if the actor is the state's
    focal point). Contributors and focal points of the state may draft and change drafts."""
    now = now or timezone.now()
    code = country if isinstance(country, str) else country.code
    code = (code or "").strip().upper()
    body = (body or "").strip()
    proposed_text = (proposed_text or "").strip()
    if kind not in Comment.Kind.values:
        raise ValidationError({"kind": _("Choose a comment or an amendment.")})
    if language not in language_codes():
        raise ValidationError({"language": _("Choose a language of the interface.")})
    if len(body) > MAX_COMMENT_LENGTH or len(proposed_text) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            {"body": _("At most %(limit)d characters.") % {"limit": MAX_COMMENT_LENGTH}}
        )
    with transaction.atomic():
        circulation = _open_circulation(circulation.pk, now)
        dialogue_id = circulation.version.text.dialogue_id
        if circulation.kind != Circulation.Kind.COMMENTS:
            raise ValidationError(
                _("In a silence procedure a state objects or stays silent; it does not comment.")
            )
        drafting, focal = state_countries(actor, dialogue_id)
        if code not in drafting:
            raise PermissionDenied(
                _("Only the focal point and contributors of a state comment on its behalf.")
            )
        if not circulation.states.filter(code=code).exists():
            raise ValidationError({"country": _("This version was not circulated to this state.")})
        paragraph_obj: Paragraph | None = None
        if paragraph is not None:
            paragraph_id = paragraph.pk if isinstance(paragraph, Paragraph) else paragraph
            paragraph_obj = Paragraph.objects.filter(
                pk=paragraph_id, version_id=circulation.version_id
            ).first()
            if paragraph_obj is None:
                raise ValidationError(
                    {"paragraph": _("There is no such paragraph in the version circulated.")}
                )
        if kind == Comment.Kind.AMENDMENT:
            if paragraph_obj is None:
                raise ValidationError({"paragraph": _("An amendment is to one paragraph.")})
            if not proposed_text:
                raise ValidationError({"proposed_text": _("Enter the wording you propose.")})
            if proposed_text == paragraph_obj.content.get(language, ""):
                raise ValidationError(
                    {"proposed_text": _("The wording proposed is the same as the paragraph's.")}
                )
        elif not body:
            raise ValidationError({"body": _("Write the comment.")})
        if send and code not in focal:
            raise PermissionDenied(_("Only the state's focal point sends its comments."))
        if comment is not None:
            existing = (
                Comment.objects.select_for_update()
                .filter(pk=comment.pk, circulation=circulation, country_id=code)
                .first()
            )
            if existing is None:
                raise ValidationError({"comment": _("There is no such comment of this state.")})
            if existing.status != Comment.Status.DRAFT:
                raise ValidationError(_("This comment was sent and can no longer be changed."))
            before = audit.snapshot(existing)
            target = existing
            action = AuditEntry.Action.UPDATE
        else:
            before = None
            target = Comment(circulation=circulation, country_id=code, author=actor)
            action = AuditEntry.Action.CREATE
        target.paragraph = paragraph_obj
        target.kind = kind
        target.body = body
        target.proposed_text = proposed_text if kind == Comment.Kind.AMENDMENT else ""
        target.language = language
        target.updated_at = now
        if send:
            target.status = Comment.Status.SENT
            target.sent_by = actor
            target.sent_at = now
        target.save()
        _record(
            actor=actor,
            obj=target,
            verb="send comment" if send else "draft comment",
            dialogue_id=dialogue_id,
            before=before,
            action=action,
        )
    return target


def delete_comment(*, actor: Any, comment: Comment, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    with transaction.atomic():
        circulation = _open_circulation(comment.circulation_id, now)
        drafting, _focal = state_countries(actor, circulation.version.text.dialogue_id)
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.country_id not in drafting:
            raise PermissionDenied(_("Only the state's own people change its comments."))
        if comment.status != Comment.Status.DRAFT:
            raise ValidationError(_("This comment was sent and can no longer be changed."))
        _record(
            actor=actor,
            obj=comment,
            verb="delete comment",
            dialogue_id=circulation.version.text.dialogue_id,
            before=audit.snapshot(comment),
            action=AuditEntry.Action.DELETE,
        )
        comment.delete()


def send_comments(
    *,
    actor: Any,
    circulation: Circulation,
    country: Country | str,
    now: datetime.datetime | None = None,
) -> int:
    """The focal point sends every draft of the state to the secretariat; returns how many."""
    now = now or timezone.now()
    code = (country if isinstance(country, str) else country.code).upper()
    with transaction.atomic():
        circulation = _open_circulation(circulation.pk, now)
        _drafting, focal = state_countries(actor, circulation.version.text.dialogue_id)
        if code not in focal:
            raise PermissionDenied(_("Only the state's focal point sends its comments."))
        drafts = Comment.objects.filter(
            circulation=circulation, country_id=code, status=Comment.Status.DRAFT
        )
        ids = list(drafts.values_list("pk", flat=True))
        if not ids:
            raise ValidationError(_("There is no draft comment of this state to send."))
        Comment.objects.filter(pk__in=ids).update(
            status=Comment.Status.SENT, sent_by=actor, sent_at=now, updated_at=now
        )
        for comment in Comment.objects.filter(pk__in=ids):
            _record(
                actor=actor,
                obj=comment,
                verb="send comment",
                dialogue_id=circulation.version.text.dialogue_id,
            )
    return len(ids)


def decide_comment(*, actor: Any, comment: Comment, decision: str) -> Comment:
    """The secretariat marks a sent comment accepted, noted or not taken up."""
    dialogue_id = comment.circulation.version.text.dialogue_id
    _require_secretariat(actor, dialogue_id)
    if decision not in Comment.Decision.values:
        raise ValidationError({"decision": _("Choose a decision from the list.")})
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.status != Comment.Status.SENT:
            raise ValidationError(_("Only a sent comment can be decided on."))
        before = audit.snapshot(comment)
        comment.decision = decision
        comment.updated_at = timezone.now()
        comment.save(update_fields=["decision", "updated_at"])
        _record(
            actor=actor, obj=comment, verb="decide comment", dialogue_id=dialogue_id, before=before
        )
    return comment


# Silence procedure and adoption -------------------------------------------------------------


def object_to_silence(
    *,
    actor: Any,
    circulation: Circulation,
    country: Country | str,
    reason: str,
    now: datetime.datetime | None = None,
) -> Objection:
    """A state's focal point breaks the silence: recorded with who, for which state, when, why."""
    now = now or timezone.now()
    code = (country if isinstance(country, str) else country.code).strip().upper()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the objection.")})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("At most %(limit)d characters.") % {"limit": MAX_REASON_LENGTH}}
        )
    with transaction.atomic():
        text = _lock_text(circulation.version.text_id)
        circulation = _open_circulation(circulation.pk, now)
        if circulation.kind != Circulation.Kind.SILENCE:
            raise ValidationError(_("This circulation is not a silence procedure."))
        _drafting, focal = state_countries(actor, text.dialogue_id)
        if code not in focal:
            raise PermissionDenied(_("Only the state's focal point may break the silence."))
        if not circulation.states.filter(code=code).exists():
            raise ValidationError({"country": _("This state is not part of this procedure.")})
        objection = Objection.objects.create(
            circulation=circulation, country_id=code, reason=reason, raised_by=actor, raised_at=now
        )
        circulation.outcome = Circulation.Outcome.BROKEN
        circulation.decided_at = now
        circulation.save(update_fields=["outcome", "decided_at"])
        text.status = OutcomeText.Status.NEGOTIATION
        _touch(text, "status")
        _record(
            actor=actor,
            obj=objection,
            verb="break silence",
            dialogue_id=text.dialogue_id,
            action=AuditEntry.Action.CREATE,
        )
        from dialogos.texts import notifications

        notifications.queue_for_circulation(circulation, TextNotification.Kind.BROKEN)
    return objection


def _adopted_level(text: OutcomeText) -> str:
    return AccessLevel.PUBLIC if text.public_when_adopted else AccessLevel.MEMBERS


def _adopt(
    *,
    actor: Any,
    text: OutcomeText,
    version: TextVersion,
    method: str,
    adopted_at: datetime.datetime,
    meeting: Meeting | None,
    note: Any,
    verb: str,
) -> OutcomeText:
    """Inside a transaction holding the text's lock."""
    before = audit.snapshot(text)
    text.status = OutcomeText.Status.ADOPTED
    text.adopted_at = adopted_at
    text.adopted_at_meeting = meeting
    text.adopted_version = version
    text.adoption_method = method
    text.adoption_note = _clean_text(note, field="note", required=False)
    text.access_level = _adopted_level(text)
    _touch(
        text,
        "status",
        "adopted_at",
        "adopted_at_meeting",
        "adopted_version",
        "adoption_method",
        "adoption_note",
        "access_level",
    )
    TextVersion.objects.filter(pk=version.pk).update(
        access_level=AccessLevel.INHERIT, issued_at=version.issued_at or adopted_at
    )
    Circulation.objects.filter(version__text=text, outcome=Circulation.Outcome.OPEN).update(
        outcome=Circulation.Outcome.CLOSED, decided_at=adopted_at
    )
    _record(actor=actor, obj=text, verb=verb, dialogue_id=text.dialogue_id, before=before)
    from dialogos.texts import publishing

    publishing.publish_adopted(actor=actor, text=text)
    return text


def adopt_text(
    *,
    actor: Any,
    text: OutcomeText,
    meeting: Meeting | None,
    adopted_at: datetime.datetime | None = None,
    version: TextVersion | None = None,
    note: Any = None,
) -> OutcomeText:
    """Record the adoption of the latest issued version (or ``version``) at a meeting."""
    _require_secretariat(actor, text.dialogue_id)
    if meeting is None:
        raise ValidationError({"meeting": _("Choose the meeting that adopted the text.")})
    if meeting.dialogue_id != text.dialogue_id:
        raise ValidationError({"meeting": _("This meeting belongs to another dialogue.")})
    with transaction.atomic():
        text = _lock_text(text.pk)
        if not text.is_open:
            raise ValidationError(_("This text is no longer under negotiation."))
        if version is None:
            version = latest_issued(text)
            if version is None:
                version = text.versions.order_by("-number").first()
        elif version.text_id != text.pk:
            raise ValidationError({"version": _("This version belongs to another text.")})
        if version is None or not version.paragraphs.exists():
            raise ValidationError({"version": _("The version adopted has no paragraphs.")})
        return _adopt(
            actor=actor,
            text=text,
            version=version,
            method=OutcomeText.Method.MEETING,
            adopted_at=adopted_at or meeting.end,
            meeting=meeting,
            note=note,
            verb="adopt text at meeting",
        )


def conclude_silence_procedures(
    *, now: datetime.datetime | None = None, text: OutcomeText | None = None
) -> int:
    """Adopt every text whose silence procedure reached its deadline unbroken.

    Idempotent and safe to run from the worker and on page views at once: each procedure is
    re-read under a lock and concluded only while still open. Returns how many were adopted.
    """
    now = now or timezone.now()
    due = Circulation.objects.filter(
        kind=Circulation.Kind.SILENCE, outcome=Circulation.Outcome.OPEN, deadline__lte=now
    )
    if text is not None:
        due = due.filter(version__text=text)
    adopted = 0
    for circulation_id, text_id in list(due.values_list("pk", "version__text_id")):
        with transaction.atomic():
            locked_text = _lock_text(text_id)
            circulation = (
                Circulation.objects.select_for_update(of=("self",))
                .select_related("version")
                .filter(pk=circulation_id, outcome=Circulation.Outcome.OPEN)
                .first()
            )
            if circulation is None or circulation.deadline > now:
                continue
            if circulation.objections.exists():  # pragma: no cover — an objection closes it
                continue
            circulation.outcome = Circulation.Outcome.ADOPTED
            circulation.decided_at = circulation.deadline
            circulation.save(update_fields=["outcome", "decided_at"])
            _adopt(
                actor=None,
                text=locked_text,
                version=circulation.version,
                method=OutcomeText.Method.SILENCE,
                adopted_at=circulation.deadline,
                meeting=None,
                note=None,
                verb="adopt text by silence procedure",
            )
            from dialogos.texts import notifications

            notifications.queue_for_circulation(circulation, TextNotification.Kind.ADOPTED)
            adopted += 1
    return adopted


def withdraw_text(*, actor: Any, text: OutcomeText) -> OutcomeText:
    """Stop negotiating a text; it stays visible to whom it was, and no longer changes."""
    _require_secretariat(actor, text.dialogue_id)
    with transaction.atomic():
        text = _lock_text(text.pk)
        if not text.is_open:
            raise ValidationError(_("This text is no longer under negotiation."))
        before = audit.snapshot(text)
        text.status = OutcomeText.Status.WITHDRAWN
        _touch(text, "status")
        Circulation.objects.filter(version__text=text, outcome=Circulation.Outcome.OPEN).update(
            outcome=Circulation.Outcome.CANCELLED, decided_at=timezone.now()
        )
        _record(
            actor=actor, obj=text, verb="withdraw text", dialogue_id=text.dialogue_id, before=before
        )
    return text


def focal_point_recipients(dialogue_id: int, codes: Iterable[str]) -> QuerySet[Role]:
    return (
        Role.objects.active()
        .filter(dialogue_id=dialogue_id, role=Role.Kind.FOCAL_POINT, country_id__in=list(codes))
        .filter(Q(user__is_active=True))
        .select_related("user")
    )
