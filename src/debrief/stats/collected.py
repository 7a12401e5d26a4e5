"""The "data collected" view: every rejection and silence counted as the data it produced."""

from __future__ import annotations

from dataclasses import dataclass

from debrief.model import Label
from debrief.stats.facts import SearchFacts


@dataclass(frozen=True, slots=True)
class DataCollected:
    """What the search has produced so far, beyond its outcomes."""

    applications: int
    rejections: int  # applications rejected
    silences: int  # applications that never got an answer, or went quiet later
    interviews_real: int
    interviews_mock: int
    feedback: int
    statements: int
    by_label: dict[str, int]
    constructive: int
    acted_on: int  # constructive statements about a skill with an accepted or resolved item
    items_active: int
    items_resolved: int
    practice_sessions: int
    practice_minutes: int
    sentence: str


def data_collected(facts: SearchFacts) -> DataCollected:
    """Count what the search produced."""
    apps = facts.applications
    rejections = sum(1 for a in apps if a.status == "rejected")
    silences = sum(1 for a in apps if a.ending == "failed" and a.status != "rejected")
    real = sum(1 for r in facts.rounds if not r.mock)
    mock = len(facts.rounds) - real
    by_label = {label.value: facts.statements.get(label.value, 0) for label in Label}
    statements = sum(by_label.values())
    constructive = by_label[Label.CONSTRUCTIVE.value]
    working = {i.skill for i in facts.items if i.status in ("accepted", "resolved")}
    acted_on = sum(1 for skills in facts.constructive_skills if working.intersection(skills))
    active = sum(1 for i in facts.items if i.status == "accepted")
    resolved = sum(1 for i in facts.items if i.status == "resolved")
    sessions = sum(i.practice for i in facts.items)
    minutes = sum(i.minutes for i in facts.items)
    sentence = _sentence(
        rejections, silences, real, mock, facts.feedback, statements, constructive, acted_on
    )
    if resolved:
        sentence += f" {resolved} recurring weakness{'es' if resolved != 1 else ''} resolved."
    return DataCollected(
        applications=len(apps),
        rejections=rejections,
        silences=silences,
        interviews_real=real,
        interviews_mock=mock,
        feedback=facts.feedback,
        statements=statements,
        by_label=by_label,
        constructive=constructive,
        acted_on=acted_on,
        items_active=active,
        items_resolved=resolved,
        practice_sessions=sessions,
        practice_minutes=minutes,
        sentence=sentence,
    )


def _sentence(
    rejections: int,
    silences: int,
    real: int,
    mock: int,
    feedback: int,
    statements: int,
    constructive: int,
    acted_on: int,
) -> str:
    if not (rejections or silences or real or mock or feedback):
        return "Nothing recorded yet: every application, interview and rejection you add is data."
    parts = [
        f"{rejections} rejection{'s' if rejections != 1 else ''} and {silences} silence"
        f"{'s' if silences != 1 else ''} are not the whole story: they came with {real} real and "
        f"{mock} mock interview{'s' if mock != 1 else ''}, {feedback} piece"
        f"{'s' if feedback != 1 else ''} of feedback and {statements} statement"
        f"{'s' if statements != 1 else ''}, {constructive} of them constructive."
    ]
    if constructive and acted_on:
        parts.append(f"{acted_on} of those are about a skill your action plan is working on.")
    elif constructive:
        parts.append("Accept an item of the action plan (debrief plan) to start acting on them.")
    return " ".join(parts)
