"""the sub-skill an action task practises

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Tasks kept so far came from keyword matches: they name no sub-skill. A plain ADD COLUMN,
    # as in 0008, so SQLite keeps the table's AUTOINCREMENT.
    op.add_column("action_tasks", sa.Column("subskill", sa.String(80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("action_tasks", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("subskill")
