#!/usr/bin/env python3
"""Search latency over the synthetic corpus of ``bench/search_index.py``: wrk at 16 connections
against ``/api/v1/search`` with a large set of distinct queries drawn from the corpus
vocabulary, and the raw engine query on the same machine for comparison.

    .venv/bin/python bench/search_index.py --docs 10000 --pages 100000 --var /tmp/sb
    .venv/bin/python bench/search_load.py --var /tmp/sb
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dlg_search_bench \\
        .venv/bin/python bench/search_load.py

Queries (``--queries``, default 2,000, all distinct, fixed seed): single words, pairs, prefixes
(the first 3 to 6 letters of a word), quoted phrases, exclusions (``-word``) and facet filters
(year, country, language, topic), half English, half Russian; each word drawn either by its
frequency in the corpus (Zipf: broad queries that match most documents) or uniformly from the
vocabulary (rare words that match a few). Every request of a run is a different query until
the list wraps, and each wrk thread starts at a random place in it, so no cache of ours or of
the engine answers a repeated query.

Steps: (1) in-process, for a sample of the queries (``--sample``): the raw engine query
(``Engine.raw_ids``: match and the 20 newest, no access, no facets, no rendering) and our
whole ``search.query.search`` (access filter, capped count, facets, ranking, page, snippets);
(2) ``dialogos serve`` (granian) on a free port; (3) wrk with 1 connection (the end-to-end
time of one request) and with ``--connections`` (default 16), each request carrying a cookie
so that the public page cache is bypassed; how the connections are shared among the server's
workers is read with ``ss`` two seconds in; (4) with ``--rates``, the same connections paced:
each waits a random think time after each answer, so that together they would send that many
requests a second (a service's p95 at a given load, not only when saturated). Prints JSON with p50/p95/p99 in milliseconds, the
requests per second, and the ratio of our end-to-end time (1 connection, over HTTP) to the
raw engine query, at p50 and p95.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "src"))

sys.path.insert(0, str(ROOT / "bench"))
# Importing it also points the servers this benchmark starts at this checkout (PYTHONPATH).
import load  # noqa: E402


def word_drawer(seed: int, vocabulary: int) -> tuple[Any, Callable[[str], str]]:
    """A random generator and a function drawing a word of the synthetic corpus's vocabulary
    in a language: half the time by its frequency in the text (broad), half uniformly (mostly
    rare)."""
    import numpy as np
    from search_index import Corpus

    corpus = Corpus(7, vocabulary)  # the index script's default seed: the same vocabulary
    rng = np.random.default_rng(seed)
    vocab = {"en": [str(w) for w in corpus.en], "ru": [str(w) for w in corpus.ru]}

    def word(language: str) -> str:
        words = vocab[language]
        if rng.random() < 0.5:  # as often as in the text: broad
            rank = int(rng.zipf(1.15)) - 1
            while rank >= len(words):
                rank = int(rng.zipf(1.15)) - 1
        else:  # any word of the vocabulary: mostly rare
            rank = int(rng.integers(0, len(words)))
        return words[rank]

    return rng, word


def make_queries(count: int, seed: int, vocabulary: int) -> list[tuple[str, dict[str, str]]]:
    """``count`` distinct queries from the vocabulary of the synthetic corpus."""
    from search_index import COUNTRIES, TOPICS

    rng, word = word_drawer(seed, vocabulary)

    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    queries: list[tuple[str, dict[str, str]]] = []
    attempts = 0
    while len(queries) < count and attempts < count * 50:
        attempts += 1
        language = "en" if rng.random() < 0.5 else "ru"
        shape = rng.random()
        if shape < 0.30:
            q = word(language)
        elif shape < 0.55:
            q = f"{word(language)} {word(language)}"
        elif shape < 0.70:
            w = word(language)
            q = w[: int(rng.integers(3, 7))]
        elif shape < 0.82:
            q = f'"{word(language)} {word(language)}"'
        else:
            q = f"{word(language)} -{word(language)}"
        params: dict[str, str] = {}
        if rng.random() < 0.25:
            facet = rng.choice(["year", "country", "language", "topic"])
            if facet == "year":
                params["year"] = str(int(rng.integers(2005, 2026)))
            elif facet == "country":
                params["country"] = str(rng.choice(COUNTRIES))
            elif facet == "language":
                params["language"] = language
            else:
                params["topic"] = str(rng.choice(TOPICS))
        key = (q, tuple(sorted(params.items())))
        if key not in seen:
            seen.add(key)
            queries.append((q, params))
    return queries


LUA = """
local paths = {%s}
local counter = 0
init = function(args)
  -- each thread starts at its own place in the list
  math.randomseed(os.time() + tonumber(string.match(tostring({}), "0x(%%x+)") or "0", 16))
  counter = math.random(#paths)
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.timeout + summary.errors.connect
    + summary.errors.read + summary.errors.write
  io.write(string.format(
    "RESULT {\\"p50\\": %%.2f, \\"p95\\": %%.2f, \\"p99\\": %%.2f, \\"mean\\": %%.2f, "
    .. "\\"requests\\": %%d, \\"errors\\": %%d, \\"seconds\\": %%.1f}\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.mean / 1000, summary.requests, errors,
    summary.duration / 1e6))
end
"""


#: With ``--rates``, appended to ``LUA`` (which ``search_related.py`` and ``search_suggest.py``
#: use as it is): each connection waits a random time (exponential, of the mean given) after
#: each answer before it sends the next request, as a person reading a page of results would.
THINK = """
local think_ms = %s
delay = function()
  return math.floor(-math.log(1 - math.random()) * think_ms)
end
"""


def path_of(q: str, params: dict[str, str]) -> str:
    return "/api/v1/search?" + urllib.parse.urlencode({"q": q, **params})


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def in_process(queries: list[tuple[str, dict[str, str]]], user: Any = None) -> dict[str, Any]:
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from dialogos.search import query
    from dialogos.search.engines import get_engine
    from dialogos.search.text import parse_query

    engine = get_engine()
    reader = user if user is not None else AnonymousUser()
    translation.activate("en")
    raw: list[float] = []
    ours: list[float] = []
    capped = 0
    empty = 0
    for q, params in queries[:5]:  # warm up
        query.search(reader, q, params)
    for q, params in queries:
        parsed = parse_query(q)
        t0 = time.perf_counter()
        engine.raw_ids(parsed, limit=20)
        t1 = time.perf_counter()
        results = query.search(reader, q, params)
        t2 = time.perf_counter()
        raw.append((t1 - t0) * 1000)
        ours.append((t2 - t1) * 1000)
        capped += not results.exact
        empty += not results.total
    return {
        "engine": engine.name,
        "queries": len(queries),
        "queries_over_the_cap": capped,
        "queries_with_no_result": empty,
        "raw_p50": round(statistics.median(raw), 2),
        "raw_p95": round(percentile(raw, 95), 2),
        "raw_p99": round(percentile(raw, 99), 2),
        "search_p50": round(statistics.median(ours), 2),
        "search_p95": round(percentile(ours, 95), 2),
        "search_p99": round(percentile(ours, 99), 2),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local URL
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server did not answer {url} within {timeout} s")


def connections_per_worker(port: int) -> list[int]:
    """How the open connections to ``port`` are shared among the server's worker processes,
    most first (``ss``; empty where it is missing). Each worker keeps the connections it
    accepted: with a fixed set of keep-alive connections, an uneven share lengthens the queue
    of the worker holding more, so it is recorded beside each run."""
    if shutil.which("ss") is None:
        return []
    listing = subprocess.run(
        ["ss", "-Htnp", "state", "established", f"( sport = :{port} )"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    owners = [part.split("pid=")[1].split(",")[0] for part in listing.split() if "pid=" in part]
    counts: dict[str, int] = {}
    for owner in owners:
        counts[owner] = counts.get(owner, 0) + 1
    return sorted(counts.values(), reverse=True)


def wrk(
    base: str,
    script: Path,
    seconds: int,
    connections: int,
    *,
    cached: bool = False,
    cookie: str = "bench=1",
) -> dict[str, Any]:
    """Run wrk; unless ``cached``, every request carries ``cookie``, as a browser does, so the
    public page cache is bypassed and the search itself is measured (a session cookie: as
    that signed-in reader)."""
    threads = min(2, connections)
    headers = [] if cached else ["-H", f"Cookie: {cookie}"]
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    with subprocess.Popen(
        [*command, *headers, "-s", str(script), base], stdout=subprocess.PIPE, text=True
    ) as running:
        time.sleep(min(2.0, seconds / 2))
        shares = connections_per_worker(int(base.rsplit(":", 1)[1]))
        out, _err = running.communicate()
    if running.returncode:
        raise SystemExit(f"wrk failed ({running.returncode})")
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    result["rps"] = round(result["requests"] / result["seconds"], 1)
    result["connections_per_worker"] = shares
    return result


def lua_script(text: str) -> Path:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(text)
        return Path(handle.name)


def open_corpus(var: str | None) -> int:
    """Check for wrk, set Django up over the corpus of ``search_index.py`` (SQLite in ``var``,
    or ``DATABASE_URL``) and answer how many synthetic entries it holds."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    if not os.environ.get("DATABASE_URL"):
        if not var:
            raise SystemExit("Give --var (SQLite) or DATABASE_URL: run search_index.py first.")
        os.environ["DIALOGOS_VAR"] = var
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogos.settings")
    os.environ.pop("DEBUG", None)
    import django

    django.setup()
    from dialogos.search.models import SearchEntry

    entries = SearchEntry.objects.filter(kind="benchdoc").count()
    if not entries:
        raise SystemExit("No synthetic entries in this database: run bench/search_index.py.")
    return entries


def bench_delegate() -> Any:
    """A signed-in reader for ``--reader delegate``: an example account holding the delegate
    role in dialogue 1 of the synthetic corpus (created once, with that dialogue if the corpus
    has none: example data, not a real dialogue). It sees the public entries and the
    members-only ones of dialogue 1, and its access condition is compiled for every request."""
    from dialogos.dialogues.models import Dialogue
    from dialogos.people.models import Role, User

    dialogue = Dialogue.objects.filter(pk=1).first() or Dialogue.objects.create(
        pk=1,
        slug="bench-synthetic-dialogue",
        name={"en": "Synthetic dialogue (example data)", "ru": "Условный диалог (пример)"},
    )
    user, _created = User.objects.get_or_create(
        email="bench-delegate@example.org", defaults={"display_name": "Example delegate"}
    )
    Role.objects.get_or_create(user=user, dialogue=dialogue, role=Role.Kind.DELEGATE)
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", default=None, help="SQLite: the DIALOGOS_VAR of search_index.py")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--queries", type=int, default=2000, help="distinct queries")
    parser.add_argument("--sample", type=int, default=400, help="queries timed in-process")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--top-limit",
        type=int,
        default=0,
        help="SEARCH_TOP_LIMIT for this run (matches counted, faceted and ranked); default: "
        "the application's (1,000)",
    )
    parser.add_argument("--vocabulary", type=int, default=30_000, help="as search_index.py")
    parser.add_argument(
        "--public-cache", action="store_true", help="also run once without the cookie"
    )
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument(
        "--reader",
        choices=["visitor", "delegate"],
        default="visitor",
        help="who searches: a visitor (not signed in) or a signed-in delegate of dialogue 1",
    )
    parser.add_argument(
        "--threads", type=int, default=0, help="requests per worker at once (serve's default)"
    )
    parser.add_argument(
        "--rates",
        default="",
        help="also run the connections paced, at these total requests/s (comma-separated): "
        "each connection waits a random think time, of mean connections/rate, after each "
        "answer (the rate reached is lower by the time the answers take)",
    )
    parser.add_argument("--json", dest="json_path")
    options = parser.parse_args()
    entries = open_corpus(options.var)
    from django.conf import settings

    from dialogos.core.management.commands.serve import DEFAULT_THREADS

    if options.top_limit:
        settings.SEARCH_TOP_LIMIT = options.top_limit
    print(f"# {entries} synthetic entries; load average before: {os.getloadavg()}", flush=True)
    queries = make_queries(options.queries, options.seed, options.vocabulary)
    reader = bench_delegate() if options.reader == "delegate" else None
    cookie = "bench=1"
    if reader is not None:
        cookie = load.session_cookie(reader)
    result: dict[str, Any] = {
        "entries": entries,
        "top_limit": options.top_limit or None,
        "distinct_queries": len(queries),
        "reader": options.reader,
        "in_process": in_process(queries[: options.sample], reader),
    }
    print(json.dumps(result, indent=2), flush=True)

    env = dict(os.environ)
    port = free_port()
    serve = [str(BIN / "dialogos"), "serve", "--port", str(port)]
    if options.workers:
        serve += ["--workers", str(options.workers)]
    if options.threads:
        serve += ["--threads", str(options.threads)]
    if options.top_limit:
        # The same server as `dialogos serve` (which pins the settings module), over settings
        # that change SEARCH_TOP_LIMIT alone.
        overrides = Path(tempfile.mkdtemp(prefix="search-bench-settings-"))
        (overrides / "search_bench_settings.py").write_text(
            f"from dialogos.settings import *  # noqa: F403\nSEARCH_TOP_LIMIT = {options.top_limit}\n"
        )
        env["PYTHONPATH"] = os.pathsep.join([str(overrides), env.get("PYTHONPATH", "")])
        env["DJANGO_SETTINGS_MODULE"] = "search_bench_settings"
        serve = [
            str(BIN / "granian"),
            *("--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)),
            *("--workers", str(options.workers or max(2, os.cpu_count() or 1))),
            *("--blocking-threads", str(options.threads or DEFAULT_THREADS)),
            *("--no-ws", "dialogos.wsgi:application"),
        ]
    server = subprocess.Popen(serve, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    paced: list[dict[str, Any]] = []
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + path_of("warm up", {}))
        paths = ", ".join(json.dumps(path_of(q, p)) for q, p in queries)
        script = lua_script(LUA % paths)
        wrk(base, script, 3, 1, cookie=cookie)  # warm the workers
        one = wrk(base, script, options.duration, 1, cookie=cookie)
        many = wrk(base, script, options.duration, options.connections, cookie=cookie)
        cached = (
            wrk(base, script, options.duration, options.connections, cached=True)
            if options.public_cache
            else None
        )
        script.unlink()
        for rate in [float(r) for r in options.rates.split(",") if r.strip()]:
            think_ms = 1000 * options.connections / rate
            paced_script = lua_script(LUA % paths + THINK % f"{think_ms:.1f}")
            run = wrk(base, paced_script, options.duration, options.connections, cookie=cookie)
            paced.append({"offered_rps": rate, "think_ms_mean": round(think_ms, 1), **run})
            paced_script.unlink()
            print(json.dumps(paced[-1]), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    raw_p50 = result["in_process"]["raw_p50"]
    raw_p95 = result["in_process"]["raw_p95"]
    result["http_1_connection"] = one
    result[f"http_{options.connections}_connections"] = many
    if cached is not None:
        result[f"http_{options.connections}_connections_public_cache"] = cached
    if paced:
        result[f"http_{options.connections}_connections_paced"] = paced
    result["ratio_end_to_end_p50_to_raw_p50"] = round(one["p50"] / max(raw_p50, 0.01), 1)
    result["ratio_end_to_end_p95_to_raw_p95"] = round(one["p95"] / max(raw_p95, 0.01), 1)
    result["load_average_after"] = os.getloadavg()
    print(json.dumps(result, indent=2))
    if options.json_path:
        Path(options.json_path).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
