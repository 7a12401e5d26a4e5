"""The unit of work: one engine, sessions that join an open transaction, and the revision.

Every module of the journal reads in `reading()` and writes in `transaction()`; `atomic()` makes
several operations one transaction (an import). Nothing outside `debrief.journal`, `storage` and
the plan's own store opens a session.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from debrief.storage.database import SchemaUpgrade, describe_url

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
        # The session of an open `atomic()` block, per thread or task.
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
        with self._sessions.begin() as session:
            token = self._active.set(session)
            try:
                yield
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
        cache of derived views is keyed on.

        On a SQLite file it is the file's data version as a connection kept for the purpose
        sees it (it moves with every commit made by any other connection); elsewhere, a
        fingerprint of every table (row counts, last ids and last updates).
        """
        if self._engine.dialect.name == "sqlite" and self._engine.url.database not in (
            None,
            "",
            ":memory:",
        ):
            with self._watch_lock:
                if self._watcher is None:
                    self._watcher = self._engine.raw_connection()
                cursor = self._watcher.cursor()
                try:
                    cursor.execute("PRAGMA data_version")
                    return ("sqlite", cursor.fetchone()[0])
                finally:
                    cursor.close()
        return self._fingerprint()

    def _fingerprint(self) -> tuple[Any, ...]:
        from debrief.storage.schema import Base

        parts: list[Any] = []
        for table in Base.metadata.sorted_tables:
            parts.append(select(func.count()).select_from(table).scalar_subquery())
            if "id" in table.c:
                parts.append(select(func.max(table.c.id)).scalar_subquery())
            if "updated_at" in table.c:
                parts.append(select(func.max(table.c.updated_at)).scalar_subquery())
        with self._reading() as session:
            return tuple(session.execute(select(*parts)).one())
