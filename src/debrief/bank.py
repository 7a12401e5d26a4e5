"""The practice bank: questions written by the team for data-science interviews, each with what a
strong answer covers, filed by skill area and sub-skill; and the competencies behavioural rounds
ask about, which stories show.

Both are data in the package (`data/questions/*.toml`, one file per skill area, and
`data/competencies.toml`), versioned with it and read once per process. A question's id
("sql-07") is how the candidate names it when they practise it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from debrief.errors import DebriefError, InvalidInput
from debrief.model import QuestionKind, normalise_choice
from debrief.taxonomy import skill_ids, subskill_areas

BANK_VERSION = 1
MAX_REF = 40  # a bank id as typed ("sql-07"); anything longer names no question


class BankError(DebriefError):
    """The practice bank does not follow its schema (a packaging mistake, caught by tests)."""


@dataclass(frozen=True, slots=True)
class Competency:
    """A competency behavioural questions ask about ("conflict and disagreement")."""

    id: str
    name: str
    about: str
    cues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BankQuestion:
    """A practice question of the bank."""

    id: str
    skill: str
    subskill: str
    kind: QuestionKind
    text: str
    covers: tuple[str, ...]  # what a strong answer covers
    competency: str | None = None


@dataclass(frozen=True, slots=True)
class Bank:
    """The whole bank, in file order (area by area, sub-skill by sub-skill)."""

    questions: tuple[BankQuestion, ...]

    def find(self, ref: str) -> BankQuestion | None:
        """The question with id `ref` ("sql-07", "SQL-7" too), if the bank has it."""
        return _index(self).get(_bank_id(ref))

    def get(self, ref: str) -> BankQuestion:
        """The question with id `ref`; InvalidInput otherwise."""
        found = self.find(ref)
        if found is None:
            raise InvalidInput("question", f"'{ref[:40]}' is not a question of the practice bank")
        return found

    def of_subskill(self, subskill: str) -> tuple[BankQuestion, ...]:
        return tuple(q for q in self.questions if q.subskill == subskill)

    def of_skill(self, skill: str) -> tuple[BankQuestion, ...]:
        return tuple(q for q in self.questions if q.skill == skill)


@cache
def _index(bank: Bank) -> dict[str, BankQuestion]:
    return {question.id: question for question in bank.questions}


# "sql-7", "SQL 7". The letters are read from the first of a run, (?<![A-Za-z_]), so that no
# text costs more than linear time (docs/triage.md).
_REFERENCE = re.compile(r"(?<![A-Za-z_])([A-Za-z_]++)\s*+-?\s*+(\d{1,3})")


def _bank_id(ref: str) -> str:
    """A bank id as stored: lower case, two digits ("SQL-7" is "sql-07")."""
    if len(ref or "") > MAX_REF:
        return ""
    match = _REFERENCE.fullmatch((ref or "").strip())
    if not match:
        return (ref or "").strip().lower()
    return f"{match.group(1).lower()}-{int(match.group(2)):02d}"


@cache
def load_competencies() -> tuple[Competency, ...]:
    """The competencies shipped with the package."""
    raw = tomllib.loads(
        resources.files("debrief.data").joinpath("competencies.toml").read_text("utf-8")
    )
    try:
        return tuple(
            Competency(c["id"], c["name"], c["about"], tuple(c["cues"])) for c in raw["competency"]
        )
    except (KeyError, TypeError) as error:
        raise BankError(f"the competency list is malformed: {error!r}") from None


def competency_ids() -> tuple[str, ...]:
    return tuple(c.id for c in load_competencies())


def competency_named(text: str, field: str = "competency") -> str:
    """The competency id a person meant ("conflict", "Conflict and disagreement")."""
    key = normalise_choice(text)
    for competency in load_competencies():
        if key in (competency.id, normalise_choice(competency.name)):
            return competency.id
    options = ", ".join(competency_ids())
    raise InvalidInput(field, f"'{text[:60]}' is not a competency ({options})")


def competency_name(competency: str) -> str:
    return next((c.name for c in load_competencies() if c.id == competency), competency)


def _cue_pattern(cues: tuple[str, ...]) -> re.Pattern[str]:
    parts = [re.escape(c.rstrip("*")) + (r"\w*" if c.endswith("*") else "") for c in cues]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


@cache
def _competency_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((c.id, _cue_pattern(c.cues)) for c in load_competencies())


def competency_of(text: str) -> str | None:
    """The competency a behavioural question or a story's words point at, by its cue words
    (the more specific competencies are listed first), if any."""
    for competency, pattern in _competency_patterns():
        if pattern.search(text):
            return competency
    return None


@cache
def load_bank() -> Bank:
    """Read and check every file of the bank shipped with the package."""
    folder = resources.files("debrief.data").joinpath("questions")
    questions: list[BankQuestion] = []
    for entry in sorted(folder.iterdir(), key=lambda f: f.name):
        if entry.name.endswith(".toml"):
            raw = tomllib.loads(entry.read_text("utf-8"))
            questions.extend(_parse(raw, entry.name))
    bank = Bank(tuple(questions))
    _check(bank)
    return bank


def _parse(raw: dict[str, Any], source: str) -> list[BankQuestion]:
    found = []
    for number, entry in enumerate(raw.get("question", []), 1):
        try:
            subskill = str(entry["subskill"])
            found.append(
                BankQuestion(
                    id=str(entry["id"]),
                    skill=subskill_areas().get(subskill, ""),
                    subskill=subskill,
                    kind=QuestionKind(entry["kind"]),
                    text=str(entry["text"]),
                    covers=tuple(str(point) for point in entry["covers"]),
                    competency=entry.get("competency"),
                )
            )
        except (KeyError, TypeError, ValueError) as error:
            raise BankError(f"{source}, question {number}: {error!r}") from None
    return found


def _check(bank: Bank) -> None:
    ids = [q.id for q in bank.questions]
    competencies = set(competency_ids())
    for question in bank.questions:
        where = f"practice question {question.id}"
        if ids.count(question.id) > 1 or _bank_id(question.id) != question.id:
            raise BankError(f"{where}: the id is used twice or is not like 'sql-07'")
        if question.skill not in skill_ids():
            raise BankError(f"{where}: {question.subskill!r} is not a sub-skill")
        if not question.text.strip() or not question.covers:
            raise BankError(f"{where}: needs a text and what a strong answer covers")
        if question.competency is not None and question.competency not in competencies:
            raise BankError(f"{where}: {question.competency!r} is not a competency")
