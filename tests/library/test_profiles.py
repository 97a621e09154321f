"""Country profiles: drafted and formally submitted by the secretariat, endorsed (or sent
back) by the state's focal point, published without endorsement only after three months;
every step dated and shown."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dialogos.library import services
from dialogos.library.models import CountryProfile, ProfileStatus

pytestmark = pytest.mark.django_db

WS = "/en/workspace/prague-process/library"


def test_the_endorsement_journey_through_the_pages(world: Any, make_profile: Any) -> None:
    profile = make_profile()
    alice, bob = world.client_for(world.alice), world.client_for(world.bob)
    # Before submission the focal point does not see it; nobody outside does.
    assert bob.get(f"/en/account/library/profiles/{profile.pk}/").status_code == 404
    assert world.client_for(None).get(f"/en/profiles/{profile.pk}/").status_code == 404
    alice.post(f"{WS}/profiles/{profile.pk}/", {"action": "submit"})
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.SUBMITTED and profile.submitted_at
    listing = bob.get("/en/account/library/").content.decode()
    assert "Migration Profile Light" in listing
    # The focal point asks for changes, with a comment the secretariat sees.
    bob.post(
        f"/en/account/library/profiles/{profile.pk}/",
        {"action": "changes", "comment": "Update the 2023 figures."},
    )
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.CHANGES_REQUESTED
    assert "Update the 2023 figures." in alice.get(f"{WS}/profiles/{profile.pk}/").content.decode()
    alice.post(f"{WS}/profiles/{profile.pk}/", {"action": "submit"})
    bob.post(f"/en/account/library/profiles/{profile.pk}/", {"action": "endorse", "comment": ""})
    profile.refresh_from_db()
    assert profile.is_endorsed and profile.is_published
    public = world.client_for(None).get(f"/en/profiles/{profile.pk}/").content.decode()
    assert "Endorsed by the state" in public
    assert "Formally submitted to the state" in public and "The state asked for changes" in public
    assert "Update the 2023 figures." not in public  # the state's comments stay internal
    assert "Migration Profile Light" in world.client_for(None).get("/en/profiles/").content.decode()


def test_publishing_without_endorsement_waits_three_months(world: Any, make_profile: Any) -> None:
    profile = services.submit_profile(actor=world.alice, profile=make_profile())
    with pytest.raises(ValidationError) as refused:
        services.publish_profile_unendorsed(actor=world.alice, profile=profile)
    assert "has until" in str(refused.value)
    page = world.client_for(world.alice).get(f"{WS}/profiles/{profile.pk}/").content.decode()
    assert "Publish as not endorsed" not in page
    later = profile.submitted_at + datetime.timedelta(days=93)
    published = services.publish_profile_unendorsed(actor=world.alice, profile=profile, now=later)
    assert published.status == ProfileStatus.NOT_ENDORSED and published.published_at == later
    html = world.client_for(None).get(f"/en/profiles/{profile.pk}/").content.decode()
    assert "Not endorsed by the state" in html
    assert "Published without endorsement after three months" in html


def test_the_state_later_replaces_it_with_an_endorsed_version(
    world: Any, make_profile: Any, attach_pdf: Any
) -> None:
    profile = services.submit_profile(actor=world.alice, profile=make_profile())
    CountryProfile.objects.filter(pk=profile.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=120)
    )
    profile.refresh_from_db()
    world_page = world.client_for(world.alice)
    world_page.post(f"{WS}/profiles/{profile.pk}/", {"action": "publish"})
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.NOT_ENDORSED
    attach_pdf(profile, text="Revised profile")
    services.submit_profile(actor=world.alice, profile=profile)
    # Still public, still marked, while the state considers the new version.
    assert (
        "Not endorsed by the state"
        in world.client_for(None).get(f"/en/profiles/{profile.pk}/").content.decode()
    )
    services.endorse_profile(actor=world.bob, profile=profile)
    profile.refresh_from_db()
    steps = list(profile.events.values_list("action", flat=True))
    assert steps[-2:] == ["replaced", "endorsed"]
    html = world.client_for(None).get(f"/en/profiles/{profile.pk}/").content.decode()
    assert "Endorsed by the state" in html and "Replaced by a new version" in html


@pytest.mark.parametrize("name", ["carol", "dan", "erin", "frank"])
def test_only_the_focal_point_answers_for_the_state(
    world: Any, make_profile: Any, name: str
) -> None:
    profile = services.submit_profile(actor=world.alice, profile=make_profile())
    client = world.client_for(getattr(world, name))
    response = client.post(
        f"/en/account/library/profiles/{profile.pk}/", {"action": "endorse", "comment": ""}
    )
    assert response.status_code == 404
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.SUBMITTED


def test_a_profile_cannot_be_submitted_without_a_file(world: Any) -> None:
    from dialogos.core.models import Country

    profile = services.save_profile(
        actor=world.alice,
        dialogue=world.pp,
        country=Country.objects.get(code="LT"),
        kind="light",
        title={"en": "Profile without file (example data)"},
    )
    response = world.client_for(world.alice).post(
        f"{WS}/profiles/{profile.pk}/", {"action": "submit"}, follow=True
    )
    assert "Attach the profile" in response.content.decode()
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.DRAFT


def test_one_profile_per_state_and_kind(world: Any, make_profile: Any) -> None:
    make_profile()
    response = world.client_for(world.alice).post(
        f"{WS}/profiles/new/",
        {"country": "CZ", "kind": "light", "title_en": "Second", "access_level": "public"},
    )
    assert response.status_code == 200
    assert "already has a profile of this kind" in response.content.decode()


def test_the_workspace_overview_lists_profiles_that_may_be_published(
    world: Any, make_profile: Any
) -> None:
    profile = services.submit_profile(actor=world.alice, profile=make_profile())
    CountryProfile.objects.filter(pk=profile.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=95)
    )
    html = world.client_for(world.alice).get(f"{WS}/").content.decode()
    assert "Three months have passed without endorsement" in html
