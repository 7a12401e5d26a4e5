"""imports: the e-mails an import has acted on

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imported_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("origin", sa.String(length=500), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=True),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("feedback_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_imported_messages_application_id_applications"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_imported_messages_feedback_id_feedback"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_messages")),
        sa.UniqueConstraint("key", name=op.f("uq_imported_messages_key")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_imported_messages_application_id"),
        "imported_messages",
        ["application_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_imported_messages_feedback_id"), "imported_messages", ["feedback_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_imported_messages_feedback_id"), table_name="imported_messages")
    op.drop_index(op.f("ix_imported_messages_application_id"), table_name="imported_messages")
    op.drop_table("imported_messages")
