"""The plan's rows: items read whole, turned into frozen records, and the small changes every
write makes (a proposal kept, an event, a reopening kept as the reader saw it)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from debrief.errors import DebriefError
from debrief.model import utcnow
from debrief.plan.derive import Proposed, Reopening
from debrief.plan.records import ActionEvent, ActionItem, ActionTask, PracticeEntry
from debrief.storage.schema import (
    ActionEventRow,
    ActionEvidenceRow,
    ActionItemRow,
    ActionTaskRow,
    PracticeEntryRow,
)


def all_items(session: Session) -> list[ActionItemRow]:
    query = (
        select(ActionItemRow)
        .options(
            selectinload(ActionItemRow.tasks),
            selectinload(ActionItemRow.practice),
            selectinload(ActionItemRow.events),
            selectinload(ActionItemRow.evidence),
        )
        .order_by(ActionItemRow.id)
    )
    return list(session.scalars(query))


def keep_proposal(session: Session, proposed: Proposed) -> ActionItemRow:
    """Keep a proposal the user acts on, under the number they saw."""
    if session.get(ActionItemRow, proposed.number) is not None:
        raise DebriefError("the plan changed meanwhile; see `debrief plan` and try again")
    proposal = proposed.proposal
    row = ActionItemRow(
        id=proposed.number,
        skill=proposal.skill,
        title=proposal.title,
        goal=proposal.goal,
        status="proposed",
        rank=proposal.rank,
        target_on=proposal.target_on,
        proposed_on=proposed.proposed_on,
        reopened=0,
    )
    row.tasks.extend(
        ActionTaskRow(position=n, kind=t.kind, text=t.text, subskill=t.subskill)
        for n, t in enumerate(proposal.tasks, start=1)
    )
    row.evidence.extend(ActionEvidenceRow(statement_id=s) for s in dict.fromkeys(proposal.evidence))
    [shown] = proposed.item().events  # kept as the user saw it (never after what follows it)
    row.events.append(
        ActionEventRow(
            at=min(shown.at, utcnow()), from_status=None, to_status="proposed", reason=shown.reason
        )
    )
    session.add(row)
    session.flush()
    return row


def keep_reopening(row: ActionItemRow, back: Reopening) -> None:
    """Keep the reopening of a resolved item as the reader derived it (`derive.reopened`)."""
    row.status, row.resolved_on = "accepted", None
    row.tracking_from = back.back.held_on
    row.reopened += 1
    row.events.append(
        ActionEventRow(at=back.at, from_status="resolved", to_status="accepted", reason=back.reason)
    )


def add_event(row: ActionItemRow, before: str | None, after: str, reason: str) -> None:
    row.events.append(
        ActionEventRow(at=utcnow(), from_status=before, to_status=after, reason=reason)
    )


def to_item(row: ActionItemRow) -> ActionItem:
    positions = {task.id: task.position for task in row.tasks}
    return ActionItem(
        id=row.id,
        skill=row.skill,
        title=row.title,
        goal=row.goal,
        status=row.status,
        rank=row.rank,
        target_on=row.target_on,
        proposed_on=row.proposed_on,
        accepted_on=row.accepted_on,
        tracking_from=row.tracking_from,
        resolved_on=row.resolved_on,
        reopened=row.reopened,
        tasks=tuple(
            ActionTask(task.id, task.position, task.kind, task.text, task.done_on, task.subskill)
            for task in row.tasks
        ),
        practice=tuple(
            to_entry(entry, positions.get(entry.task_id or -1)) for entry in row.practice
        ),
        events=tuple(
            ActionEvent(event.at, event.from_status, event.to_status, event.reason)
            for event in row.events
        ),
        evidence=tuple(sorted((e.statement_id for e in row.evidence), reverse=True)),
    )


def to_entry(row: PracticeEntryRow, task_number: int | None = None) -> PracticeEntry:
    if task_number is None and row.task_id is not None and row.item is not None:
        task_number = next((t.position for t in row.item.tasks if t.id == row.task_id), None)
    return PracticeEntry(
        row.id,
        row.item_id,
        task_number,
        row.done_on,
        row.text,
        row.minutes,
        question=row.question,
        rating=row.rating,
    )
