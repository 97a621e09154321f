"""The one place that decides who may see and change what.

Every surface — pages, API, search, feeds, calendars, exports, files, e-mails — asks here.
Rights come only from roles the secretariat grants (``people.Role``); offices such as chair
or component lead never grant visibility by themselves.

To outsiders "not found" and "not allowed" look the same: helpers raise ``Http404``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import Http404

from dialogos.core.models import AccessLevel, Protected

P = TypeVar("P", bound=models.Model)

SECRETARIAT = "secretariat"
FOCAL_POINT = "focal_point"
CONTRIBUTOR = "contributor"
DELEGATE = "delegate"

_CACHE_ATTR = "_dialogos_principal"
MAX_INHERIT_DEPTH = 6


@dataclass(frozen=True)
class Principal:
    """What a user is, for access decisions, computed once per request."""

    user_id: int | None = None
    is_operator: bool = False
    member_of: frozenset[int] = frozenset()
    secretariat_of: frozenset[int] = frozenset()
    # (dialogue_id, role, country_code) for every active role.
    grants: frozenset[tuple[int, str, str]] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def is_member(self, dialogue_id: int | None) -> bool:
        if self.is_operator:
            return True
        if dialogue_id is None:
            return bool(self.member_of)
        return dialogue_id in self.member_of

    def is_secretariat(self, dialogue_id: int | None) -> bool:
        if self.is_operator:
            return True
        if dialogue_id is None:
            return False
        return dialogue_id in self.secretariat_of

    def countries(self, dialogue_id: int, role: str) -> set[str]:
        return {c for d, r, c in self.grants if d == dialogue_id and r == role and c}


ANONYMOUS = Principal()


def principal(user: Any) -> Principal:
    """The access principal of a user (anonymous, operator or member), cached on the user."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if not user.is_active:
        result = ANONYMOUS
    else:
        rows = list(
            user.dialogue_roles.filter(revoked_at__isnull=True).values_list(
                "dialogue_id", "role", "country_id"
            )
        )
        result = Principal(
            user_id=user.pk,
            is_operator=bool(user.is_superuser),
            member_of=frozenset(d for d, _r, _c in rows),
            secretariat_of=frozenset(d for d, r, _c in rows if r == SECRETARIAT),
            grants=frozenset((d, r, c or "") for d, r, c in rows),
        )
    setattr(user, _CACHE_ATTR, result)
    return result


def forget(user: Any) -> None:
    """Drop the cached principal after the user's roles changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def effective_level(obj: Protected) -> tuple[str, Protected]:
    """The level that applies to ``obj`` and the object that sets it (itself or an ancestor)."""
    current: Protected | None = obj
    for _depth in range(MAX_INHERIT_DEPTH):
        if current is None:
            break
        if current.access_level != AccessLevel.INHERIT:
            return current.access_level, current
        current = current.access_parent()
    # An orphan that inherits, or a chain too deep: the safest level.
    return AccessLevel.SECRETARIAT, obj


def _group_contains(obj: Protected, who: Principal) -> bool:
    if who.user_id is None:
        return False
    return (
        type(obj)._default_manager.filter(type(obj).access_group_q(who.user_id), pk=obj.pk).exists()
    )


def can_view(user: Any, obj: Protected) -> bool:
    who = principal(user)
    if who.is_operator:
        return True
    level, source = effective_level(obj)
    dialogue_id = source.access_dialogue_id()
    if level == AccessLevel.PUBLIC:
        return True
    if who.is_secretariat(dialogue_id):
        return True
    if level == AccessLevel.MEMBERS:
        return who.is_member(dialogue_id)
    if level == AccessLevel.GROUP:
        return _group_contains(source, who)
    return False


def can_change(user: Any, obj: Protected | models.Model) -> bool:
    """Changing is the secretariat's (or the operator's) right in the object's dialogue."""
    who = principal(user)
    if who.is_operator:
        return True
    if isinstance(obj, Protected):
        return who.is_secretariat(obj.access_dialogue_id())
    dialogue_id = getattr(obj, "dialogue_id", None)
    if dialogue_id is None and getattr(obj, "_meta", None) and obj._meta.model_name == "dialogue":
        dialogue_id = obj.pk
    return who.is_secretariat(dialogue_id)


def _level_q(model: type[Protected], who: Principal, prefix: str, depth: int) -> Q:
    """The condition under which rows of ``model`` (reached through ``prefix``) are visible."""
    level = f"{prefix}access_level"
    dialogue_path = model.access_dialogue_path
    q = Q(**{level: AccessLevel.PUBLIC})
    if who.is_authenticated and dialogue_path is not None:
        dialogue = f"{prefix}{dialogue_path}"
        if who.secretariat_of:
            q |= Q(**{f"{dialogue}__in": who.secretariat_of})
        if who.member_of:
            q |= Q(**{level: AccessLevel.MEMBERS, f"{dialogue}__in": who.member_of})
    if who.user_id is not None:
        group_ids = model._default_manager.filter(model.access_group_q(who.user_id)).values("pk")
        q |= Q(**{level: AccessLevel.GROUP, f"{prefix}pk__in": group_ids})
    parent_path = model.access_parent_path
    if parent_path is not None and depth < MAX_INHERIT_DEPTH:
        parent_model = model._meta.get_field(parent_path).related_model
        assert isinstance(parent_model, type) and issubclass(parent_model, Protected)
        q |= Q(**{level: AccessLevel.INHERIT}) & _level_q(
            parent_model, who, f"{prefix}{parent_path}__", depth + 1
        )
    return q


def visible(user: Any, queryset: models.QuerySet[P]) -> models.QuerySet[P]:
    """Only the rows of ``queryset`` the user may see."""
    model = queryset.model
    if not issubclass(model, Protected):
        return queryset
    who = principal(user)
    if who.is_operator:
        return queryset
    return queryset.filter(_level_q(model, who, "", 0))


def get_visible_or_404(user: Any, queryset: models.QuerySet[P], **lookup: Any) -> P:
    """The object, if it exists and the user may see it; otherwise 404 either way."""
    try:
        obj = queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if isinstance(obj, Protected) and not can_view(user, obj):
        raise Http404
    return obj


def require_secretariat(user: Any, dialogue_id: int) -> Principal:
    """Let the secretariat of a dialogue (or an operator) through; 404 for everyone else."""
    who = principal(user)
    if not who.is_secretariat(dialogue_id):
        raise Http404
    return who


def managed_dialogue_ids(user: Any) -> frozenset[int] | None:
    """Dialogues the user runs as secretariat; ``None`` means all (platform operator)."""
    who = principal(user)
    if who.is_operator:
        return None
    return who.secretariat_of
