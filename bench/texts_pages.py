#!/usr/bin/env python3
"""Load-test the outcome texts' pages: many adopted texts, and one large text under negotiation
(200 paragraphs, circulated to every participating state, a comment or amendment from each
state on many paragraphs). Fresh database, demo data, synthetic texts, `dialogos serve`, then
wrk (by default -t2 -c16 -d20s). Also times the word-level difference of two 200-paragraph
versions in-process.

    .venv/bin/python bench/texts_pages.py
    .venv/bin/python bench/texts_pages.py --texts 2000 --comments 3000 --duration 10
    .venv/bin/python bench/texts_pages.py --cache-seconds 300 --signed-in   # a member, cached
    .venv/bin/python bench/texts_pages.py --cpu 30 [--profile]   # CPU per request in process
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dlg_texts_bench .venv/bin/python bench/texts_pages.py

Every synthetic text says so in its title ("Bench text 17 (synthetic)"). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "src")]

from load import (  # noqa: E402
    DIALOGOS,
    cpu_times,
    fetch,
    free_port,
    session_cookie,
    wait_until_up,
    wrk,
)

WORDS = [
    "the",
    "participating",
    "states",
    "agree",
    "to",
    "strengthen",
    "cooperation",
    "on",
    "migration",
    "asylum",
    "border",
    "management",
    "return",
    "readmission",
    "and",
    "legal",
    "pathways",
    "through",
    "dialogue",
    "and",
    "training",
]


def sentence(n: int, length: int = 40) -> str:
    return " ".join(WORDS[(n * 7 + k * 3) % len(WORDS)] for k in range(length)) + "."


def generate(count: int, comments: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from dialogos.core.cache import bump_content_version
    from dialogos.dialogues.models import Dialogue, Participation
    from dialogos.meetings.models import Meeting
    from dialogos.people.models import User
    from dialogos.texts import diff
    from dialogos.texts.models import (
        Circulation,
        Comment,
        OutcomeText,
        Paragraph,
        TextVersion,
    )

    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    pp = Dialogue.objects.get(slug="prague-process")
    meeting = Meeting.objects.filter(dialogue=pp).order_by("start").first()
    now = timezone.now()
    texts = OutcomeText.objects.bulk_create(
        [
            OutcomeText(
                dialogue=pp,
                kind="declaration",
                title={"en": f"Bench text {n} (synthetic)", "ru": f"Тестовый текст {n}"},
                status="adopted",
                adopted_at=now - datetime.timedelta(days=n % 3000),
                adopted_at_meeting=meeting,
                adoption_method="meeting",
                access_level="public" if n % 10 else "members",
                is_example=True,
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    versions = TextVersion.objects.bulk_create(
        [TextVersion(text=t, number=1, issued_at=now, access_level="inherit") for t in texts],
        batch_size=2000,
    )
    for t, v in zip(texts, versions, strict=True):
        t.adopted_version = v
    OutcomeText.objects.bulk_update(texts, ["adopted_version"], batch_size=2000)
    Paragraph.objects.bulk_create(
        (
            Paragraph(
                version=v,
                position=(k + 1) * 10,
                label=str(k + 1),
                content={"en": sentence(n + k, 30) + " (synthetic)"},
            )
            for n, v in enumerate(versions)
            for k in range(30)
        ),
        batch_size=5000,
    )
    # One large text under negotiation, two versions of 200 paragraphs.
    big = OutcomeText.objects.create(
        dialogue=pp,
        kind="action_plan",
        title={"en": "Bench text under negotiation (synthetic)"},
        status="negotiation",
        access_level="group",
        is_example=True,
    )
    v1 = TextVersion.objects.create(text=big, number=1, issued_at=now, access_level="group")
    p1 = Paragraph.objects.bulk_create(
        Paragraph(version=v1, position=(k + 1) * 10, label=str(k + 1), content={"en": sentence(k)})
        for k in range(200)
    )
    states = list(
        Participation.objects.filter(dialogue=pp, country__isnull=False).values_list(
            "country_id", flat=True
        )
    )
    circulation = Circulation.objects.create(
        version=v1, deadline=now + datetime.timedelta(days=30), created_at=now
    )
    circulation.states.set(states)
    Comment.objects.bulk_create(
        (
            Comment(
                circulation=circulation,
                paragraph=p1[n % len(p1)],
                country_id=states[n % len(states)],
                kind="amendment" if n % 3 == 0 else "comment",
                body="A synthetic comment. " * 3,
                proposed_text=sentence(n + 1) if n % 3 == 0 else "",
                status="sent",
                sent_at=now,
            )
            for n in range(comments)
        ),
        batch_size=5000,
    )
    v2 = TextVersion.objects.create(text=big, number=2, based_on=v1, access_level="secretariat")
    Paragraph.objects.bulk_create(
        Paragraph(
            version=v2,
            key=p.key,
            position=p.position,
            label=p.label,
            content={"en": sentence(p.position + 1) if p.position % 70 == 0 else p.content["en"]},
        )
        for p in p1
    )
    old = list(v1.paragraphs.order_by("position"))
    new = list(v2.paragraphs.order_by("position"))
    started = time.perf_counter()
    for _ in range(20):
        diff.compare(old, new, language="en")
    diff_ms = (time.perf_counter() - started) / 20 * 1000
    bump_content_version()

    def cookie(email: str) -> str:
        return f"Cookie: {session_cookie(User.objects.get(email=email))}"

    print(
        f"# {count} adopted texts of 30 paragraphs; one text of 200 paragraphs with "
        f"{comments} comments from {len(states)} states; diff of two 200-paragraph versions: "
        f"{diff_ms:.1f} ms",
        flush=True,
    )
    return {
        "cookie": cookie("secretariat@dialogos.example"),
        "member_cookie": cookie("focal.point@dialogos.example"),
        "first": texts[-1].pk,
        "big": big.pk,
        "circulation": circulation.pk,
        "diff_ms": diff_ms,
    }


def targets_for(data: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    slug = "prague-process"
    return [
        ("adopted texts, list", "/en/texts/", []),
        ("adopted texts, page 100", "/en/texts/?page=100", []),
        ("adopted text (30 paragraphs)", f"/en/texts/{data['first']}/", []),
        ("API texts", "/api/v1/texts", []),
        ("API version (30 paragraphs)", f"/api/v1/texts/{data['first']}/versions/1", []),
        (
            "workspace: comments side by side",
            f"/en/workspace/{slug}/texts/{data['big']}/circulations/{data['circulation']}/",
            [data["cookie"]],
        ),
        (
            "workspace: diff of 200 paragraphs",
            f"/en/workspace/{slug}/texts/{data['big']}/compare/?from=1&to=2",
            [data["cookie"]],
        ),
    ]


def cpu(options: Any) -> None:
    """CPU time per request in this process, one request at a time (cookieless for the public
    pages, the secretariat's session for the workspace); ``--profile`` prints where it goes."""

    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    data = generate(options.texts, options.comments)
    print(f"# Load average: {os.getloadavg()}; public cache {options.cache_seconds or 'off'}")
    print("| page | path | CPU p50 (ms) | CPU p99 (ms) |")
    print("|---|---|---:|---:|")
    print(f"# Reader of the public pages: {'a member (session)' if options.signed_in else 'none'}")
    for label, path, headers in targets_for(data):
        client = Client()
        if options.signed_in and not headers:
            headers = [data["member_cookie"]]
        if headers:
            name, value = headers[0].split(": ", 1)[1].split("=", 1)
            client.cookies[name] = value
        assert client.get(path).status_code == 200, path
        median, p99 = cpu_times(client, path, options.cpu, "cumulative" if options.profile else "")
        print(f"| {label} | `{path}` | {median:.1f} | {p99:.1f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=5_000)
    parser.add_argument("--comments", type=int, default=3_000)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cache-seconds", type=int, default=0, help="PUBLIC_CACHE_SECONDS")
    parser.add_argument(
        "--signed-in",
        action="store_true",
        help="the public pages with a member's session cookie (the shared cache, not the public)",
    )
    parser.add_argument("--cpu", type=int, default=0, help="N requests in process, CPU time")
    parser.add_argument("--profile", action="store_true", help="with --cpu: profile one request")
    options = parser.parse_args()

    var = tempfile.mkdtemp(prefix="dialogos-texts-pages-")
    env = dict(os.environ, DIALOGOS_VAR=var, DJANGO_SETTINGS_MODULE="dialogos.settings")
    env.pop("DEBUG", None)
    env["PUBLIC_CACHE_SECONDS"] = str(options.cache_seconds)
    os.environ.update(env)
    if options.cpu:
        try:
            cpu(options)
        finally:
            shutil.rmtree(var, ignore_errors=True)
        return
    print(f"# Load average before the run: {os.getloadavg()}", flush=True)
    rows: list[tuple[str, str, dict[str, float] | None]] = []
    try:
        data = generate(options.texts, options.comments)
        subprocess.run([DIALOGOS, "collectstatic", "--noinput", "-v0"], env=env, check=True)
        port = free_port()
        server = subprocess.Popen(
            [DIALOGOS, "serve", "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
        )
        base = f"http://127.0.0.1:{port}"
        targets = targets_for(data)
        if options.signed_in:
            targets = [
                (label, path, headers)
                if headers
                else (f"{label} (member's session)", path, [data["member_cookie"]])
                for label, path, headers in targets
            ]
        try:
            wait_until_up(f"{base}/api/v1/texts")
            for label, path, headers in targets:
                if not headers:
                    status, _body = fetch(base + path)
                    if status != 200:
                        print(f"! {path} answers {status}: skipped", flush=True)
                        rows.append((label, path, None))
                        continue
                wrk(base + path, 3, options.connections, options.threads, headers)
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
    finally:
        shutil.rmtree(var, ignore_errors=True)
    engine = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    print(f"\n# Load average after the run: {os.getloadavg()}\n")
    print(
        f"{engine}, {options.texts} adopted texts, {options.comments} comments, wrk "
        f"-t{options.threads} -c{options.connections} -d{options.duration}s, "
        f"public cache {options.cache_seconds or 'off'}\n"
    )
    print("| page | path | requests/s | p50 (ms) | p99 (ms) | non-2xx | timeouts |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for label, path, r in rows:
        if r is None:
            print(f"| {label} | `{path}` | not available | | | | |")
            continue
        print(
            f"| {label} | `{path}` | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} "
            f"| {r['non2xx']:.0f} | {r['timeouts']:.0f} |"
        )


if __name__ == "__main__":
    main()
