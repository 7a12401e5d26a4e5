"""What imports have read and acted on: the messages a mail import remembers, so importing the
same mailbox twice changes nothing, and where each decision came from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import insert, select

from debrief.journal.unit import UnitOfWork
from debrief.storage.schema import ImportedMessageRow


@dataclass(frozen=True, slots=True)
class ImportedMessage:
    """An e-mail an import acted on: its key (Message-ID, else a hash of the message), where it
    was read, what it said, and the records it touched."""

    key: str
    origin: str
    event: str | None
    application_id: int | None
    feedback_id: int | None


def imported_keys(journal: UnitOfWork) -> set[str]:
    """The keys of every message imported so far."""
    with journal.reading() as session:
        return set(session.scalars(select(ImportedMessageRow.key)))


def remember_imported(journal: UnitOfWork, messages: Sequence[ImportedMessage]) -> None:
    """Keep the messages an import acted on (in the import's transaction)."""
    if not messages:
        return
    with journal.transaction() as session:
        session.execute(insert(ImportedMessageRow), [asdict(message) for message in messages])
