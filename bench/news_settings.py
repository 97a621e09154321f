"""Settings for bench/news_send.py: the project's settings plus a counting mail backend.

Used as ``DJANGO_SETTINGS_MODULE=news_settings`` with ``bench/`` on ``PYTHONPATH``.
"""

import os

from dialogos.settings import *  # noqa: F403

# Every message the worker hands over is recorded in a table of the same database (no files,
# nothing leaves the machine), so duplicates and gaps can be counted independently of the outbox.
EMAIL_BACKEND = "news_mail.CountingBackend"
# 0: as fast as the worker can go; the production default is 20 messages per second.
NEWS_SEND_RATE = float(os.environ.get("NEWS_SEND_RATE", "0"))
NEWS_SEND_LEASE_SECONDS = int(os.environ.get("NEWS_SEND_LEASE_SECONDS", "5"))
