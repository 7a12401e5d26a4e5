"""`debrief config`: the user's settings, kept in the journal."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from debrief.cli.common import db_option, emit_json, printable, with_journal

if TYPE_CHECKING:
    from debrief.journal import Journal

# Every setting there is, and what it does.
SETTINGS = {
    "name": "Your own name: imported mail never takes it (or a part of it) for a company.",
    "follow_up_days": "Days of silence after which `debrief today` says to follow up (7).",
    "ghost_days": "Days of silence after which `debrief today` says to mark it ghosted (30).",
}
MAX_VALUE = 200


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
        emit_json({key: made.get(key) for key in SETTINGS})
        return
    for key, meaning in SETTINGS.items():
        value = made.get(key)
        click.echo(f"{key} = {printable(value) if value else '(not set)'}    {meaning}")


def _known(key: str) -> str:
    if key not in SETTINGS:
        raise click.BadParameter(f"'{key}' is not a setting; known: {', '.join(SETTINGS)}")
    return key


@config.command("set")
@click.argument("key")
@click.argument("value")
@with_journal(access="add")
def set_(journal: Journal, key: str, value: str) -> None:
    """Set KEY to VALUE."""
    value = " ".join(value.split())
    if not value or len(value) > MAX_VALUE:
        raise click.BadParameter(f"give a value of 1 to {MAX_VALUE} characters")
    from debrief.plan.today import SETTINGS as DAY_SETTINGS

    _known(key)
    if key in DAY_SETTINGS:
        _, low, high = DAY_SETTINGS[key]
        if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
            raise click.BadParameter(f"{key} is a number of days from {low} to {high}")
    journal.set_setting(key, value)
    click.echo(f"{key} = {printable(value)}")


@config.command("unset")
@click.argument("key")
@with_journal(access="add")
def unset(journal: Journal, key: str) -> None:
    """Remove KEY's setting."""
    journal.set_setting(_known(key), None)
    click.echo(f"{key} is not set")
