"""Revising triage by hand: split a statement, merge two, edit the feedback's text.

Each one reads the feedback, triages the new statements with the journal's triager (before the
write transaction opens, never inside it), then writes, provided the feedback is still as it
was read; otherwise nothing is written (ChangedMeanwhile). New statements are labelled by
triage, so they come back to the inbox for review, even when they were made from statements
the user had labelled.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from debrief.errors import ChangedMeanwhile, InvalidInput, NotFound
from debrief.journal.feedback import feedback_text, get_feedback
from debrief.journal.records import to_statement
from debrief.journal.statements import arrange_statements, new_statement, triager
from debrief.journal.unit import UnitOfWork
from debrief.model import FeedbackEdit, Statement
from debrief.storage.schema import FeedbackRow, StatementRow

QUOTED = 60  # how much of a split point a message repeats


@dataclass(frozen=True, slots=True)
class _Read:
    """A piece of feedback as an operation read it: its text and its statements in order."""

    feedback_id: int
    text: str
    statements: tuple[tuple[int, str, str], ...]  # (id, text, origin)

    def index(self, statement_id: int) -> int:
        """Where a statement stands among the feedback's (from 0), or -1."""
        ids = [sid for sid, _, _ in self.statements]
        return ids.index(statement_id) if statement_id in ids else -1


def split_statement(journal: UnitOfWork, statement_id: int, at: str) -> tuple[Statement, Statement]:
    """Split a statement in two where the text `at` begins: its first occurrence after the
    statement's first character, case and all. The parts take the statement's place and triage
    labels each of them afresh (the user's label, if it had one, goes with the old statement:
    the parts come back for review)."""
    point = (at or "").strip()
    if not point:
        raise InvalidInput("at", "give the words the second part starts with")
    read = _read_statement(journal, statement_id)
    text = read.statements[read.index(statement_id)][1]
    where = text.find(point, 1)
    if where < 0 or not text[:where].strip():
        shown = point if len(point) <= QUOTED else point[: QUOTED - 1] + "…"
        raise InvalidInput(
            "at",
            f"'{shown}' does not occur inside statement #{statement_id} (case matters, and "
            "the second part cannot start where the statement does)",
        )
    parts = triager(journal, forgetting={statement_id}).classify(
        [text[:where].strip(), text[where:].strip()]
    )
    version = journal.triage_backend().version
    with journal.transaction() as session:
        row = _as_read(session, read)
        made = [new_statement(verdict, version) for verdict in parts]
        index = read.index(statement_id)
        ordered = list(row.statements)
        ordered[index : index + 1] = made
        arrange_statements(session, row, ordered)
        return to_statement(made[0]), to_statement(made[1])


def merge_statements(journal: UnitOfWork, first_id: int, second_id: int) -> Statement:
    """Merge two adjacent statements of one piece of feedback into one: their texts joined by
    a space, in the order they stand, labelled by triage afresh. It takes their place."""
    if first_id == second_id:
        raise InvalidInput("second_id", "a statement cannot be merged with itself")
    read = _read_statement(journal, first_id)
    first, second = read.index(first_id), read.index(second_id)
    if second < 0:
        with journal.reading() as session:
            other = session.get(StatementRow, second_id)
            if other is None:
                raise NotFound("statement", second_id)
            raise InvalidInput(
                "second_id",
                f"statement #{second_id} is from feedback #{other.feedback_id} and "
                f"#{first_id} from feedback #{read.feedback_id}: only statements of one piece "
                "of feedback merge",
            )
    if abs(first - second) != 1:
        raise InvalidInput(
            "second_id", f"statements #{first_id} and #{second_id} are not next to each other"
        )
    start = min(first, second)
    text = f"{read.statements[start][1]} {read.statements[start + 1][1]}"
    [verdict] = triager(journal, forgetting={first_id, second_id}).classify([text])
    version = journal.triage_backend().version
    with journal.transaction() as session:
        row = _as_read(session, read)
        merged = new_statement(verdict, version)
        ordered = list(row.statements)
        ordered[start : start + 2] = [merged]
        arrange_statements(session, row, ordered)
        return to_statement(merged)


def edit_feedback_text(journal: UnitOfWork, feedback_id: int, text: str) -> FeedbackEdit:
    """Replace a piece of feedback's text (checked as when it is added), and segment and triage
    it again. A statement the user labelled whose text is still one of the new statements
    (spacing and case aside) keeps its id, label, skill areas and explanation; every other
    statement is replaced by what triage makes of the new text."""
    body = feedback_text(text)
    read = _read_feedback(journal, feedback_id)
    yours = {sid for sid, _, origin in read.statements if origin == "user"}
    verdicts = triager(journal, forgetting=yours).triage_text(body)
    version = journal.triage_backend().version
    with journal.transaction() as session:
        row = _as_read(session, read)
        waiting: dict[str, list[StatementRow]] = {}
        for statement in row.statements:
            if statement.origin == "user":
                waiting.setdefault(_wording(statement.text), []).append(statement)
        ordered: list[StatementRow] = []
        for verdict in verdicts:
            mine = waiting.get(_wording(verdict.text))
            if mine:
                kept = mine.pop(0)
                kept.text = verdict.text  # the wording as it now stands in the feedback
                ordered.append(kept)
            else:
                ordered.append(new_statement(verdict, version))
        dropped = [s for s in row.statements if s not in ordered]
        row.text = body
        arrange_statements(session, row, ordered)
        statements = tuple(to_statement(s) for s in ordered)
    return FeedbackEdit(
        feedback=get_feedback(journal, feedback_id),
        statements=statements,
        kept=sum(1 for s in statements if s.id in yours),
        new=sum(1 for s in statements if s.id not in yours),
        dropped=len(dropped),
        labels_dropped=sum(1 for s in dropped if s.id in yours),
    )


def _wording(text: str) -> str:
    """A statement's text as the match between old and new statements reads it."""
    return " ".join(text.split()).casefold()


def _read_statement(journal: UnitOfWork, statement_id: int) -> _Read:
    """The feedback a statement belongs to, as it stands now (NotFound for no such statement)."""
    with journal.reading() as session:
        found = session.get(StatementRow, statement_id)
        if found is None:
            raise NotFound("statement", statement_id)
        return _snapshot(_load(session, found.feedback_id))


def _read_feedback(journal: UnitOfWork, feedback_id: int) -> _Read:
    """A piece of feedback as it stands now."""
    with journal.reading() as session:
        row = _load(session, feedback_id)
        return _snapshot(row)


def _load(session: Session, feedback_id: int) -> FeedbackRow:
    row = session.scalar(
        select(FeedbackRow)
        .where(FeedbackRow.id == feedback_id)
        .options(selectinload(FeedbackRow.statements).selectinload(StatementRow.skills))
    )
    if row is None:
        raise NotFound("feedback", feedback_id)
    return row


def _snapshot(row: FeedbackRow) -> _Read:
    return _Read(row.id, row.text, tuple((s.id, s.text, s.origin) for s in row.statements))


def _as_read(session: Session, read: _Read) -> FeedbackRow:
    """The feedback's row, provided it is still as `read` (its text, and its statements with
    their texts and what decided their labels)."""
    row = _load(session, read.feedback_id)
    if _snapshot(row) != read:
        raise ChangedMeanwhile(
            f"feedback #{read.feedback_id} changed while triage ran; nothing was written: try again"
        )
    return row
