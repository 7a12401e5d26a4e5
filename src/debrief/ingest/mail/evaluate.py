"""Scoring the e-mail reader against labelled messages (`debrief import email --eval LABELS`).

LABELS is a JSON Lines file, one object per message: file, job, company, role, event, stage,
feedback. Accuracy is reported per field: job over every message, the others over the job
messages (company and role compared without case, legal suffixes or requisition numbers).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from debrief.errors import InvalidImport
from debrief.ingest.mail.classify import Reading, read_letter, same_company, same_role
from debrief.ingest.mail.read import read_file

FIELDS = ("job", "event", "company", "role", "stage", "feedback")


@dataclass(frozen=True, slots=True)
class FieldScore:
    """Accuracy on one field."""

    field: str
    correct: int
    total: int

    @property
    def accuracy(self) -> float:
        """Share correct (1.0 with nothing to score)."""
        return self.correct / self.total if self.total else 1.0


@dataclass(frozen=True, slots=True)
class Miss:
    """A message whose reading differs from its label on one field."""

    file: str
    field: str
    expected: Any
    found: Any


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Accuracy per field, and every miss."""

    labels: str
    messages: int
    scores: tuple[FieldScore, ...]
    misses: tuple[Miss, ...]


def load_labels(path: Path) -> list[dict[str, Any]]:
    """The labels, one per message."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as error:
        raise InvalidImport(str(path), None, None, error.strerror or str(error)) from None
    labels = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            label = json.loads(line)
        except json.JSONDecodeError as error:
            raise InvalidImport(
                str(path), f"line {number}", None, f"is not JSON ({error})"
            ) from None
        if not isinstance(label, dict) or "file" not in label or "job" not in label:
            raise InvalidImport(str(path), f"line {number}", None, "needs at least file and job")
        labels.append(label)
    return labels


def evaluate(
    labels_path: Path,
    *,
    carries_feedback: Callable[[Reading], bool] | None = None,
) -> Evaluation:
    """Read every labelled message (files beside the labels) and compare field by field."""
    labels = load_labels(labels_path)
    folder = labels_path.parent
    counts = {name: [0, 0] for name in FIELDS}
    misses: list[Miss] = []
    for label in labels:
        reading = read_letter(read_file(folder / label["file"], label["file"]))
        found: dict[str, Any] = {
            "job": reading.job,
            "event": reading.event,
            "company": reading.company,
            "role": reading.role,
            "stage": reading.stage,
            "feedback": carries_feedback(reading) if carries_feedback and reading.job else False,
        }
        for name in FIELDS:
            if name != "job" and not label["job"]:
                continue
            if name == "feedback" and carries_feedback is None:
                continue
            if name == "stage" and label.get("event") == "other":
                continue  # the stage of an "other" message is a matter of opinion
            expected = label.get(name)
            same = (
                same_company(expected, found[name])
                if name == "company"
                else same_role(expected, found[name])
                if name == "role"
                else expected == found[name]
            )
            counts[name][1] += 1
            counts[name][0] += int(same)
            if not same:
                misses.append(Miss(label["file"], name, expected, found[name]))
    scores = tuple(FieldScore(name, c, t) for name, (c, t) in counts.items() if t)
    return Evaluation(str(labels_path), len(labels), scores, tuple(misses))
