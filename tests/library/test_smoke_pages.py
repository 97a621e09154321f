from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_every_page_answers(
    world: Any, make_document: Any, attach_pdf: Any, published_practice: Any, make_profile: Any
) -> None:
    doc = make_document()
    f = attach_pdf(doc)
    profile = make_profile()
    client = world.client_for(world.alice)
    for url in [
        "/en/library/",
        f"/en/library/{doc.pk}/",
        f"/en/library/files/{f.pk}/",
        "/en/practices/",
        f"/en/practices/{published_practice.pk}/",
        "/en/practices/calls/",
        "/en/profiles/",
        f"/en/profiles/{profile.pk}/",
        "/en/workspace/prague-process/library/",
        "/en/workspace/prague-process/library/documents/",
        "/en/workspace/prague-process/library/documents/new/",
        f"/en/workspace/prague-process/library/documents/{doc.pk}/",
        f"/en/workspace/prague-process/library/documents/{doc.pk}/edit/",
        "/en/workspace/prague-process/library/review/",
        f"/en/workspace/prague-process/library/practices/{published_practice.pk}/",
        "/en/workspace/prague-process/library/calls/",
        "/en/workspace/prague-process/library/calls/new/",
        "/en/workspace/prague-process/library/profiles/",
        "/en/workspace/prague-process/library/profiles/new/",
        f"/en/workspace/prague-process/library/profiles/{profile.pk}/",
        "/en/workspace/prague-process/library/topics/",
        "/en/workspace/prague-process/library/topics/new/",
    ]:
        response = client.get(url)
        assert response.status_code in (200,), (url, response.status_code)
    member = world.client_for(world.carol)
    for url in [
        "/en/account/library/",
        "/en/account/library/practices/new/prague-process/",
        f"/en/account/library/practices/{published_practice.pk}/",
    ]:
        assert member.get(url).status_code == 200, url
