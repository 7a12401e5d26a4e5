"""The triage commands as other tools call them: exact JSON shapes, order, errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from debrief.cli import main
from tests.conftest import CliDriver

STATEMENT_KEYS = {"text", "label", "skills", "confidence", "explanation", "uncertain"}


def test_classify_plain_lines_from_stdin() -> None:
    lines = "Your SQL was strong, but the stats answer was vague.\n\nThanks for your time.\n"
    result = CliRunner().invoke(main, ["triage", "classify", "-", "--json"], input=lines)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in rows] == [1, 2, 3]  # one object per input line, in order
    assert [len(row["statements"]) for row in rows] == [2, 0, 1]
    for row in rows:
        assert set(row) == {"id", "statements"}
        for statement in row["statements"]:
            assert set(statement) == STATEMENT_KEYS
    assert [s["label"] for s in rows[0]["statements"]] == ["strength", "constructive"]
    assert rows[2]["statements"][0]["label"] == "noise"


def test_classify_jsonl_file_keeps_ids_and_order(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "b-7", "text": "We had a hiring freeze."}\n'
        '{"text": "You did not check for data leakage before training the model."}\n'
        '{"id": 42, "text": "Great pandas work."}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["triage", "classify", str(source), "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in rows] == ["b-7", 2, 42]
    assert [row["statements"][0]["label"] for row in rows] == [
        "circumstance",
        "constructive",
        "strength",
    ]
    assert rows[1]["statements"][0]["skills"] == ["machine_learning"]


def test_classify_readable_output_and_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    readable = runner.invoke(
        main,
        ["triage", "classify"],
        input="You rambled for ten minutes and never answered the question.\n",
    )
    assert readable.exit_code == 0 and "constructive" in readable.stdout
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"text": \n', encoding="utf-8")
    broken = runner.invoke(main, ["triage", "classify", str(bad), "--json"])
    assert broken.exit_code == 1
    assert f"{bad}, line 2: is not JSON" in broken.stderr
    missing = runner.invoke(main, ["triage", "classify", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 1 and "cannot read" in missing.stderr
    unknown = runner.invoke(main, ["triage", "classify", "--backend", "magic"], input="x y\n")
    assert unknown.exit_code == 1 and "unknown triage backend 'magic'" in unknown.stderr


def test_eval_json_and_table(tmp_path: Path) -> None:
    labelled = tmp_path / "gold.jsonl"
    rows = [
        {"text": "We had a hiring freeze.", "label": "circumstance", "skills": []},
        {"text": "You did not check for data leakage before training the model.",
         "label": "constructive",
         "skills": ["machine_learning"]},
        {"text": "Great pandas work.", "label": "strength", "skills": ["coding"]},
        {"text": "Thanks for your time.", "label": "noise", "skills": []},
    ]  # fmt: skip
    labelled.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["triage", "eval", str(labelled), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"macro_f1", "per_label", "skills_micro_f1", "confusion"}
    assert set(report["per_label"]) == {"constructive", "strength", "circumstance", "noise"}
    assert set(report["per_label"]["noise"]) == {"precision", "recall", "f1", "support"}
    assert report["confusion"]["circumstance"]["circumstance"] == 1
    assert 0.0 <= report["macro_f1"] <= 1.0
    table = CliRunner().invoke(main, ["triage", "eval", str(labelled)])
    assert table.exit_code == 0
    assert "keyword baseline" in table.stdout and "macro-F1" in table.stdout


def test_eval_names_the_bad_line(tmp_path: Path) -> None:
    labelled = tmp_path / "gold.jsonl"
    labelled.write_text('{"text": "x", "label": "great", "skills": []}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["triage", "eval", str(labelled)])
    assert result.exit_code == 1
    assert f"{labelled}, line 1: label: 'great' is not one of" in result.stderr


def test_feedback_add_show_label_and_retriage(cli: CliDriver) -> None:
    added = cli.ok(
        "feedback", "add", "--text",
        "Your SQL was strong, but your A/B testing answers lacked depth.",
    )  # fmt: skip
    assert "2 statements: 1 constructive, 1 strength" in added.stdout
    shown = cli.json("feedback", "show", "1")
    assert isinstance(shown, dict)
    assert [s["label"] for s in shown["statements"]] == ["strength", "constructive"]
    assert shown["text"].startswith("Your SQL")  # the feedback's own keys are unchanged
    assert "gap wording 'lacked'" in shown["statements"][1]["explanation"]
    assert "experimentation" in cli.ok("feedback", "show", "1").stdout

    statement_id = str(shown["statements"][1]["id"])
    relabelled = cli.ok("feedback", "label", statement_id, "strength", "--skills", "sql,statistics")
    assert "now strength (sql, statistics)" in relabelled.stdout
    assert "the model had said constructive" in relabelled.stdout
    bad = cli("feedback", "label", statement_id, "noise", "--skills", "sql")
    assert bad.exit_code == 2 and "carry no skill areas" in bad.stderr

    run = cli.json("feedback", "triage", "--all")
    assert isinstance(run, dict) and run["kept_user_labels"] == 1
    assert "Re-triaged 1 feedback item:" in cli.ok("feedback", "triage", "1").stdout
    neither = cli("feedback", "triage")
    assert neither.exit_code == 2 and "--all" in neither.stderr
    after = cli.json("feedback", "show", "1")
    assert isinstance(after, dict)
    assert after["statements"][1]["label"] == "strength"
    assert after["statements"][1]["origin"] == "user"


def test_eval_refuses_malformed_files(tmp_path: Path) -> None:
    nested = tmp_path / "nested.jsonl"
    nested.write_text('{"text": "x y", "label": "constructive", "skills": [["sql"]]}\n')
    result = CliRunner().invoke(main, ["triage", "eval", str(nested)])
    assert result.exit_code == 1
    assert "line 1: skills: must be a list of skill areas" in result.stderr
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"text": "caf\xe9", "label": "noise", "skills": []}\n'.encode("latin-1"))
    result = CliRunner().invoke(main, ["triage", "eval", str(latin)])
    assert result.exit_code == 1 and "is not UTF-8 text" in result.stderr
    assert "Traceback" not in result.output


def test_classify_keeps_one_output_per_input_line_whatever_the_line_holds() -> None:
    lines = "Your SQL was great.\u2028You rambled.\nThanks for your time.\x0c\n"
    result = CliRunner().invoke(main, ["triage", "classify", "--json"], input=lines)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [1, 2]


def test_a_strength_or_constructive_label_needs_a_skill(cli: CliDriver) -> None:
    cli.ok("feedback", "add", "--text", "Your SQL was clean and fast.")
    refused = cli("feedback", "label", "1", "strength", "--skills", "")
    assert refused.exit_code == 2 and "need at least one skill area" in refused.stderr


def test_retriage_keeps_statement_ids(cli: CliDriver) -> None:
    cli.ok("feedback", "add", "--text", "Your SQL was clean. You rushed the case.")
    cli.ok("feedback", "add", "--text", "We had a hiring freeze. Your stats were great.")
    before = [s["id"] for i in (1, 2) for s in cli.json("feedback", "show", str(i))["statements"]]  # type: ignore[index]
    cli.ok("feedback", "triage", "--all")
    after = [s["id"] for i in (1, 2) for s in cli.json("feedback", "show", str(i))["statements"]]  # type: ignore[index]
    assert after == before
    assert cli.ok("feedback", "label", str(before[0]), "strength").exit_code == 0
