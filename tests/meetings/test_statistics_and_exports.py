"""The figures a report needs, and the secretariat's exports."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from dialogos.core.models import Country
from dialogos.meetings import services
from dialogos.people.models import Person


@pytest.fixture
def som(world: Any, make_meeting: Any, make_person: Any) -> Any:
    meeting = make_meeting(title={"en": "Senior Officials' Meeting"})
    spec = [
        ("Novak", "CZ", Person.Level.SENIOR_OFFICIAL, Person.Gender.FEMALE),
        ("Dvorak", "CZ", Person.Level.EXPERT, Person.Gender.MALE),
        ("Kazlauskas", "LT", Person.Level.SENIOR_OFFICIAL, Person.Gender.MALE),
        ("Nagy", "HU", Person.Level.SENIOR_OFFICIAL, Person.Gender.FEMALE),
    ]
    for name, code, level, gender in spec:
        services.add_registration(
            actor=world.alice,
            meeting=meeting,
            person=make_person(name, country=code, level=level, gender=gender),
            country=Country.objects.get(code=code),
        )
    withdrawn = services.add_registration(
        actor=world.alice,
        meeting=meeting,
        person=make_person("Gone", country="PL"),
        country=Country.objects.get(code="PL"),
    )
    services.withdraw_registration(actor=world.alice, registration=withdrawn)
    services.add_registration(
        actor=world.alice,
        meeting=meeting,
        person=make_person('=HYPERLINK("http://evil")', country=None),
        organisation=world.icmpd,
    )
    return meeting


def test_statistics_count_participants_by_state_level_and_gender(som: Any) -> None:
    stats = services.meeting_statistics(som)
    assert stats.participants == 5
    assert stats.countries == 3
    assert stats.organisations == 1
    assert stats.by_state[0][0] == "CZ" and stats.by_state[0][2] == 2
    assert {code for code, _name, _n in stats.by_state} == {"CZ", "LT", "HU"}
    assert stats.by_level["Senior official"] == 3
    assert stats.by_gender == {"Not stated": 1, "Woman": 2, "Man": 2}
    assert stats.summary() == "5 officials from 3 countries"


def test_once_attendance_is_recorded_only_those_present_count(world: Any, som: Any) -> None:
    from dialogos.meetings.models import Meeting, Registration

    Meeting.objects.filter(pk=som.pk).update(start=som.start.replace(year=2000))
    som.refresh_from_db()
    for reg in Registration.objects.filter(meeting=som, country_id="CZ"):
        services.record_attendance(actor=world.alice, registration=reg, attended=True)
    stats = services.meeting_statistics(som)
    assert stats.summary() == "2 officials from 1 country"


def test_the_csv_export_holds_every_registration_and_defuses_formulas(world: Any, som: Any) -> None:
    text = services.export_registrations_csv(viewer=world.alice, meeting=som)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["State", "Organisation", "Family name"]
    assert len(body) == 6
    families = {row[2] for row in body}
    assert {"Novak", "Dvorak", "Kazlauskas", "Nagy", "Gone"} <= families
    assert '\'=HYPERLINK("http://evil")' in families
    status = {row[2]: row[header.index("Status")] for row in body}
    assert status["Gone"] == "Withdrawn" and status["Novak"] == "Confirmed"


def test_the_xlsx_export_has_the_list_and_the_figures(world: Any, som: Any) -> None:
    data = services.export_registrations_xlsx(viewer=world.alice, meeting=som)
    book = load_workbook(io.BytesIO(data))
    sheet, figures = book.worksheets
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][2] == "Family name"
    assert len(values) == 7
    assert {row[2] for row in values[1:]} >= {"Novak", "Kazlauskas"}
    assert figures["A1"].value == "5 officials from 3 countries"


def test_only_the_secretariat_exports(world: Any, som: Any) -> None:
    for outsider in (world.bob, world.dan, world.erin, world.frank, None):
        with pytest.raises(PermissionDenied):
            services.export_registrations_csv(viewer=outsider, meeting=som)
        with pytest.raises(PermissionDenied):
            services.export_registrations_xlsx(viewer=outsider, meeting=som)
