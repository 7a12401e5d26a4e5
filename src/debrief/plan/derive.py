"""What the plan is now, derived from what is stored and what the journal says: pure functions.

Two things are never stored until the user acts on them: the *proposals* (an item for each
recurring weakness that has none yet, numbered so that acting on some leaves the others'
numbers as shown: see `numbering_base`), and the *reopening* of a resolved item whose theme an
interview on or after its resolution raised again. Reading the plan therefore writes nothing;
the user's next change to an item stores what they saw.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from debrief.plan.follow import FollowCheck, follow_through
from debrief.plan.library import PracticeLibrary
from debrief.plan.propose import Proposal, propose
from debrief.plan.records import ActionEvent, ActionItem, ActionTask
from debrief.taxonomy import area_name
from debrief.themes import Facts, Theme, ThemeReport, ThemeSettings


@dataclass(frozen=True, slots=True)
class Reopening:
    """A resolved item's theme came back: which interview raised it, and the line that says so."""

    item_id: int
    title: str
    back: FollowCheck
    reason: str
    at: datetime  # when the item's history records it

    @property
    def notice(self) -> str:
        """One line for the top of the plan."""
        return f"Reopened item #{self.item_id} ({self.title}): {self.reason}."


def reopening(
    item: ActionItem, facts: Facts, settings: ThemeSettings, as_of: date
) -> Reopening | None:
    """The reopening of a resolved item, if an interview since its resolution (other than those
    that motivated it) raised its theme again; None otherwise."""
    if item.status != "resolved" or item.resolved_on is None:
        return None
    follow = follow_through(
        skill=item.skill,
        status="accepted",
        since=item.resolved_on,
        rounds=facts.rounds,
        settings=settings,
        exclude=interviews_of(item.evidence, facts),
        as_of=as_of,
    )
    back = next((check for check in follow.checks if check.raised), None)
    if back is None:
        return None
    where = f"{'mock ' if back.mock else ''}{back.kind.replace('_', ' ')}"
    reason = (
        f"the theme came back: the {where} on {back.held_on} (interview "
        f"#{back.interview_id}) raised {area_name(item.skill).lower()} again"
    )
    noon = datetime.combine(back.held_on, time(12)).astimezone(UTC)
    last = max((event.at for event in item.events), default=noon)
    at = max(noon, last + timedelta(microseconds=1))
    return Reopening(item.id, item.title, back, reason, at)


def reopenings(
    kept: Iterable[ActionItem], facts: Facts, settings: ThemeSettings, as_of: date
) -> dict[int, Reopening]:
    """The reopening of every resolved item whose theme came back, by item id."""
    found = ((item.id, reopening(item, facts, settings, as_of)) for item in kept)
    return {item_id: back for item_id, back in found if back is not None}


def standing(kept: Iterable[ActionItem], found: dict[int, Reopening]) -> list[ActionItem]:
    """The items as they stand: a resolved one whose theme came back is accepted again."""
    return [reopened(item, found[item.id]) if item.id in found else item for item in kept]


def reopened(item: ActionItem, back: Reopening) -> ActionItem:
    """The item as it stands once its theme came back: accepted again, tracked from that day."""
    return dataclasses.replace(
        item,
        status="accepted",
        resolved_on=None,
        tracking_from=back.back.held_on,
        reopened=item.reopened + 1,
        events=(*item.events, ActionEvent(back.at, "resolved", "accepted", back.reason)),
    )


def interviews_of(statement_ids: Iterable[int], facts: Facts) -> frozenset[int]:
    """The interviews some statements came from (those that motivated an item)."""
    interviews = {m.statement_id: m.interview_id for m in facts.mentions}
    return frozenset(i for s in statement_ids if (i := interviews.get(s)) is not None)


@dataclass(frozen=True, slots=True)
class Proposed:
    """A proposal with the number it is known by, and the theme behind it."""

    number: int
    theme: Theme
    proposal: Proposal
    proposed_on: date  # the day its weakness became a recurring theme

    def item(self) -> ActionItem:
        """The proposal as an item (nothing stored yet: its tasks have no ids)."""
        proposal, theme = self.proposal, self.theme
        return ActionItem(
            id=self.number,
            skill=proposal.skill,
            title=proposal.title,
            goal=proposal.goal,
            status="proposed",
            rank=proposal.rank,
            target_on=proposal.target_on,
            proposed_on=self.proposed_on,
            accepted_on=None,
            tracking_from=None,
            resolved_on=None,
            reopened=0,
            tasks=tuple(
                ActionTask(0, n, task.kind, task.text, None, task.subskill)
                for n, task in enumerate(proposal.tasks, start=1)
            ),
            practice=(),
            events=(
                ActionEvent(
                    datetime.combine(self.proposed_on, time(12)).astimezone(UTC),
                    None,
                    "proposed",
                    proposed_reason(theme),
                ),
            ),
            evidence=tuple(sorted(proposal.evidence, reverse=True)),
        )


def proposed_reason(theme: Theme) -> str:
    """Why an item was proposed, as its history keeps it."""
    return (
        f"proposed: raised in {theme.interviews} interviews "
        f"({theme.interviews_real} real, {theme.interviews_mock} mock)"
    )


def proposals(
    kept: Sequence[ActionItem],
    report: ThemeReport,
    as_of: date,
    last_id: int,
    library: PracticeLibrary,
    settings: ThemeSettings,
) -> list[Proposed]:
    """A proposal for every recurring weakness without an item of its own, in rank order.

    Its rank is its place among the top places of the plan: an accepted or resolved item takes
    one, a dropped one does not (its weakness is not proposed again until the user accepts it).
    Its number is its weakness's place among the recurring weaknesses, counted on from the items
    kept (`numbering_base`), so taking proposals on or dropping them, in any order, leaves the
    numbers of the others as the user saw them.
    """
    ranking = [theme for theme in report.weaknesses if theme.status == "theme"]
    place = {theme.skill: n for n, theme in enumerate(ranking, start=1)}
    base = numbering_base(kept, place, last_id)
    by_skill = {item.skill: item for item in kept}
    found: list[Proposed] = []
    slot = 0
    for theme in ranking:
        item = by_skill.get(theme.skill)
        if item is not None and item.status == "dropped":
            continue
        slot += 1
        if item is None:
            proposal = propose(theme, slot, as_of, library)
            day = became_recurring(theme, settings.theme_min_interviews, as_of)
            found.append(Proposed(base + place[theme.skill], theme, proposal, day))
    return found


def numbering_base(kept: Sequence[ActionItem], place: dict[str, int], last_id: int) -> int:
    """The number proposals count on from: the last id the plan handed out, unless its newest
    items are proposals kept under the numbers they were shown with (each one's id is the same
    base plus its weakness's place): then that base, which their keeping did not move."""
    ids = sorted(item.id for item in kept)
    skills = {item.id: item.skill for item in kept}
    for newest in range(len(ids), 0, -1):
        older, tail = ids[:-newest], ids[-newest:]
        if not all(skills[i] in place for i in tail):
            continue
        bases = {i - place[skills[i]] for i in tail}
        if len(bases) == 1 and (base := bases.pop()) >= max(older, default=0):
            return base
    return last_id


def became_recurring(theme: Theme, needed: int, as_of: date) -> date:
    """The day a weakness became a recurring theme: when the `needed`-th distinct interview (or
    application) first raised it."""
    first: dict[tuple[str, int], date] = {}
    for evidence in theme.evidence:
        if evidence.occasion[0] != "note":
            first[evidence.occasion] = min(first.get(evidence.occasion, evidence.day), evidence.day)
    days = sorted(first.values())
    return days[min(needed, len(days)) - 1] if days else as_of
