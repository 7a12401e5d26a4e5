"""The two banks of issue 18 in the journal: questions asked in rounds, the STAR story bank,
practice of the question bank, and the practice bank shipped with the package."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from debrief.bank import load_bank, load_competencies
from debrief.errors import InvalidInput, NotFound
from debrief.journal import Journal
from debrief.plan import ActionPlan
from debrief.taxonomy import skill_ids, subskill_areas
from tests.themes_helpers import mock_interview, real_interview, say

DAY = date(2026, 9, 1)


# -- the practice bank ---------------------------------------------------------------------------


def test_the_bank_covers_every_area_and_sub_skill_with_what_a_strong_answer_covers() -> None:
    bank = load_bank()
    assert len(bank.questions) >= 300
    by_subskill = Counter(q.subskill for q in bank.questions)
    assert set(by_subskill) == set(subskill_areas())
    assert min(by_subskill.values()) >= 5
    assert {q.skill for q in bank.questions} == skill_ids() - {"other"}
    assert all(len(q.covers) >= 3 and all(p.strip() for p in q.covers) for q in bank.questions)
    texts = [q.text.casefold() for q in bank.questions]
    assert len(set(texts)) == len(texts)
    competencies = {c.id for c in load_competencies()}
    for question in bank.questions:
        assert (question.competency is not None) == (question.kind.value == "behavioral")
        assert question.competency is None or question.competency in competencies


def test_a_bank_question_is_found_however_its_id_is_typed() -> None:
    bank = load_bank()
    assert bank.get("SQL-7").id == bank.get("sql-07").id == "sql-07"
    with pytest.raises(InvalidInput, match="not a question of the practice bank"):
        bank.get("sql-999")


# -- questions asked in a round ------------------------------------------------------------------


def test_questions_are_numbered_in_their_round_and_read_back(journal: Journal) -> None:
    round_id = real_interview(journal, "Acme", "sql", DAY)
    first = journal.add_question(round_id, "Top 3 products per category?", kind="coding")
    rest = journal.add_questions(
        round_id,
        [
            {"text": "Why does the join double revenue?", "subskill": "sql.joins_grain"},
            {"text": "How would you speed it up?", "skill": "SQL", "rating": "2", "notes": "index"},
        ],
        source="notes",
    )
    assert [q.number for q in (first, *rest)] == [1, 2, 3]
    assert rest[0].skill == "sql" and rest[0].kind.value == "other"
    assert rest[1].rating == 2 and rest[1].source.value == "notes"
    listed = journal.list_questions(interview_id=round_id)
    assert [q.text for q in listed] == [q.text for q in (first, *rest)]
    assert listed[0].company == "Acme" and not listed[0].mock and listed[0].held_on == DAY
    assert journal.list_questions(skill="sql")[0].id == rest[0].id
    edited = journal.edit_question(rest[1].id, rating=None, subskill="sql.efficiency")
    assert edited.rating is None and edited.subskill == "sql.efficiency"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"text": ""}, "text", "must not be empty"),
        ({"text": "x" * 100_000}, "text", "is 100,000 characters long; the limit is 2,000"),
        ({"text": "Q?", "skill": "cooking"}, "skill", "'cooking' is not a skill area"),
        ({"text": "Q?", "subskill": "sql.cooking"}, "subskill", "is not a sub-skill"),
        ({"text": "Q?", "skill": "statistics", "subskill": "sql.joins_grain"}, "subskill", "not"),
        ({"text": "Q?", "kind": "riddle"}, "kind", "'riddle' is not one of"),
        ({"text": "Q?", "rating": "6"}, "rating", "1"),
        ({"text": "Q?", "competency": "charm"}, "competency", "'charm' is not a competency"),
        ({"text": "Q?", "story": "The missing story"}, "story", "no story is titled"),
    ],
)
def test_a_bad_question_is_refused_on_one_line_and_nothing_is_written(
    journal: Journal, fields: dict[str, str], field: str, message: str
) -> None:
    round_id = mock_interview(journal, "sql", DAY)
    good = {"text": "What is a window function?"}
    with pytest.raises(InvalidInput) as refused:
        journal.add_questions(round_id, [good, fields])
    assert refused.value.field == field and message in refused.value.detail
    assert "\n" not in str(refused.value)
    assert journal.list_questions() == []


def test_questions_go_with_their_round_and_outlive_their_story(journal: Journal) -> None:
    round_id = mock_interview(journal, "behavioral", DAY)
    story = journal.add_story("Churn dispute", competencies="conflict")
    asked = journal.add_question(round_id, "A conflict?", story="churn DISPUTE")
    assert asked.story_id == story.id
    journal.delete_story(story.id)
    assert journal.get_question(asked.id).story_id is None
    journal.delete_interview(round_id)
    assert journal.list_questions() == []
    with pytest.raises(NotFound):
        journal.add_question(round_id, "Too late?")


# -- stories -------------------------------------------------------------------------------------


def test_stories_keep_their_parts_tags_and_a_unique_title(journal: Journal) -> None:
    story = journal.add_story(
        "Churn dispute",
        situation="Sales and product counted churn differently.",
        action="I ran two workshops.",
        competencies="conflict, Influence without authority",
        skills=["product sense"],
    )
    assert story.competencies == ("conflict", "influence")
    assert story.skills == ("product_sense",)
    assert story.missing() == ("task", "result")
    for title in ("churn dispute", "  Churn   Dispute "):
        with pytest.raises(InvalidInput, match="already titled 'Churn dispute'"):
            journal.add_story(title)
    with pytest.raises(InvalidInput, match="'charm' is not a competency"):
        journal.add_story("Other", competencies=["charm"])
    assert [s.title for s in journal.list_stories()] == ["Churn dispute"]
    edited = journal.edit_story("churn dispute", result="One definition, used by both.", skills=[])
    assert edited.missing() == ("task",) and edited.skills == () and edited.competencies
    other = journal.add_story("Pricing test")
    with pytest.raises(InvalidInput, match="already titled"):
        journal.edit_story(other.id, title="CHURN DISPUTE")
    assert journal.get_story(other.id).title == "Pricing test"


# -- practising bank questions -------------------------------------------------------------------


def _accepted_sql_item(journal: Journal) -> int:
    for number, day in enumerate((date(2026, 8, 1), date(2026, 8, 8))):
        round_id = real_interview(journal, f"Co{number}", "sql", day)
        say(
            journal,
            [("Missed the fan-out of the join.", "constructive", "sql")],
            interview_id=round_id,
            on=day,
        )
    plan = ActionPlan(journal)
    item = next(p.item for p in plan.refresh(as_of=DAY).items if p.item.skill == "sql")
    return plan.accept(item.id, as_of=DAY).id


def test_a_practised_bank_question_counts_for_the_plan_item_of_its_area(journal: Journal) -> None:
    plan = ActionPlan(journal)
    alone = plan.practise_question("sql-05", rating=2, on="2026-08-01")
    assert alone.item_id is None and alone.question == "sql-05" and alone.rating == 2
    item_id = _accepted_sql_item(journal)  # takes on the SQL practice done before
    served = plan.practise_question("SQL-6", rating="4", minutes=20)
    assert served.item_id == item_id
    assert [e.question for e in plan.get(item_id).practice] == ["sql-05", "sql-06"]
    assert plan.get(item_id).minutes == 20
    other = plan.practise_question("stat-01")
    assert other.item_id is None
    assert [e.question for e in plan.practice_log()] == ["sql-05", "sql-06", "stat-01"]
    for bad, message in (({"rating": 7}, "rating"), ({"minutes": 5000}, "minutes")):
        with pytest.raises(InvalidInput, match=message):
            plan.practise_question("sql-05", **bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="not a question of the practice bank"):
        plan.practise_question("sql-0")
    assert len(plan.practice_log()) == 3


# -- notebooks, backups, CSV ---------------------------------------------------------------------


def test_the_banks_come_as_notebook_frames(journal: Journal) -> None:
    round_id = real_interview(journal, "Acme", "behavioral", DAY)
    story = journal.add_story("Churn dispute", competencies=["conflict"], skills=["sql"])
    journal.add_question(round_id, "A conflict?", competency="conflict", rating=3, story=story.id)
    questions = journal.questions_frame()
    assert list(questions[["text", "competency", "rating", "story_id", "company"]].iloc[0]) == [
        "A conflict?",
        "conflict",
        3,
        story.id,
        "Acme",
    ]
    assert str(questions["held_on"].dtype).startswith("datetime64")
    stories = journal.stories_frame()
    assert stories.loc[0, "competencies"] == ["conflict"] and stories.loc[0, "skills"] == ["sql"]


def test_the_banks_survive_a_backup_and_go_into_the_csv_export(
    journal: Journal, tmp_path: pytest.TempPathFactory
) -> None:
    from debrief.ingest.backup import dump, export_csv, restore

    round_id = real_interview(journal, "Acme", "behavioral", DAY)
    story = journal.add_story("Churn dispute", result="Done.", competencies=["conflict"])
    journal.add_question(round_id, "A conflict?", competency="conflict", story=story.id)
    ActionPlan(journal).practise_question("beh-01", rating=3, on=DAY)
    data = dump(journal)
    with Journal.open(str(tmp_path / "restored.db")) as restored:  # type: ignore[operator]
        restore(restored, data)
        assert dump(restored)["tables"] == data["tables"]
        assert restored.list_questions()[0].story_id == story.id
    written = export_csv(journal, tmp_path / "csv")  # type: ignore[operator]
    assert written["questions"] == 1 and written["stories"] == 1 and written["story_tags"] == 1
    header = (tmp_path / "csv" / "questions.csv").read_text("utf-8").splitlines()[0]  # type: ignore[operator]
    assert "subskill" in header and "story_id" in header


@pytest.mark.parametrize(
    ("column", "value"), [("subskill", "sql.cooking"), ("skill", "cooking"), ("competency", "x")]
)
def test_a_backup_with_an_unknown_skill_is_refused_whole(
    journal: Journal, tmp_path: pytest.TempPathFactory, column: str, value: str
) -> None:
    from debrief.errors import InvalidImport
    from debrief.ingest.backup import dump, restore

    round_id = real_interview(journal, "Acme", "sql", DAY)
    journal.add_question(round_id, "Joins?", subskill="sql.joins_grain")
    data = dump(journal)
    data["tables"]["questions"][0][column] = value
    with Journal.open(str(tmp_path / "restored.db")) as restored:  # type: ignore[operator]
        with pytest.raises(InvalidImport, match=f"questions row 1.*{column}"):
            restore(restored, data)
        assert restored.summary().applications == 0


def test_a_question_s_sub_skill_follows_its_area_when_the_area_changes(journal: Journal) -> None:
    round_id = mock_interview(journal, "statistics", DAY)
    asked = journal.add_question(round_id, "Interval for a mean?", subskill="statistics.intervals")
    assert journal.edit_question(asked.id, skill="statistics").subskill == "statistics.intervals"
    moved = journal.edit_question(asked.id, skill="sql")
    assert (moved.skill, moved.subskill) == ("sql", None)
    again = journal.edit_question(asked.id, subskill="statistics.intervals")
    cleared = journal.edit_question(asked.id, skill=None)
    assert again.skill == "statistics" and (cleared.skill, cleared.subskill) == (None, None)


def test_a_title_that_folds_long_or_reads_as_a_number_is_handled(journal: Journal) -> None:
    long = journal.add_story("ß" * 200)  # folds to 400 characters
    with pytest.raises(InvalidInput, match="already titled"):
        journal.add_story("\u1e9e" * 200)  # capital sharp s: the same title folded
    assert journal.find_story("ss" * 200) == long
    for title in ("12", "#7"):
        with pytest.raises(InvalidInput, match="would read as a story's number"):
            journal.add_story(title)
