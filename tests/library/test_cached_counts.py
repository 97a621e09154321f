"""List counts are cached per reader: one reader's count never shows another what it may not
see — including documents seen only by a meeting's registrants."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from dialogos.meetings import services as meetings
from dialogos.meetings.models import Meeting, Registration
from dialogos.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings: Any) -> None:
    settings.PUBLIC_CACHE_SECONDS = 300


def test_a_registrants_count_is_not_shown_to_other_members(world: Any, make_document: Any) -> None:
    start = timezone.now() + datetime.timedelta(days=30)
    meeting = meetings.create_meeting(
        actor=world.alice,
        dialogue=world.pp,
        title={"en": "Expert workshop (example data)"},
        start=start,
        end=start + datetime.timedelta(days=1),
        time_zone="Europe/Prague",
        registration_mode=Meeting.RegistrationMode.OPEN,
        requires_approval=False,
        access_level="group",
    )
    person = Person.objects.create(given_name="Dan", family_name="Delegate", user=world.dan)
    Registration.objects.create(
        meeting=meeting, person=person, user=world.dan, status=Registration.Status.CONFIRMED
    )
    make_document(title={"en": "Open report (example data)"})
    make_document(meeting=meeting, access_level="inherit", title={"en": "Workshop notes"})

    def count(user: Any, path: str = "/en/library/") -> str:
        return world.client_for(user).get(path).content.decode()

    assert "2 documents" in count(world.dan)
    assert "1 document<" in count(world.bob)  # a member of the dialogue, not registered
    assert "1 document<" in count(None)
    assert "2 documents" in count(world.alice)
    api = world.client_for(world.bob).get("/api/v1/library/documents").json()
    assert api["count"] == 1
    assert world.client_for(world.dan).get("/api/v1/library/documents").json()["count"] == 2
