"""Checking uploaded files by their content, not by their name.

A file is accepted only when its first bytes (and, for office documents, the parts inside the
ZIP container) prove it is one of the accepted types, and that type is the one its name claims.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

# extension → (content type, human name)
ACCEPTED: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "PDF"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word (DOCX)",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)"),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "PowerPoint (PPTX)",
    ),
    "odt": ("application/vnd.oasis.opendocument.text", "OpenDocument text (ODT)"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", "OpenDocument spreadsheet (ODS)"),
    "odp": ("application/vnd.oasis.opendocument.presentation", "OpenDocument presentation (ODP)"),
    "png": ("image/png", "PNG"),
    "jpg": ("image/jpeg", "JPEG"),
}
ALIASES = {"jpeg": "jpg"}
_OOXML_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
_ODF_TYPES = {ACCEPTED[k][0]: k for k in ("odt", "ods", "odp")}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    return int(getattr(settings, "MEETING_FILE_MAX_BYTES", DEFAULT_MAX_BYTES))


def detect(stream: IO[bytes]) -> str | None:
    """The accepted extension that the content of ``stream`` proves, or ``None``."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        return _detect_zip(stream)
    return None


def _detect_zip(stream: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100:
                    mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                    if mimetype in _ODF_TYPES:
                        return _ODF_TYPES[mimetype]
            if "[Content_Types].xml" in names:
                for ext, part in _OOXML_PART.items():
                    if part in names:
                        return ext
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return None
    finally:
        stream.seek(0)
    return None


def check_upload(upload: Any, *, field: str = "file") -> CheckedFile:
    """Validate an uploaded file; raise ``ValidationError`` on ``field`` when it is refused.

    ``upload`` is a Django ``UploadedFile``/``File`` (anything with ``name``, ``size`` and a
    seekable binary stream).
    """
    name = str(getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name:
        raise ValidationError({field: _("The file has no name.")})
    claimed = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = ALIASES.get(claimed, claimed)
    if claimed not in ACCEPTED:
        kinds = ", ".join(sorted({v[1] for v in ACCEPTED.values()}))
        raise ValidationError(
            {
                field: _("Files of this type are not accepted. Accepted: %(kinds)s.")
                % {"kinds": kinds}
            }
        )
    size = int(getattr(upload, "size", 0) or 0)
    limit = max_upload_bytes()
    if size > limit:
        raise ValidationError(
            {
                field: _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
            }
        )
    if size == 0:
        raise ValidationError({field: _("The file is empty.")})
    stream = upload.file if hasattr(upload, "file") and upload.file is not None else upload
    actual = detect(stream)
    if actual != claimed:
        raise ValidationError(
            {
                field: _(
                    "The content of “%(name)s” is not a %(kind)s file, as its name says. "
                    "Save it again in that format, or give it its true name."
                )
                % {"name": name, "kind": ACCEPTED[claimed][1]}
            }
        )
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return CheckedFile(
        name=name[:255],
        extension=claimed,
        content_type=ACCEPTED[claimed][0],
        size=size,
        sha256=digest.hexdigest(),
    )
