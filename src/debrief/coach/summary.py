"""One student's search as their coach sees it: a few figures, cut to what the student shares.

`summarize(journal)` reads one student's journal into a frozen `StudentSummary`: how far the
search got (the funnel of the single-user report), when anything was last recorded, how many
rejections came before the first offer, and, read only when wanted (`depth="feedback"`), the
open weakness themes, the action plan and the latest feedback statements word for word.
`shared(summary, level)` keeps what a consent level allows and nothing more:

  none      nothing at all
  progress  statuses, the funnel, activity and the attention flags those give
  themes    + the open weakness themes and the action plan (and its overdue flag)
  feedback  + verbatim feedback statements

`to_json` and `from_json` keep a summary as an archived student's snapshot. What a cohort
shares is `coach.cohort`'s; keeping summaries fresh is `coach.summaries`'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from debrief.coach.store import CONSENT_LEVELS
from debrief.model import SKILLED_LABELS, Status, counted, local_today, utcnow
from debrief.stats import FUNNEL, STAGE_NAMES

if TYPE_CHECKING:
    from debrief.journal import Journal
    from debrief.journal.facts import ApplicationFact, JournalFacts
    from debrief.plan import ActionItem, PracticeEntry
    from debrief.themes import ThemeReport

Depth = Literal["progress", "feedback"]

SILENT_DAYS = 14  # no activity for this long: the student has gone quiet
RECENT_DAYS = 14  # practice logged within this many days counts as recent
FEEDBACK_SHOWN = 12  # the latest feedback statements a summary keeps
MAX_TEXT = 1_000  # characters of a statement a summary keeps
FORMAT = 1  # of a summary stored as JSON (an archived student's snapshot)
_RANK = {level: rank for rank, level in enumerate(CONSENT_LEVELS)}
_SKILLED = frozenset(label.value for label in SKILLED_LABELS)


def level_rank(level: str) -> int:
    """Where a consent level stands (0 for none; an unknown level counts as none)."""
    return _RANK.get(level, 0)


def depth_for(level: str) -> Depth:
    """How deep a summary must be read for a student sharing `level`: themes, the plan and
    feedback are read only for a student who shares them."""
    return "progress" if level_rank(level) <= _RANK["progress"] else "feedback"


@dataclass(frozen=True, slots=True)
class SubskillLine:
    """A sub-skill of an open theme (the taxonomy's, never words from the feedback)."""

    subskill: str
    name: str
    occasions: int  # interviews or notes that raised it


@dataclass(frozen=True, slots=True)
class ThemeLine:
    """An open weakness theme: recurring (two or more interviews) and not resolved in the plan."""

    skill: str
    name: str
    interviews: int
    trend: str
    subskills: tuple[SubskillLine, ...]


@dataclass(frozen=True, slots=True)
class PlanLine:
    """An accepted or resolved item of the action plan."""

    title: str
    skill: str
    status: str
    target_on: date | None
    tasks_done: int
    tasks: int
    minutes: int


@dataclass(frozen=True, slots=True)
class PlanStatus:
    """The action plan as the coach follows it."""

    items: tuple[PlanLine, ...]
    practice_recent: int  # practice entries in the last RECENT_DAYS days
    minutes_recent: int

    @property
    def accepted(self) -> int:
        return sum(1 for item in self.items if item.status == "accepted")

    @property
    def resolved(self) -> int:
        return sum(1 for item in self.items if item.status == "resolved")

    def overdue(self, as_of: date) -> tuple[PlanLine, ...]:
        """Accepted items whose target date has passed."""
        return tuple(
            item
            for item in self.items
            if item.status == "accepted" and item.target_on is not None and item.target_on < as_of
        )


@dataclass(frozen=True, slots=True)
class FeedbackLine:
    """A constructive or strength statement, word for word, with where it came from."""

    text: str
    label: str
    skills: tuple[str, ...]
    day: date
    source: str
    company: str | None
    kind: str | None
    mock: bool


@dataclass(frozen=True, slots=True)
class Flag:
    """Something that needs the coach's attention."""

    kind: str  # silent, feedback, overdue
    text: str


@dataclass(frozen=True, slots=True)
class StudentSummary:
    """One student's search as the cohort page shows it, as of one day.

    `level` says what it holds: the consent level it was cut to (`shared`), or the depth it was
    read at. `themes`, `plan` and `feedback` are None when it does not hold them."""

    level: str
    as_of: date
    made_at: datetime  # when the journal was read (UTC)
    applications: int
    funnel: tuple[int, ...]  # applications that reached each stage of FUNNEL
    steps: tuple[tuple[int, int], ...]  # (passed, decided) of each step into FUNNEL[1:]
    by_status: dict[str, int]
    interviews_real: int
    interviews_mock: int
    last_activity: date | None
    first_offer: date | None
    rejections_before_offer: int  # up to the first offer; every rejection so far without one
    not_asked: int  # rejections after an interview, with feedback neither asked for nor given
    themes: tuple[ThemeLine, ...] | None = None
    plan: PlanStatus | None = None
    feedback: tuple[FeedbackLine, ...] | None = None

    @property
    def furthest(self) -> str | None:
        """The furthest stage of FUNNEL any application reached (None without applications)."""
        reached = [stage for stage, count in zip(FUNNEL, self.funnel, strict=True) if count]
        return reached[-1] if reached else None

    @property
    def furthest_name(self) -> str:
        return STAGE_NAMES[self.furthest] if self.furthest else "—"

    @property
    def offers(self) -> int:
        return self.funnel[-1] if self.funnel else 0

    @property
    def silent_days(self) -> int | None:
        """Days since the last activity (None when nothing was ever recorded)."""
        if self.last_activity is None:
            return None
        return (self.as_of - self.last_activity).days

    @property
    def flags(self) -> tuple[Flag, ...]:
        """What needs attention, from what the summary holds (so never more than is shared)."""
        flags = []
        days = self.silent_days
        if days is None:
            flags.append(Flag("silent", "nothing recorded yet"))
        elif days >= SILENT_DAYS:
            flags.append(Flag("silent", f"silent for {counted(days, 'day')}"))
        if self.not_asked:
            rejections = counted(self.not_asked, "rejection")
            flags.append(Flag("feedback", f"feedback not asked for after {rejections}"))
        overdue = self.plan.overdue(self.as_of) if self.plan is not None else ()
        if overdue:
            flags.append(Flag("overdue", f"{counted(len(overdue), 'plan item')} overdue"))
        return tuple(flags)


# -- reading a journal -----------------------------------------------------------------------


def summarize(
    journal: Journal, *, as_of: date | None = None, depth: Depth = "feedback"
) -> StudentSummary:
    """A student's summary, read from their journal (only reads: nothing is written). With
    `depth="progress"` the themes, the plan and the feedback are not read at all."""
    from debrief.plan import ActionPlan
    from debrief.stats import build_funnel, search_facts

    as_of = as_of or local_today()
    made_at = utcnow()
    facts = journal.facts()
    practice = ActionPlan(journal).practice_log()
    funnel = build_funnel(search_facts(facts, as_of=as_of).applications)
    offered = _first_offer(facts.applications)
    summary = StudentSummary(
        level="progress",
        as_of=as_of,
        made_at=made_at,
        applications=len(facts.applications),
        funnel=tuple(stage.reached for stage in funnel.stages),
        steps=tuple((s.rate.passed, s.rate.total) if s.rate else (0, 0) for s in funnel.steps),
        by_status=_by_status(facts.applications),
        interviews_real=sum(1 for i in facts.interviews if not i.mock),
        interviews_mock=sum(1 for i in facts.interviews if i.mock),
        last_activity=_last_activity(facts, practice, as_of),
        first_offer=offered,
        rejections_before_offer=sum(
            1 for day in _rejections(facts.applications) if offered is None or day <= offered
        ),
        not_asked=_not_asked(facts),
    )
    if depth == "progress":
        return summary
    from debrief.plan.store import kept_items
    from debrief.themes import report_from_facts, scoped

    themes = report_from_facts(scoped(facts), as_of=as_of)
    items = kept_items(journal, facts, as_of=as_of)
    return replace(
        summary,
        level="feedback",
        themes=_open_themes(themes, items),
        plan=_plan_status(items, practice, as_of),
        feedback=_feedback(facts),
    )


def _by_status(applications: Sequence[ApplicationFact]) -> dict[str, int]:
    counts = {status.value: 0 for status in Status}
    for app in applications:
        counts[app.status] = counts.get(app.status, 0) + 1
    return {status: count for status, count in counts.items() if count}


def _last_activity(
    facts: JournalFacts, practice: Sequence[PracticeEntry], as_of: date
) -> date | None:
    """The latest day anything was recorded: an application, a status change, feedback asked
    for, an interview, feedback, or practice. Days after `as_of` (a round booked ahead) are
    plans, not activity."""
    days: list[date] = []
    for app in facts.applications:
        days.append(app.applied_on)
        days.extend(day for day, _ in app.history)
        if app.feedback_asked_on is not None:
            days.append(app.feedback_asked_on)
    days.extend(interview.held_on for interview in facts.interviews)
    days.extend(feedback.received_on for feedback in facts.feedback)
    days.extend(entry.done_on for entry in practice)
    return max((day for day in days if day <= as_of), default=None)


def _first_offer(applications: Sequence[ApplicationFact]) -> date | None:
    return min(
        (day for app in applications for day, status in app.history if status == "offer"),
        default=None,
    )


def _rejections(applications: Sequence[ApplicationFact]) -> list[date]:
    """The day of each application's rejection (its last move to 'rejected')."""
    found = []
    for app in applications:
        if app.status == Status.REJECTED.value:
            moves = [day for day, status in app.history if status == Status.REJECTED.value]
            found.append(moves[-1] if moves else app.last_change)
    return found


def _not_asked(facts: JournalFacts) -> int:
    """Rejections after at least one interview where feedback was neither asked for nor given
    by the company: the moments to ask (PRODUCT: ask after every final result)."""
    interviewed = {i.application_id for i in facts.interviews if i.application_id is not None}
    answered = facts.company_feedback()
    return sum(
        1
        for app in facts.applications
        if app.status == Status.REJECTED.value
        and (app.id in interviewed or app.reached != Status.APPLIED)
        and app.feedback_asked_on is None
        and app.id not in answered
    )


def _open_themes(themes: ThemeReport, items: Sequence[ActionItem]) -> tuple[ThemeLine, ...]:
    """Recurring weaknesses whose plan item, if any, is not resolved; sub-themes only where the
    taxonomy names them (a sub-theme grouped by shared words is named by the feedback's words)."""
    resolved = {item.skill for item in items if item.status == "resolved"}
    return tuple(
        ThemeLine(
            skill=theme.skill,
            name=theme.name,
            interviews=theme.interviews,
            trend=theme.trend.direction,
            subskills=tuple(
                SubskillLine(sub.subskill, sub.name, sub.occasions)
                for sub in theme.subthemes
                if sub.subskill is not None
            ),
        )
        for theme in themes.weaknesses
        if theme.status == "theme" and theme.skill not in resolved
    )


def _plan_status(
    items: Sequence[ActionItem], practice: Sequence[PracticeEntry], as_of: date
) -> PlanStatus:
    since = as_of - timedelta(days=RECENT_DAYS)
    recent = [entry for entry in practice if since < entry.done_on <= as_of]
    return PlanStatus(
        items=tuple(
            PlanLine(
                title=item.title,
                skill=item.skill,
                status=item.status,
                target_on=item.target_on,
                tasks_done=item.tasks_done,
                tasks=len(item.tasks),
                minutes=item.minutes,
            )
            for item in items
            if item.status in ("accepted", "resolved")
        ),
        practice_recent=len(recent),
        minutes_recent=sum(entry.minutes or 0 for entry in recent),
    )


def _feedback(facts: JournalFacts) -> tuple[FeedbackLine, ...]:
    """The latest constructive and strength statements, most recent first."""
    latest = sorted(
        (s for s in facts.statements if s.label in _SKILLED),
        key=lambda s: (s.day, s.statement_id),
        reverse=True,
    )[:FEEDBACK_SHOWN]
    return tuple(
        FeedbackLine(
            text=s.text[:MAX_TEXT],
            label=s.label,
            skills=s.skills,
            day=s.day,
            source=s.source,
            company=s.company,
            kind=s.kind,
            mock=bool(s.mock),
        )
        for s in latest
    )


# -- consent ---------------------------------------------------------------------------------


def shared(summary: StudentSummary | None, level: str) -> StudentSummary | None:
    """What of `summary` a student sharing `level` lets their coaches see (None for "none",
    and for a level this module does not know)."""
    if summary is None or level_rank(level) == 0:
        return None
    rank = min(level_rank(level), level_rank(summary.level))
    return replace(
        summary,
        level=CONSENT_LEVELS[rank],
        themes=summary.themes if rank >= _RANK["themes"] else None,
        plan=summary.plan if rank >= _RANK["themes"] else None,
        feedback=summary.feedback if rank >= _RANK["feedback"] else None,
    )


# -- a summary as JSON (an archived student's snapshot) --------------------------------------


def to_json(summary: StudentSummary | None) -> dict[str, Any]:
    """A summary as plain JSON values (an empty dict for None: nothing was shared)."""
    if summary is None:
        return {}

    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "format": FORMAT,
        "level": summary.level,
        "as_of": summary.as_of.isoformat(),
        "made_at": summary.made_at.isoformat(),
        "applications": summary.applications,
        "funnel": list(summary.funnel),
        "steps": [list(step) for step in summary.steps],
        "by_status": dict(summary.by_status),
        "interviews_real": summary.interviews_real,
        "interviews_mock": summary.interviews_mock,
        "last_activity": day(summary.last_activity),
        "first_offer": day(summary.first_offer),
        "rejections_before_offer": summary.rejections_before_offer,
        "not_asked": summary.not_asked,
        "themes": None
        if summary.themes is None
        else [
            {
                "skill": t.skill,
                "name": t.name,
                "interviews": t.interviews,
                "trend": t.trend,
                "subskills": [[s.subskill, s.name, s.occasions] for s in t.subskills],
            }
            for t in summary.themes
        ],
        "plan": None
        if summary.plan is None
        else {
            "items": [
                {
                    "title": i.title,
                    "skill": i.skill,
                    "status": i.status,
                    "target_on": day(i.target_on),
                    "tasks_done": i.tasks_done,
                    "tasks": i.tasks,
                    "minutes": i.minutes,
                }
                for i in summary.plan.items
            ],
            "practice_recent": summary.plan.practice_recent,
            "minutes_recent": summary.plan.minutes_recent,
        },
        "feedback": None
        if summary.feedback is None
        else [
            {
                "text": f.text,
                "label": f.label,
                "skills": list(f.skills),
                "day": f.day.isoformat(),
                "source": f.source,
                "company": f.company,
                "kind": f.kind,
                "mock": f.mock,
            }
            for f in summary.feedback
        ],
    }


def from_json(value: Any) -> StudentSummary | None:
    """A summary stored by `to_json`; None for anything else (nothing shared, or a snapshot
    of an older form)."""
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        return None

    def day(text: str | None) -> date | None:
        return date.fromisoformat(text) if text else None

    themes, plan, feedback = value.get("themes"), value.get("plan"), value.get("feedback")
    return StudentSummary(
        level=str(value["level"]),
        as_of=date.fromisoformat(value["as_of"]),
        made_at=datetime.fromisoformat(value["made_at"]),
        applications=int(value["applications"]),
        funnel=tuple(int(n) for n in value["funnel"]),
        steps=tuple((int(p), int(d)) for p, d in value["steps"]),
        by_status={str(k): int(n) for k, n in value["by_status"].items()},
        interviews_real=int(value["interviews_real"]),
        interviews_mock=int(value["interviews_mock"]),
        last_activity=day(value["last_activity"]),
        first_offer=day(value["first_offer"]),
        rejections_before_offer=int(value["rejections_before_offer"]),
        not_asked=int(value["not_asked"]),
        themes=None
        if themes is None
        else tuple(
            ThemeLine(
                t["skill"],
                t["name"],
                int(t["interviews"]),
                t["trend"],
                tuple(SubskillLine(s, n, int(o)) for s, n, o in t["subskills"]),
            )
            for t in themes
        ),
        plan=None
        if plan is None
        else PlanStatus(
            items=tuple(
                PlanLine(
                    i["title"],
                    i["skill"],
                    i["status"],
                    day(i["target_on"]),
                    int(i["tasks_done"]),
                    int(i["tasks"]),
                    int(i["minutes"]),
                )
                for i in plan["items"]
            ),
            practice_recent=int(plan["practice_recent"]),
            minutes_recent=int(plan["minutes_recent"]),
        ),
        feedback=None
        if feedback is None
        else tuple(
            FeedbackLine(
                f["text"],
                f["label"],
                tuple(f["skills"]),
                date.fromisoformat(f["day"]),
                f["source"],
                f["company"],
                f["kind"],
                bool(f["mock"]),
            )
            for f in feedback
        ),
    )
