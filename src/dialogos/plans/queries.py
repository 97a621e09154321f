"""Reads over plans shared by the pages and the API, each in a fixed number of queries.

``plan_tree`` loads a whole plan (items, states, links, indicators with their latest values)
in six queries whatever its size, narrows it to what the user may see, applies the filters
and returns rows in tree order with the markup needed to nest them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from dialogos.core import access
from dialogos.core.i18n import TranslatedText
from dialogos.core.models import Country
from dialogos.dialogues.models import Dialogue
from dialogos.library.views import visible_documents, visible_practices
from dialogos.meetings.models import Meeting
from dialogos.plans.models import (
    PATH_STEP,
    ActionPlan,
    Indicator,
    IndicatorValue,
    ItemLink,
    ItemState,
    PlanItem,
    ProgressStatus,
)


@dataclass(frozen=True)
class TreeFilters:
    """What a visitor asked the tree for; unknown values are ignored, never an error."""

    state: str = ""
    pillar: int | None = None

    @classmethod
    def from_query(cls, params: Any) -> TreeFilters:
        state = str(params.get("state", "") or "").strip().upper()
        pillar_text = str(params.get("pillar", "") or "").strip()
        return cls(
            state=state if len(state) == 2 and state.isalpha() else "",
            pillar=int(pillar_text) if pillar_text.isdecimal() and len(pillar_text) < 10 else None,
        )

    @property
    def narrowed(self) -> bool:
        return bool(self.state or self.pillar)


@dataclass
class IndicatorRow:
    indicator: Indicator
    latest: IndicatorValue | None = None
    state_values: list[IndicatorValue] = field(default_factory=list)


@dataclass(slots=True)
class Node:
    """One item as the tree shows it: plain values, no model instance (a plan may have
    thousands of items, and building model instances was most of the page's time)."""

    pk: int
    parent_id: int | None
    path: str
    depth: int
    kind: str
    code: str
    title: TranslatedText
    description: TranslatedText
    weight: int
    progress: Decimal
    position: int
    status: ProgressStatus | None
    access_level: str

    def get_kind_display(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    def __str__(self) -> str:
        return f"{self.code} {self.title}" if self.code else str(self.title)


KIND_LABELS = dict(PlanItem.Kind.choices)


@dataclass
class TreeRow:
    item: Node
    leads: list[Country] = field(default_factory=list)
    co_leads: list[Country] = field(default_factory=list)
    participants: list[Country] = field(default_factory=list)
    links: list[ItemLink] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    has_children: bool = False


@dataclass
class PlanTree:
    plan: ActionPlan
    rows: list[TreeRow]
    pillars: list[Node]
    states: list[Country]
    statuses: list[ProgressStatus]
    total: int


def visible_plans(user: Any) -> QuerySet[ActionPlan]:
    return access.visible(user, ActionPlan.objects.all()).with_listing_data()  # type: ignore[attr-defined]


def dialogues_with_plans(user: Any) -> list[tuple[Dialogue, list[ActionPlan]]]:
    """Every dialogue with a plan the user may see, with those plans (one query)."""
    grouped: dict[int, tuple[Dialogue, list[ActionPlan]]] = {}
    for plan in visible_plans(user).order_by("dialogue__order", "dialogue__slug", "order"):
        grouped.setdefault(plan.dialogue_id, (plan.dialogue, []))[1].append(plan)
    return list(grouped.values())


def current_plan(plans: list[ActionPlan]) -> ActionPlan | None:
    """The plan a dialogue's page shows first: the first not superseded, else the first."""
    for plan in plans:
        if plan.status != ActionPlan.Status.SUPERSEDED:
            return plan
    return plans[0] if plans else None


NODE_FIELDS = (
    "pk",
    "parent_id",
    "path",
    "depth",
    "kind",
    "code",
    "title",
    "description",
    "weight",
    "progress",
    "status_id",
    "access_level",
    "position",
)


def plan_tree(user: Any, plan: ActionPlan, filters: TreeFilters | None = None) -> PlanTree:
    """The visible items of ``plan`` in tree order, with what the page shows of each, in a
    fixed number of queries."""
    filters = filters or TreeFilters()
    statuses = list(ProgressStatus.objects.filter(dialogue_id=plan.dialogue_id))
    status_by_id = {s.pk: s for s in statuses}
    # An item whose ancestor is hidden stays hidden: walk in path order, keep shown paths.
    shown: dict[str, Node] = {}
    for values in (
        access.visible(user, PlanItem.objects.filter(plan=plan))
        .order_by("path")
        .values_list(*NODE_FIELDS)
    ):
        pk, parent_id, path, depth, kind, code, title, description, weight, progress = values[:10]
        node = Node(
            pk=pk,
            parent_id=parent_id,
            path=path,
            depth=depth,
            kind=kind,
            code=code,
            title=title,
            description=description,
            weight=weight,
            progress=progress,
            position=values[12],
            status=status_by_id.get(values[10]) if values[10] else None,
            access_level=values[11],
        )
        if node.depth == 0 or node.path[:-PATH_STEP] in shown:
            shown[node.path] = node
    items = list(shown.values())
    by_id = {item.pk: item for item in items}
    roles: dict[int, list[tuple[str, str]]] = defaultdict(list)
    codes: set[str] = set()
    for item_id, code, role in (
        ItemState.objects.filter(item__plan=plan)
        .order_by("pk")
        .values_list("item_id", "country_id", "role")
    ):
        if item_id in by_id:
            roles[item_id].append((code, role))
            codes.add(code)
    countries = {c.code: c for c in Country.objects.filter(code__in=codes)}
    meetings = access.visible(user, Meeting.objects.filter(dialogue_id=plan.dialogue_id))
    links: dict[int, list[ItemLink]] = defaultdict(list)
    for link in (
        ItemLink.objects.filter(item__plan=plan)
        .filter(
            Q(meeting__isnull=True, document__isnull=True, practice__isnull=True)
            | Q(meeting__in=meetings.values("pk"))
            | Q(document__in=visible_documents(user).values("pk"))
            | Q(practice__in=visible_practices(user).values("pk"))
        )
        .select_related("meeting", "document", "practice")
    ):
        links[link.item_id].append(link)
    indicators: dict[int, list[IndicatorRow]] = defaultdict(list)
    indicator_rows: dict[int, IndicatorRow] = {}
    for indicator in Indicator.objects.filter(item__plan=plan):
        row = IndicatorRow(indicator=indicator)
        indicators[indicator.item_id].append(row)
        indicator_rows[indicator.pk] = row
    for value in IndicatorValue.objects.filter(indicator__item__plan=plan).order_by(
        "indicator_id", "-on", "-pk"
    ):
        row = indicator_rows[value.indicator_id]
        if value.country_id is None:
            if row.latest is None:
                row.latest = value
        elif all(v.country_id != value.country_id for v in row.state_values):
            row.state_values.append(value)

    # Filters: a pillar's subtree; a state's items with their ancestors for context.
    selected = items
    if filters.pillar is not None:
        root = by_id.get(filters.pillar)
        selected = [i for i in selected if root is not None and i.path.startswith(root.path)]
    if filters.state:
        keep: set[str] = set()
        for item in selected:
            if any(code == filters.state for code, _role in roles.get(item.pk, ())):
                keep.update(item.path[: n * PATH_STEP] for n in range(1, item.depth + 2))
        selected = [i for i in selected if i.path in keep]

    parents = {i.parent_id for i in items}
    rows: list[TreeRow] = []
    lead, co_lead = ItemState.Role.LEAD, ItemState.Role.CO_LEAD
    for item in selected:
        item_roles = roles.get(item.pk, ())
        tree_row = TreeRow(
            item=item,
            links=links.get(item.pk, []),
            indicators=indicators.get(item.pk, []),
            has_children=item.pk in parents,
        )
        for code, role in item_roles:
            if role == lead:
                tree_row.leads.append(countries[code])
            elif role == co_lead:
                tree_row.co_leads.append(countries[code])
            else:
                tree_row.participants.append(countries[code])
        rows.append(tree_row)
    return PlanTree(
        plan=plan,
        rows=rows,
        pillars=[i for i in items if i.depth == 0],
        states=sorted(countries.values(), key=lambda c: str(c.name).casefold()),
        statuses=statuses,
        total=len(items),
    )


@dataclass(slots=True)
class ItemSummary:
    """What a state's page shows of an item: plain values, no model instance."""

    pk: int
    code: str
    title: TranslatedText
    progress: Decimal


@dataclass
class StateCommitment:
    item: ItemSummary
    role: str
    role_label: str
    reported: ProgressStatus | None
    reported_at: Any
    ancestors: list[ItemSummary]


def _shown_items(user: Any, plan: ActionPlan) -> dict[str, tuple[int, int, ItemSummary]]:
    """The items the user may see under visible ancestors only, by path: (pk, depth, summary)
    in one query of plain values."""
    shown: dict[str, tuple[int, int, ItemSummary]] = {}
    for pk, path, depth, code, title, progress in (
        access.visible(user, PlanItem.objects.filter(plan=plan))
        .order_by("path")
        .values_list("pk", "path", "depth", "code", "title", "progress")
    ):
        if depth == 0 or path[:-PATH_STEP] in shown:
            shown[path] = (pk, depth, ItemSummary(pk, code, title, progress))
    return shown


def state_commitments(
    user: Any, plan: ActionPlan, code: str, shown: dict[str, Any] | None = None
) -> list[StateCommitment]:
    """The items in which a state takes part, with what it last reported (three queries)."""
    shown = shown if shown is not None else _shown_items(user, plan)
    by_pk = {pk: (path, depth, summary) for path, (pk, depth, summary) in shown.items()}
    statuses = {s.pk: s for s in ProgressStatus.objects.filter(dialogue_id=plan.dialogue_id)}
    roles = dict(ItemState.Role.choices)
    result = []
    for item_id, role, status_id, reported_at in (
        ItemState.objects.filter(item__plan=plan, country_id=code)
        .order_by("item__path", "pk")
        .values_list("item_id", "role", "status_id", "reported_at")
    ):
        found = by_pk.get(item_id)
        if found is None:
            continue  # hidden, or under a hidden item
        path, depth, summary = found
        ancestors = [shown[path[: n * PATH_STEP]][2] for n in range(1, depth + 1)]
        result.append(
            StateCommitment(
                item=summary,
                role=role,
                role_label=str(roles.get(role, role)),
                reported=statuses.get(status_id) if status_id else None,
                reported_at=reported_at,
                ancestors=ancestors,
            )
        )
    return result


def state_values(
    user: Any, plan: ActionPlan, code: str, shown: dict[str, Any] | None = None
) -> list[IndicatorValue]:
    """The state's values of indicators on items the user may see, under visible items only
    (two queries)."""
    items = shown if shown is not None else _shown_items(user, plan)
    visible = {pk for pk, _depth, _summary in items.values()}
    values = (
        IndicatorValue.objects.filter(indicator__item__plan=plan, country_id=code)
        .select_related("indicator", "indicator__item")
        .order_by("indicator__item__path", "indicator__order", "-on")
    )
    return [v for v in values if v.indicator.item_id in visible]


def state_page(
    user: Any, plan: ActionPlan, code: str
) -> tuple[list[StateCommitment], list[IndicatorValue]]:
    """A state's commitments and indicator values, reading the plan's items once."""
    shown = _shown_items(user, plan)
    return state_commitments(user, plan, code, shown), state_values(user, plan, code, shown)


def mean_progress(commitments: list[StateCommitment]) -> Decimal:
    values = [Decimal(c.reported.progress) for c in commitments if c.reported is not None]
    if not values:
        return Decimal(0)
    return (sum(values) / Decimal(len(values))).quantize(Decimal("0.01"))


def my_reports_q(user: Any) -> Q:
    """Reports of the states for which the user is a focal point or contributor."""
    who = access.principal(user)
    q = Q(pk__in=[])
    for dialogue_id, role, code in who.grants:
        if role in (access.FOCAL_POINT, access.CONTRIBUTOR) and code:
            q |= Q(cycle__plan__dialogue_id=dialogue_id, country_id=code)
    return q
