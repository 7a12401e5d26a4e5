"""Analytics: the job search as a funnel, with rates, uncertainty and trends.

`search_stats(journal)` reads the journal once (`facts`) and returns a frozen `SearchStats`:
the funnel with Beta-Binomial credible intervals (`intervals`, `funnel`), its cuts by source,
role, level, month and half of the search, interview pass rates real vs mock, the forecast to
the next offer (`forecast`), learning curves per skill (`learning`), response times and ghosting
(`responses`), the "data collected" view (`collected`), and how often feedback was asked for
and answered after a final result (`asking`). SciPy and NumPy load on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from debrief.stats.asking import AskedAtStage, FeedbackAsking, feedback_asking
from debrief.stats.collected import DataCollected, data_collected
from debrief.stats.facts import (
    FUNNEL,
    RESPONSE_WINDOW,
    STAGE_NAMES,
    AppFact,
    SearchFacts,
    application_fact,
    load_search,
    search_facts,
)
from debrief.stats.flow import Flow, StageFlow, stage_flow
from debrief.stats.forecast import Estimate, Forecast, WhatIf, forecast_offer
from debrief.stats.funnel import (
    CUTS,
    MIN_APPLICATIONS,
    Comparison,
    Cut,
    CutGroup,
    Funnel,
    FunnelStage,
    RoundRates,
    build_funnel,
    compare,
    cut_funnel,
    reach_rate,
    round_rates,
)
from debrief.stats.intervals import (
    JEFFREYS,
    LEVEL,
    UNIFORM,
    Prior,
    Rate,
    parse_prior,
    pass_rate_interval,
)
from debrief.stats.learning import LearningCurve, ScorePoint, Trend, fit_trend, learning_curves
from debrief.stats.responses import ResponseTimes, response_times

if TYPE_CHECKING:
    from debrief.journal import Journal

__all__ = [
    "CUTS",
    "FUNNEL",
    "JEFFREYS",
    "LEVEL",
    "MIN_APPLICATIONS",
    "RESPONSE_WINDOW",
    "STAGE_NAMES",
    "UNIFORM",
    "AppFact",
    "AskedAtStage",
    "Comparison",
    "Cut",
    "CutGroup",
    "DataCollected",
    "Estimate",
    "FeedbackAsking",
    "Flow",
    "Forecast",
    "Funnel",
    "FunnelStage",
    "LearningCurve",
    "Prior",
    "Rate",
    "ResponseTimes",
    "RoundRates",
    "ScorePoint",
    "SearchFacts",
    "SearchStats",
    "StageFlow",
    "Trend",
    "WhatIf",
    "application_fact",
    "build_funnel",
    "compare",
    "cut_funnel",
    "data_collected",
    "feedback_asking",
    "fit_trend",
    "forecast_offer",
    "learning_curves",
    "load_numerics",
    "load_search",
    "parse_prior",
    "pass_rate_interval",
    "reach_rate",
    "response_times",
    "round_rates",
    "search_facts",
    "search_stats",
    "stage_flow",
    "stats_from_facts",
]


@dataclass(frozen=True, slots=True)
class SearchStats:
    """Every analytic of a journal as of one day."""

    as_of: date
    first_day: date | None
    last_day: date | None
    prior: Prior
    response_window: int
    funnel: Funnel
    cuts: dict[str, Cut]
    rounds: RoundRates
    forecast: Forecast
    learning: tuple[LearningCurve, ...]
    responses: tuple[ResponseTimes, ...]
    collected: DataCollected
    asking: FeedbackAsking  # feedback asked for and answered after final results
    flow: StageFlow  # where the applications went, for the stage-flow chart


def load_numerics() -> None:
    """Load the numerical libraries analytics compute with (NumPy, SciPy's special functions)
    now, for a long-running process that wants them ready before its first request; commands
    load them when they first need them."""
    import numpy  # noqa: F401
    import scipy.special  # noqa: F401


def search_stats(
    journal: Journal,
    *,
    as_of: date | None = None,
    prior: Prior | str = JEFFREYS,
    response_window: int = RESPONSE_WINDOW,
) -> SearchStats:
    """All analytics of the journal (`prior`: 'jeffreys', 'uniform', 'A,B' or a Prior)."""
    facts = load_search(journal, as_of=as_of, response_window=response_window)
    return stats_from_facts(facts, prior=parse_prior(prior))


def stats_from_facts(facts: SearchFacts, *, prior: Prior = JEFFREYS) -> SearchStats:
    """All analytics from facts already read (a pure function of them)."""
    apps = facts.applications
    funnel = build_funnel(apps, prior=prior)
    return SearchStats(
        as_of=facts.as_of,
        first_day=facts.first_day,
        last_day=facts.last_day,
        prior=prior,
        response_window=facts.response_window,
        funnel=funnel,
        cuts={by: cut_funnel(apps, by, prior=prior) for by in CUTS},
        rounds=round_rates(facts.rounds, prior=prior),
        forecast=forecast_offer(funnel, apps, prior=prior, as_of=facts.as_of),
        learning=learning_curves(facts.rounds),
        responses=response_times(apps, prior=prior),
        collected=data_collected(facts),
        asking=feedback_asking(apps),
        flow=stage_flow(apps),
    )
