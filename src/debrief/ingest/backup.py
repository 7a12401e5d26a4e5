"""Backups: the whole journal out as JSON (lossless) or CSV files, and a JSON backup back in.

The rows come from `debrief.storage.dump`, which walks the schema itself, so a table added by a
later migration is backed up without anyone remembering to. Ids, timestamps, user labels and the
id counters are kept, so restoring a backup into an empty journal and exporting it again gives
the same file.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from debrief.errors import DebriefError, InvalidImport, InvalidInput
from debrief.files import atomic_text, private_folder, write_text
from debrief.model import whole_number
from debrief.parsing import load_json
from debrief.storage import dump as tables
from debrief.storage.database import SCHEMA_REVISION

if TYPE_CHECKING:
    from debrief.journal import Journal

FORMAT = "debrief-backup"
FORMAT_VERSION = 1
MAX_BACKUP_BYTES = 2_000_000_000
# From schema 0006 on the plan's proposals are derived, not stored: a backup made before keeps
# them, and restoring it leaves them out, as upgrading a journal does.
PROPOSALS_DERIVED_SINCE = 6
# Columns added after the first schema: (table, column) → (the revision that added it, the value
# its migration gives rows that were there before). A backup made before that revision has no
# such column; restoring it gives its rows that value, as upgrading a journal does.
ADDED_COLUMNS: dict[tuple[str, str], tuple[int, Any]] = {
    ("applications", "applied_on_known"): (8, True),
    ("action_tasks", "subskill"): (9, None),
    ("status_changes", "interview_id"): (10, None),
    ("applications", "feedback_asked_on"): (10, None),
    ("partner_invites", "revoked_at"): (10, None),
    ("practice_entries", "question"): (11, None),
    ("practice_entries", "rating"): (11, None),
}
ITEM_CHILDREN = ("action_tasks", "practice_entries", "action_events", "action_evidence")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def dump(journal: Journal) -> dict[str, Any]:
    """The whole journal as one JSON-ready dict."""
    with journal.reading() as session:
        rows = tables.read_tables(session)
        counters = tables.id_counters(session)
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "schema": SCHEMA_REVISION,
        "tables": {
            name: [{k: _plain(v) for k, v in row.items()} for row in found]
            for name, found in rows.items()
        },
        "counters": counters,
    }


def backup_text(journal: Journal) -> tuple[str, dict[str, int]]:
    """The journal as the text of a JSON backup, and the rows in it per table."""
    data = dump(journal)
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    return text, {name: len(rows) for name, rows in data["tables"].items()}


def export_json(journal: Journal, path: Path) -> dict[str, int]:
    """Write the journal to a JSON file; returns the rows written per table."""
    text, counts = backup_text(journal)
    write_text(path, text)
    return counts


def csv_zip(journal: Journal) -> bytes:
    """The CSV files of `export_csv` in one zip archive, for a download."""
    import io
    import tempfile
    import zipfile

    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        export_csv(journal, Path(folder))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(folder).glob("*.csv")):
                archive.write(path, path.name)
    return buffer.getvalue()


def export_csv(journal: Journal, folder: Path) -> dict[str, int]:
    """Write one CSV file per table into `folder`; returns the rows written per table."""
    data = dump(journal)
    try:
        private_folder(folder)
    except OSError as error:
        raise DebriefError(f"cannot write {folder}: {error.strerror or error}") from None
    written = {}
    for name, header in tables.columns().items():
        rows = data["tables"][name]
        path = folder / f"{name}.csv"
        with atomic_text(path) as handle:
            writer = csv.DictWriter(handle, fieldnames=header)
            writer.writeheader()
            writer.writerows({k: inert(v) for k, v in row.items()} for row in rows)
        written[name] = len(rows)
    return written


def inert(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (=, +, -, @, or a tab or carriage return
    before one, first) is quoted with an apostrophe, as spreadsheet programs themselves do for
    literal text; anything else is left as it is."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def restore(journal: Journal, data: dict[str, Any], *, source: str = "backup") -> dict[str, int]:
    """Put a backup into an empty journal, in one transaction; returns the rows per table."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidImport(source, None, "format", "this is not a debrief JSON backup")
    version = data.get("version")
    if isinstance(version, bool) or version != FORMAT_VERSION:
        raise InvalidImport(source, None, "version", f"backup format {str(version)[:40]!r}")
    if data.get("schema") is None:
        raise InvalidImport(source, None, "schema", "missing: this backup says no schema")
    try:
        schema = whole_number(data["schema"], "schema", 1, 9999)
    except InvalidInput as error:
        raise InvalidImport(source, None, "schema", error.detail) from None
    if schema > int(SCHEMA_REVISION):
        raise InvalidImport(source, None, "schema", f"made by a newer debrief (schema {schema})")
    given = data.get("tables")
    if not isinstance(given, dict):
        raise InvalidImport(source, None, "tables", "missing")
    counters = data.get("counters", {})
    if not isinstance(counters, dict):
        raise InvalidImport(source, None, "counters", "should be an object of table: last id")
    if schema < PROPOSALS_DERIVED_SINCE:
        given = _without_proposals(given)
    given = _with_added_columns(given, schema)
    with journal.transaction() as session:
        if tables.holds_data(session):
            raise DebriefError(
                f"the journal at {journal.location} already holds data; a backup is "
                "restored into an empty journal (try --db restored.db)"
            )
        restored = tables.insert_rows(session, given, source)
        tables.set_id_counters(session, counters, source)
    return restored


def _with_added_columns(tables: dict[str, Any], schema: int) -> dict[str, Any]:
    """An older backup's rows with the columns added since its schema, as its migration fills
    them (a backup of the current schema must have every column: that is what lossless means)."""
    kept = dict(tables)
    for (table, column), (since, value) in ADDED_COLUMNS.items():
        rows = kept.get(table)  # two columns added to one table both go in
        if schema >= since or not isinstance(rows, list):
            continue
        kept[table] = [{column: value, **row} if isinstance(row, dict) else row for row in rows]
    return kept


def _without_proposals(tables: dict[str, Any]) -> dict[str, Any]:
    """An older backup's tables without the proposals it stored, nor what hung off them."""
    items = tables.get("action_items")
    if not isinstance(items, list):
        return tables

    def proposed(row: Any) -> bool:
        return isinstance(row, dict) and row.get("status") == "proposed"

    def number(row: Any, column: str) -> Any:  # an id, or None for anything else
        value = row.get(column) if isinstance(row, dict) else None
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    gone = {number(row, "id") for row in items if proposed(row)} - {None}
    kept = {**tables, "action_items": [row for row in items if not proposed(row)]}
    for child in ITEM_CHILDREN:
        rows = tables.get(child)
        if isinstance(rows, list):
            kept[child] = [row for row in rows if number(row, "item_id") not in gone]
    return kept


def read_backup(path: Path, source: str | None = None) -> dict[str, Any]:
    """The JSON of a backup file, checked to be one (`source`: the name errors give it)."""
    name = source or str(path)
    try:
        if path.stat().st_size > MAX_BACKUP_BYTES:
            raise InvalidImport(name, None, None, "is larger than 2 GB")
        data = load_json(path.read_bytes(), name)
    except OSError as error:
        raise InvalidImport(name, None, None, error.strerror or str(error)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidImport(name, None, "format", "this is not a debrief JSON backup")
    return data


def import_json(journal: Journal, path: Path) -> dict[str, int]:
    """Restore a JSON backup file into an empty journal."""
    return restore(journal, read_backup(path), source=str(path))
