"""Assignments (issue 19, item 5): a coach assigns practice (a task, or a mock on a skill area)
with a due day into a student's journal; the student sees it in `today` and the plan and marks
it done; a coach's scores on a mock are the coach's feedback (FINDINGS P3), on the coach server
and through a partner invite made for a coach. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from debrief.coach.store import Person
from debrief.errors import InvalidInput, NotFound
from debrief.journal import Journal
from debrief.model import local_today
from debrief.plan.today import due_today
from tests.coach_helpers import Server, post_form
from tests.conftest import CliDriver


def ahead(days: int) -> date:
    return local_today() + timedelta(days=days)


# -- the journal -----------------------------------------------------------------------------------


def test_the_journal_keeps_assignments_and_their_state(journal: Journal) -> None:
    later = journal.add_assignment(
        "mock", "Experimentation", "A 45-minute A/B test case.", ahead(10), assigned_by="Cora"
    )
    sooner = journal.add_assignment(
        "task",
        "sql",
        "Ten window-function exercises.",
        ahead(3),
        assigned_by="Cora Coach",
        subskill="sql.window_functions",
    )
    assert [a.id for a in journal.list_assignments()] == [sooner.id, later.id]  # by due day
    assert (later.kind, later.skill, later.subskill) == ("mock", "experimentation", None)
    assert sooner.subskill == "sql.window_functions" and sooner.open
    before = journal.revision()
    done = journal.mark_assignment(sooner.id)
    assert done.done_on == local_today() and not done.open
    assert journal.revision() != before  # the web app's caches see it
    assert [a.id for a in journal.list_assignments(open_only=True)] == [later.id]
    assert journal.mark_assignment(sooner.id, done=False).done_on is None
    mock = journal.add_interview("product_case")
    tied = journal.attach_assignment_mock(later.id, mock.id)
    assert tied.interview_id == mock.id and tied.open
    journal.delete_interview(mock.id)
    assert journal.get_assignment(later.id).interview_id is None  # the assignment stays
    journal.delete_assignment(later.id)
    with pytest.raises(NotFound):
        journal.get_assignment(later.id)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "homework"}, "kind"),
        ({"skill": "juggling"}, "skill"),
        ({"subskill": "statistics.power"}, "subskill"),  # not a sub-skill of SQL
        ({"text": "   "}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"due_on": "yesterday"}, "due_on"),
        ({"due_on": "soon"}, "due_on"),
        ({"assigned_by": ""}, "assigned_by"),
    ],
)
def test_an_assignment_is_checked_before_it_is_kept(
    journal: Journal, change: dict[str, str], field: str
) -> None:
    given = {"kind": "task", "skill": "sql", "text": "Practise joins.", "due_on": str(ahead(2))}
    given |= {"assigned_by": "Cora"} | change
    by = given.pop("assigned_by")
    subskill = given.pop("subskill", None)
    with pytest.raises(InvalidInput) as refused:
        journal.add_assignment(**given, assigned_by=by, subskill=subskill)  # type: ignore[arg-type]
    assert refused.value.field == field
    assert journal.list_assignments() == []


def test_only_a_mock_assignment_takes_a_mock_interview(journal: Journal) -> None:
    task = journal.add_assignment("task", "sql", "Joins.", ahead(2), assigned_by="Cora")
    mock_one = journal.add_assignment("mock", "sql", "A SQL mock.", ahead(2), assigned_by="Cora")
    app = journal.add_application("Acme", "Data Scientist")
    real = journal.add_interview("sql", application_id=app.id)
    mock = journal.add_interview("sql")
    with pytest.raises(InvalidInput, match="is a task"):
        journal.attach_assignment_mock(task.id, mock.id)
    with pytest.raises(InvalidInput, match="real round"):
        journal.attach_assignment_mock(mock_one.id, real.id)
    feedback = journal.add_feedback("Clean joins.", interview_id=mock.id, source="coach")
    journal.attach_assignment_mock(mock_one.id, mock.id, feedback_id=feedback.id)
    with pytest.raises(InvalidInput, match="already scored"):
        journal.attach_assignment_mock(mock_one.id, mock.id, feedback_id=feedback.id)


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("assignments", "kind", "homework"),
        ("assignments", "skill", "juggling"),
        ("assignments", "subskill", "sql.nothing"),
        ("partner_invites", "source", "recruiter"),
    ],
)
def test_a_backup_holds_assignments_and_refuses_words_they_do_not_know(
    tmp_path: Path, table: str, column: str, value: str
) -> None:
    from debrief.errors import InvalidImport
    from debrief.ingest.backup import dump, restore
    from debrief.partner import create_invite

    with Journal.open(str(tmp_path / "a.db")) as source:
        mock = source.add_interview("sql")
        create_invite(source, mock.id, coach=True)
        source.add_assignment("mock", "sql", "A SQL mock.", ahead(2), assigned_by="Cora")
        data = dump(source)
    with Journal.open(str(tmp_path / "b.db")) as target:
        restore(target, data)
        assert dump(target)["tables"] == data["tables"]
    data["tables"][table][0][column] = value
    with Journal.open(str(tmp_path / "c.db")) as target, pytest.raises(InvalidImport) as refused:
        restore(target, data)
    assert f"'{value}' is not known" in str(refused.value)


# -- what the student sees: today and the plan -----------------------------------------------------


def test_today_lists_assignments_due_within_a_week_or_past(journal: Journal) -> None:
    soon = journal.add_assignment("task", "sql", "Joins drill.", ahead(2), assigned_by="Cora")
    far = journal.add_assignment("mock", "coding", "A coding mock.", ahead(20), assigned_by="Cora")
    done = journal.add_assignment("task", "statistics", "CLT.", ahead(1), assigned_by="Cora")
    journal.mark_assignment(done.id)
    [due] = due_today(journal).of("assignment")
    assert due.assignment_id == soon.id and due.details == ("Joins drill.",)
    assert due.text == f"Task on SQL, from Cora: due {soon.due_on} (in 2 days)."
    assert due.command == f"debrief plan assignment done {soon.id}"
    later = due_today(journal, as_of=ahead(15)).of("assignment")
    assert [d.assignment_id for d in later] == [soon.id, far.id]
    assert later[0].text.endswith(f"was due {soon.due_on}.")  # overdue


def test_the_cli_shows_assignments_in_today_and_the_plan_and_marks_them_done(
    cli: CliDriver, db_path: Path
) -> None:
    with Journal.open(str(db_path)) as journal:
        task = journal.add_assignment(
            "task",
            "sql",
            "Ten window-function exercises.",
            ahead(1),
            assigned_by="Cora Coach",
            subskill="sql.window_functions",
        )
        mock = journal.add_assignment(
            "mock", "statistics", "A statistics mock.", ahead(30), assigned_by="Cora Coach"
        )
    today = cli.ok("today").output
    assert "From your coach (1)" in today
    assert "Task on SQL (window functions), from Cora Coach: due" in today
    assert "Ten window-function exercises." in today
    assert f"debrief plan assignment done {task.id}" in today
    plan = cli.ok("plan").output
    assert "From your coach" in plan and "A statistics mock." in plan
    listed = cli.json("plan", "assignment")
    assert isinstance(listed, list) and [a["id"] for a in listed] == [task.id, mock.id]
    cli.ok("interview", "add", "--mock", "--kind", "statistics")
    done = cli.ok("plan", "assignment", "done", str(mock.id), "--interview", "1").output
    assert f"Assignment #{mock.id} done on {local_today()}, with mock interview #1." in done
    assert [a["id"] for a in cli.json("plan", "assignment")] == [task.id]  # type: ignore[union-attr]
    assert len(cli.json("plan", "assignment", "--all")) == 2  # type: ignore[arg-type]
    cli.ok("plan", "assignment", "undo", str(mock.id))
    assert len(cli.json("plan", "assignment")) == 2  # type: ignore[arg-type]
    missing = cli("plan", "assignment", "done", "99")
    assert missing.exit_code == 1 and "no assignment with id 99" in missing.output
    assert "Nothing is due" not in cli.ok("today").output


def test_assignments_are_in_the_calendar_feed(journal: Journal) -> None:
    from debrief.plan.calendar import calendar_events

    made = journal.add_assignment("mock", "sql", "A SQL mock.", ahead(5), assigned_by="Cora")
    [event] = [e for e in calendar_events(journal) if str(e["uid"]).startswith("assignment-")]
    assert event["day"] == made.due_on and event["path"] == f"/plan#assignment-{made.id}"
    assert event["summary"] == "Due: Mock interview on SQL"


# -- the coach server ------------------------------------------------------------------------------


def _people(server: Server, level: str = "progress") -> tuple[Person, Person]:
    coach = server.join(server.admin, "coach", "Cora Coach")
    student = server.join(coach, "student", "Sam Student")
    if level != "progress":
        server.directory.set_level(student, student.id, level)
    return coach, student


def _journal(server: Server, student: Person) -> Journal:
    journal: Journal = server.app.state.students.journals.journal(student.id)
    return journal


def _assign(browser: TestClient, student: Person, **fields: str) -> object:
    page = f"/coach/students/{student.id}/assignments"
    given = {
        "kind": "task",
        "skill": "sql",
        "subskill": "",
        "text": "Ten window-function exercises.",
        "due_on": str(ahead(3)),
    }
    return post_form(browser, page, page, given | fields)


def test_a_coach_assigns_practice_that_the_student_sees_and_marks_done(server: Server) -> None:
    coach, student = _people(server)
    cora = server.signed_in(coach)
    page = cora.get(f"/coach/students/{student.id}/assignments")
    assert page.status_code == 200 and "Assign practice" in page.text
    made = _assign(cora, student, subskill="sql.window_functions")
    assert made.status_code == 303, made.text  # type: ignore[attr-defined]
    [kept] = _journal(server, student).list_assignments()
    assert (kept.kind, kept.skill, kept.subskill) == ("task", "sql", "sql.window_functions")
    assert kept.assigned_by == "Cora Coach" and kept.due_on == ahead(3)
    [entry] = [e for e in server.directory.audit(student_id=student.id) if e.action == "assignment"]
    assert entry.actor == "Cora Coach" and f"assignment #{kept.id}" in entry.detail
    # The student, in their own journal's app: the dashboard's "due today" and the plan.
    sam = server.signed_in(student)
    dashboard = sam.get("/").text
    assert "From your coach" in dashboard and f'href="/plan#assignment-{kept.id}"' in dashboard
    plan = sam.get("/plan").text
    assert f'id="assignment-{kept.id}"' in plan and "Ten window-function exercises." in plan
    assert "from Cora Coach" in plan
    done = post_form(sam, "/plan", f"/plan/assignments/{kept.id}/done", {})
    assert done.status_code == 303 and done.headers["location"] == f"/plan#assignment-{kept.id}"
    assert _journal(server, student).get_assignment(kept.id).done_on == local_today()
    assert f"done {local_today()}" in cora.get(f"/coach/students/{student.id}/assignments").text
    # A form the core refuses comes back with what was typed.
    refused = _assign(cora, student, due_on="2001-01-01", text="Keep this text")
    assert refused.status_code == 422 and "is in the past" in refused.text  # type: ignore[attr-defined]
    assert "Keep this text" in refused.text  # type: ignore[attr-defined]
    assert len(_journal(server, student).list_assignments()) == 1


def test_the_student_reads_and_marks_assignments_through_the_json_api(server: Server) -> None:
    coach, student = _people(server)
    cora = server.signed_in(coach)
    _assign(cora, student)
    [kept] = _journal(server, student).list_assignments()
    sam = server.signed_in(student)
    [listed] = sam.get("/api/assignments").json()
    assert (listed["id"], listed["kind"], listed["skill"]) == (kept.id, "task", "sql")
    assert listed["assigned_by"] == "Cora Coach" and listed["due_on"] == str(ahead(3))
    assert listed["done_on"] is None
    yesterday = str(ahead(-1))
    done = sam.post(f"/api/assignments/{kept.id}/done", json={"on": yesterday})
    assert done.status_code == 200 and done.json()["done_on"] == yesterday, done.text
    assert _journal(server, student).get_assignment(kept.id).done_on == ahead(-1)
    today = sam.post(f"/api/assignments/{kept.id}/done", json={})
    assert today.json()["done_on"] == str(local_today())
    ahead_of_time = sam.post(f"/api/assignments/{kept.id}/done", json={"on": str(ahead(2))})
    assert ahead_of_time.status_code == 422 and "on" in ahead_of_time.json()["detail"][0]["loc"]
    assert _journal(server, student).get_assignment(kept.id).done_on == local_today()
    undone = sam.post(f"/api/assignments/{kept.id}/undo", json={})
    assert undone.status_code == 200 and undone.json()["done_on"] is None
    assert sam.post("/api/assignments/999/done", json={}).status_code == 404
    # A mock assignment is done with the mock recorded for it (a real round is refused).
    _assign(cora, student, kind="mock", skill="statistics", text="A p-value mock.")
    [mock] = [a for a in _journal(server, student).list_assignments() if a.kind == "mock"]
    recorded = _journal(server, student).add_interview("statistics")
    real = _journal(server, student).add_application("Acme", "Analyst")
    round_ = _journal(server, student).add_interview("statistics", application_id=real.id)
    refused = sam.post(f"/api/assignments/{mock.id}/done", json={"interview_id": round_.id})
    assert refused.status_code == 422 and "a real round" in refused.text
    assert _journal(server, student).get_assignment(mock.id).done_on is None  # all or nothing
    with_mock = sam.post(f"/api/assignments/{mock.id}/done", json={"interview_id": recorded.id})
    assert with_mock.status_code == 200, with_mock.text
    assert with_mock.json()["interview_id"] == recorded.id and with_mock.json()["done_on"]
    # The coach's own session is not the student's: no journal's API answers it.
    assert cora.get("/api/assignments", follow_redirects=False).status_code in (303, 404)


def test_a_coach_cannot_reach_a_student_not_theirs(server: Server) -> None:
    _, student = _people(server)
    other = server.join(server.admin, "coach", "Otto Other")
    otto = server.signed_in(other)
    assert otto.get(f"/coach/students/{student.id}/assignments").status_code == 404
    assert otto.get("/coach/students/999/assignments").status_code == 404
    refused = post_form(
        otto,
        "/coach",
        f"/coach/students/{student.id}/assignments",
        {"kind": "task", "skill": "sql", "text": "Mine now.", "due_on": str(ahead(2))},
    )
    assert refused.status_code == 404
    assert _journal(server, student).list_assignments() == []
    # Nor does a student reach a coach's page (theirs is their own journal's app).
    sam = server.signed_in(student)
    assert sam.get(f"/coach/students/{student.id}/assignments").status_code in (403, 404)


def test_an_archived_student_or_one_who_shares_nothing_gets_no_new_assignments(
    server: Server,
) -> None:
    coach, student = _people(server)
    cora = server.signed_in(coach)
    assert _assign(cora, student).status_code == 303  # type: ignore[attr-defined]
    server.directory.set_level(student, student.id, "none")
    page = cora.get(f"/coach/students/{student.id}/assignments").text
    assert "shares nothing with you now" in page and "Ten window-function" not in page
    refused = _assign(cora, student)
    assert refused.status_code == 403  # type: ignore[attr-defined]
    server.directory.set_level(student, student.id, "progress")
    post_form(cora, f"/coach/students/{student.id}", f"/coach/students/{student.id}/archive", {})
    page = cora.get(f"/coach/students/{student.id}/assignments").text
    assert "is archived: nothing new can be assigned" in page
    refused = _assign(cora, student)
    assert refused.status_code == 403 and "archived" in refused.text  # type: ignore[attr-defined]
    assert len(_journal(server, student).list_assignments()) == 1


def test_a_coach_scores_a_mock_assignment_as_the_coach(server: Server) -> None:
    """FINDINGS P3: a coach's scores were recorded as a mock partner's."""
    coach, student = _people(server, level="themes")
    cora = server.signed_in(coach)
    _assign(cora, student, kind="mock", skill="experimentation", text="An A/B test case.")
    [assignment] = _journal(server, student).list_assignments()
    path = f"/coach/students/{student.id}/assignments/{assignment.id}/score"
    form = cora.get(path)
    assert form.status_code == 200 and 'name="score_experimentation"' in form.text
    assert 'name="partner"' not in form.text  # the coach is known
    held = str(local_today() - timedelta(days=1))
    scored = post_form(
        cora,
        path,
        path,
        {
            "held_on": held,
            "outcome": "passed",
            "score_experimentation": "2",
            "score_communication": "4",
            "work_on": "Size the test before you pick a metric.",
            "asked": "How long would you run the test?",
        },
    )
    assert scored.status_code == 303, scored.text
    journal = _journal(server, student)
    done = journal.get_assignment(assignment.id)
    assert done.done_on == date.fromisoformat(held) and done.feedback_id is not None
    detail = journal.get_interview(done.interview_id or 0)
    mock = detail.interview
    assert mock.mock and mock.kind == "product_case" and mock.outcome == "passed"
    assert mock.rubric == {"experimentation": 2, "communication": 4}
    assert mock.interviewer == "Cora Coach"
    [feedback] = detail.feedback
    assert feedback.source == "coach" and feedback.id == done.feedback_id
    assert "Size the test" in feedback.text
    assert [q.text for q in journal.list_questions()] == ["How long would you run the test?"]
    assert "mock scored" in [e.action for e in server.directory.audit(student_id=student.id)]
    # Once: a second scoring is refused and changes nothing.
    again = post_form(cora, path, path, {"held_on": held, "score_experimentation": "5"})
    assert again.status_code == 422 and "already scored" in again.text
    assert journal.get_interview(mock.id).interview.rubric["experimentation"] == 2
    # The student's own pages show it as the coach's feedback.
    sam = server.signed_in(student)
    assert f"{local_today()} · coach</a>" in sam.get(f"/interviews/{mock.id}").text


def test_a_coach_scores_the_mock_the_student_recorded_for_an_assignment(server: Server) -> None:
    coach, student = _people(server)
    cora = server.signed_in(coach)
    _assign(cora, student, kind="mock", skill="sql", text="A SQL mock with me.")
    journal = _journal(server, student)
    [assignment] = journal.list_assignments()
    mock = journal.add_interview("technical_screen", interviewer="Cora")
    journal.attach_assignment_mock(assignment.id, mock.id)
    path = f"/coach/students/{student.id}/assignments/{assignment.id}/score"
    assert "the technical screen mock they recorded" in cora.get(path).text
    bad = post_form(cora, path, path, {"score_sql": "9"})
    assert bad.status_code == 422 and "is not a score from 1 to 5" in bad.text
    scored = post_form(cora, path, path, {"score_sql": "3", "score_statistics": "4"})
    assert scored.status_code == 303, scored.text
    after = journal.get_interview(mock.id)
    assert after.interview.rubric == {"sql": 3, "statistics": 4}
    assert after.interview.interviewer == "Cora"  # the student's own record stays
    assert [f.source for f in after.feedback] == ["coach"]
    assert len(journal.list_interviews()) == 1  # no second mock


def test_an_assignment_and_its_log_line_never_disagree(
    server: Server, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The journal and the log are written in two transactions: an assignment whose line cannot
    be logged is deleted again; a withdrawal or a scoring that fails after its line gets a
    second line saying it did not go through; an undoing that fails too is reported, and the
    first error is the one raised."""
    from debrief.coach import assignments as coaching

    coach, student = _people(server)
    directory, journals = server.directory, server.app.state.students.journals
    journal = _journal(server, student)

    def logged() -> list[str]:
        actions = ("assignment", "mock scored")
        lines = directory.audit(student_id=student.id)
        return [e.detail for e in reversed(lines) if e.action in actions]

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the database went away")

    def assign(kind: str, skill: str) -> Any:
        return coaching.assign(
            directory, journals, coach, student.id, kind=kind, skill=skill, text="Drills.",
            due_on=ahead(3),
        )  # fmt: skip

    with monkeypatch.context() as patched:
        patched.setattr(directory, "log", broken)
        with pytest.raises(RuntimeError):
            assign("task", "sql")
    assert journal.list_assignments() == [] and logged() == []
    task, mock = assign("task", "sql"), assign("mock", "statistics")
    assert len(logged()) == 2
    with monkeypatch.context() as patched:
        patched.setattr(journal, "delete_assignment", broken)
        with pytest.raises(RuntimeError):
            coaching.withdraw(directory, journals, coach, student.id, task.id)
    assert journal.get_assignment(task.id).open
    assert logged()[2:] == [
        f"Cora Coach withdrew assignment #{task.id}",
        f"Cora Coach's withdrawal of assignment #{task.id} did not go through; it stays",
    ]
    scores = {"scores": {"statistics": "3"}}
    with monkeypatch.context() as patched:
        patched.setattr(journal, "attach_assignment_mock", broken)
        with pytest.raises(RuntimeError):
            coaching.score_mock(directory, journals, coach, student.id, mock.id, scores)
    assert journal.list_feedback() == [] and journal.get_assignment(mock.id).feedback_id is None
    assert logged()[4:] == [
        f"Cora Coach scored the statistics mock of assignment #{mock.id}",
        f"Cora Coach's scoring of assignment #{mock.id} did not go through; nothing of it was "
        "recorded",
    ]
    # Nothing failing, both sides are written once.
    coaching.withdraw(directory, journals, coach, student.id, task.id)
    coaching.score_mock(directory, journals, coach, student.id, mock.id, scores)
    assert [a.id for a in journal.list_assignments()] == [mock.id] and len(logged()) == 8
    # The undoing fails too: the log line's error is raised, with a note, and the server logs it.
    with monkeypatch.context() as patched:
        patched.setattr(directory, "log", lambda *_: broken())
        patched.setattr(journal, "delete_assignment", lambda *_: 1 / 0)
        with pytest.raises(RuntimeError, match="went away") as raised:
            assign("task", "sql")
    assert any("may disagree" in note for note in raised.value.__notes__)
    assert "deleting the unlogged assignment" in caplog.text and "ZeroDivisionError" in caplog.text


def test_a_coach_withdraws_an_assignment_not_done(server: Server) -> None:
    coach, student = _people(server)
    cora = server.signed_in(coach)
    _assign(cora, student)
    [assignment] = _journal(server, student).list_assignments()
    page = f"/coach/students/{student.id}/assignments"
    gone = post_form(cora, page, f"{page}/{assignment.id}/withdraw", {})
    assert gone.status_code == 303
    assert _journal(server, student).list_assignments() == []


def test_the_block_for_the_coachs_page_of_a_student_links_to_the_assignments(
    server: Server,
) -> None:
    """`coach/assignments.html` is included by the page of one student (it needs `student`)."""
    _, student = _people(server)
    block = server.app.state.renderer.environment.get_template("coach/assignments.html")
    text = block.render(student=student, csrf_token="t")
    assert f'href="/coach/students/{student.id}/assignments"' in text and "Sam Student" in text


def test_a_task_has_no_score_form(server: Server) -> None:
    coach, student = _people(server)
    cora = server.signed_in(coach)
    _assign(cora, student)
    [assignment] = _journal(server, student).list_assignments()
    page = cora.get(f"/coach/students/{student.id}/assignments/{assignment.id}/score")
    assert page.status_code == 422 and "is a task, not a mock" in page.text


# -- a partner invite for a coach, in the single-user tool -----------------------------------------


def test_a_partner_invite_made_for_a_coach_records_the_answers_as_the_coachs(
    cli: CliDriver, db_path: Path, tmp_path: Path
) -> None:
    """FINDINGS P3, without a coach server: `partner invite --coach`."""
    from debrief.partner import submit
    from tests.test_partner import answers_file

    cli.ok("interview", "add", "--mock", "--kind", "sql")
    made = cli.json("partner", "invite", "--interview", "1", "--coach")
    assert isinstance(made, dict) and made["source"] == "coach"
    token = made["link"].rsplit("/", 1)[1]
    partner = cli.json("partner", "invite", "--interview", "1")
    assert isinstance(partner, dict) and partner["source"] == "mock_partner"
    assert "for your coach" in cli.ok("partner", "list").output
    form = tmp_path / "form.html"
    cli.ok("partner", "invite", "--interview", "1", "--coach", "--file", str(form))
    offline = json.loads(
        form.read_text("utf-8").split('id="invite">', 1)[1].split("</script>", 1)[0]
    )["token"]
    with Journal.open(str(db_path)) as journal:
        by_link = submit(journal, token, {"scores": {"sql": "4"}, "work_on": "Name the grain."})
        other = submit(journal, partner["link"].rsplit("/", 1)[1], {"went_well": "Fast."})
    saved = tmp_path / "answers.json"
    saved.write_bytes(answers_file(3, offline, {"work_on": "Check for NULLs."}))
    cli.ok("partner", "import", str(saved))
    with Journal.open(str(db_path)) as journal:
        sources = {f.id: f.source for f in journal.list_feedback()}
    assert sources[by_link.id] == "coach" and sources[other.id] == "mock_partner"
    assert sorted(sources.values()) == ["coach", "coach", "mock_partner"]


def test_the_web_invite_form_makes_an_invite_for_a_coach(journal: Journal) -> None:
    from debrief.partner import submit
    from debrief.web import create_app
    from debrief.web.security import CSRF_COOKIE

    mock = journal.add_interview("statistics")
    with TestClient(create_app(journal)) as client:
        assert "for my coach" in client.get(f"/interviews/{mock.id}").text
        token = client.cookies.get(CSRF_COOKIE) or ""
        made = client.post(
            f"/interviews/{mock.id}/invite",
            data={"csrf_token": token, "days": "7", "coach": "on"},
        )
        assert made.status_code == 201 and "A link for your coach" in made.text
        link = re.search(r'value="(http://testserver/partner/[^"]+)"', made.text)
        assert link, made.text
        api = client.post(f"/api/interviews/{mock.id}/invites", json={"coach": True})
        assert api.status_code == 201 and api.json()["source"] == "coach"
    feedback = submit(journal, link[1].rsplit("/", 1)[1], {"scores": {"statistics": "3"}})
    assert feedback.source == "coach"
    assert [i.source for i in journal.list_invites()] == ["coach", "coach"]


@pytest.fixture(autouse=True)
def _quick_passwords(quick_passwords: None) -> None:
    """Sign-ins here use Argon2id's least work (coach_helpers.fast_hashing)."""
