"""What the analysis pages show, computed once per state of the journal.

The dashboard, themes, plan and report pages all read the report's analysis (funnel, themes,
plan), which takes a fraction of a second to build. It is cached under the journal's revision
(a counter every write transaction moves, whichever process wrote) and the day, so a page view
costs one small query unless something changed.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from debrief.model import local_today

if TYPE_CHECKING:
    from debrief.journal import Journal
    from debrief.report.data import Report


@dataclass(frozen=True, slots=True)
class Analysis:
    """The report's analysis of one state of the journal, and the report page made from it."""

    key: tuple[Any, ...]
    report: Report
    data: dict[str, Any]
    number: int  # the how-many-th build of its cache it is


@dataclass(frozen=True, slots=True)
class ReportPage:
    """The self-contained report, with the hashes of the inline scripts it may run."""

    html: str
    script_hashes: tuple[str, ...]


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def script_hashes(html: str) -> tuple[str, ...]:
    """The base64 SHA-256 of every inline executable script of a page, as CSP names them."""
    from debrief.report.html import script_hash

    return tuple(script_hash(body) for body in _INLINE_SCRIPT.findall(html))


class PageCache:
    """Rendered pages by (address, CSRF token, day, journal revision): a page that depends only
    on the journal is rendered once per change, however often it is opened."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._pages: OrderedDict[tuple[Any, ...], str] = OrderedDict()
        # Renders under way, by key (touched on the event loop only): views that ask for a
        # page being rendered wait for that render instead of starting their own.
        self._rendering: dict[tuple[Any, ...], asyncio.Future[str]] = {}

    async def page(self, key: tuple[Any, ...], render: Callable[[], str]) -> str:
        """The page kept under `key`, else rendered by `render` in a worker thread, once for
        every view that asks while it is rendered."""
        from starlette.concurrency import run_in_threadpool

        kept = self.get(key)
        if kept is not None:
            return kept
        under_way = self._rendering.get(key)
        if under_way is not None:
            try:
                return await asyncio.shield(under_way)
            except asyncio.CancelledError:
                if not under_way.cancelled():
                    raise  # this view itself was cancelled
                # the render failed: render here, and meet its error if it comes again
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._rendering[key] = future
        try:
            text = await run_in_threadpool(render)
        except BaseException:
            future.cancel()
            raise
        finally:
            self._rendering.pop(key, None)
        self.put(key, text)
        future.set_result(text)
        return text

    def get(self, key: tuple[Any, ...]) -> str | None:
        """A page rendered under `key`, if it is still kept."""
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple[Any, ...], page: str) -> None:
        """Keep a rendered page (the least recently used one goes when the cache is full)."""
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)


class AnalysisCache:
    """The latest analysis of a journal, rebuilt when the journal or the day changes."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self._lock = threading.Lock()
        self._analysis: Analysis | None = None
        self._page: tuple[tuple[Any, ...], ReportPage] | None = None
        self.warming: threading.Thread | None = None
        self._builds = 0  # builds begun so far

    def _key(self, today: date) -> tuple[Any, ...]:
        return (today, *self.journal.revision())

    def analysis(self) -> Analysis:
        """The analysis of the journal as it is now: one whose build began after this call
        did, or that is of the journal's current state.

        Several views that wait while the analysis is rebuilt take the same build when it began
        after they asked (it reads every write that was done before they asked), rather than
        each building again for the writes done meanwhile.
        """
        begun_before = self._builds  # a build numbered above this began after this call
        today = local_today()
        with self._lock:
            current = self._analysis
            if current is not None and current.number > begun_before and current.key[0] == today:
                return current  # built while this call waited for it
            key = self._key(today)
            if current is not None and current.key == key:
                return current
            from debrief.report.data import build_report, report_data

            # Keyed on the state before the build (building only reads), so a write during
            # it is never hidden: the next view sees a new revision and builds again.
            self._builds += 1
            report = build_report(self.journal, as_of=today)
            current = Analysis(key, report, report_data(report), self._builds)
            self._analysis = current
            return current

    def warm(self) -> threading.Thread:
        """Load the libraries the analysis computes with, then start building it in the
        background, so the first visit to the dashboard finds it made or under way."""
        from debrief.stats import load_numerics

        load_numerics()  # a fixed cost, paid while the server starts rather than by a visit
        self.warming = threading.Thread(target=self._warm, name="debrief-warm", daemon=True)
        self.warming.start()
        return self.warming

    def _warm(self) -> None:
        try:
            self.analysis()
        except Exception:  # a best-effort head start: the first visit builds and reports it
            logging.getLogger(__name__).debug("warming the analysis failed", exc_info=True)

    def report_page(self) -> ReportPage:
        """The full report page of the current analysis."""
        analysis = self.analysis()
        with self._lock:
            if self._page is not None and self._page[0] == analysis.key:
                return self._page[1]
            from debrief.report.html import plotly_hash, render_html

            html = render_html(analysis.data)
            page = ReportPage(html, (*script_hashes(html), plotly_hash()))
            self._page = (analysis.key, page)
            return page
