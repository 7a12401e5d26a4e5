"""the journal's revision counter; proposals are derived, no longer stored

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    revisions = op.create_table(
        "journal_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counter", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_journal_revision_one_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_revision")),
    )
    op.bulk_insert(revisions, [{"id": 1, "counter": 0}])
    # The plan's proposals are now derived from the themes whenever the plan is read; the ones
    # an older version stored would stand beside them. What hangs off them goes with them.
    proposed = "SELECT id FROM action_items WHERE status = 'proposed'"
    for child in ("action_tasks", "practice_entries", "action_events", "action_evidence"):
        op.execute(f"DELETE FROM {child} WHERE item_id IN ({proposed})")
    op.execute("DELETE FROM action_items WHERE status = 'proposed'")


def downgrade() -> None:
    op.drop_table("journal_revision")
