"""Proposals: an action item for each of the top recurring weaknesses, drawn from the library.

A pure function of the themes and the library, so the same journal always proposes the same plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from debrief.plan.library import (
    AreaPractice,
    Focus,
    PracticeLibrary,
    PracticeTask,
    load_library,
)
from debrief.themes import Theme

TARGET_DAYS = 28  # a proposal's target date: four weeks out
MOST_TASKS = 5
LEAST_PRACTICE = 3  # tasks before the mock-interview follow-up, topped up from the area's own
FOCUS_TASKS = 3  # tasks from the sub-skill the evidence weighs most
SECOND_FOCUS_TASKS = 1  # and from the next one, if it weighs at least half as much


@dataclass(frozen=True, slots=True)
class ProposedTask:
    """A task of a proposal: what to do, and the sub-skill it practises (None for the area's
    own tasks and the mock follow-up, which serve the theme as a whole). The statements that led
    to it are the item's statements about that sub-skill (`plan.records.task_evidence`)."""

    kind: str
    text: str
    subskill: str | None = None


@dataclass(frozen=True, slots=True)
class Proposal:
    """What `debrief plan` suggests for one weakness theme, before the user accepts it."""

    skill: str
    title: str
    goal: str
    rank: int
    target_on: date
    tasks: tuple[ProposedTask, ...]
    foci: tuple[str, ...]
    evidence: tuple[int, ...]  # statement ids, most recent first


def propose(
    theme: Theme, rank: int, as_of: date, library: PracticeLibrary | None = None
) -> Proposal:
    """The action item for one weakness theme: a goal, 3–5 tasks and a target date.

    Tasks come from the foci of the sub-skills the theme's statements are about, the recurring
    one they weigh most first (each statement by how much it counts in the theme), then the
    area's own tasks, and always end with the area's mock-interview follow-up.
    """
    library = library or load_library()
    area = library.area(theme.skill)
    foci = rank_foci(theme, area)
    tasks: list[ProposedTask] = []
    named: list[str] = []
    if foci:
        first, first_weight = foci[0]
        tasks.extend(_serving(first, first.tasks[:FOCUS_TASKS]))
        named.append(first.name)
        if len(foci) > 1 and foci[1][1] >= first_weight / 2:
            second = foci[1][0]
            tasks.extend(_serving(second, _exercises_first(second.tasks)[:SECOND_FOCUS_TASKS]))
            named.append(second.name)
    for task in area.tasks:
        if len(tasks) >= LEAST_PRACTICE:
            break
        tasks.append(ProposedTask(task.kind, task.text))
    tasks = [*tasks[: MOST_TASKS - 1], ProposedTask("mock", area.mock)]
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


def rank_foci(theme: Theme, area: AreaPractice) -> list[tuple[Focus, float]]:
    """The area's foci for the sub-skills the theme's statements are about, with the statements'
    total weight: the theme's sub-themes (sub-skills raised on two or more occasions) before
    sub-skills raised once, each by weight, then by how many statements, then in the library's
    order."""
    weights: dict[str, float] = {}
    counts: dict[str, int] = {}
    for evidence in theme.evidence:
        if evidence.subskill is not None:
            weights[evidence.subskill] = weights.get(evidence.subskill, 0.0) + evidence.weight
            counts[evidence.subskill] = counts.get(evidence.subskill, 0) + 1
    recurring = {sub.subskill for sub in theme.subthemes}
    found = [(index, focus) for index, focus in enumerate(area.foci) if focus.subskill in weights]
    found.sort(
        key=lambda f: (
            f[1].subskill not in recurring,
            -weights[f[1].subskill],
            -counts[f[1].subskill],
            f[0],
        )
    )
    return [(focus, weights[focus.subskill]) for _, focus in found]


def _serving(focus: Focus, tasks: Sequence[PracticeTask]) -> list[ProposedTask]:
    return [ProposedTask(t.kind, t.text, focus.subskill) for t in tasks]


def _exercises_first(tasks: tuple[PracticeTask, ...]) -> list[PracticeTask]:
    return sorted(tasks, key=lambda t: t.kind != "exercise")
