from __future__ import annotations

from typing import Any

from django.utils import translation

from dialogos.core.models import Country


def test_every_iso_state_and_kosovo_is_there(db: Any) -> None:
    assert Country.objects.count() == 250
    assert str(Country.objects.get(code="XK").name) == "Kosovo"


def test_names_are_current_and_translated(db: Any) -> None:
    turkiye = Country.objects.get(code="TR")
    assert turkiye.name["en"] == "Türkiye"
    assert turkiye.name["ru"] == "Турция"
    assert "Turkey" in turkiye.other_names
    with translation.override("ru"):
        assert str(Country.objects.get(code="LT").name) == "Литва"
        assert str(Country.objects.get(code="XK").name) == "Косово"
    assert str(Country.objects.get(code="MD").name) == "Moldova"
