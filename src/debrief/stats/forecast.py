"""How many more applications to the next offer, at the rates seen so far.

The chance that one application ends in an offer is the product of the funnel's step rates. Its
posterior is simulated by drawing each step's rate from its Beta posterior; the number of
applications to the next offer is then 1 / p per draw (the mean of a geometric count). We report
the median of those draws with a 90% interval rather than their mean, which the rare draw with a
tiny p would dominate. The "what if" replaces the weakest step's posterior with the one from the
candidate's own best month for that step: an improvement already shown to be within reach.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from debrief.stats.facts import FUNNEL, STAGE_NAMES, AppFact
from debrief.stats.funnel import MIN_GROUP, Funnel, decided_count, not_enough
from debrief.stats.intervals import LEVEL, Prior, Rate, pass_rate_interval, sample_rates

DRAWS = 20_000
SEED = 20_261_201  # fixed, so the same journal always gives the same figures
MIN_DECIDED = 20  # applications with a verdict before a forecast is worth showing
PACE_WEEKS = 8  # the recent pace is the applications sent in the last eight weeks


@dataclass(frozen=True, slots=True)
class Estimate:
    """A median with its 90% interval."""

    median: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class WhatIf:
    """The forecast if the weakest step passed as often as in the candidate's best month."""

    step: str  # the stage the weakest step leads into
    current: Rate
    month: str
    best: Rate
    applications: Estimate


@dataclass(frozen=True, slots=True)
class Forecast:
    """Applications (and weeks, at the recent pace) to the next offer."""

    offer_chance: Estimate | None  # per application
    applications: Estimate | None
    per_week: float  # applications a week over the last eight weeks
    weeks: Estimate | None
    weakest: str | None  # the stage the weakest step leads into
    what_if: WhatIf | None
    shortage: str | None
    summary: str


def forecast_offer(
    funnel: Funnel,
    applications: Sequence[AppFact],
    *,
    prior: Prior,
    as_of: date,
    draws: int = DRAWS,
    seed: int = SEED,
) -> Forecast:
    """The forecast from a funnel and the applications behind it, as of a day."""
    import numpy as np

    pace = _pace(applications, as_of)
    shortage = not_enough(
        decided_count(applications),
        MIN_DECIDED,
        "application with an answer or a verdict",
        "applications with an answer or a verdict",
        about="a forecast",
    )
    if shortage:
        return Forecast(None, None, pace, None, None, None, shortage, shortage)
    rates = [step.rate for step in funnel.steps if step.rate is not None]
    rng = np.random.default_rng(seed)
    chance = np.prod(sample_rates(rates, draws, rng), axis=0)
    needed = 1.0 / chance
    offer_chance = _estimate(chance)
    estimate = _estimate(needed)
    weeks = _estimate(needed / pace) if pace > 0 else None
    weakest_index = min(range(len(rates)), key=lambda i: (rates[i].mean, i))
    weakest = FUNNEL[weakest_index + 1]
    what_if = _what_if(applications, rates, weakest_index, prior, draws, seed)
    unpassed = [STAGE_NAMES[FUNNEL[i + 1]].lower() for i, r in enumerate(rates) if not r.passed]
    if unpassed:
        summary = (
            f"No application has reached '{unpassed[0]}' yet, so that step rests on the prior "
            "alone and there is no honest count of the applications to an offer yet: it will "
            "mean something once one does."
        )
    else:
        summary = (
            f"At the rates so far, the next offer takes about {estimate.median:,.0f} more "
            f"applications (90% interval {estimate.low:,.0f}–{estimate.high:,.0f})"
        )
        if weeks:
            summary += f", or about {weeks.median:,.0f} weeks at {pace:.1f} applications a week"
        summary += "."
    if what_if:
        summary += (
            f" If '{STAGE_NAMES[weakest].lower()}' went as well as in {what_if.month} "
            f"({what_if.best.passed} of {what_if.best.total}), it would take about "
            f"{what_if.applications.median:,.0f}."
        )
    return Forecast(offer_chance, estimate, pace, weeks, weakest, what_if, None, summary)


def _estimate(values: object) -> Estimate:
    import numpy as np

    tail = (1 - LEVEL) / 2
    low, median, high = np.quantile(values, [tail, 0.5, 1 - tail])  # type: ignore[call-overload]
    return Estimate(float(median), float(low), float(high))


def _pace(applications: Sequence[AppFact], as_of: date) -> float:
    """Applications a week over the last eight weeks to `as_of` (or since the first
    application, for a search younger than that; never less than a week)."""
    if not applications:
        return 0.0
    first = min(a.applied_on for a in applications)
    days = max(7, min(PACE_WEEKS * 7, (as_of - first).days + 1))
    start = as_of - timedelta(days=days)
    return sum(1 for a in applications if start < a.applied_on <= as_of) / (days / 7)


def _what_if(
    applications: Sequence[AppFact],
    rates: list[Rate],
    step: int,
    prior: Prior,
    draws: int,
    seed: int,
) -> WhatIf | None:
    """Swap the weakest step's posterior for its best month's, when that month did better."""
    import numpy as np

    by_month: dict[str, list[bool]] = defaultdict(list)
    for application in applications:
        verdict = application.passed(step)
        if verdict is not None:
            by_month[application.month].append(verdict)
    months = [
        (month, pass_rate_interval(sum(v), len(v), prior=prior))
        for month, v in sorted(by_month.items())
        if len(v) >= MIN_GROUP and any(v)
    ]
    if not months:
        return None
    # The month with the highest observed share: a pass rate the candidate has really reached.
    month, best = max(months, key=lambda m: (m[1].passed / m[1].total, m[1].total))
    current = rates[step]
    if current.total and best.passed / best.total <= current.passed / current.total:
        return None
    changed = [*rates[:step], best, *rates[step + 1 :]]
    chance = np.prod(sample_rates(changed, draws, np.random.default_rng(seed)), axis=0)
    return WhatIf(FUNNEL[step + 1], rates[step], month, best, _estimate(1.0 / chance))
