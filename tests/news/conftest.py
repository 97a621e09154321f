"""Helpers for the news tests: items made through the services, pictures made with Pillow."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from dialogos.news import services
from dialogos.news.models import NewsItem


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> None:
    """Pictures land in a temporary folder, never in the project's var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def picture(fmt: str = "JPEG", size: tuple[int, int] = (1600, 1000), **save: Any) -> bytes:
    mode = "RGBA" if fmt == "PNG" else "RGB"
    image = Image.new(mode, size, (30, 110, 180, 255) if mode == "RGBA" else (30, 110, 180))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


@pytest.fixture
def make_item(world: Any) -> Callable[..., NewsItem]:
    def make(**fields: Any) -> NewsItem:
        values: dict[str, Any] = {
            "actor": world.alice,
            "dialogue": world.pp,
            "title": {"en": "Strategic Group met", "ru": "Стратегическая группа собралась"},
            "lead": {"en": "A short lead.", "ru": "Краткое вступление."},
            "body": {"en": "The **body** of the item."},
            "status": NewsItem.Status.PUBLISHED,
            "published_at": timezone.now() - datetime.timedelta(days=1),
        }
        values.update(fields)
        return services.save_news_item(**values)

    return make
