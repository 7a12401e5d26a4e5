"""Interviews: real rounds of an application and mock ones (no application), with rubric scores
and a self-rating given before seeing feedback. Recording a real round moves its application
(`rounds`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy.orm import Session, selectinload

from debrief.errors import InvalidInput, NotFound
from debrief.journal.fields import UNSET, DateLike, _Unset, interview_values, local_day, moment
from debrief.journal.invites import revoke_open_invites
from debrief.journal.records import (
    date_range,
    fetch,
    interview_query,
    of_company,
    to_interview,
    to_interview_detail,
)
from debrief.journal.rounds import follow, moves_of, own_tail, rubric_outcome, take_back
from debrief.journal.unit import UnitOfWork
from debrief.model import (
    Deleted,
    FeedbackSource,
    Interview,
    InterviewDetail,
    InterviewKind,
    Outcome,
    RoundMoves,
    local_today,
    parse_rubric,
    utcnow,
)
from debrief.storage.schema import ApplicationRow, InterviewRow, RubricScoreRow, StatusChangeRow
from debrief.taxonomy import skill_ids

Rubric = dict[str, int | str | None] | str | list[str]


def add_interview(
    journal: UnitOfWork,
    kind: InterviewKind | str,
    *,
    application_id: int | None = None,
    held_on: DateLike | None = None,
    interviewer: str | None = None,
    outcome: Outcome | str | None = None,
    self_rating: int | str | None = None,
    rubric: Rubric | None = None,
    notes: str | None = None,
    decided_on: DateLike | None = None,
) -> Interview:
    """Record a round: real when it belongs to an application, mock (practice) when not.

    Without an `outcome`, a round is pending; a mock with rubric scores gets the outcome the
    panel's rule gives them (`rounds.rubric_outcome`).

    A real round moves its application to the stage it implies, and closes it when its outcome
    is rejected, withdrew or ghosted (on `decided_on`, default the round's day); the returned
    interview's `moved` says what changed. For a mock interview, `interviewer` is the practice
    partner.
    """
    scores = parse_rubric(rubric or {}, skill_ids())
    if outcome is None:
        ruled = rubric_outcome(_given(scores)) if application_id is None else None
        outcome = ruled or Outcome.PENDING
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
    with journal.transaction() as session:
        application = (
            None
            if application_id is None
            else fetch(session, ApplicationRow, "application", application_id)
        )
        row = InterviewRow(application=application, **values)
        if row.self_rating is not None:
            row.self_rated_at = utcnow()
        row.rubric = [
            RubricScoreRow(skill=skill, score=score)
            for skill, score in scores.items()
            if score is not None
        ]
        session.add(row)
        session.flush()
        moved: tuple[RoundMoves, ...] = ()
        if application is not None:
            made = follow(row, decided=_decided(decided_on, row.held_on))
            session.flush()
            moved = (moves_of(application, made, []),) if made else ()
        return replace(to_interview(row), moved=moved)


def _given(scores: dict[str, int | None]) -> dict[str, int]:
    return {skill: score for skill, score in scores.items() if score is not None}


def _decided(decided_on: DateLike | None, held_on: date) -> datetime | None:
    """When a round's outcome was known: not before the round."""
    if decided_on is None:
        return None
    when = moment(decided_on, "decided_on")
    if local_day(when) < held_on:
        raise InvalidInput("decided_on", f"{local_day(when)} is before the round ({held_on})")
    return when


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
    decided_on: DateLike | None = None,
) -> Interview:
    """Change the given fields. `rubric` scores are merged (a None score removes one);
    `application_id=None` turns the round into a mock interview.

    A mock attached to an application is a real round from then on: its open partner invites
    are withdrawn in the same transaction (the returned interview's `invites_revoked` counts
    them), so a partner's scores never land on a real round.

    A change of kind, day, outcome or application takes back the status changes the round made
    (when nothing came after them) and makes them again from its new values; a new outcome
    that closes the application does so on `decided_on` (default: now).

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
        before = row.application
        moving = decided_on is not None or any(
            name in values and values[name] != getattr(row, name)
            for name in ("kind", "held_on", "outcome")
        )
        newly_decided = "outcome" in values and values["outcome"] != row.outcome
        revoked = 0
        if not isinstance(application_id, _Unset) and application_id != row.application_id:
            moving = True
            if application_id is not None:
                fetch(session, ApplicationRow, "application", application_id)
                if before is None:
                    # Before the interview's row is written: a partner's submission locks the
                    # invite, then the interview, and this takes them in the same order.
                    revoked = revoke_open_invites(session, row.id, utcnow())
            row.application_id = application_id
        if before is None and row.application_id is not None and "outcome" not in values:
            # A practice round attached to an application: the panel's rule gave its outcome as
            # practice, not the company's verdict.
            ruled = rubric_outcome({score.skill: score.score for score in row.rubric})
            if ruled is not None and row.outcome == ruled.value:
                row.outcome = Outcome.PENDING.value
        taken = own_tail(before, row.id) if moving and before is not None else []
        if before is not None:
            take_back(before, taken)
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
        _merge_rubric(row, scores, outcome_given="outcome" in values)
        row.updated_at = utcnow()
        session.flush()
        session.expire(row, ["application"])  # it follows application_id when that changed
        moved: tuple[RoundMoves, ...] = ()
        if moving:
            decided = _decided(decided_on, row.held_on)
            if decided is None and newly_decided:
                decided = utcnow()
            moved = _follow_again(session, row, before, taken, decided)
        return replace(to_interview(row), moved=tuple(moved), invites_revoked=revoked)


def _merge_rubric(row: InterviewRow, scores: dict[str, int | None], *, outcome_given: bool) -> None:
    """Merge rubric scores (None removes one). A mock whose outcome the panel's rule gave, or
    that has none, follows its new scores; an outcome the user gave stays."""
    existing = {score.skill: score for score in row.rubric}
    ruled_before = rubric_outcome({skill: s.score for skill, s in existing.items()})
    follows_rubric = (
        bool(scores)
        and not outcome_given
        and row.application_id is None
        and row.outcome in {Outcome.PENDING.value, ruled_before and ruled_before.value}
    )
    for skill, score in scores.items():
        if score is None:
            if skill in existing:
                row.rubric.remove(existing[skill])
        elif skill in existing:
            existing[skill].score = score
        else:
            row.rubric.append(RubricScoreRow(skill=skill, score=score))
    if follows_rubric:
        ruled = rubric_outcome({score.skill: score.score for score in row.rubric})
        row.outcome = (ruled or Outcome.PENDING).value


def _follow_again(
    session: Session,
    row: InterviewRow,
    before: ApplicationRow | None,
    taken: list[StatusChangeRow],
    decided: datetime | None,
) -> tuple[RoundMoves, ...]:
    """After an edit: the round's changes made again on its (maybe new) application, and what
    that and the taking back did, per application."""
    moved: list[RoundMoves] = []
    now = row.application
    same = now is before
    made = (
        [] if now is None else follow(row, decided=decided, taken_back=tuple(taken) if same else ())
    )
    session.flush()
    if before is not None and taken and not same:
        moved.append(moves_of(before, [], taken))
    if now is not None:
        found = moves_of(now, made, taken if same else [])
        if found:
            moved.append(found)
    return tuple(moved)


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
    query = date_range(query, InterviewRow.held_on, since, until)
    with journal.reading() as session:
        found = [to_interview(row) for row in session.scalars(query).unique()]
    if company:
        found = of_company(found, company)
    return found


def delete_interview(journal: UnitOfWork, interview_id: int) -> Deleted:
    """Delete an interview with its rubric scores and feedback; the status changes it made are
    taken back when nothing came after them (those that did stay, with no round named)."""
    with journal.transaction() as session:
        row = fetch(session, InterviewRow, "interview", interview_id)
        feedback = len(row.feedback)
        moved: tuple[RoundMoves, ...] = ()
        if row.application is not None:
            taken = own_tail(row.application, row.id)
            take_back(row.application, taken)
            moved = (moves_of(row.application, [], taken),) if taken else ()
        session.delete(row)
        return Deleted("interview", interview_id, feedback=feedback, moved=moved)
