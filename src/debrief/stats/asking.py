"""Asking for feedback after a final result: how often the candidate asked, and how often the
company answered, by the furthest stage the application reached.

A final result is a rejection, a silence marked as ghosted, or an offer: the moments the
feedback request is written for (`plan.ask`). An answer is feedback from the company (an
interviewer or a recruiter) received on or after the day it was asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from debrief.model import FINAL_RESULTS, PIPELINE, Status, counted
from debrief.stats.facts import FUNNEL, AppFact

STAGES: tuple[str, ...] = tuple(stage.value for stage in PIPELINE)


@dataclass(frozen=True, slots=True)
class AskedAtStage:
    """Final results of applications that got this far, and the asking after them."""

    stage: str  # applied, screen, technical, onsite or offer
    results: int
    asked: int
    answered: int


@dataclass(frozen=True, slots=True)
class FeedbackAsking:
    """The share of final results that the candidate asked feedback on, and that were answered."""

    stages: tuple[AskedAtStage, ...]  # every stage with at least one final result
    results: int
    asked: int
    answered: int
    median_days_to_answer: float | None

    @property
    def after_interviews(self) -> tuple[int, int, int]:
        """Final results, asked and answered, of applications that got past applying: where
        asking is worth it (a plain application's rejection is seldom explained)."""
        later = [s for s in self.stages if s.stage != Status.APPLIED.value]
        return (
            sum(s.results for s in later),
            sum(s.asked for s in later),
            sum(s.answered for s in later),
        )

    @property
    def sentence(self) -> str:
        """The figures in a sentence."""
        results, asked, answered = self.after_interviews
        if not results:
            return "No final result after an interview yet: ask for feedback after each one."
        if not asked:
            return (
                f"You asked for feedback after none of {counted(results, 'final result')} "
                "that followed interviews; `debrief feedback request APP_ID` drafts the e-mail."
            )
        said = (
            f"You asked for feedback after {asked} of {counted(results, 'final result')} that "
            f"followed interviews ({asked / results:.0%}); "
        )
        if not answered:
            return said + "no answer yet."
        said += (
            "it was answered"
            if asked == 1
            else f"{answered} of those {asked} {'was' if answered == 1 else 'were'} answered"
        )
        if self.median_days_to_answer is not None:
            said += f", in a median of {self.median_days_to_answer:g} days"
        return said + "."


def stage_of(app: AppFact) -> str:
    """The furthest pipeline stage an application reached ('applied' for an answer only)."""
    reached = FUNNEL[app.reached]
    return reached if reached in STAGES else Status.APPLIED.value


def feedback_asking(apps: Sequence[AppFact]) -> FeedbackAsking:
    """How often feedback was asked for and answered after final results, by stage."""
    final = [app for app in apps if Status(app.status) in FINAL_RESULTS]
    stages = []
    for stage in STAGES:
        here = [app for app in final if stage_of(app) == stage]
        if here:
            asked = [app for app in here if app.feedback_asked_on is not None]
            answered = [app for app in asked if app.feedback_answered_on is not None]
            stages.append(AskedAtStage(stage, len(here), len(asked), len(answered)))
    waits = [
        (app.feedback_answered_on - app.feedback_asked_on).days
        for app in final
        if app.feedback_asked_on is not None and app.feedback_answered_on is not None
    ]
    return FeedbackAsking(
        stages=tuple(stages),
        results=len(final),
        asked=sum(s.asked for s in stages),
        answered=sum(s.answered for s in stages),
        median_days_to_answer=float(median(waits)) if waits else None,
    )
