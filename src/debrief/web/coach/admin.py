"""The admin's page: the people of the server, invitations, who coaches whom, password resets
and archiving. An admin manages accounts and never reads a student's journal."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from debrief.coach.store import ROLES, AccessRefused
from debrief.errors import InvalidInput
from debrief.web.coach.access import AdminDep, DirectoryDep
from debrief.web.coach.cohort import join_link
from debrief.web.pages import Form

router = APIRouter()
PersonId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _page(
    request: Request, directory: DirectoryDep, extra: dict[str, Any], status: int = 200
) -> Response:
    people = directory.people()
    renderer = request.app.state.renderer
    context = {
        "people": people,
        "coaches": [p for p in people if p.role == "coach"],
        "coached_by": {p.id: directory.coaches_of(p.id) for p in people if p.role == "student"},
        "roles": ROLES,
        "audit": directory.audit(limit=30),
        "link": None,
        "error": None,
        **extra,
    }
    result: Response = renderer.page(request, "coach/admin.html", context, status)
    return result


def _number(form: dict[str, str], field: str) -> int:
    value = form.get(field, "")
    if not (value.isascii() and value.isdigit() and len(value) <= 9):
        raise InvalidInput(field, "choose one")
    return int(value)


@router.get("/admin", response_class=HTMLResponse)
def people_page(request: Request, admin: AdminDep, directory: DirectoryDep) -> Response:
    return _page(request, directory, {})


@router.post("/admin/invite", response_class=HTMLResponse)
def invite(request: Request, admin: AdminDep, form: Form, directory: DirectoryDep) -> Response:
    try:
        role = form.get("role", "")
        coach = _number(form, "coach") if role == "student" and form.get("coach") else None
        invitation, token = directory.invite(
            admin, role, form.get("name", ""), form.get("email", ""), coach_id=coach
        )
    except (InvalidInput, AccessRefused) as refused:
        return _page(request, directory, {"error": str(refused)}, 422)
    link = join_link(request, token)
    return _page(request, directory, {"link": link, "link_for": invitation.name})


@router.post("/admin/link", response_class=HTMLResponse)
def link(request: Request, admin: AdminDep, form: Form, directory: DirectoryDep) -> Response:
    try:
        directory.link(admin, _number(form, "coach"), _number(form, "student"))
    except (InvalidInput, AccessRefused) as refused:
        return _page(request, directory, {"error": str(refused)}, 422)
    return _page(request, directory, {})


@router.post("/admin/unlink", response_class=HTMLResponse)
def unlink(request: Request, admin: AdminDep, form: Form, directory: DirectoryDep) -> Response:
    directory.unlink(admin, _number(form, "coach"), _number(form, "student"))
    return _page(request, directory, {})


@router.post("/admin/people/{person_id}/reset", response_class=HTMLResponse)
def reset(
    request: Request, person_id: PersonId, admin: AdminDep, form: Form, directory: DirectoryDep
) -> Response:
    person = directory.get(person_id)
    token = directory.reset_link(admin, person.id)
    link = join_link(request, token, "reset")
    return _page(request, directory, {"link": link, "link_for": person.name, "reset": True})
