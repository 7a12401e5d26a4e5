"""Terminal output (Rich) for questions, the practice bank, coverage and the story bank.

User text (questions, notes, stories) always goes through `Text`, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from debrief.bank import BankQuestion, competency_name
from debrief.cli.render import _label, _text
from debrief.model import Question, counted
from debrief.plan.records import PracticeEntry
from debrief.prep.coverage import Coverage
from debrief.prep.propose import Proposals
from debrief.prep.stories import StoryBank, StoryUse
from debrief.taxonomy import area_name
from debrief.themes import subskill_name


def _about(skill: str | None, subskill: str | None) -> str:
    if subskill:
        return f"{area_name(subskill.partition('.')[0])}: {subskill_name(subskill)}"
    return area_name(skill) if skill else "—"


def _covers(question: BankQuestion) -> RenderableType:
    lines = [Text("A strong answer covers:", style="dim")]
    lines += [Text("  • ").append_text(_text(point)) for point in question.covers]
    return Group(*lines)


def proposals(found: Proposals) -> RenderableType:
    """`debrief questions`: what to practise now."""
    if not found.questions:
        message = (
            "Nothing to propose yet: no weakness has recurred in two or more interviews. "
            "Browse the bank with `debrief questions bank --skill AREA`."
        )
        return Text(message, style="dim")
    head = f"Questions to practise, {found.as_of}"
    if found.round_kind:
        head += f", for a {_label(found.round_kind)} round"
    parts: list[RenderableType] = [Text(head, style="bold")]
    for proposed in found.questions:
        question = proposed.question
        line = Text(f"{question.id}  ", style="bold cyan")
        line.append_text(_text(question.text))
        why = Text(f"{_about(question.skill, question.subskill)} · {proposed.why}", style="dim")
        if proposed.last_practised:
            rating = f", {proposed.last_rating}/5" if proposed.last_rating else ""
            why.append(f" · last practised {proposed.last_practised}{rating}")
        parts += [line, Padding(Group(why, _covers(question)), (0, 0, 1, 4))]
    if found.again:
        again = Table(title="Asked in your rounds and went badly", title_justify="left")
        again.add_column("Day", no_wrap=True)
        again.add_column("Round")
        again.add_column("Rating", justify="right")
        again.add_column("Question")
        for asked in found.again:
            where = f"{'mock ' if asked.mock else ''}{_label(asked.round_kind.value)}"
            again.add_row(
                asked.held_on.isoformat(),
                _text(where + (f" at {asked.company}" if asked.company else "")),
                f"{asked.rating}/5",
                _text(asked.text),
            )
        parts.append(again)
    parts.append(
        Text("Log one: debrief questions practise ID --rating 1-5 [--minutes N]", style="dim")
    )
    return Group(*parts)


def asked_table(rows: Sequence[tuple[Question, int]]) -> RenderableType:
    """`debrief questions list`."""
    if not rows:
        return Text(
            'No questions recorded yet: debrief questions add INTERVIEW "the question"',
            style="dim",
        )
    table = Table(title="Questions asked", title_justify="left")
    table.add_column("ID", justify="right", no_wrap=True)
    table.add_column("Day", no_wrap=True)
    table.add_column("Round")
    table.add_column("Question")
    table.add_column("About")
    table.add_column("Went", justify="right", no_wrap=True)
    table.add_column("Asked", justify="right", no_wrap=True)
    for question, times in rows:
        where = f"#{question.interview_id} {'mock ' if question.mock else ''}"
        where += _label(question.round_kind.value)
        table.add_row(
            str(question.id),
            question.held_on.isoformat(),
            _text(where + (f" at {question.company}" if question.company else "")),
            _text(question.text),
            _text(_about(question.skill, question.subskill)),
            f"{question.rating}/5" if question.rating else "—",
            f"{times}×" if times > 1 else "1",
        )
    return Group(
        table, Text('"Asked" counts the rounds that asked the same question.', style="dim")
    )


def asked_detail(question: Question) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    grid.add_row("Question", _text(question.text))
    round_ = f"#{question.interview_id} {'mock ' if question.mock else ''}"
    grid.add_row("Round", _text(round_ + _label(question.round_kind.value)))
    grid.add_row("Day", question.held_on.isoformat())
    grid.add_row("Kind", question.kind.value)
    grid.add_row("About", _text(_about(question.skill, question.subskill)))
    if question.competency:
        grid.add_row("Competency", competency_name(question.competency))
    grid.add_row("Went", f"{question.rating}/5" if question.rating else "—")
    grid.add_row("Story", f"#{question.story_id}" if question.story_id else "—")
    grid.add_row("Notes", _text(question.notes))
    grid.add_row("Recorded from", question.source.value)
    return grid


def pasted(questions: Sequence[dict[str, Any]]) -> RenderableType:
    """`debrief questions paste --dry-run`."""
    table = Table(title="Would record (dry run)", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("Question")
    table.add_column("Kind")
    table.add_column("About")
    table.add_column("Went", justify="right")
    table.add_column("Notes")
    for number, question in enumerate(questions, 1):
        table.add_row(
            str(number),
            _text(question.get("text")),
            str(question.get("kind") or "—"),
            _text(_about(question.get("skill"), question.get("subskill"))),
            f"{question['rating']}/5" if question.get("rating") else "—",
            _text(question.get("notes")),
        )
    return table


def bank_table(questions: Sequence[BankQuestion]) -> RenderableType:
    """`debrief questions bank`."""
    if not questions:
        return Text("No practice question matches.", style="dim")
    table = Table(title=f"Practice bank ({len(questions)})", title_justify="left")
    table.add_column("ID", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("About")
    table.add_column("Question")
    for question in questions:
        table.add_row(
            question.id,
            question.kind.value,
            _about(question.skill, question.subskill),
            _text(question.text),
        )
    return Group(table, Text("See one with: debrief questions show ID", style="dim"))


def bank_detail(shown: tuple[BankQuestion, list[PracticeEntry]]) -> RenderableType:
    question, log = shown
    parts: list[RenderableType] = [
        Text(f"{question.id} · {question.kind.value} · ", style="bold").append(
            _about(question.skill, question.subskill)
        ),
        _text(question.text),
        _covers(question),
    ]
    if question.competency:
        parts.append(Text(f"Competency: {competency_name(question.competency)}", style="dim"))
    if log:
        went = ", ".join(f"{e.done_on}" + (f" ({e.rating}/5)" if e.rating else "") for e in log)
        parts.append(Text(f"Practised: {went}"))
    else:
        parts.append(Text(f"Not practised yet: debrief questions practise {question.id}", "dim"))
    return Group(*parts)


def areas(found: dict[str, str]) -> RenderableType:
    table = Table(title="Skill areas and sub-skills", title_justify="left")
    table.add_column("Area")
    table.add_column("Sub-skill id")
    table.add_column("Name")
    for subskill, area in found.items():
        table.add_row(area_name(area), subskill, subskill_name(subskill))
    return table


def coverage_lines(item: Coverage) -> list[tuple[str, Text]]:
    """The rows that describe one theme's coverage (for `themes show` and the plan too)."""
    asked = f"{item.asked_real} in real rounds, {item.asked_mock} in mock rounds"
    practised = f"{item.practised} from the bank"
    if item.subskills:
        practised += f" ({item.practised_subskills} on its sub-themes)"
    mean = item.mean_rating
    went = Text("no ratings yet", style="dim")
    if mean is not None:
        went = Text(
            f"{item.direction}: mean {mean:.1f}/5 over {counted(len(item.ratings), 'rating')}"
        )
    return [
        ("Questions asked", Text(asked)),
        ("Practised", Text(practised)),
        ("How they went", went),
        ("Came back?", Text(item.came_back)),
    ]


def coverage_block(item: Coverage) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for name, value in coverage_lines(item):
        grid.add_row(name, value)
    return grid


def coverage_table(found: Sequence[Coverage]) -> RenderableType:
    """`debrief questions coverage`."""
    if not found:
        return Text("No recurring weakness yet, so nothing to cover.", style="dim")
    table = Table(title="Coverage of your recurring weaknesses", title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("Theme")
    table.add_column("Asked (real/mock)", justify="right")
    table.add_column("Practised", justify="right")
    table.add_column("Ratings", justify="right")
    table.add_column("How they went")
    table.add_column("Came back?")
    for item in found:
        mean = item.mean_rating
        table.add_row(
            str(item.rank),
            item.name,
            f"{item.asked_real}/{item.asked_mock}",
            str(item.practised),
            f"{mean:.1f} ({len(item.ratings)})" if mean is not None else "—",
            item.direction,
            item.came_back,
        )
    return table


def story_bank(bank: StoryBank) -> RenderableType:
    """`debrief stories`."""
    parts: list[RenderableType] = []
    if not bank.stories:
        parts.append(
            Text(
                'No stories yet: debrief stories add "TITLE" --situation ... --task ... '
                "--action ... --result ... --competency conflict",
                style="dim",
            )
        )
    else:
        table = Table(title="Your stories", title_justify="left")
        table.add_column("#", justify="right")
        table.add_column("Title")
        table.add_column("Shows")
        table.add_column("Told", justify="right")
        table.add_column("STAR")
        table.add_column("Note")
        for use in bank.stories:
            story = use.story
            missing = story.missing()
            notes = []
            if use.overused:
                notes.append(f"over-used: {use.overused}")
            if use.feedback:
                notes.append(f"named in {counted(len(use.feedback), 'statement')} of feedback")
            table.add_row(
                str(story.id),
                _text(story.title),
                ", ".join(story.competencies + tuple(area_name(s) for s in story.skills)) or "—",
                f"{use.rounds} rounds" if use.rounds != 1 else "1 round",
                Text("complete", style="green")
                if not missing
                else Text("no " + ", ".join(missing), style="yellow"),
                Text("; ".join(notes), style="yellow") if notes else Text("—", style="dim"),
            )
        parts.append(table)
    if bank.asked_without_story:
        gaps = Table(title="Asked about, with no story for it", title_justify="left")
        gaps.add_column("Competency")
        gaps.add_column("Asked", justify="right")
        gaps.add_column("Last asked")
        for gap in bank.asked_without_story:
            gaps.add_row(gap.name, str(gap.asked), str(gap.last_asked or "—"))
        parts.append(gaps)
    if bank.no_story_yet:
        names = ", ".join(gap.name for gap in bank.no_story_yet)
        parts.append(Text(f"No story shows yet: {names}.", style="dim"))
    return Group(*parts)


def story_detail(use: StoryUse) -> RenderableType:
    """`debrief stories show`."""
    story = use.story
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for part in ("situation", "task", "action", "result"):
        value = getattr(story, part)
        grid.add_row(part.capitalize(), _text(value) if value else Text("missing", style="yellow"))
    shows = ", ".join(competency_name(c) for c in story.competencies) or "—"
    grid.add_row("Competencies", shows)
    grid.add_row("Skill areas", ", ".join(area_name(s) for s in story.skills) or "—")
    if story.notes:
        grid.add_row("Notes", _text(story.notes))
    if use.overused:
        grid.add_row("Over-used", Text(use.overused, style="yellow"))
    parts: list[RenderableType] = [
        Text(f"Story #{story.id}: ", style="bold").append_text(_text(story.title)),
        Padding(grid, (0, 0, 1, 2)),
    ]
    if use.told:
        told = Table(title="Told in", title_justify="left")
        told.add_column("Day", no_wrap=True)
        told.add_column("Round")
        told.add_column("Question")
        told.add_column("Went", justify="right")
        for question in use.told:
            where = f"#{question.interview_id} {'mock ' if question.mock else ''}"
            where += _label(question.round_kind.value)
            told.add_row(
                question.held_on.isoformat(),
                _text(where + (f" at {question.company}" if question.company else "")),
                _text(question.text),
                f"{question.rating}/5" if question.rating else "—",
            )
        parts.append(told)
    else:
        parts.append(Text("Not told in a round yet: debrief stories tell STORY INTERVIEW", "dim"))
    if use.feedback:
        said = Table(title="Feedback that names it", title_justify="left")
        said.add_column("Day", no_wrap=True)
        said.add_column("Label")
        said.add_column("Statement")
        for mention in use.feedback:
            said.add_row(mention.day.isoformat(), mention.label, _text(mention.text))
        parts.append(said)
    return Group(*parts)
