"""partner invites: one-time links to a mock interview's rubric form

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "partner_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interview_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("feedback_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["interview_id"],
            ["interviews.id"],
            name=op.f("fk_partner_invites_interview_id_interviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_partner_invites_feedback_id_feedback"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_invites")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_partner_invites_token_hash")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_partner_invites_interview_id"), "partner_invites", ["interview_id"], unique=False
    )
    op.create_index(
        op.f("ix_partner_invites_feedback_id"), "partner_invites", ["feedback_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_partner_invites_feedback_id"), table_name="partner_invites")
    op.drop_index(op.f("ix_partner_invites_interview_id"), table_name="partner_invites")
    op.drop_table("partner_invites")
