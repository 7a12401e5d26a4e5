"""What a reading of a message may write on its own, and what waits for the user.

Every decision of the reader carries a confidence: that the message is job mail and what
happened (the event), which company, which status it implies. A reading whose confidences are
all above the thresholds in `data/mail.toml` ([review]) is written; any other goes to the
import review queue with the reasons listed, so nothing uncertain lands silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from debrief.ingest.mail.classify import Reading, vocabulary
from debrief.model import Status

EVENT_STATUS = {
    "application_received": Status.APPLIED,
    "assessment": Status.TECHNICAL,
    "rejection": Status.REJECTED,
    "offer": Status.OFFER,
    "withdrawal": Status.WITHDRAWN,
}
STAGE_STATUS = {"screen": Status.SCREEN, "technical": Status.TECHNICAL, "onsite": Status.ONSITE}


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The confidences below which a reading is reviewed, not written."""

    event: float
    company: float
    offer: float


@cache
def thresholds() -> Thresholds:
    """The shipped thresholds."""
    found = vocabulary()["review"]
    return Thresholds(float(found["event"]), float(found["company"]), float(found["offer"]))


def status_of(event: str | None, stage: str | None) -> Status | None:
    """The status an event moves an application to (None: it moves nothing)."""
    if event == "interview_invitation":
        return STAGE_STATUS.get(stage or "screen", Status.SCREEN)
    return EVENT_STATUS.get(event or "")


def doubts(reading: Reading, limits: Thresholds | None = None) -> tuple[str, ...]:
    """Why a job message's reading must be reviewed before it is written (none: write it)."""
    if not reading.job:
        return ()
    limits = limits or thresholds()
    found = []
    if reading.language:
        found.append(f"in {reading.language}, which the reader does not read")
    if not reading.company:
        found.append("no company found")
    elif reading.company_confidence < limits.company:
        found.append(f"unsure of the company ({reading.company_confidence:.0%})")
    if reading.event == "offer" and reading.confidence < limits.offer:
        found.append(f"unsure it is an offer ({reading.confidence:.0%})")
    elif reading.confidence < limits.event:
        found.append(f"unsure of what happened ({reading.confidence:.0%})")
    return tuple(found)
