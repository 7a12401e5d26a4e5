"""The JSON API under /api/: the journal's operations with pydantic models at the edge.

Documented by the generated OpenAPI schema at /api/openapi.json.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request

from debrief.journal import Journal
from debrief.model import MAX_ID, FeedbackSource, InterviewKind, Label, Outcome, Source, Status
from debrief.plan import ActionPlan
from debrief.web.schemas import (
    Accept,
    ApplicationCreate,
    ApplicationDetailPublic,
    ApplicationPublic,
    ApplicationUpdate,
    AssignmentDone,
    AssignmentPublic,
    CandidatePublic,
    DeletedPublic,
    FeedbackCreate,
    FeedbackEdited,
    FeedbackPublic,
    FeedbackTextChange,
    FeedbackTriaged,
    ImportDecisionPublic,
    ImportReviewAccept,
    ImportReviewAccepted,
    ImportReviewDetail,
    ImportReviewPublic,
    InterviewCreate,
    InterviewDetailPublic,
    InterviewPublic,
    InterviewUpdate,
    InviteCreate,
    InvitePublic,
    LabelChange,
    MergePair,
    Nothing,
    PlanItemProgress,
    PlanItemPublic,
    PracticeCreate,
    PracticePublic,
    ReviewPage,
    RoundMovesPublic,
    SkillsChange,
    SplitPoint,
    StatementPublic,
    StatusMove,
    records,
)

router = APIRouter(prefix="/api")


def journal_of(request: Request) -> Journal:
    """The journal the app serves."""
    journal: Journal = request.app.state.journal
    return journal


JournalDep = Annotated[Journal, Depends(journal_of)]
# Ids fit the database's integers: a larger number is a 422, not a driver error.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


def _triaged(feedback: Any, statements: Any) -> FeedbackTriaged:
    return FeedbackTriaged.model_validate(
        {
            **FeedbackPublic.model_validate(feedback).model_dump(),
            "statements": records(StatementPublic, statements),
        }
    )


def partner_link(request: Request, token: str) -> str:
    """The address a partner opens."""
    base = request.app.state.public_url or str(request.base_url).rstrip("/")
    return f"{base}{request.app.state.partner_prefix}/partner/{token}"


# -- applications ------------------------------------------------------------------------------


@router.get("/applications", tags=["applications"])
def list_applications(
    journal: JournalDep,
    status: Annotated[list[Status] | None, Query()] = None,
    source: Annotated[list[Source] | None, Query()] = None,
    company: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int | None, Query(ge=1, le=100_000)] = None,
) -> list[ApplicationPublic]:
    """Applications, oldest first; `limit` keeps the most recent ones."""
    found = journal.list_applications(status=status, source=source, company=company, limit=limit)
    return records(ApplicationPublic, found)


@router.post("/applications", status_code=201, tags=["applications"])
def add_application(journal: JournalDep, body: ApplicationCreate) -> ApplicationPublic:
    """Record a new application."""
    return ApplicationPublic.model_validate(journal.add_application(**body.model_dump()))


@router.get("/applications/{application_id}", tags=["applications"])
def get_application(journal: JournalDep, application_id: PathId) -> ApplicationDetailPublic:
    """An application with its history, interviews and feedback."""
    return ApplicationDetailPublic.model_validate(
        journal.get_application(application_id), from_attributes=True
    )


@router.patch("/applications/{application_id}", tags=["applications"])
def edit_application(
    journal: JournalDep, application_id: PathId, body: ApplicationUpdate
) -> ApplicationPublic:
    """Change the fields sent (null clears an optional one)."""
    changes = body.model_dump(include=body.model_fields_set)
    return ApplicationPublic.model_validate(journal.edit_application(application_id, **changes))


@router.post("/applications/{application_id}/status", tags=["applications"])
def move_application(
    journal: JournalDep, application_id: PathId, body: StatusMove
) -> ApplicationPublic:
    """Move an application to a new status (recorded in its history)."""
    moved = journal.change_status(
        application_id, body.status, at=body.at, note=body.note, force=body.force
    )
    return ApplicationPublic.model_validate(moved)


@router.post("/applications/{application_id}/undo", tags=["applications"])
def undo_status(journal: JournalDep, application_id: PathId) -> RoundMovesPublic:
    """Take back the last status change (every change at the end one round made, when a
    round made it)."""
    return RoundMovesPublic.model_validate(journal.undo_status(application_id))


@router.delete("/applications/{application_id}", tags=["applications"])
def delete_application(journal: JournalDep, application_id: PathId) -> DeletedPublic:
    """Delete an application with its history, interviews and feedback."""
    return DeletedPublic.model_validate(journal.delete_application(application_id))


# -- interviews --------------------------------------------------------------------------------


@router.get("/interviews", tags=["interviews"])
def list_interviews(
    journal: JournalDep,
    mock: bool | None = None,
    kind: Annotated[list[InterviewKind] | None, Query()] = None,
    outcome: Annotated[list[Outcome] | None, Query()] = None,
    application_id: QueryId = None,
) -> list[InterviewPublic]:
    """Interviews in date order, filtered by real/mock, kind, outcome and application."""
    found = journal.list_interviews(
        mock=mock, kind=kind, outcome=outcome, application_id=application_id
    )
    return records(InterviewPublic, found)


@router.post("/interviews", status_code=201, tags=["interviews"])
def add_interview(journal: JournalDep, body: InterviewCreate) -> InterviewPublic:
    """Record a round: real with an application, mock without one."""
    values = body.model_dump()
    return InterviewPublic.model_validate(journal.add_interview(**values))


@router.get("/interviews/{interview_id}", tags=["interviews"])
def get_interview(journal: JournalDep, interview_id: PathId) -> InterviewDetailPublic:
    """An interview with its feedback."""
    return InterviewDetailPublic.model_validate(
        journal.get_interview(interview_id), from_attributes=True
    )


@router.patch("/interviews/{interview_id}", tags=["interviews"])
def edit_interview(
    journal: JournalDep, interview_id: PathId, body: InterviewUpdate
) -> InterviewPublic:
    """Change the fields sent; rubric scores are merged (null removes one)."""
    changes = body.model_dump(include=body.model_fields_set)
    return InterviewPublic.model_validate(journal.edit_interview(interview_id, **changes))


@router.delete("/interviews/{interview_id}", tags=["interviews"])
def delete_interview(journal: JournalDep, interview_id: PathId) -> DeletedPublic:
    """Delete an interview with its feedback."""
    return DeletedPublic.model_validate(journal.delete_interview(interview_id))


@router.post("/interviews/{interview_id}/invites", status_code=201, tags=["partner"])
def invite_partner(
    request: Request, journal: JournalDep, interview_id: PathId, body: InviteCreate
) -> InvitePublic:
    """A one-time link for a mock partner (or your coach) to score this interview (the token is
    in the URL)."""
    from debrief.partner import create_invite

    invite = create_invite(journal, interview_id, days=body.days, coach=body.coach)
    return InvitePublic(
        id=invite.id,
        interview_id=interview_id,
        url=partner_link(request, invite.token),
        expires_at=invite.expires_at,
        source="coach" if invite.source == "coach" else "mock_partner",
    )


# -- feedback and triage -----------------------------------------------------------------------


@router.get("/feedback", tags=["feedback"])
def list_feedback(
    journal: JournalDep,
    interview_id: QueryId = None,
    application_id: QueryId = None,
    source: Annotated[list[FeedbackSource] | None, Query()] = None,
) -> list[FeedbackPublic]:
    """Feedback in date order."""
    found = journal.list_feedback(
        interview_id=interview_id, application_id=application_id, source=source
    )
    return records(FeedbackPublic, found)


@router.post("/feedback", status_code=201, tags=["feedback"])
def add_feedback(journal: JournalDep, body: FeedbackCreate) -> FeedbackTriaged:
    """Store feedback verbatim and triage it into statements."""
    added = journal.add_feedback(**body.model_dump())
    return _triaged(added, journal.list_statements(feedback_id=added.id))


@router.get("/feedback/{feedback_id}", tags=["feedback"])
def get_feedback(journal: JournalDep, feedback_id: PathId) -> FeedbackTriaged:
    """One piece of feedback with its triaged statements."""
    found = journal.get_feedback(feedback_id)
    return _triaged(found, journal.list_statements(feedback_id=feedback_id))


@router.patch("/feedback/{feedback_id}", tags=["feedback"])
def edit_feedback_text(
    journal: JournalDep, feedback_id: PathId, body: FeedbackTextChange
) -> FeedbackEdited:
    """Correct the feedback's text and triage it again: statements you labelled whose text is
    still there keep your label; the others are replaced."""
    done = journal.edit_feedback_text(feedback_id, body.text)
    return FeedbackEdited.model_validate(
        {
            **_triaged(done.feedback, done.statements).model_dump(),
            "kept": done.kept,
            "new": done.new,
            "dropped": done.dropped,
            "labels_dropped": done.labels_dropped,
        }
    )


@router.delete("/feedback/{feedback_id}", tags=["feedback"])
def delete_feedback(journal: JournalDep, feedback_id: PathId) -> DeletedPublic:
    """Delete one piece of feedback."""
    return DeletedPublic.model_validate(journal.delete_feedback(feedback_id))


@router.get("/inbox", tags=["feedback"])
def inbox(
    journal: JournalDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ReviewPage:
    """Feedback with statements still to confirm or relabel, newest first."""
    total, page = journal.review_queue(limit=limit, offset=offset)
    feedback = [_triaged(item, statements) for item, statements in page]
    return ReviewPage(total=total, feedback=feedback)


@router.get("/statements", tags=["feedback"])
def list_statements(
    journal: JournalDep,
    label: Annotated[list[Label] | None, Query()] = None,
    skill: Annotated[list[str] | None, Query(max_length=12)] = None,
) -> list[StatementPublic]:
    """Triaged statements, filtered by label and skill area."""
    return records(StatementPublic, journal.list_statements(label=label, skill=skill))


@router.post("/statements/{statement_id}/label", tags=["feedback"])
def label_statement(
    journal: JournalDep, statement_id: PathId, body: LabelChange
) -> StatementPublic:
    """Override a statement's label (and skill areas); the override wins from now on."""
    labelled = journal.label_statement(statement_id, body.label, body.skills)
    return StatementPublic.model_validate(labelled)


@router.post("/statements/{statement_id}/confirm", tags=["feedback"])
def confirm_statement(journal: JournalDep, statement_id: PathId, body: Nothing) -> StatementPublic:
    """Accept a statement's label as it is."""
    return StatementPublic.model_validate(journal.confirm_statement(statement_id))


@router.post("/statements/{statement_id}/skills", tags=["feedback"])
def set_statement_skills(
    journal: JournalDep, statement_id: PathId, body: SkillsChange
) -> StatementPublic:
    """Set a constructive or strength statement's skill areas; its label becomes yours."""
    return StatementPublic.model_validate(journal.set_statement_skills(statement_id, body.skills))


@router.post("/statements/{statement_id}/split", tags=["feedback"])
def split_statement(
    journal: JournalDep, statement_id: PathId, body: SplitPoint
) -> list[StatementPublic]:
    """Split a statement in two before the text `at` (case matters); triage labels each part."""
    return records(StatementPublic, journal.split_statement(statement_id, body.at))


@router.post("/statements/merge", tags=["feedback"])
def merge_statements(journal: JournalDep, body: MergePair) -> StatementPublic:
    """Merge two adjacent statements of one piece of feedback; triage labels the whole."""
    return StatementPublic.model_validate(journal.merge_statements(body.first_id, body.second_id))


# -- the mail import review queue --------------------------------------------------------------


@router.get("/imports/reviews", tags=["imports"])
def list_import_reviews(
    journal: JournalDep,
    state: Literal["pending", "accepted", "discarded", "all"] = "pending",
    limit: Annotated[int, Query(ge=1, le=10_000)] = 200,
) -> list[ImportReviewPublic]:
    """Messages a mail import was unsure of (pending by default), least sure first."""
    found = journal.list_reviews(None if state == "all" else state, limit=limit)
    return records(ImportReviewPublic, found)


@router.get("/imports/reviews/{review_id}", tags=["imports"])
def get_import_review(journal: JournalDep, review_id: PathId) -> ImportReviewDetail:
    """One queued message with its text, what accepting it as proposed would do, and the
    applications at its company."""
    from debrief.ingest.mail.importer import preview_review

    review = journal.get_review(review_id)
    preview = preview_review(journal, review_id) if review.state == "pending" else None
    return ImportReviewDetail.model_validate(
        {
            **ImportReviewPublic.model_validate(review).model_dump(),
            "text": review.text,
            "preview": ImportDecisionPublic.model_validate(preview.decision) if preview else None,
            "candidates": records(CandidatePublic, preview.candidates if preview else ()),
        }
    )


@router.post("/imports/reviews/{review_id}/accept", tags=["imports"])
def accept_import_review(
    journal: JournalDep, review_id: PathId, body: ImportReviewAccept
) -> ImportReviewAccepted:
    """Write a queued message as proposed (an empty body) or corrected."""
    from debrief.ingest.mail.importer import accept_review

    done = accept_review(journal, review_id, **body.model_dump())
    return ImportReviewAccepted(
        review=ImportReviewPublic.model_validate(journal.get_review(review_id)),
        decision=ImportDecisionPublic.model_validate(done),
    )


@router.post("/imports/reviews/{review_id}/discard", tags=["imports"])
def discard_import_review(
    journal: JournalDep, review_id: PathId, body: Nothing
) -> ImportReviewPublic:
    """Leave a queued message out of the journal for good."""
    from debrief.ingest.mail.importer import discard_review

    discard_review(journal, review_id)
    return ImportReviewPublic.model_validate(journal.get_review(review_id))


# -- analysis, themes and the plan -------------------------------------------------------------


@router.get("/summary", tags=["analysis"])
def summary(journal: JournalDep) -> dict[str, Any]:
    """Counts by status, interviews by kind and feedback by source."""
    from debrief.model import to_jsonable

    result: dict[str, Any] = to_jsonable(journal.summary())
    return result


@router.get("/report", tags=["analysis"])
def report(request: Request) -> dict[str, Any]:
    """Everything the report shows (funnel, pass rates, forecast, themes, plan), as data."""
    data: dict[str, Any] = request.app.state.analysis.analysis().data
    return data


@router.get("/themes", tags=["analysis"])
def themes(request: Request) -> dict[str, Any]:
    """The recurring weaknesses and strengths, with their evidence."""
    data: dict[str, Any] = request.app.state.analysis.analysis().data["themes"]
    return data


@router.get("/plan", tags=["plan"])
def plan(request: Request) -> list[PlanItemProgress]:
    """The action plan with each item's follow-through."""
    view = request.app.state.analysis.analysis().report.plan
    return [
        PlanItemProgress(
            item=PlanItemPublic.model_validate(p.item),
            verdict=p.follow.verdict,
            message=p.follow.message or p.follow.verdict,
            days_to_target=p.days_to_target,
        )
        for p in view.items
    ]


@router.post("/plan/{item_id}/accept", tags=["plan"])
def accept_item(journal: JournalDep, item_id: PathId, body: Accept) -> PlanItemPublic:
    """Take an item on."""
    return PlanItemPublic.model_validate(ActionPlan(journal).accept(item_id, target=body.target))


@router.post("/plan/{item_id}/drop", tags=["plan"])
def drop_item(journal: JournalDep, item_id: PathId, body: Nothing) -> PlanItemPublic:
    """Set an item aside."""
    return PlanItemPublic.model_validate(ActionPlan(journal).drop(item_id))


@router.post("/plan/{item_id}/resolve", tags=["plan"])
def resolve_item(journal: JournalDep, item_id: PathId, body: Nothing) -> PlanItemPublic:
    """Mark an accepted item resolved."""
    return PlanItemPublic.model_validate(ActionPlan(journal).resolve(item_id))


@router.post("/plan/{item_id}/practice", status_code=201, tags=["plan"])
def log_practice(journal: JournalDep, item_id: PathId, body: PracticeCreate) -> PracticePublic:
    """Record practice for an accepted item."""
    entry = ActionPlan(journal).log_practice(item_id, **body.model_dump())
    return PracticePublic.model_validate(entry)


@router.get("/assignments", tags=["plan"])
def list_assignments(journal: JournalDep) -> list[AssignmentPublic]:
    """The practice a coach assigned, by due day (the soonest first), done or not."""
    return records(AssignmentPublic, journal.list_assignments())


@router.post("/assignments/{assignment_id}/done", tags=["plan"])
def assignment_done(
    journal: JournalDep, assignment_id: PathId, body: AssignmentDone
) -> AssignmentPublic:
    """Mark an assignment done (on the day given, default today); for a mock, with the mock
    interview recorded for it."""
    marked = journal.mark_assignment(assignment_id, on=body.on, interview_id=body.interview_id)
    return AssignmentPublic.model_validate(marked)


@router.post("/assignments/{assignment_id}/undo", tags=["plan"])
def assignment_undo(journal: JournalDep, assignment_id: PathId) -> AssignmentPublic:
    """Mark an assignment not done."""
    return AssignmentPublic.model_validate(journal.mark_assignment(assignment_id, done=False))
