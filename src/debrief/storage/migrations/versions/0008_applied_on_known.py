"""whether an application's applied date is known or only an estimate

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every application recorded so far has the date its user or spreadsheet gave. A plain
    # ADD COLUMN: batch mode would copy the SQLite table without its AUTOINCREMENT, and ids
    # would be handed out again.
    op.add_column(
        "applications",
        sa.Column("applied_on_known", sa.Boolean(), nullable=False, server_default=sa.true()),
    )


def downgrade() -> None:
    with op.batch_alter_table("applications", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("applied_on_known")
