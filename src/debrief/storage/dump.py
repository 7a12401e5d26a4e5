"""Every table of the journal as rows, and rows back into an empty journal: what backups are
made of; and the id counters, which ids are never reused past.

It walks the schema itself (every table, every column, in id order) rather than a list of record
types, so a table added by a later migration is backed up without anyone remembering to. Rows
going back in are checked against their column's type, length and vocabulary first;
`InvalidImport` names the table, row and column at fault.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import BigInteger, SmallInteger, Table, func, select, text
from sqlalchemy.orm import Session

from debrief.errors import InvalidImport, InvalidInput
from debrief.model import (
    MAX_ID,
    AssignmentKind,
    FeedbackSource,
    InterviewKind,
    Label,
    Outcome,
    QuestionKind,
    QuestionSource,
    Source,
    Status,
    WorkMode,
    bounded_day,
)
from debrief.storage.schema import BOOKKEEPING, Base

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
    ("questions", "kind"): frozenset(s.value for s in QuestionKind),
    ("questions", "source"): frozenset(s.value for s in QuestionSource),
    ("partner_invites", "source"): frozenset(
        {FeedbackSource.MOCK_PARTNER.value, FeedbackSource.COACH.value}
    ),
    ("assignments", "kind"): frozenset(s.value for s in AssignmentKind),
}


def tables() -> list[Table]:
    """Every table that holds the user's data, parents before children (the order rows must go
    back in); the database's own bookkeeping is not among them."""
    return [t for t in Base.metadata.sorted_tables if t.name not in BOOKKEEPING]


def columns() -> dict[str, list[str]]:
    """The column names of every table, in schema order."""
    return {table.name: [c.name for c in table.columns] for table in tables()}


def read_tables(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, in id order, as {column: value}."""
    found: dict[str, list[dict[str, Any]]] = {}
    for table in tables():
        order = [table.c.id] if "id" in table.c else list(table.primary_key.columns)
        rows = session.execute(select(table).order_by(*order)).mappings()
        found[table.name] = [dict(row) for row in rows]
    return found


def holds_data(session: Session) -> bool:
    """Whether any table has a row."""
    return any(session.scalar(select(func.count()).select_from(table)) for table in tables())


def insert_rows(session: Session, tables_given: dict[str, Any], source: str) -> dict[str, int]:
    """Check and insert the rows of every table given (by table name); returns the rows put in
    per table."""
    known = {table.name for table in tables()}
    unknown = sorted(set(tables_given) - known)
    if unknown:
        raise InvalidImport(source, None, "tables", f"unknown table {unknown[0]!r}")
    restored: dict[str, int] = {}
    for table in tables():
        rows = tables_given.get(table.name, [])
        if not isinstance(rows, list):
            raise InvalidImport(source, None, table.name, "should be a list of rows")
        values = [_typed(table, row, source, number) for number, row in enumerate(rows, 1)]
        if values:
            session.execute(table.insert(), values)
        restored[table.name] = len(values)
    return restored


def _typed(table: Table, row: Any, source: str, number: int) -> dict[str, Any]:
    """A row with its values turned back into the column types."""
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
        allowed = VOCABULARIES.get((table.name, column.name)) or _vocabulary(
            table.name, column.name
        )
        if value is not None and allowed is not None:
            if not isinstance(value, str):
                raise InvalidImport(source, where, column.name, f"{repr(value)[:40]} is not text")
            if value not in allowed:
                raise InvalidImport(source, where, column.name, f"{value[:40]!r} is not known")
        # A TypeDecorator (UTC timestamps) reports object; its underlying type knows better.
        kind = getattr(column.type, "impl", column.type)
        try:
            values[column.name] = _value(kind.python_type, value, _int_bits(kind))
        except (TypeError, ValueError, OverflowError) as error:
            raise InvalidImport(source, where, column.name, str(error)) from None
        except InvalidInput as error:
            raise InvalidImport(source, where, column.name, error.detail) from None
    return values


def _int_bits(kind: Any) -> int:
    """The size of a whole-number column, in bits (PostgreSQL's integer holds 32)."""
    if isinstance(kind, SmallInteger):
        return 16
    return 64 if isinstance(kind, BigInteger) else 32


def _vocabulary(table: str, column: str) -> frozenset[str] | None:
    """The vocabularies of the package's data (skill areas, sub-skills, competencies)."""
    from debrief.bank import competency_ids
    from debrief.taxonomy import skill_ids, subskill_areas

    if (table, column) in {
        ("questions", "skill"),
        ("statement_skills", "skill"),
        ("assignments", "skill"),
    }:
        return skill_ids()
    if (table, column) in {("questions", "subskill"), ("assignments", "subskill")}:
        return frozenset(subskill_areas())
    if (table, column) == ("questions", "competency"):
        return frozenset(competency_ids())
    return None


def _value(kind: type, value: Any, bits: int = 64) -> Any:
    """A backup's value as its column's type holds it, its days within the days a journal
    holds (model.bounded_day)."""
    if value is None:
        return None
    shown = repr(value)[:40]
    if kind in (datetime, date) and not isinstance(value, str):
        raise TypeError(f"{shown} is not a date")
    if kind is datetime:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError(f"{shown} has no time zone")
        bounded_day(moment.astimezone(UTC).date(), "date")
        return moment
    if kind is date:
        return bounded_day(date.fromisoformat(value), "date")
    if kind is bool:
        if not isinstance(value, bool):
            raise TypeError(f"{shown} is not true or false")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{shown} is not a whole number")
        if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
            raise ValueError(f"{shown} is out of range")
        return value
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"{shown} is not a number")
        return float(value)
    if not isinstance(value, str):
        raise TypeError(f"{shown} is not text")
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


def id_counters(session: Session) -> dict[str, int]:
    """The last id each table handed out (ids are never reused, even after a delete)."""
    if session.get_bind().dialect.name == "sqlite":
        found = session.execute(text("SELECT name, seq FROM sqlite_sequence")).all()
        backed_up = {table.name for table in tables()}
        return {name: int(seq) for name, seq in found if name in backed_up}
    # A PostgreSQL sequence does not move for a row inserted with its own id (the plan keeps a
    # proposal under the number it was shown with): the largest id counts as handed out too.
    return {table.name: last_id(session, table.name) for table in tables() if "id" in table.c}


def last_id(session: Session, table_name: str) -> int:
    """The largest id a table has handed out, even if its row was deleted since (0: none)."""
    table = Base.metadata.tables[table_name]
    highest = session.scalar(select(func.max(table.c.id))) or 0
    return max(highest, _counter(session, table_name) or 0)


def _counter(session: Session, table_name: str) -> int | None:
    """A table's id counter (None when it has none)."""
    if session.get_bind().dialect.name == "sqlite":
        found = session.scalar(
            text("SELECT seq FROM sqlite_sequence WHERE name = :name"), {"name": table_name}
        )
        return None if found is None else int(found)
    sequence = session.scalar(
        text("SELECT pg_get_serial_sequence(:name, 'id')"),
        {"name": _qualified(session, table_name)},
    )
    if not sequence:
        return None
    last = session.execute(text(f"SELECT last_value, is_called FROM {sequence}")).one()
    return int(last[0]) if last[1] else 0


def _qualified(session: Session, table_name: str) -> str:
    """A table's name as PostgreSQL reads it in text, with the schema of a journal kept in a
    schema of its own (`storage.database.scoped_engine`)."""
    translate = session.get_bind().get_execution_options().get("schema_translate_map") or {}
    schema = translate.get(None)
    return f'"{schema}".{table_name}' if schema else table_name


def set_id_counters(session: Session, counters: dict[str, Any], source: str) -> None:
    """Move every table's id counter to the one given (or past its highest id)."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    for table in tables():
        if "id" not in table.c:
            continue
        highest = session.scalar(select(func.max(table.c.id))) or 0
        wanted = counters.get(table.name, 0)
        if not isinstance(wanted, int) or isinstance(wanted, bool) or not 0 <= wanted <= MAX_ID:
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
                {"name": _qualified(session, table.name), "last": last},
            )
