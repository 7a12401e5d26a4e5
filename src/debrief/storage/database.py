"""Opening the journal database: engine set-up, the schema-version check, upgrades and backups.

Opening is on every command's path, so the check that the schema is current is one small query;
Alembic is only imported when there is something to migrate.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from debrief.errors import SchemaTooNew, StorageError
from debrief.storage import location
from debrief.storage.location import sqlite_path

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

# The newest migration in `migrations/versions`; a test checks it against Alembic's head.
SCHEMA_REVISION = "0011"
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True, slots=True)
class SchemaUpgrade:
    """What opening (or `db upgrade`) did to the schema."""

    from_revision: str | None
    to_revision: str
    backup: Path | None


def one_line(text: str) -> str:
    """A driver's message (often several lines) as one line."""
    return " ".join(text.split())


def describe_url(url: str) -> str:
    """A URL fit to show a person: the file for SQLite, the URL without its password otherwise."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def create_database_engine(url: str) -> Engine:
    """An engine for `url`, with SQLite set up for WAL and foreign keys; no schema check yet."""
    path = sqlite_path(url)
    if path is not None:
        _check_sqlite_location(path)
    if url.startswith("postgresql"):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise StorageError(
                "PostgreSQL needs the psycopg driver: pip install 'debrief[postgres]'"
            ) from None
    from sqlalchemy import create_engine, event
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    except (ArgumentError, NoSuchModuleError, ImportError) as error:
        raise StorageError(
            f"cannot use database URL {describe_url(url)!r}: {one_line(str(error))} "
            "(debrief supports SQLite and PostgreSQL)"
        ) from None
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()


def _check_sqlite_location(path: Path) -> None:
    if path.exists():
        if not path.is_file():
            raise StorageError(f"cannot use {path} as the database: it is not a file")
        if not os.access(path, os.R_OK | os.W_OK):
            raise StorageError(f"cannot open {path}: the file is not readable and writable")
        return
    parent = path.parent
    if not parent.exists() and path == location.default_database_path():
        try:
            parent.mkdir(parents=True)
        except OSError as error:
            raise StorageError(f"cannot create {parent}: {error.strerror}") from None
    if not parent.is_dir():
        raise StorageError(f"cannot create {path}: {parent} is not an existing directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise StorageError(f"cannot create {path}: {parent} is not writable")


def current_revision(connection: Connection) -> str | None:
    """The schema revision recorded in the database, or None when it has none."""
    from sqlalchemy import inspect, text

    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def known_revisions() -> set[str]:
    """Every revision this version of debrief ships a migration for."""
    return {script.revision for script in _script_directory().walk_revisions()}


def ensure_schema(engine: Engine, *, backup: bool = True) -> SchemaUpgrade | None:
    """Bring the schema to SCHEMA_REVISION; copy a SQLite file first when it already holds data.

    Returns what was done, or None when the schema was already current.
    """
    from sqlalchemy import inspect
    from sqlalchemy.exc import DBAPIError

    url = engine.url.render_as_string(hide_password=False)
    try:
        with engine.connect() as connection:
            current = current_revision(connection)
            if current == SCHEMA_REVISION:
                return None
            if current is None and inspect(connection).get_table_names():
                raise StorageError(
                    f"{describe_url(url)} is not a debrief database (it has tables of its own)"
                )
    except DBAPIError as error:
        raise StorageError(
            f"cannot open {describe_url(url)}: {one_line(str(error.orig))}"
        ) from None
    if current is not None and current not in known_revisions():
        raise SchemaTooNew(
            f"{describe_url(url)} has schema revision {current}, newer than this debrief knows "
            f"({SCHEMA_REVISION}); upgrade debrief to use it"
        )
    copy = None
    path = sqlite_path(url)
    if current is not None and backup and path is not None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        copy = backup_sqlite(path, path.with_name(f"{path.stem}.pre-{SCHEMA_REVISION}-{stamp}.db"))
    run_migrations(engine, "head")
    return SchemaUpgrade(from_revision=current, to_revision=SCHEMA_REVISION, backup=copy)


def run_migrations(engine: Engine, revision: str = "head", *, downgrade: bool = False) -> None:
    """Run Alembic to `revision` on `engine`, in one transaction."""
    from alembic import command
    from sqlalchemy.exc import DBAPIError

    config = _alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            if downgrade:
                command.downgrade(config, revision)
            else:
                command.upgrade(config, revision)
    except DBAPIError as error:
        raise StorageError(
            f"cannot migrate {describe_url(str(engine.url))}: {one_line(str(error.orig))}"
        ) from None


def backup_sqlite(path: Path, destination: Path | None = None) -> Path:
    """Copy a SQLite journal consistently (online backup API, safe with WAL); return the copy."""
    if destination is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        destination = path.with_name(f"{path.stem}-{stamp}.backup.db")
    if destination.exists():
        raise StorageError(f"will not overwrite {destination}")
    if not destination.parent.is_dir():
        raise StorageError(f"cannot write {destination}: {destination.parent} is not a directory")
    try:
        with (
            closing(sqlite3.connect(path)) as source,
            closing(sqlite3.connect(destination)) as copy,
        ):
            source.backup(copy)
    except sqlite3.Error as error:
        destination.unlink(missing_ok=True)
        raise StorageError(f"cannot back up {path} to {destination}: {error}") from None
    return destination


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _script_directory() -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config())
