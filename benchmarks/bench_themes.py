"""Themes and the action plan (issue 4's targets).

Speed: `debrief themes` and `debrief plan` as whole processes on a journal of 5,000 feedback
statements from 1,000 interviews, and on the demo journal, medians of 5 after a warm-up, beside
`debrief summary` on the same journal in the same run (the cost of starting debrief and opening
a journal at all). Quality: how the demo's sub-themes match the sub-themes its generator planted
(each demo statement carries the theme it was written for).
"""

from __future__ import annotations

import json
import random
import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from debrief.journal import Journal
from timing import Timing, print_table, time_process, tool

CORPUS = Path(__file__).resolve().parents[1] / "src/debrief/triage/data/corpus/train.jsonl"
INTERVIEWS = 1_000
STATEMENTS_PER_FEEDBACK = 5
REPEAT = 5
KINDS = ["recruiter_screen", "technical_screen", "sql", "statistics", "product_case", "ml_design"]
END = date(2026, 11, 30)


def fill(path: Path) -> int:
    """A year of interviews, 60% real and 40% mock, each with one piece of feedback of five
    statements drawn from the triage training corpus; returns the statements stored."""
    rng = random.Random(4)
    texts = [json.loads(line)["text"] for line in CORPUS.read_text("utf-8").splitlines() if line]
    texts = [t.rstrip(".") + "." for t in texts if len(t.split()) >= 4]
    start = END - timedelta(days=365)
    with Journal.open(str(path)) as journal, journal.atomic():
        for n in range(INTERVIEWS):
            day = start + timedelta(days=rng.randint(0, 364))
            application = None
            if n % 5 < 3:
                application = journal.add_application(
                    f"Company {n % 400}", "Data Scientist", applied_on=day
                ).id
            interview = journal.add_interview(
                rng.choice(KINDS),
                application_id=application,
                held_on=day,
                self_rating=rng.randint(1, 5),
                rubric={"statistics": rng.randint(1, 5)} if application is None else None,
            )
            body = "\n\n".join(rng.sample(texts, STATEMENTS_PER_FEEDBACK))
            journal.add_feedback(body, interview_id=interview.id, received_on=day, triage=False)
    with Journal.open(str(path)) as journal:
        journal.retriage()  # triage runs outside the write, as it always does
        return len(journal.list_statements())


def subtheme_quality(journal: Journal, end: date) -> tuple[float, float, int]:
    """Purity (share of sub-theme statements whose planted theme is their sub-theme's most
    common one), coverage (share of weakness statements in some sub-theme), and how many
    sub-themes, over the demo's weakness themes."""
    from debrief.demo import demo_statements
    from debrief.themes import find_themes

    planted = {s.text: s.theme for s in demo_statements()}
    report = find_themes(journal, as_of=end)
    pure = placed = total = count = 0
    for theme in report.weaknesses:
        texts = {e.statement_id: e.text for e in theme.evidence}
        total += len(texts)
        for sub in theme.subthemes:
            labels = [planted.get(texts[i], "?") for i in sub.statement_ids]
            pure += Counter(labels).most_common(1)[0][1]
            placed += len(labels)
            count += 1
    return pure / max(1, placed), placed / max(1, total), count


def distinct_rand_index() -> float:
    """Adjusted Rand index of the sub-theme grouping of the demo's distinct constructive
    statements, per skill area, against the sub-themes they were written for (mean over the
    areas with two or more planted sub-themes)."""
    from sklearn.metrics import adjusted_rand_score

    from debrief.demo import THEME_SKILL, demo_statements
    from debrief.themes.cluster import cluster_texts

    by_skill: dict[str, list[tuple[str, str]]] = {}
    for statement in demo_statements():
        if statement.label == "constructive":
            by_skill.setdefault(THEME_SKILL[statement.theme], []).append(
                (statement.text, statement.theme)
            )
    scores = []
    for pairs in by_skill.values():
        if len({theme for _, theme in pairs}) < 2:
            continue
        found = [0] * len(pairs)
        for number, cluster in enumerate(cluster_texts([text for text, _ in pairs])):
            for index in cluster.members:
                found[index] = number
        scores.append(adjusted_rand_score([theme for _, theme in pairs], found))
    return sum(scores) / len(scores)


def main() -> bool:
    from debrief.demo import build_demo

    debrief = tool("debrief")
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.db"
        statements = fill(big)
        demo = Path(tmp) / "demo.db"
        with Journal.open(str(demo)) as journal:
            build_demo(journal, end=END)
            purity, coverage, subthemes = subtheme_quality(journal, END)
        timings: list[tuple[Timing, str, float | None]] = []
        for path, name, target in ((big, f"{statements:,} statements", 3.0), (demo, "demo", 1.5)):
            base = [debrief, "--db", str(path)]
            timings.append(
                (time_process(f"summary ({name})", [*base, "summary"], repeat=REPEAT), "", None)
            )
            for command in ("themes", "plan"):
                timing = time_process(f"{command} ({name})", [*base, command], repeat=REPEAT)
                timings.append((timing, f"≤ {target:.1f} s", target))

    rows = []
    baseline: Timing | None = None
    for timing, target, limit in timings:
        if limit is None:
            baseline = timing
        ratio = f"{timing.median / baseline.median:.2f}" if baseline and limit else "—"
        verdict = "—" if limit is None else ("met" if timing.median <= limit else "MISSED")
        rows.append(
            [
                timing.label,
                f"{timing.median:.3f}",
                f"{min(timing.runs):.3f}",
                f"{max(timing.runs):.3f}",
                ratio,
                target or "(baseline: start + open)",
                verdict,
            ]
        )
    print_table(
        f"Themes and plan: whole processes, seconds, median of {REPEAT} after a warm-up "
        f"({INTERVIEWS:,} interviews; demo ending {END})",
        ["command", "median", "min", "max", "× summary", "target", "verdict"],
        rows,
    )
    print_table(
        "Sub-themes against the sub-themes the demo's generator planted (no target: a reading)",
        ["demo journal: sub-themes", "purity", "coverage", "distinct statements: adjusted Rand"],
        [[str(subthemes), f"{purity:.2f}", f"{coverage:.2f}", f"{distinct_rand_index():.2f}"]],
    )
    return all(r[-1] != "MISSED" for r in rows)
