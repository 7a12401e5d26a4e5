"""Questions as word vectors: how alike two questions' words are, and which bank questions a
question is nearest to.

A question's words are folded, put through a list of synonyms and abbreviations data people use
("DAU", "WoW", "p-val": `data/synonyms.toml`), lightly stemmed and weighed by how rare they are
among the bank's questions (TF-IDF): "checkout" says more than "design". Words every question
has ("tell me about a time", "how would you") weigh nothing.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from debrief.bank import BankQuestion, load_bank
from debrief.model import folded
from debrief.triage.features import stem

# Words that carry no subject: how a question is put, not what it is about.
_EMPTY = frozenset(
    """a an the and or of to in on for with at by from as is are was were be been being it its
    this that these those there their they them he she his her we our us you your yours i me my
    mine do does did done doing have has had how what why when where which who whom would could
    should can will shall may might must tell explain describe walk through talk give example
    time times asked ask me about if then than so not no yes one some any all each into over
    under out up down off just also very more most much many let lets say said get got go going
    like okay ok well think thought know knew want wanted please interviewer question questions
    q # s t""".split()  # noqa: SIM905 (a word list reads best as words)
)


_WORD = re.compile(r"[a-z0-9_]+(?:['/+\-.&][a-z0-9_]+)*")


@cache
def _synonyms() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every phrase of `data/synonyms.toml`, longest first, and the word each
    stands for."""
    text = resources.files("debrief.prep.data").joinpath("synonyms.toml").read_text("utf-8")
    meaning: dict[str, str] = {}
    for group in tomllib.loads(text)["groups"]:
        word = "_".join(group[0].split())
        for phrase in group:
            meaning.setdefault(" ".join(phrase.split()), word)
    phrases = sorted(meaning, key=len, reverse=True)
    pattern = r"(?<![a-z0-9])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![a-z0-9])"
    return re.compile(pattern), meaning


def normalised(text: str) -> str:
    """A question's text folded, with each phrase of the synonym list put as the one word it
    stands for."""
    pattern, meaning = _synonyms()
    plain = " ".join(folded(text).replace("’", "'").split())
    plain = re.sub(r"'(?:s|re|ve|ll|d|m)\b|n't\b", "", plain)
    return pattern.sub(lambda m: f" {meaning[m.group(0)]} ", plain)


def words_of(text: str) -> list[str]:
    """The stemmed content words of a text (numbers kept: "10%" and "14 days" say a lot)."""
    return [stem(w) for w in _WORD.findall(normalised(text)) if w not in _EMPTY and len(w) > 1]


@dataclass(frozen=True, slots=True)
class Vectors:
    """Inverse document frequencies learnt from the bank's questions."""

    idf: dict[str, float]
    unseen: float

    def vector(self, text: str) -> dict[str, float]:
        counts = Counter(words_of(text))
        weights = {w: (1 + math.log(n)) * self.idf.get(w, self.unseen) for w, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        return {w: v / norm for w, v in weights.items()}


@cache
def vectors() -> Vectors:
    bank = load_bank().questions
    seen: Counter[str] = Counter()
    for question in bank:
        seen.update(set(words_of(question.text)))
    total = len(bank) + 1
    idf = {w: math.log(total / (n + 1)) + 1 for w, n in seen.items()}
    return Vectors(idf, math.log(total) + 1)


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def similarity(a: str, b: str) -> float:
    """How alike two questions are in what they ask about, from 0 to 1."""
    return cosine(vectors().vector(a), vectors().vector(b))


@dataclass(frozen=True, slots=True)
class Near:
    """A bank question and how alike it is."""

    question: BankQuestion
    score: float


@dataclass(frozen=True, slots=True)
class _BankIndex:
    """The bank's vectors by word: for each word, (question index, weight) in the question's
    own vector and in the vector of its text with what its strong answer covers."""

    questions: tuple[BankQuestion, ...]
    own: dict[str, tuple[tuple[int, float], ...]]
    full: dict[str, tuple[tuple[int, float], ...]]


@cache
def _bank_index() -> _BankIndex:
    made = vectors()
    questions = load_bank().questions
    own: dict[str, list[tuple[int, float]]] = {}
    full: dict[str, list[tuple[int, float]]] = {}
    for i, q in enumerate(questions):
        for word, weight in made.vector(q.text).items():
            own.setdefault(word, []).append((i, weight))
        for word, weight in made.vector(q.text + " " + " ".join(q.covers)).items():
            full.setdefault(word, []).append((i, weight))
    return _BankIndex(
        questions,
        {w: tuple(v) for w, v in own.items()},
        {w: tuple(v) for w, v in full.items()},
    )


def nearest(text: str, count: int = 5, *, with_answers: bool = False) -> list[Near]:
    """The bank questions most alike `text`, best first; `with_answers` compares with what
    their strong answers cover too (for what a question is about, not whether it is the
    same question)."""
    index = _bank_index()
    postings = index.full if with_answers else index.own
    scores: dict[int, float] = {}
    for word, weight in vectors().vector(text).items():
        for i, theirs in postings.get(word, ()):
            scores[i] = scores.get(i, 0.0) + weight * theirs
    best = sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))[:count]
    return [Near(index.questions[i], score) for i, score in best if score > 0]
