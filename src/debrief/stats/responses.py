"""Response times and ghosting: how long companies take to answer, and how many never do.

An answer is any sign of life from the company: a status change other than ghosted or
withdrawn, a round, or feedback from a recruiter or interviewer. An application is unanswered
when it was marked ghosted before any answer, or still sits at 'applied' after the response
window (30 days by default).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from debrief.stats.facts import FUNNEL, AppFact
from debrief.stats.funnel import SOURCE_NAMES, not_enough
from debrief.stats.intervals import Prior, Rate, pass_rate_interval

MIN_ANSWERS = 5
RESPONSE = FUNNEL.index("response")


@dataclass(frozen=True, slots=True)
class ResponseTimes:
    """Days to the first answer, and the share never answered, for one group."""

    key: str
    name: str
    applications: int
    answered: int
    days: tuple[int, ...]  # days to the first answer, one per answered application
    undated: int  # answered, but applied on an unknown day: left out of the days
    median_days: float | None
    quartiles: tuple[float, float] | None
    unanswered: Rate  # share of decided applications never answered
    ghosted_later: int  # went silent after at least one answer
    shortage: str | None


def response_times(
    applications: Sequence[AppFact], *, prior: Prior, by_source: bool = True
) -> tuple[ResponseTimes, ...]:
    """All applications first, then one row per source (largest first)."""
    rows = [_times("all", "All applications", applications, prior)]
    if by_source:
        sources: dict[str, list[AppFact]] = {}
        for application in applications:
            sources.setdefault(application.source or "unknown", []).append(application)
        for key, members in sorted(sources.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            rows.append(_times(key, SOURCE_NAMES.get(key, "Unknown source"), members, prior))
    return tuple(rows)


def _times(key: str, name: str, applications: Sequence[AppFact], prior: Prior) -> ResponseTimes:
    days = sorted(d for a in applications if (d := a.response_days) is not None and d >= 0)
    verdicts = [a.reaches(RESPONSE) for a in applications]
    never = verdicts.count(False)
    quartiles = None
    if len(days) >= 2:
        low, _, high = statistics.quantiles(days, n=4, method="inclusive")
        quartiles = (low, high)
    return ResponseTimes(
        key=key,
        name=name,
        applications=len(applications),
        answered=sum(1 for a in applications if a.first_response is not None),
        days=tuple(days),
        undated=sum(
            1 for a in applications if not a.applied_on_known and a.first_response is not None
        ),
        median_days=statistics.median(days) if days else None,
        quartiles=quartiles,
        unanswered=pass_rate_interval(never, never + verdicts.count(True), prior=prior),
        ghosted_later=sum(1 for a in applications if a.status == "ghosted" and a.reached > 0),
        shortage=not_enough(len(days), MIN_ANSWERS, "answer", about="the response times"),
    )
