#!/usr/bin/env python3
"""CPU time per request, in process: a figure that a busy machine distorts less.

    .venv/bin/python bench/cpu.py --scale large [--requests 200]

Makes a fresh SQLite database (or uses DATABASE_URL), loads bench data, then calls each URL
through Django's test client and prints the median and 99th percentile of the CPU time of
this process per request. (Query counts are asserted in the test suite, not here.)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["small", "large"], default="small")
    parser.add_argument("--requests", type=int, default=200)
    options = parser.parse_args()
    os.environ.setdefault("DIALOGOS_VAR", tempfile.mkdtemp(prefix="dialogos-cpu-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "dialogos.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES["staticfiles"] = {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
    call_command("migrate", verbosity=0)
    call_command("bench_data", scale=options.scale, reset=True)
    from dialogos.dialogues.models import Dialogue

    slug = Dialogue.objects.filter(slug__startswith="bench-").order_by("-pk").first().slug  # type: ignore[union-attr]
    client = Client()
    print(f"| path ({options.scale}, {connection.vendor}) | CPU p50 (ms) | CPU p99 (ms) |")
    print("|---|---:|---:|")
    for path in ("/en/", f"/en/dialogues/{slug}/states/", "/api/v1/dialogues"):
        status = client.get(path).status_code
        samples = []
        for _ in range(options.requests):
            started = time.process_time()
            client.get(path)
            samples.append((time.process_time() - started) * 1000)
        samples.sort()
        p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
        print(
            f"| `{path}` ({status}) | {statistics.median(samples):.1f} | {p99:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
