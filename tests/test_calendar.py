"""The calendar (issue: the loop between rounds, item 4): an iCalendar file and feed of coming
rounds, follow-ups and plan targets, checked by parsing it back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from debrief.journal import Journal
from debrief.model import local_today
from debrief.plan import ActionPlan
from debrief.plan.calendar import calendar_ics
from debrief.web import create_app
from tests.conftest import CliDriver
from tests.test_today import sql_weakness

COMPANY = "Acme, Inc; R&D \\ <Labs>"  # the characters iCalendar text must escape


def ago(days: int) -> date:
    return local_today() - timedelta(days=days)


def busy_journal(journal: Journal) -> dict[str, int]:
    """A recurring SQL weakness with an accepted plan item, a round coming up, a silent
    application, and rounds that are not coming (past, mock)."""
    sql_weakness(journal)
    plan = ActionPlan(journal)
    [item] = [p.item for p in plan.refresh().items if p.item.skill == "sql"]
    plan.accept(item.id, target=ago(-20))
    acme = journal.add_application(COMPANY, "Data Scientist", applied_on=ago(9))
    coming = journal.add_interview("sql", application_id=acme.id, held_on=ago(-3))
    quiet = journal.add_application("Quiet", "DS", applied_on=ago(10))
    journal.add_interview("product_case", held_on=ago(-2))  # a mock: practice, not a date
    return {"round": coming.id, "quiet": quiet.id, "item": item.id}


def events(text: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(text)
    assert str(calendar["VERSION"]) == "2.0" and "debrief" in str(calendar["PRODID"])
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_calendar_parses_back_with_each_coming_date(journal: Journal) -> None:
    ids = busy_journal(journal)
    text = calendar_ics(journal, base_url="http://127.0.0.1:8123/")
    found = events(text)
    assert set(found) == {
        f"round-{ids['round']}@debrief",
        f"follow-up-{ids['quiet']}@debrief",
        f"plan-target-{ids['item']}@debrief",
    }
    round_ = found[f"round-{ids['round']}@debrief"]
    assert str(round_["SUMMARY"]) == f"SQL round at {COMPANY}"  # escaped, and back whole
    assert round_.decoded("DTSTART") == ago(-3)
    assert round_.decoded("DTEND") == ago(-4)  # an all-day event
    assert "Weakness: SQL" in str(round_["DESCRIPTION"])
    assert str(round_["URL"]) == f"http://127.0.0.1:8123/interviews/{ids['round']}"
    follow = found[f"follow-up-{ids['quiet']}@debrief"]
    assert follow.decoded("DTSTART") == local_today()  # due since 3 days: today
    target = found[f"plan-target-{ids['item']}@debrief"]
    assert target.decoded("DTSTART") == ago(-20) and "Task 1:" in str(target["DESCRIPTION"])
    # RFC 5545: CRLF line ends, lines folded at 75 octets.
    lines = text.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines) and b"\n" not in text.replace(b"\r\n", b"")
    # The same journal gives the same events: a subscribed calendar updates, not duplicates.
    assert set(events(calendar_ics(journal))) == set(found)


def test_a_journal_with_nothing_coming_is_an_empty_calendar(journal: Journal) -> None:
    assert events(calendar_ics(journal)) == {}


def test_the_cli_writes_the_calendar(cli: CliDriver, tmp_path: Path) -> None:
    made = cli.json("app", "add", "Acme", "DS", "--applied", ago(5).isoformat())
    assert isinstance(made, dict)
    cli.ok("interview", "add", "--app", str(made["id"]), "--kind", "final", "--date", str(ago(-1)))
    target = tmp_path / "search.ics"
    said = cli.ok("export", "ics", str(target)).stdout
    assert said.strip() == f"Wrote {target}: 1 event."
    [event] = events(target.read_bytes()).values()
    assert str(event["SUMMARY"]) == "Final round at Acme"


@pytest.fixture
def client(journal: Journal) -> Iterator[TestClient]:
    with TestClient(create_app(journal)) as test_client:
        yield test_client


def test_the_web_app_serves_a_feed_with_links_to_its_own_pages(
    client: TestClient, journal: Journal
) -> None:
    ids = busy_journal(journal)
    feed = client.get("/calendar.ics")
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    round_ = events(feed.content)[f"round-{ids['round']}@debrief"]
    assert str(round_["URL"]) == f"http://testserver/interviews/{ids['round']}"
    assert 'href="/calendar.ics"' in client.get("/").text
