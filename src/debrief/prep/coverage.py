"""Coverage: for each open weakness theme, the questions on its skill area asked in real and
mock rounds and practised from the bank, how they went over time, and whether the theme came
back in the rounds after practice began.

"How they went" is the 1-5 rating the candidate gave each question asked or practised, the
earlier half against the later half in time order; with fewer than `MIN_RATED` ratings it is
unclear. "Came back" counts the rounds after the first practice that tested the area (by their
kind, rubric or feedback) and those of them whose feedback or rubric raised it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean

from debrief.bank import load_bank
from debrief.model import Question
from debrief.plan.records import PracticeEntry
from debrief.themes import Facts, Theme, ThemeReport, ThemeSettings, load_settings
from debrief.themes.build import raised, testing_rounds

MIN_RATED = 4  # ratings needed before saying whether they rose or fell
CHANGE = 0.5  # the change of the mean rating (on 1-5) that counts as better or worse


@dataclass(frozen=True, slots=True)
class Rated:
    """One rating of a question on the theme: asked in a round, or practised."""

    day: date
    where: str  # "real", "mock" or "practice"
    rating: int
    text: str


@dataclass(frozen=True, slots=True)
class Coverage:
    """What the candidate met and did on one weakness theme."""

    skill: str
    name: str
    rank: int
    subskills: tuple[str, ...]  # the theme's named sub-themes, most raised first
    asked_real: int
    asked_mock: int
    practised: int
    practised_subskills: int  # of the practice, on one of the theme's sub-themes
    ratings: tuple[Rated, ...]  # oldest first
    first_practice: date | None
    tested_since: int  # rounds testing the area after the first practice
    raised_since: int  # of which raised the theme again
    last_raised: date

    @property
    def direction(self) -> str:
        """better, worse, steady, or unclear (too few ratings)."""
        if len(self.ratings) < MIN_RATED:
            return "unclear"
        half = len(self.ratings) // 2
        early = fmean(r.rating for r in self.ratings[:half])
        late = fmean(r.rating for r in self.ratings[-half:])
        if late - early >= CHANGE:
            return "better"
        if early - late >= CHANGE:
            return "worse"
        return "steady"

    @property
    def mean_rating(self) -> float | None:
        return fmean(r.rating for r in self.ratings) if self.ratings else None

    @property
    def came_back(self) -> str:
        """One sentence on whether the theme came back after practice began."""
        if self.first_practice is None:
            return "not practised yet"
        since = f"since practice began ({self.first_practice})"
        if not self.tested_since:
            return f"no round has tested it {since}"
        return f"raised again in {self.raised_since} of {self.tested_since} rounds {since}"


def open_weaknesses(report: ThemeReport) -> list[Theme]:
    """The recurring weaknesses (raised in two or more interviews), in rank order."""
    return [t for t in report.weaknesses if t.status == "theme"]


def coverage(
    report: ThemeReport,
    facts: Facts,
    questions: Sequence[Question],
    practice: Sequence[PracticeEntry],
    *,
    settings: ThemeSettings | None = None,
) -> list[Coverage]:
    """Coverage of each open weakness theme, in the themes' order."""
    settings = settings or load_settings()
    bank = load_bank()
    # A question a later bank no longer has is left out.
    practised = [
        (entry, question)
        for entry in practice
        if entry.question and entry.done_on <= report.as_of
        if (question := bank.find(entry.question)) is not None
    ]
    found = []
    for theme in open_weaknesses(report):
        subskills = tuple(s.subskill for s in theme.subthemes if s.subskill)
        asked = [q for q in questions if q.skill == theme.skill and q.held_on <= report.as_of]
        mine = [(e, q) for e, q in practised if q.skill == theme.skill]
        ratings = [
            Rated(q.held_on, "mock" if q.mock else "real", q.rating, q.text)
            for q in asked
            if q.rating is not None
        ] + [Rated(e.done_on, "practice", e.rating, q.text) for e, q in mine if e.rating]
        ratings.sort(key=lambda r: r.day)
        first = min((e.done_on for e, _ in mine), default=None)
        after = []
        if first is not None:
            after = [
                r
                for r in testing_rounds(theme.skill, facts.rounds, report.as_of)
                if r.held_on > first
            ]
        found.append(
            Coverage(
                skill=theme.skill,
                name=theme.name,
                rank=theme.rank,
                subskills=subskills,
                asked_real=sum(1 for q in asked if not q.mock),
                asked_mock=sum(1 for q in asked if q.mock),
                practised=len(mine),
                practised_subskills=sum(1 for _, q in mine if q.subskill in subskills),
                ratings=tuple(ratings),
                first_practice=first,
                tested_since=len(after),
                raised_since=sum(1 for r in after if raised(r, theme.skill, "weakness", settings)),
                last_raised=theme.last_seen,
            )
        )
    return found
