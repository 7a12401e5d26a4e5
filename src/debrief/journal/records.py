"""ORM rows turned into the frozen records of `debrief.model`, and the query pieces the record
modules share. Rows never leave the journal: every operation hands out records."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any, Protocol, TypeVar

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from debrief.errors import NotFound
from debrief.journal.fields import DateLike
from debrief.model import (
    MAX_ID,
    Application,
    Feedback,
    FeedbackSource,
    Interview,
    InterviewDetail,
    InterviewKind,
    Label,
    Outcome,
    Source,
    Statement,
    Status,
    StatusChange,
    WorkMode,
    folded,
    is_uncertain,
    parse_date,
)
from debrief.storage.schema import (
    ApplicationRow,
    FeedbackRow,
    InterviewRow,
    StatementRow,
    StatementSkillRow,
    StatusChangeRow,
)

_Row = TypeVar("_Row")


class _WithCompany(Protocol):
    @property
    def company(self) -> str | None: ...


_C = TypeVar("_C", bound=_WithCompany)


def of_company(records: Iterable[_C], part: str) -> list[_C]:
    """The records whose company contains `part`, whatever the case and accents ("MÜLLER"
    finds "Müller", "zoe" finds "Zoë"): compared folded, which SQL's lower() does not do
    beyond ASCII."""
    wanted = folded(part)
    return [r for r in records if r.company is not None and wanted in folded(r.company)]


def fetch(
    session: Session, row_type: type[_Row], kind: str, record_id: int, *, lock: bool = False
) -> _Row:
    """The row with this id, or NotFound naming the kind of record; `lock` holds it (FOR
    UPDATE) until the transaction ends, for a change that depends on its current state."""
    if not 1 <= record_id <= MAX_ID:  # no such row, and PostgreSQL would refuse the number
        raise NotFound(kind, record_id)
    row = session.get(row_type, record_id, with_for_update=lock)
    if row is None:
        raise NotFound(kind, record_id)
    return row


def interview_query() -> Any:
    """Interviews with their application and rubric loaded."""
    return select(InterviewRow).options(
        joinedload(InterviewRow.application), selectinload(InterviewRow.rubric)
    )


def date_range(query: Any, column: Any, since: DateLike | None, until: DateLike | None) -> Any:
    """`query` kept to `column` between two days, both included."""
    if since is not None:
        query = query.where(column >= parse_date(since, "since"))
    if until is not None:
        query = query.where(column <= parse_date(until, "until"))
    return query


@cache
def feedback_owner() -> tuple[Any, Any, Any, Any]:
    """The two ways feedback reaches an application (through its interview, or directly), and
    the owner's id and company: (interview's application, direct application, id, company).

    Built on first use: aliasing a mapped class configures every mapper, which a command that
    never reads feedback should not pay for.
    """
    interview_app = aliased(ApplicationRow)
    direct_app = aliased(ApplicationRow)
    owner_id = func.coalesce(FeedbackRow.application_id, InterviewRow.application_id)
    owner_company = func.coalesce(direct_app.company, interview_app.company)
    return interview_app, direct_app, owner_id, owner_company


def to_application(row: ApplicationRow | Row[Any]) -> Application:
    """An application record (from a mapped row, or a plain one of the applications table)."""
    return Application(
        id=row.id,
        company=row.company,
        role=row.role,
        level=row.level,
        location=row.location,
        work_mode=WorkMode(row.work_mode) if row.work_mode else None,
        source=Source(row.source) if row.source else None,
        link=row.link,
        applied_on=row.applied_on,
        status=Status(row.status),
        notes=row.notes,
        created_at=row.created_at,
        updated_at=row.updated_at,
        applied_on_known=row.applied_on_known,
        feedback_asked_on=row.feedback_asked_on,
    )


def to_status_change(row: StatusChangeRow) -> StatusChange:
    """A status change record."""
    return StatusChange(
        id=row.id,
        application_id=row.application_id,
        from_status=Status(row.from_status) if row.from_status else None,
        to_status=Status(row.to_status),
        changed_at=row.changed_at,
        note=row.note,
        forced=row.forced,
        interview_id=row.interview_id,
    )


def to_interview(row: InterviewRow) -> Interview:
    """An interview record (its application must be loaded)."""
    application = row.application
    return Interview(
        id=row.id,
        application_id=row.application_id,
        company=application.company if application else None,
        role=application.role if application else None,
        mock=row.application_id is None,
        kind=InterviewKind(row.kind),
        held_on=row.held_on,
        interviewer=row.interviewer,
        outcome=Outcome(row.outcome),
        self_rating=row.self_rating,
        self_rated_at=row.self_rated_at,
        rubric={score.skill: score.score for score in sorted(row.rubric, key=lambda s: s.skill)},
        notes=row.notes,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def to_interview_detail(row: InterviewRow) -> InterviewDetail:
    """An interview with its feedback."""
    application = row.application
    company = application.company if application else None
    return InterviewDetail(
        interview=to_interview(row),
        feedback=tuple(to_feedback(item, row.application_id, company) for item in row.feedback),
    )


def to_feedback(row: FeedbackRow, application_id: int | None, company: str | None) -> Feedback:
    """A feedback record, with the application it is about (directly or through its interview)."""
    return Feedback(
        id=row.id,
        interview_id=row.interview_id,
        application_id=application_id,
        company=company,
        source=FeedbackSource(row.source),
        received_on=row.received_on,
        text=row.text,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def to_statement(row: StatementRow) -> Statement:
    """A triaged statement record (its skills must be loaded)."""
    return Statement(
        id=row.id,
        feedback_id=row.feedback_id,
        position=row.position,
        text=row.text,
        label=Label(row.label),
        skills=tuple(skill.skill for skill in row.skills),
        confidence=row.confidence,
        explanation=row.explanation,
        origin=row.origin,
        model_version=row.model_version,
        model_label=Label(row.model_label) if row.model_label else None,
        labelled_at=row.labelled_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        uncertain=is_uncertain(row.origin, row.confidence),
    )


def set_skills(row: StatementRow, skills: Iterable[str]) -> None:
    """Change a statement's skill areas in place (replacing the rows would insert a duplicate
    before the old one is deleted)."""
    wanted = list(dict.fromkeys(skills))
    for existing in [s for s in row.skills if s.skill not in wanted]:
        row.skills.remove(existing)
    present = {s.skill for s in row.skills}
    row.skills.extend(StatementSkillRow(skill=skill) for skill in wanted if skill not in present)
