"""Serve Dialogos with granian (a production WSGI server); static files through whitenoise."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

#: Requests each worker process runs at once. One: with two, a worker could use a second core
#: while the database works for it, but the search benchmark (docs/benchmarks.md) answered no
#: faster on either engine and its slowest answers grew; a deployment whose requests wait
#: longer on the database may raise it (``--threads``, ``WEB_THREADS``).
DEFAULT_THREADS = 1


def _threads(raw: Any) -> int:
    value = str(raw if raw is not None else os.environ.get("WEB_THREADS", DEFAULT_THREADS))
    if not value.isdecimal() or not 1 <= int(value) <= 64:
        raise CommandError(f"WEB_THREADS (--threads) must be a number from 1 to 64, not {value!r}")
    return int(value)


class Command(BaseCommand):
    help = "Serve Dialogos on http://HOST:PORT with a production WSGI server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=None)
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "0")) or None
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help=f"requests each worker runs at once (WEB_THREADS; default {DEFAULT_THREADS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"]
        if port is None:
            raw = os.environ.get("PORT", "8000")
            if not raw.isdecimal():
                raise CommandError(f"PORT must be a number, not {raw!r}")
            port = int(raw)
        workers = options["workers"] or max(2, (os.cpu_count() or 1))
        threads = _threads(options["threads"])
        granian = shutil.which("granian", path=os.path.dirname(sys.executable)) or shutil.which(
            "granian"
        )
        if granian is None:
            raise CommandError("granian is not installed in this environment.")
        if not (settings.STATIC_ROOT / "staticfiles.json").exists() and not settings.DEBUG:
            self.stdout.write("Collecting static files …")
            from django.core.management import call_command

            call_command("collectstatic", interactive=False, verbosity=0)
        address = f"http://{options['host']}:{port}"
        self.stdout.write(self.style.SUCCESS(f"Dialogos is serving on {address}/"))
        self.stdout.write(
            f"  English: {address}/en/   Russian: {address}/ru/   API: {address}/api/v1/docs"
        )
        self.stdout.flush()
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="dialogos.settings")
        # Each worker answers its requests on one core. numpy's BLAS (the cosine of related
        # items) would otherwise start a thread per core in every worker, and under load those
        # threads fight the other workers for the cores: related items with embeddings at 16
        # connections answered 25 requests/s so, 43 with one thread (docs/benchmarks.md). An
        # operator's own setting is kept.
        env.setdefault("OPENBLAS_NUM_THREADS", "1")
        os.execve(  # noqa: S606 — replaces this process with the server
            granian,
            [
                granian,
                "--interface",
                "wsgi",
                "--host",
                options["host"],
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--blocking-threads",
                str(threads),
                "--no-ws",
                "dialogos.wsgi:application",
            ],
            env,
        )
