"""The practice library: what to practise for a weakness in each skill area, and how.

Data, versioned in the package (`data/practice.toml`): per skill area a goal, a mock-interview
follow-up and general tasks, and a few *foci* (a narrower weakness such as "sample size and
power") with keywords, a goal and 3–4 tasks. An action item takes its tasks from the foci whose
keywords its evidence uses most.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from debrief.errors import DebriefError

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
    """A narrower weakness within an area, recognised by its keywords."""

    name: str
    keywords: tuple[str, ...]
    goal: str
    tasks: tuple[PracticeTask, ...]

    def matches(self, text: str) -> bool:
        """Whether `text` uses any of the focus's keywords."""
        return _keyword_pattern(self.keywords).search(text) is not None


@dataclass(frozen=True, slots=True)
class AreaPractice:
    """Everything the library holds for one skill area."""

    skill: str
    goal: str
    mock: str
    tasks: tuple[PracticeTask, ...]
    foci: tuple[Focus, ...]


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
                foci=tuple(
                    Focus(
                        name=str(focus["name"]),
                        keywords=tuple(str(k).lower() for k in focus["keywords"]),
                        goal=str(focus["goal"]),
                        tasks=_tasks(focus["tasks"]),
                    )
                    for focus in entry.get("focus", [])
                ),
            )
            for skill, entry in areas_raw.items()
        }
        version = int(str(raw["version"]))
    except (KeyError, TypeError, ValueError, AssertionError) as error:
        raise LibraryError(f"the practice library is malformed: {error!r}") from None
    if "other" not in areas:
        raise LibraryError("the practice library needs an 'other' area")
    return PracticeLibrary(version, areas)


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


@cache
def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for all keywords: whole words or phrases; a trailing * allows any ending."""
    parts = []
    for keyword in keywords:
        stem, wild = (keyword[:-1], True) if keyword.endswith("*") else (keyword, False)
        body = r"\s+".join(re.escape(word) for word in stem.split())
        parts.append(body + (r"\w*" if wild else r"\b"))
    return re.compile(r"\b(?:" + "|".join(parts) + ")", re.IGNORECASE)


def rank_foci(
    area: AreaPractice, texts: Sequence[str], weights: Sequence[float] | None = None
) -> list[tuple[Focus, float]]:
    """The area's foci that the texts talk about, most talked about first: each focus scores
    the (weighted) number of texts using one of its keywords."""
    weights = list(weights) if weights is not None else [1.0] * len(texts)
    scored = []
    for index, focus in enumerate(area.foci):
        score = sum(w for text, w in zip(texts, weights, strict=True) if focus.matches(text))
        if score > 0:
            scored.append((focus, score, index))
    scored.sort(key=lambda s: (-s[1], s[2]))
    return [(focus, score) for focus, score, _ in scored]
