"""Search fixtures: meetings of every access level, indexed through the real signal path."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from dialogos.core.models import AccessLevel


@pytest.fixture(autouse=True)
def _no_embeddings_unless_asked(settings: Any) -> None:
    """Embeddings cost a model load; the tests of related items switch them on."""
    settings.SEARCH_EMBEDDINGS = False
    settings.SEARCH_LABEL_SECONDS = 0  # facet labels read afresh: names change between tests


@pytest.fixture
def make_meeting(world: Any, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Create a meeting and let its post-save reindex run (as the worker would)."""
    from dialogos.meetings.models import Meeting

    def make(
        title: str | dict[str, str],
        *,
        dialogue: Any = None,
        access_level: str = AccessLevel.PUBLIC,
        objectives: dict[str, str] | None = None,
        year: int = 2024,
        country: str | None = None,
        host_states: tuple[str, ...] = (),
        **extra: Any,
    ) -> Any:
        start = datetime.datetime(year, 5, 14, 9, tzinfo=datetime.UTC)
        with django_capture_on_commit_callbacks(execute=True):
            meeting = Meeting.objects.create(
                dialogue=dialogue or world.pp,
                title=title if isinstance(title, dict) else {"en": title},
                objectives=objectives or {},
                access_level=access_level,
                start=start,
                end=start + datetime.timedelta(hours=8),
                country_id=country,
                **extra,
            )
            if host_states:
                meeting.host_states.set(host_states)
        return meeting

    return make


@pytest.fixture
def make_registration(world: Any) -> Callable[..., Any]:
    """Register an account for a meeting (which puts it in the meeting's group)."""
    from dialogos.meetings.models import Registration
    from dialogos.people.models import Person

    def make(meeting: Any, user: Any) -> Any:
        person = Person.objects.create(
            given_name="Test", family_name=user.display_name, user=user, country_id="LT"
        )
        return Registration.objects.create(
            meeting=meeting,
            person=person,
            user=user,
            country_id="LT",
            status=Registration.Status.CONFIRMED,
            channel=Registration.Channel.choices[0][0],
        )

    return make
