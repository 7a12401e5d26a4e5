"""The user's settings, kept in the journal: what each one means, and the values it accepts.
The CLI (`debrief config`) and the web app's settings page both check values here."""

from __future__ import annotations

from typing import Final

from debrief.errors import InvalidInput
from debrief.model import is_whole

MAX_VALUE: Final = 200
MEANINGS: Final = {
    "name": "Your own name: imported mail never takes it (or a part of it) for a company.",
    "follow_up_days": "Days of silence after which `debrief today` says to follow up (7).",
    "ghost_days": "Days of silence after which `debrief today` says to mark it ghosted (30).",
}
# The settings that are whole days: their default and bounds.
DAYS: Final = {
    "follow_up_days": (7, 1, 365),
    "ghost_days": (30, 2, 730),
}


def checked(key: str, value: str) -> str:
    """A setting's value as it is kept (spaces collapsed); InvalidInput when it cannot be."""
    if key not in MEANINGS:
        raise InvalidInput("key", f"'{key}' is not a setting; known: {', '.join(MEANINGS)}")
    value = " ".join(value.split())
    if not value or len(value) > MAX_VALUE:
        raise InvalidInput(key, f"give a value of 1 to {MAX_VALUE} characters")
    if key in DAYS and _days(key, value) is None:
        _, low, high = DAYS[key]
        raise InvalidInput(key, f"{key} is a number of days from {low} to {high}")
    return value


def days(settings: dict[str, str], key: str) -> int:
    """A whole-days setting, or its default when it is not set (or not a number in bounds)."""
    found = _days(key, settings.get(key, ""))
    return DAYS[key][0] if found is None else found


def _days(key: str, text: str) -> int | None:
    """A number of days within the setting's bounds (ASCII digits only), else None."""
    _, low, high = DAYS[key]
    if is_whole(text) and low <= int(text) <= high:
        return int(text)
    return None
