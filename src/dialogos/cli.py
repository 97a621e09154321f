"""The ``dialogos`` command: Django's management commands plus a few friendly names.

dialogos serve     migrate-free production server (granian, WSGI, static files)
dialogos demo      load the demo data (idempotent)
dialogos bench-data --scale small|large [--reset]   synthetic data for benchmarks
dialogos worker    run background tasks
dialogos <any manage.py command>
"""

from __future__ import annotations

import os
import sys

ALIASES = {"worker": "db_worker", "bench-data": "bench_data", "news-bounces": "news_bounces"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogos.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
