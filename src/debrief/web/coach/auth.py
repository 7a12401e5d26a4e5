"""Signing in and out, joining by an invitation, a new password by a reset link, and one's own
account: the password, sessions, and (for a student) what their coaches see."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from debrief.coach.store import (
    CONSENT_LEVELS,
    CONSENT_WORDS,
    SESSION_DAYS,
    AccessRefused,
    TooManyAttempts,
)
from debrief.errors import InvalidInput
from debrief.web.coach import dropped_session_cookie, session_cookie
from debrief.web.coach.access import HOME, DirectoryDep, SignedIn
from debrief.web.pages import Form, RendererDep, _back

router = APIRouter()
# A link's token as `passwords.new_token` makes it; anything else is not looked up.
Token = Annotated[str, Path(pattern=r"^[A-Za-z0-9_\-]{20,100}$")]


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _signed_in_response(request: Request, token: str, target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    secure = bool(request.scope.get("state", {}).get("secure"))
    response.headers.append(
        "set-cookie", session_cookie(token, secure=secure, max_age=SESSION_DAYS * 86400)
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, renderer: RendererDep, next: str = "") -> Response:
    return renderer.page(request, "coach/login.html", {"next": next, "email": "", "error": None})


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, form: Form, directory: DirectoryDep, renderer: RendererDep) -> Response:
    email, password = form.get("email", ""), form.get("password", "")
    try:
        signed = directory.sign_in(email, password, client=_client(request))
    except TooManyAttempts:
        raise
    except AccessRefused as refused:
        context = {"next": form.get("next", ""), "email": email[:254], "error": str(refused)}
        return renderer.page(request, "coach/login.html", context, 401)
    return _signed_in_response(request, signed.token, _back(form, HOME[signed.person.role]))


@router.post("/logout")
def logout(request: Request, form: Form, directory: DirectoryDep) -> Response:
    token = request.scope.get("state", {}).get("session_token")
    if token:
        directory.sign_out(token)
    response = RedirectResponse("/login", status_code=303)
    secure = bool(request.scope.get("state", {}).get("secure"))
    response.headers.append("set-cookie", dropped_session_cookie(secure=secure))
    return response


def _link_page(
    request: Request, renderer: RendererDep, directory: DirectoryDep, token: str, **extra: Any
) -> Response:
    try:
        invitation = directory.invitation(token)
    except AccessRefused as refused:
        context = {"status": 410, "message": str(refused).capitalize() + "."}
        return renderer.page(request, "coach/message.html", context, 410)
    context = {
        "invitation": invitation,
        "levels": [(level, CONSENT_WORDS[level]) for level in CONSENT_LEVELS[1:]],
        "coach": directory.get(invitation.coach_id) if invitation.coach_id else None,
        "error": None,
        **extra,
    }
    status = 422 if context["error"] else 200
    return renderer.page(request, "coach/join.html", context, status)


@router.get("/join/{token}", response_class=HTMLResponse)
@router.get("/reset/{token}", response_class=HTMLResponse)
def link_page(
    request: Request, token: Token, renderer: RendererDep, directory: DirectoryDep
) -> Response:
    return _link_page(request, renderer, directory, token)


@router.post("/join/{token}", response_class=HTMLResponse)
@router.post("/reset/{token}", response_class=HTMLResponse)
def use_link(
    request: Request, token: Token, form: Form, renderer: RendererDep, directory: DirectoryDep
) -> Response:
    password = form.get("password", "")
    if password != form.get("again", ""):
        return _link_page(request, renderer, directory, token, error="The two passwords differ.")
    try:
        person = directory.accept(token, password, level=form.get("level", "progress"))
    except InvalidInput as invalid:
        return _link_page(request, renderer, directory, token, error=invalid.detail.capitalize())
    except AccessRefused as refused:
        context = {"status": 410, "message": str(refused).capitalize() + "."}
        return renderer.page(request, "coach/message.html", context, 410)
    signed = directory.sign_in(person.email, password, client=_client(request))
    return _signed_in_response(request, signed.token, HOME[person.role])


@router.get("/account", response_class=HTMLResponse)
def account(
    request: Request, person: SignedIn, renderer: RendererDep, directory: DirectoryDep
) -> Response:
    return renderer.page(request, "coach/account.html", _account(directory, person, {}))


def _account(directory: DirectoryDep, person: SignedIn, extra: dict[str, Any]) -> dict[str, Any]:
    student = person.role == "student"
    return {
        "me": person,
        "coaches": directory.coaches_of(person.id) if student else [],
        "level": directory.level(person.id) if student else None,
        "levels": [(level, CONSENT_WORDS[level]) for level in CONSENT_LEVELS],
        "audit": directory.audit(student_id=person.id, limit=50) if student else [],
        "error": None,
        "notice": None,
        **extra,
    }


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    person: SignedIn,
    form: Form,
    renderer: RendererDep,
    directory: DirectoryDep,
) -> Response:
    new = form.get("password", "")
    extra: dict[str, str] = {}
    if new != form.get("again", ""):
        extra["error"] = "The two new passwords differ."
    else:
        token = request.scope["state"]["session_token"]
        try:
            directory.change_password(person, form.get("current", ""), new, keep=token)
            extra["notice"] = "Your password is changed; you are signed out everywhere else."
        except InvalidInput as invalid:
            extra["error"] = invalid.detail.capitalize() + "."
    status = 422 if "error" in extra else 200
    return renderer.page(request, "coach/account.html", _account(directory, person, extra), status)


@router.post("/account/sessions")
def sign_out_everywhere(
    request: Request, person: SignedIn, form: Form, directory: DirectoryDep
) -> Response:
    directory.sign_out_everywhere(person)
    response = RedirectResponse("/login", status_code=303)
    secure = bool(request.scope.get("state", {}).get("secure"))
    response.headers.append("set-cookie", dropped_session_cookie(secure=secure))
    return response


@router.post("/account/consent")
def consent(person: SignedIn, form: Form, directory: DirectoryDep) -> Response:
    directory.set_level(person, person.id, form.get("level", ""))
    return RedirectResponse("/account", status_code=303)


@router.post("/account/coaches/{coach_id}/remove")
def remove_coach(
    person: SignedIn,
    form: Form,
    directory: DirectoryDep,
    coach_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> Response:
    directory.unlink(person, coach_id, person.id)
    return RedirectResponse("/account", status_code=303)
