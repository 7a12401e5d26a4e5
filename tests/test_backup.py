"""Backups: JSON export + import is a lossless round trip (SQLite and PostgreSQL); CSV export;
a backup only goes into an empty journal; a broken backup changes nothing."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from debrief.errors import DebriefError, InvalidImport
from debrief.ingest.backup import dump, export_csv, export_json, import_json, restore
from debrief.journal import Journal
from debrief.plan import ActionPlan
from tests.conftest import POSTGRES_ENV, CliDriver, postgres_schema_url

END = date(2026, 11, 30)


def everything(journal: Journal) -> None:
    """A journal that uses every table: the demo, a user's label, an accepted item with
    practice, and a deleted application (so the id counter runs ahead of the largest id)."""
    from debrief.demo import build_demo
    from debrief.plan import ActionPlan

    build_demo(journal, end=END)
    statement = journal.list_statements(label=["noise"])[0]
    journal.label_statement(statement.id, "circumstance")
    plan = ActionPlan(journal)
    item = plan.refresh(as_of=END).items[0].item
    plan.accept(item.id, as_of=END)
    plan.log_practice(item.id, "Power analysis drill", minutes=40, on=END, task=1, done=True)
    extra = journal.add_application("Gone Corp", "Analyst", applied_on="2026-11-01")
    journal.delete_application(extra.id)
    from debrief.model import local_today
    from debrief.partner import create_invite

    mock = next(i for i in journal.list_interviews() if i.mock)
    create_invite(journal, mock.id, coach=True)
    due = local_today() + timedelta(days=5)
    task = journal.add_assignment(
        "task", "sql", "Window functions", due, assigned_by="Cora", subskill="sql.window_functions"
    )
    journal.mark_assignment(task.id, on=END)
    journal.add_assignment("mock", "statistics", "A mock on the CLT", due, assigned_by="Cora")
    journal.attach_assignment_mock(2, mock.id)


@pytest.fixture
def other_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second empty database on the same backend, to restore into."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    yield from postgres_schema_url(os.environ[POSTGRES_ENV])


def test_json_export_and_import_is_a_lossless_round_trip(
    journal: Journal, other_url: str, tmp_path: Path
) -> None:
    everything(journal)
    before = dump(journal)
    assert all(
        before["tables"][name]
        for name in ("action_events", "practice_entries", "assignments", "partner_invites")
    )
    assert {i["source"] for i in before["tables"]["partner_invites"]} == {"coach"}
    path = tmp_path / "backup.json"
    export_json(journal, path)
    with Journal.open(other_url) as restored:
        counts = import_json(restored, path)
        assert counts["applications"] == 150
        after = dump(restored)
        next_app = restored.add_application("After", "Analyst", applied_on="2026-11-30")
    assert after == before
    # The counter came along: a deleted id is never handed out again.
    assert next_app.id == before["counters"]["applications"] + 1


def test_id_counters_survive_even_for_emptied_tables(tmp_path: Path) -> None:
    with Journal.open(str(tmp_path / "a.db")) as source:
        for n in range(3):
            journal_app = source.add_application(f"Co {n}", "Analyst", applied_on="2026-10-01")
            source.delete_application(journal_app.id)
        data = dump(source)
    assert data["counters"]["applications"] == 3 and not data["tables"]["applications"]
    with Journal.open(str(tmp_path / "b.db")) as target:
        restore(target, data)
        assert target.add_application("Next", "Analyst", applied_on="2026-10-02").id == 4


def test_an_older_backup_comes_back_without_the_proposals_it_stored(
    journal: Journal, tmp_path: Path
) -> None:
    """Before schema 0006 the plan stored its proposals; restored, they would never leave."""
    everything(journal)
    data = dump(journal)
    tables = data["tables"]
    stale = max(row["id"] for row in tables["action_items"]) + 1
    item = {**tables["action_items"][0], "id": stale, "status": "proposed", "skill": "sql"}
    item.update(accepted_on=None, tracking_from=None, rank=None)
    tables["action_items"].append(item)
    for child in ("action_tasks", "action_events", "action_evidence"):
        row = {**tables[child][0], "item_id": stale, "id": tables[child][-1]["id"] + 1}
        if child == "action_tasks":
            row["position"] = 1
        tables[child].append(row)
    data["schema"] = "0005"
    with Journal.open(str(tmp_path / "old.db")) as restored:
        counts = restore(restored, data)
        assert counts["action_items"] == len(tables["action_items"]) - 1
        kept = dump(restored)["tables"]
        assert stale not in {row["id"] for row in kept["action_items"]}
        assert all(row["item_id"] != stale for row in kept["action_events"])
        plan = ActionPlan(restored).refresh(as_of=END, everything=True)
        assert "sql" not in {p.item.skill for p in plan.items if p.item.status == "proposed"}


def test_a_backup_made_before_a_column_was_added_comes_back_as_an_upgrade_fills_it(
    journal: Journal, tmp_path: Path
) -> None:
    """A schema 0007 backup has neither applied_on_known (0008) nor a task's subskill (0009),
    nor the round behind a status change or the day feedback was asked for (0010)."""
    everything(journal)
    data = dump(journal)
    for row in data["tables"]["applications"]:
        row.pop("applied_on_known")
        row.pop("feedback_asked_on")
    for row in data["tables"]["status_changes"]:
        row.pop("interview_id")
    for row in data["tables"]["action_tasks"]:
        row.pop("subskill")
    data["schema"] = "0007"
    with Journal.open(str(tmp_path / "old.db")) as restored:
        restore(restored, data)
        kept = dump(restored)["tables"]
        assert all(row["applied_on_known"] is True for row in kept["applications"])
        assert kept["action_tasks"] and all(row["subskill"] is None for row in kept["action_tasks"])
        assert all(row["interview_id"] is None for row in kept["status_changes"])
        assert all(row["feedback_asked_on"] is None for row in kept["applications"])
    data["schema"] = "0010"  # a current backup must be whole
    with (
        Journal.open(str(tmp_path / "new.db")) as target,
        pytest.raises(InvalidImport, match="applied_on_known: is missing"),
    ):
        restore(target, data)


def test_a_backup_only_goes_into_an_empty_journal(journal: Journal, tmp_path: Path) -> None:
    journal.add_application("Acme", "Analyst", applied_on="2026-10-01")
    data = dump(journal)
    with pytest.raises(DebriefError, match="already holds data"):
        restore(journal, data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other"), "not a debrief JSON backup"),
        (lambda d: d["tables"].update(wizards=[]), "unknown table 'wizards'"),
        (lambda d: d["tables"]["applications"][0].update(colour="red"), "colour: is not a column"),
        (lambda d: d["tables"]["applications"][0].update(applied_on="last May"), "applied_on"),
        (lambda d: d["tables"]["interviews"][0].update(self_rating="4"), "self_rating"),
        (lambda d: d["tables"]["applications"][0].update(status="bogus"), "'bogus' is not known"),
        (lambda d: d["tables"]["applications"][0].update(company="x" * 201), "longer than 200"),
        (lambda d: d["tables"]["applications"][0].pop("created_at"), "created_at: is missing"),
        (lambda d: d["tables"]["interviews"][0].update(self_rating=2**70), "out of range"),
        (lambda d: d.pop("schema"), "says no schema"),
    ],
)
def test_a_broken_backup_is_refused_and_changes_nothing(
    tmp_path: Path, change: object, message: str
) -> None:
    with Journal.open(str(tmp_path / "a.db")) as source:
        source.add_application("Acme", "Analyst", applied_on="2026-10-01")
        source.add_interview("sql", application_id=1, held_on="2026-10-05", self_rating=3)
        data = dump(source)
    change(data)  # type: ignore[operator]
    with Journal.open(str(tmp_path / "b.db")) as target:
        with pytest.raises(InvalidImport, match=message):
            restore(target, data)
        assert target.summary().applications == 0


def test_csv_export_writes_a_file_per_table(journal: Journal, tmp_path: Path) -> None:
    app = journal.add_application("Acme, Inc.", 'Data "Scientist"', applied_on="2026-10-01")
    journal.change_status(app.id, "screen", at="2026-10-04")
    counts = export_csv(journal, tmp_path / "out")
    assert counts["applications"] == 1 and counts["status_changes"] == 2
    with (tmp_path / "out" / "applications.csv").open(encoding="utf-8", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert (row["company"], row["role"], row["status"]) == (
        "Acme, Inc.",
        'Data "Scientist"',
        "screen",
    )


def test_export_and_import_commands(cli: CliDriver, tmp_path: Path) -> None:
    cli.ok("app", "add", "Acme", "Analyst", "--applied", "2026-10-01")
    backup = tmp_path / "b.json"
    assert "1 applications" in cli.ok("export", "json", str(backup)).stdout
    assert json.loads(backup.read_text("utf-8"))["format"] == "debrief-backup"
    folder = tmp_path / "csv"
    assert "applications.csv" in cli.ok("export", "csv", "-o", str(folder)).stdout
    refused = cli("import", "json", str(backup))
    assert refused.exit_code == 1 and "already holds data" in refused.stderr
    other = CliDriver(tmp_path / "other.db")
    assert "Restored 1 applications" in other.ok("import", "json", str(backup)).stdout
    template = tmp_path / "template.csv"
    cli.ok("export", "csv", "--template", "-o", str(template))
    assert template.read_text("utf-8").splitlines()[0].startswith("company,role,")
