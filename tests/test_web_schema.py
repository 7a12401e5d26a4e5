"""The JSON API against its own OpenAPI schema, with schemathesis: inputs generated from the
schema (valid and invalid) never make a server error, and every success answers in the shape the
schema promises."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from debrief.journal import Journal
from debrief.journal.imported import QueuedMessage
from debrief.web import create_app

DAY = date(2026, 11, 20)


def small_journal(path: Path) -> Journal:
    """A few records of every kind (queued messages too), so ids in generated paths often
    exist."""
    journal = Journal.open(str(path))
    for n in range(3):
        app = journal.add_application(f"Company {n}", "Data Scientist", applied_on=DAY)
        interview = journal.add_interview(
            "sql", application_id=app.id, held_on=DAY + timedelta(days=2), outcome="rejected"
        )
        journal.add_feedback(
            "Your SQL joins were wrong. Great communication.", interview_id=interview.id
        )
    journal.add_interview("statistics", held_on=DAY)
    journal.queue_for_review(
        [
            QueuedMessage(
                key=f"<q{n}@example.com>",
                origin=f"q{n}.eml",
                sender="Sam <sam@example.com>",
                subject="Update",
                sent_at=None,
                sent_on=DAY,
                text="Unfortunately the panel decided not to progress your application.",
                event="rejection",
                company=company,
                role=None,
                stage=None,
                confidence=0.5,
                company_confidence=0.4,
                why="rejection (unfortunately)",
                doubts="unsure of the company (40%)",
            )
            for n, company in enumerate(("Company 1", None))
        ]
    )
    return journal


def _schema() -> schemathesis.BaseSchema:
    """The schema of an app over a small journal of its own (schemathesis loads it when the
    tests are collected)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="debrief-schema-"))
    app = create_app(small_journal(folder / "journal.db"))
    return schemathesis.openapi.from_asgi("/api/openapi.json", app)


schema = _schema()


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_never_fails_with_a_server_error(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    if response.status_code < 300:
        case.validate_response(response, checks=[response_schema_conformance])
