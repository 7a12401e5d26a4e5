"""Turning a statement into the features the linear model reads: shared by training and run time.

The same function feeds scikit-learn at build time and the NumPy scorer at run time, so the two
can never disagree about what a feature is. Three kinds of feature:
- words and word pairs ("lacked depth");
- cue groups from `data/cues.toml` ("cue:praise", "cue:gap", "cue:personal", ...) and the skill
  areas' own cues in the taxonomy ("cue:area:sql"), so a praise word or a technical term never
  seen in training still counts;
- the statement's shape: how it starts, whether it asks, note-style lower case, its length.
The skill-area models also read character n-grams inside words ("c:windo"), which help name a
technical topic from a word never seen whole; for the label they did not help (docs/triage.md).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise

from debrief.taxonomy import load_taxonomy

_TOKEN = re.compile(r"[a-z0-9]+(?:['/+\-.&][a-z0-9]+)*\+?")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?\+?$")
NEGATION_REACH = 3
NEGATION_REACH_JUDGING = 9
_JUDGING = frozenset(["call", "say", "describe", "consider", "rate", "find", "rank", "label"])


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; numbers become '#', so '8+ years' and '10 years' agree."""
    found = _TOKEN.findall(text.lower().replace("’", "'"))
    return ["#" if _NUMBER.match(token) else token for token in found]


def stem(word: str) -> str:
    """A light stem (-ing, -ed, -es, -s), so "metric" and "metrics" count as one word."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) >= len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True, slots=True)
class CueBook:
    """The cue groups, indexed for matching."""

    words: dict[str, tuple[str, ...]]  # exact word → groups
    stems: dict[str, tuple[str, ...]]  # stem → groups
    phrases: dict[str, list[tuple[tuple[str, ...], str]]]  # first word → (words, group)
    negations: frozenset[str]
    negation_phrases: dict[str, tuple[tuple[str, ...], ...]]  # last word → the phrases
    advice: frozenset[str]
    longest_stem: int


@cache
def cue_book() -> CueBook:
    """The cue groups shipped with the package."""
    raw = tomllib.loads(
        resources.files("debrief.triage.data").joinpath("cues.toml").read_text("utf-8")
    )["groups"]
    words: dict[str, list[str]] = {}
    stems: dict[str, list[str]] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    groups = {name: entries for name, entries in raw.items() if name not in ("negations", "advice")}
    groups.update({f"area:{area.id}": list(area.cues) for area in load_taxonomy().areas})
    for group, entries in groups.items():
        for entry in entries:
            parts = tuple(tokens(entry.rstrip("*")))
            if len(parts) > 1:
                phrases.setdefault(parts[0], []).append((parts, group))
            elif entry.endswith("*"):
                stems.setdefault(parts[0], []).append(group)
            elif parts:
                words.setdefault(parts[0], []).append(group)
    negation_phrases: dict[str, list[tuple[str, ...]]] = {}
    for entry in raw["negations"]:
        parts = tuple(tokens(entry))
        if len(parts) > 1:
            negation_phrases.setdefault(parts[-1], []).append(parts)
    return CueBook(
        words={k: tuple(v) for k, v in words.items()},
        stems={k: tuple(v) for k, v in stems.items()},
        phrases=phrases,
        negations=frozenset(e for e in raw["negations"] if " " not in e),
        negation_phrases={k: tuple(v) for k, v in negation_phrases.items()},
        advice=frozenset(raw["advice"]),
        longest_stem=max((len(s) for s in stems), default=0),
    )


@lru_cache(maxsize=65_536)
def _word_groups(word: str) -> tuple[str, ...]:
    """The cue groups a single word belongs to, as a word or through a stem (cached: words
    repeat far more than they vary)."""
    book = cue_book()
    groups = list(book.words.get(word, ()))
    for size in range(3, min(len(word), book.longest_stem) + 1):
        groups.extend(book.stems.get(word[:size], ()))
    if not groups and _UNDONE.match(word):
        groups.append("gap")  # "untested", "unlabelled", "unvalidated": something left undone
    return tuple(groups)


# Work left undone: "untested", "unlabelled", "unvalidated" ("unprompted" and "unparalleled"
# praise, "unrelated" says nothing, so the list names what may be left undone).
_UNDONE = re.compile(
    r"^un(tested|labell?ed|validated|documented|checked|handled|explained|justified|structured|"
    r"defined|specified|answered|quantified|optimi[sz]ed|addressed|considered|supported|sized|"
    r"finished|prepared|polished|cleaned|commented|tuned|scoped|verified|focused|organi[sz]ed|"
    r"motivated|tried|examined|explored|challenged|stated|named|powered|normali[sz]ed|scaled|"
    r"resolved|fixed|formatted|titled|sorted|filtered|deduplicated|indexed|versioned)$"
)
_NEGATIVE = ("gap", "faults")
# Negations that forbid rather than deny: "don't miss edge cases" and "you shouldn't make careless
# errors" find fault, they do not praise.
_FORBIDDING = frozenset(["don't", "shouldn't", "mustn't", "cannot", "can't", "won't"])
_FORBIDDING_BEFORE_NOT = frozenset(["do", "should", "must", "try", "careful", "sure"])
_NEGATED_GAPS = frozenset(["lack", "lacked", "lacking", "without"])
# Gap cues that give advice rather than find fault: "not a strategy: you need to..." is no praise.
_ADVISING = frozenset(
    ["should", "need", "needs", "needed", "next", "could", "would", "make", "try"]
)


def _negates(book: CueBook, words: list[str], i: int) -> bool:
    """Whether the word at `i` ends a negation ("not", "didn't", "far from", "anything but")."""
    word = words[i]
    if word in book.negations or word.endswith("n't"):
        return True
    return any(
        tuple(words[max(0, i - len(p) + 1) : i + 1]) == p
        for p in book.negation_phrases.get(word, ())
    )


def _advising(book: CueBook, matched: str) -> bool:
    first = matched.split(maxsplit=1)[0]
    return first in _ADVISING or first in book.advice


def cue_matches(words: list[str]) -> list[tuple[str, str]]:
    """(cue feature, the words that matched it) for every cue in a token list.

    Within a few words after a negation a praise cue reads as a gap ("far from convincing"),
    and a gap or fault cue as praise ("no complaints", "couldn't fault"): the negation's own
    gap cue ("didn't") is then withdrawn, since the two negatives make one piece of praise.
    """
    book = cue_book()
    found: list[tuple[str, str]] = []
    negated_until = -1
    negator_cue: int | None = None  # where the negation's own gap cue sits in `found`
    forbidding = False  # the negation in reach forbids ("don't", "should not")
    last_negation = -2
    for i, word in enumerate(words):
        matches: list[tuple[str, str]] = [(group, word) for group in _word_groups(word)]
        for phrase, group in book.phrases.get(word, ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                matches.append((group, " ".join(phrase)))
        negates = _negates(book, words, i)
        # "no lack of rigour", "not without": a negation that is itself a gap word, negated
        # right after another ("didn't ask and never checked" is two faults, not praise).
        double = negates and word in _NEGATED_GAPS and i == last_negation + 1 and not forbidding
        own_gap: int | None = None
        for group, matched in matches:
            flipped = group
            if i <= negated_until and (not negates or double):
                if group == "praise" and not negates:
                    flipped = "gap"
                elif group in _NEGATIVE and not forbidding and not _advising(book, matched):
                    flipped = "praise"
                    if negator_cue is not None:
                        found[negator_cue] = ("", "")
                        negator_cue = None
            if negates and flipped == "gap" and matched == word:
                own_gap = len(found)
            found.append((f"cue:{flipped}", matched))
        if negates:
            last_negation = i
        if double:
            negated_until = -1  # the two negatives cancel: what follows is plainly read
            negator_cue = None
        elif negates:
            # "I wouldn't call your write-up strong": a verb of judgement carries the negation
            # to the end of what it judges.
            judging = i + 1 < len(words) and words[i + 1] in _JUDGING
            negated_until = i + (NEGATION_REACH_JUDGING if judging else NEGATION_REACH)
            negator_cue = own_gap
            forbidding = word in _FORBIDDING or (
                word == "not" and i > 0 and words[i - 1] in _FORBIDDING_BEFORE_NOT
            )
    return [match for match in found if match[0]]


def cues(words: list[str]) -> list[str]:
    """The cue groups present in a token list, one feature per occurrence."""
    return [feature for feature, _ in cue_matches(words)]


_CUE_NAMES = {
    "praise": "praise word",
    "gap": "gap wording",
    "faults": "fault-finding word",
    "personal": "personal remark",
    "courtesy": "courtesy wording",
    "process": "hiring-process word",
    "verdict": "verdict wording",
}
_MARKS = {
    "question": "asked as a question",
    "exclamation": "an exclamation",
    "arrow": "note-style arrow",
    "colon": None,
}


# Words too common to mean anything on their own: not quoted in explanations, not counted when
# comparing statements for near-paraphrases.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "he",
        "she",
        "they",
        "them",
        "their",
        "his",
        "her",
        "there",
        "here",
        "so",
        "very",
        "really",
        "just",
        "also",
        "too",
        "than",
        "then",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "how",
        "do",
        "does",
        "did",
        "done",
        "have",
        "has",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "not",
        "no",
    ]
)


def describe(feature: str, text: str, matches: list[tuple[str, str]] | None = None) -> str | None:
    """A feature in words a person can check against the statement (None: not worth saying).

    `matches` are the statement's `cue_matches`, when the caller already has them.
    """
    kind, _, rest = feature.partition(":")
    if kind == "c":
        return None  # a piece of a word says nothing a person could check
    if " " not in feature and kind in ("shape", "has", "start", "cue"):
        if kind == "shape":
            return None
        if kind == "has":
            return _MARKS.get(rest)
        if kind == "start":
            return f"starts with '{rest}'"
        if matches is None:
            matches = cue_matches(tokens(text))
        matched = [m for f, m in matches if f == feature]
        quoted = f"'{matched[0]}'" if matched else ""
        if rest.startswith("area:"):
            return quoted or None
        return f"{_CUE_NAMES.get(rest, rest)} {quoted}".strip()
    if kind == "start":  # a two-word start, "start:next time"
        return f"starts with '{rest}'"
    if all(word in STOPWORDS or word == "#" for word in feature.split()):
        return None
    return f"'{feature}'"


def is_advice(text: str) -> bool:
    """Whether a statement is phrased as an instruction ("Practise...", "Talk through...")."""
    words = tokens(text)
    return bool(words) and words[0] in cue_book().advice


def shape(text: str, words: list[str]) -> list[str]:
    """How the statement is put: its first words ("start:practise"), a question, an arrow,
    note-style lower case, its length. Advice, questions and notes have shapes of their own."""
    found = []
    if words:
        found.append(f"start:{words[0]}")
        if words[0] in cue_book().advice:
            found.append("shape:advice")
    if len(words) > 1:
        found.append(f"start:{words[0]} {words[1]}")
    for mark, name in (("?", "question"), ("!", "exclamation"), ("→", "arrow"), ("->", "arrow"),
                       (":", "colon")):  # fmt: skip
        if mark in text:
            found.append(f"has:{name}")
    stripped = text.strip()
    if stripped[:1].islower():
        found.append("shape:lower-start")
    if not stripped.endswith((".", "!", "?")):
        found.append("shape:no-full-stop")
    size = len(words)
    found.append("shape:short" if size < 6 else "shape:medium" if size < 15 else "shape:long")
    return found


def features(text: str) -> list[str]:
    """Every feature of a statement: words, word pairs, cue groups and its shape."""
    return both_views(text)[0]


def char_grams(words: list[str], sizes: tuple[int, ...] = (5,)) -> list[str]:
    """Character n-grams of each word, padded with a space at its edges."""
    grams: list[str] = []
    for word in words:
        if word == "#":
            continue
        padded = f" {word} "
        for size in sizes:
            grams.extend(f"c:{padded[i : i + size]}" for i in range(len(padded) - size + 1))
    return grams


def skill_features(text: str) -> list[str]:
    """What the skill-area models read: the statement's features and its character n-grams."""
    return both_views(text)[1]


def both_views(text: str) -> tuple[list[str], list[str]]:
    """The label model's features and the skill models' features, computed once."""
    words = tokens(text)
    base = words + [f"{a} {b}" for a, b in pairwise(words)] + cues(words) + shape(text, words)
    return base, base + char_grams(words)
