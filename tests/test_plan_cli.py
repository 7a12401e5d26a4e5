"""`debrief themes`, `debrief plan`, `debrief practice` and `debrief feedback request`, as a user
runs them: exit codes, what they print, and their JSON."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from debrief.journal import Journal
from debrief.model import local_today
from tests.conftest import CliDriver
from tests.test_plan import EXP, weak_journal
from tests.themes_helpers import say

TODAY = local_today()


def built(cli: CliDriver) -> dict[str, list[int]]:
    with Journal.open(str(cli.db_path)) as journal:
        return weak_journal(journal)


def test_themes_lists_ranked_themes_and_signals(cli: CliDriver) -> None:
    built(cli)
    out = cli.ok("themes").stdout
    assert "Recurring weaknesses" in out and "Experimentation" in out
    assert "SQL (signal)" in out
    assert "circumstance" in out  # says what was left out, and why
    report: Any = cli.json("themes")
    assert [t["skill"] for t in report["weaknesses"]] == [EXP, "problem_solving", "sql"]
    assert [t["status"] for t in report["weaknesses"]] == ["theme", "theme", "signal"]
    first = report["weaknesses"][0]
    assert set(first) >= {
        "interviews_real",
        "interviews_mock",
        "first_seen",
        "last_seen",
        "trend",
        "sources",
        "subthemes",
        "evidence",
        "score",
    }
    assert first["evidence"][0]["source"] == "interviewer"
    mock_only: Any = cli.json("themes", "--mock")
    assert mock_only["weaknesses"] == []
    assert "No themes yet" in cli.ok("themes", "--mock").stdout


def test_themes_show_prints_the_evidence(cli: CliDriver) -> None:
    ids = built(cli)
    out = cli.ok("themes", "show", "Experimentation").stdout
    assert "recurring weakness" in out and "Evidence (3 statements" in out
    assert "You could not say how large the sample size had to be." in out
    assert f"#{ids[EXP][0]}" in out
    shown: Any = cli.json("themes", "show", "experimentation", "--weakness")
    assert [t["kind"] for t in shown] == ["weakness"]
    failed = cli("themes", "show", "typing")
    assert failed.exit_code == 2 and "not a skill area" in failed.stderr
    failed = cli("themes", "show", "coding")
    assert failed.exit_code == 2 and "no feedback has raised coding yet" in failed.stderr


def test_the_plan_journey_on_the_command_line(cli: CliDriver) -> None:
    built(cli)
    out = cli.ok("plan").stdout
    assert "Experimentation: sample size and power" in out and "debrief plan accept 1" in out
    view: Any = cli.json("plan")
    assert [i["item"]["status"] for i in view["items"]] == ["proposed", "proposed"]
    assert "Accepted item #1" in cli.ok("plan", "accept", "1").stdout
    logged = cli.ok("practice", "log", "1", "Sized three tests", "--minutes", "45", "--task", "2")
    assert "45 min (task 2)" in logged.stdout
    edited: Any = cli.json("plan", "edit", "experimentation", "--done", "2", "--add-task", "Mine")
    assert (
        edited["tasks"][1]["done_on"] == TODAY.isoformat() and edited["tasks"][-1]["kind"] == "own"
    )
    status = cli.ok("plan", "status").stdout
    assert "no evidence yet" in status and "45 min" in status and "1/2" not in status
    assert "Sized three tests" in cli.ok("practice", "list").stdout
    assert "Interviews since tracking began" not in cli.ok("plan", "show", "1").stdout

    with Journal.open(str(cli.db_path)) as journal:
        mock = journal.add_interview("product_case", rubric={EXP: 4, "product_sense": 3})
        say(
            journal,
            [("You said how long the test must run, and why.", "strength", EXP)],
            interview_id=mock.id,
        )
    status = cli.ok("plan", "status").stdout
    assert "working" in status and "1/2" in status
    shown = cli.ok("plan", "show", "1").stdout
    assert "Interviews since tracking began" in shown and f"(#{mock.id})" in shown

    assert "Dropped item #2" in cli.ok("plan", "drop", "2").stdout
    assert "Resolved item #1" in cli.ok("plan", "resolve", "1").stdout
    assert [i["item"]["status"] for i in cli.json("plan", "--all")["items"]] == [  # type: ignore[index]
        "resolved",
        "dropped",
    ]


def test_plan_errors_are_one_line_and_change_nothing(cli: CliDriver) -> None:
    built(cli)
    cli.ok("plan")
    for args, message in [
        (("plan", "accept", "99"), "no plan item with id 99"),
        (("plan", "edit", "1", "--goal", "x"), "accept it first"),
        (("plan", "edit", "1"), "nothing to change"),
        (("practice", "log", "1", "x", "--minutes", "-5"), "-5 is not in the range"),
        (("plan", "accept", "1", "--target", "yesterday"), "is in the past"),
        (("plan", "resolve", "sql"), "no plan item for sql"),
    ]:
        result = cli(*args)
        assert result.exit_code != 0, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.output
    assert [i["item"]["status"] for i in cli.json("plan")["items"]] == ["proposed", "proposed"]  # type: ignore[index]


def test_plan_on_an_empty_journal_says_what_to_do(cli: CliDriver) -> None:
    Journal.open(str(cli.db_path)).close()  # a journal with nothing in it yet
    assert "No plan yet" in cli.ok("plan").stdout
    assert "No accepted items" in cli.ok("plan", "status").stdout
    assert "No themes yet" in cli.ok("themes").stdout


def test_feedback_request_prints_an_email(cli: CliDriver) -> None:
    with Journal.open(str(cli.db_path)) as journal:
        app = journal.add_application(
            "Acme", "Data Scientist", applied_on=TODAY - timedelta(days=20)
        )
        journal.change_status(app.id, "screen", at=TODAY - timedelta(days=15))
        journal.add_interview(
            "recruiter_screen",
            application_id=app.id,
            held_on=TODAY - timedelta(days=14),
            interviewer="Megan Alvarez",
        )
        journal.change_status(app.id, "rejected", at=TODAY - timedelta(days=10))
    result = cli.ok("feedback", "request", str(app.id), "--name", "Priya")
    assert result.stdout.startswith("Subject: Thank you, and a short request for feedback")
    assert "Hi Megan," in result.stdout and result.stdout.rstrip().endswith("Priya")
    assert "feedback add --app" in result.stderr
    email: Any = cli.json("feedback", "request", str(app.id))
    assert email["stage"] == "screen" and email["ended"] is True
    missing = cli("feedback", "request", "77")
    assert missing.exit_code == 1 and "no application with id 77" in missing.stderr
