"""Measuring triage: per-label precision/recall/F1, macro-F1, the confusion matrix and skill-area
micro-F1 on a labelled file, for any backend, beside a naive keyword baseline.

Plain Python: `debrief triage eval` must work on a default install (no scikit-learn).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from debrief.errors import InvalidInput
from debrief.taxonomy import skill_ids
from debrief.triage.backend import Backend
from debrief.triage.classify import LABELS, SKILLED


@dataclass(frozen=True, slots=True)
class Example:
    """A labelled statement from a corpus file, with where it came from."""

    text: str
    label: str
    skills: tuple[str, ...]
    source: str  # "file:line"


@dataclass(frozen=True, slots=True)
class Prediction:
    """A label and skill areas for one statement."""

    label: str
    skills: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LabelScores:
    """Precision, recall and F1 of one label."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class Evaluation:
    """How a backend did on a labelled file."""

    statements: int
    per_label: dict[str, LabelScores]
    macro_f1: float
    skills_micro_f1: float
    skills_precision: float
    skills_recall: float
    confusion: dict[str, dict[str, int]]  # gold label → predicted label → count

    def as_json(self) -> dict[str, object]:
        """The `triage eval --json` object (its keys are a stable interface)."""
        return {
            "macro_f1": round(self.macro_f1, 4),
            "per_label": {
                label: {
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                    "support": s.support,
                }
                for label, s in self.per_label.items()
            },
            "skills_micro_f1": round(self.skills_micro_f1, 4),
            "confusion": self.confusion,
        }


def read_examples(path: Path | str) -> list[Example]:
    """Read a JSONL file of {"text", "label", "skills"} objects, naming the line of any error."""
    examples = []
    known = skill_ids()
    name = str(path)
    try:
        lines = Path(path).read_text(encoding="utf-8").split("\n")
    except OSError as error:
        raise InvalidInput("file", f"cannot read {name}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidInput("file", f"{name} is not UTF-8 text") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        row = text_object(line, where)
        label = row.get("label")
        if label not in LABELS:
            raise InvalidInput(
                "file", f"{where}: label {label!r} is not one of {', '.join(LABELS)}"
            )
        skills = row.get("skills") or []
        if not isinstance(skills, list) or any(
            not isinstance(s, str) or s not in known for s in skills
        ):
            raise InvalidInput("file", f"{where}: skills must be a list of skill areas")
        examples.append(Example(row["text"], label, tuple(skills), where))
    return examples


def text_object(line: str, where: str) -> dict[str, Any]:
    """A JSONL line that must hold an object with a "text" string; errors name `where`."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as error:
        raise InvalidInput("file", f"{where}: not JSON ({error.msg})") from None
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        raise InvalidInput("file", f"{where}: needs an object with a 'text' string")
    return row


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def _f1(precision: float, recall: float) -> float:
    return _ratio(2 * precision * recall, precision + recall)


def evaluate(gold: Sequence[Example], predicted: Sequence[Prediction]) -> Evaluation:
    """Score predictions against gold labels and skill areas."""
    confusion = {g: dict.fromkeys(LABELS, 0) for g in LABELS}
    for example, prediction in zip(gold, predicted, strict=True):
        confusion[example.label][prediction.label] += 1
    per_label = {}
    for label in LABELS:
        true_positive = confusion[label][label]
        predicted_as = sum(confusion[g][label] for g in LABELS)
        support = sum(confusion[label].values())
        precision = _ratio(true_positive, predicted_as)
        recall = _ratio(true_positive, support)
        per_label[label] = LabelScores(precision, recall, _f1(precision, recall), support)
    hits = predicted_total = gold_total = 0
    for example, prediction in zip(gold, predicted, strict=True):
        gold_skills, predicted_skills = set(example.skills), set(prediction.skills)
        hits += len(gold_skills & predicted_skills)
        predicted_total += len(predicted_skills)
        gold_total += len(gold_skills)
    skills_precision = _ratio(hits, predicted_total)
    skills_recall = _ratio(hits, gold_total)
    return Evaluation(
        statements=len(gold),
        per_label=per_label,
        macro_f1=sum(s.f1 for s in per_label.values()) / len(LABELS),
        skills_micro_f1=_f1(skills_precision, skills_recall),
        skills_precision=skills_precision,
        skills_recall=skills_recall,
        confusion=confusion,
    )


# -- the naive keyword baseline ------------------------------------------------------------------

_BASELINE_LABEL_WORDS = {
    "circumstance": ("freeze", "budget", "headcount", "filled", "internal", "visa", "relocat",
                     "years of experience", "salary", "on hold"),
    "noise": ("thank", "unfortunately", "other candidates", "luck", "fit", "appreciate"),
    "strength": ("great", "strong", "excellent", "impressed", "good", "nice", "clean", "well"),
}  # fmt: skip
_BASELINE_SKILL_WORDS = {
    "sql": ("sql", "query", "join"),
    "coding": ("python", "code", "pandas", "algorithm"),
    "statistics": ("statistic", "probability", "p-value", "confidence interval"),
    "experimentation": ("a/b", "experiment", "test", "causal"),
    "machine_learning": ("model", "machine learning", "feature"),
    "product_sense": ("product", "metric", "business"),
    "data_analysis": ("analysis", "take-home", "visuali", "plot", "eda"),
    "communication": ("communicat", "explain", "clear", "concise"),
    "problem_solving": ("structure", "clarifying", "approach", "time"),
    "behavioral": ("story", "behavio", "star", "why"),
    "domain_knowledge": ("research", "industry", "company"),
}


def keyword_baseline(text: str) -> Prediction:
    """A few lines of keyword matching: what triage would be without the model."""
    lowered = text.lower()
    label = next(
        (lab for lab, words in _BASELINE_LABEL_WORDS.items() if any(w in lowered for w in words)),
        "constructive",
    )
    skills = tuple(
        s for s, words in _BASELINE_SKILL_WORDS.items() if any(w in lowered for w in words)
    )
    if label not in SKILLED:
        return Prediction(label, ())
    return Prediction(label, skills or ("other",))


def predictions(triaged: Iterable[object]) -> list[Prediction]:
    """Predictions from Triage results (anything with .label and .skills)."""
    return [Prediction(t.label, tuple(t.skills)) for t in triaged]  # type: ignore[attr-defined]


def measure(backend: Backend, examples: Sequence[Example]) -> Evaluation:
    """Evaluate a backend behind the rule layer, one statement per example (no segmentation)."""
    from debrief.triage.classify import Triager

    triaged = Triager(backend).classify([e.text for e in examples])
    return evaluate(examples, predictions(triaged))
