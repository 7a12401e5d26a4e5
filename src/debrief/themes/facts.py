"""What themes are built from, read from the journal in a handful of queries.

Two kinds of fact: `Mention` (a constructive or strength statement with everything known about
where it came from: feedback, source, interview, application, the stage the application had
reached) and `Round` (an interview with what it tested and what its feedback raised). Statements
labelled circumstance or noise are never read here, so they cannot enter a theme.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from sqlalchemy import select

from debrief.journal import status_histories
from debrief.model import PIPELINE, Label, Status
from debrief.storage.schema import (
    ApplicationRow,
    FeedbackRow,
    InterviewRow,
    RubricScoreRow,
    StatementRow,
    StatementSkillRow,
)
from debrief.taxonomy import round_skills

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from debrief.journal import Journal

Scope = Literal["all", "real", "mock"]
SKILLED = (Label.CONSTRUCTIVE.value, Label.STRENGTH.value)


@dataclass(frozen=True, slots=True)
class Mention:
    """A constructive or strength statement, with its provenance."""

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
class Round:
    """An interview as themes see it: what it tested and what its feedback raised."""

    id: int
    kind: str
    mock: bool
    held_on: date
    outcome: str
    self_rating: int | None
    rubric: dict[str, int]
    company: str | None
    stage: str | None
    # Whether its feedback says anything about skills (a constructive or strength statement):
    # a polite rejection with nothing in it tells nothing about what was or was not raised.
    has_feedback: bool
    constructive: frozenset[str]  # skill areas its constructive statements are about
    strength: frozenset[str]

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
class Facts:
    """Everything themes need, for one scope."""

    mentions: tuple[Mention, ...]
    rounds: tuple[Round, ...]
    excluded: dict[str, int]  # circumstance and noise statements in scope, left out of themes


def load_facts(journal: Journal, *, since: date | None = None, scope: Scope = "all") -> Facts:
    """Read the mentions and rounds in scope: `since` a day, from real or mock interviews."""
    with journal.reading() as session:
        stages = _stage_history(session)
        everything = _mentions(session, stages)
        mentions = [m for m in everything if m.label in SKILLED]
        rounds = _rounds(session, stages, mentions)
    excluded = dict.fromkeys((Label.CIRCUMSTANCE.value, Label.NOISE.value), 0)
    for mention in everything:
        if mention.label not in SKILLED and _in_scope(mention, since, scope):
            excluded[mention.label] += 1
    mentions = [m for m in mentions if _in_scope(m, since, scope)]
    kept_rounds = [
        r
        for r in rounds
        if (since is None or r.held_on >= since) and (scope == "all" or r.mock == (scope == "mock"))
    ]
    return Facts(tuple(mentions), tuple(kept_rounds), excluded)


def _in_scope(mention: Mention, since: date | None, scope: Scope) -> bool:
    if since is not None and mention.day < since:
        return False
    if scope == "all":
        return True
    if scope == "mock":
        return mention.mock is True
    # Real: a real interview, or feedback on an application; a note on no record is neither.
    return mention.mock is False or (mention.mock is None and mention.application_id is not None)


_StageHistory = dict[int, list[tuple[date, int]]]


def _stage_history(session: Session) -> _StageHistory:
    """Per application, the days its pipeline stage moved forward (stage as an index)."""
    order = {stage.value: index for index, stage in enumerate(PIPELINE)}
    return {
        app_id: [(day, order[status]) for day, status in changes if status in order]
        for app_id, changes in status_histories(session).items()
    }


def _stage_on(history: _StageHistory, application_id: int | None, day: date) -> str | None:
    """The furthest stage an application had reached by the end of `day`."""
    if application_id is None:
        return None
    reached = [index for changed, index in history.get(application_id, []) if changed <= day]
    return PIPELINE[max(reached)].value if reached else Status.APPLIED.value


def _mentions(session: Session, stages: _StageHistory) -> list[Mention]:
    skills: dict[int, list[str]] = defaultdict(list)
    skill_query = (
        select(StatementSkillRow.statement_id, StatementSkillRow.skill)
        .join(StatementRow, StatementRow.id == StatementSkillRow.statement_id)
        .where(StatementRow.label.in_(SKILLED))
        .order_by(StatementSkillRow.statement_id, StatementSkillRow.id)
    )
    for statement_id, skill in session.execute(skill_query):  # skilled statements only
        skills[statement_id].append(skill)
    interview_app = ApplicationRow.__table__.alias("interview_app")
    direct_app = ApplicationRow.__table__.alias("direct_app")
    query = (
        select(
            StatementRow.id,
            StatementRow.text,
            StatementRow.label,
            StatementRow.confidence,
            StatementRow.origin,
            FeedbackRow.id,
            FeedbackRow.source,
            FeedbackRow.received_on,
            FeedbackRow.interview_id,
            FeedbackRow.application_id,
            InterviewRow.application_id,
            InterviewRow.kind,
            InterviewRow.held_on,
            interview_app.c.company,
            direct_app.c.company,
        )
        .join(FeedbackRow, FeedbackRow.id == StatementRow.feedback_id)
        .outerjoin(InterviewRow, InterviewRow.id == FeedbackRow.interview_id)
        .outerjoin(interview_app, interview_app.c.id == InterviewRow.application_id)
        .outerjoin(direct_app, direct_app.c.id == FeedbackRow.application_id)
        .order_by(FeedbackRow.received_on, FeedbackRow.id, StatementRow.position)
    )
    found = []
    for row in session.execute(query):
        (sid, text, label, confidence, origin, fid, source, received, interview_id) = row[:9]
        (direct_app_id, interview_app_id, kind, held_on, company_i, company_d) = row[9:]
        application_id = interview_app_id if interview_id is not None else direct_app_id
        mock = None if interview_id is None else interview_app_id is None
        day = held_on or received
        found.append(
            Mention(
                statement_id=sid,
                text=text,
                label=label,
                skills=tuple(skills.get(sid, ())) or (("other",) if label in SKILLED else ()),
                confidence=float(confidence),
                origin=origin,
                feedback_id=fid,
                source=source,
                received_on=received,
                interview_id=interview_id,
                application_id=application_id,
                company=company_i if interview_id is not None else company_d,
                kind=kind,
                mock=mock,
                held_on=held_on,
                stage=_stage_on(stages, application_id, day),
            )
        )
    return found


def rubric_scores(session: Session) -> dict[int, dict[str, int]]:
    """Every interview's rubric scores, by interview id."""
    rubric: dict[int, dict[str, int]] = defaultdict(dict)
    for interview_id, skill, score in session.execute(
        select(RubricScoreRow.interview_id, RubricScoreRow.skill, RubricScoreRow.score)
    ):
        rubric[interview_id][skill] = score
    return rubric


def _rounds(session: Session, stages: _StageHistory, mentions: list[Mention]) -> list[Round]:
    rubric = rubric_scores(session)
    raised: dict[tuple[int, str], set[str]] = defaultdict(set)
    for mention in mentions:
        if mention.interview_id is not None:
            raised[(mention.interview_id, mention.label)].update(mention.skills)
    query = (
        select(
            InterviewRow.id,
            InterviewRow.kind,
            InterviewRow.application_id,
            InterviewRow.held_on,
            InterviewRow.outcome,
            InterviewRow.self_rating,
            ApplicationRow.company,
        )
        .outerjoin(ApplicationRow, ApplicationRow.id == InterviewRow.application_id)
        .order_by(InterviewRow.held_on, InterviewRow.id)
    )
    return [
        Round(
            id=interview_id,
            kind=kind,
            mock=application_id is None,
            held_on=held_on,
            outcome=outcome,
            self_rating=self_rating,
            rubric=rubric.get(interview_id, {}),
            company=company,
            stage=_stage_on(stages, application_id, held_on),
            has_feedback=bool(
                raised.get((interview_id, Label.CONSTRUCTIVE.value))
                or raised.get((interview_id, Label.STRENGTH.value))
            ),
            constructive=frozenset(raised.get((interview_id, Label.CONSTRUCTIVE.value), ())),
            strength=frozenset(raised.get((interview_id, Label.STRENGTH.value), ())),
        )
        for interview_id, kind, application_id, held_on, outcome, self_rating, company in (
            session.execute(query)
        )
    ]
