"""The local web app: its first page after starting, and under load (issue targets for `debrief
serve`).

First load: `debrief serve` starts on the demo journal, STARTS times; as soon as it answers a
request (a static file), the dashboard is asked for, and the time to its whole answer is kept.
The server loads the numerical libraries the analysis needs before it answers, and starts
building the analysis in the background; the time it takes to answer at all is printed beside.
Target: median ≤ 0.5 s.

Under load: the demo journal plus 1,000 extra applications, served by `debrief serve` (one
uvicorn worker) in a process of its own. For each of the dashboard, the board, the inbox and the
applications list in turn, 20 concurrent clients on loopback each issue GET requests back to
back (a closed loop) for 20 s; every request's latency is kept. Targets: p95 ≤ 150 ms for the
dashboard and the applications list (its newest 300 of 1,150, rendered once per change, as the
board is), ≤ 80 ms for the board and the inbox, with no errors. The same load on a small static
file of the same app, in the same run, is the baseline: the server's floor on this machine. wrk
drives the load when it is installed, else one asyncio event loop in this process.

DEBRIEF_BENCH_WEB_SECONDS shortens (or lengthens) each page's run, for a quick check.
"""

from __future__ import annotations

import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from timing import print_table

STARTS = 5
FIRST_LOAD_TARGET = 0.5  # seconds, median over STARTS
EXTRA_APPLICATIONS = 1_000
CLIENTS = 20
SECONDS = float(os.environ.get("DEBRIEF_BENCH_WEB_SECONDS", "20"))
WARMUP = 3  # requests per page before measuring (the first dashboard builds the analysis)
START_TIMEOUT = 60.0
REQUEST_TIMEOUT = 30.0
# (path, label, p95 target in ms or None for the baseline)
PAGES: list[tuple[str, str, float | None]] = [
    ("/static/app.css", "static file /static/app.css", None),
    ("/", "dashboard /", 150.0),
    ("/board", "board /board", 80.0),
    ("/inbox", "inbox /inbox", 80.0),
    ("/applications", "applications /applications", 150.0),
]
ROLES = ["Data Scientist", "Senior Data Scientist", "Product Analyst", "ML Engineer", "Analyst"]
SOURCES = ["cold_apply"] * 5 + ["job_board"] * 3 + ["referral", "recruiter_outreach", "network"]


@dataclass(frozen=True)
class Load:
    """One page's run: requests, failures, and latency percentiles in seconds."""

    label: str
    requests: int
    errors: int
    elapsed: float
    p50: float
    p95: float
    longest: float


def _load_from(label: str, latencies: list[float], errors: int, elapsed: float) -> Load:
    if len(latencies) < 2:
        nan = float("nan")
        return Load(label, len(latencies) + errors, errors, elapsed, nan, nan, nan)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return Load(label, len(latencies) + errors, errors, elapsed, cuts[49], cuts[94], max(latencies))


# wrk reports its own latency percentiles (microseconds) when the run is done.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %f %f %f\\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout, summary.duration,
    latency:percentile(50), latency:percentile(95), latency.max))
end
"""


def load_wrk(wrk: str, base: str, path: str, label: str, script: Path) -> Load:
    """CLIENTS connections on one path for SECONDS, driven by wrk (a C load generator, so the
    client takes little of the machine from the server)."""
    import httpx

    for _ in range(WARMUP):
        httpx.get(base + path, timeout=REQUEST_TIMEOUT)
    seconds = max(1, round(SECONDS))
    command = [wrk, "-t1", f"-c{CLIENTS}", f"-d{seconds}s", "-s", str(script), base + path]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    requests, errors, duration, p50, p95, longest = line.split()[1:]
    return Load(
        label,
        int(requests),
        int(errors),
        int(duration) / 1e6,
        float(p50) / 1e6,
        float(p95) / 1e6,
        float(longest) / 1e6,
    )


def build(path: Path | str) -> int:
    """The demo journal (seed 7, ending today) plus EXTRA_APPLICATIONS more of the last six
    months, mostly applied, rejected or ghosted; returns the number of applications."""
    from debrief.journal import Journal
    from debrief.model import Status

    subprocess.run(
        [sys.executable, "-m", "debrief", "--db", str(path), "demo", "--seed", "7"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    rng = random.Random(11)
    today = date.today()
    statuses = [Status.APPLIED] * 4 + [Status.REJECTED] * 3 + [Status.GHOSTED] * 2
    rows = []
    for n in range(EXTRA_APPLICATIONS):
        applied = today - timedelta(days=rng.randint(0, 180))
        status = Status.SCREEN if rng.random() < 0.05 else rng.choice(statuses)
        day = None
        if status is not Status.APPLIED:
            wait = rng.randint(30, 45) if status is Status.GHOSTED else rng.randint(3, 25)
            day = min(today, applied + timedelta(days=wait))
        fields = {
            "company": f"Bench Company {n % 400}",
            "role": rng.choice(ROLES),
            "applied_on": applied,
            "source": rng.choice(SOURCES),
        }
        rows.append((fields, status, day, None))
    with Journal.open(str(path)) as journal:
        journal.add_applications(rows)
        return journal.summary().applications


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(base: str, server: subprocess.Popen[bytes], path: str = "/") -> None:
    """Wait until the server answers GET `path` with 200 (a coach server: its sign-in page)."""
    import httpx

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"debrief serve exited with code {server.returncode}")
        try:
            if httpx.get(base + path, timeout=REQUEST_TIMEOUT).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"debrief serve did not answer GET {path} within {START_TIMEOUT:.0f} s")


async def load(base: str, path: str, label: str) -> Load:
    """CLIENTS closed-loop clients on one path for SECONDS; the latency of each request."""
    import httpx

    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    latencies: list[float] = []
    errors = 0
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=REQUEST_TIMEOUT) as client:
        for _ in range(WARMUP):
            await client.get(path)
        stop = time.perf_counter() + SECONDS

        async def one_client() -> None:
            nonlocal errors
            while time.perf_counter() < stop:
                began = time.perf_counter()
                try:
                    response = await client.get(path)
                    await response.aread()
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append(time.perf_counter() - began)
                else:
                    errors += 1

        began = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
        elapsed = time.perf_counter() - began
    return _load_from(label, latencies, errors, elapsed)


@dataclass(frozen=True)
class FirstLoad:
    """One start of the server: seconds until it answered, and its first two dashboards."""

    up: float
    first: float
    second: float


def first_loads(db: Path, tmp: Path) -> list[FirstLoad]:
    """Start `debrief serve` on `db` STARTS times; time the first dashboards after each start."""
    import httpx

    found = []
    for _ in range(STARTS):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        began = time.perf_counter()
        with (tmp / "first.log").open("wb") as log:
            server = subprocess.Popen(
                [sys.executable, "-m", "debrief", "--db", str(db), "serve", "--port", str(port)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                deadline = began + START_TIMEOUT
                while True:
                    if server.poll() is not None or time.perf_counter() > deadline:
                        raise SystemExit("debrief serve did not start")
                    try:
                        httpx.get(base + "/static/app.css", timeout=REQUEST_TIMEOUT)
                        break
                    except httpx.TransportError:
                        time.sleep(0.02)
                up = time.perf_counter() - began
                timed = []
                for _ in range(2):
                    began = time.perf_counter()
                    answer = httpx.get(base + "/", timeout=REQUEST_TIMEOUT)
                    answer.raise_for_status()
                    timed.append(time.perf_counter() - began)
            finally:
                server.terminate()
                server.wait(timeout=15)
        found.append(FirstLoad(up, timed[0], timed[1]))
    return found


def print_first_loads(found: list[FirstLoad]) -> bool:
    """The first-load table; whether the target is met."""

    def figures(values: list[float]) -> list[str]:
        return [f"{statistics.median(values):.3f}", f"{min(values):.3f}", f"{max(values):.3f}"]

    first = statistics.median(f.first for f in found)
    ok = first <= FIRST_LOAD_TARGET
    rows = [
        ["server answers (from launch)", *figures([f.up for f in found]), "—", "—"],
        [
            "first dashboard after that",
            *figures([f.first for f in found]),
            f"≤ {FIRST_LOAD_TARGET} s",
            "met" if ok else "MISSED",
        ],
        ["second dashboard (cached)", *figures([f.second for f in found]), "—", "—"],
    ]
    print_table(
        f"Web app: the dashboard's first load after `debrief serve` starts on the demo journal, "
        f"seconds over {STARTS} starts",
        ["measure", "median", "min", "max", "target", "verdict"],
        rows,
    )
    return ok


def main() -> bool:
    wrk = shutil.which("wrk")
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo.db"
        subprocess.run(
            [sys.executable, "-m", "debrief", "--db", str(demo), "demo", "--seed", "7"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        first_ok = print_first_loads(first_loads(demo, Path(tmp)))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "web.db"
        applications = build(db)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        serve = [sys.executable, "-m", "debrief", "--db", str(db), "serve"]
        log_path = Path(tmp) / "serve.log"
        with log_path.open("wb") as log:
            server = subprocess.Popen(
                [*serve, "--host", "127.0.0.1", "--port", str(port)],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                wait_until_up(base, server)
                if wrk:
                    script = Path(tmp) / "report.lua"
                    script.write_text(WRK_SCRIPT, "utf-8")
                    loads = [load_wrk(wrk, base, path, label, script) for path, label, _ in PAGES]
                else:
                    loads = [asyncio.run(load(base, path, label)) for path, label, _ in PAGES]
            finally:
                server.terminate()
                try:
                    server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
        exit_code = server.returncode
        lines = log_path.read_text("utf-8", errors="replace").splitlines()
        server_log = "\n".join(line for line in lines if not line.startswith("debrief is serving"))

    rows = []
    for result, (_, _, target) in zip(loads, PAGES, strict=True):
        p95 = result.p95 * 1000
        if target is None:
            verdict = "—"
        else:
            verdict = "met" if p95 <= target and result.errors == 0 else "MISSED"
        rows.append(
            [
                result.label,
                f"{result.requests:,}",
                f"{result.requests / result.elapsed:,.0f}",
                f"{result.p50 * 1000:.1f}",
                f"{p95:.1f}",
                f"{result.longest * 1000:.1f}",
                f"{result.errors}",
                "(baseline: server floor)"
                if target is None
                else f"p95 ≤ {target:.0f} ms, 0 errors",
                verdict,
            ]
        )
    print_table(
        f"Web app: {CLIENTS} concurrent clients for {SECONDS:g} s per page, one uvicorn worker, "
        f"loopback; demo journal + {EXTRA_APPLICATIONS:,} applications ({applications:,} in all); "
        "latencies in ms",
        ["page", "requests", "req/s", "p50", "p95", "max", "errors", "target", "verdict"],
        rows,
    )
    if wrk:
        print(f"\nLoad generator: wrk ({wrk}), one thread, {CLIENTS} connections.")
    else:
        print(
            "\nLoad generator: httpx on one asyncio loop in this process (no wrk found: "
            "apt-get install wrk). It takes most of a core from a two-core machine, so the "
            "figures are pessimistic."
        )
    if exit_code not in (0, -15):
        print(f"\nThe server exited with code {exit_code}.")
    if server_log.strip():
        print("\nServer output:\n" + server_log)
    return first_ok and all(row[-1] != "MISSED" for row in rows)


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
