"""What imports have read and acted on: the messages a mail import remembers, so importing the
same mailbox twice changes nothing, and where each decision came from; the messages it was
unsure of, queued for the user's review; how far an IMAP import has read each folder; and the
user's settings that imports use (their own name)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import func, insert, select

from debrief.errors import AlreadySettled
from debrief.journal.records import fetch
from debrief.journal.unit import UnitOfWork
from debrief.model import utcnow
from debrief.storage.schema import ImportedMessageRow, ImportReviewRow, MailFolderRow, SettingRow


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


# -- the import review queue -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueuedMessage:
    """A message the reader was unsure of, as the review queue keeps it: the message (enough
    to read it again) and what the reader proposes, with its confidences and doubts."""

    key: str
    origin: str
    sender: str
    subject: str
    sent_at: datetime | None
    sent_on: date | None
    text: str
    event: str | None
    company: str | None
    role: str | None
    stage: str | None
    confidence: float
    company_confidence: float
    why: str
    doubts: str


@dataclass(frozen=True, slots=True)
class Review(QueuedMessage):
    """A queued message with its place in the queue and what became of it."""

    id: int = 0
    state: str = "pending"
    application_id: int | None = None
    created_at: datetime | None = None
    decided_at: datetime | None = None


REVIEW_STATES = ("pending", "accepted", "discarded")
MAX_REVIEW_TEXT = 20_000  # characters of a queued message's text


def queue_for_review(journal: UnitOfWork, messages: Sequence[QueuedMessage]) -> None:
    """Put messages in the review queue (in the import's transaction)."""
    if not messages:
        return
    rows = [
        {
            **asdict(message),
            "origin": message.origin[:500],
            "sender": message.sender[:600],
            "subject": message.subject[:2000],
            "text": message.text[:MAX_REVIEW_TEXT],
            "company": (message.company or None) and message.company[:200],
            "role": (message.role or None) and message.role[:200],
            "why": message.why[:2000],
            "doubts": message.doubts[:1000],
        }
        for message in messages
    ]
    with journal.transaction() as session:
        session.execute(insert(ImportReviewRow), rows)


def review_keys(journal: UnitOfWork) -> dict[str, str]:
    """Every message ever queued for review: its key and its state (pending, accepted or
    discarded)."""
    with journal.reading() as session:
        found = session.execute(select(ImportReviewRow.key, ImportReviewRow.state))
        return dict(found.all())


def list_reviews(
    journal: UnitOfWork, state: str | None = "pending", *, limit: int | None = None
) -> list[Review]:
    """The queue (pending by default), least sure first, then oldest first; `limit` keeps the
    first ones."""
    query = select(ImportReviewRow)
    if state is not None:
        query = query.where(ImportReviewRow.state == state)
    query = query.order_by(ImportReviewRow.confidence, ImportReviewRow.sent_at, ImportReviewRow.id)
    if limit is not None:
        query = query.limit(limit)
    with journal.reading() as session:
        return [_review(row) for row in session.scalars(query)]


def count_reviews(journal: UnitOfWork) -> dict[str, int]:
    """How many queued messages are pending, accepted and discarded."""
    query = select(ImportReviewRow.state, func.count()).group_by(ImportReviewRow.state)
    with journal.reading() as session:
        found = {state: int(count) for state, count in session.execute(query)}
    return {state: found.get(state, 0) for state in REVIEW_STATES}


def get_review(journal: UnitOfWork, review_id: int) -> Review:
    """One queued message (NotFound if there is none with this id)."""
    with journal.reading() as session:
        return _review(fetch(session, ImportReviewRow, "review", review_id))


def settle_review(
    journal: UnitOfWork, review_id: int, state: str, application_id: int | None = None
) -> None:
    """Mark a queued message accepted (with the application it went to) or discarded. Only a
    pending one can be settled (AlreadySettled otherwise)."""
    if state not in REVIEW_STATES[1:]:
        raise ValueError(state)
    with journal.transaction() as session:
        row = fetch(session, ImportReviewRow, "review", review_id, lock=True)
        if row.state != "pending":
            raise AlreadySettled(review_id, row.state)
        row.state = state
        row.application_id = application_id
        row.decided_at = utcnow()


def _review(row: ImportReviewRow) -> Review:
    return Review(
        key=row.key,
        origin=row.origin,
        sender=row.sender,
        subject=row.subject,
        sent_at=row.sent_at,
        sent_on=row.sent_on,
        text=row.text,
        event=row.event,
        company=row.company,
        role=row.role,
        stage=row.stage,
        confidence=row.confidence,
        company_confidence=row.company_confidence,
        why=row.why,
        doubts=row.doubts,
        id=row.id,
        state=row.state,
        application_id=row.application_id,
        created_at=row.created_at,
        decided_at=row.decided_at,
    )


# -- how far IMAP imports have read ------------------------------------------------------------


def folder_states(journal: UnitOfWork, account: str) -> dict[str, tuple[int, int]]:
    """Per folder of an account ("user@host"): its UIDVALIDITY and the last UID read."""
    query = select(MailFolderRow).where(MailFolderRow.account == account)
    with journal.reading() as session:
        return {row.folder: (row.uidvalidity, row.last_uid) for row in session.scalars(query)}


def save_folder_state(
    journal: UnitOfWork, account: str, folder: str, uidvalidity: int, last_uid: int
) -> None:
    """Remember how far a folder has been read (in the import's transaction)."""
    with journal.transaction() as session:
        row = session.scalars(
            select(MailFolderRow).where(
                MailFolderRow.account == account, MailFolderRow.folder == folder
            )
        ).one_or_none()
        if row is None:
            session.add(
                MailFolderRow(
                    account=account, folder=folder, uidvalidity=uidvalidity, last_uid=last_uid
                )
            )
        else:
            row.uidvalidity, row.last_uid = uidvalidity, last_uid


# -- settings ----------------------------------------------------------------------------------


def settings(journal: UnitOfWork) -> dict[str, str]:
    """Every setting the user made."""
    with journal.reading() as session:
        return {row.key: row.value for row in session.scalars(select(SettingRow))}


def set_setting(journal: UnitOfWork, key: str, value: str | None) -> None:
    """Set a setting (None removes it)."""
    with journal.transaction() as session:
        row = session.get(SettingRow, key)
        if value is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(SettingRow(key=key, value=value))
        else:
            row.value = value
