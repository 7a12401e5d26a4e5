"""The `debrief` command line: one module per noun, each a thin door onto the core.

Commands parse options, call `debrief.journal.Journal` (or another core module) and format the
result; domain errors become one-line messages with a non-zero exit code, never tracebacks.
"""

from __future__ import annotations

import gc
import importlib
from typing import Any

import click

from debrief import __version__
from debrief.cli.common import db_option, pause_collector
from debrief.errors import DebriefError

# Every command by name, and where it lives: a command's module loads only when it runs (or
# when --help lists them all), so `debrief summary` does not pay for the other nouns.
COMMANDS: dict[str, str] = {
    "today": "debrief.cli.today:today",
    "app": "debrief.cli.app:app",
    "interview": "debrief.cli.interview:interview",
    "feedback": "debrief.cli.feedback:feedback",
    "triage": "debrief.cli.triage:triage",
    "themes": "debrief.cli.themes:themes",
    "plan": "debrief.cli.plan:plan",
    "practice": "debrief.cli.plan:practice",
    "questions": "debrief.cli.questions:questions",
    "stories": "debrief.cli.stories:stories",
    "stats": "debrief.cli.stats:stats",
    "report": "debrief.cli.report:report",
    "serve": "debrief.cli.serve:serve",
    "partner": "debrief.cli.partner:partner",
    "import": "debrief.cli.transfer:import_",
    "export": "debrief.cli.transfer:export",
    "demo": "debrief.cli.demo:demo",
    "summary": "debrief.cli.demo:summary",
    "db": "debrief.cli.db:db",
    "config": "debrief.cli.config:config",
    "coach": "debrief.cli.coach:coach",
}


class DebriefGroup(click.Group):
    """The root group: loads each command when it is used, and turns domain and database
    errors into clean messages."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, _, attribute = target.partition(":")
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command

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


def run() -> None:
    """The `debrief` command itself: the console script, and `python -m debrief`."""
    # Loading SQLAlchemy, the schema and the records makes a great many objects and no garbage,
    # which the cyclic collector would sweep again and again: in the command's own process it
    # waits until the journal is open, when what was loaded is frozen out of its way (see
    # `open_journal`). Code that calls `main` itself keeps its collector as it is.
    paused = pause_collector()
    try:
        main()
    finally:
        if paused:
            gc.enable()
