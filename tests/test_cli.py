"""The CLI as a user drives it: exit codes, output, JSON keys, errors, confirmation."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CliDriver

APPLICATION_KEYS = {
    "id",
    "applied_on_known",
    "company",
    "role",
    "level",
    "location",
    "work_mode",
    "source",
    "link",
    "applied_on",
    "status",
    "notes",
    "created_at",
    "updated_at",
    "feedback_asked_on",
}
INTERVIEW_KEYS = {
    "id",
    "application_id",
    "company",
    "role",
    "mock",
    "kind",
    "held_on",
    "interviewer",
    "outcome",
    "self_rating",
    "self_rated_at",
    "rubric",
    "notes",
    "created_at",
    "updated_at",
}
FEEDBACK_KEYS = {
    "id",
    "interview_id",
    "application_id",
    "company",
    "source",
    "received_on",
    "text",
    "created_at",
    "updated_at",
}


def _add_app(cli: CliDriver, company: str = "Acme", *extra: str) -> int:
    record = cli.json("app", "add", company, "Data Scientist", "--applied", "2026-03-01", *extra)
    assert isinstance(record, dict)
    return int(record["id"])


def _count(db_path: Path, table: str) -> int:
    with closing(sqlite3.connect(db_path)) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_app_add_list_show(cli: CliDriver) -> None:
    result = cli.ok("app", "add", "Acme", "Data Scientist", "--source", "referral")
    assert result.stdout.startswith("Added application #1: Acme — Data Scientist")
    listing = cli.ok("app", "list")
    assert "Acme" in listing.stdout and "referral" in listing.stdout and "applied" in listing.stdout
    [record] = cli.json("app", "list")  # type: ignore[misc]
    assert set(record) == APPLICATION_KEYS
    assert record["source"] == "referral"
    shown = cli.ok("app", "show", "1")
    assert "Application #1" in shown.stdout and "Status history" in shown.stdout


def test_app_list_filters(cli: CliDriver) -> None:
    _add_app(cli, "Acme", "--source", "referral")
    second = _add_app(cli, "Globex", "--source", "job board")
    cli.ok("app", "add", "Initech", "Analyst", "--applied", "2026-04-02")
    cli.ok("app", "status", str(second), "rejected")

    def companies(*filters: str) -> list[str]:
        records = cli.json("app", "list", *filters)
        assert isinstance(records, list)
        return [r["company"] for r in records]

    assert companies("--status", "rejected") == ["Globex"]
    assert companies("-s", "applied", "-s", "rejected") == ["Acme", "Globex", "Initech"]
    assert companies("--company", "glob") == ["Globex"]
    assert companies("--source", "referral") == ["Acme"]
    assert companies("--since", "2026-04-01") == ["Initech"]
    assert companies("--until", "2026-03-31") == ["Acme", "Globex"]
    assert "No applications match." in cli.ok("app", "list", "--company", "zzz").stdout


def test_app_status_history_and_show(cli: CliDriver) -> None:
    app_id = str(_add_app(cli))
    assert "is now screen" in cli.ok("app", "status", app_id, "screen", "--at", "2026-03-04").stdout
    cli.ok("app", "status", app_id, "technical", "--at", "2026-03-10", "--note", "Passed screen")
    detail = cli.json("app", "show", app_id)
    assert isinstance(detail, dict)
    assert set(detail) == {"application", "history", "interviews", "feedback"}
    assert [h["to_status"] for h in detail["history"]] == ["applied", "screen", "technical"]
    assert detail["history"][2]["note"] == "Passed screen"
    text = cli.ok("app", "show", app_id).stdout
    assert "screen → technical" in text and "Passed screen" in text


def test_invalid_transition_is_one_line_and_writes_nothing(cli: CliDriver) -> None:
    app_id = str(_add_app(cli))
    cli.ok("app", "status", app_id, "offer")
    result = cli("app", "status", app_id, "applied")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Error: 'applied' comes before 'offer'; use --force to move an application backwards"
    ]
    assert _count(cli.db_path, "status_changes") == 2
    cli.ok("app", "status", app_id, "applied", "--force")
    assert _count(cli.db_path, "status_changes") == 3


def test_app_edit(cli: CliDriver) -> None:
    app_id = str(_add_app(cli, "Acme", "--level", "mid", "--notes", "keep"))
    result = cli.ok("app", "edit", app_id, "--role", "Senior DS", "--level", "")
    assert "role, level" in result.stdout
    record = cli.json("app", "show", app_id)
    assert isinstance(record, dict)
    assert record["application"]["role"] == "Senior DS"
    assert record["application"]["level"] is None
    assert record["application"]["notes"] == "keep"
    nothing = cli("app", "edit", app_id)
    assert nothing.exit_code == 2 and "nothing to change" in nothing.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["app", "show", "99"], 1, "Error: no application with id 99"),
        (["app", "status", "99", "screen"], 1, "Error: no application with id 99"),
        (
            ["app", "add", "Acme", "DS", "--applied", "2026-02-30"],
            2,
            "Error: invalid '--applied': '2026-02-30' is not a date",
        ),
        (["app", "add", "Acme", "DS", "--link", "ftp://x"], 2, "Error: invalid '--link'"),
        (["app", "add", " ", "DS"], 2, "Error: invalid 'COMPANY': must not be empty"),
        (
            ["interview", "add", "--mock", "--kind", "sql", "--self-rating", "9"],
            2,
            "Error: invalid '--self-rating': 9 is out of range (1 to 5)",
        ),
        (
            ["interview", "add", "--mock", "--kind", "sql", "--rubric", "sql=0"],
            2,
            "Error: invalid '--rubric': sql: 0 is out of range (1 to 5)",
        ),
        (
            ["interview", "add", "--app", "99", "--kind", "sql"],
            1,
            "Error: no application with id 99",
        ),
        (["feedback", "add", "--text", "   "], 1, "Error: feedback text: must not be empty"),
        (["feedback", "show", "7"], 1, "Error: no feedback with id 7"),
        (["interview", "rm", "7", "--yes"], 1, "Error: no interview with id 7"),
    ],
)
def test_bad_input_gets_a_one_line_error_and_writes_nothing(
    cli: CliDriver, args: list[str], code: int, message: str
) -> None:
    result = cli(*args)
    # On a path with no journal, a command that adds data fails on its input; any other says
    # there is no journal there.
    first = message if args[1] == "add" else f"Error: no journal at {cli.db_path}"
    assert result.exit_code == (code if args[1] == "add" else 1), result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(first), lines
    assert "Traceback" not in result.output
    assert not cli.db_path.exists()  # not even an empty journal is left behind

    cli.ok("interview", "add", "--mock", "--kind", "sql")  # an existing journal is untouched
    before = cli.ok("db", "backup", str(cli.db_path.with_name("before.db")))
    assert before.exit_code == 0
    again = cli(*args)
    assert again.exit_code == code
    [line] = again.stderr.strip().splitlines()
    assert line.startswith(message), line
    assert [_count(cli.db_path, t) for t in ("applications", "interviews", "feedback")] == [
        0,
        1,
        0,
    ]


def test_interviews_real_mock_and_rubric(cli: CliDriver) -> None:
    app_id = str(_add_app(cli))
    added = cli.json(
        "interview", "add", "--app", app_id, "--kind", "technical screen", "--date",
        "2026-03-08", "--interviewer", "Lina", "--self-rating", "3", "--rubric", "sql=4",
        "--rubric", "statistics=2,communication=3",
    )  # fmt: skip
    assert isinstance(added, dict) and set(added) == INTERVIEW_KEYS | {"moved"}
    assert added["rubric"] == {"communication": 3, "sql": 4, "statistics": 2}
    [moved] = added["moved"]
    assert [(c["from_status"], c["to_status"]) for c in moved["made"]] == [("applied", "technical")]
    mock = cli.ok("interview", "add", "--mock", "--kind", "product-case", "--partner", "Sam")
    assert "(mock)" in mock.stdout

    def ids(*filters: str) -> list[int]:
        records = cli.json("interview", "list", *filters)
        assert isinstance(records, list)
        return [r["id"] for r in records]

    assert ids() == [1, 2]
    assert ids("--mock") == [2]
    assert ids("--real") == [1]
    assert ids("--kind", "product_case") == [2]
    assert ids("--company", "acme") == [1]
    assert ids("--app", app_id) == [1]

    cli.ok("interview", "edit", "1", "--outcome", "passed", "--rubric", "sql=", "--notes", "ok")
    shown = cli.json("interview", "show", "1")
    assert isinstance(shown, dict)
    assert shown["interview"]["outcome"] == "passed"
    assert shown["interview"]["rubric"] == {"communication": 3, "statistics": 2}
    text = cli.ok("interview", "show", "1").stdout
    assert "technical screen" in text and "statistics 2/5" in text and "Lina" in text
    listing = cli.ok("interview", "list").stdout
    assert "mock" in listing and "Sam" in listing

    neither = cli("interview", "add", "--kind", "sql")
    assert neither.exit_code == 2 and "--app ID" in neither.stderr


def test_feedback_from_text_file_and_stdin(cli: CliDriver, tmp_path: Path) -> None:
    app_id = str(_add_app(cli))
    interview = cli.json("interview", "add", "--app", app_id, "--kind", "sql")
    assert isinstance(interview, dict)
    iid = str(interview["id"])

    by_flag = cli.json("feedback", "add", "--interview", iid, "--text", "Clean SQL.")
    assert isinstance(by_flag, dict) and set(by_flag) == FEEDBACK_KEYS | {"statements"}
    assert by_flag["source"] == "interviewer"

    email = tmp_path / "rejection.eml.txt"
    email.write_text("Hi,\n\nWe went with an internal candidate.\n\nBest,\nTom", encoding="utf-8")
    from_file = cli.ok("feedback", "add", "--app", app_id, "--file", str(email), "--date",
                       "2026-03-20")  # fmt: skip
    assert "from recruiter" in from_file.stdout and "application #1" in from_file.stdout

    pasted = "Mock notes:\n* talk through the join\n* good pace\n"
    cli.ok("feedback", "add", "--source", "coach", input=pasted)

    items = cli.json("feedback", "list")
    assert isinstance(items, list)
    assert [i["text"] for i in items][-1] == pasted.strip()
    on_app = cli.json("feedback", "list", "--app", app_id)
    assert isinstance(on_app, list)
    assert [i["source"] for i in on_app] == ["recruiter", "interviewer"]  # by date received
    assert len(cli.json("feedback", "list", "--source", "coach")) == 1  # type: ignore[arg-type]
    shown = cli.ok("feedback", "show", "2").stdout
    assert "internal candidate" in shown and "Application" in shown

    missing = cli("feedback", "add", "--file", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
    both = cli("feedback", "add", "--text", "a", "--file", str(email))
    assert both.exit_code == 2 and "not both" in both.stderr


def test_user_text_is_never_read_as_markup(cli: CliDriver) -> None:
    cli.ok("app", "add", "[bold red]Evil[/] Corp", "DS")
    cli.ok("feedback", "add", "--app", "1", "--text", "[link=http://x]click[/link] <script>")
    assert "[bold red]Evil[/] Corp" in cli.ok("app", "list").stdout
    shown = cli.ok("app", "show", "1").stdout
    assert "[link=http://x]click[/link] <script>" in shown


def test_rm_asks_first(cli: CliDriver) -> None:
    app_id = str(_add_app(cli))
    cli.ok("interview", "add", "--app", app_id, "--kind", "sql")
    cli.ok("feedback", "add", "--app", app_id, "--text", "x")
    refused = cli("app", "rm", app_id, input="n\n")
    assert refused.exit_code == 1
    assert "with 1 interview and 1 feedback item?" in refused.output
    assert _count(cli.db_path, "applications") == 1
    accepted = cli("app", "rm", app_id, input="y\n")
    assert accepted.exit_code == 0
    assert "Deleted application #1, 1 interview and 1 feedback item." in accepted.stdout
    assert [_count(cli.db_path, t) for t in ("applications", "interviews", "feedback")] == [0, 0, 0]

    cli.ok("interview", "add", "--mock", "--kind", "sql")
    cli.ok("feedback", "add", "--interview", "2", "--text", "y")
    assert "and 1 feedback item." in cli.ok("interview", "rm", "2", "--yes").stdout
    cli.ok("feedback", "add", "--text", "z")
    assert "Deleted feedback #3." in cli.ok("feedback", "rm", "3", "-y").stdout


def test_db_commands(cli: CliDriver, tmp_path: Path) -> None:
    assert cli.ok("db", "path").stdout.strip() == str(cli.db_path)
    for command in ("upgrade", "backup"):  # no journal yet: nothing to upgrade or copy
        missing = cli("db", command)
        assert missing.exit_code == 1 and "no journal at" in missing.stderr
    assert not cli.db_path.exists()
    _add_app(cli)
    assert "is up to date" in cli.ok("db", "upgrade").stdout
    target = tmp_path / "copy.db"
    assert f"to {target}" in cli.ok("db", "backup", str(target)).stdout
    with closing(sqlite3.connect(target)) as copy:
        assert copy.execute("SELECT company FROM applications").fetchall() == [("Acme",)]
    again = cli("db", "backup", str(target))
    assert again.exit_code == 1 and "will not overwrite" in again.stderr
    dated = cli.ok("db", "backup").stdout
    assert ".backup.db" in dated


def test_db_path_defaults_env_and_leaf_option(
    isolated_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from debrief.cli import main

    runner = CliRunner()
    assert runner.invoke(main, ["db", "path"]).stdout.strip() == str(
        isolated_data_dir / "journal.db"
    )
    monkeypatch.setenv("DEBRIEF_DATABASE_URL", "postgresql://me:secret@db.example/debrief")
    shown = runner.invoke(main, ["db", "path"]).stdout.strip()
    assert shown == "postgresql+psycopg://me:***@db.example/debrief"
    backup = runner.invoke(main, ["db", "backup"])
    assert backup.exit_code == 1 and "pg_dump" in backup.stderr
    leaf = tmp_path / "leaf.db"
    assert runner.invoke(main, ["db", "path", "--db", str(leaf)]).stdout.strip() == str(leaf)
    added = runner.invoke(main, ["app", "add", "Acme", "DS", "--db", str(leaf)])
    assert added.exit_code == 0 and leaf.exists()


def test_unwritable_and_newer_databases_are_one_line_errors(cli: CliDriver, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    from click.testing import CliRunner

    from debrief.cli import main

    result = CliRunner().invoke(main, ["--db", str(blocker / "j.db"), "app", "add", "A", "DS"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: cannot create {blocker / 'j.db'}: {blocker} is not an existing directory"
    ]

    _add_app(cli)
    with closing(sqlite3.connect(cli.db_path)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'zzzz'")
        connection.commit()
    newer = cli("app", "list")
    assert newer.exit_code == 1
    [line] = newer.stderr.strip().splitlines()
    assert "newer than this debrief knows" in line


def test_demo_and_summary(cli: CliDriver) -> None:
    built = cli.ok("demo", "--seed", "3", "--end", "2026-06-30")
    assert "Built a demo journal (seed 3)" in built.stdout and "150 applications" in built.stdout
    assert "Got as far as" in built.stdout and "Feedback by source" in built.stdout
    report = cli.json("summary")
    assert isinstance(report, dict) and report["applications"] == 150
    again = cli("demo")
    assert again.exit_code == 1 and "already holds data" in again.stderr
    assert _count(cli.db_path, "applications") == 150


def test_every_listing_has_json_and_the_module_runs() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "debrief", "--help"], capture_output=True, text=True, check=True
    )
    assert "every rejection is a data point" in completed.stdout


def test_json_output_is_valid_utf8_json(cli: CliDriver) -> None:
    cli.ok("app", "add", "Zürich Analytics", "Datenwissenschaftlerin")
    raw = cli.ok("app", "list", "--json").stdout
    assert json.loads(raw)[0]["company"] == "Zürich Analytics"
    assert "Zürich" in raw


@given(st.binary(max_size=2000))
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_feedback_files_in_any_encoding_are_read(tmp_path: Path, data: bytes) -> None:
    from debrief.cli.feedback import read_text_file
    from debrief.errors import InvalidImport

    path = tmp_path / "mail.txt"
    path.write_bytes(data)
    try:
        text = read_text_file(str(path))
    except InvalidImport as refused:  # bytes no encoding reads as text: never U+FFFD instead
        assert str(refused).startswith(f"{path}, line ") and "(byte " in str(refused)  # noqa: PT017
        return
    assert isinstance(text, str)
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return  # a byte-order mark says the encoding
    if len(data) >= 4 and data.count(0) * 3 >= len(data):
        return  # read as UTF-16 (Notepad without a byte-order mark)
    try:
        assert text == data.decode("utf-8")
    except UnicodeDecodeError:
        assert len(text) == len(data)  # Windows-1252: one character per byte


def test_every_listing_offers_json(cli: CliDriver) -> None:
    from debrief.cli.reference import command_contexts

    listings = [c for c in command_contexts() if c.command.name in ("list", "summary")]
    assert len(listings) == 7  # app, feedback, interview, partner, practice, questions, summary
    _add_app(cli)
    for ctx in listings:
        assert "as_json" in {p.name for p in ctx.command.params}, ctx.command_path
        args = ctx.command_path.split()[1:]
        assert isinstance(cli.json(*args), list | dict)


@pytest.mark.parametrize(
    "args",
    [
        ["app", "show", "99999999999999999999"],
        ["interview", "add", "--app", "99999999999999999999", "--kind", "sql"],
        ["feedback", "list", "--interview", "0"],
        ["app", "list", "--limit", "-3"],
    ],
)
def test_out_of_range_ids_are_usage_errors(cli: CliDriver, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stderr.strip().splitlines()[-1].startswith("Error: Invalid value for")


def test_unsupported_and_unreachable_databases_are_one_line_errors() -> None:
    from click.testing import CliRunner

    from debrief.cli import main

    runner = CliRunner()
    mysql = runner.invoke(main, ["--db", "mysql://x/y", "app", "list"])
    assert mysql.exit_code == 1
    [line] = mysql.stderr.strip().splitlines()
    assert "debrief supports SQLite and PostgreSQL" in line
    closed_port = runner.invoke(
        main, ["--db", "postgresql://postgres@127.0.0.1:1/none", "app", "list"]
    )
    assert closed_port.exit_code == 1
    [line] = closed_port.stderr.strip().splitlines()
    assert line.startswith("Error: cannot open postgresql+psycopg://postgres@127.0.0.1:1/none")


def test_default_location_that_cannot_be_created(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from debrief.cli import main

    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setattr(
        "debrief.storage.location.default_database_path", lambda: blocker / "dir" / "journal.db"
    )
    runner = CliRunner()
    assert runner.invoke(main, ["db", "path"]).stdout.strip() == str(blocker / "dir/journal.db")
    result = runner.invoke(main, ["app", "add", "Acme", "DS"])
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"Error: cannot create {blocker / 'dir'}")


def test_control_characters_never_reach_the_terminal(cli: CliDriver) -> None:
    cli.ok("app", "add", "Evil\x1b[5mCorp", "DS")
    cli.ok("feedback", "add", "--app", "1", "--text", "\x1b]0;PWNED\x07 \x1b[2J hello")
    for args in (["app", "list"], ["app", "show", "1"], ["feedback", "show", "1"],
                 ["feedback", "list"]):  # fmt: skip
        out = cli.ok(*args).stdout
        assert "\x1b]0;" not in out and "\x07" not in out, args
    assert "Evil\\x1b[5mCorp" in cli.ok("app", "show", "1").stdout
    raw = cli.json("feedback", "show", "1")
    assert isinstance(raw, dict) and raw["text"].startswith("\x1b]0;PWNED")  # stored verbatim


def test_a_journal_that_does_not_exist_is_never_created_by_a_command_that_adds_nothing(
    cli: CliDriver, tmp_path: Path
) -> None:
    """A mistyped --db must not look like a journal whose data has gone (FINDINGS M6)."""
    expected = f"Error: no journal at {cli.db_path}; `debrief db path` shows the default"
    for args in (
        ["app", "list"],
        ["summary"],
        ["report", "-o", str(tmp_path / "report.html")],
        ["stats"],
        ["themes"],
        ["plan"],
        ["feedback", "list"],
        ["export", "json", str(tmp_path / "backup.json")],
        ["partner", "list"],
        ["app", "edit", "1", "--role", "Analyst"],
        ["plan", "accept", "1"],
        ["db", "upgrade"],
    ):
        result = cli(*args)
        assert (result.exit_code, result.stderr.strip().splitlines()) == (1, [expected]), args
    assert not (tmp_path / "report.html").exists() and not (tmp_path / "backup.json").exists()

    sheet = tmp_path / "tracker.csv"
    sheet.write_text("Company,Role,Date Applied,Status\nAcme,Data Scientist,2026-11-02,Rejected\n")
    dry = cli("import", "csv", str(sheet), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"No journal at {cli.db_path} yet" in dry.stderr and "1 created" in dry.stderr
    assert "Acme" in dry.stdout
    assert not cli.db_path.exists()

    cli.ok("import", "csv", str(sheet))  # a real import adds data: the journal is created
    assert [a["company"] for a in cli.json("app", "list")] == ["Acme"]  # type: ignore[index]


def test_an_in_memory_journal_is_refused_for_commands_that_write() -> None:
    from click.testing import CliRunner

    from debrief.cli import main

    runner = CliRunner()
    for url in ("sqlite:///", "sqlite://", "sqlite:///:memory:"):
        for args in (["app", "add", "Acme", "DS"], ["feedback", "add", "--text", "Too slow."]):
            refused = runner.invoke(main, ["--db", url, *args])
            assert refused.exit_code == 1, (url, args)
            assert "an in-memory journal keeps nothing" in refused.stderr
        assert runner.invoke(main, ["--db", url, "app", "list"]).exit_code == 0


def test_the_python_api_can_refuse_to_create_a_journal(tmp_path: Path) -> None:
    import debrief
    from debrief.errors import NoJournal

    with pytest.raises(NoJournal, match="no journal at"):
        debrief.open(str(tmp_path / "missing.db"), create=False)
    assert not (tmp_path / "missing.db").exists()
    with debrief.open(str(tmp_path / "new.db")) as journal:  # by default, as before: created
        assert journal.summary().applications == 0


def test_listings_at_80_columns_keep_dates_whole_and_wrap_text() -> None:
    """FINDINGS N2: a narrow terminal cut dates to "2026-09…" and made two roles look alike."""
    from datetime import UTC, date, datetime

    from rich.console import Console

    from debrief.cli.render import applications_table
    from debrief.model import Application, Status

    now = datetime(2026, 9, 1, tzinfo=UTC)
    apps = [
        Application(
            id=number,
            company="Lighthouse Civic Data Cooperative",
            role=role,
            level=None,
            location=None,
            work_mode=None,
            source=None,
            link=None,
            applied_on=date(2026, 9, 14),
            status=Status.TECHNICAL,
            notes=None,
            created_at=now,
            updated_at=now,
        )
        for number, role in ((1, "Data Scientist, Pricing"), (2, "Data Scientist (m/w/d)"))
    ]
    console = Console(width=80, record=True, color_system=None)
    console.print(applications_table(apps))
    text = console.export_text()
    assert all(len(line) <= 80 for line in text.splitlines())
    assert text.count("2026-09-14") == 2 and "technical" in text and "…" not in text
    assert "Pricing" in text and "(m/w/d)" in text
    assert text.splitlines()[0].startswith("2 applications")


def test_feedback_files_in_utf16_are_read_and_oversized_ones_named_in_bytes(
    cli: CliDriver, tmp_path: Path
) -> None:
    """FINDINGS N3: Notepad's UTF-16 was refused as binary; a 5 MB file was "400,000
    characters long"."""
    text = "Zoë's SQL was clean; the case study lacked a metric."
    notepad = tmp_path / "notepad.txt"
    notepad.write_bytes(text.encode("utf-16"))  # with its byte-order mark
    bare = tmp_path / "bare.txt"
    bare.write_bytes(text.encode("utf-16-le"))
    for path in (notepad, bare):
        added = cli.json("feedback", "add", "--file", str(path))
        assert isinstance(added, dict) and added["text"] == text
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"x" * 5_000_000)
    refused = cli("feedback", "add", "--file", str(huge))
    assert refused.exit_code != 0
    assert "is 5,000,000 bytes; feedback is at most 100,000 characters" in refused.output
