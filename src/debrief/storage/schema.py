"""The SQLAlchemy 2.0 schema of the journal. It only ever changes together with a migration."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from debrief.model import utcnow


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always read back timezone-aware (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        result: datetime = value
        return result.replace(tzinfo=UTC) if result.tzinfo is None else result.astimezone(UTC)


NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with stable constraint names, so migrations can refer to them."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), date: Date()}


# Tables of the database's own bookkeeping, not the user's data: backups leave them out.
BOOKKEEPING: frozenset[str] = frozenset({"journal_revision"})

# Ids are shown to users ("app show 12"), so SQLite must never reuse one after a delete, as
# PostgreSQL sequences never do.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


class Timestamped:
    """created_at / updated_at on every record."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ApplicationRow(Timestamped, Base):
    __tablename__ = "applications"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    company: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200))
    level: Mapped[str | None] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(200))
    work_mode: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(String(40))
    link: Mapped[str | None] = mapped_column(String(2000))
    applied_on: Mapped[date] = mapped_column(index=True)
    # False when applied_on is only an estimate: an application first heard of in a later
    # e-mail (an invitation, a rejection) is dated by that message.
    applied_on_known: Mapped[bool] = mapped_column(default=True, server_default=true())
    status: Mapped[str] = mapped_column(String(20), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    # The day the candidate asked the company for feedback (None: not asked, or not recorded).
    feedback_asked_on: Mapped[date | None]

    history: Mapped[list[StatusChangeRow]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(StatusChangeRow.changed_at, StatusChangeRow.id)",
    )
    interviews: Mapped[list[InterviewRow]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(InterviewRow.held_on, InterviewRow.id)",
    )
    feedback: Mapped[list[FeedbackRow]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(FeedbackRow.received_on, FeedbackRow.id)",
    )


class StatusChangeRow(Base):
    __tablename__ = "status_changes"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)
    forced: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The round whose recording made this change (None: made by hand, or by an import).
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interviews.id", ondelete="SET NULL"), index=True
    )

    application: Mapped[ApplicationRow] = relationship(back_populates="history")


class InterviewRow(Timestamped, Base):
    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL means a mock interview: practice has no application behind it.
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    held_on: Mapped[date] = mapped_column(index=True)
    interviewer: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(20))
    self_rating: Mapped[int | None] = mapped_column(SmallInteger)
    self_rated_at: Mapped[datetime | None]
    notes: Mapped[str | None] = mapped_column(Text)

    application: Mapped[ApplicationRow | None] = relationship(back_populates="interviews")
    rubric: Mapped[list[RubricScoreRow]] = relationship(
        back_populates="interview",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="RubricScoreRow.skill",
    )
    feedback: Mapped[list[FeedbackRow]] = relationship(
        back_populates="interview",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(FeedbackRow.received_on, FeedbackRow.id)",
    )

    __table_args__ = (
        CheckConstraint("self_rating BETWEEN 1 AND 5", name="self_rating_range"),
        NEVER_REUSE_IDS,
    )


class RubricScoreRow(Base):
    __tablename__ = "rubric_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(ForeignKey("interviews.id", ondelete="CASCADE"))
    skill: Mapped[str] = mapped_column(String(40))
    score: Mapped[int] = mapped_column(SmallInteger)

    interview: Mapped[InterviewRow] = relationship(back_populates="rubric")

    __table_args__ = (
        UniqueConstraint("interview_id", "skill"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
        NEVER_REUSE_IDS,
    )


class FeedbackRow(Timestamped, Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Feedback belongs to an interview, or (a rejection after applying) directly to an application;
    # the application of interview feedback is the interview's, never stored twice.
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[date] = mapped_column(index=True)
    text: Mapped[str] = mapped_column(Text)

    interview: Mapped[InterviewRow | None] = relationship(back_populates="feedback")
    application: Mapped[ApplicationRow | None] = relationship(back_populates="feedback")
    statements: Mapped[list[StatementRow]] = relationship(
        back_populates="feedback",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="StatementRow.position",
    )

    __table_args__ = (
        CheckConstraint(
            "interview_id IS NULL OR application_id IS NULL", name="one_parent_at_most"
        ),
        NEVER_REUSE_IDS,
    )


class StatementRow(Timestamped, Base):
    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(20), index=True)
    confidence: Mapped[float]
    explanation: Mapped[str] = mapped_column(Text)
    # What decided the label: user, learned (near-paraphrase of a user label), rule, heading, model.
    origin: Mapped[str] = mapped_column(String(20))
    model_version: Mapped[str] = mapped_column(String(60))
    # The model's own label, kept when the user overrides it (for evaluation and for undo).
    model_label: Mapped[str | None] = mapped_column(String(20))
    labelled_at: Mapped[datetime | None]

    feedback: Mapped[FeedbackRow] = relationship(back_populates="statements")
    skills: Mapped[list[StatementSkillRow]] = relationship(
        back_populates="statement",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="StatementSkillRow.id",
    )

    __table_args__ = (
        UniqueConstraint("feedback_id", "position"),
        CheckConstraint(
            "label IN ('constructive', 'strength', 'circumstance', 'noise')", name="label_known"
        ),
        NEVER_REUSE_IDS,
    )


class StatementSkillRow(Base):
    __tablename__ = "statement_skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )
    skill: Mapped[str] = mapped_column(String(40), index=True)

    statement: Mapped[StatementRow] = relationship(back_populates="skills")

    __table_args__ = (UniqueConstraint("statement_id", "skill"), NEVER_REUSE_IDS)


class ActionItemRow(Timestamped, Base):
    """An item of the action plan: what to practise for one recurring weakness (a skill area)."""

    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    skill: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(200))
    goal: Mapped[str] = mapped_column(Text)
    # accepted, resolved or dropped; "proposed" only inside the transaction that keeps a
    # proposal the user acts on (proposals are derived from the themes, not stored).
    status: Mapped[str] = mapped_column(String(20), index=True)
    rank: Mapped[int | None]
    target_on: Mapped[date | None]
    proposed_on: Mapped[date]
    accepted_on: Mapped[date | None]
    # Follow-through counts interviews from this day on: the day accepted, or the day the theme
    # came back and reopened the item.
    tracking_from: Mapped[date | None]
    resolved_on: Mapped[date | None]
    reopened: Mapped[int] = mapped_column(default=0)

    tasks: Mapped[list[ActionTaskRow]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ActionTaskRow.position",
    )
    practice: Mapped[list[PracticeEntryRow]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(PracticeEntryRow.done_on, PracticeEntryRow.id)",
    )
    events: Mapped[list[ActionEventRow]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(ActionEventRow.at, ActionEventRow.id)",
    )
    evidence: Mapped[list[ActionEvidenceRow]] = relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ActionEvidenceRow.id",
    )

    __table_args__ = (
        CheckConstraint(
            "status IN ('proposed', 'accepted', 'resolved', 'dropped')", name="status_known"
        ),
        NEVER_REUSE_IDS,
    )


class ActionTaskRow(Base):
    """One practice task of an action item, done or not."""

    __tablename__ = "action_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("action_items.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    done_on: Mapped[date | None]
    # The sub-skill it practises (an id of debrief/themes/data/subskills.toml); None for the
    # area's own tasks, the mock follow-up and the user's own tasks.
    subskill: Mapped[str | None] = mapped_column(String(80))

    item: Mapped[ActionItemRow] = relationship(back_populates="tasks")

    __table_args__ = (UniqueConstraint("item_id", "position"), NEVER_REUSE_IDS)


class PracticeEntryRow(Base):
    """A line of the practice log: what the candidate did, for which plan item, and for how
    long. A practice question of the bank answered is logged here too, with how it went; it
    has no item when no accepted item was in its area."""

    __tablename__ = "practice_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("action_items.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[int | None] = mapped_column(ForeignKey("action_tasks.id", ondelete="SET NULL"))
    done_on: Mapped[date]
    text: Mapped[str] = mapped_column(Text)
    minutes: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The practice bank's question answered (its id, "sql-07"), and how it went (1-5).
    question: Mapped[str | None] = mapped_column(String(40), index=True)
    rating: Mapped[int | None] = mapped_column(SmallInteger)

    item: Mapped[ActionItemRow | None] = relationship(back_populates="practice")

    __table_args__ = (
        CheckConstraint("minutes IS NULL OR minutes BETWEEN 0 AND 1440", name="minutes_range"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
        NEVER_REUSE_IDS,
    )


class ActionEventRow(Base):
    """A change of an action item's status, with why (accepted, resolved, reopened...)."""

    __tablename__ = "action_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("action_items.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime]
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)

    item: Mapped[ActionItemRow] = relationship(back_populates="events")

    __table_args__ = (NEVER_REUSE_IDS,)


class ActionEvidenceRow(Base):
    """A statement that motivated an action item (provenance: the item knows why it exists)."""

    __tablename__ = "action_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("action_items.id", ondelete="CASCADE"), index=True
    )
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE"), index=True
    )

    item: Mapped[ActionItemRow] = relationship(back_populates="evidence")

    __table_args__ = (UniqueConstraint("item_id", "statement_id"), NEVER_REUSE_IDS)


class StoryRow(Timestamped, Base):
    """A story of the candidate's STAR bank: what they tell in behavioural rounds."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    # A hash of the title folded (case, accents, spaces), so two stories never share a title.
    title_key: Mapped[str] = mapped_column(String(64), unique=True)
    situation: Mapped[str | None] = mapped_column(Text)
    task: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)

    tags: Mapped[list[StoryTagRow]] = relationship(
        back_populates="story",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="StoryTagRow.id",
    )

    __table_args__ = (NEVER_REUSE_IDS,)


class StoryTagRow(Base):
    """A competency (conflict, failure...) or a skill area a story shows."""

    __tablename__ = "story_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(40))

    story: Mapped[StoryRow] = relationship(back_populates="tags")

    __table_args__ = (
        UniqueConstraint("story_id", "kind", "value"),
        CheckConstraint("kind IN ('competency', 'skill')", name="kind_known"),
        NEVER_REUSE_IDS,
    )


class QuestionRow(Timestamped, Base):
    """A question asked in a round (real or mock), with how it went and the story told."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    skill: Mapped[str | None] = mapped_column(String(40), index=True)
    subskill: Mapped[str | None] = mapped_column(String(80))
    competency: Mapped[str | None] = mapped_column(String(40))
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    notes: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="SET NULL"), index=True
    )

    interview: Mapped[InterviewRow] = relationship()
    story: Mapped[StoryRow | None] = relationship()

    __table_args__ = (
        UniqueConstraint("interview_id", "position"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
        NEVER_REUSE_IDS,
    )


class ImportedMessageRow(Base):
    """An e-mail an import has read and acted on: what makes importing a mailbox twice change
    nothing (keyed by Message-ID, else a hash of the message), and where each decision came
    from (provenance)."""

    __tablename__ = "imported_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(500), unique=True)
    origin: Mapped[str] = mapped_column(String(500))
    event: Mapped[str | None] = mapped_column(String(40))
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), index=True
    )
    feedback_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback.id", ondelete="SET NULL"), index=True
    )
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (NEVER_REUSE_IDS,)


class ImportReviewRow(Base):
    """A message the mail reader was unsure of: what it proposes and why, kept until the user
    accepts, corrects or discards it (`debrief import review`). Its key keeps a re-import from
    queueing it again."""

    __tablename__ = "import_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(500), unique=True)
    origin: Mapped[str] = mapped_column(String(500))
    sender: Mapped[str] = mapped_column(String(600))
    subject: Mapped[str] = mapped_column(String(2000))
    sent_at: Mapped[datetime | None]
    sent_on: Mapped[date | None]
    text: Mapped[str] = mapped_column(Text)
    event: Mapped[str | None] = mapped_column(String(40))
    company: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    stage: Mapped[str | None] = mapped_column(String(20))
    confidence: Mapped[float]
    company_confidence: Mapped[float]
    why: Mapped[str] = mapped_column(String(2000))
    doubts: Mapped[str] = mapped_column(String(1000))
    state: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("state IN ('pending', 'accepted', 'discarded')", name="state"),
        NEVER_REUSE_IDS,
    )


class MailFolderRow(Base):
    """How far an IMAP import has read one folder of one account: the folder's UIDVALIDITY
    and the highest UID read, so the next run fetches only what is new."""

    __tablename__ = "mail_folders"

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(500))
    folder: Mapped[str] = mapped_column(String(500))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("account", "folder"), NEVER_REUSE_IDS)


class SettingRow(Base):
    """A user's setting (`debrief config`): the user's own name, which mail never takes for a
    company, and the like."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(String(2000))


class PartnerInviteRow(Base):
    """A mock partner's one-time link to the rubric form of one interview. Only a hash of the
    token is kept: the token itself lives in the link (or the offline form) the partner holds."""

    __tablename__ = "partner_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    feedback_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback.id", ondelete="SET NULL"), index=True
    )
    revoked_at: Mapped[datetime | None]  # withdrawn by the candidate before it was used
    # Who is asked, and so the source their answers are recorded with: mock_partner or coach.
    source: Mapped[str] = mapped_column(String(20), server_default="mock_partner")

    __table_args__ = (NEVER_REUSE_IDS,)


class AssignmentRow(Base):
    """Practice a coach assigned: a task, or a mock interview on a skill area, due on a day.
    The coach is kept by name: the journal knows no accounts."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    skill: Mapped[str] = mapped_column(String(40))
    subskill: Mapped[str | None] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(index=True)
    assigned_by: Mapped[str] = mapped_column(String(120))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_on: Mapped[date | None]
    # The mock interview recorded for it, and the coach's scores and notes on it.
    interview_id: Mapped[int | None] = mapped_column(
        ForeignKey("interviews.id", ondelete="SET NULL"), index=True
    )
    feedback_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback.id", ondelete="SET NULL"), index=True
    )

    __table_args__ = (
        CheckConstraint("kind IN ('task', 'mock')", name="kind_known"),
        NEVER_REUSE_IDS,
    )


class RevisionRow(Base):
    """How many write transactions the journal has committed (one row): every write moves it
    in the same transaction, so a cache keyed on it never serves a page older than the data."""

    __tablename__ = "journal_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter: Mapped[int] = mapped_column(BigInteger)

    __table_args__ = (CheckConstraint("id = 1", name="one_row"),)


# Each table by name, for queries that need no ORM set-up (counting, inserting in bulk).
TABLES = Base.metadata.tables
