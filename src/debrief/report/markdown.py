"""The report as a Markdown summary for the terminal (or a note, an e-mail, an issue), with
bidirectional controls in user text shown as ⟨U+202E⟩."""

from __future__ import annotations

import re
from typing import Any

from debrief.model import counted, visible


def _cell(text: object) -> str:
    """User text made safe inside a Markdown table cell or line."""
    value = re.sub(r"\s+", " ", str(text)).strip()
    value = re.sub(r"([\\`\[\]|])", r"\\\1", value)  # no table breaks, links or code spans
    return value.replace("<", "&lt;").replace(">", "&gt;")


def _interval(rate: dict[str, Any] | None) -> str:
    if not rate or not rate["total"]:
        return "—"
    text = f"{rate['passed'] / rate['total']:.0%} ({rate['low']:.0%}–{rate['high']:.0%})"
    return text + " ⚠ small sample" if rate["small_sample"] else text


def render_markdown(data: dict[str, Any]) -> str:
    """The summary: headline, funnel with intervals, comparisons, forecast, themes, plan."""
    meta, head = data["meta"], data["headline"]
    lines = [
        f"# Job search report, {meta['as_of']}",
        "",
        f"Records from {meta['first_day'] or '—'} to {meta['last_day'] or '—'}: "
        f"{head['applications']} applications, {head['interviews_real']} real and "
        f"{head['interviews_mock']} mock interviews, {head['statements']} feedback statements "
        f"({head['constructive']} constructive), {head['offers']} offers.",
        "",
        _cell(data["collected"]["sentence"]),
        "",
        _cell(data["asking"]["sentence"]),
        "",
        "## The funnel",
        "",
        _cell(data["blocks"]["pass_rates"]["caption"]),
        "",
        "| stage | reached | passed / decided | pass rate (90% interval) | waiting | withdrew |",
        "|---|---:|---:|---|---:|---:|",
    ]
    for row in data["blocks"]["funnel"]["rows"]:
        rate = row["rate"]
        decided = f"{rate['passed']} / {rate['total']}" if rate else ""
        left = f"{row['waiting']} | {row['withdrew']}" if rate else " | "
        lines.append(
            f"| {row['name']} | {row['reached']} | {decided} | {_interval(rate)} | {left} |"
        )
    if data["blocks"]["funnel"]["shortage"]:
        lines += ["", data["blocks"]["funnel"]["shortage"]]
    lines += ["", "## Comparisons", ""]
    compared = [
        (block["title"], block["comparison"] or block["shortage"])
        for key, block in data["blocks"].items()
        if key.startswith("cut_") or key == "rounds"
    ]
    lines += [f"- {_cell(title)}: {_cell(text)}" for title, text in compared if text] or [
        "- Nothing to compare yet."
    ]
    forecast = data["forecast"]
    lines += ["", "## The next offer", "", _cell(forecast["shortage"] or forecast["summary"])]
    lines += ["", "## Learning curves", ""]
    for curve in data["learning"]:
        if curve["trend"]:
            trend = curve["trend"]
            lines.append(
                f"- {_cell(curve['name'])}: {trend['direction']}, {trend['slope']:+.2f} points a "
                f"month (90% interval {trend['low']:+.2f} to {trend['high']:+.2f}); "
                f"{_cell(curve['caption'])}"
            )
        else:
            lines.append(f"- {_cell(curve['name'])}: {_cell(curve['shortage'])}")
    if not data["learning"]:
        lines.append("- No rubric scores yet.")
    lines += ["", "## Recurring weaknesses", ""]
    for theme in data["themes"]["weaknesses"] or []:
        lines.append(
            f"{theme['rank']}. **{_cell(theme['name'])}** ({theme['status']}, {theme['trend']}): "
            f"{theme['interviews_real']} real and {theme['interviews_mock']} mock interviews, "
            f"last {theme['last_seen']}{_uncertain(theme)}"
        )
        for evidence in theme["evidence"][:2]:
            lines.append(
                f"   - “{_cell(evidence['text'])}” ({evidence['day']}, {evidence['source']})"
            )
    if not data["themes"]["weaknesses"]:
        lines.append("None yet.")
    lines += ["", "## Strengths", ""]
    strengths = [f"{_cell(t['name'])} ({t['status']})" for t in data["themes"]["strengths"]]
    lines.append(", ".join(strengths) if strengths else "None yet.")
    lines += ["", "## Action plan", ""]
    for item in data["plan"]:
        lines.append(
            f"- **{_cell(item['title'])}** — {item['status']}, tasks {item['tasks_done']}/"
            f"{item['tasks']}, {item['minutes']} min practice: {_cell(item['message'])}"
        )
    if not data["plan"]:
        lines.append("No items yet.")
    lines += _preparation(data["preparation"])
    gaps = data["blocks"]["self_gap"]["rows"]
    if gaps:
        lines += ["", "## Self-assessment", ""]
        lines += [
            f"- {_cell(g['name'])}: {g['verdict']} (self {g['self']:.1f} vs outside "
            f"{g['external']:.1f}, {g['interviews']} interviews)"
            for g in gaps
        ]
    lines += [
        "",
        f"_Rates are Beta-Binomial posteriors with a {meta['prior']} prior; intervals are "
        f"{meta['level']:.0%} credible intervals. debrief {meta['version']}._",
    ]
    return visible("\n".join(lines) + "\n")  # bidirectional controls shown, wherever they are


def _preparation(prep: dict[str, Any]) -> list[str]:
    """Questions per recurring weakness, and the story bank's gaps."""
    lines = ["", "## Questions and stories", ""]
    lines.append(
        f"{prep['asked']} questions recorded from rounds; {prep['practised']} practised from "
        "the bank."
    )
    for c in prep["coverage"]:
        mean = f", mean rating {c['mean_rating']:.1f}" if c["mean_rating"] is not None else ""
        lines.append(
            f"- **{_cell(c['name'])}**: asked {c['asked_real']} real / {c['asked_mock']} mock, "
            f"practised {c['practised']}{mean} ({c['direction']}); {_cell(c['came_back'])}"
        )
    for story in prep["stories"]:
        notes = [f"no {', '.join(story['missing'])}"] if story["missing"] else []
        notes += [f"over-used: {_cell(story['overused'])}"] if story["overused"] else []
        tail = f" — {'; '.join(notes)}" if notes else ""
        told = counted(story["rounds"], "round")
        lines.append(f"- Story “{_cell(story['title'])}”: told in {told}{tail}")
    if prep["gaps"]:
        gaps = ", ".join(f"{_cell(g['name'])} ({g['asked']})" for g in prep["gaps"])
        lines.append(f"- Asked about with no story: {gaps}")
    return lines


def _uncertain(theme: dict[str, Any]) -> str:
    """The tail "; 2 of 7 statements uncertain" when some labels of a theme still need a look."""
    if not theme["uncertain"]:
        return ""
    return f"; {theme['uncertain']} of {theme['statements']} statements uncertain"
