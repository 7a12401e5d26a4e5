"""Which practice questions to work on now.

For each open weakness theme, in rank order, the bank's questions on its named sub-themes (the
most raised first), then on the rest of its area; for a coming round, the themes in the areas
that kind of round tests come first, then those areas themselves. A question practised in the
last `RESTING_DAYS` is left to rest; of the others, one never practised comes before one
practised, and one that went badly before one that went well. Questions the candidate was asked
in a round whose latest asking they rated 1 or 2 are listed beside them, newest first: the same
question may come again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from debrief.bank import BankQuestion, load_bank
from debrief.model import Question
from debrief.plan.records import PracticeEntry
from debrief.prep.coverage import open_weaknesses
from debrief.prep.same import same_groups
from debrief.taxonomy import round_skills
from debrief.themes import ThemeReport

RESTING_DAYS = 7
PER_TARGET = 3  # questions proposed per sub-theme or area
WENT_BADLY = 2  # a rating at or under this is a question to practise again
AGAIN_SHOWN = 8


@dataclass(frozen=True, slots=True)
class Proposed:
    """A bank question to practise, and why."""

    question: BankQuestion
    why: str
    last_practised: date | None
    last_rating: int | None


@dataclass(frozen=True, slots=True)
class Proposals:
    """What to practise now."""

    as_of: date
    round_kind: str | None
    questions: tuple[Proposed, ...]
    again: tuple[Question, ...]  # asked in a round, went badly, in the areas proposed
    areas: tuple[str, ...]  # the skill areas proposed for, in order


def propose_questions(
    report: ThemeReport,
    questions: Sequence[Question],
    practice: Sequence[PracticeEntry],
    *,
    round_kind: str | None = None,
    count: int = 10,
    as_of: date | None = None,
) -> Proposals:
    """Up to `count` bank questions to practise for the weak themes (and a round of
    `round_kind`)."""
    as_of = as_of or report.as_of
    bank = load_bank()
    last: dict[str, PracticeEntry] = {}
    for entry in sorted(practice, key=lambda e: (e.done_on, e.id)):
        if entry.question:
            last[entry.question] = entry
    tested = round_skills().get(round_kind or "", ())
    themes = open_weaknesses(report)
    targets: list[tuple[str, str, str]] = []  # (sub-skill or "", area, why)
    for theme in themes:
        for sub in theme.subthemes:
            if sub.subskill:
                why = f"a recurring weakness, raised {sub.occasions} times in your feedback"
                targets.append((sub.subskill, theme.skill, why))
        targets.append(("", theme.skill, f"your recurring weakness in {theme.name}"))
    if round_kind:
        # For a round: its areas first, the most central first (a weakness in it before the
        # area itself), then the other weaknesses.
        said = f"a {round_kind.replace('_', ' ')} round tests it"
        weak = {theme.skill for theme in themes}
        targets += [("", area, said) for area in tested if area not in weak]
        central = {area: i for i, area in enumerate(tested)}
        targets.sort(key=lambda t: central.get(t[1], len(tested)))  # stable: ranks kept
    chosen: list[Proposed] = []
    taken: set[str] = set()
    for subskill, area, why in targets:
        pool = bank.of_subskill(subskill) if subskill else bank.of_skill(area)
        ready = [q for q in pool if q.id not in taken and _rested(last.get(q.id), as_of)]
        ready.sort(key=lambda q: (*_order(last.get(q.id)), _place(q)))
        for question in ready[:PER_TARGET]:
            before = last.get(question.id)
            chosen.append(
                Proposed(
                    question,
                    why,
                    before.done_on if before else None,
                    before.rating if before else None,
                )
            )
            taken.add(question.id)
        if len(chosen) >= count:
            break
    areas = tuple(dict.fromkeys(area for _, area, _ in targets))
    wanted = set(tested) if tested else set(areas)
    return Proposals(as_of, round_kind, tuple(chosen[:count]), went_badly(questions, wanted), areas)


def went_badly(questions: Sequence[Question], areas: set[str]) -> tuple[Question, ...]:
    """The questions in `areas` whose latest asking (the same question counted once) was rated
    1 or 2: newest first, at most `AGAIN_SHOWN`."""
    ordered = sorted(questions, key=lambda q: (q.held_on, q.interview_id, q.number))
    latest: dict[int, Question] = {}
    for question, group in zip(ordered, same_groups([q.text for q in ordered]), strict=True):
        if question.rating is not None:
            latest[group] = question
    found = [
        q
        for q in latest.values()
        if q.rating is not None and q.rating <= WENT_BADLY and q.skill in areas
    ]
    found.sort(key=lambda q: (q.held_on, q.interview_id, q.number), reverse=True)
    return tuple(found[:AGAIN_SHOWN])


def _place(question: BankQuestion) -> int:
    """Where a question stands among its sub-skill's in the bank: taking an area's questions in
    this order takes one of each sub-skill before a second of any."""
    return load_bank().of_subskill(question.subskill).index(question)


def _rested(entry: PracticeEntry | None, as_of: date) -> bool:
    return entry is None or entry.done_on <= as_of - timedelta(days=RESTING_DAYS)


def _order(entry: PracticeEntry | None) -> tuple[int, int, date]:
    """Never practised first; then the worst-rated, the longest ago."""
    if entry is None:
        return (0, 0, date.min)
    return (1, entry.rating or 3, entry.done_on)
