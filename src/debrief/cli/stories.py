"""`debrief stories`: the STAR story bank for behavioural rounds, where each story was told,
the competencies with no story, and the feedback that names a story."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from debrief.cli.common import (
    ID,
    confirm_delete,
    db_option,
    edits,
    json_option,
    print_as,
    print_done,
    printable,
    stacked,
    with_journal,
    yes_option,
)

if TYPE_CHECKING:
    from debrief.journal import Journal

F = TypeVar("F", bound=Callable[..., Any])


def _story_options(*, editing: bool) -> Callable[[F], F]:
    clear = ' ("" clears it)' if editing else ""
    options = [
        click.option("--situation", help=f"S: the context{clear}."),
        click.option("--task", help=f"T: what you had to do{clear}."),
        click.option("--action", help=f"A: what you did, in the first person{clear}."),
        click.option("--result", help=f"R: what came of it, with a number if you can{clear}."),
        click.option(
            "--competency",
            "competencies",
            multiple=True,
            help="A competency it shows (repeat, or comma-separate: conflict,influence)"
            + ("; replaces the old ones." if editing else "."),
        ),
        click.option(
            "--skill",
            "skills",
            multiple=True,
            help="A skill area it shows (repeat or comma-separate)"
            + ("; replaces the old ones." if editing else "."),
        ),
        click.option("--notes", help=f"Your notes{clear}."),
    ]

    return stacked(options)


def _joined(values: tuple[str, ...]) -> list[str]:
    return [part for value in values for part in value.split(",") if part.strip()]


@click.group(invoke_without_command=True)
@json_option
@db_option
@click.pass_context
def stories(ctx: click.Context, as_json: bool) -> None:
    """Your STAR story bank: add, show, edit, tell, rm.

    Without a subcommand: every story with the rounds it was told in, those told too often,
    the competencies rounds asked about that no story shows, and feedback naming a story.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(_overview, as_json=as_json)


@with_journal
def _overview(journal: Journal, as_json: bool) -> None:
    from debrief.prep import story_bank

    print_as(story_bank(journal), as_json, "render_prep.story_bank")


@stories.command("add")
@click.argument("title")
@_story_options(editing=False)
@json_option
@with_journal(access="add")
def add(
    journal: Journal,
    title: str,
    competencies: tuple[str, ...],
    skills: tuple[str, ...],
    as_json: bool,
    **parts: Any,
) -> None:
    """Add a story (TITLE: a short name you will know it by, unique)."""
    story = journal.add_story(
        title, competencies=_joined(competencies), skills=_joined(skills), **parts
    )
    missing = story.missing()
    rest = f"; it has no {', '.join(missing)} yet" if missing else ""
    print_done(story, as_json, f"Added story #{story.id}: {printable(story.title)}{rest}.")


@stories.command("edit")
@click.argument("ref", metavar="STORY")
@click.option("--title", help="A new title.")
@_story_options(editing=True)
@json_option
@with_journal(access="change")
def edit(
    journal: Journal,
    ref: str,
    competencies: tuple[str, ...],
    skills: tuple[str, ...],
    as_json: bool,
    **fields: Any,
) -> None:
    """Change a story (STORY: its number or title)."""
    given = edits(fields)
    if competencies:
        given["competencies"] = _joined(competencies)
    if skills:
        given["skills"] = _joined(skills)
    if not given:
        raise click.UsageError("nothing to change: give an option such as --result")
    story = journal.edit_story(ref, **given)
    print_done(story, as_json, f"Updated story #{story.id}: {printable(story.title)}.")


@stories.command("show")
@click.argument("ref", metavar="STORY")
@json_option
@with_journal
def show(journal: Journal, ref: str, as_json: bool) -> None:
    """A story in full, where it was told and the feedback that named it."""
    from debrief.prep import story_bank

    story = journal.get_story(ref)
    use = next(u for u in story_bank(journal).stories if u.story.id == story.id)
    print_as(use, as_json, "render_prep.story_detail")


@stories.command("tell")
@click.argument("ref", metavar="STORY")
@click.argument("interview_id", metavar="INTERVIEW", type=ID)
@click.option("--question", "text", help="The question it answered (recorded if new).")
@click.option("--question-id", type=ID, help="The recorded question it answered.")
@click.option("--rating", metavar="1-5", help="How it went, 1 to 5.")
@json_option
@with_journal(access="change")
def tell(
    journal: Journal,
    ref: str,
    interview_id: int,
    text: str | None,
    question_id: int | None,
    rating: str | None,
    as_json: bool,
) -> None:
    """Record that you told a story in a round, answering a question."""
    from debrief.errors import InvalidInput

    if text is not None and question_id is not None:
        raise click.UsageError("give --question (a new question) or --question-id, not both")
    story = journal.get_story(ref)
    fields: dict[str, Any] = {"story": story.id}
    if rating:
        fields["rating"] = rating
    if question_id is not None:
        asked = journal.get_question(question_id)
        if asked.interview_id != interview_id:
            raise InvalidInput(
                "question_id",
                f"question #{question_id} was asked in interview #{asked.interview_id}",
            )
        question = journal.edit_question(question_id, **fields)
    else:
        from debrief.prep.infer import with_guesses

        words = text or f"A question answered with the story '{story.title}'"
        given = with_guesses([{"text": words, "kind": "behavioral", **fields}])[0]
        if not given.get("competency") and story.competencies:
            given["competency"] = story.competencies[0]
        question = journal.add_question(interview_id, source="self", **given)
    print_done(
        question,
        as_json,
        f"Story #{story.id} told in interview #{interview_id} (question #{question.id}).",
    )


@stories.command("rm")
@click.argument("ref", metavar="STORY")
@yes_option
@with_journal(access="change")
def rm(journal: Journal, ref: str, yes: bool) -> None:
    """Delete a story; the questions it answered stay."""
    story = journal.get_story(ref)
    confirm_delete(f"Delete story #{story.id} ({printable(story.title)})?", yes)
    journal.delete_story(story.id)
    click.echo(f"Deleted story #{story.id}.")
