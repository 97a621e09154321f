#!/usr/bin/env python3
"""Registration rush: thousands of nominations at once through the HTTP API, then the count.

A fresh database gets one synthetic dialogue with 60 participating states, a focal point with an
API token for each, 5,000 persons and one meeting of 500 seats with a quota of 10 seats per
state (60 x 10 = 600 > 500, so both limits bind). `dialogos serve` (granian) starts, and 32
client threads send the nominations (`POST /api/v1/meetings/<id>/registrations`), plus a share
of repeated attempts for persons already registered, which must be refused (422).

Then the database is checked: exactly 500 confirmed, no state above its quota, everyone else on
the waiting list in a gapless order, no person registered twice, no 5xx, and exactly the repeats
refused. Prints a Markdown row with the throughput and latency.

    .venv/bin/python bench/meetings_rush.py                 # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dialogos_rush \\
        .venv/bin/python bench/meetings_rush.py             # PostgreSQL (database re-created)
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import DIALOGOS, ROOT, free_port, run, wait_until_up

STATES = 60


def prepare(persons: int, capacity: int, quota: int) -> dict[str, Any]:
    """Create the dialogue, focal points, persons and the meeting; return what clients need."""
    import datetime

    import django

    django.setup()
    from django.db import connections
    from django.utils import timezone

    from dialogos.api.services import create_api_token
    from dialogos.core.models import Country
    from dialogos.dialogues.models import Dialogue, Participation
    from dialogos.meetings import services
    from dialogos.meetings.models import Meeting
    from dialogos.people.models import Person, Role, User

    codes = list(
        Country.objects.exclude(code="XK").order_by("code").values_list("code", flat=True)[:STATES]
    )
    dialogue = Dialogue.objects.create(
        slug="bench-rush",
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
    tokens = {}
    for code in codes:
        user = User.objects.create_user(email=f"focal-{code.lower()}@bench.example", password=None)
        Role.objects.create(
            user=user, dialogue=dialogue, role=Role.Kind.FOCAL_POINT, country_id=code
        )
        tokens[code] = create_api_token(actor=secretariat, user=user, name="bench")[1]
    rng = random.Random(7)
    people = Person.objects.bulk_create(
        Person(
            given_name="Bench",
            family_name=f"Delegate {i:05d}",
            country_id=rng.choice(codes),
        )
        for i in range(persons)
    )
    start = timezone.now() + datetime.timedelta(days=60)
    meeting = services.create_meeting(
        actor=secretariat,
        dialogue=dialogue,
        title={"en": "Bench conference (synthetic)", "ru": "Тестовая конференция"},
        start=start,
        end=start + datetime.timedelta(days=2),
        time_zone="Europe/Prague",
        registration_mode=Meeting.RegistrationMode.INVITATION,
        requires_approval=False,
        capacity=capacity,
        seats_per_state=quota,
    )
    result = {
        "meeting": meeting.pk,
        "tokens": tokens,
        "people": [(p.pk, p.country_id) for p in people],
    }
    connections.close_all()
    return result


class Client(threading.Thread):
    def __init__(self, port: int, work: queue.Queue[Any], results: list[Any]) -> None:
        super().__init__(daemon=True)
        self.port, self.work, self.results = port, work, results

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while True:
            try:
                path, token, body, repeat = self.work.get_nowait()
            except queue.Empty:
                break
            began = time.perf_counter()
            try:
                conn.request(
                    "POST",
                    path,
                    body=json.dumps(body),
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "application/json",
                    },
                )
                response = conn.getresponse()
                payload = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                status, payload = 0, str(exc).encode()
            self.results.append((status, time.perf_counter() - began, repeat, payload))
        conn.close()


def check(meeting_id: int, capacity: int, quota: int, unique: int) -> dict[str, Any]:
    from django.db import connections
    from django.db.models import Count

    from dialogos.meetings.models import Registration

    connections.close_all()
    regs = Registration.objects.filter(meeting_id=meeting_id)
    by_status = dict(regs.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    per_state = (
        regs.filter(status="confirmed").values("country_id").annotate(n=Count("pk")).order_by("-n")
    )
    duplicates = (
        regs.exclude(status__in=["withdrawn", "rejected"])
        .values("person_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    positions = sorted(regs.filter(status="waiting").values_list("waiting_position", flat=True))
    return {
        "total": regs.count(),
        "confirmed": by_status.get("confirmed", 0),
        "waiting": by_status.get("waiting", 0),
        "other": sum(n for s, n in by_status.items() if s not in {"confirmed", "waiting"}),
        "max_per_state": per_state[0]["n"] if per_state else 0,
        "duplicates": duplicates,
        "waiting_gapless": positions == list(range(1, len(positions) + 1)),
        "expected_total": unique,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=5000)
    parser.add_argument("--repeats", type=float, default=0.05, help="share of repeated attempts")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--capacity", type=int, default=500)
    parser.add_argument("--quota", type=int, default=10)
    parser.add_argument("--workers", type=int, default=0, help="server workers (0: default)")
    options = parser.parse_args()

    var = tempfile.mkdtemp(prefix="dialogos-rush-")
    env = dict(os.environ, DIALOGOS_VAR=var, DJANGO_SETTINGS_MODULE="dialogos.settings")
    env.pop("DEBUG", None)
    env["TASKS_IMMEDIATE"] = "0"
    os.environ.update(env)
    engine = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    print(f"# Load average before the run: {os.getloadavg()}", flush=True)
    run([DIALOGOS, "migrate", "--noinput", "-v0"], env)

    repeats = int(options.attempts * options.repeats)
    unique = options.attempts - repeats
    data = prepare(unique, options.capacity, options.quota)
    path = f"/api/v1/meetings/{data['meeting']}/registrations"
    attempts = [
        (path, data["tokens"][code], {"person": pk, "country": code}, False)
        for pk, code in data["people"]
    ]
    rng = random.Random(11)
    # Repeats come later in the stream than their first attempt, mixed among the others.
    for pk, code in rng.sample(data["people"][: unique // 2], repeats):
        attempts.append((path, data["tokens"][code], {"person": pk, "country": code}, True))
    head, tail = attempts[: unique // 2], attempts[unique // 2 :]
    rng.shuffle(tail)
    work: queue.Queue[Any] = queue.Queue()
    for item in head + tail:
        work.put(item)

    port = free_port()
    serve = [DIALOGOS, "serve", "--port", str(port)]
    if options.workers:
        serve += ["--workers", str(options.workers)]
    server = subprocess.Popen(
        serve, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    results: list[Any] = []
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz")
        began = time.perf_counter()
        clients = [Client(port, work, results) for _ in range(options.clients)]
        for c in clients:
            c.start()
        for c in clients:
            c.join()
        wall = time.perf_counter() - began
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()

    outcome = check(data["meeting"], options.capacity, options.quota, unique)
    codes: dict[int, int] = {}
    for status, _t, _r, _p in results:
        codes[status] = codes.get(status, 0) + 1
    refused_repeats = sum(1 for s, _t, r, _p in results if r and s == 422)
    refused_first = sum(1 for s, _t, r, _p in results if not r and s != 201)
    latencies = sorted(t * 1000 for _s, t, _r, _p in results)
    p50 = statistics.median(latencies)
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    expected_confirmed = options.capacity
    ok = (
        outcome["confirmed"] == expected_confirmed
        and outcome["waiting"] == unique - expected_confirmed
        and outcome["max_per_state"] <= options.quota
        and outcome["duplicates"] == 0
        and outcome["waiting_gapless"]
        and outcome["total"] == unique
        and refused_repeats == repeats
        and refused_first == 0
        and not any(s >= 500 or s == 0 for s in codes)
    )
    print(f"# status codes: {dict(sorted(codes.items()))}")
    print(f"# database: {outcome}")
    for status, _t, _r, payload in results:
        if status not in (201, 422):
            print(f"# unexpected answer {status}: {payload[:300]!r}")
            break
    print(
        "| engine | attempts | clients | seats / quota | confirmed | waiting | max per state "
        "| duplicates | refused repeats | 5xx | wall s | attempts/s | p50 ms | p99 ms | correct |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {engine} | {len(results)} | {options.clients} | {options.capacity} / "
        f"{options.quota} | {outcome['confirmed']} | {outcome['waiting']} | "
        f"{outcome['max_per_state']} | {outcome['duplicates']} | {refused_repeats} of {repeats} "
        f"| {sum(n for s, n in codes.items() if s >= 500 or s == 0)} | {wall:.1f} | "
        f"{len(results) / wall:.0f} | {p50:.0f} | {p99:.0f} | {'yes' if ok else 'NO'} |"
    )
    print(f"# Load average after the run: {os.getloadavg()}")
    shutil.rmtree(var, ignore_errors=True)
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
