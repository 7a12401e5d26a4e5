"""Domain exceptions raised by the core and translated at each door (CLI, web, API).

Every message is one line a person can act on; it names the record, field or file involved.
"""

from __future__ import annotations


class DebriefError(Exception):
    """Base class for every error debrief reports to a user instead of a traceback."""


class NotFound(DebriefError):
    """A record asked for by id does not exist."""

    def __init__(self, kind: str, record_id: int) -> None:
        super().__init__(f"no {kind} with id {record_id}")
        self.kind = kind
        self.record_id = record_id


class AlreadySettled(DebriefError):
    """A queued import review was already accepted or discarded."""

    def __init__(self, review_id: int, state: str) -> None:
        super().__init__(f"review {review_id} was already {state}")
        self.review_id = review_id
        self.state = state


class InvalidInput(DebriefError):
    """A value given by the user cannot be accepted; `field` names what was wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.detail = message


class InvalidTransition(DebriefError):
    """A status change that the application's history does not allow (without --force)."""


class ChangedMeanwhile(DebriefError):
    """A record changed between the read an operation started from and its write (while triage
    ran, say): nothing was written, and trying again works on what is there now."""


class StorageError(DebriefError):
    """The database cannot be opened, created or written."""


class NoJournal(StorageError):
    """There is no journal at the path given, and the command would not create one."""

    def __init__(self, path: object) -> None:
        super().__init__(f"no journal at {path}; `debrief db path` shows the default")
        self.path = path


class DatabaseFailed(StorageError):
    """The database refused or dropped an operation: nothing of it was written. `busy` when
    another process held the journal (SQLite's lock, a PostgreSQL lock), so that trying again
    in a moment works."""

    def __init__(self, reason: str, *, busy: bool) -> None:
        if busy:
            message = f"the journal is busy: another program is writing to it ({reason}); try again"
        else:
            message = f"database error: {reason}"
        super().__init__(message)
        self.busy = busy


class SchemaTooNew(StorageError):
    """The database was written by a newer debrief than this one."""


class InvalidImport(DebriefError):
    """Outside data that cannot be imported: names the file, the row or message, and the field."""

    def __init__(self, file: str, where: str | None, field: str | None, reason: str) -> None:
        place = ", ".join(p for p in (file, where) if p)
        super().__init__(f"{place}: {field + ': ' if field else ''}{reason}")
        self.file = file
        self.where = where
        self.field = field
        self.reason = reason


class MailboxError(DebriefError):
    """A mail server that cannot be reached, trusted or logged in to, or a folder it does not
    have; the message names the server, and never carries a password."""

    def __init__(self, server: str, reason: str) -> None:
        super().__init__(f"{server}: {reason}")
        self.server = server
        self.reason = reason
