"""Choice labels are indexed in every language, whatever language the indexing runs in."""

from __future__ import annotations

from django.utils import translation

from dialogos.plans.models import PlanItem
from dialogos.search.registry import choice_labels, label_words


def test_a_choice_label_in_every_language_from_any_active_language() -> None:
    for active in ("en", "ru"):
        with translation.override(active):
            assert choice_labels("pillar", PlanItem.Kind.choices) == {
                "en": "Pillar",
                "ru": "Направление",
            }
            assert label_words("pillar", PlanItem.Kind.choices) == "Pillar Направление"


def test_an_unknown_choice_has_no_label() -> None:
    assert choice_labels("nothing", PlanItem.Kind.choices) == {}
    assert label_words("nothing", PlanItem.Kind.choices) == ""
