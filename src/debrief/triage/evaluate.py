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

from debrief.errors import InvalidImport, InvalidInput
from debrief.parsing import load_json, text_of
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
        data = Path(path).read_bytes()
    except OSError as error:
        raise InvalidInput("file", f"cannot read {name}: {error.strerror}") from None
    for number, line in enumerate(text_of(data, name).split("\n"), start=1):
        if not line.strip():
            continue
        row = text_object(line, name, number)
        label = row.get("label")
        if not isinstance(label, str) or label not in LABELS:
            shown = repr(label)[:40]
            raise InvalidImport(
                name, f"line {number}", "label", f"{shown} is not one of {', '.join(LABELS)}"
            )
        skills = row.get("skills") or []
        if not isinstance(skills, list) or any(
            not isinstance(s, str) or s not in known for s in skills
        ):
            raise InvalidImport(name, f"line {number}", "skills", "must be a list of skill areas")
        examples.append(Example(row["text"], label, tuple(skills), f"{name}:{number}"))
    return examples


def text_object(line: str, source: str, number: int) -> dict[str, Any]:
    """Line `number` of a JSON Lines file, which must hold an object with a "text" string."""
    row = load_json(line, source, line=number)
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        raise InvalidImport(
            source, f"line {number}", "text", "needs an object with a 'text' string"
        )
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


@dataclass(frozen=True, slots=True)
class Learning:
    """How a label the user gives carries to other statements, on a paraphrase set: each group
    has a statement the user labels, paraphrases that should take the label, and unrelated
    statements that should not."""

    groups: int
    followed: float  # paraphrases that took the user's label from it
    agree_before: float  # paraphrases with the user's label before any learning (the model's)
    agree_after: float  # ... and after
    wrongly_followed: float  # unrelated statements that took the user's label from it
    wrongly_changed: float  # ... and whose label it changed


def read_paraphrase_groups(path: Path | str) -> list[dict[str, Any]]:
    """The groups of a paraphrase set (JSON lines: id, label, statement, paraphrases,
    unrelated)."""
    lines = Path(path).read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def measure_learning(backend: Backend, groups: Sequence[dict[str, Any]]) -> Learning:
    """Label each group's statement as the user would, then triage its paraphrases and its
    unrelated statements with that one label remembered."""
    from debrief.triage.classify import Remembered, Triager

    plain = Triager(backend)
    followed = before = after = wrong = changed = paraphrases = unrelated = 0
    for n, group in enumerate(groups):
        label = str(group["label"])
        [guess] = backend.guess_skills([group["statement"]])
        remembered = Remembered(n, group["statement"], label, guess if label in SKILLED else ())
        taught = Triager(backend, [remembered])
        for kind in ("paraphrases", "unrelated"):
            texts = [str(t) for t in group[kind]]
            old = plain.classify(texts)
            new = taught.classify(texts)
            took = [t.origin == "learned" for t in new]
            if kind == "paraphrases":
                paraphrases += len(texts)
                followed += sum(took)
                before += sum(t.label == label for t in old)
                after += sum(t.label == label for t in new)
            else:
                unrelated += len(texts)
                wrong += sum(took)
                changed += sum(a.label != b.label for a, b in zip(old, new, strict=True))
    return Learning(
        groups=len(groups),
        followed=_ratio(followed, paraphrases),
        agree_before=_ratio(before, paraphrases),
        agree_after=_ratio(after, paraphrases),
        wrongly_followed=_ratio(wrong, unrelated),
        wrongly_changed=_ratio(changed, unrelated),
    )
