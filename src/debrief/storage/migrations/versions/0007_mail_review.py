"""mail review queue, IMAP folder state and settings

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=500), nullable=False),
        sa.Column("origin", sa.String(length=500), nullable=False),
        sa.Column("sender", sa.String(length=600), nullable=False),
        sa.Column("subject", sa.String(length=2000), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=True),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("stage", sa.String(length=20), nullable=True),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.Column("company_confidence", sa.Double(), nullable=False),
        sa.Column("why", sa.String(length=2000), nullable=False),
        sa.Column("doubts", sa.String(length=1000), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('pending', 'accepted', 'discarded')", name=op.f("ck_import_reviews_state")
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_import_reviews_application_id_applications"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_reviews")),
        sa.UniqueConstraint("key", name=op.f("uq_import_reviews_key")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_import_reviews_state"), "import_reviews", ["state"], unique=False)
    op.create_index(
        op.f("ix_import_reviews_application_id"),
        "import_reviews",
        ["application_id"],
        unique=False,
    )
    op.create_table(
        "mail_folders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=500), nullable=False),
        sa.Column("folder", sa.String(length=500), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_folders")),
        sa.UniqueConstraint("account", "folder", name=op.f("uq_mail_folders_account_folder")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.String(length=2000), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )


def downgrade() -> None:
    op.drop_table("settings")
    op.drop_table("mail_folders")
    op.drop_index(op.f("ix_import_reviews_application_id"), table_name="import_reviews")
    op.drop_index(op.f("ix_import_reviews_state"), table_name="import_reviews")
    op.drop_table("import_reviews")
