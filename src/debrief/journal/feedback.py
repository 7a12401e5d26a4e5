"""Feedback: verbatim text from an interviewer, a recruiter, a mock partner, a coach or oneself,
tied to an interview or an application, and triaged into statements when it is stored."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from debrief.errors import InvalidInput, NotFound
from debrief.journal.fields import DateLike
from debrief.journal.records import feedback_owner, fetch, of_company, to_feedback
from debrief.journal.statements import store_triage, triager
from debrief.journal.unit import UnitOfWork
from debrief.model import (
    MAX_FEEDBACK,
    Deleted,
    Feedback,
    FeedbackSource,
    InterviewKind,
    clean_text,
    local_today,
    parse_date,
)
from debrief.storage.schema import ApplicationRow, FeedbackRow, InterviewRow

if TYPE_CHECKING:
    from debrief.triage.classify import Triage


def add_feedback(
    journal: UnitOfWork,
    text: str,
    *,
    source: FeedbackSource | str | None = None,
    interview_id: int | None = None,
    application_id: int | None = None,
    received_on: DateLike | None = None,
    triage: bool = True,
    triaged: Sequence[Triage] | None = None,
) -> Feedback:
    """Store feedback verbatim, tied to an interview or (for a note after applying) to an
    application, and triage it into statements (unless `triage` is False; `triaged` gives
    the statements when the caller has just triaged this very text, as an import does).
    The source defaults to the interviewer, the mock partner or the recruiter.

    Triage runs before the write transaction opens, so a slow backend never holds the
    database: a caller that groups writes in `atomic()` triages first and passes `triaged`
    (triaging inside its block is refused).
    """
    if interview_id is not None and application_id is not None:
        raise InvalidInput(
            "interview",
            "give the interview or the application, not both (the interview "
            "already names its application)",
        )
    body = feedback_text(text)
    day = parse_date(received_on or local_today(), "received_on", past=True)
    chosen = None if source is None else FeedbackSource.parse(source, "source")
    with journal.reading() as session:
        _owner(session, interview_id, application_id)  # a wrong number fails before triage
    if triaged is None and triage:
        triaged = triager(journal).triage_text(body)
    with journal.transaction() as session:
        owner, company, default = _owner(session, interview_id, application_id)
        row = FeedbackRow(
            interview_id=interview_id,
            application_id=application_id,
            source=(chosen or default).value,
            received_on=day,
            text=body,
        )
        session.add(row)
        session.flush()
        if triaged is not None:
            store_triage(journal, row, list(triaged))
        return to_feedback(row, owner, company)


def feedback_text(text: str) -> str:
    """Feedback text as it is stored: stripped, not empty, within MAX_FEEDBACK characters."""
    return clean_text(text, "feedback text", MAX_FEEDBACK, required=True) or ""


def _owner(
    session: Session, interview_id: int | None, application_id: int | None
) -> tuple[int | None, str | None, FeedbackSource]:
    """The application feedback is about, its company, and the source feedback on it has
    unless told otherwise (NotFound for an interview or application that does not exist).
    Looking it up does not flush what the session holds: an import adding a thousand pieces
    of feedback in one transaction would otherwise flush twice more for each."""
    with session.no_autoflush:
        return _owner_of(session, interview_id, application_id)


def _owner_of(
    session: Session, interview_id: int | None, application_id: int | None
) -> tuple[int | None, str | None, FeedbackSource]:
    if interview_id is not None:
        interview = fetch(session, InterviewRow, "interview", interview_id)
        owner = interview.application_id
        company = interview.application.company if interview.application else None
        default = FeedbackSource.MOCK_PARTNER if owner is None else FeedbackSource.INTERVIEWER
        return owner, company, default
    if application_id is not None:
        company = fetch(session, ApplicationRow, "application", application_id).company
        return application_id, company, FeedbackSource.RECRUITER
    return None, None, FeedbackSource.SELF


def get_feedback(journal: UnitOfWork, feedback_id: int) -> Feedback:
    """One piece of feedback."""
    found = feedback_where(journal, FeedbackRow.id == feedback_id)
    if not found:
        raise NotFound("feedback", feedback_id)
    return found[0]


def list_feedback(
    journal: UnitOfWork,
    *,
    interview_id: int | None = None,
    application_id: int | None = None,
    source: Iterable[FeedbackSource | str] | None = None,
    company: str | None = None,
    since: DateLike | None = None,
    until: DateLike | None = None,
    mock: bool | None = None,
    kind: Iterable[InterviewKind | str] | None = None,
) -> list[Feedback]:
    """Feedback in date order. `application_id` includes feedback on its interviews;
    `kind` keeps feedback on interviews of those kinds."""
    conditions: list[Any] = []
    if interview_id is not None:
        conditions.append(FeedbackRow.interview_id == interview_id)
    if application_id is not None:
        conditions.append(
            or_(
                FeedbackRow.application_id == application_id,
                InterviewRow.application_id == application_id,
            )
        )
    if source:
        sources = [FeedbackSource.parse(s, "source").value for s in source]
        conditions.append(FeedbackRow.source.in_(sources))
    if kind:
        kinds = [InterviewKind.parse(k, "kind").value for k in kind]
        conditions.append(InterviewRow.kind.in_(kinds))
    if mock is not None:
        mock_condition = InterviewRow.id.is_not(None) & InterviewRow.application_id.is_(None)
        conditions.append(mock_condition if mock else ~mock_condition)
    if since is not None:
        conditions.append(FeedbackRow.received_on >= parse_date(since, "since"))
    if until is not None:
        conditions.append(FeedbackRow.received_on <= parse_date(until, "until"))
    found = feedback_where(journal, *conditions)
    if company:
        found = of_company(found, company)
    return found


def feedback_where(journal: UnitOfWork, *conditions: Any) -> list[Feedback]:
    """Feedback meeting every condition (on the feedback, its interview or its application),
    in date order."""
    interview_app, direct_app, owner_id, owner_company = feedback_owner()
    query = (
        select(FeedbackRow, owner_id, owner_company)
        .outerjoin(InterviewRow, FeedbackRow.interview_id == InterviewRow.id)
        .outerjoin(interview_app, InterviewRow.application_id == interview_app.id)
        .outerjoin(direct_app, FeedbackRow.application_id == direct_app.id)
        .where(*conditions)
        .order_by(FeedbackRow.received_on, FeedbackRow.id)
    )
    with journal.reading() as session:
        return [to_feedback(row, owner, company) for row, owner, company in session.execute(query)]


def delete_feedback(journal: UnitOfWork, feedback_id: int) -> Deleted:
    """Delete one piece of feedback."""
    with journal.transaction() as session:
        row = fetch(session, FeedbackRow, "feedback", feedback_id)
        session.delete(row)
        return Deleted("feedback", feedback_id)
