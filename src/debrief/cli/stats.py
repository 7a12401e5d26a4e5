"""`debrief stats`: the search as a funnel, with rates, intervals, cuts, trends and a forecast."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from debrief.cli.common import WholeRange, db_option, json_option, print_as, with_journal

if TYPE_CHECKING:
    from debrief.journal import Journal
    from debrief.stats import SearchStats

CUT_CHOICES = ("source", "role", "level", "month", "half")


def stats_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--prior, --window and --json, shared by every stats command."""
    command = json_option(command)
    command = click.option(
        "--window",
        type=WholeRange(1, 3650),
        default=30,
        show_default=True,
        metavar="DAYS",
        help="Days without an answer after which an application counts as unanswered.",
    )(command)
    return click.option(
        "--prior",
        default="jeffreys",
        show_default=True,
        metavar="jeffreys|uniform|A,B",
        help="The Beta prior of every rate.",
    )(command)


def _stats(journal: Journal, prior: str, window: int) -> SearchStats:
    from debrief.stats import search_stats

    return search_stats(journal, prior=prior, response_window=window)


@click.group(invoke_without_command=True)
@stats_options
@db_option
@click.pass_context
def stats(ctx: click.Context, prior: str, window: int, as_json: bool) -> None:
    """The funnel with 90% credible intervals, what works better, and the next offer.

    Every rate is a Beta-Binomial posterior (Jeffreys prior unless --prior says otherwise) and
    counts only decided applications: those still waiting at a step, and those you withdrew,
    are left out. An interval wider than 30 points is flagged as a small sample.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(_overview, prior=prior, window=window, as_json=as_json)


@with_journal
def _overview(journal: Journal, prior: str, window: int, as_json: bool) -> None:
    print_as(_stats(journal, prior, window), as_json, "render_stats.overview")


@stats.command("funnel")
@click.option(
    "--by",
    type=click.Choice(CUT_CHOICES),
    help="Split by source, role, level, month applied, or half of the search.",
)
@stats_options
@with_journal
def funnel(journal: Journal, by: str | None, prior: str, window: int, as_json: bool) -> None:
    """Applications reaching each stage, and each step's pass rate with its interval."""
    found = _stats(journal, prior, window)
    if by is None:
        print_as(found.funnel, as_json, "render_stats.funnel_table")
    else:
        print_as(found.cuts[by], as_json, "render_stats.cut_view")


@stats.command("rounds")
@stats_options
@with_journal
def rounds(journal: Journal, prior: str, window: int, as_json: bool) -> None:
    """How often interview rounds end in a pass: real vs mock, by kind, early vs late."""
    print_as(_stats(journal, prior, window).rounds, as_json, "render_stats.rounds_view")


@stats.command("forecast")
@stats_options
@with_journal
def forecast(journal: Journal, prior: str, window: int, as_json: bool) -> None:
    """Applications (and weeks) to the next offer at current rates, and what would change it."""
    print_as(_stats(journal, prior, window).forecast, as_json, "render_stats.forecast_view")


@stats.command("learning")
@click.option("--skill", metavar="SKILL", help="Only this skill area.")
@json_option
@with_journal
def learning(journal: Journal, skill: str | None, as_json: bool) -> None:
    """Rubric scores per skill area over time, with a fitted trend and its interval."""
    from debrief.stats import learning_curves, load_search
    from debrief.taxonomy import skill_named

    curves = learning_curves(load_search(journal).rounds)
    if skill:
        wanted = skill_named(skill, "skill")
        curves = tuple(c for c in curves if c.skill == wanted)
    print_as(curves, as_json, "render_stats.learning_view")


@stats.command("responses")
@stats_options
@with_journal
def responses(journal: Journal, prior: str, window: int, as_json: bool) -> None:
    """Days to the first answer and the share never answered, by source."""
    print_as(_stats(journal, prior, window).responses, as_json, "render_stats.responses_view")


@stats.command("collected")
@stats_options
@with_journal
def collected(journal: Journal, prior: str, window: int, as_json: bool) -> None:
    """The rejections, counted as the data they produced."""
    print_as(_stats(journal, prior, window).collected, as_json, "render_stats.collected_view")
