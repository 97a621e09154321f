"""Meeting files: type checked from the content, size limited, streamed only after access."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from dialogos.meetings import services
from dialogos.meetings.models import MeetingFile

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def document(world: Any, make_meeting: Any, settings: Any, tmp_path: Any) -> Any:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    meeting = make_meeting(access_level="members")
    return services.save_meeting_document(
        actor=world.alice, meeting=meeting, title={"en": "Agenda", "ru": "Повестка"}
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("agenda.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        (
            "note.DOCX",
            docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("text.odt", odt(), "application/vnd.oasis.opendocument.text"),
    ],
)
def test_files_of_accepted_types_are_stored_privately(
    world: Any, document: Any, name: str, content: bytes, content_type: str
) -> None:
    record = services.attach_meeting_file(
        actor=world.alice, document=document, language="en", upload=upload(name, content)
    )
    assert record.content_type == content_type and record.size == len(content)
    assert record.file.name.startswith("private/meetings/") and name not in record.file.name
    with record.file.open("rb") as f:
        assert f.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("agenda.pdf", PNG),  # a PNG that says it is a PDF
        ("report.docx", odt()),  # an ODT that says it is DOCX
        ("minutes.pdf", b"<html><script>alert(1)</script></html>"),
        ("archive.docx", b"PK\x03\x04not really a zip"),
        ("program.exe", b"MZ\x90\x00"),
        ("empty.pdf", b""),
    ],
)
def test_a_file_that_lies_about_its_type_is_refused(
    world: Any, document: Any, name: str, content: bytes
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.attach_meeting_file(
            actor=world.alice, document=document, language="en", upload=upload(name, content)
        )
    assert "file" in caught.value.message_dict
    assert not MeetingFile.objects.exists()


def test_a_file_over_the_size_limit_is_refused(world: Any, document: Any, settings: Any) -> None:
    settings.MEETING_FILE_MAX_BYTES = 20
    with pytest.raises(ValidationError) as caught:
        services.attach_meeting_file(
            actor=world.alice, document=document, language="en", upload=upload("a.pdf", PDF)
        )
    assert "too large" in caught.value.message_dict["file"][0]


def test_a_new_language_version_replaces_the_old_one(world: Any, document: Any) -> None:
    first = services.attach_meeting_file(
        actor=world.alice, document=document, language="ru", upload=upload("a.pdf", PDF)
    )
    second = services.attach_meeting_file(
        actor=world.alice, document=document, language="ru", upload=upload("b.png", PNG)
    )
    assert first.pk == second.pk and MeetingFile.objects.count() == 1
    assert second.original_name == "b.png"
    with pytest.raises(ValidationError) as caught:
        services.attach_meeting_file(
            actor=world.alice, document=document, language="xx", upload=upload("a.pdf", PDF)
        )
    assert "language" in caught.value.message_dict


def test_a_file_is_opened_only_for_those_who_may_see_its_document(
    world: Any, document: Any
) -> None:
    record = services.attach_meeting_file(
        actor=world.alice, document=document, language="en", upload=upload("a.pdf", PDF)
    )
    assert services.open_meeting_file(user=world.bob, file_id=record.pk) == record
    for outsider in (None, world.frank, world.erin):
        with pytest.raises(Http404):
            services.open_meeting_file(user=outsider, file_id=record.pk)
    with pytest.raises(Http404):
        services.open_meeting_file(user=world.alice, file_id=record.pk + 1000)
    with pytest.raises(Http404):
        services.open_meeting_file(user=world.alice, file_id="nonsense")
    services.save_meeting_document(
        actor=world.alice,
        meeting=document.meeting,
        document=document,
        title=document.title,
        access_level="secretariat",
    )
    with pytest.raises(Http404):
        services.open_meeting_file(user=world.bob, file_id=record.pk)
    assert services.open_meeting_file(user=world.alice, file_id=record.pk) == record
