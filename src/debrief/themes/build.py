"""Themes: the weaknesses and strengths that recur across interviews, ranked, with their evidence.

A theme is a skill area raised by constructive statements (a weakness) or by strengths, refined
into sub-themes where its statements cluster (`cluster.py`). Its score is documented in
`data/weights.toml` and docs/themes.md; everything here is a pure function of the facts, so the
same journal always gives the same themes.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Literal

from debrief.journal.facts import InterviewFact, StatementFact
from debrief.model import Label, local_today
from debrief.taxonomy import area_name
from debrief.themes.cluster import cluster_texts
from debrief.themes.facts import Facts

ThemeKind = Literal["weakness", "strength"]
KIND_LABEL: dict[str, str] = {
    "weakness": Label.CONSTRUCTIVE.value,
    "strength": Label.STRENGTH.value,
}


@dataclass(frozen=True, slots=True)
class ThemeSettings:
    """The weights and thresholds of `data/weights.toml`."""

    version: int
    half_life_days: float
    secondary_share: float
    theme_min_interviews: int
    trend_min_interviews: int
    trend_min_change: float
    gap_threshold: float
    gap_min_interviews: int
    outcome_rating: dict[str, int]
    rubric_weakness: int
    rubric_strength: int
    round: dict[str, float]
    stage: dict[str, float]
    source: dict[str, float]


@cache
def load_settings() -> ThemeSettings:
    """The settings shipped with the package."""
    text = resources.files("debrief.themes.data").joinpath("weights.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    return ThemeSettings(
        version=int(raw["version"]),
        half_life_days=float(raw["half_life_days"]),
        secondary_share=float(raw["secondary_share"]),
        theme_min_interviews=int(raw["theme_min_interviews"]),
        trend_min_interviews=int(raw["trend_min_interviews"]),
        trend_min_change=float(raw["trend_min_change"]),
        gap_threshold=float(raw["gap_threshold"]),
        gap_min_interviews=int(raw["gap_min_interviews"]),
        outcome_rating={k: int(v) for k, v in raw["outcome_rating"].items()},
        rubric_weakness=int(raw["rubric_weakness"]),
        rubric_strength=int(raw["rubric_strength"]),
        round={k: float(v) for k, v in raw["round"].items()},
        stage={k: float(v) for k, v in raw["stage"].items()},
        source={k: float(v) for k, v in raw["source"].items()},
    )


@dataclass(frozen=True, slots=True)
class Evidence(StatementFact):
    """A statement behind a theme, with its provenance and how much it weighed."""

    weight: float = 0.0


@dataclass(frozen=True, slots=True)
class SubTheme:
    """Statements of a theme that talk about the same thing, named by the terms they share."""

    name: str
    terms: tuple[str, ...]
    statement_ids: tuple[int, ...]
    occasions: int
    last_seen: date


@dataclass(frozen=True, slots=True)
class Trend:
    """Whether a theme comes up more or less often in the interviews that tested its skill.

    The informative interviews that tested the skill (those with feedback, or a rubric score for
    it), in date order, are split into an earlier and a later half.
    """

    direction: str  # rising, steady, fading, or unclear (too few interviews to tell)
    tested: int
    early_raised: int
    early_tested: int
    late_raised: int
    late_tested: int

    @property
    def rate(self) -> float:
        """The share of testing interviews that raised it, smoothed toward one half so that one
        or two interviews cannot claim a certain rate: (raised + 1) / (tested + 2)."""
        return (self.early_raised + self.late_raised + 1) / (self.tested + 2)

    def describe(self) -> str:
        """One line a person can check: the counts behind the word."""
        if not self.tested:
            return "no interview with feedback has tested this skill"
        if self.direction == "unclear":
            raised = self.early_raised + self.late_raised
            return f"raised in {raised} of {self.tested} interviews that tested it; too few to tell"
        return (
            f"raised in {self.early_raised} of the first {self.early_tested} and "
            f"{self.late_raised} of the last {self.late_tested} interviews that tested it"
        )


@dataclass(frozen=True, slots=True)
class Theme:
    """A recurring weakness or strength in one skill area."""

    kind: ThemeKind
    skill: str
    name: str
    status: str  # "theme" (two or more distinct interviews) or "signal"
    rank: int
    score: float
    interviews_real: int
    interviews_mock: int
    notes: int  # notes on no interview or application, such as a coach's review
    first_seen: date
    last_seen: date
    trend: Trend
    sources: dict[str, int]
    subthemes: tuple[SubTheme, ...]
    evidence: tuple[Evidence, ...]
    # Statements whose label the model was unsure of: they weigh less (by their confidence),
    # and a theme says how many it rests on until someone reviews them.
    uncertain: int = 0

    @property
    def interviews(self) -> int:
        """Distinct interviews (real and mock) and applications that raised it."""
        return self.interviews_real + self.interviews_mock


def build_themes(
    facts: Facts,
    kind: ThemeKind,
    *,
    as_of: date | None = None,
    settings: ThemeSettings | None = None,
) -> tuple[Theme, ...]:
    """The themes of one kind, ranked: themes before signals, then by score; equal scores by
    more interviews, then the more recently raised, then by name (never by file order).
    Recency decays from `as_of` (default: today)."""
    settings = settings or load_settings()
    as_of = as_of or local_today()
    label = KIND_LABEL[kind]
    by_skill: dict[str, list[tuple[StatementFact, float]]] = defaultdict(list)
    for mention in facts.mentions:
        if mention.label != label:
            continue
        for index, skill in enumerate(mention.skills):
            share = 1.0 if index == 0 else settings.secondary_share
            by_skill[skill].append((mention, share))
    drafts = [
        _theme(kind, skill, area_name(skill), found, facts.rounds, as_of, settings)
        for skill, found in by_skill.items()
    ]
    drafts.sort(
        key=lambda drafted: (
            drafted[0].status != "theme",
            -drafted[1],  # the exact score: a rounded one ties more often
            -(drafted[0].interviews_real + drafted[0].interviews_mock),
            -drafted[0].last_seen.toordinal(),
            drafted[0].name,
        )
    )
    return tuple(_ranked(theme, rank) for rank, (theme, _) in enumerate(drafts, start=1))


def _ranked(theme: Theme, rank: int) -> Theme:
    return dataclasses.replace(theme, rank=rank)


def statement_weight(
    mention: StatementFact, share: float, as_of: date, settings: ThemeSettings
) -> float:
    """recency × round × source × confidence × share (see data/weights.toml)."""
    age = max(0, (as_of - mention.day).days)
    recency: float = 0.5 ** (age / settings.half_life_days)
    return (
        recency
        * round_weight(mention, settings)
        * settings.source.get(mention.source, 1.0)
        * mention.confidence
        * share
    )


def round_weight(mention: StatementFact, settings: ThemeSettings) -> float:
    """How much the round counts: the larger of its kind's weight and its stage's."""
    weights = []
    if mention.kind is not None:
        weights.append(settings.round.get(mention.kind, 1.0))
    if mention.stage is not None:
        weights.append(settings.stage.get(mention.stage, 1.0))
    return max(weights, default=1.0)


def _theme(
    kind: ThemeKind,
    skill: str,
    name: str,
    found: list[tuple[StatementFact, float]],
    rounds: Sequence[InterviewFact],
    as_of: date,
    settings: ThemeSettings,
) -> tuple[Theme, float]:
    """A theme and its exact score."""
    strongest: dict[tuple[str, int], float] = {}
    weights: dict[int, float] = {}
    for mention, share in found:
        weight = statement_weight(mention, share, as_of, settings)
        weights[mention.statement_id] = weight
        key = mention.occasion
        strongest[key] = max(strongest.get(key, 0.0), weight)
    occasions = set(strongest)
    real = sum(1 for k, _ in occasions if k == "application") + len(
        {m.interview_id for m, _ in found if m.interview_id is not None and m.mock is False}
    )
    mock = len({m.interview_id for m, _ in found if m.mock is True})
    notes = sum(1 for k, _ in occasions if k == "note")
    mentions = [m for m, _ in found]
    moves = trend(skill, kind, rounds, as_of, settings)
    newest_first = sorted(mentions, key=lambda m: (m.day, m.statement_id), reverse=True)
    days = [m.day for m in mentions]
    score = sum(strongest.values()) * moves.rate
    theme = Theme(
        kind=kind,
        skill=skill,
        name=name,
        status="theme" if real + mock >= settings.theme_min_interviews else "signal",
        rank=0,
        score=round(score, 4),
        interviews_real=real,
        interviews_mock=mock,
        notes=notes,
        first_seen=min(days),
        last_seen=max(days),
        trend=moves,
        sources=dict(
            sorted(Counter(m.source for m in mentions).items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        subthemes=subthemes(newest_first),
        evidence=tuple(_evidence(m, weights[m.statement_id]) for m in newest_first),
        uncertain=sum(1 for m in mentions if m.uncertain),
    )
    return theme, score


def _evidence(mention: StatementFact, weight: float) -> Evidence:
    fields = {f.name: getattr(mention, f.name) for f in dataclasses.fields(mention)}
    return Evidence(**fields, weight=round(weight, 4))


def raised(round_: InterviewFact, skill: str, kind: ThemeKind, settings: ThemeSettings) -> bool:
    """Whether an interview raised the theme: a statement about the skill, or a rubric score at
    the weak (or strong) end."""
    score = round_.rubric.get(skill)
    if kind == "weakness":
        low = score is not None and score <= settings.rubric_weakness
        return skill in round_.constructive or low
    high = score is not None and score >= settings.rubric_strength
    return skill in round_.strength or high


def testing_rounds(skill: str, rounds: Iterable[InterviewFact], as_of: date) -> list[InterviewFact]:
    """The interviews up to `as_of` that tested `skill` and can tell whether it came up."""
    return [r for r in rounds if r.held_on <= as_of and skill in r.tested and r.informative(skill)]


def trend(
    skill: str,
    kind: ThemeKind,
    rounds: Sequence[InterviewFact],
    as_of: date,
    settings: ThemeSettings,
) -> Trend:
    """Rising, steady or fading: the share of testing interviews that raised it, earlier half
    against later half."""
    tested = testing_rounds(skill, rounds, as_of)
    hits = [raised(r, skill, kind, settings) for r in tested]
    half = len(hits) // 2
    early, late = hits[:half], hits[half:]
    direction = "unclear"
    if len(hits) >= settings.trend_min_interviews:
        change = sum(late) / len(late) - sum(early) / len(early)
        if change >= settings.trend_min_change:
            direction = "rising"
        elif change <= -settings.trend_min_change:
            direction = "fading"
        else:
            direction = "steady"
    return Trend(direction, len(hits), sum(early), len(early), sum(late), len(late))


def subthemes(mentions: Sequence[StatementFact]) -> tuple[SubTheme, ...]:
    """The clusters of a theme's statements (most recent first) that recur: two or more
    statements from two or more distinct occasions."""
    if len(mentions) < 3:
        return ()
    found = []
    for cluster in cluster_texts([m.text for m in mentions]):
        members = [mentions[i] for i in cluster.members]
        occasions = {m.occasion for m in members}
        if len(members) < 2 or len(occasions) < 2 or not cluster.terms:
            continue
        found.append(
            SubTheme(
                name=" / ".join(cluster.terms),
                terms=cluster.terms,
                statement_ids=tuple(m.statement_id for m in members),
                occasions=len(occasions),
                last_seen=max(m.day for m in members),
            )
        )
    found.sort(key=lambda s: (-s.occasions, -len(s.statement_ids), s.name))
    return tuple(found)
