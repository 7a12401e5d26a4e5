"""Groups of statements that fit no curated sub-skill, by the words they share.

Most statements of a theme land in a sub-skill (`subskills.py`); the rest may still say the
same thing as each other, in words no sub-skill covers. The groups come from the statements:
each is a set of content words and word pairs weighted by how rare they are in feedback at large
(document frequencies over the triage training corpus, shipped in the package, plus the
statements being grouped), and statements are merged bottom-up by average cosine similarity
until no two groups are alike enough (agglomerative clustering, average linkage). A group is
named by the terms that most of its statements share and the rest of the theme does not use.

Standard library only: SciPy's hierarchy module would do the merging, but importing it costs a
fifth of a second or more here, and the nearest-neighbour chain that SciPy itself uses for
average linkage is a few lines.
Deterministic: ties go to the lowest index, and identical inputs give identical groups.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any

from debrief.triage.features import STOPWORDS, stem, tokens

# Two groups merge while their statements' average similarity is at least this (cosine of
# IDF-weighted term sets). Chosen by reading the groups it made on the demo journal, when all
# of a theme's statements were grouped this way.
MERGE_SIMILARITY = 0.2
# Statements beyond this many (the most recent are kept) are not merged, only assigned to the
# group they are most like: the cost of merging grows with the cube of the count.
MAX_CLUSTERED = 300


@dataclass(frozen=True, slots=True)
class Cluster:
    """A group of statements: their indexes in the input, and the terms that name it."""

    members: tuple[int, ...]
    terms: tuple[str, ...]


def statement_terms(text: str) -> dict[str, str]:
    """The terms of a statement (stemmed content words, and pairs of content words written next
    to each other), each mapped to the words it was written with, for naming."""
    terms: dict[str, str] = {}
    for chunk in _CLAUSE_BREAK.split(text):
        words = tokens(chunk)
        kept = [_content(w) for w in words]
        for word, keep in zip(words, kept, strict=True):
            if keep:
                terms.setdefault(stem(word), word)
        for (a, b), (keep_a, keep_b) in zip(pairwise(words), pairwise(kept), strict=False):
            if keep_a and keep_b and stem(a) != stem(b):
                terms.setdefault(f"{stem(a)} {stem(b)}", f"{a} {b}")
    return terms


_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]\"“”]|\s[-–—]\s")


@cache
def generic_words() -> frozenset[str]:
    """Words that only say a statement is feedback (`data/generic_words.txt`)."""
    text = resources.files("debrief.themes.data").joinpath("generic_words.txt").read_text("utf-8")
    lines = (line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return frozenset(word for line in lines for word in line.split())


def _content(word: str) -> bool:
    return (
        word not in STOPWORDS
        and word not in generic_words()
        and len(word) > 1
        and word != "#"
        and word.isascii()
    )


BACKGROUND_FILE = "background.json"


@cache
def background() -> tuple[int, dict[str, int]]:
    """How common each term is in interview feedback at large: the number of statements in the
    triage training corpus, and the document frequency of every term two or more of them use.
    Computed at build time (`make model`, `python -m debrief.themes`) into
    `data/background.json`; a test keeps it current."""
    raw = json.loads(
        resources.files("debrief.themes.data").joinpath(BACKGROUND_FILE).read_text("utf-8")
    )
    return int(raw["documents"]), dict(raw["terms"])


def count_background() -> dict[str, Any]:
    """Document frequencies over the training corpus (never the test split), as stored."""
    corpus = resources.files("debrief.triage.data").joinpath("corpus")
    frequencies: Counter[str] = Counter()
    documents = 0
    for name in ("train.jsonl", "hard_cases.jsonl"):
        for line in corpus.joinpath(name).read_text("utf-8").splitlines():
            if line.strip():
                documents += 1
                frequencies.update(statement_terms(json.loads(line)["text"]).keys())
    terms = {term: n for term, n in sorted(frequencies.items()) if n >= 2}
    return {"documents": documents, "terms": terms}


def cluster_texts(
    texts: Sequence[str],
    *,
    similarity: float = MERGE_SIMILARITY,
    max_clustered: int = MAX_CLUSTERED,
) -> list[Cluster]:
    """Group `texts` by what they talk about; every index lands in exactly one group.

    Texts past `max_clustered` (the input is taken to be most important first) join the group
    they are most like on average, or stay alone. Groups come back largest first.
    """
    if not texts:
        return []
    term_sets = [statement_terms(t) for t in texts]
    # Identical term sets start as one group, weighted by how many statements share them.
    distinct: dict[frozenset[str], list[int]] = {}
    for index, terms in enumerate(term_sets):
        distinct.setdefault(frozenset(terms), []).append(index)
    keys = list(distinct)
    idf = _idf(term_sets)
    # Only terms that two different statements use can bring statements together; the rest
    # would only push apart statements that say the same thing in other words.
    shared = Counter(t for k in keys for t in k)
    vectors = [_unit({t: idf[t] for t in key if shared[t] >= 2}) for key in keys]

    head = [i for i, k in enumerate(keys) if distinct[k][0] < max_clustered]
    tail = [i for i, k in enumerate(keys) if distinct[k][0] >= max_clustered]
    groups = _merge([vectors[i] for i in head], [len(distinct[keys[i]]) for i in head], similarity)
    members = [[head[g] for g in group] for group in groups]
    for key_index in tail:
        vector = vectors[key_index]
        scores = [
            sum(len(distinct[keys[i]]) * _dot(vector, vectors[i]) for i in group)
            / sum(len(distinct[keys[i]]) for i in group)
            for group in members[: len(groups)]
        ]
        best = max(range(len(scores)), key=lambda g: (scores[g], -g), default=None)
        if best is not None and scores[best] >= similarity:
            members[best].append(key_index)
        else:
            members.append([key_index])
    clusters = []
    for group in members:
        indexes = sorted(i for key_index in group for i in distinct[keys[key_index]])
        clusters.append(Cluster(tuple(indexes), name_terms(indexes, term_sets, idf)))
    return sorted(clusters, key=lambda c: (-len(c.members), c.members[0]))


def _idf(term_sets: list[dict[str, str]]) -> dict[str, float]:
    documents, frequencies = background()
    local: Counter[str] = Counter(t for terms in term_sets for t in terms)
    total = documents + len(term_sets)
    return {
        term: math.log((1 + total) / (1 + frequencies.get(term, 0) + count)) + 1.0
        for term, count in local.items()
    }


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


def _dot(left: dict[str, float], right: dict[str, float]) -> float:
    if len(left) > len(right):
        left, right = right, left
    return sum(w * right.get(t, 0.0) for t, w in left.items())


def _merge(vectors: list[dict[str, float]], sizes: list[int], threshold: float) -> list[list[int]]:
    """Average-linkage agglomerative clustering of unit vectors, cut where groups are less alike
    than `threshold`. Returns groups of indexes, each sorted, in order of their first index.

    The nearest-neighbour chain builds the whole hierarchy in O(n²); average linkage never
    merges two groups more alike than an earlier merge of either, so the merges at or above
    the threshold are exactly the groups of the cut.
    """
    count = len(vectors)
    similarity = [[_dot(vectors[i], vectors[j]) for j in range(count)] for i in range(count)]
    weight = [float(s) for s in sizes]
    active = list(range(count))
    merges: list[tuple[int, int, float]] = []
    chain: list[int] = []
    while len(active) > 1:
        if not chain:
            chain.append(active[0])
        tip = chain[-1]
        row = similarity[tip]
        best, best_value = (chain[-2], row[chain[-2]]) if len(chain) > 1 else (-1, -math.inf)
        for other in active:
            if other != tip and row[other] > best_value:
                best, best_value = other, row[other]
        if len(chain) > 1 and best == chain[-2]:
            chain.pop()
            chain.pop()
            keep, gone = min(tip, best), max(tip, best)
            merges.append((keep, gone, best_value))
            total = weight[keep] + weight[gone]
            for other in active:
                if other not in (keep, gone):
                    # Lance–Williams for average linkage: the mean similarity to the union.
                    value = (
                        weight[keep] * similarity[keep][other]
                        + weight[gone] * similarity[gone][other]
                    ) / total
                    similarity[keep][other] = similarity[other][keep] = value
            weight[keep] = total
            active.remove(gone)
        else:
            chain.append(best)
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for keep, gone, value in merges:
        if value >= threshold:
            parent[root(gone)] = root(keep)
    groups: dict[int, list[int]] = {}
    for i in range(count):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def name_terms(
    members: Sequence[int], term_sets: list[dict[str, str]], idf: dict[str, float], most: int = 2
) -> tuple[str, ...]:
    """The terms that best tell a group apart: used by many of its statements, rare in the
    rest of the theme and in feedback at large. Word pairs beat the words they contain."""
    # Counted over distinct wordings, so a statement repeated word for word names nothing.
    distinct_in = {frozenset(term_sets[i]) for i in members}
    distinct_out = {
        frozenset(terms) for i, terms in enumerate(term_sets) if i not in set(members)
    } - distinct_in
    inside = Counter(t for key in distinct_in for t in key)
    outside = Counter(t for key in distinct_out for t in key)
    size = len(distinct_in)
    others = max(1, len(distinct_out))

    def value(term: str) -> float:
        share_in = inside[term] / size
        share_out = outside[term] / others
        return share_in * share_in * idf[term] * (1.0 - 0.8 * share_out)

    # A term must be shared by two wordings of the group to name it (unless it has only one).
    floor = 1 if size == 1 else 2
    candidates = sorted((t for t, n in inside.items() if n >= floor), key=lambda t: (-value(t), t))
    chosen: list[str] = []
    for term in candidates:
        parts = term.split(" ")
        if any(set(parts) & set(c.split(" ")) for c in chosen):
            continue  # a word already said, alone or in a pair
        if len(parts) == 2 and inside[term] * 1.25 < max(inside[p] for p in parts):
            continue  # the pair is rarer than its words: the words name the group better
        chosen.append(term)
        if len(chosen) == most:
            break
    surfaces: dict[str, Counter[str]] = {}
    for i in members:
        for term, surface in term_sets[i].items():
            surfaces.setdefault(term, Counter())[surface] += 1
    return tuple(surfaces[t].most_common(1)[0][0] for t in chosen)
