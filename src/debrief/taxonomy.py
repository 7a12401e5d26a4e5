"""The skill-area taxonomy: which areas feedback, rubric scores and themes are filed under, and
which areas each kind of round tests.

Both are data (`data/skills.toml`, `data/rounds.toml`, versioned in the package), read once per
process.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from debrief.errors import InvalidInput
from debrief.model import normalise_choice


@dataclass(frozen=True, slots=True)
class SkillArea:
    """One area of the taxonomy."""

    id: str
    name: str
    covers: str
    cues: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """The versioned list of skill areas."""

    version: int
    areas: tuple[SkillArea, ...]

    @property
    def ids(self) -> frozenset[str]:
        """The area ids, for validation."""
        return frozenset(area.id for area in self.areas)


@cache
def load_taxonomy() -> Taxonomy:
    """Read the taxonomy shipped with the package."""
    raw = tomllib.loads(resources.files("debrief.data").joinpath("skills.toml").read_text("utf-8"))
    areas = tuple(
        SkillArea(a["id"], a["name"], a["covers"], tuple(a.get("cues", ()))) for a in raw["area"]
    )
    return Taxonomy(version=int(raw["version"]), areas=areas)


def skill_ids() -> frozenset[str]:
    """The ids of all skill areas."""
    return load_taxonomy().ids


def area_name(skill: str) -> str:
    """How a person reads a skill area ("problem_solving" is "Problem solving")."""
    return next((a.name for a in load_taxonomy().areas if a.id == skill), skill)


def skill_named(text: str, field: str = "skill") -> str:
    """The skill area id a person meant ("Problem solving", "problem-solving", "sql");
    InvalidInput on `field` otherwise."""
    key = normalise_choice(text)
    for area in load_taxonomy().areas:
        if key in (area.id, normalise_choice(area.name)):
            return area.id
    options = ", ".join(area.id for area in load_taxonomy().areas)
    raise InvalidInput(field, f"'{text}' is not a skill area ({options})")


@cache
def _rounds_data() -> dict[str, Any]:
    text = resources.files("debrief.data").joinpath("rounds.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def round_skills() -> dict[str, tuple[str, ...]]:
    """The skill areas each kind of round tests, most central first (`data/rounds.toml`)."""
    return {kind: tuple(areas) for kind, areas in _rounds_data()["rounds"].items()}


def round_for_skill(skill: str) -> str:
    """The kind of round a mock interview on `skill` is: the kind named after it if there is
    one, else the kind that tests it most centrally (the first in `data/rounds.toml` of
    those), else a technical screen."""
    rounds = round_skills()
    if skill in rounds:
        return skill
    testing = [
        (areas.index(skill), n) for n, (_, areas) in enumerate(rounds.items()) if skill in areas
    ]
    if not testing:
        return "technical_screen"
    return list(rounds)[min(testing)[1]]


@cache
def round_stage() -> dict[str, str]:
    """The pipeline stage a round of each kind implies the application reached."""
    return dict(_rounds_data()["implies_stage"])


@cache
def subskill_areas() -> dict[str, str]:
    """Every sub-skill id (`themes/data/subskills.toml`) with the skill area it belongs to; read
    as data, so the journal can check a sub-skill without the themes package."""
    path = resources.files("debrief").joinpath("themes", "data", "subskills.toml")
    raw = tomllib.loads(path.read_text("utf-8"))
    return {entry["id"]: entry["id"].partition(".")[0] for entry in raw["subskill"]}


def subskill_named(text: str, field: str = "subskill") -> str:
    """The sub-skill id a person meant ("sql.joins_grain", "SQL.Joins-Grain"); InvalidInput on
    `field` otherwise."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    if key in subskill_areas():
        return key
    raise InvalidInput(
        field, f"'{text[:60]}' is not a sub-skill (`debrief questions bank --areas` lists them)"
    )
