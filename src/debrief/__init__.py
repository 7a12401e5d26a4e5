"""debrief: every rejection is a data point.

The notebook door: ``import debrief; j = debrief.open()`` gives the journal (see
`debrief.journal.Journal`); ``j.applications_frame()`` and friends return pandas DataFrames.
Importing this package is cheap; storage loads on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from debrief.journal import Journal

__version__ = "0.1.0"
__all__ = ["__version__", "open"]


def open(db: str | None = None, *, create: bool = True) -> Journal:
    """Open the journal at `db` (path or SQLAlchemy URL), $DEBRIEF_DATABASE_URL, or the default;
    with `create=False`, a SQLite file that does not exist raises NoJournal instead of being
    created."""
    from debrief.journal import Journal

    return Journal.open(db, create=create)
