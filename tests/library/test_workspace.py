"""The secretariat's library pages: only the dialogue's secretariat (and operators) get in;
documents, files, calls, profiles and topics are managed through forms."""

from __future__ import annotations

from typing import Any

import pytest

from dialogos.library.models import Document, LibraryFile, Topic
from tests.library.conftest import docx_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db

WS = "/en/workspace/prague-process/library"


@pytest.fixture
def pages(make_document: Any, published_practice: Any, make_profile: Any) -> list[str]:
    document = make_document()
    profile = make_profile()
    topic = Topic.objects.first()
    assert topic is not None
    return [
        f"{WS}/",
        f"{WS}/documents/",
        f"{WS}/documents/new/",
        f"{WS}/documents/{document.pk}/",
        f"{WS}/documents/{document.pk}/edit/",
        f"{WS}/documents/{document.pk}/delete/",
        f"{WS}/review/",
        f"{WS}/practices/{published_practice.pk}/",
        f"{WS}/calls/",
        f"{WS}/calls/new/",
        f"{WS}/profiles/",
        f"{WS}/profiles/new/",
        f"{WS}/profiles/{profile.pk}/",
        f"{WS}/profiles/{profile.pk}/edit/",
        f"{WS}/topics/",
        f"{WS}/topics/new/",
        f"{WS}/topics/{topic.pk}/edit/",
    ]


@pytest.mark.parametrize(
    ("name", "status"),
    [
        (None, 404),
        ("frank", 404),
        ("dan", 404),
        ("carol", 404),
        ("bob", 404),
        ("erin", 404),
        ("alice", 200),
        ("olga", 200),
    ],
)
def test_only_the_secretariat_gets_in(
    world: Any, pages: list[str], name: str | None, status: int
) -> None:
    client = world.client_for(getattr(world, name) if name else None)
    for url in pages:
        response = client.get(url)
        code = response.status_code
        if name is None and code == 302:
            code = 404  # the workspace may ask visitors to sign in first
        assert code == status, (url, name, code)


def test_the_library_shows_in_the_workspace_menu(world: Any) -> None:
    html = world.client_for(world.alice).get("/en/workspace/prague-process/").content.decode()
    assert f'href="{WS}/"' in html


def test_a_document_is_added_with_files_in_two_languages(world: Any) -> None:
    alice = world.client_for(world.alice)
    response = alice.post(
        f"{WS}/documents/new/",
        {
            "type": "policy_brief",
            "title_en": "Policy brief on diaspora (example data)",
            "title_ru": "Аналитическая записка (пример)",
            "summary_en": "Short **summary**.",
            "date": "2024-06-01",
            "topics": [Topic.objects.get(slug="diaspora").pk],
            "countries": ["CZ"],
            "access_level": "public",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get()
    page = response["Location"]
    lying = alice.post(
        page, {"upload": "1", "language": "en", "file": upload("brief.pdf", b"GIF89a")}
    )
    assert lying.status_code == 200 and "is not a PDF file" in lying.content.decode()
    assert not LibraryFile.objects.exists()
    alice.post(
        page, {"upload": "1", "language": "en", "file": upload("brief.pdf", pdf_bytes("Brief"))}
    )
    alice.post(
        page, {"upload": "1", "language": "ru", "file": upload("brief.docx", docx_bytes("Записка"))}
    )
    assert set(document.files.values_list("language", flat=True)) == {"en", "ru"}
    public = world.client_for(None).get(f"/en/library/{document.pk}/").content.decode()
    assert "Download in English (PDF" in public and "Download in Russian (DOCX" in public


def test_a_document_with_html_in_its_title_is_not_saved(world: Any) -> None:
    response = world.client_for(world.alice).post(
        f"{WS}/documents/new/",
        {
            "type": "report",
            "title_en": "<script>x</script>",
            "date": "2024-06-01",
            "access_level": "public",
        },
    )
    assert response.status_code == 200 and "Remove the HTML" in response.content.decode()
    assert not Document.objects.exists()


def test_removing_a_document_removes_its_files(
    world: Any, make_document: Any, attach_pdf: Any, django_capture_on_commit_callbacks: Any
) -> None:
    document = make_document()
    record = attach_pdf(document)
    storage, name = record.file.storage, record.file.name
    alice = world.client_for(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.post(f"{WS}/documents/{document.pk}/delete/")
    assert response.status_code == 302
    assert not Document.objects.exists() and not storage.exists(name)


def test_removing_a_language_version(world: Any, make_document: Any, attach_pdf: Any) -> None:
    document = make_document()
    attach_pdf(document)
    current = attach_pdf(document)
    world.client_for(world.alice).post(f"{WS}/files/{current.pk}/remove/")
    assert not LibraryFile.objects.exists()


def test_the_secretariat_of_another_dialogue_cannot_touch_files(
    world: Any, make_document: Any, attach_pdf: Any
) -> None:
    record = attach_pdf(make_document())
    response = world.client_for(world.erin).post(
        f"/en/workspace/budapest-process/library/files/{record.pk}/remove/"
    )
    assert response.status_code == 404
    assert LibraryFile.objects.filter(pk=record.pk).exists()


def test_topics_are_edited_by_the_secretariat(world: Any) -> None:
    alice = world.client_for(world.alice)
    response = alice.post(
        f"{WS}/topics/new/",
        {
            "slug": "climate-and-migration",
            "name_en": "Climate and migration",
            "name_ru": "Климат и миграция",
            "order": 200,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Topic.objects.get(slug="climate-and-migration").name["ru"] == "Климат и миграция"
    assert "Climate and migration" in world.client_for(None).get("/en/library/").content.decode()
