"""assignments from a coach; partner invites that ask a coach

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("skill", sa.String(40), nullable=False),
        sa.Column("subskill", sa.String(80), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("assigned_by", sa.String(120), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("interview_id", sa.Integer(), nullable=True),
        sa.Column("feedback_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('task', 'mock')", name=op.f("ck_assignments_kind_known")),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interviews.id"],
            name=op.f("fk_assignments_interview_id_interviews"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_assignments_feedback_id_feedback"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_assignments_due_on"), "assignments", ["due_on"])
    op.create_index(op.f("ix_assignments_interview_id"), "assignments", ["interview_id"])
    op.create_index(op.f("ix_assignments_feedback_id"), "assignments", ["feedback_id"])
    # Every invite made so far asked a mock partner. A plain ADD COLUMN: batch mode would copy
    # the SQLite table without its AUTOINCREMENT, and ids would be handed out again.
    op.add_column(
        "partner_invites",
        sa.Column("source", sa.String(20), nullable=False, server_default="mock_partner"),
    )


def downgrade() -> None:
    with op.batch_alter_table(
        "partner_invites", table_kwargs={"sqlite_autoincrement": True}
    ) as batch:
        batch.drop_column("source")
    op.drop_table("assignments")
