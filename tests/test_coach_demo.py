"""The coach demo (`debrief demo --cohort N`): a coach server with an admin, two coaches and
students whose searches differ, each in a journal of their own; on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from debrief.coach.store import CONSENT_LEVELS, Directory
from debrief.coach.students import StudentJournals
from debrief.demo import SearchProfile, build_demo, planted_weaknesses
from debrief.demo.cohort import ServerNotEmpty, build_cohort, cast, cast_students
from debrief.journal import Journal
from tests.coach_helpers import sign_in

END = date(2026, 6, 30)
PASSWORD = "demo password for tests"


@pytest.fixture
def directory(url: str) -> Iterator[Directory]:
    from tests.coach_helpers import _servers

    made = Directory.open(url, create=True)
    _servers[url] = made.server  # so the students' schemas are dropped afterwards
    yield made
    made.close()


def _sign_in(app: object, email: str) -> TestClient:
    browser = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    answer = sign_in(browser, email, PASSWORD)
    assert answer.status_code == 303, answer.text
    return browser


def test_the_cohort_demo_makes_the_people_their_links_and_a_journal_each(
    directory: Directory,
) -> None:
    from debrief.web.coach import create_coach_app

    built = build_cohort(directory, students=3, password=PASSWORD, seed=7, end=END)
    roles = [(p.role, p.name) for p in directory.people()]
    assert roles == [
        ("admin", "Morgan Ellis"),
        ("coach", "Jordan Reyes"),
        ("coach", "Sam Adeyemi"),
        ("student", "Aisha Bello"),
        ("student", "Priya Raman"),
        ("student", "Tomás Alvarez"),
    ]
    assert [p.name for p in built.people] == [
        "Morgan Ellis",
        "Jordan Reyes",
        "Sam Adeyemi",
        "Priya Raman",
        "Tomás Alvarez",
        "Aisha Bello",
    ]
    jordan, sam = (
        directory.find("jordan.reyes@example.org"),
        directory.find("sam.adeyemi@example.org"),
    )
    assert jordan is not None and sam is not None
    assert [s.name for s in directory.students_of(jordan.id)] == ["Aisha Bello", "Priya Raman"]
    assert [s.name for s in directory.students_of(sam.id)] == ["Tomás Alvarez"]
    students = {p.name: p for p in directory.people("student")}
    levels = directory.levels([s.id for s in students.values()])
    assert {name: levels[s.id] for name, s in students.items()} == {
        "Priya Raman": "feedback",
        "Tomás Alvarez": "themes",
        "Aisha Bello": "themes",
    }

    # Each student's search is in a journal of their own, and the searches differ.
    journals = StudentJournals(directory)
    try:
        seen = {}
        for name, student in students.items():
            journal = journals.journal(student.id)
            assert journal.settings()["name"] == name
            companies = [a.company for a in journal.list_applications()]
            mails = "\n".join(f.text for f in journal.list_feedback())
            greeted = set(re.findall(r"^(?:Hi|Hello|Dear) (\w+)", mails, re.MULTILINE))
            assert greeted == {name.split()[0]}
            seen[name] = (len(companies), journal.summary().reached.get("offer", 0), companies)
    finally:
        journals.close()
    assert {name: figures[:2] for name, figures in seen.items()} == {
        "Priya Raman": (150, 1),
        "Tomás Alvarez": (120, 0),
        "Aisha Bello": (90, 0),
    }
    assert len({tuple(figures[2]) for figures in seen.values()}) == 3
    aisha = next(p for p in built.people if p.name == "Aisha Bello")
    assert aisha.search_end == END - timedelta(days=19)  # fell silent weeks ago

    # Signed in, each sees their own: a student their journal, a coach their students.
    app = create_coach_app(directory)
    for name in ("Priya Raman", "Tomás Alvarez"):
        browser = _sign_in(app, students[name].email)
        with browser:
            listed = browser.get("/api/applications").json()
            assert len(listed) == seen[name][0]
            assert {a["company"] for a in listed} == set(seen[name][2])
    with _sign_in(app, "sam.adeyemi@example.org") as browser:
        page = browser.get("/coach").text
        assert "Tomás Alvarez" in page
        assert "Priya Raman" not in page and "Aisha Bello" not in page
    with pytest.raises(ServerNotEmpty, match="already has people"):
        build_cohort(directory, students=1, password=PASSWORD, end=END)


def test_the_cast_plants_weaknesses_shared_by_three_students_of_a_coach() -> None:
    """Each coach has recurring weaknesses among students who share their themes (the floor a
    cohort theme needs), and others below that floor."""
    shared: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for student in cast_students():
        assert student.share in CONSENT_LEVELS
        assert student.profile is not None and student.profile.weak
        if CONSENT_LEVELS.index(student.share) < CONSENT_LEVELS.index("themes"):
            continue
        for coach in student.coaches:
            for skill in student.profile.weak:
                shared[coach][skill].add(student.name)
    coaches = {m.key for m in cast() if m.role == "coach"}
    assert set(shared) == coaches == {"jordan", "sam"}
    for skills in shared.values():
        counts = {skill: len(names) for skill, names in skills.items()}
        assert max(counts.values()) >= 3 and min(counts.values()) < 3, counts
    students = cast_students()
    assert len(students) == 12 and len({s.email for s in students}) == 12
    assert len({s.seed for s in students}) == 12
    assert 3 <= sum(s.profile.offer for s in students if s.profile) <= 6
    assert sum(s.quiet >= 14 for s in students) >= 2


def test_a_search_profile_makes_another_kind_of_search(tmp_path: Path) -> None:
    profile = SearchProfile(
        candidate="Wei", days=90, applications=60, offer=False, weak=("sql", "statistics")
    )
    assert planted_weaknesses(profile.skill_path()) == ("sql", "statistics")
    with Journal.open(str(tmp_path / "short.db")) as journal:
        build_demo(journal, seed=3, end=END, profile=profile)
        summary = journal.summary()
        assert summary.applications == 60
        assert summary.reached.get("offer", 0) == 0
        assert summary.first_applied is not None
        assert summary.first_applied >= END - timedelta(days=90)
        assert summary.interviews_mock == 7  # fewer mocks in a shorter search, as often
        mails = "\n".join(f.text for f in journal.list_feedback())
        assert set(re.findall(r"^(?:Hi|Hello|Dear) (\w+)", mails, re.MULTILINE)) == {"Wei"}
    with pytest.raises(ValueError, match="no skill area"):
        SearchProfile(weak=("juggling",))


def test_demo_cohort_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from debrief.cli import main

    runner = CliRunner()
    db = tmp_path / "coach.db"
    monkeypatch.delenv("DEBRIEF_COACH_PASSWORD", raising=False)
    made = runner.invoke(main, ["--db", str(db), "demo", "--cohort", "1", "--end", "2026-06-30"])
    assert made.exit_code == 0, (made.output, made.exception)
    found = re.search(r"demo password (\S+)", made.stdout)
    assert found and "never use it for real people" in made.stdout
    assert "Built a coach demo server at" in made.stdout
    assert "1 admin, 2 coaches, 1 student" in made.stdout
    assert "jordan.reyes@example.org" in made.stdout and "sam.adeyemi@example.org" in made.stdout
    assert re.search(r"priya\.raman@example\.org +150 applications, an offer", made.stdout)
    assert f"debrief --db {db} coach serve" in made.stdout
    assert "Writing Priya Raman (1 of 1)" in made.stderr
    directory = Directory.open(f"sqlite:///{db}")
    try:
        signed = directory.sign_in("priya.raman@example.org", found[1], client="test")
        assert signed.person.role == "student"
    finally:
        directory.close()


def test_demo_cohort_takes_the_password_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from debrief.cli import main

    runner = CliRunner()
    db = tmp_path / "coach.db"
    monkeypatch.setenv("DEBRIEF_COACH_PASSWORD", PASSWORD)
    made = runner.invoke(main, ["--db", str(db), "demo", "--cohort", "1", "--json"])
    assert made.exit_code == 0, (made.output, made.exception)
    assert PASSWORD not in made.output
    import json

    shown = json.loads(made.stdout)
    assert shown["password"] is None and shown["password_from"] == "DEBRIEF_COACH_PASSWORD"
    assert [p["role"] for p in shown["people"]] == ["admin", "coach", "coach", "student"]
    directory = Directory.open(f"sqlite:///{db}")
    try:
        assert directory.sign_in("priya.raman@example.org", PASSWORD, client="test").person
    finally:
        directory.close()
    again = runner.invoke(main, ["--db", str(db), "demo", "--cohort", "1"])
    assert again.exit_code == 1 and "already has people" in again.output
    nowhere = runner.invoke(main, ["demo", "--cohort", "1"], env={"DEBRIEF_DATABASE_URL": ""})
    assert nowhere.exit_code == 2 and "--db" in nowhere.output


@pytest.fixture(autouse=True)
def _quick_passwords(quick_passwords: None) -> None:
    """Sign-ins here use Argon2id's least work (coach_helpers.fast_hashing)."""
