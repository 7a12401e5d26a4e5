"""The action plan: proposals from the top weaknesses, accept/edit/drop/resolve, the practice log,
follow-through that moves an item toward resolution and reopens it, and the feedback request."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import timedelta
from importlib import resources

import pytest

from debrief.errors import InvalidInput, NotFound
from debrief.journal import Journal
from debrief.model import local_today
from debrief.plan import ActionPlan, load_library
from debrief.plan.ask import feedback_request
from debrief.plan.library import LibraryError, parse_library
from debrief.plan.propose import TARGET_DAYS
from debrief.taxonomy import load_taxonomy
from debrief.themes.subskills import load_subskills
from tests.themes_helpers import mock_interview, real_interview, say

TODAY = local_today()
EXP = "experimentation"


def ago(n: int) -> object:
    return TODAY - timedelta(days=n)


def weak_journal(journal: Journal) -> dict[str, list[int]]:
    """Experimentation raised in three interviews, problem solving in two, SQL in one."""
    ids: dict[str, list[int]] = {EXP: [], "problem_solving": [], "sql": []}
    for n, company in enumerate(("Acme", "Globex", "Initech")):
        interview = real_interview(journal, company, "product_case", ago(40 - 5 * n))
        lines = [("You could not say how large the sample size had to be.", "constructive", EXP)]
        if n < 2:
            lines.append(
                (
                    "You jumped into the data without structuring the problem.",
                    "constructive",
                    "problem_solving",
                )
            )
        if n == 0:
            lines.append(("Your window functions were slow.", "constructive", "sql"))
        for statement_id, (_, _, skill) in zip(
            say(journal, lines, interview_id=interview), lines, strict=True
        ):
            ids[skill].append(statement_id)
    return ids


def test_the_plan_proposes_an_item_for_each_recurring_weakness(journal: Journal) -> None:
    ids = weak_journal(journal)
    view = ActionPlan(journal).refresh()
    assert view.weakness_themes == 2  # SQL came up once: a signal, not a theme
    proposals = [p.item for p in view.items]
    assert [(i.skill, i.status, i.rank) for i in proposals] == [
        (EXP, "proposed", 1),
        ("problem_solving", "proposed", 2),
    ]
    first = proposals[0]
    assert first.title == "Experimentation: sample size and power"
    assert 3 <= len(first.tasks) <= 5 and first.tasks[-1].kind == "mock"
    library = load_library().area(EXP)
    assert first.tasks[-1].text == library.mock
    assert first.goal == library.foci[0].goal
    assert set(first.evidence) == set(ids[EXP])
    assert first.target_on == TODAY + timedelta(days=TARGET_DAYS)
    again = ActionPlan(journal).refresh()
    assert [p.item for p in again.items] == proposals  # stable numbers, no duplicates


def test_proposal_numbers_stay_as_shown_whatever_is_taken_on_first(journal: Journal) -> None:
    weak_journal(journal)
    later = real_interview(journal, "Hooli", "sql", ago(20))
    say(journal, [("Your joins were slow again.", "constructive", "sql")], interview_id=later)
    plan = ActionPlan(journal)
    shown = {p.item.skill: p.item.id for p in plan.refresh().items}
    assert set(shown) == {EXP, "problem_solving", "sql"}
    assert list(shown.values()) == [1, 2, 3]
    first, second, third = shown
    assert plan.accept(shown[second]).id == 2  # the second one first
    assert {p.item.skill: p.item.id for p in plan.refresh().items} == shown
    assert plan.drop(shown[third]).id == 3
    assert plan.accept(shown[first]).id == 1
    assert {p.item.skill: p.item.id for p in plan.refresh(everything=True).items} == shown
    assert [plan.get(number).skill for number in shown.values()] == list(shown)


def test_a_proposal_is_dated_when_its_weakness_became_recurring(journal: Journal) -> None:
    weak_journal(journal)  # experimentation raised on days 40, 35 and 30 ago
    plan = ActionPlan(journal)
    today = plan.refresh().items[0].item
    later = plan.refresh(as_of=TODAY + timedelta(days=3)).items[0].item
    assert (today.skill, today.proposed_on, today.id) == (EXP, ago(35), later.id)
    assert later.proposed_on == ago(35) and today.events[0].at.date() <= ago(34)
    kept = plan.accept(today.id)
    assert (kept.proposed_on, [e.to_status for e in kept.events]) == (
        ago(35),
        ["proposed", "accepted"],
    )


def test_accept_edit_practice_and_status(journal: Journal) -> None:
    weak_journal(journal)
    plan = ActionPlan(journal)
    [item, _] = [p.item for p in plan.refresh().items]
    with pytest.raises(InvalidInput, match="accept it first"):
        plan.edit(item.id, goal="mine")
    with pytest.raises(InvalidInput, match="accept it first"):
        plan.log_practice(item.id, "read a chapter")
    accepted = plan.accept("Experimentation", target=TODAY + timedelta(days=10))
    assert (accepted.status, accepted.accepted_on, accepted.tracking_from) == (
        "accepted",
        TODAY,
        TODAY,
    )
    with pytest.raises(InvalidInput, match="already accepted"):
        plan.accept(item.id)
    entry = plan.log_practice(item.id, "Sized three tests", minutes=40, task=2, done=True)
    assert (entry.task_number, entry.minutes) == (2, 40)
    plan.log_practice(item.id, "Read about sequential testing", minutes=25, on=ago(1))
    edited = plan.edit(
        item.id, goal="Size any test in five minutes", add_tasks=["Teach it to a friend"], done=[1]
    )
    assert edited.goal == "Size any test in five minutes"
    assert edited.tasks_done == 2 and edited.tasks[-1].kind == "own"
    fewer = plan.edit(item.id, remove_tasks=[1])
    assert [t.number for t in fewer.tasks] == list(range(1, len(edited.tasks)))
    assert fewer.tasks[0].text == edited.tasks[1].text
    [progress] = plan.status().items
    assert progress.item.minutes == 65 and progress.days_to_target == 10
    assert progress.follow.verdict == "no evidence yet"
    assert "schedule a mock interview on experimentation" in progress.follow.message
    assert [e.text for e in plan.practice_log(item.id)] == [
        "Read about sequential testing",
        "Sized three tests",
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda plan, i: plan.edit(i, done=[9]), "has no task 9"),
        (lambda plan, i: plan.log_practice(i, "x", minutes=5000), "out of range"),
        (lambda plan, i: plan.log_practice(i, "x", done=True), "which task"),
        (lambda plan, i: plan.log_practice(i, "   "), "must not be empty"),
        (lambda plan, i: plan.log_practice(i, "x", on="2999-01-01"), "in the future"),
        (lambda plan, i: plan.accept(i, target="2001-01-01"), "in the past"),
        (lambda plan, i: plan.accept(i), "already accepted"),
        (lambda plan, i: plan.resolve(i + 1), "only an accepted item"),
        (lambda plan, i: plan.get("sql"), "no plan item for sql"),
        (lambda plan, i: plan.get("typing speed"), "not a skill area"),
    ],
)
def test_bad_plan_input_is_refused_and_nothing_changes(
    journal: Journal, call: object, message: str
) -> None:
    weak_journal(journal)
    plan = ActionPlan(journal)
    item = plan.refresh().items[0].item
    plan.accept(item.id)
    before = plan.get(item.id)
    with pytest.raises(InvalidInput, match=message):
        call(plan, item.id)  # type: ignore[operator]
    assert plan.get(item.id) == before
    with pytest.raises(NotFound):
        plan.get(999)


def test_a_dropped_weakness_is_not_proposed_again(journal: Journal) -> None:
    weak_journal(journal)
    plan = ActionPlan(journal)
    first = plan.refresh(items=1).items[0].item
    assert first.skill == EXP
    plan.drop(first.id)
    [next_one] = [p.item for p in plan.refresh(items=1).items]
    assert next_one.skill == "problem_solving"
    assert [p.item.status for p in plan.refresh(items=1, everything=True).items] == [
        "proposed",
        "dropped",
    ]
    plan.accept(first.id)  # changed my mind
    assert plan.get(first.id).status == "accepted"


def test_follow_through_moves_an_item_to_resolution_and_reopens_it(journal: Journal) -> None:
    """The journey of the issue: accept, practise, later interviews stop raising the theme, the
    item is ready to resolve; resolved, it reopens by itself when the theme comes back."""
    weak_journal(journal)
    plan = ActionPlan(journal)
    item = plan.refresh().items[0].item
    plan.accept(item.id, as_of=ago(10))
    plan.log_practice(item.id, "Sized three experiments", minutes=60, on=ago(9))

    clean = mock_interview(journal, "product_case", ago(8), rubric={EXP: 4})
    say(
        journal,
        [("You sized the test well and explained the duration.", "strength", EXP)],
        interview_id=clean,
    )
    untested = mock_interview(journal, "coding", ago(7))
    say(journal, [("Clean, readable pandas.", "strength", "coding")], interview_id=untested)
    mock_interview(journal, "statistics", ago(6))  # tested it, but no feedback yet
    progress = plan.status().items[0]
    assert progress.follow.verdict == "working"
    assert [c.interview_id for c in progress.follow.checks] == [clean]
    assert len(progress.follow.waiting) == 1
    assert "1 of 2 clean interviews" in progress.follow.message

    second = real_interview(journal, "Hooli", "statistics", ago(5))
    say(
        journal,
        [("Your reasoning about power was solid.", "strength", EXP)],
        interview_id=second,
    )
    progress = plan.status().items[0]
    assert (progress.follow.verdict, progress.follow.clean_streak) == ("ready to resolve", 2)
    assert plan.status(resolve_after=3).items[0].follow.verdict == "working"

    plan.resolve(item.id, as_of=ago(4))
    assert plan.status().items[0].follow.verdict == "resolved"
    back = mock_interview(journal, "product_case", ago(2))
    say(
        journal,
        [("You did not know how to compute the sample size.", "constructive", EXP)],
        interview_id=back,
    )
    view = plan.refresh()
    assert len(view.reopened) == 1 and f"interview #{back}" in view.reopened[0]
    reopened = plan.get(item.id)
    assert (reopened.status, reopened.reopened, reopened.tracking_from) == ("accepted", 1, ago(2))
    assert reopened.events[-1].reason.startswith("the theme came back")
    assert [e.to_status for e in reopened.events] == [
        "proposed",
        "accepted",
        "resolved",
        "accepted",
    ]
    assert plan.status().items[0].follow.verdict == "not working yet"
    # Reading writes nothing: the notice stands until the user acts on the item, which keeps
    # the reopening they saw.
    assert plan.refresh().reopened == view.reopened
    plan.log_practice(item.id, "Sized two tests again", minutes=20)
    assert plan.refresh().reopened == ()  # reopening happens once
    assert plan.get(item.id) == replace(reopened, practice=plan.get(item.id).practice)


def test_the_library_covers_every_skill_area_with_practice_to_do() -> None:
    library = load_library()
    assert set(library.areas) == {area.id for area in load_taxonomy().areas}
    texts = []
    for area in library.areas.values():
        assert area.goal and area.mock and len(area.tasks) == 3
        assert area.skill == "other" or len(area.foci) >= 2
        for focus in area.foci:
            assert 3 <= len(focus.tasks) <= 4 and focus.name
            assert any(t.kind == "exercise" for t in focus.tasks)
            texts += [t.text for t in focus.tasks]
        texts += [t.text for t in area.tasks]
    assert len(texts) == len(set(texts))
    # Every sub-skill has practice of its own, in its own area.
    covered = [f.subskill for area in library.areas.values() for f in area.foci]
    assert sorted(covered) == sorted(s.id for s in load_subskills().all)
    peeking = library.area(EXP).focus("experimentation.peeking")
    assert peeking is not None and peeking.name == "peeking and sequential testing"
    assert library.area(EXP).focus("sql.window_functions") is None


def test_a_library_focus_must_name_a_sub_skill_of_its_own_area() -> None:
    raw = tomllib.loads(
        resources.files("debrief.plan.data").joinpath("practice.toml").read_text("utf-8")
    )
    raw["area"]["sql"]["focus"][0]["subskill"] = "experimentation.peeking"
    with pytest.raises(LibraryError, match="another area"):
        parse_library(raw)
    raw["area"]["sql"]["focus"][0]["subskill"] = "sql.nonsense"
    with pytest.raises(LibraryError, match="unknown sub-skill"):
        parse_library(raw)


# -- asking for feedback ------------------------------------------------------------------------


def test_a_feedback_request_fits_the_stage_reached(journal: Journal) -> None:
    applied = journal.add_application("Acme", "Data Scientist", applied_on=ago(30))
    journal.change_status(applied.id, "rejected", at=ago(20))
    email = feedback_request(journal, applied.id, name="Priya")
    assert (email.stage, email.ended) == ("applied", True)
    assert "Data Scientist role at Acme" in email.body and email.body.endswith("Priya")

    onsite = journal.add_application("Globex", "Product Data Scientist", applied_on=ago(60))
    journal.add_interview(
        "recruiter_screen", application_id=onsite.id, held_on=ago(50), interviewer="Megan Alvarez"
    )
    journal.add_interview(
        "sql", application_id=onsite.id, held_on=ago(40), interviewer="Ben Carter"
    )
    # The rounds moved it to screen and technical; the rest by hand.
    for stage, day in (("onsite", 30), ("rejected", 20)):
        journal.change_status(onsite.id, stage, at=ago(day))
    email = feedback_request(journal, onsite.id)
    assert email.stage == "onsite" and email.body.startswith("Hi Megan,")
    assert "my thanks to Ben Carter." in email.body and "Megan Alvarez" not in email.body
    assert "[your name]" in email.body
    assert "final rounds" in email.subject

    ghosted = journal.add_application("Initech", "Analyst", applied_on=ago(60))
    journal.change_status(ghosted.id, "ghosted", at=ago(10))
    assert feedback_request(journal, ghosted.id, to="Sam").body.startswith("Hi Sam,")

    still_open = journal.add_application("Hooli", "Data Scientist", applied_on=ago(5))
    journal.change_status(still_open.id, "technical", at=ago(2))
    email = feedback_request(journal, still_open.id)
    assert (email.stage, email.ended) == ("technical", False)

    withdrawn = journal.add_application("Umbrella", "Data Scientist", applied_on=ago(5))
    journal.change_status(withdrawn.id, "withdrawn", at=ago(1))
    with pytest.raises(InvalidInput, match="you withdrew"):
        feedback_request(journal, withdrawn.id)


def test_user_text_in_a_feedback_request_is_kept_verbatim(journal: Journal) -> None:
    odd = journal.add_application("{role} & <Co>", "Data {Scientist}", applied_on=ago(3))
    journal.change_status(odd.id, "rejected", at=ago(1))
    email = feedback_request(journal, odd.id, name="{signature}")
    assert "Data {Scientist} role at {role} & <Co>" in email.body
    assert email.body.endswith("{signature}")
