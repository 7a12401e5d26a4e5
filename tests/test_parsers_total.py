"""Every parser of outside input is total (issue 20, item 5; FINDINGS S7, S9): days no journal
holds, digits of other scripts and ids beyond the columns get one line of error naming the
field, never a traceback, and nothing is written."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient

from debrief.cli import main
from debrief.journal import Journal
from debrief.plan import ActionPlan
from debrief.web import create_app
from debrief.web.security import CSRF_COOKIE
from tests.conftest import CliDriver


def refused(result: Result) -> str:
    """The one error line of a command that refused its input cleanly."""
    assert result.exit_code in (1, 2), (result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert result.exit_code == 2 or result.stderr.strip() == errors[0], result.stderr
    return errors[0]


# -- days, digits and ids a person types -------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["interview", "add", "--mock", "--kind", "sql", "--date", "0001-01-01"], "before 1970"),
        (["interview", "add", "--mock", "--kind", "sql", "--date", "9999-12-31"], "10 years"),
        (["questions", "practise", "sql-01", "--on", "0001-01-01"], "before 1970"),
        (["interview", "add", "--mock", "--kind", "sql", "--self-rating", "٣"], "whole number"),
        (["questions", "practise", "sql-01", "--minutes", "٣"], "not a whole number"),
        (["questions", "practise", "sql-01", "--rating", "٣"], "whole number"),
        (["app", "show", "٣"], "'٣' is not a whole number"),
        (["app", "show", "1_0"], "'1_0' is not a whole number"),
        (["app", "show", "3000000000"], "3000000000 is out of range"),
        (["plan", "show", "²"], "'²' is not a skill area"),
        (["practice", "log", "²", "drill"], "'²' is not a skill area"),
        (["questions", "show", "²"], "'²' is not a question of the practice bank"),
        (["import", "review", "show", "٣"], "'٣' is not a whole number"),
    ],
)
def test_days_and_numbers_are_read_one_way_everywhere(
    cli: CliDriver, args: list[str], message: str
) -> None:
    Journal.open(str(cli.db_path)).close()
    line = refused(cli(*args))
    assert message in line
    with Journal.open(str(cli.db_path)) as journal:
        assert journal.list_interviews() == [] and ActionPlan(journal).practice_log() == []


def test_the_web_forms_and_the_api_read_days_and_numbers_the_same_way(journal: Journal) -> None:
    with TestClient(create_app(journal)) as client:
        client.get("/")
        token = client.cookies.get(CSRF_COOKIE) or ""
        for fields, message in [
            ({"self_rating": "٣"}, "is not a whole number from 1 to 5"),
            ({"held_on": "0001-01-01"}, "0001-01-01 is before 1970"),
            ({"held_on": "9999-12-31"}, "more than 10 years from today"),
        ]:
            page = client.post(
                "/interviews",
                data={"csrf_token": token, "kind": "sql", **fields},
                follow_redirects=False,
            )
            assert page.status_code == 422 and message in page.text
        for day in ("0001-01-01", "9999-12-31"):
            answer = client.post("/api/interviews", json={"kind": "sql", "held_on": day})
            assert answer.status_code == 422, answer.text
            assert answer.json()["detail"][0]["loc"][:2] == ["body", "held_on"]
    assert journal.list_interviews() == []


@pytest.fixture
def any_url(database_url: str) -> str:
    """A migrated, empty journal on each backend, by URL."""
    Journal.open(database_url).close()
    return database_url


def test_an_id_beyond_the_columns_is_no_such_record_on_both_databases(any_url: str) -> None:
    runner = CliRunner()
    shown = runner.invoke(main, ["--db", any_url, "app", "show", str(2**31)])
    assert "out of range" in refused(shown)
    with Journal.open(any_url) as journal:
        from debrief.errors import NotFound

        with pytest.raises(NotFound, match=f"no application with id {2**40}"):
            journal.change_status(2**40, "screen")
    for command in (["partner", "revoke", str(2**31)], ["import", "review", "show", str(2**31)]):
        assert "out of range" in refused(runner.invoke(main, ["--db", any_url, *command]))
