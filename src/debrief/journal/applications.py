"""Applications: add (one, or many for an import), edit, move through statuses, read, delete.

Every status change is kept as history with its time; a backwards move or reopening a closed
application needs `force`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, func, insert, or_, select
from sqlalchemy.orm import Session, selectinload

from debrief.errors import InvalidInput, NotFound
from debrief.journal.fields import (
    UNSET,
    DateLike,
    _Unset,
    application_values,
    local_day,
    moment,
    validate_application,
)
from debrief.journal.records import (
    date_range,
    fetch,
    of_company,
    to_application,
    to_feedback,
    to_interview_detail,
    to_status_change,
)
from debrief.journal.rounds import moves_of, own_tail, take_back
from debrief.journal.unit import UnitOfWork
from debrief.model import (
    MAX_NOTES,
    Application,
    ApplicationDetail,
    Deleted,
    RoundMoves,
    Source,
    Status,
    WorkMode,
    check_transition,
    clean_text,
    furthest_stage,
    local_today,
    utcnow,
)
from debrief.storage.schema import (
    TABLES,
    ApplicationRow,
    FeedbackRow,
    InterviewRow,
    StatusChangeRow,
)


def add_application(
    journal: UnitOfWork,
    company: str,
    role: str,
    *,
    level: str | None = None,
    location: str | None = None,
    work_mode: WorkMode | str | None = None,
    source: Source | str | None = None,
    link: str | None = None,
    applied_on: DateLike | None = None,
    applied_on_known: bool = True,
    notes: str | None = None,
) -> Application:
    """Record a new application; its history starts with 'applied' on the day applied
    (`applied_on_known=False`: a day it was applied by, not the day itself)."""
    values = application_values(
        dict(
            company=company,
            role=role,
            level=level,
            location=location,
            work_mode=work_mode,
            source=source,
            link=link,
            applied_on=applied_on or local_today(),
            notes=notes,
        )
    )
    values["applied_on_known"] = bool(applied_on_known)
    with journal.transaction() as session:
        [row] = _insert(session, [(values, Status.APPLIED, None, None)])
        return to_application(row)


def add_applications(
    journal: UnitOfWork,
    applications: Sequence[tuple[dict[str, Any], Status, date | None, str | None]],
) -> list[int]:
    """Record many applications at once, as an import does: each is (fields, status, day of
    that status, note); the fields may say `applied_on_known=False`. Its history starts with
    'applied' on the day applied, then moves to its status on its day (the day applied when
    none is given). Returns the new ids."""
    checked = []
    for given, status, status_on, note in applications:
        fields = dict(given)
        known = bool(fields.pop("applied_on_known", True))
        values = {**validate_application(**fields), "applied_on_known": known}
        checked.append((values, status, status_on, note))
    if not checked:
        return []
    with journal.transaction() as session:
        return [row.id for row in _insert(session, checked)]


def _insert(
    session: Session,
    applications: Sequence[tuple[dict[str, Any], Status, date | None, str | None]],
) -> list[Row[Any]]:
    """Insert checked applications with their status history: two statements however many
    there are (an import of thousands stays a few seconds), on the tables themselves (adding
    one needs no ORM set-up). Returns the rows inserted, in order."""
    rows, moves = [], []
    for values, status, status_on, note in applications:
        applied_at = moment(values["applied_on"], "applied_on")
        moved = None
        if status != Status.APPLIED:
            check_transition(Status.APPLIED, status, Status.APPLIED)
            at = max(moment(status_on or values["applied_on"], "at"), applied_at)
            moved = (status.value, at, clean_text(note, "note", MAX_NOTES))
        rows.append({**values, "status": status.value})
        moves.append((applied_at, moved))
    table = TABLES[ApplicationRow.__tablename__]
    inserted = session.execute(
        insert(table).returning(*table.c, sort_by_parameter_order=True), rows
    ).all()
    history = []
    for row, (applied_at, moved) in zip(inserted, moves, strict=True):
        history.append(
            {
                "application_id": row.id,
                "from_status": None,
                "to_status": Status.APPLIED.value,
                "changed_at": applied_at,
            }
        )
        if moved is not None:
            history.append(
                {
                    "application_id": row.id,
                    "from_status": Status.APPLIED.value,
                    "to_status": moved[0],
                    "changed_at": moved[1],
                    "note": moved[2],
                }
            )
    session.execute(insert(TABLES[StatusChangeRow.__tablename__]), history)
    return list(inserted)


def edit_application(
    journal: UnitOfWork,
    application_id: int,
    *,
    company: str | _Unset = UNSET,
    role: str | _Unset = UNSET,
    level: str | _Unset | None = UNSET,
    location: str | _Unset | None = UNSET,
    work_mode: WorkMode | str | _Unset | None = UNSET,
    source: Source | str | _Unset | None = UNSET,
    link: str | _Unset | None = UNSET,
    applied_on: DateLike | _Unset = UNSET,
    notes: str | _Unset | None = UNSET,
    applied_on_known: bool | _Unset = UNSET,
) -> Application:
    """Change the given fields (None clears an optional one); the status has its own method.
    An applied date that was an estimate becomes known when it changes, or when told so
    (`applied_on_known`: the user gave the date); a form that sends the estimate back as it
    was leaves it an estimate."""
    values = application_values(
        dict(
            company=company,
            role=role,
            level=level,
            location=location,
            work_mode=work_mode,
            source=source,
            link=link,
            applied_on=applied_on,
            notes=notes,
        )
    )
    with journal.transaction() as session:
        row = fetch(session, ApplicationRow, "application", application_id)
        if "applied_on" in values and values["applied_on"] != row.applied_on:
            _move_first_entry(row, values["applied_on"])
            values["applied_on_known"] = True
        if not isinstance(applied_on_known, _Unset):
            values["applied_on_known"] = bool(applied_on_known)
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = utcnow()
        session.flush()
        return to_application(row)


def _move_first_entry(row: ApplicationRow, applied_on: date) -> None:
    when = moment(applied_on, "applied_on")
    first, *later = row.history
    if later:
        following = later[0]
        if local_day(when) > local_day(following.changed_at):
            raise InvalidInput(
                "applied_on",
                f"{applied_on} is after the change to '{following.to_status}' on "
                f"{local_day(following.changed_at)}",
            )
        when = min(when, following.changed_at)
    first.changed_at = when


def _after(when: datetime, last: StatusChangeRow, field_name: str) -> datetime:
    """`when`, kept after the last change in the history; a day before it is refused."""
    if local_day(when) < local_day(last.changed_at):
        raise InvalidInput(
            field_name,
            f"{local_day(when)} is before the last status change "
            f"('{last.to_status}' on {local_day(last.changed_at)})",
        )
    return max(when, last.changed_at)


def change_status(
    journal: UnitOfWork,
    application_id: int,
    status: Status | str,
    *,
    at: date | datetime | str | None = None,
    note: str | None = None,
    force: bool = False,
) -> Application:
    """Move an application to `status`, recording the transition with its time.

    Backwards moves and reopening a final status are refused unless `force` is set.
    """
    new = Status.parse(status, "status")
    when = moment(at, "at")
    clean_note = clean_text(note, "note", MAX_NOTES)
    with journal.transaction() as session:
        row = fetch(session, ApplicationRow, "application", application_id)
        current = Status(row.status)
        if not force:
            check_transition(current, new, furthest_stage(c.to_status for c in row.history))
        elif new == current:
            check_transition(current, new, current)
        if row.history:
            when = _after(when, row.history[-1], "at")
        row.history.append(
            StatusChangeRow(
                from_status=current.value,
                to_status=new.value,
                changed_at=when,
                note=clean_note,
                forced=force,
            )
        )
        row.status = new.value
        session.flush()
        return to_application(row)


def undo_status(journal: UnitOfWork, application_id: int) -> RoundMoves:
    """Take back the last status change: all the changes at the end of the history that one
    round made, when a round made it. The status goes back to what it was before."""
    with journal.transaction() as session:
        row = fetch(session, ApplicationRow, "application", application_id)
        last = row.history[-1] if row.history else None
        if last is None or last.from_status is None:
            raise InvalidInput(
                "status", f"application #{application_id} has no status change to take back"
            )
        taken = [last] if last.interview_id is None else own_tail(row, last.interview_id)
        take_back(row, taken)
        session.flush()
        return moves_of(row, [], taken)


def record_feedback_asked(
    journal: UnitOfWork, application_id: int, *, on: DateLike | None = None, asked: bool = True
) -> Application:
    """Record the day feedback on an application was asked for (default today); `asked=False`
    clears it. Feedback that arrives from the company on or after that day answers it."""
    with journal.transaction() as session:
        row = fetch(session, ApplicationRow, "application", application_id)
        day = None
        if asked:
            day = local_day(moment(on, "on"))
            if day < row.applied_on:
                raise InvalidInput("on", f"{day} is before the application ({row.applied_on})")
        row.feedback_asked_on = day
        row.updated_at = utcnow()
        session.flush()
        return to_application(row)


def get_application(journal: UnitOfWork, application_id: int) -> ApplicationDetail:
    """An application with its full history, its interviews (with their feedback) and the
    feedback given on the application itself."""
    with journal.reading() as session:
        row = session.scalar(
            select(ApplicationRow)
            .where(ApplicationRow.id == application_id)
            .options(
                selectinload(ApplicationRow.history),
                selectinload(ApplicationRow.interviews).selectinload(InterviewRow.rubric),
                selectinload(ApplicationRow.interviews).selectinload(InterviewRow.feedback),
                selectinload(ApplicationRow.feedback),
            )
        )
        if row is None:
            raise NotFound("application", application_id)
        return ApplicationDetail(
            application=to_application(row),
            history=tuple(to_status_change(change) for change in row.history),
            interviews=tuple(to_interview_detail(interview) for interview in row.interviews),
            feedback=tuple(to_feedback(item, row.id, row.company) for item in row.feedback),
        )


def list_applications(
    journal: UnitOfWork,
    *,
    status: Iterable[Status | str] | None = None,
    company: str | None = None,
    source: Iterable[Source | str] | None = None,
    since: DateLike | None = None,
    until: DateLike | None = None,
    limit: int | None = None,
) -> list[Application]:
    """Applications, oldest first, filtered by status, company (a part of its name, whatever
    the case and accents), source and the date applied (inclusive range); `limit` keeps the
    most recent ones."""
    query = select(ApplicationRow).order_by(
        ApplicationRow.applied_on.desc(), ApplicationRow.id.desc()
    )
    if status:
        query = query.where(
            ApplicationRow.status.in_([Status.parse(s, "status").value for s in status])
        )
    if source:
        query = query.where(
            ApplicationRow.source.in_([Source.parse(s, "source").value for s in source])
        )
    query = date_range(query, ApplicationRow.applied_on, since, until)
    if limit is not None and not company:
        query = query.limit(limit)
    with journal.reading() as session:
        rows = list(session.scalars(query))
    if company:
        rows = of_company(rows, company)[:limit]
    return [to_application(row) for row in rows][::-1]


def delete_application(journal: UnitOfWork, application_id: int) -> Deleted:
    """Delete an application with its history, interviews and all their feedback."""
    with journal.transaction() as session:
        row = fetch(session, ApplicationRow, "application", application_id)
        interviews = session.scalar(
            select(func.count()).where(InterviewRow.application_id == application_id)
        )
        feedback = session.scalar(
            select(func.count())
            .select_from(FeedbackRow)
            .outerjoin(InterviewRow, FeedbackRow.interview_id == InterviewRow.id)
            .where(
                or_(
                    FeedbackRow.application_id == application_id,
                    InterviewRow.application_id == application_id,
                )
            )
        )
        session.delete(row)
        return Deleted("application", application_id, interviews or 0, feedback or 0)
