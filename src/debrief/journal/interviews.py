"""Interviews: real rounds of an application and mock ones (no application), with rubric scores
and a self-rating given before seeing feedback."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import selectinload

from debrief.errors import InvalidInput, NotFound
from debrief.journal.fields import UNSET, DateLike, _Unset, interview_values
from debrief.journal.records import (
    date_range,
    fetch,
    interview_query,
    to_interview,
    to_interview_detail,
)
from debrief.journal.unit import UnitOfWork
from debrief.model import (
    Deleted,
    FeedbackSource,
    Interview,
    InterviewDetail,
    InterviewKind,
    Outcome,
    local_today,
    parse_rubric,
    utcnow,
)
from debrief.storage.schema import ApplicationRow, InterviewRow, RubricScoreRow
from debrief.taxonomy import skill_ids

Rubric = dict[str, int | str | None] | str | list[str]


def add_interview(
    journal: UnitOfWork,
    kind: InterviewKind | str,
    *,
    application_id: int | None = None,
    held_on: DateLike | None = None,
    interviewer: str | None = None,
    outcome: Outcome | str = Outcome.PENDING,
    self_rating: int | str | None = None,
    rubric: Rubric | None = None,
    notes: str | None = None,
) -> Interview:
    """Record a round: real when it belongs to an application, mock (practice) when not.

    For a mock interview, `interviewer` is the practice partner.
    """
    values = interview_values(
        dict(
            kind=kind,
            held_on=held_on or local_today(),
            interviewer=interviewer,
            outcome=outcome,
            self_rating=self_rating,
            notes=notes,
        )
    )
    scores = parse_rubric(rubric or {}, skill_ids())
    with journal.transaction() as session:
        if application_id is not None:
            fetch(session, ApplicationRow, "application", application_id)
        row = InterviewRow(application_id=application_id, **values)
        if row.self_rating is not None:
            row.self_rated_at = utcnow()
        row.rubric = [
            RubricScoreRow(skill=skill, score=score)
            for skill, score in scores.items()
            if score is not None
        ]
        session.add(row)
        session.flush()
        return to_interview(row)


def edit_interview(
    journal: UnitOfWork,
    interview_id: int,
    *,
    kind: InterviewKind | str | _Unset = UNSET,
    application_id: int | _Unset | None = UNSET,
    held_on: DateLike | _Unset = UNSET,
    interviewer: str | _Unset | None = UNSET,
    outcome: Outcome | str | _Unset = UNSET,
    self_rating: int | str | _Unset | None = UNSET,
    rubric: Rubric | _Unset = UNSET,
    notes: str | _Unset | None = UNSET,
    force: bool = False,
) -> Interview:
    """Change the given fields. `rubric` scores are merged (a None score removes one);
    `application_id=None` turns the round into a mock interview.

    A self-rating is meant to be given before seeing feedback; once the interview has
    feedback from someone else, setting one needs `force`.
    """
    values = interview_values(
        dict(
            kind=kind,
            held_on=held_on,
            interviewer=interviewer,
            outcome=outcome,
            self_rating=self_rating,
            notes=notes,
        )
    )
    scores = {} if isinstance(rubric, _Unset) else parse_rubric(rubric, skill_ids())
    with journal.transaction() as session:
        row = fetch(session, InterviewRow, "interview", interview_id)
        if not isinstance(application_id, _Unset):
            if application_id is not None:
                fetch(session, ApplicationRow, "application", application_id)
            row.application_id = application_id
        if "self_rating" in values and values["self_rating"] != row.self_rating:
            others = [f for f in row.feedback if f.source != FeedbackSource.SELF.value]
            if others and values["self_rating"] is not None and not force:
                raise InvalidInput(
                    "self_rating",
                    f"interview #{interview_id} already has feedback; a self-rating given "
                    "after seeing it is not a blind one (use --force to record it anyway)",
                )
            row.self_rated_at = utcnow() if values["self_rating"] is not None else None
        for name, value in values.items():
            setattr(row, name, value)
        existing = {score.skill: score for score in row.rubric}
        for skill, score in scores.items():
            if score is None:
                if skill in existing:
                    row.rubric.remove(existing[skill])
            elif skill in existing:
                existing[skill].score = score
            else:
                row.rubric.append(RubricScoreRow(skill=skill, score=score))
        row.updated_at = utcnow()
        session.flush()
        return to_interview(row)


def get_interview(journal: UnitOfWork, interview_id: int) -> InterviewDetail:
    """An interview with its rubric scores and feedback."""
    with journal.reading() as session:
        row = session.scalar(
            interview_query()
            .where(InterviewRow.id == interview_id)
            .options(selectinload(InterviewRow.feedback))
        )
        if row is None:
            raise NotFound("interview", interview_id)
        return to_interview_detail(row)


def list_interviews(
    journal: UnitOfWork,
    *,
    application_id: int | None = None,
    kind: Iterable[InterviewKind | str] | None = None,
    mock: bool | None = None,
    outcome: Iterable[Outcome | str] | None = None,
    company: str | None = None,
    since: DateLike | None = None,
    until: DateLike | None = None,
) -> list[Interview]:
    """Interviews in date order, filtered by application, kind, real/mock (`mock=False` for
    real only), outcome, company and date."""
    query = interview_query().order_by(InterviewRow.held_on, InterviewRow.id)
    if application_id is not None:
        query = query.where(InterviewRow.application_id == application_id)
    if kind:
        kinds = [InterviewKind.parse(k, "kind").value for k in kind]
        query = query.where(InterviewRow.kind.in_(kinds))
    if outcome:
        outcomes = [Outcome.parse(o, "outcome").value for o in outcome]
        query = query.where(InterviewRow.outcome.in_(outcomes))
    if mock is True:
        query = query.where(InterviewRow.application_id.is_(None))
    elif mock is False:
        query = query.where(InterviewRow.application_id.is_not(None))
    if company:
        query = query.join(InterviewRow.application).where(
            ApplicationRow.company.icontains(company, autoescape=True)
        )
    query = date_range(query, InterviewRow.held_on, since, until)
    with journal.reading() as session:
        return [to_interview(row) for row in session.scalars(query).unique()]


def delete_interview(journal: UnitOfWork, interview_id: int) -> Deleted:
    """Delete an interview with its rubric scores and feedback."""
    with journal.transaction() as session:
        row = fetch(session, InterviewRow, "interview", interview_id)
        feedback = len(row.feedback)
        session.delete(row)
        return Deleted("interview", interview_id, feedback=feedback)
