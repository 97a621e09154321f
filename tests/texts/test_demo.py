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


def test_every_page_of_the_demo_texts_renders(db: Any) -> None:
    from django.test import Client
    from django.urls import reverse

    from dialogos.people.models import User
    from dialogos.texts.models import Circulation

    call_command("demo", verbosity=0)
    example = OutcomeText.objects.get(is_example=True)
    circulation = Circulation.objects.get(version__text=example)
    secretariat, focal = Client(), Client()
    secretariat.force_login(User.objects.get(email="secretariat@dialogos.example"))
    focal.force_login(User.objects.get(email="focal.point@dialogos.example"))
    slug = example.dialogue.slug
    for language in ("en", "ru"):
        for url in (
            reverse("texts_workspace:index", args=[slug]),
            reverse("texts_workspace:detail", args=[slug, example.pk]),
            reverse("texts_workspace:circulation", args=[slug, example.pk, circulation.pk]),
            reverse("texts_workspace:version", args=[slug, example.pk, 1]),
        ):
            url = url.replace("/en/", f"/{language}/", 1)
            assert secretariat.get(url).status_code == 200, url
        for url in (
            reverse("texts_member:index"),
            reverse("texts_member:detail", args=[example.pk]),
        ):
            url = url.replace("/en/", f"/{language}/", 1)
            assert focal.get(url).status_code == 200, url
        for text in OutcomeText.objects.adopted():
            url = reverse("texts:detail", args=[text.pk]).replace("/en/", f"/{language}/", 1)
            assert Client().get(url).status_code == 200, url
