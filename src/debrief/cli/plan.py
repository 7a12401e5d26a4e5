"""`debrief plan` and `debrief practice`: the action plan for recurring weaknesses, its practice
log, and follow-through measured against the interviews that come after."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from debrief.cli.common import (
    ID,
    WholeRange,
    db_option,
    json_option,
    print_as,
    print_done,
    with_journal,
)

if TYPE_CHECKING:
    from debrief.journal import Journal
    from debrief.plan import ActionPlan


resolve_after_option = click.option(
    "--resolve-after",
    type=WholeRange(1, 20),
    default=2,
    show_default=True,
    help="Clean interviews in a row that propose an item for resolution.",
)


def _plan(journal: Journal) -> ActionPlan:
    from debrief.plan import ActionPlan

    return ActionPlan(journal)


def _ref(item: str) -> int | str:
    from debrief.model import is_whole, record_id

    return record_id(item, "item") if is_whole(item.strip()) else item


@click.group(invoke_without_command=True)
@click.option(
    "--items",
    type=WholeRange(1, 12),
    default=3,
    show_default=True,
    help="How many of the top recurring weaknesses get an item.",
)
@click.option("--all", "everything", is_flag=True, help="Show dropped items too.")
@resolve_after_option
@json_option
@db_option
@click.pass_context
def plan(
    ctx: click.Context, items: int, everything: bool, resolve_after: int, as_json: bool
) -> None:
    """The action plan: what to practise for your top recurring weaknesses.

    Proposes an item for each of the top weakness themes: a goal, 3–5 practice tasks from the
    practice library and a target date, with the evidence behind it. Accept the ones you will
    work on; follow-through then checks each later interview that tests the skill. Practice a
    coach assigned is listed under it (`debrief plan assignment`).
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(
            _show_plan,
            items=items,
            everything=everything,
            resolve_after=resolve_after,
            as_json=as_json,
        )


@with_journal
def _show_plan(
    journal: Journal, items: int, everything: bool, resolve_after: int, as_json: bool
) -> None:
    from debrief.themes import report_from_facts, scoped

    themed = scoped(journal.facts())  # read once, for the plan and the coverage under it
    read = (themed, report_from_facts(themed))
    view = _plan(journal).refresh(
        items=items, everything=everything, resolve_after=resolve_after, read=read
    )
    print_as(view, as_json, "render_plan.plan_view")
    if not as_json and view.items:
        _print_coverage(journal, {p.item.skill for p in view.items}, read)
    waiting = journal.list_assignments(open_only=True)
    if not as_json and waiting:
        from debrief.cli import render, render_plan

        render.console().print(render_plan.assignment_table(waiting))


def _print_coverage(journal: Journal, skills: set[str], read: Any = None) -> None:
    """Questions asked and practised on the items' themes (`debrief questions coverage`)."""
    from debrief.cli import render, render_prep
    from debrief.prep import prepare

    found = [c for c in prepare(journal, read=read).coverage() if c.skill in skills]
    if found:
        render.console().print(render_prep.coverage_table(found))


@plan.command("accept")
@click.argument("item")
@click.option("--target", metavar="DATE", help="Target date (default: the proposal's).")
@json_option
@with_journal(access="change")
def accept(journal: Journal, item: str, target: str | None, as_json: bool) -> None:
    """Take on an item: follow-through counts interviews from today.

    ITEM is an item's number (see `debrief plan`) or its skill area's name.
    """
    done = _plan(journal).accept(_ref(item), target=target)
    print_done(
        done,
        as_json,
        f"Accepted item #{done.id}: {done.title} (target {done.target_on}). Log practice with "
        f'`debrief practice log {done.id} "what you did" --minutes N`.',
    )


@plan.command("edit")
@click.argument("item")
@click.option("--goal", help="A new goal, in your words.")
@click.option("--target", metavar="DATE", help="A new target date ('' to clear it).")
@click.option("--add-task", "add_tasks", multiple=True, metavar="TEXT", help="Add a task.")
@click.option(
    "--remove-task", "remove_tasks", type=ID, multiple=True, metavar="N", help="Remove task N."
)
@click.option("--done", type=ID, multiple=True, metavar="N", help="Mark task N done.")
@click.option("--undo", "undone", type=ID, multiple=True, metavar="N", help="Mark task N not done.")
@json_option
@with_journal(access="change")
def edit(journal: Journal, item: str, as_json: bool, **changes: Any) -> None:
    """Change an accepted item: goal, target date, tasks.

    ITEM is an item's number or its skill area's name. Task numbers are those `debrief plan
    show ITEM` printed before this edit; removing a task renumbers the ones after it.
    """
    from debrief.journal import UNSET

    given = {k: v for k, v in changes.items() if v not in (None, ())}
    if not given:
        raise click.UsageError("nothing to change: give --goal, --target or a task option")
    target = changes["target"]
    done = _plan(journal).edit(
        _ref(item),
        goal=changes["goal"] if changes["goal"] is not None else UNSET,
        target=UNSET if target is None else (target or None),
        add_tasks=changes["add_tasks"],
        remove_tasks=changes["remove_tasks"],
        done=changes["done"],
        undone=changes["undone"],
    )
    print_done(
        done,
        as_json,
        f"Item #{done.id}: {done.tasks_done} of {len(done.tasks)} tasks done, target "
        f"{done.target_on or 'none'}.",
    )


@plan.command("drop")
@click.argument("item")
@json_option
@with_journal(access="change")
def drop(journal: Journal, item: str, as_json: bool) -> None:
    """Set an item aside; its weakness is not proposed again (accept it to bring it back).

    ITEM is an item's number or its skill area's name.
    """
    done = _plan(journal).drop(_ref(item))
    print_done(done, as_json, f"Dropped item #{done.id}: {done.title}.")


@plan.command("resolve")
@click.argument("item")
@json_option
@with_journal(access="change")
def resolve(journal: Journal, item: str, as_json: bool) -> None:
    """Mark an accepted item resolved (it reopens by itself if the weakness comes back).

    ITEM is an item's number or its skill area's name. `debrief plan status` says when the
    interviews agree that it is ready.
    """
    done = _plan(journal).resolve(_ref(item))
    print_done(
        done,
        as_json,
        f"Resolved item #{done.id}: {done.title}. If a later interview raises it again, it "
        "reopens.",
    )


@plan.command("show")
@click.argument("item")
@resolve_after_option
@json_option
@with_journal
def show(journal: Journal, item: str, resolve_after: int, as_json: bool) -> None:
    """One item: goal, tasks, follow-through, practice log, evidence and history.

    ITEM is an item's number or its skill area's name.
    """
    progress = _plan(journal).progress(_ref(item), resolve_after=resolve_after)
    print_as(progress, as_json, "render_plan.item_detail")
    if not as_json:
        _print_coverage(journal, {progress.item.skill})


@plan.command("status")
@resolve_after_option
@json_option
@with_journal
def status(journal: Journal, resolve_after: int, as_json: bool) -> None:
    """Progress of the accepted items, and which are working.

    Per item: tasks done, practice minutes, days to target, and follow-through: whether the
    interviews that tested the skill since you accepted it raised the weakness again.
    """
    view = _plan(journal).status(resolve_after=resolve_after)
    print_as(view, as_json, "render_plan.plan_status")


@plan.group("assignment", invoke_without_command=True)
@click.option("--all", "everything", is_flag=True, help="Show the ones done too.")
@json_option
@click.pass_context
def assignment(ctx: click.Context, everything: bool, as_json: bool) -> None:
    """Practice your coach assigned on a coach server: a task or a mock interview on a skill
    area, due on a day. Lists the ones not done yet (`debrief plan` and `debrief today` show
    them too); `done N` marks one done.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(_list_assignments, everything=everything, as_json=as_json)


@with_journal
def _list_assignments(journal: Journal, everything: bool, as_json: bool) -> None:
    found = journal.list_assignments(open_only=not everything)
    print_as(found, as_json, "render_plan.assignment_table")


@assignment.command("done")
@click.argument("number", metavar="N", type=ID)
@click.option("--date", "on", metavar="DATE", help="When (default: today).")
@click.option(
    "--interview", "interview_id", type=ID, help="The mock interview you recorded for it."
)
@json_option
@with_journal(access="change")
def assignment_done(
    journal: Journal, number: int, on: str | None, interview_id: int | None, as_json: bool
) -> None:
    """Mark assignment N done; for a mock, --interview ties the mock you recorded to it (the
    coach then scores that mock)."""
    done = journal.mark_assignment(number, on=on, interview_id=interview_id)
    mock = f", with mock interview #{done.interview_id}" if done.interview_id else ""
    print_done(done, as_json, f"Assignment #{done.id} done on {done.done_on}{mock}.")


@assignment.command("undo")
@click.argument("number", metavar="N", type=ID)
@json_option
@with_journal(access="change")
def assignment_undo(journal: Journal, number: int, as_json: bool) -> None:
    """Mark assignment N not done."""
    done = journal.mark_assignment(number, done=False)
    print_done(done, as_json, f"Assignment #{done.id} is not done.")


@click.group()
def practice() -> None:
    """The practice log of the action plan: log, list."""


@practice.command("log")
@click.argument("item")
@click.argument("text")
@click.option("--minutes", type=WholeRange(0, 1440), help="How long you practised.")
@click.option("--date", "on", metavar="DATE", help="When (default: today).")
@click.option("--task", type=ID, metavar="N", help="The item's task this was for.")
@click.option("--done", is_flag=True, help="That task is now done (needs --task).")
@json_option
@with_journal(access="change")
def log(
    journal: Journal,
    item: str,
    text: str,
    minutes: int | None,
    on: str | None,
    task: int | None,
    done: bool,
    as_json: bool,
) -> None:
    """Log practice for an accepted item: what you did, and for how long.

    ITEM is an item's number or its skill area's name.
    """
    entry = _plan(journal).log_practice(
        _ref(item), text, minutes=minutes, on=on, task=task, done=done
    )
    spent = f", {entry.minutes} min" if entry.minutes is not None else ""
    for_task = f" (task {entry.task_number}{', done' if done else ''})" if entry.task_number else ""
    print_done(entry, as_json, f"Logged practice for item #{entry.item_id}{spent}{for_task}.")


@practice.command("list")
@click.argument("item", required=False)
@json_option
@with_journal
def list_(journal: Journal, item: str | None, as_json: bool) -> None:
    """The practice log, oldest first: of one item, or of all.

    ITEM is an item's number or its skill area's name.
    """
    entries = _plan(journal).practice_log(_ref(item) if item else None)
    print_as(entries, as_json, "render_plan.practice_table")
