"""Writes to the library: topics, documents and their files, calls, practices and their
review, country profiles and their endorsement.

Every service is keyword-only, checks the actor's right, validates with the model's own
rules, writes in one transaction and leaves an audit entry. Bad input raises
``ValidationError`` naming the field and nothing is saved; a missing right raises
``PermissionDenied``.

Who may do what with practices and profiles besides the secretariat comes from the roles a
secretariat grants (``people.Role``): contributors and focal points act for one state.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dialogos.core import access, audit
from dialogos.core.i18n import TranslatedField, TranslatedText, to_translated
from dialogos.core.models import AccessLevel, AuditEntry
from dialogos.library.files import check_upload, extract_text
from dialogos.library.models import (
    CountryProfile,
    Document,
    LibraryFile,
    Practice,
    PracticeCall,
    PracticeEvent,
    PracticeStatus,
    ProfileEvent,
    ProfileStatus,
    Topic,
)

M = TypeVar("M", bound=models.Model)

# Text that looks like markup: a tag, a comment or a doctype.
_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]")
READ_ONLY = {"id", "pk", "created_at", "updated_at", "dialogue", "status", "published_at"}


# Rights -----------------------------------------------------------------------------------------


def require_secretariat(actor: Any, dialogue_id: int) -> None:
    if not access.principal(actor).is_secretariat(dialogue_id):
        raise PermissionDenied(_("Only the secretariat of this dialogue may do this."))


def is_secretariat(actor: Any, dialogue_id: int) -> bool:
    return access.principal(actor).is_secretariat(dialogue_id)


def state_roles(actor: Any, dialogue_id: int, country_code: str) -> set[str]:
    """The state roles (contributor, focal point) ``actor`` holds for this state."""
    who = access.principal(actor)
    return {
        role
        for role in (access.CONTRIBUTOR, access.FOCAL_POINT)
        if country_code in who.countries(dialogue_id, role)
    }


def drafting_states(actor: Any, dialogue_id: int) -> set[str]:
    """States for which ``actor`` may draft practices in the dialogue."""
    who = access.principal(actor)
    return who.countries(dialogue_id, access.CONTRIBUTOR) | who.countries(
        dialogue_id, access.FOCAL_POINT
    )


def can_work_on_practice(actor: Any, practice: Practice) -> bool:
    """The practice's own state people (contributors and focal points) or the secretariat."""
    if is_secretariat(actor, practice.dialogue_id):
        return True
    return bool(state_roles(actor, practice.dialogue_id, practice.country_id))


def can_read_practice(actor: Any, practice: Practice) -> bool:
    if practice.is_published and access.can_view(actor, practice):
        return True
    return can_work_on_practice(actor, practice)


def can_work_on_profile(actor: Any, profile: CountryProfile) -> bool:
    """The secretariat, and the state's focal points once the profile is submitted to them."""
    if is_secretariat(actor, profile.dialogue_id):
        return True
    if profile.submitted_at is None:
        return False
    who = access.principal(actor)
    return profile.country_id in who.countries(profile.dialogue_id, access.FOCAL_POINT)


def can_read_profile(actor: Any, profile: CountryProfile) -> bool:
    if profile.is_published and access.can_view(actor, profile):
        return True
    return can_work_on_profile(actor, profile)


# Helpers ----------------------------------------------------------------------------------------


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def refuse_markup(changes: dict[str, Any], names: Iterable[str]) -> None:
    """Refuse HTML in text fields: texts are plain (long ones Markdown), never markup."""
    errors: dict[str, str] = {}
    for name in names:
        value = changes.get(name)
        if value is None:
            continue
        texts = value.values() if isinstance(value, dict) else [value]
        if any(isinstance(t, str) and _MARKUP.search(t) for t in texts):
            errors[name] = _(
                "Remove the HTML: write plain text (long texts may use Markdown, "
                "for example **bold** or a list)."
            )
    if errors:
        raise ValidationError(errors)


def _translated(changes: dict[str, Any], names: Iterable[str]) -> None:
    for name in names:
        if name in changes:
            value = changes[name]
            if isinstance(value, dict) and not isinstance(value, TranslatedText):
                value = {str(k): str(v).strip() for k, v in value.items() if v}
            elif isinstance(value, str):
                value = value.strip()
            changes[name] = to_translated(value)


def _translated_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, TranslatedField)]


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, TranslatedField | models.CharField | models.TextField)
    ]


def _save(
    *,
    actor: Any,
    obj: M,
    changes: dict[str, Any],
    verb: str,
    dialogue_id: int | None,
    relations: dict[str, Iterable[Any] | None] | None = None,
) -> M:
    """Apply ``changes``, validate, save, set many-to-many ``relations`` and audit."""
    bad = set(changes) & READ_ONLY
    if bad:
        raise ValidationError({name: _("This field cannot be changed here.") for name in bad})
    unknown = [n for n in changes if n not in {f.name for f in obj._meta.concrete_fields}]
    if unknown:
        raise ValidationError({name: _("There is no such field.") for name in unknown})
    _translated(changes, _translated_fields(type(obj)))
    refuse_markup(changes, _text_fields(type(obj)))
    creating = obj.pk is None
    with transaction.atomic():
        before = None if creating else audit.snapshot(type(obj)._default_manager.get(pk=obj.pk))
        for name, value in changes.items():
            setattr(obj, name, value)
        fields = list(changes)
        if hasattr(obj, "updated_at"):
            obj.updated_at = timezone.now()
            fields.append("updated_at")
        obj.full_clean()
        if creating:
            obj.save()
        else:
            obj.save(update_fields=fields)
        for name, values in (relations or {}).items():
            if values is not None:
                getattr(obj, name).set(list(values))
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
            obj=obj,
            before=before,
            after=audit.snapshot(obj),
            verb=verb,
            dialogue_id=dialogue_id,
        )
    return obj


def _delete(*, actor: Any, obj: models.Model, verb: str, dialogue_id: int | None) -> None:
    names = []
    files = getattr(obj, "files", None)
    if files is not None:
        names = list(files.values_list("file", flat=True))
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=obj,
            before=audit.snapshot(obj),
            verb=verb,
            dialogue_id=dialogue_id,
        )
        obj.delete()
        transaction.on_commit(lambda: _delete_stored(names))


def _delete_stored(names: Iterable[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


# Topics -----------------------------------------------------------------------------------------


def save_topic(*, actor: Any, topic: Topic | None = None, **fields: Any) -> Topic:
    """Create or change a topic: any dialogue's secretariat (the taxonomy is shared)."""
    who = access.principal(actor)
    if not (who.is_operator or who.secretariat_of):
        raise PermissionDenied(_("Only a secretariat may edit the topics."))
    return _save(
        actor=actor,
        obj=topic or Topic(),
        changes=fields,
        verb=gettext_noop("save topic"),
        dialogue_id=None,
    )


# Documents --------------------------------------------------------------------------------------


def create_document(
    *,
    actor: Any,
    dialogue: Any,
    topics: Iterable[Topic] | None = None,
    countries: Iterable[Any] | None = None,
    bodies: Iterable[Any] | None = None,
    related_dialogues: Iterable[Any] | None = None,
    **fields: Any,
) -> Document:
    """Add a document to ``dialogue`` (its secretariat only)."""
    require_secretariat(actor, dialogue.pk)
    return _save(
        actor=actor,
        obj=Document(dialogue=dialogue),
        changes=fields,
        verb=gettext_noop("create document"),
        dialogue_id=dialogue.pk,
        relations={
            "topics": topics,
            "countries": countries,
            "bodies": _same_dialogue(bodies, dialogue.pk, "bodies"),
            "related_dialogues": related_dialogues,
        },
    )


def update_document(
    *,
    actor: Any,
    document: Document,
    topics: Iterable[Topic] | None = None,
    countries: Iterable[Any] | None = None,
    bodies: Iterable[Any] | None = None,
    related_dialogues: Iterable[Any] | None = None,
    **fields: Any,
) -> Document:
    require_secretariat(actor, document.dialogue_id)
    return _save(
        actor=actor,
        obj=document,
        changes=fields,
        verb=gettext_noop("change document"),
        dialogue_id=document.dialogue_id,
        relations={
            "topics": topics,
            "countries": countries,
            "bodies": _same_dialogue(bodies, document.dialogue_id, "bodies"),
            "related_dialogues": related_dialogues,
        },
    )


def _same_dialogue(items: Iterable[Any] | None, dialogue_id: int, field: str) -> list[Any] | None:
    if items is None:
        return None
    items = list(items)
    if any(item.dialogue_id != dialogue_id for item in items):
        raise ValidationError({field: _("Choose bodies of this document's dialogue.")})
    return items


def delete_document(*, actor: Any, document: Document) -> None:
    require_secretariat(actor, document.dialogue_id)
    _delete(
        actor=actor,
        obj=document,
        verb=gettext_noop("delete document"),
        dialogue_id=document.dialogue_id,
    )


# Files ------------------------------------------------------------------------------------------


def _owner_field(owner: Document | Practice | CountryProfile) -> str:
    if isinstance(owner, Document):
        return "document"
    if isinstance(owner, Practice):
        return "practice"
    return "profile"


def _file_languages(dialogue: Any) -> set[str]:
    return {c for c, _n in settings.LANGUAGES} | set(dialogue.languages)


def attach_file(
    *, actor: Any, owner: Document | Practice | CountryProfile, language: str, upload: Any
) -> LibraryFile:
    """Store the ``language`` version of ``owner``'s file; an earlier one becomes history.

    The type is checked from the content and must match the name; the size is limited; the
    text is extracted for search. Secretariat for documents and profiles; for practices also
    the state's contributors and focal points while the practice is a draft or sent back.
    """
    if isinstance(owner, Practice):
        if not can_work_on_practice(actor, owner):
            raise PermissionDenied(_("You may not change this practice."))
        if not owner.is_editable() and not is_secretariat(actor, owner.dialogue_id):
            raise ValidationError(
                {"file": _("This practice is in review or published; it cannot change now.")}
            )
    else:
        require_secretariat(actor, owner.dialogue_id)
    if language not in _file_languages(owner.dialogue):
        raise ValidationError({"language": _("Choose one of the dialogue's languages.")})
    checked = check_upload(upload)
    stream = upload.file if getattr(upload, "file", None) is not None else upload
    text = extract_text(stream, checked.extension)
    field = _owner_field(owner)
    with transaction.atomic():
        if isinstance(owner, CountryProfile):
            _require_profile_open(owner)
        current = list(
            LibraryFile.objects.select_for_update().filter(
                **{field: owner}, language=language, is_current=True
            )
        )
        last = (
            LibraryFile.objects.filter(**{field: owner}, language=language)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
        )
        LibraryFile.objects.filter(pk__in=[f.pk for f in current]).update(is_current=False)
        record = LibraryFile(
            **{field: owner},
            language=language,
            version=(last or 0) + 1,
            is_current=True,
            original_name=checked.name,
            extension=checked.extension,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            text=text,
            uploaded_by=_user(actor),
            uploaded_at=timezone.now(),
        )
        record.file.save(checked.name, upload, save=False)
        try:
            record.save()
            audit.record(
                actor=actor,
                action=AuditEntry.Action.CREATE,
                obj=record,
                after={k: v for k, v in (audit.snapshot(record) or {}).items() if k != "text"},
                verb=gettext_noop("attach library file"),
                dialogue_id=owner.dialogue_id,
            )
        except Exception:
            default_storage.delete(record.file.name)
            raise
    return record


def remove_file(*, actor: Any, record: LibraryFile) -> None:
    """Withdraw a language version: it and its history are deleted."""
    owner = record.owner()
    if isinstance(owner, Practice):
        if not (can_work_on_practice(actor, owner) and owner.is_editable()):
            raise PermissionDenied(_("You may not change this practice."))
    else:
        require_secretariat(actor, owner.dialogue_id)
    field = _owner_field(owner)
    with transaction.atomic():
        if isinstance(owner, CountryProfile):
            _require_profile_open(owner)
        versions = list(LibraryFile.objects.filter(**{field: owner}, language=record.language))
        if any(v.is_published for v in versions):
            raise ValidationError(
                {
                    "file": _(
                        "This language is part of the published version of the profile; "
                        "upload a new file to replace it instead."
                    )
                }
            )
        names = [v.file.name for v in versions]
        for version in versions:
            audit.record(
                actor=actor,
                action=AuditEntry.Action.DELETE,
                obj=version,
                before={"original_name": version.original_name, "version": version.version},
                verb=gettext_noop("remove library file"),
                dialogue_id=owner.dialogue_id,
            )
        LibraryFile.objects.filter(pk__in=[v.pk for v in versions]).delete()
        transaction.on_commit(lambda: _delete_stored(names))


def open_file(*, user: Any, file_id: int | str) -> LibraryFile:
    """The file, for a view to stream, if ``user`` may read its owner; ``Http404`` otherwise.

    Earlier versions are for the people who may change the owner. Missing and forbidden look
    the same.
    """
    try:
        record = LibraryFile.objects.select_related(
            "document__meeting", "document__dialogue", "practice", "profile"
        ).get(pk=int(file_id))
    except (LibraryFile.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    owner = record.owner()
    if isinstance(owner, Document):
        readable = access.can_view(user, owner)
        may_change = is_secretariat(user, owner.dialogue_id)
    elif isinstance(owner, Practice):
        readable = can_read_practice(user, owner)
        may_change = can_work_on_practice(user, owner)
    else:
        readable = can_read_profile(user, owner)
        may_change = can_work_on_profile(user, owner)
    if not readable:
        raise Http404
    if isinstance(owner, CountryProfile) and owner.is_published and not may_change:
        # Readers outside the workflow get the published version only, never a revision.
        if not record.is_published:
            raise Http404
        return record
    if not record.is_current and not may_change:
        raise Http404
    return record


def count_download(*, record: LibraryFile) -> None:
    """One more download of this file (an atomic increment; no audit entry: not a change)."""
    LibraryFile.objects.filter(pk=record.pk).update(downloads=F("downloads") + 1)


# Calls for practices ----------------------------------------------------------------------------


def save_call(
    *,
    actor: Any,
    dialogue: Any,
    call: PracticeCall | None = None,
    topics: Iterable[Topic] | None = None,
    **fields: Any,
) -> PracticeCall:
    require_secretariat(actor, dialogue.pk)
    if call is not None and call.dialogue_id != dialogue.pk:
        raise Http404
    return _save(
        actor=actor,
        obj=call or PracticeCall(dialogue=dialogue),
        changes=fields,
        verb=gettext_noop("save call for practices"),
        dialogue_id=dialogue.pk,
        relations={"topics": topics},
    )


def delete_call(*, actor: Any, call: PracticeCall) -> None:
    require_secretariat(actor, call.dialogue_id)
    _delete(
        actor=actor,
        obj=call,
        verb=gettext_noop("delete call for practices"),
        dialogue_id=call.dialogue_id,
    )


# Practices --------------------------------------------------------------------------------------


def _event(practice: Practice, action: str, actor: Any, comment: str = "") -> PracticeEvent:
    return PracticeEvent.objects.create(
        practice=practice, action=action, actor=_user(actor), comment=comment
    )


def create_practice(
    *,
    actor: Any,
    dialogue: Any,
    country: Any,
    topics: Iterable[Topic] | None = None,
    countries: Iterable[Any] | None = None,
    **fields: Any,
) -> Practice:
    """A contributor or focal point of ``country`` (or the secretariat) drafts a practice."""
    code = getattr(country, "code", None)
    if code is None:
        raise ValidationError({"country": _("Choose the state the practice is from.")})
    if not (state_roles(actor, dialogue.pk, code) or is_secretariat(actor, dialogue.pk)):
        raise PermissionDenied(_("Only the state's contributors and focal points draft practices."))
    with transaction.atomic():
        practice = _save(
            actor=actor,
            obj=Practice(dialogue=dialogue, country=country, created_by=_user(actor)),
            changes=fields,
            verb=gettext_noop("draft practice"),
            dialogue_id=dialogue.pk,
            relations={"topics": topics, "countries": countries},
        )
        _event(practice, PracticeEvent.Action.CREATED, actor)
    return practice


def update_practice(
    *,
    actor: Any,
    practice: Practice,
    topics: Iterable[Topic] | None = None,
    countries: Iterable[Any] | None = None,
    **fields: Any,
) -> Practice:
    """Edit a practice: its state's people while it is a draft or sent back; the secretariat
    at any time (including its access level once published)."""
    if not can_work_on_practice(actor, practice):
        raise PermissionDenied(_("You may not change this practice."))
    secretariat = is_secretariat(actor, practice.dialogue_id)
    if not practice.is_editable() and not secretariat:
        raise ValidationError(
            _("This practice is in review or published; it cannot be changed now.")
        )
    if "country" in fields and not secretariat:
        raise ValidationError({"country": _("Only the secretariat may move it to another state.")})
    if "access_level" in fields and not secretariat:
        raise ValidationError({"access_level": _("Only the secretariat sets who may see it.")})
    return _save(
        actor=actor,
        obj=practice,
        changes=fields,
        verb=gettext_noop("change practice"),
        dialogue_id=practice.dialogue_id,
        relations={"topics": topics, "countries": countries},
    )


def _lock_practice(practice: Practice) -> Practice:
    return Practice.objects.select_for_update().get(pk=practice.pk)


def _practice_step(
    *,
    actor: Any,
    practice: Practice,
    allowed_from: set[str],
    status: str,
    action: str,
    comment: str = "",
    verb: str,
) -> Practice:
    with transaction.atomic():
        locked = _lock_practice(practice)
        if locked.status not in allowed_from:
            raise ValidationError(
                {
                    "status": _("This cannot be done while the practice is “%(status)s”.")
                    % {"status": locked.get_status_display()}
                }
            )
        before = audit.snapshot(locked)
        now = timezone.now()
        locked.status = status
        fields = ["status", "updated_at"]
        locked.updated_at = now
        if status == PracticeStatus.SUBMITTED:
            locked.submitted_at = now
            fields.append("submitted_at")
        if status == PracticeStatus.PUBLISHED:
            locked.published_at = now
            fields.append("published_at")
        locked.save(update_fields=fields)
        _event(locked, action, actor, comment)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=locked,
            before=before,
            after=audit.snapshot(locked),
            verb=verb,
            dialogue_id=locked.dialogue_id,
        )
    return locked


def submit_practice(*, actor: Any, practice: Practice) -> Practice:
    """The state's focal point submits a draft (or a practice sent back) for review."""
    who = access.principal(actor)
    if practice.country_id not in who.countries(practice.dialogue_id, access.FOCAL_POINT):
        raise PermissionDenied(_("Only the state's focal point submits its practices."))
    return _practice_step(
        actor=actor,
        practice=practice,
        allowed_from={PracticeStatus.DRAFT, PracticeStatus.RETURNED},
        status=PracticeStatus.SUBMITTED,
        action=PracticeEvent.Action.SUBMITTED,
        verb=gettext_noop("submit practice"),
    )


def _clean_comment(comment: str, *, required: bool) -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise ValidationError({"comment": _("Say what should change.")})
    if len(comment) > 10000:
        raise ValidationError({"comment": _("Keep the comment under 10,000 characters.")})
    refuse_markup({"comment": comment}, ["comment"])
    return comment


def return_practice(*, actor: Any, practice: Practice, comment: str) -> Practice:
    """The secretariat sends a submitted practice back to the state with comments."""
    require_secretariat(actor, practice.dialogue_id)
    return _practice_step(
        actor=actor,
        practice=practice,
        allowed_from={PracticeStatus.SUBMITTED},
        status=PracticeStatus.RETURNED,
        action=PracticeEvent.Action.RETURNED,
        comment=_clean_comment(comment, required=True),
        verb=gettext_noop("return practice"),
    )


def publish_practice(*, actor: Any, practice: Practice, comment: str = "") -> Practice:
    """The secretariat publishes a submitted practice."""
    require_secretariat(actor, practice.dialogue_id)
    return _practice_step(
        actor=actor,
        practice=practice,
        allowed_from={PracticeStatus.SUBMITTED},
        status=PracticeStatus.PUBLISHED,
        action=PracticeEvent.Action.PUBLISHED,
        comment=_clean_comment(comment, required=False),
        verb=gettext_noop("publish practice"),
    )


def unpublish_practice(*, actor: Any, practice: Practice, comment: str) -> Practice:
    """The secretariat withdraws a published practice and sends it back to the state."""
    require_secretariat(actor, practice.dialogue_id)
    return _practice_step(
        actor=actor,
        practice=practice,
        allowed_from={PracticeStatus.PUBLISHED},
        status=PracticeStatus.RETURNED,
        action=PracticeEvent.Action.UNPUBLISHED,
        comment=_clean_comment(comment, required=True),
        verb=gettext_noop("unpublish practice"),
    )


def delete_practice(*, actor: Any, practice: Practice) -> None:
    """A draft may be deleted by its state's people; any practice by the secretariat."""
    if not is_secretariat(actor, practice.dialogue_id):
        if not can_work_on_practice(actor, practice):
            raise PermissionDenied(_("You may not change this practice."))
        if practice.status != PracticeStatus.DRAFT:
            raise ValidationError(_("Only a draft can be deleted."))
    _delete(
        actor=actor,
        obj=practice,
        verb=gettext_noop("delete practice"),
        dialogue_id=practice.dialogue_id,
    )


# Country profiles -------------------------------------------------------------------------------


# What the state is given and endorses: fixed while it considers a version and once endorsed.
PROFILE_CONTENT = ("country", "kind", "title", "summary", "period")


def _frozen_message(profile: CountryProfile) -> str:
    if profile.status == ProfileStatus.ENDORSED:
        return _("The state has endorsed this version of the profile; it cannot change.")
    return _(
        "The profile is with the state for endorsement; it cannot change until the state answers."
    )


def _require_profile_open(profile: CountryProfile) -> None:
    """Inside a transaction: lock the stored profile (a formal submission waits for the file
    being stored, or the other way round) and refuse while its files are fixed."""
    stored = CountryProfile.objects.select_for_update().get(pk=profile.pk)
    if stored.is_frozen():
        raise ValidationError({"file": _frozen_message(stored)})


def _differs(current: Any, new: Any) -> bool:
    if isinstance(current, TranslatedText) or isinstance(new, dict):
        return dict(to_translated(current)) != dict(to_translated(new))
    if isinstance(current, models.Model):
        return current.pk != getattr(new, "pk", new)
    return bool(current != new)


def save_profile(
    *,
    actor: Any,
    dialogue: Any,
    profile: CountryProfile | None = None,
    topics: Iterable[Topic] | None = None,
    **fields: Any,
) -> CountryProfile:
    """Create or change a profile (the secretariat, which drafts profiles)."""
    require_secretariat(actor, dialogue.pk)
    if profile is not None and profile.dialogue_id != dialogue.pk:
        raise Http404
    if profile is None and fields.get("country") is None:
        raise ValidationError({"country": _("Choose the state.")})
    creating = profile is None
    if profile is not None:
        # Compared with the stored row: a model form has already set its values on ``profile``.
        stored = CountryProfile.objects.get(pk=profile.pk)
        if stored.is_frozen():
            changed = [
                name
                for name in PROFILE_CONTENT
                if name in fields and _differs(getattr(stored, name), fields[name])
            ]
            if changed:
                raise ValidationError({name: _frozen_message(stored) for name in changed})
    with transaction.atomic():
        if (
            creating
            and CountryProfile.objects.filter(
                dialogue=dialogue, country=fields["country"], kind=fields.get("kind", "light")
            ).exists()
        ):
            raise ValidationError(
                {"kind": _("This state already has a profile of this kind; change that one.")}
            )
        saved = _save(
            actor=actor,
            obj=profile or CountryProfile(dialogue=dialogue),
            changes=fields,
            verb=gettext_noop("save country profile"),
            dialogue_id=dialogue.pk,
            relations={"topics": topics},
        )
        if creating:
            ProfileEvent.objects.create(
                profile=saved, action=ProfileEvent.Action.CREATED, actor=_user(actor)
            )
    return saved


@dataclass(frozen=True)
class _Step:
    allowed_from: frozenset[str]
    status: str
    action: str
    verb: str


_SUBMIT = _Step(
    frozenset({ProfileStatus.DRAFT, ProfileStatus.CHANGES_REQUESTED, ProfileStatus.NOT_ENDORSED}),
    ProfileStatus.SUBMITTED,
    ProfileEvent.Action.SUBMITTED,
    gettext_noop("submit country profile"),
)
_ENDORSE = _Step(
    frozenset({ProfileStatus.SUBMITTED}),
    ProfileStatus.ENDORSED,
    ProfileEvent.Action.ENDORSED,
    gettext_noop("endorse country profile"),
)
_REQUEST_CHANGES = _Step(
    frozenset({ProfileStatus.SUBMITTED}),
    ProfileStatus.CHANGES_REQUESTED,
    ProfileEvent.Action.CHANGES_REQUESTED,
    gettext_noop("request changes to country profile"),
)
_PUBLISH_UNENDORSED = _Step(
    frozenset({ProfileStatus.SUBMITTED, ProfileStatus.CHANGES_REQUESTED}),
    ProfileStatus.NOT_ENDORSED,
    ProfileEvent.Action.PUBLISHED_UNENDORSED,
    gettext_noop("publish country profile without endorsement"),
)


def _profile_step(
    *,
    actor: Any,
    profile: CountryProfile,
    step: _Step,
    comment: str = "",
    now: datetime.datetime | None = None,
) -> CountryProfile:
    now = now or timezone.now()
    with transaction.atomic():
        locked = CountryProfile.objects.select_for_update().get(pk=profile.pk)
        if locked.status not in step.allowed_from:
            raise ValidationError(
                {
                    "status": _("This cannot be done while the profile is “%(status)s”.")
                    % {"status": locked.get_status_display()}
                }
            )
        if step is _PUBLISH_UNENDORSED and not locked.may_publish_unendorsed(now):
            due = locked.endorsement_due()
            raise ValidationError(
                {
                    "status": _(
                        "The state has until %(date)s to endorse it; only then may it be "
                        "published without endorsement."
                    )
                    % {"date": due.date().isoformat() if due else "—"}
                }
            )
        if step is _SUBMIT and not locked.files.filter(is_current=True).exists():
            raise ValidationError({"file": _("Attach the profile's file before submitting it.")})
        before = audit.snapshot(locked)
        was_public_unendorsed = locked.is_published and not locked.is_endorsed
        # Files are fixed while the state considers them; after it asked for changes the
        # current files may be a revision it has not been given.
        revising = locked.status == ProfileStatus.CHANGES_REQUESTED
        locked.status = step.status
        locked.updated_at = now
        if step is _SUBMIT:
            locked.submitted_at = now
            locked.endorsed_at = None
        if step is _ENDORSE:
            locked.endorsed_at = now
            locked.published_at = now
        if step is _PUBLISH_UNENDORSED:
            locked.published_at = now
        if step in (_ENDORSE, _PUBLISH_UNENDORSED):
            # The version the state was formally given becomes the one the public sees.
            locked.published_submission_at = locked.submitted_at
            _mark_published_version(locked, as_submitted=revising)
        locked.save(
            update_fields=[
                "status",
                "updated_at",
                "submitted_at",
                "endorsed_at",
                "published_at",
                "published_submission_at",
            ]
        )
        if step is _ENDORSE and was_public_unendorsed:
            ProfileEvent.objects.create(
                profile=locked, action=ProfileEvent.Action.REPLACED, actor=_user(actor), at=now
            )
        ProfileEvent.objects.create(
            profile=locked, action=step.action, actor=_user(actor), comment=comment, at=now
        )
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=locked,
            before=before,
            after=audit.snapshot(locked),
            verb=step.verb,
            dialogue_id=locked.dialogue_id,
        )
    return locked


def _mark_published_version(profile: CountryProfile, *, as_submitted: bool) -> None:
    """Mark the files the public will see: the current ones (files cannot change while the
    state considers them, so these are what it was given), or, when the state had asked for
    changes, per language the newest version stored before the formal submission (a
    revision begun since is not published)."""
    chosen: dict[str, LibraryFile] = {}
    for record in LibraryFile.objects.filter(profile=profile).only(
        "pk", "language", "version", "uploaded_at", "is_current"
    ):
        if as_submitted:
            if profile.submitted_at is None or record.uploaded_at > profile.submitted_at:
                continue
        elif not record.is_current:
            continue
        known = chosen.get(record.language)
        if known is None or record.version > known.version:
            chosen[record.language] = record
    LibraryFile.objects.filter(profile=profile).update(is_published=False)
    LibraryFile.objects.filter(pk__in=[r.pk for r in chosen.values()]).update(is_published=True)


def submit_profile(*, actor: Any, profile: CountryProfile) -> CountryProfile:
    """The secretariat formally submits the profile (its current files) to the state."""
    require_secretariat(actor, profile.dialogue_id)
    return _profile_step(actor=actor, profile=profile, step=_SUBMIT)


def _require_focal_point(actor: Any, profile: CountryProfile) -> None:
    who = access.principal(actor)
    if profile.country_id not in who.countries(profile.dialogue_id, access.FOCAL_POINT):
        raise PermissionDenied(_("Only the state's focal point may answer for the state."))


def endorse_profile(*, actor: Any, profile: CountryProfile, comment: str = "") -> CountryProfile:
    """The state's focal point endorses the submitted profile; it is published as endorsed,
    replacing a version published without endorsement."""
    _require_focal_point(actor, profile)
    return _profile_step(
        actor=actor,
        profile=profile,
        step=_ENDORSE,
        comment=_clean_comment(comment, required=False),
    )


def request_profile_changes(*, actor: Any, profile: CountryProfile, comment: str) -> CountryProfile:
    """The state's focal point asks the secretariat to change the submitted profile."""
    _require_focal_point(actor, profile)
    return _profile_step(
        actor=actor,
        profile=profile,
        step=_REQUEST_CHANGES,
        comment=_clean_comment(comment, required=True),
    )


def publish_profile_unendorsed(
    *, actor: Any, profile: CountryProfile, now: datetime.datetime | None = None
) -> CountryProfile:
    """Three months after formal submission without endorsement, the secretariat may publish
    the profile marked "not endorsed by the state"."""
    require_secretariat(actor, profile.dialogue_id)
    return _profile_step(actor=actor, profile=profile, step=_PUBLISH_UNENDORSED, now=now)


def delete_profile(*, actor: Any, profile: CountryProfile) -> None:
    require_secretariat(actor, profile.dialogue_id)
    if profile.is_published:
        raise ValidationError(_("A published profile stays on record; it cannot be deleted."))
    _delete(
        actor=actor,
        obj=profile,
        verb=gettext_noop("delete country profile"),
        dialogue_id=profile.dialogue_id,
    )


def default_access_level_for(document_meeting: Any) -> str:
    """A document linked to a meeting follows it unless set; otherwise it is public."""
    return AccessLevel.INHERIT if document_meeting is not None else AccessLevel.PUBLIC
