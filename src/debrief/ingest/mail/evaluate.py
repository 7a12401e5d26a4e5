"""Scoring the e-mail reader against labelled messages (`debrief import email --eval LABELS`).

LABELS is a JSON Lines file, one object per message: file, job, company, role, event, stage,
feedback. Accuracy is reported per field: job over every message, the others over the job
messages (company and role compared without case, legal suffixes or requisition numbers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from debrief.errors import InvalidImport
from debrief.ingest.mail.classify import (
    Reading,
    read_letter,
    role_key,
    same_company,
    same_company_loosely,
    same_role,
)
from debrief.ingest.mail.policy import Thresholds, doubts, status_of
from debrief.ingest.mail.read import read_file
from debrief.parsing import load_json, text_of

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
        data = path.read_bytes()
    except OSError as error:
        raise InvalidImport(str(path), None, None, error.strerror or str(error)) from None
    labels = []
    for number, line in enumerate(text_of(data, str(path)).splitlines(), start=1):
        if not line.strip():
            continue
        label = load_json(line, str(path), line=number)
        if not isinstance(label, dict) or "file" not in label or "job" not in label:
            raise InvalidImport(str(path), f"line {number}", None, "needs at least file and job")
        if not isinstance(label["file"], str):
            raise InvalidImport(str(path), f"line {number}", "file", "should be a file name")
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


@dataclass(frozen=True, slots=True)
class Outcomes:
    """What an import of the labelled messages would write, queue and get wrong.

    A reading is *written* when it is job mail and no confidence is below its threshold,
    *queued* when it is job mail with a doubt. Among written readings a fact is wrong when a
    person would call it so: job mail that is not, another company (not merely a shorter or
    longer name of the same one), a status the message does not imply, or a role that is
    not the message's (a title cut short at its end still counts as the message's)."""

    labels: str
    messages: int
    written: int
    queued: int
    wrong: tuple[Miss, ...]
    company_right: int
    stage_right: int
    rejections: int
    rejections_recorded: int

    @property
    def read_as_job(self) -> int:
        """Messages read as job mail (written or queued)."""
        return self.written + self.queued

    @property
    def queued_share(self) -> float:
        """Share of job mail sent to review."""
        return self.queued / self.read_as_job if self.read_as_job else 0.0


def outcomes(labels_path: Path, limits: Thresholds | None = None) -> Outcomes:
    """Read every labelled message and sort its reading into written or queued, and right or
    wrong."""
    labels = load_labels(labels_path)
    written = queued = company_right = stage_right = rejections = recorded = 0
    wrong: list[Miss] = []
    for label in labels:
        reading = read_letter(read_file(labels_path.parent / label["file"], label["file"]))
        rejected = label["job"] and label.get("event") == "rejection"
        rejections += bool(rejected)
        if not reading.job:
            continue
        if doubts(reading, limits):
            queued += 1
            recorded += bool(rejected)
            continue
        written += 1
        recorded += bool(rejected and reading.event == "rejection")
        misses = _wrong_facts(label, reading)
        wrong.extend(misses)
        fields = {miss.field for miss in misses}
        company_right += bool(label["job"]) and "company" not in fields and "job" not in fields
        stage_right += bool(label["job"]) and "status" not in fields and "job" not in fields
    return Outcomes(
        str(labels_path),
        len(labels),
        written,
        queued,
        tuple(wrong),
        company_right,
        stage_right,
        rejections,
        recorded,
    )


def _wrong_facts(label: dict[str, Any], reading: Reading) -> list[Miss]:
    file = label["file"]
    if not label["job"]:
        return [Miss(file, "job", False, True)]
    misses = []
    if not label.get("company") or not reading.company:
        if label.get("company") != reading.company:
            misses.append(Miss(file, "company", label.get("company"), reading.company))
    elif not same_company_loosely(label["company"], reading.company):
        misses.append(Miss(file, "company", label["company"], reading.company))
    expected = status_of(label.get("event"), label.get("stage"))
    found = status_of(reading.event, reading.stage)
    if found is not None and found != expected:
        misses.append(Miss(file, "status", _text(expected), _text(found)))
    if reading.role and not _role_fits(label.get("role"), reading.role):
        misses.append(Miss(file, "role", label.get("role"), reading.role))
    return misses


def _text(status: Any) -> str | None:
    return None if status is None else str(status)


def _role_fits(expected: str | None, found: str) -> bool:
    """Whether a role read is the message's: the same title, or the title cut short at its
    end ("Data Scientist" for "Data Scientist - Churn & Retention")."""
    if not expected:
        return False
    if same_role(expected, found):
        return True
    whole, part = role_key(expected).split(), role_key(found).split()
    return len(part) >= 2 and whole[: len(part)] == part
