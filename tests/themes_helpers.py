"""Building small journals with statements labelled exactly as a test needs them."""

from __future__ import annotations

from datetime import date

from debrief.journal import Journal


def say(
    journal: Journal,
    lines: list[tuple[str, str, str]],
    *,
    interview_id: int | None = None,
    application_id: int | None = None,
    source: str | None = None,
    on: date | str | None = None,
) -> list[int]:
    """Add feedback made of `lines` (text, label, "skill,skill"), one statement each, and label
    every statement by hand so the test does not depend on the model. Returns statement ids."""
    feedback = journal.add_feedback(
        "\n\n".join(text for text, _, _ in lines),
        interview_id=interview_id,
        application_id=application_id,
        source=source,
        received_on=on,
    )
    statements = journal.list_statements(feedback_id=feedback.id)
    assert [s.text for s in statements] == [text for text, _, _ in lines]
    for statement, (_, label, skills) in zip(statements, lines, strict=True):
        journal.label_statement(statement.id, label, skills.split(",") if skills else None)
    return [s.id for s in statements]


def real_interview(journal: Journal, company: str, kind: str, day: date, **fields: object) -> int:
    """A real interview at a new application; returns the interview id."""
    application = journal.add_application(company, "Data Scientist", applied_on=day)
    return journal.add_interview(kind, application_id=application.id, held_on=day, **fields).id


def mock_interview(journal: Journal, kind: str, day: date, **fields: object) -> int:
    """A mock interview; returns its id."""
    return journal.add_interview(kind, held_on=day, **fields).id
