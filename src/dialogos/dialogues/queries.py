"""Reads for the public dialogue pages: each runs a fixed number of queries, whatever the size.

The functions take the dialogue (and the user, where access applies) and return plain
structures for templates. Visibility of bodies is always decided by ``core.access``.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from dialogos.core import access
from dialogos.core.models import Country
from dialogos.dialogues.models import (
    Body,
    BodyMembership,
    Dialogue,
    Grouping,
    GroupingMembership,
    Office,
    Organisation,
    Participation,
)

OFFICE_ORDER = {kind: index for index, kind in enumerate(Office.Kind.values)}
LEADING_OFFICES = (Office.Kind.CHAIR, Office.Kind.CO_CHAIR, Office.Kind.SECRETARIAT)


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def sort_key(text: Any) -> tuple[str, str]:
    """A key that sorts names as a reader expects in English and Russian.

    Case is folded; Latin letters lose their accents (Türkiye before Turkmenistan) while
    Cyrillic letters keep theirs (й is a letter of its own), except that ё sorts as its base letter.
    """
    folded = str(text).casefold()
    plain = []
    for char in folded:
        if _is_cyrillic(char):
            plain.append("е" if char == "ё" else char)
            continue
        decomposed = unicodedata.normalize("NFD", char)
        plain.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(plain), folded


def holder_name(holder: Country | Organisation | None) -> str:
    if isinstance(holder, Organisation):
        return holder.display_name()
    return str(holder or "")


def by_holder(rows: Iterable[Any]) -> list[Any]:
    return sorted(rows, key=lambda row: sort_key(holder_name(row.holder)))


def _current_q(prefix: str, on: datetime.date) -> Q:
    return (Q(**{f"{prefix}start__isnull": True}) | Q(**{f"{prefix}start__lte": on})) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on})
    )


# Home -----------------------------------------------------------------------------------


def dialogues_for_home() -> list[Dialogue]:
    """Every dialogue in its order, each with ``state_count``: its participating states today.

    The states are counted in a second, narrow query: a GROUP BY over every dialogue column
    costs far more than it saves.
    """
    today = timezone.localdate()
    dialogues = list(Dialogue.objects.order_by("order", "slug"))
    counts = dict(
        Participation.objects.filter(
            dialogue__in=[d.pk for d in dialogues],
            status=Participation.Status.PARTICIPATING,
            country__isnull=False,
        )
        .filter(_current_q("", today))
        .order_by()
        .values_list("dialogue_id")
        .annotate(n=Count("id"))
    )
    for dialogue in dialogues:
        dialogue.state_count = counts.get(dialogue.pk, 0)  # type: ignore[attr-defined]
    return dialogues


# One dialogue ---------------------------------------------------------------------------


def dialogue_queryset() -> QuerySet[Dialogue]:
    return Dialogue.objects.select_related("programme", "secretariat_host")


def visible_bodies(user: Any, dialogue: Dialogue) -> QuerySet[Body]:
    return access.visible(user, Body.objects.filter(dialogue=dialogue).order_by("order", "slug"))


@dataclass
class Counts:
    states: int = 0
    observers: int = 0
    partners: int = 0
    bodies: int = 0


def dialogue_counts(user: Any, dialogue: Dialogue) -> Counts:
    """Current participating states, observers and partners, and the bodies the user sees."""
    status = Participation.Status
    totals = (
        Participation.objects.filter(dialogue=dialogue)
        .current()
        .aggregate(
            states=Count("pk", filter=Q(status=status.PARTICIPATING, country__isnull=False)),
            observers=Count("pk", filter=Q(status=status.OBSERVER)),
            partners=Count("pk", filter=Q(status=status.PARTNER)),
        )
    )
    return Counts(bodies=visible_bodies(user, dialogue).count(), **totals)


def leading_offices(dialogue: Dialogue) -> list[Office]:
    """The dialogue's chair, co-chair and secretariat today, in that order."""
    offices = (
        Office.objects.filter(dialogue=dialogue, body__isnull=True, kind__in=LEADING_OFFICES)
        .order_by()
        .current()
        .select_related("country", "organisation")
    )
    return sorted(offices, key=lambda o: (OFFICE_ORDER[o.kind], sort_key(holder_name(o.holder))))


# States ---------------------------------------------------------------------------------


@dataclass
class StateGroup:
    grouping: Grouping | None
    states: list[Country] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.states)


@dataclass
class StatesOverview:
    groups: list[StateGroup]
    total: int
    observers: list[Participation]
    partners: list[Participation]


def states_overview(dialogue: Dialogue) -> StatesOverview:
    """Participating states by the dialogue's groupings (a state may sit in several), then
    the states in none of them, then observers and partner organisations."""
    today = timezone.localdate()
    participations = list(
        Participation.objects.filter(dialogue=dialogue)
        .order_by()  # sorted by name below; the model's ordering would only add joins
        .current(today)
        .select_related("country", "organisation")
    )
    states = {
        p.country_id: p.country
        for p in participations
        if p.status == Participation.Status.PARTICIPATING and p.country is not None
    }
    groupings = list(dialogue.groupings.order_by("order", "slug"))
    members = (
        GroupingMembership.objects.current(today)
        .filter(grouping__dialogues=dialogue)
        .order_by()
        .values_list("grouping_id", "country_id")
    )
    by_grouping: dict[int, list[Country]] = {g.pk: [] for g in groupings}
    grouped: set[str] = set()
    for grouping_id, country_id in members:
        if country_id not in states:
            continue  # a member of the grouping that does not take part in this dialogue
        by_grouping[grouping_id].append(states[country_id])
        grouped.add(country_id)

    def sorted_states(countries: Iterable[Country]) -> list[Country]:
        return sorted(countries, key=lambda c: sort_key(c.name))

    groups = [StateGroup(g, sorted_states(by_grouping[g.pk])) for g in groupings]
    groups = [group for group in groups if group.states]
    others = [country for code, country in states.items() if code not in grouped]
    if others:
        groups.append(StateGroup(None, sorted_states(others)))
    return StatesOverview(
        groups=groups,
        total=len(states),
        observers=by_holder(p for p in participations if p.status == Participation.Status.OBSERVER),
        partners=by_holder(p for p in participations if p.status == Participation.Status.PARTNER),
    )


# Governance and bodies ------------------------------------------------------------------


@dataclass
class OfficeHistory:
    current: list[Office]
    upcoming: list[Office]
    past: list[Office]


def _office_history(offices: Iterable[Office]) -> OfficeHistory:
    today = timezone.localdate()
    current, upcoming, past = [], [], []
    for office in offices:
        if office.end is not None and office.end < today:
            past.append(office)
        elif office.start is not None and office.start > today:
            upcoming.append(office)
        else:
            current.append(office)

    def rank(office: Office) -> tuple[int, int, tuple[str, str]]:
        body_order = office.body.order if office.body is not None else -1
        return OFFICE_ORDER[office.kind], body_order, sort_key(holder_name(office.holder))

    current.sort(key=rank)
    upcoming.sort(key=lambda o: (o.start or datetime.date.max, rank(o)))
    past.sort(key=rank)
    past.sort(key=lambda o: o.end or datetime.date.min, reverse=True)  # stable: ties keep rank
    return OfficeHistory(current, upcoming, past)


def _memberships(user: Any, rows: QuerySet[BodyMembership]) -> QuerySet[BodyMembership]:
    """Seats on bodies the user may see (a seat may be more restricted than its body)."""
    return access.visible(user, rows.select_related("country", "organisation"))


def _current_members(user: Any) -> Prefetch[Any]:
    rows = _memberships(user, BodyMembership.objects.order_by().current())
    return Prefetch("memberships", queryset=rows, to_attr="current_members")


@dataclass
class Governance:
    offices: OfficeHistory
    bodies: list[Body]


def governance(user: Any, dialogue: Dialogue) -> Governance:
    """The dialogue's offices (those of bodies the user may not see left out) and its
    visible bodies, each with ``current_members`` sorted by name."""
    bodies = list(visible_bodies(user, dialogue).prefetch_related(_current_members(user)))
    for body in bodies:
        body.current_members = by_holder(body.current_members)  # type: ignore[attr-defined]
    seen_bodies = visible_bodies(user, dialogue).values("pk")
    offices = (
        Office.objects.filter(Q(body__isnull=True) | Q(body__in=seen_bodies), dialogue=dialogue)
        .order_by()
        .select_related("country", "organisation", "body")
    )
    return Governance(offices=_office_history(offices), bodies=bodies)


@dataclass
class BodyDetail:
    current_members: list[BodyMembership]
    upcoming_members: list[BodyMembership]
    past_members: list[BodyMembership]
    offices: OfficeHistory


def body_detail(user: Any, body: Body) -> BodyDetail:
    """Members and offices of a body the caller has already checked the user may see."""
    today = timezone.localdate()
    memberships = by_holder(_memberships(user, BodyMembership.objects.filter(body=body).order_by()))
    past = [m for m in memberships if m.end is not None and m.end < today]
    past.sort(key=lambda m: m.end or datetime.date.min, reverse=True)
    offices = (
        Office.objects.filter(body=body)
        .order_by()
        .select_related("country", "organisation", "body")
    )
    return BodyDetail(
        current_members=[m for m in memberships if m.is_current(today)],
        upcoming_members=[m for m in memberships if m.start is not None and m.start > today],
        past_members=past,
        offices=_office_history(offices),
    )
