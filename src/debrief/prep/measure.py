"""How well questions are read: measured on questions and pairs labelled by a person, written
apart from the bank and the code (tests/data/asked_questions_*.jsonl, same_questions_*.jsonl).
The development part is what the cue words, rules and synonym list were written against; the
test part is only ever measured. Used by `make bench` and the tests."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from debrief.prep.infer import guess
from debrief.prep.same import SAME_AT, same_scores

# Set before the test part was first measured (docs/questions.md).
TARGETS = {
    "kind": 0.80,
    "skill area": 0.70,
    "sub-skill": 0.60,
    "competency": 0.60,
    "same: precision": 0.80,
    "same: recall": 0.60,
}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


@dataclass(frozen=True, slots=True)
class Reading:
    """Shares right on one labelled set."""

    questions: int
    kind: float
    skill: float
    subskill: float
    competency: float
    behavioural: int


def reading(rows: Sequence[dict[str, Any]]) -> Reading:
    made = guess([row["text"] for row in rows])
    pairs = list(zip(made, rows, strict=True))
    told = [(g, r) for g, r in pairs if r.get("competency")]
    n = len(rows) or 1
    return Reading(
        questions=len(rows),
        kind=sum(g.kind.value == r["kind"] for g, r in pairs) / n,
        skill=sum(g.skill == r["skill"] for g, r in pairs) / n,
        subskill=sum(g.subskill == r["subskill"] for g, r in pairs) / n,
        competency=sum(g.competency == r["competency"] for g, r in told) / (len(told) or 1),
        behavioural=len(told),
    )


@dataclass(frozen=True, slots=True)
class Matching:
    """The same question told apart from a different one, at `SAME_AT`."""

    pairs: int
    precision: float
    recall: float


def matching(pairs: Sequence[dict[str, Any]], threshold: float = SAME_AT) -> Matching:
    scores = same_scores([(p["a"], p["b"]) for p in pairs])
    said = [(score >= threshold, bool(p["same"])) for score, p in zip(scores, pairs, strict=True)]
    true_positive = sum(s and t for s, t in said)
    return Matching(
        pairs=len(pairs),
        precision=true_positive / (sum(s for s, _ in said) or 1),
        recall=true_positive / (sum(t for _, t in said) or 1),
    )
