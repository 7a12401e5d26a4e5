"""`debrief today`: what is due this morning, from the journal (it writes nothing)."""

from __future__ import annotations

import shutil
import textwrap
from typing import TYPE_CHECKING

import click

from debrief.cli.common import json_option, printable, with_journal

if TYPE_CHECKING:
    from debrief.journal import Journal
    from debrief.plan.today import Today


@click.command("today")
@click.option("--as-of", metavar="DATE", help="Read the journal as on this day (default: today).")
@json_option
@with_journal
def today(journal: Journal, as_of: str | None, as_json: bool) -> None:
    """What is due: rounds to prepare for (with their weak themes and plan tasks), follow-ups
    and applications to mark as ghosted, feedback to ask for after a final result, mock
    interviews without an outcome, and plan targets.

    A follow-up falls due after `follow_up_days` of silence and ghosting after `ghost_days`
    (settings: `debrief config set follow_up_days 10`).
    """
    from debrief.cli.common import emit_json
    from debrief.model import parse_date
    from debrief.plan.today import due_today

    found = due_today(journal, as_of=parse_date(as_of, "as_of") if as_of else None)
    if as_json:
        emit_json(found)
        return
    click.echo(said(found, width=min(shutil.get_terminal_size((100, 24)).columns, 100)))


def said(found: Today, *, width: int = 100) -> str:
    """The list as text, wrapped to `width`."""
    from debrief.plan.today import HEADINGS, KINDS

    lines = [
        f"Due on {found.as_of} (follow up after {found.follow_up_days} days of silence, "
        f"ghosted after {found.ghost_days})."
    ]
    if not found.due:
        lines.append(
            "Nothing is due. Record what happens next: `debrief interview add`, "
            "`debrief feedback add`."
        )
    for kind in KINDS:
        items = found.of(kind)
        if not items:
            continue
        lines += ["", f"{HEADINGS[kind]} ({len(items)})"]
        for item in items:
            lines += textwrap.wrap(
                printable(item.text), width, initial_indent="  • ", subsequent_indent="    "
            )
            for detail in item.details:
                lines += textwrap.wrap(
                    printable(detail), width, initial_indent="      ", subsequent_indent="        "
                )
            if item.command:
                lines += textwrap.wrap(
                    item.command, width, initial_indent="    → ", subsequent_indent="      "
                )
    return "\n".join(lines)
