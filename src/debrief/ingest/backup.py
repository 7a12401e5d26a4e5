"""Backups: the whole journal out as JSON (lossless) or CSV files, and a JSON backup back in.

The dump walks the schema itself (every table, every column, in id order) rather than a list of
record types, so a table added by a later migration is backed up without anyone remembering to.
Ids, timestamps, user labels and the id counters are kept, so restoring a backup into an empty
journal and exporting it again gives the same file.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, func, select, text

from debrief.errors import DebriefError, InvalidImport
from debrief.files import atomic_text, write_text
from debrief.model import FeedbackSource, InterviewKind, Label, Outcome, Source, Status, WorkMode
from debrief.storage.database import SCHEMA_REVISION
from debrief.storage.schema import Base

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from debrief.journal import Journal

FORMAT = "debrief-backup"
# The closed vocabularies of the journal, which the schema alone does not hold a backup to.
VOCABULARIES: dict[tuple[str, str], frozenset[str]] = {
    ("applications", "status"): frozenset(s.value for s in Status),
    ("applications", "source"): frozenset(s.value for s in Source),
    ("applications", "work_mode"): frozenset(s.value for s in WorkMode),
    ("status_changes", "to_status"): frozenset(s.value for s in Status),
    ("status_changes", "from_status"): frozenset(s.value for s in Status),
    ("interviews", "kind"): frozenset(s.value for s in InterviewKind),
    ("interviews", "outcome"): frozenset(s.value for s in Outcome),
    ("feedback", "source"): frozenset(s.value for s in FeedbackSource),
    ("statements", "label"): frozenset(s.value for s in Label),
}
FORMAT_VERSION = 1
MAX_BACKUP_BYTES = 2_000_000_000


def _tables() -> list[Table]:
    """Every table, parents before children (the order rows must go back in)."""
    return list(Base.metadata.sorted_tables)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def dump(journal: Journal) -> dict[str, Any]:
    """The whole journal as one JSON-ready dict."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with journal.reading() as session:
        for table in _tables():
            order = [table.c.id] if "id" in table.c else list(table.primary_key.columns)
            rows = session.execute(select(table).order_by(*order)).mappings()
            tables[table.name] = [{k: _plain(v) for k, v in row.items()} for row in rows]
        counters = _counters(session)
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "schema": SCHEMA_REVISION,
        "tables": tables,
        "counters": counters,
    }


def export_json(journal: Journal, path: Path) -> dict[str, int]:
    """Write the journal to a JSON file; returns the rows written per table."""
    data = dump(journal)
    write_text(path, json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    return {name: len(rows) for name, rows in data["tables"].items()}


def export_csv(journal: Journal, folder: Path) -> dict[str, int]:
    """Write one CSV file per table into `folder`; returns the rows written per table."""
    data = dump(journal)
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for table in _tables():
        rows = data["tables"][table.name]
        path = folder / f"{table.name}.csv"
        with atomic_text(path) as handle:
            writer = csv.DictWriter(handle, fieldnames=[c.name for c in table.columns])
            writer.writeheader()
            writer.writerows({k: _inert(v) for k, v in row.items()} for row in rows)
        written[table.name] = len(rows)
    return written


def _inert(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (=, +, -, @ first) is quoted with an
    apostrophe, as spreadsheet programs themselves do for literal text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def restore(journal: Journal, data: dict[str, Any], *, source: str = "backup") -> dict[str, int]:
    """Put a backup into an empty journal, in one transaction; returns the rows per table."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidImport(source, None, "format", "this is not a debrief JSON backup")
    if data.get("version") != FORMAT_VERSION:
        raise InvalidImport(source, None, "version", f"backup format {data.get('version')!r}")
    schema = str(data.get("schema", ""))
    if not schema.isdigit():
        raise InvalidImport(source, None, "schema", "missing: this backup says no schema")
    if int(schema) > int(SCHEMA_REVISION):
        raise InvalidImport(source, None, "schema", f"made by a newer debrief (schema {schema})")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise InvalidImport(source, None, "tables", "missing")
    known = {table.name: table for table in _tables()}
    unknown = sorted(set(tables) - set(known))
    if unknown:
        raise InvalidImport(source, None, "tables", f"unknown table {unknown[0]!r}")
    restored: dict[str, int] = {}
    with journal.transaction() as session:
        for table in _tables():
            if session.scalar(select(func.count()).select_from(table)):
                raise DebriefError(
                    f"the journal at {journal.location} already holds data; a backup is "
                    "restored into an empty journal (try --db restored.db)"
                )
        for table in _tables():
            rows = tables.get(table.name, [])
            if not isinstance(rows, list):
                raise InvalidImport(source, None, table.name, "should be a list of rows")
            values = [_typed(table, row, source, number) for number, row in enumerate(rows, 1)]
            if values:
                session.execute(table.insert(), values)
            restored[table.name] = len(values)
        _set_counters(session, data.get("counters") or {}, source)
    return restored


def import_json(journal: Journal, path: Path) -> dict[str, int]:
    """Restore a JSON backup file into an empty journal."""
    try:
        if path.stat().st_size > MAX_BACKUP_BYTES:
            raise InvalidImport(str(path), None, None, "is larger than 2 GB")
        data = json.loads(path.read_text("utf-8"))
    except OSError as error:
        raise InvalidImport(str(path), None, None, error.strerror or str(error)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidImport(str(path), None, None, f"is not JSON ({error})") from None
    return restore(journal, data, source=str(path))


def _typed(table: Table, row: Any, source: str, number: int) -> dict[str, Any]:
    """A backup row with its values turned back into the column types."""
    where = f"{table.name} row {number}"
    if not isinstance(row, dict):
        raise InvalidImport(source, where, None, "should be an object")
    columns = table.columns
    unknown = sorted(set(row) - {c.name for c in columns})
    if unknown:
        raise InvalidImport(source, where, unknown[0], "is not a column of this table")
    values: dict[str, Any] = {}
    for column in columns:
        if column.name not in row:  # a backup has every column: a missing one is not restored
            raise InvalidImport(source, where, column.name, "is missing")
        value = row[column.name]
        length = getattr(column.type, "length", None)
        if isinstance(value, str) and length is not None and len(value) > length:
            raise InvalidImport(source, where, column.name, f"is longer than {length} characters")
        allowed = VOCABULARIES.get((table.name, column.name))
        if value is not None and allowed is not None and value not in allowed:
            raise InvalidImport(source, where, column.name, f"{str(value)[:40]!r} is not known")
        try:
            # A TypeDecorator (UTC timestamps) reports object; its underlying type knows better.
            kind = getattr(column.type, "impl", column.type).python_type
            values[column.name] = _value(kind, value)
        except (TypeError, ValueError) as error:
            raise InvalidImport(source, where, column.name, str(error)) from None
    return values


def _value(kind: type, value: Any) -> Any:
    if value is None:
        return None
    if kind is datetime:
        moment = datetime.fromisoformat(str(value))
        if moment.tzinfo is None:
            raise ValueError(f"{value!r} has no time zone")
        return moment
    if kind is date:
        return date.fromisoformat(str(value))
    if kind is bool:
        if not isinstance(value, bool):
            raise TypeError(f"{value!r} is not true or false")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{value!r} is not a whole number")
        if not -(2**63) <= value < 2**63:
            raise ValueError(f"{value} is out of range")
        return value
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{value!r} is not a number")
        return float(value)
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


def _counters(session: Session) -> dict[str, int]:
    """The last id each table handed out (ids are never reused, even after a delete)."""
    if session.get_bind().dialect.name == "sqlite":
        found = session.execute(text("SELECT name, seq FROM sqlite_sequence")).all()
        return {name: int(seq) for name, seq in found}
    counters = {}
    for table in _tables():
        if "id" not in table.c:
            continue
        sequence = session.scalar(text(f"SELECT pg_get_serial_sequence('{table.name}', 'id')"))
        if sequence:
            last = session.execute(text(f"SELECT last_value, is_called FROM {sequence}")).one()
            counters[table.name] = int(last[0]) if last[1] else 0
    return counters


def _set_counters(session: Session, counters: dict[str, Any], source: str) -> None:
    known = {table.name for table in _tables() if "id" in table.c}
    sqlite = session.get_bind().dialect.name == "sqlite"
    for table in _tables():
        if table.name not in known:
            continue
        highest = session.scalar(select(func.max(table.c.id))) or 0
        wanted = counters.get(table.name, 0)
        if not isinstance(wanted, int) or isinstance(wanted, bool) or not 0 <= wanted < 2**63:
            raise InvalidImport(source, None, f"counters.{table.name}", "is not a whole number")
        last = max(highest, wanted)
        if not last:
            continue
        if sqlite:
            updated = session.execute(
                text("UPDATE sqlite_sequence SET seq = :last WHERE name = :name"),
                {"last": last, "name": table.name},
            )
            if not updated.rowcount:  # type: ignore[attr-defined]
                session.execute(
                    text("INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :last)"),
                    {"last": last, "name": table.name},
                )
        else:
            session.execute(
                text("SELECT setval(pg_get_serial_sequence(:name, 'id'), :last)"),
                {"name": table.name, "last": last},
            )
