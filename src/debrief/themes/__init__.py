"""Themes: the weaknesses and strengths that recur across real and mock interviews.

`find_themes(journal)` reads the triaged statements (constructive and strength only: circumstance
and noise never enter a theme), groups them by skill area into ranked themes with sub-themes,
trend and evidence, and adds the self-assessment gap. The result is a frozen `ThemeReport`.
Layers: `facts` reads the journal, `subskills` says which sub-skill each statement is about,
`cluster` groups the statements that fit none by their words, `build` ranks, `gap` compares
self-ratings with the outside view.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from debrief.journal.facts import InterviewFact, StatementFact
from debrief.model import local_today, parse_date
from debrief.taxonomy import skill_named
from debrief.themes.build import (
    Evidence,
    SubTheme,
    Theme,
    ThemeKind,
    ThemeSettings,
    Trend,
    build_themes,
    load_settings,
    place,
    raised,
    testing_rounds,
)
from debrief.themes.facts import Facts, Scope, load_facts, scoped
from debrief.themes.gap import SelfGap, self_assessment
from debrief.themes.subskills import SubSkill, load_subskills

if TYPE_CHECKING:
    from debrief.journal import Journal

__all__ = [
    "Evidence",
    "Facts",
    "InterviewFact",
    "Scope",
    "SelfGap",
    "StatementFact",
    "SubSkill",
    "SubTheme",
    "Theme",
    "ThemeKind",
    "ThemeReport",
    "ThemeSettings",
    "Trend",
    "find_themes",
    "load_facts",
    "load_settings",
    "raised",
    "report_from_facts",
    "scoped",
    "skill_named",
    "subskill_name",
    "testing_rounds",
]


@dataclass(frozen=True, slots=True)
class ThemeReport:
    """Every theme of a journal at one moment, and what they were built from."""

    as_of: date
    since: date | None
    scope: str
    weaknesses: tuple[Theme, ...]
    strengths: tuple[Theme, ...]
    self_assessment: tuple[SelfGap, ...]
    statements: int  # constructive and strength statements considered
    interviews: int  # interviews in scope
    excluded: dict[str, int]  # circumstance and noise statements in scope, left out
    settings_version: int
    # The day recency counts back from: as_of, or the journal's latest feedback or round
    # before it, so a journal whose interviews are years old ranks by its own evidence.
    recent_to: date | None = None

    def about(self, skill: str) -> tuple[Theme, ...]:
        """The weakness and the strength theme of one skill area (either may be missing)."""
        return tuple(t for t in (*self.weaknesses, *self.strengths) if t.skill == skill)


def find_themes(
    journal: Journal,
    *,
    since: date | str | None = None,
    scope: Scope = "all",
    as_of: date | None = None,
    settings: ThemeSettings | None = None,
) -> ThemeReport:
    """The journal's themes: from real and mock interviews (or one `scope`), `since` a day."""
    start = parse_date(since, "since") if since is not None else None
    return report_from_facts(
        load_facts(journal, since=start, scope=scope),
        since=start,
        scope=scope,
        as_of=as_of,
        settings=settings,
    )


def report_from_facts(
    facts: Facts,
    *,
    since: date | None = None,
    scope: Scope = "all",
    as_of: date | None = None,
    settings: ThemeSettings | None = None,
) -> ThemeReport:
    """Themes from facts already read (a pure function: same facts, same report), as they
    stood on `as_of` (default: today): statements and rounds after it are left out, and
    recency counts back from the latest of them, not from the wall clock."""
    settings = settings or load_settings()
    as_of = as_of or local_today()
    facts = dataclasses.replace(
        facts,
        mentions=tuple(m for m in facts.mentions if m.day <= as_of),
        rounds=tuple(r for r in facts.rounds if r.held_on <= as_of),
    )
    recent_to = latest_activity(facts) or as_of
    placed = place(facts.mentions)
    return ThemeReport(
        as_of=as_of,
        since=since,
        scope=scope,
        weaknesses=build_themes(
            facts, "weakness", as_of=recent_to, settings=settings, placed=placed
        ),
        strengths=build_themes(
            facts, "strength", as_of=recent_to, settings=settings, placed=placed
        ),
        self_assessment=self_assessment(facts.rounds, settings),
        statements=len(facts.mentions),
        interviews=len(facts.rounds),
        excluded=dict(facts.excluded),
        settings_version=settings.version,
        recent_to=recent_to,
    )


def latest_activity(facts: Facts) -> date | None:
    """The day of the journal's latest statement or round in scope (None: it has neither)."""
    days = [m.day for m in facts.mentions] + [r.held_on for r in facts.rounds]
    return max(days, default=None)


def subskill_name(subskill: str) -> str:
    """How a person reads a sub-skill id ("experimentation.peeking" is "peeking and sequential
    testing"); an id the list no longer has is shown as it is."""
    try:
        return load_subskills().get(subskill).name
    except KeyError:
        return subskill
