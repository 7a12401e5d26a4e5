"""Analytics and the HTML report (issue 5's targets).

`debrief report` as a whole process on the demo journal (≤ 4 s) and on a journal of 10,000
applications and 2,000 interviews (≤ 10 s), medians of 5 after a warm-up, beside `debrief
summary` on the same journal in the same run (starting debrief and opening a journal at all);
and the size of the HTML file it writes (≤ 6 MB). `debrief stats` is timed too, as a reading.
"""

from __future__ import annotations

import json
import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

from debrief.journal import Journal
from timing import Timing, print_table, time_process, tool

CORPUS = Path(__file__).resolve().parents[1] / "src/debrief/triage/data/corpus/train.jsonl"
APPLICATIONS = 10_000
INTERVIEWS = 2_000
MOCKS = 500
REPEAT = 5
END = date(2026, 11, 30)
SOURCES = ["cold_apply"] * 5 + ["job_board"] * 3 + ["referral", "recruiter_outreach", "network"]
ROLES = ["Data Scientist", "Senior Data Scientist", "Product Analyst", "ML Engineer", "Analyst"]
TECHNICAL = ["technical_screen", "sql", "statistics", "product_case", "take_home", "coding"]
SKILLS = ["sql", "statistics", "experimentation", "product_sense", "communication"]


def fill(path: Path) -> tuple[int, int]:
    """A year-long search: 10,000 applications, 1,500 real rounds and 500 mock ones, and
    feedback of three statements from the triage corpus on a third of the rounds."""
    rng = random.Random(5)
    texts = [json.loads(line)["text"] for line in CORPUS.read_text("utf-8").splitlines() if line]
    texts = [t.rstrip(".") + "." for t in texts if len(t.split()) >= 4]
    start = END - timedelta(days=364)
    real_rounds = INTERVIEWS - MOCKS
    with Journal.open(str(path)) as journal, journal.atomic():
        rounds = 0
        for n in range(APPLICATIONS):
            applied = start + timedelta(days=rng.randint(0, 360))
            app = journal.add_application(
                f"Company {n % 3000}",
                rng.choice(ROLES),
                level=rng.choice(["Mid", "Senior", None]),
                source=rng.choice(SOURCES),
                applied_on=applied,
            )
            day = applied + timedelta(days=rng.randint(3, 25))
            if day > END:
                continue
            if rounds < real_rounds and rng.random() < 0.1:
                journal.change_status(app.id, "screen", at=day)
                kinds = ["recruiter_screen", *rng.sample(TECHNICAL, rng.randint(0, 2))]
                closed = False  # a rejected last round closes its application itself
                for index, kind in enumerate(kinds):
                    held = day + timedelta(days=3 + 5 * index)
                    if held > END or rounds >= real_rounds:
                        break
                    last = index == len(kinds) - 1
                    interview = journal.add_interview(
                        kind,
                        application_id=app.id,
                        held_on=held,
                        outcome="rejected" if last else "passed",
                        self_rating=rng.randint(1, 5),
                    )
                    rounds += 1
                    closed = last
                    if last and rng.random() < 0.4:
                        journal.add_feedback(
                            " ".join(rng.sample(texts, 3)),
                            interview_id=interview.id,
                            received_on=held,
                            triage=False,
                        )
                    if index == 0 and not last:
                        journal.change_status(app.id, "technical", at=held + timedelta(days=1))
                if held <= END and not closed:
                    journal.change_status(app.id, "rejected", at=max(held, day))
            elif rng.random() < 0.5:
                journal.change_status(app.id, "rejected", at=day)
            elif day + timedelta(days=30) <= END:
                journal.change_status(app.id, "ghosted", at=day + timedelta(days=30))
        for n in range(MOCKS):
            held = start + timedelta(days=n * 360 // MOCKS)
            skills = rng.sample(SKILLS, 2)
            interview = journal.add_interview(
                rng.choice(TECHNICAL),
                held_on=held,
                outcome=rng.choice(["passed", "rejected"]),
                self_rating=rng.randint(1, 5),
                rubric={
                    s: min(5, max(1, round(2 + 2 * n / MOCKS + rng.gauss(0, 0.7)))) for s in skills
                },
            )
            journal.add_feedback(
                " ".join(rng.sample(texts, 3)),
                interview_id=interview.id,
                source="mock_partner",
                received_on=held,
                triage=False,
            )
    with Journal.open(str(path)) as journal:
        journal.retriage()  # triage runs outside the write, as it always does
        summary = journal.summary()
        return summary.applications, summary.interviews_real + summary.interviews_mock


def main() -> bool:
    from debrief.demo import build_demo

    debrief = tool("debrief")
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.db"
        applications, interviews = fill(big)
        demo = Path(tmp) / "demo.db"
        with Journal.open(str(demo)) as journal:
            build_demo(journal, end=END)
        rows = []
        sizes = []
        for path, name, target in (
            (demo, "demo", 4.0),
            (big, f"{applications:,} apps / {interviews:,} interviews", 10.0),
        ):
            base = [debrief, "--db", str(path)]
            baseline = time_process(f"summary ({name})", [*base, "summary"], repeat=REPEAT)
            out = Path(tmp) / f"{path.stem}.html"
            timed: list[tuple[Timing, float | None]] = [
                (
                    time_process(
                        f"report ({name})", [*base, "report", "-o", str(out)], repeat=REPEAT
                    ),
                    target,
                ),
                (time_process(f"stats ({name})", [*base, "stats"], repeat=REPEAT), None),
            ]
            rows.append(_row(baseline, baseline, None))
            rows += [_row(timing, baseline, limit) for timing, limit in timed]
            sizes.append((name, out.stat().st_size))
    print_table(
        f"Report: whole processes, seconds, median of {REPEAT} after a warm-up (ending {END})",
        ["command", "median", "min", "max", "× summary", "target", "verdict"],
        rows,
    )
    size_rows = [
        [name, f"{size / 1e6:.2f} MB", "≤ 6 MB", "met" if size <= 6e6 else "MISSED"]
        for name, size in sizes
    ]
    print_table(
        "Report: size of the HTML file", ["journal", "size", "target", "verdict"], size_rows
    )
    return all(r[-1] != "MISSED" for r in rows + size_rows)


def _row(timing: Timing, baseline: Timing, limit: float | None) -> list[str]:
    verdict = "—" if limit is None else ("met" if timing.median <= limit else "MISSED")
    return [
        timing.label,
        f"{timing.median:.3f}",
        f"{min(timing.runs):.3f}",
        f"{max(timing.runs):.3f}",
        "—" if timing is baseline else f"{timing.median / baseline.median:.2f}",
        "(baseline: start + open)"
        if timing is baseline
        else (f"≤ {limit:.0f} s" if limit else "(reading)"),
        verdict,
    ]


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
