"""Field validation: user input turned into the values the journal stores, or InvalidInput naming
the field at fault, before anything touches the database."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time
from typing import Any, Final
from urllib.parse import urlsplit

from debrief.errors import InvalidInput
from debrief.model import (
    MAX_LINK,
    MAX_NAME,
    MAX_NOTES,
    InterviewKind,
    Outcome,
    Source,
    WorkMode,
    clean_text,
    local_today,
    normalise_choice,
    parse_date,
    parse_rating,
    utcnow,
)
from debrief.taxonomy import skill_ids


class _Unset:
    """Marks an edit argument that was not given (None means "clear this field")."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()

DateLike = date | str


def _optional(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None or value == "" else parse(value)


_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:(?!\d)", re.IGNORECASE)


def _clean_link(value: str) -> str | None:
    link = clean_text(value, "link", MAX_LINK)
    if link is None:
        return None
    if not _SCHEME.match(link):
        link = f"https://{link}"
    try:
        parts = urlsplit(link)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidInput("link", f"'{value}' is not a web address (http or https)")
    return link


# Validators per editable field: they turn user input into stored values or raise InvalidInput.
_APPLICATION_FIELDS: dict[str, Callable[[Any], Any]] = {
    "company": lambda v: clean_text(v, "company", MAX_NAME, required=True),
    "role": lambda v: clean_text(v, "role", MAX_NAME, required=True),
    "level": lambda v: clean_text(v, "level", MAX_NAME),
    "location": lambda v: clean_text(v, "location", MAX_NAME),
    "work_mode": _optional(lambda v: WorkMode.parse(v, "work_mode").value),
    "source": _optional(lambda v: Source.parse(v, "source").value),
    "link": _optional(_clean_link),
    "applied_on": lambda v: parse_date(v, "applied_on", past=True),
    "notes": lambda v: clean_text(v, "notes", MAX_NOTES),
}

_INTERVIEW_FIELDS: dict[str, Callable[[Any], Any]] = {
    "kind": lambda v: InterviewKind.parse(v, "kind").value,
    "held_on": lambda v: parse_date(v, "held_on"),
    "interviewer": lambda v: clean_text(v, "interviewer", MAX_NAME),
    "outcome": lambda v: Outcome.parse(v, "outcome").value,
    "self_rating": _optional(lambda v: parse_rating(v, "self_rating")),
    "notes": lambda v: clean_text(v, "notes", MAX_NOTES),
}


# The fields an application and an interview are edited by (their status, application and rubric
# have their own arguments), for forms that offer them.
APPLICATION_FIELDS: Final = tuple(_APPLICATION_FIELDS)
INTERVIEW_FIELDS: Final = tuple(_INTERVIEW_FIELDS)


def field_problems(record: str, given: dict[str, Any]) -> dict[str, str]:
    """Every field of an application or an interview that its validator refuses, with why: a
    form shows them all at once (the journal's own calls stop at the first)."""
    validators = {"application": _APPLICATION_FIELDS, "interview": _INTERVIEW_FIELDS}[record]
    found: dict[str, str] = {}
    for name, value in given.items():
        if name in validators and value is not UNSET:
            try:
                validators[name](value)
            except InvalidInput as error:
                found.setdefault(error.field, error.detail)
    return found


def application_values(given: dict[str, Any]) -> dict[str, Any]:
    """The given application fields (UNSET ones skipped) as the journal stores them."""
    return _validated(_APPLICATION_FIELDS, given)


def interview_values(given: dict[str, Any]) -> dict[str, Any]:
    """The given interview fields (UNSET ones skipped) as the journal stores them."""
    return _validated(_INTERVIEW_FIELDS, given)


def _validated(fields: dict[str, Callable[[Any], Any]], given: dict[str, Any]) -> dict[str, Any]:
    """Each given value (UNSET ones are skipped) through its field's validator."""
    return {name: fields[name](value) for name, value in given.items() if value is not UNSET}


def validate_application(**given: Any) -> dict[str, Any]:
    """An application's fields checked and cleaned as the journal stores them (InvalidInput
    names the field at fault), so an import can find a bad row before it writes anything."""
    unknown = sorted(set(given) - set(_APPLICATION_FIELDS))
    if unknown:
        raise InvalidInput(unknown[0], "is not a field of an application")
    return _validated(_APPLICATION_FIELDS, given)


def moment(when: date | datetime | str | None, field_name: str) -> datetime:
    """When a dated event happened: now when no date or today is given, local noon of another
    day (so the day stays the same in the user's time zone); future days are refused."""
    if isinstance(when, datetime):
        return (when if when.tzinfo else when.astimezone()).astimezone(UTC)
    if when is None:
        return utcnow()
    day = parse_date(when, field_name, past=True)
    if day == local_today():
        return utcnow()
    try:
        return datetime.combine(day, time(12)).astimezone(UTC)
    except (OverflowError, ValueError):  # year 1 east of UTC, and the like
        raise InvalidInput(field_name, f"{day} is out of range") from None


def local_day(when: datetime) -> date:
    """The calendar day of a timestamp in the user's time zone."""
    return when.astimezone().date()


def skill_list(skills: Iterable[str] | str) -> list[str]:
    """Skill areas from a list or 'a,b' text, each checked against the taxonomy."""
    known = skill_ids()
    items = skills.split(",") if isinstance(skills, str) else list(skills)
    chosen: list[str] = []
    for item in items:
        key = normalise_choice(item)
        if not key:
            continue
        if key not in known:
            raise InvalidInput(
                "skills", f"'{item}' is not a skill area ({', '.join(sorted(known))})"
            )
        if key not in chosen:
            chosen.append(key)
    return chosen
