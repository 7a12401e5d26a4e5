"""The self-assessment gap: per skill area, does the candidate rate themselves above or below
what the interviews say?

A self-rating (1–5, given before seeing feedback) is compared with each rubric score of the same
interview; an interview without rubric scores lends its outcome instead (passed stands for 4,
rejected for 2, see data/weights.toml) for the skill areas its kind of round tests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import fmean

from debrief.journal.facts import InterviewFact
from debrief.taxonomy import area_name, round_skills
from debrief.themes.build import ThemeSettings


@dataclass(frozen=True, slots=True)
class SelfGap:
    """How one skill area's self-ratings compare with the outside view."""

    skill: str
    name: str
    interviews: int
    by_rubric: int
    by_outcome: int
    mean_self: float
    mean_external: float
    gap: float  # self minus external, in points on the 1–5 scale
    verdict: str  # over-rates, under-rates, about right, or too few to tell


def self_assessment(
    rounds: Iterable[InterviewFact], settings: ThemeSettings
) -> tuple[SelfGap, ...]:
    """The gap per skill area, largest first, for interviews with a self-rating."""
    pairs: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for round_ in rounds:
        if round_.self_rating is None:
            continue
        if round_.rubric:
            for skill, score in round_.rubric.items():
                pairs[skill].append((round_.self_rating, score, "rubric"))
        elif round_.outcome in settings.outcome_rating:
            external = settings.outcome_rating[round_.outcome]
            for skill in round_skills().get(round_.kind, ()):
                pairs[skill].append((round_.self_rating, external, "outcome"))
    gaps = []
    for skill, found in pairs.items():
        mine = fmean(p[0] for p in found)
        theirs = fmean(p[1] for p in found)
        gap = mine - theirs
        if len(found) < settings.gap_min_interviews:
            verdict = "too few to tell"
        elif gap >= settings.gap_threshold:
            verdict = "over-rates"
        elif gap <= -settings.gap_threshold:
            verdict = "under-rates"
        else:
            verdict = "about right"
        gaps.append(
            SelfGap(
                skill=skill,
                name=area_name(skill),
                interviews=len(found),
                by_rubric=sum(1 for p in found if p[2] == "rubric"),
                by_outcome=sum(1 for p in found if p[2] == "outcome"),
                mean_self=round(mine, 2),
                mean_external=round(theirs, 2),
                gap=round(gap, 2),
                verdict=verdict,
            )
        )
    gaps.sort(key=lambda g: (g.verdict == "too few to tell", -abs(g.gap), g.skill))
    return tuple(gaps)
