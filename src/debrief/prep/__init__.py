"""Preparation: the questions a candidate is asked and practises, and the stories they tell,
tied to the weaknesses that recur in their own feedback.

  similar   word vectors of questions, and the bank questions nearest to one
  same      the same question asked again
  infer     a question's kind, skill area, sub-skill and competency guessed from its words; pasted
            notes read into questions
  propose   which practice questions to work on now: for the weak themes, for a coming round
  coverage  for each open weakness theme, the questions asked and practised on it, and how they
            went over time
  stories   the STAR bank's gaps and over-used stories, and the feedback that names a story
  measure   how well questions are read, on questions labelled by a person (`make bench`)

`prepare(journal)` reads what they all need once; `from_notes` reads a round's pasted notes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from debrief.model import Interview, Question, Story
from debrief.plan.records import PracticeEntry
from debrief.prep.coverage import Coverage, coverage
from debrief.prep.propose import Proposals, propose_questions
from debrief.prep.same import same_groups
from debrief.prep.stories import StoryBank, read_bank
from debrief.themes import Facts, ThemeReport, report_from_facts, scoped

if TYPE_CHECKING:
    from debrief.journal import Journal

__all__ = [
    "FromNotes",
    "Preparation",
    "asked_times",
    "from_notes",
    "next_round",
    "prepare",
    "repeated",
    "story_bank",
]


def asked_times(questions: Sequence[Question]) -> dict[int, int]:
    """For each question (by id), in how many rounds the same question was asked."""
    groups = same_groups([q.text for q in questions])
    rounds: dict[int, set[int]] = {}
    for question, group in zip(questions, groups, strict=True):
        rounds.setdefault(group, set()).add(question.interview_id)
    return {q.id: len(rounds[g]) for q, g in zip(questions, groups, strict=True)}


def repeated(questions: Sequence[Question]) -> list[tuple[Question, int]]:
    """The questions asked in more than one round: the latest asking of each, with the number
    of rounds, most asked first."""
    groups = same_groups([q.text for q in questions])
    rounds: dict[int, set[int]] = {}
    latest: dict[int, Question] = {}
    for question, group in zip(questions, groups, strict=True):
        rounds.setdefault(group, set()).add(question.interview_id)
        latest[group] = question
    counted = Counter({g: len(r) for g, r in rounds.items() if len(r) > 1})
    return [(latest[g], n) for g, n in counted.most_common()]


@dataclass(frozen=True, slots=True)
class Preparation:
    """Everything preparation is read from, as of one day."""

    as_of: date
    facts: Facts
    report: ThemeReport
    questions: tuple[Question, ...]
    practice: tuple[PracticeEntry, ...]
    stories: tuple[Story, ...]

    def proposals(self, *, round_kind: str | None = None, count: int = 10) -> Proposals:
        return propose_questions(
            self.report, self.questions, self.practice, round_kind=round_kind, count=count
        )

    def coverage(self) -> list[Coverage]:
        return coverage(self.report, self.facts, self.questions, self.practice)

    def story_bank(self) -> StoryBank:
        return read_bank(self.stories, self.questions, self.facts.mentions)


PREPARE_AHEAD_DAYS = 14


def next_round(journal: Journal, *, as_of: date | None = None) -> Interview | None:
    """The next pending real round within two weeks, if any: what to prepare for by default."""
    from datetime import timedelta

    from debrief.model import Outcome, local_today

    today = as_of or local_today()
    coming = [
        i
        for i in journal.list_interviews(
            since=today, until=today + timedelta(days=PREPARE_AHEAD_DAYS)
        )
        if not i.mock and i.outcome is Outcome.PENDING
    ]
    return min(coming, key=lambda i: (i.held_on, i.id), default=None)


def story_bank(journal: Journal) -> StoryBank:
    """The story bank read against the rounds, without the themes `prepare` builds: the
    stories, the questions they answered and the statements that may name them."""
    mentions = scoped(journal.facts()).mentions
    return read_bank(journal.list_stories(), journal.list_questions(), mentions)


def prepare(
    journal: Journal, *, as_of: date | None = None, read: tuple[Facts, ThemeReport] | None = None
) -> Preparation:
    """Read what preparation needs from a journal (the themes, unless `read` has them)."""
    from debrief.plan import ActionPlan

    if read is None:
        facts = scoped(journal.facts())
        report = report_from_facts(facts, as_of=as_of)
    else:
        facts, report = read
    return Preparation(
        as_of=report.as_of,
        facts=facts,
        report=report,
        questions=tuple(journal.list_questions()),
        practice=tuple(ActionPlan(journal).practice_log()),
        stories=tuple(journal.list_stories()),
    )


@dataclass(frozen=True, slots=True)
class FromNotes:
    """The questions read from a round's notes, ready for the journal, and what was left out."""

    questions: tuple[dict[str, object], ...]  # new to the round, with what was guessed
    already: int  # questions the round already has (pasting twice records nothing twice)
    unknown_stories: tuple[str, ...]  # "story:" names that match no story


def from_notes(journal: Journal, interview_id: int, text: str) -> FromNotes:
    """Read pasted notes of a round into questions (`infer.read_notes`): the story each names
    found by its title as the journal compares titles, the rest guessed from the words."""
    from debrief.errors import InvalidInput
    from debrief.model import folded_words
    from debrief.prep.infer import read_notes, with_guesses

    journal.get_interview(interview_id)  # an unknown round is refused before anything else
    found = read_notes(text)
    if not found:
        raise InvalidInput("notes", "no question found (mark them 'Q:' or end them with '?')")
    had = {folded_words(q.text) for q in journal.list_questions(interview_id=interview_id)}
    new = [q for q in found if folded_words(q.text) not in had]
    unknown: list[str] = []
    given = []
    for question in new:
        story = journal.find_story(question.story) if question.story else None
        if question.story and story is None:
            unknown.append(question.story)
        given.append(
            {
                "text": question.text,
                "notes": question.notes,
                "rating": question.rating,
                "story": story.id if story else None,
            }
        )
    return FromNotes(
        tuple(with_guesses(given)), len(found) - len(new), tuple(dict.fromkeys(unknown))
    )
