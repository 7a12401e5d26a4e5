"""The funnel and its cuts: how many applications reach each stage, and the pass rate of each
step with a credible interval.

A step's rate counts only decided applications: one still waiting at a stage, or withdrawn
there by the candidate, is neither a pass nor a failure and is reported beside the rate instead.
Cuts (by source, role, level, month, half of the search) build the same funnel per group and
compare the groups in a sentence, on the share that reaches a recruiter screen by default.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from debrief.journal.facts import InterviewFact
from debrief.stats.facts import FUNNEL, STAGE_NAMES, AppFact
from debrief.stats.intervals import JEFFREYS, Prior, Rate, chance_highest, pass_rate_interval

if TYPE_CHECKING:
    import pandas as pd

MIN_APPLICATIONS = 10  # fewer decided applications than this and the funnel means little
MIN_GROUP = 5  # a group of a cut needs this many decided cases to be compared
MAX_GROUPS = 6  # free-text cuts (role, level) keep their largest groups, the rest is "other"
CUTS = ("source", "role", "level", "month", "half")

# Groups that gather what is left over; they take no part in comparisons.
CATCH_ALL = frozenset({"\x00other", "unknown", ""})
# What reaching each stage is called in a sentence ("referrals reach a recruiter screen ...").
REACHING = {
    "response": "get an answer",
    "screen": "reach a recruiter screen",
    "technical": "reach a technical round",
    "onsite": "reach an onsite or final round",
    "offer": "end in an offer",
}
SOURCE_NAMES = {
    "referral": "Referrals",
    "cold_apply": "Cold applications",
    "recruiter_outreach": "Recruiter outreach",
    "job_board": "Job boards",
    "network": "Network contacts",
    "other": "Other sources",
}


def not_enough(
    have: int, need: int, one: str, many: str | None = None, *, about: str = "this"
) -> str | None:
    """The sentence a chart shows instead of itself while data is short (None when enough):
    `one` and `many` name a single missing thing and several; `about` names what would not
    mean anything yet ("the pass rates")."""
    if have >= need:
        return None
    missing = need - have
    what = one if missing == 1 else (many or one + "s")
    verb = "mean" if about.endswith("s") and not about.endswith("ss") else "means"
    return f"Not enough data yet: {missing} more {what} before {about} {verb} anything."


@dataclass(frozen=True, slots=True)
class FunnelStage:
    """One stage: how many applications got there, and the rate of the step into it."""

    stage: str
    name: str
    reached: int
    rate: Rate | None  # the step from the previous stage (None for the first stage)
    waiting: int  # still open at the previous stage: left out of the rate
    withdrew: int  # withdrawn at the previous stage by the candidate: left out too


@dataclass(frozen=True, slots=True)
class Funnel:
    """The funnel of a set of applications."""

    label: str
    applications: int
    stages: tuple[FunnelStage, ...]
    first_applied: date | None
    last_applied: date | None
    prior: Prior
    shortage: str | None  # set while there are too few decided applications to lean on it

    @property
    def steps(self) -> tuple[FunnelStage, ...]:
        """The stages after the first, each with the rate of the step into it."""
        return self.stages[1:]

    @property
    def warnings(self) -> tuple[str, ...]:
        """The steps whose interval is wider than 30 points."""
        return tuple(s.name for s in self.steps if s.rate is not None and s.rate.small_sample)

    def stage(self, key: str) -> FunnelStage:
        """One stage by its key ('screen')."""
        return self.stages[FUNNEL.index(key)]

    def frame(self) -> pd.DataFrame:
        """The funnel as a DataFrame, one row per stage."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "stage": s.stage,
                    "name": s.name,
                    "reached": s.reached,
                    "passed": s.rate.passed if s.rate else None,
                    "decided": s.rate.total if s.rate else None,
                    "rate": s.rate.observed if s.rate else None,
                    "mean": s.rate.mean if s.rate else None,
                    "low": s.rate.low if s.rate else None,
                    "high": s.rate.high if s.rate else None,
                    "small_sample": s.rate.small_sample if s.rate else None,
                    "waiting": s.waiting,
                    "withdrew": s.withdrew,
                }
                for s in self.stages
            ]
        )


def build_funnel(
    applications: Sequence[AppFact], *, label: str = "All applications", prior: Prior = JEFFREYS
) -> Funnel:
    """The funnel of these applications."""
    stages = []
    for index, key in enumerate(FUNNEL):
        reached = sum(1 for a in applications if a.reached >= index)
        rate = waiting = withdrew = None
        if index:
            step = index - 1
            verdicts = [a.passed(step) for a in applications]
            at_step = [a for a in applications if a.reached == step]
            waiting = sum(1 for a in at_step if a.ending == "pending")
            withdrew = sum(1 for a in at_step if a.ending == "withdrew")
            passed = verdicts.count(True)
            rate = pass_rate_interval(passed, passed + verdicts.count(False), prior=prior)
        stages.append(
            FunnelStage(key, STAGE_NAMES[key], reached, rate, waiting or 0, withdrew or 0)
        )
    days = [a.applied_on for a in applications]
    return Funnel(
        label=label,
        applications=len(applications),
        stages=tuple(stages),
        first_applied=min(days, default=None),
        last_applied=max(days, default=None),
        prior=prior,
        shortage=not_enough(
            decided_count(applications),
            MIN_APPLICATIONS,
            "application with an answer or a verdict",
            "applications with an answer or a verdict",
            about="the pass rates",
        ),
    )


def decided_count(applications: Iterable[AppFact]) -> int:
    """Applications that count in some rate: answered, or with a verdict on getting an answer."""
    return sum(1 for a in applications if a.reached > 0 or a.passed(0) is not None)


def reach_rate(applications: Iterable[AppFact], stage: str, *, prior: Prior = JEFFREYS) -> Rate:
    """The share of applications that got to `stage` at all, among those decided by then."""
    index = FUNNEL.index(stage)
    verdicts = [a.reaches(index) for a in applications]
    passed = verdicts.count(True)
    return pass_rate_interval(passed, passed + verdicts.count(False), prior=prior)


@dataclass(frozen=True, slots=True)
class CutGroup:
    """One group of a cut: its funnel and the rate the cut compares on."""

    key: str
    name: str
    funnel: Funnel
    measure: Rate


@dataclass(frozen=True, slots=True)
class Comparison:
    """The best and worst group of a cut on its measure, in words and numbers."""

    best: str
    worst: str
    ratio: float  # of posterior means, so a group with 0 passed gives no infinite ratio
    overlap: bool
    groups: int  # how many groups took part
    chance_best: float  # posterior probability the best group's rate is the highest of them all
    sentence: str


@dataclass(frozen=True, slots=True)
class Cut:
    """The funnel split by one attribute, compared on one measure."""

    by: str
    measure: str  # the stage whose reach rate the groups are compared on
    groups: tuple[CutGroup, ...]
    comparison: Comparison | None
    shortage: str | None


def cut_funnel(
    applications: Sequence[AppFact],
    by: str,
    *,
    measure: str = "screen",
    prior: Prior = JEFFREYS,
) -> Cut:
    """The funnel by source, role, level, month or half of the search."""
    if by not in CUTS:
        raise ValueError(f"cannot cut by {by!r}; one of {', '.join(CUTS)}")
    if measure not in REACHING:
        raise ValueError(f"cannot compare on {measure!r}; one of {', '.join(REACHING)}")
    keyed, spelled = _group_keys(applications, by)
    groups = []
    for key, name in _group_order(keyed, by, spelled):
        members = [a for a, k in zip(applications, keyed, strict=True) if k == key]
        groups.append(
            CutGroup(
                key,
                name,
                build_funnel(members, label=name, prior=prior),
                reach_rate(members, measure, prior=prior),
            )
        )
    comparison = compare(
        [(g.name, g.measure) for g in groups if g.key not in CATCH_ALL],
        _subject(by),
        REACHING[measure],
    )
    ready = [g for g in groups if g.measure.total >= MIN_GROUP and g.key not in CATCH_ALL]
    shortage = not_enough(
        len(ready),
        2,
        f"group with {MIN_GROUP}+ decided applications",
        f"groups with {MIN_GROUP}+ decided applications",
        about="a comparison",
    )
    return Cut(by, measure, tuple(groups), comparison, shortage)


def _group_keys(applications: Sequence[AppFact], by: str) -> tuple[list[str], dict[str, str]]:
    """Each application's group key, and how free-text groups are spelled most often."""
    if by == "source":
        return [a.source or "unknown" for a in applications], {}
    if by == "month":
        return [a.month for a in applications], {}
    if by == "half":
        middle = search_middle(a.applied_on for a in applications)
        halves = ["first" if middle and a.applied_on <= middle else "second" for a in applications]
        return halves, {}
    texts = [" ".join(((a.role if by == "role" else a.level) or "").split()) for a in applications]
    keys = [t.lower() for t in texts]
    spellings: dict[str, Counter[str]] = {}
    for key, text in zip(keys, texts, strict=True):
        spellings.setdefault(key, Counter())[text] += 1
    spelled = {key: count.most_common(1)[0][0] for key, count in spellings.items()}
    largest = [k for k, _ in Counter(keys).most_common(MAX_GROUPS)]
    if len(set(keys)) > MAX_GROUPS:
        largest = largest[: MAX_GROUPS - 1]
    return [k if k in largest else "\x00other" for k in keys], spelled


def _group_order(keys: list[str], by: str, spelled: dict[str, str]) -> list[tuple[str, str]]:
    """The groups of a cut in display order, with their names."""
    counts = Counter(keys)
    if by in ("month", "half"):
        names = {"first": "First half", "second": "Second half"}
        return [(k, names.get(k, k)) for k in sorted(counts)]
    if by == "source":
        order = sorted(counts, key=lambda k: (-counts[k], k))
        return [(k, SOURCE_NAMES.get(k, "Unknown source")) for k in order]
    order = sorted(counts, key=lambda k: (k == "\x00other", -counts[k], k))
    return [(k, _free_text_name(k, by, spelled)) for k in order]


def _free_text_name(key: str, by: str, spelled: dict[str, str]) -> str:
    if key == "\x00other":
        return "(all other roles)" if by == "role" else "(all other levels)"
    if not key:
        return "(no role)" if by == "role" else "(no level given)"
    return spelled.get(key, key)


def _subject(by: str) -> Callable[[str], str]:
    if by == "source":
        return lambda name: name
    if by == "month":
        return lambda name: f"Applications sent in {name}"
    if by == "half":
        return lambda name: f"Applications in the {name.lower()} of the search"
    return lambda name: f"Applications for {name}" if by == "role" else f"{name} applications"


def search_middle(days: Iterable[date]) -> date | None:
    """The day halfway between the first and the last application."""
    ordered = sorted(days)
    if not ordered:
        return None
    return ordered[0] + timedelta(days=(ordered[-1] - ordered[0]).days // 2)


def compare(
    groups: Sequence[tuple[str, Rate]],
    subject: Callable[[str], str],
    what: str,
    *,
    minimum: int = MIN_GROUP,
) -> Comparison | None:
    """The best and the worst of the groups with `minimum` decided cases, in plain words."""
    ready = [(name, rate) for name, rate in groups if rate.total >= minimum]
    if len(ready) < 2:
        return None
    best = max(ready, key=lambda g: (g[1].mean, g[1].total))
    worst = min(ready, key=lambda g: (g[1].mean, -g[1].total))
    if best[0] == worst[0]:
        return None
    ratio = best[1].mean / worst[1].mean
    overlap = best[1].overlaps(worst[1])
    # Picking the best and the worst of many groups makes any gap look real: the chance quoted
    # is that the best group is the highest of all those compared, not just above the worst.
    chance = chance_highest([rate for _, rate in ready], ready.index(best))
    howmuch = f"{ratio:.1f}× as often as" if ratio >= 1.05 else "about as often as"
    numbers = f"({_share(best[1])} vs {_share(worst[1])})"
    if len(ready) == 2:
        verdict = (
            "the 90% intervals do not overlap"
            if not overlap
            else "the 90% intervals overlap, so this may be chance (probability the gap is "
            f"real: {chance:.0%})"
        )
    elif not overlap:
        verdict = (
            "the 90% intervals do not overlap, and the chance that it is really the best of "
            f"these {len(ready)} groups is {chance:.0%}"
        )
    else:
        verdict = (
            "the 90% intervals overlap, so this may be chance (the chance that it is really "
            f"the best of these {len(ready)} groups: {chance:.0%})"
        )
    lead = subject(best[0])
    sentence = (
        f"{lead[:1].upper()}{lead[1:]} {what} {howmuch} {_lower_first(subject(worst[0]))} "
        f"{numbers}; {verdict}."
    )
    return Comparison(best[0], worst[0], ratio, overlap, len(ready), chance, sentence)


def _share(rate: Rate) -> str:
    return f"{rate.passed} of {rate.total}"


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1].islower():
        return text[0].lower() + text[1:]
    return text


@dataclass(frozen=True, slots=True)
class RoundRates:
    """How often rounds were passed: real vs mock, and by kind within each."""

    real: Rate
    mock: Rate
    by_kind: tuple[tuple[str, bool, Rate], ...]  # (kind, mock, rate), most rounds first
    first_half: Rate  # real rounds held in the first half of the search
    second_half: Rate
    comparison: Comparison | None
    waiting: int  # rounds still pending
    first_day: date | None
    last_day: date | None


def round_rates(rounds: Sequence[InterviewFact], *, prior: Prior = JEFFREYS) -> RoundRates:
    """Pass rates of interview rounds (a ghosted round counts as not passed; a withdrawal and
    a pending round are left out)."""

    def rate(chosen: Iterable[InterviewFact]) -> Rate:
        outcomes = [r.outcome for r in chosen]
        passed = outcomes.count("passed")
        failed = outcomes.count("rejected") + outcomes.count("ghosted")
        return pass_rate_interval(passed, passed + failed, prior=prior)

    kinds = Counter((r.kind, r.mock) for r in rounds)
    by_kind = tuple(
        (kind, mock, rate(r for r in rounds if (r.kind, r.mock) == (kind, mock)))
        for (kind, mock), _ in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    real = [r for r in rounds if not r.mock]
    middle = search_middle(r.held_on for r in real)
    real_rate, mock_rate = rate(real), rate(r for r in rounds if r.mock)
    comparison = compare(
        [("Mock interviews", mock_rate), ("Real interviews", real_rate)],
        lambda name: name,
        "end in a pass",
    )
    return RoundRates(
        real=real_rate,
        mock=mock_rate,
        by_kind=by_kind,
        first_half=rate(r for r in real if middle and r.held_on <= middle),
        second_half=rate(r for r in real if middle and r.held_on > middle),
        comparison=comparison,
        waiting=sum(1 for r in rounds if r.outcome == "pending"),
        first_day=min((r.held_on for r in rounds), default=None),
        last_day=max((r.held_on for r in rounds), default=None),
    )
