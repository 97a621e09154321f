#!/usr/bin/env python3
"""Send a review issue to many subscribers through the real worker; kill it halfway; resume.

    .venv/bin/python bench/news_send.py --subscribers 50000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dlg_news_bench .venv/bin/python bench/news_send.py

What it does, in a fresh database (a temporary SQLite file unless DATABASE_URL is given):
1. migrate, load the demo data, add N active subscribers (a third in Russian);
2. open a review issue of the Prague Process and "Publish and send" it through the service —
   the outbox gets one row per subscriber and a task lands in the database queue;
3. start ``dialogos worker`` (a real subprocess), and SIGKILL it once half the rows (and 37
   more, so that the kill falls inside a batch: claimed rows and one row being handed over)
   are sent;
4. "Resume sending" through the service (what the workspace button does) and start the worker
   again with ``--batch`` until the queue is empty;
5. count, from the mail backend's own record (``bench/news_mail.py``) and from the outbox:
   messages handed over more than once (duplicates) and subscribers never reached (missing).

Settings: ``bench/news_settings.py`` (rate ``NEWS_SEND_RATE`` from the environment, 0 = no
limit; a 5-second claim lease).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DIALOGOS = str(BIN / "dialogos")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--subscribers", type=int, default=50_000)
    parser.add_argument("--kill-at", type=float, default=0.5, help="fraction sent before SIGKILL")
    parser.add_argument("--seed", type=int, default=1, help="of the random delay before the kill")
    parser.add_argument(
        "--resend-unconfirmed",
        action="store_true",
        help="at the end, do what the workspace's 'Send again the unconfirmed ones' does",
    )
    parser.add_argument(
        "--kill-offset",
        type=int,
        default=37,
        help="messages past that fraction, so the kill falls inside a batch of 100, not between",
    )
    options = parser.parse_args()

    var = tempfile.mkdtemp(prefix="dialogos-news-send-")
    os.environ.update(
        DIALOGOS_VAR=var,
        DJANGO_SETTINGS_MODULE="news_settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "bench"), str(ROOT / "src")]),
    )
    os.environ.pop("TASKS_IMMEDIATE", None)
    os.environ.pop("DEBUG", None)
    sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "src")]
    print(f"# Load average before the run: {os.getloadavg()}", flush=True)
    try:
        run(options, var)
    finally:
        shutil.rmtree(var, ignore_errors=True)


def delivered() -> tuple[int, int, int]:
    """From the backend's own record: messages handed over, distinct outbox rows among them,
    and active subscribers who received nothing."""
    import news_mail
    from django.db import connection

    from dialogos.news.models import Subscriber

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), COUNT(DISTINCT dispatch_id) FROM {news_mail.TABLE}"  # noqa: S608
        )
        handed, distinct = cursor.fetchone()
        cursor.execute(
            f"SELECT COUNT(*) FROM {Subscriber._meta.db_table} s WHERE s.status = 'active' "  # noqa: S608
            f"AND NOT EXISTS (SELECT 1 FROM {news_mail.TABLE} d WHERE d.email = s.email)"
        )
        (missing,) = cursor.fetchone()
    return int(handed), int(distinct), int(missing)


def run(options: Any, var: str) -> None:
    import django

    django.setup()
    import news_mail
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from dialogos.dialogues.models import Dialogue
    from dialogos.news import services
    from dialogos.news.models import Dispatch, Subscriber
    from dialogos.people.models import User

    engine = connection.vendor
    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    news_mail.ensure_table()
    operator = User.objects.filter(is_superuser=True).order_by("pk").first()
    pp = Dialogue.objects.get(slug="prague-process")

    started = time.monotonic()
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"bench-{n}@bench.example",
                language="ru" if n % 3 == 0 else "en",
                status=Subscriber.Status.ACTIVE,
            )
            for n in range(options.subscribers)
        ),
        batch_size=2000,
    )
    print(f"# {options.subscribers} subscribers in {time.monotonic() - started:.1f} s", flush=True)
    issue = services.create_review_issue(
        actor=operator,
        dialogue=pp,
        title={"en": "Bench review (synthetic)", "ru": "Тестовый обзор (синтетические данные)"},
        period_start=datetime.date(2021, 10, 1),
        period_end=datetime.date(2021, 12, 31),
        introduction={"en": "Synthetic issue for a benchmark."},
    )
    started = time.monotonic()
    queued = services.publish_review_issue(actor=operator, issue=issue)
    print(f"# queued {queued} e-mails in {time.monotonic() - started:.2f} s", flush=True)

    def sent() -> int:
        return Dispatch.objects.filter(issue=issue, status=Dispatch.Status.SENT).count()

    worker_cmd = [DIALOGOS, "worker", "--no-startup-delay", "--interval", "0.2", "-v0"]
    print("$", " ".join(worker_cmd), flush=True)
    t0 = time.monotonic()
    worker = subprocess.Popen(worker_cmd, cwd=ROOT, env=os.environ.copy())
    target = int(queued * options.kill_at) + options.kill_offset
    first_at = None
    while True:
        count = sent()
        if count and first_at is None:
            first_at = time.monotonic()
        if count >= target:
            break
        if worker.poll() is not None:
            raise SystemExit("the worker stopped on its own")
        time.sleep(0.05)
    # The sent count moves when the next message is taken; killing at once would land right
    # after that mark every time. A random delay puts the kill anywhere in the loop.
    delay = random.Random(options.seed).uniform(0, 0.05)
    time.sleep(delay)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    killed_at = time.monotonic()
    at_kill = sent()
    states = dict(
        Dispatch.objects.filter(issue=issue).values_list("status").annotate(n=Count("pk"))
    )
    print(
        f"# SIGKILL {delay * 1000:.0f} ms after the threshold, {killed_at - t0:.1f} s in, with "
        f"{at_kill} sent; outbox: {states}",
        flush=True,
    )
    rate_one = at_kill / max(killed_at - (first_at or t0), 1e-9)

    issue.refresh_from_db()
    freed = services.resume_sending(actor=operator, issue=issue)
    print(f"# resumed: {freed} claims of the dead worker given back", flush=True)
    batch_cmd = [DIALOGOS, "worker", "--no-startup-delay", "--batch", "-v0"]
    print("$", " ".join(batch_cmd), flush=True)
    t1 = time.monotonic()
    subprocess.run(batch_cmd, cwd=ROOT, env=os.environ.copy(), check=True)
    t2 = time.monotonic()
    rest = sent() - at_kill
    rate_two = rest / max(t2 - t1, 1e-9)

    handed, distinct, missing = delivered()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {Dispatch._meta.db_table} d WHERE d.issue_id = %s "  # noqa: S608
            f"AND d.status = 'sending' AND EXISTS (SELECT 1 FROM {news_mail.TABLE} m "
            f"WHERE m.dispatch_id = d.id)",
            [issue.pk],
        )
        (unconfirmed_received,) = cursor.fetchone()
    final = dict(Dispatch.objects.filter(issue=issue).values_list("status").annotate(n=Count("pk")))
    twice = Dispatch.objects.filter(issue=issue, attempts__gt=1).count()
    issue.refresh_from_db()
    print(f"\n# Load average after the run: {os.getloadavg()}")
    print()
    print(
        f"{engine}, {options.subscribers} subscribers, NEWS_SEND_RATE="
        f"{os.environ.get('NEWS_SEND_RATE', '0')} (0 = unthrottled), dummy counting backend"
    )
    print()
    print("| figure | value |")
    print("|---|---:|")
    print(f"| e-mails queued | {queued} |")
    print(f"| rate before the kill (messages/s) | {rate_one:.0f} |")
    print(f"| sent when the worker was killed | {at_kill} |")
    print(f"| claims given back on resume | {freed} |")
    print(f"| rate after the restart (messages/s, incl. start-up) | {rate_two:.0f} |")
    print(f"| messages handed to the backend | {handed} |")
    print(f"| duplicates (handed over more than once) | {handed - distinct} |")
    print(f"| outbox rows with more than one attempt | {twice} |")
    print(f"| subscribers never reached (missing) | {missing} |")
    unconfirmed = final.get("sending", 0)
    print(
        f"| left 'sending' by the kill (never sent again automatically) | {unconfirmed}, "
        f"of which the backend had received {unconfirmed_received} |"
    )
    print(f"| outbox at the end | {final} |")
    print(f"| issue sending state | {issue.sending} |")
    if options.resend_unconfirmed and unconfirmed:
        again = services.retry_failed(actor=operator, issue=issue, uncertain=True)
        subprocess.run(batch_cmd, cwd=ROOT, env=os.environ.copy(), check=True)
        handed, distinct, missing = delivered()
        print(
            f"| after 'Send again the unconfirmed ones' ({again} queued again) | handed over "
            f"{handed}, duplicates {handed - distinct}, missing {missing} |"
        )


if __name__ == "__main__":
    main()
