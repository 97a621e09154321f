"""Writes on news items and their pictures, and news drafted from a change of schedule."""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dialogos.core import audit
from dialogos.core.i18n import TranslatedText, language_codes, to_translated
from dialogos.core.models import AccessLevel, AuditEntry
from dialogos.dialogues.models import Dialogue
from dialogos.library.models import Document
from dialogos.meetings.models import Meeting, ScheduleDecision
from dialogos.news import images
from dialogos.news.models import NewsImage, NewsItem, Topic
from dialogos.news.search import schedule_indexing
from dialogos.news.services._base import require_secretariat
from dialogos.projects.models import Project

TEXT_FIELDS = ("title", "lead", "body")
SIMPLE_FIELDS = ("status", "published_at", "access_level", "is_example")
ITEM_LEVELS = (AccessLevel.PUBLIC, AccessLevel.MEMBERS, AccessLevel.SECRETARIAT)


def save_news_item(
    *,
    actor: Any,
    dialogue: Dialogue | None = None,
    item: NewsItem | None = None,
    topics: list[Topic] | None = None,
    meetings: list[Meeting] | None = None,
    documents: list[Document] | None = None,
    projects: list[Project] | None = None,
    **changes: Any,
) -> NewsItem:
    """Create an item (``dialogue`` given) or change ``item``: all or nothing, audited.

    ``status=published`` without a publication date publishes now; a date in the future
    schedules it. ``topics``, ``meetings``, ``documents`` and ``projects`` replace the item's
    links when given; linked objects must belong to the item's dialogue.
    """
    creating = item is None
    if item is None:
        item = NewsItem(dialogue=dialogue, author=actor if _is_user(actor) else None)
    require_secretariat(actor, item.dialogue_id)
    unknown = set(changes) - set(TEXT_FIELDS) - set(SIMPLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field is not known.") for name in sorted(unknown)})
    for name in TEXT_FIELDS:
        if name in changes:
            changes[name] = to_translated(changes[name])
    level = changes.get("access_level")
    if level is not None and level not in ITEM_LEVELS:
        raise ValidationError({"access_level": _("Choose public, members or secretariat.")})
    if meetings is not None:
        foreign = [m for m in meetings if m.dialogue_id != item.dialogue_id]
        if foreign:
            raise ValidationError({"meetings": _("Link only meetings of the item's own dialogue.")})
    with transaction.atomic():
        before = None if creating else audit.snapshot(NewsItem.objects.get(pk=item.pk))
        for name, value in changes.items():
            setattr(item, name, value)
        if item.status == NewsItem.Status.PUBLISHED and item.published_at is None:
            item.published_at = timezone.now()
        item.slug = item.make_slug()
        item.full_clean(exclude=["topics", "meetings", "author", "schedule_decision"])
        item.save()
        if topics is not None:
            item.topics.set(topics)
        if meetings is not None:
            item.meetings.set(meetings)
        if documents is not None:
            item.documents.set(documents)
        if projects is not None:
            item.projects.set(projects)
        schedule_indexing(item)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
            obj=item,
            before=before,
            after=audit.snapshot(item),
            verb="news item written" if creating else "news item changed",
            dialogue_id=item.dialogue_id,
        )
    return item


def delete_news_item(*, actor: Any, item: NewsItem) -> None:
    require_secretariat(actor, item.dialogue_id)
    paths = [p for image in item.images.all() for p in (image.large.name, image.small.name)]
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=item,
            before=audit.snapshot(item),
            verb="news item deleted",
            dialogue_id=item.dialogue_id,
        )
        item.delete()
        transaction.on_commit(lambda: _delete_files(paths))


def add_news_image(
    *,
    actor: Any,
    item: NewsItem,
    upload: IO[bytes],
    alt: Any,
    credit: Any = None,
    size: int | None = None,
) -> NewsImage:
    """Check the picture, store its renditions (no metadata) and attach it to ``item``.

    Nothing is stored when the picture or its text alternative is refused.
    """
    require_secretariat(actor, item.dialogue_id)
    alt_text = to_translated(alt)
    if not alt_text:
        raise ValidationError({"alt": _("Describe the picture for people who cannot see it.")})
    processed = images.process(upload, size=size)
    image = NewsImage(
        item=item,
        alt=alt_text,
        credit=to_translated(credit),
        content_type=processed.content_type,
        width=processed.renditions["large"].width,
        height=processed.renditions["large"].height,
        small_width=processed.renditions["small"].width,
        small_height=processed.renditions["small"].height,
        sha256=processed.sha256,
        order=item.images.count(),
    )
    image.full_clean(exclude=["large", "small", "item"])
    stored: list[str] = []
    try:
        with transaction.atomic():
            for name in ("large", "small"):
                field = getattr(image, name)
                field.save(
                    f"{name}.{processed.extension}",
                    ContentFile(processed.renditions[name].data),
                    save=False,
                )
                stored.append(field.name)
            image.save()
            _touch(item.pk)
            audit.record(
                actor=actor,
                action=AuditEntry.Action.CREATE,
                obj=image,
                after=audit.snapshot(image),
                verb="news picture added",
                dialogue_id=item.dialogue_id,
            )
    except Exception:
        _delete_files(stored)
        raise
    return image


def update_news_image(*, actor: Any, image: NewsImage, alt: Any, credit: Any) -> NewsImage:
    require_secretariat(actor, image.item.dialogue_id)
    alt_text = to_translated(alt)
    if not alt_text:
        raise ValidationError({"alt": _("Describe the picture for people who cannot see it.")})
    with transaction.atomic():
        before = audit.snapshot(image)
        image.alt = alt_text
        image.credit = to_translated(credit)
        image.full_clean(exclude=["large", "small", "item"])
        image.save(update_fields=["alt", "credit"])
        _touch(image.item_id)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=image,
            before=before,
            after=audit.snapshot(image),
            verb="news picture changed",
            dialogue_id=image.item.dialogue_id,
        )
    return image


def remove_news_image(*, actor: Any, image: NewsImage) -> None:
    require_secretariat(actor, image.item.dialogue_id)
    paths = [image.large.name, image.small.name]
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=image,
            before=audit.snapshot(image),
            verb="news picture removed",
            dialogue_id=image.item.dialogue_id,
        )
        image.delete()
        _touch(image.item_id)
        transaction.on_commit(lambda: _delete_files(paths))


def _touch(item_id: int) -> None:
    """A picture changed: the item's ``updated_at`` moves, so its cached list entry (which
    shows the first picture) and feed entry are rendered afresh."""
    NewsItem.objects.filter(pk=item_id).update(updated_at=timezone.now())


def _delete_files(paths: list[str]) -> None:
    for path in paths:
        if path:
            default_storage.delete(path)


def _is_user(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


# From a change of schedule -----------------------------------------------------------------


def pending_announcements(dialogue: Dialogue) -> list[ScheduleDecision]:
    """Decisions of ``dialogue`` with a draft announcement not yet turned into news."""
    return list(
        ScheduleDecision.objects.filter(dialogue=dialogue, news_item__isnull=True)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def _decision_title(decision: ScheduleDecision, languages: list[str]) -> TranslatedText:
    title = TranslatedText()
    for code in languages:
        with translation.override(code):
            title[code] = _("%(change)s: meetings of %(dialogue)s") % {
                "change": decision.get_action_display(),
                "dialogue": decision.dialogue.short_name.get_text(code)
                or decision.dialogue.name.get_text(code),
            }
    return title


def draft_news_from_decision(*, actor: Any, decision: ScheduleDecision) -> NewsItem:
    """Turn the decision's draft announcement into a draft news item — once.

    A second call returns the item made the first time; the link is kept on the item.
    """
    require_secretariat(actor, decision.dialogue_id)
    with transaction.atomic():
        locked = (
            ScheduleDecision.objects.select_for_update()
            .select_related("dialogue")
            .get(pk=decision.pk)
        )
        existing = NewsItem.objects.filter(schedule_decision=locked).first()
        if existing is not None:
            return existing
        languages = [c for c in locked.dialogue.languages if c in language_codes()]
        announcement = to_translated(locked.announcement)
        body_languages = [c for c in languages if announcement.get(c)] or languages
        item = NewsItem(
            dialogue=locked.dialogue,
            title=_decision_title(locked, body_languages),
            lead=to_translated(locked.reason),
            body=announcement,
            status=NewsItem.Status.DRAFT,
            schedule_decision=locked,
            author=actor if _is_user(actor) else None,
        )
        item.slug = item.make_slug()
        item.full_clean(exclude=["topics", "meetings", "author", "schedule_decision"])
        item.save()
        item.meetings.set(Meeting.objects.filter(schedule_changes__decision=locked).distinct())
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=item,
            after=audit.snapshot(item),
            verb="news drafted from a change of schedule",
            dialogue_id=item.dialogue_id,
        )
    return item
