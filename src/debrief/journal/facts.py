"""The read model analysis is built from: every application with its path, every interview,
every piece of feedback and every triaged statement, read in a handful of queries.

Themes, analytics, the plan and imports read these facts, never ORM rows: one shape per kind of
record, built in one place. Each fact knows where it came from (a statement its feedback,
interview and application; an interview the stage its application had reached that day).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from debrief.journal.fields import local_day
from debrief.journal.unit import UnitOfWork
from debrief.model import (
    COMPANY_SOURCES,
    PIPELINE,
    SKILLED_LABELS,
    Label,
    Status,
    furthest_stage,
    is_uncertain,
)
from debrief.storage.schema import TABLES
from debrief.taxonomy import round_skills

SKILLED = frozenset(label.value for label in SKILLED_LABELS)


@dataclass(frozen=True, slots=True)
class ApplicationFact:
    """An application with its path through the statuses."""

    id: int
    company: str
    role: str
    level: str | None
    source: str | None
    applied_on: date
    status: str
    history: tuple[tuple[date, str], ...]  # (local day, status it moved to), oldest first
    applied_on_known: bool = True  # False: applied_on is an estimate
    feedback_asked_on: date | None = None  # the day feedback was asked for, when recorded

    @property
    def reached(self) -> Status:
        """The furthest pipeline stage it has had."""
        return furthest_stage(status for _, status in self.history)

    @property
    def last_change(self) -> date:
        """The day of its latest status change (the day applied, without any)."""
        return max((day for day, _ in self.history), default=self.applied_on)


@dataclass(frozen=True, slots=True)
class InterviewFact:
    """An interview as analysis sees it: what it tested, how it went, what its feedback raised."""

    id: int
    application_id: int | None
    company: str | None
    kind: str
    mock: bool
    held_on: date
    outcome: str
    self_rating: int | None
    rubric: dict[str, int]
    stage: str | None  # the furthest stage its application had reached that day
    constructive: frozenset[str] = frozenset()  # skill areas its constructive statements name
    strength: frozenset[str] = frozenset()  # and its strengths

    @property
    def has_feedback(self) -> bool:
        """Whether its feedback says anything about skills (a constructive or strength
        statement): a polite rejection with nothing in it tells nothing about what was raised."""
        return bool(self.constructive or self.strength)

    @property
    def tested(self) -> frozenset[str]:
        """The skill areas it tested: by its kind, its rubric, or what its feedback was about."""
        return (
            frozenset(round_skills().get(self.kind, ()))
            | set(self.rubric)
            | (self.constructive | self.strength)
        )

    def informative(self, skill: str) -> bool:
        """Whether it can say anything about `skill`: feedback about skills, or a rubric score."""
        return self.has_feedback or skill in self.rubric


@dataclass(frozen=True, slots=True)
class FeedbackFact:
    """A piece of feedback: who gave it, when, and on what."""

    id: int
    source: str
    received_on: date
    interview_id: int | None
    application_id: int | None  # the application it is about, directly or through its interview


@dataclass(frozen=True, slots=True)
class StatementFact:
    """A triaged statement with its provenance: feedback, source, interview, application, and
    the stage the application had reached when it was said."""

    statement_id: int
    text: str
    label: str
    skills: tuple[str, ...]
    confidence: float
    origin: str
    feedback_id: int
    source: str
    received_on: date
    interview_id: int | None
    application_id: int | None
    company: str | None
    kind: str | None
    mock: bool | None  # None for feedback on no interview
    held_on: date | None
    stage: str | None  # the application's furthest stage on that day

    @property
    def uncertain(self) -> bool:
        """Whether its label still needs a person's look (the model was not sure of it)."""
        return is_uncertain(self.origin, self.confidence)

    @property
    def day(self) -> date:
        """When it was said: the interview's day, else the day the feedback came."""
        return self.held_on or self.received_on

    @property
    def occasion(self) -> tuple[str, int]:
        """What raised it, counted once however often it repeats a point: an interview, an
        application (feedback with no interview), or the feedback itself (a coach's note)."""
        if self.interview_id is not None:
            return ("interview", self.interview_id)
        if self.application_id is not None:
            return ("application", self.application_id)
        return ("note", self.feedback_id)


@dataclass(frozen=True, slots=True)
class JournalFacts:
    """Everything analysis reads, as of one moment."""

    applications: tuple[ApplicationFact, ...]  # by date applied
    interviews: tuple[InterviewFact, ...]  # by date held
    feedback: tuple[FeedbackFact, ...]  # by date received
    statements: tuple[StatementFact, ...]  # in feedback order, every label

    def company_feedback(self) -> dict[int, list[date]]:
        """The days feedback from the company (an interviewer or a recruiter) arrived, by the
        application it is about, oldest first."""
        days: dict[int, list[date]] = defaultdict(list)
        for feedback in self.feedback:
            if feedback.source in COMPANY_SOURCES and feedback.application_id is not None:
                days[feedback.application_id].append(feedback.received_on)
        return dict(days)


def application_facts(journal: UnitOfWork) -> tuple[ApplicationFact, ...]:
    """Every application with its status history, by date applied."""
    with journal.reading() as session:
        return _applications(session, _histories(session))


def journal_facts(journal: UnitOfWork) -> JournalFacts:
    """Every application, interview, piece of feedback and statement, with provenance."""
    with journal.reading() as session:
        histories = _histories(session)
        applications = _applications(session, histories)
        stages = _Stages(histories)
        feedback = _feedback(session)
        statements = _statements(session, stages)
        interviews = _interviews(session, stages, statements)
    return JournalFacts(applications, interviews, feedback, statements)


# The tables themselves: reading columns needs none of the ORM's set-up or object bookkeeping.
_APPLICATIONS = TABLES["applications"].c
_CHANGES = TABLES["status_changes"].c
_INTERVIEWS = TABLES["interviews"].c
_RUBRIC = TABLES["rubric_scores"].c
_FEEDBACK = TABLES["feedback"].c
_STATEMENTS = TABLES["statements"].c
_SKILLS = TABLES["statement_skills"].c


def _histories(session: Session) -> dict[int, list[tuple[date, str]]]:
    """Every application's status changes as (local day, new status), oldest first."""
    history: dict[int, list[tuple[date, str]]] = defaultdict(list)
    query = select(_CHANGES.application_id, _CHANGES.to_status, _CHANGES.changed_at).order_by(
        _CHANGES.application_id, _CHANGES.changed_at, _CHANGES.id
    )
    for app_id, status, changed_at in session.execute(query):
        history[app_id].append((local_day(changed_at), status))
    return history


def _applications(
    session: Session, histories: dict[int, list[tuple[date, str]]]
) -> tuple[ApplicationFact, ...]:
    query = select(
        _APPLICATIONS.id,
        _APPLICATIONS.company,
        _APPLICATIONS.role,
        _APPLICATIONS.level,
        _APPLICATIONS.source,
        _APPLICATIONS.applied_on,
        _APPLICATIONS.status,
        _APPLICATIONS.applied_on_known,
        _APPLICATIONS.feedback_asked_on,
    ).order_by(_APPLICATIONS.applied_on, _APPLICATIONS.id)
    return tuple(
        ApplicationFact(
            *row[:7],
            history=tuple(histories.get(row[0], ())),
            applied_on_known=row[7],
            feedback_asked_on=row[8],
        )
        for row in session.execute(query)
    )


class _Stages:
    """How far each application had got on any day."""

    def __init__(self, histories: dict[int, list[tuple[date, str]]]) -> None:
        order = {stage.value: index for index, stage in enumerate(PIPELINE)}
        self._moves = {
            app_id: [(day, order[status]) for day, status in changes if status in order]
            for app_id, changes in histories.items()
        }

    def on(self, application_id: int | None, day: date) -> str | None:
        """The furthest stage an application had reached by the end of `day`."""
        if application_id is None:
            return None
        reached = [index for moved, index in self._moves.get(application_id, []) if moved <= day]
        return PIPELINE[max(reached)].value if reached else Status.APPLIED.value


def _feedback(session: Session) -> tuple[FeedbackFact, ...]:
    query = (
        select(
            _FEEDBACK.id,
            _FEEDBACK.source,
            _FEEDBACK.received_on,
            _FEEDBACK.interview_id,
            _FEEDBACK.application_id,
            _INTERVIEWS.application_id,
        )
        .outerjoin(TABLES["interviews"], _INTERVIEWS.id == _FEEDBACK.interview_id)
        .order_by(_FEEDBACK.received_on, _FEEDBACK.id)
    )
    return tuple(
        FeedbackFact(fid, source, received, interview_id, direct or through)
        for fid, source, received, interview_id, direct, through in session.execute(query)
    )


def _statements(session: Session, stages: _Stages) -> tuple[StatementFact, ...]:
    skills: dict[int, list[str]] = defaultdict(list)
    for statement_id, skill in session.execute(
        select(_SKILLS.statement_id, _SKILLS.skill).order_by(_SKILLS.statement_id, _SKILLS.id)
    ):
        skills[statement_id].append(skill)
    interview_app = TABLES["applications"].alias("interview_app")
    direct_app = TABLES["applications"].alias("direct_app")
    query = (
        select(
            _STATEMENTS.id,
            _STATEMENTS.text,
            _STATEMENTS.label,
            _STATEMENTS.confidence,
            _STATEMENTS.origin,
            _FEEDBACK.id,
            _FEEDBACK.source,
            _FEEDBACK.received_on,
            _FEEDBACK.interview_id,
            _FEEDBACK.application_id,
            _INTERVIEWS.application_id,
            _INTERVIEWS.kind,
            _INTERVIEWS.held_on,
            interview_app.c.company,
            direct_app.c.company,
        )
        .join(TABLES["feedback"], _FEEDBACK.id == _STATEMENTS.feedback_id)
        .outerjoin(TABLES["interviews"], _INTERVIEWS.id == _FEEDBACK.interview_id)
        .outerjoin(interview_app, interview_app.c.id == _INTERVIEWS.application_id)
        .outerjoin(direct_app, direct_app.c.id == _FEEDBACK.application_id)
        .order_by(_FEEDBACK.received_on, _FEEDBACK.id, _STATEMENTS.position)
    )
    found = []
    for row in session.execute(query):
        (sid, text, label, confidence, origin, fid, source, received, interview_id) = row[:9]
        (direct_app_id, interview_app_id, kind, held_on, company_i, company_d) = row[9:]
        application_id = interview_app_id if interview_id is not None else direct_app_id
        # A constructive or strength statement always names an area: "other" when none is known.
        named = tuple(skills.get(sid, ())) or (("other",) if label in SKILLED else ())
        found.append(
            StatementFact(
                statement_id=sid,
                text=text,
                label=label,
                skills=named,
                confidence=float(confidence),
                origin=origin,
                feedback_id=fid,
                source=source,
                received_on=received,
                interview_id=interview_id,
                application_id=application_id,
                company=company_i if interview_id is not None else company_d,
                kind=kind,
                mock=None if interview_id is None else interview_app_id is None,
                held_on=held_on,
                stage=stages.on(application_id, held_on or received),
            )
        )
    return tuple(found)


def _interviews(
    session: Session, stages: _Stages, statements: tuple[StatementFact, ...]
) -> tuple[InterviewFact, ...]:
    rubric: dict[int, dict[str, int]] = defaultdict(dict)
    for interview_id, skill, score in session.execute(
        select(_RUBRIC.interview_id, _RUBRIC.skill, _RUBRIC.score)
    ):
        rubric[interview_id][skill] = score
    raised: dict[tuple[int, str], set[str]] = defaultdict(set)
    for statement in statements:
        if statement.interview_id is not None and statement.label in SKILLED:
            raised[(statement.interview_id, statement.label)].update(statement.skills)
    query = (
        select(
            _INTERVIEWS.id,
            _INTERVIEWS.application_id,
            _APPLICATIONS.company,
            _INTERVIEWS.kind,
            _INTERVIEWS.held_on,
            _INTERVIEWS.outcome,
            _INTERVIEWS.self_rating,
        )
        .outerjoin(TABLES["applications"], _APPLICATIONS.id == _INTERVIEWS.application_id)
        .order_by(_INTERVIEWS.held_on, _INTERVIEWS.id)
    )
    return tuple(
        InterviewFact(
            id=interview_id,
            application_id=application_id,
            company=company,
            kind=kind,
            mock=application_id is None,
            held_on=held_on,
            outcome=outcome,
            self_rating=self_rating,
            rubric=rubric.get(interview_id, {}),
            stage=stages.on(application_id, held_on),
            constructive=frozenset(raised.get((interview_id, Label.CONSTRUCTIVE.value), ())),
            strength=frozenset(raised.get((interview_id, Label.STRENGTH.value), ())),
        )
        for interview_id, application_id, company, kind, held_on, outcome, self_rating in (
            session.execute(query)
        )
    )
