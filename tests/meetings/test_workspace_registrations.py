"""The secretariat's registrations page: decisions, the waiting list, attendance, credentials,
exports and statistics, all through HTTP."""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dialogos.core.models import Country
from dialogos.meetings import services
from dialogos.meetings.models import Credentials, Meeting, Registration
from tests.meetings.conftest import outbox_to

Status = Registration.Status
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def url(name: str, *args: Any) -> str:
    return reverse(f"meetings_workspace:{name}", args=["prague-process", *args])


def cz() -> Country:
    return Country.objects.get(code="CZ")


@pytest.fixture
def meeting(make_meeting: Any) -> Meeting:
    return make_meeting(
        capacity=2,
        requires_approval=True,
        registration_mode=Meeting.RegistrationMode.INVITATION,
    )


def nominate(world: Any, meeting: Meeting, person: Any) -> Registration:
    return services.nominate_delegate(actor=world.bob, meeting=meeting, person=person, country=cz())


def test_approve_and_reject_with_a_reason_change_the_registration_and_write(
    world: Any, meeting: Meeting, make_person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    a = nominate(world, meeting, make_person("Adamova"))
    b = nominate(world, meeting, make_person("Benes"))
    client = world.client_for(world.alice)
    page = client.get(url("registrations", meeting.pk)).content.decode()
    assert "Adamova" in page and "Benes" in page and "Awaiting approval" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("registration_action", meeting.pk, a.pk, "approve"))
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == Status.CONFIRMED
    assert any("confirmed" in m.subject for m in outbox_to(a.person.email))

    # Without a reason, nothing happens.
    response = client.post(url("registration_action", meeting.pk, b.pk, "reject"), {"reason": ""})
    b.refresh_from_db()
    assert b.status == Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("registration_action", meeting.pk, b.pk, "reject"),
            {"reason": "The delegation is complete."},
            follow=True,
        )
    b.refresh_from_db()
    assert b.status == Status.REJECTED and b.decision_reason == "The delegation is complete."
    assert any("The delegation is complete." in m.body for m in outbox_to(b.person.email))
    assert "Rejected" in response.content.decode()


def test_actions_need_post_and_the_secretariat(
    world: Any, meeting: Meeting, make_person: Any
) -> None:
    a = nominate(world, meeting, make_person())
    target = url("registration_action", meeting.pk, a.pk, "approve")
    assert world.client_for(world.alice).get(target).status_code == 405
    for user in (None, world.bob, world.erin):
        assert world.client_for(user).post(target).status_code == 404
    a.refresh_from_db()
    assert a.status == Status.PENDING
    assert (
        world.client_for(world.alice)
        .post(url("registration_action", meeting.pk, a.pk, "explode"))
        .status_code
        == 404
    )


def test_withdrawing_frees_the_seat_for_the_first_waiting_who_is_told(
    world: Any, make_meeting: Any, make_person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting(capacity=1)
    first = services.add_registration(actor=world.alice, meeting=meeting, person=make_person())
    waiting = services.add_registration(actor=world.alice, meeting=meeting, person=make_person())
    assert waiting.status == Status.WAITING
    client = world.client_for(world.alice)
    # Promoting out of turn is refused while no seat is free: a message, nothing changes.
    response = client.post(
        url("registration_action", meeting.pk, waiting.pk, "promote"), follow=True
    )
    assert response.status_code == 200
    assert list(response.context["messages"])
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITING
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("registration_action", meeting.pk, first.pk, "withdraw"))
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == Status.WITHDRAWN
    assert waiting.status == Status.CONFIRMED
    assert ["seat is free" in m.subject for m in outbox_to(waiting.person.email)].count(True) == 1


def test_the_secretariat_promotes_out_of_turn_when_a_seat_is_free(
    world: Any, make_meeting: Any, make_person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = make_meeting(capacity=2)
    services.add_registration(actor=world.alice, meeting=meeting, person=make_person())
    second = services.add_registration(actor=world.alice, meeting=meeting, person=make_person())
    waiting = services.add_registration(actor=world.alice, meeting=meeting, person=make_person())
    assert waiting.status == Status.WAITING
    # A seat freed behind the services' back (e.g. by the admin): promote by hand.
    Registration.objects.filter(pk=second.pk).update(status=Status.WITHDRAWN)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        world.client_for(world.alice).post(
            url("registration_action", meeting.pk, waiting.pk, "promote")
        )
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert ["seat is free" in m.subject for m in outbox_to(waiting.person.email)].count(True) == 1


def test_attendance_is_recorded_from_the_page(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting(start=timezone.now() - datetime.timedelta(hours=2))
    r = services.add_registration(actor=world.alice, meeting=meeting, person=make_person())
    client = world.client_for(world.alice)
    assert "Did not attend" in client.get(url("registrations", meeting.pk)).content.decode()
    client.post(url("registration_action", meeting.pk, r.pk, "attended"))
    r.refresh_from_db()
    assert r.status == Status.ATTENDED


def test_exports_are_downloads_with_every_row(
    world: Any, meeting: Meeting, make_person: Any
) -> None:
    nominate(world, meeting, make_person("Dvorakova"))
    nominate(world, meeting, make_person("=HYPERLINK"))
    client = world.client_for(world.alice)
    response = client.get(url("export_csv", meeting.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8-sig")
    assert "Dvorakova" in text and "'=HYPERLINK" in text
    response = client.get(url("export_xlsx", meeting.pk))
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[2] for row in sheet.iter_rows(values_only=True)]
    assert "Dvorakova" in names
    assert len(names) == 3  # header and two rows


def test_statistics_count_officials_and_countries(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    meeting = make_meeting()
    for code in ("CZ", "CZ", "LT"):
        services.add_registration(
            actor=world.alice,
            meeting=meeting,
            person=make_person(country=code, gender="female"),
            country=Country.objects.get(code=code),
        )
    page = world.client_for(world.alice).get(url("registrations", meeting.pk)).content.decode()
    assert "3 officials from 2 countries" in page
    assert "Lithuania" in page


def test_credentials_are_accredited_or_refused_with_a_reason(
    world: Any, make_meeting: Any, settings: Any, tmp_path: Any
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    meeting = make_meeting(requires_credentials=True)
    record = services.submit_credentials(
        actor=world.bob,
        meeting=meeting,
        country=cz(),
        upload=SimpleUploadedFile("letter.pdf", PDF, "application/pdf"),
    )
    client = world.client_for(world.alice)
    page = client.get(url("registrations", meeting.pk)).content.decode()
    assert "letter.pdf" in page
    letter = client.get(url("credentials_file", meeting.pk, record.pk))
    assert b"".join(letter.streaming_content).startswith(b"%PDF")
    client.post(url("credentials_decide", meeting.pk, record.pk), {"note": ""})
    record.refresh_from_db()
    assert record.status == Credentials.Status.SUBMITTED  # a refusal needs its reason
    client.post(url("credentials_decide", meeting.pk, record.pk), {"note": "Unsigned."})
    record.refresh_from_db()
    assert record.status == Credentials.Status.REFUSED and record.note == "Unsigned."
    client.post(url("credentials_decide", meeting.pk, record.pk), {"accredit": "on"})
    record.refresh_from_db()
    assert record.status == Credentials.Status.ACCREDITED


def test_the_secretariat_adds_registrations_for_states_organisations_and_experts(
    world: Any, meeting: Meeting, make_person: Any
) -> None:
    client = world.client_for(world.alice)
    page = client.get(url("registrations", meeting.pk)).content.decode()
    assert url("registration_add", meeting.pk) in page
    form = client.get(url("registration_add", meeting.pk)).content.decode()
    assert 'name="organisation"' in form and 'name="country"' in form
    # A new person for Czechia: a seat is free, but the meeting needs approval.
    response = client.post(
        url("registration_add", meeting.pk),
        {
            "country": "CZ",
            "given_name": "Eva",
            "family_name": "Horáková",
            "email": "eva@example.net",
            "delegation_role": "head",
            "visibility": "participants",
        },
    )
    assert response.status_code == 302
    reg = Registration.objects.get(person__family_name="Horáková")
    assert (reg.country_id, reg.channel) == ("CZ", Registration.Channel.SECRETARIAT)
    # An existing person for an organisation.
    expert = make_person("Silva", None)
    response = client.post(
        url("registration_add", meeting.pk),
        {
            "organisation": world.icmpd.pk,
            "person": expert.pk,
            "delegation_role": "expert",
            "visibility": "nobody",
        },
    )
    assert response.status_code == 302
    assert Registration.objects.get(person=expert).organisation_id == world.icmpd.pk


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"country": "CZ", "given_name": "", "family_name": "X"}, "given_name"),
        (
            {"country": "CZ", "organisation": "ICMPD", "given_name": "A", "family_name": "B"},
            "organisation",
        ),
        ({"country": "US", "given_name": "A", "family_name": "B"}, "country"),
    ],
)
def test_adding_a_registration_with_bad_input_says_why_and_stores_nothing(
    world: Any, meeting: Meeting, data: dict[str, Any], field: str
) -> None:
    from dialogos.people.models import Person

    if data.get("organisation") == "ICMPD":
        data = {**data, "organisation": world.icmpd.pk}
    persons = Person.objects.count()
    client = world.client_for(world.alice)
    response = client.post(
        url("registration_add", meeting.pk),
        {"delegation_role": "delegate", "visibility": "participants", **data},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert Registration.objects.count() == 0
    assert Person.objects.count() == persons


def test_registering_the_same_person_twice_is_refused_on_the_page(
    world: Any, meeting: Meeting, make_person: Any
) -> None:
    person = make_person("Novak")
    client = world.client_for(world.alice)
    data = {
        "country": "CZ",
        "person": person.pk,
        "delegation_role": "delegate",
        "visibility": "participants",
    }
    assert client.post(url("registration_add", meeting.pk), data).status_code == 302
    response = client.post(url("registration_add", meeting.pk), data)
    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert Registration.objects.filter(person=person).count() == 1


def test_only_the_secretariat_reaches_the_add_registration_page(
    world: Any, meeting: Meeting
) -> None:
    for user in (world.bob, world.erin, world.frank):
        client = world.client_for(user)
        assert client.get(url("registration_add", meeting.pk)).status_code == 404
        response = client.post(
            url("registration_add", meeting.pk),
            {
                "country": "CZ",
                "given_name": "A",
                "family_name": "B",
                "delegation_role": "delegate",
                "visibility": "participants",
            },
        )
        assert response.status_code == 404
    assert Registration.objects.count() == 0
