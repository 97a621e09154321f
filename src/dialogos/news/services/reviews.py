"""The quarterly review: an issue gathers its period's news, meetings (and, later,
publications); the secretariat edits, orders and introduces it, then publishes and sends it."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogos.core import access, audit
from dialogos.core.i18n import TranslatedText, to_translated
from dialogos.core.models import AuditEntry
from dialogos.dialogues.models import Dialogue
from dialogos.library.models import Document
from dialogos.meetings.models import Meeting
from dialogos.news.models import Dispatch, NewsItem, ReviewEntry, ReviewIssue, Subscriber
from dialogos.news.services import sending
from dialogos.news.services._base import require_secretariat

UPCOMING_DAYS = 183
Section = ReviewEntry.Section


def _check_period(start: Any, end: Any) -> None:
    if not isinstance(start, datetime.date) or not isinstance(end, datetime.date):
        raise ValidationError({"period_start": _("Enter the first and last day of the period.")})
    if end < start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    if (end - start).days > 400:
        raise ValidationError({"period_end": _("A review covers at most about a year.")})


def create_review_issue(
    *,
    actor: Any,
    dialogue: Dialogue,
    title: Any,
    period_start: datetime.date,
    period_end: datetime.date,
    introduction: Any = None,
) -> ReviewIssue:
    """Open an issue for a period and gather what happened in it."""
    require_secretariat(actor, dialogue.pk)
    _check_period(period_start, period_end)
    issue = ReviewIssue(
        dialogue=dialogue,
        title=to_translated(title),
        period_start=period_start,
        period_end=period_end,
        introduction=to_translated(introduction),
    )
    issue.full_clean()
    with transaction.atomic():
        issue.save()
        _gather(issue)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=issue,
            after=audit.snapshot(issue),
            verb="review issue opened",
        )
    return issue


def update_review_issue(*, actor: Any, issue: ReviewIssue, **changes: Any) -> ReviewIssue:
    require_secretariat(actor, issue.dialogue_id)
    allowed = {"title", "introduction", "period_start", "period_end"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: _("This field is not known.") for name in sorted(unknown)})
    for name in ("title", "introduction"):
        if name in changes:
            changes[name] = to_translated(changes[name])
    _check_period(
        changes.get("period_start", issue.period_start), changes.get("period_end", issue.period_end)
    )
    with transaction.atomic():
        before = audit.snapshot(ReviewIssue.objects.get(pk=issue.pk))
        for name, value in changes.items():
            setattr(issue, name, value)
        issue.full_clean()
        issue.save(update_fields=list(changes) or None)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=issue,
            before=before,
            after=audit.snapshot(issue),
            verb="review issue changed",
        )
    return issue


def gather_review(*, actor: Any, issue: ReviewIssue) -> int:
    """Add what the period holds and the issue lacks (edited entries stay as they are)."""
    require_secretariat(actor, issue.dialogue_id)
    with transaction.atomic():
        added = _gather(issue)
        audit.record(
            actor=actor,
            action=AuditEntry.Action.OTHER,
            obj=issue,
            after={"added": added},
            verb="review issue gathered",
        )
    return added


def _gather(issue: ReviewIssue) -> int:
    """Public, published news of the period; public meetings held in it and coming after it;
    public documents of the library dated in it."""
    public = AnonymousUser()
    low = datetime.datetime.combine(issue.period_start, datetime.time.min, tzinfo=datetime.UTC)
    high = datetime.datetime.combine(
        issue.period_end + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC
    )
    news = access.visible(
        public,
        NewsItem.objects.published()
        .for_dialogue(issue.dialogue)
        .between(issue.period_start, issue.period_end),
    ).order_by("published_at", "pk")
    meetings = access.visible(public, Meeting.objects.filter(dialogue=issue.dialogue)).exclude(
        status=Meeting.Status.CANCELLED
    )
    held = meetings.filter(start__gte=low, start__lt=high).order_by("start", "pk")
    upcoming = meetings.filter(
        start__gte=high, start__lt=high + datetime.timedelta(days=UPCOMING_DAYS)
    ).order_by("start", "pk")
    documents = (
        access.visible(public, Document.objects.in_dialogue(issue.dialogue.slug))
        .filter(date__gte=issue.period_start, date__lte=issue.period_end)
        .order_by("date", "pk")
    )
    have_documents = set(issue.entries.exclude(document=None).values_list("document_id", flat=True))
    have_news = set(issue.entries.exclude(news_item=None).values_list("news_item_id", flat=True))
    have_meetings = set(issue.entries.exclude(meeting=None).values_list("section", "meeting_id"))
    top = issue.entries.aggregate(top=Max("order"))["top"] or 0
    rows: list[ReviewEntry] = []
    for item in news:
        if item.pk in have_news:
            continue
        top += 1
        rows.append(
            ReviewEntry(
                issue=issue,
                section=Section.NEWS,
                order=top,
                news_item=item,
                title=item.title,
                summary=item.lead,
            )
        )
    for section, qs in ((Section.HELD, held), (Section.UPCOMING, upcoming)):
        for meeting in qs:
            if (section, meeting.pk) in have_meetings:
                continue
            top += 1
            rows.append(
                ReviewEntry(
                    issue=issue,
                    section=section,
                    order=top,
                    meeting=meeting,
                    title=meeting.title,
                    summary=to_translated(getattr(meeting, "objectives", None)),
                )
            )
    for document in documents:
        if document.pk in have_documents:
            continue
        top += 1
        rows.append(
            ReviewEntry(
                issue=issue,
                section=Section.PUBLICATIONS,
                order=top,
                document=document,
                title=document.title,
                summary=_first_paragraph(document.summary),
            )
        )
    ReviewEntry.objects.bulk_create(rows)
    return len(rows)


def _first_paragraph(text: Any) -> TranslatedText:
    """The first paragraph of each language, cut to what an entry's summary holds."""
    value = to_translated(text)
    return TranslatedText(
        {code: body.strip().split("\n\n")[0][:1000] for code, body in value.items() if body}
    )


def update_review_entry(*, actor: Any, entry: ReviewEntry, title: Any, summary: Any) -> ReviewEntry:
    require_secretariat(actor, entry.issue.dialogue_id)
    with transaction.atomic():
        before = audit.snapshot(entry)
        entry.title = to_translated(title)
        entry.summary = to_translated(summary)
        entry.full_clean()
        entry.save(update_fields=["title", "summary"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=entry,
            before=before,
            after=audit.snapshot(entry),
            verb="review entry changed",
            dialogue_id=entry.issue.dialogue_id,
        )
    return entry


def move_review_entry(*, actor: Any, entry: ReviewEntry, direction: str) -> None:
    """Swap the entry with its neighbour above (``up``) or below (``down``) in its section."""
    require_secretariat(actor, entry.issue.dialogue_id)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Move an entry up or down.")})
    with transaction.atomic():
        siblings = list(
            ReviewEntry.objects.select_for_update()
            .filter(issue_id=entry.issue_id, section=entry.section)
            .order_by("order", "pk")
        )
        index = next(i for i, e in enumerate(siblings) if e.pk == entry.pk)
        other = index - 1 if direction == "up" else index + 1
        if other < 0 or other >= len(siblings):
            return
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, sibling in enumerate(siblings, start=1):
            sibling.order = position
        ReviewEntry.objects.bulk_update(siblings, ["order"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=entry,
            after={"moved": direction},
            verb="review entry moved",
            dialogue_id=entry.issue.dialogue_id,
        )


def remove_review_entry(*, actor: Any, entry: ReviewEntry) -> None:
    require_secretariat(actor, entry.issue.dialogue_id)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=entry,
            before=audit.snapshot(entry),
            verb="review entry removed",
            dialogue_id=entry.issue.dialogue_id,
        )
        entry.delete()


def publish_review_issue(*, actor: Any, issue: ReviewIssue, send: bool = True) -> int:
    """Publish the issue in the web archive and (``send``) queue it to every active subscriber
    of its dialogue; returns how many e-mails were queued. Sending twice queues nobody twice."""
    require_secretariat(actor, issue.dialogue_id)
    if not issue.entries.exists() and not issue.introduction:
        raise ValidationError(
            _("The issue is empty: gather its contents or write an introduction.")
        )
    with transaction.atomic():
        locked = ReviewIssue.objects.select_for_update().get(pk=issue.pk)
        before = audit.snapshot(locked)
        now = timezone.now()
        locked.status = ReviewIssue.Status.PUBLISHED
        locked.published_at = locked.published_at or now
        queued = 0
        if send:
            queued = sending.queue_issue(locked)
            locked.sending = ReviewIssue.Sending.SENDING
            locked.send_started_at = locked.send_started_at or now
            locked.send_finished_at = None
        locked.save(
            update_fields=[
                "status",
                "published_at",
                "sending",
                "send_started_at",
                "send_finished_at",
            ]
        )
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=locked,
            before=before,
            after={**(audit.snapshot(locked) or {}), "queued": queued},
            verb="review issue published and sent" if send else "review issue published",
        )
        if send:
            transaction.on_commit(lambda: sending.enqueue(locked.pk))
    issue.refresh_from_db()
    return queued


def retry_failed(*, actor: Any, issue: ReviewIssue, uncertain: bool = False) -> int:
    """Put failed e-mails (and, with ``uncertain``, those a dead worker left in the hands of
    the mail server) back in the queue; returns how many."""
    require_secretariat(actor, issue.dialogue_id)
    statuses = [Dispatch.Status.FAILED]
    if uncertain:
        statuses.append(Dispatch.Status.SENDING)
    with transaction.atomic():
        count = Dispatch.objects.filter(
            issue=issue, status__in=statuses, subscriber__status=Subscriber.Status.ACTIVE
        ).update(status=Dispatch.Status.PENDING, claim="", claimed_at=None)
        if count:
            ReviewIssue.objects.filter(pk=issue.pk).update(
                sending=ReviewIssue.Sending.SENDING, send_finished_at=None
            )
        audit.record(
            actor=actor,
            action=AuditEntry.Action.OTHER,
            obj=issue,
            after={"requeued": count, "uncertain": uncertain},
            verb="review e-mails queued again",
        )
        transaction.on_commit(lambda: sending.enqueue(issue.pk))
    return count


def resume_sending(*, actor: Any, issue: ReviewIssue) -> int:
    """After a worker died: free its claims and start a sender again (nothing goes twice)."""
    require_secretariat(actor, issue.dialogue_id)
    freed = sending.release_stale_claims(issue.pk, force=True)
    audit.record(
        actor=actor,
        action=AuditEntry.Action.OTHER,
        obj=issue,
        after={"released": freed},
        verb="review sending resumed",
    )
    sending.enqueue(issue.pk)
    return freed
