"""Values the site layout needs on every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dialogos.core import access

# Workspace sections of the later apps: each shows when its ``<app>_workspace:index`` exists.
WORKSPACE_SECTIONS = [
    ("library", _("Library")),
    ("texts", _("Outcome texts")),
    ("plans", _("Action plans")),
    ("projects", _("Projects")),
    ("news", _("News")),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``show_workspace``: whether the user runs some dialogue (or all, as operator).

    A callable, so templates that never ask cost no query.
    """

    def show_workspace() -> bool:
        managed = access.managed_dialogue_ids(getattr(request, "user", None))
        return managed is None or bool(managed)

    return {"show_workspace": show_workspace, "workspace_sections": WORKSPACE_SECTIONS}
