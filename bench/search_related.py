#!/usr/bin/env python3
"""Related items and the listing without words over the synthetic corpus of
``bench/search_index.py``: in-process, then over HTTP with wrk at 16 connections.

    .venv/bin/python bench/search_related.py --var /tmp/sfinal
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dlg_search_final \\
        .venv/bin/python bench/search_related.py

Two reads of the index without words: related items (the fragment under every document and
practice page, ``search.query.related``) take up to 2,000 entries sharing the entry's dialogue,
a country or a topic, newest first, and weigh them (embeddings, or shared countries and
topics); the listing without words (``/api/v1/search?country=…``) takes the 1,001 newest
entries carrying the filters' values (words of the index: the engine's match of them alone).
The reader is a visitor or (``--reader delegate``) a signed-in delegate of dialogue 1
(``search_load.bench_delegate``), whose access condition has more to test.

With ``--vectors N`` the N newest entries get embeddings for the run (random unit vectors:
see ``store_vectors``) and the sample is taken among them, so that related items weigh their
candidates by cosine as in production; the vectors are cleared at the end.

Steps: (1) the engine's upkeep (``Engine.maintain``: on SQLite, the planner's statistics);
(2) in-process: ``related`` for ``--sample`` entries of the corpus (every other one of the
newest), and ``search`` without words for each filter value of a facet (every year of the
corpus, ten countries, ten topics, both languages), twice;
(3) ``dialogos serve`` on a free port and wrk (1 and ``--connections`` connections) against
the related-items fragment of those of the entries the reader may see, each request carrying
a cookie (the public page cache bypassed; a session cookie for the delegate). Prints JSON:
p50/p95/p99 in milliseconds and the requests per second.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from search_index import COUNTRIES, TOPICS  # noqa: E402 - after the path is set
from search_load import (  # noqa: E402 - after the path is set
    LUA,
    bench_delegate,
    free_port,
    lua_script,
    open_corpus,
    percentile,
    wait_until_up,
    wrk,
)


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(values), 2),
        "p95": round(percentile(values, 95), 2),
        "p99": round(percentile(values, 99), 2),
        "mean": round(statistics.mean(values), 2),
    }


def store_vectors(newest: int) -> None:
    """Give the ``newest`` entries (by date) unit vectors drawn at random (fixed seed), or with
    0 clear every stored vector again. The synthetic texts have no meaning for an embedding to
    capture, and what is timed (reading the candidates' vectors and weighing them) does not
    depend on their values; ``search_index.py`` times the real encoder."""
    import numpy as np
    from django.db import transaction

    from dialogos.search.embeddings import DIMENSIONS, to_bytes
    from dialogos.search.models import SearchEntry, SearchText

    if not newest:
        SearchText.objects.exclude(vector=None).update(vector=None)
        return
    ids = list(SearchEntry.objects.order_by("-date", "-id").values_list("id", flat=True)[:newest])
    rng = np.random.default_rng(5)
    with transaction.atomic():
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            matrix = rng.standard_normal((len(chunk), DIMENSIONS)).astype(np.float32)
            matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
            stored = to_bytes(matrix)  # as the worker stores them
            SearchText.objects.bulk_update(
                [SearchText(entry_id=i, vector=stored[n]) for n, i in enumerate(chunk)],
                ["vector"],
                batch_size=500,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", default=None, help="SQLite: the DIALOGOS_VAR of search_index.py")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--sample", type=int, default=200, help="entries whose related items")
    parser.add_argument("--reader", choices=["visitor", "delegate"], default="visitor")
    parser.add_argument(
        "--vectors",
        type=int,
        default=0,
        help="give the N newest entries (by date) embeddings for this run, and take the sample "
        "among them: related items then weigh candidates by cosine, as in production",
    )
    parser.add_argument("--json", dest="json_path")
    options = parser.parse_args()
    entries = open_corpus(options.var)

    from django.contrib.auth.models import AnonymousUser
    from django.urls import reverse
    from django.utils import translation

    from dialogos.search import query
    from dialogos.search.engines import get_engine
    from dialogos.search.models import SearchEntry

    print(f"# {entries} synthetic entries; load average before: {os.getloadavg()}", flush=True)
    translation.activate("en")
    started = time.perf_counter()
    upkeep = get_engine().maintain()
    upkeep_seconds = round(time.perf_counter() - started, 2)
    reader = bench_delegate() if options.reader == "delegate" else None
    user = reader if reader is not None else AnonymousUser()
    if options.vectors:
        store_vectors(options.vectors)
    # With vectors, the sample is among the newest by date (the entries that have them, whose
    # candidates, the newest sharing a value, have them too); otherwise the newest by id.
    order = ("-date", "-id") if options.vectors else ("-id",)
    keys = list(
        SearchEntry.objects.filter(kind="benchdoc")
        .order_by(*order)
        .values_list("object_id", flat=True)[: options.sample * 2 : 2]
    )
    for key in keys[:3]:  # warm up
        query.related(user, "benchdoc", key)
    related_ms: list[float] = []
    found = 0
    seen: list[int] = []  # the entries the reader may see (the others answer 404)
    for key in keys:
        t0 = time.perf_counter()
        items = query.related(user, "benchdoc", key)
        related_ms.append((time.perf_counter() - t0) * 1000)
        found += len(items or [])
        if items is not None:
            seen.append(key)
    years = sorted(
        {d.year for d in SearchEntry.objects.filter(kind="benchdoc").dates("date", "year")}
    )
    listings: dict[str, list[dict[str, str]]] = {
        "year": [{"year": str(year)} for year in years],
        "country": [{"country": code} for code in COUNTRIES[:10]],
        "topic": [{"topic": key} for key in TOPICS[:10]],
        "language": [{"language": "en"}, {"language": "ru"}],
    }
    listing_ms: dict[str, list[float]] = {}
    for facet, filters in listings.items():
        query.search(user, "", filters[0])  # warm up
        for data in filters * 2:
            t0 = time.perf_counter()
            query.search(user, "", data)
            listing_ms.setdefault(facet, []).append((time.perf_counter() - t0) * 1000)
    result: dict[str, Any] = {
        "entries": entries,
        "engine": get_engine().name,
        "reader": options.reader,
        "upkeep": upkeep,
        "upkeep_seconds": upkeep_seconds,
        "related_in_process": {
            **summary(related_ms),
            "entries": len(keys),
            "entries_seen": len(seen),
            "items": found,
        },
        "listing_in_process": {
            facet: {**summary(values), "filters": len(listings[facet])}
            for facet, values in listing_ms.items()
        },
    }
    print(json.dumps(result, indent=2), flush=True)

    cookie = "bench=1"
    if reader is not None:
        from load import session_cookie

        cookie = session_cookie(reader)
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "dialogos"), "serve", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    paths = [reverse("search:related", args=["benchdoc", key]) for key in seen]
    try:
        wait_until_up(base + paths[0])
        script = lua_script(LUA % ", ".join(json.dumps(p) for p in paths))
        wrk(base, script, 3, 1, cookie=cookie)  # warm the workers
        result["http_related_1_connection"] = wrk(base, script, options.duration, 1, cookie=cookie)
        result[f"http_related_{options.connections}_connections"] = wrk(
            base, script, options.duration, options.connections, cookie=cookie
        )
        script.unlink()
    finally:
        server.terminate()
        server.wait(timeout=30)
        if options.vectors:
            store_vectors(0)
    result["vectors"] = options.vectors
    result["load_average_after"] = os.getloadavg()
    print(json.dumps(result, indent=2))
    if options.json_path:
        Path(options.json_path).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
