"""Terminal output (Rich) for imports: the decisions table. User text goes through `Text`."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from debrief.cli.render import console
from debrief.ingest.decisions import Decision, ImportResult
from debrief.ingest.mail.evaluate import Evaluation
from debrief.journal.imported import Review

ACTION_STYLE = {
    "create": "green",
    "update": "cyan",
    "unchanged": "dim",
    "review": "magenta",
    "skip": "yellow",
    "error": "bold red",
}


def print_decisions(result: ImportResult, *, everything: bool, only_errors: bool = False) -> None:
    """Every decision (a dry run); after a real run, what needs a look (rows or messages
    skipped or refused: the rest is in the summary line); or only the errors that stopped it."""
    mail = result.mail

    def needs_a_look(decision: Decision) -> bool:
        if decision.action in ("error", "review"):
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
            Text(decision.origin.removeprefix(f"{result.source}/")),
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


def print_reviews(reviews: Sequence[Review]) -> None:
    """The import review queue, a line per message."""
    if not reviews:
        console().print("Nothing to review.")
        return
    table = Table(title="Messages to review (least sure first)", title_justify="left")
    for column in ("ID", "Sent", "Company", "Role", "Proposes", "Why unsure"):
        table.add_column(column)
    for review in reviews:
        table.add_row(
            str(review.id),
            str(review.sent_on or ""),
            Text(review.company or "?"),
            Text(review.role or ""),
            Text(_proposal(review) + ("" if review.state == "pending" else f" [{review.state}]")),
            Text(review.doubts),
        )
    console().print(table)
    console().print("Accept, correct or discard one: debrief import review show ID")


def print_review(review: Review) -> None:
    """One queued message: the proposal, the doubts, the message."""
    out = console()
    out.print(Text(f"Review {review.id} ({review.state}): {review.origin}", style="bold"))
    out.print(Text(f"From: {review.sender}\nSubject: {review.subject}\nSent: {review.sent_on}"))
    out.print(
        Text(
            f"Proposes: {_proposal(review)} at {review.company or '?'}"
            + (f", {review.role}" if review.role else "")
            + f"\nUnsure: {review.doubts}\nRead as: {review.why}"
        )
    )
    out.print(Text("\n" + review.text[:4000].strip() + ("\n…" if len(review.text) > 4000 else "")))
    out.print(
        f"\ndebrief import review accept {review.id} "
        "[--company … --role … --event … --stage … --application ID]"
        f"\ndebrief import review discard {review.id}"
    )


def _proposal(review: Review) -> str:
    from debrief.ingest.mail.policy import status_of

    status = status_of(review.event, review.stage)
    return f"{review.event or '?'}" + (f" → {status}" if status else "")
