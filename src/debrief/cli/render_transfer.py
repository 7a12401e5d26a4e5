"""Terminal output (Rich) for imports: the decisions table. User text goes through `Text`."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from debrief.cli.render import console
from debrief.ingest.decisions import Decision, ImportResult
from debrief.ingest.mail.evaluate import Evaluation

ACTION_STYLE = {
    "create": "green",
    "update": "cyan",
    "unchanged": "dim",
    "skip": "yellow",
    "error": "bold red",
}


def print_decisions(result: ImportResult, *, everything: bool, only_errors: bool = False) -> None:
    """Every decision (a dry run); after a real run, what needs a look (rows or messages
    skipped or refused: the rest is in the summary line); or only the errors that stopped it."""
    mail = any(d.event is not None for d in result.decisions)

    def needs_a_look(decision: Decision) -> bool:
        if decision.action == "error":
            return True
        # Skipped rows deserve a look; skipped non-job mail and re-imports are expected.
        return decision.action == "skip" and not only_errors and (not mail or bool(decision.event))

    rows = [d for d in result.decisions if everything or needs_a_look(d)]
    if not rows:
        return
    table = Table(title=f"Decisions for {result.source}", title_justify="left")
    table.add_column("Row" if not mail else "Message", no_wrap=True)
    table.add_column("Action")
    table.add_column("Company")
    table.add_column("Role")
    if mail:
        table.add_column("Event")
        table.add_column("Conf.", justify="right")
    table.add_column("Status")
    table.add_column("Why")
    for decision in rows:
        status = ""
        if decision.status:
            status = (
                decision.status
                if not decision.from_status
                else f"{decision.from_status} → {decision.status}"
            )
            status += f" ({decision.on})" if decision.on else ""
        cells = [
            Text(decision.origin),
            Text(decision.action, style=ACTION_STYLE[decision.action]),
            Text(decision.company or ""),
            Text(decision.role or ""),
        ]
        if mail:
            cells += [
                Text(decision.event or ""),
                Text(f"{decision.confidence:.2f}" if decision.confidence is not None else ""),
            ]
        why = (
            f"{decision.field}: {decision.reason}"
            if decision.field and decision.action == "error"
            else decision.reason
        )
        cells += [Text(status), Text(why)]
        table.add_row(*cells)
    console().print(table)


def print_evaluation(found: Evaluation) -> None:
    """Accuracy per field against the targets, then every miss."""
    table = Table(title=f"E-mail reading on {found.labels} ({found.messages} messages)")
    table.add_column("Field")
    table.add_column("Correct", justify="right")
    table.add_column("Accuracy", justify="right")
    table.add_column("Target", justify="right")
    for score in found.scores:
        target = TARGETS.get(score.field)
        table.add_row(
            score.field,
            f"{score.correct} / {score.total}",
            f"{score.accuracy:.3f}",
            f"≥ {target:.2f}" if target else "",
        )
    console().print(table)
    for miss in found.misses:
        console().print(
            Text(f"{miss.file}: {miss.field} expected {miss.expected!r}, read {miss.found!r}")
        )


TARGETS = {"job": 0.97, "event": 0.95, "company": 0.90}
