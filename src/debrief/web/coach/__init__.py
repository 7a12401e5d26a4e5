"""The coach server: people sign in, each student works in a journal of their own, and a coach
sees the students assigned to them, as far as each one shares.

A request passes three doors before any page sees it. The guards (`web.security`) check the
host, the body and, for a change, the origin. `Dispatch` reads the session cookie and sends the
request on: a signed-in student to the single-user app over their own journal, and nobody else
(the app holds that journal alone, so no page of it can reach another's); everyone else to the
server's own pages (sign-in, account, the coach's cohort, the admin's people), whose every route
checks who asks (`access`). A partner's link (`/students/<id>/partner/<token>`) reaches only the
partner form of that student's app.
"""

from __future__ import annotations

import re
import threading
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from importlib import resources
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Receive, Scope, Send

if TYPE_CHECKING:
    from fastapi import FastAPI

    from debrief.coach.store import Directory, Person
    from debrief.web.render import Renderer

SESSION_COOKIE = "debrief_session"
# With https, the cookie's name says it was set by this host alone, over a secure connection.
SECURE_SESSION_COOKIE = "__Host-debrief_session"
# The server's own pages; a student's other requests go to their journal's app.
FRONT_PATHS = re.compile(r"/(login|logout|join/|reset/|account|coach|admin|static/)")
PARTNER_PATH = re.compile(r"/students/([0-9]{1,9})(/partner/[^/]{1,512})")
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_\-]{20,100}")


class StudentSpaces:
    """One single-user app per student, over their journal, made when first needed."""

    def __init__(self, directory: Directory, renderer: Renderer, public_url: str | None) -> None:
        from debrief.coach.students import StudentJournals

        self.directory = directory
        self.journals = StudentJournals(directory)
        self.renderer = renderer
        self.public_url = public_url
        self._lock = threading.Lock()
        self._apps: dict[int, FastAPI] = {}

    def app(self, student_id: int) -> FastAPI:
        """The app over the journal of `student_id`, who must be a student of the directory."""
        with self._lock:
            app = self._apps.get(student_id)
        if app is not None:
            return app
        from debrief.web import create_app

        journal = self.journals.journal(student_id)
        made = create_app(
            journal,
            public_url=self.public_url,
            guarded=False,
            renderer=self.renderer,
            partner_prefix=f"/students/{student_id}",
        )
        with self._lock:
            return self._apps.setdefault(student_id, made)

    def is_student(self, student_id: int) -> bool:
        from debrief.errors import NotFound

        try:
            return self.directory.get(student_id).role == "student"
        except NotFound:
            return False

    def close(self) -> None:
        self.journals.close()


def create_coach_app(
    directory: Directory,
    *,
    allowed_hosts: Iterable[str] = ("127.0.0.1", "localhost", "::1", "testserver"),
    public_url: str | None = None,
    csrf_key: bytes | None = None,
    close_directory: bool = False,
) -> FastAPI:
    """The coach server over `directory` (see the module's text)."""
    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from debrief import __version__
    from debrief.web import _handle_errors
    from debrief.web.coach import access, admin, auth, cohort
    from debrief.web.coach.assign import router as assignments
    from debrief.web.render import Renderer
    from debrief.web.security import GuardMiddleware

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        summaries = getattr(app.state, "cohort_summaries", None)
        if summaries is not None:  # its thread ends before the journals it reads close
            summaries.close()
        app.state.students.close()
        if close_directory:
            directory.close()

    app = FastAPI(
        lifespan=lifespan,
        title="debrief coach server",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    renderer = Renderer()
    app.state.directory = directory
    app.state.renderer = renderer
    app.state.public_url = public_url.rstrip("/") if public_url else None
    app.state.students = StudentSpaces(directory, renderer, app.state.public_url)
    static = resources.files("debrief.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for module in (auth, cohort, admin):
        app.include_router(module.router)
    app.include_router(assignments)
    app.include_router(access.fallback)  # last: every other address
    _handle_errors(app)
    access.handle_refusals(app)
    app.add_middleware(Dispatch, spaces=app.state.students, public_url=public_url)
    app.add_middleware(
        GuardMiddleware,
        allowed_hosts=allowed_hosts,
        origins=[public_url] if public_url else [],
        csrf_key=csrf_key,
    )
    return app


class Dispatch:
    """Reads the session and sends each request to the app that serves it (module text)."""

    def __init__(self, app: ASGIApp, *, spaces: StudentSpaces, public_url: str | None) -> None:
        self.app = app
        self.spaces = spaces
        self.secure = bool(public_url and public_url.startswith("https://"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from starlette.concurrency import run_in_threadpool

        state = scope.setdefault("state", {})
        secure = self.secure or scope.get("scheme") == "https"
        state["secure"] = secure
        token = session_token(scope, secure)
        person: Person | None = None
        if token is not None:
            person = await run_in_threadpool(self.spaces.directory.session, token)
        state["person"] = person
        state["session_token"] = token if person is not None else None
        path: str = scope["path"]
        partner = PARTNER_PATH.fullmatch(path)
        if partner is not None:
            student_id = int(partner[1])
            if await run_in_threadpool(self.spaces.is_student, student_id):
                app = await run_in_threadpool(self.spaces.app, student_id)
                inner = {**scope, "path": partner[2], "raw_path": partner[2].encode()}
                await app(inner, receive, send)
                return
        elif (
            person is not None
            and person.role == "student"
            and not FRONT_PATHS.match(path)
            and not path.startswith("/students/")
        ):
            app = await run_in_threadpool(self.spaces.app, person.id)
            await app(scope, receive, send)
            return
        await self.app(scope, receive, send)


def session_token(scope: Scope, secure: bool) -> str | None:
    """The session token the browser sent, when it has the shape of one."""
    from starlette.datastructures import Headers

    from debrief.web.security import cookie_values

    name = SECURE_SESSION_COOKIE if secure else SESSION_COOKIE
    for value in cookie_values(Headers(scope=scope), name):
        if _TOKEN_SHAPE.fullmatch(value):
            return value
    return None


def session_cookie(token: str, *, secure: bool, max_age: int) -> str:
    """The Set-Cookie value of a session: HttpOnly, SameSite=Lax, and Secure with https."""
    name = SECURE_SESSION_COOKIE if secure else SESSION_COOKIE
    flags = "; Secure" if secure else ""
    return f"{name}={token}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{flags}"


def dropped_session_cookie(*, secure: bool) -> str:
    return session_cookie("", secure=secure, max_age=0)


def person_of(scope_state: dict[str, Any]) -> Person | None:
    person: Person | None = scope_state.get("person")
    return person
