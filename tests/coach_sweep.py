"""The isolation sweep of a coach server (tests/test_coach_isolation.py says what it proves).

A world: an admin, coach A coaching student A and coach B coaching student B, each student's
journal seeded through the web with texts that carry the student's tag. Callers: nobody signed
in, the admin, the coaches, the students. The routes are read from the apps themselves
(`endpoints`); each path parameter is filled, by its name, with the other party's record or
person (`STUDENT_APP_PARAMS`, `SERVER_PARAMS`): a route with a parameter named there is swept
as soon as it exists, and one with a name not there fails the sweep until it is named.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from email.message import EmailMessage
from itertools import product
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from debrief.coach.store import Person
from debrief.journal import Journal
from tests.coach_helpers import PASSWORD, Server, make_server

# Every text a student writes carries their tag (letters and digits no page splits or changes
# but for case, and that a random token or a script is unlikely to hold).
TAGS = {"A": "xqa7731", "B": "xqb4482"}
SESSION = "debrief_session"
CSRF = "debrief_csrf"
JSON = {"content-type": "application/json"}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# What a form sends besides its token: enough for the forms that add or change a record to do
# so (in the caller's own journal), nothing that could change who coaches whom.
FORM_FIELDS = {
    "text": "WRITTEN by the sweep",
    "company": "Sweep Ltd",
    "role": "Sweeper",
    "title": "A story of the sweep",
    "notes": "WRITTEN by the sweep",
    "goal": "Sweep well",
}
# The server's pages anyone may open without signing in.
OPEN_PAGES = frozenset({"/login", "/join/{token}", "/reset/{token}"})  # and static files
# The parts of the server only one role may use.
ROLE_AREAS = {"/coach": "coach", "/admin": "admin"}


# -- the people and their journals ---------------------------------------------------------------


@dataclass
class Student:
    """A student, their coach, and what their journal holds (seeded through the web)."""

    letter: str
    person: Person
    coach: Person
    ids: dict[str, int] = field(default_factory=dict)  # a record of each kind, by path parameter
    partner_token: str = ""
    upload_id: str = ""  # a file uploaded to import, not confirmed yet
    join_token: str = ""  # an open invitation of their coach's

    @property
    def tag(self) -> str:
        return TAGS[self.letter]

    @property
    def name(self) -> str:
        return f"student {self.letter}"


@dataclass
class World:
    """A coach server with an admin, coach A coaching student A and coach B coaching B."""

    server: Server
    students: dict[str, Student]

    @property
    def spaces(self) -> Any:
        return self.server.app.state.students

    def journal(self, student: Student) -> Journal:
        journal: Journal = self.spaces.journals.journal(student.person.id)
        return journal

    def student_app(self) -> FastAPI:
        """The single-user app as students are served it (student A's)."""
        app: FastAPI = self.spaces.app(self.students["A"].person.id)
        return app

    def access(self, caller: Person | None) -> dict[str, Any]:
        """What the directory says of access (who coaches whom, each student's consent and
        archive), less what `caller` may change: a coach archives their own students."""
        from sqlalchemy import select

        from debrief.coach import store

        directory = self.server.directory
        with directory.engine.connect() as connection:
            links = sorted(
                connection.execute(
                    select(store.coaching.c.coach_id, store.coaching.c.student_id)
                ).all()
            )
        theirs = {student for coach, student in links if caller and coach == caller.id}
        students = [s.person.id for s in self.students.values()]
        archived = {p.id: p.archived for p in directory.people("student") if p.id not in theirs}
        return {"coaching": links, "consent": directory.levels(students), "archive": archived}

    def invite_open(self, student: Student) -> bool:
        """Whether the student's partner link still opens its form."""
        from debrief.partner import InviteRefused, open_invite

        try:
            open_invite(self.journal(student), student.partner_token)
        except InviteRefused:
            return False
        return True


def make_world(url: str) -> World:
    """A world on a new server at `url`; both students share everything with their coach."""
    server = make_server(url)
    students = {}
    for letter in TAGS:
        coach = server.join(server.admin, "coach", f"Coach {letter}")
        person = server.join(coach, "student", f"Student {letter}")
        students[letter] = Student(letter, person, coach)
    world = World(server, students)
    for student in students.values():
        seed(world, student)
        server.directory.set_level(student.person, student.person.id, "feedback")
        assign(world, student)
        _, student.join_token = server.directory.invite(
            student.coach, "student", f"Newcomer {student.letter}", f"new.{student.letter}@x.org"
        )
    return world


def seed(world: World, student: Student) -> None:
    """The student's journal, written through the web as the student: applications, rounds
    with feedback triaged and a statement confirmed, a plan item accepted with practice, a mock
    with a partner's link, a question, a story, a mail in the review queue and an upload waiting
    to be imported. Every text carries the student's tag. (`assign` adds the coach's
    assignment.)"""
    browser = signed_in(world.server, student.person)
    tag = student.tag
    today = date.today()

    def day(n: int) -> str:
        return (today - timedelta(days=n)).isoformat()

    def api(method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        answer = browser.request(method, path, json=body or {}, headers=JSON)
        assert answer.status_code < 300, (path, answer.status_code, answer.text)
        return answer.json()

    def form(path: str, fields: dict[str, str], files: Any = None) -> Any:
        answer = browser.post(path, data={**fields, "csrf_token": csrf(browser)}, files=files)
        assert answer.status_code < 400, (path, answer.status_code, answer.text[:2000])
        return answer

    ids = student.ids
    for n, company in ((12, "Zeta"), (7, "Yotta")):
        made = api(
            "POST",
            "/api/applications",
            {
                "company": f"{company}-{tag}",
                "role": f"Analyst {tag}",
                "notes": f"MARKER-{tag} application notes",
                "applied_on": day(n + 5),
            },
        )
        ids.setdefault("application_id", made["id"])
        interview = api(
            "POST",
            "/api/interviews",
            {
                "kind": "sql",
                "application_id": made["id"],
                "held_on": day(n),
                "interviewer": f"Iris {tag}",
                "outcome": "rejected",
                "notes": f"MARKER-{tag} interview notes",
            },
        )
        ids.setdefault("interview_id", interview["id"])
        feedback = api(
            "POST",
            "/api/feedback",
            {
                "text": f"MARKER-{tag}: your SQL joins were wrong and the window functions "
                "were shaky.",
                "interview_id": interview["id"],
                "received_on": day(n),
            },
        )
        ids.setdefault("feedback_id", feedback["id"])
        ids.setdefault("statement_id", feedback["statements"][0]["id"])
    api("POST", f"/api/statements/{ids['statement_id']}/confirm")
    [proposed] = api("GET", "/api/plan")
    ids["item_id"] = proposed["item"]["id"]
    api("POST", f"/api/plan/{ids['item_id']}/accept")
    api("POST", f"/api/plan/{ids['item_id']}/practice", {"text": f"MARKER-{tag} practice"})
    ids["number"] = 1  # a task of the item
    mock = api("POST", "/api/interviews", {"kind": "sql", "held_on": day(2), "notes": tag})
    invite = api("POST", f"/api/interviews/{mock['id']}/invites")
    ids["invite_id"] = invite["id"]
    student.partner_token = invite["url"].rsplit("/", 1)[1]
    asked = form(
        f"/interviews/{ids['interview_id']}/questions",
        {"text": f"How would you join two tables (MARKER-{tag})?"},
    )
    ids["question_id"] = int(re.findall(r"question-(\d+)", asked.headers["location"])[0])
    story = form(
        "/stories",
        {
            "title": f"MARKER-{tag} story",
            "situation": "A slow report.",
            "task": "Make it fast.",
            "action": "Indexed the joins.",
            "result": "Ten times faster.",
        },
    )
    ids["story_id"] = int(story.headers["location"].rsplit("/", 1)[1])
    preview = form("/import", {"kind": "mail"}, files={"files": ("q.eml", unsure_mail(tag))})
    form(f"/import/{upload_of(preview)}", {})
    [review] = api("GET", "/api/imports/reviews")
    ids["review_id"] = review["id"]
    sheet = f"Job Position,Company,Status\nAnalyst,Upsilon-{tag},Applied\n".encode()
    preview = form("/import", {"kind": "csv"}, files={"files": ("t.csv", sheet, "text/csv")})
    student.upload_id = upload_of(preview)


def assign(world: World, student: Student) -> None:
    """A mock interview assigned to the student by their coach, through the coach's form; its
    text carries the student's tag, as it is kept in their journal."""
    browser = signed_in(world.server, student.coach)
    answer = browser.post(
        f"/coach/students/{student.person.id}/assignments",
        data={
            "kind": "mock",
            "skill": "sql",
            "text": f"MARKER-{student.tag} assignment",
            "due_on": (date.today() + timedelta(days=3)).isoformat(),
            "csrf_token": csrf(browser),
        },
    )
    assert answer.status_code == 303, answer.text[:2000]
    student.ids["assignment_id"] = int(answer.headers["location"].rsplit("-", 1)[1])


def unsure_mail(tag: str) -> bytes:
    """A rejection that names no company: the import queues it for review."""
    message = EmailMessage()
    message["From"] = "Sam <sam@gmail.com>"
    message["To"] = "Student <student@example.org>"
    message["Subject"] = "Update"
    message["Date"] = "Tue, 03 Mar 2026 16:42:10 +0000"
    message["Message-ID"] = f"<q-{tag}@gmail.com>"
    message.set_content(
        "Hi,\n\nThanks for your time on the phone today. Unfortunately the panel decided not "
        f"to progress your application to the next round.\n\nBest,\nSam\nMARKER-{tag}\n"
    )
    return message.as_bytes()


def upload_of(preview: Any) -> str:
    found = re.search(r'action="/import/([A-Za-z0-9_\-]+)"', preview.text)
    assert found, preview.text[:2000]
    return found[1]


def csrf(browser: TestClient) -> str:
    token = browser.cookies.get(CSRF)
    if token is None:
        browser.get("/login")
        token = browser.cookies.get(CSRF)
    assert token
    return str(token)


def signed_in(server: Server, person: Person) -> TestClient:
    browser = server.client()
    sign_in(server, browser, person)
    return browser


def sign_in(server: Server, browser: TestClient, person: Person) -> None:
    signed = server.directory.sign_in(person.email, PASSWORD, client="sweep")
    browser.cookies.set(SESSION, signed.token)
    csrf(browser)


# -- callers -------------------------------------------------------------------------------------


@dataclass
class Caller:
    """Someone sending requests: nobody signed in, or a person whose session is kept alive
    (signed in again when a request of the sweep ended it: sign-out, a reset)."""

    name: str
    world: World
    person: Person | None
    may_see: frozenset[str]  # the tags of the journals this caller may be shown
    browser: TestClient

    @property
    def role(self) -> str:
        return self.person.role if self.person else "nobody"

    def ready(self) -> TestClient:
        """The browser, signed in again when the caller's session ended."""
        if self.person is not None:
            token = self.browser.cookies.get(SESSION)
            if token is None or self.world.server.directory.session(token) is None:
                self.browser.cookies.delete(SESSION)
                sign_in(self.world.server, self.browser, self.person)
        return self.browser

    def turned_away(self, status: int, location: str) -> bool:
        """Whether an answer is the one for nobody signed in, to a caller who should be."""
        return self.person is not None and (
            status == 401 or (status == 303 and location.startswith("/login"))
        )

    def own_journals(self) -> set[str]:
        me = self.person.id if self.person else None
        return {s.letter for s in self.world.students.values() if s.person.id == me}


def callers(world: World) -> dict[str, Caller]:
    a, b = world.students["A"], world.students["B"]
    directory = world.server.directory

    def coach_sees(student: Student) -> frozenset[str]:
        shared = directory.level(student.person.id) != "none"
        return frozenset({student.tag} if shared else ())

    made = {"anonymous": Caller("anonymous", world, None, frozenset(), world.server.client())}
    for name, person, may_see in (
        ("admin", world.server.admin, frozenset()),
        ("coach A", a.coach, coach_sees(a)),
        ("coach B", b.coach, coach_sees(b)),
        ("student A", a.person, frozenset({a.tag})),
        ("student B", b.person, frozenset({b.tag})),
    ):
        made[name] = Caller(name, world, person, may_see, signed_in(world.server, person))
    return made


# -- the routes, from the apps -------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    name: str
    kind: type
    choices: tuple[str, ...] = ()  # the values a pattern of alternatives allows


@dataclass(frozen=True)
class Endpoint:
    side: str  # "server": the coach server's own pages; "student": the journal app
    path: str
    method: str
    params: tuple[Param, ...]
    folder: str | None = None  # of a mount of static files

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.side})"


_ALTERNATIVES = re.compile(r"\^\(([\w|]+)\)\$")


def endpoints(app: FastAPI, side: str) -> list[Endpoint]:
    """Every route × method an app declares (HEAD and OPTIONS aside), with its path
    parameters; a route of a kind the sweep does not know fails."""
    from fastapi.routing import APIRoute, iter_route_contexts
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        path = str(context.path)
        if isinstance(route, Mount):
            assert isinstance(route.app, StaticFiles), f"a mount the sweep does not know: {path}"
            folder = str(route.app.directory)
            found.append(Endpoint(side, f"{path}/{{path}}", "GET", (Param("path", str),), folder))
            continue
        if isinstance(route, APIRoute):
            params = tuple(_param(p) for p in route.dependant.path_params)
        elif isinstance(route, Route):
            params = tuple(Param(name, str) for name in route.param_convertors)
        else:
            raise AssertionError(f"a route the sweep does not know: {route!r}")
        in_path = set(re.findall(r"{(\w+)(?::\w+)?}", path))
        assert in_path == {p.name for p in params}, (path, params)
        methods = set(context.methods or ())
        unknown = methods - set(METHODS) - {"HEAD", "OPTIONS"}
        assert not unknown, f"{path} takes {unknown}, which the sweep does not send"
        for method in sorted(methods & set(METHODS)):
            found.append(Endpoint(side, path, method, params))
    return found


def _param(field_: Any) -> Param:
    info = field_.field_info
    kind = info.annotation
    assert kind in (int, str), f"a path parameter of a type the sweep does not know: {field_}"
    choices: tuple[str, ...] = ()
    for meta in info.metadata:
        pattern = getattr(meta, "pattern", None)
        if pattern and (alternatives := _ALTERNATIVES.fullmatch(pattern)):
            choices = tuple(alternatives[1].split("|"))
    return Param(field_.name, kind, choices)


# What each path parameter is filled with: the other party's record or person of that name.
Filler = Callable[[Student, Param, Endpoint], list[str]]


def _record(name: str) -> Filler:
    return lambda victim, _param, _endpoint: [str(victim.ids[name])]


def _static_file(_victim: Student, _param: Param, endpoint: Endpoint) -> list[str]:
    assert endpoint.folder
    return [sorted(p.name for p in Path(endpoint.folder).iterdir() if p.is_file())[0]]


def _each_choice(_victim: Student, param: Param, _endpoint: Endpoint) -> list[str]:
    assert param.choices, f"{param.name}: the sweep takes the values its pattern allows"
    return list(param.choices)


STUDENT_APP_PARAMS: dict[str, tuple[type, Filler]] = {
    **{
        name: (int, _record(name))
        for name in (
            "application_id",
            "interview_id",
            "feedback_id",
            "statement_id",
            "review_id",
            "item_id",
            "invite_id",
            "question_id",
            "story_id",
            "number",
            "assignment_id",
        )
    },
    "action": (str, _each_choice),
    "token": (str, lambda victim, _p, _e: [victim.partner_token]),
    "upload_id": (str, lambda victim, _p, _e: [victim.upload_id]),
    "path": (str, _static_file),
}
SERVER_PARAMS: dict[str, tuple[type, Filler]] = {
    "student_id": (int, lambda victim, _p, _e: [str(victim.person.id)]),
    "person_id": (int, lambda victim, _p, _e: [str(victim.person.id)]),
    "coach_id": (int, lambda victim, _p, _e: [str(victim.coach.id)]),
    "assignment_id": (int, _record("assignment_id")),
    "token": (str, lambda victim, _p, _e: [victim.join_token]),
    "rest": (
        str,
        lambda victim, _p, _e: [
            f"students/{victim.person.id}/applications/{victim.ids['application_id']}"
        ],
    ),
    "path": (str, _static_file),
}


def addresses(endpoint: Endpoint, victim: Student) -> list[str]:
    """The endpoint's path with its parameters filled with `victim`'s ids (every combination,
    when a parameter takes several values)."""
    table = STUDENT_APP_PARAMS if endpoint.side == "student" else SERVER_PARAMS
    values = []
    for param in endpoint.params:
        known = table.get(param.name)
        assert known is not None, (
            f"{endpoint}: the sweep does not know the path parameter {param.name!r}; say in "
            "STUDENT_APP_PARAMS or SERVER_PARAMS whose record it names"
        )
        kind, fill = known
        assert kind is param.kind, f"{endpoint}: {param.name} is a {param.kind}, not a {kind}"
        values.append(fill(victim, param, endpoint))
    found = []
    for chosen in product(*values):
        path = endpoint.path
        for param, value in zip(endpoint.params, chosen, strict=True):
            path = re.sub(rf"{{{param.name}(:\w+)?}}", value, path)
        found.append(path)
    return found


# -- one request, and what may come back -----------------------------------------------------


@dataclass
class Answer:
    status: int
    location: str
    text: str  # the body (a zip's members read out) and the headers, lower case


def send(caller: Caller, method: str, path: str) -> Answer:
    """Send a request as `caller`; if the answer says nobody is signed in (an earlier request
    ended the session: a sign-out, a reset), sign in again and send it once more."""
    browser = caller.browser
    options: dict[str, Any] = {}
    if path.startswith("/api/"):
        if method in ("POST", "PUT", "PATCH"):
            options = {"content": b"{}", "headers": JSON}
    elif method != "GET":
        options = {"data": {**FORM_FIELDS, "csrf_token": csrf(browser)}}
    response = browser.request(method, path, **options)
    if caller.turned_away(response.status_code, response.headers.get("location", "")):
        caller.ready()
        response = browser.request(method, path, **options)
    body = response.content
    if body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"\n".join(archive.read(name) for name in archive.namelist())
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    text = (body.decode("utf-8", "replace") + "\n" + headers).lower()
    return Answer(response.status_code, response.headers.get("location", ""), text)


def offences(
    world: World, caller: Caller, victim: Student, endpoint: Endpoint, answer: Answer, link: str
) -> list[str]:
    """What is wrong with `answer`. `link` is "valid" or "invalid" for a partner's link (a
    journal's /partner/ page under /students/<id>), "" otherwise."""
    found = []
    if answer.status >= 500:
        found.append(f"a server error ({answer.status})")
    for student in world.students.values():
        if student.tag not in caller.may_see and student.tag in answer.text:
            found.append(f"shows {student.name}'s journal ({answer.status})")
    ok = 200 <= answer.status < 300
    static = endpoint.folder is not None
    if link:
        # Anyone with the link opens the form of its interview, while its invite is open (the
        # sweep may have closed it); the same token under another journal opens nothing.
        if link == "valid" and world.invite_open(victim):
            if answer.status != 200:
                found.append(f"a partner's link answers {answer.status}, not its form")
        elif ok:
            found.append(f"a closed partner's link answers {answer.status}")
    elif caller.person is None:
        open_page = static or (endpoint.side == "server" and endpoint.path in OPEN_PAGES)
        if not (open_page or answer.status == 401 or to_sign_in(answer)):
            found.append(f"answers {answer.status} to nobody signed in, not the sign-in page")
    else:
        found += _role_offences(world, caller, victim, endpoint, answer)
    return found


def to_sign_in(answer: Answer) -> bool:
    return answer.status == 303 and answer.location.startswith("/login")


def _role_offences(
    world: World, caller: Caller, victim: Student, endpoint: Endpoint, answer: Answer
) -> list[str]:
    assert caller.person is not None
    found = []
    ok = 200 <= answer.status < 300
    student_app = endpoint.side == "student" and endpoint.folder is None
    if caller.role != "student" and student_app and ok:
        found.append(f"serves a student's journal app to the {caller.role} ({answer.status})")
    names = {p.name for p in endpoint.params}
    not_theirs = not world.server.directory.coaches(caller.person.id, victim.person.id)
    if caller.role == "coach" and "student_id" in names and not_theirs and answer.status != 404:
        found.append(f"answers {answer.status} for a student not theirs, not 404")
    for area, role in ROLE_AREAS.items():
        mine = caller.role == role or endpoint.side != "server"
        if not mine and endpoint.path.startswith(area) and (ok or answer.status == 303):
            found.append(f"opens the {role}'s pages to the {caller.role} ({answer.status})")
    return found


# -- the sweep -----------------------------------------------------------------------------------


@dataclass
class Guarded:
    """The state the caller must not change: the journals not theirs and who coaches whom."""

    world: World
    caller: Caller
    letters: tuple[str, ...]
    revisions: dict[str, Any] = field(default_factory=dict)
    dumps: dict[str, Any] = field(default_factory=dict)
    access: Any = None

    def take(self) -> None:
        from debrief.ingest.backup import dump

        for letter in self.letters:
            journal = self.world.journal(self.world.students[letter])
            self.revisions[letter] = journal.revision()
            self.dumps[letter] = dump(journal)
        self.access = self.world.access(self.caller.person)

    def changes(self, *, access: bool = True, whole: bool = False) -> list[str]:
        """What changed since `take`: the journals' revisions, and with `access` who coaches
        whom; with `whole`, every row of the journals too."""
        from debrief.ingest.backup import dump

        found = []
        for letter in self.letters:
            journal = self.world.journal(self.world.students[letter])
            if journal.revision() != self.revisions[letter]:
                found.append(f"writes to student {letter}'s journal")
            elif whole and dump(journal) != self.dumps[letter]:
                found.append(f"changes student {letter}'s journal (its revision unmoved)")
        if access and self.world.access(self.caller.person) != self.access:
            found.append("changes who coaches whom, or what a student shares")
        return found


def sweep(
    world: World,
    caller: Caller,
    victim: Student,
    routes: list[Endpoint],
    methods: tuple[str, ...] = METHODS,
) -> list[str]:
    """Every route in `routes` (with a method in `methods`) as `caller`, with `victim`'s ids:
    one line per offence, "METHOD route as caller: what"."""
    guarded = Guarded(
        world,
        caller,
        tuple(letter for letter in world.students if letter not in caller.own_journals()),
    )
    guarded.take()
    problems = []

    def judge(endpoint: Endpoint, path: str, link: str = "") -> None:
        answer = send(caller, endpoint.method, path)
        wrong = offences(world, caller, victim, endpoint, answer, link)
        # Who coaches whom is read after each change; after a GET, only at the end.
        wrong += guarded.changes(access=endpoint.method != "GET")
        if wrong:
            guarded.take()  # the next request is judged on its own
        problems.extend(f"{endpoint.method} {path} as {caller.name}: {w}" for w in wrong)

    for endpoint in routes:
        if endpoint.method not in methods:
            continue
        for path in addresses(endpoint, victim):
            judge(endpoint, path)
            if endpoint.side == "student" and endpoint.path.startswith("/partner/"):
                # A partner's link reaches this page of one journal, under its student's id.
                other = next(s for s in world.students.values() if s is not victim)
                for someone_else in (other.person, victim.coach):
                    judge(endpoint, f"/students/{someone_else.id}{path}", "invalid")
                # Under its own journal's id the link opens its form; sending the form writes
                # to that journal, which is what the link is for: the sweep only opens it.
                if endpoint.method == "GET":
                    judge(endpoint, f"/students/{victim.person.id}{path}", "valid")
    problems.extend(f"the sweep as {caller.name}: {w}" for w in guarded.changes(whole=True))
    return problems


def all_endpoints(world: World) -> list[Endpoint]:
    return [
        *endpoints(world.server.app, "server"),
        *endpoints(world.student_app(), "student"),
    ]


def report(problems: list[str]) -> str:
    return f"{len(problems)} offences:\n" + "\n".join(problems)


def path_values(path: str, student: Student) -> dict[str, int]:
    """The ids of `student`'s records for the parameters of a path of the JSON API."""
    found = {}
    for name in re.findall(r"{(\w+)}", path):
        kind, fill = STUDENT_APP_PARAMS[name]
        assert kind is int, name
        found[name] = int(fill(student, Param(name, kind), Endpoint("student", path, "GET", ()))[0])
    return found
