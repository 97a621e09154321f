"""Entering results: the project's staff for their own project only (account pages), and bad
input — a period outside the project's, a negative count, a malformed period — refused with a
clear message and nothing half-saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dialogos.projects import services
from dialogos.projects.models import ResultValue
from tests.projects.conftest import D, Mrc, enter

pytestmark = pytest.mark.django_db

ACCOUNT = "/en/account/projects"


def _form(mrc: Mrc, period: str, values: list[str]) -> dict[str, str]:
    data = {"form": "results", "period": period}
    data.update({f"value_{c.pk}": v for c, v in zip(mrc.channels, values, strict=True)})
    return data


def test_staff_see_their_projects(world: Any, mrc: Mrc) -> None:
    client = world.client_for(mrc.staff)
    text = client.get(f"{ACCOUNT}/").text
    assert "Migrant Resource Centre Islamabad" in text
    assert "Confidential pilot" not in text
    assert client.get(f"{ACCOUNT}/{mrc.project.pk}/").status_code == 200


def test_staff_enter_a_months_results_and_the_public_page_shows_them(world: Any, mrc: Mrc) -> None:
    client = world.client_for(mrc.staff)
    url = f"{ACCOUNT}/{mrc.project.pk}/indicators/{mrc.indicator.pk}/"
    response = client.post(url, _form(mrc, "2024-06", ["140", "52", "38"]))
    assert response.status_code == 302
    assert "period=2024-06" in response["Location"]
    values = ResultValue.objects.filter(period=D(2024, 6, 1))
    assert sorted(v.value for v in values) == [38, 52, 140]
    assert {v.entered_by_id for v in values} == {mrc.staff.pk}
    page = world.client_for(None).get(f"/en/projects/{mrc.project.pk}/").text
    assert ">2024-06</th>" in page
    assert ">230</td>" in page
    # Correcting one value and clearing another.
    client.post(url, _form(mrc, "2024-06", ["141", "", "38"]))
    assert sorted(ResultValue.objects.values_list("value", flat=True)) == [38, 141]


@pytest.mark.parametrize("who", ["frank", "alice", "erin"])
def test_others_have_no_staff_pages(world: Any, mrc: Mrc, who: str) -> None:
    client = world.client_for(getattr(world, who))
    assert client.get(f"{ACCOUNT}/{mrc.project.pk}/").status_code == 404
    url = f"{ACCOUNT}/{mrc.project.pk}/indicators/{mrc.indicator.pk}/"
    assert client.post(url, _form(mrc, "2024-06", ["1", "1", "1"])).status_code == 404
    assert not ResultValue.objects.exists()


def test_staff_of_one_project_cannot_touch_another(world: Any, mrc: Mrc, make_project: Any) -> None:
    other = make_project(title={"en": "Other centre"})
    indicator = services.save_indicator(
        actor=world.erin,
        project=other,
        values={"title": {"en": "Count"}, "unit": {"en": "people"}, "frequency": "month"},
    )
    client = world.client_for(mrc.staff)
    assert client.get(f"{ACCOUNT}/{other.pk}/").status_code == 404
    response = client.post(
        f"{ACCOUNT}/{other.pk}/indicators/{indicator.pk}/",
        {"form": "results", "period": "2024-01", "value_total": "3"},
    )
    assert response.status_code == 404
    # Nor reach the other project's indicator through their own project.
    response = client.post(
        f"{ACCOUNT}/{mrc.project.pk}/indicators/{indicator.pk}/",
        {"form": "results", "period": "2024-01", "value_total": "3"},
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.enter_results(
            actor=mrc.staff, indicator=indicator, period=D(2024, 1, 1), entries=[]
        )
    assert not ResultValue.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(world: Any, mrc: Mrc) -> None:
    response = world.client_for(None).get(f"{ACCOUNT}/")
    assert response.status_code == 302
    assert "/login" in response["Location"] or "sign" in response["Location"]


@pytest.mark.parametrize(
    ("period", "values", "message"),
    [
        ("2025-01", ["1", "2", "3"], "outside the project&#x27;s period"),
        ("2019-12", ["1", "2", "3"], "outside the project&#x27;s period"),
        ("2024-13", ["1", "2", "3"], "Enter the period as a month"),
        ("next month", ["1", "2", "3"], "Enter the period as a month"),
        ("2024-05", ["1", "-2", "3"], "greater than or equal to 0"),
        ("2024-05", ["1", "two", "3"], "Enter a whole number"),
        ("2024-05", ["1", "2.5", "3"], "Enter a whole number"),
    ],
)
def test_bad_results_are_refused_and_nothing_is_saved(
    world: Any, mrc: Mrc, period: str, values: list[str], message: str
) -> None:
    enter(mrc, D(2024, 5, 1), [7, 7, 7])
    client = world.client_for(mrc.staff)
    url = f"{ACCOUNT}/{mrc.project.pk}/indicators/{mrc.indicator.pk}/"
    response = client.post(url, _form(mrc, period, values))
    assert response.status_code == 200
    assert message in response.text
    assert sorted(ResultValue.objects.values_list("value", flat=True)) == [7, 7, 7]


def test_the_service_refuses_negative_counts_and_foreign_categories(world: Any, mrc: Mrc) -> None:
    with pytest.raises(ValidationError) as negative:
        services.enter_results(
            actor=mrc.staff,
            indicator=mrc.indicator,
            period=D(2024, 5, 1),
            entries=[services.Entry(mrc.channels[0].pk, 5), services.Entry(mrc.channels[1].pk, -1)],
        )
    assert "cannot be negative" in str(negative.value)
    with pytest.raises(ValidationError):
        services.enter_results(
            actor=mrc.staff,
            indicator=mrc.indicator,
            period=D(2024, 5, 1),
            entries=[services.Entry(None, 5)],
        )
    with pytest.raises(ValidationError):
        services.enter_results(
            actor=mrc.staff, indicator=mrc.indicator, period=D(2024, 5, 2), entries=[]
        )
    assert not ResultValue.objects.exists()


def test_an_empty_entry_for_a_new_period_asks_for_a_value(world: Any, mrc: Mrc) -> None:
    client = world.client_for(mrc.staff)
    url = f"{ACCOUNT}/{mrc.project.pk}/indicators/{mrc.indicator.pk}/"
    response = client.post(url, _form(mrc, "2024-06", ["", "", ""]))
    assert response.status_code == 200
    assert "Enter at least one value." in response.text
