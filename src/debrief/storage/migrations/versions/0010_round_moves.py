"""which round moved an application's status; the day feedback was asked for; revoked invites

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Changes made so far were all made by hand or by imports; no feedback request was
    # recorded.
    # SQLite cannot add a named foreign key to a table in place: the table is copied, with its
    # AUTOINCREMENT, and its id counter is put back so no id is handed out twice.
    bind = op.get_bind()
    counter = None
    if bind.dialect.name == "sqlite":
        counter = bind.execute(
            sa.text("SELECT seq FROM sqlite_sequence WHERE name = 'status_changes'")
        ).scalar()
    with op.batch_alter_table(
        "status_changes", table_kwargs={"sqlite_autoincrement": True}
    ) as batch:
        batch.add_column(sa.Column("interview_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_status_changes_interview_id_interviews",
            "interviews",
            ["interview_id"],
            ["id"],
            ondelete="SET NULL",
        )
    if counter is not None:
        bind.execute(
            sa.text(
                "UPDATE sqlite_sequence SET seq = MAX(seq, :counter) WHERE name = 'status_changes'"
            ),
            {"counter": counter},
        )
    op.create_index("ix_status_changes_interview_id", "status_changes", ["interview_id"])
    # A plain ADD COLUMN, as in 0008, so SQLite keeps the table's AUTOINCREMENT.
    op.add_column("applications", sa.Column("feedback_asked_on", sa.Date(), nullable=True))
    op.add_column(
        "partner_invites", sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("partner_invites") as batch:
        batch.drop_column("revoked_at")
    with op.batch_alter_table("applications", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("feedback_asked_on")
    op.drop_index("ix_status_changes_interview_id", "status_changes")
    with op.batch_alter_table(
        "status_changes", table_kwargs={"sqlite_autoincrement": True}
    ) as batch:
        batch.drop_constraint("fk_status_changes_interview_id_interviews", type_="foreignkey")
        batch.drop_column("interview_id")
