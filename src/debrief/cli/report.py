"""`debrief report`: the whole search on one self-contained HTML page, or a Markdown summary."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from debrief.cli.common import with_journal

if TYPE_CHECKING:
    from debrief.journal import Journal


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write it (HTML default: report.html; Markdown default: the terminal).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "md"]),
    default="html",
    show_default=True,
    help="A self-contained HTML page, or a Markdown summary.",
)
@click.option("--open", "open_it", is_flag=True, help="Open the HTML report in the browser.")
@click.option(
    "--prior",
    default="jeffreys",
    show_default=True,
    metavar="jeffreys|uniform|A,B",
    help="The Beta prior of every rate.",
)
@with_journal
def report(journal: Journal, output: Path | None, fmt: str, open_it: bool, prior: str) -> None:
    """Write the report: headline numbers, the funnel with intervals, what works better,
    learning curves, themes with evidence, the action plan and the self-assessment gap.

    The HTML file works offline (the chart library is embedded) and can be sent to anyone.
    """
    from debrief.report import build_report, render_html, render_markdown, report_data, save
    from debrief.stats import parse_prior

    data = report_data(build_report(journal, prior=parse_prior(prior)))
    if fmt == "md":
        text = render_markdown(data)
        if output is None:
            click.echo(text, nl=False)
        else:
            save(output, text)
            click.echo(f"Report written to {output}")
        return
    path = output or Path("report.html")
    save(path, render_html(data))
    size = path.stat().st_size / 1_000_000
    head = data["headline"]
    click.echo(
        f"Report written to {path} ({size:.1f} MB): {head['applications']} applications, "
        f"{head['interviews_real']} real and {head['interviews_mock']} mock interviews."
    )
    if open_it:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())
