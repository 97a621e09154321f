#!/usr/bin/env python3
"""Load-test Dialogos: fresh database, bench data, `dialogos serve`, then wrk.

    .venv/bin/python bench/load.py --scale small
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/load.py --scale large

Without DATABASE_URL a new SQLite database is made in a temporary DIALOGOS_VAR; with it, the
given (empty, throw-away) PostgreSQL database is migrated and filled. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DIALOGOS = str(BIN / "dialogos")
# The servers and workers a benchmark starts import Dialogos from this checkout's src/ (before
# the environment's editable install, which may point at another checkout): a benchmark run
# from a clean clone measures that clone's code over HTTP too, not only in process.
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(args: list[str], env: dict[str, str]) -> None:
    print("$", " ".join(args), flush=True)
    subprocess.run(args, env=env, check=True, cwd=ROOT)


def wait_until_up(url: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 — local URL
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server did not answer {url} within {timeout} s")


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 — local URL
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def to_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    if not match:
        raise ValueError(text)
    return float(match.group(1)) * UNITS[match.group(2)]


def wrk(
    url: str, seconds: int, connections: int, threads: int, headers: list[str] | None = None
) -> dict[str, float]:
    extra = [arg for header in headers or [] for arg in ("-H", header)]
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            *extra,
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50": to_ms(re.search(r"\s50%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "p99": to_ms(re.search(r"\s99%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
    }
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result["non2xx"] = float(errors.group(1)) if errors else 0.0
    # wrk gives up on a request after 2 s and leaves it out of the latency figures.
    timeouts = re.search(r"timeout (\d+)", out)
    result["timeouts"] = float(timeouts.group(1)) if timeouts else 0.0
    return result


def cpu_times(client: Any, path: str, count: int, profile: str = "") -> tuple[float, float]:
    """CPU time of this process per request (``time.process_time``) over ``count`` GETs of
    ``path`` through a Django test client: (median, 99th percentile) in ms. With ``profile``
    (a pstats sort key) the requests are also profiled and the top of the profile printed."""
    import cProfile
    import pstats
    import statistics

    profiler = cProfile.Profile() if profile else None
    times = []
    for _n in range(count):
        began = time.process_time()
        if profiler:
            profiler.enable()
        client.get(path)
        if profiler:
            profiler.disable()
        times.append((time.process_time() - began) * 1000)
    times.sort()
    p99 = times[max(0, int(len(times) * 0.99) - 1)]
    if profiler:
        pstats.Stats(profiler).sort_stats(profile).print_stats(30)
    return statistics.median(times), p99


def session_cookie(user: Any) -> str:
    """A ``Cookie`` header value for a session in which ``user`` is signed in (stored in the
    database, so every server process finds it)."""
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--scale", choices=["small", "large"], default="small")
    parser.add_argument("--duration", type=int, default=20, help="seconds per URL")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=0, help="server workers (0: default)")
    parser.add_argument("--only", default="", help="comma-separated labels to run")
    parser.add_argument("--json", dest="json_path", help="also write the results here")
    parser.add_argument(
        "--uncached",
        action="store_true",
        help="send a cookie, as browsers of signed-in people do: the public cache is bypassed",
    )
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    var = tempfile.mkdtemp(prefix="dialogos-bench-")
    env = dict(os.environ, DIALOGOS_VAR=var, DJANGO_SETTINGS_MODULE="dialogos.settings")
    env.pop("DEBUG", None)
    database = env.get("DATABASE_URL", "") or f"sqlite ({var}/dialogos.sqlite3)"
    print(f"# Load average before the run: {os.getloadavg()}", flush=True)
    print(f"# Database: {database.split('@')[-1]}; scale: {options.scale}", flush=True)
    run([DIALOGOS, "migrate", "--noinput", "-v0"], env)
    run([DIALOGOS, "bench-data", "--scale", options.scale, "--reset"], env)
    run([DIALOGOS, "collectstatic", "--noinput", "-v0"], env)

    port = free_port()
    serve = [DIALOGOS, "serve", "--port", str(port)]
    if options.workers:
        serve += ["--workers", str(options.workers)]
    print("$", " ".join(serve), flush=True)
    server = subprocess.Popen(serve, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    rows = []
    try:
        wait_until_up(f"{base}/api/v1/dialogues")
        slug = json.loads(fetch(f"{base}/api/v1/dialogues")[1])[-1]["slug"]
        public = json.loads(fetch(f"{base}/api/v1/meetings?dialogue={slug}&when=all")[1])
        meeting = public["results"][0]["id"]
        targets = [
            ("home page", "/en/"),
            ("states page", f"/en/dialogues/{slug}/states/"),
            ("API dialogues", "/api/v1/dialogues"),
            ("meetings list", "/en/meetings/"),
            ("meeting page", f"/en/meetings/{meeting}/"),
            ("API meetings", "/api/v1/meetings"),
        ]
        only = {s.strip() for s in options.only.split(",") if s.strip()}
        for label, path in targets:
            if only and label not in only:
                continue
            status, _body = fetch(base + path)
            if status != 200:
                print(f"! {path} answers {status}: skipped", flush=True)
                rows.append((label, path, None))
                continue
            headers = ["Cookie: bench=1"] if options.uncached else []
            wrk(base + path, 3, options.connections, options.threads, headers)  # warm up
            result = wrk(
                base + path, options.duration, options.connections, options.threads, headers
            )
            print(f"  {label}: {result}", flush=True)
            rows.append((label, path, result))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(var, ignore_errors=True)

    engine = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    print(f"\n# Load average after the run: {os.getloadavg()}")
    print()
    print(
        f"{engine}, {options.scale} scale, wrk -t{options.threads} -c{options.connections} "
        f"-d{options.duration}s"
        + (", uncached (a cookie on every request)" if options.uncached else "")
    )
    print()
    print("| page | path | requests/s | p50 (ms) | p99 (ms) | non-2xx | timeouts (> 2 s) |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for label, path, result in rows:
        if result is None:
            print(f"| {label} | `{path}` | not available | | | | |")
        else:
            print(
                f"| {label} | `{path}` | {result['rps']:.0f} | {result['p50']:.1f} | "
                f"{result['p99']:.1f} | {result['non2xx']:.0f} | {result['timeouts']:.0f} |"
            )
    if options.json_path:
        Path(options.json_path).write_text(
            json.dumps(
                {"engine": engine, "scale": options.scale, "rows": rows}, indent=2, default=str
            )
        )


if __name__ == "__main__":
    main()
