"""CLI speed as whole processes: `debrief --help` against `sqlite-utils --help`; `debrief summary`
and `debrief app add` on the demo journal against `python -c "import sqlalchemy.orm"` (issue 13's
targets: ≤ 1.4 × that baseline); `app list` on a 1,000-application journal (issue 2's target).

Each command runs interleaved with its baseline, pair by pair, after a warm-up; the ratio is the
median of the pairs' ratios. debrief's own modules are byte-compiled first, as an installation
has them (pip compiles a wheel's on install; Python writes the cache on first import): this
machine sets PYTHONDONTWRITEBYTECODE, which would otherwise make every run compile the package
from source. The same pairs without a bytecode cache are printed beside them, for the record.
"""

from __future__ import annotations

import compileall
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import debrief
from timing import Timing, print_table, time_process, tool

APPLICATIONS = 1_000
REPEAT = 7
PACKAGE = Path(debrief.__file__).resolve().parent


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


def _run(argv: Sequence[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - began


def time_pairs(
    label: str,
    argv: Sequence[str],
    baseline: Sequence[str],
    *,
    bytecode: bool,
    repeat: int = REPEAT,
) -> tuple[Timing, Timing, float]:
    """`argv` and `baseline` run alternately `repeat` times after one warm-up each: both
    timings, and the median of the per-pair ratios. Without `bytecode`, no cache is written or
    read for debrief's modules (the package's caches are removed first)."""
    env = dict(os.environ)
    if not bytecode:
        drop_bytecode()
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    _run(baseline, env)
    _run(argv, env)
    ours, theirs = [], []
    for _ in range(repeat):
        theirs.append(_run(baseline, env))
        ours.append(_run(argv, env))
    ratio = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
    return Timing(label, tuple(ours)), Timing("baseline", tuple(theirs)), ratio


def drop_bytecode() -> None:
    for cache in PACKAGE.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def main() -> bool:
    debrief_cli = tool("debrief")
    sqlite_utils = tool("sqlite-utils")
    orm = [sys.executable, "-c", "import sqlalchemy.orm"]
    with tempfile.TemporaryDirectory() as tmp:
        demo = Path(tmp) / "demo.db"
        subprocess.run(
            [debrief_cli, "--db", str(demo), "demo", "--seed", "7"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        big = Path(tmp) / "bench.db"
        fill(big, APPLICATIONS)
        on_demo = [debrief_cli, "--db", str(demo)]

        commands = {
            "debrief summary (demo journal)": [*on_demo, "summary"],
            "debrief app add (demo journal)": [*on_demo, "app", "add", "Bench Co", "DS"],
        }
        cold = [time_pairs(k, v, orm, bytecode=False) for k, v in commands.items()]
        compileall.compile_dir(str(PACKAGE), quiet=1)
        compiled = [time_pairs(k, v, orm, bytecode=True) for k, v in commands.items()]
        python = time_process("python -c pass", [sys.executable, "-c", "pass"], repeat=REPEAT)
        baseline = time_process("sqlite-utils --help", [sqlite_utils, "--help"], repeat=REPEAT)
        help_ = time_process("debrief --help", [debrief_cli, "--help"], repeat=REPEAT)
        listing = time_process(
            f"debrief app list ({APPLICATIONS:,} apps)",
            [debrief_cli, "--db", str(big), "app", "list"],
            repeat=REPEAT,
        )

    def row(
        t: Timing, against: str, ratio: float | None, target: str, ok: bool | None
    ) -> list[str]:
        return [
            t.label,
            f"{t.median:.3f}",
            f"{min(t.runs):.3f}",
            f"{max(t.runs):.3f}",
            against,
            f"{ratio:.2f}" if ratio is not None else "—",
            target,
            "—" if ok is None else ("met" if ok else "MISSED"),
        ]

    orm_label = "import sqlalchemy.orm"
    rows = [
        row(python, "—", None, "(interpreter start, for scale)", None),
        row(baseline, "—", None, "(baseline)", None),
        row(
            help_,
            "sqlite-utils --help",
            help_.median / baseline.median,
            "≤ 0.6 × baseline",
            help_.median <= 0.6 * baseline.median,
        ),
    ]
    for ours, theirs, ratio in compiled:
        paired = Timing(f"{orm_label} (paired)", theirs.runs)
        rows.append(row(paired, "—", None, "(baseline)", None))
        rows.append(row(ours, orm_label, ratio, "≤ 1.4 × baseline", ratio <= 1.4))
    for ours, _, ratio in cold:
        label = Timing(f"{ours.label}, no bytecode cache", ours.runs)
        rows.append(row(label, orm_label, ratio, "(for the record)", None))
    rows.append(row(listing, "—", None, "≤ 1.0 s", listing.median <= 1.0))
    print_table(
        f"CLI speed: whole processes, seconds, {REPEAT} runs after a warm-up, each run paired "
        "with its baseline; the ratio is the median of the pairs'",
        ["command", "median", "min", "max", "baseline", "ratio", "target", "verdict"],
        rows,
    )
    return all(r[-1] != "MISSED" for r in rows)
