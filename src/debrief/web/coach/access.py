"""Who may open what on a coach server: every route of the server's own pages asks for one of
these, and a request that is not allowed ends here, before any data is read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from debrief.coach.store import AccessRefused, Directory, Person, TooManyAttempts
from debrief.errors import NotFound

if TYPE_CHECKING:
    from fastapi import FastAPI

    from debrief.web.coach import StudentSpaces


class NotSignedIn(Exception):
    """A request that needs a signed-in person, from nobody."""


class Forbidden(Exception):
    """A signed-in person asking for a page of another role."""


def directory_of(request: Request) -> Directory:
    directory: Directory = request.app.state.directory
    return directory


def spaces_of(request: Request) -> StudentSpaces:
    spaces: StudentSpaces = request.app.state.students
    return spaces


def signed_in(request: Request) -> Person:
    person: Person | None = request.scope.get("state", {}).get("person")
    if person is None:
        raise NotSignedIn
    return person


def _role(role: str) -> object:
    def check(person: Annotated[Person, Depends(signed_in)]) -> Person:
        if person.role != role:
            raise Forbidden
        return person

    return check


DirectoryDep = Annotated[Directory, Depends(directory_of)]
SignedIn = Annotated[Person, Depends(signed_in)]
CoachDep = Annotated[Person, Depends(_role("coach"))]
AdminDep = Annotated[Person, Depends(_role("admin"))]
StudentDep = Annotated[Person, Depends(_role("student"))]
# A student in a route's path: a directory id, a whole number a database takes.
StudentId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def coached(directory: Directory, coach: Person, student_id: int) -> Person:
    """The student `student_id`, when `coach` coaches them; else NotFound (the same answer as
    for no such student: a coach learns nothing of students not theirs)."""
    if not directory.coaches(coach.id, student_id):
        raise NotFound("student", student_id)
    return directory.get(student_id)


def handle_refusals(app: FastAPI) -> None:
    """Nobody signed in: the sign-in page (JSON 401 under /api/). The wrong role: 403.
    A refused sign-in or link: 403, or 429 with Retry-After after too many failures."""
    from debrief.web.render import Renderer

    def page(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=status)
        renderer: Renderer = request.app.state.renderer
        return renderer.page(
            request, "coach/message.html", {"status": status, "message": message}, status
        )

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _error: NotSignedIn) -> Response:
        if request.method == "GET" and not request.url.path.startswith("/api/"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        return page(request, 401, "Sign in first.")

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, _error: Forbidden) -> Response:
        return page(request, 403, "This page is not for your account.")

    @app.exception_handler(TooManyAttempts)
    async def too_many(request: Request, error: TooManyAttempts) -> Response:
        response = page(request, 429, str(error).capitalize() + ".")
        response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.exception_handler(AccessRefused)
    async def refused(request: Request, error: AccessRefused) -> Response:
        return page(request, 403, str(error).capitalize() + ".")


fallback = APIRouter()
HOME = {"admin": "/admin", "coach": "/coach", "student": "/"}


@fallback.get("/")
def home(person: SignedIn) -> Response:
    return RedirectResponse(HOME[person.role], status_code=303)


@fallback.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def elsewhere(request: Request, rest: str) -> Response:
    """Any other address: sign in first, else there is nothing here for this account."""
    signed_in(request)
    raise HTTPException(404, "There is nothing at this address for your account.")
