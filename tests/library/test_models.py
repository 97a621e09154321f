import datetime

import pytest

from dialogos.library.models import CountryProfile, ProfileStatus, Topic, add_months

pytestmark = pytest.mark.django_db


def test_the_starting_topics_are_seeded() -> None:
    slugs = set(Topic.objects.values_list("slug", flat=True))
    assert {"migration-and-development", "border-management", "diaspora", "data"} <= slugs
    assert Topic.objects.get(slug="integration").name.get_text("ru") == "Интеграция"


def test_adding_months_clips_to_the_last_day() -> None:
    start = datetime.datetime(2025, 11, 30, 12, tzinfo=datetime.UTC)
    assert add_months(start, 3) == datetime.datetime(2026, 2, 28, 12, tzinfo=datetime.UTC)
    assert add_months(start, 1).month == 12


def test_a_profile_may_be_published_unendorsed_only_after_three_months() -> None:
    submitted = datetime.datetime(2025, 1, 15, tzinfo=datetime.UTC)
    profile = CountryProfile(status=ProfileStatus.SUBMITTED, submitted_at=submitted)
    assert not profile.may_publish_unendorsed(datetime.datetime(2025, 4, 14, tzinfo=datetime.UTC))
    assert profile.may_publish_unendorsed(datetime.datetime(2025, 4, 15, tzinfo=datetime.UTC))
    profile.status = ProfileStatus.ENDORSED
    assert not profile.may_publish_unendorsed(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
