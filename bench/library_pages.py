#!/usr/bin/env python3
"""Load-test the library's document list and document page with 20,000 documents: fresh
database, demo data, synthetic documents with files' rows, `dialogos serve`, then wrk (by
default -t2 -c16 -d20s) with the public cache off and on.

    .venv/bin/python bench/library_pages.py
    .venv/bin/python bench/library_pages.py --documents 20000 --duration 20 --cache 0
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dlg_library_bench .venv/bin/python bench/library_pages.py

Every synthetic document says so in its title ("Bench document 17 (synthetic)"). A tenth are
for members only and a twentieth for the secretariat, so the list filters as in real life;
each has one or two topics, a country and an English (and every third a Russian) file row.
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "src")]

from load import DIALOGOS, fetch, free_port, wait_until_up, wrk  # noqa: E402


def generate(count: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from dialogos.core.cache import bump_content_version
    from dialogos.core.models import Country
    from dialogos.dialogues.models import Dialogue
    from dialogos.library.models import Document, DocumentType, LibraryFile, Topic

    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    dialogues = list(Dialogue.objects.all())
    topics = list(Topic.objects.all())
    countries = list(Country.objects.filter(code__in=["CZ", "LT", "HU", "PL", "TR", "PK", "AM"]))
    types = DocumentType.values
    start = datetime.date(2026, 11, 1)
    rows = []
    for n in range(count):
        level = "public"
        if n % 10 == 3:
            level = "members"
        elif n % 20 == 7:
            level = "secretariat"
        rows.append(
            Document(
                dialogue=dialogues[n % len(dialogues)],
                type=types[n % len(types)],
                title={
                    "en": f"Bench document {n} (synthetic)",
                    "ru": f"Тестовый документ {n} (синтетические данные)",
                },
                summary={"en": "A synthetic summary for the benchmark. " * 4},
                date=start - datetime.timedelta(days=n % 6000),
                access_level=level,
                is_example=True,
            )
        )
    created = Document.objects.bulk_create(rows, batch_size=2000)
    topic_through = Document.topics.through
    topic_through.objects.bulk_create(
        (
            topic_through(document_id=d.pk, topic_id=topics[(n + k) % len(topics)].pk)
            for n, d in enumerate(created)
            for k in range(1 + n % 2)
        ),
        batch_size=5000,
    )
    country_through = Document.countries.through
    country_through.objects.bulk_create(
        (
            country_through(document_id=d.pk, country_id=countries[n % len(countries)].pk)
            for n, d in enumerate(created)
        ),
        batch_size=5000,
    )
    files = []
    for n, d in enumerate(created):
        for language in ("en", "ru") if n % 3 == 0 else ("en",):
            files.append(
                LibraryFile(
                    document=d,
                    language=language,
                    file=f"private/library/bench-{n}-{language}.pdf",
                    original_name=f"bench-{n}-{language}.pdf",
                    extension="pdf",
                    content_type="application/pdf",
                    size=1000 + n,
                    sha256="0" * 64,
                    text="Synthetic text of the file.",
                )
            )
    LibraryFile.objects.bulk_create(files, batch_size=5000)
    bump_content_version()
    print(f"# {count} synthetic documents, {len(files)} file rows", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--cache", default="0,300", help="PUBLIC_CACHE_SECONDS values to run, comma-separated"
    )
    options = parser.parse_args()

    var = tempfile.mkdtemp(prefix="dialogos-library-pages-")
    env = dict(os.environ, DIALOGOS_VAR=var, DJANGO_SETTINGS_MODULE="dialogos.settings")
    env.pop("DEBUG", None)
    os.environ.update(env)
    print(f"# Load average before the run: {os.getloadavg()}", flush=True)
    results: list[tuple[str, str, str, dict[str, float] | None]] = []
    try:
        generate(options.documents)
        subprocess.run([DIALOGOS, "collectstatic", "--noinput", "-v0"], env=env, check=True)
        for cache in [c.strip() for c in options.cache.split(",") if c.strip()]:
            results += serve_and_measure(options, dict(env, PUBLIC_CACHE_SECONDS=cache), cache)
    finally:
        shutil.rmtree(var, ignore_errors=True)
    engine = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    print(f"\n# Load average after the run: {os.getloadavg()}\n")
    print(
        f"{engine}, {options.documents} documents, wrk -t{options.threads} "
        f"-c{options.connections} -d{options.duration}s, no cookies\n"
    )
    print("| page | path | public cache | requests/s | p50 (ms) | p99 (ms) | non-2xx | timeouts |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for label, path, cache, r in results:
        state = "off" if cache == "0" else f"{cache} s"
        if r is None:
            print(f"| {label} | `{path}` | {state} | not available | | | | |")
            continue
        print(
            f"| {label} | `{path}` | {state} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
            f"| {r['non2xx']:.0f} | {r['timeouts']:.0f} |"
        )


def serve_and_measure(
    options: Any, env: dict[str, str], cache: str
) -> list[tuple[str, str, str, dict[str, float] | None]]:
    port = free_port()
    server = subprocess.Popen(
        [DIALOGOS, "serve", "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    rows: list[tuple[str, str, str, dict[str, float] | None]] = []
    try:
        wait_until_up(f"{base}/api/v1/library/documents")
        first = json.loads(fetch(f"{base}/api/v1/library/documents")[1])["results"][0]
        targets = [
            ("document list", "/en/library/"),
            ("document list, page 200", "/en/library/?page=200"),
            ("documents by type and year", "/en/library/?type=report&year=2020"),
            ("documents by topic and country", "/en/library/?topic=data&country=CZ"),
            ("document page", first["url"]),
            ("API documents", "/api/v1/library/documents"),
        ]
        for label, path in targets:
            status, _body = fetch(base + path)
            if status != 200:
                print(f"! {path} answers {status}: skipped", flush=True)
                rows.append((label, path, cache, None))
                continue
            wrk(base + path, 3, options.connections, options.threads)
            result = wrk(base + path, options.duration, options.connections, options.threads)
            print(f"  {label} (cache {cache}): {result}", flush=True)
            rows.append((label, path, cache, result))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    return rows


if __name__ == "__main__":
    main()
