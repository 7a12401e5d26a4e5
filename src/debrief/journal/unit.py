"""The unit of work: one engine, sessions that join an open transaction, and the revision.

Every module of the journal reads in `reading()` and writes in `transaction()`; `atomic()` makes
several operations one transaction (an import). Nothing outside `debrief.journal`, `storage` and
the plan's own store opens a session. A transaction that wrote anything moves the journal's
revision counter before it commits, so the counter and the data become visible together.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker

from debrief.storage.database import SchemaUpgrade, describe_url
from debrief.storage.schema import TABLES, RevisionRow

WROTE = "debrief.wrote"  # session.info key: the tables a transaction changed

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from debrief.triage.classify import Backend


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
        event.listen(self._sessions, "after_flush", _note_flush)
        event.listen(self._sessions, "do_orm_execute", _note_statement)
        # The session of an open `atomic()` block, per thread or task.
        self._active: ContextVar[Session | None] = ContextVar(f"debrief-{id(self)}", default=None)
        self.upgrade = upgrade

    @property
    def location(self) -> str:
        """Where the journal is, fit to show a person."""
        return describe_url(self._engine.url.render_as_string(hide_password=False))

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for other core modules built on the journal)."""
        return self._engine

    def close(self) -> None:
        """Release the database connections."""
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
        with self._sessions.begin() as session:
            token = self._active.set(session)
            try:
                yield
                _count_revision(session)
            finally:
                self._active.reset(token)

    def transaction(self) -> AbstractContextManager[Session]:
        """A session to write in: it joins an open `atomic()` block, else commits when the
        block ends."""
        return self._transaction()

    def reading(self) -> AbstractContextManager[Session]:
        """A session to read in (it joins an open `atomic()` block)."""
        return self._reading()

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        active = self._active.get()
        if active is not None:
            yield active
            return
        with self._sessions.begin() as session:
            yield session
            _count_revision(session)

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        active = self._active.get()
        if active is not None:
            yield active
            return
        with self._sessions() as session:
            yield session

    def triage_backend(self) -> Backend:
        """The backend triage uses, chosen once per journal (loading a model is not free)."""
        if self._backend is None:
            from debrief.triage import get_backend

            self._backend = get_backend()
        return self._backend

    def revision(self) -> tuple[Any, ...]:
        """A value that changes with every committed write, by this process or another: what a
        cache of derived views is keyed on. It is the counter every write transaction moves
        before it commits, so it is exact on every database."""
        revision = TABLES[RevisionRow.__tablename__].c
        with self._engine.connect() as connection:
            counter = connection.scalar(select(revision.counter).where(revision.id == 1))
        return (counter or 0,)


def _note_flush(session: Session, _flush: UOWTransaction) -> None:
    """Remember the tables a flush wrote to."""
    changed = session.info.setdefault(WROTE, set())
    for row in (*session.new, *session.deleted):
        changed.add(type(row).__table__.name)
    changed.update(type(row).__table__.name for row in session.dirty if session.is_modified(row))


def _note_statement(state: ORMExecuteState) -> None:
    """Remember the table an INSERT, UPDATE or DELETE statement writes to."""
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        state.session.info.setdefault(WROTE, set()).add(getattr(table, "name", "?"))


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
        session.execute(insert(table).values(id=1, counter=1))
    session.info.pop(WROTE, None)  # the counter itself is not news
