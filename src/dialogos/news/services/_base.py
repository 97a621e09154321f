"""Helpers shared by the news services (not part of their public interface)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from dialogos.core import access


def require_secretariat(actor: Any, dialogue_id: int | None) -> None:
    """Let the dialogue's secretariat (or an operator) through; refuse everyone else.

    Platform-wide items (no dialogue) are the operator's.
    """
    if not access.principal(actor).is_secretariat(dialogue_id):
        raise PermissionDenied(_("Only the secretariat of this dialogue may do this."))
