"""Rendered plan trees kept until the content changes, shared by everyone who sees the same.

A 2,000-item tree costs about 160 ms of CPU to read and render; the public cache in front of
the pages serves only visitors without cookies. Here the rendered tree (page fragment, API
body, state page) is kept per plan, language, filters and *visibility class*, keyed on the
content version (``core.cache.cached_until_change``), so signed-in readers get it fast too.

The visibility class is computed from ``core.access.principal`` and names exactly what
decides which rows of the tree a reader sees:

- for the plan's dialogue and each dialogue whose meetings, documents or practices the plan
  links to: secretariat (``s``), member (``m``) or neither;
- the platform operator sees everything (``operator``);
- a reader who is neither member nor secretariat of any of those dialogues sees what an
  anonymous visitor sees, so shares the ``public`` class.

A linked object kept within a named group depends on the person, not on roles: a plan with
such links is never shared between signed-in readers (``None``: computed for each request).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Q

from dialogos.core import access
from dialogos.core.cache import cached_until_change
from dialogos.core.models import AccessLevel
from dialogos.plans.models import ActionPlan, ItemLink

T = TypeVar("T")

PUBLIC = "public"
OPERATOR = "operator"


@dataclass(frozen=True)
class Dependencies:
    """What the visibility of a plan's tree depends on besides the plan's own dialogue."""

    dialogues: tuple[int, ...]
    groups: bool


def _dependencies(plan: ActionPlan) -> Dependencies:
    links = ItemLink.objects.filter(item__plan=plan).exclude(
        meeting__isnull=True, document__isnull=True, practice__isnull=True
    )
    dialogues = {plan.dialogue_id}
    for row in links.values_list(
        "meeting__dialogue_id",
        "document__dialogue_id",
        "document__meeting__dialogue_id",
        "practice__dialogue_id",
    ):
        dialogues.update(d for d in row if d is not None)
    group = AccessLevel.GROUP
    groups = links.filter(
        Q(meeting__access_level=group)
        | Q(document__access_level=group)
        | Q(document__access_level=AccessLevel.INHERIT, document__meeting__access_level=group)
        | Q(practice__access_level=group)
    ).exists()
    return Dependencies(dialogues=tuple(sorted(dialogues)), groups=groups)


def dependencies(plan: ActionPlan) -> Dependencies:
    return cached_until_change(f"plans:deps:{plan.pk}", lambda: _dependencies(plan))


def visibility_class(user: Any, plan: ActionPlan) -> str | None:
    """The class of readers who see exactly the same tree of ``plan`` as ``user``; ``None``
    when what the user sees depends on the person (see the module's notes)."""
    who = access.principal(user)
    if who.is_operator:
        return OPERATOR
    if not who.is_authenticated:
        return PUBLIC
    deps = dependencies(plan)
    if deps.groups:
        return None
    parts = []
    for dialogue_id in deps.dialogues:
        if who.is_secretariat(dialogue_id):
            parts.append(f"{dialogue_id}s")
        elif who.is_member(dialogue_id):
            parts.append(f"{dialogue_id}m")
    return ",".join(parts) or PUBLIC


def roles_class(user: Any) -> str:
    """What decides which *plans* a user sees (a plan is public, for members or for the
    secretariat of its dialogue; no plan has a named group): operator, or the dialogues of
    which the user is secretariat and member."""
    who = access.principal(user)
    if who.is_operator:
        return OPERATOR
    if not who.is_authenticated or not who.member_of:
        return PUBLIC
    return f"s{sorted(who.secretariat_of)}m{sorted(who.member_of)}"


def shared(user: Any, plan: ActionPlan, key: str, compute: Callable[[], T]) -> T:
    """``compute()``, shared by the readers of the user's visibility class until the content
    changes (``key`` names everything else it depends on: page, language, filters)."""
    klass = visibility_class(user, plan)
    if klass is None:
        return compute()
    return cached_until_change(f"plans:{plan.pk}:{klass}:{key}", compute)
