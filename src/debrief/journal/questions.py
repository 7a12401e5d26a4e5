"""Questions asked in a round, real or mock: their text, kind, skill area and sub-skill, how it
went (1-5), notes, who recorded them, and the story told in answer. A round's questions are
numbered in the order they were asked; several added at once (pasted notes, a partner's list)
are checked together and written together, or not at all."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from debrief.bank import competency_named
from debrief.errors import InvalidInput
from debrief.journal.fields import _Unset
from debrief.journal.records import fetch
from debrief.journal.stories import story_id
from debrief.journal.unit import UnitOfWork
from debrief.model import (
    MAX_NOTES,
    MAX_QUESTION,
    Deleted,
    InterviewKind,
    Question,
    QuestionKind,
    QuestionSource,
    clean_text,
    parse_rating,
    utcnow,
)
from debrief.storage.schema import InterviewRow, QuestionRow
from debrief.taxonomy import area_name, skill_named, subskill_areas, subskill_named

MAX_AT_ONCE = 200  # questions of one round added at once
QUESTION_FIELDS = ("text", "kind", "skill", "subskill", "competency", "rating", "notes", "story")


def to_question(row: QuestionRow) -> Question:
    """A question record (its interview and the interview's application must be loaded)."""
    interview = row.interview
    application = interview.application
    return Question(
        id=row.id,
        interview_id=row.interview_id,
        number=row.position,
        text=row.text,
        kind=QuestionKind(row.kind),
        skill=row.skill,
        subskill=row.subskill,
        competency=row.competency,
        rating=row.rating,
        notes=row.notes,
        source=QuestionSource(row.source),
        story_id=row.story_id,
        held_on=interview.held_on,
        mock=interview.application_id is None,
        round_kind=InterviewKind(interview.kind),
        company=application.company if application else None,
        created_at=row.created_at,
    )


def _query() -> Any:
    return select(QuestionRow).options(
        joinedload(QuestionRow.interview).joinedload(InterviewRow.application)
    )


def question_values(given: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """A question's fields checked and turned into stored values (InvalidInput names the
    field). With `partial`, only the fields given are checked (an edit)."""
    unknown = sorted(set(given) - set(QUESTION_FIELDS))
    if unknown:
        raise InvalidInput(unknown[0], "is not a field of a question")
    values: dict[str, Any] = {}
    if "text" in given or not partial:
        values["text"] = clean_text(given.get("text"), "text", MAX_QUESTION, required=True)
    if "kind" in given or not partial:
        kind = given.get("kind")
        values["kind"] = (
            QuestionKind.parse(kind, "kind").value if kind else QuestionKind.OTHER.value
        )
    if given.get("subskill"):
        values["subskill"] = subskill_named(str(given["subskill"]))
    elif "subskill" in given:
        values["subskill"] = None
    if given.get("skill"):
        values["skill"] = skill_named(str(given["skill"]))
    elif "skill" in given:
        values["skill"] = None
    if values.get("subskill"):
        area = subskill_areas()[values["subskill"]]
        if values.setdefault("skill", area) not in (None, area):
            raise InvalidInput(
                "subskill",
                f"'{values['subskill']}' is part of {area_name(area)}, "
                f"not {area_name(values['skill'])}",
            )
        values["skill"] = area
    if "competency" in given:
        competency = given["competency"]
        values["competency"] = competency_named(str(competency)) if competency else None
    if "rating" in given:
        rating = given["rating"]
        values["rating"] = None if rating in (None, "") else parse_rating(rating, "rating")
    if "notes" in given:
        values["notes"] = clean_text(given["notes"], "notes", MAX_NOTES)
    if "story" in given:
        values["story"] = given["story"] if given["story"] not in ("", None) else None
    return values


def _with_story(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """The values with the story given (an id or a title) turned into its id."""
    row = dict(values)
    if "story" in row:
        story = row.pop("story")
        row["story_id"] = None if story is None else story_id(session, story)
    return row


def add_questions(
    journal: UnitOfWork,
    interview_id: int,
    questions: Sequence[Mapping[str, Any]],
    *,
    source: QuestionSource | str = QuestionSource.SELF,
) -> list[Question]:
    """Add questions asked in a round, after the ones it has; all are checked before any is
    written. `questions` holds, for each, its text and any of kind, skill, subskill,
    competency, rating (1-5), notes and story (an id or a title)."""
    origin = QuestionSource.parse(source, "source").value
    if not questions:
        raise InvalidInput("questions", "no question was given")
    if len(questions) > MAX_AT_ONCE:
        raise InvalidInput("questions", f"{len(questions)} at once; the limit is {MAX_AT_ONCE}")
    checked = []
    for number, given in enumerate(questions, 1):
        try:
            checked.append(question_values(given))
        except InvalidInput as error:
            if len(questions) == 1:
                raise
            raise InvalidInput(error.field, f"(question {number}) {error.detail}") from None
    with journal.transaction() as session:
        interview = fetch(session, InterviewRow, "interview", interview_id)
        last = session.scalar(
            select(func.max(QuestionRow.position)).where(QuestionRow.interview_id == interview.id)
        )
        rows = [
            QuestionRow(
                interview=interview,
                position=(last or 0) + offset,
                source=origin,
                **_with_story(session, values),
            )
            for offset, values in enumerate(checked, 1)
        ]
        session.add_all(rows)
        session.flush()
        return [to_question(row) for row in rows]


def add_question(
    journal: UnitOfWork,
    interview_id: int,
    text: str,
    *,
    source: QuestionSource | str = QuestionSource.SELF,
    **fields: Any,
) -> Question:
    """Add one question asked in a round (the fields as in `add_questions`)."""
    return add_questions(journal, interview_id, [{"text": text, **fields}], source=source)[0]


def edit_question(journal: UnitOfWork, question_id: int, **fields: Any) -> Question:
    """Change what is given of a question (None clears an optional field)."""
    given = {name: value for name, value in fields.items() if not isinstance(value, _Unset)}
    values = question_values(given, partial=True)
    with journal.transaction() as session:
        row = fetch(session, QuestionRow, "question", question_id)
        for name, value in _with_story(session, values).items():
            setattr(row, name, value)
        # A sub-skill belongs to one area: a new area (or none) leaves it behind.
        moved = "skill" in values and "subskill" not in values and row.subskill is not None
        if moved and subskill_areas().get(row.subskill or "") != row.skill:
            row.subskill = None
        row.updated_at = utcnow()
        session.flush()
        return to_question(row)


def get_question(journal: UnitOfWork, question_id: int) -> Question:
    with journal.reading() as session:
        row = session.scalar(_query().where(QuestionRow.id == question_id))
        if row is None:
            fetch(session, QuestionRow, "question", question_id)  # raises NotFound
        return to_question(row)


def list_questions(
    journal: UnitOfWork,
    *,
    interview_id: int | None = None,
    skill: str | None = None,
    story: int | str | None = None,
) -> list[Question]:
    """Questions asked, in the order of their rounds (oldest first) and of asking."""
    with journal.reading() as session:
        query = _query().join(QuestionRow.interview)
        if interview_id is not None:
            fetch(session, InterviewRow, "interview", interview_id)
            query = query.where(QuestionRow.interview_id == interview_id)
        if skill is not None:
            query = query.where(QuestionRow.skill == skill_named(skill))
        if story is not None:
            query = query.where(QuestionRow.story_id == story_id(session, story))
        query = query.order_by(InterviewRow.held_on, InterviewRow.id, QuestionRow.position)
        return [to_question(row) for row in session.scalars(query)]


def delete_question(journal: UnitOfWork, question_id: int) -> Deleted:
    with journal.transaction() as session:
        row = fetch(session, QuestionRow, "question", question_id)
        session.delete(row)
        return Deleted("question", question_id)
