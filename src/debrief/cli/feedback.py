"""`debrief feedback`: feedback as received, verbatim, from a flag, a file or a pasted e-mail."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from debrief.cli.common import (
    ID,
    VocabularyChoice,
    confirm_delete,
    emit_json,
    json_option,
    print_as,
    print_done,
    with_journal,
    yes_option,
)
from debrief.model import (
    MAX_FEEDBACK,
    Feedback,
    FeedbackSource,
    InterviewKind,
    Label,
    Statement,
    counted,
    to_jsonable,
)

if TYPE_CHECKING:
    from debrief.journal import Journal


@click.group()
def feedback() -> None:
    """Feedback, verbatim: add, list, show, edit, delete, and review its statements.

    From interviewers, recruiters, mock partners, coaches or yourself.
    """


def read_text_file(path: str) -> str:
    """Read a text file (or '-' for stdin): UTF-8, UTF-16 as Windows Notepad saves it, or
    Windows-1252 for old mail. A file too large to be feedback is refused by its size in bytes,
    before it is read."""
    most = MAX_FEEDBACK * 4  # bytes: the longest feedback, in UTF-8's widest characters
    if path == "-":
        data = sys.stdin.buffer.read(most + 1)
        if len(data) > most:
            raise click.BadParameter(
                f"stdin holds more than {most:,} bytes; feedback is at most {MAX_FEEDBACK:,} "
                "characters"
            )
    else:
        try:
            with Path(path).open("rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > most:
                    raise click.BadParameter(
                        f"{path} is {size:,} bytes; feedback is at most {MAX_FEEDBACK:,} "
                        f"characters (up to {most:,} bytes)"
                    )
                data = handle.read(most + 1)
        except OSError as error:
            raise click.BadParameter(f"cannot read {path}: {error.strerror}") from None
    from debrief.parsing import decoded_text

    return decoded_text(data, "stdin" if path == "-" else path)


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
@with_journal(access="add")
def add(journal: Journal, text: str | None, path: str | None, as_json: bool, **fields: Any) -> None:
    """Store feedback verbatim and triage it into statements.

    Paste a whole e-mail on stdin if you like: greetings, signatures and quoted replies are
    left out of the statements (the text is kept as it was).
    """
    added = journal.add_feedback(_given_text(text, path), **fields)
    statements = journal.list_statements(feedback_id=added.id)
    on = f"interview #{added.interview_id}" if added.interview_id else None
    on = on or (f"application #{added.application_id}" if added.application_id else "no record")
    if as_json:
        emit_json(_with_statements(added, statements))
        return
    click.echo(
        f"Added feedback #{added.id} ({len(added.text):,} characters, from "
        f"{added.source.value.replace('_', ' ')}) on {on}; {_tally(statements)}."
    )
    print_as(statements, False, "statements_table")


def _given_text(text: str | None, path: str | None) -> str:
    """Feedback text from --text, or from --file (a path, or '-' for stdin), or else stdin."""
    if text is not None and path is not None:
        raise click.UsageError("give the feedback with --text or --file, not both")
    if text is not None:
        return text
    if path is None and sys.stdin.isatty():
        click.echo("Paste the feedback, then press Ctrl-D on a line of its own:", err=True)
    return read_text_file(path or "-")


def _tally(statements: Sequence[Statement]) -> str:
    counts = Counter(s.label.value for s in statements)
    parts = [f"{counts[label]} {label}" for label in Label if counts[label]]
    return counted(len(statements), "statement") + (f": {', '.join(parts)}" if parts else "")


def _with_statements(item: Feedback, statements: list[Statement]) -> dict[str, Any]:
    """Feedback as JSON, its statements under "statements" (the other keys stay as listed)."""
    return {**to_jsonable(item), "statements": to_jsonable(statements)}


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
    """Show one piece of feedback, verbatim, and its triaged statements."""
    item = journal.get_feedback(feedback_id)
    statements = journal.list_statements(feedback_id=feedback_id)
    if as_json:
        emit_json(_with_statements(item, statements))
    else:
        print_as((item, statements), False, "feedback_with_statements")


@feedback.command("rm")
@click.argument("feedback_id", metavar="ID", type=ID)
@yes_option
@with_journal(access="change")
def rm(journal: Journal, feedback_id: int, yes: bool) -> None:
    """Delete one piece of feedback."""
    item = journal.get_feedback(feedback_id)
    confirm_delete(f"Delete feedback #{item.id} from {item.received_on}?", yes)
    journal.delete_feedback(feedback_id)
    click.echo(f"Deleted feedback #{feedback_id}.")


@feedback.command("label")
@click.argument("statement_id", metavar="STATEMENT_ID", type=ID)
@click.argument("label", type=VocabularyChoice(Label))
@click.option(
    "--skills",
    metavar="A,B",
    help="Skill areas, comma-separated (constructive and strength only; default: keep them).",
)
@json_option
@with_journal(access="change")
def label(
    journal: Journal, statement_id: int, label: str, skills: str | None, as_json: bool
) -> None:
    """Override the label of one statement (see `feedback show`).

    Your label is kept, always wins, and teaches triage: statements that say nearly the same
    thing later get your label too.
    """
    statement = journal.label_statement(
        statement_id, label, skills.split(",") if skills is not None else None
    )
    areas = f" ({', '.join(statement.skills)})" if statement.skills else ""
    was = ""
    if statement.model_label == statement.label:
        was = " (the model agreed)"
    elif statement.model_label:
        was = f"; the model had said {statement.model_label}"
    print_done(
        statement, as_json, f"Statement #{statement.id} is now {statement.label}{areas}{was}."
    )


@feedback.command("confirm")
@click.argument("feedback_id", metavar="[ID]", type=ID, required=False)
@click.option(
    "--certain",
    is_flag=True,
    help="Confirm every certain label in the journal still to review (not the uncertain ones).",
)
@json_option
@with_journal(access="change")
def confirm(journal: Journal, feedback_id: int | None, certain: bool, as_json: bool) -> None:
    """Accept the labels you have not reviewed yet: the rest of one piece of feedback (ID),
    or every certain label in the journal (--certain).

    Uncertain labels (triage was not sure) are left for `feedback review` unless you name
    their feedback. Confirmed labels are yours from then on, and teach triage.
    """
    if (feedback_id is None) == (not certain):
        raise click.UsageError("give a feedback ID, or --certain")
    count = journal.confirm_rest(feedback_id)
    where = f"of feedback #{feedback_id}" if feedback_id else "certain, in the whole journal"
    print_done(
        {"confirmed": count, "feedback_id": feedback_id},
        as_json,
        f"Confirmed {count} label{'' if count == 1 else 's'} ({where}).",
    )


@feedback.command("split")
@click.argument("statement_id", metavar="STATEMENT_ID", type=ID)
@click.option(
    "--at",
    required=True,
    metavar="TEXT",
    help="The words the second part starts with (case matters; the first place they occur).",
)
@json_option
@with_journal(access="change")
def split(journal: Journal, statement_id: int, at: str, as_json: bool) -> None:
    """Split a statement in two, before the words given with --at.

    Triage labels each part afresh, even when the statement was labelled by you: review the
    parts as you would new ones.
    """
    parts = journal.split_statement(statement_id, at)
    _print_statements(
        list(parts),
        as_json,
        f"Split statement #{statement_id} into #{parts[0].id} and #{parts[1].id}.",
    )


@feedback.command("merge")
@click.argument("first_id", metavar="FIRST_ID", type=ID)
@click.argument("second_id", metavar="SECOND_ID", type=ID)
@json_option
@with_journal(access="change")
def merge(journal: Journal, first_id: int, second_id: int, as_json: bool) -> None:
    """Merge two adjacent statements of one piece of feedback into one.

    Their texts are joined in the order they stand, and triage labels the whole afresh.
    """
    merged = journal.merge_statements(first_id, second_id)
    _print_statements(
        [merged], as_json, f"Merged statements #{first_id} and #{second_id} into #{merged.id}."
    )


@feedback.command("skills")
@click.argument("statement_id", metavar="STATEMENT_ID", type=ID)
@click.argument("skills", metavar="AREA...", nargs=-1, required=True)
@json_option
@with_journal(access="change")
def skills(journal: Journal, statement_id: int, skills: tuple[str, ...], as_json: bool) -> None:
    """Set the skill areas of a constructive or strength statement.

    Each AREA is one of the taxonomy's (sql, statistics, communication, problem solving...;
    a wrong one lists them all). The label stays and becomes yours: kept from now on, and
    taught to triage.
    """
    areas = [part for area in skills for part in area.split(",")]
    statement = journal.set_statement_skills(statement_id, areas)
    _print_statements(
        [statement],
        as_json,
        f"Statement #{statement.id} ({statement.label}) is now about "
        f"{', '.join(s.replace('_', ' ') for s in statement.skills)}.",
    )


@feedback.command("edit")
@click.argument("feedback_id", metavar="ID", type=ID)
@click.option("--text", help="The corrected feedback.")
@click.option(
    "--file",
    "path",
    metavar="PATH",
    help="Read it from a file ('-' for stdin); without --text or --file, stdin is read.",
)
@json_option
@with_journal(access="change")
def edit(
    journal: Journal, feedback_id: int, text: str | None, path: str | None, as_json: bool
) -> None:
    """Correct the text of a piece of feedback, and triage it again.

    Statements you labelled whose text is still there keep your label; the others are
    replaced by what triage makes of the new text.
    """
    journal.get_feedback(feedback_id)  # an unknown number fails before stdin is read
    done = journal.edit_feedback_text(feedback_id, _given_text(text, path))
    lost = (
        f", {done.labels_dropped} of them labelled by you (their text is gone)"
        if done.labels_dropped
        else ""
    )
    _print_statements(
        list(done.statements),
        as_json,
        f"Edited feedback #{feedback_id} and triaged it again: {_tally(done.statements)}; "
        f"{done.kept} labelled by you kept, {done.new} new, {done.dropped} replaced{lost}.",
        json_value=done,
    )


def _print_statements(
    statements: list[Statement], as_json: bool, message: str, json_value: Any = None
) -> None:
    """After a change to statements: a line saying what was done and the statements as a
    table, or JSON (the statements, or `json_value`)."""
    if as_json:
        emit_json(statements if json_value is None else json_value)
        return
    click.echo(message)
    print_as(statements, False, "statements_table")


_KEYS = {"c": "constructive", "s": "strength", "i": "circumstance", "n": "noise"}


@feedback.command("review")
@click.option(
    "--all", "everything", is_flag=True, help="Every label to review, not only uncertain."
)
@with_journal(access="change")
def review(journal: Journal, everything: bool) -> None:
    """Walk the labels triage was unsure of, one keypress each.

    Enter or y keeps the label; c, s, i, n make it constructive, strength, circumstance or
    noise; k skips; q stops. Each answer is saved as you go.
    """
    _, entries = journal.review_queue(limit=100_000)
    pending = [
        (item, statement)
        for item, statements in entries
        for statement in statements
        if statement.origin != "user" and (everything or statement.uncertain)
    ]
    if not pending:
        click.echo(
            "Nothing to review: no uncertain labels." if not everything else "Nothing to review."
        )
        return
    click.echo(
        f"{len(pending)} label{'' if len(pending) == 1 else 's'} to review. Enter or y keeps it; "
        "c constructive, s strength, i circumstance, n noise; k skip; q stop."
    )
    done = 0
    for item, statement in pending:
        where = f"{item.company} · " if item.company else ""
        click.echo(f"\n#{statement.id} ({where}{item.source.value}, {item.received_on})")
        click.echo(f"  {statement.text}")
        click.echo(
            f"  {statement.label.value} · {statement.confidence:.0%} sure · {statement.explanation}"
        )
        key = click.prompt(
            "  [y/c/s/i/n/k/q]",
            default="y",
            show_default=False,
            type=click.Choice(["y", "c", "s", "i", "n", "k", "q"]),
            show_choices=False,
        )
        if key == "q":
            break
        if key == "k":
            continue
        if key == "y":
            journal.confirm_statement(statement.id)
        else:
            journal.label_statement(statement.id, _KEYS[key])
        done += 1
    click.echo(f"\nReviewed {done} label{'' if done == 1 else 's'}.")


@feedback.command("triage")
@click.argument("feedback_id", metavar="[ID]", type=ID, required=False)
@click.option("--all", "everything", is_flag=True, help="Re-triage every piece of feedback.")
@json_option
@with_journal(access="change")
def triage(journal: Journal, feedback_id: int | None, everything: bool, as_json: bool) -> None:
    """Run triage again on one piece of feedback (ID) or on all of it (--all).

    Use it after upgrading debrief's model. Statements you labelled yourself are never touched.
    """
    if (feedback_id is None) == (not everything):
        raise click.UsageError("give a feedback ID, or --all")
    run = journal.retriage(feedback_id)
    print_done(
        run,
        as_json,
        f"Re-triaged {counted(run.feedback, 'feedback item')}: "
        f"{counted(run.statements, 'statement')}, "
        f"{run.changed} changed, {run.kept_user_labels} labelled by you kept "
        f"(model {run.model_version})."
        + (
            f" {run.skipped} changed while triage ran and were left as they are; run it again."
            if run.skipped
            else ""
        ),
    )


@feedback.command("request")
@click.argument("application_id", metavar="APP_ID", type=ID)
@click.option("--name", help="Your name, to sign with.")
@click.option("--to", help="Who you write to (default: the recruiter of the screen, if known).")
@json_option
@with_journal
def request(
    journal: Journal, application_id: int, name: str | None, to: str | None, as_json: bool
) -> None:
    """Print a short, polite e-mail asking for feedback on an application that just ended.

    Tailored to how far it got: after applying, after a screen, after technical rounds, after
    the final rounds, after an offer, or when the company went silent. Ask after every final
    result: the answers are what debrief learns from.
    """
    from debrief.cli.common import printable
    from debrief.plan.ask import feedback_request

    email = feedback_request(journal, application_id, name=name, to=to)
    if as_json:
        emit_json(email)
        return
    if not email.ended:
        click.echo(
            f"Note: application #{email.application_id} is still open; this e-mail is meant for "
            "after the final result.",
            err=True,
        )
    click.echo(printable(f"Subject: {email.subject}\n\n{email.body}"))
    click.echo(f"\n-- {printable(email.tip)}", err=True)
    click.echo(
        f"-- Once it is sent: debrief feedback asked {email.application_id}, so the answer is "
        "counted.",
        err=True,
    )


@feedback.command("asked")
@click.argument("application_id", metavar="APP_ID", type=ID)
@click.option("--on", metavar="DATE", help="When you asked (default: today).")
@click.option("--clear", is_flag=True, help="You did not ask after all: forget the day.")
@json_option
@with_journal(access="change")
def asked(
    journal: Journal, application_id: int, on: str | None, clear: bool, as_json: bool
) -> None:
    """Record that you asked for feedback on an application (after `feedback request`).

    Feedback from the company (an interviewer or a recruiter) received from that day on is its
    answer; `debrief stats` and the report show how often you asked after a final result and
    how often you were answered, by the stage reached.
    """
    from debrief.cli.common import printable

    if clear and on is not None:
        raise click.UsageError("--on and --clear contradict each other")
    application = journal.record_feedback_asked(application_id, on=on, asked=not clear)
    name = printable(application.company)
    message = (
        f"Application #{application.id} ({name}): feedback not asked for."
        if application.feedback_asked_on is None
        else f"Application #{application.id} ({name}): feedback asked for on "
        f"{application.feedback_asked_on}."
    )
    print_done(application, as_json, message)
