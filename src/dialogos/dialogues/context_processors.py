"""Values the site layout needs on every page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from dialogos.core import access


def navigation(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    """``show_workspace``: whether the user runs some dialogue (or all, as operator).

    A callable, so templates that never ask cost no query.
    """

    def show_workspace() -> bool:
        managed = access.managed_dialogue_ids(getattr(request, "user", None))
        return managed is None or bool(managed)

    return {"show_workspace": show_workspace}
