"""The same question asked again, in another round or by another interviewer.

Two questions are the same when what they say and what they are about agree: the cosine of
their word vectors (`similar`) and the cosine of their sub-skill scores (`infer`: what the
sub-skill model and the bank's nearest questions say they test), weighed `WORDS` to
`1 - WORDS`, reach `SAME_AT`. Words alone join questions on one product that ask different
things ("define churn for the app" and "which features predict churn in the app"); the topic
keeps most of them apart. Groups of the same question are formed transitively (single
linkage), each question compared only with those that share a word with it, so grouping stays
near linear on a journal of thousands of questions.

Both numbers were chosen on the development pairs (tests/data/same_questions_dev*.jsonl);
docs/questions.md has the figures on the test pairs, which were never used to choose them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache

from debrief.prep.infer import subskill_scores
from debrief.prep.similar import cosine, vectors

WORDS = 0.6
SAME_AT = 0.55
BLOCKING_WORDS = 4


def _unit(scores: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in scores.values())) or 1.0
    return {k: v / norm for k, v in scores.items()}


def same_scores(pairs: Sequence[tuple[str, str]]) -> list[float]:
    """How much each pair of questions looks like one question, from 0 to 1."""
    texts = list(dict.fromkeys(text for pair in pairs for text in pair))
    topics = dict(zip(texts, (_unit(s) for s in subskill_scores(texts)), strict=True))
    made = vectors()
    return [
        WORDS * cosine(made.vector(a), made.vector(b)) + (1 - WORDS) * cosine(topics[a], topics[b])
        for a, b in pairs
    ]


def same_groups(texts: Sequence[str]) -> list[int]:
    """For each text, the index of the first text of its group of the same question."""
    return list(_grouped(tuple(texts)))


@lru_cache(maxsize=4)
def _grouped(texts: tuple[str, ...]) -> tuple[int, ...]:
    """`same_groups` for one journal's questions as they stand (pages ask again and again)."""
    made = vectors()
    words = [made.vector(text) for text in texts]
    topics = [_unit(s) for s in subskill_scores(list(texts))]
    parent = list(range(len(texts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Questions are compared only when they share one of their weightiest words: the same
    # question keeps what it is about. Below LEAST_WORDS their words alone could not reach
    # SAME_AT however alike their topics, so the topics are not compared.
    least = (SAME_AT - (1 - WORDS)) / WORDS
    holders: dict[str, list[int]] = defaultdict(list)
    for i, vector in enumerate(words):
        keys = sorted(vector, key=lambda w: -vector[w])[:BLOCKING_WORDS]
        for j in {j for word in keys for j in holders[word]}:
            a, b = root(i), root(j)
            if a == b:
                continue
            lexical = cosine(vector, words[j])
            if lexical < least:
                continue
            if WORDS * lexical + (1 - WORDS) * cosine(topics[i], topics[j]) >= SAME_AT:
                parent[max(a, b)] = min(a, b)
        for word in keys:
            holders[word].append(i)
    return tuple(root(i) for i in range(len(texts)))
