"""Triage inside the journal, on every backend: statements stored, overridden, re-triaged."""

from __future__ import annotations

import pytest

from debrief.errors import InvalidInput, NotFound
from debrief.journal import Journal
from debrief.model import Label
from debrief.taxonomy import skill_ids

EMAIL = """Hi Priya,

Thank you for taking the time to interview with us.

Your SQL was strong, but your A/B testing answers lacked depth, and in the end we went with an
internal candidate.

Best regards,
Tom
"""


def test_adding_feedback_stores_triaged_statements(journal: Journal) -> None:
    interview = journal.add_interview("onsite")
    item = journal.add_feedback(EMAIL, interview_id=interview.id)
    statements = journal.list_statements(feedback_id=item.id)
    assert [s.position for s in statements] == list(range(1, len(statements) + 1))
    assert [s.label for s in statements] == [
        Label.NOISE,
        Label.STRENGTH,
        Label.CONSTRUCTIVE,
        Label.CIRCUMSTANCE,
    ]
    strength, constructive = statements[1], statements[2]
    assert strength.skills == ("sql",) and constructive.skills == ("experimentation",)
    assert all(s.model_version.startswith("linear-") for s in statements)
    assert all(s.explanation and 0 < s.confidence <= 1 for s in statements)
    assert journal.get_feedback(item.id).text == EMAIL.strip()  # the text itself is verbatim


def test_feedback_can_be_stored_without_triage(journal: Journal) -> None:
    item = journal.add_feedback("Your SQL was strong.", triage=False)
    assert journal.list_statements(feedback_id=item.id) == []


def test_list_statements_filters(journal: Journal) -> None:
    journal.add_feedback(EMAIL)
    journal.add_feedback("You couldn't explain the p-value. Your Python was clean.")
    assert {s.label for s in journal.list_statements(label=["constructive"])} == {
        Label.CONSTRUCTIVE
    }
    sql = journal.list_statements(skill=["sql"])
    assert sql and all("sql" in s.skills for s in sql)
    assert {s.origin for s in journal.list_statements(origin=["rule"])} == {"rule"}


def test_override_is_kept_and_teaches(journal: Journal) -> None:
    item = journal.add_feedback("The recruiter hinted that I seemed too junior for the team.")
    [statement] = journal.list_statements(feedback_id=item.id)
    relabelled = journal.label_statement(statement.id, "noise")
    assert (relabelled.label, relabelled.origin, relabelled.skills) == (Label.NOISE, "user", ())
    assert relabelled.model_label == statement.label
    assert relabelled.confidence == 1.0 and relabelled.labelled_at is not None

    later = journal.add_feedback("Recruiter hinted I seem too junior for that team.")
    [paraphrase] = journal.list_statements(feedback_id=later.id)
    assert (paraphrase.label, paraphrase.origin) == (Label.NOISE, "learned")
    assert f"#{statement.id}" in paraphrase.explanation


def test_override_with_skills_and_validation(journal: Journal) -> None:
    item = journal.add_feedback("You rushed through the whole case.")
    [statement] = journal.list_statements(feedback_id=item.id)
    relabelled = journal.label_statement(
        statement.id, "constructive", ["problem solving", "communication"]
    )
    assert relabelled.skills == ("problem_solving", "communication")
    again = journal.label_statement(statement.id, "constructive", ["communication"])
    assert again.skills == ("communication",)
    kept = journal.label_statement(statement.id, "strength")
    assert kept.skills == ("communication",)  # skills kept when not given
    with pytest.raises(InvalidInput, match="carry no skill areas"):
        journal.label_statement(statement.id, "noise", ["sql"])
    with pytest.raises(InvalidInput, match="not a skill area"):
        journal.label_statement(statement.id, "constructive", ["cooking"])
    with pytest.raises(InvalidInput, match="not one of"):
        journal.label_statement(statement.id, "great")
    with pytest.raises(NotFound):
        journal.label_statement(99_999, "noise")
    assert journal.get_statement(statement.id).skills == ("communication",)


def test_retriage_never_touches_user_labels(journal: Journal) -> None:
    first = journal.add_feedback(EMAIL)
    second = journal.add_feedback("Your SQL was strong. You rushed the stats question.")
    mine = journal.list_statements(feedback_id=second.id)[0]
    journal.label_statement(mine.id, "noise")
    run = journal.retriage()
    assert (run.feedback, run.kept_user_labels) == (2, 1)
    assert run.statements == len(journal.list_statements())
    kept = journal.get_statement(mine.id)
    assert (kept.label, kept.origin) == (Label.NOISE, "user")
    assert len(journal.list_statements(feedback_id=first.id)) == 4
    one = journal.retriage(first.id)
    assert one.feedback == 1
    with pytest.raises(NotFound):
        journal.retriage(99_999)


def test_deleting_feedback_removes_its_statements(journal: Journal) -> None:
    item = journal.add_feedback(EMAIL)
    assert journal.list_statements()
    journal.delete_feedback(item.id)
    assert journal.list_statements() == []


def test_a_user_label_without_skills_gets_the_models_guess(journal: Journal) -> None:
    item = journal.add_feedback("Thank you for your time, the SQL window functions were hard.")
    first = journal.list_statements(feedback_id=item.id)[0]
    journal.label_statement(first.id, "noise")
    relabelled = journal.label_statement(first.id, "constructive")
    assert relabelled.skills and set(relabelled.skills) <= set(skill_ids())


def test_the_journals_triager_remembers_the_users_labels(journal: Journal) -> None:
    item = journal.add_feedback("The recruiter hinted that I seemed too junior for the team.")
    [statement] = journal.list_statements(feedback_id=item.id)
    journal.label_statement(statement.id, "circumstance")
    [verdict] = journal.triager().classify(["Recruiter hinted I seem too junior for the team."])
    assert (verdict.label, verdict.origin) == ("circumstance", "learned")
