"""Views over the whole journal: the summary, the board by status and the review queue."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from debrief.journal.feedback import feedback_where
from debrief.journal.records import to_application, to_statement
from debrief.journal.unit import UnitOfWork
from debrief.model import (
    DECIDED_BY_MODEL,
    PIPELINE,
    UNCERTAIN_BELOW,
    Application,
    Feedback,
    FeedbackSource,
    InterviewKind,
    JournalSummary,
    Label,
    Statement,
    Status,
)
from debrief.storage.schema import (
    TABLES,
    ApplicationRow,
    FeedbackRow,
    StatementRow,
)


def summary(journal: UnitOfWork) -> JournalSummary:
    """Counts by status, interviews by kind (real and mock) and feedback by source."""
    # Counting needs no ORM: plain table queries spare a short command the mapper set-up.
    apps, changes = TABLES["applications"].c, TABLES["status_changes"].c
    interviews, feedback = TABLES["interviews"].c, TABLES["feedback"].c
    statements = TABLES["statements"].c
    with journal.reading() as session:
        first, last, total, companies = session.execute(
            select(
                func.min(apps.applied_on),
                func.max(apps.applied_on),
                func.count(),
                func.count(func.distinct(func.lower(apps.company))),
            )
        ).one()
        by_status = _counts(session, apps.status)
        reached: dict[str, int] = dict(
            session.execute(
                select(
                    changes.to_status, func.count(func.distinct(changes.application_id))
                ).group_by(changes.to_status)
            ).all()
        )
        is_mock = interviews.application_id.is_(None)
        by_kind: dict[str, dict[str, int]] = {}
        for kind, mock, count in session.execute(
            select(interviews.kind, is_mock, func.count()).group_by(interviews.kind, is_mock)
        ):
            by_kind.setdefault(kind, {"real": 0, "mock": 0})["mock" if mock else "real"] = count
        by_source = _counts(session, feedback.source)
        by_label = _counts(session, statements.label)
    order = {status.value: i for i, status in enumerate(Status)}
    kinds = {kind.value: i for i, kind in enumerate(InterviewKind)}
    sources = {source.value: i for i, source in enumerate(FeedbackSource)}
    return JournalSummary(
        applications=total,
        companies=companies,
        first_applied=first,
        last_applied=last,
        by_status=dict(sorted(by_status.items(), key=lambda kv: order.get(kv[0], 99))),
        reached={stage.value: reached.get(stage.value, 0) for stage in PIPELINE},
        interviews_real=sum(counts["real"] for counts in by_kind.values()),
        interviews_mock=sum(counts["mock"] for counts in by_kind.values()),
        interviews_by_kind=dict(sorted(by_kind.items(), key=lambda kv: kinds.get(kv[0], 99))),
        feedback=sum(by_source.values()),
        feedback_by_source=dict(sorted(by_source.items(), key=lambda kv: sources.get(kv[0], 99))),
        statements_by_label={label.value: by_label.get(label.value, 0) for label in Label},
    )


def _counts(session: Session, column: Any) -> dict[str, int]:
    """How many rows have each value of `column`."""
    found: dict[str, int] = dict(
        session.execute(select(column, func.count()).group_by(column)).all()
    )
    return found


def board(
    journal: UnitOfWork, *, per_status: int = 50
) -> dict[Status, tuple[int, list[Application]]]:
    """Applications by current status: how many, and the `per_status` most recently applied
    (newest first), for every status."""
    with journal.reading() as session:
        counts = _counts(session, ApplicationRow.status)
        ranked = (
            select(
                ApplicationRow.id,
                func.row_number()
                .over(
                    partition_by=ApplicationRow.status,
                    order_by=(ApplicationRow.applied_on.desc(), ApplicationRow.id.desc()),
                )
                .label("place"),
            )
        ).subquery()
        rows = session.scalars(
            select(ApplicationRow)
            .join(ranked, ranked.c.id == ApplicationRow.id)
            .where(ranked.c.place <= per_status)
            .order_by(ApplicationRow.applied_on.desc(), ApplicationRow.id.desc())
        )
        cards: dict[str, list[Application]] = defaultdict(list)
        for row in rows:
            cards[row.status].append(to_application(row))
    return {s: (counts.get(s.value, 0), cards.get(s.value, [])) for s in Status}


def review_queue(
    journal: UnitOfWork, *, limit: int = 20, offset: int = 0
) -> tuple[int, list[tuple[Feedback, list[Statement]]]]:
    """Feedback with statements the user has not confirmed or relabelled yet: those with an
    uncertain label first, then newest first; how many there are, and one page of them with
    all their statements."""
    unsure = case(
        (
            (StatementRow.confidence < UNCERTAIN_BELOW)
            & StatementRow.origin.in_(sorted(DECIDED_BY_MODEL)),
            1,
        ),
        else_=0,
    )
    waiting = (
        select(StatementRow.feedback_id, func.max(unsure).label("unsure"))
        .where(StatementRow.origin != "user")
        .group_by(StatementRow.feedback_id)
    ).subquery()
    with journal.reading() as session:
        total = session.scalar(select(func.count()).select_from(waiting)) or 0
        ids = list(
            session.scalars(
                select(FeedbackRow.id)
                .join(waiting, waiting.c.feedback_id == FeedbackRow.id)
                .order_by(
                    waiting.c.unsure.desc(), FeedbackRow.received_on.desc(), FeedbackRow.id.desc()
                )
                .limit(limit)
                .offset(offset)
            )
        )
        statements: dict[int, list[Statement]] = defaultdict(list)
        for row in session.scalars(
            select(StatementRow)
            .where(StatementRow.feedback_id.in_(ids))
            .options(selectinload(StatementRow.skills))
            .order_by(StatementRow.feedback_id, StatementRow.position)
        ):
            statements[row.feedback_id].append(to_statement(row))
    found = {item.id: item for item in feedback_where(journal, FeedbackRow.id.in_(ids))}
    return total, [(found[i], statements[i]) for i in ids if i in found]
