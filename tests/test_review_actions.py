"""Review in a few actions, by hand: split a statement, merge two, set a statement's skill areas,
and edit a piece of feedback's text (re-triaged, the user's labels kept where their text still
is), through the journal, the command line, the pages and the JSON API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from debrief.errors import ChangedMeanwhile, InvalidInput, NotFound
from debrief.journal import Journal
from debrief.model import MAX_FEEDBACK, Statement
from debrief.triage.classify import Triage
from debrief.web import create_app
from debrief.web.security import CSRF_COOKIE
from tests.conftest import CliDriver
from tests.test_triage_backends import Interfering, LockProbe

MIXED = "Your SQL was clean but your joins were wrong."


def said(text: str, label: str = "constructive", skills: tuple[str, ...] = ("sql",)) -> Triage:
    """A verdict written by hand, so the statements a test starts from do not depend on how
    the current model segments and labels."""
    return Triage(
        text, label, skills if label in ("constructive", "strength") else (), 0.9, "", "model"
    )


def feedback_of(journal: Journal, *verdicts: Triage) -> list[Statement]:
    """A piece of feedback made of these statements, one a line; its statements."""
    item = journal.add_feedback("\n".join(v.text for v in verdicts), triaged=list(verdicts))
    return journal.list_statements(feedback_id=item.id)


def shape(journal: Journal, feedback_id: int) -> list[tuple[int, int, str]]:
    return [(s.id, s.position, s.text) for s in journal.list_statements(feedback_id=feedback_id)]


# -- split ---------------------------------------------------------------------------------------


def test_a_split_replaces_the_statement_in_place(journal: Journal) -> None:
    first, mixed, middle, last = feedback_of(
        journal,
        said("Great communication."),
        said(MIXED),
        said("You rushed the ending."),
        said("Thanks!", "noise"),
    )
    left, right = journal.split_statement(mixed.id, "but your joins")
    assert (left.text, right.text) == ("Your SQL was clean", "but your joins were wrong.")
    assert shape(journal, mixed.feedback_id) == [  # the ones after it move down, in order
        (first.id, 1, first.text),
        (left.id, 2, left.text),
        (right.id, 3, right.text),
        (middle.id, 4, middle.text),
        (last.id, 5, last.text),
    ]
    with pytest.raises(NotFound):
        journal.get_statement(mixed.id)
    for part in (left, right):  # labelled by triage, not copied from the whole
        assert part.origin != "user" and part.explanation and part.model_version
    assert right.label == "constructive"


def test_the_split_point_is_the_first_place_inside_the_statement(journal: Journal) -> None:
    [statement] = feedback_of(journal, said("SQL was fine, SQL joins were not."))
    left, right = journal.split_statement(statement.id, "SQL")  # not at the very start
    assert (left.text, right.text) == ("SQL was fine,", "SQL joins were not.")


@pytest.mark.parametrize(
    ("at", "why"),
    [
        ("nowhere", "does not occur inside"),
        ("Your SQL", "does not occur inside"),  # where the statement starts: no first part
        ("BUT YOUR", "does not occur inside"),  # case matters
        ("   ", "give the words"),
    ],
)
def test_a_split_point_not_inside_the_statement_is_refused(
    journal: Journal, at: str, why: str
) -> None:
    [statement] = feedback_of(journal, said(MIXED))
    with pytest.raises(InvalidInput, match=why) as refused:
        journal.split_statement(statement.id, at)
    assert refused.value.field == "at"
    assert journal.list_statements(feedback_id=statement.feedback_id) == [statement]
    with pytest.raises(NotFound):
        journal.split_statement(statement.id + 100, "but")


def test_splitting_a_statement_of_the_users_sends_its_parts_back_for_review(
    journal: Journal,
) -> None:
    [statement] = feedback_of(journal, said(MIXED))
    journal.label_statement(statement.id, "constructive", ["sql"])
    assert journal.review_queue()[0] == 0
    parts = journal.split_statement(statement.id, "but")
    assert all(p.origin != "user" for p in parts)
    total, [(_, waiting)] = journal.review_queue()
    assert total == 1 and [s.id for s in waiting] == [p.id for p in parts]
    # The parts are triaged afresh: the statement they came from teaches nothing now.
    assert all("like statement" not in p.explanation for p in parts)


# -- merge ---------------------------------------------------------------------------------------


def test_merging_puts_the_split_back_together(journal: Journal) -> None:
    first, mixed, last = feedback_of(
        journal, said("Great communication.", "strength"), said(MIXED), said("Thanks!", "noise")
    )
    left, right = journal.split_statement(mixed.id, "but")
    merged = journal.merge_statements(right.id, left.id)  # either order: joined as they stand
    assert merged.text == MIXED and merged.origin != "user"
    assert shape(journal, mixed.feedback_id) == [
        (first.id, 1, first.text),
        (merged.id, 2, MIXED),
        (last.id, 3, last.text),
    ]
    joined = journal.merge_statements(merged.id, last.id)
    assert joined.text == f"{MIXED} Thanks!" and joined.position == 2


def test_only_adjacent_statements_of_one_feedback_merge(journal: Journal) -> None:
    a, _, c = feedback_of(journal, said("One."), said("Two."), said("Three."))
    [other] = feedback_of(journal, said("Elsewhere."))
    with pytest.raises(InvalidInput, match="not next to each other") as refused:
        journal.merge_statements(a.id, c.id)
    assert refused.value.field == "second_id"
    with pytest.raises(InvalidInput, match="one piece of feedback"):
        journal.merge_statements(c.id, other.id)
    with pytest.raises(InvalidInput, match="itself"):
        journal.merge_statements(a.id, a.id)
    with pytest.raises(NotFound):
        journal.merge_statements(a.id, 999)
    with pytest.raises(NotFound):
        journal.merge_statements(999, a.id)
    assert [s.text for s in journal.list_statements(feedback_id=a.feedback_id)] == [
        "One.",
        "Two.",
        "Three.",
    ]


# -- skill areas ---------------------------------------------------------------------------------


def test_setting_skill_areas_keeps_the_label_and_makes_it_the_users(journal: Journal) -> None:
    constructive, noise = feedback_of(journal, said(MIXED), said("Thanks!", "noise"))
    changed = journal.set_statement_skills(constructive.id, ["Problem solving", "sql", "sql"])
    assert changed.label == "constructive" and set(changed.skills) == {"problem_solving", "sql"}
    assert changed.origin == "user" and changed.model_label == "constructive"
    assert changed.explanation == "constructive: skill areas set by you"
    assert journal.set_statement_skills(constructive.id, "coding").skills == ("coding",)

    with pytest.raises(InvalidInput, match="only constructive and strength") as refused:
        journal.set_statement_skills(noise.id, ["sql"])
    assert refused.value.field == "skills"
    with pytest.raises(InvalidInput, match="at least one"):
        journal.set_statement_skills(constructive.id, [])
    with pytest.raises(InvalidInput, match="not a skill area"):
        journal.set_statement_skills(constructive.id, ["karaoke"])
    with pytest.raises(NotFound):
        journal.set_statement_skills(999, ["sql"])
    assert journal.get_statement(noise.id).origin == "model"
    assert journal.get_statement(constructive.id).skills == ("coding",)


# -- editing the text ----------------------------------------------------------------------------


def test_an_edit_keeps_the_users_labels_whose_text_is_still_there(journal: Journal) -> None:
    joins, office, great = feedback_of(
        journal,
        said("Your SQL joins were wrong."),
        said("The office was nice.", "noise"),
        said("Great communication.", "strength", ("communication",)),
    )
    kept = journal.label_statement(joins.id, "strength", ["coding"])  # odd, but the user's
    journal.label_statement(office.id, "circumstance")
    done = journal.edit_feedback_text(
        joins.feedback_id,
        "your  SQL joins were WRONG.\nYou rushed the ending.\nThe recruiter was lovely.",
    )
    assert done.feedback.text.startswith("your  SQL joins were WRONG.\n")
    assert journal.get_feedback(joins.feedback_id).text == done.feedback.text
    mine, *fresh = done.statements
    assert (mine.id, mine.label, mine.skills, mine.explanation, mine.origin) == (
        kept.id,
        "strength",
        ("coding",),
        kept.explanation,
        "user",
    )
    assert mine.text == "your SQL joins were WRONG."  # the wording the feedback has now
    assert [s.position for s in done.statements] == [1, 2, 3]
    assert [s.text for s in fresh] == ["You rushed the ending.", "The recruiter was lovely."]
    assert all(s.origin != "user" for s in fresh)
    assert (done.kept, done.new, done.dropped, done.labels_dropped) == (1, 2, 2, 1)
    for gone in (office, great):
        with pytest.raises(NotFound):
            journal.get_statement(gone.id)
    assert journal.list_statements(feedback_id=joins.feedback_id) == list(done.statements)


def test_an_edit_may_reorder_the_users_statements(journal: Journal) -> None:
    one, two = feedback_of(journal, said("Your SQL joins were wrong."), said("You rushed it."))
    for statement in (one, two):
        journal.confirm_statement(statement.id)
    done = journal.edit_feedback_text(one.feedback_id, "You rushed it.\nYour SQL joins were wrong.")
    assert [(s.id, s.position) for s in done.statements] == [(two.id, 1), (one.id, 2)]
    assert (done.kept, done.new, done.dropped) == (2, 0, 0)
    assert shape(journal, one.feedback_id) == [(two.id, 1, two.text), (one.id, 2, one.text)]


def test_an_edit_is_checked_like_new_feedback(journal: Journal) -> None:
    [statement] = feedback_of(journal, said(MIXED))
    for text, why in (("   ", "must not be empty"), ("x" * (MAX_FEEDBACK + 1), "the limit")):
        with pytest.raises(InvalidInput, match=why) as refused:
            journal.edit_feedback_text(statement.feedback_id, text)
        assert refused.value.field == "feedback text"
    with pytest.raises(NotFound):
        journal.edit_feedback_text(999, "Your SQL was slow.")
    assert journal.get_feedback(statement.feedback_id).text == MIXED
    assert journal.list_statements(feedback_id=statement.feedback_id) == [statement]


# -- triage outside the write, and a change in between -------------------------------------------


def test_review_actions_triage_before_they_write(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    probe = LockProbe(path)
    with Journal.open(str(path), triage_backend=probe) as journal:
        probe.journal = journal
        [statement] = feedback_of(journal, said(MIXED))
        probe.free.clear()
        left, right = journal.split_statement(statement.id, "but")
        journal.merge_statements(left.id, right.id)
        journal.edit_feedback_text(statement.feedback_id, "Your SQL was slow.\nThanks!")
        assert len(probe.free) >= 3 and all(probe.free), probe.free


class Editor(Interfering):
    """Someone edits the feedback's text while triage runs."""

    def meddle(self, other: Journal) -> None:
        [item] = other.list_feedback()
        other.edit_feedback_text(item.id, "Someone else's words. Your SQL was slow.")


def test_nothing_is_written_when_the_feedback_changed_while_triage_ran(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    editor = Editor(path)
    with Journal.open(str(path), triage_backend=editor) as journal:
        [statement] = feedback_of(journal, said(MIXED))
        editor.armed = True
        with pytest.raises(ChangedMeanwhile, match="try again"):
            journal.split_statement(statement.id, "but")
        after = journal.list_statements(feedback_id=statement.feedback_id)
        assert [s.text for s in after] == ["Someone else's words.", "Your SQL was slow."]
        editor.armed = True
        with pytest.raises(ChangedMeanwhile):
            journal.edit_feedback_text(statement.feedback_id, "Mine.")
        theirs = "Someone else's words. Your SQL was slow."
        assert journal.get_feedback(statement.feedback_id).text == theirs


# -- the command line ----------------------------------------------------------------------------


def statement_ids(cli: CliDriver, feedback_id: int = 1) -> list[int]:
    shown = cli.json("feedback", "show", str(feedback_id))
    return [s["id"] for s in shown["statements"]]  # type: ignore[index]


def test_split_merge_and_skills_on_the_command_line(cli: CliDriver) -> None:
    cli.ok("feedback", "add", "--text", "Great communication.\nThe office was nice.")
    first, office = statement_ids(cli)
    split = cli.ok("feedback", "split", str(first), "--at", "communication")
    assert f"Split statement #{first} into #" in split.stdout
    assert "Great" in split.stdout and "communication." in split.stdout  # the parts' table
    left, right, office_id = statement_ids(cli)
    assert office_id == office

    bad = cli("feedback", "split", str(left), "--at", "nowhere")
    assert bad.exit_code == 2 and "Error: invalid '--at'" in bad.stderr
    assert "does not occur" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    assert cli("feedback", "split", "99", "--at", "x").exit_code == 1  # no such statement

    apart = cli("feedback", "merge", str(left), str(office))
    assert apart.exit_code == 2 and "not next to each other" in apart.stderr
    merged = cli.json("feedback", "merge", str(left), str(right))
    assert merged[0]["text"] == "Great communication."  # type: ignore[index]
    merged_id = merged[0]["id"]  # type: ignore[index]

    skills = cli.ok("feedback", "skills", str(merged_id), "communication", "problem solving")
    assert "is now about communication, problem solving" in skills.stdout
    shown = cli.json("feedback", "skills", str(merged_id), "sql,coding")
    assert shown[0]["skills"] == ["sql", "coding"] and shown[0]["origin"] == "user"  # type: ignore[index]
    noise = cli("feedback", "skills", str(office), "sql")
    assert noise.exit_code == 2 and "only constructive and strength" in noise.stderr
    unknown = cli("feedback", "skills", str(merged_id), "karaoke")
    assert unknown.exit_code == 2 and "not a skill area" in unknown.stderr
    assert cli("feedback", "skills", str(merged_id)).exit_code == 2  # at least one AREA


def test_edit_feedback_text_on_the_command_line(cli: CliDriver, tmp_path: Path) -> None:
    cli.ok("feedback", "add", "--text", "Your SQL joins were wrong.\nThe office was nice.")
    joins, _ = statement_ids(cli)
    cli.ok("feedback", "label", str(joins), "constructive", "--skills", "sql")

    edited = cli.ok("feedback", "edit", "1", "--text", "Your SQL joins were wrong.\nYou rushed.")
    assert "Edited feedback #1" in edited.stdout and "1 labelled by you kept" in edited.stdout
    assert "You rushed." in edited.stdout  # the statements' table
    assert statement_ids(cli)[0] == joins

    corrected = tmp_path / "corrected.txt"
    corrected.write_text("You rushed the ending.\n", "utf-8")
    done = json.loads(cli.ok("feedback", "edit", "1", "--file", str(corrected), "--json").stdout)
    assert (done["kept"], done["new"], done["dropped"], done["labels_dropped"]) == (0, 1, 2, 1)
    assert done["feedback"]["text"] == "You rushed the ending."
    piped = cli.ok("feedback", "edit", "1", "--file", "-", input="Your SQL was slow.\n")
    assert "0 labelled by you kept, 1 new, 1 replaced" in piped.stdout
    stdin = cli.ok("feedback", "edit", "1", input="Great structure.\n")
    assert "Great structure." in stdin.stdout

    empty = cli("feedback", "edit", "1", "--text", "  ")
    assert empty.exit_code == 1 and "feedback text: must not be empty" in empty.stderr
    both = cli("feedback", "edit", "1", "--text", "x", "--file", str(corrected))
    assert both.exit_code == 2 and "not both" in both.stderr
    assert cli("feedback", "edit", "7", "--text", "x").exit_code == 1
    assert cli.json("feedback", "show", "1")["text"] == "Great structure."  # type: ignore[index]


# -- the pages and the JSON API ------------------------------------------------------------------


@pytest.fixture
def client(journal: Journal) -> Iterator[TestClient]:
    with TestClient(create_app(journal)) as test_client:
        test_client.get("/")  # sets the CSRF cookie
        yield test_client


def send(client: TestClient, url: str, **fields: str) -> object:
    token = client.cookies.get(CSRF_COOKIE)
    assert token
    return client.post(url, data={"csrf_token": token, **fields}, follow_redirects=False)


def row_of(page: str, statement_id: int) -> str:
    """The markup of one statement's row."""
    start = page.index(f'id="statement-{statement_id}"')
    return page[start : page.index("</li>", start)]


def test_the_inbox_and_feedback_page_offer_the_review_actions(
    client: TestClient, journal: Journal
) -> None:
    strength, mixed, noise = feedback_of(
        journal,
        said("Great communication.", "strength", ("communication",)),
        said(MIXED),
        said("Thanks!", "noise"),
    )
    for path in ("/inbox", f"/feedback/{mixed.feedback_id}"):
        page = client.get(path).text
        for statement in (strength, mixed, noise):
            row = row_of(page, statement.id)
            assert f'action="/statements/{statement.id}/split"' in row
            assert 'placeholder="split before…"' in row
            assert ("Merge with next" in row) == (statement is not noise)  # not on the last
            assert ('name="skill_sql"' in row) == (statement is not noise)
        assert f'name="with" value="{mixed.id}"' in row_of(page, strength.id)
        assert 'name="skill_communication" checked' in row_of(page, strength.id)
    assert "Edit text" in page and f'action="/feedback/{mixed.feedback_id}/text"' in page
    assert "Edit text" not in client.get("/inbox").text


def test_split_merge_and_skills_through_the_forms(client: TestClient, journal: Journal) -> None:
    first, mixed, thanks = feedback_of(
        journal, said("Great communication.", "strength"), said(MIXED), said("Thanks!", "noise")
    )
    back = f"/feedback/{mixed.feedback_id}"
    done = send(client, f"/statements/{mixed.id}/split", at=" but your joins ", next=back)
    assert done.status_code == 303  # type: ignore[attr-defined]
    left, right = journal.list_statements(feedback_id=mixed.feedback_id)[1:3]
    assert done.headers["location"] == f"{back}#statement-{left.id}"  # type: ignore[attr-defined]
    assert right.text == "but your joins were wrong."

    refused = send(
        client, f"/statements/{left.id}/split", at="<b>nowhere</b>", next="/inbox?page=1"
    )
    assert refused.status_code == 422  # type: ignore[attr-defined]
    page = refused.text  # type: ignore[attr-defined]
    assert "Feedback inbox" in page and "does not occur inside" in page
    assert 'value="&lt;b&gt;nowhere&lt;/b&gt;"' in row_of(page, left.id)  # kept, escaped
    assert "<b>nowhere" not in page

    merged = send(client, f"/statements/{left.id}/merge", next=back, **{"with": str(right.id)})
    assert merged.status_code == 303  # type: ignore[attr-defined]
    assert [s.text for s in journal.list_statements(feedback_id=mixed.feedback_id)][1] == MIXED
    apart = send(client, f"/statements/{first.id}/merge", next=back, **{"with": str(thanks.id)})
    assert apart.status_code == 422 and "not next to each other" in apart.text  # type: ignore[attr-defined]
    assert "Edit text" in apart.text  # type: ignore[attr-defined]  # the feedback page, again

    areas = send(
        client, f"/statements/{first.id}/skills", skill_sql="on", skill_coding="on", next=back
    )
    assert areas.status_code == 303  # type: ignore[attr-defined]
    assert journal.get_statement(first.id).skills == ("sql", "coding")
    assert journal.get_statement(first.id).origin == "user"
    none = send(client, f"/statements/{first.id}/skills", next=back)
    assert none.status_code == 422 and "at least one skill area" in none.text  # type: ignore[attr-defined]
    assert '<details class="skills-edit" open>' in row_of(none.text, first.id)  # type: ignore[attr-defined]

    forged = client.post(f"/statements/{first.id}/split", data={"at": "communication"})
    assert forged.status_code == 403


def test_edit_the_text_from_the_feedback_page(client: TestClient, journal: Journal) -> None:
    joins, office = feedback_of(
        journal, said("Your SQL joins were wrong."), said("The office was nice.", "noise")
    )
    journal.label_statement(joins.id, "constructive", ["sql"])
    url = f"/feedback/{joins.feedback_id}/text"
    typed = "Your SQL joins were wrong. <script>alert(1)</script>\n" + "x" * MAX_FEEDBACK
    oversized = send(client, url, text=typed)
    assert oversized.status_code == 422  # type: ignore[attr-defined]
    assert "the limit is 100,000" in oversized.text  # type: ignore[attr-defined]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in oversized.text  # type: ignore[attr-defined]
    assert '<details class="edit-text" id="edit-text" open>' in oversized.text  # type: ignore[attr-defined]
    assert send(client, url, text=" ").status_code == 422  # type: ignore[attr-defined]

    saved = send(client, url, text="Your SQL joins were wrong.\nYou rushed the ending.")
    assert saved.status_code == 303  # type: ignore[attr-defined]
    assert saved.headers["location"] == f"/feedback/{joins.feedback_id}"  # type: ignore[attr-defined]
    mine, fresh = journal.list_statements(feedback_id=joins.feedback_id)
    assert mine.id == joins.id and mine.origin == "user" and fresh.text == "You rushed the ending."
    assert office.id != fresh.id
    assert "You rushed the ending." in client.get(f"/feedback/{joins.feedback_id}").text


def test_the_review_actions_in_the_json_api(client: TestClient, journal: Journal) -> None:
    first, mixed, noise = feedback_of(
        journal, said("Great communication.", "strength"), said(MIXED), said("Thanks!", "noise")
    )
    parts = client.post(f"/api/statements/{mixed.id}/split", json={"at": "but"})
    assert parts.status_code == 200 and [p["position"] for p in parts.json()] == [2, 3]
    bad = client.post(f"/api/statements/{first.id}/split", json={"at": "nowhere"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "at"]
    left, right = (p["id"] for p in parts.json())
    merged = client.post("/api/statements/merge", json={"first_id": left, "second_id": right})
    assert merged.status_code == 200 and merged.json()["text"] == MIXED
    apart = client.post("/api/statements/merge", json={"first_id": first.id, "second_id": noise.id})
    assert apart.status_code == 422
    assert (
        client.post("/api/statements/merge", json={"first_id": 1, "second_id": 999}).status_code
        == 404
    )

    areas = client.post(f"/api/statements/{first.id}/skills", json={"skills": ["sql"]})
    assert areas.status_code == 200 and areas.json()["skills"] == ["sql"]
    assert (
        client.post(f"/api/statements/{noise.id}/skills", json={"skills": ["sql"]}).status_code
        == 422
    )
    assert client.post(f"/api/statements/{first.id}/skills", json={"skills": []}).status_code == 422

    edited = client.patch(
        f"/api/feedback/{first.feedback_id}", json={"text": "Great communication.\nThanks!"}
    )
    body = edited.json()
    assert edited.status_code == 200 and (body["kept"], body["labels_dropped"]) == (1, 0)
    assert body["statements"][0]["id"] == first.id
    assert client.patch(f"/api/feedback/{first.feedback_id}", json={"text": " "}).status_code == 422
    assert client.patch("/api/feedback/999", json={"text": "x"}).status_code == 404
