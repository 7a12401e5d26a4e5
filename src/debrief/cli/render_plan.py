"""Terminal output (Rich) for themes and the action plan.

User text (statements, goals, tasks, practice notes) always goes through `Text`, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from debrief.cli.render import _label, _text
from debrief.model import Assignment, counted, local_today
from debrief.plan.records import (
    NOTHING_ABOUT_IT,
    ActionItem,
    ItemProgress,
    PlanView,
    PracticeEntry,
    task_evidence,
)
from debrief.themes import Evidence, SelfGap, Theme, ThemeReport, subskill_name

TREND_MARK = {"rising": "rising", "steady": "steady", "fading": "fading", "unclear": "unclear"}
VERDICT_STYLE = {
    "ready to resolve": "bold green",
    "working": "green",
    "not working yet": "yellow",
    "no evidence yet": "cyan",
    "resolved": "green",
    "proposed": "cyan",
    "dropped": "dim",
}
STATUS_STYLE = {"proposed": "cyan", "accepted": "bold", "resolved": "green", "dropped": "dim"}
BAR = 10


def _raised_in(theme: Theme) -> str:
    parts = [f"{theme.interviews} interview{'s' if theme.interviews != 1 else ''}"]
    if theme.interviews:
        parts[0] += f" ({theme.interviews_real} real, {theme.interviews_mock} mock)"
    if theme.notes:
        parts.append(f"{theme.notes} note{'s' if theme.notes != 1 else ''}")
    return " + ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _span(first: date, last: date) -> str:
    return first.isoformat() if first == last else f"{first} → {last}"


def _theme_table(title: str, themes: Sequence[Theme]) -> RenderableType:
    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("Theme, and its sub-themes", min_width=24)
    table.add_column("Interviews", max_width=12)
    table.add_column("Last seen", no_wrap=True)
    table.add_column("Trend", no_wrap=True)
    table.add_column("Score", justify="right")
    for theme in themes:
        signal = theme.status != "theme"
        style = "dim" if signal else ""
        name = Text(theme.name, style="dim" if signal else "bold")
        if signal:
            name.append(" (signal)")
        if theme.subthemes:
            name.append("\n")
            shown = [
                f"“{s.name}” (shared words)" if s.grouped_by_words else s.name
                for s in theme.subthemes[:3]
            ]
            name.append_text(_text("; ".join(shown), "dim"))
        count = f"{theme.interviews}"
        if theme.interviews_mock:
            count += f" ({theme.interviews_mock} mock)"
        if theme.notes:
            count += f"\n+{theme.notes} note{'s' if theme.notes != 1 else ''}"
        counted = Text(count, style=style)
        if theme.uncertain:
            counted.append(f"\n{theme.uncertain} uncertain", style="yellow")
        table.add_row(
            Text(str(theme.rank), style=style),
            name,
            counted,
            Text(theme.last_seen.isoformat(), style=style),
            Text(TREND_MARK.get(theme.trend.direction, theme.trend.direction), style=style),
            Text(f"{theme.score:.2f}", style=style),
        )
    return table


def _gap_table(gaps: Sequence[SelfGap]) -> RenderableType:
    table = Table(
        title="Self-assessment: your self-rating against rubric scores and outcomes",
        title_justify="left",
    )
    table.add_column("Skill area", no_wrap=True)
    table.add_column("N", justify="right")
    table.add_column("Rubric", justify="right")
    table.add_column("You", justify="right")
    table.add_column("Outside", justify="right")
    table.add_column("Gap", justify="right")
    table.add_column("Verdict")
    styles = {"over-rates": "yellow", "under-rates": "cyan", "about right": "green"}
    for gap in gaps:
        table.add_row(
            gap.name,
            str(gap.interviews),
            str(gap.by_rubric),
            f"{gap.mean_self:.2f}",
            f"{gap.mean_external:.2f}",
            f"{gap.gap:+.2f}",
            Text(gap.verdict, style=styles.get(gap.verdict, "dim")),
        )
    return table


def theme_report(report: ThemeReport) -> RenderableType:
    """`debrief themes`: ranked weaknesses and strengths, and the self-assessment gap."""
    scope = {"all": "real and mock", "real": "real", "mock": "mock"}[report.scope]
    since = f" since {report.since}" if report.since else ""
    left_out = report.excluded
    counted = (
        f" (recency counted from the latest feedback, {report.recent_to})"
        if report.recent_to and report.recent_to < report.as_of
        else ""
    )
    head = Text(
        f"Themes as of {report.as_of}{counted} from {report.statements} constructive and "
        f"strength statements in {scope} interviews{since}; {left_out.get('circumstance', 0)} "
        f"circumstance and {left_out.get('noise', 0)} noise statements left out (they say "
        "nothing about you)."
    )
    if not report.weaknesses and not report.strengths:
        return Group(
            head,
            Text(
                "No themes yet: add feedback (debrief feedback add) and triage will find the "
                "points that recur.",
                style="dim",
            ),
        )
    parts: list[RenderableType] = [head]
    if report.weaknesses:
        parts.append(_theme_table("Recurring weaknesses (what to practise)", report.weaknesses))
    if report.strengths:
        parts.append(_theme_table("Strengths (what to keep doing)", report.strengths))
    if report.self_assessment:
        parts.append(_gap_table(report.self_assessment))
    parts.append(
        Text(
            "A theme is raised in two or more distinct interviews; a signal in one, so it may be "
            'chance. Self-assessment: N interviews with a self-rating, "Outside" their rubric '
            "scores (Rubric of them) or else their outcome (passed 4, rejected 2). `debrief themes "
            "show SKILL` prints the evidence; docs/themes.md explains the score.",
            style="dim",
        )
    )
    return Group(*parts)


def _evidence_table(evidence: Sequence[Evidence]) -> RenderableType:
    lines: list[RenderableType] = [
        Text(f"Evidence ({_count(len(evidence), 'statement')}, most recent first)", style="bold")
    ]
    for item in evidence:
        head = Text(f"{item.day}  ")
        head.append_text(_where(item))
        head.append(f" · {_label(item.source)} · weight {item.weight:.2f}", style="dim")
        body = _text(f"“{item.text}”")
        tail = Text(
            f"#{item.statement_id} · {item.label} {item.confidence:.0%} sure · "
            f"{', '.join(_label(s) for s in item.skills)}"
            + (" · labelled by you" if item.origin == "user" else "")
            + (" · uncertain" if item.uncertain else "")
            + (
                f" · sub-skill: {subskill_name(item.subskill)}, {item.subskill_confidence:.0%} sure"
                if item.subskill
                else ""
            ),
            style="dim",
        )
        lines.append(Padding(Group(head, Padding(Group(body, tail), (0, 0, 0, 4))), (0, 0, 0, 2)))
    return Group(*lines)


def _where(item: Evidence) -> Text:
    if item.interview_id is None:
        if item.application_id is None:
            return Text("a note", style="dim")
        return _text(f"{item.company} (application #{item.application_id})")
    kind = _label(item.kind or "interview")
    if item.mock:
        return Text(f"mock {kind} (#{item.interview_id})")
    return _text(f"{kind} at {item.company} (#{item.interview_id})")


def theme_detail(themes: Sequence[Theme]) -> RenderableType:
    """`debrief themes show`: everything about one skill area's weakness and strength themes."""
    parts: list[RenderableType] = []
    for theme in themes:
        what = "recurring weakness" if theme.kind == "weakness" else "strength"
        if theme.status == "signal":
            what = f"signal ({'weakness' if theme.kind == 'weakness' else 'strength'})"
        title = Text(f"{theme.name} — {what}, #{theme.rank}, score {theme.score:.2f}", style="bold")
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="bold")
        facts.add_column()
        facts.add_row("Raised in", _raised_in(theme))
        facts.add_row("Seen", _span(theme.first_seen, theme.last_seen))
        facts.add_row("Trend", f"{theme.trend.direction}: {theme.trend.describe()}")
        facts.add_row("Sources", ", ".join(f"{_label(k)} {v}" for k, v in theme.sources.items()))
        if theme.uncertain:
            mostly = "Most of its evidence is uncertain: " if theme.mostly_uncertain else ""
            facts.add_row(
                "Uncertain",
                Text(
                    f"{mostly}{theme.uncertain} of {_count(len(theme.evidence), 'statement')} "
                    f"{'has' if theme.uncertain == 1 else 'have'} a label triage was unsure of "
                    "(they weigh less): debrief feedback review",
                    style="yellow",
                ),
            )
        if not theme.subthemes:
            facts.add_row("Sub-themes", Text("none yet: no sub-skill came up twice", style="dim"))
        parts += [title, Padding(facts, (0, 0, 0, 2))]
        if theme.subthemes:
            parts.append(_subtheme_blocks(theme))
        parts += [_evidence_table(theme.evidence), Text("")]
    return Group(*parts)


def _subtheme_blocks(theme: Theme) -> RenderableType:
    """Each sub-theme with what it rests on and every statement behind it."""
    lines: list[RenderableType] = [Text("Sub-themes", style="bold")]
    for sub in theme.subthemes:
        head = _text(sub.name, "bold")
        if sub.grouped_by_words:
            head.append(" (shared words)", style="dim")
        head.append(
            f": {_count(len(sub.statement_ids), 'statement')} from {sub.occasions} interviews "
            f"or notes, last {sub.last_seen}",
            style="dim",
        )
        block: list[RenderableType] = [head]
        block += [Text(caveat, style="yellow") for caveat in sub.caveats()]
        for item in theme.statements_of(sub):
            line = Text(f"{item.day}  ", style="dim")
            line.append_text(_text(f"“{item.text}”"))
            line.append(f"  #{item.statement_id}", style="dim")
            if item.subskill:
                line.append(f" · sub-skill {item.subskill_confidence:.0%} sure", style="dim")
            if item.uncertain:
                line.append(" · uncertain label", style="yellow")
            block.append(Padding(line, (0, 0, 0, 4)))
        lines.append(Padding(Group(*block), (0, 0, 0, 2)))
    return Group(*lines)


def _bar(done: float, total: float) -> str:
    filled = 0 if total <= 0 else round(BAR * min(1.0, done / total))
    return "█" * filled + "░" * (BAR - filled)


def _target(progress: ItemProgress) -> str:
    days = progress.days_to_target
    if days is None:
        return "no target date"
    if days > 0:
        return f"{progress.item.target_on} (in {days} days)"
    if days == 0:
        return f"{progress.item.target_on} (today)"
    return f"{progress.item.target_on} ({-days} days overdue)"


def _item_head(item: ActionItem) -> Text:
    head = Text(f"#{item.id}  ", style="bold")
    head.append_text(_text(item.title, "bold"))
    head.append(f"  [{item.status}]", style=STATUS_STYLE.get(item.status, ""))
    return head


def _item_block(progress: ItemProgress, *, with_tasks: bool) -> RenderableType:
    item = progress.item
    head = _item_head(item)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row("Goal", _text(item.goal))
    why = f"{len(item.evidence)} statements"
    if progress.theme_rank is not None:
        why += f"; weakness #{progress.theme_rank} in your themes now"
    elif item.status != "proposed":
        why += "; no longer a recurring weakness"
    grid.add_row("Why", why + f" (debrief themes show {item.skill})")
    if with_tasks:
        tasks = Text()
        led_by = task_evidence(progress)
        said: set[str] = set()
        for task in item.tasks:
            if tasks:
                tasks.append("\n")
            if task.subskill and task.subskill not in said:
                said.add(task.subskill)
                tasks.append_text(_led_by(task.subskill, led_by.get(task.subskill, ())))
            tasks.append(f"{task.number}. ")
            tasks.append("[x] " if task.done_on else "[ ] ", style="green" if task.done_on else "")
            tasks.append(f"{task.kind}: ", style="dim")
            tasks.append_text(_text(task.text))
        grid.add_row("Tasks", tasks)
    grid.add_row("Target", _target(progress))
    if item.status in ("accepted", "resolved"):
        grid.add_row("Progress", _progress_line(progress))
        follow = progress.follow
        grid.add_row(
            "Follow-through",
            Text(
                f"{follow.verdict}: {follow.message}", style=VERDICT_STYLE.get(follow.verdict, "")
            ),
        )
    elif item.status == "proposed":
        grid.add_row("Next", f"debrief plan accept {item.id}  (or: debrief plan drop {item.id})")
    return Group(head, Padding(grid, (0, 0, 1, 4)))


QUOTED = 3  # statements quoted above a sub-skill's tasks; the rest are counted


def _led_by(subskill: str, evidence: Sequence[Evidence]) -> Text:
    """The line above a sub-skill's tasks: which statements led to them."""
    line = _text(f"For {subskill_name(subskill)}", "bold")
    if not evidence:
        line.append(f" ({NOTHING_ABOUT_IT})\n", style="dim")
        return line
    line.append(f", from {_count(len(evidence), 'statement')}:\n")
    for item in evidence[:QUOTED]:
        line.append(f"   {item.day} ", style="dim")
        line.append_text(_text(f"“{item.text}”"))
        line.append(f" #{item.statement_id}\n", style="dim")
    if len(evidence) > QUOTED:
        line.append(f"   and {len(evidence) - QUOTED} more\n", style="dim")
    return line


def _progress_line(progress: ItemProgress) -> Text:
    item = progress.item
    line = Text()
    line.append(
        f"tasks {_bar(item.tasks_done, len(item.tasks))} {item.tasks_done}/{len(item.tasks)}"
    )
    line.append(f"   practice {item.minutes} min in {counted(len(item.practice), 'session')}")
    follow = progress.follow
    if item.status == "accepted":
        line.append(
            f"   clean interviews {_bar(follow.clean_streak, follow.needed)} "
            f"{min(follow.clean_streak, follow.needed)}/{follow.needed}"
        )
    return line


def plan_view(view: PlanView) -> RenderableType:
    """`debrief plan`: proposals and accepted items, with their tasks."""
    parts: list[RenderableType] = [Text(line, style="yellow") for line in view.reopened]
    if not view.items:
        message = (
            "No plan yet: no weakness has come up in two or more interviews. Keep adding "
            "feedback (debrief feedback add); `debrief themes` shows the signals so far."
        )
        return Group(*parts, Text(message, style="dim"))
    parts.append(
        Text(
            f"Action plan as of {view.as_of}: {view.weakness_themes} recurring weaknesses in "
            "your themes; items for the top ones.",
            style="bold",
        )
    )
    parts += [_item_block(p, with_tasks=True) for p in view.items]
    return Group(*parts)


def plan_status(view: PlanView) -> RenderableType:
    """`debrief plan status`: progress bars and follow-through per accepted item."""
    parts: list[RenderableType] = [Text(line, style="yellow") for line in view.reopened]
    if not view.items:
        return Group(
            *parts,
            Text("No accepted items: see `debrief plan` and accept one.", style="dim"),
        )
    parts.append(Text(f"Plan status, {view.as_of}", style="bold"))
    for progress in view.items:
        item, follow = progress.item, progress.follow
        head = _item_head(item)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        done, total = item.tasks_done, len(item.tasks)
        grid.add_row("Tasks", f"{_bar(done, total)} {done}/{total}")
        grid.add_row("Practice", f"{item.minutes} min in {counted(len(item.practice), 'session')}")
        grid.add_row("Target", _target(progress))
        if item.status == "accepted":
            clean = min(follow.clean_streak, follow.needed)
            grid.add_row(
                "Clean interviews", f"{_bar(clean, follow.needed)} {clean}/{follow.needed}"
            )
        verdict = Text(follow.verdict, style=VERDICT_STYLE.get(follow.verdict, "bold"))
        verdict.append(f": {follow.message}")
        grid.add_row("Follow-through", verdict)
        parts += [head, Padding(grid, (0, 0, 1, 4))]
    working = sum(1 for p in view.items if p.follow.verdict in ("working", "ready to resolve"))
    struggling = sum(1 for p in view.items if p.follow.verdict == "not working yet")
    parts.append(
        Text(
            f"{working} working, {struggling} not working yet, "
            f"{len(view.items) - working - struggling} without a verdict yet.",
            style="dim",
        )
    )
    return Group(*parts)


def item_detail(progress: ItemProgress) -> RenderableType:
    """`debrief plan show`: one item with its tasks, evidence, practice log and history."""
    item = progress.item
    parts: list[RenderableType] = [_item_block(progress, with_tasks=True)]
    if progress.follow.checks:
        checks = Table(title="Interviews since tracking began", title_justify="left")
        checks.add_column("Day")
        checks.add_column("Interview")
        checks.add_column("Raised it?")
        for check in progress.follow.checks:
            where = f"{'mock ' if check.mock else ''}{_label(check.kind)} (#{check.interview_id})"
            checks.add_row(
                check.held_on.isoformat(),
                _text(where + (f" at {check.company}" if check.company else "")),
                Text("yes", style="yellow") if check.raised else Text("no", style="green"),
            )
        parts.append(checks)
    if item.practice:
        parts.append(practice_table(list(item.practice)))
    if progress.evidence:
        parts.append(_evidence_table(progress.evidence))
    history = Table(title="History", title_justify="left")
    history.add_column("When")
    history.add_column("Change")
    history.add_column("Why")
    for event in item.events:
        change = (
            f"{event.from_status} → {event.to_status}" if event.from_status else event.to_status
        )
        history.add_row(
            event.at.astimezone().strftime("%Y-%m-%d %H:%M"), change, _text(event.reason)
        )
    parts.append(history)
    return Group(*parts)


def practice_table(entries: list[PracticeEntry]) -> RenderableType:
    """The practice log."""
    if not entries:
        return Text('No practice logged yet: debrief practice log ITEM "what you did"', style="dim")
    table = Table(title="Practice log", title_justify="left")
    table.add_column("Day", no_wrap=True)
    table.add_column("Item", justify="right")
    table.add_column("Task", justify="right")
    table.add_column("Minutes", justify="right")
    table.add_column("What you did")
    for entry in entries:
        what = _text(entry.text)
        if entry.question:
            what = Text(f"{entry.question}", style="bold")
            what.append(f" ({entry.rating}/5) " if entry.rating else " ")
            what.append_text(_text(entry.text))
        table.add_row(
            entry.done_on.isoformat(),
            f"#{entry.item_id}" if entry.item_id else "—",
            str(entry.task_number) if entry.task_number else "—",
            str(entry.minutes) if entry.minutes is not None else "—",
            what,
        )
    total = sum(e.minutes or 0 for e in entries)
    return Group(table, Text(f"{counted(len(entries), 'session')}, {total} minutes.", style="dim"))


def assignment_table(assignments: list[Assignment]) -> RenderableType:
    """A coach's assignments: what, when due, from whom, and whether done."""
    from debrief.plan.today import assignment_title, due_words

    if not assignments:
        return Text("No assignments from a coach.", style="dim")
    today = local_today()
    table = Table(title="From your coach", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("Assignment")
    table.add_column("Due", no_wrap=True)
    table.add_column("From")
    table.add_column("Done", no_wrap=True)
    for found in assignments:
        what = Text(assignment_title(found), style="bold")
        what.append("\n")
        what.append_text(_text(found.text))
        late = found.open and found.due_on < today
        table.add_row(
            str(found.id),
            what,
            Text(due_words(found.due_on, today), style="yellow" if late else ""),
            _text(found.assigned_by),
            _text(found.done_on) if found.done_on else Text("not yet", style="cyan"),
        )
    waiting = sum(1 for a in assignments if a.open)
    return Group(
        table,
        Text(
            f"{counted(waiting, 'assignment')} to do: debrief plan assignment done N.",
            style="dim",
        ),
    )
