"""The secretariat's meeting pages: who may open them, the meeting form, agenda, documents,
minutes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogos.meetings import services
from dialogos.meetings.models import (
    AgendaSession,
    Meeting,
    MeetingDocument,
    MeetingFile,
    MinutesRevision,
)
from tests.meetings.conftest import wall

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def url(name: str, *args: Any) -> str:
    return reverse(f"meetings_workspace:{name}", args=["prague-process", *args])


def meeting_pages(meeting: Meeting, decision_pk: int) -> list[str]:
    return [
        url("list"),
        url("create"),
        url("schedule_mass"),
        url("decision", decision_pk),
        *(
            url(name, meeting.pk)
            for name in (
                "detail",
                "edit",
                "quotas",
                "agenda",
                "documents",
                "minutes",
                "registrations",
                "export_csv",
                "export_xlsx",
                "schedule",
            )
        ),
    ]


@pytest.fixture
def meeting(make_meeting: Any) -> Meeting:
    return make_meeting(capacity=10)


def test_every_page_is_404_for_everyone_but_the_secretariat(world: Any, meeting: Meeting) -> None:
    other = services.create_meeting(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Other"},
        start=timezone.now() + datetime.timedelta(days=90),
        end=timezone.now() + datetime.timedelta(days=91),
        time_zone="UTC",
    )
    decision = services.change_meeting_schedule(
        actor=world.alice,
        meeting=other,
        action="postpone",
        reason={"en": "Pandemic", "ru": "Пандемия"},
    )
    pages = meeting_pages(meeting, decision.pk)
    for user in (None, world.frank, world.bob, world.dan, world.erin):
        client = world.client_for(user)
        for page in pages:
            assert client.get(page).status_code == 404, (user, page)
    for user in (world.alice, world.olga):
        client = world.client_for(user)
        for page in pages:
            assert client.get(page).status_code == 200, (user, page)


def test_posts_are_refused_to_others_too(world: Any, meeting: Meeting) -> None:
    client = world.client_for(world.erin)
    response = client.post(url("edit", meeting.pk), {"title_en": "Hijacked"})
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.title["en"] == "Expert workshop"


def meeting_data(**changes: Any) -> dict[str, Any]:
    data = {
        "title_en": "Workshop on return",
        "title_ru": "Семинар по возвращению",
        "type": "workshop",
        "level": "experts",
        "format": "in_person",
        "start": "2031-03-10T09:00",
        "end": "2031-03-11T17:00",
        "time_zone": "Europe/Prague",
        "status": "planned",
        "access_level": "public",
        "registration_mode": "invitation",
        "requires_approval": "on",
        "capacity": "40",
        "seats_per_state": "2",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_secretariat_creates_a_meeting_in_its_own_time_zone(world: Any) -> None:
    client = world.client_for(world.alice)
    response = client.post(url("create"), meeting_data(host_states=["CZ"]))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", meeting.pk)
    assert meeting.title == {"en": "Workshop on return", "ru": "Семинар по возвращению"}
    assert meeting.time_zone == "Europe/Prague"
    # 09:00 in Prague in winter is 08:00 UTC.
    assert meeting.start == datetime.datetime(2031, 3, 10, 8, 0, tzinfo=datetime.UTC)
    assert [c.code for c in meeting.host_states.all()] == ["CZ"]
    assert meeting.capacity == 40
    page = client.get(response["Location"])
    assert "The meeting was saved." in page.content.decode()


def test_the_edit_form_shows_local_times(world: Any, meeting: Meeting) -> None:
    response = world.client_for(world.alice).get(url("edit", meeting.pk))
    local = meeting.local_start().strftime("%Y-%m-%dT%H:%M")
    assert f'value="{local}"' in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone", "Select a valid choice"),
        ({"end": "2031-03-09T17:00"}, "end", "The meeting must end after it starts."),
        ({"capacity": "1", "seats_per_state": "2"}, "seats_per_state", "exceed the total seats"),
    ],
)
def test_bad_input_shows_a_message_and_saves_nothing(
    world: Any, changes: dict[str, Any], field: str, message: str
) -> None:
    response = world.client_for(world.alice).post(url("create"), meeting_data(**changes))
    assert response.status_code == 200
    assert message in " ".join(str(e) for e in response.context["form"].errors[field])
    assert not Meeting.objects.exists()


def test_dates_of_a_meeting_with_registrants_change_only_through_a_change_of_schedule(
    world: Any, meeting: Meeting, make_person: Any
) -> None:
    services.add_registration(actor=world.alice, meeting=meeting, person=make_person())
    client = world.client_for(world.alice)
    page = client.get(url("edit", meeting.pk))
    data = {k: v for k, v in page.context["form"].initial.items() if v not in (None, "")}
    form = page.context["form"]
    post = {}
    for name, bound in ((n, form[n]) for n in form.fields):
        value = bound.value()
        if name in {"title", "objectives", "occasion", "venue", "city", "attendance_note"}:
            for code in ("en", "ru"):
                post[f"{name}_{code}"] = (value or {}).get(code, "")
        elif isinstance(value, bool):
            if value:
                post[name] = "on"
        elif isinstance(value, list):
            post[name] = value
        elif isinstance(value, datetime.datetime):
            post[name] = value.strftime("%Y-%m-%dT%H:%M")
        elif value is not None:
            post[name] = str(value)
    assert data
    post["start"] = "2031-01-01T09:00"
    post["end"] = "2031-01-02T09:00"
    response = client.post(url("edit", meeting.pk), post)
    assert response.status_code == 200
    assert "through a change of schedule" in str(response.context["form"].errors)
    old = meeting.start
    meeting.refresh_from_db()
    assert meeting.start == old


def test_the_list_shows_upcoming_and_past_in_constant_queries(
    world: Any, make_meeting: Any, make_person: Any
) -> None:
    client = world.client_for(world.alice)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("list")).status_code == 200
        return len(queries)

    make_meeting(title={"en": "First upcoming"})
    baseline = count()
    for n in range(4):
        m = make_meeting(title={"en": f"More {n}"}, host_states=[])
        services.add_registration(actor=world.alice, meeting=m, person=make_person())
    make_meeting(
        title={"en": "Long ago"},
        start=timezone.now() - datetime.timedelta(days=400),
        end=timezone.now() - datetime.timedelta(days=399),
    )
    assert count() == baseline
    body = client.get(url("list")).content.decode()
    assert "First upcoming" in body and "Long ago" in body
    assert body.index("First upcoming") < body.index("Past") < body.index("Long ago")


def test_quotas_are_set_and_one_above_capacity_is_refused(world: Any, meeting: Meeting) -> None:
    client = world.client_for(world.alice)
    response = client.post(url("quotas", meeting.pk), {"country": "CZ", "seats": "3"})
    assert response.status_code == 302
    assert meeting.state_quotas.get().seats == 3
    response = client.post(url("quotas", meeting.pk), {"country": "LT", "seats": "11"})
    assert response.status_code == 200
    assert not meeting.state_quotas.filter(country_id="LT").exists()
    assert response.context["form"].errors


def test_agenda_days_and_sessions_with_chairs(
    world: Any, make_person: Any, make_meeting: Any
) -> None:
    meeting = make_meeting(start=wall(2031, 5, 4, 9, 0), end=wall(2031, 5, 5, 17, 0))
    chair = make_person("Novak")
    client = world.client_for(world.alice)
    response = client.post(
        url("agenda", meeting.pk),
        {"form": "day", "day-date": "2031-05-04", "day-title_en": "Day 1"},
    )
    assert response.status_code == 302
    day = meeting.agenda_days.get()
    outside = client.post(url("agenda", meeting.pk), {"form": "day", "day-date": "2031-06-01"})
    assert "not within the meeting" in outside.content.decode()
    response = client.post(
        url("agenda", meeting.pk),
        {
            "form": "session",
            "session-day": day.pk,
            "session-start_time": "09:30",
            "session-end_time": "11:00",
            "session-title_en": "Opening",
            "session-chairs": [chair.pk],
            "session-order": "0",
            "session-access_level": "inherit",
        },
    )
    assert response.status_code == 302, response.context["session_form"].errors
    session = AgendaSession.objects.get()
    assert list(session.chairs.all()) == [chair]
    assert "Novak" in client.get(url("agenda", meeting.pk)).content.decode()
    response = client.post(url("session_delete", meeting.pk, session.pk))
    assert response.status_code == 302
    assert not AgendaSession.objects.exists()


@pytest.fixture
def private_storage(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def test_documents_take_one_file_per_language_and_refuse_a_lying_file(
    world: Any, meeting: Meeting, private_storage: None
) -> None:
    client = world.client_for(world.alice)
    response = client.post(
        url("documents", meeting.pk),
        {"kind": "agenda", "title_en": "Agenda", "order": "0", "access_level": "inherit"},
    )
    assert response.status_code == 302
    document = MeetingDocument.objects.get()
    upload_url = url("document_upload", meeting.pk, document.pk)
    response = client.post(
        upload_url,
        {"language": "ru", "file": SimpleUploadedFile("agenda.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302
    assert document.files.get().language == "ru"
    response = client.post(
        upload_url,
        {"language": "en", "file": SimpleUploadedFile("agenda.pdf", b"MZ\x90\x00 not a pdf")},
    )
    assert response.status_code == 200
    assert response.context["failed_form"].errors["file"]
    assert MeetingFile.objects.count() == 1


def test_a_documents_details_change_and_it_can_be_removed_with_its_files(
    world: Any, meeting: Meeting, private_storage: None
) -> None:
    from dialogos.core.models import AccessLevel

    document = services.save_meeting_document(
        actor=world.alice, meeting=meeting, title={"en": "Agenda"}, kind="agenda"
    )
    services.attach_meeting_file(
        actor=world.alice,
        document=document,
        language="en",
        upload=SimpleUploadedFile("agenda.pdf", PDF, "application/pdf"),
    )
    edit = url("document_edit", meeting.pk, document.pk)
    for outsider in (world.bob, world.erin):
        assert world.client_for(outsider).get(edit).status_code == 404
    client = world.client_for(world.alice)
    assert edit in client.get(url("documents", meeting.pk)).content.decode()
    page = client.get(edit)
    assert page.status_code == 200 and 'value="Agenda"' in page.content.decode()
    response = client.post(
        edit,
        {
            "kind": "concept_note",
            "title_en": "Concept note",
            "title_ru": "Концептуальная записка",
            "order": "2",
            "access_level": AccessLevel.SECRETARIAT,
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.kind, str(document.title), document.order) == (
        "concept_note",
        "Concept note",
        2,
    )
    assert document.access_level == AccessLevel.SECRETARIAT
    # A title is required: nothing changes.
    response = client.post(
        edit, {"kind": "agenda", "title_en": "", "order": "0", "access_level": "inherit"}
    )
    assert response.status_code == 200
    document.refresh_from_db()
    assert document.kind == "concept_note"
    # Removal takes the files too.
    assert client.post(edit, {"remove": "1"}).status_code == 302
    assert not MeetingDocument.objects.filter(pk=document.pk).exists()
    assert MeetingFile.objects.count() == 0


def test_minutes_are_saved_as_revisions(world: Any, meeting: Meeting) -> None:
    client = world.client_for(world.alice)
    for text in ("First draft", "Second draft"):
        response = client.post(
            url("minutes", meeting.pk), {"text_en": text, "note": f"{text} note"}
        )
        assert response.status_code == 302
    assert list(MinutesRevision.objects.values_list("number", flat=True).order_by("number")) == [
        1,
        2,
    ]
    page = client.get(url("minutes", meeting.pk)).content.decode()
    assert "Second draft note" in page and "First draft note" in page
    assert "Second draft</textarea>" in page


def test_russian_pages_render(world: Any, meeting: Meeting) -> None:
    client = world.client_for(world.alice)
    for name in ("detail", "edit", "registrations", "schedule", "agenda"):
        response = client.get(
            reverse(f"meetings_workspace:{name}", args=["prague-process", meeting.pk]).replace(
                "/en/", "/ru/", 1
            )
        )
        assert response.status_code == 200
        assert "Экспертный семинар" in response.content.decode()
    response = client.get(url("list").replace("/en/", "/ru/", 1))
    assert response.status_code == 200
    assert 'lang="ru"' in response.content.decode()


def test_times_show_in_the_meetings_own_zone(world: Any, make_meeting: Any) -> None:
    make_meeting(
        title={"en": "Tbilisi"},
        start=wall(2031, 5, 4, 9, 30),
        end=wall(2031, 5, 4, 17, 0),
        time_zone="Asia/Tbilisi",
    )
    body = world.client_for(world.alice).get(url("list")).content.decode()
    assert "2031-05-04 09:30" in body and "Asia/Tbilisi" in body
