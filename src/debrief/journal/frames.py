"""The notebook door: the journal's records as pandas DataFrames (pandas loads on first use)."""

from __future__ import annotations

import dataclasses
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from debrief.journal.applications import list_applications
from debrief.journal.feedback import list_feedback
from debrief.journal.interviews import list_interviews
from debrief.journal.questions import list_questions
from debrief.journal.records import to_status_change
from debrief.journal.statements import list_statements
from debrief.journal.stories import list_stories
from debrief.journal.unit import UnitOfWork
from debrief.model import Application, Feedback, Interview, Question, StatusChange, Story
from debrief.storage.schema import StatusChangeRow

if TYPE_CHECKING:
    import pandas as pd


def applications_frame(journal: UnitOfWork) -> pd.DataFrame:
    """All applications as a DataFrame, one row each."""
    return _frame(list_applications(journal), Application, dates=("applied_on",))


def interviews_frame(journal: UnitOfWork) -> pd.DataFrame:
    """All interviews as a DataFrame; rubric scores become `rubric_<skill>` columns."""
    import pandas as pd

    interviews = list_interviews(journal)
    frame = _frame(interviews, Interview, dates=("held_on",)).drop(columns="rubric")
    for skill in sorted({skill for i in interviews for skill in i.rubric}):
        frame[f"rubric_{skill}"] = pd.array([i.rubric.get(skill) for i in interviews], "Int64")
    return frame


def feedback_frame(journal: UnitOfWork) -> pd.DataFrame:
    """All feedback as a DataFrame, with the verbatim text."""
    return _frame(list_feedback(journal), Feedback, dates=("received_on",))


def statements_frame(journal: UnitOfWork) -> pd.DataFrame:
    """Every triaged statement, one row each, in feedback order: its label, skill areas (a list),
    confidence and why; the source and day of its feedback; the kind, mock flag and day of its
    interview (empty for feedback on no interview); the company and role of its application."""
    import pandas as pd

    statements = list_statements(journal)
    feedback = {item.id: item for item in list_feedback(journal)}
    interviews = {item.id: item for item in list_interviews(journal)}
    roles = {app.id: app.role for app in list_applications(journal)}
    rows = []
    for statement in statements:
        given = feedback[statement.feedback_id]
        interview = interviews.get(given.interview_id) if given.interview_id else None
        rows.append(
            {
                "id": statement.id,
                "feedback_id": statement.feedback_id,
                "position": statement.position,
                "text": statement.text,
                "label": statement.label.value,
                "skills": list(statement.skills),
                "confidence": statement.confidence,
                "explanation": statement.explanation,
                "origin": statement.origin,
                "model_label": _plain(statement.model_label),
                "source": given.source.value,
                "received_on": given.received_on,
                "interview_id": given.interview_id,
                "kind": interview.kind.value if interview else None,
                "mock": interview.mock if interview else None,
                "held_on": interview.held_on if interview else None,
                "application_id": given.application_id,
                "company": given.company,
                "role": roles.get(given.application_id) if given.application_id else None,
            }
        )
    frame = pd.DataFrame(rows, columns=STATEMENT_COLUMNS)
    for column in ("received_on", "held_on"):
        frame[column] = pd.to_datetime(frame[column])
    for column in ("id", "feedback_id", "position", "interview_id", "application_id"):
        frame[column] = frame[column].astype("Int64")
    frame["mock"] = frame["mock"].astype("boolean")
    return frame


STATEMENT_COLUMNS = (
    "id",
    "feedback_id",
    "position",
    "text",
    "label",
    "skills",
    "confidence",
    "explanation",
    "origin",
    "model_label",
    "source",
    "received_on",
    "interview_id",
    "kind",
    "mock",
    "held_on",
    "application_id",
    "company",
    "role",
)


def status_changes_frame(journal: UnitOfWork) -> pd.DataFrame:
    """Every status transition of every application, in time order."""
    with journal.reading() as session:
        rows = session.scalars(
            select(StatusChangeRow).order_by(StatusChangeRow.changed_at, StatusChangeRow.id)
        )
        changes = [to_status_change(row) for row in rows]
    return _frame(changes, StatusChange, dates=())


def questions_frame(journal: UnitOfWork) -> pd.DataFrame:
    """Every question asked in a round, in the order of the rounds: its kind, skill area,
    sub-skill, competency, rating, the story told, and its round's day, kind and company."""
    frame = _frame(list_questions(journal), Question, dates=("held_on",))
    frame["rating"] = frame["rating"].astype("Int64")
    return frame


def stories_frame(journal: UnitOfWork) -> pd.DataFrame:
    """Every story of the STAR bank; competencies and skill areas are lists."""
    frame = _frame(list_stories(journal), Story, dates=())
    for column in ("competencies", "skills"):
        frame[column] = frame[column].map(list)
    return frame


def _frame(records: list[Any], record_type: type, *, dates: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd

    columns = [f.name for f in dataclasses.fields(record_type)]
    rows = [{name: _plain(getattr(record, name)) for name in columns} for record in records]
    frame = pd.DataFrame(rows, columns=columns)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column])
    for column in frame.columns:
        if column == "id" or column.endswith("_id"):
            frame[column] = frame[column].astype("Int64")
    return frame


def _plain(value: Any) -> Any:
    # StrEnum members become plain strings so DataFrames compare and group as users expect.
    return value.value if isinstance(value, enum.Enum) else value
