"""Students' summaries kept ready for the cohort page, each under the revision of the journal it
was read from.

Reading a summary costs tens of milliseconds for a journal of 150 applications, so a page of a
hundred students cannot read them while the coach waits. `Summaries` keeps the last summary of
each student with the key it was read under: the day, the depth and the journal's revision (the
counter every write transaction moves, read from the database, so a write through any worker is
seen by every other). A view asks for its students' summaries (`current`): those it has none of
are read by a background thread (the view waits a moment for them when there are only a few;
the rows of the others say they are being read); those not checked for `check_every` seconds
are checked in the background, and a view shows the summary it has, with the time it was last
known to be current. A summary whose journal changed is read again, but not more often than
every `remake_every` seconds, so a busy cohort keeps one thread of each worker busy at most a
little. `fresh` reads one student's summary in the caller's thread, for the page of that
student. The cohort's figures are kept per coach the same way (`cohort`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from debrief.coach.cohort import CohortView, cohort_csv, cohort_view, csv_row
from debrief.coach.summary import (
    Depth,
    StudentSummary,
    depth_for,
    from_json,
    level_rank,
    shared,
    summarize,
    to_json,
)
from debrief.model import local_today, utcnow

if TYPE_CHECKING:
    from debrief.coach.store import Directory, Person
    from debrief.journal import Journal

CHECK_EVERY = 10.0  # seconds before a kept summary's journal is checked again
REMAKE_EVERY = 120.0  # seconds before a summary whose journal changed is read again
WAIT_MISSING = 0.25  # seconds a view waits for summaries it has none of...
FEW = 5  # ...when the background thread has no more than this many to read
IDLE = 30.0  # seconds the background thread waits for work before it ends
_DEPTHS: dict[str, int] = {"progress": 1, "feedback": 2}


class JournalSource(Protocol):
    """Where the students' journals are opened (`coach.students.StudentJournals`)."""

    def journal(self, student_id: int) -> Journal: ...


@dataclass(frozen=True, slots=True)
class Kept:
    """A student's summary and what is known of it."""

    summary: StudentSummary
    key: tuple[Any, ...]  # (day, *revision) of the journal it was read from
    seen_at: datetime  # the last moment it was known to be current (UTC)
    checked: float  # when its journal's revision was last read (monotonic clock)
    made: float  # when it was read (monotonic clock)
    current: bool  # False: the journal changed since, and a new summary is due

    def covers(self, depth: Depth) -> bool:
        return _DEPTHS[self.summary.level] >= _DEPTHS[depth]


class Summaries:
    """The students' summaries of one server process (module text)."""

    def __init__(
        self,
        journals: JournalSource,
        *,
        check_every: float = CHECK_EVERY,
        remake_every: float = REMAKE_EVERY,
        wait_missing: float = WAIT_MISSING,
        wait_stale: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.journals = journals
        self.check_every = check_every
        self.remake_every = remake_every
        self.wait_missing = wait_missing
        self.wait_stale = wait_stale  # seconds a view waits for summaries due a check
        self._clock = clock
        self._lock = threading.Condition()
        self._kept: dict[int, Kept] = {}
        self._tried: dict[int, float] = {}  # when a refresh of each student last ended
        self._queue: OrderedDict[int, Depth] = OrderedDict()
        self._working: set[int] = set()  # being read by the background thread
        self._makers: dict[int, threading.Lock] = {}
        self._thread: threading.Thread | None = None
        self._closed = False
        self._views: dict[Hashable, tuple[Hashable, Hashable, CohortView, datetime, float]] = {}
        self._snapshots: dict[tuple[int, Any], StudentSummary | None] = {}  # archived students

    # -- reading -----------------------------------------------------------------------------

    def get(self, student_id: int) -> Kept | None:
        with self._lock:
            return self._kept.get(student_id)

    def fresh(self, student_id: int, depth: Depth) -> Kept:
        """The student's summary as of now, read here if their journal changed (no waiting
        for the background thread, and no limit on how often)."""
        return self._refresh(student_id, depth, hurry=False)

    def current(self, wanted: Mapping[int, Depth]) -> dict[int, Kept | None]:
        """The kept summary of each student of `wanted` (id: the depth needed), None for one
        not read yet. Summaries missing or due a check are handed to the background thread;
        the call waits up to `wait_missing` seconds for the missing ones when the thread has
        only a few to read (a new student, say; not a whole cohort after the worker started),
        and `wait_stale` for the others."""
        asked = self._clock()
        missing, stale = [], []
        with self._lock:
            for student_id, depth in wanted.items():
                kept = self._kept.get(student_id)
                if kept is None or not kept.covers(depth):
                    missing.append(student_id)
                elif asked - kept.checked >= self.check_every:
                    stale.append(student_id)
                else:
                    continue
                self._enqueue(student_id, depth)
            backlog = len(self._queue)
        if backlog <= FEW:
            self._wait(missing, asked, self.wait_missing)
        self._wait(stale, asked, self.wait_stale)
        with self._lock:
            found = {sid: self._kept.get(sid) for sid in wanted}
        return {
            sid: kept if kept is not None and kept.covers(wanted[sid]) else None
            for sid, kept in found.items()
        }

    def settle(self, timeout: float = 60.0) -> bool:
        """Wait until the background thread has nothing left to do (for tests and warm-ups);
        False if it still had after `timeout` seconds."""
        deadline = self._clock() + timeout
        with self._lock:
            while self._queue or self._working:
                left = deadline - self._clock()
                if left <= 0:
                    return False
                self._lock.wait(left)
        return True

    def cohort(
        self, name: Hashable, sharing: Hashable, key: Hashable, make: Callable[[], CohortView]
    ) -> tuple[CohortView, datetime]:
        """The cohort view kept for `name` (a coach), made again by `make` when its `key`
        changed, but not more often than every `check_every` seconds; and when it was made.
        A change to `sharing` (who is in the cohort, and what each shares) makes it again at
        once: a student who stops sharing leaves the cohort's figures on the next view."""
        now = self._clock()
        with self._lock:
            kept = self._views.get(name)
        if (
            kept is not None
            and kept[0] == sharing
            and (kept[1] == key or now - kept[4] < self.check_every)
        ):
            return kept[2], kept[3]
        made_at = utcnow()
        view = make()
        with self._lock:
            self._views[name] = (sharing, key, view, made_at, now)
        return view, made_at

    def archived(self, directory: Directory, student: Person, level: str) -> Row:
        """An archived student's row, from their snapshot (read once: it never changes)."""
        key = (student.id, student.archived_on)
        with self._lock:
            known = key in self._snapshots
            found = self._snapshots.get(key)
        if not known:
            found = from_json(directory.archived_view(student.id))
            with self._lock:
                self._snapshots[key] = found
        return Row(student, level, shared(found, level), None, True, False)

    def close(self, timeout: float = 10.0) -> None:
        """Stop the background thread (after the summary it is reading)."""
        with self._lock:
            self._closed = True
            self._queue.clear()
            self._lock.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    # -- the work ----------------------------------------------------------------------------

    def _enqueue(self, student_id: int, depth: Depth) -> None:
        """Ask the background thread for a student's summary (holding the lock)."""
        if self._closed:
            return
        before = self._queue.get(student_id)
        if before is None or _DEPTHS[depth] > _DEPTHS[before]:
            self._queue[student_id] = depth
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(
                target=self._work, name="debrief-summaries", daemon=True
            )
            self._thread.start()
        self._lock.notify_all()

    def _wait(self, student_ids: list[int], asked: float, seconds: float) -> None:
        if not student_ids or seconds <= 0:
            return
        deadline = asked + seconds
        with self._lock:
            while any(self._tried.get(sid, -1.0) < asked for sid in student_ids):
                left = deadline - self._clock()
                if left <= 0 or self._closed:
                    return
                self._lock.wait(left)

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._queue and not self._closed:
                    if not self._lock.wait(IDLE) and not self._queue:
                        self._thread = None  # idle for long: end; the next request starts one
                        return
                if self._closed:
                    return
                student_id, depth = self._queue.popitem(last=False)
                self._working.add(student_id)
            try:
                self._refresh(student_id, depth, hurry=True)
            except Exception:  # one journal's fault must not stop the others' summaries
                logging.getLogger(__name__).warning(
                    "the summary of student %s could not be read", student_id, exc_info=True
                )
            finally:
                with self._lock:
                    self._working.discard(student_id)
                    self._tried[student_id] = self._clock()
                    self._lock.notify_all()

    def _refresh(self, student_id: int, depth: Depth, *, hurry: bool) -> Kept:
        """Check the student's journal and read their summary again if it changed (with
        `hurry`, not sooner than `remake_every` after the last one)."""
        with self._lock:
            maker = self._makers.setdefault(student_id, threading.Lock())
        with maker:  # one reader per student: a second caller finds the first one's summary
            journal = self.journals.journal(student_id)
            seen_at, checked = utcnow(), self._clock()
            key = (local_today(), *journal.revision())
            with self._lock:
                kept = self._kept.get(student_id)
            if kept is not None and kept.covers(depth):
                if kept.key == key:
                    kept = replace(kept, seen_at=seen_at, checked=checked, current=True)
                elif hurry and checked - kept.made < self.remake_every:
                    kept = replace(kept, checked=checked, current=False)
                else:
                    kept = None
            else:
                kept = None
            if kept is None:
                summary = summarize(journal, as_of=key[0], depth=depth)
                kept = Kept(summary, key, seen_at, checked, self._clock(), True)
            with self._lock:
                self._kept[student_id] = kept
                self._tried[student_id] = self._clock()
                self._lock.notify_all()
            return kept


# -- the coach's pages -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """A student as their coach sees them: what they share, and their summary cut to it."""

    student: Person
    level: str
    summary: StudentSummary | None  # as `shared` cut it; None: nothing shared, or not read yet
    seen_at: datetime | None  # when it was last known current (None for an archived snapshot)
    current: bool  # False: their journal changed since, and a new summary is on its way
    pending: bool  # they share something, but their summary is not read yet

    @property
    def identity(self) -> tuple[Any, ...]:
        """What the cohort figures made from this row depend on."""
        made = self.summary.made_at if self.summary is not None else None
        shown = self.summary.level if self.summary is not None else None
        return (self.student.id, self.level, shown, made)


@dataclass(frozen=True, slots=True)
class Cohort:
    """A coach's cohort page: a row per student, and what the cohort shares."""

    rows: tuple[Row, ...]
    view: CohortView
    view_made_at: datetime

    @property
    def pending(self) -> int:
        return sum(1 for row in self.rows if row.pending)

    @property
    def attention(self) -> int:
        return sum(1 for row in self.rows if row.summary is not None and row.summary.flags)


def snapshot(directory: Directory, student: Person, level: str) -> Row:
    """An archived student: what their coaches saw when they were archived, cut to what they
    share now (a student who since shares nothing shows nothing)."""
    summary = shared(from_json(directory.archived_view(student.id)), level)
    return Row(student, level, summary, None, True, False)


def student_row(directory: Directory, summaries: Summaries, student: Person) -> Row:
    """One student's row, read now (the page of that student)."""
    level = directory.level(student.id)
    if student.archived:
        return snapshot(directory, student, level)
    if level_rank(level) == 0:
        return Row(student, level, None, None, True, False)
    kept = summaries.fresh(student.id, depth_for(level))
    return Row(student, level, shared(kept.summary, level), kept.seen_at, kept.current, False)


def cohort_of(directory: Directory, summaries: Summaries, coach: Person) -> Cohort:
    """The cohort page of `coach`, from the summaries kept (see `Summaries.current`)."""
    students = directory.students_of(coach.id)
    levels = directory.levels([student.id for student in students])
    live = {
        s.id: depth_for(levels[s.id])
        for s in students
        if not s.archived and level_rank(levels[s.id]) > 0
    }
    kept = summaries.current(live)
    rows = []
    for student in students:
        level = levels[student.id]
        found = kept.get(student.id)
        if student.archived:
            rows.append(summaries.archived(directory, student, level))
        elif student.id not in live:
            rows.append(Row(student, level, None, None, True, False))
        elif found is None:
            rows.append(Row(student, level, None, None, False, True))
        else:
            summary = shared(found.summary, level)
            rows.append(Row(student, level, summary, found.seen_at, found.current, False))
    sharing = tuple(row.identity[:2] for row in rows)
    key = tuple(row.identity for row in rows)
    view, made_at = summaries.cohort(
        coach.id, sharing, key, lambda: cohort_view(row.summary for row in rows)
    )
    return Cohort(tuple(rows), view, made_at)


def archive(directory: Directory, summaries: Summaries, by: Person, student: Person) -> None:
    """Archive a student, keeping as their snapshot the summary their coaches see now, without
    the verbatim feedback: the directory keeps figures, themes and the plan of a search, never
    the words of its feedback, which stay in the student's journal alone."""
    row = student_row(directory, summaries, student)
    kept = None if row.summary is None else replace(row.summary, feedback=None)
    directory.archive(by, student.id, to_json(kept))


def cohort_csv_text(cohort: Cohort) -> str:
    """The coach's CSV of a cohort page."""
    return cohort_csv(
        csv_row(row.student.name, row.level, row.summary, row.student.archived_on)
        for row in cohort.rows
    )
