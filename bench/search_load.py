#!/usr/bin/env python3
"""Search latency over the synthetic corpus of ``bench/search_index.py``: wrk at 16 connections
against ``/api/v1/search`` with a rotating set of queries, and the raw engine query on the same
machine for comparison.

    .venv/bin/python bench/search_index.py --docs 10000 --pages 100000 --var /tmp/sb
    .venv/bin/python bench/search_load.py --var /tmp/sb
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dlg_search_bench \\
        .venv/bin/python bench/search_load.py

Steps: (1) in-process, for every query: the raw engine query (``Engine.raw_ids``: match and
rank only, no access, no facets, no rendering) and our whole ``search.query.search`` (access
filter, count, facets, page, snippets); (2) ``dialogos serve`` (granian) on a free port;
(3) wrk with 1 connection (the end-to-end time of one request) and with ``--connections``
(default 16), each request carrying a cookie so that the public page cache is bypassed; then
once more at ``--connections`` without the cookie (anonymous visitors: the public cache). Prints JSON with p50/p95/p99 in milliseconds and the ratio of our end-to-end
p50 (1 connection, over HTTP) to the raw engine p50.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "src"))

QUERIES: list[tuple[str, dict[str, str]]] = [
    ("migration", {}),
    ("labour mobility", {}),
    ("return reintegration", {}),
    ("border management", {}),
    ("asylum", {"year": "2019"}),
    ("visa policy", {}),
    ("migr", {}),
    ("trafficking protection", {"country": "TR"}),
    ("seasonal workers", {}),
    ("diaspora remittances", {}),
    ("миграция", {}),
    ("трудовая мобильность", {}),
    ("возвращения", {}),
    ("реадмиссия", {}),
    ("граница управление", {"language": "ru"}),
    ("права работников", {}),
    ("-asylum migration", {}),
    ('"ministerial conference"', {}),
    ("Türkiye", {}),
    ("secretariat data", {"topic": "bench-topic-3"}),
]

LUA = """
local paths = {%s}
local counter = 0
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


def path_of(q: str, params: dict[str, str]) -> str:
    return "/api/v1/search?" + urllib.parse.urlencode({"q": q, **params})


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def in_process(repeat: int) -> dict[str, float]:
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from dialogos.search import query
    from dialogos.search.engines import get_engine
    from dialogos.search.text import parse_query

    engine = get_engine()
    translation.activate("en")
    raw: list[float] = []
    ours: list[float] = []
    totals: dict[str, int] = {}
    for _round in range(repeat):
        for q, params in QUERIES:
            parsed = parse_query(q)
            t0 = time.perf_counter()
            engine.raw_ids(parsed, limit=20)
            t1 = time.perf_counter()
            results = query.search(AnonymousUser(), q, params)
            t2 = time.perf_counter()
            raw.append((t1 - t0) * 1000)
            ours.append((t2 - t1) * 1000)
            totals[q] = results.total
    return {
        "engine": engine.name,  # type: ignore[dict-item]
        "raw_p50": round(statistics.median(raw), 2),
        "raw_p95": round(percentile(raw, 95), 2),
        "search_p50": round(statistics.median(ours), 2),
        "search_p95": round(percentile(ours, 95), 2),
        "matches_per_query": totals,  # type: ignore[dict-item]
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


def wrk(
    base: str, script: Path, seconds: int, connections: int, *, cached: bool = False
) -> dict[str, float]:
    """Run wrk; unless ``cached``, every request carries a cookie, as a signed-in browser's
    does, so the public page cache is bypassed and the search itself is measured."""
    threads = min(2, connections)
    headers = [] if cached else ["-H", "Cookie: bench=1"]
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            *headers,
            "-s",
            str(script),
            base,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    result: dict[str, float] = json.loads(line.removeprefix("RESULT "))
    result["rps"] = round(result["requests"] / result["seconds"], 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", default=None, help="SQLite: the DIALOGOS_VAR of search_index.py")
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=5, help="in-process rounds of all queries")
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--json", dest="json_path")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    if not os.environ.get("DATABASE_URL"):
        if not options.var:
            raise SystemExit("Give --var (SQLite) or DATABASE_URL: run search_index.py first.")
        os.environ["DIALOGOS_VAR"] = options.var
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogos.settings")
    os.environ.pop("DEBUG", None)
    import django

    django.setup()
    from dialogos.search.models import SearchEntry

    entries = SearchEntry.objects.filter(kind="benchdoc").count()
    if not entries:
        raise SystemExit("No synthetic entries in this database: run bench/search_index.py.")
    print(f"# {entries} synthetic entries; load average before: {os.getloadavg()}", flush=True)
    result: dict[str, object] = {"entries": entries, "in_process": in_process(options.repeat)}
    print(json.dumps(result, indent=2), flush=True)

    env = dict(os.environ)
    port = free_port()
    serve = [str(BIN / "dialogos"), "serve", "--port", str(port)]
    if options.workers:
        serve += ["--workers", str(options.workers)]
    server = subprocess.Popen(serve, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + path_of("warm up", {}))
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            paths = ", ".join(json.dumps(path_of(q, p)) for q, p in QUERIES)
            handle.write(LUA % paths)
            script = Path(handle.name)
        wrk(base, script, 3, 1)  # warm the workers
        one = wrk(base, script, options.duration, 1)
        many = wrk(base, script, options.duration, options.connections)
        cached = wrk(base, script, options.duration, options.connections, cached=True)
        script.unlink()
    finally:
        server.terminate()
        server.wait(timeout=30)
    raw_p50 = result["in_process"]["raw_p50"]  # type: ignore[index]
    result["http_1_connection"] = one
    result[f"http_{options.connections}_connections"] = many
    result[f"http_{options.connections}_connections_public_cache"] = cached
    result["ratio_end_to_end_p50_to_raw_p50"] = round(one["p50"] / max(raw_p50, 0.01), 1)
    result["load_average_after"] = os.getloadavg()
    print(json.dumps(result, indent=2))
    if options.json_path:
        Path(options.json_path).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
