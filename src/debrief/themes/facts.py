"""What themes are built from: the journal's facts, kept to one scope.

Two kinds of fact, both from `debrief.journal.facts`: mentions (constructive and strength
statements with everything known about where they came from) and rounds (interviews with what
they tested and what their feedback raised). Statements labelled circumstance or noise never
enter a theme; they are only counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from debrief.journal.facts import SKILLED, InterviewFact, JournalFacts, StatementFact
from debrief.model import Label

if TYPE_CHECKING:
    from debrief.journal import Journal

Scope = Literal["all", "real", "mock"]


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything themes need, for one scope."""

    mentions: tuple[StatementFact, ...]  # constructive and strength statements
    rounds: tuple[InterviewFact, ...]
    excluded: dict[str, int]  # circumstance and noise statements in scope, left out of themes


def load_facts(journal: Journal, *, since: date | None = None, scope: Scope = "all") -> Facts:
    """Read the mentions and rounds in scope: `since` a day, from real or mock interviews."""
    return scoped(journal.facts(), since=since, scope=scope)


def scoped(facts: JournalFacts, *, since: date | None = None, scope: Scope = "all") -> Facts:
    """The journal's facts kept to a scope (a pure function)."""
    excluded = dict.fromkeys((Label.CIRCUMSTANCE.value, Label.NOISE.value), 0)
    mentions = []
    for statement in facts.statements:
        if not _in_scope(statement, since, scope):
            continue
        if statement.label in SKILLED:
            mentions.append(statement)
        else:
            excluded[statement.label] += 1
    rounds = [
        r
        for r in facts.interviews
        if (since is None or r.held_on >= since) and (scope == "all" or r.mock == (scope == "mock"))
    ]
    return Facts(tuple(mentions), tuple(rounds), excluded)


def _in_scope(mention: StatementFact, since: date | None, scope: Scope) -> bool:
    if since is not None and mention.day < since:
        return False
    if scope == "all":
        return True
    if scope == "mock":
        return mention.mock is True
    # Real: a real interview, or feedback on an application; a note on no record is neither.
    return mention.mock is False or (mention.mock is None and mention.application_id is not None)
