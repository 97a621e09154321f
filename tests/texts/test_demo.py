"""The demo loads the sourced texts and one example under negotiation, idempotently."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from dialogos.texts.models import OutcomeText


def test_demo_texts(db: Any) -> None:
    call_command("demo", verbosity=0)
    call_command("demo", verbosity=0)
    plan = OutcomeText.objects.get(title__en="Prague Process Action Plan 2023–2027")
    assert plan.status == "adopted" and plan.adopted_at_meeting is not None
    assert plan.adopted_at_meeting.start.date().isoformat() == "2022-10-24"
    assert plan.document is not None and plan.document.access_level == "public"
    assert all("(example data)" in p.content["en"] for p in plan.adopted_version.paragraphs.all())  # type: ignore[union-attr]
    example = OutcomeText.objects.get(is_example=True)
    assert example.status == "negotiation" and example.access_level == "group"
    assert OutcomeText.objects.filter(title__en="Istanbul Commitments and Call for Action").exists()
    assert OutcomeText.objects.count() == 4
