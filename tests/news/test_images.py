"""Pictures: checked by content, size and pixel count; stored without metadata; served through
the access gate."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dialogos.core.models import AccessLevel
from dialogos.news.models import NewsImage, NewsItem
from tests.news.conftest import picture

pytestmark = pytest.mark.django_db


def upload(client: Any, item: NewsItem, data: bytes, name: str = "photo.jpg", **extra: Any) -> Any:
    fields = {
        "image": SimpleUploadedFile(name, data),
        "alt_en": "Group photo of the delegations",
        "alt_ru": "Групповое фото делегаций",
        "credit_en": "Prague Process Ministerial 2022 group photo",
        "credit_ru": "",
        **extra,
    }
    return client.post(f"/en/workspace/prague-process/news/{item.pk}/pictures/", fields)


def exif_jpeg() -> bytes:
    image = Image.new("RGB", (2400, 1600), (10, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    exif[0x9286] = "secret comment"  # UserComment
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_the_secretariat_adds_a_picture_resized_and_without_metadata(
    world: Any, make_item: Any
) -> None:
    item = make_item()
    raw = exif_jpeg()
    assert b"SecretCameraMaker" in raw
    response = upload(world.client_for(world.alice), item, raw)
    assert response.status_code == 302
    image = NewsImage.objects.get(item=item)
    assert (image.width, image.height) == (1200, 800)
    assert (image.small_width, image.small_height) == (480, 320)
    served = world.client_for(None).get(image.url("large"))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    body = b"".join(served.streaming_content)
    assert b"SecretCameraMaker" not in body and b"secret comment" not in body
    stored = Image.open(io.BytesIO(body))
    assert stored.size == (1200, 800)
    assert not stored.getexif()
    assert "public" in served["Cache-Control"]


def test_a_transparent_png_stays_a_png(world: Any, make_item: Any) -> None:
    item = make_item()
    upload(world.client_for(world.alice), item, picture("PNG", (600, 400)), name="logo.png")
    image = NewsImage.objects.get(item=item)
    assert image.content_type == "image/png"
    assert (image.width, image.height) == (600, 400)  # never enlarged


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7 not a picture at all", "not a picture"),
        (b"\xff\xd8\xff\xe0 truncated jpeg", "not a picture"),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "not a picture",
        ),
        (b"", "empty"),
    ],
)
def test_files_that_are_not_pictures_are_refused_and_nothing_is_saved(
    world: Any, make_item: Any, data: bytes, message: str
) -> None:
    item = make_item()
    response = upload(world.client_for(world.alice), item, data, name="photo.jpg")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NewsImage.objects.exists()


def test_a_file_over_the_size_limit_is_refused(world: Any, make_item: Any, settings: Any) -> None:
    settings.NEWS_IMAGE_MAX_BYTES = 10_000
    item = make_item()
    response = upload(world.client_for(world.alice), item, picture("BMP", (200, 200)))
    assert "too large" in response.content.decode()
    assert not NewsImage.objects.exists()


def test_a_picture_with_too_many_pixels_is_refused_before_decoding(
    world: Any, make_item: Any, settings: Any
) -> None:
    settings.NEWS_IMAGE_MAX_PIXELS = 1_000_000
    item = make_item()
    # A small PNG file that claims 5000 x 5000 pixels (a "decompression bomb").
    data = picture("PNG", (5000, 5000), optimize=True)
    assert len(data) < 2_000_000
    response = upload(world.client_for(world.alice), item, data, name="bomb.png")
    assert "too many pixels" in response.content.decode()
    assert not NewsImage.objects.exists()


def test_a_picture_needs_a_text_alternative(world: Any, make_item: Any) -> None:
    item = make_item()
    response = upload(world.client_for(world.alice), item, picture(), alt_en="", alt_ru="")
    assert response.status_code == 200
    assert not NewsImage.objects.exists()


def test_only_the_secretariat_may_add_pictures(world: Any, make_item: Any) -> None:
    item = make_item()
    for user in (None, world.bob, world.erin, world.frank):
        assert upload(world.client_for(user), item, picture()).status_code == 404
    assert not NewsImage.objects.exists()


@pytest.mark.parametrize(
    ("level", "status", "allowed"),
    [
        (AccessLevel.PUBLIC, "published", {"anonymous", "bob", "erin", "alice"}),
        (AccessLevel.MEMBERS, "published", {"bob", "alice"}),
        (AccessLevel.SECRETARIAT, "published", {"alice"}),
        (AccessLevel.PUBLIC, "draft", {"alice"}),
    ],
)
def test_pictures_follow_their_item(
    world: Any, make_item: Any, level: str, status: str, allowed: set[str]
) -> None:
    item = make_item()
    upload(world.client_for(world.alice), item, picture())
    NewsItem.objects.filter(pk=item.pk).update(access_level=level, status=status)
    image = NewsImage.objects.get(item=item)
    for name in ("anonymous", "bob", "erin", "alice"):
        user = None if name == "anonymous" else getattr(world, name)
        response = world.client_for(user).get(image.url("small"))
        assert (response.status_code == 200) is (name in allowed), name
        if response.status_code == 200 and level != AccessLevel.PUBLIC:
            assert "private" in response["Cache-Control"]


def test_removing_a_picture_removes_its_files(
    world: Any, make_item: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.storage import default_storage

    item = make_item()
    client = world.client_for(world.alice)
    upload(client, item, picture())
    image = NewsImage.objects.get(item=item)
    paths = [image.large.name, image.small.name]
    assert all(default_storage.exists(p) for p in paths)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/en/workspace/prague-process/news/{item.pk}/pictures/{image.pk}/delete/"
        )
    assert response.status_code == 302
    assert not NewsImage.objects.exists()
    assert not any(default_storage.exists(p) for p in paths)
