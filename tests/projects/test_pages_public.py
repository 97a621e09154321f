"""Public project pages: the list with its filters, one project with its results as a chart and
a table, the places overview and the CSV export — each role sees exactly what it may."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.cache import cache

from dialogos.core.models import Country
from dialogos.projects.models import Project
from tests.projects.conftest import D, Mrc, enter

pytestmark = pytest.mark.django_db


def test_the_list_shows_public_projects_to_visitors(world: Any, mrc: Mrc) -> None:
    response = world.client_for(None).get("/en/projects/")
    assert response.status_code == 200
    assert "Migrant Resource Centre Islamabad" in response.text
    assert "Confidential pilot" not in response.text
    assert response.context["nav_section"] == "projects"


@pytest.mark.parametrize(
    ("who", "sees_hidden"),
    [("erin", True), ("olga", True), ("alice", False), ("frank", False), ("bob", False)],
)
def test_a_secretariat_project_is_seen_by_its_secretariat_only(
    world: Any, mrc: Mrc, who: str, sees_hidden: bool
) -> None:
    client = world.client_for(getattr(world, who))
    assert ("Confidential pilot" in client.get("/en/projects/").text) is sees_hidden
    detail = client.get(f"/en/projects/{mrc.hidden.pk}/")
    assert detail.status_code == (200 if sees_hidden else 404)
    export = client.get(f"/en/projects/{mrc.hidden.pk}/results.csv")
    assert export.status_code == (200 if sees_hidden else 404)


def test_a_group_project_is_seen_by_its_staff(world: Any, mrc: Mrc) -> None:
    Project.objects.filter(pk=mrc.project.pk).update(access_level="group")
    assert world.client_for(mrc.staff).get(f"/en/projects/{mrc.project.pk}/").status_code == 200
    assert world.client_for(world.frank).get(f"/en/projects/{mrc.project.pk}/").status_code == 404
    assert world.client_for(None).get(f"/en/projects/{mrc.project.pk}/").status_code == 404


def test_filters_narrow_the_list(world: Any, mrc: Mrc, make_project: Any) -> None:
    make_project(
        title={"en": "Return counselling in Lithuania"},
        dialogue=world.pp,
        countries=[Country.objects.get(code="LT")],
        status=Project.Status.COMPLETED,
    )
    client = world.client_for(None)
    by_country = client.get("/en/projects/?country=pk").text
    assert "Islamabad" in by_country
    assert "Return counselling" not in by_country
    by_dialogue = client.get("/en/projects/?dialogue=prague-process").text
    assert "Return counselling" in by_dialogue
    assert "Islamabad" not in by_dialogue
    by_status = client.get("/en/projects/?status=completed").text
    assert "Return counselling" in by_status
    assert "Islamabad" not in by_status


@pytest.mark.parametrize(
    "query",
    ["?country=%00", "?status=nonsense", "?page=abc", "?page=99999", "?dialogue=" + "x" * 500],
)
def test_malformed_filters_are_ignored(world: Any, mrc: Mrc, query: str) -> None:
    response = world.client_for(None).get("/en/projects/" + query)
    assert response.status_code == 200


def test_the_project_page_shows_results_as_a_chart_and_a_table(world: Any, mrc: Mrc) -> None:
    enter(mrc, D(2024, 1, 1), [120, 45, 30])
    enter(mrc, D(2024, 2, 1), [130, 50, 35])
    response = world.client_for(None).get(f"/en/projects/{mrc.project.pk}/")
    text = response.text
    assert response.status_code == 200
    assert '<svg class="project-chart"' in text
    assert 'role="img"' in text
    assert f'<title id="indicator-{mrc.indicator.pk}-title">Migrants counselled</title>' in text
    assert "<desc id=" in text
    assert "<script" not in text.split('<svg class="project-chart"')[1].split("</svg>")[0]
    # The table: every period, a column per channel and the total.
    assert ">2024-01</th>" in text
    assert ">Telephone or hotline</th>" in text
    assert ">195</td>" in text  # 120 + 45 + 30
    assert ">215</td>" in text
    assert "Islamabad" in text


def test_the_project_page_is_in_russian(world: Any, mrc: Mrc) -> None:
    enter(mrc, D(2024, 1, 1), [1, 2, 3])
    response = world.client_for(None).get(f"/ru/projects/{mrc.project.pk}/")
    assert "Ресурсный центр в Исламабаде" in response.text
    assert "Результаты" in response.text
    assert "Скачать все результаты (CSV)" in response.text


def test_missing_and_bad_ids_are_404(world: Any) -> None:
    client = world.client_for(None)
    assert client.get("/en/projects/999999/").status_code == 404
    assert client.get("/en/projects/999999/results.csv").status_code == 404


def test_the_csv_export_has_every_value(world: Any, mrc: Mrc) -> None:
    enter(mrc, D(2024, 3, 1), [10, 0, 5])
    Project.objects.filter(pk=mrc.project.pk).update(title={"en": "=HYPERLINK(1)"})
    response = world.client_for(None).get(f"/en/projects/{mrc.project.pk}/results.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["project_id", "project", "indicator", "unit", "breakdown", "period", "value"]
    assert len(rows) == 4
    assert rows[1][1] == "'=HYPERLINK(1)"  # no formula injection into spreadsheets
    assert {r[4] for r in rows[1:]} == {"In person", "Telephone or hotline", "Online"}
    assert {r[5] for r in rows[1:]} == {"2024-03"}


def test_the_places_overview_lists_places_of_visible_projects(world: Any, mrc: Mrc) -> None:
    text = world.client_for(None).get("/en/projects/places/").text
    assert "Islamabad" in text
    assert "33.68440" in text
    assert 'role="img"' in text
    assert "tile" not in text.lower()  # no external map tiles


def test_places_of_hidden_projects_stay_hidden(world: Any, mrc: Mrc) -> None:
    mrc.project.places.clear()
    mrc.hidden.places.set([mrc.place])
    assert "Islamabad" not in world.client_for(None).get("/en/projects/places/").text
    assert "Islamabad" in world.client_for(world.erin).get("/en/projects/places/").text


def _fill(mrc: Mrc, months: int) -> None:
    from dialogos.projects.models import ResultValue, add_months

    ResultValue.objects.bulk_create(
        ResultValue(
            indicator=mrc.indicator, category=c, period=add_months(D(2020, 1, 1), m), value=m
        )
        for m in range(months)
        for c in mrc.channels
    )


@pytest.mark.parametrize("size", [2, 30])
def test_the_list_runs_a_fixed_number_of_queries(
    world: Any, mrc: Mrc, make_project: Any, size: int, django_assert_max_num_queries: Any
) -> None:
    for _n in range(size):
        make_project(places=[mrc.place], countries=[Country.objects.get(code="PK")])
    client = world.client_for(world.erin)
    client.get("/en/projects/")  # warm the session and the principal
    cache.clear()  # every entry rendered afresh: the most a list can cost
    with django_assert_max_num_queries(14):
        assert client.get("/en/projects/").status_code == 200
    with django_assert_max_num_queries(11):  # every entry from the cache
        assert client.get("/en/projects/").status_code == 200


@pytest.mark.parametrize("months", [2, 60])
def test_the_project_page_runs_a_fixed_number_of_queries(
    world: Any, mrc: Mrc, months: int, django_assert_max_num_queries: Any
) -> None:
    _fill(mrc, months)
    client = world.client_for(None)
    with django_assert_max_num_queries(14):
        response = client.get(f"/en/projects/{mrc.project.pk}/")
    assert response.text.count('<tr><th scope="row">') >= months


def test_a_place_links_to_its_projects(world: Any, mrc: Mrc, make_project: Any) -> None:
    make_project(title={"en": "Elsewhere"})
    places = world.client_for(None).get("/en/projects/places/").text
    assert f'href="/en/projects/?place={mrc.place.pk}"' in places
    assert "1 project" in places
    listed = world.client_for(None).get(f"/en/projects/?place={mrc.place.pk}").text
    assert "Migrant Resource Centre Islamabad" in listed
    assert "Elsewhere" not in listed
