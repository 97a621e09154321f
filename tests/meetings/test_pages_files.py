"""Meeting files are streamed only to those who may see their document; otherwise 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dialogos.meetings import services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_storage(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def attach(world: Any, meeting: Any, **document: Any) -> Any:
    doc = services.save_meeting_document(
        actor=world.alice, meeting=meeting, title={"en": "Agenda"}, **document
    )
    return services.attach_meeting_file(
        actor=world.alice,
        document=doc,
        language="en",
        upload=SimpleUploadedFile("Draft agenda (v2).pdf", PDF, "application/pdf"),
    )


def test_it_streams_a_public_file_with_safe_headers(world: Any, make_meeting: Any) -> None:
    record = attach(world, make_meeting())

    response = world.client_for(None).get(f"/en/meetings/files/{record.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="Draft agenda (v2).pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_the_meeting_page_links_to_the_file(world: Any, make_meeting: Any) -> None:
    meeting = make_meeting()
    record = attach(world, meeting)

    html = world.client_for(None).get(f"/en/meetings/{meeting.pk}/").content.decode()

    assert f'href="/en/meetings/files/{record.pk}/"' in html


@pytest.mark.parametrize("who", [None, "frank", "bob", "erin"])
def test_a_file_of_a_secretariat_meeting_is_not_found(
    world: Any, make_meeting: Any, who: str | None
) -> None:
    record = attach(world, make_meeting(access_level="secretariat"))
    client = world.client_for(getattr(world, who) if who else None)

    assert client.get(f"/en/meetings/files/{record.pk}/").status_code == 404
    assert client.get(f"/en/meetings/files/{record.pk + 100}/").status_code == 404


@pytest.mark.parametrize("who", ["alice", "olga"])
def test_the_secretariat_downloads_a_secretariat_file(
    world: Any, make_meeting: Any, who: str
) -> None:
    record = attach(world, make_meeting(access_level="secretariat"))
    response = world.client_for(getattr(world, who)).get(f"/en/meetings/files/{record.pk}/")
    assert response.status_code == 200


def test_a_members_document_of_a_public_meeting_is_for_members(
    world: Any, make_meeting: Any
) -> None:
    record = attach(world, make_meeting(), access_level="members")

    assert world.client_for(world.dan).get(f"/en/meetings/files/{record.pk}/").status_code == 200
    assert world.client_for(None).get(f"/en/meetings/files/{record.pk}/").status_code == 404
    assert world.client_for(world.erin).get(f"/en/meetings/files/{record.pk}/").status_code == 404
