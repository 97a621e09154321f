#!/usr/bin/env python3
"""Action plans under load: a synthetic plan of 2,000 items over 6 levels, 50 states and 10
reporting cycles.

A fresh database gets one synthetic dialogue ("Bench plans dialogue (synthetic)") with 50
participating states, the usual five statuses and one plan ("Bench action plan (synthetic)")
of 2,000 items over 6 levels (3 pillars, then 3 or 4 parts per item), each with a lead state
and up to three participating states; every tenth item has an indicator with values. Ten
reporting cycles ask all 50 states about 200 leaf items each; the first nine are accepted.
Then:

- ``--rollup``: the tenth cycle's 50 reports are answered, submitted and accepted one by one
  (each acceptance recomputes all roll-ups); prints the time of each recompute and of one
  recompute of the whole plan;
- by default: ``dialogos serve`` (granian) starts and wrk measures the public plan page (the
  whole tree), the tree of one pillar, the tree filtered by one state, a state's page and the
  API plan. ``--cache-seconds 300`` measures visitors' cached pages (cookieless), the default
  (0) every request rendered.
- ``--cpu N``: N requests in process per page, CPU time (less distorted by a busy machine),
  with the secretariat's tree editor (overview and one pillar) too; ``--profile`` prints
  where one request of each spends its time.
- ``--signed-in``: read as a member (a session cookie): past the public cache, through the
  shared rendering of ``plans.caching`` when ``--cache-seconds`` is set, else uncached.

    .venv/bin/python bench/plans_pages.py --rollup
    .venv/bin/python bench/plans_pages.py                     # uncached
    .venv/bin/python bench/plans_pages.py --cache-seconds 300 # cached
    .venv/bin/python bench/plans_pages.py --cache-seconds 300 --signed-in  # a member, cached
    .venv/bin/python bench/plans_pages.py --cpu 30 --cache-seconds 300 --signed-in
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dlg_plans_bench \\
        .venv/bin/python bench/plans_pages.py                 # PostgreSQL (an empty database)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import (
    DIALOGOS,
    ROOT,
    cpu_times,
    fetch,
    free_port,
    run,
    session_cookie,
    wait_until_up,
    wrk,
)

STATES = 50
LEVELS = 6
CYCLES = 10


def prepare(total: int) -> dict[str, Any]:
    """Generate the synthetic plan, states and cycles; return what the targets need."""
    import datetime
    import random

    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from dialogos.core.models import Country
    from dialogos.dialogues.models import Dialogue, Participation
    from dialogos.people.models import Role, User
    from dialogos.plans import services
    from dialogos.plans.models import (
        ActionPlan,
        Indicator,
        IndicatorValue,
        ItemState,
        PlanItem,
        ReportAnswer,
        ReportingCycle,
        StateReport,
        path_segment,
    )

    rng = random.Random(2026)
    codes = list(
        Country.objects.exclude(code="XK").order_by("code").values_list("code", flat=True)[:STATES]
    )
    with transaction.atomic():
        dialogue = Dialogue.objects.create(
            slug="bench-plans",
            name={
                "en": "Bench plans dialogue (synthetic)",
                "ru": "Тестовый диалог планов (синтетический)",
            },
            main_language="en",
            other_languages=["ru"],
        )
        Participation.objects.bulk_create(
            [Participation(dialogue=dialogue, country_id=c, status="participating") for c in codes]
        )
        secretariat = User.objects.create_user("bench-plans@bench.example", "bench-password-1")
        Role.objects.create(user=secretariat, dialogue=dialogue, role=Role.Kind.SECRETARIAT)
        statuses = services.ensure_default_statuses(actor=secretariat, dialogue=dialogue)
        plan = ActionPlan.objects.create(
            dialogue=dialogue,
            slug="bench-plan",
            title={"en": "Bench action plan (synthetic)", "ru": "Тестовый план (синтетический)"},
            period_start=2023,
            period_end=2027,
            status=ActionPlan.Status.IMPLEMENTING,
        )
        # Breadth first: 3 pillars, then 4 to 6 parts per item until ``total`` over 6 levels.
        kinds = ["pillar", "component", "objective", "commitment", "action", "action"]
        level: list[PlanItem | None] = [None]
        made = 0
        for depth in range(LEVELS):
            created: list[PlanItem] = []
            for parent in level:
                width = 3 if parent is None else rng.randint(3, 4)
                for position in range(1, width + 1):
                    if made >= total:
                        break
                    made += 1
                    code = f"{parent.code}.{position}" if parent else str(position)
                    created.append(
                        PlanItem(
                            plan=plan,
                            parent=parent,
                            path=(parent.path if parent else "") + path_segment(position),
                            depth=depth,
                            position=position,
                            kind=kinds[depth],
                            code=code,
                            title={
                                "en": f"Bench item {code} (synthetic)",
                                "ru": f"Тестовый пункт {code} (синтетический)",
                            },
                            weight=rng.randint(1, 5),
                            status=rng.choice(statuses),
                        )
                    )
            PlanItem.objects.bulk_create(created, batch_size=500)
            # Fill the remaining levels evenly: the last levels take what is left.
            level = list(created)
            if made >= total:
                break
        items = list(PlanItem.objects.filter(plan=plan).order_by("path"))
        leaves = {i.pk for i in items} - {i.parent_id for i in items}
        ordered_leaves = [i.pk for i in items if i.pk in leaves]
        states = []
        lead_of: dict[str, list[int]] = {c: [] for c in codes}
        for item in items:
            chosen = rng.sample(codes, 1 + rng.randint(0, 3))
            lead_of[chosen[0]].append(item.pk)
            states.append(ItemState(item=item, country_id=chosen[0], role="lead"))
            states.extend(
                ItemState(item=item, country_id=c, role="participant") for c in chosen[1:]
            )
        ItemState.objects.bulk_create(states, batch_size=1000)
        indicators = Indicator.objects.bulk_create(
            [
                Indicator(
                    item=item,
                    name={"en": f"Bench indicator {item.code} (synthetic)"},
                    unit="count",
                    baseline=0,
                    target=100,
                )
                for item in items[::10]
            ]
        )
        IndicatorValue.objects.bulk_create(
            [
                IndicatorValue(
                    indicator=ind,
                    on=datetime.date(2024 + k, 12, 31),
                    value=rng.randint(0, 100),
                    country_id=rng.choice(codes),
                )
                for ind in indicators
                for k in range(3)
            ]
        )
        now = timezone.now()
        for n in range(CYCLES):
            cycle = ReportingCycle.objects.create(
                plan=plan,
                title={"en": f"Bench cycle {n + 1} (synthetic)"},
                period_start=datetime.date(2023, 1, 1) + datetime.timedelta(days=120 * n),
                period_end=datetime.date(2023, 4, 30) + datetime.timedelta(days=120 * n),
                deadline=now + datetime.timedelta(days=30),
                status=ReportingCycle.Status.OPEN,
                opened_at=now,
            )
            # Each cycle asks about 200 of the leaves (the cycles overlap by 50).
            asked = ordered_leaves[(n * 150) % len(ordered_leaves) :][:200]
            cycle.items.set(asked)
            accepted = n < CYCLES - 1
            reports = StateReport.objects.bulk_create(
                [
                    StateReport(
                        cycle=cycle,
                        country_id=c,
                        status="accepted" if accepted else "not_started",
                    )
                    for c in codes
                ]
            )
            if accepted:
                ReportAnswer.objects.bulk_create(
                    [
                        ReportAnswer(
                            report=r,
                            item_id=pk,
                            status=rng.choice(statuses),
                            narrative="Synthetic answer.",
                        )
                        for r in reports
                        for pk in asked
                    ],
                    batch_size=2000,
                )
        services.recompute_progress(plan=plan)
    focal = User.objects.create_user("bench-plans-member@bench.example", "bench-password-1")
    Role.objects.create(
        user=focal, dialogue=dialogue, role=Role.Kind.FOCAL_POINT, country_id=codes[0]
    )
    pillar = items[0]
    return {
        "member": focal,
        "plan": plan,
        "pillar": pillar.pk,
        "state": codes[0],
        "codes": codes,
        "lead_of": lead_of,
        "leaves": leaves,
        "statuses": statuses,
        "secretariat": secretariat,
        "items": len(items),
        "depth": max(i.depth for i in items) + 1,
    }


def targets_for(data: dict[str, Any], workspace: bool = False) -> list[tuple[str, str]]:
    targets = [
        ("plan page, whole tree", "/en/plans/bench-plans/"),
        ("plan page, one pillar", f"/en/plans/bench-plans/?pillar={data['pillar']}"),
        ("plan page, one state", f"/en/plans/bench-plans/?state={data['state']}"),
        ("state page", f"/en/plans/bench-plans/states/{data['state']}/"),
        ("API plan", "/api/v1/plans/bench-plans/bench-plan"),
    ]
    if workspace:
        editor = f"/en/workspace/bench-plans/plans/{data['plan'].pk}/"
        targets += [
            ("workspace tree editor, overview", editor),
            ("workspace tree editor, one pillar", f"{editor}?pillar={data['pillar']}"),
        ]
    return targets


def rollup(options: Any) -> None:
    """Accept the last cycle's 50 reports one by one and time each recompute."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    data = prepare(options.items)
    print(
        f"# Generated {data['items']} items over {data['depth']} levels in "
        f"{time.perf_counter() - started:.1f} s; load average {os.getloadavg()}"
    )
    from dialogos.plans import services
    from dialogos.plans.models import ReportingCycle, StateReport

    cycle = ReportingCycle.objects.filter(plan=data["plan"]).order_by("-pk").first()
    assert cycle is not None
    User = get_user_model()
    times = []
    accept_times = []
    for code in data["codes"]:
        report = StateReport.objects.get(cycle=cycle, country_id=code)
        focal = User.objects.create_user(f"bench-plans-{code.lower()}@bench.example", None)
        from dialogos.people.models import Role

        Role.objects.create(
            user=focal, dialogue=data["plan"].dialogue, role="focal_point", country_id=code
        )
        answers = [
            services.AnswerInput(item_id=pk, status_id=data["statuses"][-1].pk)
            for pk in cycle.items.values_list("pk", flat=True)
        ]
        services.save_report(actor=focal, report=report, answers=answers)
        services.submit_report(actor=focal, report=report)
        began = time.perf_counter()
        result = services.accept_report(actor=data["secretariat"], report=report)
        accept_times.append(time.perf_counter() - began)
        times.append(result.seconds)
    whole = services.recompute_progress(plan=data["plan"])
    print("| measure | value |\n|---|---:|")
    print(f"| items | {whole.items} |")
    print(
        f"| recompute after each acceptance, median (ms) | {statistics.median(times) * 1000:.0f} |"
    )
    print(f"| recompute after each acceptance, max (ms) | {max(times) * 1000:.0f} |")
    print(
        f"| whole acceptance (answers + statuses + recompute), median (ms) | "
        f"{statistics.median(accept_times) * 1000:.0f} |"
    )
    print(f"| whole acceptance, max (ms) | {max(accept_times) * 1000:.0f} |")
    print(f"| one recompute of the plan, nothing changed (ms) | {whole.seconds * 1000:.0f} |")


def cpu(options: Any) -> None:
    """CPU time per request in this process (a figure a busy machine distorts less)."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    call_command("migrate", verbosity=0)
    data = prepare(options.items)
    public, member, secretariat = Client(), Client(), Client()
    member.force_login(data["member"])
    secretariat.force_login(data["secretariat"])
    print(
        f"# Load average: {os.getloadavg()}; public cache {options.cache_seconds or 'off'}; "
        f"reader: {'a member (session)' if options.signed_in else 'anonymous (no cookie)'}"
    )
    print("| page | path | CPU p50 (ms) | CPU p99 (ms) |")
    print("|---|---|---:|---:|")
    for label, path in targets_for(data, workspace=True):
        client = member if options.signed_in else public
        if "/workspace/" in path:
            client = secretariat
        assert client.get(path).status_code == 200, path
        median, p99 = cpu_times(client, path, options.cpu, "tottime" if options.profile else "")
        print(f"| {label} | `{path}` | {median:.1f} | {p99:.1f} |", flush=True)


def in_process(options: Any) -> None:
    os.environ.setdefault("DIALOGOS_VAR", tempfile.mkdtemp(prefix="dialogos-plans-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "dialogos.settings"
    os.environ["PUBLIC_CACHE_SECONDS"] = str(options.cache_seconds)
    import django

    django.setup()
    if options.rollup:
        rollup(options)
    else:
        cpu(options)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=20, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=0, help="server workers (0: default)")
    parser.add_argument("--cache-seconds", type=int, default=0, help="PUBLIC_CACHE_SECONDS")
    parser.add_argument("--cpu", type=int, default=0, help="N requests in process, CPU time")
    parser.add_argument("--rollup", action="store_true", help="time the roll-ups instead")
    parser.add_argument(
        "--signed-in",
        action="store_true",
        help="read as a member with a session (past the public cache, through the shared one)",
    )
    parser.add_argument("--profile", action="store_true", help="with --cpu: profile one request")
    options = parser.parse_args()
    if options.cpu or options.rollup:
        in_process(options)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    var = tempfile.mkdtemp(prefix="dialogos-plans-bench-")
    env = dict(os.environ, DIALOGOS_VAR=var, DJANGO_SETTINGS_MODULE="dialogos.settings")
    env.pop("DEBUG", None)
    env["PUBLIC_CACHE_SECONDS"] = str(options.cache_seconds)
    os.environ.update(env)
    engine = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    print(f"# Load average before the run: {os.getloadavg()}", flush=True)
    run([DIALOGOS, "migrate", "--noinput", "-v0"], env)
    run([DIALOGOS, "collectstatic", "--noinput", "-v0"], env)
    data = prepare(options.items)
    headers = [f"Cookie: {session_cookie(data['member'])}"] if options.signed_in else []

    port = free_port()
    serve = [DIALOGOS, "serve", "--port", str(port)]
    if options.workers:
        serve += ["--workers", str(options.workers)]
    server = subprocess.Popen(serve, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        wait_until_up(f"{base}/api/v1/plans")
        for label, path in targets_for(data):
            status, _body = fetch(base + path)
            if status != 200:
                print(f"! {path} answers {status}: skipped", flush=True)
                rows.append((label, path, None))
                continue
            wrk(base + path, 3, options.connections, options.threads, headers)  # warm up
            result = wrk(
                base + path, options.duration, options.connections, options.threads, headers
            )
            print(f"  {label}: {result}", flush=True)
            rows.append((label, path, result))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(var, ignore_errors=True)

    print(f"\n# Load average after the run: {os.getloadavg()}")
    print()
    print(
        f"{engine}, {data['items']} synthetic items over {data['depth']} levels, {STATES} states, "
        f"{CYCLES} cycles, public cache {options.cache_seconds or 'off'}, "
        f"wrk -t{options.threads} -c{options.connections} -d{options.duration}s, "
        + ("a member's session cookie" if options.signed_in else "no cookie")
    )
    print()
    print("| page | path | requests/s | p50 (ms) | p99 (ms) | non-2xx | timeouts (> 2 s) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for label, path, result in rows:
        if result is None:
            print(f"| {label} | `{path}` | — | — | — | — | — |")
            continue
        print(
            f"| {label} | `{path}` | {result['rps']:.0f} | {result['p50']:.1f} | "
            f"{result['p99']:.1f} | {result.get('non2xx', 0):.0f} | "
            f"{result.get('timeouts', 0):.0f} |"
        )


if __name__ == "__main__":
    main()
