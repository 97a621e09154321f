#!/usr/bin/env python3
"""Load-test the news pages with 20,000 items: fresh database, demo data, synthetic items,
`dialogos serve`, then wrk (by default -t2 -c16 -d20s) with and without the public cache.

    .venv/bin/python bench/news_pages.py
    .venv/bin/python bench/news_pages.py --items 20000 --duration 20 --cache 0
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dlg_news_bench .venv/bin/python bench/news_pages.py

Every synthetic item says so in its title ("Bench news item 17 (synthetic)"). A tenth are for
members only, a twentieth are drafts and a twentieth scheduled in the future, so the pages
filter as they do in real life. Prints a Markdown table.
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

from load import DIALOGOS, cpu_times, fetch, free_port, wait_until_up, wrk  # noqa: E402


def generate(count: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from dialogos.core.cache import bump_content_version
    from dialogos.dialogues.models import Dialogue
    from dialogos.news.models import NewsItem, Topic

    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    dialogues = list(Dialogue.objects.all())
    topics = list(Topic.objects.all())
    now = timezone.now()
    rows = []
    for n in range(count):
        status = NewsItem.Status.DRAFT if n % 20 == 7 else NewsItem.Status.PUBLISHED
        when = now - datetime.timedelta(hours=3 * n)
        if n % 20 == 13:
            when = now + datetime.timedelta(days=1 + n % 30)
        rows.append(
            NewsItem(
                dialogue=dialogues[n % len(dialogues)] if n % 11 else None,
                title={
                    "en": f"Bench news item {n} (synthetic)",
                    "ru": f"Тестовая новость {n} (синтетические данные)",
                },
                slug=f"bench-news-item-{n}",
                lead={"en": "A synthetic lead of one sentence for the benchmark."},
                body={"en": "Synthetic text.\n\n" * 5},
                status=status,
                published_at=when,
                access_level="members" if n % 10 == 3 else "public",
                is_example=True,
            )
        )
    created = NewsItem.objects.bulk_create(rows, batch_size=2000)
    through = NewsItem.topics.through
    through.objects.bulk_create(
        (
            through(newsitem_id=item.pk, topic_id=topics[n % len(topics)].pk)
            for n, item in enumerate(created)
            if n % 3 == 0
        ),
        batch_size=5000,
    )
    bump_content_version()
    print(f"# {count} synthetic news items", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--cache", default="0,300", help="PUBLIC_CACHE_SECONDS values to run, comma-separated"
    )
    parser.add_argument(
        "--cpu", type=int, default=0, help="instead of wrk: N requests in process, CPU time"
    )
    parser.add_argument("--profile", action="store_true", help="with --cpu: print a profile")
    parser.add_argument("--only", default="", help="with --cpu: only pages whose label has this")
    options = parser.parse_args()
    if options.cpu:
        cpu(options)
        return

    var = tempfile.mkdtemp(prefix="dialogos-news-pages-")
    env = dict(os.environ, DIALOGOS_VAR=var, DJANGO_SETTINGS_MODULE="dialogos.settings")
    env.pop("DEBUG", None)
    os.environ.update(env)
    print(f"# Load average before the run: {os.getloadavg()}", flush=True)
    results: list[tuple[str, str, str, dict[str, float] | None]] = []
    try:
        generate(options.items)
        subprocess.run([DIALOGOS, "collectstatic", "--noinput", "-v0"], env=env, check=True)
        for cache in [c.strip() for c in options.cache.split(",") if c.strip()]:
            results += serve_and_measure(options, dict(env, PUBLIC_CACHE_SECONDS=cache), cache)
    finally:
        shutil.rmtree(var, ignore_errors=True)
    engine = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    print(f"\n# Load average after the run: {os.getloadavg()}\n")
    print(
        f"{engine}, {options.items} news items, wrk -t{options.threads} -c{options.connections} "
        f"-d{options.duration}s\n"
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


def targets(first_url: str) -> list[tuple[str, str]]:
    return [
        ("home page", "/en/"),
        ("news list", "/en/news/"),
        ("news list, page 50", "/en/news/?page=50"),
        ("news of a dialogue", "/en/news/?dialogue=prague-process"),
        ("news by year and topic", "/en/news/?year=2024&topic=border-governance"),
        ("news item", first_url),
        ("Atom feed", "/en/news/prague-process/feed/"),
        ("API news", "/api/v1/news"),
    ]


def cpu(options: Any) -> None:
    """CPU time per request in this process (a figure a busy machine distorts less), for an
    anonymous visitor and for a signed-in member, with the public page cache off (and so the
    page-level cache out of the way) but the per-item fragments on, as in production."""

    var = tempfile.mkdtemp(prefix="dialogos-news-cpu-")
    os.environ.update(DIALOGOS_VAR=var, DJANGO_SETTINGS_MODULE="dialogos.settings")
    os.environ["PUBLIC_CACHE_SECONDS"] = options.cache.split(",")[0].strip() or "0"
    os.environ.pop("DEBUG", None)
    try:
        generate(options.items)
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        settings.ALLOWED_HOSTS = ["*"]
        call_command("collectstatic", interactive=False, verbosity=0)
        anonymous = Client()
        first = anonymous.get("/api/v1/news?dialogue=prague-process").json()["results"][0]["url"]
        member = Client()
        member.force_login(_a_member())
        print(f"# Load average: {os.getloadavg()}")
        print(
            f"# PUBLIC_CACHE_SECONDS={os.environ['PUBLIC_CACHE_SECONDS']}, "
            f"{options.cpu} requests each after 3 warm-ups"
        )
        print("| page | who | queries | CPU p50 (ms) | CPU p99 (ms) |")
        print("|---|---|---:|---:|---:|")
        for label, path in targets(first):
            if options.only and options.only not in label:
                continue
            for who, client in (("visitor", anonymous), ("member", member)):
                for _n in range(3):
                    assert client.get(path).status_code == 200, path
                queries: list[str] = []

                def count(execute: Any, sql: str, *args: Any, seen: list[str] = queries) -> Any:
                    seen.append(sql)
                    return execute(sql, *args)

                with connection.execute_wrapper(count):
                    client.get(path)
                median, p99 = cpu_times(
                    client, path, options.cpu, "cumulative" if options.profile else ""
                )
                print(
                    f"| {label} | {who} | {len(queries)} | {median:.1f} | {p99:.1f} |",
                    flush=True,
                )
    finally:
        shutil.rmtree(var, ignore_errors=True)


def _a_member() -> Any:
    """A signed-in reader who sees members-only news (a delegate of a participating state)."""
    from dialogos.people.models import User

    for user in User.objects.filter(is_active=True, is_superuser=False).order_by("pk"):
        from dialogos.core import access
        from dialogos.news.models import NewsItem

        if access.visible(user, NewsItem.objects.filter(access_level="members")).exists():
            return user
    return User.objects.filter(is_superuser=True).order_by("pk").first()


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
        wait_until_up(f"{base}/api/v1/news")
        first = json.loads(fetch(f"{base}/api/v1/news?dialogue=prague-process")[1])["results"][0]
        for label, path in targets(first["url"]):
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
