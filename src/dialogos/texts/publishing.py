"""Handing an adopted text to the library: a ``library.Document`` with its adoption record.

The full text, paragraph by paragraph, stays on the text's own public page; the document
records it in the library (type, title, date, meeting, summary with the adoption record) and
points back to that page. Called inside the adopting service's transaction.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from dialogos.core import audit
from dialogos.core.i18n import TranslatedText, language_codes, to_translated
from dialogos.core.models import AccessLevel, AuditEntry
from dialogos.library.models import Document, DocumentType
from dialogos.texts.models import OutcomeText

KIND_TO_TYPE: dict[str, str] = {
    OutcomeText.Kind.DECLARATION: DocumentType.DECLARATION,
    OutcomeText.Kind.CONCLUSIONS: DocumentType.CONCLUSIONS,
    OutcomeText.Kind.ACTION_PLAN: DocumentType.ACTION_PLAN,
    OutcomeText.Kind.JOINT_STATEMENT: DocumentType.DECLARATION,
}


def adoption_record(text: OutcomeText, language: str) -> str:
    """One sentence: when and how the text was adopted, in ``language``."""
    with translation.override(language):
        when = timezone.localtime(text.adopted_at).date() if text.adopted_at else None
        date = formats.date_format(when, "j E Y") if when else ""
        version = text.adopted_version.number if text.adopted_version else 0
        if text.adoption_method == OutcomeText.Method.MEETING and text.adopted_at_meeting:
            line = _("Adopted on %(date)s at %(meeting)s (version %(version)d).") % {
                "date": date,
                "meeting": to_translated(text.adopted_at_meeting.title).get_text(language),
                "version": version,
            }
        else:
            line = _(
                "Adopted on %(date)s by silence procedure: no state objected by the deadline "
                "(version %(version)d)."
            ) % {"date": date, "version": version}
        note = to_translated(text.adoption_note).get_text(language, fallback=False)
        return f"{line}\n\n{note}".strip()


def publish_adopted(*, actor: Any, text: OutcomeText) -> Document:
    """Create or refresh the library's document of an adopted text."""
    summary = TranslatedText({code: adoption_record(text, code) for code in language_codes()})
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("texts:detail", kwargs={"pk": text.pk})
    values = {
        "dialogue_id": text.dialogue_id,
        "type": KIND_TO_TYPE.get(text.kind, str(DocumentType.OTHER)),
        "title": to_translated(text.title),
        "summary": summary,
        "date": timezone.localtime(text.adopted_at or timezone.now()).date(),
        "meeting": text.adopted_at_meeting,
        "source_url": f"{settings.SITE_URL}{path}",
        "access_level": (
            AccessLevel.PUBLIC if text.access_level == AccessLevel.PUBLIC else AccessLevel.MEMBERS
        ),
        "is_example": text.is_example,
        "updated_at": timezone.now(),
    }
    document = text.document
    if document is None:
        # The library may already hold this text (entered by hand or by its own demo data).
        document = (
            Document.objects.filter(
                dialogue_id=text.dialogue_id,
                type=values["type"],
                meeting=text.adopted_at_meeting,
                title__en=text.title.get("en", ""),
            )
            .order_by("pk")
            .first()
            if text.title.get("en")
            else None
        )
    if (
        document is not None
        and text.document_id == document.pk
        and all(
            getattr(document, name) == value
            for name, value in values.items()
            if name != "updated_at"
        )
    ):
        return document  # already up to date: no write, no audit entry
    before = None if document is None else audit.snapshot(document)
    if document is None:
        document = Document(**values)
    else:
        for name, value in values.items():
            setattr(document, name, value)
    document.full_clean()
    document.save()
    if text.document_id != document.pk:
        OutcomeText.objects.filter(pk=text.pk).update(document=document)
        text.document = document
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE if before is None else AuditEntry.Action.UPDATE,
        obj=document,
        before=before,
        after=audit.snapshot(document),
        verb="publish adopted text",
        dialogue_id=text.dialogue_id,
    )
    return document
