"""`debrief db`: where the journal is, schema upgrades and backups."""

from __future__ import annotations

from pathlib import Path

import click

from debrief.cli.common import DB_KEY, db_option
from debrief.errors import StorageError


@click.group()
def db() -> None:
    """Where the journal is; schema upgrades; backups."""


def _url() -> str:
    from debrief.storage.location import resolve_database_url

    return resolve_database_url(click.get_current_context().find_root().meta.get(DB_KEY))


@db.command("path")
@db_option
def path() -> None:
    """Print where the journal database is (a file, or a URL without its password)."""
    from debrief.storage.database import describe_url

    click.echo(describe_url(_url()))


@db.command("upgrade")
@db_option
def upgrade() -> None:
    """Bring the database schema up to date (SQLite files are backed up first)."""
    from debrief.errors import NoJournal
    from debrief.storage.database import create_database_engine, describe_url, ensure_schema
    from debrief.storage.location import sqlite_path

    url = _url()
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise NoJournal(path)
    engine = create_database_engine(url)
    try:
        done = ensure_schema(engine)
    finally:
        engine.dispose()
    if done is None:
        from debrief.storage.database import SCHEMA_REVISION

        click.echo(f"{describe_url(url)} is up to date (schema {SCHEMA_REVISION}).")
        return
    start = done.from_revision or "empty"
    backup = f"; backup at {done.backup}" if done.backup else ""
    click.echo(f"Upgraded {describe_url(url)} from {start} to {done.to_revision}{backup}.")


@db.command("backup")
@click.argument("destination", required=False, type=click.Path(dir_okay=False, path_type=Path))
@db_option
def backup(destination: Path | None) -> None:
    """Copy the SQLite journal to DESTINATION (default: a dated file beside it)."""
    from debrief.storage.database import backup_sqlite
    from debrief.storage.location import sqlite_path

    source = sqlite_path(_url())
    if source is None:
        raise StorageError("db backup copies SQLite journals; back up PostgreSQL with pg_dump")
    if not source.exists():
        from debrief.errors import NoJournal

        raise NoJournal(source)
    copy = backup_sqlite(source, destination.resolve() if destination else None)
    click.echo(f"Backed up {source} to {copy}.")
