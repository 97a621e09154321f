"""The WSGI application that ``dialogos serve`` (granian) runs.

Garbage collection: a full collection walks every object the process holds — Django, the URL
resolvers, the compiled templates, translations — and on a warm process it took over 100 ms,
the slowest request in every hundred. Those objects live as long as the process, so after start
and again after the first requests (templates and catalogues load on first use) they are moved
out of the collector's sight with ``gc.freeze()``; what requests allocate is collected as
before.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogos.settings")

WARM_UP_REQUESTS = 200


def _freeze() -> None:
    gc.collect()
    gc.freeze()


class FreezeAfterWarmUp:
    """Freeze the long-lived objects once the first ``WARM_UP_REQUESTS`` have loaded them."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.served = 0
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        try:
            return self.app(environ, start_response)
        finally:
            if self.served < WARM_UP_REQUESTS:
                with self.lock:
                    self.served += 1
                    if self.served == WARM_UP_REQUESTS:
                        _freeze()


_django = get_wsgi_application()
_freeze()
application = FreezeAfterWarmUp(_django)
