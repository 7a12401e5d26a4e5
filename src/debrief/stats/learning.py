"""Learning curves: rubric scores per skill area over time, with a fitted trend.

Each skill area's scores (real and mock rounds together, marked apart) get an ordinary
least-squares line against time. The slope is reported per month with its 90% confidence
interval from Student's t, and the line with its 90% confidence band, so a chart shows how sure
the trend is. A trend is called improving or declining only when its interval excludes zero.
Scores being whole numbers, the residual variance is never taken as less than the 1/12 that
rounding alone gives, so an exact fit cannot claim certainty.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from debrief.journal.facts import InterviewFact
from debrief.stats.funnel import not_enough
from debrief.stats.intervals import LEVEL
from debrief.taxonomy import area_name, load_taxonomy

MIN_SCORES = 3  # a trend needs three scores on three different days
MIN_DAYS = 3
# Rubric scores are whole numbers: rounding alone gives each one a variance of 1/12, so no fit
# may claim less residual variance than that (an exact fit would give a zero-width interval).
ROUNDING_VARIANCE = 1 / 12
DAYS_PER_MONTH = 30.44


@dataclass(frozen=True, slots=True)
class ScorePoint:
    """A rubric score given in one round."""

    day: date
    score: int
    mock: bool
    interview_id: int
    kind: str


@dataclass(frozen=True, slots=True)
class Trend:
    """A fitted line: the slope per month with its interval, and the band at a few days."""

    slope: float  # score points per month
    low: float
    high: float
    line: tuple[tuple[date, float, float, float], ...]  # (day, fitted, band low, band high)

    @property
    def direction(self) -> str:
        """improving, declining, or no clear trend (the interval includes zero)."""
        if self.low > 0:
            return "improving"
        if self.high < 0:
            return "declining"
        return "no clear trend"


@dataclass(frozen=True, slots=True)
class LearningCurve:
    """One skill area's scores over time."""

    skill: str
    name: str
    points: tuple[ScorePoint, ...]
    trend: Trend | None
    shortage: str | None

    @property
    def real(self) -> tuple[ScorePoint, ...]:
        """The scores from real rounds."""
        return tuple(p for p in self.points if not p.mock)

    @property
    def mock(self) -> tuple[ScorePoint, ...]:
        """The scores from mock rounds."""
        return tuple(p for p in self.points if p.mock)


def learning_curves(rounds: Sequence[InterviewFact]) -> tuple[LearningCurve, ...]:
    """A curve per skill area with any rubric score, in the taxonomy's order."""
    points: dict[str, list[ScorePoint]] = defaultdict(list)
    for fact in rounds:
        for skill, score in fact.rubric.items():
            points[skill].append(ScorePoint(fact.held_on, score, fact.mock, fact.id, fact.kind))
    order = {area.id: index for index, area in enumerate(load_taxonomy().areas)}
    curves = []
    for skill in sorted(points, key=lambda s: (order.get(s, len(order)), s)):
        scored = sorted(points[skill], key=lambda p: (p.day, p.interview_id))
        trend = fit_trend([(p.day, float(p.score)) for p in scored])
        shortage = None
        if trend is None:
            days = len({p.day for p in scored})
            shortage = not_enough(
                days, MIN_DAYS, "day with a score", "days with a score", about="a trend"
            )
        curves.append(LearningCurve(skill, area_name(skill), tuple(scored), trend, shortage))
    return tuple(curves)


def fit_trend(points: Sequence[tuple[date, float]], *, level: float = LEVEL) -> Trend | None:
    """The least-squares line through (day, value) points; None with too few points or days."""
    from scipy.special import stdtrit

    n = len(points)
    if n < MIN_SCORES or len({day for day, _ in points}) < MIN_DAYS:
        return None
    start = min(day for day, _ in points)
    xs = [(day - start).days for day, _ in points]
    ys = [value for _, value in points]
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = mean_y - slope * mean_x
    residual = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
    variance = max(residual / (n - 2), ROUNDING_VARIANCE)
    t = float(stdtrit(n - 2, 1 - (1 - level) / 2))
    half = t * math.sqrt(variance / sxx)
    line = []
    last = max(xs)
    for step in range(5):
        x = last * step / 4
        spread = t * math.sqrt(variance * (1 / n + (x - mean_x) ** 2 / sxx))
        fitted = intercept + slope * x
        line.append((start + timedelta(days=round(x)), fitted, fitted - spread, fitted + spread))
    per_month = DAYS_PER_MONTH
    return Trend(
        slope * per_month, (slope - half) * per_month, (slope + half) * per_month, tuple(line)
    )
