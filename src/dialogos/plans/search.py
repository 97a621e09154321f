"""How action plans and their items appear in search.

A plan: title and summary, period, the meeting that adopted it. An item: its number, title and
description, kind, the plan's title, and the states that lead it or take part (so searching a
state's name finds its commitments). An item's access is the strictest of its own effective
level and its ancestors' (the plan page hides everything under a hidden item).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dialogos.core.models import AccessLevel
from dialogos.plans.models import PATH_STEP, ActionPlan, PlanItem
from dialogos.search.registry import (
    IndexEntry,
    Source,
    effective_access,
    effective_dialogue_id,
    label_words,
    languages_of,
    register,
    texts,
    urls_for,
)

STRICTNESS = [AccessLevel.PUBLIC, AccessLevel.MEMBERS, AccessLevel.GROUP, AccessLevel.SECRETARIAT]


class PlanSource(Source[ActionPlan]):
    kind = "plan"
    label = _("Action plans")
    model = ActionPlan

    def queryset(self) -> QuerySet[ActionPlan]:
        return ActionPlan.objects.select_related("dialogue", "meeting")

    def entry(self, obj: ActionPlan) -> IndexEntry:
        return IndexEntry(
            title=dict(obj.title),
            body=texts(obj.summary, obj.meeting.title if obj.meeting else None),
            url=urls_for("plans:plan", obj.dialogue.slug, obj.slug),
            dialogue_id=effective_dialogue_id(obj),
            access=effective_access(obj),
            date=obj.adopted_on,
            languages=languages_of(obj.title, obj.summary) or [obj.dialogue.main_language],
            keywords=f"{obj.period} " + " ".join(texts(obj.dialogue.name).values()),
        )


class PlanItemSource(Source[PlanItem]):
    kind = "plan_item"
    label = _("Plan items")
    model = PlanItem
    parents = {"plans.ActionPlan": "plan", "plans.PlanItem": "parent"}
    contents = {"plans.ItemState": "item"}

    def queryset(self) -> QuerySet[PlanItem]:
        return PlanItem.objects.select_related("plan", "plan__dialogue").prefetch_related("states")

    def _access(self, obj: PlanItem) -> str:
        level = effective_access(obj)
        prefixes = [obj.path[: n * PATH_STEP] for n in range(1, obj.depth + 1)]
        ancestors = PlanItem.objects.filter(plan_id=obj.plan_id, path__in=prefixes)
        for ancestor in ancestors:
            ancestor.plan = obj.plan
            other = effective_access(ancestor)
            if STRICTNESS.index(AccessLevel(other)) > STRICTNESS.index(AccessLevel(level)):
                level = other
        return level

    def entry(self, obj: PlanItem) -> IndexEntry:
        plan = obj.plan
        urls = {
            code: f"{url}#item-{obj.pk}"
            for code, url in urls_for("plans:plan", plan.dialogue.slug, plan.slug).items()
        }
        title = {code: f"{obj.code} {text}".strip() for code, text in obj.title.items() if text}
        return IndexEntry(
            title=title,
            body=texts(obj.description, plan.title),
            url=urls,
            dialogue_id=effective_dialogue_id(obj),
            access=self._access(obj),
            countries=[s.country_id for s in obj.states.all()],
            languages=languages_of(obj.title, obj.description) or [plan.dialogue.main_language],
            keywords=label_words(obj.kind, PlanItem.Kind.choices),
        )


register(PlanSource())
register(PlanItemSource())
