"""Sub-skills: the curated parts of each skill area, and the model that says which one a statement
is about.

The list is data (`data/subskills.toml`): each sub-skill has an id ("experimentation.peeking"),
the name a candidate would use ("peeking and sequential testing"), what it covers, and cue words.
The model is a multinomial logistic regression over the sub-skills and "none", trained at build
time from the statements in `data/subskill_corpus/` (`python -m debrief.themes.train`) and read
here with NumPy, like the triage model: it reads a statement's words, word pairs, pieces of words
and the cue words of every sub-skill, so a wording never seen in training still lands where its
words point. A statement gets, within one skill area, the area's most probable sub-skill when
that probability beats "none" and reaches `AREA_FLOOR`, else none (noting the other area's
sub-skill it is about, if the model names one); the probability is its confidence.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

from debrief.errors import DebriefError
from debrief.taxonomy import load_taxonomy
from debrief.triage.features import char_grams, stem, tokens
from debrief.triage.linear import FeatureView, logits

MODEL_FILE = "subskills.npz"
NONE = "none"
# Within an area, a sub-skill less probable than this is no placement: the statement is most
# likely about another area's sub-skill ("could not set it up for a 2% lift on a 10% baseline",
# filed under machine learning, is sample size at 65% and model choice at 18%). On the labelled
# set's development part, told the right area, it costs half a point of accuracy (0.976 to
# 0.970); told a wrong area, it places about 1% of statements instead of 1.5%. Statements a
# person typed in a trial were placed at 9-18% before it.
AREA_FLOOR = 0.2


class SubSkillError(DebriefError):
    """The sub-skill list does not follow its schema (a packaging mistake, caught by tests)."""


@dataclass(frozen=True, slots=True)
class SubSkill:
    """A narrower skill within a skill area, named as a candidate would say it."""

    id: str
    area: str
    name: str
    about: str
    cues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SubSkills:
    """The versioned list of sub-skills."""

    version: int
    all: tuple[SubSkill, ...]

    def get(self, subskill_id: str) -> SubSkill:
        """The sub-skill with this id (KeyError if there is none)."""
        return _by_id(self)[subskill_id]

    def of_area(self, area: str) -> tuple[SubSkill, ...]:
        """The sub-skills of one skill area, in the file's order."""
        return tuple(s for s in self.all if s.area == area)


@cache
def _by_id(subskills: SubSkills) -> dict[str, SubSkill]:
    return {s.id: s for s in subskills.all}


@cache
def load_subskills() -> SubSkills:
    """Read and check the list shipped with the package."""
    text = resources.files("debrief.themes.data").joinpath("subskills.toml").read_text("utf-8")
    return parse_subskills(tomllib.loads(text))


def parse_subskills(raw: dict[str, Any]) -> SubSkills:
    """Build the list from its TOML, refusing anything off-schema: an id must be an area of
    the taxonomy, a dot and a name ("experimentation.peeking"), used once."""
    areas = {area.id for area in load_taxonomy().areas}
    found: list[SubSkill] = []
    try:
        for entry in raw["subskill"]:
            subskill = SubSkill(
                id=str(entry["id"]),
                area=str(entry["id"]).partition(".")[0],
                name=str(entry["name"]),
                about=str(entry["about"]),
                cues=tuple(str(c).lower() for c in entry["cues"]),
            )
            found.append(subskill)
        version = int(raw["version"])
    except (KeyError, TypeError, ValueError) as error:
        raise SubSkillError(f"the sub-skill list is malformed: {error!r}") from None
    ids = [s.id for s in found]
    for subskill in found:
        if subskill.area not in areas or not subskill.id.partition(".")[2]:
            raise SubSkillError(f"sub-skill {subskill.id!r} names an unknown area")
        if ids.count(subskill.id) > 1 or subskill.id == NONE:
            raise SubSkillError(f"sub-skill id {subskill.id!r} is used twice or reserved")
        if not subskill.name.strip() or not subskill.cues:
            raise SubSkillError(f"sub-skill {subskill.id!r} needs a name and cues")
    return SubSkills(version, tuple(found))


# --- Cue words as features -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CueIndex:
    words: dict[str, tuple[str, ...]]  # word → sub-skill ids
    prefixes: dict[str, tuple[str, ...]]  # start of a word ("peek*") → sub-skill ids
    phrases: dict[str, tuple[tuple[tuple[str, ...], str], ...]]  # first word → (words, id)
    longest_prefix: int


@cache
def _cue_index() -> _CueIndex:
    words: dict[str, list[str]] = {}
    prefixes: dict[str, list[str]] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for subskill in load_subskills().all:
        for cue in subskill.cues:
            parts = tuple(tokens(cue.rstrip("*")))
            if not parts:
                continue
            if len(parts) > 1:
                phrases.setdefault(parts[0], []).append((parts, subskill.id))
            elif cue.endswith("*"):
                prefixes.setdefault(parts[0], []).append(subskill.id)
            else:
                words.setdefault(parts[0], []).append(subskill.id)
                words.setdefault(stem(parts[0]), []).append(subskill.id)
    return _CueIndex(
        words={k: tuple(dict.fromkeys(v)) for k, v in words.items()},
        prefixes={k: tuple(v) for k, v in prefixes.items()},
        phrases={k: tuple(v) for k, v in phrases.items()},
        longest_prefix=max((len(p) for p in prefixes), default=0),
    )


def cue_features(words: Sequence[str]) -> list[str]:
    """One feature per sub-skill cue a token list uses ("sub:experimentation.peeking")."""
    index = _cue_index()
    found: list[str] = []
    for i, word in enumerate(words):
        found.extend(_word_cues(word))
        for phrase, subskill_id in index.phrases.get(word, ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                found.append(f"sub:{subskill_id}")
    return found


@lru_cache(maxsize=65_536)
def _word_cues(word: str) -> tuple[str, ...]:
    """The cue features of one word, as a word, through its stem, or by how it starts (cached:
    words repeat far more than they vary)."""
    index = _cue_index()
    ids = list(index.words.get(word, ()))
    if word not in index.words:
        ids.extend(index.words.get(stem(word), ()))
    for size in range(3, min(len(word), index.longest_prefix) + 1):
        ids.extend(index.prefixes.get(word[:size], ()))
    return tuple(f"sub:{subskill_id}" for subskill_id in dict.fromkeys(ids))


def subskill_features(text: str) -> list[str]:
    """What the sub-skill model reads: words, word pairs, pieces of words (character 5-grams)
    and the sub-skills' cue words. Not the triage cue groups: whether a statement praises or
    finds fault says nothing about which sub-skill it is about."""
    words = tokens(text)
    return (
        words + [f"{a} {b}" for a, b in pairwise(words)] + char_grams(words) + cue_features(words)
    )


# --- The model -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assignment:
    """The sub-skill a statement is about within one skill area (None: none of them), and how
    sure the model is (the probability of that sub-skill; of the best one when none).
    `elsewhere` is the sub-skill of another area it is most about, when that is what the
    model says over every area ("ask what the goal is before choosing metrics", filed under
    product sense, is about clarifying questions in problem solving)."""

    subskill: str | None
    confidence: float
    elsewhere: str | None = None


class SubSkillModel:
    """The trained model: a vocabulary with IDF weights, and one column of weights per class
    (every sub-skill, then "none")."""

    def __init__(self, arrays: dict[str, Any]) -> None:
        import numpy as np

        self._np = np
        self.view = FeatureView(arrays["vocabulary"], arrays["idf"])
        self.classes = [str(c) for c in arrays["classes"]]
        self.coef = arrays["coef"].astype(np.float32)
        self.bias = arrays["bias"]
        self.threshold = float(arrays["threshold"])
        self.temperature = float(arrays["temperature"])
        self.list_version = int(arrays["list_version"])
        self._column = {name: i for i, name in enumerate(self.classes)}

    @classmethod
    def from_file(cls, path: Any) -> SubSkillModel:
        """Load a model written by the training script."""
        import numpy as np

        with np.load(path, allow_pickle=False) as data:
            return cls({name: data[name] for name in data.files})

    def probabilities(self, texts: Sequence[str]) -> Any:
        """One row of class probabilities per text (columns in `classes` order)."""
        np = self._np
        rows = self.view.rows([subskill_features(t) for t in texts], np)
        scores = logits(self.coef, self.bias, rows, len(texts), np) / self.temperature
        scores -= scores.max(axis=1, keepdims=True)
        probabilities = np.exp(scores)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        return probabilities

    def best(self, row: Any) -> Assignment:
        """The most probable class over every area: a sub-skill if it reaches the threshold."""
        column = int(row.argmax())
        name = self.classes[column]
        confidence = float(row[column])
        if name == NONE or confidence < self.threshold:
            return Assignment(None, confidence)
        return Assignment(name, confidence)

    def within(self, row: Any, area: str) -> Assignment:
        """The area's most probable sub-skill, if it reaches `AREA_FLOOR` (and the model's own
        threshold) and beats "none"."""
        columns = _area_columns(self, area)
        if columns:
            column = max(columns, key=lambda c: (row[c], -c))
            confidence = float(row[column])
            floor = max(self.threshold, AREA_FLOOR)
            if confidence >= floor and confidence >= row[self._column[NONE]]:
                return Assignment(self.classes[column], confidence)
        else:  # an area with no sub-skills ("other")
            confidence = 0.0
        overall = self.best(row).subskill
        elsewhere = overall if overall and not overall.startswith(area + ".") else None
        return Assignment(None, confidence, elsewhere)


@cache
def _area_columns(model: SubSkillModel, area: str) -> tuple[int, ...]:
    prefix = area + "."
    return tuple(i for i, name in enumerate(model.classes) if name.startswith(prefix))


@cache
def default_model() -> SubSkillModel:
    """The model shipped with the package."""
    resource = resources.files("debrief.themes.data").joinpath(MODEL_FILE)
    with resources.as_file(resource) as path:
        return SubSkillModel.from_file(path)


def assign(texts: Sequence[str], areas: Sequence[str]) -> list[Assignment]:
    """The sub-skill of each text within its skill area (`areas[i]` for `texts[i]`); the model
    reads each distinct text once."""
    if not texts:
        return []
    model = default_model()
    distinct = list(dict.fromkeys(texts))
    rows = model.probabilities(distinct)
    row_of = {text: rows[i] for i, text in enumerate(distinct)}
    return [model.within(row_of[text], area) for text, area in zip(texts, areas, strict=True)]


# --- Labelled statements ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Labelled:
    """A statement with the sub-skill a person gave it ("none" when it fits none)."""

    text: str
    subskill: str
    area: str


def read_labelled(text: str) -> list[Labelled]:
    """Labelled statements from JSON lines ({"text", "subskill", "area"}), checked against the
    list: an unknown id is a mistake in the data, not a new class."""
    known = {s.id for s in load_subskills().all} | {NONE}
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        raw = json.loads(line)
        if raw["subskill"] not in known:
            raise SubSkillError(f"line {number}: unknown sub-skill {raw['subskill']!r}")
        found.append(Labelled(str(raw["text"]), str(raw["subskill"]), str(raw["area"])))
    return found


@dataclass(frozen=True, slots=True)
class Accuracy:
    """How often the model names the sub-skill a person gave (a statement of "none" is right
    when the model names none)."""

    statements: int
    correct: int
    within_area: int  # right when told the statement's skill area, as themes are
    by_subskill: dict[str, tuple[int, int]]  # id → (correct, statements)

    @property
    def rate(self) -> float:
        """The share right over every sub-skill, not told the area."""
        return self.correct / self.statements if self.statements else 0.0

    @property
    def area_rate(self) -> float:
        """The share right when told the statement's skill area."""
        return self.within_area / self.statements if self.statements else 0.0


def measure(examples: Sequence[Labelled], model: SubSkillModel | None = None) -> Accuracy:
    """The model's accuracy on labelled statements."""
    model = model or default_model()
    rows = model.probabilities([e.text for e in examples]) if examples else []
    correct = within_area = 0
    by_subskill: dict[str, list[int]] = {}
    for example, row in zip(examples, rows, strict=True):
        said = model.best(row).subskill or NONE
        in_area = model.within(row, example.area).subskill or NONE
        correct += said == example.subskill
        within_area += in_area == example.subskill
        tally = by_subskill.setdefault(example.subskill, [0, 0])
        tally[0] += said == example.subskill
        tally[1] += 1
    return Accuracy(
        statements=len(examples),
        correct=correct,
        within_area=within_area,
        by_subskill={k: (v[0], v[1]) for k, v in sorted(by_subskill.items())},
    )
