"""The fixed cast every test can use.

A small world: the Prague Process (``pp``) with Czechia and Lithuania participating, Hungary
participating in the Budapest Process (``bp``), and these accounts:

- ``alice``   secretariat of the Prague Process
- ``bob``     focal point of Czechia in the Prague Process
- ``carol``   contributor for Czechia in the Prague Process
- ``dan``     delegate of Lithuania in the Prague Process
- ``erin``    secretariat of the Budapest Process (no role in the Prague Process)
- ``frank``   an account with no role at all
- ``olga``    platform operator (superuser)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _english_unless_a_test_says_otherwise() -> Any:
    """Each test starts in English: a /ru/ request leaves Russian active in its thread, and
    reverse() would then build /ru/ addresses for the next test."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _immediate_tasks_and_memory_mail(settings: Any) -> None:
    """Tasks run at once and e-mail stays in memory during tests."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PUBLIC_CACHE_SECONDS = 0  # tests of the cache switch it on themselves
    # Argon2 is slow on purpose; tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@dataclass
class World:
    pp: Any
    bp: Any
    icmpd: Any
    strategic_group: Any
    alice: Any
    bob: Any
    carol: Any
    dan: Any
    erin: Any
    frank: Any
    olga: Any

    def client_for(self, user: Any | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def world(db: Any) -> World:
    from dialogos.core.models import Country
    from dialogos.dialogues.models import (
        Body,
        BodyMembership,
        Dialogue,
        Office,
        Organisation,
        Participation,
    )
    from dialogos.people.models import Role, User

    if not Country.objects.exists():  # flushed by an earlier transactional (browser) test
        from dialogos.core.countries import sync_countries

        sync_countries(Country)
    icmpd = Organisation.objects.create(
        slug="icmpd",
        acronym="ICMPD",
        name={"en": "International Centre for Migration Policy Development"},
        kind=Organisation.Kind.INTERNATIONAL,
    )
    pp = Dialogue.objects.create(
        slug="prague-process",
        name={"en": "Prague Process", "ru": "Пражский процесс"},
        short_name={"en": "Prague Process", "ru": "Пражский процесс"},
        founded=2009,
        main_language="en",
        other_languages=["ru"],
        secretariat_host=icmpd,
        order=1,
    )
    bp = Dialogue.objects.create(
        slug="budapest-process",
        name={"en": "Budapest Process", "ru": "Будапештский процесс"},
        main_language="en",
        secretariat_host=icmpd,
        order=2,
    )
    cz, lt, hu = (Country.objects.get(code=c) for c in ("CZ", "LT", "HU"))
    for country in (cz, lt):
        Participation.objects.create(
            dialogue=pp, country=country, status=Participation.Status.PARTICIPATING
        )
    Participation.objects.create(dialogue=bp, country=hu, status=Participation.Status.PARTICIPATING)
    strategic_group = Body.objects.create(
        dialogue=pp,
        slug="strategic-group",
        name={"en": "Strategic Group", "ru": "Стратегическая группа"},
        kind=Body.Kind.STRATEGIC_GROUP,
    )
    BodyMembership.objects.create(body=strategic_group, country=lt)
    Office.objects.create(
        dialogue=pp,
        body=strategic_group,
        kind=Office.Kind.BODY_CHAIR,
        country=lt,
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2020, 12, 31),
    )

    def account(name: str, **extra: Any) -> Any:
        return User.objects.create_user(
            f"{name}@example.org", PASSWORD, display_name=name.title(), **extra
        )

    alice, bob, carol, dan, erin, frank = (
        account(n) for n in ("alice", "bob", "carol", "dan", "erin", "frank")
    )
    olga = User.objects.create_superuser("olga@example.org", PASSWORD, display_name="Olga")
    Role.objects.create(user=alice, dialogue=pp, role=Role.Kind.SECRETARIAT)
    Role.objects.create(user=bob, dialogue=pp, role=Role.Kind.FOCAL_POINT, country=cz)
    Role.objects.create(user=carol, dialogue=pp, role=Role.Kind.CONTRIBUTOR, country=cz)
    Role.objects.create(user=dan, dialogue=pp, role=Role.Kind.DELEGATE, country=lt)
    Role.objects.create(user=erin, dialogue=bp, role=Role.Kind.SECRETARIAT)
    return World(pp, bp, icmpd, strategic_group, alice, bob, carol, dan, erin, frank, olga)
