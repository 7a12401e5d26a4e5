"""Importing trackers' spreadsheets: headers and values read leniently, the exports of Teal,
Simplify, JobSync, Huntr and Reactive Resume as they are (tests/data/trackers/), statuses dated
by their status date or last activity, every decision shown first, one transaction, idempotent
re-imports, shipped mappings, .xlsx, and random input."""

from __future__ import annotations

import contextlib
import csv
import io
import statistics
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debrief.errors import DebriefError, InvalidImport
from debrief.ingest.backup import dump
from debrief.ingest.spreadsheet import (
    FIELDS,
    load_mapping,
    match_columns,
    parse_day,
    parse_source,
    parse_status,
    read_sheet,
)
from debrief.ingest.tracker import import_sheet
from debrief.journal import Journal
from debrief.model import Source, Status
from tests.conftest import CliDriver


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_text(buffer.getvalue(), "utf-8")
    return path


TRACKER = [
    ["Employer", "Position", "Applied On", "Stage", "URL", "How found", "Comments", "Salary"],
    [
        "Northwind Analytics",
        "Data Scientist",
        "14/10/2026",
        "Phone screen",
        "jobs.example.com/1",
        "LinkedIn",
        "",
        "120k",
    ],
    [
        "Fabrikam",
        "Senior Data Scientist",
        "03/11/2026",
        "Rejected",
        "",
        "Referral",
        "Said no fast",
        "",
    ],
    ["Contoso", "Product Analyst", "05/11/2026", "Wishlist", "", "", "", ""],
    ["Tailspin", "ML Engineer", "06/11/2026", "No response", "", "company website", "", ""],
]


def test_headers_and_values_are_read_from_common_words(tmp_path: Path) -> None:
    sheet = read_sheet(write_csv(tmp_path / "t.csv", TRACKER))
    assert sheet.columns == {
        "company": "Employer",
        "role": "Position",
        "applied_on": "Applied On",
        "status": "Stage",
        "link": "URL",
        "source": "How found",
        "notes": "Comments",
    }
    assert sheet.ignored == ("Salary",)
    assert sheet.date_order == "DMY"  # 14/10/2026 settles it
    first, second, third = sheet.drafts
    assert (first.applied_on, first.status, first.source, first.link) == (
        date(2026, 10, 14),
        Status.SCREEN,
        Source.JOB_BOARD,
        "https://jobs.example.com/1",
    )
    assert (second.applied_on, second.status, second.source) == (
        date(2026, 11, 3),
        Status.REJECTED,
        Source.REFERRAL,
    )
    assert (third.status, third.source) == (Status.GHOSTED, Source.COLD_APPLY)
    [wishlist] = sheet.problems
    assert (wishlist.line, wishlist.skipped) == (4, True)


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2026-03-05", "MDY", date(2026, 3, 5)),
        ("03/05/2026", "MDY", date(2026, 3, 5)),
        ("03/05/2026", "DMY", date(2026, 5, 3)),
        ("Mar 5, 2026", "MDY", date(2026, 3, 5)),
        ("5 March 2026", "MDY", date(2026, 3, 5)),
        ("March 5th 2026", "MDY", date(2026, 3, 5)),
        ("2026-09-10T00:47:03Z", "MDY", date(2026, 9, 10)),
        ("46086", "MDY", date(2026, 3, 5)),  # an Excel serial day
        ("5-Mar-26", "MDY", date(2026, 3, 5)),
    ],
)
def test_dates_in_the_usual_formats(text: str, order: str, expected: date) -> None:
    assert parse_day(text, order) == expected


def test_statuses_and_sources_from_common_words() -> None:
    assert parse_status("Onsite interview") == Status.ONSITE
    assert parse_status("Final Round") == Status.ONSITE
    assert parse_status("Offer received!") == Status.OFFER
    assert parse_status("Not moving forward") == Status.REJECTED
    assert parse_status("") == Status.APPLIED
    assert parse_status("Bookmarked") is None
    with pytest.raises(ValueError, match="not a status I know"):
        parse_status("Mystery")
    assert parse_source("Indeed") == Source.JOB_BOARD
    assert parse_source("a friend") == Source.NETWORK
    assert parse_source("carrier pigeon") == Source.OTHER


def test_closed_takes_its_outcome_from_the_closed_reason() -> None:
    assert parse_status("closed", reason="Not selected") == Status.REJECTED
    assert parse_status("closed", reason="I withdrew") == Status.WITHDRAWN
    assert parse_status("closed", reason="accepted_another_offer") == Status.WITHDRAWN
    assert parse_status("Closed", reason="No response") == Status.GHOSTED
    with pytest.raises(ValueError, match="does not say how the application ended"):
        parse_status("closed")
    with pytest.raises(ValueError, match="'moved on' is not an outcome I know"):
        parse_status("closed", reason="moved on")


def test_headers_in_camel_and_snake_case_and_the_earliest_synonym_wins(tmp_path: Path) -> None:
    rows = [
        ["companyName", "job_title", "Date Saved", "Date Applied", "statusName", "lastMovedAt"],
        ["Acme", "Analyst", "2026-09-01", "2026-09-03", "Rejected", "2026-09-20"],
    ]
    sheet = read_sheet(write_csv(tmp_path / "t.csv", rows))
    assert sheet.columns == {
        "company": "companyName",
        "role": "job_title",
        "applied_on": "Date Applied",  # an explicit day applied beats the day saved
        "added_on": "Date Saved",
        "status": "statusName",
        "status_on": "lastMovedAt",
    }
    [draft] = sheet.drafts
    assert (draft.applied_on, draft.status_on, draft.applied_estimated) == (
        date(2026, 9, 3),
        date(2026, 9, 20),
        False,
    )


def test_status_dated_by_last_activity_and_applied_by_date_added(
    journal: Journal, tmp_path: Path
) -> None:
    rows = [
        ["Company", "Role", "Date Applied", "Date Added", "Status", "Last Activity"],
        ["Acme", "Analyst", "2026-09-03", "2026-09-01", "Rejected", "2026-09-17"],
        ["Globex", "Engineer", "", "2026-09-05", "Phone screen", "2026-09-12"],
        ["Initech", "Analyst", "N/A", "", "Onsite", "2026-09-12"],
        ["Hooli", "Analyst", "2026-09-08", "", "Applied", "2026-09-01"],  # nothing to date
    ]
    result = import_sheet(journal, write_csv(tmp_path / "t.csv", rows), skip_bad=True)
    acme, globex, initech, hooli = result.decisions
    assert (acme.action, acme.on) == ("create", date(2026, 9, 17))
    assert (globex.action, globex.on) == ("create", date(2026, 9, 12))
    assert "day applied taken from 'Date Added' (the row has no date applied)" in globex.reason
    assert (initech.action, initech.field) == ("error", "applied_on")
    assert "date applied is empty and so is the date added" in initech.reason
    assert hooli.action == "create"
    history = journal.get_application(acme.application_id or 0).history
    assert [(c.to_status, c.changed_at.date()) for c in history] == [
        (Status.APPLIED, date(2026, 9, 3)),
        (Status.REJECTED, date(2026, 9, 17)),
    ]
    globex_app = journal.get_application(globex.application_id or 0).application
    assert globex_app.applied_on == date(2026, 9, 5)


def test_rows_marked_not_applied_or_empty_cells_saying_na(tmp_path: Path) -> None:
    rows = [
        ["Company", "JobTitle", "applied", "appliedDate", "Location", "Status"],
        ["Acme", "Analyst", "Yes", "2026-09-02", "N/A", "Expired"],
        ["Globex", "Analyst", "No", "N/A", "Berlin", "Expired"],
    ]
    sheet = read_sheet(write_csv(tmp_path / "t.csv", rows))
    [draft] = sheet.drafts
    assert (draft.company, draft.status, draft.location) == ("Acme", Status.GHOSTED, None)
    [skipped] = sheet.problems
    assert (skipped.line, skipped.field, skipped.skipped) == (3, "applied_flag", True)


def test_a_yes_no_applied_column_beside_a_date_column_is_not_the_date(tmp_path: Path) -> None:
    rows = [
        ["Company", "Role", "Date", "Applied", "Status"],
        ["Acme", "Data Scientist", "2026-01-05", "Yes", "Applied"],
    ]
    sheet = read_sheet(write_csv(tmp_path / "t.csv", rows))
    assert (sheet.columns["applied_on"], sheet.columns["applied_flag"]) == ("Date", "Applied")
    [draft] = sheet.drafts
    assert draft.applied_on == date(2026, 1, 5)
    dated = read_sheet(
        write_csv(
            tmp_path / "u.csv", [["Company", "Role", "Applied"], ["Acme", "DS", "2026-01-07"]]
        )
    )
    assert dated.drafts[0].applied_on == date(2026, 1, 7)


def test_unknown_headers_are_named_with_the_shipped_mappings(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [["Firm", "Gig", "When"], ["A", "B", "2026-01-01"]])
    with pytest.raises(InvalidImport) as refused:
        read_sheet(path)
    message = str(refused.value)
    assert "\n" not in message
    assert "role: no column for it among the headers 'Firm', 'Gig', 'When'" in message
    assert "--mapping FILE.toml" in message and "--mapping huntr|jobsync|" in message


def test_import_creates_with_history_then_reimport_changes_nothing(
    journal: Journal, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "t.csv", TRACKER)
    preview = import_sheet(journal, path, dry_run=True)
    assert not preview.written and journal.summary().applications == 0
    assert [d.action for d in preview.decisions] == ["create", "create", "skip", "create"]
    result = import_sheet(journal, path)
    assert result.written and result.summary.startswith("3 created, 0 updated")
    fabrikam = journal.get_application(result.decisions[1].application_id or 0)
    assert [(c.to_status, c.changed_at.date()) for c in fabrikam.history] == [
        (Status.APPLIED, date(2026, 11, 3)),
        (Status.REJECTED, date(2026, 11, 3)),
    ]
    before = dump(journal)
    again = import_sheet(journal, path)
    assert again.summary.startswith("0 created, 0 updated, 3 unchanged")
    assert dump(journal)["tables"] == before["tables"]


def test_a_later_export_moves_statuses_on_and_never_back(journal: Journal, tmp_path: Path) -> None:
    import_sheet(journal, write_csv(tmp_path / "a.csv", TRACKER))
    later = [
        ["Company", "Title", "Date applied", "Status", "Last updated"],
        ["northwind  analytics", "data scientist", "2026-10-14", "Onsite", "2026-11-20"],
        ["Fabrikam", "Senior Data Scientist", "2026-11-03", "Applied", ""],
        ["Tailspin", "ML Engineer", "2026-11-06", "Onsite", "2099-01-01"],
    ]
    result = import_sheet(journal, write_csv(tmp_path / "b.csv", later), skip_bad=True)
    update, closed, future = result.decisions
    assert (update.action, update.from_status, update.status, update.on) == (
        "update",
        "screen",
        "onsite",
        date(2026, 11, 20),
    )
    # Rejected in the journal: an older export saying otherwise changes nothing.
    assert closed.action == "unchanged" and "'rejected' in the journal" in closed.reason
    assert (future.action, future.field) == ("error", "status_on")  # refused while planning
    assert result.written
    assert journal.get_application(update.application_id or 0).application.status == Status.ONSITE


def test_bad_rows_stop_the_import_unless_skipped(journal: Journal, tmp_path: Path) -> None:
    rows = [*TRACKER, ["", "Analyst", "2026-11-01", "Applied"], ["Acme", "Analyst", "soon", ""]]
    path = write_csv(tmp_path / "t.csv", rows)
    stopped = import_sheet(journal, path)
    assert not stopped.written and journal.summary().applications == 0
    reasons = {(d.origin, d.field) for d in stopped.errors}
    assert reasons == {("t.csv row 6", "company"), ("t.csv row 7", "applied_on")}
    partial = import_sheet(journal, path, skip_bad=True)
    assert partial.written and journal.summary().applications == 3


def test_a_failure_while_writing_leaves_the_journal_as_it_was(
    journal: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal.add_application("Existing", "Analyst", applied_on="2026-10-01")
    before = dump(journal)["tables"]
    rows = [*TRACKER, ["Northwind Analytics", "Data Scientist", "14/10/2026", "Onsite"]]

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(journal, "change_status", broken)
    existing = [
        ["Company", "Role", "Date applied", "Status"],
        ["Existing", "Analyst", "2026-10-01", "Rejected"],
    ]
    with pytest.raises(RuntimeError):
        import_sheet(journal, write_csv(tmp_path / "t.csv", existing + rows[1:2]))
    assert dump(journal)["tables"] == before


def test_shipped_mappings_for_other_trackers(journal: Journal, tmp_path: Path) -> None:
    jobsync = [
        [
            "index",
            "createdAt",
            "applied",
            "appliedDate",
            "Company",
            "JobTitle",
            "jobType",
            "Location",
            "JobSource",
            "Status",
        ],
        [
            "1",
            "2026-09-01",
            "Yes",
            "2026-09-02",
            "Acme",
            "Data Scientist",
            "Full Time",
            "Remote",
            "LinkedIn",
            "Interview",
        ],
        ["2", "2026-09-03", "No", "N/A", "Globex", "Analyst", "Full Time", "N/A", "N/A", "Draft"],
        [
            "3",
            "2026-09-04",
            "Yes",
            "N/A",
            "Initech",
            "ML Engineer",
            "Contract",
            "Berlin",
            "Referral",
            "Offer Declined",
        ],
    ]
    sheet = read_sheet(write_csv(tmp_path / "jobs.csv", jobsync), load_mapping("jobsync"))
    assert [(d.company, d.status, d.applied_on) for d in sheet.drafts] == [
        ("Acme", Status.SCREEN, date(2026, 9, 2)),
        ("Initech", Status.WITHDRAWN, date(2026, 9, 4)),  # no appliedDate: the day it was added
    ]
    assert [p.skipped for p in sheet.problems] == [True]  # the draft
    teal = [
        ["company_name", "role", "url", "applied_at", "updated_at", "created_at", "statusName"],
        [
            "Acme",
            "Data Scientist",
            "https://acme.example/j",
            "2026-09-10T00:47:03Z",
            "2026-09-20T10:00:00Z",
            "2026-09-01T00:00:00Z",
            "interviewing",
        ],
        ["Globex", "Analyst", "", "", "", "2026-09-02T00:00:00Z", "bookmarked"],
    ]
    sheet = read_sheet(write_csv(tmp_path / "teal.csv", teal), load_mapping("teal"))
    [draft] = sheet.drafts
    assert (draft.status, draft.applied_on, draft.status_on) == (
        Status.SCREEN,
        date(2026, 9, 10),
        date(2026, 9, 20),
    )
    with pytest.raises(InvalidImport, match="shipped mappings: huntr, jobsync, simplify, teal"):
        load_mapping("nonexistent")


TRACKERS = Path(__file__).parent / "data" / "trackers"
S = Status
D = date
# Each tracker's sample export (headers as the real export has them, rows written for the
# tests): the applications it holds, as (company, role, status, day applied, status day), and
# the rows left out because they are not applications yet.
EXPORTS = {
    "teal": (
        [
            ("Brindle Labs", "Data Analyst", S.APPLIED, D(2026, 8, 27), None),
            ("Quarry & Vine", "Analytics Engineer", S.SCREEN, D(2026, 9, 1), None),
            ("Orrin Freight", "Data Scientist", S.OFFER, D(2026, 8, 12), None),
            ("Pellucid", "ML Engineer", S.APPLIED, D(2026, 9, 15), None),  # the day saved
        ],
        [4, 6],  # Bookmarked, Applying
    ),
    "simplify": (
        [
            ("Fenwick Rail", "Data Engineer", S.APPLIED, D(2026, 9, 1), None),
            ("Harbourline", "Analyst", S.SCREEN, D(2026, 9, 2), D(2026, 9, 9)),
            ("Kestrel Bio", "Data Scientist", S.REJECTED, D(2026, 9, 3), D(2026, 9, 13)),
            ("Lumen Grid", "ML Engineer", S.OFFER, D(2026, 9, 4), D(2026, 9, 24)),
            ("Oakmere", "Analyst", S.REJECTED, D(2026, 9, 6), D(2026, 9, 12)),
            ("Quillon", "Platform Engineer", S.SCREEN, D(2026, 9, 7), D(2026, 9, 21)),
        ],
        [6],  # SAVED
    ),
    "jobsync": (
        [
            ("Corvid Systems", "Data Scientist", S.SCREEN, D(2026, 9, 2), None),
            ("Emberly", "ML Engineer", S.WITHDRAWN, D(2026, 9, 5), None),
            ("Fathom Works", "Data Analyst", S.REJECTED, D(2026, 9, 8), None),
            ("Hollis", "BI Analyst", S.APPLIED, D(2026, 9, 9), None),  # appliedDate N/A
            ("Ivel", "Analyst", S.GHOSTED, D(2026, 9, 11), None),
        ],
        [3, 6],  # Draft; Expired but never applied to
    ),
    "huntr": (
        [
            ("Juniper Atlas", "Data Analyst", S.APPLIED, D(2026, 9, 1), None),
            ("Kittering", "Analyst", S.SCREEN, D(2026, 9, 3), D(2026, 9, 15)),
            ("Mossgiel", "Data Scientist", S.REJECTED, D(2026, 9, 5), D(2026, 9, 19)),
        ],
        [4],  # Wishlist
    ),
    "reactive-resume": (
        [
            ("Nimbus Ferries", "Data Analyst", S.APPLIED, D(2026, 9, 1), None),
            ("Ostara", "Analytics Engineer", S.SCREEN, D(2026, 9, 3), D(2026, 9, 10)),
            ("Pinfold", "Data Scientist", S.SCREEN, D(2026, 9, 4), D(2026, 9, 18)),
            ("Quayside", "ML Engineer", S.REJECTED, D(2026, 9, 6), D(2026, 9, 20)),
            ("Rookery", "Analyst", S.GHOSTED, D(2026, 9, 7), D(2026, 10, 8)),
            ("Tamsin", "BI Analyst", S.OFFER, D(2026, 9, 9), D(2026, 9, 25)),
        ],
        [7],  # saved
    ),
}


@pytest.mark.parametrize("tracker", sorted(EXPORTS))
def test_trackers_exports_are_read_without_a_mapping(tracker: str) -> None:
    sheet = read_sheet(TRACKERS / f"{tracker}.csv")
    applications, not_yet = EXPORTS[tracker]
    assert [
        (d.company, d.role, d.status, d.applied_on, d.status_on) for d in sheet.drafts
    ] == applications
    assert [(p.line, p.skipped) for p in sheet.problems] == [(line, True) for line in not_yet]


@pytest.mark.parametrize("tracker", ["huntr", "jobsync", "simplify", "teal"])
def test_a_shipped_mapping_reads_its_sample_as_the_default_reader_does(tracker: str) -> None:
    path = TRACKERS / f"{tracker}.csv"
    assert read_sheet(path, load_mapping(tracker)).drafts == read_sheet(path).drafts


def test_what_each_export_adds_beyond_company_role_status_and_dates() -> None:
    simplify = read_sheet(TRACKERS / "simplify.csv")
    assert simplify.ignored == ("Archived", "Date Archived", "job_type")
    harbourline = simplify.drafts[1]
    assert (harbourline.link, harbourline.notes) == (
        "https://jobs.example.org/harbourline/7",
        "recruiter call booked",
    )
    teal = read_sheet(TRACKERS / "teal.csv")
    assert teal.columns["added_on"] == "Date Saved"  # never "Date Posted"
    assert [d.applied_estimated for d in teal.drafts] == [False, False, False, True]
    jobsync = read_sheet(TRACKERS / "jobsync.csv")
    assert [(d.location, d.source) for d in jobsync.drafts[:2]] == [
        ("Remote", Source.JOB_BOARD),
        ("Berlin", Source.COLD_APPLY),  # "Company Career Page"
    ]
    resume = read_sheet(TRACKERS / "reactive-resume.csv")
    assert resume.columns["status_on"] == "Stage Date"  # not "Updated At"
    assert resume.columns["closed_reason"] == "Closed Reason"


@pytest.mark.parametrize(
    ("tracker", "days"),
    [("simplify", [6, 7, 10, 14, 20]), ("reactive-resume", [7, 14, 14, 16])],
)
def test_days_to_an_answer_after_importing_an_export(
    cli: CliDriver, tracker: str, days: list[int]
) -> None:
    cli.ok("import", "csv", str(TRACKERS / f"{tracker}.csv"))
    everything = cli.json("stats", "responses")
    assert isinstance(everything, list)
    [found] = [row for row in everything if row["key"] == "all"]
    # The days from each row's day applied to its status date (a ghosted row is no answer).
    assert found["days"] == days
    assert found["median_days"] == statistics.median(days) > 0


def test_a_day_applied_taken_from_the_day_saved_is_kept_as_unknown(cli: CliDriver) -> None:
    cli.ok("import", "csv", str(TRACKERS / "teal.csv"))
    found = cli.json("app", "list")
    assert isinstance(found, list)
    pellucid = next(app for app in found if app["company"] == "Pellucid")
    assert (pellucid["applied_on"], pellucid["applied_on_known"]) == ("2026-09-15", False)
    assert all(app["applied_on_known"] for app in found if app["company"] != "Pellucid")


def test_a_mapping_file_names_unusual_columns_and_values(tmp_path: Path) -> None:
    mapping = tmp_path / "mine.toml"
    mapping.write_text(
        '[columns]\ncompany = "Firm"\nrole = "Gig"\napplied_on = "When"\nstatus = "Where"\n'
        '[statuses]\n"Round 2" = "technical"\n"Parked" = "skip"\n[options]\ndate_order = "DMY"\n'
        'delimiter = ";"\n',
        "utf-8",
    )
    rows = [
        ["Firm", "Gig", "When", "Where"],
        ["Acme", "Analyst", "02/03/2026", "Round 2"],
        ["B", "C", "01/01/2026", "Parked"],
    ]
    sheet = read_sheet(write_csv(tmp_path / "t.csv", rows, delimiter=";"), load_mapping(mapping))
    [draft] = sheet.drafts
    assert (draft.status, draft.applied_on) == (Status.TECHNICAL, date(2026, 3, 2))
    mapping.write_text('[columns]\ncolour = "Firm"\n', "utf-8")
    with pytest.raises(InvalidImport, match="colour: is not a field"):
        load_mapping(mapping)


def test_xlsx_workbooks(journal: Journal, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Company", "Job Title", "Date Applied", "Status"])
    sheet.append(["Acme", "Data Scientist", datetime(2026, 10, 2), "Onsite"])
    sheet.append(["Globex", "Analyst", datetime(2026, 10, 5), None])
    path = tmp_path / "tracker.xlsx"
    book.save(path)
    result = import_sheet(journal, path)
    assert result.summary.startswith("2 created")
    apps = {a.company: a for a in journal.list_applications()}
    assert (apps["Acme"].status, apps["Acme"].applied_on) == (Status.ONSITE, date(2026, 10, 2))
    assert apps["Globex"].status == Status.APPLIED
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InvalidImport, match=r"not a readable \.xlsx file"):
        read_sheet(tmp_path / "broken.xlsx")


def test_cli_import_and_template(cli: CliDriver, tmp_path: Path) -> None:
    template = tmp_path / "template.csv"
    cli.ok("export", "csv", "--template", "-o", str(template))
    header = template.read_text("utf-8").strip()
    rows = [
        header.split(","),
        ["Acme", "Analyst", "", "", "", "referral", "", "2026-10-01", "screen", "2026-10-05", ""],
    ]
    filled = write_csv(tmp_path / "filled.csv", rows)
    dry = cli.ok("import", "csv", str(filled), "--dry-run")
    assert "create" in dry.stdout and "Dry run, nothing written: 1 created" in dry.stderr
    assert "Imported from" in cli.ok("import", "csv", str(filled)).stderr
    listed = cli.json("app", "list")
    assert isinstance(listed, list) and listed[0]["status"] == "screen"
    bad = write_csv(
        tmp_path / "bad.csv", [["Company", "Role", "Date applied"], ["Acme", "", "2026-10-01"]]
    )
    refused = cli("import", "csv", str(bad))
    assert refused.exit_code == 1 and "nothing was imported" in refused.stderr
    report = tmp_path / "errors.csv"
    cli.ok("import", "csv", str(bad), "--skip-bad", "--errors", str(report))
    assert "bad.csv row 2,role," in report.read_text("utf-8")


# -- random input never crashes the reader and never half-writes ------------------------------


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=2_000))
def test_random_bytes_are_refused_cleanly(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.csv"
    path.write_bytes(data)
    with contextlib.suppress(InvalidImport):  # a clean refusal; anything else fails the test
        read_sheet(path)


HEADERS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        ["Company", "companyName", "JOB_TITLE", "Date Saved", "applied", "Status", "lastMovedAt"]
    ),
)


@given(st.lists(HEADERS, max_size=12))
def test_any_header_row_gives_each_column_to_one_field_at_most(header: list[str]) -> None:
    columns = match_columns(header)
    assert len(set(columns.values())) == len(columns)
    assert set(columns) <= set(FIELDS)
    assert all(0 <= index < len(header) for index in columns.values())


CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["2026-10-01", "13/13/2026", "Rejected", "Offer", "N/A", "", "=1+1", "\x00"]),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(CELLS, min_size=1, max_size=5), min_size=1, max_size=6))
def test_mutated_trackers_import_or_refuse_without_partial_writes(
    tmp_path: Path, rows: list[list[str]]
) -> None:
    header = ["Company", "Role", "Date applied", "Status", "Notes"]
    path = write_csv(tmp_path / "m.csv", [header, *rows])
    with Journal.open(str(tmp_path / "m.db")) as journal:
        before = journal.summary().applications
        try:
            result = import_sheet(journal, path)
        except DebriefError:
            assert journal.summary().applications == before
            return
        created = result.count("create")
        assert journal.summary().applications == before + (created if result.written else 0)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=3_000), st.booleans())
def test_random_bytes_as_a_workbook_or_a_backup_are_refused_cleanly(
    tmp_path: Path, data: bytes, zipped: bool
) -> None:
    from debrief.ingest.backup import import_json

    book = tmp_path / "random.xlsx"
    book.write_bytes((b"PK\x03\x04" if zipped else b"") + data)
    with contextlib.suppress(InvalidImport):
        read_sheet(book)
    backup = tmp_path / "random.json"
    backup.write_bytes(data)
    with Journal.open(str(tmp_path / "r.db")) as journal:
        with contextlib.suppress(InvalidImport):
            import_json(journal, backup)
        assert journal.summary().applications == 0
