"""`debrief demo` and `debrief summary`: a realistic journal to explore, and counts at a glance."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from debrief.cli.common import json_option, print_as, with_journal

if TYPE_CHECKING:
    from debrief.journal import Journal


@click.command()
@click.option("--seed", default=7, show_default=True, help="Same seed, same journal.")
@click.option(
    "--end",
    metavar="DATE",
    help="The last day of the six-month search (default: today), for reproducible journals.",
)
@json_option
@with_journal(access="add")
def demo(journal: Journal, seed: int, end: str | None, as_json: bool) -> None:
    """Build a realistic demo journal to explore.

    One data scientist's six-month search, generated from a seed, goes into an empty journal;
    use --db to give it a file of its own.
    """
    from debrief.demo import build_demo
    from debrief.model import parse_date

    build_demo(journal, seed=seed, end=parse_date(end, "end", past=True) if end else None)
    if not as_json:
        click.echo(f"Built a demo journal (seed {seed}) at {journal.location}.")
    print_as(journal.summary(), as_json, "summary")


@click.command()
@json_option
@with_journal
def summary(journal: Journal, as_json: bool) -> None:
    """Counts at a glance: statuses, interviews, feedback.

    Applications by current status and by the furthest stage they reached, interviews by kind
    (real and mock), feedback by source.
    """
    if not as_json:
        click.echo(f"Journal at {journal.location}.")
    print_as(journal.summary(), as_json, "summary")
