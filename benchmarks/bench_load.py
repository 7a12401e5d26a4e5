"""The web app under reads and writes at once (FINDINGS S10), and a worker killed midway.

The journal is the demo plus 1,000 applications (as in bench_web). `debrief serve` runs in a
process of its own: on SQLite with one worker, on PostgreSQL with 4 (`--workers 4`). CLIENTS
clients on loopback, each a browser of its own (its own cookies and CSRF token, read from a
page as a person's browser would), issue requests back to back for SECONDS: of every ten, three
change the journal — a form that adds an application (with its CSRF token), a JSON request that
adds one, a status move — and seven read a page (dashboard, board, applications, inbox, plan,
an application's page). Every acknowledged write (303 or 201) is noted, and afterwards each
must be in the journal.

Targets: p95 ≤ 150 ms on PostgreSQL and ≤ 300 ms on SQLite over all requests, 0 errors, nothing
acknowledged lost. A third run, on PostgreSQL with 4 workers, kills one worker with SIGKILL
halfway: the requests that fail in the next KILL_WINDOW seconds are counted apart (those the
worker had in hand, and those sent to it as it died); any failure after that is an error, so the
others must keep serving while uvicorn starts a new worker; nothing acknowledged may be lost.

PostgreSQL comes from DEBRIEF_BENCH_POSTGRES_URL, else DEBRIEF_TEST_POSTGRES_URL (a schema of
its own, dropped afterwards); without either the PostgreSQL rows say so.
DEBRIEF_BENCH_LOAD_SECONDS shortens (or lengthens) each run, for a quick check.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench_web import build, free_port, wait_until_up
from timing import print_table

CLIENTS = 20
SECONDS = float(os.environ.get("DEBRIEF_BENCH_LOAD_SECONDS", "30"))
REQUEST_TIMEOUT = 30.0
TARGETS = {"sqlite": 0.300, "postgresql": 0.150}  # p95, seconds
# Requests that fail this soon after the kill are the killed worker's; any later is an error.
KILL_WINDOW = 2.0
READS = ["/", "/board", "/applications", "/inbox", "/plan", "/applications/{app}"]
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Run:
    """One run: every request's latency, the failures, and the writes acknowledged."""

    label: str
    target: float | None
    latencies: list[float] = field(default_factory=list)
    reads: list[float] = field(default_factory=list)
    writes: list[float] = field(default_factory=list)
    errors: int = 0
    failed_in_kill: int = 0
    acknowledged: list[str] = field(default_factory=list)
    by_page: dict[str, list[float]] = field(default_factory=dict)
    lost: int = 0
    elapsed: float = 0.0
    note: str = ""


@dataclass
class Kill:
    """When one of the server's workers was killed, if it was."""

    at: float | None = None

    def just_now(self) -> bool:
        """Whether a request failing now is the killed worker's: one it had in hand, or one sent
        to it as it died (any later failure is an error)."""
        return self.at is not None and time.perf_counter() - self.at < KILL_WINDOW


async def load(
    clients: Callable[[float, Kill], list[Awaitable[None]]],
    server: subprocess.Popen[bytes],
    seconds: float,
    kill: bool,
) -> tuple[float, str]:
    """Run the clients (made with the time to stop at and the kill's record) for `seconds`,
    killing one of the server's workers halfway when `kill`; returns the seconds it took and
    which worker was killed."""
    killed = Kill()
    note = ""
    began = time.perf_counter()

    async def killer() -> None:
        nonlocal note
        await asyncio.sleep(seconds / 2)
        note = kill_one_worker(server, killed, seconds / 2)

    await asyncio.gather(*clients(began + seconds, killed), *([killer()] if kill else []))
    return time.perf_counter() - began, note


def percentile(values: list[float], cut: int) -> float:
    if len(values) < 2:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[cut - 1]


async def client(
    base: str,
    number: int,
    stop: float,
    run: Run,
    applications: int,
    killed: Kill,
) -> None:
    """One browser: reads a page for its CSRF token, then requests back to back until `stop`."""
    import httpx

    rng = random.Random(number)
    async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT) as browser:
        token = ""
        written = 0
        while time.perf_counter() < stop:
            began = time.perf_counter()
            kind = "read"
            try:
                if not token:
                    page = await browser.get("/applications/new")
                    found = _TOKEN.search(page.text)
                    if page.status_code != 200 or found is None:
                        raise RuntimeError(f"no form: {page.status_code}")
                    token = found[1]
                    ok = True
                else:
                    draw = rng.random()
                    if draw < 0.3:
                        kind = "write"
                        company = f"Load {number}-{written}"
                        written += 1
                        ok = await write(browser, draw, company, token, rng, applications)
                        if ok:
                            run.acknowledged.append(company)
                    else:
                        page = rng.choice(READS)
                        kind = page
                        response = await browser.get(page.format(app=rng.randint(1, applications)))
                        ok = response.status_code == 200
            except (httpx.HTTPError, RuntimeError):
                ok = False
            took = time.perf_counter() - began
            if ok:
                run.latencies.append(took)
                (run.writes if kind == "write" else run.reads).append(took)
                run.by_page.setdefault(kind, []).append(took)
            elif killed.just_now():
                run.failed_in_kill += 1  # in the killed worker's hands, or sent to it as it died
                token = ""
            else:
                run.errors += 1


async def write(
    browser: object, draw: float, company: str, token: str, rng: random.Random, apps: int
) -> bool:
    """One change: a form (with its CSRF token), a JSON request, or a status move (whose
    acknowledged company is the one it adds before moving it)."""
    import httpx

    assert isinstance(browser, httpx.AsyncClient)
    if draw < 0.12:
        response = await browser.post(
            "/applications",
            data={"csrf_token": token, "company": company, "role": "Data Scientist"},
        )
        return response.status_code == 303
    if draw < 0.24:
        response = await browser.post(
            "/api/applications", json={"company": company, "role": "Analyst"}
        )
        return response.status_code == 201
    created = await browser.post("/api/applications", json={"company": company, "role": "ML"})
    if created.status_code != 201:
        return False
    moved = await browser.post(
        f"/api/applications/{created.json()['id']}/status", json={"status": "screen"}
    )
    return moved.status_code in (200, 201)


def workers_of(server: subprocess.Popen[bytes]) -> list[int]:
    """The worker processes uvicorn started under `server` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat[1]) == server.pid:
            found.append(int(entry.name))
    return found


async def drive(
    base: str, run: Run, applications: int, server: subprocess.Popen[bytes], kill: bool
) -> None:
    def clients(stop: float, killed: Kill) -> list[Awaitable[None]]:
        return [client(base, n, stop, run, applications, killed) for n in range(CLIENTS)]

    run.elapsed, note = await load(clients, server, SECONDS, kill)
    run.note = note or run.note


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """Stop the server as Ctrl-C does (its workers finish what they hold), or kill it after 30 s."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def kill_one_worker(server: subprocess.Popen[bytes], killed: Kill, at: float) -> str:
    """Kill one of the server's workers with SIGKILL, mark when, and say which."""
    workers = [pid for pid in workers_of(server) if pid != server.pid]
    # uvicorn's own helper process (multiprocessing's resource tracker) is not a worker:
    # the workers are the ones serving, each with a listening socket of the parent's.
    victims = [pid for pid in workers if "resource_tracker" not in _cmdline(pid)]
    if not victims:
        return "no worker found to kill"
    killed.at = time.perf_counter()
    os.kill(victims[0], signal.SIGKILL)
    return f"killed worker {victims[0]} of {len(victims)} at {at:.0f} s"


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def serve_and_load(url: str, workers: int, run: Run, applications: int, kill: bool) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "debrief", "--db", url, "serve", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until_up(base, server)
        import httpx

        for path in READS:  # every worker's first dashboard builds the analysis
            for _ in range(workers):
                httpx.get(base + path.format(app=1), timeout=REQUEST_TIMEOUT)
        asyncio.run(drive(base, run, applications, server, kill))
    finally:
        stop_server(server)
    from debrief.journal import Journal

    with Journal.open(url) as journal:
        present = {a.company for a in journal.list_applications()}
    run.lost = sum(1 for company in run.acknowledged if company not in present)


@contextmanager
def postgres_schema() -> Iterator[str | None]:
    """A URL whose search_path is a new, empty schema (dropped afterwards), or None."""
    base = os.environ.get("DEBRIEF_BENCH_POSTGRES_URL") or os.environ.get(
        "DEBRIEF_TEST_POSTGRES_URL"
    )
    if not base:
        yield None
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from debrief.storage.location import resolve_database_url

    schema = f"debrief_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(resolve_database_url(base))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(resolve_database_url(base)).update_query_dict(
            {"options": f"-csearch_path={schema}"}
        )
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> bool:
    runs: list[Run] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "load.db")
        applications = build(db)
        run = Run("SQLite, 1 worker", TARGETS["sqlite"])
        serve_and_load(db, 1, run, applications, kill=False)
        runs.append(run)
    with postgres_schema() as url:
        if url is None:
            missing = "set DEBRIEF_TEST_POSTGRES_URL to measure"
            runs.append(Run("PostgreSQL, 4 workers", TARGETS["postgresql"], note=missing))
            runs.append(Run("PostgreSQL, 4 workers, one killed", None, note=missing))
        else:
            applications = build(url)
            for label, kill in (("PostgreSQL, 4 workers", False), ("… one killed", True)):
                run = Run(label, None if kill else TARGETS["postgresql"])
                serve_and_load(url, 4, run, applications, kill=kill)
                runs.append(run)
    return print_runs(runs)


def print_runs(runs: list[Run]) -> bool:
    rows = []
    ok = True
    for run in runs:
        if not run.latencies:
            rows.append([run.label, "—", "—", "—", "—", "—", "—", "—", "—", "not run", run.note])
            ok = False
            continue
        p95 = percentile(run.latencies, 95)
        if run.target is None:
            met = run.lost == 0 and run.errors == 0
            target = f"0 lost, 0 errors after the kill's first {KILL_WINDOW:.0f} s"
        else:
            met = p95 <= run.target and run.errors == 0 and run.lost == 0
            target = f"p95 ≤ {run.target * 1000:.0f} ms, 0 errors, 0 lost"
        ok = ok and met
        failed = f"{run.errors}" + (f" (+{run.failed_in_kill} in the kill)" if run.note else "")
        rows.append(
            [
                run.label,
                f"{len(run.latencies) + run.errors + run.failed_in_kill:,}",
                f"{len(run.latencies) / run.elapsed:.0f}",
                f"{percentile(run.latencies, 50) * 1000:.1f}",
                f"{p95 * 1000:.1f}",
                f"{percentile(run.reads, 95) * 1000:.1f} / {percentile(run.writes, 95) * 1000:.1f}",
                failed,
                f"{len(run.acknowledged):,} / {run.lost}",
                target,
                "met" if met else "MISSED",
                run.note,
            ]
        )
    pages = sorted({page for run in runs for page in run.by_page})
    print_table(
        "The same runs: p95 by request, ms",
        ["request", *(run.label for run in runs)],
        [
            [page, *(f"{percentile(run.by_page.get(page, []), 95) * 1000:.1f}" for run in runs)]
            for page in pages
        ],
    )
    print_table(
        f"Web app under reads and writes: {CLIENTS} clients for {SECONDS:.0f} s each, 3 writes "
        "in 10 (forms with CSRF, JSON, status moves), loopback",
        [
            "run",
            "requests",
            "per s",
            "p50 ms",
            "p95 ms",
            "p95 read / write ms",
            "errors",
            "acknowledged / lost",
            "target",
            "verdict",
            "note",
        ],
        rows,
    )
    return ok


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
