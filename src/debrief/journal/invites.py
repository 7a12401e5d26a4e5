"""Mock-partner invites as the journal keeps them: the hash of a token, its interview, expiry, and
whether (and with which feedback) it was used. Tokens themselves are `debrief.partner`'s."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from debrief.errors import InvalidInput
from debrief.journal.records import fetch
from debrief.journal.unit import UnitOfWork
from debrief.model import FeedbackSource, InviteState
from debrief.storage.schema import InterviewRow, PartnerInviteRow

# Who an invite may ask.
INVITED = (FeedbackSource.MOCK_PARTNER, FeedbackSource.COACH)


def add_invite(
    journal: UnitOfWork,
    interview_id: int,
    token_hash: str,
    *,
    created_at: datetime,
    expires_at: datetime,
    source: FeedbackSource | str = FeedbackSource.MOCK_PARTNER,
) -> InviteState:
    """Keep a new invite to one interview's form, known by its token's hash; `source` says
    who is asked (a mock partner or a coach), and so whose feedback the answers are."""
    asked = FeedbackSource.parse(source, "source")
    if asked not in INVITED:
        raise InvalidInput("source", f"an invite asks a mock partner or a coach, not {asked}")
    with journal.transaction() as session:
        row = PartnerInviteRow(
            interview_id=interview_id,
            token_hash=token_hash,
            created_at=created_at,
            expires_at=expires_at,
            source=asked.value,
        )
        session.add(row)
        session.flush()
        return _invite(row)


def list_invites(journal: UnitOfWork, interview_id: int | None = None) -> list[InviteState]:
    """Invites, oldest first: all, or those of one interview."""
    query = select(PartnerInviteRow).order_by(PartnerInviteRow.id)
    if interview_id is not None:
        query = query.where(PartnerInviteRow.interview_id == interview_id)
    with journal.reading() as session:
        return [_invite(row) for row in session.scalars(query)]


def invite_by_hash(journal: UnitOfWork, token_hash: str) -> InviteState | None:
    """The invite a token's hash names, if any."""
    with journal.reading() as session:
        row = session.scalar(
            select(PartnerInviteRow).where(PartnerInviteRow.token_hash == token_hash)
        )
        return None if row is None else _invite(row)


def invite_hash(journal: UnitOfWork, invite_id: int) -> str | None:
    """The token hash of an invite (what its offline answers are signed with), if it exists."""
    with journal.reading() as session:
        row = session.get(PartnerInviteRow, invite_id)
        return None if row is None else row.token_hash


def claim_invite(journal: UnitOfWork, invite_id: int, now: datetime) -> bool:
    """Use an invite up, if it is still open and its interview still a mock: one claim wins
    however many race for it."""
    mocks = select(InterviewRow.id).where(InterviewRow.application_id.is_(None))
    with journal.transaction() as session:
        claimed = session.execute(
            update(PartnerInviteRow)
            .where(
                PartnerInviteRow.id == invite_id,
                PartnerInviteRow.used_at.is_(None),
                PartnerInviteRow.revoked_at.is_(None),
                PartnerInviteRow.expires_at > now,
                PartnerInviteRow.interview_id.in_(mocks),
            )
            .values(used_at=now)
        )
        return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


def attach_invite_feedback(journal: UnitOfWork, invite_id: int, feedback_id: int) -> None:
    """Remember which feedback a used invite brought."""
    with journal.transaction() as session:
        session.execute(
            update(PartnerInviteRow)
            .where(PartnerInviteRow.id == invite_id)
            .values(feedback_id=feedback_id)
        )


def revoke_invite(journal: UnitOfWork, invite_id: int, now: datetime) -> InviteState:
    """Withdraw an invite before it is used: its link and offline form stop working."""
    with journal.transaction() as session:
        row = fetch(session, PartnerInviteRow, "invite", invite_id)
        if row.used_at is not None:
            raise InvalidInput("invite", f"invite #{invite_id} was already answered")
        row.revoked_at = row.revoked_at or now
        session.flush()
        return _invite(row)


def revoke_open_invites(session: Session, interview_id: int, now: datetime) -> int:
    """Withdraw an interview's open invites, in the caller's transaction (the interview stops
    being a mock); how many were open."""
    revoked = session.execute(
        update(PartnerInviteRow)
        .where(
            PartnerInviteRow.interview_id == interview_id,
            PartnerInviteRow.used_at.is_(None),
            PartnerInviteRow.revoked_at.is_(None),
            PartnerInviteRow.expires_at > now,
        )
        .values(revoked_at=now)
    )
    return int(revoked.rowcount)  # type: ignore[attr-defined]


def _invite(row: PartnerInviteRow) -> InviteState:
    return InviteState(
        row.id,
        row.interview_id,
        row.created_at,
        row.expires_at,
        row.used_at,
        row.feedback_id,
        row.revoked_at,
        row.source,
    )
