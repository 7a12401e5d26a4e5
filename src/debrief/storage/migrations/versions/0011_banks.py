"""questions asked in rounds, the STAR story bank, practice of the question bank

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _keeping_counter(table: str, change: object) -> None:
    """Run `change` (a table copy on SQLite) and put the table's id counter back."""
    bind = op.get_bind()
    counter = None
    if bind.dialect.name == "sqlite":
        counter = bind.execute(
            sa.text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table}
        ).scalar()
    change()  # type: ignore[operator]
    if counter is not None:
        bind.execute(
            sa.text("UPDATE sqlite_sequence SET seq = MAX(seq, :counter) WHERE name = :t"),
            {"counter": counter, "t": table},
        )


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("title_key", sa.String(64), nullable=False),
        sa.Column("situation", sa.Text(), nullable=True),
        sa.Column("task", sa.Text(), nullable=True),
        sa.Column("action", sa.Text(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
        sa.UniqueConstraint("title_key", name=op.f("uq_stories_title_key")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "story_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("value", sa.String(40), nullable=False),
        sa.CheckConstraint(
            "kind IN ('competency', 'skill')", name=op.f("ck_story_tags_kind_known")
        ),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name=op.f("fk_story_tags_story_id_stories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story_tags")),
        sa.UniqueConstraint(
            "story_id", "kind", "value", name=op.f("uq_story_tags_story_id_kind_value")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_story_tags_story_id"), "story_tags", ["story_id"])
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("skill", sa.String(40), nullable=True),
        sa.Column("subskill", sa.String(80), nullable=True),
        sa.Column("competency", sa.String(40), nullable=True),
        sa.Column("rating", sa.SmallInteger(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "rating IS NULL OR rating BETWEEN 1 AND 5", name=op.f("ck_questions_rating_range")
        ),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interviews.id"],
            name=op.f("fk_questions_interview_id_interviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["story_id"],
            ["stories.id"],
            name=op.f("fk_questions_story_id_stories"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
        sa.UniqueConstraint(
            "interview_id", "position", name=op.f("uq_questions_interview_id_position")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_questions_interview_id"), "questions", ["interview_id"])
    op.create_index(op.f("ix_questions_skill"), "questions", ["skill"])
    op.create_index(op.f("ix_questions_story_id"), "questions", ["story_id"])

    # Practice kept so far was all for a plan item and named no bank question.
    def change() -> None:
        with op.batch_alter_table(
            "practice_entries", table_kwargs={"sqlite_autoincrement": True}
        ) as batch:
            batch.alter_column("item_id", existing_type=sa.Integer(), nullable=True)
            batch.add_column(sa.Column("question", sa.String(40), nullable=True))
            batch.add_column(sa.Column("rating", sa.SmallInteger(), nullable=True))
            batch.create_check_constraint(
                "rating_range", "rating IS NULL OR rating BETWEEN 1 AND 5"
            )

    _keeping_counter("practice_entries", change)
    op.create_index(op.f("ix_practice_entries_question"), "practice_entries", ["question"])


def downgrade() -> None:
    op.drop_index(op.f("ix_practice_entries_question"), "practice_entries")

    def change() -> None:
        op.execute("DELETE FROM practice_entries WHERE item_id IS NULL")
        with op.batch_alter_table(
            "practice_entries", table_kwargs={"sqlite_autoincrement": True}
        ) as batch:
            batch.drop_constraint("rating_range", type_="check")
            batch.drop_column("rating")
            batch.drop_column("question")
            batch.alter_column("item_id", existing_type=sa.Integer(), nullable=False)

    _keeping_counter("practice_entries", change)
    op.drop_table("questions")
    op.drop_table("story_tags")
    op.drop_table("stories")
