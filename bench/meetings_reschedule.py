#!/usr/bin/env python3
"""Mass rescheduling: postpone 200 meetings with 10,000 registrants in one step, then send.

A fresh database gets one synthetic dialogue with 60 participating states and a focal point
each, 200 in-person meetings in the coming months and 10,000 registrants (50 per meeting, each
with an e-mail address). The benchmark then

1. times ``reschedule_meetings`` (postpone every in-person meeting of the period): the change
   committed and one e-mail per person concerned queued in the outbox (target: under 5 s);
2. starts ``dialogos worker`` (the database task worker, e-mail to memory) and measures how
   fast it sends;
3. kills the worker with SIGKILL halfway, starts a new one, and finally counts: every e-mail
   sent once, none twice (rows left "sending" by the killed worker are reported: they are the
   operator's decision, never re-sent automatically).

    .venv/bin/python bench/meetings_reschedule.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dialogos_resched \\
        .venv/bin/python bench/meetings_reschedule.py   # an empty database, created beforehand
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import DIALOGOS, ROOT, run

STATES = 60


def prepare(meetings: int, per_meeting: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.utils import timezone

    from dialogos.core.models import Country
    from dialogos.dialogues.models import Dialogue, Participation
    from dialogos.meetings import services
    from dialogos.meetings.models import Meeting, Registration
    from dialogos.people.models import Person, Role, User

    codes = list(
        Country.objects.exclude(code="XK").order_by("code").values_list("code", flat=True)[:STATES]
    )
    dialogue = Dialogue.objects.create(
        slug="bench-reschedule",
        name={"en": "Bench dialogue (synthetic)", "ru": "Тестовый диалог (синтетический)"},
        main_language="en",
        other_languages=["ru"],
    )
    Participation.objects.bulk_create(
        Participation(
            dialogue=dialogue,
            country_id=code,
            status=Participation.Status.PARTICIPATING,
            start=datetime.date(2020, 1, 1),
        )
        for code in codes
    )
    secretariat = User.objects.create_user(email="secretariat@bench.example", password=None)
    Role.objects.create(user=secretariat, dialogue=dialogue, role=Role.Kind.SECRETARIAT)
    for n, code in enumerate(codes):
        user = User.objects.create_user(
            email=f"focal-{code.lower()}@bench.example",
            password=None,
            language="ru" if n % 3 == 0 else "en",
        )
        Role.objects.create(
            user=user, dialogue=dialogue, role=Role.Kind.FOCAL_POINT, country_id=code
        )
    now = timezone.now()
    created = []
    for i in range(meetings):
        start = now + datetime.timedelta(days=10 + i % 80, hours=i % 7)
        created.append(
            services.create_meeting(
                actor=secretariat,
                dialogue=dialogue,
                title={"en": f"Bench workshop {i} (synthetic)", "ru": f"Тестовый семинар {i}"},
                start=start,
                end=start + datetime.timedelta(days=1),
                time_zone="Europe/Prague",
                format=Meeting.Format.IN_PERSON,
                registration_mode=Meeting.RegistrationMode.INVITATION,
                requires_approval=False,
            )
        )
    people = Person.objects.bulk_create(
        Person(
            given_name="Bench",
            family_name=f"Registrant {i:05d}",
            email=f"registrant-{i:05d}@bench.example",
            country_id=codes[i % len(codes)],
        )
        for i in range(meetings * per_meeting)
    )
    Registration.objects.bulk_create(
        (
            Registration(
                meeting=created[i // per_meeting],
                person=person,
                country_id=person.country_id,
                status=Registration.Status.CONFIRMED,
                channel=Registration.Channel.SECRETARIAT,
            )
            for i, person in enumerate(people)
        ),
        batch_size=2000,
    )
    return {
        "dialogue": dialogue,
        "secretariat": secretariat,
        "before": now + datetime.timedelta(days=365),
    }


def counts() -> dict[str, int]:
    from django.db import connections
    from django.db.models import Count

    from dialogos.meetings.models import Notification

    result = dict(Notification.objects.values_list("status").annotate(n=Count("pk")).order_by())
    connections.close_all()
    return result


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [DIALOGOS, "worker", "--no-startup-delay", "--interval", "0.2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--per-meeting", type=int, default=50)
    parser.add_argument("--kill-at", type=float, default=0.5, help="share sent before SIGKILL")
    parser.add_argument(
        "--change-only", action="store_true", help="time the change and the queueing, send nothing"
    )
    options = parser.parse_args()

    var = tempfile.mkdtemp(prefix="dialogos-resched-")
    env = dict(
        os.environ,
        DIALOGOS_VAR=var,
        DJANGO_SETTINGS_MODULE="dialogos.settings",
        TASKS_IMMEDIATE="0",
        EMAIL_URL="memory:",
        NOTIFICATION_LEASE_SECONDS="5",
    )
    env.pop("DEBUG", None)
    os.environ.update(env)
    engine = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    print(f"# Load average before the run: {os.getloadavg()}", flush=True)
    run([DIALOGOS, "migrate", "--noinput", "-v0"], env)
    data = prepare(options.meetings, options.per_meeting)

    from django.db import connections

    from dialogos.meetings import services
    from dialogos.meetings.models import Meeting, Notification

    connections.close_all()
    began = time.perf_counter()
    decision = services.reschedule_meetings(
        actor=data["secretariat"],
        dialogue=data["dialogue"],
        action="postpone",
        reason={
            "en": "Synthetic benchmark: every in-person meeting is postponed.",
            "ru": "Синтетический тест: все очные мероприятия переносятся.",
        },
        formats=["in_person"],
        start_before=data["before"],
    )
    change_s = time.perf_counter() - began
    changed = Meeting.objects.filter(status=Meeting.Status.POSTPONED).count()
    queued = Notification.objects.filter(key__startswith=f"schedule:{decision.pk}:").count()
    print(
        f"# postponed {changed} meetings, queued {queued} e-mails in {change_s:.2f} s", flush=True
    )
    connections.close_all()
    if options.change_only:
        print(f"| {engine} | {changed} meetings | {queued} e-mails queued | {change_s:.2f} s |")
        print(f"# Load average after the run: {os.getloadavg()}")
        shutil.rmtree(var, ignore_errors=True)
        raise SystemExit(0 if change_s < 5 else 1)

    total = queued
    worker = start_worker(env)
    began = time.perf_counter()
    killed_at_sent = None
    while True:
        time.sleep(0.25)
        state = counts()
        sent = state.get(Notification.Status.SENT, 0)
        if killed_at_sent is None and sent >= total * options.kill_at:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            killed_at_sent = sent
            first_phase = time.perf_counter() - began
            print(f"# SIGKILL after {sent} sent in {first_phase:.1f} s: {state}", flush=True)
            # The killed worker's task stays "running" in the task table: the recovery is a new
            # worker plus `dialogos notifications --send` (or any new sending task).
            worker = start_worker(env)
            subprocess.run(
                [DIALOGOS, "notifications", "--send"],
                env=env,
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        left = state.get(Notification.Status.PENDING, 0) + state.get(Notification.Status.CLAIMED, 0)
        if killed_at_sent is not None and left == 0:
            break
        if time.perf_counter() - began > 1800:
            print("# gave up after 30 minutes", flush=True)
            break
    wall = time.perf_counter() - began
    worker.terminate()
    worker.wait(timeout=10)
    final = counts()
    sent = final.get(Notification.Status.SENT, 0)
    uncertain = final.get(Notification.Status.SENDING, 0)
    sent_twice = 0  # a row is sent at most once by construction; verify no key repeats:
    from django.db.models import Count

    sent_twice = Notification.objects.values("key").annotate(n=Count("pk")).filter(n__gt=1).count()
    connections.close_all()
    print(f"# final outbox: {final}")
    print(
        "| engine | meetings | registrants | e-mails queued | change + queue s | worker e-mails/s "
        "| sent | left uncertain by SIGKILL | duplicate keys |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {engine} | {changed} | {options.meetings * options.per_meeting} | {queued} | "
        f"{change_s:.2f} | {sent / wall:.0f} | {sent} | {uncertain} | {sent_twice} |"
    )
    print(f"# Load average after the run: {os.getloadavg()}")
    shutil.rmtree(var, ignore_errors=True)
    ok = change_s < 5 and sent + uncertain == total and sent_twice == 0
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
