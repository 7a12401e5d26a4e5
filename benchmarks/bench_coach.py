"""The coach server under reads and writes at once (issue 19, "Load and faults"), and a worker
killed midway.

A coach server on PostgreSQL with STUDENTS students, each with a journal of their own holding a
whole search of APPLICATIONS applications (the demo's: interviews, feedback triaged into
statements, questions, practice). Four searches are generated (`build_demo`, each with another
seed and weaknesses) and each student's journal is filled from one of them by a bulk restore,
not through the web. COACH_CLIENTS coaches each coach every student (the strict case: a cohort
page over all of them), and every student shares everything with them.

`debrief --db URL coach serve --workers 4` runs in a process of its own on 127.0.0.1. CLIENTS
clients on loopback, each a browser of its own (its own cookies, CSRF token and session, signed
in once before the clock starts, so Argon2id's deliberate cost is not in the figures), request
back to back for SECONDS: the coaches' browsers load the cohort page (/coach) or one student's
page (/coach/students/<id>); each other browser is one student, who in ten requests changes
their journal three times (a form with its CSRF token, a JSON request, a status move, as in
bench_load) and reads a page seven times (/, /board, /applications, /plan, an application's
page). Before the clock starts every browser loads its pages once: the first page of a student
in each worker builds their analysis, and the first cohort page after the start is timed apart.
Every acknowledged write (303 or 201) is noted, and afterwards each must be in its student's
journal.

Targets: cohort page p95 ≤ 300 ms; student pages p95 ≤ 150 ms, the coach's page of one student
and the students' writes held to the same; 0 errors; nothing acknowledged lost. A second run
kills one worker with SIGKILL halfway: the requests that fail in the next KILL_WINDOW seconds
are counted apart, any failure after that is an error, and nothing acknowledged may be lost.

PostgreSQL comes from DEBRIEF_BENCH_POSTGRES_URL, else DEBRIEF_TEST_POSTGRES_URL (a schema of
its own for the directory, and one per student, all dropped afterwards); without either, or when
it does not answer, the benchmark says so and is skipped. For a quick run while developing:
DEBRIEF_BENCH_COACH_SECONDS (each run's length), DEBRIEF_BENCH_COACH_STUDENTS,
DEBRIEF_BENCH_COACH_APPLICATIONS (30 to 150 per student) and DEBRIEF_BENCH_COACH_CLIENTS;
DEBRIEF_BENCH_COACH_WRITES changes how many of a student's ten requests write (3).
"""

from __future__ import annotations

import asyncio
import math
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bench_load import _TOKEN as FORM_TOKEN
from bench_load import (
    KILL_WINDOW,
    REQUEST_TIMEOUT,
    Kill,
    load,
    percentile,
    postgres_schema,
    stop_server,
    write,
)
from bench_web import free_port, wait_until_up
from timing import print_table

SECONDS = float(os.environ.get("DEBRIEF_BENCH_COACH_SECONDS", "60"))
STUDENTS = int(os.environ.get("DEBRIEF_BENCH_COACH_STUDENTS", "100"))
APPLICATIONS = int(os.environ.get("DEBRIEF_BENCH_COACH_APPLICATIONS", "150"))
CLIENTS = int(os.environ.get("DEBRIEF_BENCH_COACH_CLIENTS", "50"))
COACH_CLIENTS = max(1, CLIENTS // 10)  # one browser per coach
WORKERS = 4
SEARCHES = 4  # different searches the students' journals are filled from
WRITES_IN_TEN = int(os.environ.get("DEBRIEF_BENCH_COACH_WRITES", "3"))  # of a student's ten
ALONE = 3  # loads of each page by one browser alone, for the record
SIGNING_IN_AT_ONCE = 8  # Argon2id takes 64 MiB a check: the browsers sign in a few at a time
# Before the clock a page may take long: a student's first page in a worker builds their
# analysis, and the first cohort page builds every student's it shows.
WARM_UP_TIMEOUT = 900.0
# p95 targets, seconds, per kind of request.
TARGETS = {
    "cohort page": 0.300,
    "a student, for the coach": 0.150,
    "student pages": 0.150,
    "student writes": 0.150,
}
STUDENT_PAGES = ["/", "/board", "/applications", "/plan", "/applications/{app}"]
# The searches' weak skill areas, one set each (the first is the demo's own).
WEAKNESSES: list[tuple[str, ...] | None] = [
    None,
    ("communication", "behavioral"),
    ("sql", "statistics"),
    ("machine_learning", "coding", "product_sense"),
]


@dataclass
class Person:
    """Someone a browser signs in as."""

    id: int
    role: str
    email: str


@dataclass
class CoachRun:
    """One run: latencies by kind and by page, failures, and the writes acknowledged."""

    label: str
    kill: bool
    latencies: dict[str, list[float]] = field(default_factory=dict)
    by_page: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    failed_in_kill: int = 0
    acknowledged: dict[int, list[str]] = field(default_factory=dict)
    lost: int = 0
    elapsed: float = 0.0
    sign_in: float = 0.0  # seconds for every browser to sign in, before the clock
    first_cohort: float = 0.0  # the first cohort page after the server started
    warm_up: float = 0.0
    alone: dict[str, float] = field(default_factory=dict)  # by page, seconds
    note: str = ""
    problems: list[str] = field(default_factory=list)

    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values()) + self.errors + self.failed_in_kill


@dataclass
class Cohort:
    """The server built: its database, the password everyone signs in with, and who is in it."""

    url: str
    password: str
    coaches: list[Person]
    students: list[Person]
    applications: int
    seconds: float


# -- building the server -------------------------------------------------------------------


def reachable(url: str) -> str | None:
    """None when PostgreSQL at `url` answers, else why not."""
    from sqlalchemy import create_engine, text

    from debrief.storage.location import resolve_database_url

    engine = create_engine(resolve_database_url(url), connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any failure to connect means: not reachable
        return " ".join(str(getattr(error, "orig", None) or error).split())[:200]
    finally:
        engine.dispose()
    return None


def searches(count: int, applications: int) -> list[dict[str, Any]]:
    """`count` whole searches as backups (each another seed and other weaknesses), generated
    once into scratch journals."""
    from debrief.demo import SearchProfile, build_demo
    from debrief.ingest.backup import dump
    from debrief.journal import Journal

    made = []
    with tempfile.TemporaryDirectory() as tmp:
        for number in range(count):
            profile = SearchProfile(
                applications=applications,
                offer=number % 2 == 0,
                weak=WEAKNESSES[number % len(WEAKNESSES)],
            )
            with Journal.open(str(Path(tmp) / f"search{number}.db")) as journal:
                build_demo(journal, seed=101 + 10 * number, end=date.today(), profile=profile)
                made.append(dump(journal))
    return made


@contextmanager
def one_password_hash(password: str) -> Iterator[None]:
    """While the people are made, every password hash is the same one, made once with the
    server's own parameters: 100 Argon2id hashes would take longer than the journals. The
    server checks each sign-in with those parameters, as for anyone."""
    from debrief.coach import passwords, store

    hashed = passwords.hash_password(password)
    original = store.hash_password
    store.hash_password = lambda _password: hashed
    try:
        yield
    finally:
        store.hash_password = original


def build(url: str, students: int, coaches: int, applications: int) -> Cohort:
    from debrief.coach.store import Directory
    from debrief.coach.students import StudentJournals
    from debrief.ingest.backup import restore

    began = time.perf_counter()
    password = secrets.token_urlsafe(16)  # this run's, never shown
    backups = searches(SEARCHES, applications)
    directory = Directory.open(url, create=True)
    journals = StudentJournals(directory)
    try:
        with one_password_hash(password):
            admin = directory.add_person(
                "Bench Admin", "admin@bench.example.org", "admin", password
            )
            made_coaches = [
                directory.add_person(
                    f"Coach {n}", f"coach{n}@bench.example.org", "coach", password, by=admin
                )
                for n in range(1, coaches + 1)
            ]
            made_students = [
                directory.add_person(
                    f"Student {n}", f"student{n}@bench.example.org", "student", password, by=admin
                )
                for n in range(1, students + 1)
            ]
        for number, student in enumerate(made_students):
            for coach in made_coaches:
                directory.link(admin, coach.id, student.id)
            directory.set_level(student, student.id, "feedback")
            restore(journals.journal(student.id), backups[number % len(backups)])
    finally:
        journals.close()
        directory.close()
    return Cohort(
        url,
        password,
        [Person(c.id, "coach", c.email) for c in made_coaches],
        [Person(s.id, "student", s.email) for s in made_students],
        applications,
        time.perf_counter() - began,
    )


def drop_student_schemas(url: str) -> None:
    """The students' schemas the server made (the directory's own goes with postgres_schema)."""
    from sqlalchemy import create_engine, text

    from debrief.coach.store import Directory
    from debrief.storage.location import resolve_database_url

    try:
        directory = Directory.open(url)
    except Exception:  # no directory was made: no students' schemas either
        return
    server = directory.server
    directory.close()
    engine = create_engine(resolve_database_url(url))
    with engine.begin() as connection:
        names = connection.scalars(
            text(
                "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE :like"
            ),
            {"like": f"debrief\\_{server}\\_student\\_%"},
        ).all()
    for name in names:  # one at a time: a hundred in one transaction run out of locks
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    engine.dispose()


# -- the browsers ----------------------------------------------------------------------------


class Browser:
    """One person's browser: its cookies (session, CSRF) and the CSRF token of its forms."""

    def __init__(self, base: str, person: Person, number: int) -> None:
        import httpx

        self.person = person
        self.rng = random.Random(number)
        self.number = number
        self.token = ""
        self.written = 0
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        self.http = httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT, limits=limits)

    async def sign_in(self, password: str, at_once: asyncio.Semaphore) -> None:
        async with at_once:
            await self._sign_in(password)

    async def _sign_in(self, password: str) -> None:
        page = await self.http.get("/login")
        found = FORM_TOKEN.search(page.text)
        if page.status_code != 200 or found is None:
            raise RuntimeError(f"no sign-in form: {page.status_code}")
        answer = await self.http.post(
            "/login",
            data={"email": self.person.email, "password": password, "csrf_token": found[1]},
        )
        if answer.status_code != 303:
            raise RuntimeError(f"{self.person.email} could not sign in: {answer.status_code}")
        self.token = found[1]

    async def close(self) -> None:
        await self.http.aclose()


def student_page(browser: Browser, applications: int) -> str:
    page = browser.rng.choice(STUDENT_PAGES)
    return page.format(app=browser.rng.randint(1, applications))


def coach_page(browser: Browser, students: list[Person]) -> tuple[str, str]:
    if browser.rng.random() < 0.5:
        return "cohort page", "/coach"
    return "a student, for the coach", f"/coach/students/{browser.rng.choice(students).id}"


def page_label(path: str) -> str:
    if path.startswith("/coach/students/"):
        return "/coach/students/{id}"
    if path.startswith("/applications/"):
        return "/applications/{id}"
    return path


async def one_request(browser: Browser, cohort: Cohort) -> tuple[str, str, bool, str | None]:
    """One request of the mix: (kind, page, answered as it should, company acknowledged)."""
    if browser.person.role == "coach":
        kind, path = coach_page(browser, cohort.students)
        response = await browser.http.get(path)
        return kind, page_label(path), response.status_code == 200, None
    if browser.rng.random() < WRITES_IN_TEN / 10:
        if not browser.token:  # after a failure, the form is read again
            page = await browser.http.get("/applications/new")
            found = FORM_TOKEN.search(page.text)
            if page.status_code != 200 or found is None:
                return "student writes", "form", False, None
            browser.token = found[1]
        company = f"Load {browser.number}-{browser.written}"
        browser.written += 1
        # `write` takes its kind from a number under 0.3: under 0.12 a form, under 0.24 JSON,
        # else a status move (bench_load's shares).
        draw = browser.rng.random() * 0.3
        ok = await write(browser.http, draw, company, browser.token, browser.rng, 0)
        label = "POST form" if draw < 0.12 else "POST JSON" if draw < 0.24 else "status move"
        return "student writes", label, ok, company if ok else None
    path = student_page(browser, cohort.applications)
    response = await browser.http.get(path)
    return "student pages", page_label(path), response.status_code == 200, None


async def browse(
    browser: Browser,
    cohort: Cohort,
    run: CoachRun,
    stop: float,
    killed: Kill,
) -> None:
    """Requests back to back until `stop`."""
    import httpx

    while time.perf_counter() < stop:
        began = time.perf_counter()
        kind, page = "student pages", "?"
        try:
            kind, page, ok, company = await one_request(browser, cohort)
        except (httpx.HTTPError, RuntimeError) as error:
            ok, company = False, None
            took = time.perf_counter() - began
            problem = f"{type(error).__name__} {where(error)} after {took:.1f} s"
        else:
            problem = f"{kind} {page}: unexpected answer"
        took = time.perf_counter() - began
        if ok:
            run.latencies.setdefault(kind, []).append(took)
            run.by_page.setdefault(page, []).append(took)
            if company is not None:
                run.acknowledged.setdefault(browser.person.id, []).append(company)
        elif killed.just_now():
            run.failed_in_kill += 1  # in the killed worker's hands, or sent to it as it died
            browser.token = ""
        else:
            run.errors += 1
            browser.token = ""
            if len(run.problems) < 5:
                run.problems.append(problem)


def where(error: Exception) -> str:
    """The request an HTTP error happened to."""
    try:
        request = error.request  # type: ignore[attr-defined]
    except (AttributeError, RuntimeError):
        return "(no request)"
    return f"{request.method} {request.url.path}"


async def alone(browsers: list[Browser], cohort: Cohort, run: CoachRun) -> None:
    """Each page loaded by one browser with no other request under way (median of ALONE
    loads, warm): what the page costs before any waiting."""
    coach = next(b for b in browsers if b.person.role == "coach")
    student = next(b for b in browsers if b.person.role == "student")
    paths = [(coach, "/coach"), (coach, f"/coach/students/{cohort.students[-1].id}")]
    paths += [(student, page.format(app=2)) for page in STUDENT_PAGES]
    for browser, path in paths:
        await browser.http.get(path, timeout=WARM_UP_TIMEOUT)  # warm in this worker
        times = []
        for _ in range(ALONE):
            began = time.perf_counter()
            await browser.http.get(path, timeout=WARM_UP_TIMEOUT)
            times.append(time.perf_counter() - began)
        run.alone[page_label(path)] = statistics.median(times)


async def warm_up(browsers: list[Browser], cohort: Cohort, run: CoachRun) -> None:
    """Each browser loads its pages once (twice for the cohort page), outside the clock, over
    the connection it keeps (so in the worker that will serve it): a student's first page in
    a worker builds their analysis. The first cohort page after the start is timed."""
    coaches = [b for b in browsers if b.person.role == "coach"]
    began = time.perf_counter()
    response = await coaches[0].http.get("/coach", timeout=WARM_UP_TIMEOUT)
    run.first_cohort = time.perf_counter() - began
    if response.status_code != 200:
        raise SystemExit(f"the cohort page answered {response.status_code}")

    async def pages(browser: Browser) -> None:
        if browser.person.role == "coach":
            share = cohort.students[browser.number :: len(coaches)]
            paths = ["/coach", "/coach", *(f"/coach/students/{s.id}" for s in share)]
        else:
            paths = [page.format(app=1) for page in STUDENT_PAGES]
        for path in paths:
            await browser.http.get(path, timeout=WARM_UP_TIMEOUT)

    await asyncio.gather(*(pages(b) for b in browsers))
    run.warm_up = time.perf_counter() - began


async def drive(base: str, cohort: Cohort, run: CoachRun, server: subprocess.Popen[bytes]) -> None:
    browsers = [Browser(base, coach, n) for n, coach in enumerate(cohort.coaches[:COACH_CLIENTS])]
    students = cohort.students[: CLIENTS - len(browsers)]
    browsers += [Browser(base, s, len(browsers) + n) for n, s in enumerate(students)]
    try:
        began = time.perf_counter()
        at_once = asyncio.Semaphore(SIGNING_IN_AT_ONCE)
        await asyncio.gather(*(b.sign_in(cohort.password, at_once) for b in browsers))
        run.sign_in = time.perf_counter() - began
        await warm_up(browsers, cohort, run)
        if not run.kill:
            await alone(browsers, cohort, run)

        def clients(stop: float, killed: Kill) -> list[Awaitable[None]]:
            return [browse(b, cohort, run, stop, killed) for b in browsers]

        run.elapsed, note = await load(clients, server, SECONDS, run.kill)
        run.note = note or run.note
    finally:
        await asyncio.gather(*(b.close() for b in browsers))


def serve_and_load(cohort: Cohort, run: CoachRun) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "debrief", "--db", cohort.url, "coach", "serve"]
    with tempfile.TemporaryFile() as errors:
        server = subprocess.Popen(
            [*command, "--port", str(port), "--workers", str(WORKERS)],
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        try:
            wait_until_up(base, server, "/login")
            asyncio.run(drive(base, cohort, run, server))
        finally:
            stop_server(server)
            errors.seek(0)
            said = errors.read().decode(errors="replace").strip()
            if said and (run.errors or server.returncode not in (0, -signal.SIGINT)):
                run.problems.append("server: " + said[-500:])
    run.lost = lost_writes(cohort.url, run.acknowledged)


def lost_writes(url: str, acknowledged: dict[int, list[str]]) -> int:
    """How many acknowledged writes are not in their student's journal."""
    from debrief.coach.store import Directory
    from debrief.coach.students import StudentJournals

    directory = Directory.open(url)
    journals = StudentJournals(directory)
    lost = 0
    try:
        for student_id, companies in acknowledged.items():
            present = {a.company for a in journals.journal(student_id).list_applications()}
            lost += sum(1 for company in companies if company not in present)
    finally:
        journals.close()
        directory.close()
    return lost


# -- the figures -----------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return "—" if math.isnan(seconds) else f"{seconds * 1000:.0f}"  # NaN: too few to say


def print_runs(cohort: Cohort, runs: list[CoachRun]) -> bool:
    from debrief.model import counted

    rows = []
    ok = True
    for run in runs:
        for kind, target in TARGETS.items():
            found = run.latencies.get(kind, [])
            p95 = percentile(found, 95)
            if run.kill or (kind == "student writes" and WRITES_IN_TEN == 0):
                verdict, shown = "—", "(for the record)"
            else:
                met = bool(found) and p95 <= target
                verdict, shown = ("met" if met else "MISSED"), f"p95 ≤ {target * 1000:.0f} ms"
                ok = ok and met
            rows.append(
                [
                    run.label,
                    kind,
                    f"{len(found):,}",
                    f"{len(found) / run.elapsed:.1f}" if run.elapsed else "—",
                    ms(percentile(found, 50)),
                    ms(p95),
                    shown,
                    verdict,
                ]
            )
        errors_met = run.errors == 0
        after = f" after the kill's first {KILL_WINDOW:.0f} s" if run.kill else ""
        failed = f"{run.errors}" + (f" (+{run.failed_in_kill} in the kill)" if run.kill else "")
        rows.append(
            [
                run.label,
                f"errors{after}",
                failed,
                "",
                "",
                "",
                "0",
                "met" if errors_met else "MISSED",
            ]
        )
        acknowledged = sum(len(v) for v in run.acknowledged.values())
        rows.append(
            [
                run.label,
                "acknowledged writes lost",
                f"{run.lost} of {acknowledged:,}",
                "",
                "",
                "",
                "0",
                "met" if run.lost == 0 else "MISSED",
            ]
        )
        ok = ok and errors_met and run.lost == 0
    pages = sorted({page for run in runs for page in run.by_page})
    alone = next((run.alone for run in runs if run.alone), {})
    print_table(
        f"The same runs: p95 by request, ms; and each page loaded by one browser alone, warm "
        f"(median of {ALONE}), before the first run",
        ["request", *(f"p95, {run.label}" for run in runs), "alone"],
        [
            [
                page,
                *(ms(percentile(run.by_page.get(page, []), 95)) for run in runs),
                f"{alone[page] * 1000:.0f}" if page in alone else "—",
            ]
            for page in pages
        ],
    )
    print_table(
        "Before the clock, seconds (for the record)",
        ["run", "signing in every browser", "first cohort page after the start", "warm-up"],
        [
            [run.label, f"{run.sign_in:.1f}", f"{run.first_cohort:.2f}", f"{run.warm_up:.1f}"]
            for run in runs
        ],
    )
    coach_browsers = min(COACH_CLIENTS, len(cohort.coaches))
    print_table(
        f"Coach server under load: {len(cohort.students)} students × {cohort.applications} "
        f"applications (built in {cohort.seconds:.0f} s), PostgreSQL, {WORKERS} workers, "
        f"loopback; {CLIENTS} browsers for {SECONDS:.0f} s each: "
        f"{counted(coach_browsers, 'coach', 'coaches')} (each coaching all "
        f"{len(cohort.students)}), {counted(CLIENTS - coach_browsers, 'student')} "
        f"({WRITES_IN_TEN} writes in 10)",
        ["run", "measure", "count", "per s", "p50 ms", "p95 ms", "target", "verdict"],
        rows,
    )
    for run in runs:
        for line in ([run.note] if run.note else []) + run.problems:
            print(f"{run.label}: {line}")
    return ok


def main() -> bool:
    base = os.environ.get("DEBRIEF_BENCH_POSTGRES_URL") or os.environ.get(
        "DEBRIEF_TEST_POSTGRES_URL"
    )
    if not base:
        print(
            "\nbench_coach: skipped: the coach server is measured on PostgreSQL; set "
            "DEBRIEF_BENCH_POSTGRES_URL (or DEBRIEF_TEST_POSTGRES_URL) to run it"
        )
        return True
    problem = reachable(base)
    if problem is not None:
        print(f"\nbench_coach: skipped: PostgreSQL does not answer ({problem})")
        return True
    with postgres_schema() as url:
        assert url is not None
        try:
            cohort = build(url, STUDENTS, COACH_CLIENTS, APPLICATIONS)
            runs = [CoachRun(f"{WORKERS} workers", kill=False), CoachRun("one killed", kill=True)]
            for run in runs:
                serve_and_load(cohort, run)
        finally:
            drop_student_schemas(url)
    return print_runs(cohort, runs)


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
