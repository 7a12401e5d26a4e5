"""debrief: every rejection is a data point.

The notebook door. ``journal = debrief.open()`` opens the journal (the default one, or a path or
database URL; see `debrief.journal.Journal` for every operation). Its frames are pandas
DataFrames, one row per record, ids as nullable integers and days as datetimes:

- ``journal.applications_frame()``: applications: company, role, level, location, work mode,
  source, link, day applied, current status and notes.
- ``journal.status_changes_frame()``: every status change of every application, with its time,
  its note and whether it was forced.
- ``journal.interviews_frame()``: real and mock rounds: kind, day, interviewer, outcome,
  self-rating, and a ``rubric_<skill>`` column per skill area scored.
- ``journal.feedback_frame()``: feedback verbatim: source, day received, and the interview or
  application it is about.
- ``journal.statements_frame()``: triaged statements: label, skill areas (a list; ``explode``
  gives one row per area), confidence and why, with their feedback's source and day, their
  interview's kind, mock flag and day, and their application's company and role.
- ``journal.questions_frame()``: questions asked in rounds: kind, skill area, sub-skill,
  competency, rating 1-5, notes, the story told, and their round's day, kind and company.
- ``journal.stories_frame()``: the STAR story bank: title, situation, task, action, result,
  competencies and skill areas (lists).

The analyses are one call each: ``debrief.themes.find_themes(journal)``,
``debrief.stats.search_stats(journal)`` (with ``.funnel.frame()``) and
``debrief.plan.ActionPlan(journal).refresh()``; the practice bank is
``debrief.bank.load_bank()`` and what to practise ``debrief.prep.prepare(journal)``.
docs/notebook.md walks through them.
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
