"""Follow-through, measured: did the interviews since an item was accepted raise its theme again?

Each interview from the day tracking began (acceptance, or the day the theme came back) that
tested the item's skill area and can tell (it has feedback, or a rubric score for the skill)
either raised the weakness again or did not. The last `resolve_after` of them all clean proposes
the item for resolution; a resolved item whose theme comes back in a later interview reopens.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from debrief.journal.facts import InterviewFact
from debrief.taxonomy import area_name, round_skills
from debrief.themes import ThemeSettings, raised

RESOLVE_AFTER = 2


@dataclass(frozen=True, slots=True)
class FollowCheck:
    """One interview that tested the skill after tracking began, and whether it raised it."""

    interview_id: int
    held_on: date
    kind: str
    mock: bool
    company: str | None
    raised: bool


@dataclass(frozen=True, slots=True)
class FollowThrough:
    """Where an item stands against the evidence.

    `verdict` is one of: proposed (not accepted yet), dropped, no evidence yet, working,
    not working yet, ready to resolve, resolved.
    """

    since: date | None
    checks: tuple[FollowCheck, ...]
    waiting: tuple[int, ...]  # interviews that tested the skill, with no feedback yet
    clean_streak: int
    needed: int
    verdict: str
    message: str


def checks_since(
    skill: str,
    since: date,
    rounds: Iterable[InterviewFact],
    settings: ThemeSettings,
    *,
    exclude: frozenset[int] = frozenset(),
    as_of: date | None = None,
) -> tuple[list[FollowCheck], list[int]]:
    """The testing interviews from `since` on (oldest first), and those still without feedback."""
    checks: list[FollowCheck] = []
    waiting: list[int] = []
    for r in sorted(rounds, key=lambda r: (r.held_on, r.id)):
        if r.held_on < since or r.id in exclude or (as_of is not None and r.held_on > as_of):
            continue
        if skill not in r.tested:
            continue
        if not r.informative(skill):
            if skill in round_skills().get(r.kind, ()):
                waiting.append(r.id)
            continue
        checks.append(
            FollowCheck(
                r.id, r.held_on, r.kind, r.mock, r.company, raised(r, skill, "weakness", settings)
            )
        )
    return checks, waiting


def follow_through(
    *,
    skill: str,
    status: str,
    since: date | None,
    rounds: Sequence[InterviewFact],
    settings: ThemeSettings,
    exclude: frozenset[int] = frozenset(),
    resolve_after: int = RESOLVE_AFTER,
    as_of: date | None = None,
) -> FollowThrough:
    """The verdict on one item, from the interviews since tracking began."""
    if status in ("proposed", "dropped") or since is None:
        return FollowThrough(None, (), (), 0, resolve_after, status, "")
    checks, waiting = checks_since(skill, since, rounds, settings, exclude=exclude, as_of=as_of)
    streak = 0
    for check in reversed(checks):
        if check.raised:
            break
        streak += 1
    area = area_name(skill).lower()
    pending = f"; {len(waiting)} more await feedback" if waiting else ""
    if status == "resolved":
        verdict, message = "resolved", "resolved; it reopens if a later interview raises it again"
    elif not checks:
        verdict = "no evidence yet"
        message = (
            f"no interview has tested {area} since {since}{pending}; "
            f"schedule a mock interview on {area}"
        )
    elif streak >= resolve_after:
        verdict = "ready to resolve"
        message = (
            f"the last {streak} interviews that tested {area} did not raise it: "
            "resolve it when you agree"
        )
    elif streak > 0:
        verdict = "working"
        message = (
            f"{streak} of {resolve_after} clean interviews: the last {streak} that tested "
            f"{area} did not raise it{pending}"
        )
    else:
        last = checks[-1]
        verdict = "not working yet"
        message = (
            f"raised again on {last.held_on} ({'mock ' if last.mock else ''}"
            f"{last.kind.replace('_', ' ')}); keep practising{pending}"
        )
    return FollowThrough(
        since, tuple(checks), tuple(waiting), streak, resolve_after, verdict, message
    )
