"""What is due (FINDINGS L3): `debrief today` and the dashboard's top; asking for feedback
recorded, and its share per stage in the statistics and the report."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from debrief.journal import Journal
from debrief.model import local_today
from debrief.plan import ActionPlan
from debrief.plan.today import due_today
from debrief.settings import days as setting_days
from debrief.stats import search_stats
from debrief.web import create_app
from tests.conftest import CliDriver


def ago(days: int) -> date:
    return local_today() - timedelta(days=days)


def sql_weakness(journal: Journal) -> None:
    """SQL raised in two real interviews: a recurring weakness."""
    for days in (30, 20):
        app = journal.add_application(f"Co {days}", "DS", applied_on=ago(days + 5))
        interview = journal.add_interview(
            "sql", application_id=app.id, held_on=ago(days), outcome="rejected"
        )
        journal.add_feedback(
            "Your SQL joins were wrong and the window functions were shaky.",
            interview_id=interview.id,
            received_on=ago(days),
        )
        journal.record_feedback_asked(app.id, on=ago(days))  # asked: nothing more due


def test_an_upcoming_round_comes_with_its_weak_themes_and_plan_tasks(journal: Journal) -> None:
    sql_weakness(journal)
    plan = ActionPlan(journal)
    [item] = [p.item for p in plan.refresh().items if p.item.skill == "sql"]
    plan.accept(item.id)
    app = journal.add_application("Acme", "Data Scientist", applied_on=ago(6))
    upcoming = journal.add_interview("technical_screen", application_id=app.id, held_on=ago(-3))
    far = journal.add_application("Later", "Data Scientist", applied_on=ago(20))
    journal.change_status(far.id, "technical", at=ago(15))
    journal.add_interview("sql", application_id=far.id, held_on=ago(-30))
    [prepare] = due_today(journal).of("prepare")
    assert prepare.interview_id == upcoming.id and "(in 3 days)" in prepare.text
    assert prepare.text.startswith("Technical screen round at Acme")
    assert any(d.startswith("Weakness: SQL") and "2 interviews" in d for d in prepare.details)
    assert any(d.startswith("Plan task (SQL): ") for d in prepare.details)
    assert (
        prepare.details[-1] == f"Practice questions for it: debrief questions --for {upcoming.id}"
    )
    # A round coming up is not silence.
    assert far.id not in {d.application_id for d in due_today(journal).of("follow_up")}


def test_silence_brings_a_follow_up_then_ghosting_by_the_settings(journal: Journal) -> None:
    quiet = journal.add_application("Quiet", "DS", applied_on=ago(10))
    gone = journal.add_application("Gone", "DS", applied_on=ago(50))
    journal.change_status(gone.id, "screen", at=ago(40))
    fresh = journal.add_application("Fresh", "DS", applied_on=ago(20))
    journal.add_feedback("Thanks for applying.", application_id=fresh.id, received_on=ago(2))
    closed = journal.add_application("Closed", "DS", applied_on=ago(90))
    journal.change_status(closed.id, "rejected", at=ago(80))
    found = due_today(journal)
    assert [d.application_id for d in found.of("follow_up")] == [quiet.id]
    assert "nothing for 10 days" in found.of("follow_up")[0].text
    assert [d.application_id for d in found.of("ghosted")] == [gone.id]
    assert found.of("ghosted")[0].command == f"debrief app status {gone.id} ghosted"
    journal.set_setting("follow_up_days", "14")
    journal.set_setting("ghost_days", "45")
    later = due_today(journal)
    assert later.of("follow_up")[0].application_id == gone.id and not later.of("ghosted")
    assert (later.follow_up_days, later.ghost_days) == (14, 45)


@pytest.mark.parametrize(
    ("text", "days"), [("", 7), ("12", 12), ("0", 7), ("twelve", 7), ("١٢", 7), ("9999", 7)]
)
def test_a_days_setting_outside_its_bounds_is_its_default(text: str, days: int) -> None:
    assert setting_days({"follow_up_days": text}, "follow_up_days") == days


def test_ask_for_feedback_after_a_final_result_until_asked_or_answered(journal: Journal) -> None:
    def ended(company: str, *, rounds: bool = True, days: int = 5) -> int:
        app = journal.add_application(company, "DS", applied_on=ago(days + 20))
        if rounds:
            journal.add_interview(
                "coding", application_id=app.id, held_on=ago(days + 3), outcome="rejected",
                decided_on=ago(days),
            )  # fmt: skip
        else:
            journal.change_status(app.id, "rejected", at=ago(days))
        return app.id

    ask, asked, answered = ended("Ask"), ended("Asked"), ended("Answered")
    no_rounds, stale = ended("Plain", rounds=False), ended("Old", days=90)
    journal.record_feedback_asked(asked, on=ago(3))
    journal.add_feedback(
        "Your code had no tests.", application_id=answered, source="interviewer",
        received_on=ago(2),
    )  # fmt: skip
    due = due_today(journal).of("ask_feedback")
    assert [d.application_id for d in due] == [ask]
    assert due[0].command == f"debrief feedback request {ask}"
    assert {no_rounds, stale}.isdisjoint(d.application_id for d in due)


def test_a_mock_without_an_outcome_and_a_plan_target_are_due(journal: Journal) -> None:
    bare = journal.add_interview("product_case", held_on=ago(2))
    journal.add_interview("sql", held_on=ago(2), rubric={"sql": 4})
    assert [d.interview_id for d in due_today(journal).of("mock_outcome")] == [bare.id]
    sql_weakness(journal)
    plan = ActionPlan(journal)
    [item] = [p.item for p in plan.refresh().items if p.item.skill == "sql"]
    plan.accept(item.id, target=ago(-4))
    [target] = due_today(journal).of("plan")
    assert target.item_id == item.id and "(in 4 days)" in target.text
    assert target.details and target.details[0].startswith("Task 1: ")
    assert not due_today(journal, as_of=ago(-4) - timedelta(days=TARGET_GAP)).of("plan")


TARGET_GAP = 8  # a week ahead of the target is not yet due


def test_asking_is_counted_per_stage_in_stats(journal: Journal) -> None:
    def closed_at(stage_kind: str, company: str) -> int:
        app = journal.add_application(company, "DS", applied_on=ago(40))
        journal.add_interview(
            stage_kind, application_id=app.id, held_on=ago(30), outcome="rejected",
            decided_on=ago(28),
        )  # fmt: skip
        return app.id

    screen_a, screen_b = closed_at("recruiter_screen", "A"), closed_at("recruiter_screen", "B")
    onsite = closed_at("final", "C")
    journal.add_feedback("Before asking.", application_id=screen_b, received_on=ago(27))
    journal.record_feedback_asked(screen_a, on=ago(26))
    journal.record_feedback_asked(onsite, on=ago(26))
    journal.add_feedback("Your case lacked structure.", application_id=onsite, received_on=ago(20))
    asking = search_stats(journal, as_of=local_today()).asking
    assert [(s.stage, s.results, s.asked, s.answered) for s in asking.stages] == [
        ("screen", 2, 1, 0),
        ("onsite", 1, 1, 1),
    ]
    assert (asking.results, asking.asked, asking.answered) == (3, 2, 1)
    assert asking.median_days_to_answer == 6
    assert asking.sentence.startswith(
        "You asked for feedback after 2 of 3 final results that followed interviews (67%); "
        "1 of those 2 was answered, in a median of 6 days."
    )


def test_the_cli_records_asking_and_lists_what_is_due(cli: CliDriver) -> None:
    made = cli.json("app", "add", "Acme", "DS", "--applied", ago(20).isoformat())
    assert isinstance(made, dict)
    app_id = str(made["id"])
    cli.ok(
        "interview", "add", "--app", app_id, "--kind", "sql", "--date", ago(10).isoformat(),
        "--outcome", "rejected",
    )  # fmt: skip
    listed = cli.ok("today").stdout
    assert "Ask for feedback (1)" in listed and f"→ debrief feedback request {app_id}" in listed
    request = cli.ok("feedback", "request", app_id)
    assert f"debrief feedback asked {app_id}" in request.stderr
    said = cli.ok("feedback", "asked", app_id, "--on", ago(9).isoformat()).stdout
    assert f"feedback asked for on {ago(9)}" in said
    assert "Ask for feedback" not in cli.ok("today").stdout
    stats = " ".join(cli.ok("stats").stdout.split())
    assert "asked for feedback after 1 of 1 final result that followed interviews" in stats
    assert "(100%); no answer yet." in stats
    refused = cli("feedback", "asked", app_id, "--on", ago(30).isoformat())
    assert refused.exit_code != 0 and "before the application" in refused.output
    cli.ok("feedback", "asked", app_id, "--clear")
    assert "Ask for feedback (1)" in cli.ok("today").stdout
    bad = cli("config", "set", "ghost_days", "soon")
    assert bad.exit_code != 0 and "number of days from 2 to 730" in bad.output
    cli.ok("config", "set", "ghost_days", "60")
    assert "ghosted after 60" in cli.ok("today").stdout
    as_json = cli.json("today")
    assert isinstance(as_json, dict) and as_json["due"][0]["kind"] == "ask_feedback"


@pytest.fixture
def client(journal: Journal) -> Iterator[TestClient]:
    with TestClient(create_app(journal)) as test_client:
        yield test_client


def test_the_dashboard_starts_with_what_is_due(client: TestClient, journal: Journal) -> None:
    assert "Nothing is due today." in client.get("/").text
    quiet = journal.add_application("Quiet <Co>", "DS", applied_on=ago(10))
    page = client.get("/").text
    assert page.index("Due today") < page.index("Top recurring weaknesses")
    assert "Follow up" in page and f'href="/applications/{quiet.id}"' in page
    assert "Quiet &lt;Co&gt;" in page


def test_a_round_booked_for_a_closed_application_is_not_to_prepare(journal: Journal) -> None:
    app = journal.add_application("Acme", "DS", applied_on=ago(20))
    journal.add_interview("final", application_id=app.id, held_on=ago(-4))
    assert due_today(journal).of("prepare")
    journal.change_status(app.id, "withdrawn")
    assert not due_today(journal).of("prepare")
