"""What every CLI command shares: opening the journal (`--db`), `--json`, choices, confirmation.

Only Click and the standard library load here; storage and Rich load when a command runs.
"""

from __future__ import annotations

import functools
import gc
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, overload

import click

from debrief.errors import InvalidInput
from debrief.model import (
    Choice,
    is_whole,
    normalise_choice,
    record_id,
    to_jsonable,
    visible,
)

if TYPE_CHECKING:
    from debrief.journal import Journal

F = TypeVar("F", bound=Callable[..., Any])


class RecordId(click.ParamType[int]):
    """A record id: ASCII digits, within the ids the journal's columns hold (model.record_id)."""

    name = "integer"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            return record_id(value, "id")
        except InvalidInput as error:
            self.fail(error.detail, param, ctx)


class WholeRange(click.IntRange):
    """A number a person types (minutes, days, a count) within bounds: ASCII digits, as
    model.whole_number reads them (click's own INT takes "٣" and "1_000"); a minus sign is left
    for the range to refuse."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and not is_whole(value.strip().removeprefix("-")):
            self.fail(f"{value[:40]!r} is not a whole number", param, ctx)
        return super().convert(value, param, ctx)


ID = RecordId()
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """User text made safe for a terminal: control characters (escape sequences that could
    rewrite the screen or the window title) are shown as visible escapes, and bidirectional
    controls (which reorder what follows them) as ⟨U+202E⟩."""
    return visible(_CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text))


DB_KEY = "debrief.db"


def _remember_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.find_root().meta[DB_KEY] = value


db_option = click.option(
    "--db",
    metavar="PATH|URL",
    expose_value=False,
    is_eager=True,
    callback=_remember_db,
    help="Journal database: a SQLite file or a SQLAlchemy URL "
    "(default: $DEBRIEF_DATABASE_URL, else the user data directory).",
)

json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON (stable keys) instead of a table."
)


# How a command uses the journal: it only reads it (the journal must exist); it previews what it
# would do (reads, against an empty journal when there is none yet); it changes records already
# there (must exist); or it adds data (the journal is created on first use). Commands that write
# refuse an in-memory database, which would keep nothing.
Access = Literal["read", "preview", "change", "add"]
WRITES: Final = frozenset({"change", "add"})
MEMORY_REFUSED = (
    "an in-memory journal keeps nothing once the command ends; give a file (--db journal.db)"
)


def open_journal(ctx: click.Context, access: Access = "read") -> Journal:
    """The journal this invocation works on, opened once and closed when the command ends."""
    root = ctx.find_root()
    journal: Journal | None = root.meta.get("debrief.journal")
    if journal is None:
        from debrief.errors import StorageError
        from debrief.journal import Journal
        from debrief.storage.location import resolve_database_url, sqlite_path

        url = resolve_database_url(root.meta.get(DB_KEY))
        path = sqlite_path(url)
        if access in WRITES and path is None and url.startswith("sqlite"):
            raise StorageError(MEMORY_REFUSED)
        if access == "preview" and path is not None and not path.exists():
            click.echo(
                f"No journal at {path} yet: this is what an empty one would do "
                "(nothing is created).",
                err=True,
            )
            url = "sqlite://"
        journal = Journal.open(url, create=access == "add")
        if access in WRITES and journal.read_only:
            journal.close()
            raise StorageError(
                f"cannot change {journal.location}: it can only be read "
                "(a read-only mount, or a file without write permission)"
            )
        _loaded()
        if journal.upgrade is not None and journal.upgrade.from_revision is None:
            root.meta["debrief.created"] = True
        root.meta["debrief.journal"] = journal
        root.call_on_close(journal.close)
        if journal.upgrade is not None and journal.upgrade.from_revision is not None:
            backup = f" (backup: {journal.upgrade.backup})" if journal.upgrade.backup else ""
            click.echo(
                f"Upgraded the journal schema from {journal.upgrade.from_revision} to "
                f"{journal.upgrade.to_revision}{backup}.",
                err=True,
            )
    return journal


class _Collector:
    """Whether the `debrief` command paused the cyclic garbage collector while it loads."""

    paused = False


def pause_collector() -> bool:
    """Pause the cyclic collector until the journal is open (see `run`); whether it was on."""
    if not gc.isenabled():
        return False
    gc.disable()
    _Collector.paused = True
    return True


def _loaded() -> None:
    """The heavy modules are loaded: if the command paused the collector for them, keep what
    they made out of its way and let it run for the command's own work."""
    if _Collector.paused:
        _Collector.paused = False
        gc.freeze()
        gc.enable()


def journal_created(ctx: click.Context) -> bool:
    """Whether this invocation created the journal it works on (none was there)."""
    return bool(ctx.find_root().meta.get("debrief.created"))


def _discard_if_created(ctx: click.Context, journal: Journal) -> None:
    """A command that fails (or is stopped) on its first use of a new SQLite file leaves no
    file behind, unless something was written to it."""
    if not journal_created(ctx):
        return
    from debrief.storage.location import sqlite_path

    path = sqlite_path(journal.engine.url.render_as_string(hide_password=False))
    try:
        summary = journal.summary()
    except Exception:  # the database itself failed: leave the file for the user to see
        return
    if path is None or summary.applications or summary.interviews_mock or summary.feedback:
        return
    journal.close()
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


# A rule that gives None opens no journal: the command works on something else `--db` names
# (the coach demo builds a coach server) and is passed None.
AccessRule = Access | Callable[[dict[str, Any]], Access | None]


@overload
def with_journal(command: F) -> F: ...
@overload
def with_journal(*, access: AccessRule) -> Callable[[F], F]: ...
def with_journal(command: F | None = None, *, access: AccessRule = "read") -> F | Callable[[F], F]:
    """Pass the open journal as the first argument, accept `--db`, and report bad values as
    errors on the option that carried them. `access` says how the command uses the journal
    (see Access), or picks it from the command's options (a dry run only previews; None opens
    no journal)."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            ctx = click.get_current_context()
            rule = access(kwargs) if callable(access) else access
            if rule is None:
                return function(None, *args, **kwargs)
            journal = open_journal(ctx, rule)
            try:
                return function(journal, *args, **kwargs)
            except InvalidInput as error:
                _discard_if_created(ctx, journal)
                param = next((p for p in ctx.command.params if p.name == error.field), None)
                if param is None:
                    raise
                raise InvalidValue(f"invalid {param.get_error_hint(ctx)}: {error.detail}") from None
            except BaseException:  # refused, a database error, Ctrl+C: no empty journal stays
                _discard_if_created(ctx, journal)
                raise

        wrapper.journal_access = access  # type: ignore[attr-defined]  # what the web's parity test reads
        return db_option(wrapper)  # type: ignore[return-value]

    return decorate if command is None else decorate(command)


class InvalidValue(click.ClickException):
    """A value the core refused, reported on one line against the option that carried it."""

    exit_code = 2


class VocabularyChoice(click.Choice[str]):
    """A Click choice over a vocabulary that accepts any spelling ("cold apply", "Cold-Apply")."""

    def __init__(self, vocabulary: type[Choice]) -> None:
        super().__init__([member.value for member in vocabulary], case_sensitive=False)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        return super().convert(normalise_choice(str(value)), param, ctx)


def stacked(options: list[Callable[[F], F]]) -> Callable[[F], F]:
    """One decorator that applies a list of Click options, first listed first in --help."""

    def decorate(command: F) -> F:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


def emit_json(value: Any) -> None:
    """Print records as JSON: ISO dates, enum values, UTF-8."""
    click.echo(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False))


def confirm_delete(question: str, yes: bool) -> None:
    """Ask before deleting unless --yes (no answer, as from an empty pipe, means no)."""
    if not yes:
        click.confirm(question, abort=True)


yes_option = click.option("--yes", "-y", is_flag=True, help="Delete without asking.")


def edits(options: dict[str, Any]) -> dict[str, Any]:
    """The options a user gave to an edit command; an empty string means "clear this field"."""
    return {
        name: None if value == "" else value for name, value in options.items() if value is not None
    }


def print_done(value: Any, as_json: bool, message: str) -> None:
    """After a change: the changed record as JSON, or a one-line message saying what was done."""
    if as_json:
        emit_json(value)
    else:
        click.echo(message)


def print_as(value: Any, as_json: bool, renderer: str) -> None:
    """Print `value` as JSON, or through the named function of `debrief.cli.render` (or of
    another module of `debrief.cli`, as "render_plan.plan_view"), which loads Rich, so only
    commands that print tables pay for it."""
    if as_json:
        emit_json(value)
        return
    import importlib

    from debrief.cli import render

    module_name, _, function = renderer.rpartition(".")
    module = importlib.import_module(f"debrief.cli.{module_name}") if module_name else render
    render.console().print(getattr(module, function)(value))
