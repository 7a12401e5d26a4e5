"""What analytics are computed from, read from the journal in a handful of queries.

`SearchFacts` holds one `AppFact` per application (how far it got in the funnel, how it ended,
when it first heard back), the journal's facts on every interview, and the counts behind the "data
collected" view. Everything after loading is pure: the same facts give the same statistics.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Literal

from debrief.journal.facts import InterviewFact, JournalFacts
from debrief.model import PIPELINE, Label, Status, local_today
from debrief.taxonomy import round_stage

if TYPE_CHECKING:
    from debrief.journal import Journal

# The funnel: an application, any answer at all, then the pipeline stages.
FUNNEL: tuple[str, ...] = ("applied", "response", "screen", "technical", "onsite", "offer")
STAGE_NAMES: dict[str, str] = {
    "applied": "Applications",
    "response": "Any response",
    "screen": "Recruiter screen",
    "technical": "Technical",
    "onsite": "Onsite / final",
    "offer": "Offer",
}
# An application still at 'applied' with no answer after this many days counts as unanswered.
RESPONSE_WINDOW = 30
SILENT = frozenset({Status.APPLIED.value, Status.GHOSTED.value, Status.WITHDRAWN.value})
# Statuses that end an application (an offer ends the search for it too).
_CLOSING = frozenset(
    s.value for s in (Status.REJECTED, Status.WITHDRAWN, Status.GHOSTED, Status.OFFER)
)

Ending = Literal["offer", "failed", "withdrew", "pending"]


@dataclass(frozen=True, slots=True)
class AppFact:
    """An application as the funnel sees it.

    `reached` indexes FUNNEL: the furthest stage it got to, from its status history and the
    rounds it had. `ending` says how it left that stage: `failed` (rejected, ghosted, or no
    answer within the response window), `withdrew`, `offer`, or `pending` (still open).
    """

    id: int
    company: str
    role: str
    level: str | None
    source: str | None
    applied_on: date
    status: str
    reached: int
    ending: Ending
    first_response: date | None
    ended_on: date | None
    applied_on_known: bool = True  # False: applied_on is an estimate, so no response time
    feedback_asked_on: date | None = None  # the day the candidate asked for feedback
    feedback_answered_on: date | None = None  # the first company feedback on or after it

    @property
    def month(self) -> str:
        """The month it was sent, as YYYY-MM."""
        return self.applied_on.strftime("%Y-%m")

    @property
    def response_days(self) -> int | None:
        """Days from applying to the first answer (None: no answer, or the day applied is
        unknown)."""
        if self.first_response is None or not self.applied_on_known:
            return None
        return (self.first_response - self.applied_on).days

    def passed(self, step: int) -> bool | None:
        """Whether it got past FUNNEL[step] to the next stage; None when it never reached
        that stage, withdrew there, or is still waiting there (not decided either way)."""
        if self.reached > step:
            return True
        if self.reached < step or self.ending in ("withdrew", "pending"):
            return None
        return False

    def reaches(self, stage: int) -> bool | None:
        """Whether it got to FUNNEL[stage] at all; None while that is still undecided."""
        if self.reached >= stage:
            return True
        return False if self.ending == "failed" else None


@dataclass(frozen=True, slots=True)
class ItemFact:
    """An action item's state, for the "data collected" view."""

    skill: str
    status: str
    minutes: int
    practice: int


@dataclass(frozen=True, slots=True)
class SearchFacts:
    """Everything analytics need, as of one day."""

    as_of: date
    applications: tuple[AppFact, ...]
    rounds: tuple[InterviewFact, ...]
    feedback: int  # pieces of feedback
    statements: dict[str, int]  # by label
    constructive_skills: tuple[tuple[str, ...], ...]  # skill areas of each constructive statement
    items: tuple[ItemFact, ...] = field(default=())
    response_window: int = RESPONSE_WINDOW

    @property
    def first_day(self) -> date | None:
        """The first day with a record."""
        days = [a.applied_on for a in self.applications] + [r.held_on for r in self.rounds]
        return min(days, default=None)

    @property
    def last_day(self) -> date | None:
        """The last day with a record (an application, a round, or an application's end)."""
        days = [a.applied_on for a in self.applications] + [r.held_on for r in self.rounds]
        days += [a.ended_on for a in self.applications if a.ended_on]
        days += [a.first_response for a in self.applications if a.first_response]
        return max(days, default=None)


def load_search(
    journal: Journal,
    *,
    as_of: date | None = None,
    response_window: int = RESPONSE_WINDOW,
    facts: JournalFacts | None = None,
) -> SearchFacts:
    """Read the journal's applications, rounds, feedback counts and action items (`facts`
    gives the journal's facts when the caller has read them already, as the report has)."""
    from debrief.plan.store import kept_items

    facts = facts or journal.facts()
    items = tuple(
        ItemFact(item.skill, item.status, item.minutes, len(item.practice))
        for item in kept_items(journal, facts, as_of=as_of)
    )
    return search_facts(facts, items, as_of=as_of, response_window=response_window)


def search_facts(
    facts: JournalFacts,
    items: tuple[ItemFact, ...] = (),
    *,
    as_of: date | None = None,
    response_window: int = RESPONSE_WINDOW,
) -> SearchFacts:
    """What analytics need, from the journal's facts and the plan's items (a pure function)."""
    as_of = as_of or local_today()
    written = facts.company_feedback()
    answers: dict[int, list[date]] = defaultdict(list)
    for app_id, days in written.items():
        answers[app_id].extend(days)
    statements = Counter(s.label for s in facts.statements)
    constructive_skills = tuple(
        s.skills for s in facts.statements if s.label == Label.CONSTRUCTIVE.value
    )
    implied: dict[int, int] = {}
    last_round: dict[int, str] = {}  # rounds are in date order: the last one wins
    stage_of = round_stage()
    for fact in facts.interviews:
        if fact.application_id is not None:
            last_round[fact.application_id] = fact.outcome
            stage = FUNNEL.index(stage_of.get(fact.kind, "screen"))
            implied[fact.application_id] = max(implied.get(fact.application_id, 0), stage)
            answers[fact.application_id].append(fact.held_on)
    applications = tuple(
        replace(
            application_fact(
                app_id=app.id,
                company=app.company,
                role=app.role,
                level=app.level,
                source=app.source,
                applied_on=app.applied_on,
                applied_on_known=app.applied_on_known,
                status=app.status,
                history=list(app.history),
                implied_stage=implied.get(app.id, 0),
                answers=answers.get(app.id, []),
                last_round=last_round.get(app.id),
                as_of=as_of,
                response_window=response_window,
            ),
            feedback_asked_on=app.feedback_asked_on,
            feedback_answered_on=_answered(app.feedback_asked_on, written.get(app.id, [])),
        )
        for app in facts.applications
    )
    return SearchFacts(
        as_of=as_of,
        applications=applications,
        rounds=facts.interviews,
        feedback=len(facts.feedback),
        statements=dict(statements),
        constructive_skills=constructive_skills,
        items=items,
        response_window=response_window,
    )


def _answered(asked_on: date | None, written: list[date]) -> date | None:
    """The first day the company wrote feedback on or after the day it was asked for."""
    if asked_on is None:
        return None
    return min((day for day in written if day >= asked_on), default=None)


def application_fact(
    *,
    app_id: int,
    company: str,
    role: str,
    level: str | None,
    source: str | None,
    applied_on: date,
    applied_on_known: bool = True,
    status: str,
    history: list[tuple[date, str]],
    implied_stage: int = 0,
    answers: list[date] | tuple[date, ...] = (),
    last_round: str | None = None,
    as_of: date,
    response_window: int = RESPONSE_WINDOW,
) -> AppFact:
    """How far one application got and how it ended, from its status history (oldest first),
    the furthest stage its rounds imply, the days the company wrote or met, and the outcome
    of its latest round (a rejected round ends an application whose status was never moved)."""
    pipeline = [s.value for s in PIPELINE]
    reached = implied_stage
    heard = list(answers)
    for day, to_status in history:
        if to_status in pipeline:
            reached = max(reached, FUNNEL.index(to_status))
        if to_status not in SILENT:
            heard.append(day)
    if status == Status.REJECTED.value or heard:
        reached = max(reached, FUNNEL.index("response"))
    # An answer dated before the application (a recruiter who wrote first) counts as day 0.
    first_response = max(min(heard), applied_on) if heard else None
    closes = [day for day, s in history if s in _CLOSING]
    ended_on = closes[-1] if closes and status in _CLOSING else None
    ending: Ending
    if reached == len(FUNNEL) - 1:
        ending = "offer"
    elif status in (Status.REJECTED.value, Status.GHOSTED.value):
        ending = "failed"
    elif status == Status.WITHDRAWN.value:
        ending = "withdrew"
    elif last_round in ("rejected", "ghosted"):
        ending = "failed"
    elif last_round == "withdrew":
        ending = "withdrew"
    elif reached == 0 and (as_of - applied_on).days > response_window:
        ending = "failed"  # nothing heard within the window: unanswered
    else:
        ending = "pending"
    return AppFact(
        id=app_id,
        company=company,
        role=role,
        level=level,
        source=source,
        applied_on=applied_on,
        status=status,
        reached=reached,
        ending=ending,
        first_response=first_response,
        ended_on=ended_on,
        applied_on_known=applied_on_known,
    )
