"""`debrief questions`: the questions asked in your rounds, and the practice bank to prepare
with, tied to the weaknesses that recur in your feedback."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from debrief.cli.common import (
    ID,
    VocabularyChoice,
    WholeRange,
    confirm_delete,
    db_option,
    edits,
    emit_json,
    json_option,
    print_as,
    print_done,
    printable,
    stacked,
    with_journal,
    yes_option,
)
from debrief.model import InterviewKind, QuestionKind, counted

if TYPE_CHECKING:
    from debrief.journal import Journal
    from debrief.model import Question

F = TypeVar("F", bound=Callable[..., Any])


def _question_options(*, editing: bool) -> Callable[[F], F]:
    clear = ' ("" clears it)' if editing else ""
    guessed = "" if editing else " (default: guessed from its words)"
    options = [
        click.option(
            "--kind", type=VocabularyChoice(QuestionKind), help=f"What kind of question{guessed}."
        ),
        click.option("--skill", help=f"Its skill area{guessed}{clear}."),
        click.option(
            "--subskill",
            help=f"Its sub-skill, as sql.joins_grain (`debrief questions bank --areas`){clear}.",
        ),
        click.option(
            "--competency",
            help=f"For a behavioural question: the competency it asks about{guessed}{clear}.",
        ),
        click.option("--rating", metavar="1-5", help=f"How it went, 1 to 5{clear}."),
        click.option("--notes", help=f"Your notes on it{clear}."),
        click.option("--story", help=f"The story you told, by number or title{clear}."),
    ]

    return stacked(options)


@click.group(invoke_without_command=True)
@click.option(
    "--for",
    "interview_id",
    type=ID,
    metavar="INTERVIEW",
    help="Prepare for this coming round (its kind). Default: your next pending round within 14 "
    "days, if any.",
)
@click.option(
    "--kind", "round_kind", type=VocabularyChoice(InterviewKind), help="Prepare for a round kind."
)
@click.option(
    "--count",
    type=WholeRange(1, 50),
    default=10,
    show_default=True,
    help="How many practice questions to propose.",
)
@json_option
@db_option
@click.pass_context
def questions(
    ctx: click.Context,
    interview_id: int | None,
    round_kind: str | None,
    count: int,
    as_json: bool,
) -> None:
    """Questions to practise now, and the questions your rounds asked.

    Without a subcommand: practice questions from the bank for your recurring weaknesses (their
    named sub-themes first) and for a coming round's kind, each with what a strong answer
    covers, and the questions you were asked that went badly. Practise one with `debrief
    questions practise ID --rating N`: it goes into the practice log, for the plan item of its
    area.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(
            _propose,
            interview_id=interview_id,
            round_kind=round_kind,
            count=count,
            as_json=as_json,
        )


@with_journal
def _propose(
    journal: Journal,
    interview_id: int | None,
    round_kind: str | None,
    count: int,
    as_json: bool,
) -> None:
    from debrief.prep import next_round, prepare

    kind = round_kind
    if kind is None:
        coming = (
            journal.get_interview(interview_id).interview
            if interview_id is not None
            else next_round(journal)
        )
        kind = coming.kind.value if coming is not None else None
    print_as(
        prepare(journal).proposals(round_kind=kind, count=count), as_json, "render_prep.proposals"
    )


def _filled(given: dict[str, Any]) -> dict[str, Any]:
    from debrief.prep.infer import with_guesses

    return with_guesses([given])[0]


def _said(question: Question) -> str:
    from debrief.taxonomy import area_name

    parts = [question.kind.value]
    if question.subskill:
        parts.append(question.subskill)
    elif question.skill:
        parts.append(area_name(question.skill))
    if question.competency:
        parts.append(f"competency: {question.competency}")
    return ", ".join(parts)


@questions.command("add")
@click.argument("interview_id", metavar="INTERVIEW", type=ID)
@click.argument("text")
@_question_options(editing=False)
@json_option
@with_journal(access="change")
def add(journal: Journal, interview_id: int, text: str, as_json: bool, **fields: Any) -> None:
    """Record a question asked in a round (real or mock).

    What you do not give of its kind, skill area, sub-skill and competency is guessed from its
    words, and said; correct it with `debrief questions edit`.
    """
    given = {"text": text, **{k: v for k, v in fields.items() if v not in (None, "")}}
    question = journal.add_question(interview_id, source="self", **_filled(given))
    print_done(
        question,
        as_json,
        f"Recorded question #{question.id} of interview #{interview_id} ({_said(question)}).",
    )


@questions.command("paste")
@click.argument("interview_id", metavar="INTERVIEW", type=ID)
@click.argument("file", type=click.File("rb"), default="-")
@click.option("--dry-run", is_flag=True, help="Show what would be recorded; write nothing.")
@json_option
@with_journal(access=lambda options: "preview" if options["dry_run"] else "change")
def paste(journal: Journal, interview_id: int, file: Any, dry_run: bool, as_json: bool) -> None:
    """Record the questions in your notes of a round (FILE, or pasted on standard input).

    A question is a line marked "Q:" or "Q3.", a numbered or bulleted question, or a line
    ending in "?"; the lines under it are its notes, "story: TITLE" names the story you told
    and "3/5" or "rating: 3" how it went.
    """
    from debrief.errors import InvalidInput
    from debrief.model import MAX_FEEDBACK
    from debrief.parsing import decoded_text
    from debrief.prep import from_notes

    name = getattr(file, "name", "<stdin>")
    if name == "<stdin>" and sys.stdin.isatty():
        click.echo("Paste your notes, then Ctrl-D:", err=True)
    # Read as feedback files are: UTF-8, UTF-16 or Windows-1252, and bytes that are none refused.
    text = decoded_text(file.read(MAX_FEEDBACK * 4 + 1), "stdin" if name == "<stdin>" else name)
    if len(text) > MAX_FEEDBACK:
        raise InvalidInput("notes", f"are longer than {MAX_FEEDBACK:,} characters")
    read = from_notes(journal, interview_id, text)
    made: list[Question] = []
    if read.questions and not dry_run:
        made = journal.add_questions(interview_id, read.questions, source="notes")
    if as_json:
        emit_json(
            {
                "would_record" if dry_run else "recorded": list(read.questions)
                if dry_run
                else made,
                "already_recorded": read.already,
                "unknown_stories": list(read.unknown_stories),
            }
        )
        return
    if dry_run:
        print_as(read.questions, False, "render_prep.pasted")
    elif made:
        click.echo(f"Recorded {counted(len(made), 'question')} of interview #{interview_id}:")
        for question in made:
            click.echo(f"  #{question.id} {printable(question.text)[:70]} ({_said(question)})")
    if read.already:
        click.echo(f"  {counted(read.already, 'question')} the round already has: left out.")
    for title in read.unknown_stories:
        click.echo(
            f"  No story is titled '{printable(title)[:80]}': add it with `debrief stories add`."
        )


@questions.command("list")
@click.option("--interview", "interview_id", type=ID, help="Only this round's questions.")
@click.option("--skill", help="Only questions of this skill area.")
@click.option("--story", help="Only questions this story answered (number or title).")
@json_option
@with_journal
def list_(
    journal: Journal,
    interview_id: int | None,
    skill: str | None,
    story: str | None,
    as_json: bool,
) -> None:
    """The questions asked in your rounds, oldest first, with how often each was asked."""
    from debrief.model import to_jsonable
    from debrief.prep import asked_times

    found = journal.list_questions(interview_id=interview_id, skill=skill, story=story)
    times = asked_times(journal.list_questions()) if found else {}
    if as_json:
        emit_json([{**to_jsonable(q), "asked_in_rounds": times.get(q.id, 1)} for q in found])
        return
    print_as([(q, times.get(q.id, 1)) for q in found], False, "render_prep.asked_table")


@questions.command("edit")
@click.argument("question_id", metavar="ID", type=ID)
@click.option("--text", help="The question's words.")
@_question_options(editing=True)
@json_option
@with_journal(access="change")
def edit(journal: Journal, question_id: int, as_json: bool, **fields: Any) -> None:
    """Change a question asked in a round."""
    given = edits(fields)
    if not given:
        raise click.UsageError("nothing to change: give an option such as --rating or --skill")
    question = journal.edit_question(question_id, **given)
    print_done(question, as_json, f"Updated question #{question.id} ({_said(question)}).")


@questions.command("rm")
@click.argument("question_id", metavar="ID", type=ID)
@yes_option
@with_journal(access="change")
def rm(journal: Journal, question_id: int, yes: bool) -> None:
    """Delete a question asked in a round."""
    question = journal.get_question(question_id)
    confirm_delete(f"Delete question #{question.id} ({printable(question.text)[:60]})?", yes)
    journal.delete_question(question_id)
    click.echo(f"Deleted question #{question_id}.")


@questions.command("bank")
@click.option("--skill", help="Only this skill area.")
@click.option("--subskill", help="Only this sub-skill.")
@click.option("--kind", type=VocabularyChoice(QuestionKind), help="Only this kind.")
@click.option("--search", metavar="WORDS", help="Only questions with these words.")
@click.option("--areas", is_flag=True, help="List the skill areas and sub-skills instead.")
@json_option
def bank(
    skill: str | None,
    subskill: str | None,
    kind: str | None,
    search: str | None,
    areas: bool,
    as_json: bool,
) -> None:
    """The practice bank: questions written for data-science interviews."""
    from debrief.bank import load_bank
    from debrief.model import folded
    from debrief.taxonomy import skill_named, subskill_named

    if areas:
        _areas(as_json)
        return
    found = list(load_bank().questions)
    if skill:
        wanted = skill_named(skill)
        found = [q for q in found if q.skill == wanted]
    if subskill:
        wanted = subskill_named(subskill)
        found = [q for q in found if q.subskill == wanted]
    if kind:
        found = [q for q in found if q.kind.value == kind]
    if search:
        words = folded(search).split()
        found = [q for q in found if all(w in folded(q.text) for w in words)]
    print_as(found, as_json, "render_prep.bank_table")


def _areas(as_json: bool) -> None:
    from debrief.taxonomy import subskill_areas

    print_as(subskill_areas(), as_json, "render_prep.areas")


@questions.command("show")
@click.argument("ref", metavar="ID")
@json_option
@with_journal
def show(journal: Journal, ref: str, as_json: bool) -> None:
    """A practice question of the bank (as sql-07) with what a strong answer covers and your
    practice of it; or, given a number, a question asked in a round."""
    from debrief.model import is_whole, record_id

    if is_whole(ref.strip()):
        print_as(journal.get_question(record_id(ref, "ref")), as_json, "render_prep.asked_detail")
        return
    from debrief.bank import load_bank
    from debrief.plan import ActionPlan

    practice = load_bank().get(ref)
    log = [e for e in ActionPlan(journal).practice_log() if e.question == practice.id]
    print_as((practice, log) if not as_json else practice, as_json, "render_prep.bank_detail")


@questions.command("practise")
@click.argument("ref", metavar="ID")
@click.option("--rating", metavar="1-5", help="How it went, 1 to 5.")
@click.option("--minutes", type=WholeRange(0, 1440), help="How long you spent.")
@click.option("--on", "on", metavar="DATE", help="When (default: today).")
@click.option("--notes", help="What you did or found (default: the question).")
@json_option
@with_journal(access="add")
def practise(
    journal: Journal,
    ref: str,
    rating: str | None,
    minutes: int | None,
    on: str | None,
    notes: str | None,
    as_json: bool,
) -> None:
    """Log a practice question of the bank (as sql-07) as answered.

    It goes into the practice log, for your accepted plan item in its skill area if there is
    one; `debrief questions coverage` and the report count it.
    """
    from debrief.plan import ActionPlan

    entry = ActionPlan(journal).practise_question(
        ref, rating=rating, minutes=minutes, on=on, notes=notes
    )
    serves = f" for plan item #{entry.item_id}" if entry.item_id else " (no plan item in its area)"
    print_done(entry, as_json, f"Logged practice of {entry.question} on {entry.done_on}{serves}.")


@questions.command("coverage")
@json_option
@with_journal
def coverage(journal: Journal, as_json: bool) -> None:
    """For each recurring weakness: questions on it asked in real and mock rounds, practised,
    how they went over time, and whether it came back after practice began."""
    from debrief.prep import prepare

    print_as(prepare(journal).coverage(), as_json, "render_prep.coverage_table")
