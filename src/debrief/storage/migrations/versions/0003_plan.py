"""plan: action items, tasks, practice log, events, evidence

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "action_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("skill", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("target_on", sa.Date(), nullable=True),
        sa.Column("proposed_on", sa.Date(), nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("tracking_from", sa.Date(), nullable=True),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("reopened", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('proposed', 'accepted', 'resolved', 'dropped')",
            name=op.f("ck_action_items_status_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_items")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_action_items_skill"), "action_items", ["skill"], unique=False)
    op.create_index(op.f("ix_action_items_status"), "action_items", ["status"], unique=False)

    op.create_table(
        "action_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["action_items.id"],
            name=op.f("fk_action_events_item_id_action_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_events")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_action_events_item_id"), "action_events", ["item_id"], unique=False)

    op.create_table(
        "action_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["action_items.id"],
            name=op.f("fk_action_tasks_item_id_action_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_tasks")),
        sa.UniqueConstraint("item_id", "position", name=op.f("uq_action_tasks_item_id_position")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_action_tasks_item_id"), "action_tasks", ["item_id"], unique=False)

    op.create_table(
        "practice_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "minutes IS NULL OR minutes BETWEEN 0 AND 1440",
            name=op.f("ck_practice_entries_minutes_range"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["action_items.id"],
            name=op.f("fk_practice_entries_item_id_action_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["action_tasks.id"],
            name=op.f("fk_practice_entries_task_id_action_tasks"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_entries")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_practice_entries_item_id"), "practice_entries", ["item_id"], unique=False
    )

    op.create_table(
        "action_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["action_items.id"],
            name=op.f("fk_action_evidence_item_id_action_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_action_evidence_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_evidence")),
        sa.UniqueConstraint(
            "item_id", "statement_id", name=op.f("uq_action_evidence_item_id_statement_id")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_action_evidence_item_id"), "action_evidence", ["item_id"], unique=False
    )
    op.create_index(
        op.f("ix_action_evidence_statement_id"), "action_evidence", ["statement_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_action_evidence_statement_id"), table_name="action_evidence")
    op.drop_index(op.f("ix_action_evidence_item_id"), table_name="action_evidence")

    op.drop_table("action_evidence")
    op.drop_index(op.f("ix_practice_entries_item_id"), table_name="practice_entries")

    op.drop_table("practice_entries")
    op.drop_index(op.f("ix_action_tasks_item_id"), table_name="action_tasks")

    op.drop_table("action_tasks")
    op.drop_index(op.f("ix_action_events_item_id"), table_name="action_events")

    op.drop_table("action_events")
    op.drop_index(op.f("ix_action_items_status"), table_name="action_items")
    op.drop_index(op.f("ix_action_items_skill"), table_name="action_items")

    op.drop_table("action_items")
