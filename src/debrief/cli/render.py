"""Readable terminal output (Rich) for the journal's records.

User text is always wrapped in `Text`, never parsed as Rich markup: feedback comes from strangers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.columns import Columns
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from debrief.cli.common import printable
from debrief.model import (
    Application,
    ApplicationDetail,
    Feedback,
    Interview,
    InterviewDetail,
    JournalSummary,
    Statement,
    StatusChange,
    counted,
)

if TYPE_CHECKING:
    from debrief.triage.classify import Triage
    from debrief.triage.evaluate import Evaluation
    from debrief.triage.registry import BackendEntry
    from debrief.triage.suite import SuiteResult

STATUS_STYLE = {
    "applied": "cyan",
    "screen": "blue",
    "technical": "magenta",
    "onsite": "bright_magenta",
    "offer": "bold green",
    "rejected": "red",
    "withdrawn": "yellow",
    "ghosted": "dim",
    "passed": "green",
    "pending": "cyan",
    "withdrew": "yellow",
}


def console() -> Console:
    """The console commands print to."""
    return Console(highlight=False, soft_wrap=False)


def _text(value: object, style: str = "") -> Text:
    """A cell or line of user data: dates formatted, control characters made visible."""
    if value is None or value == "":
        return Text("—", style="dim")
    if isinstance(value, datetime):
        value = value.astimezone().strftime("%Y-%m-%d %H:%M")
    elif isinstance(value, date):
        value = value.isoformat()
    return Text(printable(str(value)), style=style)


def _label(value: object) -> str:
    return str(value).replace("_", " ")


def _status(value: object) -> Text:
    return Text(_label(value), style=STATUS_STYLE.get(str(value), ""))


def _fields(pairs: Iterable[tuple[str, object]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for name, value in pairs:
        if value is None or value == "":
            continue
        grid.add_row(name, value if isinstance(value, Text) else _text(value))
    return grid


class _Listing:
    """A one-line-per-record table whose column widths are computed here, not by Rich.

    Rich measures every cell to lay a table out, which takes most of a second for a thousand
    rows; listings know their cells are single lines, so widths come from their lengths. When
    the table is wider than the terminal, the widest text columns give way and their text wraps
    onto more lines; the `whole` columns (ids, dates, statuses) keep their width, so a date is
    never cut.
    """

    def __init__(
        self,
        title: str,
        headers: tuple[str, ...],
        rows: list[list[Text]],
        whole: frozenset[int] = frozenset({0}),
    ) -> None:
        self.title = title
        self.headers = headers
        self.rows = rows
        self.whole = whole

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = [
            max([len(h), *(row[i].cell_len for row in self.rows)])
            for i, h in enumerate(self.headers)
        ]
        room = options.max_width - (3 * len(self.headers) - 1)
        shrinking = [i for i in range(len(widths)) if i not in self.whole]
        # Text columns give way down to their header's or longest word's width first (so text
        # wraps between words), then down to MIN_TEXT.
        words = [
            max(
                [len(self.headers[i]), MIN_TEXT]
                + [min(len(w), LONG_WORD) for row in self.rows for w in row[i].plain.split()]
            )
            for i in range(len(widths))
        ]
        for floor in (words, None):
            while sum(widths) > room:
                able = [i for i in shrinking if widths[i] > (floor[i] if floor else MIN_TEXT)]
                if not able:
                    break
                widths[max(able, key=lambda i: widths[i])] -= 1
        fits = sum(widths) <= room
        table = Table(title=self.title, title_justify="left", show_edge=False)
        for index, (header, width) in enumerate(zip(self.headers, widths, strict=True)):
            text = index not in self.whole
            table.add_column(
                header,
                width=width,
                no_wrap=not text,
                overflow="fold" if text else "ellipsis",
                justify="right" if index == 0 else "left",
            )
        if not fits:
            table.caption = "(wider than the terminal: widen it, or use --json)"
        for row in self.rows:
            table.add_row(*row)
        yield table


MIN_TEXT = 6  # the narrowest a text column of a listing gets
LONG_WORD = 10  # a longer word may be cut to make a listing fit


def applications_table(applications: list[Application]) -> RenderableType:
    """One line per application."""
    if not applications:
        return Text("No applications match.", style="dim")
    rows = [
        [
            Text(str(app.id)),
            _text(app.applied_on) if app.applied_on_known else Text("unknown", style="dim"),
            _text(app.company, "bold"),
            _text(app.role),
            _text(_label(app.source) if app.source else None),
            _status(app.status),
        ]
        for app in applications
    ]
    headers = ("ID", "Applied", "Company", "Role", "Source", "Status")
    return _Listing(counted(len(applications), "application"), headers, rows, frozenset({0, 1, 5}))


def _history_table(history: tuple[StatusChange, ...]) -> Table:
    table = Table(title="Status history", title_justify="left", show_edge=False)
    for column in ("When", "Change", "Note"):
        table.add_column(column)
    for change in history:
        move = Text()
        if change.from_status is not None:
            move.append_text(_status(change.from_status)).append(" → ")
        move.append_text(_status(change.to_status))
        if change.forced:
            move.append(" (forced)", style="yellow")
        if change.interview_id is not None:
            move.append(f" (round #{change.interview_id})", style="dim")
        table.add_row(_text(change.changed_at), move, _text(change.note))
    return table


def _interview_line(interview: Interview) -> Text:
    line = Text.assemble(
        (f"#{interview.id} ", "bold"),
        interview.held_on.isoformat(),
        "  ",
        (_label(interview.kind), "bold"),
        "  ",
    )
    line.append_text(_status(interview.outcome))
    if interview.mock:
        line.append("  mock", style="yellow")
    if interview.interviewer:
        line.append("  with ")
        line.append_text(_text(interview.interviewer))
    if interview.company:
        line.append("  at ")
        line.append_text(_text(interview.company))
    return line


def _interview_facts(interview: Interview) -> list[tuple[str, object]]:
    rubric = ", ".join(f"{_label(skill)} {score}/5" for skill, score in interview.rubric.items())
    rating = f"{interview.self_rating}/5" if interview.self_rating is not None else None
    return [("Self-rating", rating), ("Rubric", rubric or None), ("Notes", interview.notes)]


def _feedback_block(item: Feedback) -> RenderableType:
    heading = Text.assemble(
        (f"Feedback #{item.id}", "bold"),
        f"  {item.received_on.isoformat()}  from ",
        (_label(item.source), "italic"),
    )
    return Group(heading, Padding(_text(item.text), (0, 0, 0, 2), expand=False))


def _interview_block(detail: InterviewDetail) -> RenderableType:
    parts: list[RenderableType] = [_interview_line(detail.interview)]
    facts = _interview_facts(detail.interview)
    if any(value is not None for _, value in facts):
        parts.append(Padding(_fields(facts), (0, 0, 0, 2), expand=False))
    parts.extend(
        Padding(_feedback_block(item), (0, 0, 0, 2), expand=False) for item in detail.feedback
    )
    return Group(*parts)


def application_detail(detail: ApplicationDetail) -> RenderableType:
    """Everything about one application: fields, history, interviews with feedback."""
    app = detail.application
    title = Text.assemble((f"Application #{app.id}  ", "bold"))
    title.append_text(_text(app.company, "bold")).append(" — ").append_text(_text(app.role))
    fields = _fields(
        [
            ("Status", _status(app.status)),
            (
                "Applied",
                app.applied_on
                if app.applied_on_known
                else f"unknown (about {app.applied_on}; "
                f"`app edit {app.id} --applied DATE` sets it)",
            ),
            ("Level", app.level),
            ("Location", app.location),
            ("Work mode", _label(app.work_mode) if app.work_mode else None),
            ("Source", _label(app.source) if app.source else None),
            ("Link", app.link),
            ("Notes", app.notes),
        ]
    )
    parts: list[RenderableType] = [title, fields, Text(), _history_table(detail.history)]
    parts.append(Text(f"\nInterviews ({len(detail.interviews)})", style="bold underline"))
    if not detail.interviews:
        parts.append(Text("none yet", style="dim"))
    parts.extend(_interview_block(interview) for interview in detail.interviews)
    if detail.feedback:
        parts.append(Text("\nFeedback on the application", style="bold underline"))
        parts.extend(_feedback_block(item) for item in detail.feedback)
    return Group(*parts)


def interviews_table(interviews: list[Interview]) -> RenderableType:
    """One line per interview."""
    if not interviews:
        return Text("No interviews match.", style="dim")
    rows = [
        [
            Text(str(interview.id)),
            _text(interview.held_on),
            _text(_label(interview.kind)),
            Text("mock", style="yellow") if interview.mock else Text("real"),
            _text(interview.company, "bold"),
            _text(interview.interviewer),
            _text(interview.self_rating),
            _status(interview.outcome),
        ]
        for interview in interviews
    ]
    headers = ("ID", "Date", "Kind", "Type", "Company", "Interviewer", "Self", "Outcome")
    return _Listing(
        counted(len(interviews), "interview"), headers, rows, frozenset({0, 1, 3, 6, 7})
    )


def interview_detail(detail: InterviewDetail) -> RenderableType:
    """One interview with its rubric and feedback."""
    interview = detail.interview
    facts: list[tuple[str, object]] = [
        ("Application", f"#{interview.application_id}" if interview.application_id else None),
        ("Role", interview.role),
        *_interview_facts(interview),
    ]
    parts: list[RenderableType] = [_interview_line(interview), _fields(facts)]
    parts.append(Text(f"\nFeedback ({len(detail.feedback)})", style="bold underline"))
    if not detail.feedback:
        parts.append(Text("none yet", style="dim"))
    parts.extend(_feedback_block(item) for item in detail.feedback)
    return Group(*parts)


def _excerpt(text: str, limit: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def feedback_table(items: list[Feedback]) -> RenderableType:
    """One line per piece of feedback, with an excerpt of its text."""
    if not items:
        return Text("No feedback matches.", style="dim")
    rows = [
        [
            Text(str(item.id)),
            _text(item.received_on),
            _text(_label(item.source)),
            _text(item.company, "bold"),
            _text(f"#{item.interview_id}" if item.interview_id else None),
            _text(_excerpt(item.text)),
        ]
        for item in items
    ]
    headers = ("ID", "Received", "Source", "Company", "Interview", "Text")
    return _Listing(counted(len(items), "feedback item"), headers, rows, frozenset({0, 1}))


def feedback_detail(item: Feedback) -> RenderableType:
    """One piece of feedback, verbatim."""
    facts: list[tuple[str, object]] = [
        ("Interview", f"#{item.interview_id}" if item.interview_id else None),
        ("Application", f"#{item.application_id}" if item.application_id else None),
        ("Company", item.company),
    ]
    return Group(_feedback_block(item), Text(), _fields(facts))


def _counts(
    title: str,
    heading: str,
    counts: dict[str, int],
    name: Callable[[str], Text],
    count_heading: str = "Count",
) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(heading, no_wrap=True)
    table.add_column(count_heading, justify="right")
    for key, count in counts.items():
        table.add_row(name(key), str(count))
    return table


def summary(report: JournalSummary) -> RenderableType:
    """Counts by status, interviews by kind and feedback by source."""
    span = (
        f"{report.first_applied} to {report.last_applied}" if report.first_applied else "no dates"
    )
    head = Text(
        f"{report.applications} applications to {report.companies} companies ({span}), "
        f"{report.interviews_real} real and {report.interviews_mock} mock interviews, "
        f"{report.feedback} pieces of feedback."
    )
    statuses = _counts("Applications", "Status now", report.by_status, _status)
    reached = _counts("Got as far as", "Stage", report.reached, _status, "Apps")
    kinds = Table(title="Interviews by kind", title_justify="left")
    kinds.add_column("Kind", no_wrap=True)
    kinds.add_column("Real", justify="right")
    kinds.add_column("Mock", justify="right")
    for kind, counts in report.interviews_by_kind.items():
        kinds.add_row(_label(kind), str(counts["real"]), str(counts["mock"]))
    sources = _counts(
        "Feedback by source", "Source", report.feedback_by_source, lambda s: Text(_label(s))
    )
    labels = _counts("Feedback, triaged", "Statements", report.statements_by_label, label_text)
    return Group(head, Text(), Columns([statuses, reached, kinds, sources, labels], padding=(0, 2)))


LABEL_STYLE = {
    "constructive": "bold yellow",
    "strength": "bold green",
    "circumstance": "cyan",
    "noise": "dim",
}


def label_text(label: object) -> Text:
    """A triage label, coloured."""
    return Text(str(label), style=LABEL_STYLE.get(str(label), ""))


def statements_table(statements: Sequence[Statement | Triage]) -> RenderableType:
    """Triaged statements: label, skills, confidence, the statement and why."""
    if not statements:
        return Text("No statements: nothing in this text reads as feedback.", style="dim")
    table = Table(show_lines=True, title_justify="left")
    with_ids = isinstance(statements[0], Statement)
    if with_ids:
        table.add_column("ID", justify="right")
    table.add_column("Label", no_wrap=True)
    table.add_column("Skills")
    table.add_column("Conf.", justify="right")
    table.add_column("Statement, and why")
    for item in statements:
        body = _text(item.text)
        body.append("\n")
        why = item.explanation
        if isinstance(item, Statement) and item.origin == "user" and item.model_label:
            why += f" (the model said {item.model_label})"
        body.append_text(_text(why, "dim italic"))
        confidence = (
            Text(f"{item.confidence:.0%}\nuncertain", style="yellow")
            if item.uncertain
            else Text(f"{item.confidence:.0%}")
        )
        row = [
            label_text(item.label),
            _text(", ".join(_label(s) for s in item.skills) or None),
            confidence,
            body,
        ]
        table.add_row(*([Text(str(item.id))] if isinstance(item, Statement) else []), *row)
    return table


def backends_table(entries: Sequence[BackendEntry]) -> RenderableType:
    """The triage backends this installation knows, and whether each can run here."""
    table = Table(title="Triage backends", title_justify="left")
    table.add_column("Name", no_wrap=True)
    table.add_column("From")
    table.add_column("Can run here?")
    for entry in entries:
        status = (
            Text("yes", style="green")
            if entry.available
            else _text(f"no: {entry.why_not}", "yellow")
        )
        table.add_row(_text(entry.name), _text(entry.origin), status)
    return table


def feedback_with_statements(detail: tuple[Feedback, list[Statement]]) -> RenderableType:
    """A piece of feedback, verbatim, then its triaged statements."""
    item, statements = detail
    counts = ", ".join(
        f"{sum(s.label == label for s in statements)} {label}"
        for label in ("constructive", "strength", "circumstance", "noise")
    )
    title = Text(f"\n{counted(len(statements), 'statement')}: {counts}", style="bold underline")
    return Group(feedback_detail(item), title, statements_table(statements))


def evaluation_table(results: dict[str, Evaluation]) -> RenderableType:
    """The first backend's per-label scores and confusion matrix, then the headline figures of
    every backend side by side (the last is the keyword baseline)."""
    name, main = next(iter(results.items()))
    scores = Table(
        title=f"Triage evaluation: {name}, {main.statements} statements", title_justify="left"
    )
    for column in ("label", "precision", "recall", "F1", "support"):
        scores.add_column(column, justify="left" if column == "label" else "right")
    for label, s in main.per_label.items():
        scores.add_row(
            label_text(label),
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
            str(s.support),
        )
    scores.add_row(Text("macro", style="bold"), "", "", f"{main.macro_f1:.3f}", "")
    scores.add_row(
        Text("skill areas (micro)", style="bold"),
        f"{main.skills_precision:.3f}",
        f"{main.skills_recall:.3f}",
        f"{main.skills_micro_f1:.3f}",
        "",
    )
    matrix = Table(title="Confusion: rows gold, columns predicted", title_justify="left")
    matrix.add_column("")
    for label in main.confusion:
        matrix.add_column(label[:6], justify="right")
    for gold, row in main.confusion.items():
        matrix.add_row(label_text(gold), *[str(n) for n in row.values()])
    side = Table(title="Side by side", title_justify="left")
    side.add_column("")
    for backend in results:
        side.add_column(backend, justify="right")
    headline = {
        "macro-F1": [r.macro_f1 for r in results.values()],
        "constructive precision": [r.per_label["constructive"].precision for r in results.values()],
        "skill-area micro-F1": [r.skills_micro_f1 for r in results.values()],
    }
    for metric, values in headline.items():
        side.add_row(metric, *[f"{v:.3f}" for v in values])
    return Group(scores, matrix, side)


def suite_table(result: SuiteResult) -> RenderableType:
    """The behavioural suite's pass rate per capability, against its target."""
    from debrief.triage.suite import TARGET

    table = Table(
        title=f"Behavioural suite: {result.passed:,} of {result.cases:,} cases passed",
        title_justify="left",
    )
    for column in ("capability", "cases", "hand-written", "passed", "rate", f"≥ {TARGET}"):
        table.add_column(column, justify="left" if column == "capability" else "right")
    for c in result.capabilities:
        met = Text("met", style="green") if c.rate >= TARGET else Text("missed", style="red")
        table.add_row(
            c.capability, f"{c.cases:,}", f"{c.hand_written:,}", f"{c.passed:,}",
            f"{c.rate:.3f}", met,
        )  # fmt: skip
    return Group(table, Text("--failures lists the cases that failed.", style="dim"))


def suite_failures(result: SuiteResult) -> RenderableType:
    """Every failed case of the suite: what was expected and what triage found."""
    lines: list[RenderableType] = [suite_table(result)]
    for c in result.capabilities:
        for failure in c.failures:
            found = " + ".join(label for label, _ in failure.found) or "nothing"
            lines.append(
                Text.assemble(
                    (f"{failure.case.id} ", "bold"),
                    (f"[{c.capability}] ", "dim"),
                    _text(repr(failure.text)[1:-1][:200]),
                    f"\n    expected {failure.expected}; found {found}",
                )
            )
    return Group(*lines)
