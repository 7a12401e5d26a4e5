"""Storage: where the journal lives, its SQLAlchemy schema, and the Alembic migrations.

The ORM rows defined here never leave the core: `debrief.journal` turns them into the frozen records
of `debrief.model` before anything reaches the CLI, the web app or a notebook.
"""
