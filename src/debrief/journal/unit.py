"""The unit of work: one engine, sessions that join an open transaction, and the revision.

Every module of the journal reads in `reading()` and writes in `transaction()`; `atomic()` makes
several operations one transaction (an import). Sessions are opened here only; outside the
journal, the plan's own store borrows them for its tables, and backups hand them to
`storage.dump`. A transaction that wrote anything moves the journal's revision counter before
it commits, so the counter and the data become visible together.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import TextClause, event, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker

from debrief.errors import DatabaseFailed
from debrief.storage.database import (
    SQLITE_BEGIN,
    SchemaUpgrade,
    describe_url,
    is_busy,
    one_line,
    read_only,
)
from debrief.storage.schema import TABLES, RevisionRow

WROTE = "debrief.wrote"  # session.info key: the tables a transaction changed
SCRATCH = (None, "", ":memory:")  # SQLite databases with no file behind them
# Textual SQL that writes (spaces read from the first of a run: linear time, docs/triage.md).
_WRITES = re.compile(r"(?<!\s)\s*(insert|update|delete|replace)\b", re.IGNORECASE)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from debrief.triage.backend import Backend


class UnitOfWork:
    """The database behind a journal, and the sessions its operations read and write in."""

    def __init__(
        self,
        engine: Engine,
        upgrade: SchemaUpgrade | None = None,
        *,
        triage_backend: Backend | None = None,
    ) -> None:
        self._engine = engine
        self._backend = triage_backend
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # Write sessions take the write lock when they begin (see storage.database).
        self._writers = sessionmaker(
            engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"}), expire_on_commit=False
        )
        for maker in (self._sessions, self._writers):
            event.listen(maker, "after_flush", _note_flush)
            event.listen(maker, "do_orm_execute", _note_statement)
        # The session of an open write block (`atomic()` or `transaction()`), per thread or task.
        self._active: ContextVar[Session | None] = ContextVar(f"debrief-{id(self)}", default=None)
        # A connection that only watches a SQLite file's data version (see `revision`).
        self._watch_lock = threading.Lock()
        self._watcher: Any = None
        self.upgrade = upgrade

    @property
    def location(self) -> str:
        """Where the journal is, fit to show a person."""
        return describe_url(self._engine.url.render_as_string(hide_password=False))

    @property
    def read_only(self) -> bool:
        """Whether the journal can only be read (a SQLite file on a read-only mount, say)."""
        return read_only(self._engine)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for other core modules built on the journal)."""
        return self._engine

    def close(self) -> None:
        """Release the database connections."""
        with self._watch_lock:
            if self._watcher is not None:
                self._watcher.close()
                self._watcher = None
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Make every write inside the block one transaction: all of it lands, or none does.

        Blocks nest (an inner one joins the outer). An exception inside rolls everything back,
        so a caller must not swallow one and carry on writing.
        """
        if self._active.get() is not None:
            yield
            return
        with self._write_session():
            yield

    def transaction(self) -> AbstractContextManager[Session]:
        """A session to write in: it joins an open write block, else commits when the block
        ends."""
        return self._transaction()

    def reading(self) -> AbstractContextManager[Session]:
        """A session to read in (it joins an open write block, so it sees what it wrote)."""
        return self._reading()

    @property
    def writing(self) -> bool:
        """Whether a write transaction is open here (in this thread or task)."""
        return self._active.get() is not None

    def before_writing(self, what: str) -> None:
        """Refuse to run `what` (classification, say) inside an open write transaction, where it
        would hold the database for its whole length: the caller does it first."""
        if self.writing:
            raise RuntimeError(f"{what} runs before the write transaction opens, not inside one")

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        active = self._active.get()
        if active is not None:
            yield active
            return
        with self._write_session() as session:
            yield session

    @contextmanager
    def _write_session(self) -> Iterator[Session]:
        """A session in a write transaction that already holds the write lock. Waiting for the
        lock is where another process's write shows (SQLite's "database is locked" once its
        wait is over): nothing has been done yet, so it is tried once more before giving up."""
        with database_errors():
            session = self._writers()
            try:
                session.begin()
                try:
                    session.connection()  # BEGIN now, before the caller's first read
                except OperationalError as error:
                    if not is_busy(error):
                        raise
                    session.rollback()
                    session.begin()
                    session.connection()
                token = self._active.set(session)  # reads and writes inside the block join it
                try:
                    yield session
                    _count_revision(session)
                finally:
                    self._active.reset(token)
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        active = self._active.get()
        if active is not None:
            yield active
            return
        with database_errors(), self._sessions() as session:
            yield session

    def triage_backend(self) -> Backend:
        """The backend triage uses, chosen once per journal (loading a model is not free)."""
        if self._backend is None:
            from debrief.triage import get_backend

            self._backend = get_backend()
        return self._backend

    def revision(self) -> tuple[Any, ...]:
        """A value that changes with every committed write, by this process or another: what a
        cache of derived views is keyed on. It holds the counter every write transaction moves
        before it commits (exact on every database), and on a SQLite file also the file's data
        version, which moves with any commit at all (a tool other than debrief's too)."""
        if self._engine.dialect.name != "sqlite" or self._engine.url.database in SCRATCH:
            revision = TABLES[RevisionRow.__tablename__].c
            with database_errors(), self._engine.connect() as connection:
                counter = connection.scalar(select(revision.counter).where(revision.id == 1))
            return (counter or 0,)
        with database_errors(), self._watch_lock:  # one connection kept for it: no pool trip
            if self._watcher is None:  # its own connection: another's commits move the version
                self._watcher = self._engine.raw_connection()
            cursor = self._watcher.cursor()
            try:
                cursor.execute("SELECT counter FROM journal_revision WHERE id = 1")
                row = cursor.fetchone()
                cursor.execute("PRAGMA data_version")
                return (row[0] if row else 0, cursor.fetchone()[0])
            finally:
                cursor.close()


@contextmanager
def database_errors() -> Iterator[None]:
    """A driver's error as one the user is told of (DatabaseFailed), busy or not."""
    try:
        yield
    except (DBAPIError, sqlite3.Error) as error:
        reason = one_line(str(getattr(error, "orig", None) or error))
        raise DatabaseFailed(reason, busy=is_busy(error)) from error


def _note_flush(session: Session, _flush: UOWTransaction) -> None:
    """Remember the tables a flush wrote to."""
    changed = session.info.setdefault(WROTE, set())
    for row in (*session.new, *session.deleted):
        changed.add(type(row).__table__.name)
    changed.update(type(row).__table__.name for row in session.dirty if session.is_modified(row))


def _note_statement(state: ORMExecuteState) -> None:
    """Remember the table an INSERT, UPDATE or DELETE statement writes to (a textual one
    counts as writing to some table)."""
    statement = state.statement
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(statement, "table", None)
        state.session.info.setdefault(WROTE, set()).add(getattr(table, "name", "?"))
    elif isinstance(statement, TextClause) and _WRITES.match(statement.text):
        state.session.info.setdefault(WROTE, set()).add("?")


def _count_revision(session: Session) -> None:
    """Move the revision counter if the transaction wrote anything (in that transaction)."""
    session.flush()
    if not session.info.pop(WROTE, None):
        return
    table = TABLES[RevisionRow.__tablename__]  # the table itself: no ORM set-up for a count
    moved = session.execute(
        update(table).where(table.c.id == 1).values(counter=table.c.counter + 1)
    )
    if not moved.rowcount:  # type: ignore[attr-defined]
        # The row the migration made is gone: put it back, unless another writer just did.
        try:
            with session.begin_nested():
                session.execute(insert(table).values(id=1, counter=1))
        except IntegrityError:
            pass
    session.info.pop(WROTE, None)  # the counter itself is not news
