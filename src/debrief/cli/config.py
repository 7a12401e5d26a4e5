"""`debrief config`: the user's settings, kept in the journal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from debrief.cli.common import db_option, emit_json, printable, with_journal
from debrief.settings import MEANINGS, checked

if TYPE_CHECKING:
    from debrief.journal import Journal


@click.group("config", invoke_without_command=True)
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
@click.pass_context
def config(ctx: click.Context, as_json: bool) -> None:
    """Your settings: `debrief config` lists them, `config set KEY VALUE` sets one,
    `config unset KEY` removes it."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(_list, as_json=as_json)


@with_journal
def _list(journal: Journal, as_json: bool) -> None:
    made = journal.settings()
    if as_json:
        emit_json({key: made.get(key) for key in MEANINGS})
        return
    for key, meaning in MEANINGS.items():
        value = made.get(key)
        click.echo(f"{key} = {printable(value) if value else '(not set)'}    {meaning}")


def _known(key: str) -> str:
    if key not in MEANINGS:
        raise click.BadParameter(f"'{key}' is not a setting; known: {', '.join(MEANINGS)}")
    return key


@config.command("set")
@click.argument("key")
@click.argument("value")
@with_journal(access="add")
def set_(journal: Journal, key: str, value: str) -> None:
    """Set KEY to VALUE."""
    from debrief.errors import InvalidInput

    try:
        kept = checked(_known(key), value)
    except InvalidInput as error:
        raise click.BadParameter(error.detail) from None
    journal.set_setting(key, kept)
    click.echo(f"{key} = {printable(kept)}")


@config.command("unset")
@click.argument("key")
@with_journal(access="add")
def unset(journal: Journal, key: str) -> None:
    """Remove KEY's setting."""
    journal.set_setting(_known(key), None)
    click.echo(f"{key} is not set")
