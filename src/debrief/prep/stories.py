"""The STAR story bank read against the rounds: where each story was told, the competencies
asked about with no story for them, stories leaned on too often, and the feedback that names a
story.

A story is over-used when it was told to one company in two rounds (its interviewers compare
notes), or when it answered at least `OVERUSED_SHARE` of the behavioural questions a story was
told for, over at least `OVERUSED_MIN` of them. Feedback names a story when a statement speaks
of one story, anecdote or example (not "stories", not "for example") and has a word of the
story's title or a cue of a competency it shows ("the conflict story lacked a result"): among
the stories told in the statement's round, if any were, else among all, and only when one
story matches.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from debrief.bank import competency_ids, load_competencies
from debrief.journal.facts import StatementFact
from debrief.model import Question, Story, folded
from debrief.prep.similar import words_of

OVERUSED_SHARE = 0.4
OVERUSED_MIN = 3
# A statement speaks of one story: "story", "anecdote" or "STAR answer", or "example" with
# "your", "the", "that" or "this" before it ("For example, ..." speaks of none; "your stories"
# of them all).
_NAMES_A_STORY = re.compile(
    r"\b(story|anecdote|star (answer|story))\b|\b(your|the|that|this)\s+(\w+\s+){0,2}example\b",
    re.I,
)
# Title words that name no story in particular.
_GENERIC = frozenset(words_of("story example project time the a my with about when"))


@dataclass(frozen=True, slots=True)
class StoryUse:
    """A story with where it was told and the feedback that named it."""

    story: Story
    told: tuple[Question, ...]  # the questions it answered, oldest first
    rounds: int
    companies: tuple[str, ...]
    overused: str | None  # why it is over-used, if it is
    feedback: tuple[StatementFact, ...]  # statements that name it, oldest first


@dataclass(frozen=True, slots=True)
class Gap:
    """A competency with no story for it."""

    competency: str
    name: str
    asked: int  # behavioural questions on it asked in rounds
    last_asked: date | None


@dataclass(frozen=True, slots=True)
class StoryBank:
    """The bank read against the rounds."""

    stories: tuple[StoryUse, ...]
    asked_without_story: tuple[Gap, ...]  # asked in rounds, no story shows it: most asked first
    no_story_yet: tuple[Gap, ...]  # not asked yet, no story shows it


def read_bank(
    stories: Sequence[Story], questions: Sequence[Question], mentions: Sequence[StatementFact]
) -> StoryBank:
    """Uses, gaps, over-use and named feedback of every story."""
    told: dict[int, list[Question]] = defaultdict(list)
    for question in questions:
        if question.story_id is not None:
            told[question.story_id].append(question)
    answered = sum(len(v) for v in told.values())
    named = attach_feedback(stories, questions, mentions)
    uses = []
    for story in stories:
        mine = sorted(told.get(story.id, []), key=lambda q: (q.held_on, q.interview_id))
        rounds = len({q.interview_id for q in mine})
        uses.append(
            StoryUse(
                story=story,
                told=tuple(mine),
                rounds=rounds,
                companies=tuple(dict.fromkeys(q.company for q in mine if q.company)),
                overused=_overused(mine, answered),
                feedback=tuple(named.get(story.id, ())),
            )
        )
    shown = {c for story in stories for c in story.competencies}
    asked = Counter(q.competency for q in questions if q.competency and q.competency not in shown)
    last: dict[str, date] = {}
    for question in questions:
        if question.competency:
            last[question.competency] = max(
                last.get(question.competency, date.min), question.held_on
            )
    names = {c.id: c.name for c in load_competencies()}
    without = tuple(Gap(c, names.get(c, c), n, last.get(c)) for c, n in asked.most_common())
    not_yet = tuple(
        Gap(c, names[c], 0, None) for c in competency_ids() if c not in shown and c not in asked
    )
    return StoryBank(tuple(uses), without, not_yet)


def _overused(told: Sequence[Question], answered: int) -> str | None:
    by_company: dict[str, set[int]] = defaultdict(set)
    for question in told:
        if question.company:
            by_company[question.company].add(question.interview_id)
    twice = [company for company, rounds in by_company.items() if len(rounds) > 1]
    if twice:
        return f"told to {twice[0]} in {len(by_company[twice[0]])} rounds"
    if len(told) >= OVERUSED_MIN and answered and len(told) / answered >= OVERUSED_SHARE:
        return f"answered {len(told)} of the {answered} questions you told a story for"
    return None


def attach_feedback(
    stories: Sequence[Story], questions: Sequence[Question], mentions: Sequence[StatementFact]
) -> dict[int, list[StatementFact]]:
    """The statements that name each story (by story id), oldest first."""
    if not stories:
        return {}
    by_round: dict[int, set[int]] = defaultdict(set)
    for question in questions:
        if question.story_id is not None:
            by_round[question.interview_id].add(question.story_id)
    marks = {story.id: _marks(story) for story in stories}
    found: dict[int, list[StatementFact]] = defaultdict(list)
    for mention in sorted(mentions, key=lambda m: (m.day, m.statement_id)):
        if not _NAMES_A_STORY.search(mention.text):
            continue
        words = set(words_of(mention.text))
        told_there = by_round.get(mention.interview_id or -1, set())
        candidates = [s for s in stories if s.id in told_there] or list(stories)
        hits = [s for s in candidates if words & marks[s.id]]
        if len(hits) == 1 or (hits and len(candidates) == 1):
            found[hits[0].id].append(mention)
    return dict(found)


def _marks(story: Story) -> set[str]:
    """The words that name a story: its title's, and its competencies' cue words."""
    marks = set(words_of(story.title)) - _GENERIC
    cues = {c.id: c.cues for c in load_competencies()}
    for competency in story.competencies:
        for cue in cues.get(competency, ()):
            if " " not in cue:
                marks.update(words_of(folded(cue.rstrip("*"))))
    return marks
