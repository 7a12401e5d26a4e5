"""Practice a coach assigned: a task, or a mock interview on a skill area, due on a day.

The assignment lives in the student's own journal (it is their practice); the coach who set it
is kept by name, as the journal knows no accounts. The student marks it done; a mock assignment
keeps the mock interview recorded for it, and the coach's scores on that mock.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update

from debrief.errors import InvalidInput
from debrief.journal.fields import DateLike
from debrief.journal.records import fetch
from debrief.journal.unit import UnitOfWork
from debrief.model import (
    Assignment,
    AssignmentKind,
    Deleted,
    clean_text,
    local_today,
    parse_date,
    utcnow,
)
from debrief.storage.schema import AssignmentRow, InterviewRow
from debrief.taxonomy import skill_named, subskill_areas, subskill_named

MAX_ASSIGNMENT = 2_000  # what to do, in the coach's words
MAX_ASSIGNER = 120  # a person's name on a coach server


def to_assignment(row: AssignmentRow) -> Assignment:
    return Assignment(
        id=row.id,
        kind=AssignmentKind(row.kind),
        skill=row.skill,
        subskill=row.subskill,
        text=row.text,
        due_on=row.due_on,
        assigned_by=row.assigned_by,
        assigned_at=row.assigned_at,
        done_on=row.done_on,
        interview_id=row.interview_id,
        feedback_id=row.feedback_id,
    )


def add_assignment(
    journal: UnitOfWork,
    kind: AssignmentKind | str,
    skill: str,
    text: str,
    due_on: DateLike,
    *,
    assigned_by: str,
    subskill: str | None = None,
    assigned_at: datetime | None = None,
) -> Assignment:
    """Keep an assignment: `kind` task or mock, on skill area `skill` (and a sub-skill of it),
    due on `due_on` (today or later)."""
    chosen = AssignmentKind.parse(kind, "kind")
    area = skill_named(skill, "skill")
    sub = None
    if subskill is not None and subskill.strip():
        sub = subskill_named(subskill, "subskill")
        if subskill_areas()[sub] != area:
            raise InvalidInput("subskill", f"'{sub}' is not a sub-skill of {area}")
    body = clean_text(text, "text", MAX_ASSIGNMENT, required=True) or ""
    due = parse_date(due_on, "due_on")
    if due < local_today():
        raise InvalidInput("due_on", f"{due} is in the past")
    by = clean_text(assigned_by, "assigned_by", MAX_ASSIGNER, required=True) or ""
    with journal.transaction() as session:
        row = AssignmentRow(
            kind=chosen.value,
            skill=area,
            subskill=sub,
            text=body,
            due_on=due,
            assigned_by=by,
            assigned_at=assigned_at or utcnow(),
        )
        session.add(row)
        session.flush()
        return to_assignment(row)


def get_assignment(journal: UnitOfWork, assignment_id: int) -> Assignment:
    with journal.reading() as session:
        return to_assignment(fetch(session, AssignmentRow, "assignment", assignment_id))


def list_assignments(journal: UnitOfWork, *, open_only: bool = False) -> list[Assignment]:
    """Assignments by due day (the soonest first): all, or those not done yet."""
    query = select(AssignmentRow).order_by(AssignmentRow.due_on, AssignmentRow.id)
    if open_only:
        query = query.where(AssignmentRow.done_on.is_(None))
    with journal.reading() as session:
        return [to_assignment(row) for row in session.scalars(query)]


def mark_assignment(
    journal: UnitOfWork,
    assignment_id: int,
    *,
    done: bool = True,
    on: DateLike | None = None,
    interview_id: int | None = None,
) -> Assignment:
    """Mark an assignment done (on `on`, default today), or not done; with `interview_id`, the
    mock interview recorded for it is tied to it too (see `attach_assignment_mock`), in the
    same transaction."""
    day = parse_date(on or local_today(), "on", past=True) if done else None
    with journal.atomic():
        with journal.transaction() as session:
            row = fetch(session, AssignmentRow, "assignment", assignment_id)
            row.done_on = day
            session.flush()
            marked = to_assignment(row)
        if interview_id is None:
            return marked
        return attach_assignment_mock(journal, assignment_id, interview_id)


def attach_assignment_mock(
    journal: UnitOfWork,
    assignment_id: int,
    interview_id: int,
    *,
    feedback_id: int | None = None,
    done_on: date | None = None,
) -> Assignment:
    """Tie the mock interview recorded for a mock assignment to it; with `feedback_id`, the
    coach's scores and notes on that mock, which an assignment takes once (of two coaches
    scoring it at once, one wins and the other's transaction is refused); with `done_on`, the
    assignment is done that day unless it already was."""
    with journal.transaction() as session:
        row = fetch(session, AssignmentRow, "assignment", assignment_id)
        if row.kind != AssignmentKind.MOCK.value:
            raise InvalidInput("assignment", f"assignment #{row.id} is a task, not a mock")
        interview = fetch(session, InterviewRow, "interview", interview_id)
        if interview.application_id is not None:
            raise InvalidInput(
                "interview", f"interview #{interview.id} is a real round, not a mock"
            )
        values: dict[str, object] = {"interview_id": interview.id}
        if done_on is not None and row.done_on is None:
            values["done_on"] = done_on
        change = update(AssignmentRow).where(AssignmentRow.id == row.id)
        if feedback_id is not None:
            values["feedback_id"] = feedback_id
            change = change.where(AssignmentRow.feedback_id.is_(None))
        moved = session.execute(change.values(**values))
        if not moved.rowcount:  # type: ignore[attr-defined]
            raise InvalidInput("assignment", f"assignment #{row.id} was already scored")
        session.refresh(row)
        return to_assignment(row)


def delete_assignment(journal: UnitOfWork, assignment_id: int) -> Deleted:
    """Withdraw an assignment; a mock recorded for it stays."""
    with journal.transaction() as session:
        row = fetch(session, AssignmentRow, "assignment", assignment_id)
        session.delete(row)
        return Deleted("assignment", assignment_id)
