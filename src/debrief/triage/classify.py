"""Triage: every statement gets a label, skill areas, a confidence and an explanation.

The pipeline, in order of authority:
1. the user's own labels: a statement that is a near-paraphrase of one the user labelled gets
   the user's label (`Remembered`);
2. the rule layer (`rules.toml`) for unambiguous cues;
3. the model (the default linear model, or the optional semantic backend), with a section
   heading such as "What went well:" deciding between strength and constructive.
`triage_text` adds segmentation: a sentence is split at a contrastive join only when its parts
carry different labels.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from debrief.triage.backend import Backend, ModelVerdict
from debrief.triage.features import STOPWORDS, cue_matches, describe, is_advice, stem, tokens
from debrief.triage.rules import match_rule
from debrief.triage.segment import Segment, segment

if TYPE_CHECKING:
    from debrief.triage.linear import LinearModel

LABELS = ("constructive", "strength", "circumstance", "noise")
SKILLED = frozenset({"constructive", "strength"})
RULE_CONFIDENCE = 0.97  # rules are written for unambiguous cues; see docs/triage.md
SPLIT_CONFIDENCE = 0.5  # a mixed sentence is split only when each part's label is this sure


@dataclass(frozen=True, slots=True)
class Triage:
    """The verdict on one statement. `origin` says what decided it: user, learned, rule, heading
    or model."""

    text: str
    label: str
    skills: tuple[str, ...]
    confidence: float
    explanation: str
    origin: str


@dataclass(frozen=True, slots=True)
class Remembered:
    """A statement the user labelled by hand; near-paraphrases of it get the same label."""

    statement_id: int
    text: str
    label: str
    skills: tuple[str, ...]


class LinearBackend:
    """The default backend: the shipped linear model (NumPy only at run time)."""

    name = "linear"

    @staticmethod
    def why_unavailable() -> str | None:
        """Why it cannot run here (its model file is missing from this build), or None."""
        from importlib import resources

        from debrief.triage.linear import MODEL_FILE

        if not resources.files("debrief.triage.data").joinpath(MODEL_FILE).is_file():
            return f"this build has no {MODEL_FILE}; train it with python -m debrief.triage.train"
        return None

    def __init__(self, model: LinearModel | None = None) -> None:
        from debrief.triage.linear import default_model

        self.model = model or default_model()
        self.version = f"{self.name}-{self.model.version}"
        self.constructive_weight = self.model.settings.get("constructive_weight", 1.0)
        self.skill_threshold = self.model.settings.get("skill_threshold", 0.5)

    def guess_skills(self, texts: list[str]) -> list[tuple[str, ...]]:
        """The skill areas of each text, whatever its label (for a label the user sets)."""
        scores = self.model.score(texts, self.embed(texts)) if texts else []
        return [choose_skills(s.skill_probabilities, self.skill_threshold) for s in scores]

    def embed(self, texts: list[str]) -> Any:
        """Sentence embeddings for the model, if it reads any (the linear one does not)."""
        return None

    def predict(self, texts: list[str]) -> list[ModelVerdict]:
        verdicts = []
        scores = self.model.score(texts, self.embed(texts)) if texts else []
        for text, scored in zip(texts, scores, strict=True):
            probabilities = scored.label_probabilities
            label = decide_label(probabilities, self.constructive_weight, is_advice(text))
            skills = choose_skills(scored.skill_probabilities, self.skill_threshold)
            matches = cue_matches(tokens(text))
            said = _described(self.model.label_cues(scored, label, top=6), text, 2, matches)
            explanation = " + ".join(said) or "no single telling word"
            if label in SKILLED:
                for skill in skills:
                    cue = _described(self.model.skill_cues(scored, skill, top=4), text, 1, matches)
                    explanation += f"; {skill}" + (f": {cue[0]}" if cue else "")
            verdicts.append(
                ModelVerdict(
                    label=label,
                    confidence=probabilities[label],
                    skills=skills if label in SKILLED else (),
                    label_probabilities=probabilities,
                    explanation=explanation,
                )
            )
        return verdicts


def _described(
    features: list[str], text: str, most: int, matches: list[tuple[str, str]]
) -> list[str]:
    """The first `most` features worth putting into words, without repeating one."""
    said: list[str] = []
    quoted: set[str] = set()
    for feature in features:
        words = describe(feature, text, matches)
        # "praise word 'clear'" and "'clear'" say the same thing once.
        quote = words.rsplit("'", 2)[-2] if words and words.count("'") >= 2 else words
        if words and quote not in quoted:
            said.append(words)
            quoted.add(quote or words)
        if len(said) == most:
            break
    return said


def decide_label(
    probabilities: dict[str, float], constructive_weight: float, advice: bool = False
) -> str:
    """The most probable label, with 'constructive' weighed down by `constructive_weight`
    (below 1): telling someone to work on noise is the worst mistake triage can make, so a
    statement is called constructive only when the model is clearly surer of it than of the
    alternatives. Advice ("Talk through your reasoning...") is exempt: strengths are almost
    never phrased as an instruction."""
    weighed = dict(probabilities)
    if not advice:
        weighed["constructive"] *= constructive_weight
    return max(LABELS, key=lambda label: weighed.get(label, 0.0))


def choose_skills(
    probabilities: dict[str, float], threshold: float, most: int = 2
) -> tuple[str, ...]:
    """Skill areas above the threshold (at most `most`), or the single likeliest one."""
    ranked = sorted(probabilities, key=lambda skill: -probabilities[skill])
    chosen = [skill for skill in ranked[:most] if probabilities[skill] >= threshold]
    return tuple(chosen or ranked[:1])


# -- memory of the user's labels ---------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9][a-z0-9'/+-]*")
NEAR_PARAPHRASE = 0.75


_NEGATIONS = frozenset({"not", "no", "never", "nothing", "without", "hardly", "barely"})
NEGATED = "<not>"


def _content_words(text: str) -> frozenset[str]:
    """Stemmed content words, plus a marker when the statement is negated: "was not clean"
    must never pass for a paraphrase of "was clean"."""
    words = _WORD.findall(text.lower().replace("’", "'"))
    content = {stem(w) for w in words if w not in STOPWORDS and w not in _NEGATIONS}
    if any(w in _NEGATIONS or w.endswith("n't") for w in words):
        content.add(NEGATED)
    return frozenset(content)


def resemblance(a: str, b: str) -> float:
    """How alike two statements are: cosine of their content-word sets (0 to 1); a negated
    statement and an affirmative one are not alike at all."""
    return _cosine(_content_words(a), _content_words(b))


def _cosine(left: frozenset[str], right: frozenset[str]) -> float:
    if not left or not right or (NEGATED in left) != (NEGATED in right):
        return 0.0
    shared = len(left & right) - (NEGATED in left)
    if shared < 2:
        return 0.0
    return float(len(left & right) / (len(left) * len(right)) ** 0.5)


class Triager:
    """Classifies statements and whole texts with a backend, the rules and the user's labels."""

    def __init__(self, backend: Backend | None = None, memory: Sequence[Remembered] = ()) -> None:
        if backend is None:
            from debrief.triage.registry import get_backend

            backend = get_backend()
        self.backend = backend
        self.memory = tuple(memory)
        self._memory_words = [(item, _content_words(item.text)) for item in self.memory]

    @property
    def version(self) -> str:
        """Which backend (and model version) produced the verdicts."""
        return self.backend.version

    def recall(self, text: str) -> tuple[Remembered, float] | None:
        """The user-labelled statement `text` paraphrases most closely, if close enough."""
        best: tuple[Remembered, float] | None = None
        words = _content_words(text)
        for item, remembered in self._memory_words:
            alike = _cosine(words, remembered)
            if alike >= NEAR_PARAPHRASE and (best is None or alike > best[1]):
                best = (item, alike)
        return best

    def classify(
        self, texts: Sequence[str], hints: Sequence[str | None] | None = None
    ) -> list[Triage]:
        """Triage each text as one statement (no segmentation)."""
        texts = list(texts)
        hints = list(hints) if hints is not None else [None] * len(texts)
        results: list[Triage | None] = [None] * len(texts)
        pending: list[int] = []
        for i, text in enumerate(texts):
            remembered = self.recall(text) if self.memory else None
            if remembered is not None:
                item, alike = remembered
                results[i] = Triage(
                    text,
                    item.label,
                    item.skills,
                    round(alike, 2),
                    f"{item.label}: like statement #{item.statement_id}, which you labelled "
                    f"{item.label} ({alike:.0%} alike)",
                    "learned",
                )
                continue
            rule = match_rule(text)
            if rule is not None:
                results[i] = Triage(
                    text,
                    rule.rule.label,
                    (),
                    RULE_CONFIDENCE,
                    f"{rule.rule.label}: {rule.rule.explain} ('{rule.matched}')",
                    "rule",
                )
                continue
            pending.append(i)
        verdicts = self.backend.predict([texts[i] for i in pending])
        for i, verdict in zip(pending, verdicts, strict=True):
            results[i] = _with_hint(texts[i], verdict, hints[i])
        return [r for r in results if r is not None]

    def triage_text(self, text: str) -> list[Triage]:
        """Segment `text` and triage every statement, splitting mixed sentences."""
        segments = segment(text)
        wholes = self.classify([s.text for s in segments], [s.hint for s in segments])
        split_at = [i for i, s in enumerate(segments) if len(s.parts) > 1]
        parts = [p for i in split_at for p in segments[i].parts]
        part_hints = [segments[i].hint for i in split_at for _ in segments[i].parts]
        part_results = iter(self.classify(parts, part_hints))
        by_segment = {i: [next(part_results) for _ in segments[i].parts] for i in split_at}
        triaged: list[Triage] = []
        for i, whole in enumerate(wholes):
            pieces = by_segment.get(i)
            # Split only when the parts disagree, and the model is sure of each part.
            if (
                pieces is None
                or len({p.label for p in pieces}) == 1
                or any(p.confidence < SPLIT_CONFIDENCE for p in pieces)
            ):
                triaged.append(whole)
            else:
                triaged.extend(self._merge_alike(segments[i], pieces))
        return triaged

    def _merge_alike(self, seg: Segment, pieces: list[Triage]) -> list[Triage]:
        """Adjacent parts with the same label stay one statement (re-triaged as a whole)."""
        groups: list[list[int]] = []
        for index, piece in enumerate(pieces):
            if groups and pieces[groups[-1][-1]].label == piece.label:
                groups[-1].append(index)
            else:
                groups.append([index])
        merged: list[Triage] = []
        for group in groups:
            if len(group) == 1:
                merged.append(pieces[group[0]])
                continue
            first, last = seg.parts[group[0]], seg.parts[group[-1]]
            start = seg.text.find(first)
            end = seg.text.find(last, start) + len(last)
            merged.extend(self.classify([seg.text[start:end]], [seg.hint]))
        return merged


def _with_hint(text: str, verdict: ModelVerdict, hint: str | None) -> Triage:
    """Apply a section heading: under "What went well:" a skilled statement is a strength."""
    label = verdict.label
    origin = "model"
    explanation = f"{label} ({verdict.confidence:.0%}): {verdict.explanation}"
    heading_wins = (
        hint is not None
        and hint != label
        and (label in SKILLED or verdict.label_probabilities.get(hint, 0.0) >= 0.2)
    )
    if heading_wins and hint is not None:
        label, origin = hint, "heading"
        section = "what went well" if hint == "strength" else "what to work on"
        explanation = f"{label}: listed under a heading for {section}; {verdict.explanation}"
    skills = verdict.skills if label in SKILLED else ()
    if label in SKILLED and not skills:
        skills = ("other",)
    confidence = verdict.label_probabilities.get(label, verdict.confidence)
    return Triage(text, label, skills, round(confidence, 3), explanation, origin)
