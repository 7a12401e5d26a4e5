"""Import decisions: what an import will do to each application, shown before it is written.

Both spreadsheet rows and e-mails become `Decision`s first (create, update, unchanged, skip or
error, each with its reason); `ImportResult` gathers them with the counts a summary needs. The
decisions are what `--dry-run` prints and what the writing step carries out, so what a user saw
is what lands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from debrief.journal import Journal
from debrief.model import Status

Action = Literal["create", "update", "unchanged", "review", "skip", "error"]
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Decision:
    """What an import does with one row or message, and why."""

    origin: str  # "tracker.csv row 5", "inbox.mbox message 12"
    action: Action
    reason: str
    company: str | None = None
    role: str | None = None
    application_id: int | None = None
    status: str | None = None  # the status it sets (create, update)
    from_status: str | None = None
    on: date | None = None  # the day of the status change
    event: str | None = None  # e-mail: what happened
    confidence: float | None = None  # e-mail: how sure the reading is
    field: str | None = None  # error: the field at fault


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The decisions of an import, and whether they were written."""

    source: str
    decisions: tuple[Decision, ...]
    written: bool
    mail: bool = False  # messages, not spreadsheet rows

    def count(self, action: Action) -> int:
        """How many decisions took this action."""
        return sum(1 for d in self.decisions if d.action == action)

    @property
    def errors(self) -> tuple[Decision, ...]:
        """The rows or messages that could not be imported."""
        return tuple(d for d in self.decisions if d.action == "error")

    @property
    def summary(self) -> str:
        """created, updated, unchanged, skipped and errors in one line."""
        parts = [
            f"{self.count('create')} created",
            f"{self.count('update')} updated",
            f"{self.count('unchanged')} unchanged",
            *([f"{self.count('review')} to review"] if self.count("review") else []),
            f"{self.count('skip')} skipped",
            f"{self.count('error')} with errors",
        ]
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Known:
    """An application already in the journal, as matching needs it."""

    id: int
    company: str
    role: str
    applied_on: date
    status: Status
    reached: Status
    last_change: date
    applied_on_known: bool = True  # False: applied_on is an estimate (the first mail about it)


def known_applications(journal: Journal) -> list[Known]:
    """Every application with its current status, furthest stage and last change day."""
    return [
        Known(
            id=app.id,
            company=app.company,
            role=app.role,
            applied_on=app.applied_on,
            status=Status(app.status),
            reached=app.reached,
            last_change=app.last_change,
            applied_on_known=app.applied_on_known,
        )
        for app in sorted(journal.application_facts(), key=lambda app: app.id)
    ]


def tick(progress: Progress | None, done: int) -> None:
    """Report progress every 100 items (and at the end, by the caller)."""
    if progress is not None and done % 100 == 0:
        progress(done)


def decided(
    decisions: Iterable[Decision], source: str, *, written: bool, mail: bool = False
) -> ImportResult:
    """Gather decisions into a result."""
    return ImportResult(source, tuple(decisions), written, mail)
