"""The version of a country profile the public sees: the files the state endorsed, or was
formally given when the profile was published without endorsement. The files cannot change
while the state considers them or once it has endorsed them; a revision the secretariat
prepares afterwards stays out of public view (page, API, file, search) until endorsed."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dialogos.api.services import create_api_token
from dialogos.library import services
from dialogos.library.models import CountryProfile, LibraryFile, ProfileStatus
from tests.library.conftest import pdf_bytes, upload

pytestmark = pytest.mark.django_db

WS = "/workspace/prague-process/library"


def _api(user: Any) -> Client:
    token = create_api_token(actor=user, user=user, name="test")[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _three_months_later(profile: CountryProfile) -> CountryProfile:
    CountryProfile.objects.filter(pk=profile.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=100)
    )
    profile.refresh_from_db()
    return profile


def _found(client: Client, q: str) -> list[str]:
    data = client.get("/api/v1/search", {"q": q, "kind": "profile"}).json()
    return [hit["title"] for hit in data["results"]]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "with the state for endorsement"),
        ("ru", "находится у государства на одобрении"),
    ],
)
def test_files_cannot_change_while_the_state_considers_them(
    world: Any, make_profile: Any, language: str, message: str
) -> None:
    profile = services.submit_profile(actor=world.alice, profile=make_profile())
    submitted = LibraryFile.objects.get(profile=profile)
    alice = world.client_for(world.alice)
    page = alice.get(f"/{language}{WS}/profiles/{profile.pk}/").content.decode()
    assert 'name="upload"' not in page  # no upload form while the state considers it
    response = alice.post(
        f"/{language}{WS}/profiles/{profile.pk}/",
        {"upload": "1", "language": "en", "file": upload("new.pdf", pdf_bytes("Other"))},
        follow=True,
    )
    assert response.status_code == 200 and message in response.content.decode()
    removed = alice.post(f"/{language}{WS}/files/{submitted.pk}/remove/", follow=True)
    assert removed.status_code == 200 and message in removed.content.decode()
    api = _api(world.alice)
    stored = api.post(
        f"/api/v1/library/profiles/{profile.pk}/files",
        {"language": "en", "file": upload("new.pdf", pdf_bytes("Other"))},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert stored.status_code == 422 and stored.json()["detail"][0]["field"] == "file"
    assert api.delete(f"/api/v1/library/files/{submitted.pk}").status_code == 422
    assert list(LibraryFile.objects.filter(profile=profile)) == [submitted]


def test_an_endorsed_profile_keeps_its_text_and_files(world: Any, make_profile: Any) -> None:
    profile = services.submit_profile(actor=world.alice, profile=make_profile())
    services.endorse_profile(actor=world.bob, profile=profile)
    alice = world.client_for(world.alice)
    edit = {
        "country": "CZ",
        "kind": "light",
        "title_en": "Another title",
        "access_level": "public",
    }
    response = alice.post(f"/en{WS}/profiles/{profile.pk}/edit/", edit)
    assert response.status_code == 200
    assert "The state has endorsed this version" in response.content.decode()
    profile.refresh_from_db()
    assert "Migration Profile Light" in str(profile.title)
    # Who may see it is the secretariat's to set, also after endorsement.
    edit["title_en"] = str(profile.title)
    edit["access_level"] = "members"
    assert alice.post(f"/en{WS}/profiles/{profile.pk}/edit/", edit).status_code == 302
    profile.refresh_from_db()
    assert profile.access_level == "members"
    stored = _api(world.alice).post(
        f"/api/v1/library/profiles/{profile.pk}/files",
        {"language": "ru", "file": upload("ru.pdf", pdf_bytes("Profil"))},
    )
    assert stored.status_code == 422


def test_a_revision_stays_out_of_public_view_until_the_state_endorses_it(
    world: Any, make_profile: Any, attach_pdf: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        profile = _three_months_later(
            services.submit_profile(actor=world.alice, profile=make_profile())
        )
        services.publish_profile_unendorsed(actor=world.alice, profile=profile)
    published = LibraryFile.objects.get(profile=profile)
    with django_capture_on_commit_callbacks(execute=True):
        revision = attach_pdf(profile, text="Revised quarterly figures")
    anon, dan = world.client_for(None), world.client_for(world.dan)
    for client in (anon, dan):
        page = client.get(f"/en/profiles/{profile.pk}/").content.decode()
        assert f"/library/files/{published.pk}/" in page
        assert f"/library/files/{revision.pk}/" not in page
        assert client.get(f"/en/library/files/{published.pk}/").status_code == 200
        assert client.get(f"/en/library/files/{revision.pk}/").status_code == 404
        detail = client.get(f"/api/v1/library/profiles/{profile.pk}").json()
        assert [f["id"] for f in detail["files"]] == [published.pk]
        listed = client.get("/api/v1/library/profiles").json()
        assert [f["id"] for f in listed[0]["files"]] == [published.pk]
    assert _found(anon, "quarterly") == []
    assert _found(anon, "Czechia") != []
    # The secretariat sees and downloads both; the workspace marks the published one.
    alice = world.client_for(world.alice)
    assert alice.get(f"/en/library/files/{revision.pk}/").status_code == 200
    assert "published" in alice.get(f"/en{WS}/profiles/{profile.pk}/").content.decode()
    # Submitted again, the focal point reads the revision and endorses it: it replaces the
    # version published without endorsement, everywhere.
    services.submit_profile(actor=world.alice, profile=profile)
    bob = world.client_for(world.bob)
    member_page = bob.get(f"/en/account/library/profiles/{profile.pk}/").content.decode()
    assert f"/library/files/{revision.pk}/" in member_page
    with django_capture_on_commit_callbacks(execute=True):
        services.endorse_profile(actor=world.bob, profile=profile)
    page = anon.get(f"/en/profiles/{profile.pk}/").content.decode()
    assert f"/library/files/{revision.pk}/" in page
    assert anon.get(f"/en/library/files/{revision.pk}/").status_code == 200
    assert anon.get(f"/en/library/files/{published.pk}/").status_code == 404
    assert _found(anon, "quarterly") != []


def test_published_without_endorsement_is_the_version_the_state_was_given(
    world: Any, make_profile: Any, attach_pdf: Any
) -> None:
    profile = services.submit_profile(actor=world.alice, profile=make_profile())
    given = LibraryFile.objects.get(profile=profile)
    services.request_profile_changes(actor=world.bob, profile=profile, comment="Update 2023.")
    revision = attach_pdf(profile, text="Half-done revision")
    _three_months_later(profile)
    # The submission moved three months back; the revision is newer than it.
    LibraryFile.objects.filter(pk=given.pk).update(
        uploaded_at=timezone.now() - datetime.timedelta(days=101)
    )
    world.client_for(world.alice).post(f"/en{WS}/profiles/{profile.pk}/", {"action": "publish"})
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.NOT_ENDORSED
    page = world.client_for(None).get(f"/ru/profiles/{profile.pk}/").content.decode()
    assert f"/library/files/{given.pk}/" in page
    assert f"/library/files/{revision.pk}/" not in page
    assert "Не одобрен государством" in page or "не одобрен" in page.lower()
