"""What a question is, guessed from its words, and questions read from pasted notes.

A question's kind comes from how it is put ("tell me about a time" is behavioural, "write a
query" coding, "how would you measure" a case). Its sub-skill (and so its skill area) comes
from two readers that agree more often than either is right alone: the sub-skill model that
places feedback statements (`themes.subskills`), and the practice bank's nearest questions,
compared with what their strong answers cover. Neither is sure of a question that says little:
then no sub-skill is guessed, and the user may give one. A behavioural question's competency
comes from its cue words (`data/competencies.toml`), else from its nearest bank question.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from debrief.bank import competency_of
from debrief.model import MAX_FEEDBACK, QuestionKind, clean_text
from debrief.prep.similar import nearest
from debrief.taxonomy import subskill_areas

# How much each reader counts, and the score a sub-skill needs to be guessed: chosen on the
# bank itself, each question placed by the rest of it (docs/questions.md has the figures).
MODEL_WEIGHT = 1.0
BANK_WEIGHT = 1.0
GUESS_AT = 0.3
NEIGHBOURS = 5

_BEHAVIORAL = re.compile(
    r"\b(tell (me|us) about|talk (me |us )?(through|about) a time|describe (a|the) (time"
    r"|situation|mistake|failure|conflict|disagreement|challenge|setback|project you)"
    r"|(a|the) (mistake|failure|conflict) (you|u)\b"
    r"|give (me |us )?an example of|time (when|you|u)\b|have you ever|walk (me|us) "
    r"through a (time|situation)|why (do|would) (you|u) want|why (this|our|us\b|here)|why are you"
    r"|greatest (weakness|strength)|where do (you|u) see (yourself|urself)|proudest|how do (you|u)"
    r" (handle|deal with) (conflict|stress|pressure|critici[sz]m|feedback|disagreements?"
    r"|difficult|ambiguity|failure|setbacks?)|what motivates|walk (me|us) through (a|your) project"
    r"|most (impactful|proud)|(you've|you have|you) (done|led|built|shipped)\b|why leave"
    r"|(your|ur) (part|role) in|(your|ur) (last|previous|current)"
    r" (project|role|job|team)|impact of (your|ur)|(your|ur) (biggest|hardest|best|worst)"
    r"|what makes you want|career goal|why (did|do) (you|u) (leave|apply|choose))",
    re.IGNORECASE,
)
_CODING = re.compile(
    r"(^\s*(sql|pandas|python|numpy|coding)\s*[:\-]|^\s*code\b|\b(write (a |an |the |some )?"
    r"(sql|query|queries|function|script|code|program|class|python|pandas"
    r"|quick (python|sql|script|sim))|query (for|to|that)"
    r"|implement|code (up|it|this)|in (sql|python|pandas|numpy)|live (cod|debug)|leetcode"
    r"|two[- ]sum|sql (question|query|round)|select [^;\n]{0,200} from|using (pandas|numpy|lag"
    r"|lead|row_number|rank|dense_rank|a window)|with pandas|dataframe|\bdf\b|groupby"
    r"|for[- ]loop|iterrows|vectori[sz]e|refactor|find the bug|unit tests?|(from|given) (a|the|an)"
    r" [a-z_ /]{0,40}tables?\b|tables? [a-z_]+\())",
    re.IGNORECASE,
)
_CASE = re.compile(
    r"\b(how would (you|u) (measure|design|evaluate|decide|improve|launch|test|investigate"
    r"|approach|know|set up|build|assess|prioriti[sz]e|increase|reduce|grow|figure out|estimate"
    r"|size)|what (metrics?|would (you|u) (measure|track|build|do|ask|tell))|what should"
    r"|primary metric|north star|guardrails?|counter[- ]metric|launch call|(do|should) we"
    r" (ship|launch|roll)|should (we|they|the company)|estimate (the|how|[a-z ]{0,30}per)"
    r"|how many [^.?\n]{0,80} (are there|in|per)|market|(dropped|fell|went down|rose|spiked"
    r"|went up|increased|decreased|declined|jumped)\b|what could explain|what do (you|u) tell"
    r"|segments? of|journey|what features would|design (an? |the )?(experiment|test|metric"
    r"|system|model|study)|walk (me|us) through how|case\b|what would (you|u) improve|threat)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Guess:
    """What a question seems to be; None where its words do not say."""

    kind: QuestionKind
    skill: str | None
    subskill: str | None
    competency: str | None
    confidence: float  # of the sub-skill


def kind_of(text: str) -> QuestionKind:
    """How a question is put."""
    if _BEHAVIORAL.search(text):
        return QuestionKind.BEHAVIORAL
    if _CODING.search(text):
        return QuestionKind.CODING
    if _CASE.search(text):
        return QuestionKind.CASE
    return QuestionKind.TECHNICAL


def subskill_scores(texts: Sequence[str]) -> list[dict[str, float]]:
    """For each text, each sub-skill's score from the two readers together."""
    from debrief.themes.subskills import NONE, default_model

    if not texts:
        return []
    model = default_model()
    rows = model.probabilities(list(texts))
    found = []
    for text, row in zip(texts, rows, strict=True):
        scores: dict[str, float] = defaultdict(float)
        for column, name in enumerate(model.classes):
            if name != NONE:
                scores[name] += MODEL_WEIGHT * float(row[column])
        near = nearest(text, NEIGHBOURS, with_answers=True)
        total = sum(n.score for n in near) or 1.0
        for n in near:
            scores[n.question.subskill] += (
                BANK_WEIGHT * n.score / total * min(1.0, near[0].score * 2)
            )
        found.append(dict(scores))
    return found


# A question that names its tool is about that tool's area ("pandas: reshape ..." is coding,
# whatever the reshaping reminds the readers of).
_TOOLS = ((re.compile(r"\b(pandas|numpy|dataframes?)\b", re.IGNORECASE), "coding"),)


def _named_area(text: str) -> str | None:
    named = [area for pattern, area in _TOOLS if pattern.search(text)]
    return named[0] if len(named) == 1 else None


def guess(texts: Sequence[str]) -> list[Guess]:
    """What each question seems to be."""
    made = []
    for text, read in zip(texts, subskill_scores(texts), strict=True):
        kind = kind_of(text)
        area = _named_area(text)
        scores = read
        if area is not None and any(s.startswith(area + ".") for s in read):
            scores = {s: v for s, v in read.items() if s.startswith(area + ".")}
        best = max(scores, key=lambda s: scores[s], default=None)
        confidence = scores.get(best, 0.0) / (MODEL_WEIGHT + BANK_WEIGHT) if best else 0.0
        subskill = best if best and confidence >= GUESS_AT / (MODEL_WEIGHT + BANK_WEIGHT) else None
        competency = None
        if kind is QuestionKind.BEHAVIORAL:
            competency = competency_of(text)
            if competency is None:
                near = [n for n in nearest(text, 40, with_answers=True) if n.question.competency]
                competency = near[0].question.competency if near else None
        made.append(
            Guess(
                kind=kind,
                skill=subskill_areas()[subskill] if subskill else area,
                subskill=subskill,
                competency=competency,
                confidence=round(confidence, 3),
            )
        )
    return made


def with_guesses(questions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Questions (as given to the journal) with what was not given filled in by `guess`: a
    field the user gave is kept, even when the guess differs."""
    texts = [str(q.get("text") or "") for q in questions]
    filled = []
    for question, made in zip(questions, guess(texts), strict=True):
        given = dict(question)
        if not given.get("kind"):
            given["kind"] = made.kind.value
        if not given.get("skill") and not given.get("subskill") and made.subskill:
            given["subskill"] = made.subskill
        if not given.get("competency") and given["kind"] == "behavioral" and made.competency:
            given["competency"] = made.competency
        filled.append(given)
    return filled


# --- Pasted notes ----------------------------------------------------------------------------

# Every pattern here reads one line of untrusted notes (up to 100,000 characters): no two
# stretches of spaces can take the same spaces, so none of them backtracks more than linearly.
_MARKED = re.compile(
    r"^[ \t]*q(?:uestion)?[ \t]*(?:\d{1,3}[ \t]*)?(?:[:.)]|-(?=[ \t]))[ \t]*(?P<text>\S.*)$", re.I
)
_NUMBERED = re.compile(r"^[ \t]*\d{1,3}[.)][ \t]+(?P<text>\S.*)$")
_BULLET = re.compile(r"^[ \t]*(?:[-*•·–]|\d{1,3}[.)])[ \t]+(?P<text>\S.*)$")
_ANSWER = re.compile(
    r"^[ \t]*(?:a(?:nswer)?[ \t]*(?:[:.)]|-(?=[ \t]))|->|=>|notes?[ \t]*:)[ \t]*(?P<text>.*)$", re.I
)
_RATING = re.compile(
    r"(?<![\d/.])(?P<score>[1-5])[ \t]*/[ \t]*5(?![\d/.])"
    r"|\brating(?:[ \t]*[:=])?[ \t]*(?P<bare>[1-5])\b",
    re.I,
)
_EMPTY_BRACKETS = re.compile(r"[(\[][ \t]*[)\]]")
_STORY = re.compile(r"^[ \t]*(?:story|told)[ \t]*:[ \t]*(?P<title>\S.*)$", re.I)
_ROUND_WIDE = re.compile(r"^[ \t]*(?:overall|in total|the round|round)\b", re.I)
RATING_WORDS = 3  # a note line with a rating and at most this many other words rates the answer
_OPENERS = re.compile(
    r"^(how|what|why|when|which|who|where|walk|tell|describe|explain|design|estimate|write"
    r"|implement|given|suppose|imagine|if|can you|could you|would you|do you|have you|is|are"
    r"|should|calculate|compute|find|define|compare|derive|build|prove)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class NoteQuestion:
    """A question read from notes, with the lines under it, a rating written as "3/5", and the
    story named on a "story:" line."""

    text: str
    notes: str | None
    rating: int | None
    story: str | None


def _is_question(line: str, *, marked_only: bool) -> str | None:
    """The question a line of notes holds, if it holds one. In notes that mark their questions
    ("Q:", "Q3."), only the marked lines are questions; in others, a numbered or bulleted line
    that asks something, or any line ending in "?"."""
    marked = _MARKED.match(line)
    if marked:
        return marked.group("text").strip()
    if marked_only:
        return None
    bullet = _BULLET.match(line)
    body = (bullet.group("text") if bullet else line).strip()
    if body.endswith("?") or (bullet and _OPENERS.match(body)):
        return body
    return None


def _rating(text: str) -> tuple[int | None, str]:
    """A rating written in a line ("3/5", "rating: 3") and the line without it."""
    score = _RATING.search(text)
    if score is None:
        return None, text
    rest = _EMPTY_BRACKETS.sub("", text[: score.start()] + text[score.end() :])
    return int(score.group("score") or score.group("bare")), " ".join(rest.split())


def read_notes(text: str) -> list[NoteQuestion]:
    """The questions in pasted notes: lines marked "Q:" or "Q3." (when any line is, only
    those), else numbered or bulleted questions and lines ending in "?"; the lines under a
    question (answers, "A:", "->", indented or bulleted remarks) are its notes, "story: TITLE"
    names the story told, and "3/5" or "rating: 3" in the question's line, or on a line of its
    own under it, says how it went."""
    body = clean_text(text, "notes", MAX_FEEDBACK, required=True) or ""
    rows = body.splitlines()
    marked_only = any(_MARKED.match(row) for row in rows)
    found: list[NoteQuestion] = []
    current: str | None = None
    lines: list[str] = []
    rating: int | None = None
    story: str | None = None

    def close() -> None:
        if current:
            note = "\n".join(lines).strip() or None
            found.append(NoteQuestion(current[:2_000], note, rating, story))

    for raw in rows:
        line = raw.rstrip()
        if not line.strip():
            continue
        answer = _ANSWER.match(line)
        indented = raw[:1] in " \t" and current is not None
        question = None
        if not answer and not indented:
            question = _is_question(line, marked_only=marked_only)
        if question:
            close()
            lines, story = [], None
            rating, current = _rating(question)
            continue
        if current is None:
            continue
        told = _STORY.match(line)
        if told:
            story = told.group("title").strip()
            continue
        kept = answer.group("text") if answer else line
        bullet = _BULLET.match(kept)
        kept = (bullet.group("text") if bullet else kept).strip()
        score, rest = _rating(kept)
        words = rest.strip(" -*.:,").split()
        rates = score is not None and rating is None and not _ROUND_WIDE.match(rest)
        if rates and len(words) <= RATING_WORDS:
            rating = score
            if not words:
                continue  # a line that only rates the answer
        lines.append(kept)
    close()
    return found
