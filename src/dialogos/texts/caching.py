"""Rendered public text pages kept until the content changes, shared by readers who see the
same texts.

What a reader may see of texts is decided by ``core.access`` from the reader's active roles
alone: public texts for everyone, members' texts for the dialogue's members, the
secretariat's for its secretariat, and a text's ``group`` for the accounts holding a role in
the dialogue for a state it went to. So the *visibility class* is the set of (dialogue,
secretariat or member, state) of the reader's roles; a reader without roles sees what an
anonymous visitor sees (``public``), an operator everything (``operator``). The value is
keyed on the content version (``core.cache.cached_until_change``): any audited change,
including a role granted or revoked, shows at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from dialogos.core import access
from dialogos.core.cache import cached_until_change

T = TypeVar("T")

PUBLIC = "public"
OPERATOR = "operator"


def visibility_class(user: Any) -> str:
    who = access.principal(user)
    if who.is_operator:
        return OPERATOR
    parts = {
        f"{dialogue_id}{'s' if role == access.SECRETARIAT else 'm'}{country}"
        for dialogue_id, role, country in who.grants
    }
    return ",".join(sorted(parts)) or PUBLIC


def shared(user: Any, key: str, compute: Callable[[], T]) -> T:
    """``compute()``, shared by the readers of the user's visibility class until the content
    changes; ``key`` names everything else it depends on (page, language, parameters)."""
    return cached_until_change(f"texts:{visibility_class(user)}:{key}", compute)
