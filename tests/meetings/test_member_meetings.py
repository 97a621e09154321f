"""Member pages of meetings: my registrations, withdrawing and changing them, the private
calendar, applying, and focal points nominating their state's delegates."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dialogos.core.models import Country
from dialogos.meetings import services
from dialogos.meetings.models import CalendarFeed, Credentials, Meeting, Registration
from dialogos.people.models import Person

Status = Registration.Status
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def url(name: str, *args: Any) -> str:
    return reverse(f"meetings_member:{name}", args=args)


@pytest.fixture
def invitation(make_meeting: Any) -> Meeting:
    return make_meeting(
        title={"en": "Senior officials", "ru": "Старшие должностные лица"},
        registration_mode=Meeting.RegistrationMode.INVITATION,
        requires_credentials=True,
        access_level="members",
    )


@pytest.fixture
def dan_registered(world: Any, make_meeting: Any, make_person: Any) -> Registration:
    meeting = make_meeting(title={"en": "Workshop on return", "ru": "Семинар по возвращению"})
    person = make_person("Dan", user=world.dan, country="LT")
    return services.add_registration(
        actor=world.alice,
        meeting=meeting,
        person=person,
        country=Country.objects.get(code="LT"),
    )


def test_the_pages_need_an_account(world: Any, dan_registered: Registration) -> None:
    client = world.client_for(None)
    for page in (url("mine"), url("registration", dan_registered.pk)):
        response = client.get(page)
        assert response.status_code == 302 and "sign-in" in response["Location"]


def test_dan_sees_and_withdraws_his_registration(world: Any, dan_registered: Registration) -> None:
    client = world.client_for(world.dan)
    page = client.get(url("mine")).content.decode()
    assert "Workshop on return" in page and "Confirmed" in page
    response = client.post(url("registration_withdraw", dan_registered.pk), follow=True)
    assert response.status_code == 200
    dan_registered.refresh_from_db()
    assert dan_registered.status == Status.WITHDRAWN
    assert "was withdrawn" in response.content.decode()


def test_nobody_else_sees_or_withdraws_dans_registration(
    world: Any, dan_registered: Registration
) -> None:
    for user in (world.frank, world.bob, world.erin):
        client = world.client_for(user)
        assert client.get(url("registration", dan_registered.pk)).status_code == 404
        assert client.post(url("registration_withdraw", dan_registered.pk)).status_code == 404
        assert (
            url("registration", dan_registered.pk) not in client.get(url("mine")).content.decode()
        )
    dan_registered.refresh_from_db()
    assert dan_registered.status == Status.CONFIRMED


def test_after_the_deadline_only_the_visibility_changes(
    world: Any, dan_registered: Registration
) -> None:
    meeting = dan_registered.meeting
    services.update_meeting(
        actor=world.alice,
        meeting=meeting,
        changes_deadline=timezone.now() - datetime.timedelta(minutes=1),
    )
    client = world.client_for(world.dan)
    response = client.post(url("registration_withdraw", dan_registered.pk), follow=True)
    assert "deadline for withdrawals has passed" in response.content.decode()
    base = {"delegation_role": "delegate", "visibility": "nobody"}
    response = client.post(url("registration", dan_registered.pk), base)
    assert response.status_code == 302
    response = client.post(
        url("registration", dan_registered.pk), {**base, "needs_diet": "Vegetarian"}
    )
    assert response.status_code == 200
    assert "deadline for changes has passed" in response.content.decode()
    dan_registered.refresh_from_db()
    assert dan_registered.visibility == "nobody" and dan_registered.needs_diet == ""
    assert dan_registered.status == Status.CONFIRMED


def test_the_private_calendar_address_is_shown_and_renewed(world: Any) -> None:
    client = world.client_for(world.dan)
    page = client.get(url("mine")).content.decode()
    feed = CalendarFeed.objects.get(user=world.dan)
    assert feed.token in page
    client.post(url("rotate_feed"))
    feed_after = CalendarFeed.objects.get(user=world.dan)
    assert feed_after.token != feed.token
    assert feed_after.token in client.get(url("mine")).content.decode()


def test_people_apply_to_open_meetings_only(
    world: Any, make_meeting: Any, make_person: Any, invitation: Meeting
) -> None:
    open_meeting = make_meeting(title={"en": "Open webinar"})
    make_person("Frank", user=world.frank, country="CZ")
    client = world.client_for(world.frank)
    mine = client.get(url("mine")).content.decode()
    assert "Open webinar" in mine
    data = {"delegation_role": "expert", "visibility": "participants"}
    response = client.post(url("apply", open_meeting.pk), data)
    assert response.status_code == 302
    assert Registration.objects.get(meeting=open_meeting).person.user == world.frank
    # Applying twice is refused with a message.
    response = client.post(url("apply", open_meeting.pk), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert Registration.objects.filter(meeting=open_meeting).count() == 1
    # An invitation-only meeting of a dialogue frank is not a member of is not even found.
    assert client.get(url("apply", invitation.pk)).status_code == 404


def test_bob_nominates_a_czech_delegate_but_not_a_lithuanian(
    world: Any, invitation: Meeting, make_person: Any
) -> None:
    czech = make_person("Svoboda", country="CZ")
    lithuanian = make_person("Kazlauskas", country="LT")
    client = world.client_for(world.bob)
    assert "Senior officials" in client.get(url("mine")).content.decode()
    page = client.get(url("nominate", invitation.pk))
    form = page.context["form"]
    assert [c.pk for c in form.fields["country"].queryset] == ["CZ"]
    assert list(form.fields["person"].queryset) == [czech]
    assert "Kazlauskas" not in page.content.decode()

    base = {"delegation_role": "head", "visibility": "participants"}
    response = client.post(
        url("nominate", invitation.pk), {**base, "country": "CZ", "person": czech.pk}
    )
    assert response.status_code == 302
    reg = Registration.objects.get(person=czech)
    assert (reg.country_id, reg.channel, reg.nominated_by) == ("CZ", "nomination", world.bob)

    # Forged: Lithuania as the state, or a Lithuanian as the person.
    for forged in (
        {"country": "LT", "person": lithuanian.pk},
        {"country": "CZ", "person": lithuanian.pk},
        {"country": "LT", "given_name": "Forged", "family_name": "Delegate"},
    ):
        response = client.post(url("nominate", invitation.pk), {**base, **forged})
        assert response.status_code == 200 and response.context["form"].errors
    assert not Registration.objects.filter(country_id="LT").exists()
    assert not Person.objects.filter(family_name="Delegate").exists()


def test_a_focal_point_adds_a_new_person_while_nominating(world: Any, invitation: Meeting) -> None:
    client = world.client_for(world.bob)
    data = {
        "country": "CZ",
        "given_name": "Jana",
        "family_name": "Horakova",
        "email": "jana@example.cz",
        "delegation_role": "delegate",
        "visibility": "participants",
    }
    response = client.post(url("nominate", invitation.pk), data)
    assert response.status_code == 302
    person = Person.objects.get(family_name="Horakova")
    assert person.country_id == "CZ"
    assert Registration.objects.get(person=person).status == Status.CONFIRMED
    # Nominating the same person again is refused and creates no second person.
    data["person"] = person.pk
    response = client.post(url("nominate", invitation.pk), data)
    assert response.status_code == 200
    assert Person.objects.filter(family_name="Horakova").count() == 1


def test_others_cannot_nominate(world: Any, invitation: Meeting) -> None:
    for user in (world.dan, world.carol, world.frank):
        assert world.client_for(user).get(url("nominate", invitation.pk)).status_code == 404


def test_bob_uploads_the_letter_of_credentials(
    world: Any, invitation: Meeting, settings: Any, tmp_path: Any
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    client = world.client_for(world.bob)
    response = client.post(
        url("credentials", invitation.pk),
        {"country": "CZ", "file": SimpleUploadedFile("letter.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302
    assert Credentials.objects.get().country_id == "CZ"
    response = client.post(
        url("credentials", invitation.pk),
        {"country": "CZ", "file": SimpleUploadedFile("letter.pdf", b"MZ not a pdf at all")},
    )
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert world.client_for(world.dan).get(url("credentials", invitation.pk)).status_code == 404


def test_russian_member_pages_render(
    world: Any, dan_registered: Registration, invitation: Meeting
) -> None:
    client = world.client_for(world.dan)
    page = client.get(url("mine").replace("/en/", "/ru/", 1))
    assert page.status_code == 200 and "Семинар по возвращению" in page.content.decode()
    page = world.client_for(world.bob).get(
        url("nominate", invitation.pk).replace("/en/", "/ru/", 1)
    )
    assert page.status_code == 200 and "Старшие должностные лица" in page.content.decode()
