"""``dialogos bench-data --scale small|large [--reset]``: synthetic data for benchmarks.

Everything it makes is named as synthetic ("Bench dialogue 17", ``bench-…`` identifiers,
``…@bench.example`` accounts) so it never passes for real data, and ``--reset`` removes
exactly that before generating again. Rows are written with ``bulk_create``.

| scale | dialogues | participations | bodies | offices | grouping memberships | accounts | meetings | registrations |
|-------|-----------|----------------|--------|---------|----------------------|----------|----------|---------------|
| small | 20        | ~1,000         | 40     | 100     | 500                  | 200      | 200      | 4,000         |
| large | 200       | ~10,000        | 200    | 5,000   | 20,000               | 3,000    | 5,000    | 100,000       |

Each meeting has two agenda days of three sessions; a person takes part in many meetings.
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from dialogos.core.cache import bump_content_version
from dialogos.core.models import AccessLevel, Country
from dialogos.dialogues.models import (
    Body,
    BodyMembership,
    Dialogue,
    Grouping,
    GroupingMembership,
    Office,
    Participation,
)
from dialogos.people.models import Role, User

PREFIX = "bench-"
EMAIL_DOMAIN = "bench.example"


@dataclass(frozen=True)
class Scale:
    dialogues: int
    states_per_dialogue: int
    bodies_per_dialogue: int
    offices_per_dialogue: int
    groupings: int
    members_per_grouping: int
    accounts: int
    meetings_per_dialogue: int = 10
    registrations_per_meeting: int = 20
    persons: int = 500


SCALES = {
    "small": Scale(20, 50, 2, 5, 2, 250, 200),
    "large": Scale(200, 50, 1, 25, 80, 250, 3000, 25, 20, 5000),
}
LEVELS = [AccessLevel.PUBLIC, AccessLevel.PUBLIC, AccessLevel.MEMBERS, AccessLevel.SECRETARIAT]


def bench_exists() -> bool:
    return Dialogue.objects.filter(slug__startswith=PREFIX).exists()


def reset() -> None:
    """Remove every bench row (and nothing else)."""
    with transaction.atomic():
        from dialogos.meetings.models import Meeting
        from dialogos.people.models import Person

        Meeting.objects.filter(ical_uid__startswith=PREFIX).delete()
        Dialogue.objects.filter(slug__startswith=PREFIX).delete()
        Person.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()
        Grouping.objects.filter(slug__startswith=PREFIX).delete()
        User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()


def generate(scale: Scale, seed: int = 17) -> dict[str, int]:
    rng = random.Random(seed)
    codes = list(Country.objects.states().order_by("code").values_list("code", flat=True))
    counts: dict[str, int] = {}
    with transaction.atomic():
        groupings = Grouping.objects.bulk_create(
            Grouping(
                slug=f"{PREFIX}grouping-{i}",
                name={"en": f"Bench grouping {i}", "ru": f"Тестовая группа {i}"},
                order=200 + i,
            )
            for i in range(1, scale.groupings + 1)
        )
        counts["groupings"] = len(groupings)
        memberships = []
        for grouping in groupings:
            for code in rng.sample(codes, min(scale.members_per_grouping, len(codes))):
                start = datetime.date(rng.randint(1990, 2020), rng.randint(1, 12), 1)
                memberships.append(
                    GroupingMembership(grouping=grouping, country_id=code, start=start)
                )
        counts["grouping memberships"] = len(
            GroupingMembership.objects.bulk_create(memberships, batch_size=2000)
        )

        dialogues = Dialogue.objects.bulk_create(
            Dialogue(
                slug=f"{PREFIX}dialogue-{i}",
                name={"en": f"Bench dialogue {i}", "ru": f"Тестовый диалог {i}"},
                short_name={"en": f"Bench {i}", "ru": f"Тест {i}"},
                tagline={"en": "Synthetic data for benchmarks.", "ru": "Синтетические данные."},
                founded=2000 + i % 25,
                main_language="en",
                other_languages=["ru"],
                order=300 + i,
            )
            for i in range(1, scale.dialogues + 1)
        )
        counts["dialogues"] = len(dialogues)
        through = Dialogue.groupings.through
        through.objects.bulk_create(
            through(dialogue_id=d.pk, grouping_id=g.pk)
            for d in dialogues
            for g in rng.sample(groupings, min(4, len(groupings)))
        )

        participations = []
        states: dict[int, list[str]] = {}
        for d in dialogues:
            chosen = rng.sample(codes, scale.states_per_dialogue)
            states[d.pk] = chosen
            for n, code in enumerate(chosen):
                past = n % 10 == 9
                participations.append(
                    Participation(
                        dialogue=d,
                        country_id=code,
                        status=(
                            Participation.Status.OBSERVER
                            if n % 7 == 6
                            else Participation.Status.PARTICIPATING
                        ),
                        start=datetime.date(2000 + n % 20, 1, 1),
                        end=datetime.date(2021, 12, 31) if past else None,
                    )
                )
        counts["participations"] = len(
            Participation.objects.bulk_create(participations, batch_size=2000)
        )

        bodies = Body.objects.bulk_create(
            Body(
                dialogue=d,
                slug=f"{PREFIX}body-{n}",
                name={"en": f"Bench body {d.pk}.{n}", "ru": f"Тестовый орган {d.pk}.{n}"},
                kind=Body.Kind.WORKING_GROUP,
                access_level=LEVELS[(d.pk + n) % len(LEVELS)],
                order=n,
            )
            for d in dialogues
            for n in range(1, scale.bodies_per_dialogue + 1)
        )
        counts["bodies"] = len(bodies)
        counts["body members"] = len(
            BodyMembership.objects.bulk_create(
                (
                    BodyMembership(body=b, country_id=code, start=datetime.date(2020, 1, 1))
                    for b in bodies
                    for code in states[b.dialogue_id][:10]
                ),
                batch_size=2000,
            )
        )

        offices = []
        for d in dialogues:
            chosen = states[d.pk]
            first_year = 2025 - scale.offices_per_dialogue
            for n in range(scale.offices_per_dialogue):
                year = first_year + n
                offices.append(
                    Office(
                        dialogue=d,
                        kind=Office.Kind.CHAIR,
                        country_id=chosen[n % len(chosen)],
                        start=datetime.date(year, 1, 1),
                        end=None
                        if n == scale.offices_per_dialogue - 1
                        else datetime.date(year, 12, 31),
                    )
                )
        counts["offices"] = len(Office.objects.bulk_create(offices, batch_size=2000))

        password = make_password(None)
        users = User.objects.bulk_create(
            (
                User(
                    email=f"user{i}@{EMAIL_DOMAIN}",
                    display_name=f"Bench user {i}",
                    password=password,
                )
                for i in range(1, scale.accounts + 1)
            ),
            batch_size=2000,
        )
        counts["accounts"] = len(users)
        roles = []
        for i, user in enumerate(users):
            d = dialogues[i % len(dialogues)]
            if i < len(dialogues):
                roles.append(Role(user=user, dialogue=d, role=Role.Kind.SECRETARIAT))
                continue
            kind = [Role.Kind.DELEGATE, Role.Kind.FOCAL_POINT, Role.Kind.CONTRIBUTOR][i % 3]
            roles.append(Role(user=user, dialogue=d, role=kind, country_id=states[d.pk][i % 40]))
        counts["roles"] = len(Role.objects.bulk_create(roles, batch_size=2000))
        counts.update(generate_meetings(scale, rng, dialogues, states))
    return counts


def generate_meetings(
    scale: Scale, rng: random.Random, dialogues: list[Dialogue], states: dict[int, list[str]]
) -> dict[str, int]:
    """Meetings over ten years (past and coming), agendas, people and registrations."""
    from django.utils import timezone

    from dialogos.meetings.models import AgendaDay, AgendaSession, Meeting, Registration
    from dialogos.people.models import Person

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    types = [t for t, _label in Meeting.Type.choices]
    levels = [lv for lv, _label in Meeting.Level.choices]
    formats = [f for f, _label in Meeting.Format.choices]
    meetings = []
    for d in dialogues:
        for n in range(scale.meetings_per_dialogue):
            start = now + datetime.timedelta(days=rng.randint(-3000, 600), hours=rng.randint(0, 8))
            code = rng.choice(states[d.pk])
            meetings.append(
                Meeting(
                    dialogue=d,
                    title={
                        "en": f"Bench meeting {d.pk}.{n} (synthetic)",
                        "ru": f"Тестовое мероприятие {d.pk}.{n} (синтетическое)",
                    },
                    objectives={
                        "en": "Synthetic data for benchmarks.",
                        "ru": "Синтетические данные.",
                    },
                    type=rng.choice(types),
                    level=rng.choice(levels),
                    format=rng.choice(formats),
                    city={"en": f"Bench city {n}", "ru": f"Тестовый город {n}"},
                    country_id=code,
                    start=start,
                    end=start + datetime.timedelta(days=1, hours=8),
                    time_zone="Europe/Prague",
                    status=Meeting.Status.HELD if start < now else Meeting.Status.CONFIRMED,
                    access_level=LEVELS[n % len(LEVELS)],
                    registration_mode=Meeting.RegistrationMode.INVITATION,
                    capacity=scale.registrations_per_meeting * 2,
                    ical_uid=f"{PREFIX}{d.pk}-{n}@bench.example",
                    is_example=True,
                )
            )
    meetings = Meeting.objects.bulk_create(meetings, batch_size=1000)
    days = AgendaDay.objects.bulk_create(
        (
            AgendaDay(meeting=m, date=(m.start + datetime.timedelta(days=k)).date())
            for m in meetings
            for k in range(2)
        ),
        batch_size=2000,
    )
    sessions = AgendaSession.objects.bulk_create(
        (
            AgendaSession(
                meeting_id=day.meeting_id,
                day=day,
                start_time=datetime.time(9 + 3 * k, 0),
                end_time=datetime.time(11 + 3 * k, 0),
                title={"en": f"Bench session {k + 1}", "ru": f"Тестовая сессия {k + 1}"},
                order=k,
            )
            for day in days
            for k in range(3)
        ),
        batch_size=2000,
    )
    codes = sorted({c for chosen in states.values() for c in chosen})
    persons = Person.objects.bulk_create(
        (
            Person(
                given_name="Bench",
                family_name=f"Person {i} (synthetic)",
                email=f"person{i}@{EMAIL_DOMAIN}",
                country_id=codes[i % len(codes)],
            )
            for i in range(scale.persons)
        ),
        batch_size=2000,
    )
    registrations = []
    for m in meetings:
        for person in rng.sample(persons, scale.registrations_per_meeting):
            registrations.append(
                Registration(
                    meeting=m,
                    person=person,
                    country_id=person.country_id,
                    status=Registration.Status.ATTENDED
                    if m.status == Meeting.Status.HELD
                    else Registration.Status.CONFIRMED,
                    channel=Registration.Channel.SECRETARIAT,
                    visibility=Registration.Visibility.EVERYONE,
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=2000)
    return {
        "meetings": len(meetings),
        "agenda sessions": len(sessions),
        "persons": len(persons),
        "registrations": len(registrations),
    }


class Command(BaseCommand):
    help = "Generate synthetic benchmark data (small or large scale); --reset replaces it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument(
            "--reset", action="store_true", help="Remove existing bench data first."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if bench_exists():
            if not options["reset"]:
                raise CommandError("Bench data is already there; run with --reset to replace it.")
            reset()
            self.stdout.write("Removed the previous bench data.")
        started = time.monotonic()
        counts = generate(SCALES[options["scale"]])
        bump_content_version()
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{n:,} {what}" for what, n in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Bench data ({options['scale']}) in {elapsed:.1f} s: {summary}.")
        )
