"""Demo projects: the Budapest Process's Migrant Resource Centres as the sources give them.

Sourced (budapestprocess.org news and our-work pages; icmpd.org press release of June 2024):
MRCs in capitals or major cities of Afghanistan, Bangladesh, Iraq and Pakistan; Islamabad and
Lahore opened in 2016 (Islamabad inaugurated 12 April 2016 with the ILO, run with Pakistan's
Ministry of Overseas Pakistanis and HRD and Punjab's Department of Labour); Peshawar opened in
June 2024 as the third in Pakistan; nine centres operating in 2024; counselling in person, by
phone and online, pre-departure orientation, outreach, referral to reintegration support.

The sources give no donors, amounts or counts: the results below are marked "(example data)",
and no funding is invented. Called by the demo command as ``load(loader)``; idempotent.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from dialogos.core.models import Country
from dialogos.dialogues.models import Dialogue, Organisation
from dialogos.projects.models import (
    Indicator,
    IndicatorCategory,
    Place,
    Project,
    ProjectMember,
    ProjectType,
    ResultValue,
    add_months,
)

D = datetime.date
STAFF_EMAIL = "mrc.staff@dialogos.example"

SERVICES_EN = (
    "- one-to-one counselling in person, by phone and online;\n"
    "- pre-departure orientation;\n"
    "- outreach to schools and communities;\n"
    "- referral to reintegration support."
)
SERVICES_RU = (
    "- индивидуальные консультации лично, по телефону и онлайн;\n"
    "- ориентация перед выездом;\n"
    "- информационная работа в школах и общинах;\n"
    "- направление к службам поддержки реинтеграции."
)
CHANNELS = [
    ("in-person", {"en": "In person", "ru": "Лично"}),
    ("phone", {"en": "Telephone or hotline", "ru": "Телефон или горячая линия"}),
    ("online", {"en": "Online", "ru": "Онлайн"}),
]


def load(loader: Any) -> None:
    bp = Dialogue.objects.filter(slug="budapest-process").first()
    if bp is None:
        return
    mrc = loader.ensure(
        ProjectType,
        {"dialogue": bp, "slug": "migrant-resource-centre"},
        name={"en": "Migrant Resource Centre", "ru": "Ресурсный центр для мигрантов"},
        order=10,
    )
    ilo = Organisation.objects.filter(slug="ilo").first()
    ministry = loader.ensure(
        Organisation,
        {"slug": "pk-ministry-overseas-pakistanis"},
        name={
            "en": "Ministry of Overseas Pakistanis and Human Resource Development (Pakistan)",
            "ru": "Министерство по делам пакистанцев за рубежом и развитию людских ресурсов "
            "(Пакистан)",
        },
        acronym="",
        kind=Organisation.Kind.GOVERNMENT,
        country=loader.country("PK"),
    )
    punjab = loader.ensure(
        Organisation,
        {"slug": "pk-punjab-department-of-labour"},
        name={
            "en": "Department of Labour, Punjab (Pakistan)",
            "ru": "Департамент труда провинции Пенджаб (Пакистан)",
        },
        acronym="",
        kind=Organisation.Kind.GOVERNMENT,
        country=loader.country("PK"),
    )
    pk = loader.country("PK")
    islamabad = _place(loader, bp, "Islamabad", "Исламабад", pk, "33.68440", "73.04790")
    lahore = _place(loader, bp, "Lahore", "Лахор", pk, "31.52040", "74.35870")
    peshawar = _place(loader, bp, "Peshawar", "Пешавар", pk, "34.01510", "71.52490")

    common = {"dialogue": bp, "type": mrc, "currency": "EUR"}
    p_isl = _project(
        loader,
        "Migrant Resource Centre Islamabad",
        title={
            "en": "Migrant Resource Centre Islamabad",
            "ru": "Ресурсный центр для мигрантов в Исламабаде",
        },
        summary={
            "en": "One of the first two Migrant Resource Centres in Pakistan, opened in 2016 and "
            "inaugurated on 12 April 2016 together with the ILO. It is run with Pakistan's "
            "Ministry of Overseas Pakistanis and Human Resource Development.",
            "ru": "Один из двух первых ресурсных центров для мигрантов в Пакистане, открыт в "
            "2016 году; торжественное открытие состоялось 12 апреля 2016 года совместно с МОТ. "
            "Работает вместе с Министерством по делам пакистанцев за рубежом и развитию "
            "людских ресурсов Пакистана.",
        },
        start=D(2016, 4, 12),
        places=[islamabad],
        implementers=[o for o in (ministry, ilo) if o is not None],
        **common,
    )
    p_lah = _project(
        loader,
        "Migrant Resource Centre Lahore",
        title={
            "en": "Migrant Resource Centre Lahore",
            "ru": "Ресурсный центр для мигрантов в Лахоре",
        },
        summary={
            "en": "Opened in 2016, with the centre in Islamabad the first in Pakistan; run with "
            "Punjab's Department of Labour. (The sources give the year of opening only: the "
            "start date shown is 1 January 2016.)",
            "ru": "Открыт в 2016 году — вместе с центром в Исламабаде первый в Пакистане; "
            "работает вместе с Департаментом труда провинции Пенджаб. (Источники называют "
            "только год открытия: в качестве даты начала указано 1 января 2016 года.)",
        },
        start=D(2016, 1, 1),
        places=[lahore],
        implementers=[punjab],
        **common,
    )
    _project(
        loader,
        "Migrant Resource Centre Peshawar",
        title={
            "en": "Migrant Resource Centre Peshawar",
            "ru": "Ресурсный центр для мигрантов в Пешаваре",
        },
        summary={
            "en": "Opened in June 2024 as the third Migrant Resource Centre in Pakistan.",
            "ru": "Открыт в июне 2024 года как третий ресурсный центр для мигрантов в Пакистане.",
        },
        start=D(2024, 6, 1),
        places=[peshawar],
        implementers=[],
        **common,
    )
    for code, en, ru in (
        ("AF", "Afghanistan", "Афганистане"),
        ("BD", "Bangladesh", "Бангладеш"),
        ("IQ", "Iraq", "Ираке"),
    ):
        _project(
            loader,
            f"Migrant Resource Centre in {en}",
            title={
                "en": f"Migrant Resource Centre in {en}",
                "ru": f"Ресурсный центр для мигрантов в {ru}",
            },
            summary={
                "en": f"A Migrant Resource Centre in the capital or a major city of {en}; nine "
                "centres were operating in 2024. (The sources name neither the city nor the "
                "opening date: the start date shown is the year they report the centres "
                "operating.)",
                "ru": f"Ресурсный центр для мигрантов в столице или крупном городе ({ru}); в "
                "2024 году работали девять центров. (Источники не называют ни города, ни даты "
                "открытия: в качестве даты начала указан год, когда центры упоминаются как "
                "работающие.)",
            },
            start=D(2024, 1, 1),
            places=[],
            implementers=[],
            countries=[loader.country(code)],
            **common,
        )
    _results(loader, p_isl, seed=7)
    _results(loader, p_lah, seed=3)
    _staff(loader, p_isl)


def _place(
    loader: Any, dialogue: Dialogue, en: str, ru: str, country: Any, lat: str, lon: str
) -> Place:
    place: Place = _ensure_by(
        loader,
        Place,
        {"dialogue": dialogue, "name__en": en},
        {"dialogue": dialogue},
        name={"en": en, "ru": ru},
        country=country,
        latitude=Decimal(lat),
        longitude=Decimal(lon),
    )
    return place


def _ensure_by(
    loader: Any, model: Any, find: dict[str, Any], fixed: dict[str, Any], **values: Any
) -> Any:
    """``loader.ensure`` for rows found by a translated text (which cannot be created from)."""
    found = model.objects.filter(**find).first()
    if found is not None:
        return loader.ensure(model, {"pk": found.pk}, **values)
    loader.created += 1
    return model.objects.create(**fixed, **values)


def _project(
    loader: Any,
    key: str,
    *,
    places: list[Place],
    implementers: list[Organisation],
    countries: list[Any] | None = None,
    **values: Any,
) -> Project:
    objectives = {
        "en": "Give migrants and prospective migrants reliable information and advice "
        "before they leave, through:\n\n" + SERVICES_EN,
        "ru": "Дать мигрантам и тем, кто собирается уехать, достоверную информацию и "
        "консультации до отъезда:\n\n" + SERVICES_RU,
    }
    project: Project = _ensure_by(
        loader,
        Project,
        {"dialogue": values["dialogue"], "title__en": key},
        {"dialogue": values["dialogue"]},
        objectives=objectives,
        status=Project.Status.ONGOING,
        **{k: v for k, v in values.items() if k != "dialogue"},
    )
    if places and set(project.places.values_list("pk", flat=True)) != {p.pk for p in places}:
        project.places.set(places)
    wanted_countries: set[str] = {c.pk for c in (countries or [])} | {
        str(p.country_id) for p in places
    }
    if set(project.countries.values_list("pk", flat=True)) != wanted_countries:
        project.countries.set(list(Country.objects.filter(pk__in=wanted_countries)))
    if implementers and set(project.implementers.values_list("pk", flat=True)) != {
        o.pk for o in implementers
    }:
        project.implementers.set(implementers)
    return project


def _results(loader: Any, project: Project, *, seed: int) -> None:
    """Five years of monthly counts by channel, plainly marked as example data."""
    indicator: Indicator = loader.ensure(
        Indicator,
        {"project": project, "order": 10},
        title={
            "en": "Migrants counselled (example data)",
            "ru": "Получили консультацию (пример данных)",
        },
        unit={"en": "people", "ru": "человек"},
        breakdown={"en": "channel", "ru": "канал"},
        description={
            "en": "(example data) The sources give no counts: these numbers only show how "
            "results appear.",
            "ru": "(пример данных) Источники не приводят чисел: эти значения лишь показывают, "
            "как выглядят результаты.",
        },
        frequency=Indicator.Frequency.MONTH,
    )
    categories = [
        loader.ensure(IndicatorCategory, {"indicator": indicator, "order": (n + 1) * 10}, name=name)
        for n, (_slug, name) in enumerate(CHANNELS)
    ]
    if ResultValue.objects.filter(indicator=indicator).exists():
        return
    rows = []
    start = D(2020, 1, 1)
    for month in range(60):
        period = add_months(start, month)
        for n, category in enumerate(categories):
            base = (120, 60, 40)[n]
            trend = month * (1, 2, 3)[n]
            wobble = ((month * 37 + n * 11 + seed) % 23) - 11
            value = max(0, base + trend + wobble)
            if n == 0 and D(2020, 4, 1) <= period <= D(2020, 9, 1):
                value //= 4  # example: in-person counselling paused in 2020
            rows.append(
                ResultValue(indicator=indicator, category=category, period=period, value=value)
            )
    ResultValue.objects.bulk_create(rows)
    loader.created += len(rows)


def _staff(loader: Any, project: Project) -> None:
    """An example account on the Islamabad centre's staff, to try the entry of results."""
    from dialogos.demo.data import DEMO_PASSWORD

    user_model = get_user_model()
    user = user_model.objects.filter(email=STAFF_EMAIL).first()
    if user is None:
        user = user_model.objects.create_user(
            STAFF_EMAIL, DEMO_PASSWORD, display_name="MRC staff member (example)"
        )
        loader.created += 1
    loader.ensure(ProjectMember, {"project": project, "user": user}, role=ProjectMember.Role.STAFF)
