"""Every ISO 3166-1 state plus Kosovo, with English and Russian names from pycountry."""

from __future__ import annotations

import gettext
from typing import Any

import pycountry

# Names a state was known by, or is often written as, that search and imports must recognise.
OTHER_NAMES: dict[str, list[str]] = {
    "TR": ["Turkey", "Republic of Turkey", "Турецкая Республика"],
    "MK": ["Macedonia", "Former Yugoslav Republic of Macedonia", "Македония"],
    "SZ": ["Swaziland", "Свазиленд"],
    "CZ": ["Czech Republic", "Чешская Республика"],
    "MD": ["Moldova", "Молдавия"],
    "RU": ["Russia", "Россия"],
    "BY": ["Byelorussia", "Белоруссия"],
    "KG": ["Kirghizia", "Киргизия"],
    "CV": ["Cape Verde"],
    "CI": ["Ivory Coast"],
    "MM": ["Burma", "Бирма"],
    "TL": ["East Timor"],
}

KOSOVO = {
    "code": "XK",
    "alpha3": "XKX",
    "name": {"en": "Kosovo", "ru": "Косово"},
    "official_name": {},
    "other_names": [],
}


def country_rows() -> list[dict[str, Any]]:
    ru = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    rows = []
    for c in pycountry.countries:
        common = getattr(c, "common_name", None)
        name_en = common or c.name
        name_ru = ru.gettext(c.name)
        if "," in c.name and common:
            name_ru = ru.gettext(common)
        official = getattr(c, "official_name", None)
        others = set(OTHER_NAMES.get(c.alpha_2, []))
        for variant in (c.name, official):
            if variant and variant != name_en:
                others.add(variant)
        rows.append(
            {
                "code": c.alpha_2,
                "alpha3": c.alpha_3,
                "name": {"en": name_en, "ru": name_ru},
                "official_name": {"en": official, "ru": ru.gettext(official)} if official else {},
                "other_names": sorted(others),
            }
        )
    rows.append(KOSOVO)
    return rows


def sync_countries(model: Any) -> int:
    """Create or update every country; returns how many rows changed."""
    existing = {c.code: c for c in model.objects.all()}
    changed = 0
    for row in country_rows():
        obj = existing.get(row["code"])
        if obj is None:
            model.objects.create(**row)
            changed += 1
            continue
        if any(getattr(obj, k) != v for k, v in row.items() if k != "code"):
            for k, v in row.items():
                setattr(obj, k, v)
            obj.save()
            changed += 1
    return changed
