"""The library in a real browser: a contributor drafts a good practice and attaches a file,
the focal point submits it, the secretariat sends it back and then publishes it, and a
visitor finds it in the list, reads it and downloads its file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dialogos.library.models import Practice, PracticeStatus
from tests.library.conftest import pdf_bytes


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def test_a_practice_from_draft_to_reader(
    world: Any, page: Any, sign_in: Any, tmp_path: Path
) -> None:
    # Seven steps through a live server on a shared machine: allow slow answers.
    page.set_default_timeout(30_000)
    evidence = tmp_path / "evidence.pdf"
    evidence.write_bytes(pdf_bytes("Evidence of results"))
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"<html>not a pdf</html>")

    # The contributor drafts.
    sign_in(world.carol)
    page.goto("/en/account/library/")
    page.get_by_role("link", name="Draft a practice (Prague Process)").click()
    page.fill("input[name=title_en]", "Mobile advice for labour migrants (example data)")
    page.fill("textarea[name=summary_en]", "A bus with counsellors visits **small towns**.")
    page.fill("textarea[name=approach_en]", "- one bus\n- two counsellors")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_load_state()
    assert "The draft is saved." in page.locator("main").inner_text()
    # A file that lies about its type is refused; a real one is kept.
    page.set_input_files("input[name=file]", str(fake))
    page.get_by_role("button", name="Upload the file").click()
    page.wait_for_load_state()
    assert "is not a PDF file" in page.locator("main").inner_text()
    page.set_input_files("input[name=file]", str(evidence))
    page.get_by_role("button", name="Upload the file").click()
    page.wait_for_load_state()
    assert "The file is stored." in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Submit to the secretariat").count() == 0
    practice = Practice.objects.get()
    page.context.clear_cookies()

    # The focal point submits.
    sign_in(world.bob)
    page.goto(f"/en/account/library/practices/{practice.pk}/")
    page.get_by_role("button", name="Submit to the secretariat").click()
    page.wait_for_load_state()
    assert "submitted to the secretariat" in page.locator("main").inner_text()
    page.context.clear_cookies()

    # The secretariat sends it back, the state resubmits, the secretariat publishes.
    sign_in(world.alice)
    page.goto("/en/workspace/prague-process/library/review/")
    page.get_by_role("link", name="Mobile advice for labour migrants (example data)").click()
    page.fill("textarea[name=comment]", "Please add how many people were advised.")
    page.get_by_role("button", name="Send back with comments").click()
    page.wait_for_load_state()
    assert "sent back to the state" in page.locator("main").inner_text()
    page.context.clear_cookies()

    sign_in(world.bob)
    page.goto(f"/en/account/library/practices/{practice.pk}/")
    assert "Please add how many people were advised." in page.locator("main").inner_text()
    page.get_by_role("button", name="Submit to the secretariat").click()
    page.wait_for_load_state()
    page.context.clear_cookies()

    sign_in(world.alice)
    page.goto(f"/en/workspace/prague-process/library/practices/{practice.pk}/")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    assert "The practice is published." in page.locator("main").inner_text()
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.PUBLISHED
    page.context.clear_cookies()

    # A visitor finds it, reads it and downloads the file.
    page.goto("/en/practices/")
    page.get_by_role("link", name="Mobile advice for labour migrants (example data)").click()
    main = page.locator("main")
    assert main.locator("strong", has_text="small towns").count() == 1
    with page.expect_download() as download:
        page.get_by_role("link", name="Download in English (PDF").click()
    assert download.value.suggested_filename == "evidence.pdf"
    page.goto("/ru/practices/")
    assert "Передовые практики" in page.locator("h1").inner_text()
