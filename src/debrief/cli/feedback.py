"""`debrief feedback`: feedback as received, verbatim, from a flag, a file or a pasted e-mail."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from debrief.cli.common import (
    ID,
    VocabularyChoice,
    confirm_delete,
    json_option,
    print_as,
    print_done,
    with_journal,
    yes_option,
)
from debrief.model import MAX_FEEDBACK, FeedbackSource, InterviewKind

if TYPE_CHECKING:
    from debrief.journal import Journal


@click.group()
def feedback() -> None:
    """Feedback, verbatim: add, list, show, delete.

    From interviewers, recruiters, mock partners, coaches or yourself.
    """


def read_text_file(path: str) -> str:
    """Read a text file (or '-' for stdin) as UTF-8, falling back to Windows-1252 for old mail."""
    if path == "-":
        data = sys.stdin.buffer.read(MAX_FEEDBACK * 4 + 1)
    else:
        try:
            with Path(path).open("rb") as handle:
                data = handle.read(MAX_FEEDBACK * 4 + 1)
        except OSError as error:
            raise click.BadParameter(f"cannot read {path}: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


@feedback.command("add")
@click.option("--interview", "interview_id", type=ID, metavar="ID", help="The interview it is on.")
@click.option(
    "--app", "application_id", type=ID, metavar="ID", help="The application (no interview)."
)
@click.option(
    "--source",
    type=VocabularyChoice(FeedbackSource),
    help="Who gave it (default: interviewer, mock partner or recruiter, from what it is on).",
)
@click.option("--text", help="The feedback itself.")
@click.option(
    "--file",
    "path",
    metavar="PATH",
    help="Read the feedback from a file ('-' for stdin); without --text or --file, stdin is read.",
)
@click.option("--date", "received_on", metavar="DATE", help="When it arrived (default: today).")
@json_option
@with_journal
def add(journal: Journal, text: str | None, path: str | None, as_json: bool, **fields: Any) -> None:
    """Store feedback verbatim. Paste a whole e-mail on stdin if you like."""
    if text is not None and path is not None:
        raise click.UsageError("give the feedback with --text or --file, not both")
    if text is None:
        if path is None and sys.stdin.isatty():
            click.echo("Paste the feedback, then press Ctrl-D on a line of its own:", err=True)
        text = read_text_file(path or "-")
    added = journal.add_feedback(text, **fields)
    on = f"interview #{added.interview_id}" if added.interview_id else None
    on = on or (f"application #{added.application_id}" if added.application_id else "no record")
    print_done(
        added,
        as_json,
        f"Added feedback #{added.id} ({len(added.text):,} characters, from "
        f"{added.source.value.replace('_', ' ')}) on {on}.",
    )


@feedback.command("list")
@click.option("--interview", "interview_id", type=ID, metavar="ID", help="Only this interview's.")
@click.option(
    "--app", "application_id", type=ID, metavar="ID", help="Only this application's (any round)."
)
@click.option(
    "--source", type=VocabularyChoice(FeedbackSource), multiple=True, help="Only these sources."
)
@click.option("--company", "-c", help="Only companies whose name contains this text.")
@click.option("--real/--mock", "real", default=None, help="Only from real, or mock, interviews.")
@click.option(
    "--kind",
    type=VocabularyChoice(InterviewKind),
    multiple=True,
    help="Only feedback on interviews of these kinds.",
)
@click.option("--since", metavar="DATE", help="Received on or after this date.")
@click.option("--until", metavar="DATE", help="Received on or before this date.")
@json_option
@with_journal
def list_(journal: Journal, real: bool | None, as_json: bool, **filters: Any) -> None:
    """List feedback in date order."""
    mock = None if real is None else not real
    items = journal.list_feedback(mock=mock, **filters)
    print_as(items, as_json, "feedback_table")


@feedback.command("show")
@click.argument("feedback_id", metavar="ID", type=ID)
@json_option
@with_journal
def show(journal: Journal, feedback_id: int, as_json: bool) -> None:
    """Show one piece of feedback, verbatim."""
    item = journal.get_feedback(feedback_id)
    print_as(item, as_json, "feedback_detail")


@feedback.command("rm")
@click.argument("feedback_id", metavar="ID", type=ID)
@yes_option
@with_journal
def rm(journal: Journal, feedback_id: int, yes: bool) -> None:
    """Delete one piece of feedback."""
    item = journal.get_feedback(feedback_id)
    confirm_delete(f"Delete feedback #{item.id} from {item.received_on}?", yes)
    journal.delete_feedback(feedback_id)
    click.echo(f"Deleted feedback #{feedback_id}.")
