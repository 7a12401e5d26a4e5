"""The report: the whole search on one page, for someone who has never seen the tool.

`build_report(journal)` gathers analytics, themes and the plan (`data`); `report_data` turns
them into one JSON-ready dict; `render_html` (`html`, charts in `charts`) and `render_markdown`
(`markdown`) render it. `write_report` writes the HTML file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from debrief.files import write_text
from debrief.report.data import Report, build_report, report_data
from debrief.report.html import render_html
from debrief.report.markdown import render_markdown
from debrief.stats import JEFFREYS, Prior

if TYPE_CHECKING:
    from debrief.journal import Journal

__all__ = [
    "Report",
    "build_report",
    "render_html",
    "render_markdown",
    "report_data",
    "save",
    "write_report",
]


def write_report(
    journal: Journal, path: Path, *, as_of: date | None = None, prior: Prior = JEFFREYS
) -> Path:
    """Write the HTML report of a journal to `path` (written whole, then moved into place)."""
    return save(path, render_html(report_data(build_report(journal, as_of=as_of, prior=prior))))


def save(path: Path, text: str) -> Path:
    """Write a report whole or not at all: to a partial file, then moved into place."""
    return write_text(path, text)
