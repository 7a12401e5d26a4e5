"""The `debrief` command line: one module per noun, each a thin door onto the core.

Commands parse options, call `debrief.journal.Journal` (or another core module) and format the
result; domain errors become one-line messages with a non-zero exit code, never tracebacks.
"""

from __future__ import annotations

from typing import Any

import click

from debrief import __version__
from debrief.cli.app import app
from debrief.cli.common import db_option
from debrief.cli.db import db
from debrief.cli.demo import demo, summary
from debrief.cli.feedback import feedback
from debrief.cli.interview import interview
from debrief.cli.partner import partner
from debrief.cli.plan import plan, practice
from debrief.cli.report import report
from debrief.cli.serve import serve
from debrief.cli.stats import stats
from debrief.cli.themes import themes
from debrief.cli.transfer import export, import_
from debrief.cli.triage import triage
from debrief.errors import DebriefError


class DebriefGroup(click.Group):
    """The root group: turns domain and database errors into clean messages."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DebriefError as error:
            raise click.ClickException(str(error)) from None
        except Exception as error:
            if type(error).__module__.startswith("sqlalchemy"):
                reason = " ".join(str(getattr(error, "orig", None) or error).split())
                raise click.ClickException(f"database error: {reason}") from None
            raise


@click.group(
    cls=DebriefGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="debrief")
@db_option
def main() -> None:
    """debrief: every rejection is a data point.

    Record applications, real and mock interviews and the feedback they bring, find the
    weaknesses that recur, and practise them with an action plan, so the job search can be read
    as data. The journal lives in one SQLite file (see `debrief db path`),
    or in PostgreSQL given a URL with --db or DEBRIEF_DATABASE_URL.
    """


for command in (
    app,
    interview,
    feedback,
    triage,
    themes,
    plan,
    practice,
    stats,
    report,
    serve,
    partner,
    import_,
    export,
    demo,
    summary,
    db,
):
    main.add_command(command)
