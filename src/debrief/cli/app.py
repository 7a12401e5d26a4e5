"""`debrief app`: applications and their status history."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from debrief.cli.common import (
    ID,
    VocabularyChoice,
    confirm_delete,
    edits,
    json_option,
    print_as,
    print_done,
    printable,
    stacked,
    with_journal,
    yes_option,
)
from debrief.model import Source, Status, WorkMode, counted

if TYPE_CHECKING:
    from debrief.journal import Journal

F = TypeVar("F", bound=Callable[..., Any])


@click.group()
def app() -> None:
    """Applications: add, list, show, edit, change status, delete."""


def _application_options(*, editing: bool) -> Callable[[F], F]:
    """The descriptive options shared by `add` and `edit` (on edit, "" clears a field)."""
    clear = ' ("" clears it)' if editing else ""
    options = [
        click.option("--level", help=f"Seniority, e.g. junior, senior, staff{clear}."),
        click.option("--location", help=f"City or region{clear}."),
        click.option(
            "--work-mode", type=VocabularyChoice(WorkMode), help=f"Onsite, hybrid or remote{clear}."
        ),
        click.option(
            "--source", type=VocabularyChoice(Source), help=f"How the application started{clear}."
        ),
        click.option("--link", help=f"The job posting's address{clear}."),
        click.option(
            "--applied",
            "applied_on",
            metavar="DATE",
            help="Date applied: YYYY-MM-DD, today, yesterday or 'N days ago'"
            + ("." if editing else " (default: today)."),
        ),
        click.option("--notes", help=f"Free notes{clear}."),
    ]

    return stacked(options)


@app.command("add")
@click.argument("company")
@click.argument("role")
@_application_options(editing=False)
@json_option
@with_journal(access="add")
def add(journal: Journal, company: str, role: str, as_json: bool, **fields: Any) -> None:
    """Record a new application to COMPANY for ROLE (its status starts at 'applied')."""
    application = journal.add_application(company, role, **fields)
    print_done(
        application,
        as_json,
        f"Added application #{application.id}: {printable(application.company)} — "
        f"{printable(application.role)} "
        f"(applied {application.applied_on}).",
    )


@app.command("list")
@click.option(
    "--status",
    "-s",
    type=VocabularyChoice(Status),
    multiple=True,
    help="Only these statuses (repeat the option for several).",
)
@click.option("--company", "-c", help="Only companies whose name contains this text.")
@click.option("--source", type=VocabularyChoice(Source), multiple=True, help="Only these sources.")
@click.option("--since", metavar="DATE", help="Applied on or after this date.")
@click.option("--until", metavar="DATE", help="Applied on or before this date.")
@click.option("--limit", type=ID, help="Only this many, the most recently applied.")
@json_option
@with_journal
def list_(journal: Journal, as_json: bool, **filters: Any) -> None:
    """List applications, oldest first."""
    applications = journal.list_applications(**filters)
    print_as(applications, as_json, "applications_table")


@app.command("show")
@click.argument("application_id", metavar="ID", type=ID)
@json_option
@with_journal
def show(journal: Journal, application_id: int, as_json: bool) -> None:
    """Show an application with its status history, interviews and feedback."""
    detail = journal.get_application(application_id)
    print_as(detail, as_json, "application_detail")


@app.command("edit")
@click.argument("application_id", metavar="ID", type=ID)
@click.option("--company", help="Company name.")
@click.option("--role", help="Role or title.")
@_application_options(editing=True)
@json_option
@with_journal(access="change")
def edit(journal: Journal, application_id: int, as_json: bool, **fields: Any) -> None:
    """Change fields of an application; only the options given change."""
    changes = edits(fields)
    if not changes:
        raise click.UsageError("nothing to change: give at least one option, e.g. --role")
    # A day the user gives is known, even when it is the estimate's.
    known: dict[str, Any] = {"applied_on_known": True} if "applied_on" in changes else {}
    application = journal.edit_application(application_id, **changes, **known)
    print_done(
        application,
        as_json,
        f"Updated application #{application.id}: {', '.join(changes)}.",
    )


@app.command("status")
@click.argument("application_id", metavar="ID", type=ID)
@click.argument("status", type=VocabularyChoice(Status))
@click.option(
    "--at", metavar="DATE", help="When it happened: YYYY-MM-DD, today, ... (default: now)."
)
@click.option("--note", help="Why, or what was said.")
@click.option("--force", is_flag=True, help="Allow moving backwards or reopening a final status.")
@json_option
@with_journal(access="change")
def status(
    journal: Journal,
    application_id: int,
    status: str,
    at: str | None,
    note: str | None,
    force: bool,
    as_json: bool,
) -> None:
    """Move an application to STATUS, recording the change in its history.

    The pipeline is applied → screen → technical → onsite → offer; rejected, withdrawn and
    ghosted close it (a ghosted application may come back).
    """
    application = journal.change_status(application_id, status, at=at, note=note, force=force)
    print_done(
        application,
        as_json,
        f"Application #{application.id} ({printable(application.company)}) is now {status}.",
    )


@app.command("undo")
@click.argument("application_id", metavar="ID", type=ID)
@json_option
@with_journal(access="change")
def undo(journal: Journal, application_id: int, as_json: bool) -> None:
    """Take back the last status change of an application.

    When a recorded round made it, every change that round made at the end of the history
    goes (a rejected technical round moved it to technical, then closed it: both go).
    """
    moves = journal.undo_status(application_id)
    print_done(moves, as_json, printable(moves.sentence()))


@app.command("rm")
@click.argument("application_id", metavar="ID", type=ID)
@yes_option
@with_journal(access="change")
def rm(journal: Journal, application_id: int, yes: bool) -> None:
    """Delete an application with its history, interviews and feedback."""
    detail = journal.get_application(application_id)
    app_ = detail.application
    feedback = len(detail.feedback) + sum(len(i.feedback) for i in detail.interviews)
    confirm_delete(
        f"Delete application #{app_.id} ({printable(app_.company)} — {printable(app_.role)}) with "
        f"{counted(len(detail.interviews), 'interview')} and "
        f"{counted(feedback, 'feedback item')}?",
        yes,
    )
    deleted = journal.delete_application(application_id)
    click.echo(
        f"Deleted application #{deleted.id}, {counted(deleted.interviews, 'interview')} and "
        f"{counted(deleted.feedback, 'feedback item')}."
    )
