#!/usr/bin/env python3
"""Projects pages under load: the list and a project page with 5 years of monthly results.

A fresh database gets one synthetic dialogue ("Bench projects dialogue (synthetic)") with
2,000 synthetic projects ("Bench project 0001 (synthetic)") spread over 40 synthetic places in
20 states, each with a type and a status; one of them reports an indicator with 3 channels over
60 months (180 values). `dialogos serve` (granian) starts, and wrk measures:

- the project list (first page, 25 of 2,000), the list filtered by country and status,
- the project page with its chart and table of 60 months x 3 channels,
- the API list and the API detail of the same project.

By default the public cache is off (``PUBLIC_CACHE_SECONDS=0``), so every request is rendered:
that is what a signed-in reader gets. ``--cache-seconds 300`` measures visitors' cached pages.

    .venv/bin/python bench/projects_pages.py                 # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dlg_projects_bench \\
        .venv/bin/python bench/projects_pages.py             # PostgreSQL (an empty database)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import DIALOGOS, ROOT, cpu_times, fetch, free_port, run, wait_until_up, wrk

STATES = 20
PLACES = 40
MONTHS = 60


def prepare(projects: int) -> dict[str, Any]:
    """Generate the synthetic data; return the ids the targets need."""
    import datetime
    from decimal import Decimal

    import django

    django.setup()
    from django.db import connections, transaction

    from dialogos.core.models import Country
    from dialogos.dialogues.models import Dialogue
    from dialogos.projects.models import (
        Indicator,
        IndicatorCategory,
        Place,
        Project,
        ProjectType,
        ResultValue,
        add_months,
    )

    codes = list(
        Country.objects.exclude(code="XK").order_by("code").values_list("code", flat=True)[:STATES]
    )
    with transaction.atomic():
        dialogue = Dialogue.objects.create(
            slug="bench-projects",
            name={
                "en": "Bench projects dialogue (synthetic)",
                "ru": "Тестовый диалог проектов (синтетический)",
            },
            main_language="en",
            other_languages=["ru"],
        )
        kind = ProjectType.objects.create(
            dialogue=dialogue,
            slug="bench-type",
            name={"en": "Bench project type (synthetic)", "ru": "Тестовый тип"},
        )
        places = Place.objects.bulk_create(
            Place(
                dialogue=dialogue,
                name={"en": f"Bench place {i:02d} (synthetic)", "ru": f"Тестовое место {i:02d}"},
                country_id=codes[i % STATES],
                latitude=Decimal(-60 + (i * 3) % 120),
                longitude=Decimal(-170 + (i * 17) % 340),
            )
            for i in range(PLACES)
        )
        statuses = [s for s, _label in Project.Status.choices]
        rows = Project.objects.bulk_create(
            Project(
                dialogue=dialogue,
                type=kind,
                title={
                    "en": f"Bench project {n:04d} (synthetic)",
                    "ru": f"Тестовый проект {n:04d} (синтетический)",
                },
                summary={"en": "Synthetic project for the benchmark."},
                status=statuses[n % len(statuses)],
                start=datetime.date(2015 + n % 8, 1 + n % 12, 1),
                end=None if n % 3 else datetime.date(2030, 12, 31),
                currency="EUR",
            )
            for n in range(1, projects + 1)
        )
        place_links = Project.places.through
        place_links.objects.bulk_create(
            place_links(project_id=p.pk, place_id=places[i % PLACES].pk) for i, p in enumerate(rows)
        )
        country_links = Project.countries.through
        country_links.objects.bulk_create(
            country_links(project_id=p.pk, country_id=codes[i % STATES]) for i, p in enumerate(rows)
        )
        target = rows[0]
        Project.objects.filter(pk=target.pk).update(start=datetime.date(2019, 1, 1), end=None)
        indicator = Indicator.objects.create(
            project=target,
            title={"en": "Migrants counselled (synthetic)", "ru": "Консультации (синтетика)"},
            unit={"en": "people", "ru": "человек"},
            breakdown={"en": "channel", "ru": "канал"},
            frequency=Indicator.Frequency.MONTH,
        )
        channels = IndicatorCategory.objects.bulk_create(
            IndicatorCategory(indicator=indicator, name={"en": name}, order=n)
            for n, name in enumerate(["In person", "Telephone or hotline", "Online"])
        )
        ResultValue.objects.bulk_create(
            ResultValue(
                indicator=indicator,
                category=c,
                period=add_months(datetime.date(2020, 1, 1), m),
                value=100 + m * (n + 1) + (m * 37 + n) % 23,
            )
            for m in range(MONTHS)
            for n, c in enumerate(channels)
        )
    result = {"project": target.pk, "country": codes[0]}
    connections.close_all()
    return result


def targets_for(data: dict[str, Any]) -> list[tuple[str, str]]:
    pk = data["project"]
    return [
        ("project list", "/en/projects/"),
        ("list by country and status", f"/en/projects/?country={data['country']}&status=ongoing"),
        ("project page (60 months x 3)", f"/en/projects/{pk}/"),
        ("API projects", "/api/v1/projects"),
        ("API project", f"/api/v1/projects/{pk}"),
    ]


def cpu(options: Any) -> None:
    """CPU time per request in this process (a figure a busy machine distorts less)."""

    os.environ.setdefault("DIALOGOS_VAR", tempfile.mkdtemp(prefix="dialogos-projects-cpu-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "dialogos.settings"
    os.environ["PUBLIC_CACHE_SECONDS"] = str(options.cache_seconds)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    call_command("migrate", verbosity=0)
    data = prepare(options.projects)
    client = Client()
    print(f"# Load average: {os.getloadavg()}")
    print("| page | path | CPU p50 (ms) | CPU p99 (ms) |")
    print("|---|---|---:|---:|")
    for label, path in targets_for(data):
        assert client.get(path).status_code == 200, path
        median, p99 = cpu_times(client, path, options.cpu, "tottime" if options.profile else "")
        print(f"| {label} | `{path}` | {median:.1f} | {p99:.1f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=20, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=0, help="server workers (0: default)")
    parser.add_argument("--cache-seconds", type=int, default=0, help="PUBLIC_CACHE_SECONDS")
    parser.add_argument(
        "--cpu", type=int, default=0, help="instead of wrk: N requests in process, CPU time"
    )
    parser.add_argument("--profile", action="store_true", help="with --cpu: print a profile")
    options = parser.parse_args()
    if options.cpu:
        cpu(options)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    var = tempfile.mkdtemp(prefix="dialogos-projects-bench-")
    env = dict(os.environ, DIALOGOS_VAR=var, DJANGO_SETTINGS_MODULE="dialogos.settings")
    env.pop("DEBUG", None)
    env["PUBLIC_CACHE_SECONDS"] = str(options.cache_seconds)
    os.environ.update(env)
    engine = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    print(f"# Load average before the run: {os.getloadavg()}", flush=True)
    run([DIALOGOS, "migrate", "--noinput", "-v0"], env)
    run([DIALOGOS, "collectstatic", "--noinput", "-v0"], env)
    data = prepare(options.projects)

    port = free_port()
    serve = [DIALOGOS, "serve", "--port", str(port)]
    if options.workers:
        serve += ["--workers", str(options.workers)]
    server = subprocess.Popen(serve, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    targets = targets_for(data)
    rows = []
    try:
        wait_until_up(f"{base}/api/v1/projects")
        for label, path in targets:
            status, _body = fetch(base + path)
            if status != 200:
                print(f"! {path} answers {status}: skipped", flush=True)
                rows.append((label, path, None))
                continue
            wrk(base + path, 3, options.connections, options.threads)  # warm up
            result = wrk(base + path, options.duration, options.connections, options.threads)
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
        f"{engine}, {options.projects} synthetic projects, public cache "
        f"{options.cache_seconds or 'off'}, wrk -t{options.threads} -c{options.connections} "
        f"-d{options.duration}s"
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
