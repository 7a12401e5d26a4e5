"""The day a message says the user applied ("your application submitted on 3 March 2026",
"Date applied: 2026-03-03"), so an application first heard of in a later message can still
have a known applied date. Only a date tied to the application by its words counts, only one
on or before the day the message was sent and within a year of it, and only one that reads
one way (03/04/2026 is left alone unless one of its numbers is over 12).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
# One alternative per way of writing a day; each names its parts, once.
_WRITTEN = [
    r"(?P<iso>\d{4}-\d{2}-\d{2})",
    rf"{_DAY}\s+(?:of\s+)?(?P<month>{_MONTH})\.?(?:,?\s+{_YEAR})?",
    rf"(?P<month2>{_MONTH})\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year2>\d{{4}}))?",
    r"(?P<first>\d{1,2})[/.](?P<second>\d{1,2})[/.](?P<year3>\d{4})",
]
_DATE = "(?:" + "|".join(_WRITTEN) + ")"
_STATED = re.compile(
    # "applied on …", "application (for the X role) submitted on …", "date applied: …"
    r"(?:\b(?P<lead>applied|application|submitted|applying)\b(?P<gap>[^.;:\n]{0,60}?)\bon\s+"
    r"(?:\w+day,?\s+)?"
    r"|\b(?:date\s+applied|application\s+date|date\s+submitted)\s*[:\-]?\s*)"
    rf"{_DATE}\b",
    re.IGNORECASE,
)
# The words that make "on <day>" the day the application was made ("applied on", "your
# application, submitted on", "was received on").
_SENT_ON = re.compile(
    r"\b(?:applied|submitted|received|sent|made|dated|lodged|filed)\s*(?:it\s*)?$", re.I
)
# "received your application on <day>"
_RECEIVED = re.compile(r"\b(?:received|got|submitted)\s+(?:your\s+)?$", re.I)
# Words between "application" and "on <day>" that make the day another event's.
_OTHER_EVENT = re.compile(
    r"\b(?:interview|call|chat|meet|meeting|speak|talk|start|assessment|test|deadline|due|"
    r"complete|decision|schedul\w*|invit\w*|avail\w*|slot|round|screen\w*|review\w*|"
    r"consider\w*|decid\w*|panel|team|feedback|update\w*)\b",
    re.IGNORECASE,
)
MAX_AGE = timedelta(days=365)


def stated_applied_day(text: str, sent: date) -> date | None:
    """The day the message says the application was made, if it says one."""
    text = text[:20_000]
    for match in _STATED.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        made = _SENT_ON.search(f"{match['lead']} {match['gap']}") or _RECEIVED.search(before)
        if match["lead"] and not made:
            continue  # "we reviewed your application on 20 March": not the day it was sent
        if match["gap"] and _OTHER_EVENT.search(match["gap"]):
            continue  # "thank you for applying, your interview is on 12 March"
        day = _day(match, sent)
        if day is not None and sent - MAX_AGE <= day <= sent:
            return day
    return None


def _day(match: re.Match[str], sent: date) -> date | None:
    part = match.groupdict()
    try:
        if part["iso"]:
            return date.fromisoformat(part["iso"])
        if part["first"]:
            first, second = int(part["first"]), int(part["second"])
            if first <= 12 and second <= 12 and first != second:
                return None  # 03/04: March or April, depending on who wrote it
            day, month = (first, second) if first > 12 else (second, first)
            return date(int(part["year3"]), month, day)
        month_name = (part["month"] or part["month2"]).lower()
        number = int(part["day"] or part["day2"])
        year = part["year"] or part["year2"]
        found = date(int(year) if year else sent.year, MONTHS[month_name], number)
        if not year and found > sent:  # "applied on 28 December", read in January
            found = found.replace(year=sent.year - 1)
        return found
    except ValueError:  # 31 February and the like
        return None
