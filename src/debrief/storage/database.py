"""Opening the journal database: engine set-up, the schema-version check, upgrades and backups.

Opening is on every command's path, so the check that the schema is current is one small query;
Alembic is only imported when there is something to migrate.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from debrief.errors import SchemaTooNew, StorageError
from debrief.files import private_file, private_folder
from debrief.storage import location
from debrief.storage.location import sqlite_path

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

# The newest migration in `migrations/versions`; a test checks it against Alembic's head.
SCHEMA_REVISION = "0012"
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
    """An engine for `url`, with SQLite set up for WAL and foreign keys; no schema check yet.

    A new SQLite file is made readable by its owner only. A SQLite file that cannot be written
    (a read-only mount, a file without write permission) is opened for reading only."""
    path = sqlite_path(url)
    access = _prepare_sqlite_file(path) if path is not None else None
    if url.startswith("postgresql"):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise StorageError(
                "PostgreSQL needs the psycopg driver: pip install 'debrief[postgres]'"
            ) from None
    from sqlalchemy import create_engine, event
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    options: dict[str, Any] = {"pool_pre_ping": not url.startswith("sqlite")}
    if path is not None and access != "write":
        options["creator"] = _read_only_connector(path, immutable=access == "immutable")
    try:
        engine = create_engine(url, **options)
    except (ArgumentError, NoSuchModuleError, ImportError) as error:
        raise StorageError(
            f"cannot use database URL {describe_url(url)!r}: {one_line(str(error))} "
            "(debrief supports SQLite and PostgreSQL)"
        ) from None
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def read_only(engine: Engine) -> bool:
    """Whether the journal behind `engine` was opened for reading only."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or database in (None, "", ":memory:"):
        return False
    return _writable(Path(database)) != "write"


def _read_only_connector(path: Path, *, immutable: bool) -> Callable[[], sqlite3.Connection]:
    # "immutable" where nothing can change the file (its folder cannot be written, so no other
    # process can keep a journal of changes beside it): SQLite then needs no lock files there.
    uri = f"file:{quote(str(path))}?mode=ro" + ("&immutable=1" if immutable else "")

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
        connection.execute("PRAGMA query_only = ON")  # what `_sqlite_pragmas` goes by
        return connection

    return connect


def _writable(path: Path) -> str:
    """How an existing SQLite file can be used: "write", "read" (it cannot be written), or
    "immutable" (its folder cannot be written either, as on a read-only mount, and no write-ahead
    log holds changes not yet in the file: SQLite may then read the file alone)."""
    if os.access(path.parent, os.W_OK | os.X_OK):
        return "write" if os.access(path, os.W_OK) else "read"
    log = path.with_name(path.name + "-wal")
    return "read" if log.exists() and log.stat().st_size > 0 else "immutable"


# The execution option that says how a SQLite transaction begins: "" (deferred: reads),
# "IMMEDIATE" (writes: the write lock is taken at once, waiting for another writer, rather than
# when the first row is written, where a snapshot another process has moved past fails at once
# with "database is locked") or "EXCLUSIVE" (upgrades).
SQLITE_BEGIN = "debrief_sqlite_begin"
BUSY_TIMEOUT_MS = 5_000  # how long a SQLite writer waits for another one's lock


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    if not cursor.execute("PRAGMA query_only").fetchone()[0]:
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.close()
    # The driver would begin transactions itself, lazily and only before a write (and never
    # before DDL): debrief begins them, in `_sqlite_begin`.
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(SQLITE_BEGIN, "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def is_busy(error: BaseException) -> bool:
    """Whether a driver error means another process holds the database for now (SQLite's
    "database is locked", PostgreSQL's lock and serialization failures): worth trying again."""
    orig = getattr(error, "orig", error)
    if isinstance(orig, sqlite3.OperationalError):
        return "locked" in str(orig) or "busy" in str(orig)
    return getattr(orig, "sqlstate", None) in ("40001", "40P01", "55P03")


def _prepare_sqlite_file(path: Path) -> str:
    """Check a SQLite journal's file, creating it (owner only) when it does not exist yet;
    returns how it can be used (see `_writable`)."""
    if path.exists():
        if not path.is_file():
            raise StorageError(f"cannot use {path} as the database: it is not a file")
        if not os.access(path, os.R_OK):
            raise StorageError(f"cannot open {path}: the file is not readable")
        return _writable(path)
    parent = path.parent
    if not parent.exists() and path == location.default_database_path():
        try:
            private_folder(parent)
        except OSError as error:
            raise StorageError(f"cannot create {parent}: {error.strerror}") from None
    if not parent.is_dir():
        raise StorageError(f"cannot create {path}: {parent} is not an existing directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise StorageError(f"cannot create {path}: {parent} is not writable")
    try:  # an empty file is an empty SQLite database; SQLite gives its WAL files the same mode
        os.close(private_file(path, replace=False))
    except FileExistsError:
        pass  # another process made it just now
    except OSError as error:
        raise StorageError(f"cannot create {path}: {error.strerror}") from None
    return "write"


def current_revision(connection: Connection, schema: str | None = None) -> str | None:
    """The schema revision recorded in the database (in `schema`, for a journal kept in a
    PostgreSQL schema of its own), or None when it has none."""
    from sqlalchemy import inspect, text

    if not inspect(connection).has_table(VERSION_TABLE, schema=schema):
        return None
    table = f'"{schema}".{VERSION_TABLE}' if schema else VERSION_TABLE
    return connection.execute(text(f"SELECT version_num FROM {table}")).scalar()


def known_revisions() -> set[str]:
    """Every revision this version of debrief ships a migration for."""
    return {script.revision for script in _script_directory().walk_revisions()}


def ensure_schema(
    engine: Engine, *, backup: bool = True, schema: str | None = None
) -> SchemaUpgrade | None:
    """Bring the schema to SCHEMA_REVISION; copy a SQLite file first when it already holds data.

    Returns what was done, or None when the schema was already current. Several processes may
    open a new or older journal at once (web workers starting together, a CLI command beside
    them): the upgrade runs under a lock (a PostgreSQL advisory lock, an exclusive SQLite
    transaction), and a process that waited for it finds the schema current and carries on.
    With `schema`, the journal is the one in that PostgreSQL schema (made if missing: a coach
    server keeps each student's journal in a schema of its own, see `scoped_engine`).
    """
    url = engine.url.render_as_string(hide_password=False)
    current = _revision_waiting(engine, url, schema)
    if current == SCHEMA_REVISION:
        return None
    if read_only(engine):
        raise StorageError(
            f"{describe_url(url)} can only be read, and this debrief needs to upgrade its "
            f"schema ({current or 'none'} to {SCHEMA_REVISION}): copy it somewhere writable"
        )
    with _reporting(url, "migrate"), _schema_lock(engine) as connection:
        if schema is not None:
            connection.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
        _enter_schema(connection, schema)
        current = _checked_revision(connection, url, schema)  # again: another process may have won
        if current == SCHEMA_REVISION:
            return None
        copy = None
        path = sqlite_path(url)
        if current is not None and backup and path is not None:
            copy = backup_sqlite(path, _free_name(path, f"pre-{SCHEMA_REVISION}"))
        _migrate(connection, "head")
    return SchemaUpgrade(from_revision=current, to_revision=SCHEMA_REVISION, backup=copy)


def _revision_waiting(engine: Engine, url: str, schema: str | None) -> str | None:
    """The journal's schema revision, read as soon as it can be. A new SQLite file is not in
    WAL mode until its first upgrade is done, and until then the upgrade's exclusive lock keeps
    readers out: a process that finds it busy waits for the upgrade, as long as a writer waits
    for the upgrade lock itself, rather than failing after a writer's usual wait."""
    from sqlalchemy.exc import DBAPIError

    deadline = time.monotonic() + SQLITE_LOCK_WAIT_MS / 1000
    while True:
        try:
            with engine.connect() as connection, connection.begin():
                _enter_schema(connection, schema)
                return _checked_revision(connection, url, schema)
        except DBAPIError as error:
            if not is_busy(error) or time.monotonic() >= deadline:
                raise StorageError(
                    f"cannot open {describe_url(url)}: {one_line(str(error.orig))}"
                ) from None
            time.sleep(0.05)


# The names a journal's own PostgreSQL schema may have (they are written into SQL: checked).
SCHEMA_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")


def scoped_engine(engine: Engine, schema: str) -> Engine:
    """`engine` reading and writing the journal in PostgreSQL schema `schema`: every table of
    the journal's schema is named in it (SQLAlchemy's schema translation), over the same pool
    of connections, so one server holds many journals without a pool for each."""
    if engine.dialect.name != "postgresql" or not SCHEMA_NAME.fullmatch(schema):
        raise StorageError(f"cannot keep a journal in schema {schema!r} of {engine.url.database}")
    return engine.execution_options(schema_translate_map={None: schema})


def _enter_schema(connection: Connection, schema: str | None) -> None:
    """Make `schema` the one the open transaction's statements name tables in, alone (Alembic
    and the checks read and write there, the version table included)."""
    if schema is None:
        return
    if not SCHEMA_NAME.fullmatch(schema):
        raise StorageError(f"not a schema name debrief uses: {schema!r}")
    connection.exec_driver_sql(f'SET LOCAL search_path TO "{schema}"')


# The table that makes a database a coach server's directory (debrief.coach.store).
DIRECTORY_TABLE = "coach_people"
DIRECTORY_META = "coach_meta"


def ensure_directory(
    engine: Engine, metadata: Any, revision: str, *, create: bool, initial: dict[str, str]
) -> bool:
    """Whether the database holds a coach server's directory (the tables of `metadata`, at
    `revision`); with `create`, a database with no tables at all is made one, under the
    upgrade lock, its meta table holding `initial` too. A journal is never made a directory,
    nor a directory opened as a journal."""
    from sqlalchemy import inspect, text

    url = engine.url.render_as_string(hide_password=False)
    with _reporting(url, "open"), engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        if DIRECTORY_META in tables:
            _check_directory(connection, url, revision)
            return True
    if not create:
        return False
    if tables:
        raise StorageError(
            f"{describe_url(url)} already holds data (a journal?): a coach server needs a "
            "database of its own"
        )
    with _reporting(url, "create"), _schema_lock(engine) as connection:
        if inspect(connection).has_table(DIRECTORY_META):  # another process made it just now
            _check_directory(connection, url, revision)
            return True
        metadata.create_all(connection)
        connection.execute(
            text(f"INSERT INTO {DIRECTORY_META} (key, value) VALUES (:key, :value)"),
            [{"key": k, "value": v} for k, v in {**initial, "revision": revision}.items()],
        )
    return True


def _check_directory(connection: Connection, url: str, revision: str) -> None:
    from sqlalchemy import text

    found = connection.execute(
        text(f"SELECT value FROM {DIRECTORY_META} WHERE key = 'revision'")
    ).scalar()
    if found != revision:
        raise SchemaTooNew(
            f"{describe_url(url)} is a coach server of revision {found}, which this debrief "
            f"does not know ({revision}); use the debrief that made it"
        )


# Any fixed 64-bit number, the same in every process: the key of the advisory lock that
# upgrades take on PostgreSQL ("debrief" in ASCII).
SCHEMA_LOCK_KEY = 0x6465627269656620
# How long a process waits for another one's upgrade of a SQLite journal before giving up.
SQLITE_LOCK_WAIT_MS = 120_000


@contextmanager
def _schema_lock(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that holds the journal's upgrade lock until it ends."""
    from sqlalchemy import text

    if engine.dialect.name == "sqlite":
        # One exclusive transaction for the whole upgrade, DDL included, that other writers
        # wait for (readers go on reading, in WAL mode); waiting longer than writers do.
        with engine.connect() as connection:
            driver = connection.connection.driver_connection
            assert driver is not None
            driver.execute(f"PRAGMA busy_timeout = {SQLITE_LOCK_WAIT_MS}")
            try:
                with connection.execution_options(**{SQLITE_BEGIN: "EXCLUSIVE"}).begin():
                    yield connection
            finally:
                driver.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        yield connection


def _checked_revision(connection: Connection, url: str, schema: str | None = None) -> str | None:
    """The database's revision, refusing one that is not a debrief journal or is too new."""
    from sqlalchemy import inspect

    current = current_revision(connection, schema)
    tables = inspect(connection).get_table_names(schema=schema)
    if current is None and DIRECTORY_TABLE in tables:
        raise StorageError(
            f"{describe_url(url)} is a coach server, not a journal: serve it with "
            "`debrief coach serve`"
        )
    if current is None and tables:
        raise StorageError(
            f"{describe_url(url)} is not a debrief database (it has tables of its own)"
        )
    if current is not None and current != SCHEMA_REVISION and current not in known_revisions():
        raise SchemaTooNew(
            f"{describe_url(url)} has schema revision {current}, newer than this debrief knows "
            f"({SCHEMA_REVISION}); upgrade debrief to use it"
        )
    return current


@contextmanager
def _reporting(url: str, doing: str) -> Iterator[None]:
    """Driver errors while opening or migrating as one line naming the database."""
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except DBAPIError as error:
        raise StorageError(
            f"cannot {doing} {describe_url(url)}: {one_line(str(error.orig))}"
        ) from None


def run_migrations(engine: Engine, revision: str = "head", *, downgrade: bool = False) -> None:
    """Run Alembic to `revision` on `engine`, in one transaction under the upgrade lock."""
    with _reporting(str(engine.url), "migrate"), _schema_lock(engine) as connection:
        _migrate(connection, revision, downgrade=downgrade)


def _migrate(connection: Connection, revision: str, *, downgrade: bool = False) -> None:
    from alembic import command

    config = _alembic_config()
    config.attributes["connection"] = connection
    if downgrade:
        command.downgrade(config, revision)
    else:
        command.upgrade(config, revision)


def _free_name(path: Path, tag: str) -> Path:
    """A name beside `path` for a copy tagged `tag` and the time, that no file has yet."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.{tag}-{stamp}.db")
    number = 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}.{tag}-{stamp}-{number}.db")
    return candidate


def backup_sqlite(path: Path, destination: Path | None = None) -> Path:
    """Copy a SQLite journal consistently (online backup API, safe with WAL); return the copy."""
    if destination is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        destination = path.with_name(f"{path.stem}-{stamp}.backup.db")
    if not destination.parent.is_dir():
        raise StorageError(f"cannot write {destination}: {destination.parent} is not a directory")
    try:  # made here, readable by its owner only, before data goes in; never over a file
        os.close(private_file(destination, replace=False))
    except FileExistsError:
        raise StorageError(f"will not overwrite {destination}") from None
    except OSError as error:
        raise StorageError(f"cannot write {destination}: {error.strerror or error}") from None
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
