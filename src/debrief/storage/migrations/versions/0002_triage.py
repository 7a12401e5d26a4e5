"""triage: feedback statements with labels, skills and explanations

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feedback_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("model_version", sa.String(length=60), nullable=False),
        sa.Column("model_label", sa.String(length=20), nullable=True),
        sa.Column("labelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "label IN ('constructive', 'strength', 'circumstance', 'noise')",
            name=op.f("ck_statements_label_known"),
        ),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_statements_feedback_id_feedback"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statements")),
        sa.UniqueConstraint(
            "feedback_id", "position", name=op.f("uq_statements_feedback_id_position")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_statements_feedback_id"), "statements", ["feedback_id"], unique=False)
    op.create_index(op.f("ix_statements_label"), "statements", ["label"], unique=False)

    op.create_table(
        "statement_skills",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("skill", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_skills_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_skills")),
        sa.UniqueConstraint(
            "statement_id", "skill", name=op.f("uq_statement_skills_statement_id_skill")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_statement_skills_skill"), "statement_skills", ["skill"], unique=False)
    op.create_index(
        op.f("ix_statement_skills_statement_id"), "statement_skills", ["statement_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_statement_skills_statement_id"), table_name="statement_skills")
    op.drop_index(op.f("ix_statement_skills_skill"), table_name="statement_skills")

    op.drop_table("statement_skills")
    op.drop_index(op.f("ix_statements_label"), table_name="statements")
    op.drop_index(op.f("ix_statements_feedback_id"), table_name="statements")

    op.drop_table("statements")
