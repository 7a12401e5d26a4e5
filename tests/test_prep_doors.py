"""Issue 18 through its doors: the CLI, the web app and the partner's form (link and file)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from debrief.journal import Journal
from debrief.partner import create_invite, submit
from debrief.partner.offline import import_answers
from debrief.web import create_app
from tests.conftest import CliDriver
from tests.test_partner import answers_file
from tests.test_web import post_form
from tests.themes_helpers import real_interview, say

# -- the CLI -------------------------------------------------------------------------------------


def test_questions_and_stories_from_the_command_line(cli: CliDriver) -> None:
    cli.ok("app", "add", "Acme", "Data Scientist", "--applied", "2026-08-01")
    cli.ok("interview", "add", "--app", "1", "--kind", "behavioral", "--date", "2026-08-05")
    added = cli.ok(
        "stories",
        "add",
        "Churn dispute",
        "--situation",
        "Two teams.",
        "--competency",
        "conflict,influence",
        "--skill",
        "product_sense",
    )
    assert "Added story #1: Churn dispute; it has no task, action, result yet." in added.output
    told = cli.ok(
        "questions",
        "add",
        "1",
        "Tell me about a time you disagreed with a PM",
        "--rating",
        "3",
        "--story",
        "churn dispute",
    )
    assert "behavioral" in told.output and "competency: conflict" in told.output
    notes = "Q1: Write a query for the top 3 products per category (2/5)\n - forgot ties\n"
    dry = cli.ok("questions", "paste", "1", "--dry-run", input=notes)
    assert "Would record (dry run)" in dry.output and "forgot ties" in dry.output
    assert len(cli.json("questions", "list")) == 1
    pasted = cli.ok("questions", "paste", "1", input=notes + "Q2: Why us?\nstory: Nowhere\n")
    assert "Recorded 2 questions of interview #1" in pasted.output
    assert "No story is titled 'Nowhere'" in pasted.output
    again = cli.json("questions", "paste", "1", input=notes)
    assert again == {"recorded": [], "already_recorded": 1, "unknown_stories": []}
    cli.ok("questions", "rm", "3", "--yes")
    listed = cli.json("questions", "list")
    assert [q["rating"] for q in listed] == [3, 2]  # type: ignore[index]
    assert listed[1]["kind"] == "coding" and listed[1]["source"] == "notes"  # type: ignore[index]
    cli.ok("questions", "edit", "2", "--subskill", "sql.window_functions", "--rating", "")
    assert cli.json("questions", "show", "2")["rating"] is None  # type: ignore[index]
    practised = cli.ok("questions", "practise", "sql-03", "--rating", "4", "--minutes", "20")
    assert "Logged practice of sql-03" in practised.output
    shown = cli.ok("questions", "show", "sql-3")
    assert "A strong answer covers" in shown.output and "(4/5)" in shown.output
    bank = cli.json("questions", "bank", "--skill", "sql", "--kind", "coding")
    assert bank and all(q["skill"] == "sql" for q in bank)  # type: ignore[union-attr]
    assert "sql.joins_grain" in cli.ok("questions", "bank", "--areas").output
    story = cli.ok("stories", "show", "1")
    assert "Told in" in story.output and "missing" in story.output
    overview = cli.ok("stories")
    assert "Churn dispute" in overview.output
    cli.ok("stories", "tell", "1", "1", "--question", "Another conflict, with an engineer?")
    assert cli.json("questions", "list", "--story", "1")[-1]["story_id"] == 1  # type: ignore[index]
    cli.ok("questions", "rm", "4", "--yes")
    cli.ok("stories", "rm", "1", "--yes")
    assert cli.json("questions", "list")[0]["story_id"] is None  # type: ignore[index]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("questions", "add", "1", ""), "must not be empty"),
        (("questions", "add", "1", "x" * 100_000), "is 100,000 characters long"),
        (("questions", "add", "1", "Joins?", "--skill", "cooking"), "'cooking' is not a skill"),
        (("questions", "add", "1", "Joins?", "--subskill", "sql.nope"), "is not a sub-skill"),
        (("questions", "add", "9", "Joins?"), "no interview with id 9"),
        (("questions", "practise", "sql-999"), "not a question of the practice bank"),
        (("stories", "add", "CHURN dispute"), "already titled 'Churn dispute'"),
        (("stories", "add", "New", "--competency", "charm"), "'charm' is not a competency"),
        (("stories", "add", "New", "--skill", "cooking"), "'cooking' is not a skill area"),
        (("questions", "paste", "1"), "no question found"),
        (("questions", "paste", "1", "-"), "longer than 100,000 characters"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    cli: CliDriver, args: tuple[str, ...], message: str
) -> None:
    cli.ok("interview", "add", "--mock", "--kind", "sql")
    cli.ok("stories", "add", "Churn dispute")
    given = "Q: " + "x" * 100_000 + "\nQ: Joins?" if args[-1] == "-" else "no questions in here\n"
    result = cli(*args, input=given)
    assert result.exit_code != 0
    assert message in result.output, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert cli.json("questions", "list") == []
    assert len(cli.json("stories")["stories"]) == 1  # type: ignore[index]


def test_themes_show_and_the_plan_show_the_coverage_of_a_weakness(cli: CliDriver) -> None:
    with Journal.open(str(cli.db_path)) as journal:
        for company, day in (("Acme", date(2026, 8, 1)), ("Beta", date(2026, 8, 10))):
            round_id = real_interview(journal, company, "sql", day)
            say(
                journal,
                [("The join double-counted revenue.", "constructive", "sql")],
                interview_id=round_id,
                on=day,
            )
            journal.add_question(round_id, "Revenue per user?", skill="sql", rating=2)
    shown = cli.ok("themes", "show", "sql")
    assert (
        "Questions on it" in shown.output and "2 in real rounds, 0 in mock rounds" in shown.output
    )
    assert "Coverage of your recurring weaknesses" in cli.ok("plan").output
    proposed = cli.ok("questions", "--kind", "sql", "--count", "3")
    assert "sql-" in proposed.output and "Revenue per user?" in proposed.output


# -- the web app ---------------------------------------------------------------------------------


@pytest.fixture
def client(journal: Journal) -> Iterator[TestClient]:
    with TestClient(create_app(journal)) as test_client:
        test_client.get("/")
        yield test_client


def test_questions_are_added_pasted_edited_and_deleted_on_the_round_s_page(
    client: TestClient, journal: Journal
) -> None:
    round_id = real_interview(journal, "Acme", "product_case", date(2026, 8, 1))
    story = journal.add_story("Churn dispute", competencies=["conflict"])
    page = client.get(f"/interviews/{round_id}").text
    assert "No questions recorded for this round yet." in page and "Churn dispute" in page
    added = post_form(
        client,
        f"/interviews/{round_id}/questions",
        text="How would you measure the new wishlist?",
        rating="2",
    )
    assert added.status_code == 303  # type: ignore[attr-defined]
    [question] = journal.list_questions()
    assert question.kind.value == "case" and question.rating == 2
    empty = post_form(client, f"/interviews/{round_id}/questions", text="  ", rating="2")
    assert empty.status_code == 422 and "must not be empty" in empty.text  # type: ignore[attr-defined]
    notes = "Q: Tell me about a conflict with a PM\nstory: churn dispute\n4/5\nQ: Size the market?"
    preview = post_form(client, f"/interviews/{round_id}/questions/paste", notes=notes)
    assert preview.status_code == 200 and "2 new questions read from your notes" in preview.text  # type: ignore[attr-defined]
    assert len(journal.list_questions()) == 1
    recorded = post_form(
        client, f"/interviews/{round_id}/questions/paste", notes=notes, record="yes"
    )
    assert recorded.status_code == 303  # type: ignore[attr-defined]
    told = journal.list_questions()[1]
    assert told.story_id == story.id and told.rating == 4 and told.source.value == "notes"
    twice = post_form(
        client,
        f"/interviews/{round_id}/questions/paste",
        notes=notes + "\nQ: Why this team?\nstory: Nowhere",
    )
    assert "1 new question read" in twice.text and "2 questions are already recorded" in twice.text  # type: ignore[attr-defined]
    assert "No story is titled “Nowhere”" in twice.text  # type: ignore[attr-defined]
    nothing = post_form(client, f"/interviews/{round_id}/questions/paste", notes="just words")
    assert nothing.status_code == 422 and "no question found" in nothing.text  # type: ignore[attr-defined]
    form = client.get(f"/questions/{told.id}/edit").text
    assert 'value="conflict" selected' in form
    edited = post_form(
        client,
        f"/questions/{told.id}/edit",
        text=told.text,
        kind="behavioral",
        skill="sql",
        subskill="behavioral.collaboration",
        rating="5",
        competency="conflict",
        story=str(story.id),
    )
    assert edited.status_code == 303  # type: ignore[attr-defined]
    assert journal.get_question(told.id).subskill == "behavioral.collaboration"
    bad = post_form(client, f"/questions/{told.id}/edit", text="", kind="behavioral")
    assert bad.status_code == 422 and "must not be empty" in bad.text  # type: ignore[attr-defined]
    post_form(client, f"/questions/{told.id}/delete")
    assert [q.text for q in journal.list_questions()] == [question.text, "Size the market?"]
    refused = client.post(f"/interviews/{round_id}/questions", data={"text": "No token?"})
    assert refused.status_code == 403


def test_the_questions_page_proposes_and_logs_practice(
    client: TestClient, journal: Journal
) -> None:
    for company, day in (("Acme", date(2026, 8, 1)), ("Beta", date(2026, 8, 10))):
        round_id = real_interview(journal, company, "sql", day)
        say(
            journal,
            [("The join double-counted revenue.", "constructive", "sql")],
            interview_id=round_id,
            on=day,
        )
    page = client.get("/questions?kind=sql").text
    assert "Questions to practise" in page and "What a strong answer covers" in page
    first = page.split('class="bank-id">')[1].split("<")[0]
    logged = post_form(
        client,
        "/questions/practise",
        question=first,
        rating="3",
        minutes="15",
        on="2026-08-20",
        next="/questions?kind=sql",
    )
    assert logged.status_code == 303  # type: ignore[attr-defined]
    assert logged.headers["location"] == "/questions?kind=sql"  # type: ignore[attr-defined]
    from debrief.plan import ActionPlan

    [entry] = ActionPlan(journal).practice_log()
    assert entry.question == first and entry.rating == 3 and entry.minutes == 15
    assert entry.done_on == date(2026, 8, 20)
    bad = post_form(client, "/questions/practise", question="nope-1")
    assert bad.status_code == 422  # type: ignore[attr-defined]
    bank = client.get("/questions/bank?skill=sql&kind=coding&search=join").text
    assert "sql-" in bank and "questions" in bank
    assert client.get("/questions/bank?skill=cooking").status_code == 422
    assert client.get("/questions?kind=riddle").status_code == 422


def test_stories_are_added_edited_and_deleted_in_the_browser(
    client: TestClient, journal: Journal
) -> None:
    added = post_form(
        client,
        "/stories",
        title="Churn dispute",
        situation="Two teams.",
        competency_conflict="on",
        skill_product_sense="on",
    )
    assert added.status_code == 303  # type: ignore[attr-defined]
    [story] = journal.list_stories()
    assert story.competencies == ("conflict",) and story.skills == ("product_sense",)
    again = post_form(client, "/stories", title="churn DISPUTE", situation="Kept as typed")
    assert again.status_code == 422 and "already titled" in again.text  # type: ignore[attr-defined]
    assert "Kept as typed" in again.text and len(journal.list_stories()) == 1  # type: ignore[attr-defined]
    page = client.get(f"/stories/{story.id}").text
    assert "missing" in page and "Not told in a round yet" in page
    post_form(
        client,
        f"/stories/{story.id}/edit",
        title="Churn dispute",
        result="One metric.",
        competency_influence="on",
    )
    edited = journal.get_story(story.id)
    assert edited.result == "One metric." and edited.competencies == ("influence",)
    overview = client.get("/stories").text
    assert "Churn dispute" in overview and "Gaps" in overview
    post_form(client, f"/stories/{story.id}/delete")
    assert journal.list_stories() == []


# -- the partner's form --------------------------------------------------------------------------


def test_the_partner_lists_the_questions_they_asked(journal: Journal) -> None:
    mock = journal.add_interview("sql", held_on=date(2026, 8, 1))
    invite = create_invite(journal, mock.id)
    submit(
        journal,
        invite.token,
        {
            "scores": {"sql": "3"},
            "asked": "1. Top 3 products per category?\n- Why did the join double the rows?\n\n"
            "Q3: Q-learning or SARSA?",
        },
    )
    asked = journal.list_questions(interview_id=mock.id)
    assert [q.text for q in asked] == [
        "Top 3 products per category?",
        "Why did the join double the rows?",
        "Q-learning or SARSA?",
    ]
    assert {q.source.value for q in asked} == {"partner"} and asked[0].skill == "sql"
    other = create_invite(journal, journal.add_interview("sql").id)
    from debrief.errors import InvalidInput

    with pytest.raises(InvalidInput, match="at most 30"):
        submit(journal, other.token, {"scores": {"sql": "3"}, "asked": "Q?\n" * 31})
    with pytest.raises(InvalidInput, match="longer than 2,000"):
        submit(journal, other.token, {"scores": {"sql": "3"}, "asked": "x" * 2_001})
    assert len(journal.list_questions()) == 3 and len(journal.list_feedback()) == 1


def test_the_offline_form_carries_the_questions_asked(journal: Journal) -> None:
    mock = journal.add_interview("statistics")
    invite = create_invite(journal, mock.id)
    answers = {"scores": {"statistics": 2}, "asked": "What does a p-value mean?"}
    import_answers(journal, answers_file(invite.id, invite.token, answers), file="a.json")
    assert [q.text for q in journal.list_questions()] == ["What does a p-value mean?"]


def test_the_partner_page_asks_for_the_questions(client: TestClient, journal: Journal) -> None:
    mock = journal.add_interview("sql")
    invite = create_invite(journal, mock.id)
    page = client.get(f"/partner/{invite.token}").text
    assert 'name="asked"' in page
    sent = post_form(client, f"/partner/{invite.token}", score_sql="4", asked="Rank within groups?")
    assert sent.status_code == 200  # type: ignore[attr-defined]
    assert [q.text for q in journal.list_questions()] == ["Rank within groups?"]


def test_the_groups_take_the_journal_after_their_name(cli: CliDriver) -> None:
    from debrief.cli import main

    cli.ok("stories", "add", "Churn dispute")
    for group in ("stories", "questions"):
        result = cli.runner.invoke(main, [group, "--db", str(cli.db_path)])
        assert result.exit_code == 0, result.output
    assert "Churn dispute" in cli.runner.invoke(main, ["stories", "--db", str(cli.db_path)]).output
