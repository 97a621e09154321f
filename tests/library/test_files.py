"""Library files: checked by content, limited in size, versioned, text extracted, streamed
only to those who may read their owner, and counted."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from dialogos.library import services
from dialogos.library.files import extract_text
from dialogos.library.models import LibraryFile
from tests.library.conftest import docx_bytes, odt_bytes, pdf_bytes, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def stored_files(settings: Any) -> list[str]:
    root = settings.STORAGES["default"]["OPTIONS"]["location"]
    found = []
    for folder, _dirs, names in os.walk(root):
        found += [os.path.join(folder, n) for n in names]
    return found


def test_text_is_extracted_from_each_format() -> None:
    import io

    assert "Action Plan" in extract_text(io.BytesIO(pdf_bytes("Action Plan")), "pdf")
    assert extract_text(io.BytesIO(docx_bytes("Первый абзац", "Second")), "docx") == (
        "Первый абзац\nSecond"
    )
    assert extract_text(io.BytesIO(odt_bytes("Border governance")), "odt") == "Border governance"
    assert extract_text(io.BytesIO(xlsx_bytes("Country", "Czechia")), "xlsx") == "Country\nCzechia"
    assert extract_text(io.BytesIO(b"PK\x03\x04broken"), "docx") == ""


def test_an_upload_stores_the_file_and_its_text(world: Any, make_document: Any) -> None:
    document = make_document()
    record = services.attach_file(
        actor=world.alice,
        owner=document,
        language="ru",
        upload=upload("plan.docx", docx_bytes("План действий")),
    )
    assert record.extension == "docx"
    assert record.text == "План действий"
    assert record.version == 1 and record.is_current


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>", "is not a PDF file"),
        ("report.docx", pdf_bytes(), "is not a Word (DOCX) file"),
        ("report.pdf", docx_bytes("x"), "is not a PDF file"),
        ("report.exe", b"MZ\x90\x00", "not accepted"),
        ("report.pdf", b"", "empty"),
    ],
)
def test_lying_or_empty_files_are_refused_and_nothing_is_stored(
    world: Any, make_document: Any, settings: Any, name: str, content: bytes, message: str
) -> None:
    document = make_document()
    with pytest.raises(ValidationError) as refused:
        services.attach_file(
            actor=world.alice, owner=document, language="en", upload=upload(name, content)
        )
    assert message in str(refused.value.message_dict)
    assert not LibraryFile.objects.exists()
    assert stored_files(settings) == []


def test_an_oversized_file_is_refused(world: Any, make_document: Any, settings: Any) -> None:
    settings.LIBRARY_FILE_MAX_BYTES = 100
    with pytest.raises(ValidationError) as refused:
        services.attach_file(
            actor=world.alice,
            owner=make_document(),
            language="en",
            upload=upload("a.pdf", pdf_bytes()),
        )
    assert "too large" in str(refused.value.message_dict["file"])
    assert stored_files(settings) == []


def test_replacing_a_file_keeps_the_earlier_version(
    world: Any, make_document: Any, attach_pdf: Any
) -> None:
    document = make_document()
    first = attach_pdf(document, text="First")
    second = attach_pdf(document, text="Second")
    first.refresh_from_db()
    assert (first.version, first.is_current) == (1, False)
    assert (second.version, second.is_current) == (2, True)
    client = world.client_for(world.alice)
    page = client.get(f"/en/workspace/prague-process/library/documents/{document.pk}/")
    assert page.content.decode().count("plan.pdf") == 2
    # The public page links only the current version.
    public = world.client_for(None).get(f"/en/library/{document.pk}/").content.decode()
    assert f"/en/library/files/{second.pk}/" in public
    assert f"/en/library/files/{first.pk}/" not in public
    # Earlier versions: the secretariat only.
    assert world.client_for(None).get(f"/en/library/files/{first.pk}/").status_code == 404
    assert client.get(f"/en/library/files/{first.pk}/").status_code == 200


def test_a_download_streams_with_safe_headers_and_is_counted(
    world: Any, make_document: Any, attach_pdf: Any
) -> None:
    record = attach_pdf(make_document())
    response = world.client_for(None).get(f"/en/library/files/{record.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    world.client_for(world.dan).get(f"/en/library/files/{record.pk}/")
    record.refresh_from_db()
    assert record.downloads == 2


@pytest.mark.parametrize(
    ("level", "allowed"),
    [
        ("public", {None, "frank", "dan", "bob", "alice", "erin", "olga"}),
        ("members", {"dan", "bob", "carol", "alice", "olga"}),
        ("secretariat", {"alice", "olga"}),
    ],
)
def test_each_role_downloads_exactly_what_it_may_see(
    world: Any, make_document: Any, attach_pdf: Any, level: str, allowed: set[Any]
) -> None:
    record = attach_pdf(make_document(access_level=level))
    for name in (None, "frank", "dan", "bob", "carol", "alice", "erin", "olga"):
        user = getattr(world, name) if name else None
        status = world.client_for(user).get(f"/en/library/files/{record.pk}/").status_code
        expected = 200 if name in allowed or (level == "public") else 404
        assert status == expected, (level, name, status)


def test_a_document_of_a_meeting_follows_the_meeting(
    world: Any, make_document: Any, attach_pdf: Any
) -> None:
    import datetime

    from django.utils import timezone

    from dialogos.meetings import services as meeting_services

    start = timezone.now() + datetime.timedelta(days=10)
    meeting = meeting_services.create_meeting(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Closed meeting"},
        start=start,
        end=start + datetime.timedelta(hours=3),
        access_level="secretariat",
    )
    document = make_document(meeting=meeting, access_level="inherit")
    record = attach_pdf(document)
    assert world.client_for(world.dan).get(f"/en/library/{document.pk}/").status_code == 404
    assert world.client_for(world.dan).get(f"/en/library/files/{record.pk}/").status_code == 404
    assert world.client_for(world.alice).get(f"/en/library/files/{record.pk}/").status_code == 200
    meeting_services.update_meeting(actor=world.alice, meeting=meeting, access_level="members")
    assert world.client_for(world.dan).get(f"/en/library/files/{record.pk}/").status_code == 200
    assert world.client_for(None).get(f"/en/library/files/{record.pk}/").status_code == 404


def test_an_inheriting_document_needs_a_meeting(world: Any, make_document: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        make_document(access_level="inherit")
    assert "access_level" in refused.value.message_dict


@pytest.mark.parametrize("file_id", ["0", "999999", "99999999999999999999"])
def test_unknown_files_are_not_found(world: Any, file_id: str) -> None:
    assert world.client_for(None).get(f"/en/library/files/{file_id}/").status_code == 404


def test_a_missing_stored_file_is_not_found(
    world: Any, make_document: Any, attach_pdf: Any
) -> None:
    record = attach_pdf(make_document())
    record.file.storage.delete(record.file.name)
    assert world.client_for(None).get(f"/en/library/files/{record.pk}/").status_code == 404
