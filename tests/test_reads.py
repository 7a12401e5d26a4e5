"""Reads are pure: every page and API route a browser can GET, and the CLI's reports and
analyses, leave the journal as it was. The revision that caches are keyed on moves with every
committed write, seen from another connection, whatever the write's timestamps."""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import text
from starlette.routing import Route

from debrief.journal import Journal
from debrief.journal.imported import QueuedMessage
from debrief.partner import create_invite
from debrief.plan import ActionPlan
from debrief.storage.location import sqlite_path
from debrief.web import create_app
from tests.conftest import CliDriver

END = date(2026, 11, 30)


@pytest.fixture
def lived_in(database_url: str) -> Iterator[tuple[Journal, dict[str, str]]]:
    """The demo journal with a plan item taken on and resolved, an open partner invite and a
    message waiting for review; the values every route's path parameters take."""
    from debrief.demo import build_demo

    with Journal.open(database_url) as journal:
        build_demo(journal, seed=7, end=END)
        plan = ActionPlan(journal)
        first, second = (p.item for p in plan.refresh(as_of=END).items[:2])
        plan.accept(first.id, as_of=END)
        plan.accept(second.id, as_of=END)
        plan.resolve(second.id, as_of=END)
        mock = journal.list_interviews(mock=True)[-1]
        invite = create_invite(journal, mock.id)
        feedback = journal.list_feedback()[0]
        app = journal.list_applications()[0]
        journal.queue_for_review([queued_rejection(app.company)])
        story = journal.list_stories()[0]
        values = {
            "question_id": str(journal.list_questions()[0].id),
            "story_id": str(story.id),
            "application_id": str(app.id),
            "interview_id": str(mock.id),
            "feedback_id": str(feedback.id),
            "token": invite.token,
            "review_id": str(journal.list_reviews()[0].id),
        }
        yield journal, values


def queued_rejection(company: str) -> QueuedMessage:
    """A rejection with feedback in it, waiting for review: showing it reads what accepting it
    would write (triage included) and must write nothing."""
    return QueuedMessage(
        key="<reads@example.com>",
        origin="reads.eml",
        sender="Talent <talent@example.com>",
        subject="Your application",
        sent_at=None,
        sent_on=END,
        text="Unfortunately we will not move forward. Feedback: your SQL joins were weak.",
        event="rejection",
        company=company,
        role=None,
        stage=None,
        confidence=0.5,
        company_confidence=0.4,
        why="rejection (unfortunately)",
        doubts="unsure of the company (40%)",
    )


def get_routes(routes: list[Any]) -> list[str]:
    """The path of every GET route (pages and the JSON API), into included routers too."""
    paths = []
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI keeps routers as included
        if included is not None:
            paths += get_routes(included.routes)
        elif isinstance(route, APIRoute | Route) and "GET" in (route.methods or set()):
            paths.append(route.path)
    return sorted(set(paths))


def test_no_get_route_writes(lived_in: tuple[Journal, dict[str, str]]) -> None:
    journal, values = lived_in
    app = create_app(journal)
    paths = get_routes(app.routes)
    assert len(paths) >= 30
    before = journal.revision()
    with TestClient(app) as client:
        for path in paths:
            url = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)
            answer = client.get(url)
            assert answer.status_code < 400, (url, answer.status_code)
            assert journal.revision() == before, url
        # The partner's form can still be answered: showing it used nothing up.
        form = client.get(f"/partner/{values['token']}")
        assert form.status_code == 200 and "score" in form.text.lower()


def test_the_cli_reads_write_nothing(tmp_path: Path) -> None:
    from debrief.demo import build_demo

    path = tmp_path / "demo.db"
    with Journal.open(str(path)) as journal:
        build_demo(journal, seed=7, end=END)
        before = journal.revision()
        reads = [
            ["report", "-o", str(tmp_path / "report.html")],
            ["report", "--format", "md"],
            ["stats"],
            ["themes"],
            ["plan"],
            ["plan", "--all", "--items", "6"],
            ["plan", "status"],
            ["plan", "show", "1"],
            ["practice", "list"],
            ["summary"],
            ["app", "list"],
            ["interview", "list"],
            ["feedback", "list"],
            ["partner", "list"],
            ["export", "json", str(tmp_path / "backup.json")],
        ]
        cli = CliDriver(path)
        for args in reads:
            cli.ok(*args)
            assert journal.revision() == before, args


def test_every_write_moves_the_revision_another_connection_sees(database_url: str) -> None:
    with Journal.open(database_url) as writer, Journal.open(database_url) as reader:
        seen = [reader.revision()]

        def moved() -> bool:
            seen.append(reader.revision())
            return seen[-1] != seen[-2]

        app = writer.add_application("Acme", "Data Scientist", applied_on="2026-11-01")
        assert moved()
        writer.change_status(app.id, "screen")
        assert moved()
        interview = writer.add_interview("sql", application_id=app.id, held_on="2026-11-05")
        assert moved()
        feedback = writer.add_feedback("Your joins were slow.", interview_id=interview.id)
        assert moved()
        [statement] = writer.list_statements(feedback_id=feedback.id)
        writer.label_statement(statement.id, "constructive", ["sql"])
        assert moved()
        # A commit whose timestamps are older than the newest one still counts.
        with writer.transaction() as session:
            from debrief.storage.schema import ApplicationRow

            row = session.get(ApplicationRow, app.id)
            assert row is not None
            row.notes, row.updated_at = "backdated", datetime(2001, 1, 1, tzinfo=UTC)
        assert moved()
        writer.delete_feedback(feedback.id)
        assert moved()
        with writer.transaction() as session:  # textual SQL counts too
            session.execute(
                text("UPDATE applications SET notes = :notes WHERE id = :id"),
                {"notes": "by hand", "id": app.id},
            )
        assert moved()
        path = sqlite_path(database_url)
        if path is not None:  # a commit by another tool moves it on a SQLite file
            with closing(sqlite3.connect(path)) as other, other:
                other.execute("UPDATE applications SET notes = 'elsewhere'")
            assert moved()
        writer.summary()
        writer.facts()
        assert not moved()  # reads do not move it
        with pytest.raises(Exception, match="statement"):
            writer.label_statement(statement.id, "noise")  # refused (deleted): nothing lands
        assert not moved()


@pytest.mark.postgres
def test_interleaved_commits_each_move_the_revision(tmp_path: Path) -> None:
    """Two writers whose transactions overlap, the older one committing last: a fingerprint of
    counts and latest timestamps saw nothing change; the counter does."""
    base = os.environ.get("DEBRIEF_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("set DEBRIEF_TEST_POSTGRES_URL to run the storage tests on PostgreSQL")
    from tests.conftest import postgres_schema_url

    for url in postgres_schema_url(base):
        with Journal.open(url) as first, Journal.open(url) as second, Journal.open(url) as reader:
            one = first.add_application("Acme", "DS", applied_on="2026-11-01")
            two = second.add_application("Globex", "DS", applied_on="2026-11-01")
            with first.atomic():
                first.edit_application(one.id, notes="edited first, committed last")
                second.edit_application(two.id, notes="edited second, committed first")
                between = reader.revision()
            assert reader.revision() != between
