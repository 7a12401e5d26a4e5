"""The coach's cohort page and view of one student: what each consent level lets through, the
privacy floor of cohort themes, attention flags, the CSV, archived snapshots, the report, and the
summaries kept under each journal's revision, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from debrief.coach import summary as student_summary
from debrief.coach.cohort import (
    COHORT_FLOOR,
    cohort_themes,
    cohort_view,
    first_offer,
    pooled_steps,
)
from debrief.coach.store import Directory, Person
from debrief.coach.students import StudentJournals
from debrief.coach.summaries import Summaries
from debrief.coach.summary import (
    StudentSummary,
    SubskillLine,
    ThemeLine,
    from_json,
    shared,
    summarize,
    to_json,
)
from debrief.ingest.backup import inert
from debrief.journal import Journal
from debrief.model import local_today
from debrief.plan import ActionPlan
from debrief.stats import pass_rate_interval
from debrief.triage.classify import Triage
from tests.coach_helpers import (
    PASSWORD,
    Server,
    make_server,
    post_form,
)

MARKER = "MARKER-Q7X power analysis was missing from the experiment"


@pytest.fixture
def server(url: str) -> Iterator[Server]:
    """A coach server whose pages always show summaries as of the request: every view checks
    every journal and waits for the check (the defaults spare a busy server that work)."""
    made = make_server(url)
    summaries = Summaries(
        made.app.state.students.journals,
        check_every=0,
        remake_every=0,
        wait_missing=60,
        wait_stale=60,
    )
    made.app.state.cohort_summaries = summaries
    yield made
    summaries.close()
    made.close()


def ago(days: int) -> date:
    return local_today() - timedelta(days=days)


def journal_of(server: Server, student: Person) -> Journal:
    journal: Journal = server.app.state.students.journals.journal(student.id)
    return journal


def weak_in(journal: Journal, skill: str, text: str, *, days: int = 5) -> None:
    """A weakness raised in two mock interviews: a recurring theme."""
    for n in range(2):
        said = f"{text} ({n + 1})"
        mock = journal.add_interview("technical_screen", held_on=ago(days + n))
        journal.add_feedback(
            said,
            interview_id=mock.id,
            triaged=[Triage(said, "constructive", (skill,), 1.0, "test", "user")],
        )


def rejected_after_interview(journal: Journal, company: str, *, days: int = 3) -> int:
    """An application rejected after a real round, feedback not asked for."""
    app = journal.add_application(company, "Data Scientist", applied_on=ago(days + 10))
    journal.add_interview(
        "recruiter_screen", application_id=app.id, held_on=ago(days), outcome="rejected"
    )
    return app.id


def join_as(server: Server, coach: Person, name: str, email: str) -> Person:
    """A student with a name of any shape (Server.join makes the address from the name)."""
    _, token = server.directory.invite(coach, "student", name, email)
    return server.directory.accept(token, PASSWORD)


def student_with_everything(server: Server, coach: Person, name: str) -> Person:
    student = server.join(coach, "student", name)
    journal = journal_of(server, student)
    weak_in(journal, "experimentation", MARKER)
    rejected_after_interview(journal, "Quillon Analytics")
    return student


def test_each_consent_level_shows_what_it_allows_and_nothing_more(server: Server) -> None:
    coach = server.join(server.admin, "coach", "Cora Coach")
    student = student_with_everything(server, coach, "Sam Student")
    cora = server.signed_in(coach)
    pages = {
        "student": f"/coach/students/{student.id}",
        "cohort": "/coach",
        "csv": "/coach/cohort.csv",
    }
    for level in ("feedback", "themes", "progress", "none"):
        server.directory.set_level(student, student.id, level)
        seen = {name: cora.get(path) for name, path in pages.items()}
        assert all(page.status_code == 200 for page in seen.values()), level
        text = {name: page.text for name, page in seen.items()}
        everything = " ".join(text.values())
        assert "Sam Student" in text["cohort"] and "Sam Student" in text["csv"]
        # Verbatim feedback: at "feedback" only, and never in the CSV or the cohort table.
        assert (MARKER in text["student"]) == (level == "feedback"), level
        assert MARKER not in text["cohort"] and MARKER not in text["csv"]
        # Themes and the plan: from "themes" up.
        assert ("Experimentation" in everything) == (level in ("themes", "feedback")), level
        assert ("Action plan" in text["student"]) == (level in ("themes", "feedback")), level
        # Statuses and statistics: from "progress" up.
        counted = "1 application" in text["student"]
        assert counted == (level != "none"), level
        assert ("feedback not asked for" in everything) == (level != "none"), level
        row = next(csv.DictReader(io.StringIO(text["csv"])))
        assert row["shares"] == level
        assert (row["applications"] == "1") == (level != "none")
        assert (row["open_themes"] == "Experimentation") == (level in ("themes", "feedback"))
        report = cora.get(f"/coach/students/{student.id}/report")
        assert report.status_code == (200 if level == "feedback" else 403), level
    assert "shares nothing with you" in text["student"]


def test_the_summary_itself_holds_no_more_than_its_level() -> None:
    full = _summary(
        themes=(ThemeLine("sql", "SQL", 2, "steady", ()),),
        plan=student_summary.PlanStatus((), 0, 0),
        feedback=(
            student_summary.FeedbackLine(
                MARKER, "constructive", ("sql",), date(2026, 1, 2), "x", None, None, True
            ),
        ),
    )
    assert shared(full, "none") is None and shared(full, "no such level") is None
    progress = shared(full, "progress")
    assert progress is not None
    assert progress.themes is None and progress.plan is None and progress.feedback is None
    themes = shared(full, "themes")
    assert themes is not None and themes.themes and themes.plan is not None
    assert themes.feedback is None and MARKER not in repr(to_json(themes))
    assert shared(full, "feedback") == full
    # A summary cut once is never widened again, and it survives JSON as it is.
    assert shared(progress, "feedback") == progress
    assert from_json(to_json(themes)) == themes
    assert from_json({}) is None and from_json({"applications": 3}) is None


def test_a_weakness_is_a_cohort_theme_once_three_students_share_it(server: Server) -> None:
    coach = server.join(server.admin, "coach", "Cora Coach")
    cora = server.signed_in(coach)

    def cohort_themes_section() -> str:
        page = cora.get("/coach").text
        return page.split("Weaknesses the cohort shares", 1)[1].split("How the cohort does")[0]

    students = []
    for name in ("Ann", "Ben", "Cal"):
        student = server.join(coach, "student", f"{name} Student")
        server.directory.set_level(student, student.id, "themes")
        students.append(student)
    for student in students[:2]:
        weak_in(journal_of(server, student), "experimentation", "no power analysis")
    assert "Experimentation" not in cohort_themes_section()
    # A third student with the weakness who shares only statistics does not count either.
    server.directory.set_level(students[2], students[2].id, "progress")
    weak_in(journal_of(server, students[2]), "experimentation", "no power analysis")
    assert "Experimentation" not in cohort_themes_section()
    server.directory.set_level(students[2], students[2].id, "themes")
    section = cohort_themes_section()
    assert "Experimentation" in section
    # Three students, each raised in two interviews.
    assert re.search(r"<td>Experimentation</td><td>3</td><td>6</td>", section), section


def test_a_student_who_stops_sharing_leaves_the_cohort_figures_at_once(url: str) -> None:
    made = make_server(url)
    # Figures kept for an hour: only a change of who shares what may remake them sooner.
    summaries = Summaries(
        made.app.state.students.journals, remake_every=3600, wait_missing=60, wait_stale=60
    )
    made.app.state.cohort_summaries = summaries
    try:
        coach = made.join(made.admin, "coach", "Cora Coach")
        students = [made.join(coach, "student", f"{name} Student") for name in "ABC"]
        for student in students:
            made.directory.set_level(student, student.id, "themes")
            weak_in(journal_of(made, student), "experimentation", "no power analysis")
        cora = made.signed_in(coach)

        def shared_weaknesses() -> str:
            page = cora.get("/coach").text
            return page.split("Weaknesses the cohort shares")[1].split("How the cohort does")[0]

        assert "<td>Experimentation</td><td>3</td>" in shared_weaknesses()
        made.directory.set_level(students[0], students[0].id, "progress")
        assert "Experimentation" not in shared_weaknesses()
    finally:
        summaries.close()
        made.close()


def test_the_floor_counts_students_not_interviews() -> None:
    line = ThemeLine("sql", "SQL", 4, "rising", (SubskillLine("sql.joins", "joins", 4),))
    two = [_summary(themes=(line,)) for _ in range(COHORT_FLOOR - 1)]
    assert cohort_themes(two) == ()
    three = cohort_themes([*two, _summary(themes=(line,))])
    assert [(t.skill, t.students, t.interviews) for t in three] == [("sql", 3, 12)]
    assert [(s.subskill, s.students) for s in three[0].subskills] == [("sql.joins", 3)]
    # The cohort view counts only summaries that hold themes.
    view = cohort_view([*two, _summary(), None])
    assert view.themes == () and view.students == 3 and view.sharing_themes == 2


def test_attention_flags(server: Server) -> None:
    coach = server.join(server.admin, "coach", "Cora Coach")
    quiet = server.join(coach, "student", "Quinn Quiet")
    busy = server.join(coach, "student", "Bea Busy")
    for student in (quiet, busy):
        server.directory.set_level(student, student.id, "themes")
    old = journal_of(server, quiet)
    app = old.add_application("Brightwell", "Analyst", applied_on=ago(40))
    old.add_interview("recruiter_screen", application_id=app.id, held_on=ago(20))
    new = journal_of(server, busy)
    rejected = rejected_after_interview(new, "Quillon Analytics", days=2)
    weak_in(new, "experimentation", "no power analysis", days=60)
    ActionPlan(new).accept("experimentation", as_of=ago(50), target=ago(45))
    cora = server.signed_in(coach)

    def flags(student: Person) -> set[str]:
        page = cora.get(f"/coach/students/{student.id}").text
        return set(re.findall(r'class="attention flag-([a-z]+)"', page))

    assert flags(quiet) == {"silent"}
    assert "Silent for 20 days" in cora.get(f"/coach/students/{quiet.id}").text
    assert flags(busy) == {"feedback", "overdue"}
    # The overdue plan is part of the plan: a student sharing statistics only shows no sign of it.
    server.directory.set_level(busy, busy.id, "progress")
    assert flags(busy) == {"feedback"}
    # Asking for feedback clears the flag.
    new.record_feedback_asked(rejected)
    assert flags(busy) == set()
    # On the cohort page too.
    page = cora.get("/coach").text
    assert "1 needs attention" in page and "silent for 20 days" in page


def test_the_csv_holds_one_row_per_student_and_no_formula(server: Server) -> None:
    coach = server.join(server.admin, "coach", "Cora Coach")
    names = ['=HYPERLINK("http://evil.example")', "+1 Plus", "-2 Minus", "@SUM Sum"]
    students = [join_as(server, coach, name, f"s{n}@example.org") for n, name in enumerate(names)]
    journal_of(server, students[0]).add_application("=cmd|' /C calc'!A0", "Analyst")
    server.directory.set_level(students[1], students[1].id, "none")
    cora = server.signed_in(coach)
    answer = cora.get("/coach/cohort.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"].startswith('attachment; filename="cohort-')
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert sorted(row["student"] for row in rows) == sorted("'" + name for name in names)
    for row in rows:
        assert not any(cell[:1] in "=+-@" and cell for cell in row.values()), row
    by_name = {row["student"][1:]: row for row in rows}
    assert by_name[names[0]]["applications"] == "1"
    assert by_name[names[0]]["reached_applied"] == "1"
    assert by_name[names[1]]["shares"] == "none" and by_name[names[1]]["applications"] == ""
    assert by_name[names[2]]["open_themes"] == ""  # shares statistics only
    assert inert("=1+1") == "'=1+1" and inert("\t=1") == "'\t=1" and inert("plain") == "plain"


def test_an_archived_student_shows_the_snapshot_of_that_moment(server: Server) -> None:
    coach = server.join(server.admin, "coach", "Cora Coach")
    student = student_with_everything(server, coach, "Sam Student")
    server.directory.set_level(student, student.id, "feedback")
    cora = server.signed_in(coach)
    page = f"/coach/students/{student.id}"
    archived = post_form(cora, page, f"{page}/archive", {})
    assert archived.status_code == 303
    journal = journal_of(server, student)
    for company in ("Brightwell", "Corvid Labs", "Dunmore"):
        journal.add_application(company, "Data Scientist")
    weak_in(journal, "sql", "the joins were wrong")
    text = cora.get(page).text
    assert "Archived on" in text and "1 application," in text and "4 applications" not in text
    assert "Experimentation" in text and "SQL" not in text
    # The snapshot keeps no feedback text: the directory never holds the words of a search.
    assert MARKER not in text and MARKER not in str(server.directory.archived_view(student.id))
    row = next(csv.DictReader(io.StringIO(cora.get("/coach/cohort.csv").text)))
    archived_on = server.directory.get(student.id).archived_on
    assert row["applications"] == "1" and row["archived_on"] == str(archived_on)
    assert "Sam Student" in cora.get("/coach").text
    # Nothing newer: not the report either.
    assert cora.get(f"{page}/report").status_code == 403
    # A student who shares less since shows less of the snapshot too.
    server.directory.set_level(student, student.id, "progress")
    text = cora.get(page).text
    assert MARKER not in text and "Experimentation" not in text and "1 application," in text
    server.directory.set_level(student, student.id, "none")
    assert "1 application" not in cora.get(page).text


def test_a_coach_never_sees_another_coachs_student(server: Server) -> None:
    cora = server.join(server.admin, "coach", "Cora Coach")
    carl = server.join(server.admin, "coach", "Carl Coach")
    student = student_with_everything(server, cora, "Sam Student")
    server.directory.set_level(student, student.id, "feedback")
    browser = server.signed_in(carl)
    page = f"/coach/students/{student.id}"
    for path in (page, f"{page}/report"):
        assert browser.get(path).status_code == 404, path
    token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/coach/invite").text)
    assert token is not None
    refused = browser.post(f"{page}/archive", data={"csrf_token": token[1]})
    assert refused.status_code == 404 and not server.directory.get(student.id).archived
    for path in ("/coach", "/coach/cohort.csv"):
        answer = browser.get(path)
        assert answer.status_code == 200 and "Sam Student" not in answer.text
        assert MARKER not in answer.text
    assert server.signed_in(student).get("/coach/cohort.csv").status_code == 403


def test_the_report_carries_the_student_name(server: Server) -> None:
    coach = server.join(server.admin, "coach", "Cora Coach")
    student = join_as(server, coach, "Zoë <O'Neil>", "zoe@example.org")
    weak_in(journal_of(server, student), "experimentation", MARKER)
    server.directory.set_level(student, student.id, "feedback")
    cora = server.signed_in(coach)
    answer = cora.get(f"/coach/students/{student.id}/report")
    assert answer.status_code == 200
    title = re.search(r"<title>(.*?)</title>", answer.text)
    assert title is not None
    assert title[1].startswith("Zoë &lt;O&#39;Neil&gt;: job search report, ")
    assert "<h1>Zoë &lt;O&#39;Neil&gt;: the job search, as data</h1>" in answer.text
    assert MARKER in answer.text
    scripts = re.search(r"script-src ([^;]*)", answer.headers["content-security-policy"])
    assert scripts is not None and "'sha256-" in scripts[1] and "unsafe" not in scripts[1]
    # The student's own report keeps its own title.
    own = server.signed_in(student).get("/report").text
    assert "<title>Job search report, " in own and "<h1>Your job search, as data</h1>" in own
    server.directory.set_level(student, student.id, "themes")
    refused = cora.get(f"/coach/students/{student.id}/report")
    assert refused.status_code == 403 and "shown only when they share everything" in refused.text


def test_summaries_are_kept_under_the_journal_revision_across_processes(url: str) -> None:
    made = make_server(url)
    try:
        coach = made.join(made.admin, "coach", "Cora Coach")
        student = made.join(coach, "student", "Sam Student")
        mine = Summaries(made.app.state.students.journals, check_every=0, remake_every=0)
        # Another worker: its own directory, engine and journals over the same database.
        other_directory = Directory.open(url)
        other_journals = StudentJournals(other_directory)
        other = Summaries(other_journals, check_every=0, remake_every=0)
        try:
            first = mine.fresh(student.id, "progress")
            assert first.summary.applications == 0
            assert mine.fresh(student.id, "progress").summary is first.summary  # unchanged
            assert other.fresh(student.id, "progress").summary.applications == 0
            journal_of(made, student).add_application("Quillon Analytics", "Data Scientist")
            # The write is seen through the other process's connection too.
            assert other.fresh(student.id, "progress").summary.applications == 1
            assert mine.fresh(student.id, "progress").summary.applications == 1
            # A summary read for statistics is read again when themes are wanted.
            assert mine.fresh(student.id, "feedback").summary.themes == ()
        finally:
            mine.close()
            other.close()
            other_journals.close()
            other_directory.close()
    finally:
        made.close()


def test_a_busy_cohort_shows_the_summary_it_has_and_when_it_was_current(url: str) -> None:
    made = make_server(url)
    now = [1000.0]
    summaries = Summaries(
        made.app.state.students.journals,
        check_every=5,
        remake_every=60,
        wait_missing=60,
        clock=lambda: now[0],
    )
    try:
        coach = made.join(made.admin, "coach", "Cora Coach")
        student = made.join(coach, "student", "Sam Student")
        first = summaries.current({student.id: "progress"})[student.id]
        assert first is not None and first.current
        journal_of(made, student).add_application("Quillon Analytics", "Data Scientist")
        # Checked a moment ago: shown as it is, nothing read.
        now[0] += 1
        assert summaries.current({student.id: "progress"})[student.id] == first
        # Due a check: the change is found, but the summary is not read again within a minute;
        # the page keeps the old one, and says it was current at the first reading.
        now[0] += 10
        summaries.current({student.id: "progress"})
        assert summaries.settle(30)
        stale = summaries.get(student.id)
        assert stale is not None and not stale.current
        assert stale.summary.applications == 0 and stale.seen_at == first.seen_at
        # A minute on, it is read again.
        now[0] += 60
        summaries.current({student.id: "progress"})
        assert summaries.settle(30)
        again = summaries.get(student.id)
        assert again is not None and again.current and again.summary.applications == 1
        # The page of one student never waits for that: it reads now.
        journal_of(made, student).add_application("Brightwell", "Analyst")
        assert summaries.fresh(student.id, "progress").summary.applications == 2
    finally:
        summaries.close()
        made.close()


def test_pass_rates_pool_students_with_intervals_that_respect_them() -> None:
    def student(passed: int, decided: int) -> StudentSummary:
        return _summary(steps=((passed, decided),) + ((0, 0),) * 4)

    alike = [student(5, 10) for _ in range(6)]
    unlike = [student(0, 10), student(10, 10)] * 3
    same, differ = pooled_steps(alike)[0], pooled_steps(unlike)[0]
    assert (same.passed, same.decided, same.students, same.rate) == (30, 60, 6, 0.5)
    assert (differ.passed, differ.decided, differ.rate) == (30, 60, 0.5)
    # Never narrower than the single-user Beta-Binomial interval on the pooled counts...
    jeffreys = pass_rate_interval(30, 60)
    assert same.low is not None and same.high is not None
    assert same.low <= jeffreys.low and same.high >= jeffreys.high
    # ...and wider when the students differ: their applications are clusters, not one sample.
    assert differ.low is not None and differ.high is not None
    assert differ.high - differ.low > (same.high - same.low) + 0.1
    assert pooled_steps(unlike) == pooled_steps(unlike)  # a fixed seed
    # Fewer than three students: no interval, and a sentence saying why.
    few = pooled_steps(alike[:2])[0]
    assert few.low is None and few.shortage and "1 more student" in few.shortage
    assert pooled_steps(alike)[1].students == 0 and pooled_steps(alike)[1].rate is None


def test_rejections_before_the_first_offer(server: Server) -> None:
    coach = server.join(server.admin, "coach", "Cora Coach")
    student = server.join(coach, "student", "Sam Student")
    journal = journal_of(server, student)
    for n in range(3):
        rejected_after_interview(journal, f"Company {n}", days=30 - n)
    offered = journal.add_application("Brightwell", "Data Scientist", applied_on=ago(25))
    journal.change_status(offered.id, "offer", at=ago(20))
    rejected_after_interview(journal, "Later Co", days=5)
    summary = summarize(journal)
    assert summary.first_offer == ago(20) and summary.rejections_before_offer == 3
    assert summary.furthest == "offer" and summary.offers == 1

    def with_offer(rejections: int | None) -> StudentSummary:
        day = None if rejections is None else date(2026, 1, 1)
        return _summary(first_offer=day, rejections_before_offer=rejections or 7)

    counts = first_offer([with_offer(n) for n in (2, 4, 9)] + [with_offer(None)])
    assert (counts.students, counts.searching, counts.mean, counts.median) == (3, 1, 5.0, 4.0)
    assert counts.low is not None and counts.high is not None
    assert 2 <= counts.low <= 5 <= counts.high <= 9 and counts.searching_median == 7
    two = first_offer([with_offer(1), with_offer(2)])
    assert two.low is None and two.shortage and two.mean == 1.5


def test_last_activity_is_the_day_something_was_recorded(server: Server) -> None:
    coach = server.join(server.admin, "coach", "Cora Coach")
    student = server.join(coach, "student", "Sam Student")
    journal = journal_of(server, student)
    assert summarize(journal).last_activity is None
    assert [flag.text for flag in summarize(journal).flags] == ["nothing recorded yet"]
    app = journal.add_application("Brightwell", "Analyst", applied_on=ago(30))
    summary = summarize(journal)
    assert summary.last_activity == ago(30)
    assert [flag.text for flag in summary.flags] == ["silent for 30 days"]
    # A round booked for next week is recorded today (the application moves on today); the
    # day it is held is a plan, not activity.
    journal.add_interview("recruiter_screen", application_id=app.id, held_on=ago(-7))
    assert summarize(journal).last_activity == local_today()
    assert summarize(journal).flags == ()


def _summary(**changes: object) -> StudentSummary:
    base = StudentSummary(
        level="feedback",
        as_of=date(2026, 6, 1),
        made_at=datetime(2026, 6, 1, tzinfo=UTC),
        applications=10,
        funnel=(10, 5, 3, 2, 1, 0),
        steps=((5, 10), (3, 5), (2, 3), (1, 2), (0, 1)),
        by_status={"rejected": 9, "onsite": 1},
        interviews_real=4,
        interviews_mock=1,
        last_activity=date(2026, 5, 30),
        first_offer=None,
        rejections_before_offer=9,
        not_asked=0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _quick_passwords(quick_passwords: None) -> None:
    """Sign-ins here use Argon2id's least work (coach_helpers.fast_hashing)."""
