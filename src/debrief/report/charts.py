"""The report's charts, as Plotly figure specifications (plain JSON-ready dicts).

Figures are written as Plotly's JSON format directly rather than through `plotly.graph_objects`,
which takes seconds to import; the tests validate every figure against Plotly's schema. Text that
came from the user (roles, levels, skill names a user added) is HTML-escaped, because Plotly
reads a few HTML tags inside labels.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from debrief.model import InterviewKind
from debrief.stats import FUNNEL, STAGE_NAMES, Cut, LearningCurve, Rate, ResponseTimes, SearchStats
from debrief.themes import SelfGap

Figure = dict[str, Any]

INK = "#1f2933"
MUTED = "#7b8794"
ACCENT = "#2f6fde"
MOCK = "#d9822b"
GOOD = "#2e8b57"
KIND_ORDER = {kind.value: index for index, kind in enumerate(InterviewKind)}
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13}


def label(text: str) -> str:
    """User text made safe for a Plotly label."""
    return html.escape(text, quote=True)


def _layout(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "font": {**FONT, "color": INK},
        "margin": {"l": 10, "r": 20, "t": 10, "b": 40},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "showlegend": False,
        "height": 320,
    }
    base.update(extra)
    return base


def _percent_axis(**extra: Any) -> dict[str, Any]:
    return {
        "range": [0, 1],
        "tickformat": ".0%",
        "gridcolor": "#e4e7eb",
        "zeroline": False,
        **extra,
    }


def _round(value: float) -> float:
    return round(value, 4)


def rate_dots(
    names: Sequence[str],
    rates: Sequence[Rate],
    *,
    color: str = ACCENT,
    horizontal: bool = True,
    legend: str | None = None,
) -> dict[str, Any]:
    """A trace of posterior means with their 90% intervals as error bars."""
    means = [_round(r.mean) for r in rates]
    plus = [_round(r.high - r.mean) for r in rates]
    minus = [_round(r.mean - r.low) for r in rates]
    hover = [
        f"{label(n)}<br>{r.passed} of {r.total} · {r.low:.0%}–{r.high:.0%}"
        + (" · small sample" if r.small_sample else "")
        for n, r in zip(names, rates, strict=True)
    ]
    error = {"type": "data", "array": plus, "arrayminus": minus, "color": color, "thickness": 2}
    trace: dict[str, Any] = {
        "type": "scatter",
        "mode": "markers",
        "marker": {"size": 11, "color": color},
        "hovertext": hover,
        "hoverinfo": "text",
    }
    labels = [label(n) for n in names]
    if horizontal:
        trace.update({"x": means, "y": labels, "error_x": error, "orientation": "h"})
    else:
        trace.update({"x": labels, "y": means, "error_y": error})
    if legend:
        trace.update({"name": legend, "showlegend": True})
    return trace


def funnel_chart(stats: SearchStats) -> Figure:
    """Applications reaching each stage."""
    stages = stats.funnel.stages
    return {
        "data": [
            {
                "type": "funnel",
                "y": [s.name for s in stages],
                "x": [s.reached for s in stages],
                "textinfo": "value+percent initial",
                "marker": {"color": ACCENT},
                "connector": {"line": {"color": "#cbd2d9"}},
            }
        ],
        "layout": _layout(margin={"l": 130, "r": 20, "t": 10, "b": 20}),
    }


# The colours of the flow chart's endings: closed by the company, silence, the candidate's own
# choice, still open.
ENDING_COLORS = {
    "rejected": "#c65d5d",
    "ghosted": MUTED,
    "unanswered": "#b8c2cc",
    "withdrawn": MOCK,
    "open": "#9fb3c8",
}


def _faint(color: str) -> str:
    """A #rrggbb colour at a third of its strength, for a band of the flow chart."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, 0.3)"


def flow_chart(stats: SearchStats) -> Figure:
    """Where the applications went: a Sankey of the stages, each application counted at the
    furthest stage it reached, then by how it left it."""
    flow = stats.flow
    names = flow.node_names()
    keys = list(names)
    totals = dict.fromkeys(keys, 0)
    for band in flow.flows:
        totals[band.target] += band.count
    totals[FUNNEL[0]] = flow.applications
    colors = [GOOD if key == "offer" else ENDING_COLORS.get(key, ACCENT) for key in keys]
    return {
        "data": [
            {
                "type": "sankey",
                "arrangement": "snap",
                "valueformat": "d",
                "node": {
                    "label": [f"{names[key]} ({totals[key]})" for key in keys],
                    "color": colors,
                    "pad": 14,
                    "thickness": 14,
                    "line": {"width": 0},
                },
                "link": {
                    "source": [keys.index(band.source) for band in flow.flows],
                    "target": [keys.index(band.target) for band in flow.flows],
                    "value": [band.count for band in flow.flows],
                    "color": [_faint(colors[keys.index(band.target)]) for band in flow.flows],
                },
            }
        ],
        "layout": _layout(margin={"l": 10, "r": 10, "t": 10, "b": 10}, height=360),
    }


def step_name(stage: str) -> str:
    """A funnel step named by the two stages it joins."""
    before = FUNNEL[FUNNEL.index(stage) - 1]
    return f"{STAGE_NAMES[before]} → {STAGE_NAMES[stage]}"


def pass_rate_chart(stats: SearchStats) -> Figure:
    """Each step's pass rate with its 90% interval."""
    steps = [s for s in stats.funnel.steps if s.rate is not None and s.rate.total]
    names = [step_name(s.stage) for s in steps]
    rates = [s.rate for s in steps if s.rate is not None]
    return {
        "data": [rate_dots(names, rates)],
        "layout": _layout(
            xaxis=_percent_axis(title={"text": "pass rate, 90% interval"}),
            yaxis={"autorange": "reversed", "automargin": True},
        ),
    }


def cut_chart(cut: Cut) -> Figure:
    """A cut's groups on its measure."""
    groups = [g for g in cut.groups if g.measure.total]
    height = max(220, 60 + 38 * len(groups))
    return {
        "data": [rate_dots([g.name for g in groups], [g.measure for g in groups])],
        "layout": _layout(
            height=height,
            xaxis=_percent_axis(title={"text": f"share that {cut_verb(cut)}"}),
            # Categories, even when they read as dates: a month's dot sits on its own label.
            yaxis={"autorange": "reversed", "automargin": True, "type": "category"},
        ),
    }


def cut_verb(cut: Cut) -> str:
    """What the cut measures, as a verb phrase ("reach a recruiter screen")."""
    from debrief.stats.funnel import REACHING

    return REACHING[cut.measure]


def rounds_chart(stats: SearchStats) -> Figure:
    """Pass rates of rounds by kind, real and mock side by side."""
    traces = []
    for mock, color, name in ((False, ACCENT, "real"), (True, MOCK, "mock")):
        kinds = [(k, r) for k, m, r in stats.rounds.by_kind if m == mock and r.total]
        kinds.sort(key=lambda kr: (KIND_ORDER.get(kr[0], len(KIND_ORDER)), kr[0]))
        if kinds:
            names = [k.replace("_", " ") for k, _ in kinds]
            trace = rate_dots(names, [r for _, r in kinds], color=color, legend=name)
            traces.append({**trace, "offsetgroup": name})
    count = len({k for k, _, r in stats.rounds.by_kind if r.total})
    return {
        "data": traces,
        "layout": _layout(
            height=max(240, 70 + 44 * count),
            showlegend=True,
            scattermode="group",
            legend={"orientation": "h", "y": -0.2},
            xaxis=_percent_axis(title={"text": "rounds passed"}),
            yaxis={"autorange": "reversed", "automargin": True},
        ),
    }


def response_chart(rows: Sequence[ResponseTimes]) -> Figure:
    """Days to the first answer, by source."""
    traces = [
        {
            "type": "box",
            "name": label(r.name),
            "x": list(r.days),
            "orientation": "h",
            "boxpoints": "outliers",
            "marker": {"color": ACCENT if r.key != "all" else INK},
        }
        for r in rows
        if r.days
    ]
    return {
        "data": traces,
        "layout": _layout(
            height=max(220, 60 + 40 * len(traces)),
            xaxis={
                "title": {"text": "days from applying to the first answer"},
                "rangemode": "tozero",
            },
            yaxis={"autorange": "reversed", "automargin": True},
        ),
    }


def ghosting_chart(rows: Sequence[ResponseTimes]) -> Figure:
    """The share never answered, by source, with intervals."""
    shown = [r for r in rows if r.unanswered.total]
    return {
        "data": [rate_dots([r.name for r in shown], [r.unanswered for r in shown], color=MUTED)],
        "layout": _layout(
            height=max(220, 60 + 38 * len(shown)),
            xaxis=_percent_axis(title={"text": "share never answered"}),
            yaxis={"autorange": "reversed", "automargin": True},
        ),
    }


def learning_chart(curve: LearningCurve) -> Figure:
    """A skill's rubric scores over time, real and mock, with the fitted line and its band."""
    traces: list[dict[str, Any]] = []
    if curve.trend:
        days = [d.isoformat() for d, *_ in curve.trend.line]
        traces += [
            {
                "type": "scatter",
                "mode": "lines",
                "x": days,
                "y": [_round(high) for *_, high in curve.trend.line],
                "line": {"width": 0},
                "hoverinfo": "skip",
                "showlegend": False,
            },
            {
                "type": "scatter",
                "mode": "lines",
                "x": days,
                "y": [_round(low) for _, _, low, _ in curve.trend.line],
                "line": {"width": 0},
                "fill": "tonexty",
                "fillcolor": "rgba(47,111,222,0.15)",
                "hoverinfo": "skip",
                "name": "90% band",
                "showlegend": True,
            },
            {
                "type": "scatter",
                "mode": "lines",
                "x": days,
                "y": [_round(fit) for _, fit, _, _ in curve.trend.line],
                "line": {"color": ACCENT, "width": 2},
                "name": "trend",
                "hoverinfo": "skip",
                "showlegend": True,
            },
        ]
    for points, color, symbol, name in (
        (curve.real, ACCENT, "circle", "real"),
        (curve.mock, MOCK, "diamond", "mock"),
    ):
        if points:
            traces.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": name,
                    "showlegend": True,
                    "x": [p.day.isoformat() for p in points],
                    "y": [p.score for p in points],
                    "marker": {"color": color, "symbol": symbol, "size": 10},
                    "hovertext": [
                        f"{p.kind.replace('_', ' ')} ({name}): {p.score}" for p in points
                    ],
                    "hoverinfo": "text+x",
                }
            )
    return {
        "data": traces,
        "layout": _layout(
            height=260,
            showlegend=True,
            legend={"orientation": "h", "y": -0.25},
            margin={"l": 60, "r": 20, "t": 10, "b": 40},
            yaxis={"range": [0.5, 5.5], "dtick": 1, "title": {"text": "rubric score"}},
            xaxis={"type": "date"},
        ),
    }


def self_gap_chart(gaps: Sequence[SelfGap]) -> Figure:
    """Self-rating minus the outside view, per skill area."""
    shown = [g for g in gaps if g.interviews]
    reach = max([1.0, *(abs(g.gap) + 0.2 for g in shown)])
    colors = {"over-rates": MOCK, "under-rates": GOOD}
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": [label(g.name) for g in shown],
                "x": [_round(g.gap) for g in shown],
                "marker": {"color": [colors.get(g.verdict, MUTED) for g in shown]},
                "hovertext": [
                    f"{label(g.name)}: {g.verdict} ({g.interviews} interviews)" for g in shown
                ],
                "hoverinfo": "text",
            }
        ],
        "layout": _layout(
            height=max(200, 60 + 34 * len(shown)),
            xaxis={
                "title": {"text": "self-rating minus the outside view (points on 1–5)"},
                "zeroline": True,
                "zerolinecolor": INK,
                "range": [-reach, reach],
            },
            yaxis={"autorange": "reversed", "automargin": True},
        ),
    }
