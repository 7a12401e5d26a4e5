"""Every parser of outside input is total (issue 20, item 5; FINDINGS S7, S9): JSON, TOML and
JSON Lines files with deep nesting, huge whole numbers, wrong types or bytes that are not text,
days no journal holds, digits of other scripts, ids beyond the columns, and the JSON API's bodies
get one line of error naming the file, the line or the field, never a traceback, and nothing is
written."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debrief.cli import main
from debrief.journal import Journal
from debrief.partner import create_invite, token_hash
from debrief.partner.offline import FORMAT as ANSWERS_FORMAT
from debrief.partner.offline import sign
from debrief.plan import ActionPlan
from debrief.web import create_app
from debrief.web.security import CSRF_COOKIE
from tests.conftest import CliDriver

DEEP = "[" * 50_000 + "]" * 50_000  # past Python's recursion limit, under every size limit
HUGE = "9" * 5_000  # past Python's 4,300 digits


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


# -- partner import: the offline answers file --------------------------------------------------


def answers_document(invite_id: int, token: str, answers: str, **changes: object) -> bytes:
    document = {
        "format": ANSWERS_FORMAT,
        "version": 1,
        "invite": invite_id,
        "answers": answers,
        "signature": sign(token_hash(token), invite_id, answers),
    }
    return json.dumps({**document, **changes}).encode()


@pytest.fixture
def invite(db_path: Path) -> tuple[int, str]:
    """An open invite for a mock round in the CLI's journal: its id and token."""
    with Journal.open(str(db_path)) as journal:
        made = create_invite(journal, journal.add_interview("sql").id)
    return made.id, made.token


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            lambda i, t: answers_document(i, t, '{"went_well": "ok"}', signature="é" * 64),
            "signature: does not match",
        ),
        (lambda i, t: answers_document(i, t, "{}")[:-1] + b', "x": ' + DEEP.encode() + b"}",
         "line 1: is nested more than 64 deep"),
        (lambda i, t: answers_document(i, t, "{}")[:-1] + f', "x": {HUGE}}}'.encode(),
         "line 1: holds a number of more than 20 digits"),
        (lambda i, t: answers_document(i, t, "{}")[:-1] + b', "x": "\xff"}',
         "line 1: is not UTF-8 text (byte"),
        (lambda i, t: answers_document(i, t, '{"scores": {"sql": ' + DEEP + "}}"),
         "answers: is nested more than 64 deep"),
        (lambda i, t: answers_document(i, t, '{"went_well": "\\ud800"}'),
         "answers: holds half of a character"),
    ],
)  # fmt: skip
def test_partner_import_refuses_hostile_files_in_one_line(
    cli: CliDriver, invite: tuple[int, str], tmp_path: Path, content: object, message: str
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_bytes(content(*invite))  # type: ignore[operator]
    line = refused(cli("partner", "import", str(answers)))
    assert line.startswith(f"Error: {answers}") and message in line
    with Journal.open(str(cli.db_path)) as journal:
        assert journal.list_feedback() == []


# -- import json: the backup --------------------------------------------------------------------


@pytest.fixture
def backup(tmp_path: Path) -> dict[str, object]:
    """A real backup of a journal with an application and an interview, as JSON data."""
    source = CliDriver(tmp_path / "source.db")
    source.ok("app", "add", "Acme", "Analyst", "--applied", "2026-10-01")
    source.ok("interview", "add", "--app", "1", "--kind", "sql", "--date", "2026-10-05")
    source.ok("export", "json", str(tmp_path / "backup.json"))
    data: dict[str, object] = json.loads((tmp_path / "backup.json").read_text("utf-8"))
    return data


def _changed(data: dict[str, object], change: str) -> str:
    tables: dict[str, list[dict[str, object]]] = data["tables"]  # type: ignore[assignment]
    if change == "vocabulary":
        tables["applications"][0]["status"] = {"nested": "object"}
    elif change == "counters":
        data["counters"] = 5
    elif change == "old day":
        tables["interviews"][0]["held_on"] = "0001-01-01"
    elif change == "far day":
        tables["interviews"][0]["held_on"] = "9999-12-31"
    elif change == "huge id":
        tables["applications"][0]["id"] = 2**40
    elif change == "schema":
        data["schema"] = "²"
    text = json.dumps(data)
    if change == "deep":
        text = text[:-1] + ', "x": ' + DEEP + "}"
    elif change == "huge number":
        text = text[:-1] + ', "x": ' + HUGE + "}"
    return text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("vocabulary", "applications row 1: status: {'nested': 'object'} is not text"),
        ("counters", "counters: should be an object"),
        ("deep", "line 1: is nested more than 64 deep"),
        ("huge number", "line 1: holds a number of more than 20 digits"),
        ("old day", "interviews row 1: held_on: 0001-01-01 is before 1970"),
        ("far day", "interviews row 1: held_on: 9999-12-31 is more than 10 years from today"),
        ("huge id", "applications row 1: id: 1099511627776 is out of range"),
        ("schema", "schema: '²' is not a whole number"),
    ],
)
def test_import_json_refuses_a_broken_backup_in_one_line_and_leaves_no_file(
    tmp_path: Path, backup: dict[str, object], change: str, message: str
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(_changed(backup, change), "utf-8")
    target = CliDriver(tmp_path / "new.db")
    line = refused(target("import", "json", str(broken)))
    assert line.startswith(f"Error: {broken}") and message in line
    assert not target.db_path.exists()


def test_a_deep_backup_uploaded_to_the_web_is_refused_as_a_page(journal: Journal) -> None:
    with TestClient(create_app(journal)) as client:
        client.get("/")
        token = client.cookies.get(CSRF_COOKIE) or ""
        for body, message in [
            (DEEP, "is nested more than 64 deep"),
            (HUGE, "holds a number of more than 20 digits"),
        ]:
            shown = client.post(
                "/import",
                data={"csrf_token": token, "kind": "json"},
                files={"files": ("backup.json", body.encode(), "application/json")},
            )
            assert shown.status_code == 422 and message in shown.text


# -- import csv --mapping: TOML ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ("[columns]\ncompany = " + "[" * 5_000 + "]" * 5_000, "line 2: is nested more than"),
        ("[columns]\ncompany = " + HUGE, "line 2: holds a number of more than 20 digits"),
        ("[columns]\ncompany = " + "9" * 30, "line 2: holds a number of more than 20 digits"),
        ("columns = 5", "columns: should be a [section]"),
        ("[columns]\ncompany = 5", "[columns]: company: should be text"),
        ("[statuses]\nx = ['applied']", "[statuses]: x: should be text"),
        ("[options]\ndelimiter = ';;'", "[options]: delimiter: is one character"),
        ("[options]\ndate_order = []", "[options]: date_order: should be text"),
    ],
)
def test_import_csv_refuses_a_broken_mapping_in_one_line(
    cli: CliDriver, tmp_path: Path, mapping: str, message: str
) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Company,Role,Date applied\nAcme,Analyst,2026-10-01\n", "utf-8")
    toml = tmp_path / "mapping.toml"
    toml.write_text(mapping, "utf-8")
    line = refused(cli("import", "csv", str(sheet), "--mapping", str(toml)))
    assert line.startswith(f"Error: {toml}") and message in line
    assert not cli.db_path.exists()


# -- triage classify / eval: JSON Lines ---------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": ' + DEEP + "}", "line 2: is nested more than 64 deep"),
        ('{"text": "x", "id": ' + HUGE + "}", "line 2: holds a number of more than 20 digits"),
        ('{"text": "x", "id": NaN}', "line 2: holds NaN"),
        ('{"text": 1e999}', "line 2: holds a number too large"),
        ('{"text": ["a list"]}', "line 2: text: needs an object with a 'text' string"),
        ('{"text": "\\udc00"}', "line 2: holds half of a character"),
    ],
)
@pytest.mark.parametrize("command", ["classify", "eval"])
def test_triage_refuses_hostile_lines_in_one_line(
    tmp_path: Path, command: str, line: str, message: str
) -> None:
    lines = tmp_path / "lines.jsonl"
    good = '{"text": "Great SQL.", "label": "strength", "skills": ["sql"]}'
    lines.write_text(f"{good}\n{line}\n", "utf-8")
    error = refused(CliRunner().invoke(main, ["triage", command, str(lines)]))
    assert error.startswith(f"Error: {lines}") and message in error


def test_triage_refuses_bytes_that_are_not_utf8_naming_line_and_offset(tmp_path: Path) -> None:
    lines = tmp_path / "lines.jsonl"
    lines.write_bytes(b'{"text": "fine"}\n{"text": "caf\xe9"}\n')
    for command in ("classify", "eval"):
        error = refused(CliRunner().invoke(main, ["triage", command, str(lines)]))
        assert error == f"Error: {lines}, line 2: is not UTF-8 text (byte 30 is 0xe9)"
    piped = CliRunner().invoke(main, ["triage", "classify"], input=b"ok\n\xff\n")
    assert refused(piped) == "Error: stdin, line 2: is not UTF-8 text (byte 3 is 0xff)"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"file": ' + DEEP + ', "job": true}', "line 1: is nested more than 64 deep"),
        ('{"file": {"a": 1}, "job": true}', "line 1: file: should be a file name"),
        ('{"file": "m.eml", "job": ' + HUGE + "}", "line 1: holds a number of more than 20"),
    ],
)
def test_the_mail_readers_labels_are_read_by_the_same_loaders(
    cli: CliDriver, tmp_path: Path, line: str, message: str
) -> None:
    labels = tmp_path / "labels.jsonl"
    labels.write_text(line + "\n", "utf-8")
    Journal.open(str(cli.db_path)).close()
    error = refused(cli("import", "email", "--eval", str(labels)))
    assert error.startswith(f"Error: {labels}") and message in error


def test_the_api_answers_deep_or_huge_bodies_with_an_error_not_a_crash(journal: Journal) -> None:
    with TestClient(create_app(journal), raise_server_exceptions=False) as client:
        for body in [DEEP, '{"kind": "sql", "application_id": ' + HUGE + "}"]:
            answer = client.post(
                "/api/interviews", content=body, headers={"Content-Type": "application/json"}
            )
            assert answer.status_code in (400, 422), answer.text
    assert journal.list_interviews() == []


# -- fuzzing: JSON-ish input to import json, partner import and triage classify ------------------

FRAGMENTS = [
    "[", "]", "{", "}", ",", ":", '"', "null", "true", "false", "0", "-1", "1.5", "1e999",
    "NaN", "-Infinity", "9" * 25, HUGE, '"\\ud800"', '"\\u0000"', '"é"', '"٣"', '"text"',
    '"format"', '"tables"', '"counters"', "[" * 200, "]" * 200, "\n", " ",
]  # fmt: skip
# Values json.dumps cannot write, put in for a placeholder once the JSON is written.
RAW = {
    "\x01deep": "[" * 3_000 + "]" * 3_000,
    "\x01huge": HUGE,
    "\x01nan": "NaN",
    "\x01large": "1e999",
}
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(["0001-01-01", "9999-12-31T00:00:00+00:00", "2026-10-01", "applied", "٣"]),
    st.sampled_from(["\ud800", "x\x00y", "sql", "constructive"]),
    st.sampled_from(sorted(RAW)),
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
JSON_ISH = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=25).map("".join)


def _raw(text: str) -> str:
    """JSON text with its placeholders replaced by what they stand for."""
    for placeholder, raw in RAW.items():
        text = text.replace(json.dumps(placeholder), raw)
    return text


def _spliced(text: str, junk: bytes, at: int) -> bytes:
    """`text` as UTF-8 with `junk` (bytes that may not be UTF-8) put in at `at`."""
    data = text.encode("utf-8", "surrogatepass")
    at = at % (len(data) + 1)
    return data[:at] + junk + data[at:]


def _inputs(structured: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """The bytes of a file: structured JSON with a hostile value, JSON-ish fragments, or either
    with a few bytes spliced in."""
    text = st.one_of(structured.map(_raw), JSON_ISH)
    return st.one_of(
        text.map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.builds(_spliced, text, st.binary(min_size=1, max_size=3), st.integers(0, 10_000)),
    )


def _clean(result: Result) -> None:
    """The command ended as debrief ends: done, or one error line (never an exception)."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if result.exit_code:
        assert sum(line.startswith("Error:") for line in result.stderr.splitlines()) == 1


FUZZ = settings(
    max_examples=50,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def empty_journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty journal file, copied for each example."""
    path = tmp_path_factory.mktemp("fuzz") / "empty.db"
    Journal.open(str(path)).close()
    return path


@pytest.fixture(scope="module")
def backup_data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A real backup that uses the tables with vocabularies, dates and numbers."""
    from debrief.ingest.backup import dump

    with Journal.open(str(tmp_path_factory.mktemp("fuzz") / "source.db")) as journal:
        journal.add_application("Acme", "Analyst", applied_on="2026-10-01")
        journal.add_interview(
            "sql", application_id=1, held_on="2026-10-05", self_rating=3, rubric={"sql": 2}
        )
        journal.add_feedback("Your joins were wrong.", interview_id=1)
        return json.loads(json.dumps(dump(journal)))  # type: ignore[no-any-return]


def _mutated(base: dict[str, Any], where: int, value: object) -> str:
    """The backup with one value (a top-level one, or a cell of a row) replaced."""
    data = copy.deepcopy(base)
    cells = [(data, key) for key in data] + [
        (row, column) for rows in data["tables"].values() for row in rows[:1] for column in row
    ]
    owner, key = cells[where % len(cells)]
    owner[key] = value
    return json.dumps(data)


def test_fuzz_import_json(
    tmp_path_factory: pytest.TempPathFactory, empty_journal: Path, backup_data: dict[str, Any]
) -> None:
    structured = st.builds(_mutated, st.just(backup_data), st.integers(0, 1_000), VALUES)

    @FUZZ
    @given(data=_inputs(structured))
    def attempt(data: bytes) -> None:
        folder = tmp_path_factory.mktemp("json")
        target = folder / "journal.db"
        shutil.copy(empty_journal, target)
        (folder / "backup.json").write_bytes(data)
        result = CliRunner().invoke(
            main, ["--db", str(target), "import", "json", str(folder / "backup.json")]
        )
        _clean(result)
        if result.exit_code:
            with Journal.open(str(target)) as journal:
                assert journal.summary().applications == 0

    attempt()


def test_fuzz_partner_import(tmp_path_factory: pytest.TempPathFactory, empty_journal: Path) -> None:
    folder = tmp_path_factory.mktemp("partner")
    target = folder / "journal.db"
    shutil.copy(empty_journal, target)
    with Journal.open(str(target)) as journal:
        made = create_invite(journal, journal.add_interview("sql").id)

    def signed(answers: object, changes: dict[str, object]) -> str:
        body = json.dumps(answers)
        return answers_document(made.id, made.token, body, **changes).decode()

    changes = st.fixed_dictionaries(
        {}, optional={"signature": st.text(max_size=64), "invite": VALUES, "x": VALUES}
    )
    structured = st.builds(signed, VALUES, changes)

    @FUZZ
    @given(data=_inputs(structured))
    def attempt(data: bytes) -> None:
        (folder / "answers.json").write_bytes(data)
        with Journal.open(str(target)) as journal:
            before = len(journal.list_feedback())
        result = CliRunner().invoke(
            main, ["--db", str(target), "partner", "import", str(folder / "answers.json")]
        )
        _clean(result)
        with Journal.open(str(target)) as journal:
            assert len(journal.list_feedback()) == before + (result.exit_code == 0)

    attempt()


@FUZZ
@given(
    lines=st.lists(
        _inputs(st.builds(lambda v: json.dumps({"text": v, "id": v}), VALUES)), max_size=4
    )
)
def test_fuzz_triage_classify(lines: list[bytes]) -> None:
    data = b"\n".join(lines)
    result = CliRunner().invoke(main, ["triage", "classify", "--json"], input=data)
    _clean(result)


# -- text files: feedback --file and CSV --------------------------------------------------------


def test_bytes_neither_utf8_nor_windows_1252_are_refused_not_replaced(
    cli: CliDriver, tmp_path: Path
) -> None:
    feedback = tmp_path / "feedback.txt"
    feedback.write_bytes(b"Your SQL was strong.\nThe caf\x81 join was wrong.\n")
    line = refused(cli("feedback", "add", "--file", str(feedback)))
    assert line == (
        f"Error: {feedback}, line 2: is neither UTF-8 nor Windows-1252 text (byte 28 is 0x81)"
    )
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(b"Company,Role,Date applied\nAcme\x9d,Analyst,2026-10-01\n")
    line = refused(cli("import", "csv", str(sheet)))
    assert "line 2: is neither UTF-8 nor Windows-1252 text (byte 30 is 0x9d)" in line
    odd = tmp_path / "notepad.txt"
    odd.write_bytes("Good SQL.".encode("utf-16") + b"\x00\xd8")  # half of a surrogate pair
    assert "is not UTF-16 text" in refused(cli("feedback", "add", "--file", str(odd)))
    assert not cli.db_path.exists()
    # Windows-1252 itself is still read (a curly quote, a euro sign).
    feedback.write_bytes(b"Your \x93SQL\x94 was worth \x80100.\n")
    cli.ok("feedback", "add", "--file", str(feedback))
    with Journal.open(str(cli.db_path)) as journal:
        assert journal.list_feedback()[0].text == "Your \u201cSQL\u201d was worth \u20ac100."


def test_notes_of_a_round_are_read_as_feedback_files_are(cli: CliDriver, tmp_path: Path) -> None:
    cli.ok("interview", "add", "--mock", "--kind", "sql")
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"Q: why the left join?\nrating: 3\nQ: and caf\x81?\n")
    line = refused(cli("questions", "paste", "1", str(notes)))
    assert (
        line == f"Error: {notes}, line 3: is neither UTF-8 nor Windows-1252 text (byte 42 is 0x81)"
    )
    piped = cli("questions", "paste", "1", input="Q: caf\xe9 \u2013 why?\n".encode("cp1252"))
    assert piped.exit_code == 0, piped.output
    with Journal.open(str(cli.db_path)) as journal:
        assert [q.text for q in journal.list_questions()] == ["caf\xe9 \u2013 why?"]


# -- the JSON API: whole numbers are JSON numbers ---------------------------------------------


def test_the_api_takes_whole_numbers_as_json_numbers_only(journal: Journal) -> None:
    app = journal.add_application("Acme", "Analyst", applied_on="2026-10-01")
    with TestClient(create_app(journal)) as client:
        for body, field in [
            ({"kind": "sql", "application_id": True}, "application_id"),
            ({"kind": "sql", "application_id": 1.0}, "application_id"),
            ({"kind": "sql", "application_id": str(app.id)}, "application_id"),
            ({"kind": "sql", "self_rating": True}, "self_rating"),
            ({"kind": "sql", "rubric": {"sql": "4"}}, "rubric"),
        ]:
            answer = client.post("/api/interviews", json=body)
            assert answer.status_code == 422, answer.text
            assert answer.json()["detail"][0]["loc"][:2] == ["body", field]
        made = client.post("/api/interviews", json={"kind": "sql", "application_id": app.id})
        assert made.status_code == 201
    assert len(journal.list_interviews()) == 1
