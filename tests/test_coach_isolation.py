"""Isolation you can prove (issue 19): every route of the coach server and of the single-user
app its students are served, called as every role, on SQLite and PostgreSQL.

Two coaches each coach one student; both students keep a journal (seeded through the web, as
each student) whose every text carries that student's tag. The routes are read from the apps
themselves, never from a list, and every path parameter is filled with the other party's ids;
a parameter the sweep does not know fails the test, so a new route is swept, not skipped. What
may come back: no response ever shows the journal of a student the caller may not see; nobody
signed in gets anything but the sign-in page (or 401) outside the sign-in, link and partner
pages; a coach gets 404 for a student not theirs and never the journal app; an admin sees no
journal at all; and no request changes a journal that is not the caller's own, or who coaches
whom. Then the JSON API is swept with schemathesis as one student while the other's journal
holds its tag. Every offence is reported at once, as (method, route, caller): what happened.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.coach_helpers import (
    make_server,
)
from tests.coach_sweep import (
    SESSION,
    Student,
    World,
    addresses,
    all_endpoints,
    callers,
    endpoints,
    make_world,
    path_values,
    report,
    signed_in,
    sweep,
)

API_EXAMPLES = 5  # generated requests per operation of the JSON API


# -- the tests -----------------------------------------------------------------------------------


@pytest.fixture
def world(url: str) -> Iterator[World]:
    made = make_world(url)
    yield made
    made.server.close()


def test_nobody_the_admin_and_the_coaches_see_no_journal_they_may_not(world: World) -> None:
    """Nobody signed in, the admin and both coaches send every method to every route, with the
    other party's ids. Then student A shares nothing, and coach A is swept with A's ids."""
    a, b = world.students["A"], world.students["B"]
    people = callers(world)
    routes = all_endpoints(world)
    assert {e.side for e in routes} == {"server", "student"} and len(routes) > 100
    problems = []
    for name, victim in (("anonymous", a), ("admin", a), ("coach A", b), ("coach B", a)):
        problems += sweep(world, people[name], victim, routes)
    world.server.directory.set_level(a.person, a.person.id, "none")
    people["coach A"].may_see = frozenset()
    problems += sweep(world, people["coach A"], a, routes)
    assert not problems, report(problems)


def test_a_student_with_the_others_ids_never_sees_or_changes_the_others_journal(
    world: World,
) -> None:
    """Each student sends every method to every route with the other's ids: B first, then A.
    (B's writes changed B's own journal, whose tagged records A must still not be shown.)"""
    people = callers(world)
    routes = all_endpoints(world)
    problems = sweep(world, people["student B"], world.students["A"], routes)
    problems += sweep(world, people["student A"], world.students["B"], routes)
    assert not problems, report(problems)


def test_the_sweep_finds_a_journal_served_to_the_wrong_student(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sweep can fail: with every student served student A's journal, B's sweep reports
    that B is shown A's journal and writes to it."""
    made = make_world(f"sqlite:///{tmp_path / 'server.db'}")
    try:
        a = made.students["A"]
        serve = made.spaces.app
        monkeypatch.setattr(made.spaces, "app", lambda _student_id: serve(a.person.id))
        student_b = callers(made)["student B"]
        routes = [e for e in endpoints(made.student_app(), "student") if "application" in e.path]
        problems = sweep(made, student_b, a, routes)
        assert any("shows student A's journal" in p for p in problems), report(problems)
        assert any("writes to student A's journal" in p for p in problems), report(problems)
    finally:
        made.server.close()


def test_a_new_route_is_swept_and_one_with_a_parameter_the_sweep_does_not_know_fails_it() -> None:
    from datetime import UTC, datetime

    from fastapi import FastAPI

    from debrief.coach.store import Person

    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

    @app.post("/applications/{application_id}/archive")
    def archive(application_id: int) -> None: ...

    @app.get("/things/{thing_id}")
    def thing(thing_id: int) -> None: ...

    def person(number: int, role: str) -> Person:
        return Person(number, f"P{number}", f"p{number}@x.org", role, None, datetime.now(UTC))

    victim = Student("A", person(3, "student"), person(2, "coach"), ids={"application_id": 7})
    known, unknown = endpoints(app, "student")
    assert addresses(known, victim) == ["/applications/7/archive"]
    with pytest.raises(AssertionError, match="does not know the path parameter 'thing_id'"):
        addresses(unknown, victim)


# -- the JSON API, with schemathesis -------------------------------------------------------------


def test_the_only_api_schema_is_the_one_a_student_reads_of_their_own_api(url: str) -> None:
    server = make_server(url)
    try:
        coach = server.join(server.admin, "coach", "Coach")
        student = server.join(coach, "student", "Student")
        browsers = {
            "anonymous": server.client(),
            **{p.role: signed_in(server, p) for p in (server.admin, coach, student)},
        }
        schema = browsers["student"].get("/api/openapi.json")
        assert schema.status_code == 200
        assert schema.json()["info"]["title"] == "debrief"
        assert all(path.startswith("/api/") for path in schema.json()["paths"])
        for who, browser in browsers.items():
            if who != "student":
                assert browser.get("/api/openapi.json").status_code in (401, 404), who
            for path in ("/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"):
                answer = browser.get(path)
                assert answer.status_code in (303, 404) and "openapi" not in answer.text, who
    finally:
        server.close()


def test_the_api_as_one_student_never_shows_or_changes_the_others_journal(world: World) -> None:
    """Requests generated from the API's schema (read through the coach server as student B),
    sent as B, some with A's ids in the path: none shows A's journal, changes it or fails."""
    from hypothesis import given
    from hypothesis import strategies as st
    from schemathesis import GenerationMode

    a = world.students["A"]
    token = callers(world)["student B"].browser.cookies.get(SESSION)
    assert token
    schema = schemathesis.openapi.from_asgi(
        "/api/openapi.json", world.server.app, headers={"Cookie": f"{SESSION}={token}"}
    )
    journal = world.journal(a)
    problems: set[str] = set()

    def call(case: schemathesis.Case) -> None:
        before = journal.revision()
        response = case.call(cookies={SESSION: token})
        label = f"{case.method} {case.formatted_path} as student B"
        if response.status_code >= 500:
            problems.add(f"{label}: a server error ({response.status_code})")
        if a.tag in response.text.lower():
            problems.add(f"{label}: shows student A's journal")
        if journal.revision() != before:
            problems.add(f"{label}: writes to student A's journal")

    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:
        theirs = path_values(operation.path, a)
        strategy = st.one_of(
            operation.as_strategy(),
            operation.as_strategy(path_parameters=theirs),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )
        run = settings(
            max_examples=API_EXAMPLES,
            deadline=timedelta(seconds=5),  # a request that hangs fails the test
            database=None,
            suppress_health_check=list(HealthCheck),
        )(given(strategy)(call))
        run()
    assert not problems, report(sorted(problems))


@pytest.fixture(autouse=True)
def _quick_passwords(quick_passwords: None) -> None:
    """Sign-ins here use Argon2id's least work (coach_helpers.fast_hashing)."""
