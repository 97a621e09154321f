"""``get_FOO_display`` from cached labels: the same answers as Django's, in each language."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models
from django.utils import translation

from dialogos.core.models import AccessLevel, choice_label
from dialogos.meetings.models import Meeting, Registration


@pytest.mark.parametrize("language", ["en", "ru"])
def test_labels_match_djangos_in_each_language(language: str) -> None:
    meeting = Meeting(
        type=Meeting.Type.WORKSHOP,
        status=Meeting.Status.POSTPONED,
        access_level=AccessLevel.MEMBERS,
    )
    registration = Registration(status=Registration.Status.WAITING)
    with translation.override(language):
        assert meeting.get_type_display() == str(Meeting.Type.WORKSHOP.label)
        assert meeting.get_status_display() == str(Meeting.Status.POSTPONED.label)
        assert meeting.get_access_level_display() == str(AccessLevel.MEMBERS.label)
        assert registration.get_status_display() == str(Registration.Status.WAITING.label)
    with translation.override("ru"):
        assert meeting.get_type_display() != "Workshop"


def test_an_unknown_value_shows_as_itself() -> None:
    meeting = Meeting(type="lecture")
    assert meeting.get_type_display() == "lecture"
    field: Any = models.CharField(choices=[("a", "A")])
    assert choice_label(field, ["unhashable"]) == ["unhashable"]
