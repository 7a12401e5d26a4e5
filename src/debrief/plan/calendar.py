"""The loop's dates as an iCalendar file: upcoming rounds (with what to prepare), follow-ups as
they fall due, a coach's assignments, and plan targets. Written by the icalendar library; each
event keeps a stable UID (the round, application, assignment or plan item it is about), so a
calendar subscribed to the feed updates its events instead of adding copies.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from debrief.model import local_today

if TYPE_CHECKING:
    from debrief.journal import Journal

PRODUCT_ID = "-//debrief//job search journal//EN"
CALENDAR_NAME = "Job search (debrief)"
MAX_TEXT = 4000  # characters of an event's description


def calendar_events(journal: Journal, *, as_of: date | None = None) -> list[dict[str, object]]:
    """The events, as plain values (uid, day, summary, description, url path)."""
    from debrief.plan.store import ActionPlan
    from debrief.plan.today import assignment_title, due_today, prepare_details, round_title
    from debrief.themes import find_themes

    as_of = as_of or local_today()
    facts = journal.facts()
    report = find_themes(journal, as_of=as_of)
    plan = ActionPlan(journal).status(as_of=as_of).items
    events: list[dict[str, object]] = []
    for round_ in facts.interviews:
        if round_.mock or round_.outcome != "pending" or round_.held_on < as_of:
            continue
        details = prepare_details(round_.kind, report, plan)
        events.append(
            {
                "uid": f"round-{round_.id}@debrief",
                "day": round_.held_on,
                "summary": round_title(round_.kind, round_.company),
                "description": "\n".join(["What to prepare:", *details]),
                "path": f"/interviews/{round_.id}",
            }
        )
    found = due_today(journal, as_of=as_of, themes=report, plan=plan, facts=facts)
    for due in found.of("follow_up"):
        events.append(
            {
                "uid": f"follow-up-{due.application_id}@debrief",
                "day": max(due.on, as_of),
                "summary": f"Follow up: {due.text.split(':', 1)[0]}",
                "description": due.text,
                "path": f"/applications/{due.application_id}",
            }
        )
    for assignment in journal.list_assignments(open_only=True):
        if assignment.due_on < as_of:
            continue
        events.append(
            {
                "uid": f"assignment-{assignment.id}@debrief",
                "day": assignment.due_on,
                "summary": f"Due: {assignment_title(assignment)}",
                "description": f"From {assignment.assigned_by}: {assignment.text}",
                "path": f"/plan#assignment-{assignment.id}",
            }
        )
    for progress in plan:
        item = progress.item
        if item.status != "accepted" or item.target_on is None or item.target_on < as_of:
            continue
        open_tasks = [task for task in item.tasks if task.done_on is None]
        events.append(
            {
                "uid": f"plan-target-{item.id}@debrief",
                "day": item.target_on,
                "summary": f"Plan target: {item.title}",
                "description": "\n".join(
                    [item.goal, *(f"Task {task.number}: {task.text}" for task in open_tasks)]
                ),
                "path": f"/plan#item-{item.id}",
            }
        )
    return events


def calendar_ics(journal: Journal, *, as_of: date | None = None, base_url: str = "") -> bytes:
    """The iCalendar file (RFC 5545) of the upcoming dates; `base_url` makes each event link
    to its page in the web app."""
    return calendar_text(calendar_events(journal, as_of=as_of), base_url=base_url)


def calendar_text(events: list[dict[str, object]], *, base_url: str = "") -> bytes:
    """The iCalendar file of events `calendar_events` found."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    stamp = datetime.now(UTC).replace(microsecond=0)
    for found in events:
        day = found["day"]
        assert isinstance(day, date)
        event = Event()
        event.add("uid", found["uid"])
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", str(found["summary"])[:200])
        event.add("description", str(found["description"])[:MAX_TEXT])
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
        if base_url:
            event.add("url", base_url.rstrip("/") + str(found["path"]))
        calendar.add_component(event)
    return bytes(calendar.to_ical())
