"""Triaged statements: what triage made of each piece of feedback, the user's own labels (kept,
and taught to triage), and re-triage with the current model."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from debrief.errors import InvalidInput, NotFound
from debrief.journal.fields import skill_list
from debrief.journal.records import fetch, set_skills, to_statement
from debrief.journal.unit import UnitOfWork
from debrief.model import (
    DECIDED_BY_MODEL,
    SKILLED_LABELS,
    UNCERTAIN_BELOW,
    Label,
    Statement,
    TriageRun,
    normalise_choice,
    utcnow,
)
from debrief.storage.schema import FeedbackRow, StatementRow, StatementSkillRow

if TYPE_CHECKING:
    from debrief.triage.classify import Triage, Triager


def triager(journal: UnitOfWork, *, forgetting: Collection[int] = ()) -> Triager:
    """The triage pipeline this journal uses, remembering the user's own labels (but not those
    of the statements in `forgetting`, about to be replaced). It is made (and used) before a
    write transaction opens, never inside one."""
    from debrief.triage.classify import Remembered, Triager

    journal.before_writing("triage")
    with journal.reading() as session:
        rows = session.scalars(
            select(StatementRow)
            .where(StatementRow.origin == "user")
            .options(selectinload(StatementRow.skills))
            .order_by(StatementRow.id)
        )
        memory = [
            Remembered(row.id, row.text, row.label, tuple(s.skill for s in row.skills))
            for row in rows
            if row.id not in forgetting
        ]
    return Triager(journal.triage_backend(), memory)


def store_triage(journal: UnitOfWork, row: FeedbackRow, triaged: list[Triage]) -> None:
    """Add the statements triage made of `row`'s text, in order."""
    version = journal.triage_backend().version
    for position, verdict in enumerate(triaged, start=1):
        row.statements.append(new_statement(verdict, version, position))


def new_statement(verdict: Triage, version: str, position: int = 0) -> StatementRow:
    """A statement row for what triage (backend `version`) said of one text; its position is
    set when it is placed (see `arrange_statements`)."""
    return StatementRow(
        position=position,
        text=verdict.text,
        label=verdict.label,
        confidence=verdict.confidence,
        explanation=verdict.explanation,
        origin=verdict.origin,
        model_version=version,
        skills=[StatementSkillRow(skill=skill) for skill in verdict.skills],
    )


def arrange_statements(session: Session, row: FeedbackRow, ordered: list[StatementRow]) -> None:
    """Make `ordered` the statements of `row`, in that order: those left out are deleted, new
    ones added, and positions numbered from 1. Statements that move go through negative
    positions first, so no two ever share one (a unique constraint, checked row by row)."""
    for gone in [s for s in row.statements if s not in ordered]:
        row.statements.remove(gone)
    session.flush()
    place = {id(s): n for n, s in enumerate(ordered, start=1)}
    moving = [s for s in row.statements if s.position != place[id(s)]]
    for n, statement in enumerate(moving, start=1):
        statement.position = -n
    session.flush()
    for statement in ordered:
        statement.position = place[id(statement)]
    row.statements = ordered
    session.flush()


def list_statements(
    journal: UnitOfWork,
    *,
    feedback_id: int | None = None,
    label: Iterable[Label | str] | None = None,
    skill: Iterable[str] | None = None,
    origin: Iterable[str] | None = None,
) -> list[Statement]:
    """Triaged statements in feedback order, filtered by feedback, label, skill area and
    what decided the label."""
    query = (
        select(StatementRow)
        .join(StatementRow.feedback)
        .options(selectinload(StatementRow.skills))
        .order_by(FeedbackRow.received_on, FeedbackRow.id, StatementRow.position)
    )
    if feedback_id is not None:
        query = query.where(StatementRow.feedback_id == feedback_id)
    if label:
        query = query.where(StatementRow.label.in_([Label.parse(x, "label").value for x in label]))
    if skill:
        wanted = [normalise_choice(x) for x in skill]
        query = query.where(StatementRow.skills.any(StatementSkillRow.skill.in_(wanted)))
    if origin:
        query = query.where(StatementRow.origin.in_(list(origin)))
    with journal.reading() as session:
        return [to_statement(row) for row in session.scalars(query)]


def get_statement(journal: UnitOfWork, statement_id: int) -> Statement:
    """One triaged statement."""
    with journal.reading() as session:
        return to_statement(fetch(session, StatementRow, "statement", statement_id))


def label_statement(
    journal: UnitOfWork,
    statement_id: int,
    label: Label | str,
    skills: Iterable[str] | None = None,
) -> Statement:
    """Override a statement's label (and skill areas). The override is kept, wins from now
    on, and teaches triage: near-paraphrases of this statement get the same label.

    Constructive and strength statements carry skill areas: without `skills`, the ones it
    has are kept (or the model's best guess, made before the write, is used); circumstance
    and noise carry none.
    """
    chosen = Label.parse(label, "label")
    areas = skill_list(skills) if skills is not None else None
    if chosen not in SKILLED_LABELS and areas:
        raise InvalidInput("skills", f"{chosen} statements carry no skill areas")
    if chosen in SKILLED_LABELS and areas == []:
        raise InvalidInput("skills", f"{chosen} statements need at least one skill area")
    guess: tuple[str, ...] = ("other",)  # should its skills be gone by the time it is written
    if areas is None and chosen in SKILLED_LABELS:
        current = get_statement(journal, statement_id)
        if not current.skills:
            guess = _guess_skills(journal, current.text)
    with journal.transaction() as session:
        row = fetch(session, StatementRow, "statement", statement_id)
        if areas is None:
            areas = [s.skill for s in row.skills] if chosen in SKILLED_LABELS else []
            if chosen in SKILLED_LABELS and not areas:
                areas = list(guess)
        _make_users(row, chosen.value, areas, "labelled by you", utcnow())
        session.flush()
        return to_statement(row)


def set_statement_skills(
    journal: UnitOfWork, statement_id: int, skills: Iterable[str] | str
) -> Statement:
    """Set the skill areas of a constructive or strength statement (at least one). Its label
    stays, and becomes the user's: kept from now on, and taught to triage."""
    areas = skill_list(skills)
    if not areas:
        raise InvalidInput("skills", "give at least one skill area")
    with journal.transaction() as session:
        row = fetch(session, StatementRow, "statement", statement_id)
        if row.label not in SKILLED_LABELS:
            raise InvalidInput(
                "skills",
                f"statement #{statement_id} is {row.label}: only constructive and strength "
                "statements carry skill areas (relabel it first)",
            )
        _make_users(row, row.label, areas, "skill areas set by you", utcnow())
        session.flush()
        return to_statement(row)


def confirm_statement(journal: UnitOfWork, statement_id: int) -> Statement:
    """Accept the label a statement has: it becomes the user's own, kept from now on."""
    current = get_statement(journal, statement_id)
    skills = current.skills if current.label in SKILLED_LABELS else None
    return label_statement(journal, statement_id, current.label, skills)


def confirm_rest(journal: UnitOfWork, feedback_id: int | None = None) -> int:
    """Accept, in one go, the labels the user has not reviewed yet: every one of a piece of
    feedback ("confirm the rest"), or with no `feedback_id` every *certain* one in the journal
    (uncertain labels still need a look). Returns how many were confirmed."""
    with journal.transaction() as session:
        query = (
            select(StatementRow)
            .where(StatementRow.origin != "user")
            .options(selectinload(StatementRow.skills))
        )
        if feedback_id is not None:
            if session.get(FeedbackRow, feedback_id) is None:
                raise NotFound("feedback", feedback_id)
            query = query.where(StatementRow.feedback_id == feedback_id)
        else:
            query = query.where(
                (StatementRow.confidence >= UNCERTAIN_BELOW)
                | StatementRow.origin.not_in(sorted(DECIDED_BY_MODEL))
            )
        rows = list(session.scalars(query))
        now = utcnow()
        for row in rows:
            areas = [skill.skill for skill in row.skills]
            if row.label in SKILLED_LABELS and not areas:
                areas = ["other"]
            _make_users(row, row.label, areas, "confirmed by you", now)
        return len(rows)


def _make_users(row: StatementRow, label: str, areas: list[str], how: str, now: datetime) -> None:
    """Make a statement's label the user's own (kept from now on), remembering what the model
    had said the first time the user takes it over."""
    if row.origin != "user":
        row.model_label = row.label
    row.label = label
    set_skills(row, areas)
    row.origin = "user"
    row.confidence = 1.0
    row.labelled_at = now
    row.explanation = f"{label}: {how}"
    row.updated_at = now


def _guess_skills(journal: UnitOfWork, text: str) -> tuple[str, ...]:
    """The skill areas the model would give `text` were it constructive or a strength (asked
    before a write transaction opens, never inside one)."""
    journal.before_writing("guessing a statement's skill areas")
    [guess] = journal.triage_backend().guess_skills([text])
    return guess or ("other",)


@dataclass(frozen=True, slots=True)
class _Pending:
    """What re-triage read of one piece of feedback, and what triage made of it since."""

    feedback_id: int
    statements: tuple[tuple[int, str], ...]  # (id, origin) of its statements as read
    verdicts: tuple[Triage, ...]
    fresh: bool  # segmented afresh (no statement of the user's) rather than re-labelled


def retriage(journal: UnitOfWork, feedback_id: int | None = None) -> TriageRun:
    """Triage feedback again (one piece, or all) with the current model.

    Statements the user labelled are never touched. Feedback without any is segmented
    afresh; feedback with some keeps its statements and only the others are re-labelled.
    The model runs between a read and the write, never inside the write; feedback whose
    statements changed in between is left as it is.
    """
    with journal.reading() as session:
        query = select(FeedbackRow).options(
            selectinload(FeedbackRow.statements).selectinload(StatementRow.skills)
        )
        if feedback_id is not None:
            query = query.where(FeedbackRow.id == feedback_id)
        read = [
            (row.id, row.text, [(s.id, s.text, s.origin) for s in row.statements])
            for row in session.scalars(query.order_by(FeedbackRow.id))
        ]
    if feedback_id is not None and not read:
        raise NotFound("feedback", feedback_id)
    pipeline = triager(journal)
    pending = []
    for fid, text, statements in read:
        mine = any(origin == "user" for _, _, origin in statements)
        texts = [t for _, t, origin in statements if origin != "user"]
        verdicts = pipeline.classify(texts) if mine else pipeline.triage_text(text)
        snapshot = tuple((sid, origin) for sid, _, origin in statements)
        pending.append(_Pending(fid, snapshot, tuple(verdicts), not mine))
    version = journal.triage_backend().version
    total = changed = kept = skipped = 0
    with journal.transaction() as session:
        rows = {
            row.id: row
            for row in session.scalars(
                select(FeedbackRow)
                .where(FeedbackRow.id.in_([p.feedback_id for p in pending]))
                .options(selectinload(FeedbackRow.statements).selectinload(StatementRow.skills))
            )
        }
        for item in pending:
            row = rows.get(item.feedback_id)
            if row is None or tuple((s.id, s.origin) for s in row.statements) != item.statements:
                skipped += 1  # deleted or labelled meanwhile: the next re-triage will see it
                continue
            kept += sum(1 for s in row.statements if s.origin == "user")
            fresh = list(item.verdicts)
            if item.fresh and [t.text for t in fresh] != [s.text for s in row.statements]:
                # The statements themselves changed: replace them (they get new ids).
                changed += max(len(fresh), len(row.statements))
                row.statements.clear()
                session.flush()
                store_triage(journal, row, fresh)
                total += len(fresh)
                continue
            # The same statements: re-label them in place, keeping the ids the user knows.
            others = [s for s in row.statements if s.origin != "user"]
            for statement, verdict in zip(others, fresh, strict=True):
                before = (statement.label, tuple(x.skill for x in statement.skills))
                changed += before != (verdict.label, verdict.skills)
                statement.label = verdict.label
                set_skills(statement, verdict.skills)
                statement.confidence = verdict.confidence
                statement.explanation = verdict.explanation
                statement.origin = verdict.origin
                statement.model_version = version
                statement.updated_at = utcnow()
            total += len(row.statements)
    return TriageRun(len(read) - skipped, total, changed, kept, version, skipped)
