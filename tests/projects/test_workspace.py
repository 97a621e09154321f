"""The secretariat's project pages: only the dialogue's secretariat (or an operator) gets in;
projects, places, types, funding, staff, indicators and results are managed through forms whose
bad input is shown on the form and saves nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from dialogos.core.models import AuditEntry
from dialogos.projects.models import (
    Funding,
    Indicator,
    IndicatorCategory,
    Place,
    Project,
    ProjectMember,
    ResultValue,
)
from tests.projects.conftest import D, Mrc

pytestmark = pytest.mark.django_db

WS = "/en/workspace/budapest-process/projects"


def _urls(mrc: Mrc) -> list[str]:
    p = mrc.project.pk
    i = mrc.indicator.pk
    return [
        f"{WS}/",
        f"{WS}/new/",
        f"{WS}/places/",
        f"{WS}/places/new/",
        f"{WS}/places/{mrc.place.pk}/",
        f"{WS}/types/",
        f"{WS}/types/new/",
        f"{WS}/{p}/",
        f"{WS}/{p}/edit/",
        f"{WS}/{p}/funding/new/",
        f"{WS}/{p}/staff/new/",
        f"{WS}/{p}/indicators/new/",
        f"{WS}/{p}/indicators/{i}/",
        f"{WS}/{p}/indicators/{i}/edit/",
        f"{WS}/{p}/delete/",
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [("erin", 200), ("olga", 200), ("alice", 404), ("frank", 404), ("sam", 404), (None, 404)],
)
def test_only_the_secretariat_gets_in(world: Any, mrc: Mrc, who: str | None, status: int) -> None:
    user = mrc.staff if who == "sam" else getattr(world, who) if who else None
    client = world.client_for(user)
    for url in _urls(mrc):
        assert client.get(url).status_code == status, url


def test_outsiders_cannot_post_either(world: Any, mrc: Mrc) -> None:
    client = world.client_for(world.alice)
    response = client.post(f"{WS}/{mrc.project.pk}/delete/")
    assert response.status_code == 404
    assert Project.objects.filter(pk=mrc.project.pk).exists()


def test_the_section_appears_in_the_workspace_menu(world: Any, mrc: Mrc) -> None:
    text = world.client_for(world.erin).get(f"{WS}/").text
    assert f'href="{WS}/"' in text
    assert "Migrant Resource Centre Islamabad" in text
    assert "Confidential pilot" in text


def test_the_secretariat_adds_a_project(world: Any, mrc: Mrc) -> None:
    response = world.client_for(world.erin).post(
        f"{WS}/new/",
        {
            "title_en": "Migrant Resource Centre Lahore",
            "title_ru": "Ресурсный центр в Лахоре",
            "type": mrc.mrc_type.pk,
            "status": "ongoing",
            "start": "2016-01-01",
            "end": "",
            "currency": "eur",
            "access_level": "public",
            "countries": ["PK"],
            "places": [mrc.place.pk],
            "summary_en": "",
            "summary_ru": "",
            "objectives_en": "Counselling",
            "objectives_ru": "",
            "website": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    project = Project.objects.get(title__en="Migrant Resource Centre Lahore")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/projects/{project.pk}/")
    assert project.currency == "EUR"
    assert list(project.places.all()) == [mrc.place]
    assert AuditEntry.objects.filter(verb="project saved", object_id=str(project.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"currency": "XYZ"}, "currency", "is not an ISO 4217 currency code"),
        ({"end": "2010-01-01"}, "end", "cannot end before it starts"),
        ({"start": "yesterday"}, "start", "Enter a valid date"),
        ({"title_en": "", "title_ru": ""}, "title", "at least one language"),
        ({"access_level": "inherit"}, "access_level", "Select a valid choice"),
    ],
)
def test_bad_project_input_is_shown_and_saves_nothing(
    world: Any, mrc: Mrc, changes: dict[str, str], field: str, message: str
) -> None:
    data = {
        "title_en": "New",
        "title_ru": "",
        "status": "ongoing",
        "start": "2020-01-01",
        "end": "",
        "currency": "EUR",
        "access_level": "public",
        **changes,
    }
    before = Project.objects.count()
    response = world.client_for(world.erin).post(f"{WS}/new/", data)
    assert response.status_code == 200
    assert message in response.text
    assert response.context["form"].errors[field]
    assert Project.objects.count() == before


def test_places_with_coordinates_out_of_range_are_refused(world: Any, mrc: Mrc) -> None:
    client = world.client_for(world.erin)
    data = {
        "name_en": "Nowhere",
        "name_ru": "",
        "country": "PK",
        "latitude": "91",
        "longitude": "0",
    }
    response = client.post(f"{WS}/places/new/", data)
    assert response.status_code == 200
    assert "less than or equal to 90" in response.text
    response = client.post(f"{WS}/places/new/", {**data, "latitude": "10", "longitude": "-181"})
    assert "greater than or equal to -180" in response.text
    response = client.post(f"{WS}/places/new/", {**data, "latitude": "abc"})
    assert response.context["form"].errors["latitude"]
    assert not Place.objects.filter(name__en="Nowhere").exists()
    response = client.post(f"{WS}/places/new/", {**data, "latitude": "-33.5", "longitude": "151"})
    assert response.status_code == 302
    assert Place.objects.get(name__en="Nowhere").latitude == Decimal("-33.5")


def test_funding_is_recorded_per_donor_in_the_projects_currency(world: Any, mrc: Mrc) -> None:
    client = world.client_for(world.erin)
    url = f"{WS}/{mrc.project.pk}/funding/new/"
    base = {"donor_country": "HU", "donor_organisation": "", "amount": "150000", "note_en": ""}
    mismatch = client.post(url, {**base, "currency": "USD"})
    assert "recorded in EUR" in mismatch.text
    unknown = client.post(url, {**base, "currency": "ABC"})
    assert "is not an ISO 4217 currency code" in unknown.text
    negative = client.post(url, {**base, "amount": "-5", "currency": "EUR"})
    assert negative.context["form"].errors["amount"]
    nobody = client.post(url, {**base, "donor_country": "", "currency": "EUR"})
    assert "Name one donor" in nobody.text
    assert not Funding.objects.exists()
    assert client.post(url, {**base, "currency": "eur"}).status_code == 302
    twice = client.post(url, {**base, "currency": "EUR"})
    assert "already funds the project" in twice.text
    assert Funding.objects.get().amount == Decimal("150000")
    text = client.get(f"/en/projects/{mrc.project.pk}/").text
    assert "Hungary" in text
    assert "150,000 EUR" in text


def test_the_currency_cannot_change_under_recorded_funding(world: Any, mrc: Mrc) -> None:
    Funding.objects.create(
        project=mrc.project, donor_country_id="HU", amount=Decimal(10), currency="EUR"
    )
    response = world.client_for(world.erin).post(
        f"{WS}/{mrc.project.pk}/edit/",
        {
            "title_en": "Migrant Resource Centre Islamabad",
            "title_ru": "",
            "status": "ongoing",
            "start": "2020-01-01",
            "end": "2024-12-31",
            "currency": "USD",
            "access_level": "public",
        },
    )
    assert "change or remove it" in response.text
    assert Project.objects.get(pk=mrc.project.pk).currency == "EUR"


def test_the_secretariat_manages_staff(world: Any, mrc: Mrc) -> None:
    client = world.client_for(world.erin)
    url = f"{WS}/{mrc.project.pk}/staff/new/"
    assert (
        "No account has this e-mail"
        in client.post(url, {"email": "nobody@x.org", "role": "staff"}).text
    )
    assert "already works" in client.post(url, {"email": "sam@example.org", "role": "staff"}).text
    assert client.post(url, {"email": "FRANK@example.org", "role": "staff"}).status_code == 302
    member = ProjectMember.objects.get(user=world.frank)
    response = client.post(f"{WS}/{mrc.project.pk}/staff/{member.pk}/delete/")
    assert response.status_code == 302
    assert not ProjectMember.objects.filter(user=world.frank).exists()


def test_the_secretariat_sets_an_indicator_and_its_breakdown(world: Any, mrc: Mrc) -> None:
    client = world.client_for(world.erin)
    response = client.post(
        f"{WS}/{mrc.project.pk}/indicators/new/",
        {
            "title_en": "Pre-departure orientation sessions",
            "title_ru": "",
            "unit_en": "sessions",
            "unit_ru": "",
            "frequency": "quarter",
            "breakdown_en": "",
            "breakdown_ru": "",
            "description_en": "",
            "description_ru": "",
            "order": "20",
        },
    )
    indicator = Indicator.objects.get(title__en="Pre-departure orientation sessions")
    assert response.status_code == 302
    url = f"{WS}/{mrc.project.pk}/indicators/{indicator.pk}/"
    assert (
        client.post(url, {"form": "results", "period": "2024-Q2", "value_total": "12"}).status_code
        == 302
    )
    assert ResultValue.objects.get(indicator=indicator).period == D(2024, 4, 1)
    refused = client.post(
        url, {"form": "category", "name_en": "Women", "name_ru": "", "order": "1"}
    )
    assert "remove them before adding one" in refused.text
    assert not IndicatorCategory.objects.filter(indicator=indicator).exists()


def test_the_secretariat_enters_results(world: Any, mrc: Mrc) -> None:
    client = world.client_for(world.erin)
    url = f"{WS}/{mrc.project.pk}/indicators/{mrc.indicator.pk}/"
    c = mrc.channels
    data = {
        "form": "results",
        "period": "2024-05",
        f"value_{c[0].pk}": "12",
        f"value_{c[1].pk}": "3",
        f"value_{c[2].pk}": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert {v.category_id: v.value for v in ResultValue.objects.all()} == {c[0].pk: 12, c[1].pk: 3}
    assert AuditEntry.objects.filter(verb="results entered").count() == 1


def test_removing_a_type_in_use_is_refused(world: Any, mrc: Mrc) -> None:
    client = world.client_for(world.erin)
    response = client.post(f"{WS}/types/{mrc.mrc_type.pk}/delete/", follow=True)
    assert "give them another type first" in response.text
    assert mrc.project.type is not None
