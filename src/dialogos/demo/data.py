"""Demo data: facts from the project's seed text and domain notes, each with its source.

Where a source gives only a year or an attested date, the office term says so in its note.
Accounts and people are example data and are marked as such.
"""

from __future__ import annotations

import datetime
from typing import Any

D = datetime.date

DEMO_PASSWORD = "dialogos-demo-2026"  # noqa: S105 — printed and documented on purpose

# (e-mail, name, role per dialogue slug: [(role, country code or "")], superuser)
DEMO_ACCOUNTS: list[tuple[str, str, list[tuple[str, str, str]], bool]] = [
    ("operator@dialogos.example", "Platform operator (example)", [], True),
    (
        "secretariat@dialogos.example",
        "Secretariat officer (example)",
        [("prague-process", "secretariat", ""), ("budapest-process", "secretariat", "")],
        False,
    ),
    (
        "focal.point@dialogos.example",
        "Focal point of Czechia (example)",
        [("prague-process", "focal_point", "CZ")],
        False,
    ),
    (
        "contributor@dialogos.example",
        "Contributor for Czechia (example)",
        [("prague-process", "contributor", "CZ")],
        False,
    ),
    (
        "delegate@dialogos.example",
        "Delegate of Lithuania (example)",
        [("prague-process", "delegate", "LT")],
        False,
    ),
    ("visitor@dialogos.example", "Account without a role (example)", [], False),
]

ORGANISATIONS: list[dict[str, Any]] = [
    {
        "slug": "mpf",
        "acronym": "MPF",
        "kind": "programme",
        "name": {
            "en": "Migration Partnership Facility",
            "ru": "Механизм миграционного партнёрства",
        },
        "description": {
            "en": "Through the MPF, the EU facilitates migration dialogues between Member States "
            "and the Western Balkans, the Middle East, Central Asia, the Silk Routes and South "
            "Asia by supporting the Prague Process and the Budapest Process.",
            "ru": "Через MPF ЕС содействует диалогам по вопросам миграции между государствами-"
            "членами и Западными Балканами, Ближним Востоком, Центральной Азией, странами "
            "Шёлкового пути и Южной Азией, поддерживая Пражский и Будапештский процессы.",
        },
    },
    {
        "slug": "icmpd",
        "acronym": "ICMPD",
        "kind": "international",
        "country": "AT",
        "name": {
            "en": "International Centre for Migration Policy Development",
            "ru": "Международный центр по развитию миграционной политики",
        },
    },
    {
        "slug": "european-commission",
        "acronym": "EC",
        "kind": "eu",
        "name": {"en": "European Commission", "ru": "Европейская комиссия"},
    },
    {
        "slug": "euaa",
        "acronym": "EUAA",
        "kind": "eu",
        "name": {
            "en": "European Union Agency for Asylum",
            "ru": "Агентство ЕС по вопросам убежища",
        },
    },
    {
        "slug": "iom",
        "acronym": "IOM",
        "kind": "international",
        "name": {
            "en": "International Organization for Migration",
            "ru": "Международная организация по миграции",
        },
    },
    {
        "slug": "ilo",
        "acronym": "ILO",
        "kind": "international",
        "name": {
            "en": "International Labour Organization",
            "ru": "Международная организация труда",
        },
    },
]

EU_ACCESSIONS = {
    D(1958, 1, 1): "BE DE FR IT LU NL",
    D(1973, 1, 1): "DK IE",
    D(1981, 1, 1): "GR",
    D(1986, 1, 1): "ES PT",
    D(1995, 1, 1): "AT FI SE",
    D(2004, 5, 1): "CY CZ EE HU LV LT MT PL SK SI",
    D(2007, 1, 1): "BG RO",
    D(2013, 7, 1): "HR",
}
SCHENGEN_ENTRIES = {
    D(1995, 3, 26): "BE DE FR LU NL ES PT",
    D(1997, 10, 26): "IT",
    D(1997, 12, 1): "AT",
    D(2000, 1, 1): "GR",
    D(2001, 3, 25): "DK FI SE IS NO",
    D(2007, 12, 21): "CZ EE HU LV LT MT PL SK SI",
    D(2008, 12, 12): "CH",
    D(2011, 12, 19): "LI",
    D(2023, 1, 1): "HR",
    D(2025, 1, 1): "BG RO",
}

# slug, name, kind, order, members: {code: (start, end)} — None means "not recorded".
GROUPINGS: list[dict[str, Any]] = [
    {
        "slug": "eu",
        "name": {"en": "European Union", "ru": "Европейский союз"},
        "kind": "union",
        "order": 10,
        "members": {
            **{c: (d, None) for d, codes in EU_ACCESSIONS.items() for c in codes.split()},
            "GB": (D(1973, 1, 1), D(2020, 1, 31)),
        },
    },
    {
        "slug": "schengen",
        "name": {"en": "Schengen area", "ru": "Шенгенская зона"},
        "kind": "union",
        "order": 20,
        "description": {"en": "Dates are those of full application of the Schengen rules."},
        "members": {c: (d, None) for d, codes in SCHENGEN_ENTRIES.items() for c in codes.split()},
    },
    {
        "slug": "eastern-partnership",
        "name": {"en": "Eastern Partnership", "ru": "Восточное партнёрство"},
        "kind": "partnership",
        "order": 30,
        "members": {c: (D(2009, 5, 7), None) for c in ["AM", "AZ", "BY", "GE", "MD", "UA"]},
    },
    {
        "slug": "western-balkans",
        "name": {"en": "Western Balkans", "ru": "Западные Балканы"},
        "kind": "region",
        "order": 40,
        "members": dict.fromkeys(["AL", "BA", "XK", "ME", "MK", "RS"], (None, None)),
    },
    {
        "slug": "central-asia",
        "name": {"en": "Central Asia", "ru": "Центральная Азия"},
        "kind": "region",
        "order": 50,
        "members": dict.fromkeys(["KZ", "KG", "TJ", "TM", "UZ"], (None, None)),
    },
    {
        "slug": "silk-routes",
        "name": {"en": "Silk Routes", "ru": "Шёлковый путь"},
        "kind": "region",
        "order": 60,
        "description": {
            "en": "States named by the sources as hosting Migrant Resource Centres of the "
            "Budapest Process; the secretariat completes the list."
        },
        "members": dict.fromkeys(["AF", "BD", "IQ", "PK"], (None, None)),
    },
    {
        "slug": "south-asia",
        "name": {"en": "South Asia", "ru": "Южная Азия"},
        "kind": "region",
        "order": 70,
        "description": {
            "en": "The member states of the South Asian Association for Regional Cooperation."
        },
        "members": dict.fromkeys(["AF", "BD", "BT", "IN", "MV", "NP", "PK", "LK"], (None, None)),
    },
    {
        "slug": "middle-east",
        "name": {"en": "Middle East", "ru": "Ближний Восток"},
        "kind": "region",
        "order": 80,
        "description": {
            "en": "A region the MPF names; its states are for the secretariat to enter."
        },
        "members": {},
    },
]

PRAGUE_DESCRIPTION = {
    "en": (
        "The Prague Process is a targeted migration dialogue and a policy process promoting "
        "migration partnerships among the countries of the European Union, Schengen area, Eastern "
        "Partnership, Western Balkans, Central Asian, as well as Türkiye.\n\n"
        "MPF supports the implementation of the PP Action Plan 2023-2027 through sustaining the "
        "three pillars of work and through four Thematic Components led by different Prague "
        "Process participating states.\n\n"
        "The list of participating states here is derived from the groupings the dialogue names; "
        "the secretariat keeps it current."
    ),
    "ru": (
        "Пражский процесс — целевой диалог по вопросам миграции и политический процесс, "
        "содействующий миграционным партнёрствам между странами Европейского союза, Шенгенской "
        "зоны, Восточного партнёрства, Западных Балкан, Центральной Азии, а также Турцией.\n\n"
        "MPF поддерживает выполнение Плана действий Пражского процесса на 2023–2027 годы, "
        "обеспечивая три направления работы и четыре тематических компонента, которые "
        "возглавляют различные государства — участники Пражского процесса.\n\n"
        "Список государств-участников выведен из названных диалогом групп государств; "
        "секретариат поддерживает его в актуальном состоянии. (Перевод с английского.)"
    ),
}

BUDAPEST_DESCRIPTION = {
    "en": (
        "Over the past 30 years, the Budapest Process has developed into an influential "
        "interregional and inter-governmental dialogue on migration. The Chair, Türkiye, supported "
        "by the Co-Chair, Hungary, oversees the daily running of the process, implemented by "
        "ICMPD, which serves as the Secretariat of the dialogue.\n\n"
        "The dialogue has come to master the balance and interplay between political dialogue and "
        "operational action, with concrete projects flanking the dialogue and creating tangible "
        "outcomes of the established political objectives, such as the Migrant Resource Centres.\n\n"
        "Over 50 governments take part; only the states named by the project's sources are "
        "entered here so far."
    ),
    "ru": (
        "За последние 30 лет Будапештский процесс превратился во влиятельный межрегиональный и "
        "межправительственный диалог по вопросам миграции. Председатель, Турция, при поддержке "
        "сопредседателя, Венгрии, руководит повседневной работой процесса, который осуществляет "
        "МЦРМП, выполняющий функции секретариата диалога.\n\n"
        "Диалог научился сочетать политический диалог и оперативные действия: конкретные "
        "проекты, такие как центры ресурсов для мигрантов, дополняют диалог и дают ощутимые "
        "результаты поставленных политических целей.\n\n"
        "В процессе участвуют более 50 правительств; здесь пока внесены только государства, "
        "названные в источниках проекта. (Перевод с английского.)"
    ),
}
