"""`debrief themes`: the weaknesses and strengths that recur across interviews, with evidence."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from debrief.cli.common import db_option, json_option, print_as, with_journal

if TYPE_CHECKING:
    from datetime import date

    from debrief.journal import Journal
    from debrief.themes import Scope

since_option = click.option(
    "--since", metavar="DATE", help="Only feedback on interviews from this day on."
)
as_of_option = click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help="The themes as they stood on this day (later feedback left out). Default: today; "
    "recency always counts from the latest feedback up to it.",
)
scope_option = click.option(
    "--real/--mock",
    "real",
    default=None,
    help="Only real interviews (and feedback on applications), or only mock interviews.",
)


def _day(as_of: str | None) -> date | None:
    from debrief.model import parse_date

    return parse_date(as_of, "as_of", past=True) if as_of else None


def _scope(real: bool | None) -> Scope:
    return "all" if real is None else "real" if real else "mock"


@click.group(invoke_without_command=True)
@since_option
@scope_option
@as_of_option
@json_option
@db_option
@click.pass_context
def themes(
    ctx: click.Context, since: str | None, real: bool | None, as_of: str | None, as_json: bool
) -> None:
    """Recurring weaknesses and strengths, ranked, and how you rate yourself.

    A theme is a skill area that feedback raised in two or more distinct interviews (one is a
    signal), broken down into sub-themes: the named sub-skills its statements are about, raised
    on two or more occasions. Circumstance and noise statements never enter a theme. Ranked by
    a score that adds up, per interview, recency, the round, the source and triage's
    confidence, times how often the skill came up when tested.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(_list_themes, since=since, real=real, as_of=as_of, as_json=as_json)


@with_journal
def _list_themes(
    journal: Journal, since: str | None, real: bool | None, as_of: str | None, as_json: bool
) -> None:
    from debrief.themes import find_themes

    report = find_themes(journal, since=since, scope=_scope(real), as_of=_day(as_of))
    print_as(report, as_json, "render_plan.theme_report")


@themes.command("show")
@click.argument("theme")
@click.option(
    "--weakness/--strength",
    "weakness",
    default=None,
    help="Only the weakness, or only the strength, theme (default: both).",
)
@since_option
@scope_option
@as_of_option
@json_option
@with_journal
def show(
    journal: Journal,
    theme: str,
    weakness: bool | None,
    since: str | None,
    real: bool | None,
    as_of: str | None,
    as_json: bool,
) -> None:
    """Everything about one skill area's themes: counts, trend, sub-themes, every statement.

    THEME is a skill area: experimentation, "problem solving", sql, ...
    """
    from rich.text import Text

    from debrief.errors import InvalidInput
    from debrief.model import parse_date
    from debrief.taxonomy import skill_named
    from debrief.themes import load_facts, report_from_facts

    skill = skill_named(theme, "theme")
    start = parse_date(since, "since") if since is not None else None
    facts = load_facts(journal, since=start, scope=_scope(real))
    report = report_from_facts(facts, since=start, scope=_scope(real), as_of=_day(as_of))
    found = [
        t for t in report.about(skill) if weakness is None or (t.kind == "weakness") == weakness
    ]
    if not found:
        raise InvalidInput("theme", f"no feedback has raised {skill} yet")
    print_as(found, as_json, "render_plan.theme_detail")
    if not as_json and any(t.kind == "weakness" and t.status == "theme" for t in found):
        from debrief.cli import render, render_prep
        from debrief.prep import prepare

        prep = prepare(journal, read=(facts, report))
        covered = [c for c in prep.coverage() if c.skill == skill]
        if covered:
            render.console().print(Text("Questions on it", style="bold"))
            render.console().print(render_prep.coverage_block(covered[0]))
