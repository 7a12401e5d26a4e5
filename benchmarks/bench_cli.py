"""CLI speed: `debrief --help`, `app list` and `app add` as whole processes on a 1,000-application
journal, against `sqlite-utils --help` measured in the same run (issue 2's targets)."""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from timing import Timing, print_table, time_process, tool

APPLICATIONS = 1_000
REPEAT = 5


def fill(path: Path, count: int) -> None:
    """A journal of `count` applications with statuses, built through the core in one go."""
    from debrief.journal import Journal

    rng = random.Random(1)
    start = date(2026, 1, 1)
    with Journal.open(str(path)) as journal, journal.atomic():
        for n in range(count):
            applied = start + timedelta(days=rng.randint(0, 180))
            app = journal.add_application(
                f"Company {n % 600}",
                rng.choice(["Data Scientist", "Senior Data Scientist", "ML Engineer"]),
                source=rng.choice(["referral", "cold_apply", "job_board"]),
                applied_on=applied,
            )
            if rng.random() < 0.6:
                status = rng.choice(["rejected", "ghosted", "screen"])
                journal.change_status(app.id, status, at=applied + timedelta(days=14))


def main() -> bool:
    debrief = tool("debrief")
    sqlite_utils = tool("sqlite-utils")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        fill(db, APPLICATIONS)
        base = [debrief, "--db", str(db)]
        python = time_process("python -c pass", [sys.executable, "-c", "pass"], repeat=REPEAT)
        baseline = time_process("sqlite-utils --help", [sqlite_utils, "--help"], repeat=REPEAT)
        help_ = time_process("debrief --help", [debrief, "--help"], repeat=REPEAT)
        listing = time_process(
            f"debrief app list ({APPLICATIONS:,} apps)", [*base, "app", "list"], repeat=REPEAT
        )
        adding = time_process(
            "debrief app add", [*base, "app", "add", "Bench Co", "Data Scientist"], repeat=REPEAT
        )

    def row(t: Timing, against: Timing | None, target: str, ok: bool) -> list[str]:
        ratio = f"{t.median / against.median:.2f}" if against else "—"
        return [
            t.label,
            f"{t.median:.3f}",
            f"{min(t.runs):.3f}",
            f"{max(t.runs):.3f}",
            against.label if against else "—",
            ratio,
            target,
            "met" if ok else "MISSED",
        ]

    help_ok = help_.median <= 0.25 and help_.median <= 0.6 * baseline.median
    rows = [
        row(python, None, "(interpreter start, for scale)", True),
        row(baseline, None, "(baseline)", True),
        row(help_, baseline, "≤ 0.25 s and ≤ 0.6 × baseline", help_ok),
        row(listing, None, "≤ 1.0 s", listing.median <= 1.0),
        row(adding, None, "≤ 1.0 s", adding.median <= 1.0),
    ]
    print_table(
        f"CLI speed: whole processes, seconds, median of {REPEAT} after a warm-up",
        ["command", "median", "min", "max", "baseline", "ratio", "target", "verdict"],
        rows,
    )
    return all(r[-1] == "met" for r in rows)
