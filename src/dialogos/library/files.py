"""Checking library files by their content, and extracting their text for search.

The type check is the meetings app's (``meetings.files.detect``: magic bytes, the parts inside
an office document's ZIP); the size limit is the library's own, ``LIBRARY_FILE_MAX_BYTES``.
Text comes from PDF with pypdf and from DOCX, XLSX, PPTX, ODT, ODS and ODP by reading their
XML with the standard library. Extraction never fails an upload: a file whose text cannot be
read is stored with no text.
"""

from __future__ import annotations

import hashlib
import logging
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from dialogos.meetings.files import ACCEPTED, ALIASES, detect

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# Text kept per file: enough for search, bounded for the database.
MAX_TEXT_CHARS = 1_000_000
# Parts of an archive read for text, and how much of each (guards against ZIP bombs).
MAX_XML_BYTES = 40 * 1024 * 1024
MAX_PDF_PAGES = 2000


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def max_upload_bytes() -> int:
    return int(getattr(settings, "LIBRARY_FILE_MAX_BYTES", DEFAULT_MAX_BYTES))


def accepted_kinds() -> str:
    return ", ".join(sorted({v[1] for v in ACCEPTED.values()}))


def check_upload(upload: Any, *, field: str = "file") -> CheckedFile:
    """Validate an upload by its content; raise ``ValidationError`` on ``field`` if refused."""
    if upload is None:
        raise ValidationError({field: _("Choose a file.")})
    name = str(getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name:
        raise ValidationError({field: _("The file has no name.")})
    claimed = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    claimed = ALIASES.get(claimed, claimed)
    if claimed not in ACCEPTED:
        raise ValidationError(
            {
                field: _("Files of this type are not accepted. Accepted: %(kinds)s.")
                % {"kinds": accepted_kinds()}
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
    stream = upload.file if getattr(upload, "file", None) is not None else upload
    if detect(stream) != claimed:
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


# Text extraction ------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# The XML parts that hold the text of each office format.
_TEXT_PARTS = {
    "docx": re.compile(r"^word/(document|footnotes|endnotes|header\d*|footer\d*)\.xml$"),
    "xlsx": re.compile(r"^xl/sharedStrings\.xml$"),
    "pptx": re.compile(r"^ppt/slides/slide\d+\.xml$"),
    "odt": re.compile(r"^content\.xml$"),
    "ods": re.compile(r"^content\.xml$"),
    "odp": re.compile(r"^content\.xml$"),
}
# The elements that make one line of text: paragraphs and headings, spreadsheet strings.
_LINES = {"p", "h", "si"}
_ODF = {"odt", "ods", "odp"}


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _normalise(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()[:MAX_TEXT_CHARS]


def _xml_text(data: bytes, extension: str) -> str:
    """One line per paragraph: OOXML keeps text in ``t`` elements, ODF in the paragraph."""
    try:
        root = ElementTree.fromstring(data)  # noqa: S314 — the stdlib expands no external entities
    except ElementTree.ParseError:
        return ""
    lines: list[str] = []
    for element in root.iter():
        if _local(element.tag) not in _LINES:
            continue
        if extension in _ODF:
            lines.append("".join(element.itertext()))
        else:
            lines.append("".join(t.text or "" for t in element.iter() if _local(t.tag) == "t"))
    return "\n".join(lines)


def _office_text(stream: IO[bytes], extension: str) -> str:
    wanted = _TEXT_PARTS[extension]
    chunks: list[str] = []
    with zipfile.ZipFile(stream) as archive:
        infos = sorted(
            (i for i in archive.infolist() if wanted.match(i.filename)),
            key=lambda i: (len(i.filename), i.filename),
        )
        budget = MAX_XML_BYTES
        for info in infos:
            if info.file_size > budget:
                break
            budget -= info.file_size
            with archive.open(info) as part:
                chunks.append(_xml_text(part.read(MAX_XML_BYTES + 1), extension))
    return "\n".join(chunks)


def _pdf_text(stream: IO[bytes]) -> str:
    from pypdf import PdfReader

    reader = PdfReader(stream)
    pages = []
    for number, page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES:
            break
        pages.append(page.extract_text() or "")
    return "\n\n".join(pages)


def extract_text(stream: IO[bytes], extension: str) -> str:
    """The readable text of a checked file ("" for images or unreadable content)."""
    stream.seek(0)
    try:
        if extension == "pdf":
            text = _pdf_text(stream)
        elif extension in _TEXT_PARTS:
            text = _office_text(stream, extension)
        else:
            return ""
    except Exception:  # a damaged file is stored without text, never refused for it
        logger.warning("Could not read the text of a %s file", extension, exc_info=True)
        return ""
    finally:
        stream.seek(0)
    return _normalise(text)
