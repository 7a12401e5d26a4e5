"""The practice library: what to practise for a weakness in each skill area, and how.

Data, versioned in the package (`data/practice.toml`): per skill area a goal, a mock-interview
follow-up and general tasks, and a *focus* for each of its sub-skills (`debrief.themes.subskills`,
such as "sample size and power") with a goal and 3–4 tasks. An action item takes its tasks from
the foci of the sub-skills its statements are about.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from debrief.errors import DebriefError
from debrief.themes.subskills import load_subskills

TASK_KINDS = ("study", "exercise", "mock")


class LibraryError(DebriefError):
    """The practice library does not follow its schema (a packaging mistake, caught by tests)."""


@dataclass(frozen=True, slots=True)
class PracticeTask:
    """One thing to do: study, an exercise, or a mock session."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class Focus:
    """What to practise for one sub-skill of an area: its id, its name, a goal and tasks."""

    subskill: str
    name: str
    goal: str
    tasks: tuple[PracticeTask, ...]


@dataclass(frozen=True, slots=True)
class AreaPractice:
    """Everything the library holds for one skill area."""

    skill: str
    goal: str
    mock: str
    tasks: tuple[PracticeTask, ...]
    foci: tuple[Focus, ...]

    def focus(self, subskill: str) -> Focus | None:
        """The focus for a sub-skill, if the library has one."""
        return next((f for f in self.foci if f.subskill == subskill), None)


@dataclass(frozen=True, slots=True)
class PracticeLibrary:
    """The versioned library."""

    version: int
    areas: dict[str, AreaPractice]

    def area(self, skill: str) -> AreaPractice:
        """The area's practice, or the catch-all area's for a skill the library lacks."""
        return self.areas.get(skill) or self.areas["other"]


@cache
def load_library() -> PracticeLibrary:
    """Read and check the library shipped with the package."""
    text = resources.files("debrief.plan.data").joinpath("practice.toml").read_text("utf-8")
    return parse_library(tomllib.loads(text))


def parse_library(raw: dict[str, object]) -> PracticeLibrary:
    """Build the library from its TOML, refusing anything off-schema."""
    try:
        areas_raw = raw["area"]
        assert isinstance(areas_raw, dict)
        areas = {
            skill: AreaPractice(
                skill=skill,
                goal=str(entry["goal"]),
                mock=str(entry["mock"]),
                tasks=_tasks(entry["tasks"]),
                foci=tuple(_focus(skill, focus) for focus in entry.get("focus", [])),
            )
            for skill, entry in areas_raw.items()
        }
        version = int(str(raw["version"]))
    except (KeyError, TypeError, ValueError, AssertionError) as error:
        raise LibraryError(f"the practice library is malformed: {error!r}") from None
    if "other" not in areas:
        raise LibraryError("the practice library needs an 'other' area")
    return PracticeLibrary(version, areas)


def _focus(skill: str, raw: dict[str, object]) -> Focus:
    """A focus of area `skill`, whose sub-skill must be one of that area's."""
    subskill = str(raw["subskill"])
    try:
        known = load_subskills().get(subskill)
    except KeyError:
        raise LibraryError(f"focus of {skill!r} names an unknown sub-skill {subskill!r}") from None
    if known.area != skill:
        raise LibraryError(f"focus of {skill!r} names sub-skill {subskill!r} of another area")
    return Focus(subskill, known.name, str(raw["goal"]), _tasks(raw["tasks"]))


def _tasks(raw: object) -> tuple[PracticeTask, ...]:
    if not isinstance(raw, list) or not raw:
        raise LibraryError("a task list must be a non-empty list")
    tasks = []
    for item in raw:
        kind, text = str(item["kind"]), str(item["text"]).strip()
        if kind not in TASK_KINDS or not text:
            raise LibraryError(f"a task needs a kind ({', '.join(TASK_KINDS)}) and a text")
        tasks.append(PracticeTask(kind, text))
    return tuple(tasks)
