"""Terminal output (Rich) for analytics. User text (roles, levels) goes through `Text`."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from debrief.stats import (
    STAGE_NAMES,
    Cut,
    DataCollected,
    FeedbackAsking,
    Forecast,
    Funnel,
    LearningCurve,
    Rate,
    ResponseTimes,
    RoundRates,
    SearchStats,
)
from debrief.stats.learning import MIN_DAYS


def _rate(rate: Rate | None, *, compact: bool = False) -> Text:
    """A rate with its interval; compact marks a small sample with * instead of words."""
    if rate is None or not rate.total:
        return Text("—", style="dim")
    if compact:
        text = Text(f"{rate.passed / rate.total:.0%} {rate.low * 100:.0f}–{rate.high * 100:.0f}")
        if rate.small_sample:
            text.append("*", style="yellow")
        return text
    text = Text(f"{rate.passed / rate.total:.0%} ({rate.low:.0%}–{rate.high:.0%})")
    if rate.small_sample:
        text.append(" small sample", style="yellow")
    return text


def _percent(share: float) -> str:
    """A share as a percentage, with two significant figures when it is below one percent."""
    points = share * 100
    if points >= 1:
        return f"{points:.1f}%"
    return f"{points:.2g}%" if points >= 0.0001 else "< 0.0001%"


def funnel_table(funnel: Funnel) -> RenderableType:
    """Stages, counts and step rates with intervals."""
    table = Table(title=f"{funnel.label}: the funnel", title_justify="left")
    table.add_column("Stage")
    table.add_column("Reached", justify="right")
    table.add_column("Passed / decided", justify="right")
    table.add_column("Pass rate (90% interval)")
    table.add_column("Waiting", justify="right")
    table.add_column("Withdrew", justify="right")
    for stage in funnel.stages:
        rate = stage.rate
        table.add_row(
            stage.name,
            str(stage.reached),
            f"{rate.passed} / {rate.total}" if rate else "",
            _rate(rate) if rate else Text(""),
            str(stage.waiting) if rate else "",
            str(stage.withdrew) if rate else "",
        )
    notes: list[RenderableType] = [table]
    if funnel.shortage:
        notes.append(Text(funnel.shortage, style="yellow"))
    elif funnel.warnings:
        notes.append(
            Text(
                f"Small sample: {', '.join(funnel.warnings)} "
                "(interval wider than 30 points; read as rough).",
                style="yellow",
            )
        )
    notes.append(
        Text(f"Prior: {funnel.prior}. Waiting and withdrawn are left out of rates.", "dim")
    )
    return Group(*notes)


def cut_view(cut: Cut) -> RenderableType:
    """A cut: per group, the share reaching the measured stage and every step rate."""
    table = Table(title=f"By {cut.by}", title_justify="left")
    table.add_column("Group")
    table.add_column("Apps", justify="right")
    table.add_column(f"Reach {STAGE_NAMES[cut.measure].lower()}")
    for stage in cut.groups[0].funnel.steps if cut.groups else ():
        table.add_column(f"→ {stage.name}")
    for group in cut.groups:
        table.add_row(
            Text(group.name),
            str(group.funnel.applications),
            _rate(group.measure, compact=True),
            *(_rate(step.rate, compact=True) for step in group.funnel.steps),
        )
    parts: list[RenderableType] = [
        table,
        Text(
            "Rates with their 90% interval; * marks a small sample (wider than 30 points).", "dim"
        ),
    ]
    if cut.comparison:
        parts.append(Text(cut.comparison.sentence, style="bold"))
    if cut.shortage:
        parts.append(Text(cut.shortage, style="yellow"))
    return Group(*parts)


def rounds_view(rounds: RoundRates) -> RenderableType:
    """Round pass rates, real vs mock and by kind."""
    table = Table(title="Interview rounds passed", title_justify="left")
    table.add_column("Rounds")
    table.add_column("Passed / decided", justify="right")
    table.add_column("Pass rate (90% interval)")
    rows = [
        ("Real, all kinds", rounds.real),
        ("Mock, all kinds", rounds.mock),
        ("Real, first half of the search", rounds.first_half),
        ("Real, second half", rounds.second_half),
    ]
    rows += [
        (f"{'Mock' if mock else 'Real'}: {kind.replace('_', ' ')}", rate)
        for kind, mock, rate in rounds.by_kind
    ]
    for name, rate in rows:
        table.add_row(name, f"{rate.passed} / {rate.total}", _rate(rate))
    parts: list[RenderableType] = [table]
    if rounds.comparison:
        parts.append(Text(rounds.comparison.sentence, style="bold"))
    parts.append(Text(f"{rounds.waiting} rounds still pending are left out.", style="dim"))
    return Group(*parts)


def forecast_view(forecast: Forecast) -> RenderableType:
    """The forecast in a sentence, with its figures."""
    if forecast.shortage:
        return Text(forecast.shortage, style="yellow")
    parts: list[RenderableType] = [Text(forecast.summary)]
    if forecast.offer_chance:
        chance = forecast.offer_chance
        parts.append(
            Text(
                f"Chance that one application ends in an offer: {_percent(chance.median)} "
                f"(90% interval {_percent(chance.low)}–{_percent(chance.high)}). "
                "Simulated from the posterior of every step's pass rate.",
                style="dim",
            )
        )
    return Group(*parts)


def learning_view(curves: Sequence[LearningCurve]) -> RenderableType:
    """Per skill area: scores, trend and its interval."""
    if not curves:
        return Text("No rubric scores yet: add them with --rubric sql=3,statistics=4.", "yellow")
    table = Table(title="Learning curves (rubric scores over time)", title_justify="left")
    table.add_column("Skill area")
    table.add_column("Scores (real + mock)", justify="right")
    table.add_column("First → last")
    table.add_column("Trend a month (90% interval)")
    table.add_column("Reading")
    for curve in curves:
        first, last = curve.points[0], curve.points[-1]
        if curve.trend:
            trend = Text(
                f"{curve.trend.slope:+.2f} ({curve.trend.low:+.2f} to {curve.trend.high:+.2f})"
            )
            reading = Text(curve.trend.direction, "green" if curve.trend.low > 0 else "")
        else:
            missing = MIN_DAYS - len({p.day for p in curve.points})
            need = f"needs scores on {missing} more day{'s' if missing > 1 else ''}"
            trend, reading = Text("—", "dim"), Text(need, "yellow")
        table.add_row(
            Text(curve.name),
            f"{len(curve.real)} + {len(curve.mock)}",
            f"{first.day} {first.score} → {last.day} {last.score}",
            trend,
            reading,
        )
    return table


def responses_view(rows: Sequence[ResponseTimes]) -> RenderableType:
    """Response times and ghosting by source."""
    table = Table(title="Answers and silence", title_justify="left")
    table.add_column("Source")
    table.add_column("Apps", justify="right")
    table.add_column("Answered", justify="right")
    table.add_column("Median days", justify="right")
    table.add_column("Middle half", justify="right")
    table.add_column("Never answered (90% interval)")
    table.add_column("Silent after an answer", justify="right")
    for row in rows:
        table.add_row(
            Text(row.name),
            str(row.applications),
            str(row.answered),
            f"{row.median_days:g}" if row.median_days is not None else "—",
            f"{row.quartiles[0]:g}–{row.quartiles[1]:g}" if row.quartiles else "—",
            _rate(row.unanswered),
            str(row.ghosted_later),
        )
    undated = rows[0].undated if rows else 0
    if undated:
        table.caption = (
            f"{undated} answered application{'s' if undated != 1 else ''} with an unknown "
            "applied date (first heard of in a later e-mail) left out of the days."
        )
        table.caption_justify = "left"
    return table


def collected_view(collected: DataCollected) -> RenderableType:
    """The rejections reframed as data."""
    labels = ", ".join(f"{label} {count}" for label, count in collected.by_label.items())
    return Group(
        Text(collected.sentence),
        Text(
            f"Statements by label: {labels}. Action items: {collected.items_active} active, "
            f"{collected.items_resolved} resolved; practice: {collected.practice_sessions} "
            f"sessions, {collected.practice_minutes} minutes.",
            style="dim",
        ),
    )


def asking_view(asking: FeedbackAsking) -> RenderableType:
    """Feedback asked for and answered after final results, by the stage reached."""
    if not asking.stages:
        return Text(asking.sentence)
    table = Table(title="Asking for feedback after a final result", title_justify="left")
    table.add_column("Reached")
    table.add_column("Final results", justify="right")
    table.add_column("Asked", justify="right")
    table.add_column("Answered", justify="right")
    for row in asking.stages:
        asked = f"{row.asked} ({row.asked / row.results:.0%})"
        answered = f"{row.answered} of {row.asked}" if row.asked else "—"
        table.add_row(STAGE_NAMES[row.stage], str(row.results), asked, answered)
    return Group(table, Text(asking.sentence))


def overview(stats: SearchStats) -> RenderableType:
    """`debrief stats`: the funnel, the comparisons, the forecast and the data collected."""
    span = f"{stats.first_day} to {stats.last_day}" if stats.first_day else "nothing recorded yet"
    parts: list[RenderableType] = [
        Text(f"Your search, {span} (as of {stats.as_of})", style="bold"),
        funnel_table(stats.funnel),
    ]
    sentences = [c.comparison.sentence for c in stats.cuts.values() if c.comparison]
    if stats.rounds.comparison:
        sentences.append(stats.rounds.comparison.sentence)
    if sentences:
        parts.append(Text("What works better", style="bold"))
        parts += [Text(f"• {s}") for s in sentences]
    parts += [Text("The next offer", style="bold"), forecast_view(stats.forecast)]
    parts += [Text("Data collected", style="bold"), collected_view(stats.collected)]
    parts.append(asking_view(stats.asking))
    return Group(*parts)
