"""The action plan's frozen records, as the core hands them out (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from debrief.plan.follow import FollowThrough
from debrief.themes import Evidence

ITEM_STATUSES = ("proposed", "accepted", "resolved", "dropped")


@dataclass(frozen=True, slots=True)
class ActionTask:
    """A practice task of an item; `number` is how commands refer to it (1, 2, ...)."""

    id: int
    number: int
    kind: str
    text: str
    done_on: date | None
    # The sub-skill it practises (None: the area's own tasks, the mock follow-up, the user's
    # own): the item's statements about that sub-skill are the ones that led to it.
    subskill: str | None = None


@dataclass(frozen=True, slots=True)
class PracticeEntry:
    """A line of the practice log; `item_id` is None for a practice question answered when no
    accepted item was in its area."""

    id: int
    item_id: int | None
    task_number: int | None
    done_on: date
    text: str
    minutes: int | None
    question: str | None = None  # the practice bank's question answered ("sql-07")
    rating: int | None = None  # how it went, 1-5


@dataclass(frozen=True, slots=True)
class ActionEvent:
    """A change of an item's status, and why."""

    at: datetime
    from_status: str | None
    to_status: str
    reason: str


@dataclass(frozen=True, slots=True)
class ActionItem:
    """An item of the action plan."""

    id: int
    skill: str
    title: str
    goal: str
    status: str
    rank: int | None
    target_on: date | None
    proposed_on: date
    accepted_on: date | None
    tracking_from: date | None
    resolved_on: date | None
    reopened: int
    tasks: tuple[ActionTask, ...]
    practice: tuple[PracticeEntry, ...]
    events: tuple[ActionEvent, ...]
    evidence: tuple[int, ...]  # statement ids that motivated it

    @property
    def tasks_done(self) -> int:
        """How many tasks are done."""
        return sum(1 for task in self.tasks if task.done_on is not None)

    @property
    def minutes(self) -> int:
        """Practice minutes logged."""
        return sum(entry.minutes or 0 for entry in self.practice)


@dataclass(frozen=True, slots=True)
class ItemProgress:
    """An item with its follow-through, its evidence and how far its target date is."""

    item: ActionItem
    follow: FollowThrough
    days_to_target: int | None  # negative once the target date has passed
    evidence: tuple[Evidence, ...]
    theme_rank: int | None  # where its theme ranks among weaknesses now (None: not a theme)


@dataclass(frozen=True, slots=True)
class PlanView:
    """What `debrief plan` shows: the items that matter now, and what changed on the way."""

    as_of: date
    items: tuple[ItemProgress, ...]
    reopened: tuple[str, ...]  # one line per item the theme's return reopened
    weakness_themes: int  # recurring weaknesses (two or more interviews) in the journal


# What a sub-skill's tasks say when none of the item's statements is about it any longer (the
# statements were relabelled, or a retrained model places them elsewhere).
NOTHING_ABOUT_IT = "none of its statements in your themes is about this now"


def task_evidence(progress: ItemProgress) -> dict[str, tuple[Evidence, ...]]:
    """The statements that led to an item's tasks, by the sub-skill the tasks practise: the
    item's evidence about that sub-skill as the model places it now, most recent first."""
    found: dict[str, list[Evidence]] = {}
    wanted = {task.subskill for task in progress.item.tasks if task.subskill}
    for evidence in progress.evidence:
        if evidence.subskill in wanted:
            found.setdefault(evidence.subskill, []).append(evidence)
    return {subskill: tuple(items) for subskill, items in found.items()}
