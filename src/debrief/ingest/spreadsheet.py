"""Reading a tracker's spreadsheet (CSV, or Excel through openpyxl) into application drafts.

Columns are matched to fields by their header, against the synonyms in `data/columns.toml`
(which cover the real exports of the common trackers), or by an explicit mapping file (TOML)
for anything else; ready mappings for other trackers' exports ship in `data/mappings/`. Cell
values are read leniently (dates in the usual formats, statuses and sources from common words)
but never guessed silently: a row that cannot be read becomes a `RowProblem` naming the row, the
field and the reason, and a day applied taken from the day a job was saved says so.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from debrief.errors import InvalidImport, InvalidInput
from debrief.journal import validate_application
from debrief.model import (
    MAX_LINK,
    MAX_NAME,
    MAX_NOTES,
    Source,
    Status,
    WorkMode,
    clean_text,
    local_today,
)
from debrief.parsing import decoded_text, load_toml

TEMPLATE = (  # the columns `debrief export csv --template` writes
    "company",
    "role",
    "level",
    "location",
    "work_mode",
    "source",
    "link",
    "applied_on",
    "status",
    "status_on",
    "notes",
)
# Every field a column can feed, in the order they pick their columns: added_on (the day a job
# was saved: the day applied when a row has none), closed_reason (how a "closed" row ended) and
# applied_flag (yes/no: applied at all) are read from trackers' exports but never written.
FIELDS = (
    *TEMPLATE[:8],
    "added_on",
    "status",
    "status_on",
    "closed_reason",
    "applied_flag",
    "notes",
)
MAX_FILE_BYTES = 50_000_000
MAX_MAPPING_BYTES = 1_000_000
MAX_ROWS = 200_000
MAX_CELL = 100_000


@dataclass(frozen=True, slots=True)
class RowDraft:
    """One spreadsheet row, read and checked: an application to create or update."""

    line: int  # the row's number as a spreadsheet shows it (the header is row 1)
    company: str
    role: str
    applied_on: date
    status: Status
    status_on: date | None = None
    level: str | None = None
    location: str | None = None
    work_mode: WorkMode | None = None
    source: Source | None = None
    link: str | None = None
    notes: str | None = None
    applied_estimated: bool = False  # the day applied is the day the job was saved or added

    def fields(self) -> dict[str, Any]:
        """Its application fields, as the journal takes them."""
        return {
            "company": self.company,
            "role": self.role,
            "level": self.level,
            "location": self.location,
            "work_mode": self.work_mode,
            "source": self.source,
            "link": self.link,
            "applied_on": self.applied_on,
            "notes": self.notes,
        }

    @property
    def key(self) -> tuple[str, str, date]:
        """The natural key that matches it to an application already in the journal."""
        return natural_key(self.company, self.role, self.applied_on)


def natural_key(company: str, role: str, applied_on: date) -> tuple[str, str, date]:
    """Company and role without case or extra spaces, and the day applied."""
    return (" ".join(company.casefold().split()), " ".join(role.casefold().split()), applied_on)


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that cannot be imported, and why."""

    line: int
    field: str | None
    reason: str
    skipped: bool = False  # not an error: a row that is not an application yet (wishlist)


@dataclass(frozen=True, slots=True)
class Mapping:
    """How one file's columns and values are read."""

    name: str
    columns: dict[str, str] = field(default_factory=dict)  # field -> header in the file
    statuses: dict[str, str] = field(default_factory=dict)  # folded value -> status or "skip"
    sources: dict[str, str] = field(default_factory=dict)
    date_order: str | None = None  # "DMY" or "MDY" where dates like 03/04/2026 are ambiguous
    delimiter: str | None = None


@dataclass(frozen=True, slots=True)
class Sheet:
    """A spreadsheet read: which column feeds which field, the drafts, and the problems."""

    file: str
    columns: dict[str, str]  # field -> header
    ignored: tuple[str, ...]  # headers no field took
    date_order: str
    drafts: tuple[RowDraft, ...]
    problems: tuple[RowProblem, ...]


def fold(text: str) -> str:
    """A header or a value for comparison: lower case, punctuation and spaces folded."""
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def fold_header(text: str) -> str:
    """A header for comparison: as `fold`, and split where a capital follows a lower-case
    letter, so the camelCase headers of some exports (companyName, JobTitle) read as words."""
    return fold(_CAMEL.sub(" ", text))


@cache
def vocabulary() -> dict[str, Any]:
    """The shipped synonyms for headers, statuses, sources and work modes."""
    text = resources.files("debrief.ingest.data").joinpath("columns.toml").read_text("utf-8")
    return tomllib.loads(text)


def builtin_mappings() -> dict[str, Path]:
    """The ready mappings shipped for other trackers' exports, by name."""
    folder = resources.files("debrief.ingest.data").joinpath("mappings")
    return {
        Path(entry.name).stem: Path(str(entry))
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    }


def load_mapping(spec: str | Path) -> Mapping:
    """A mapping from a file, or a shipped one by name (see `builtin_mappings`)."""
    builtin = builtin_mappings()
    path = builtin.get(str(spec), Path(spec))
    try:
        if path.stat().st_size > MAX_MAPPING_BYTES:
            raise InvalidImport(str(path), None, None, "is larger than 1 MB: is it a mapping?")
        data = path.read_bytes()
    except OSError as error:
        known = ", ".join(sorted(builtin))
        raise InvalidImport(
            str(spec), None, None, f"{error.strerror or error} (shipped mappings: {known})"
        ) from None
    raw = load_toml(data, str(path))
    columns = _texts(raw, "columns", path)
    options = _texts(raw, "options", path)
    if "fallback_date" in options:  # the older name of [columns] added_on
        columns.setdefault("added_on", options["fallback_date"])
    unknown = sorted(set(columns) - set(FIELDS))
    if unknown:
        raise InvalidImport(
            str(path), "[columns]", unknown[0], f"is not a field ({', '.join(FIELDS)})"
        )
    statuses = {}
    for value, status in _texts(raw, "statuses", path).items():
        if status != "skip" and status not in {s.value for s in Status}:
            raise InvalidImport(str(path), "[statuses]", value, f"'{status}' is not a status")
        statuses[fold(value)] = status
    sources = {}
    for value, source in _texts(raw, "sources", path).items():
        if source not in {s.value for s in Source}:
            raise InvalidImport(str(path), "[sources]", value, f"'{source}' is not a source")
        sources[fold(value)] = source
    order = options.get("date_order")
    if order not in (None, "DMY", "MDY"):
        raise InvalidImport(str(path), "[options]", "date_order", "is DMY or MDY")
    delimiter = options.get("delimiter")
    if delimiter is not None and len(delimiter) != 1:
        raise InvalidImport(str(path), "[options]", "delimiter", "is one character, as ';'")
    return Mapping(
        name=path.stem,
        columns=columns,
        statuses=statuses,
        sources=sources,
        date_order=order,
        delimiter=delimiter,
    )


def _texts(raw: dict[str, Any], name: str, path: Path) -> dict[str, str]:
    """A [section] of a mapping file, every value text (empty when there is no section)."""
    found = raw.get(name, {})
    if not isinstance(found, dict):
        raise InvalidImport(str(path), None, name, "should be a [section] of name = value")
    wrong = sorted(key for key, value in found.items() if not isinstance(value, str))
    if wrong:
        raise InvalidImport(str(path), f"[{name}]", wrong[0], "should be text, in quotes")
    return dict(found)


# -- reading the file ------------------------------------------------------------------------


def read_rows(path: Path, mapping: Mapping | None = None) -> list[list[str]]:
    """The file's rows as text cells (the header first): CSV in UTF-8 (with or without a BOM)
    or Windows-1252, or the first sheet of an .xlsx workbook."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InvalidImport(str(path), None, None, error.strerror or str(error)) from None
    if size > MAX_FILE_BYTES:
        raise InvalidImport(str(path), None, None, f"is {size:,} bytes; the limit is 50 MB")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise InvalidImport(str(path), None, None, "is not a text CSV file (binary data)")
    text = decoded_text(raw, str(path))
    delimiter = mapping.delimiter if mapping and mapping.delimiter else _sniff(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False))
    except csv.Error as error:
        raise InvalidImport(
            str(path), None, None, f"is not a readable CSV file ({error})"
        ) from None
    if len(rows) > MAX_ROWS:
        raise InvalidImport(str(path), None, None, f"has {len(rows):,} rows; the limit is 200,000")
    return rows


def _sniff(text: str) -> str:
    head = text[:8192]
    first = head.splitlines()[0] if head else ""
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _xlsx_rows(path: Path) -> list[list[str]]:
    try:
        from openpyxl import load_workbook
    except ImportError:
        raise InvalidImport(
            str(path), None, None, "reading .xlsx needs openpyxl: pip install openpyxl"
        ) from None
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise InvalidImport(
            str(path), None, None, f"is not a readable .xlsx file ({error})"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(value) for value in row])
            if len(rows) > MAX_ROWS:
                raise InvalidImport(str(path), None, None, "has more than 200,000 rows")
        return rows
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- matching columns and reading values -----------------------------------------------------


EMPTY = frozenset({"n a", "na", "none", "null", "nil", ""})  # cells that say nothing


def match_columns(header: Sequence[str], mapping: Mapping | None = None) -> dict[str, int]:
    """Which column (by index) feeds each field: the mapping first, then for each field its
    earliest synonym the file has; a column feeds one field at most."""
    folded = [fold_header(h) for h in header]
    found: dict[str, int] = {}

    def claim(name: str, wanted: str) -> bool:
        for index, head in enumerate(folded):
            if head == wanted and index not in found.values():
                found[name] = index
                return True
        return False

    for name, wanted in (mapping.columns if mapping else {}).items():
        claim(name, fold_header(wanted))
    synonyms = vocabulary()["fields"]
    for name in FIELDS:
        if name in found:
            continue
        for wanted in synonyms[name]:
            if claim(name, wanted):
                break
    return found


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%a, %d %b %Y",
    "%A, %B %d, %Y",
)
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")


def date_order_of(values: Sequence[str]) -> str:
    """DMY or MDY for dates written like 03/04/2026, from the values that settle it."""
    for value in values:
        match = _NUMERIC.match(value.strip())
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            if first > 12 >= second:
                return "DMY"
            if second > 12 >= first:
                return "MDY"
    return "MDY"


def parse_day(text: str, order: str) -> date:
    """A date in one of the usual formats (ISO, 'Mar 5, 2026', 05/03/2026 in `order`, a
    timestamp, an Excel serial number)."""
    value = " ".join(text.strip().split())
    if not value:
        raise ValueError("is empty")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", value):
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    match = _NUMERIC.match(value)
    if match:
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        year += 2000 if year < 100 else 0
        day, month = (first, second) if order == "DMY" else (second, first)
        return date(year, month, day)
    if re.fullmatch(r"\d{5}(\.\d+)?", value):  # an Excel serial day number
        return date(1899, 12, 30) + timedelta(days=int(float(value)))
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", value)
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"'{text.strip()[:40]}' is not a date I can read (use YYYY-MM-DD)")


def parse_status(text: str, mapping: Mapping | None = None, *, reason: str = "") -> Status | None:
    """The status a cell names (None: a row that is not an application yet). A status that
    says only that the application ended ("closed") takes its outcome from `reason`."""
    value = fold(text)
    if not value:
        return Status.APPLIED
    if mapping and value in mapping.statuses:
        found = mapping.statuses[value]
        return None if found == "skip" else Status(found)
    words = vocabulary()["statuses"]
    for status, phrases in words["exact"].items():
        if value not in phrases:
            continue
        if status == "closed":
            return _closed_as(text, reason, mapping)
        return None if status == "not_applied" else Status(status)
    for status, parts in words["contains"].items():
        if any(part in value for part in parts):
            return Status(status)
    raise ValueError(f"'{text.strip()[:40]}' is not a status I know (map it in a --mapping file)")


ENDINGS = frozenset({Status.REJECTED, Status.WITHDRAWN, Status.GHOSTED, Status.OFFER})


def _closed_as(text: str, reason: str, mapping: Mapping | None) -> Status:
    said = f"'{text.strip()[:40]}' does not say how the application ended"
    if not fold(reason):
        raise ValueError(f"{said}: no closed reason (or map the status in a --mapping file)")
    try:
        status = parse_status(reason, mapping)
    except ValueError:
        status = None
    if status not in ENDINGS:
        raise ValueError(f"{said}, and its reason '{reason.strip()[:40]}' is not an outcome I know")
    assert status is not None
    return status


def parse_source(text: str, mapping: Mapping | None = None) -> Source | None:
    """The source a cell names; anything unknown is 'other'."""
    value = fold(text)
    if not value:
        return None
    if mapping and value in mapping.sources:
        return Source(mapping.sources[value])
    for source, phrases in vocabulary()["sources"].items():
        if value in phrases or any(fold(p) in value.split() for p in phrases if " " not in p):
            return Source(source)
    return Source.OTHER


def parse_work_mode(text: str) -> WorkMode | None:
    """Remote, hybrid or onsite from a cell; None when it says none of these."""
    value = fold(text)
    for mode, phrases in vocabulary()["work_modes"].items():
        if value in phrases:
            return WorkMode(mode)
    return None


def read_sheet(path: Path, mapping: Mapping | None = None) -> Sheet:
    """Read a spreadsheet into drafts and problems (nothing is written)."""
    rows = read_rows(path, mapping)
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise InvalidImport(str(path), "row 1", None, "has no header row")
    header = [cell.strip() for cell in rows[0]]
    columns = match_columns(header, mapping)
    missing = [name for name in ("company", "role") if name not in columns]
    if missing:
        seen = ", ".join(f"'{h}'" for h in header if h)
        shipped = "|".join(sorted(builtin_mappings()))
        raise InvalidImport(
            str(path),
            "row 1",
            missing[0],
            f"no column for it among the headers {seen[:300]}; name your columns in a mapping "
            f"file (--mapping FILE.toml) or use a shipped one (--mapping {shipped})",
        )
    order = (mapping.date_order if mapping else None) or date_order_of(
        [
            row[columns[name]]
            for name in ("applied_on", "added_on", "status_on")
            if name in columns
            for row in rows[1:]
            if len(row) > columns[name]
        ]
    )
    drafts, problems = [], []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            draft = _draft(line, row, columns, order, mapping)
        except _Problem as problem:
            problems.append(RowProblem(line, problem.field, problem.reason, problem.skipped))
            continue
        drafts.append(draft)
    ignored = tuple(h for i, h in enumerate(header) if i not in columns.values() and h)
    return Sheet(
        file=str(path),
        columns={name: header[index] for name, index in columns.items()},
        ignored=ignored,
        date_order=order,
        drafts=tuple(drafts),
        problems=tuple(problems),
    )


class _Problem(Exception):
    def __init__(self, field: str | None, reason: str, *, skipped: bool = False) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason
        self.skipped = skipped


NO = frozenset({"no", "n", "false", "0"})


def _draft(
    line: int, row: Sequence[str], columns: dict[str, int], order: str, mapping: Mapping | None
) -> RowDraft:
    def cell(name: str) -> str:
        index = columns.get(name)
        value = row[index] if index is not None and index < len(row) else ""
        if len(value) > MAX_CELL:
            raise _Problem(name, f"is {len(value):,} characters long")
        value = value.strip()
        return "" if len(value) <= 4 and fold(value) in EMPTY else value

    def text(name: str, limit: int, *, required: bool = False) -> str | None:
        try:
            return clean_text(cell(name), name, limit, required=required)
        except Exception as error:
            raise _Problem(name, getattr(error, "detail", str(error))) from None

    try:
        status = parse_status(cell("status"), mapping, reason=cell("closed_reason"))
    except ValueError as error:
        raise _Problem("status", str(error)) from None
    if status is None:
        raise _Problem("status", f"'{cell('status')}' is not an application yet", skipped=True)
    if fold(cell("applied_flag")) in NO:
        raise _Problem(
            "applied_flag", f"'{cell('applied_flag')}': not applied to yet", skipped=True
        )
    company = text("company", MAX_NAME, required=True)
    role = text("role", MAX_NAME, required=True)
    assert company is not None and role is not None
    days: dict[str, date | None] = {}
    for name in ("applied_on", "added_on", "status_on"):
        written = cell(name)
        if not written:
            days[name] = None
            continue
        try:
            days[name] = parse_day(written, order)
        except ValueError as error:
            raise _Problem(name, str(error)) from None
    # An explicit day applied wins; the day a job was saved or added stands in for it only
    # when the row has none (a wishlist tracker saves a job before it is applied to).
    applied = days["applied_on"] or days["added_on"]
    if applied is None:
        empty = "the date applied is empty" if "applied_on" in columns else "no date applied"
        added = " and so is the date added" if "added_on" in columns else ""
        raise _Problem("applied_on", empty + added)
    if applied > local_today():
        raise _Problem("applied_on", f"{applied} is in the future")
    # The day of a status beyond 'applied'; for a row still at 'applied' it says nothing.
    status_on = days["status_on"] if status != Status.APPLIED else None
    if status_on is not None and status_on > local_today():
        raise _Problem("status_on", f"{status_on} is in the future")
    if status_on is not None and status_on < applied:
        raise _Problem("status_on", f"{status_on} is before the day applied ({applied})")
    link = text("link", MAX_LINK)
    if link and not re.match(r"^https?://", link):
        link = None if " " in link else f"https://{link}"
    draft = RowDraft(
        line=line,
        company=company,
        role=role,
        applied_on=applied,
        status=status,
        status_on=status_on,
        level=text("level", MAX_NAME),
        location=text("location", MAX_NAME),
        work_mode=parse_work_mode(cell("work_mode")),
        source=parse_source(cell("source"), mapping),
        link=link,
        notes=text("notes", MAX_NOTES),
        applied_estimated=days["applied_on"] is None,
    )
    try:
        validate_application(**draft.fields())
    except InvalidInput as error:
        raise _Problem(error.field, error.detail) from None
    return draft


def template_rows() -> Iterator[list[str]]:
    """The plain template: the header row of every column debrief reads."""
    yield list(TEMPLATE)
