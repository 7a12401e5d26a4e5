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
    stands_back: str = "skill-gap"  # or "candidate", "never"; see `match_rule`
    sources: frozenset[str] | None = None  # None: whoever wrote the text


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
            # Patterns are written in lower case (a test holds it) and matched against the
            # lower-cased text; lower-casing them here would turn \W into \w.
            re.compile("|".join(f"(?:{p})" for p in entry["patterns"])),
            entry.get("stands_back", "skill-gap"),
            frozenset(entry["sources"]) if "sources" in entry else None,
        )
        for entry in raw["rule"]
    )


def match_rule(text: str, source: str | None = None) -> RuleMatch | None:
    """The first rule (in file order) whose cue appears in `text`, if any.

    A rule stands back (the model decides) when the statement is about the candidate after
    all: by default when it also names a skill area and a gap ("Your case study on Visa's
    metrics never defined a north-star metric"); a rule about someone else (the interviewer,
    the office) stands back whenever the statement addresses the candidate ("The interviewer
    said your joins were wrong"). A rule may apply to one source only (the candidate's own
    notes, `self`).
    """
    lowered = text.lower()  # the patterns are lower case: cheaper than matching ignoring case
    for rule in load_rules():
        if rule.sources is not None and (source or "interviewer") not in rule.sources:
            continue
        found = rule.pattern.search(lowered)
        if found:
            if rule.stands_back == "skill-gap" and _about_a_skill_gap(lowered):
                return None
            # "My interviewer was late" is still about the interviewer: only what the
            # statement says beyond the matched words can bring the candidate in.
            rest = lowered[: found.start()] + " " + lowered[found.end() :]
            if rule.stands_back == "candidate" and _ADDRESSES_CANDIDATE.search(rest):
                continue
            return RuleMatch(rule, found.group(0).strip())
    return None


_ADDRESSES_CANDIDATE = re.compile(
    r"\b(you|your|yours|you'?re|you'?ve|you'?d|i|i'?m|i'?ve|i'?d|my|me|myself|candidate)\b"
)


def _about_a_skill_gap(lowered: str) -> bool:
    from debrief.triage.features import cues, tokens

    found = set(cues(tokens(lowered)))
    return "cue:gap" in found and any(f.startswith("cue:area:") for f in found)
