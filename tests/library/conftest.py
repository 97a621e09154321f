"""Helpers for the library tests: real small files of each format, and library objects made
through the services."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dialogos.core.models import Country
from dialogos.library import services
from dialogos.library.models import CountryProfile, Document, Practice


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """The list's filter choices are cached by content version, which restarts in each test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _private_storage(settings: Any, tmp_path: Any) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def pdf_bytes(text: str = "Action Plan 2023-2027") -> bytes:
    """A one-page PDF whose text pypdf can read (hand-written, with a byte-exact xref)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def docx_bytes(*paragraphs: str) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>{body}'
            "</w:body></w:document>",
        )
    return out.getvalue()


def odt_bytes(*paragraphs: str) -> bytes:
    ns = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    ns += 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    body = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "content.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>'
            f"<office:body><office:text>{body}</office:text></office:body>"
            "</office:document-content>",
        )
    return out.getvalue()


def xlsx_bytes(*strings: str) -> bytes:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", f'<workbook xmlns="{ns}"/>')
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{ns}">{items}</sst>')
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type)


@pytest.fixture
def make_document(world: Any) -> Callable[..., Document]:
    def make(**fields: Any) -> Document:
        values: dict[str, Any] = {
            "actor": world.alice,
            "dialogue": world.pp,
            "title": {"en": "Prague Process Action Plan 2023–2027", "ru": "План действий"},
            "type": "action_plan",
            "date": datetime.date(2022, 10, 25),
            "access_level": "public",
        }
        values.update(fields)
        return services.create_document(**values)

    return make


@pytest.fixture
def attach_pdf(world: Any) -> Callable[..., Any]:
    def attach(owner: Any, language: str = "en", text: str = "Action Plan", **kw: Any) -> Any:
        return services.attach_file(
            actor=kw.get("actor", world.alice),
            owner=owner,
            language=language,
            upload=upload(kw.get("name", "plan.pdf"), pdf_bytes(text), "application/pdf"),
        )

    return attach


@pytest.fixture
def make_practice(world: Any) -> Callable[..., Practice]:
    def make(actor: Any = None, **fields: Any) -> Practice:
        values: dict[str, Any] = {
            "actor": actor or world.carol,
            "dialogue": world.pp,
            "country": Country.objects.get(code="CZ"),
            "title": {"en": "One-stop shop for labour migrants (example data)"},
            "summary": {"en": "A single office answers every question. (example data)"},
        }
        values.update(fields)
        return services.create_practice(**values)

    return make


@pytest.fixture
def published_practice(world: Any, make_practice: Any) -> Practice:
    practice = make_practice()
    services.submit_practice(actor=world.bob, practice=practice)
    return services.publish_practice(actor=world.alice, practice=practice)


@pytest.fixture
def make_profile(world: Any, attach_pdf: Any) -> Callable[..., CountryProfile]:
    def make(**fields: Any) -> CountryProfile:
        values: dict[str, Any] = {
            "actor": world.alice,
            "dialogue": world.pp,
            "country": Country.objects.get(code="CZ"),
            "kind": "light",
            "title": {"en": "Migration Profile Light: Czechia (example data)"},
        }
        values.update(fields)
        profile = services.save_profile(**values)
        attach_pdf(profile, text="Migration profile")
        return profile

    return make
