"""The projects API: public reads filtered by the one access policy; writes for the secretariat
(projects, funding) and for the project's staff (results), with a token; bad bodies are 422
naming the field and change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from dialogos.api.services import create_api_token
from dialogos.projects.api import ProjectDetailOut, ProjectPageOut
from dialogos.projects.models import Funding, Project, ResultValue
from tests.api.api_helpers import API, Caller, count_queries, errors
from tests.projects.conftest import D, Mrc, enter

pytestmark = pytest.mark.django_db


def caller(user: Any | None) -> Caller:
    if user is None:
        return Caller()
    return Caller(token=create_api_token(actor=user, user=user, name="tests")[1])


def test_the_list_is_public_and_filtered(world: Any, mrc: Mrc) -> None:
    data = caller(None).get(f"{API}/projects?country=PK").json()
    TypeAdapter(ProjectPageOut).validate_python(data)
    assert [p["title"] for p in data["results"]] == ["Migrant Resource Centre Islamabad"]
    assert data["results"][0]["places"][0]["latitude"] == pytest.approx(33.6844)
    erin = caller(world.erin).get(f"{API}/projects").json()
    assert {p["title"] for p in erin["results"]} == {
        "Migrant Resource Centre Islamabad",
        "Confidential pilot",
    }


def test_the_detail_has_indicators_and_values(world: Any, mrc: Mrc) -> None:
    enter(mrc, D(2024, 1, 1), [5, 6, 7])
    data = caller(None).get(f"{API}/projects/{mrc.project.pk}?lang=ru").json()
    TypeAdapter(ProjectDetailOut).validate_python(data)
    assert data["title"] == "Ресурсный центр в Исламабаде"
    indicator = data["indicators"][0]
    assert [c["name"] for c in indicator["categories"]] == [
        "In person",
        "Telephone or hotline",
        "Online",
    ]
    assert sorted(v["value"] for v in indicator["values"]) == [5, 6, 7]
    assert indicator["values"][0]["period_label"] == "2024-01"


@pytest.mark.parametrize("who", [None, "alice", "frank", "sam"])
def test_hidden_projects_are_404(world: Any, mrc: Mrc, who: str | None) -> None:
    user = mrc.staff if who == "sam" else getattr(world, who) if who else None
    assert caller(user).get(f"{API}/projects/{mrc.hidden.pk}").status_code == 404
    assert caller(user).get(f"{API}/projects/nonsense").status_code == 422


def test_the_list_runs_a_fixed_number_of_queries(world: Any, mrc: Mrc, make_project: Any) -> None:
    client = caller(None)
    few, _r = count_queries(lambda: client.get(f"{API}/projects"))
    for _n in range(15):
        make_project(places=[mrc.place])
    many, _r = count_queries(lambda: client.get(f"{API}/projects"))
    assert many == few


def _results(mrc: Mrc, period: str, values: list[int | None]) -> dict[str, Any]:
    return {
        "indicator": mrc.indicator.pk,
        "period": period,
        "values": [
            {"category": c.pk, "value": v} for c, v in zip(mrc.channels, values, strict=True)
        ],
    }


def test_staff_enter_results_with_a_token(world: Any, mrc: Mrc) -> None:
    response = caller(mrc.staff).post(
        f"{API}/projects/{mrc.project.pk}/results", _results(mrc, "2024-07", [10, 11, 12])
    )
    assert response.status_code == 200, response.content
    assert sorted(v["value"] for v in response.json()["indicator"]["values"]) == [10, 11, 12]


@pytest.mark.parametrize(("who", "status"), [(None, 401), ("frank", 403), ("alice", 403)])
def test_others_cannot_enter_results(world: Any, mrc: Mrc, who: str | None, status: int) -> None:
    user = getattr(world, who) if who else None
    response = caller(user).post(
        f"{API}/projects/{mrc.project.pk}/results", _results(mrc, "2024-07", [1, 1, 1])
    )
    assert response.status_code == status
    assert not ResultValue.objects.exists()


@pytest.mark.parametrize(
    ("period", "values", "field"),
    [
        ("2025-02", [1, 2, 3], "period"),
        ("2024-99", [1, 2, 3], "period"),
        ("2024-07", [1, -2, 3], "value"),
    ],
)
def test_bad_results_are_422_and_save_nothing(
    world: Any, mrc: Mrc, period: str, values: list[int], field: str
) -> None:
    response = caller(mrc.staff).post(
        f"{API}/projects/{mrc.project.pk}/results", _results(mrc, period, values)
    )
    assert field in errors(response)
    assert not ResultValue.objects.exists()


def test_malformed_bodies_are_422(world: Any, mrc: Mrc) -> None:
    client = caller(mrc.staff)
    url = f"{API}/projects/{mrc.project.pk}/results"
    assert client.post(url, "{not json").status_code in (400, 422)
    assert "values.0.value" in errors(
        client.post(
            url,
            {
                "indicator": mrc.indicator.pk,
                "period": "2024-01",
                "values": [{"category": mrc.channels[0].pk, "value": "many"}],
            },
        )
    )
    assert "indicator" in errors(
        client.post(url, {"indicator": 999999, "period": "2024-01", "values": []})
    )


def test_the_secretariat_creates_and_changes_a_project(world: Any, mrc: Mrc) -> None:
    erin = caller(world.erin)
    body = {
        "dialogue": "budapest-process",
        "title": {"en": "Migrant Resource Centre Peshawar"},
        "type": "mrc",
        "start": "2024-06-01",
        "countries": ["PK"],
        "places": [mrc.place.pk],
    }
    response = erin.post(f"{API}/projects", body)
    assert response.status_code == 201, response.content
    project_id = response.json()["id"]
    assert response.json()["type"]["slug"] == "mrc"
    response = erin.patch(
        f"{API}/projects/{project_id}", {"status": "completed", "end": "2024-12-31"}
    )
    assert response.status_code == 200
    assert Project.objects.get(pk=project_id).status == "completed"
    bad = erin.patch(f"{API}/projects/{project_id}", {"end": "2020-01-01"})
    assert "end" in errors(bad)
    bad = erin.post(f"{API}/projects", {**body, "countries": ["QQ"]})
    assert "countries" in errors(bad)
    bad = erin.post(f"{API}/projects", {**body, "currency": "ZZZ"})
    assert "currency" in errors(bad)
    assert Project.objects.filter(title__en="Migrant Resource Centre Peshawar").count() == 1


@pytest.mark.parametrize(("who", "status"), [(None, 401), ("alice", 403), ("sam", 403)])
def test_only_the_secretariat_creates_projects(
    world: Any, mrc: Mrc, who: str | None, status: int
) -> None:
    user = mrc.staff if who == "sam" else getattr(world, who) if who else None
    body = {"dialogue": "budapest-process", "title": {"en": "X"}, "start": "2024-01-01"}
    assert caller(user).post(f"{API}/projects", body).status_code == status
    assert (
        caller(user).patch(f"{API}/projects/{mrc.project.pk}", {"status": "completed"}).status_code
        == status
    )
    assert not Project.objects.filter(title__en="X").exists()


def test_funding_through_the_api(world: Any, mrc: Mrc) -> None:
    erin = caller(world.erin)
    url = f"{API}/projects/{mrc.project.pk}/funding"
    assert "currency" in errors(
        erin.post(url, {"donor_country": "HU", "amount": "10", "currency": "USD"})
    )
    assert "currency" in errors(
        erin.post(url, {"donor_country": "HU", "amount": "10", "currency": "QQQ"})
    )
    assert "amount" in errors(
        erin.post(url, {"donor_country": "HU", "amount": "-1", "currency": "EUR"})
    )
    assert "donor_organisation" in errors(erin.post(url, {"amount": "1", "currency": "EUR"}))
    assert not Funding.objects.exists()
    response = erin.post(
        url, {"donor_organisation": "icmpd", "amount": "2500.50", "currency": "eur"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == "2500.50"
    assert (
        caller(mrc.staff)
        .post(url, {"donor_country": "HU", "amount": "1", "currency": "EUR"})
        .status_code
        == 403
    )
