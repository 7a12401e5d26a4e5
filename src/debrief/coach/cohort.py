"""What a coach's students have in common, and the cohort as CSV.

`cohort_view(summaries)` takes each student's summary as `coach.summary.shared` cut it and
finds the weaknesses of at least COHORT_FLOOR students (so no theme shown points at one
student), and the pass rate of each step of the funnel and the rejections before a first offer,
with intervals that respect that a student's applications are not independent of one another.
`csv_row` and `cohort_csv` write the coach's export, one row per student, with no cell a
spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from debrief.coach.summary import StudentSummary, SubskillLine, level_rank
from debrief.ingest.backup import inert
from debrief.stats import FUNNEL, LEVEL, STAGE_NAMES
from debrief.stats.funnel import not_enough

COHORT_FLOOR = 3  # a weakness is a cohort theme once this many students share it
MIN_STUDENTS = 3  # fewer students than this and a cohort interval means nothing
DRAWS = 2_000  # bootstrap draws behind every cohort interval
SEED = 19  # fixed, so the same cohort gives the same intervals


# -- the cohort ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CohortSubTheme:
    subskill: str
    name: str
    students: int
    occasions: int


@dataclass(frozen=True, slots=True)
class CohortTheme:
    """A weakness at least COHORT_FLOOR students share, counted over them."""

    skill: str
    name: str
    students: int
    interviews: int
    subskills: tuple[CohortSubTheme, ...]  # those at least COHORT_FLOOR students share too


@dataclass(frozen=True, slots=True)
class PooledStep:
    """The pass rate of one step of the funnel, pooled over the students."""

    stage: str  # the FUNNEL stage the step leads into
    name: str
    students: int  # students with a decided application at this step
    passed: int
    decided: int
    rate: float | None  # passed / decided over every student
    low: float | None
    high: float | None
    shortage: str | None


@dataclass(frozen=True, slots=True)
class FirstOffer:
    """Rejections before the first offer, over the students who have one."""

    students: int
    mean: float | None
    low: float | None
    high: float | None
    median: float | None
    searching: int  # students without an offer yet, left out: their count still grows
    searching_median: float | None  # their rejections so far
    shortage: str | None


@dataclass(frozen=True, slots=True)
class CohortView:
    """What a cohort shares, from the summaries its students let the coach see."""

    students: int  # summaries counted (students sharing statuses and statistics, or more)
    sharing_themes: int  # of those, students who share their themes
    themes: tuple[CohortTheme, ...]
    steps: tuple[PooledStep, ...]
    first_offer: FirstOffer
    level: float = LEVEL
    draws: int = DRAWS
    floor: int = COHORT_FLOOR


def cohort_view(summaries: Iterable[StudentSummary | None]) -> CohortView:
    """The cohort's shared weaknesses and statistics. Give each student's summary as `shared`
    cut it: a student who shares nothing (None) counts nowhere, and only a summary that holds
    themes counts towards the cohort themes."""
    counted_in = [s for s in summaries if s is not None and level_rank(s.level) > 0]
    themed = [s for s in counted_in if s.themes is not None]
    return CohortView(
        students=len(counted_in),
        sharing_themes=len(themed),
        themes=cohort_themes(themed),
        steps=pooled_steps(counted_in),
        first_offer=first_offer(counted_in),
    )


def cohort_themes(summaries: Sequence[StudentSummary]) -> tuple[CohortTheme, ...]:
    """The open weaknesses at least COHORT_FLOOR students share, most shared first."""
    students: dict[str, int] = {}
    interviews: dict[str, int] = {}
    names: dict[str, str] = {}
    subs: dict[tuple[str, str], list[SubskillLine]] = {}
    for summary in summaries:
        for theme in summary.themes or ():
            students[theme.skill] = students.get(theme.skill, 0) + 1
            interviews[theme.skill] = interviews.get(theme.skill, 0) + theme.interviews
            names[theme.skill] = theme.name
            for sub in theme.subskills:
                subs.setdefault((theme.skill, sub.subskill), []).append(sub)
    found = []
    for skill, count in students.items():
        if count < COHORT_FLOOR:
            continue
        shared_subs = sorted(
            (
                CohortSubTheme(sub, lines[0].name, len(lines), sum(x.occasions for x in lines))
                for (area, sub), lines in subs.items()
                if area == skill and len(lines) >= COHORT_FLOOR
            ),
            key=lambda s: (-s.students, -s.occasions, s.name),
        )
        found.append(CohortTheme(skill, names[skill], count, interviews[skill], tuple(shared_subs)))
    return tuple(sorted(found, key=lambda t: (-t.students, -t.interviews, t.name)))


def _percentiles(values: Any) -> tuple[float, float]:
    import numpy as np

    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def pooled_steps(summaries: Sequence[StudentSummary]) -> tuple[PooledStep, ...]:
    """Each step's pass rate over the cohort: every student's passed and decided applications
    summed. A student's applications are alike (one CV, one level of skill), so they are not
    independent draws, and the interval is the wider of two: the single-user report's
    Beta-Binomial interval on the summed counts, and a bootstrap that resamples whole students
    (which widens it when students differ from one another)."""
    import numpy as np

    from debrief.stats import pass_rate_interval

    wins = np.zeros((len(summaries), len(FUNNEL) - 1, 2))
    for row, summary in enumerate(summaries):
        wins[row, : len(summary.steps)] = summary.steps
    picks = np.random.default_rng(SEED).integers(0, max(1, len(summaries)), (DRAWS, len(summaries)))
    steps = []
    for index, stage in enumerate(FUNNEL[1:]):
        passed_by, decided_by = wins[:, index, 0], wins[:, index, 1]
        students = int((decided_by > 0).sum())
        passed, decided = int(passed_by.sum()), int(decided_by.sum())
        shortage = not_enough(
            students,
            MIN_STUDENTS,
            "student with a decided application at this step",
            "students with a decided application at this step",
            about="its interval",
        )
        low = high = None
        if shortage is None:
            totals = decided_by[picks].sum(axis=1)
            drawn = passed_by[picks].sum(axis=1)[totals > 0] / totals[totals > 0]
            rate = pass_rate_interval(passed, decided)
            low, high = _percentiles(drawn)
            low, high = min(low, rate.low), max(high, rate.high)
        steps.append(
            PooledStep(
                stage=stage,
                name=STAGE_NAMES[stage],
                students=students,
                passed=passed,
                decided=decided,
                rate=passed / decided if decided else None,
                low=low,
                high=high,
                shortage=shortage,
            )
        )
    return tuple(steps)


def first_offer(summaries: Sequence[StudentSummary]) -> FirstOffer:
    """Rejections before the first offer, per student who has one: the mean, with an interval
    from resampling the students (bootstrap, percentile), and the median."""
    import numpy as np

    offered = [s.rejections_before_offer for s in summaries if s.first_offer is not None]
    searching = [s.rejections_before_offer for s in summaries if s.first_offer is None]
    shortage = not_enough(
        len(offered), MIN_STUDENTS, "student with an offer", "students with an offer", about="it"
    )
    mean = low = high = median = None
    if offered:
        values = np.array(offered, dtype=float)
        mean, median = float(values.mean()), float(np.median(values))
        if shortage is None:
            rng = np.random.default_rng(SEED)
            picks = rng.integers(0, len(values), size=(DRAWS, len(values)))
            low, high = _percentiles(values[picks].mean(axis=1))
    return FirstOffer(
        students=len(offered),
        mean=mean,
        low=low,
        high=high,
        median=median,
        searching=len(searching),
        searching_median=float(np.median(searching)) if searching else None,
        shortage=shortage,
    )


# -- the coach's CSV -------------------------------------------------------------------------

CSV_COLUMNS = (
    "student",
    "shares",
    "archived_on",
    "as_of",
    "applications",
    *(f"reached_{stage}" for stage in FUNNEL),
    "furthest_stage",
    "interviews_real",
    "interviews_mock",
    "last_activity",
    "rejections_before_first_offer",
    "first_offer",
    "attention",
    "open_themes",
    "plan_accepted",
    "plan_overdue",
    "practice_last_14_days",
)


def csv_row(
    name: str, level: str, summary: StudentSummary | None, archived_on: date | None = None
) -> dict[str, str]:
    """One student's row of the coach's CSV: `summary` as `shared` cut it, so a cell the
    student does not share is empty."""
    row: dict[str, object] = dict.fromkeys(CSV_COLUMNS, "")
    row.update(student=name, shares=level, archived_on=archived_on)
    if summary is not None:
        plan = summary.plan
        row.update(
            as_of=summary.as_of,
            applications=summary.applications,
            furthest_stage=summary.furthest or "",
            interviews_real=summary.interviews_real,
            interviews_mock=summary.interviews_mock,
            last_activity=summary.last_activity,
            rejections_before_first_offer=summary.rejections_before_offer,
            first_offer=summary.first_offer,
            attention="; ".join(flag.text for flag in summary.flags),
        )
        row.update({f"reached_{s}": n for s, n in zip(FUNNEL, summary.funnel, strict=True)})
        if summary.themes is not None:
            row["open_themes"] = "; ".join(theme.name for theme in summary.themes)
        if plan is not None:
            row.update(
                plan_accepted=plan.accepted,
                plan_overdue=len(plan.overdue(summary.as_of)),
                practice_last_14_days=plan.practice_recent,
            )
    return {key: inert("" if value is None else str(value)) for key, value in row.items()}


def cohort_csv(rows: Iterable[dict[str, str]]) -> str:
    """The coach's CSV: a header, then one row per student."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
