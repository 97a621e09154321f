#!/usr/bin/env python3
"""Latency of the search box's suggestions (``GET /api/v1/search/suggest?q=``) over the
synthetic corpus of ``bench/search_index.py``: wrk at 16 connections with many distinct typed
prefixes, as a person types them.

    .venv/bin/python bench/search_index.py --docs 20000 --pages 200000 --var /tmp/suggest-corpus
    .venv/bin/python bench/search_suggest.py --var /tmp/suggest-corpus
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dlg_suggest_bench \\
        .venv/bin/python bench/search_suggest.py

Typed text (``--words``, default 600 words, fixed seed): for each word of the corpus vocabulary
(half drawn by its frequency in the text — broad prefixes that match most documents — half
uniformly — rare words), every prefix as it is typed ("m", "mi", "mig", "migr" …); for a third
of them after a first, whole word ("labour m", "labour mi" …); half English, half Russian. Every
request of a run is a different text until the list wraps, and each wrk thread starts at a
random place in it. One- and two-letter prefixes are in the list as typed (the first answers
at once, without a query).

Steps: (1) in-process, ``search.suggest.suggest`` for a sample of the texts (``--sample``);
(2) ``dialogos serve`` (granian) on a free port; (3) wrk with 1 connection and with
``--connections`` (default 16), each request carrying a cookie so that the public page cache is
bypassed. Prints JSON with p50/p95/p99 in milliseconds, requests per second and the load
average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from search_load import (  # noqa: E402
    LUA,
    free_port,
    lua_script,
    open_corpus,
    percentile,
    wait_until_up,
    word_drawer,
    wrk,
)


def typed_texts(words: int, seed: int, vocabulary: int) -> list[str]:
    """Distinct texts as people type them: every prefix of each drawn word, some after a first
    word."""
    rng, word = word_drawer(seed, vocabulary)

    seen: set[str] = set()
    texts: list[str] = []
    for _n in range(words):
        language = "en" if rng.random() < 0.5 else "ru"
        lead = f"{word(language)} " if rng.random() < 1 / 3 else ""
        typed = word(language)
        for end in range(1, len(typed) + 1):
            text = lead + typed[:end]
            if text not in seen:
                seen.add(text)
                texts.append(text)
    return texts


def path_of(text: str) -> str:
    return "/api/v1/search/suggest?" + urllib.parse.urlencode({"q": text})


def in_process(texts: list[str]) -> dict[str, Any]:
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from dialogos.search.engines import get_engine
    from dialogos.search.suggest import suggest

    translation.activate("en")
    for text in texts[:5]:  # warm up
        suggest(AnonymousUser(), text)
    times: list[float] = []
    empty = 0
    for text in texts:
        t0 = time.perf_counter()
        found = suggest(AnonymousUser(), text)
        times.append((time.perf_counter() - t0) * 1000)
        empty += not found
    return {
        "engine": get_engine().name,
        "texts": len(texts),
        "texts_with_no_suggestion": empty,
        "p50": round(statistics.median(times), 2),
        "p95": round(percentile(times, 95), 2),
        "p99": round(percentile(times, 99), 2),
        "max": round(max(times), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", default=None, help="SQLite: the DIALOGOS_VAR of search_index.py")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--words", type=int, default=600, help="words typed letter by letter")
    parser.add_argument("--sample", type=int, default=600, help="texts timed in-process")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--vocabulary", type=int, default=30_000, help="as search_index.py")
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--json", dest="json_path")
    options = parser.parse_args()
    entries = open_corpus(options.var)
    load_before = os.getloadavg()
    print(f"# {entries} synthetic entries; load average before: {load_before}", flush=True)
    texts = typed_texts(options.words, options.seed, options.vocabulary)
    result: dict[str, Any] = {
        "entries": entries,
        "distinct_texts": len(texts),
        "load_average_before": load_before,
        "in_process": in_process(texts[: options.sample]),
    }
    print(json.dumps(result, indent=2), flush=True)

    port = free_port()
    serve = [str(BIN / "dialogos"), "serve", "--port", str(port)]
    if options.workers:
        serve += ["--workers", str(options.workers)]
    server = subprocess.Popen(serve, env=dict(os.environ), cwd=ROOT, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + path_of("warm up"))
        script = lua_script(LUA % ", ".join(json.dumps(path_of(t)) for t in texts))
        wrk(base, script, 3, 1)  # warm the workers
        one = wrk(base, script, options.duration, 1)
        many = wrk(base, script, options.duration, options.connections)
        script.unlink()
    finally:
        server.terminate()
        server.wait(timeout=30)
    result["http_1_connection"] = one
    result[f"http_{options.connections}_connections"] = many
    result["load_average_after"] = os.getloadavg()
    print(json.dumps(result, indent=2))
    if options.json_path:
        Path(options.json_path).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
