"""Themes: the weaknesses and strengths that recur across interviews, ranked, with their evidence.

A theme is a skill area raised by constructive statements (a weakness) or by strengths, broken
down into sub-themes: the curated sub-skills its statements are about (`subskills.py`), and
groups of statements that fit no sub-skill but share words (`cluster.py`). Its score is
documented in `data/weights.toml` and docs/themes.md; everything here is a pure function of the
facts, so the same journal always gives the same themes.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
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
from debrief.themes.subskills import Assignment, assign, load_subskills
from debrief.triage.features import stem, tokens

ThemeKind = Literal["weakness", "strength"]
# The sub-skill of each statement in each of its areas: (statement id, area) → assignment.
Placements = Mapping[tuple[int, str], Assignment]
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
    """A statement behind a theme, with its provenance, how much it weighed, and the sub-skill
    of the theme's area it is about (None: none of them) with the model's confidence."""

    weight: float = 0.0
    subskill: str | None = None
    subskill_confidence: float = 0.0
    # The sub-skill of another area it is about, when it fits none of this one's.
    subskill_elsewhere: str | None = None


@dataclass(frozen=True, slots=True)
class SubTheme:
    """Statements of a theme about the same thing, raised on two or more occasions: a curated
    sub-skill (`subskill` is its id, `name` its name), or, for statements that fit none, a
    group of statements that share words (`subskill` is None, `name` joins the `terms`)."""

    name: str
    subskill: str | None
    terms: tuple[str, ...]
    statement_ids: tuple[int, ...]
    occasions: int
    last_seen: date
    # Statements whose triage label the model was unsure of, and statements the sub-skill
    # model placed here with a confidence under `CLOSE_CALL`.
    uncertain: int = 0
    close_calls: int = 0

    @property
    def grouped_by_words(self) -> bool:
        """Whether it is a group of statements that share words rather than a sub-skill."""
        return self.subskill is None

    @property
    def mostly_uncertain(self) -> bool:
        """Whether more than half of its statements have a label triage was unsure of."""
        return 2 * self.uncertain > len(self.statement_ids)

    def caveats(self) -> tuple[str, ...]:
        """What a reader should know before trusting it, in words (empty: nothing)."""
        said = []
        if self.grouped_by_words:
            said.append("grouped by shared words: these statements fit no sub-skill")
        if self.mostly_uncertain:
            said.append(
                f"rests mostly on uncertain labels ({self.uncertain} of "
                f"{len(self.statement_ids)} statements): check them with debrief feedback review"
            )
        if 2 * self.close_calls > len(self.statement_ids):
            said.append(
                f"the sub-skill was a close call for {self.close_calls} of "
                f"{len(self.statement_ids)} statements"
            )
        return tuple(said)


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

    @property
    def mostly_uncertain(self) -> bool:
        """Whether more than half of its statements have a label triage was unsure of."""
        return 2 * self.uncertain > len(self.evidence)

    def statements_of(self, sub: SubTheme) -> tuple[Evidence, ...]:
        """The statements behind one of its sub-themes, most recent first."""
        members = set(sub.statement_ids)
        return tuple(e for e in self.evidence if e.statement_id in members)


def build_themes(
    facts: Facts,
    kind: ThemeKind,
    *,
    as_of: date | None = None,
    settings: ThemeSettings | None = None,
    placed: Placements,
) -> tuple[Theme, ...]:
    """The themes of one kind, ranked: themes before signals, then by score; equal scores by
    more interviews, then the more recently raised, then by name (never by file order).
    Recency decays from `as_of` (default: today). `placed` holds each statement's sub-skill
    in each of its areas (`place`)."""
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
        _theme(kind, skill, area_name(skill), found, facts.rounds, as_of, settings, placed)
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
    placed: Placements,
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
    evidence = tuple(
        _evidence(m, weights[m.statement_id], placed.get((m.statement_id, skill)))
        for m in newest_first
    )
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
        subthemes=subthemes(evidence, skill),
        evidence=evidence,
        uncertain=sum(1 for m in mentions if m.uncertain),
    )
    return theme, score


def _evidence(mention: StatementFact, weight: float, placed: Assignment | None) -> Evidence:
    fields = {f.name: getattr(mention, f.name) for f in dataclasses.fields(mention)}
    return Evidence(
        **fields,
        weight=round(weight, 4),
        subskill=placed.subskill if placed else None,
        subskill_confidence=round(placed.confidence, 4) if placed else 0.0,
        subskill_elsewhere=placed.elsewhere if placed else None,
    )


def place(mentions: Sequence[StatementFact]) -> dict[tuple[int, str], Assignment]:
    """The sub-skill of every constructive or strength statement in each of its skill areas,
    keyed by (statement id, area): one pass of the sub-skill model over their distinct texts."""
    keys = [
        (m.statement_id, skill, m.text)
        for m in mentions
        if m.label in KIND_LABEL.values()
        for skill in m.skills
    ]
    placed = assign([text for _, _, text in keys], [skill for _, skill, _ in keys])
    return {(sid, skill): where for (sid, skill, _), where in zip(keys, placed, strict=True)}


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


# A statement the sub-skill model placed with less confidence than this is a close call.
CLOSE_CALL = 0.5


def subthemes(evidence: Sequence[Evidence], area: str = "") -> tuple[SubTheme, ...]:
    """What a theme's statements (most recent first) break down into: each sub-skill raised on
    two or more distinct occasions, then groups of statements that fit no sub-skill of any area
    but share words (two or more statements from two or more occasions, named by words other
    than the area's own name). Sub-skills come first, each kind ordered by occasions,
    statements, then name."""
    by_subskill: dict[str, list[Evidence]] = {}
    loose: list[Evidence] = []
    for item in evidence:
        if item.subskill is not None:
            by_subskill.setdefault(item.subskill, []).append(item)
        elif item.subskill_elsewhere is None:
            loose.append(item)
    own_words = {stem(word) for word in tokens(area_name(area) if area else "")}
    named = [
        _subtheme(load_subskills().get(subskill).name, subskill, (), members)
        for subskill, members in by_subskill.items()
        if len({m.occasion for m in members}) >= 2
    ]
    grouped = []
    if len(loose) >= 2:
        for cluster in cluster_texts([m.text for m in loose]):
            members = [loose[i] for i in cluster.members]
            terms = tuple(
                term for term in cluster.terms if not {stem(w) for w in tokens(term)} <= own_words
            )
            if len(members) >= 2 and len({m.occasion for m in members}) >= 2 and terms:
                grouped.append(_subtheme(" / ".join(terms), None, terms, members))

    def order(sub: SubTheme) -> tuple[int, int, str]:
        return (-sub.occasions, -len(sub.statement_ids), sub.name)

    return tuple(sorted(named, key=order) + sorted(grouped, key=order))


def _subtheme(
    name: str, subskill: str | None, terms: tuple[str, ...], members: Sequence[Evidence]
) -> SubTheme:
    return SubTheme(
        name=name,
        subskill=subskill,
        terms=terms,
        statement_ids=tuple(m.statement_id for m in members),
        occasions=len({m.occasion for m in members}),
        last_seen=max(m.day for m in members),
        uncertain=sum(1 for m in members if m.uncertain),
        close_calls=sum(1 for m in members if subskill and m.subskill_confidence < CLOSE_CALL),
    )
