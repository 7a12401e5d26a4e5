"""What a triage backend is: a statement classifier that gives each text a verdict (label,
confidence, skill areas and the words behind them) and can guess any text's skill areas. The
built-in ones are in `classify` and `semantic`; `registry` finds them all by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class ModelVerdict:
    """A backend's answer for one statement, before rules, headings and memory."""

    label: str
    confidence: float
    skills: tuple[str, ...]
    label_probabilities: dict[str, float]
    explanation: str  # the words behind it, e.g. "'lacked depth' + 'a/b testing'"


class Backend(Protocol):
    """A statement classifier: the default linear model, the semantic one, or another
    package's."""

    name: str
    version: str

    def predict(self, texts: list[str]) -> list[ModelVerdict]:
        """A verdict per text, in order."""
        ...

    def guess_skills(self, texts: list[str]) -> list[tuple[str, ...]]:
        """The skill areas of each text, whatever its label."""
        ...
