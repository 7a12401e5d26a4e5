"""The STAR story bank: stories with their situation, task, action and result, and the
competencies and skill areas they show. A story's title is unique (compared folded), so "the
conflict story" names one story."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from debrief.bank import competency_named
from debrief.errors import InvalidInput, NotFound
from debrief.journal.fields import UNSET, _Unset, skill_list
from debrief.journal.unit import UnitOfWork
from debrief.model import (
    MAX_NAME,
    Deleted,
    Story,
    clean_text,
    folded_words,
    is_whole,
    record_id,
    utcnow,
)
from debrief.storage.schema import QuestionRow, StoryRow, StoryTagRow

MAX_PART = 5_000  # one of situation, task, action, result
PARTS = ("situation", "task", "action", "result")


def to_story(row: StoryRow) -> Story:
    return Story(
        id=row.id,
        title=row.title,
        situation=row.situation,
        task=row.task,
        action=row.action,
        result=row.result,
        competencies=tuple(t.value for t in row.tags if t.kind == "competency"),
        skills=tuple(t.value for t in row.tags if t.kind == "skill"),
        notes=row.notes,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def title_key(title: str) -> str:
    """What makes two titles the same title: compared folded (case, accents, spaces), kept as a
    hash so a title whose folding is longer than itself still fits its column."""
    return hashlib.sha256(folded_words(title).encode("utf-8")).hexdigest()


def competency_list(values: Iterable[str] | str) -> list[str]:
    """Competencies from a list or 'a,b' text, each checked."""
    items = values.split(",") if isinstance(values, str) else list(values)
    chosen: list[str] = []
    for item in items:
        if item.strip():
            competency = competency_named(item, "competencies")
            if competency not in chosen:
                chosen.append(competency)
    return chosen


def _title(title: str) -> str:
    name = clean_text(title, "title", MAX_NAME, required=True) or ""
    if is_whole(name.lstrip("#")):
        raise InvalidInput("title", f"'{name}' would read as a story's number; add a word")
    return name


def find_story(journal: UnitOfWork, title: str) -> Story | None:
    """The story titled `title` (compared folded), if there is one."""
    with journal.reading() as session:
        row = session.scalar(select(StoryRow).where(StoryRow.title_key == title_key(title)))
        return to_story(row) if row is not None else None


def _parts(given: dict[str, Any]) -> dict[str, str | None]:
    return {
        part: clean_text(given[part], part, MAX_PART)
        for part in PARTS
        if not isinstance(given.get(part, UNSET), _Unset)
    }


def _tags(competencies: Sequence[str], skills: Sequence[str]) -> list[StoryTagRow]:
    return [StoryTagRow(kind="competency", value=c) for c in competencies] + [
        StoryTagRow(kind="skill", value=s) for s in skills
    ]


def _check_title_free(session: Session, title: str, story_id: int | None = None) -> str:
    key = title_key(title)
    other = session.scalar(select(StoryRow).where(StoryRow.title_key == key))
    if other is not None and other.id != story_id:
        raise InvalidInput("title", f"story #{other.id} is already titled '{other.title}'")
    return key


def add_story(
    journal: UnitOfWork,
    title: str,
    *,
    situation: str | None = None,
    task: str | None = None,
    action: str | None = None,
    result: str | None = None,
    competencies: Iterable[str] | str = (),
    skills: Iterable[str] | str = (),
    notes: str | None = None,
) -> Story:
    """Add a story to the bank; a title another story has is refused."""
    name = _title(title)
    parts = _parts(dict(situation=situation, task=task, action=action, result=result))
    chosen = competency_list(competencies)
    areas = skill_list(skills)
    note = clean_text(notes, "notes", MAX_PART)
    with journal.transaction() as session:
        key = _check_title_free(session, name)
        row = StoryRow(title=name, title_key=key, notes=note, tags=_tags(chosen, areas), **parts)
        session.add(row)
        session.flush()
        return to_story(row)


def edit_story(
    journal: UnitOfWork,
    ref: int | str,
    *,
    title: str | _Unset = UNSET,
    situation: str | _Unset | None = UNSET,
    task: str | _Unset | None = UNSET,
    action: str | _Unset | None = UNSET,
    result: str | _Unset | None = UNSET,
    competencies: Iterable[str] | str | _Unset = UNSET,
    skills: Iterable[str] | str | _Unset = UNSET,
    notes: str | _Unset | None = UNSET,
) -> Story:
    """Change what is given of a story; competencies and skills given replace the old ones."""
    name = (
        None if isinstance(title, _Unset) else clean_text(title, "title", MAX_NAME, required=True)
    )
    parts = _parts(dict(situation=situation, task=task, action=action, result=result))
    chosen = None if isinstance(competencies, _Unset) else competency_list(competencies)
    areas = None if isinstance(skills, _Unset) else skill_list(skills)
    note = UNSET if isinstance(notes, _Unset) else clean_text(notes, "notes", MAX_PART)
    with journal.transaction() as session:
        row = _story_row(session, ref)
        if name is not None:
            row.title_key = _check_title_free(session, name, row.id)
            row.title = name
        for part, value in parts.items():
            setattr(row, part, value)
        if not isinstance(note, _Unset):
            row.notes = note
        if chosen is not None or areas is not None:
            old = to_story(row)
            row.tags.clear()
            session.flush()
            row.tags.extend(
                _tags(
                    old.competencies if chosen is None else chosen,
                    old.skills if areas is None else areas,
                )
            )
        row.updated_at = utcnow()
        session.flush()
        return to_story(row)


def _story_row(session: Session, ref: int | str) -> StoryRow:
    """The story an id or a title names."""
    if isinstance(ref, int) or is_whole(str(ref).strip().lstrip("#")):
        number = record_id(str(ref).strip().lstrip("#"), "story")
        row = session.get(StoryRow, number)
        if row is None:
            raise NotFound("story", number)
        return row
    found = session.scalar(select(StoryRow).where(StoryRow.title_key == title_key(str(ref))))
    if found is None:
        raise InvalidInput("story", f"no story is titled '{str(ref)[:80]}'")
    return found


def story_id(session: Session, ref: int | str) -> int:
    """The id of the story an id or a title names (for questions that tell it)."""
    return _story_row(session, ref).id


def get_story(journal: UnitOfWork, ref: int | str) -> Story:
    with journal.reading() as session:
        return to_story(_story_row(session, ref))


def list_stories(journal: UnitOfWork) -> list[Story]:
    with journal.reading() as session:
        query = select(StoryRow).options(selectinload(StoryRow.tags)).order_by(StoryRow.id)
        return [to_story(row) for row in session.scalars(query)]


def delete_story(journal: UnitOfWork, ref: int | str) -> Deleted:
    """Delete a story; the questions it answered stay, telling no story."""
    with journal.transaction() as session:
        row = _story_row(session, ref)
        told = session.scalars(select(QuestionRow).where(QuestionRow.story_id == row.id)).all()
        for question in told:
            question.story_id = None
        story = row.id
        session.delete(row)
        return Deleted("story", story)
