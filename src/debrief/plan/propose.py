"""Proposals: an action item for each of the top recurring weaknesses, drawn from the library.

A pure function of the themes and the library, so the same journal always proposes the same plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from debrief.plan.library import PracticeLibrary, PracticeTask, load_library, rank_foci
from debrief.themes import Theme

TARGET_DAYS = 28  # a proposal's target date: four weeks out
MOST_TASKS = 5
LEAST_PRACTICE = 3  # tasks before the mock-interview follow-up, topped up from the area's own
FOCUS_TASKS = 3  # tasks from the focus the evidence talks about most
SECOND_FOCUS_TASKS = 1  # and from the next one, if the evidence names it too


@dataclass(frozen=True, slots=True)
class Proposal:
    """What `debrief plan` suggests for one weakness theme, before the user accepts it."""

    skill: str
    title: str
    goal: str
    rank: int
    target_on: date
    tasks: tuple[PracticeTask, ...]
    foci: tuple[str, ...]
    evidence: tuple[int, ...]  # statement ids, most recent first


def propose(
    theme: Theme, rank: int, as_of: date, library: PracticeLibrary | None = None
) -> Proposal:
    """The action item for one weakness theme: a goal, 3–5 tasks and a target date.

    Tasks come from the library's foci that the theme's statements talk about (weighted by how
    much each statement counts), then the area's own tasks, and always end with the area's
    mock-interview follow-up.
    """
    library = library or load_library()
    area = library.area(theme.skill)
    texts = [e.text for e in theme.evidence]
    foci = rank_foci(area, texts, [e.weight for e in theme.evidence])
    tasks: list[PracticeTask] = []
    named: list[str] = []
    if foci:
        first = foci[0][0]
        tasks.extend(first.tasks[:FOCUS_TASKS])
        named.append(first.name)
        if len(foci) > 1 and foci[1][1] >= foci[0][1] / 2:
            second = foci[1][0]
            tasks.extend(_exercises_first(second.tasks)[:SECOND_FOCUS_TASKS])
            named.append(second.name)
    for task in area.tasks:
        if len(tasks) >= LEAST_PRACTICE:
            break
        tasks.append(task)
    tasks = [*tasks[: MOST_TASKS - 1], PracticeTask("mock", area.mock)]
    goal = foci[0][0].goal if foci else area.goal
    title = theme.name + (f": {'; '.join(named)}" if named else "")
    return Proposal(
        skill=theme.skill,
        title=title,
        goal=goal,
        rank=rank,
        target_on=as_of + timedelta(days=TARGET_DAYS),
        tasks=tuple(tasks),
        foci=tuple(named),
        evidence=tuple(e.statement_id for e in theme.evidence),
    )


def _exercises_first(tasks: tuple[PracticeTask, ...]) -> list[PracticeTask]:
    return sorted(tasks, key=lambda t: t.kind != "exercise")
