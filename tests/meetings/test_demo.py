"""Demo meetings: the ones the sources name, and examples marked as such; loading twice changes nothing."""

from __future__ import annotations

import pytest

from dialogos.demo.loader import Loader
from dialogos.meetings import demo
from dialogos.meetings.models import Meeting, ScheduleChange


@pytest.mark.django_db
def test_the_demo_meetings_load_idempotently() -> None:
    loader = Loader()
    loader.run()
    demo.load(loader)
    first = loader.created
    demo.load(loader)
    assert loader.created == first
    ministerial = Meeting.objects.get(ical_uid="demo-pp-ministerial-2022@dialogos")
    assert ministerial.local_start().date().isoformat() == "2022-10-24"
    assert ministerial.status == Meeting.Status.HELD
    assert "Czech" in ministerial.occasion["en"]
    lisbon = Meeting.objects.get(ical_uid="demo-pp-som-2023-lisbon@dialogos")
    assert set(lisbon.host_states.values_list("code", flat=True)) == {"PT", "CZ"}
    assert (lisbon.reported_participants, lisbon.reported_countries) == (60, 27)
    assert Meeting.objects.filter(dialogue__slug="budapest-process", city__en="Istanbul").exists()
    examples = Meeting.objects.filter(is_example=True)
    assert examples.count() == 2
    assert all("example data" in str(m.title) for m in examples)
    assert all(m.status == Meeting.Status.POSTPONED for m in examples)
    assert ScheduleChange.objects.filter(meeting__in=examples).count() == 2
    assert not Meeting.objects.filter(is_example=False, title__en__startswith="Example").exists()
