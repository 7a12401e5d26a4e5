"""`debrief import` and `debrief export`: spreadsheets, e-mail exports and backups, in and out."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from debrief.cli.common import ID, WholeRange, db_option, emit_json, printable, with_journal
from debrief.ingest.mail.classify import EVENTS

if TYPE_CHECKING:
    from debrief.ingest.decisions import ImportResult
    from debrief.journal import Journal

dry_run_option = click.option("--dry-run", is_flag=True, help="Show every decision; write nothing.")
skip_bad_option = click.option(
    "--skip-bad",
    is_flag=True,
    help="Import the good rows or messages and write the bad ones to --errors "
    "(without it, one bad row means nothing is imported).",
)
errors_option = click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default="import-errors.csv",
    show_default=True,
    help="Where --skip-bad writes the rows or messages it left out, with the reason.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print the decisions as JSON.")


@click.group("export")
@db_option
def export() -> None:
    """Export the journal: a lossless JSON backup, CSV files (one per table), or the coming
    dates as an iCalendar file."""


@export.command("json")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_journal
def export_json(journal: Journal, file: Path) -> None:
    """Write everything to FILE as JSON; `debrief import json FILE` restores it exactly."""
    from debrief.ingest.backup import export_json as write

    counts = write(journal, file)
    click.echo(f"Wrote {file}: {_counts(counts)}.")


@export.command("ics")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_journal
def export_ics(journal: Journal, file: Path) -> None:
    """Write the upcoming rounds (with what to prepare), follow-ups and plan targets to FILE,
    an iCalendar file a calendar program imports. `debrief serve` serves the same as a feed to
    subscribe to, at /calendar.ics."""
    from debrief.files import write_text
    from debrief.model import counted
    from debrief.plan.calendar import calendar_events, calendar_text

    events = calendar_events(journal)
    write_text(file, calendar_text(events).decode("utf-8"))
    click.echo(f"Wrote {file}: {counted(len(events), 'event')}.")


@export.command("csv")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default="debrief-export",
    show_default=True,
    help="The folder for the CSV files (with --template: the template file).",
)
@click.option(
    "--template",
    is_flag=True,
    help="Write only an empty spreadsheet with the columns `debrief import csv` reads.",
)
@with_journal(access=lambda o: "preview" if o["template"] else "read")
def export_csv(journal: Journal, output: Path, template: bool) -> None:
    """Write one CSV file per table into a folder (applications.csv, interviews.csv, ...)."""
    if template:
        import csv
        import io

        from debrief.files import write_text
        from debrief.ingest.spreadsheet import template_rows

        buffer = io.StringIO()
        csv.writer(buffer).writerows(template_rows())
        target = output if output.suffix else output.with_suffix(".csv")
        write_text(target, buffer.getvalue())
        click.echo(f"Wrote the template {target}: fill one row per application.")
        return
    from debrief.ingest.backup import export_csv as write

    counts = write(journal, output)
    click.echo(
        f"Wrote {len(counts)} files to {output}/ (applications.csv, ...): {_counts(counts)}."
    )


def _counts(counts: dict[str, int]) -> str:
    shown = ("applications", "interviews", "feedback", "statements", "action_items")
    return ", ".join(f"{counts.get(name, 0)} {name.replace('_', ' ')}" for name in shown)


@click.group("import")
@db_option
def import_() -> None:
    """Import a tracker's spreadsheet, an e-mail export, or a JSON backup."""


@import_.command("json")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_journal(access="add")
def import_json(journal: Journal, file: Path) -> None:
    """Restore a JSON backup (from `debrief export json`) into an empty journal."""
    from debrief.ingest.backup import import_json as restore

    counts = restore(journal, file)
    click.echo(f"Restored {_counts(counts)}.")


@import_.command("csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    metavar="FILE|NAME",
    help="A TOML file naming your columns and statuses, or a shipped one: huntr, jobsync, "
    "simplify, teal.",
)
@dry_run_option
@skip_bad_option
@errors_option
@json_option
@with_journal(access=lambda o: "preview" if o["dry_run"] else "add")
def import_csv(
    journal: Journal,
    file: Path,
    mapping: str | None,
    dry_run: bool,
    skip_bad: bool,
    errors_path: Path,
    as_json: bool,
) -> None:
    """Import applications from a spreadsheet (.csv, or .xlsx): one row per application.

    Columns are found by their headers (company/employer, role/title/position, date applied,
    status/stage, link/url, source, notes, ...); dates and statuses are read from the usual
    words. The exports of Teal, Simplify, JobSync, Huntr and Reactive Resume are read as they
    are; a status is dated by the row's status date or last activity. A row matching an
    application already in the journal (same company, role and day applied) updates its status;
    importing the same file twice changes nothing.
    """
    from debrief.ingest.spreadsheet import load_mapping, read_sheet
    from debrief.ingest.tracker import import_sheet

    chosen = load_mapping(mapping) if mapping else None
    sheet = read_sheet(file, chosen)
    if not as_json:
        columns = ", ".join(
            f"{field} ← '{printable(header)}'" for field, header in sheet.columns.items()
        )
        click.echo(f"Columns: {columns}.", err=True)
        if sheet.ignored:
            click.echo(f"Ignored columns: {printable(', '.join(sheet.ignored))}.", err=True)
        click.echo(
            f"Dates read as {'day/month' if sheet.date_order == 'DMY' else 'month/day'}"
            " where they are ambiguous.",
            err=True,
        )
    with _progress("Importing rows") as progress:
        result = import_sheet(
            journal,
            file,
            mapping=chosen,
            dry_run=dry_run,
            skip_bad=skip_bad,
            progress=progress,
            sheet=sheet,
        )
    _finish(result, dry_run=dry_run, skip_bad=skip_bad, errors_path=errors_path, as_json=as_json)


@import_.command("email")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="PATH...")
@dry_run_option
@skip_bad_option
@errors_option
@json_option
@click.option(
    "--eval",
    "labels",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="LABELS",
    help="Score the reader against labelled messages (JSON Lines beside the .eml files); "
    "writes nothing.",
)
@with_journal(
    access=lambda options: "preview" if options["dry_run"] or options["labels"] else "add"
)
def import_email(
    journal: Journal,
    paths: tuple[Path, ...],
    dry_run: bool,
    skip_bad: bool,
    errors_path: Path,
    as_json: bool,
    labels: Path | None,
) -> None:
    """Import job mail: .eml files, folders of them, or mbox files (as a mail export writes).

    Each message is read for whether it is about one of your applications, the company, the
    role, what happened (application received, interview invitation, assessment, rejection,
    offer, other) and at which stage; feedback in it goes to triage. It is matched to an
    application (same company, applied before the message) or creates one, and moves its
    status on, dated the day the message was sent. Re-importing a mailbox changes nothing.
    Try --dry-run first: it shows every decision and why.
    """
    if labels is not None:
        from debrief.cli import render_transfer
        from debrief.ingest.mail.evaluate import evaluate
        from debrief.ingest.mail.importer import carries_feedback

        triager = journal.triager()
        found = evaluate(
            labels, carries_feedback=lambda r: carries_feedback(r, triager) is not None
        )
        if as_json:
            emit_json(found)
        else:
            render_transfer.print_evaluation(found)
        return
    if not paths:
        raise click.UsageError("give at least one PATH (a .eml file, a folder, or an mbox file)")
    from debrief.ingest.mail.importer import import_mail

    with _progress("Reading messages") as progress:
        result = import_mail(
            journal, list(paths), dry_run=dry_run, skip_bad=skip_bad, progress=progress
        )
    _finish(result, dry_run=dry_run, skip_bad=skip_bad, errors_path=errors_path, as_json=as_json)


@import_.command("imap")
@click.argument("host")
@click.option("--user", required=True, help="The login, usually your e-mail address.")
@click.option(
    "--port", type=WholeRange(0, 65535), default=0, help="Default: 993, or 143 for STARTTLS."
)
@click.option(
    "--security",
    type=click.Choice(["ssl", "starttls"]),
    default="ssl",
    show_default=True,
    help="TLS from the start (ssl) or after STARTTLS; the certificate is always verified.",
)
@click.option(
    "--folder",
    "folders",
    multiple=True,
    metavar="NAME",
    help="A folder to read (repeat for several). Default: INBOX.",
)
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Only messages that arrived on or after this day (YYYY-MM-DD).",
)
@click.option(
    "--cafile",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A certificate authority to trust, for a server with its own certificate.",
)
@dry_run_option
@json_option
@with_journal(access=lambda options: "preview" if options["dry_run"] else "add")
def import_imap(
    journal: Journal,
    host: str,
    user: str,
    port: int,
    security: str,
    folders: tuple[str, ...],
    since: datetime | None,
    cafile: Path | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import job mail straight from an IMAP mailbox, read-only.

    Folders are opened read-only (nothing is marked as read). Each run fetches only what
    arrived since the last one (remembered per folder) and writes as it goes, so an
    interrupted run carries on where it stopped when run again. The password comes from
    $DEBRIEF_IMAP_PASSWORD, else the system keyring (service "debrief-imap", user@host) when
    the keyring package is installed, else a prompt; it is never stored or printed. Gmail
    needs an app password; Outlook.com and Microsoft 365 take no password over IMAP (import an
    export of the mail instead): see docs/import.md.
    """
    import os

    from debrief.ingest.mail.imap import Account, password_from
    from debrief.ingest.mail.mailbox import import_mailbox

    password = password_from(
        user,
        host,
        os.environ,
        lambda: click.prompt(f"IMAP password for {user}@{host}", hide_input=True, err=True),
    )
    account = Account(
        host=host,
        port=port,
        user=user,
        password=password,
        security=security,  # type: ignore[arg-type]
        folders=folders or ("INBOX",),
        since=since.date() if since else None,
        cafile=str(cafile) if cafile else None,
    )
    with _folder_progress() as progress:
        try:
            result = import_mailbox(journal, account, dry_run=dry_run, progress=progress)
        except KeyboardInterrupt:
            raise click.ClickException(
                "interrupted: the batches written before it stay imported; "
                "run the same command again to carry on"
            ) from None
    _finish(result, dry_run=dry_run, skip_bad=False, errors_path=Path(), as_json=as_json)


@contextmanager
def _folder_progress() -> Iterator[Callable[[str, int, int], None]]:
    """A Rich progress bar per folder on a terminal; elsewhere, one line per folder read."""
    import sys

    if not sys.stderr.isatty():
        told: dict[str, int] = {}

        def line(folder: str, done: int, total: int) -> None:
            if done == total and told.get(folder) != total:
                told[folder] = total
                click.echo(f"{printable(folder)}: {total:,} new messages read.", err=True)

        yield line
        return
    from rich.console import Console
    from rich.progress import Progress, TaskID

    with Progress(console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(folder: str, done: int, total: int) -> None:
            if folder not in tasks:
                from rich.markup import escape

                tasks[folder] = bar.add_task(f"Reading {escape(folder)}", total=total or None)
            bar.update(tasks[folder], completed=done)

        yield update


@contextmanager
def _progress(what: str) -> Iterator[Callable[[int], None] | None]:
    """A Rich progress line on a terminal (nothing when output is redirected)."""
    import sys

    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=None)
        yield lambda done: bar.update(task, completed=done)


def _finish(
    result: ImportResult, *, dry_run: bool, skip_bad: bool, errors_path: Path, as_json: bool
) -> None:
    """Print the decisions and the summary; exit 1 when bad rows stopped the import."""
    from debrief.cli import render_transfer

    if as_json:
        emit_json(
            {"source": result.source, "written": result.written, "decisions": result.decisions}
        )
    else:
        failed = not result.written and not dry_run
        if not (failed and len(result.decisions) == 1):  # one refused file: one line below
            render_transfer.print_decisions(result, everything=dry_run, only_errors=failed)
    if result.errors and skip_bad and result.written:
        _write_errors(errors_path, result)
        click.echo(f"Wrote the {len(result.errors)} left out to {errors_path}.", err=True)
    if dry_run:
        click.echo(f"Dry run, nothing written: {result.summary}.", err=True)
    elif result.written:
        click.echo(f"Imported from {result.source}: {result.summary}.", err=True)
    elif len(result.decisions) == 1:
        [only] = result.decisions
        raise click.ClickException(f"nothing was imported: {only.origin} {only.reason}")
    else:
        fixes = "fix them" if result.mail else "fix them, map them with --mapping"
        raise click.ClickException(
            f"nothing was imported: {len(result.errors)} of {len(result.decisions)} have "
            f"problems ({fixes}, or use --skip-bad to import the rest)"
        )


def _write_errors(path: Path, result: ImportResult) -> None:
    import csv
    import io

    from debrief.files import write_text

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["source", "where", "field", "reason"])
    for decision in result.errors:
        writer.writerow([result.source, decision.origin, decision.field or "", decision.reason])
    write_text(path, buffer.getvalue())


@import_.group("review", invoke_without_command=True)
@click.option("--all", "everything", is_flag=True, help="Also list accepted and discarded ones.")
@json_option
@click.pass_context
def import_review(ctx: click.Context, everything: bool, as_json: bool) -> None:
    """The messages an import was unsure of, least sure first: accept, correct or discard.

    `debrief import review` lists them; `review show ID` shows one with its text;
    `review accept ID` writes it as proposed, or corrected with --company, --role, --event,
    --stage or --application; `review discard ID` leaves it out for good.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_reviews, everything=everything, as_json=as_json)


@with_journal
def list_reviews(journal: Journal, everything: bool, as_json: bool) -> None:
    """List the queue."""
    from debrief.cli import render_transfer

    found = journal.list_reviews(None if everything else "pending")
    if as_json:
        emit_json([_review_json(review) for review in found])
        return
    render_transfer.print_reviews(found)


@import_review.command("show")
@click.argument("review_id", type=ID, metavar="ID")
@json_option
@with_journal
def show_review(journal: Journal, review_id: int, as_json: bool) -> None:
    """One queued message: what the reader proposes, why it is unsure, and the message."""
    from debrief.cli import render_transfer

    review = journal.get_review(review_id)
    if as_json:
        emit_json({**_review_json(review), "text": review.text})
        return
    render_transfer.print_review(review)


@import_review.command("accept")
@click.argument("review_id", type=ID, metavar="ID")
@click.option("--company", help="The company, if the reader got it wrong.")
@click.option("--role", help="The role, if the reader got it wrong ('' for none).")
@click.option(
    "--event",
    type=click.Choice(EVENTS),
    help="What happened, if the reader got it wrong.",
)
@click.option(
    "--stage",
    type=click.Choice(["applied", "screen", "technical", "onsite", "offer"]),
    help="The round an invitation is for, or the furthest one a rejection followed.",
)
@click.option(
    "--application", "application_id", type=ID, help="The application it is about (its id)."
)
@with_journal(access="add")
def accept(
    journal: Journal,
    review_id: int,
    company: str | None,
    role: str | None,
    event: str | None,
    stage: str | None,
    application_id: int | None,
) -> None:
    """Write a queued message, as proposed or corrected."""
    from debrief.ingest.mail.importer import accept_review

    done = accept_review(
        journal,
        review_id,
        company=company,
        role=role,
        event=event,
        stage=stage,
        application_id=application_id,
    )
    where = f" (application {done.application_id})" if done.application_id else ""
    click.echo(f"Accepted review {review_id}: {done.action}{where}: {printable(done.reason)}")


@import_review.command("discard")
@click.argument("review_id", type=ID, metavar="ID")
@with_journal(access="add")
def discard(journal: Journal, review_id: int) -> None:
    """Leave a queued message out of the journal (a re-import will not bring it back)."""
    from debrief.ingest.mail.importer import discard_review

    discard_review(journal, review_id)
    click.echo(f"Discarded review {review_id}.")


def _review_json(review: object) -> dict[str, object]:
    from dataclasses import asdict, is_dataclass

    assert is_dataclass(review) and not isinstance(review, type)
    found = asdict(review)
    found.pop("text", None)
    found.pop("key", None)
    return found
