"""Helpers for the projects tests: a Migrant Resource Centre of the Budapest Process (erin is its
secretariat) with a place, an indicator by channel and a staff member (sam), made through the
services; and a project only the secretariat sees."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from dialogos.core.models import AccessLevel, Country
from dialogos.people.models import User
from dialogos.projects import services
from dialogos.projects.models import Indicator, IndicatorCategory, Place, Project, ProjectType
from tests.conftest import PASSWORD

D = datetime.date


@dataclass
class Mrc:
    project: Project
    place: Place
    indicator: Indicator
    channels: list[IndicatorCategory]
    staff: Any
    hidden: Project
    mrc_type: ProjectType


@pytest.fixture
def make_project(world: Any) -> Callable[..., Project]:
    counter = {"n": 0}

    def make(**values: Any) -> Project:
        counter["n"] += 1
        places = values.pop("places", None)
        countries = values.pop("countries", None)
        dialogue = values.pop("dialogue", world.bp)
        actor = values.pop("actor", world.erin if dialogue == world.bp else world.alice)
        data: dict[str, Any] = {
            "title": {"en": f"Project {counter['n']}", "ru": f"Проект {counter['n']}"},
            "start": D(2020, 1, 1),
            "end": D(2024, 12, 31),
        }
        data.update(values)
        return services.save_project(
            actor=actor, dialogue=dialogue, values=data, places=places, countries=countries
        )

    return make


@pytest.fixture
def mrc(world: Any, make_project: Callable[..., Project]) -> Mrc:
    erin = world.erin
    mrc_type = services.save_project_type(
        actor=erin,
        dialogue=world.bp,
        values={"slug": "mrc", "name": {"en": "Migrant Resource Centre", "ru": "Ресурсный центр"}},
    )
    place = services.save_place(
        actor=erin,
        dialogue=world.bp,
        values={
            "name": {"en": "Islamabad", "ru": "Исламабад"},
            "country": Country.objects.get(code="PK"),
            "latitude": Decimal("33.68440"),
            "longitude": Decimal("73.04790"),
        },
    )
    project = make_project(
        title={"en": "Migrant Resource Centre Islamabad", "ru": "Ресурсный центр в Исламабаде"},
        type=mrc_type,
        places=[place],
        countries=[Country.objects.get(code="PK")],
    )
    indicator = services.save_indicator(
        actor=erin,
        project=project,
        values={
            "title": {"en": "Migrants counselled", "ru": "Получили консультацию"},
            "unit": {"en": "people", "ru": "человек"},
            "breakdown": {"en": "channel"},
            "frequency": Indicator.Frequency.MONTH,
        },
    )
    channels = [
        services.save_indicator_category(
            actor=erin, indicator=indicator, values={"name": {"en": name}, "order": n}
        )
        for n, name in enumerate(["In person", "Telephone or hotline", "Online"])
    ]
    staff = User.objects.create_user("sam@example.org", PASSWORD, display_name="Sam")
    services.add_project_member(actor=erin, project=project, email="sam@example.org")
    hidden = make_project(title={"en": "Confidential pilot"}, access_level=AccessLevel.SECRETARIAT)
    return Mrc(project, place, indicator, channels, staff, hidden, mrc_type)


def enter(mrc: Mrc, period: datetime.date, values: list[int], actor: Any = None) -> None:
    services.enter_results(
        actor=actor or mrc.staff,
        indicator=mrc.indicator,
        period=period,
        entries=[services.Entry(c.pk, v) for c, v in zip(mrc.channels, values, strict=True)],
    )
