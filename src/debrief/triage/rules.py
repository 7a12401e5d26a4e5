"""The rule layer: unambiguous cues (a hiring freeze, an internal candidate, courtesy formulas)
that decide a label before the model is asked. The rules are data: `data/rules.toml`."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class Rule:
    """One cue: the label it decides and why, in words a person can check."""

    label: str
    explain: str
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """A rule that fired on a statement, with the words that made it fire."""

    rule: Rule
    matched: str


@cache
def load_rules() -> tuple[Rule, ...]:
    """The rules shipped with the package, in file order (the first match wins)."""
    raw = tomllib.loads(resources.files("debrief.triage.data").joinpath("rules.toml").read_text())
    return tuple(
        Rule(
            entry["label"],
            entry["explain"],
            re.compile("|".join(f"(?:{p.lower()})" for p in entry["patterns"])),
        )
        for entry in raw["rule"]
    )


def match_rule(text: str) -> RuleMatch | None:
    """The first rule (in file order) whose cue appears in `text`, if any, unless the statement
    also names a skill area and a gap: then it is about the candidate and the model decides."""
    lowered = text.lower()  # the patterns are lower case: cheaper than matching ignoring case
    for rule in load_rules():
        found = rule.pattern.search(lowered)
        if found:
            if _about_a_skill_gap(lowered):
                return None
            return RuleMatch(rule, found.group(0).strip())
    return None


def _about_a_skill_gap(lowered: str) -> bool:
    from debrief.triage.features import cues, tokens

    found = set(cues(tokens(lowered)))
    return "cue:gap" in found and any(f.startswith("cue:area:") for f in found)
