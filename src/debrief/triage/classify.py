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
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from debrief.triage.backend import Backend, ModelVerdict
from debrief.triage.features import STOPWORDS, cue_matches, describe, is_advice, stem, tokens
from debrief.triage.rules import match_rule
from debrief.triage.segment import LEADING_CONTRAST, Segment, segment

if TYPE_CHECKING:
    from debrief.triage.linear import LinearModel

LABELS = ("constructive", "strength", "circumstance", "noise")
SKILLED = frozenset({"constructive", "strength"})
RULE_CONFIDENCE = 0.97  # rules are written for unambiguous cues; see docs/triage.md
SPLIT_CONFIDENCE = 0.5  # a mixed sentence is split only when each part's label is this sure
SPLIT_LABELS = frozenset(LABELS)


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

    @property
    def uncertain(self) -> bool:
        """Whether the label needs a person's look (the model gave it, and was not sure)."""
        from debrief.model import is_uncertain

        return is_uncertain(self.origin, self.confidence)


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
        self.temperature = self.model.settings.get("temperature", 1.0)

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
            words = tokens(text)
            if not words:
                verdicts.append(_unreadable())
                continue
            # The label is decided on the model's own probabilities (the thresholds were chosen
            # on them); the confidence reported is the calibrated one.
            label = decide_label(
                scored.label_probabilities, self.constructive_weight, is_advice(text)
            )
            probabilities = calibrated(scored.label_probabilities, self.temperature)
            skills = choose_skills(scored.skill_probabilities, self.skill_threshold)
            matches = cue_matches(words)
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


def _unreadable() -> ModelVerdict:
    """A statement with no word the model reads (another script, symbols): noise, but as
    uncertain as four labels can be, so that a person looks at it."""
    return ModelVerdict(
        label="noise",
        confidence=0.25,
        skills=(),
        label_probabilities=dict.fromkeys(LABELS, 0.25),
        explanation="no word triage can read (another language or script?)",
    )


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


def calibrated(probabilities: dict[str, float], temperature: float) -> dict[str, float]:
    """Label probabilities after temperature scaling (p ** (1 / T), renormalised)."""
    if temperature == 1.0:
        return probabilities
    scaled = {k: max(v, 1e-12) ** (1.0 / temperature) for k, v in probabilities.items()}
    total = sum(scaled.values())
    return {k: v / total for k, v in scaled.items()}


def decide_label(
    probabilities: dict[str, float], constructive_weight: float, advice: bool = False
) -> str:
    """The most probable label, except that 'constructive' must beat the likelier of
    'circumstance' and 'noise' by a margin (`constructive_weight`, below 1): telling someone to
    work on noise is the worst mistake triage can make, so a statement is called constructive
    only when the model is clearly surer of it than of "nothing to act on". Between
    constructive and strength the model's own odds decide: weighing constructive down there
    would turn criticism into praise ("I rambled on the first question" read as a strength).
    Advice ("Talk through your reasoning...") is exempt: nothing to act on is almost never
    phrased as an instruction."""
    best = max(LABELS, key=lambda label: probabilities.get(label, 0.0))
    if best != "constructive" or advice:
        return best
    rival = max(probabilities.get("circumstance", 0.0), probabilities.get("noise", 0.0))
    if probabilities["constructive"] * constructive_weight >= rival:
        return best
    return max(LABELS[1:], key=lambda label: probabilities.get(label, 0.0))


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


PRAISED = "<praise>"
FAULTED = "<gap>"
_POLARITY = frozenset({PRAISED, FAULTED})


def _content_words(text: str) -> frozenset[str]:
    """Stemmed content words, plus markers for negation and for the statement's polarity (its
    cue words praise, or find fault, not both): "was not clean" must never pass for a
    paraphrase of "was clean", nor "were shaky" for one of "were excellent"."""
    words = _WORD.findall(text.lower().replace("’", "'"))
    content = {stem(w) for w in words if w not in STOPWORDS and w not in _NEGATIONS}
    if any(w in _NEGATIONS or w.endswith("n't") for w in words):
        content.add(NEGATED)
    kinds = {feature for feature, _ in cue_matches(tokens(text))}
    praise, fault = "cue:praise" in kinds, bool(kinds & {"cue:gap", "cue:faults"})
    if praise != fault:
        content.add(PRAISED if praise else FAULTED)
    return frozenset(content)


def resemblance(a: str, b: str) -> float:
    """How alike two statements are: cosine of their content-word sets (0 to 1); a negated
    statement and an affirmative one, or praise and fault-finding, are not alike at all."""
    return _cosine(_content_words(a), _content_words(b))


def _cosine(left: frozenset[str], right: frozenset[str]) -> float:
    if not left or not right or (NEGATED in left) != (NEGATED in right):
        return 0.0
    if len((left | right) & _POLARITY) > 1:
        return 0.0  # one praises, the other finds fault
    left, right = left - _POLARITY, right - _POLARITY
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
        self,
        texts: Sequence[str],
        hints: Sequence[str | None] | None = None,
        source: str | None = None,
    ) -> list[Triage]:
        """Triage each text as one statement (no segmentation); `source` says who wrote it."""
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
            rule = match_rule(text, source)
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

    def triage_text(self, text: str, source: str | None = None) -> list[Triage]:
        """Segment `text` and triage every statement, splitting mixed sentences.

        A sentence is split at its contrastive joins ("but", "though", a semicolon) when the
        parts get different labels and the model is sure of each; failing that, at its commas
        when the parts are praise and criticism ("Solid modelling, shaky on experiment
        design"). `source` says who wrote the text ("self" for the candidate's own notes).
        """
        [triaged] = self.triage_texts([text], source)
        return triaged

    def triage_texts(self, texts: Sequence[str], source: str | None = None) -> list[list[Triage]]:
        """`triage_text` for many texts at once (the model reads them in a few batches, which
        is much faster than one text at a time); one list of statements per text."""
        segments: list[Segment] = []
        owners: list[int] = []
        for owner, text in enumerate(texts):
            found = segment(text)
            segments += found
            owners += [owner] * len(found)
        wholes = self.classify([s.text for s in segments], [s.hint for s in segments], source)
        joins = self._split(segments, [tuple(s.parts) for s in segments], source, SPLIT_LABELS)
        commas = self._split(
            segments,
            [s.clauses if i not in joins else (s.text,) for i, s in enumerate(segments)],
            source,
            SKILLED,
        )
        triaged: list[list[Triage]] = [[] for _ in texts]
        for i, whole in enumerate(wholes):
            pieces = joins.get(i) or commas.get(i)
            if pieces is None:
                triaged[owners[i]].append(whole)
            else:
                merged = self._merge_alike(segments[i], pieces, source)
                triaged[owners[i]].extend(_name_the_contrast(segments[i].text, merged))
        return triaged

    def _split(
        self,
        segments: list[Segment],
        parts: list[tuple[str, ...]],
        source: str | None,
        allowed: frozenset[str],
    ) -> dict[int, tuple[list[Triage], tuple[str, ...]]]:
        """The segments worth splitting into `parts`: the parts disagree, each is sure, and
        every part's label is one of `allowed`."""
        split_at = [i for i, p in enumerate(parts) if len(p) > 1]
        flat = [p for i in split_at for p in parts[i]]
        hints = [segments[i].hint for i in split_at for _ in parts[i]]
        # A part is read as the sentence it would be on its own ("weak stats." as "Weak
        # stats."): its lower-case start is the cut's doing, not a note-taker's style.
        read = self.classify([_as_sentence(p) for p in flat], hints, source)
        results = iter(replace(t, text=p) for t, p in zip(read, flat, strict=True))
        kept: dict[int, tuple[list[Triage], tuple[str, ...]]] = {}
        for i in split_at:
            pieces = [next(results) for _ in parts[i]]
            if (
                len({p.label for p in pieces}) > 1
                and all(p.confidence >= SPLIT_CONFIDENCE for p in pieces)
                and all(p.label in allowed for p in pieces)
            ):
                kept[i] = (pieces, parts[i])
        return kept

    def _merge_alike(
        self,
        seg: Segment,
        split: tuple[list[Triage], tuple[str, ...]],
        source: str | None,
    ) -> list[Triage]:
        """Adjacent parts with the same label stay one statement (re-triaged as a whole)."""
        pieces, parts = split
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
            first, last = parts[group[0]], parts[group[-1]]
            start = seg.text.find(first)
            end = seg.text.find(last, start) + len(last)
            merged.extend(self.classify([seg.text[start:end]], [seg.hint], source))
        return merged


_JOIN_NAMES = {";": "a semicolon", ",": "a comma", "-": "a dash", "–": "a dash", "—": "a dash"}


def _name_the_contrast(sentence: str, pieces: list[Triage]) -> list[Triage]:
    """Say, in each part of a split sentence, where it was split and what the parts are:
    "contrast at 'but': praise of sql, a gap in experimentation; strength (98%): ..."."""
    if len(pieces) < 2:
        return pieces
    cues: list[str] = []
    leading = LEADING_CONTRAST.match(pieces[0].text)
    if leading:
        cues.append(f"'{leading.group(1).lower()}'")
    end = 0
    for before, after in pairwise(pieces):
        stop = sentence.find(before.text, end)
        stop = stop + len(before.text) if stop >= 0 else end
        start = sentence.find(after.text, stop)
        between = sentence[stop:start].strip() if start >= 0 else ""
        end = max(start, stop)
        words = " ".join(_WORD.findall(between.lower()))
        cue = f"'{words}'" if words else _JOIN_NAMES.get(between.strip()[:1], "")
        if cue and cue not in cues and (words or not leading):
            cues.append(cue)
    where = f"contrast at {' and '.join(cues)}" if cues else "a mixed sentence"
    summary = ", ".join(_part_summary(piece) for piece in pieces)
    return [replace(p, explanation=f"{where}: {summary}; {p.explanation}") for p in pieces]


def _part_summary(piece: Triage) -> str:
    areas = " and ".join(area.replace("_", " ") for area in piece.skills if area != "other")
    if piece.label == "strength":
        return f"praise of {areas}" if areas else "praise"
    if piece.label == "constructive":
        return f"a gap in {areas}" if areas else "a gap"
    return "a circumstance" if piece.label == "circumstance" else "noise"


_CONCESSIVE = re.compile(
    r"^\s*(even though|although|though|whereas|while|but|however|yet)\b,?\s*(?=\S)", re.IGNORECASE
)


def _as_sentence(part: str) -> str:
    """A part of a split sentence as the sentence it would be on its own: without the contrast
    word that joined it ("Although your SQL was clean" reads as "Your SQL was clean")."""
    part = _CONCESSIVE.sub("", part, count=1)
    return part[:1].upper() + part[1:]


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
