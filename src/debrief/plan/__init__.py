"""The action plan: what to practise for the top recurring weaknesses, and whether it works.

`ActionPlan(journal).refresh()` proposes an item per top weakness theme (`propose`, with tasks
from the practice library in `library`), keeps accepted items, and measures follow-through
(`follow`): interviews after acceptance that tested the skill either raise the theme again or do
not. `ask` writes the e-mail that asks for feedback after a final result.
"""

from __future__ import annotations

from debrief.plan.follow import RESOLVE_AFTER, FollowCheck, FollowThrough
from debrief.plan.library import PracticeLibrary, PracticeTask, load_library
from debrief.plan.propose import Proposal, propose
from debrief.plan.records import (
    ActionEvent,
    ActionItem,
    ActionTask,
    ItemProgress,
    PlanView,
    PracticeEntry,
)
from debrief.plan.store import DEFAULT_ITEMS, ActionPlan

__all__ = [
    "DEFAULT_ITEMS",
    "RESOLVE_AFTER",
    "ActionEvent",
    "ActionItem",
    "ActionPlan",
    "ActionTask",
    "FollowCheck",
    "FollowThrough",
    "ItemProgress",
    "PlanView",
    "PracticeEntry",
    "PracticeLibrary",
    "PracticeTask",
    "Proposal",
    "load_library",
    "propose",
]
