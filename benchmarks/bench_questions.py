"""Reading questions (issue 18): kind, skill area, sub-skill and competency guessed from a
question's words, and the same question told apart from a different one, on questions and
pairs a person labelled, written apart from the bank and the code. The development parts are
what the rules, cue words and synonyms were written against; the test part is only measured.
Also: the time to group a journal's questions into "the same question" as it grows."""

from __future__ import annotations

import random
import time
from pathlib import Path

from debrief.prep.measure import TARGETS, matching, read_jsonl, reading
from timing import print_table

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
PARTS = ("dev", "dev2", "test")
GROUPING_SIZES = (500, 2_000)
GROUPING_TARGET = 2.0  # seconds for 2,000 questions, the size of a long search


def _verdict(value: float, target: float, part: str) -> str:
    if part != "test":
        return "(development)"
    return "met" if value >= target else "MISSED"


def grouping_seconds(size: int) -> float:
    """Seconds to group `size` questions drawn from the labelled ones, lightly varied."""
    from debrief.prep import same

    texts = [
        row["text"] for part in PARTS for row in read_jsonl(DATA / f"asked_questions_{part}.jsonl")
    ]
    rng = random.Random(18)
    drawn = [f"{rng.choice(texts)} ({rng.randint(1, 50)})" for _ in range(size)]
    same._grouped.cache_clear()  # the pages' cache would time nothing
    start = time.perf_counter()
    same.same_groups(drawn)
    return time.perf_counter() - start


def main() -> bool:
    rows = []
    matched = []
    for part in PARTS:
        read = reading(read_jsonl(DATA / f"asked_questions_{part}.jsonl"))
        for name, value in (
            ("kind", read.kind),
            ("skill area", read.skill),
            ("sub-skill", read.subskill),
            ("competency", read.competency),
        ):
            count = read.behavioural if name == "competency" else read.questions
            target = TARGETS[name]
            rows.append(
                [
                    part,
                    name,
                    str(count),
                    f"{value:.3f}",
                    f"≥ {target:.2f}",
                    _verdict(value, target, part),
                ]
            )
        same = matching(read_jsonl(DATA / f"same_questions_{part}.jsonl"))
        for name, value in (("precision", same.precision), ("recall", same.recall)):
            target = TARGETS[f"same: {name}"]
            matched.append(
                [
                    part,
                    name,
                    str(same.pairs),
                    f"{value:.3f}",
                    f"≥ {target:.2f}",
                    _verdict(value, target, part),
                ]
            )
    print_table(
        "Questions read from their words (share right; competency over behavioural questions)",
        ["part", "what", "questions", "share right", "target", "verdict"],
        rows,
    )
    print_table(
        "The same question asked again: pairs labelled same or different",
        ["part", "measure", "pairs", "value", "target", "verdict"],
        matched,
    )
    grouping = []
    for size in GROUPING_SIZES:
        runs = sorted(grouping_seconds(size) for _ in range(3))
        target = f"≤ {GROUPING_TARGET:.1f} s" if size == GROUPING_SIZES[-1] else "—"
        verdict = "—" if target == "—" else ("met" if runs[1] <= GROUPING_TARGET else "MISSED")
        grouping.append(
            [f"{size:,}", f"{runs[1]:.3f}", f"{runs[0]:.3f}", f"{runs[2]:.3f}", target, verdict]
        )
    print_table(
        "Grouping a journal's questions into the same question (seconds, median of 3)",
        ["questions", "median", "min", "max", "target", "verdict"],
        grouping,
    )
    return all(row[-1] != "MISSED" for row in [*rows, *matched, *grouping])


if __name__ == "__main__":
    raise SystemExit(0 if main() else 1)
