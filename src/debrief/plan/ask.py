"""Ask for feedback: a short, polite e-mail after a result, tailored to how far the application got.

Coaching rule behind it: ask for feedback after every final result; the answers are the data the
rest of debrief learns from. Templates are data (`data/requests.toml`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from debrief.errors import InvalidInput
from debrief.model import FINAL_RESULTS, InterviewKind, Status, furthest_stage, words

if TYPE_CHECKING:
    from debrief.journal import Journal

ENDED = FINAL_RESULTS  # a decision was made, or the company went silent: the moments to ask
MOST_NAMES = 3


@dataclass(frozen=True, slots=True)
class FeedbackRequest:
    """A ready-to-send e-mail, and what it was written for."""

    application_id: int
    company: str
    stage: str  # applied, screen, technical, onsite, offer or ghosted: which template
    ended: bool  # False when the application is still open (it is early to ask)
    subject: str
    body: str
    tip: str


@cache
def _templates() -> dict[str, object]:
    text = resources.files("debrief.plan.data").joinpath("requests.toml").read_text("utf-8")
    return tomllib.loads(text)


def _listing(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def feedback_request(
    journal: Journal, application_id: int, *, name: str | None = None, to: str | None = None
) -> FeedbackRequest:
    """The feedback-request e-mail for one application."""
    detail = journal.get_application(application_id)
    application = detail.application
    if application.status == Status.WITHDRAWN:
        raise InvalidInput(
            "application",
            f"you withdrew from application #{application.id}: there is no decision to ask "
            "feedback on",
        )
    reached = furthest_stage(c.to_status for c in detail.history)
    if application.status == Status.GHOSTED:
        stage = "ghosted"
    elif application.status == Status.OFFER:
        stage = "offer"
    elif reached in (Status.ONSITE, Status.OFFER):
        stage = "onsite"
    else:
        stage = reached.value
    interviews = [d.interview for d in detail.interviews]
    kinds = list(dict.fromkeys(words(i.kind) for i in interviews))
    rounds = _listing(kinds) + (" interviews" if kinds else "")
    recruiter = next(
        (i.interviewer for i in interviews if i.kind == InterviewKind.RECRUITER_SCREEN), None
    )
    greeting_name = to or (recruiter.split()[0] if recruiter else None)
    # Thank the interviewers, not the person written to; a long panel is summed up.
    people = [i.interviewer for i in interviews if i.interviewer and i.interviewer != recruiter]
    people = list(dict.fromkeys(people))
    if len(people) > MOST_NAMES:
        people = [*people[: MOST_NAMES - 1], "the rest of the panel"]
    templates = _templates()
    chosen = templates["stage"][stage]  # type: ignore[index]
    values = {
        "greeting": f"Hi {greeting_name}," if greeting_name else "Hello,",
        "company": application.company,
        "role": application.role,
        "rounds": rounds or "conversations",
        "people": _listing(people),
        "people_clause": f", and please pass my thanks to {_listing(people)}" if people else "",
        "people_clause_short": f" to {_listing(people)}" if people else "",
        "last_day": str(interviews[-1].held_on if interviews else application.applied_on),
        "signature": name or "[your name]",
        "app_id": str(application.id),
    }
    return FeedbackRequest(
        application_id=application.id,
        company=application.company,
        stage=stage,
        ended=application.status in ENDED,
        subject=str(chosen["subject"]).format_map(values),
        body=str(chosen["body"]).format_map(values),
        tip=str(templates["tip"]).format_map(values),
    )
