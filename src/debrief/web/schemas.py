"""The JSON API's payloads: pydantic models at the edge, built from the core's frozen records
(never from ORM rows). `…Create` and `…Update` are what a client sends, `…Public` what it gets."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator

from debrief.ingest.mail.classify import EVENTS
from debrief.model import (
    MAX_FEEDBACK,
    MAX_ID,
    MAX_LINK,
    MAX_NAME,
    MAX_NOTES,
    AssignmentKind,
    FeedbackSource,
    InterviewKind,
    Label,
    Outcome,
    Source,
    Status,
    WorkMode,
)

Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME)]
OptionalName = Annotated[str | None, Field(max_length=MAX_NAME)]
Notes = Annotated[str | None, Field(max_length=MAX_NOTES)]
# Numbers a client sends are JSON numbers, whole: not true (which lax parsing reads as 1), 3.0
# or "3".
Score = Annotated[int, Field(ge=1, le=5), Strict()]
RecordId = Annotated[int, Field(ge=1, le=MAX_ID), Strict()]
# What a message says happened (the core refuses any other, naming the field).
MailEvent = Annotated[str, Field(max_length=40, json_schema_extra={"enum": list(EVENTS)})]


class _Closed(BaseModel):
    """A request body: unknown fields are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")


class _Update(_Closed):
    """A partial change: only the fields sent change, and null clears an optional field; the
    fields in `keep` cannot be cleared."""

    keep: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_clearing_required_fields(self) -> Self:
        for name in sorted(self.keep & self.model_fields_set):
            if getattr(self, name) is None:
                raise ValueError(f"{name} cannot be cleared (leave it out to keep it)")
        return self


class _Record(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# -- applications ------------------------------------------------------------------------------


class ApplicationCreate(_Closed):
    company: Name
    role: Name
    level: OptionalName = None
    location: OptionalName = None
    work_mode: WorkMode | None = None
    source: Source | None = None
    link: Annotated[str | None, Field(max_length=MAX_LINK)] = None
    applied_on: date | None = None
    notes: Notes = None


class ApplicationUpdate(_Update):
    """Only the fields sent change; null clears an optional one."""

    keep: ClassVar[frozenset[str]] = frozenset({"company", "role", "applied_on"})

    company: Name | None = None
    role: Name | None = None
    level: OptionalName = None
    location: OptionalName = None
    work_mode: WorkMode | None = None
    source: Source | None = None
    link: Annotated[str | None, Field(max_length=MAX_LINK)] = None
    applied_on: date | None = None
    notes: Notes = None


class StatusMove(_Closed):
    status: Status
    at: date | None = None
    note: Notes = None
    force: bool = False


class ApplicationPublic(_Record):
    id: int
    company: str
    role: str
    level: str | None
    location: str | None
    work_mode: WorkMode | None
    source: Source | None
    link: str | None
    applied_on: date
    status: Status
    notes: str | None
    created_at: datetime
    updated_at: datetime
    applied_on_known: bool = True  # False: applied_on is an estimate (the first mail about it)
    feedback_asked_on: date | None = None


class StatusChangePublic(_Record):
    id: int
    from_status: Status | None
    to_status: Status
    changed_at: datetime
    note: str | None
    forced: bool
    interview_id: int | None = Field(None, description="the round whose recording made it")


class RoundMovesPublic(_Record):
    """Status changes a round made to its application, or took back."""

    application_id: int
    company: str
    made: list[StatusChangePublic]
    taken_back: list[StatusChangePublic]
    status: Status | None


# -- interviews --------------------------------------------------------------------------------


class InterviewCreate(_Closed):
    kind: InterviewKind
    application_id: RecordId | None = Field(None, description="None for a mock interview")
    held_on: date | None = None
    interviewer: OptionalName = None
    outcome: Outcome | None = Field(
        None, description="default pending; a mock with rubric scores gets the panel's rule"
    )
    self_rating: Score | None = None
    rubric: dict[str, Score] | None = None
    notes: Notes = None
    decided_on: date | None = Field(None, description="when the outcome was known")


class InterviewUpdate(_Update):
    """Only the fields sent change; rubric scores are merged."""

    keep: ClassVar[frozenset[str]] = frozenset({"kind", "held_on", "outcome", "rubric", "force"})

    kind: InterviewKind | None = None
    application_id: RecordId | None = None
    held_on: date | None = None
    interviewer: OptionalName = None
    outcome: Outcome | None = None
    self_rating: Score | None = None
    rubric: dict[str, Score | None] | None = None
    notes: Notes = None
    force: bool = False
    decided_on: date | None = None


class InterviewPublic(_Record):
    id: int
    application_id: int | None
    company: str | None
    role: str | None
    mock: bool
    kind: InterviewKind
    held_on: date
    interviewer: str | None
    outcome: Outcome
    self_rating: int | None
    rubric: dict[str, int]
    notes: str | None
    created_at: datetime
    updated_at: datetime
    moved: list[RoundMovesPublic] = Field(
        default_factory=list, description="status changes this request made or took back"
    )
    invites_revoked: int = Field(
        default=0, description="open partner invites this request revoked (a mock attached)"
    )


# -- feedback and statements -------------------------------------------------------------------


class FeedbackCreate(_Closed):
    text: Annotated[str, Field(min_length=1, max_length=MAX_FEEDBACK)]
    source: FeedbackSource | None = None
    interview_id: RecordId | None = None
    application_id: RecordId | None = None
    received_on: date | None = None


class FeedbackPublic(_Record):
    id: int
    interview_id: int | None
    application_id: int | None
    company: str | None
    source: FeedbackSource
    received_on: date
    text: str
    created_at: datetime


class StatementPublic(_Record):
    id: int
    feedback_id: int
    position: int
    text: str
    label: Label
    skills: tuple[str, ...]
    confidence: float
    explanation: str
    origin: str
    model_label: Label | None
    uncertain: bool


class FeedbackTriaged(FeedbackPublic):
    statements: list[StatementPublic]


class LabelChange(_Closed):
    label: Label
    skills: list[Annotated[str, Field(min_length=1, max_length=60)]] | None = Field(
        None, max_length=12
    )


class SkillsChange(_Closed):
    skills: list[Annotated[str, Field(min_length=1, max_length=60)]] = Field(
        min_length=1, max_length=12
    )


class SplitPoint(_Closed):
    at: Annotated[str, Field(min_length=1, max_length=500)]


class MergePair(_Closed):
    first_id: RecordId
    second_id: RecordId


class FeedbackTextChange(_Closed):
    text: Annotated[str, Field(min_length=1, max_length=MAX_FEEDBACK)]


class FeedbackEdited(FeedbackTriaged):
    kept: int
    new: int
    dropped: int
    labels_dropped: int


class ReviewPage(BaseModel):
    total: int
    feedback: list[FeedbackTriaged]


class InterviewDetailPublic(BaseModel):
    interview: InterviewPublic
    feedback: list[FeedbackPublic]


class ApplicationDetailPublic(BaseModel):
    application: ApplicationPublic
    history: list[StatusChangePublic]
    interviews: list[InterviewDetailPublic]
    feedback: list[FeedbackPublic]


class DeletedPublic(_Record):
    kind: str
    id: int
    interviews: int
    feedback: int
    moved: list[RoundMovesPublic] = Field(default_factory=list)


# -- the plan and partner invites --------------------------------------------------------------


class TaskPublic(_Record):
    number: int
    kind: str
    text: str
    done_on: date | None


class PracticePublic(_Record):
    id: int
    item_id: int
    task_number: int | None
    done_on: date
    text: str
    minutes: int | None


class PlanItemPublic(_Record):
    id: int
    skill: str
    title: str
    goal: str
    status: str
    rank: int | None
    target_on: date | None
    proposed_on: date
    accepted_on: date | None
    resolved_on: date | None
    tasks: list[TaskPublic]
    practice: list[PracticePublic]
    evidence: list[int]


class AssignmentPublic(_Record):
    """Practice a coach assigned (a task, or a mock interview the coach scores)."""

    id: int
    kind: AssignmentKind
    skill: str
    subskill: str | None
    text: str
    due_on: date
    assigned_by: str
    assigned_at: datetime
    done_on: date | None
    interview_id: int | None
    feedback_id: int | None


class AssignmentDone(_Closed):
    """The day it was done (default today), and for a mock the mock interview recorded for
    it (which the coach then scores)."""

    on: date | None = None
    interview_id: RecordId | None = None


class PlanItemProgress(BaseModel):
    item: PlanItemPublic
    verdict: str
    message: str
    days_to_target: int | None


class Accept(_Closed):
    target: date | None = None


class Nothing(_Closed):
    """An action that needs no more than its URL."""


class PracticeCreate(_Closed):
    text: Annotated[str, Field(min_length=1, max_length=MAX_NOTES)]
    minutes: Annotated[int, Field(ge=0, le=1440), Strict()] | None = None
    on: date | None = None
    task: Annotated[int, Field(ge=1, le=1000), Strict()] | None = None
    done: bool = False


class InviteCreate(_Closed):
    days: Annotated[int, Field(ge=1, le=90), Strict()] = 7
    coach: Annotated[
        bool, Field(description="the invite asks your coach: answers are the coach's feedback")
    ] = False


class InvitePublic(BaseModel):
    id: int
    interview_id: int
    url: str
    expires_at: datetime
    source: Literal["mock_partner", "coach"] = "mock_partner"


# -- the mail import review queue --------------------------------------------------------------


class ImportReviewPublic(_Record):
    """A message a mail import was unsure of: what the reader proposes and why it waits."""

    id: int
    state: Literal["pending", "accepted", "discarded"]
    origin: str
    sender: str
    subject: str
    sent_at: datetime | None
    sent_on: date | None
    event: str | None
    company: str | None
    role: str | None
    stage: str | None
    confidence: float
    company_confidence: float
    why: str
    doubts: str
    application_id: int | None = Field(description="where it went, once accepted")
    created_at: datetime | None
    decided_at: datetime | None


class ImportDecisionPublic(_Record):
    """What accepting a queued message does (or would do): create, update, unchanged, skip,
    or error (then `reason` says why and `field` what to correct)."""

    action: str
    reason: str
    company: str | None
    role: str | None
    application_id: int | None
    status: Status | None
    from_status: Status | None
    on: date | None
    event: str | None
    field: str | None


class CandidatePublic(_Record):
    """An application at the message's company."""

    id: int
    company: str
    role: str
    applied_on: date
    status: Status


class ImportReviewDetail(ImportReviewPublic):
    text: str
    preview: ImportDecisionPublic | None = Field(
        description="what accepting it as proposed would do (pending ones only)"
    )
    candidates: list[CandidatePublic]


class ImportReviewAccept(_Closed):
    """Accept as proposed (an empty body), or corrected: only the fields sent change."""

    company: OptionalName = None
    role: OptionalName = Field(None, description='"" when the message names no role')
    event: MailEvent | None = None
    stage: Literal["applied", "screen", "technical", "onsite", "offer"] | None = None
    application_id: RecordId | None = None


class ImportReviewAccepted(BaseModel):
    review: ImportReviewPublic
    decision: ImportDecisionPublic


class Problem(BaseModel):
    detail: Any


def records(model: type[_Record], items: Any) -> list[Any]:
    """Core records as API models."""
    return [model.model_validate(item) for item in items]
