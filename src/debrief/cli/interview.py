"""`debrief interview`: real and mock interview rounds, self-ratings and rubric scores."""

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
from debrief.model import Interview, InterviewKind, Outcome, RoundMoves, counted

if TYPE_CHECKING:
    from debrief.journal import Journal

F = TypeVar("F", bound=Callable[..., Any])

RUBRIC_HELP = (
    "Rubric score per skill area, SKILL=1..5 (repeat, or comma-separate: sql=4,statistics=3)."
)


@click.group()
def interview() -> None:
    """Interview rounds: add, list, show, edit, delete.

    Real rounds belong to an application; mock rounds are practice with a partner.
    """


def _interview_options(*, editing: bool) -> Callable[[F], F]:
    options = [
        click.option(
            "--date",
            "held_on",
            metavar="DATE",
            help="When it took place" + ("." if editing else " (default: today)."),
        ),
        click.option(
            "--interviewer",
            "--partner",
            "interviewer",
            help="Who interviewed (for a mock: the practice partner)"
            + (' ("" clears it).' if editing else "."),
        ),
        click.option(
            "--outcome",
            type=VocabularyChoice(Outcome),
            help="How the round ended"
            + (
                "."
                if editing
                else " (default: pending; a mock with rubric scores: passed when they "
                "average 3 or more and none is 1, else rejected)."
            ),
        ),
        click.option(
            "--self-rating",
            metavar="1-5",
            help="Your own rating of the round, given before you see feedback.",
        ),
        click.option("--rubric", metavar="SKILL=SCORE", multiple=True, help=RUBRIC_HELP),
        click.option("--notes", help="Free notes" + (' ("" clears them).' if editing else ".")),
        click.option(
            "--decided",
            "decided_on",
            metavar="DATE",
            help="When you heard the outcome, for the status history (default: "
            + ("today, when the outcome changes)." if editing else "the day of the round)."),
        ),
    ]

    return stacked(options)


@interview.command("add")
@click.option("--app", "application_id", type=ID, metavar="ID", help="The application it is for.")
@click.option("--mock", is_flag=True, help="A practice interview (no application).")
@click.option(
    "--kind", required=True, type=VocabularyChoice(InterviewKind), help="The kind of round."
)
@_interview_options(editing=False)
@json_option
@with_journal(access="add")
def add(
    journal: Journal,
    application_id: int | None,
    mock: bool,
    rubric: tuple[str, ...],
    as_json: bool,
    **fields: Any,
) -> None:
    """Record an interview round: --app ID for a real one, --mock for practice.

    A real round moves its application to the stage it implies (a technical round to
    technical, an onsite or final round to onsite), and an outcome of rejected, withdrew or
    ghosted closes it; the output says so, and `debrief app undo APP_ID` takes it back.
    """
    if (application_id is None) == (not mock):
        raise click.UsageError("give --app ID for a real interview, or --mock for a practice one")
    added = journal.add_interview(application_id=application_id, rubric=list(rubric), **fields)
    where = f"for application #{added.application_id}" if added.application_id else "(mock)"
    print_done(
        added,
        as_json,
        f"Added interview #{added.id}: {added.kind.value} on {added.held_on} {where}."
        + said_moves(added.moved)
        + _mock_outcome(added, given=fields["outcome"] is not None),
    )


def _mock_outcome(added: Interview, *, given: bool) -> str:
    """How a mock's outcome was settled, or that it still needs one."""
    if not added.mock or given:
        return ""
    if added.outcome == Outcome.PENDING:
        return (
            f"\nMock #{added.id} has no outcome yet: give its rubric scores (debrief interview "
            f"edit {added.id} --rubric SKILL=SCORE) or --outcome passed|rejected."
        )
    return (
        f"\nOutcome {added.outcome.value} by the panel's rule: the scores average 3 or more "
        "and none is 1."
    )


def said_moves(moved: tuple[RoundMoves, ...]) -> str:
    """The status changes a round made or took back, with how to take them back."""
    lines = [f"\n{printable(moves.sentence())}" for moves in moved]
    last = next((moves for moves in reversed(moved) if moves.made), None)
    if last is not None:
        lines.append(f"\nUndo with: debrief app undo {last.application_id}")
    return "".join(lines)


@interview.command("list")
@click.option("--app", "application_id", type=ID, metavar="ID", help="Only this application's.")
@click.option(
    "--kind", type=VocabularyChoice(InterviewKind), multiple=True, help="Only these kinds."
)
@click.option("--real/--mock", "real", default=None, help="Only real, or only mock, interviews.")
@click.option("--outcome", type=VocabularyChoice(Outcome), multiple=True, help="Only these.")
@click.option("--company", "-c", help="Only companies whose name contains this text.")
@click.option("--since", metavar="DATE", help="On or after this date.")
@click.option("--until", metavar="DATE", help="On or before this date.")
@json_option
@with_journal
def list_(journal: Journal, real: bool | None, as_json: bool, **filters: Any) -> None:
    """List interviews in date order."""
    mock = None if real is None else not real
    interviews = journal.list_interviews(mock=mock, **filters)
    print_as(interviews, as_json, "interviews_table")


@interview.command("show")
@click.argument("interview_id", metavar="ID", type=ID)
@json_option
@with_journal
def show(journal: Journal, interview_id: int, as_json: bool) -> None:
    """Show an interview with its rubric scores and feedback."""
    detail = journal.get_interview(interview_id)
    print_as(detail, as_json, "interview_detail")


@interview.command("edit")
@click.argument("interview_id", metavar="ID", type=ID)
@click.option("--kind", type=VocabularyChoice(InterviewKind), help="The kind of round.")
@click.option("--app", "application_id", type=ID, metavar="ID", help="Move it to this application.")
@click.option("--mock", is_flag=True, help="Make it a practice interview (detach the application).")
@_interview_options(editing=True)
@click.option(
    "--force", is_flag=True, help="Record a self-rating even though feedback has already arrived."
)
@json_option
@with_journal(access="change")
def edit(
    journal: Journal,
    interview_id: int,
    mock: bool,
    rubric: tuple[str, ...],
    force: bool,
    as_json: bool,
    **fields: Any,
) -> None:
    """Change fields of an interview; only the options given change.

    Rubric scores are merged: --rubric sql=5 sets one, --rubric sql= removes it. A new kind,
    date, outcome or application works out again the status changes the round made, unless
    the application's status was changed another way since.
    """
    if mock and fields["application_id"] is not None:
        raise click.UsageError("--app and --mock contradict each other")
    changes = edits(fields)
    if mock:
        changes["application_id"] = None
    if rubric:
        changes["rubric"] = list(rubric)
    if not changes:
        raise click.UsageError("nothing to change: give at least one option, e.g. --outcome")
    edited = journal.edit_interview(interview_id, force=force, **changes)
    revoked = ""
    if edited.invites_revoked:
        from debrief.partner import revoked_notice

        revoked = "\n" + revoked_notice(edited.invites_revoked)
    print_done(
        edited,
        as_json,
        f"Updated interview #{edited.id}: {', '.join(changes)}."
        + said_moves(edited.moved)
        + revoked,
    )


@interview.command("rm")
@click.argument("interview_id", metavar="ID", type=ID)
@yes_option
@with_journal(access="change")
def rm(journal: Journal, interview_id: int, yes: bool) -> None:
    """Delete an interview with its rubric scores, feedback and the questions asked in it."""
    detail = journal.get_interview(interview_id)
    asked = len(journal.list_questions(interview_id=interview_id))
    also = f" and {counted(asked, 'question')} asked" if asked else ""
    confirm_delete(
        f"Delete interview #{interview_id} ({detail.interview.kind.value} on "
        f"{detail.interview.held_on}) with {counted(len(detail.feedback), 'feedback item')}"
        f"{also}?",
        yes,
    )
    deleted = journal.delete_interview(interview_id)
    click.echo(
        f"Deleted interview #{deleted.id} and {counted(deleted.feedback, 'feedback item')}"
        f"{also}." + said_moves(deleted.moved)
    )
