"""Where each student's journal is kept on a coach server, and opening it.

One journal per student, apart from every other (docs/coach.md says why): on PostgreSQL a schema
of its own in the server's database (`debrief_<server>_student_<id>`), over the server's one pool of
connections; on SQLite a file of its own in a folder beside the server's file
(`<server>.students/<id>.db`). A student's journal is the single-user journal, unchanged: every
page and command of debrief works on it as on a journal of one's own.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from debrief.files import private_folder
from debrief.journal import Journal
from debrief.storage.database import ensure_schema, scoped_engine
from debrief.storage.location import sqlite_path

if TYPE_CHECKING:
    from debrief.coach.store import Directory
    from debrief.triage.backend import Backend


def schema_name(server: str, student_id: int) -> str:
    """The PostgreSQL schema of a student's journal: the server's name and the student's id."""
    return f"debrief_{server}_student_{int(student_id)}"


class StudentJournal(Journal):
    """A student's journal in a PostgreSQL schema: it borrows the server's pool of connections,
    which closing it leaves open (the directory closes it)."""

    def close(self) -> None:
        pass


def journal_folder(server_file: Path) -> Path:
    """The folder the students' journals of a SQLite coach server are kept in."""
    return server_file.with_name(f"{server_file.stem}.students")


class StudentJournals:
    """The students' journals of one server, each opened once and kept open."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._open: dict[int, Journal] = {}
        self._backend: Backend | None = None  # one triage model for every journal
        self._server: str | None = None

    @property
    def server(self) -> str:
        if self._server is None:
            self._server = self.directory.server
        return self._server

    def location(self, student_id: int) -> str:
        """Where a student's journal is (a file, or a schema), fit to show a person."""
        engine = self.directory.engine
        server_file = sqlite_path(engine.url.render_as_string(hide_password=False))
        if server_file is None:
            return f"schema {schema_name(self.server, student_id)} of {engine.url.database}"
        return str(journal_folder(server_file) / f"{int(student_id)}.db")

    def journal(self, student_id: int) -> Journal:
        """The journal of student `student_id` (made when it does not exist yet). The id is
        the directory's, a whole number: it names a file or a schema, nothing else."""
        student_id = int(student_id)
        with self._lock:
            journal = self._open.get(student_id)
            if journal is None:
                journal = self._make(student_id)
                self._open[student_id] = journal
            return journal

    def _make(self, student_id: int) -> Journal:
        engine = self.directory.engine
        url = engine.url.render_as_string(hide_password=False)
        server_file = sqlite_path(url)
        if server_file is None:
            schema = schema_name(self.server, student_id)
            upgrade = ensure_schema(engine, schema=schema)
            journal: Journal = StudentJournal(
                scoped_engine(engine, schema), upgrade, triage_backend=self._backend
            )
        else:
            folder = journal_folder(server_file)
            if not folder.exists():
                private_folder(folder)
            journal = Journal.open(
                f"sqlite:///{folder / f'{student_id}.db'}", triage_backend=self._backend
            )
        if self._backend is None:
            self._backend = journal.triage_backend()
        return journal

    def close(self) -> None:
        with self._lock:
            for journal in self._open.values():
                journal.close()
            self._open.clear()
