"""The notebook door: the journal's records as pandas DataFrames (pandas loads on first use)."""

from __future__ import annotations

import dataclasses
import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from debrief.journal.applications import list_applications
from debrief.journal.feedback import list_feedback
from debrief.journal.interviews import list_interviews
from debrief.journal.records import to_status_change
from debrief.journal.unit import UnitOfWork
from debrief.model import Application, Feedback, Interview, StatusChange
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


def status_changes_frame(journal: UnitOfWork) -> pd.DataFrame:
    """Every status transition of every application, in time order."""
    with journal.reading() as session:
        rows = session.scalars(
            select(StatusChangeRow).order_by(StatusChangeRow.changed_at, StatusChangeRow.id)
        )
        changes = [to_status_change(row) for row in rows]
    return _frame(changes, StatusChange, dates=())


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
