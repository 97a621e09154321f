from __future__ import annotations

import datetime
from typing import Any

import pytest

from dialogos.dialogues.models import Grouping, GroupingMembership, Participation
from tests.api.api_helpers import API, PP, Caller


@pytest.fixture
def groupings(world: Any) -> tuple[Any, Any]:
    """The EU (Czechia, Lithuania, and the UK until 2020) and the Schengen area (Czechia)."""
    eu = Grouping.objects.create(
        slug="eu", name={"en": "European Union", "ru": "Европейский союз"}, order=1
    )
    schengen = Grouping.objects.create(
        slug="schengen", name={"en": "Schengen area", "ru": "Шенгенская зона"}, order=2
    )
    for code in ("CZ", "LT"):
        GroupingMembership.objects.create(
            grouping=eu, country_id=code, start=datetime.date(2004, 5, 1)
        )
    GroupingMembership.objects.create(
        grouping=eu,
        country_id="GB",
        start=datetime.date(1973, 1, 1),
        end=datetime.date(2020, 1, 31),
    )
    GroupingMembership.objects.create(grouping=schengen, country_id="CZ")
    world.pp.groupings.set([eu, schengen])
    Participation.objects.create(
        dialogue=world.pp, country_id="GE", status=Participation.Status.PARTICIPATING
    )
    Participation.objects.create(
        dialogue=world.pp, country_id="AM", status=Participation.Status.OBSERVER
    )
    return eu, schengen


def test_it_groups_todays_states_by_the_dialogues_groupings(
    world: Any, groupings: Any, anonymous: Caller
) -> None:
    data = anonymous.get(f"{PP}/states").json()
    assert data["total"] == 3
    summary = [
        (
            g["grouping"]["slug"] if g["grouping"] else None,
            g["count"],
            [s["code"] for s in g["states"]],
        )
        for g in data["groups"]
    ]
    assert summary == [
        ("eu", 2, ["CZ", "LT"]),
        ("schengen", 1, ["CZ"]),
        (None, 1, ["GE"]),
    ]
    assert [o["country"]["code"] for o in data["observers"]] == ["AM"]


def test_it_groups_states_in_russian(world: Any, groupings: Any, anonymous: Caller) -> None:
    data = anonymous.get(f"{PP}/states", lang="ru").json()
    eu = data["groups"][0]
    assert eu["grouping"]["name"] == "Европейский союз"
    assert [s["name"] for s in eu["states"]] == ["Литва", "Чехия"]


def test_states_of_an_unknown_dialogue_are_a_404(db: Any, anonymous: Caller) -> None:
    assert anonymous.get(f"{API}/dialogues/nope/states").status_code == 404


def test_it_lists_groupings_in_both_languages(
    world: Any, groupings: Any, anonymous: Caller
) -> None:
    en = anonymous.get(f"{API}/groupings").json()
    ru = anonymous.get(f"{API}/groupings", lang="ru").json()
    assert [g["slug"] for g in en] == ["eu", "schengen"]
    assert en[0]["name"] == "European Union"
    assert ru[0]["name"] == "Европейский союз"


def test_it_shows_a_grouping_with_every_membership_and_its_dates(
    world: Any, groupings: Any, anonymous: Caller
) -> None:
    data = anonymous.get(f"{API}/groupings/eu").json()
    members = {m["country"]["code"]: m for m in data["members"]}
    assert set(members) == {"CZ", "LT", "GB"}
    assert members["GB"]["end"] == "2020-01-31"
    assert members["GB"]["is_current"] is False
    assert members["CZ"]["start"] == "2004-05-01"


def test_it_shows_the_members_on_a_given_day(world: Any, groupings: Any, anonymous: Caller) -> None:
    def on(day: str) -> list[str]:
        response = anonymous.get(f"{API}/groupings/eu?on={day}")
        assert response.json()["on"] == day
        return sorted(m["country"]["code"] for m in response.json()["members"])

    assert on("2000-01-01") == ["GB"]
    assert on("2010-01-01") == ["CZ", "GB", "LT"]
    assert on("2024-01-01") == ["CZ", "LT"]


def test_it_shows_a_grouping_in_russian(world: Any, groupings: Any, anonymous: Caller) -> None:
    data = anonymous.get(f"{API}/groupings/eu?on=2024-01-01", lang="ru").json()
    assert data["name"] == "Европейский союз"
    assert [m["country"]["name"] for m in data["members"]] == ["Литва", "Чехия"]


def test_a_malformed_day_is_a_422_naming_it(world: Any, groupings: Any, anonymous: Caller) -> None:
    response = anonymous.get(f"{API}/groupings/eu?on=yesterday")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "on"


def test_an_unknown_grouping_is_a_404(db: Any, anonymous: Caller) -> None:
    response = anonymous.get(f"{API}/groupings/nope")
    assert response.status_code == 404
    assert "nope" in response.json()["detail"]
