"""Checking and resizing uploaded pictures with Pillow.

A picture is accepted only when Pillow reads it as JPEG, PNG, GIF or WebP, its file is not
larger than ``NEWS_IMAGE_MAX_BYTES`` and it has no more than ``NEWS_IMAGE_MAX_PIXELS`` pixels
(checked from the header, before the pixels are decoded, so a "decompression bomb" never
fills the memory). What is stored are new encodings of the pixels only: EXIF (with its GPS
position), XMP, ICC comments and every other piece of metadata stay behind.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
DEFAULT_MAX_BYTES = 15 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
SIZES = {"large": 1200, "small": 480}


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Processed:
    content_type: str
    extension: str
    sha256: str
    renditions: dict[str, Rendition]


def max_bytes() -> int:
    return int(getattr(settings, "NEWS_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_pixels() -> int:
    return int(getattr(settings, "NEWS_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS))


def _refuse(message: str) -> ValidationError:
    return ValidationError({"image": message}, code="invalid_image")


def process(stream: IO[bytes], *, size: int | None = None) -> Processed:
    """Check the picture in ``stream`` and make its renditions; ``ValidationError`` if bad."""
    if size is None:
        stream.seek(0, io.SEEK_END)
        size = stream.tell()
    if size > max_bytes():
        raise _refuse(
            _("The picture is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes())}
        )
    stream.seek(0)
    raw = stream.read(max_bytes() + 1)
    if not raw:
        raise _refuse(_("The file is empty."))
    digest = hashlib.sha256(raw).hexdigest()
    not_image = _("This file is not a picture Dialogos can use (JPEG, PNG, GIF or WebP).")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(raw))
            if probe.format not in ACCEPTED_FORMATS:
                raise _refuse(not_image)
            width, height = probe.size
            if width * height > max_pixels() or width <= 0 or height <= 0:
                raise _refuse(
                    _("The picture has too many pixels (%(w)d × %(h)d); the limit is %(limit)s.")
                    % {"w": width, "h": height, "limit": f"{max_pixels():,}"}
                )
            probe.verify()
            opened = Image.open(io.BytesIO(raw))
            opened.load()
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ) as exc:
        raise _refuse(not_image) from exc
    picture: Image.Image = ImageOps.exif_transpose(opened) or opened
    keep_alpha = picture.mode in ("RGBA", "LA", "PA") or (
        picture.mode == "P" and "transparency" in picture.info
    )
    if keep_alpha:
        picture = picture.convert("RGBA")
        content_type, extension, fmt = "image/png", "png", "PNG"
    else:
        picture = picture.convert("RGB")
        content_type, extension, fmt = "image/jpeg", "jpg", "JPEG"
    renditions: dict[str, Rendition] = {}
    for name, limit in SIZES.items():
        copy = picture.copy()
        copy.thumbnail((limit, limit * 2), Image.Resampling.LANCZOS)
        # A fresh image holds the pixels only: no EXIF, XMP, ICC profile or comments.
        clean = Image.new(copy.mode, copy.size)
        clean.paste(copy)
        out = io.BytesIO()
        if fmt == "JPEG":
            clean.save(out, fmt, quality=85, optimize=True, progressive=True)
        else:
            clean.save(out, fmt, optimize=True)
        renditions[name] = Rendition(out.getvalue(), clean.width, clean.height)
    return Processed(content_type, extension, digest, renditions)
