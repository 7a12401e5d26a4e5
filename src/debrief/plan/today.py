"""What is due today: the loop between rounds, read from the journal (nothing is written).

- **prepare** for a real round in the next two weeks: the open weakness themes in the skill
  areas that kind of round tests, and the open plan tasks for them;
- **assignments** from a coach due within a week, or past, and not done;
- **follow up** on an open application silent for `follow_up_days` (a setting, default 7);
- **mark as ghosted** one silent for `ghost_days` (default 30);
- **ask for feedback** after a final result of an application that had rounds, until it is
  recorded as asked (`feedback asked`) or the company wrote feedback after it;
- **give a mock an outcome** when it has none;
- **plan targets** due within a week, or past.

Silence counts from the application's latest sign of life: a status change, a round, feedback.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from debrief.model import (
    FINAL_RESULTS,
    Assignment,
    AssignmentKind,
    Status,
    counted,
    local_today,
    words,
)
from debrief.settings import days as setting_days
from debrief.taxonomy import area_name, round_skills

if TYPE_CHECKING:
    from debrief.journal import Journal
    from debrief.journal.facts import JournalFacts
    from debrief.plan.records import ItemProgress
    from debrief.themes import ThemeReport

PREPARE_AHEAD = 14  # days: rounds this close are worth preparing for now
ASK_WITHIN = 60  # days after a final result in which asking for feedback still makes sense
TARGET_AHEAD = 7  # days: plan targets this close are listed
OPEN = frozenset({Status.APPLIED, Status.SCREEN, Status.TECHNICAL, Status.ONSITE})
# The order the kinds of things due are listed in, most pressing first.
KINDS: tuple[str, ...] = (
    "prepare",
    "assignment",
    "ask_feedback",
    "follow_up",
    "ghosted",
    "mock_outcome",
    "plan",
)
HEADINGS = {
    "prepare": "Prepare for a round",
    "assignment": "From your coach",
    "ask_feedback": "Ask for feedback",
    "follow_up": "Follow up",
    "ghosted": "Mark as ghosted",
    "mock_outcome": "Give a mock interview its outcome",
    "plan": "Plan targets",
}


@dataclass(frozen=True, slots=True)
class Due:
    """One thing to do."""

    kind: str  # one of KINDS
    on: date  # the day it is about: the round, the day it fell due
    text: str
    command: str | None = None  # the debrief command that does it, or shows more
    application_id: int | None = None
    interview_id: int | None = None
    item_id: int | None = None
    details: tuple[str, ...] = ()  # for a round: what to prepare; for an assignment: its text
    assignment_id: int | None = None


@dataclass(frozen=True, slots=True)
class Today:
    """Everything due, in the order of KINDS and then by day."""

    as_of: date
    due: tuple[Due, ...]
    follow_up_days: int
    ghost_days: int

    def of(self, kind: str) -> tuple[Due, ...]:
        """What is due of one kind."""
        return tuple(d for d in self.due if d.kind == kind)


def due_today(
    journal: Journal,
    *,
    as_of: date | None = None,
    themes: ThemeReport | None = None,
    plan: tuple[ItemProgress, ...] | None = None,
    facts: JournalFacts | None = None,
) -> Today:
    """What is due on `as_of` (default today); `themes`, `plan` and the journal's `facts` as of
    that day, when the caller has them already (the web app's analysis, the calendar)."""
    from debrief.plan.store import ActionPlan
    from debrief.themes import find_themes

    as_of = as_of or local_today()
    settings = journal.settings()
    follow_up = setting_days(settings, "follow_up_days")
    ghost = setting_days(settings, "ghost_days")
    facts = facts if facts is not None else journal.facts()
    report = themes if themes is not None else find_themes(journal, as_of=as_of)
    if plan is None:
        plan = ActionPlan(journal).status(as_of=as_of).items
    due = [
        *_rounds(facts, report, plan, as_of),
        *_assignments(journal.list_assignments(open_only=True), as_of),
        *_silences(facts, as_of, follow_up, ghost),
        *_asking(facts, as_of),
        *_mocks(facts, as_of),
        *_targets(plan, as_of),
    ]
    due.sort(key=lambda d: (KINDS.index(d.kind), d.on, d.application_id or 0))
    return Today(as_of, tuple(due), follow_up, ghost)


def prepare_details(
    kind: str, report: ThemeReport, plan: tuple[ItemProgress, ...]
) -> tuple[str, ...]:
    """What to prepare for a round of this kind: the recurring weaknesses in the skill areas it
    tests (with their sub-themes), and the open tasks of accepted plan items for those areas."""
    areas = round_skills().get(kind, ())
    details = []
    for theme in report.weaknesses:
        if theme.skill in areas and theme.status == "theme":
            parts = ", ".join(sub.name for sub in theme.subthemes[:3])
            details.append(
                f"Weakness: {theme.name}"
                + (f" ({parts})" if parts else "")
                + f", raised in {theme.interviews} interviews"
            )
    for progress in plan:
        item = progress.item
        if item.skill in areas and item.status == "accepted":
            open_tasks = [t for t in item.tasks if t.done_on is None][:2]
            details += [f"Plan task ({area_name(item.skill)}): {t.text}" for t in open_tasks]
    return tuple(details) or ("No recurring weakness in what this kind of round tests yet.",)


def round_title(kind: str, company: str | None) -> str:
    """A round's name, as 'SQL round at Acme'."""
    said = words(kind)
    return f"{said[:1].upper()}{said[1:]} round at {company or 'a company'}"


def _rounds(
    facts: JournalFacts, report: ThemeReport, plan: tuple[ItemProgress, ...], as_of: date
) -> list[Due]:
    found = []
    open_ = {app.id for app in facts.applications if Status(app.status) in OPEN}
    for round_ in facts.interviews:
        ahead = (round_.held_on - as_of).days
        if round_.mock or round_.outcome != "pending" or not 0 <= ahead <= PREPARE_AHEAD:
            continue
        if round_.application_id not in open_:
            continue  # withdrawn, rejected or silent since it was booked
        when = "today" if ahead == 0 else "tomorrow" if ahead == 1 else f"in {ahead} days"
        found.append(
            Due(
                "prepare",
                round_.held_on,
                f"{round_title(round_.kind, round_.company)} on {round_.held_on} ({when}).",
                f"debrief interview show {round_.id}",
                application_id=round_.application_id,
                interview_id=round_.id,
                details=(
                    *prepare_details(round_.kind, report, plan),
                    f"Practice questions for it: debrief questions --for {round_.id}",
                ),
            )
        )
    return found


def _silences(facts: JournalFacts, as_of: date, follow_up: int, ghost: int) -> list[Due]:
    life: dict[int, date] = {}
    upcoming: set[int] = set()

    def seen(app_id: int | None, day: date) -> None:
        if app_id is not None and day <= as_of:
            life[app_id] = max(life.get(app_id, day), day)

    for app in facts.applications:
        seen(app.id, app.applied_on)
        for day, _ in app.history:
            seen(app.id, day)
    for round_ in facts.interviews:
        seen(round_.application_id, round_.held_on)
        if round_.application_id is not None and round_.held_on > as_of:
            upcoming.add(round_.application_id)
    for feedback in facts.feedback:
        seen(feedback.application_id, feedback.received_on)
    found = []
    for app in facts.applications:
        if Status(app.status) not in OPEN or app.id in upcoming or app.id not in life:
            continue
        quiet = (as_of - life[app.id]).days
        where = f"{app.company} ({app.role})"
        if quiet >= ghost:
            found.append(
                Due(
                    "ghosted",
                    life[app.id] + timedelta(days=ghost),
                    f"{where}: nothing for {quiet} days, since {life[app.id]}.",
                    f"debrief app status {app.id} ghosted",
                    application_id=app.id,
                )
            )
        elif quiet >= follow_up:
            found.append(
                Due(
                    "follow_up",
                    life[app.id] + timedelta(days=follow_up),
                    f"{where}: nothing for {quiet} days, since {life[app.id]}; a short note "
                    f"to the recruiter (marked as ghosted after {ghost} days).",
                    f"debrief app show {app.id}",
                    application_id=app.id,
                )
            )
    return found


def _asking(facts: JournalFacts, as_of: date) -> list[Due]:
    had_rounds = {r.application_id for r in facts.interviews if r.application_id is not None}
    written = {app_id: max(days) for app_id, days in facts.company_feedback().items()}
    found = []
    for app in facts.applications:
        if Status(app.status) not in FINAL_RESULTS or app.feedback_asked_on is not None:
            continue
        if app.id not in had_rounds:
            continue  # asking after a plain application rarely gets an answer
        ended = max((day for day, _ in app.history), default=app.applied_on)
        if (as_of - ended).days > ASK_WITHIN or written.get(app.id, date.min) >= ended:
            continue
        found.append(
            Due(
                "ask_feedback",
                ended,
                f"{app.company} ({app.role}): {app.status} on {ended}; ask what would have "
                "made the difference, then record that you asked.",
                f"debrief feedback request {app.id}",
                application_id=app.id,
            )
        )
    return found


def _mocks(facts: JournalFacts, as_of: date) -> list[Due]:
    return [
        Due(
            "mock_outcome",
            round_.held_on,
            f"Mock #{round_.id}, {words(round_.kind)} on {round_.held_on}: no outcome yet, "
            "so it is left out of real-vs-mock comparisons.",
            f"debrief interview edit {round_.id} --outcome passed|rejected (or --rubric SKILL=N)",
            interview_id=round_.id,
        )
        for round_ in facts.interviews
        if round_.mock and round_.outcome == "pending" and round_.held_on <= as_of
    ]


def due_words(due_on: date, as_of: date) -> str:
    """When something falls due, said from `as_of`: "was due 2026-12-01", "due today",
    "due 2026-12-09 (in 3 days)"."""
    days = (due_on - as_of).days
    if days < 0:
        return f"was due {due_on}"
    return "due today" if days == 0 else f"due {due_on} (in {counted(days, 'day')})"


def assignment_title(assignment: Assignment) -> str:
    """What an assignment asks, as "Mock interview on SQL (window functions)"."""
    from debrief.themes import subskill_name

    what = "Mock interview" if assignment.kind == AssignmentKind.MOCK else "Task"
    on = area_name(assignment.skill)
    if assignment.subskill:
        on += f" ({subskill_name(assignment.subskill)})"
    return f"{what} on {on}"


def _assignments(assignments: list[Assignment], as_of: date) -> list[Due]:
    return [
        Due(
            "assignment",
            a.due_on,
            f"{assignment_title(a)}, from {a.assigned_by}: {due_words(a.due_on, as_of)}.",
            f"debrief plan assignment done {a.id}",
            details=(a.text,),
            assignment_id=a.id,
        )
        for a in assignments
        if a.open and (a.due_on - as_of).days <= TARGET_AHEAD
    ]


def _targets(plan: tuple[ItemProgress, ...], as_of: date) -> list[Due]:
    found = []
    for progress in plan:
        item = progress.item
        if item.status != "accepted" or item.target_on is None:
            continue
        if (item.target_on - as_of).days > TARGET_AHEAD:
            continue
        when = due_words(item.target_on, as_of)
        open_tasks = [t for t in item.tasks if t.done_on is None]
        found.append(
            Due(
                "plan",
                item.target_on,
                f"{item.title}: {when}; {item.tasks_done} of {len(item.tasks)} tasks done.",
                f"debrief plan show {item.id}",
                item_id=item.id,
                details=tuple(f"Task {t.number}: {t.text}" for t in open_tasks[:3]),
            )
        )
    return found
