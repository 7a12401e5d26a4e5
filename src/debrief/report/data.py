"""The report's content as data: every figure, table and sentence, JSON-ready.

`build_report` gathers the analytics, the themes and the action plan; `report_data` turns them
into one plain dict that both the HTML and the Markdown render from, and that the tests snapshot.
Every block says how many records it rests on and over which dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import debrief
from debrief.model import local_today
from debrief.report import charts
from debrief.stats import (
    CUTS,
    JEFFREYS,
    LEVEL,
    STAGE_NAMES,
    Prior,
    Rate,
    SearchStats,
    load_search,
    stats_from_facts,
)
from debrief.stats.funnel import MIN_GROUP, not_enough
from debrief.taxonomy import area_name

if TYPE_CHECKING:
    from debrief.journal import Journal
    from debrief.plan import PlanView
    from debrief.prep import Preparation
    from debrief.themes import Evidence, SubTheme, Theme, ThemeReport

TOP_THEMES = 5
EVIDENCE_SHOWN = 4
CUT_TITLES = {
    "source": "By source",
    "role": "By role",
    "level": "By level",
    "month": "By month applied",
    "half": "First half vs second half of the search",
}


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the report shows, as of one day."""

    as_of: date
    stats: SearchStats
    themes: ThemeReport
    plan: PlanView
    prep: Preparation


def build_report(journal: Journal, *, as_of: date | None = None, prior: Prior = JEFFREYS) -> Report:
    """Gather the analytics, themes and action plan of a journal."""
    from debrief.plan import ActionPlan
    from debrief.prep import prepare
    from debrief.themes import report_from_facts, scoped

    as_of = as_of or local_today()
    facts = journal.facts()  # read once: themes, the plan and analytics all start from it
    themed = scoped(facts)
    themes = report_from_facts(themed, as_of=as_of)
    plan = ActionPlan(journal).refresh(as_of=as_of, read=(themed, themes))
    stats = stats_from_facts(load_search(journal, as_of=as_of, facts=facts), prior=prior)
    prep = prepare(journal, read=(themed, themes))
    return Report(as_of, stats, themes, plan, prep)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _rate(rate: Rate | None) -> dict[str, Any] | None:
    if rate is None:
        return None
    return {
        "passed": rate.passed,
        "total": rate.total,
        "mean": round(rate.mean, 4),
        "low": round(rate.low, 4),
        "high": round(rate.high, 4),
        "small_sample": rate.small_sample,
    }


def _span(first: date | None, last: date | None) -> str:
    if first is None or last is None:
        return "no dates yet"
    return f"{first.isoformat()} to {last.isoformat()}"


def report_data(report: Report) -> dict[str, Any]:
    """The report as one JSON-ready dict (the charts are Plotly figure specifications)."""
    stats = report.stats
    funnel = stats.funnel
    apps = funnel.applications
    span = _span(funnel.first_applied, funnel.last_applied)
    decided = funnel.steps[0].rate.total if funnel.steps[0].rate else 0
    blocks: dict[str, dict[str, Any]] = {}

    blocks["funnel"] = {
        "title": "The funnel",
        "caption": f"{apps} applications sent {span}.",
        "shortage": funnel.shortage,
        "figure": charts.funnel_chart(stats) if apps else None,
        "rows": [
            {
                "stage": s.stage,
                "name": s.name,
                "reached": s.reached,
                "rate": _rate(s.rate),
                "waiting": s.waiting,
                "withdrew": s.withdrew,
            }
            for s in funnel.stages
        ],
    }
    blocks["flow"] = {
        "title": "Where the applications went",
        "caption": (
            f"Each of the {apps} applications is counted once, at the furthest stage it "
            "reached (by its status history and its rounds), then by how it left that stage."
        ),
        "shortage": None if apps else "No applications yet.",
        "figure": charts.flow_chart(stats) if apps else None,
    }
    waiting = sum(s.waiting for s in funnel.steps)
    withdrew = sum(s.withdrew for s in funnel.steps)
    blocks["pass_rates"] = {
        "title": "Pass rate of each step",
        "caption": (
            f"{decided} applications with an answer or a verdict, {span}; {waiting} still "
            f"waiting and {withdrew} withdrawn by you are left out of the rates. "
            f"Dots are posterior means, bars {LEVEL:.0%} credible intervals ({stats.prior} prior)."
        ),
        "shortage": funnel.shortage,
        "warnings": list(funnel.warnings),
        "figure": charts.pass_rate_chart(stats) if not funnel.shortage else None,
    }
    for by in CUTS:
        cut = stats.cuts[by]
        counted = sum(g.measure.total for g in cut.groups)
        blocks[f"cut_{by}"] = {
            "title": CUT_TITLES[by],
            "caption": (
                f"Share that {charts.cut_verb(cut)}, per group: {counted} decided "
                f"applications, {span}. Hover for counts."
            ),
            "shortage": cut.shortage,
            "comparison": cut.comparison.sentence if cut.comparison else None,
            "figure": charts.cut_chart(cut) if counted else None,
        }
    rounds = stats.rounds
    decided_rounds = rounds.real.total + rounds.mock.total
    blocks["rounds"] = {
        "title": "Interview rounds: real and mock",
        "caption": (
            f"{rounds.real.total} real and {rounds.mock.total} mock rounds with an outcome, "
            f"{_span(rounds.first_day, rounds.last_day)}; "
            f"{rounds.waiting} still pending. Real rounds passed: first half "
            f"{_share(rounds.first_half)}, second half {_share(rounds.second_half)}."
        ),
        "shortage": not_enough(
            decided_rounds,
            MIN_GROUP,
            "round with an outcome",
            "rounds with an outcome",
            about="the real-vs-mock comparison",
        ),
        "comparison": rounds.comparison.sentence if rounds.comparison else None,
        "figure": charts.rounds_chart(stats) if decided_rounds else None,
    }
    everyone = stats.responses[0]
    blocks["responses"] = {
        "title": "How long companies take to answer",
        "caption": (
            f"{everyone.answered} answered applications, {span}; median "
            f"{_days(everyone.median_days)}, half between "
            + (
                f"{everyone.quartiles[0]:g} and {everyone.quartiles[1]:g} days."
                if everyone.quartiles
                else "— (too few answers)."
            )
            + (
                f" {everyone.undated} answered applications with an unknown applied date "
                "(first heard of in a later e-mail) are left out."
                if everyone.undated
                else ""
            )
        ),
        "shortage": everyone.shortage,
        "figure": charts.response_chart(stats.responses) if everyone.answered else None,
    }
    blocks["ghosting"] = {
        "title": "Never answered",
        "caption": (
            f"{everyone.unanswered.passed} of {everyone.unanswered.total} applications with "
            f"an answer or a verdict were never answered (ghosted, or no word in "
            f"{stats.response_window} days); {everyone.ghosted_later} went silent after an "
            "answer."
        ),
        "shortage": everyone.shortage,
        "figure": charts.ghosting_chart(stats.responses) if everyone.unanswered.total else None,
    }
    learning = []
    for curve in stats.learning:
        days = [p.day for p in curve.points]
        learning.append(
            {
                "skill": curve.skill,
                "name": curve.name,
                "caption": (
                    f"{len(curve.points)} rubric scores ({len(curve.real)} real, "
                    f"{len(curve.mock)} mock), {_span(min(days), max(days))}."
                ),
                "trend": (
                    {
                        "direction": curve.trend.direction,
                        "slope": round(curve.trend.slope, 3),
                        "low": round(curve.trend.low, 3),
                        "high": round(curve.trend.high, 3),
                    }
                    if curve.trend
                    else None
                ),
                "shortage": curve.shortage,
                "figure": charts.learning_chart(curve) if curve.trend else None,
            }
        )
    gaps = [g for g in report.themes.self_assessment if g.interviews]
    blocks["self_gap"] = {
        "title": "Self-assessment gap",
        "caption": (
            f"Your self-rating before feedback, against rubric scores and outcomes, in "
            f"{sum(g.interviews for g in gaps)} rating-and-verdict pairs."
        ),
        "shortage": None
        if gaps
        else "Not enough data yet: rate yourself after a round (--self-rating) to see this.",
        "figure": charts.self_gap_chart(gaps) if gaps else None,
        "rows": [
            {
                "skill": g.skill,
                "name": g.name,
                "interviews": g.interviews,
                "self": round(g.mean_self, 2),
                "external": round(g.mean_external, 2),
                "gap": round(g.gap, 2),
                "verdict": g.verdict,
            }
            for g in gaps
        ],
    }
    forecast = stats.forecast
    collected = stats.collected
    return {
        "meta": {
            "as_of": report.as_of.isoformat(),
            "first_day": _day(stats.first_day),
            "last_day": _day(stats.last_day),
            "prior": str(stats.prior),
            "level": LEVEL,
            "response_window": stats.response_window,
            "version": debrief.__version__,
        },
        "headline": {
            "applications": apps,
            "responses": funnel.stage("response").reached,
            "screens": funnel.stage("screen").reached,
            "interviews_real": collected.interviews_real,
            "interviews_mock": collected.interviews_mock,
            "offers": funnel.stage("offer").reached,
            "statements": collected.statements,
            "constructive": collected.constructive,
        },
        "collected": {
            "sentence": collected.sentence,
            "rejections": collected.rejections,
            "silences": collected.silences,
            "feedback": collected.feedback,
            "by_label": collected.by_label,
            "acted_on": collected.acted_on,
            "items_active": collected.items_active,
            "items_resolved": collected.items_resolved,
            "practice_minutes": collected.practice_minutes,
        },
        "asking": {
            "sentence": stats.asking.sentence,
            "stages": [
                {
                    "stage": STAGE_NAMES[row.stage],
                    "results": row.results,
                    "asked": row.asked,
                    "answered": row.answered,
                }
                for row in stats.asking.stages
            ],
        },
        "forecast": {
            "summary": forecast.summary,
            "shortage": forecast.shortage,
            "applications": _estimate(forecast.applications),
            "weeks": _estimate(forecast.weeks),
            "per_week": round(forecast.per_week, 2),
            "weakest": STAGE_NAMES[forecast.weakest] if forecast.weakest else None,
        },
        "blocks": blocks,
        "learning": learning,
        "themes": {
            "caption": (
                f"{report.themes.statements} constructive and strength statements from "
                f"{report.themes.interviews} interviews; "
                f"{sum(report.themes.excluded.values())} circumstance and noise statements "
                "left out."
            ),
            "weaknesses": [_theme(t) for t in report.themes.weaknesses[:TOP_THEMES]],
            "strengths": [_theme(t) for t in report.themes.strengths[:TOP_THEMES]],
        },
        "plan": [
            {
                "id": p.item.id,
                "skill": p.item.skill,
                "title": p.item.title,
                "goal": p.item.goal,
                "status": p.item.status,
                "tasks_done": p.item.tasks_done,
                "tasks": len(p.item.tasks),
                "minutes": p.item.minutes,
                "target_on": _day(p.item.target_on),
                "days_to_target": p.days_to_target,
                "verdict": p.follow.verdict,
                "message": p.follow.message or p.follow.verdict,
            }
            for p in report.plan.items
        ],
        "preparation": _preparation(report.prep),
    }


REPEATED_SHOWN = 10


def _preparation(prep: Preparation) -> dict[str, Any]:
    """Questions asked and practised per recurring weakness, the questions that came back, and
    the story bank with its gaps."""
    from debrief.prep import repeated

    bank = prep.story_bank()
    return {
        "asked": len(prep.questions),
        "practised": sum(1 for e in prep.practice if e.question),
        "coverage": [
            {
                "skill": c.skill,
                "name": c.name,
                "rank": c.rank,
                "asked_real": c.asked_real,
                "asked_mock": c.asked_mock,
                "practised": c.practised,
                "ratings": len(c.ratings),
                "mean_rating": round(c.mean_rating, 2) if c.mean_rating is not None else None,
                "direction": c.direction,
                "came_back": c.came_back,
            }
            for c in prep.coverage()
        ],
        "repeated": [
            {"text": q.text, "rounds": n, "last": _day(q.held_on)}
            for q, n in repeated(prep.questions)[:REPEATED_SHOWN]
        ],
        "stories": [
            {
                "title": use.story.title,
                "competencies": list(use.story.competencies),
                "rounds": use.rounds,
                "missing": list(use.story.missing()),
                "overused": use.overused,
                "feedback": [m.text for m in use.feedback],
            }
            for use in bank.stories
        ],
        "gaps": [{"name": g.name, "asked": g.asked} for g in bank.asked_without_story],
    }


def _share(rate: Rate) -> str:
    return f"{rate.passed} of {rate.total}" if rate.total else "none decided"


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:g} days"


def _estimate(value: Any) -> dict[str, float] | None:
    if value is None:
        return None
    return {
        "median": round(value.median, 1),
        "low": round(value.low, 1),
        "high": round(value.high, 1),
    }


def _statement(e: Evidence) -> dict[str, Any]:
    return {
        "text": e.text,
        "day": e.day.isoformat(),
        "source": e.source.replace("_", " "),
        "company": e.company,
        "kind": e.kind.replace("_", " ") if e.kind else None,
        "mock": e.mock,
        "uncertain": e.uncertain,
        "subskill": e.subskill,
    }


def _subtheme(sub: SubTheme, theme: Theme) -> dict[str, Any]:
    """A sub-theme with every statement behind it (most recent first)."""
    return {
        "name": sub.name,
        "subskill": sub.subskill,
        "grouped_by_words": sub.grouped_by_words,
        "occasions": sub.occasions,
        "last_seen": sub.last_seen.isoformat(),
        "uncertain": sub.uncertain,
        "caveats": list(sub.caveats()),
        "statements": [_statement(e) for e in theme.statements_of(sub)],
    }


def _theme(theme: Theme) -> dict[str, Any]:
    return {
        "skill": theme.skill,
        "name": area_name(theme.skill),
        "status": theme.status,
        "rank": theme.rank,
        "score": round(theme.score, 3),
        "interviews_real": theme.interviews_real,
        "interviews_mock": theme.interviews_mock,
        "first_seen": theme.first_seen.isoformat(),
        "last_seen": theme.last_seen.isoformat(),
        "trend": theme.trend.direction,
        "subthemes": [_subtheme(s, theme) for s in theme.subthemes],
        "sources": dict(theme.sources),
        "evidence": [_statement(e) for e in theme.evidence[:EVIDENCE_SHOWN]],
        "more": max(0, len(theme.evidence) - EVIDENCE_SHOWN),
        "statements": len(theme.evidence),
        "uncertain": theme.uncertain,
        "mostly_uncertain": theme.mostly_uncertain,
    }
