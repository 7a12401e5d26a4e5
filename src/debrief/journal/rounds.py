"""What a round's record settles by itself. A mock round's outcome follows its rubric scores by
the panel's rule. A real round moves its application: to the stage its kind implies
(`data/rounds.toml`), and closed when its outcome ends the search there (rejected, withdrew,
ghosted).

Each change keeps the round that made it. Changing or deleting the round first takes back the
changes it made, when nothing came after them, and works them out again; a change made any other
way after them wins and the round leaves the status alone. The same rule as an import decides
whether a move is news (`status_step`): never backwards, never reopening a closed application.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from debrief.journal.fields import local_day, moment
from debrief.journal.records import to_status_change
from debrief.model import (
    PIPELINE,
    InterviewKind,
    Outcome,
    RoundMoves,
    Status,
    furthest_stage,
    local_today,
    status_step,
    utcnow,
)
from debrief.storage.schema import ApplicationRow, InterviewRow, StatusChangeRow
from debrief.taxonomy import round_stage

# The outcomes of a round that end its application, and the status each closes it with.
CLOSES: dict[Outcome, Status] = {
    Outcome.REJECTED: Status.REJECTED,
    Outcome.WITHDREW: Status.WITHDRAWN,
    Outcome.GHOSTED: Status.GHOSTED,
}


# The panel's rule for a mock round scored on a rubric (1 strong no, 2 no, 3 meets the bar,
# 4 yes, 5 strong yes): passed when the scores average at least "meets the bar" and none is a
# strong no; rejected otherwise.
PASS_AVERAGE = 3.0
STRONG_NO = 1


def rubric_outcome(scores: Mapping[str, int]) -> Outcome | None:
    """A mock round's outcome by the panel's rule (None: no scores to judge by)."""
    if not scores:
        return None
    average = sum(scores.values()) / len(scores)
    passed = average >= PASS_AVERAGE and min(scores.values()) > STRONG_NO
    return Outcome.PASSED if passed else Outcome.REJECTED


def stage_of(kind: InterviewKind | str) -> Status:
    """The pipeline stage an application has reached when a round of this kind happens."""
    return Status(round_stage()[InterviewKind(kind).value])


def own_tail(application: ApplicationRow, interview_id: int) -> list[StatusChangeRow]:
    """The changes at the end of the history that this round made (none when anything else
    came after them)."""
    tail: list[StatusChangeRow] = []
    for change in reversed(application.history):
        if change.interview_id != interview_id or change.from_status is None:
            break
        tail.append(change)
    return tail[::-1]


def take_back(application: ApplicationRow, changes: list[StatusChangeRow]) -> None:
    """Remove changes from the end of the history and put the status back as it was before."""
    if not changes:
        return
    application.status = str(changes[0].from_status)
    for change in changes:
        application.history.remove(change)  # the relationship's delete-orphan deletes the row
    application.updated_at = utcnow()


def _when(day: date) -> datetime:
    """A round's day as a moment: an upcoming round counts from now."""
    return moment(min(day, local_today()), "held_on")


def follow(
    row: InterviewRow,
    *,
    decided: datetime | None = None,
    taken_back: tuple[StatusChangeRow, ...] = (),
) -> list[StatusChangeRow]:
    """Move the round's application as the round implies; returns the changes made.

    `decided`: when the outcome was known (default: a close taken back keeps its time, else
    the round's day). `taken_back`: what this round had made before, just taken back."""
    application = row.application
    if application is None:
        return []
    history = application.history
    if any(change.interview_id == row.id for change in history):
        return []  # it made changes that something later overrode: that later change wins
    later_round = any(
        (other.held_on, other.id) > (row.held_on, row.id)
        for other in application.interviews
        if other.id != row.id
    )
    stage = stage_of(row.kind)
    current = Status(application.status)
    reached = furthest_stage(change.to_status for change in history)
    if current == Status.GHOSTED and history and row.held_on < local_day(history[-1].changed_at):
        return []  # a round from before the silence does not bring the application back
    made: list[StatusChangeRow] = []

    def move(to: Status, at: datetime) -> None:
        nonlocal current, reached
        if history:
            at = max(at, history[-1].changed_at)
        change = StatusChangeRow(
            from_status=current.value, to_status=to.value, changed_at=at, interview_id=row.id
        )
        history.append(change)
        made.append(change)
        application.status = to.value
        current = to
        reached = furthest_stage([reached, to])

    if status_step(current, stage, reached)[0] == "update":
        move(stage, _when(row.held_on))
    closing = CLOSES.get(Outcome(row.outcome))
    # Only the application's last round closes it, and not when the application went on to a
    # later stage after the round (that round did not end it). A behavioural round of an onsite
    # loop held once the application was onsite does end it.
    beyond = any(
        Status(change.to_status) in PIPELINE
        and PIPELINE.index(Status(change.to_status)) > PIPELINE.index(stage)
        and local_day(change.changed_at) > row.held_on
        for change in history
    )
    if (
        closing is not None
        and not later_round
        and not beyond
        and status_step(current, closing, reached)[0] == "update"
    ):
        earlier = next((c.changed_at for c in taken_back if c.to_status == closing), None)
        move(closing, decided or earlier or _when(row.held_on))
    if made:
        application.updated_at = utcnow()
    return made


def moves_of(
    application: ApplicationRow,
    made: list[StatusChangeRow],
    taken_back: list[StatusChangeRow],
) -> RoundMoves:
    """What a round did to its application, as a record: a change taken back and made again
    as it was (an edit works a round's changes out afresh) is neither."""

    def same(change: StatusChangeRow) -> tuple[object, ...]:
        return (change.from_status, change.to_status, change.changed_at)

    again = {same(change) for change in made} & {same(change) for change in taken_back}
    return RoundMoves(
        application_id=application.id,
        company=application.company,
        made=tuple(to_status_change(c) for c in made if same(c) not in again),
        taken_back=tuple(to_status_change(c) for c in taken_back if same(c) not in again),
        status=Status(application.status),
    )
