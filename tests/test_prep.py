"""Preparation (issue 18): reading questions and notes, the same question asked again, what to
practise, coverage of the recurring weaknesses, and the story bank read against the rounds.
The cases here are written for these tests, apart from the bank and the labelled sets."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest

from debrief.errors import InvalidInput
from debrief.journal import Journal
from debrief.model import QuestionKind
from debrief.plan import ActionPlan
from debrief.prep import asked_times, prepare, repeated
from debrief.prep.infer import guess, read_notes, with_guesses
from debrief.prep.measure import matching, read_jsonl, reading
from debrief.prep.same import same_groups, same_scores
from tests.themes_helpers import mock_interview, real_interview, say

DATA = Path(__file__).parent / "data"


# -- what a question is --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "skill"),
    [
        ("Write a query for each seller's second sale, with ties", "coding", "sql"),
        ("pandas: reshape long events into one row per customer", "coding", "coding"),
        ("Tell me about a time you changed a stakeholder's mind with data", "behavioral", None),
        ("why do you want to leave your current team?", "behavioral", "behavioral"),
        ("How would you measure whether the new wishlist feature works?", "case", "product_sense"),
        ("what does a 95% confidence interval actually mean", "technical", "statistics"),
        (
            "how long should the test run to detect a 1% lift on a 12% baseline",
            None,
            "experimentation",
        ),
        ("L2 vs L1 penalty, which gives sparse weights and why", "technical", "machine_learning"),
    ],
)
def test_a_question_s_kind_and_area_are_read_from_its_words(
    text: str, kind: str | None, skill: str | None
) -> None:
    [made] = guess([text])
    if kind is not None:
        assert made.kind.value == kind
    if skill is not None:
        assert made.skill == skill
    assert (made.competency is not None) == (made.kind is QuestionKind.BEHAVIORAL)


def test_a_behavioural_question_s_competency_comes_from_its_cue_words() -> None:
    made = guess(
        [
            "Tell me about a time you disagreed with your lead",
            "Describe a mistake you made in an analysis",
            "Tell me about a time you had to persuade an exec",
        ]
    )
    assert [m.competency for m in made] == ["conflict", "failure", "influence"]


def test_what_the_user_gave_is_kept_over_a_guess() -> None:
    [given] = with_guesses([{"text": "Write a query for churn", "kind": "technical", "skill": "x"}])
    assert given["kind"] == "technical" and given["skill"] == "x" and "subskill" not in given


def test_reading_is_measured_on_questions_written_apart(tmp_path: Path) -> None:
    """Floors under the figures `make bench` prints for the test part (docs/questions.md):
    a change that makes reading worse fails here."""
    read = reading(read_jsonl(DATA / "asked_questions_test.jsonl"))
    assert read.questions == 88
    assert read.kind >= 0.7 and read.skill >= 0.75 and read.subskill >= 0.7


# -- notes ---------------------------------------------------------------------------------------


def test_pasted_notes_are_read_into_questions_with_notes_ratings_and_stories() -> None:
    notes = """Onsite, round 2 (Priya)
Q1: Size a test for a 2% lift on a 10% baseline (2/5)
  - forgot to say how long it runs
  A: about 3 weeks
1. said power 80%
2. forgot the duration?
Q2. Tell me about a disagreement with a PM
story:   Churn dispute
went ok, 4/5
Overall: 3/5, felt fine
Q-learning came up in passing?
"""
    found = read_notes(notes)
    assert [q.text for q in found] == [
        "Size a test for a 2% lift on a 10% baseline",
        "Tell me about a disagreement with a PM",
    ]
    assert found[0].rating == 2
    assert found[0].notes == (
        "forgot to say how long it runs\nabout 3 weeks\nsaid power 80%\nforgot the duration?"
    )
    assert found[1].story == "Churn dispute" and found[1].rating == 4
    assert found[1].notes == "went ok, 4/5\nOverall: 3/5, felt fine\nQ-learning came up in passing?"
    unmarked = read_notes(
        "Screen with Ana\n1. how would you size the market\n- it went ok\nWhy us?"
    )
    assert [q.text for q in unmarked] == ["how would you size the market", "Why us?"]
    assert unmarked[0].notes == "it went ok"
    assert read_notes("Nothing here to read.\nJust a line.") == []
    with pytest.raises(InvalidInput, match="limit is 100,000"):
        read_notes("Q: x?\n" * 20_000)


@pytest.mark.parametrize(
    "line",
    [
        "rating" + " " * 99_000 + "x",
        "q" + " " * 99_000 + "x",
        "story:" + " " * 99_000 + "x" + " " * 10 + "y",
        "a" + " " * 99_000 + "-",
        "3" * 99_000,
        "3/" * 49_000,
        "- " * 49_000,
        "Q1" + "1" * 99_000,
        "é" * 50_000 + "\u0301" * 49_000,
    ],
)
def test_no_line_of_notes_takes_more_than_linear_time(line: str) -> None:
    start = time.perf_counter()
    read_notes("Q: what is a p-value?\n" + line)
    assert time.perf_counter() - start < 1.0


# -- the same question ---------------------------------------------------------------------------


def test_the_same_question_is_told_apart_from_a_different_one_on_the_same_product() -> None:
    same, different = same_scores(
        [
            (
                "WAU on the recipe app fell 8% WoW, how would you investigate",
                "weekly active users of the recipe app dropped 8% vs last week - what do you check",
            ),
            (
                "WAU on the recipe app fell 8% WoW, how would you investigate",
                "what should the north star metric of the recipe app be",
            ),
        ]
    )
    assert same > different


def test_questions_asked_again_are_counted_by_round(journal: Journal) -> None:
    first = real_interview(journal, "Acme", "statistics", date(2026, 8, 1))
    second = real_interview(journal, "Beta", "statistics", date(2026, 8, 20))
    journal.add_question(first, "explain a p-value to a product manager")
    journal.add_question(first, "What is a p-value, for a PM?")  # twice in one round: one round
    again = journal.add_question(second, "how would you explain p-values to a PM")
    other = journal.add_question(second, "Design a switchback test for delivery fees")
    times = asked_times(journal.list_questions())
    assert times[again.id] == 2 and times[other.id] == 1
    [(latest, rounds)] = repeated(journal.list_questions())
    assert latest.id == again.id and rounds == 2
    assert same_groups([]) == []


def test_same_question_pairs_are_measured_on_pairs_written_apart() -> None:
    found = matching(read_jsonl(DATA / "same_questions_test.jsonl"))
    assert found.pairs == 80
    assert found.precision >= 0.35 and found.recall >= 0.25  # the figures: docs/questions.md


# -- coverage and proposals ----------------------------------------------------------------------


def _sql_weakness(journal: Journal) -> list[int]:
    """SQL raised as a weakness (joins, twice) in two real rounds in August."""
    rounds = []
    for company, day in (("Acme", date(2026, 8, 1)), ("Beta", date(2026, 8, 10))):
        round_id = real_interview(journal, company, "sql", day)
        say(
            journal,
            [("The join fanned out and double-counted revenue.", "constructive", "sql")],
            interview_id=round_id,
            on=day,
        )
        rounds.append(round_id)
    return rounds


def test_coverage_counts_asked_and_practised_questions_and_whether_the_theme_came_back(
    journal: Journal,
) -> None:
    first, second = _sql_weakness(journal)
    journal.add_question(first, "Revenue per user with orders and items?", skill="sql", rating=1)
    journal.add_question(second, "Dedupe then join?", subskill="sql.joins_grain", rating=2)
    mock = mock_interview(journal, "sql", date(2026, 8, 20))
    journal.add_question(mock, "Which join keeps unmatched users?", skill="sql", rating=3)
    plan = ActionPlan(journal)
    for day, rating in (("2026-08-21", 3), ("2026-08-25", 4), ("2026-08-28", 5)):
        plan.practise_question("sql-08", rating=rating, on=day)
    later = real_interview(journal, "Gamma", "sql", date(2026, 9, 5))
    say(
        journal,
        [("Solid on joins this time.", "strength", "sql")],
        interview_id=later,
        on=date(2026, 9, 5),
    )
    [sql] = [c for c in prepare(journal, as_of=date(2026, 9, 10)).coverage() if c.skill == "sql"]
    assert (sql.asked_real, sql.asked_mock, sql.practised) == (2, 1, 3)
    assert [r.rating for r in sql.ratings] == [1, 2, 3, 3, 4, 5]
    assert sql.direction == "better"
    assert sql.first_practice == date(2026, 8, 21)
    assert (sql.tested_since, sql.raised_since) == (1, 0)
    assert "0 of 1 rounds" in sql.came_back


def test_questions_are_proposed_for_the_weak_sub_skill_first_and_rest_once_practised(
    journal: Journal,
) -> None:
    first, _ = _sql_weakness(journal)
    journal.add_question(first, "Users with no orders?", skill="sql", rating=1)
    prep = prepare(journal, as_of=date(2026, 9, 1))
    proposals = prep.proposals(count=5)
    assert proposals.questions[0].question.subskill == "sql.joins_grain"
    assert "raised 2 times" in proposals.questions[0].why
    assert [q.text for q in proposals.again] == ["Users with no orders?"]
    chosen = proposals.questions[0].question.id
    ActionPlan(journal).practise_question(chosen, rating=4, on="2026-08-30")
    again = prepare(journal, as_of=date(2026, 9, 1)).proposals(count=5)
    assert chosen not in [p.question.id for p in again.questions]  # resting for a week
    ahead = prepare(journal, as_of=date(2026, 9, 1)).proposals(round_kind="behavioral", count=12)
    areas = [p.question.skill for p in ahead.questions]
    assert areas[0] == "behavioral" and "sql" in areas  # the round's areas first, then the rest
    assert ahead.again == ()  # a behavioural round tests no SQL
    sql = prepare(journal, as_of=date(2026, 9, 1)).proposals(round_kind="sql", count=6)
    assert [p.question.skill for p in sql.questions[:3]] == ["sql"] * 3
    whole_area = [p.question.subskill for p in sql.questions if "weakness in SQL" in p.why]
    assert len(set(whole_area)) == len(whole_area)  # one of each sub-skill before a second


# -- stories read against the rounds -------------------------------------------------------------


def test_story_gaps_over_use_and_the_feedback_that_names_a_story(journal: Journal) -> None:
    conflict = journal.add_story("Churn dispute", competencies=["conflict"])
    launch = journal.add_story("Pricing launch", competencies=["impact"])
    first = real_interview(journal, "Acme", "behavioral", date(2026, 8, 1))
    journal.add_question(first, "A conflict with a PM?", competency="conflict", story=conflict.id)
    journal.add_question(first, "Your biggest impact?", competency="impact", story=launch.id)
    journal.add_question(first, "Tell me about a failure", competency="failure")
    say(
        journal,
        [
            ("The conflict story lacked a result.", "constructive", "behavioral"),
            ("Good energy throughout the round.", "strength", "behavioral"),
        ],
        interview_id=first,
        on=date(2026, 8, 2),
    )
    again = journal.list_applications()[0].id
    second = journal.add_interview("onsite", application_id=again, held_on=date(2026, 8, 20)).id
    journal.add_question(second, "Another conflict?", competency="conflict", story=conflict.id)
    bank = prepare(journal).story_bank()
    uses = {use.story.title: use for use in bank.stories}
    assert uses["Churn dispute"].rounds == 2
    assert uses["Churn dispute"].overused == "told to Acme in 2 rounds"
    assert uses["Pricing launch"].overused is None
    assert [m.text for m in uses["Churn dispute"].feedback] == [
        "The conflict story lacked a result."
    ]
    assert uses["Pricing launch"].feedback == ()
    say(
        journal,
        [
            ("For example, the pricing launch had no metric.", "constructive", "behavioral"),
            ("Your project stories show impact.", "strength", "behavioral"),
        ],
        on=date(2026, 8, 25),
    )
    read_again = {u.story.title: u for u in prepare(journal).story_bank().stories}
    assert read_again["Pricing launch"].feedback == ()  # "for example", "stories": no one story
    assert [(g.competency, g.asked) for g in bank.asked_without_story] == [("failure", 1)]
    assert "conflict" not in {g.competency for g in bank.no_story_yet}
