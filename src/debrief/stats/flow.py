"""Where applications went: a stage flow (the data of a Sankey chart), each application counted
once, at the furthest stage it reached (from its status history and its rounds), and then by how
it left that stage.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from debrief.model import Status
from debrief.stats.facts import FUNNEL, STAGE_NAMES, AppFact

# How an application left the furthest stage it reached, in the order the chart lists them.
ENDINGS: dict[str, str] = {
    "rejected": "Rejected",
    "ghosted": "Went silent",
    "unanswered": "No answer",
    "withdrawn": "Withdrew",
    "open": "Still open",
}


@dataclass(frozen=True, slots=True)
class Flow:
    """One band of the chart: `count` applications went from one node to the next."""

    source: str  # a FUNNEL stage
    target: str  # the next FUNNEL stage, or an ENDINGS key
    count: int


@dataclass(frozen=True, slots=True)
class StageFlow:
    """Every application's path: on through the stages, then out at its ending."""

    applications: int
    flows: tuple[Flow, ...]

    def node_names(self) -> dict[str, str]:
        """Every node that carries a flow, by key, with its name for people."""
        keys = [key for flow in self.flows for key in (flow.source, flow.target)]
        names = {**STAGE_NAMES, **ENDINGS}
        return {key: names[key] for key in dict.fromkeys(keys)}


def ending_of(app: AppFact) -> str | None:
    """How an application left its furthest stage (None: it reached an offer)."""
    if FUNNEL[app.reached] == "offer":
        return None
    if app.status == Status.REJECTED.value:
        return "rejected"
    if app.status == Status.GHOSTED.value:
        return "ghosted"
    if app.status == Status.WITHDRAWN.value or app.ending == "withdrew":
        return "withdrawn"
    if app.ending == "failed":
        return "unanswered" if app.reached == 0 else "rejected"
    return "open"


def stage_flow(apps: Sequence[AppFact]) -> StageFlow:
    """The flow of every application through the funnel's stages and out of it."""
    onward: Counter[int] = Counter()  # applications going on from stage i to stage i + 1
    out: Counter[tuple[int, str]] = Counter()
    for app in apps:
        for index in range(app.reached):
            onward[index] += 1
        ending = ending_of(app)
        if ending is not None:
            out[(app.reached, ending)] += 1
    flows = []
    for index, stage in enumerate(FUNNEL):
        if onward[index]:
            flows.append(Flow(stage, FUNNEL[index + 1], onward[index]))
        flows += [
            Flow(stage, ending, out[(index, ending)]) for ending in ENDINGS if out[(index, ending)]
        ]
    return StageFlow(len(apps), tuple(flows))
