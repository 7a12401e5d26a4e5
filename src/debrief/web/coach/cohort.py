"""The coach's pages: the cohort, one student as far as they share, and inviting students."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from debrief.coach.store import CONSENT_WORDS, INVITE_DAYS, AccessRefused
from debrief.errors import InvalidInput
from debrief.web.coach.access import CoachDep, DirectoryDep, coached, spaces_of
from debrief.web.pages import Form, RendererDep

router = APIRouter()
StudentId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _summary(request: Request, student_id: int) -> Any:
    journal = spaces_of(request).journals.journal(student_id)
    return journal.summary()


@router.get("/coach", response_class=HTMLResponse)
def cohort_page(
    request: Request, coach: CoachDep, renderer: RendererDep, directory: DirectoryDep
) -> Response:
    students = directory.students_of(coach.id)
    levels = directory.levels([s.id for s in students])
    rows = []
    for student in students:
        level = levels[student.id]
        summary = None
        if level != "none" and not student.archived:
            summary = _summary(request, student.id)
        rows.append({"student": student, "level": level, "summary": summary})
    return renderer.page(request, "coach/cohort.html", {"rows": rows, "words": CONSENT_WORDS})


@router.get("/coach/students/{student_id}", response_class=HTMLResponse)
def student_page(
    request: Request,
    student_id: StudentId,
    coach: CoachDep,
    renderer: RendererDep,
    directory: DirectoryDep,
) -> Response:
    student = coached(directory, coach, student_id)
    level = directory.level(student.id)
    context: dict[str, Any] = {
        "student": student,
        "level": level,
        "level_words": CONSENT_WORDS[level],
        "summary": None,
        "archived_view": directory.archived_view(student.id) if student.archived else None,
        "audit": directory.audit(student_id=student.id, limit=50),
    }
    if level != "none" and not student.archived:
        context["summary"] = _summary(request, student.id)
    return renderer.page(request, "coach/student.html", context)


@router.post("/coach/students/{student_id}/archive")
def archive(
    request: Request,
    student_id: StudentId,
    coach: CoachDep,
    form: Form,
    directory: DirectoryDep,
) -> Response:
    student = coached(directory, coach, student_id)
    view: dict[str, Any] = {}
    if directory.level(student.id) != "none":
        summary = _summary(request, student.id)
        view = {"applications": summary.applications, "by_status": dict(summary.by_status)}
    directory.archive(coach, student.id, view)
    return RedirectResponse(f"/coach/students/{student.id}", status_code=303)


@router.get("/coach/invite", response_class=HTMLResponse)
def invite_page(request: Request, coach: CoachDep, renderer: RendererDep) -> Response:
    return renderer.page(request, "coach/invite.html", {"link": None, "error": None, "form": {}})


@router.post("/coach/invite", response_class=HTMLResponse)
def invite(
    request: Request,
    coach: CoachDep,
    form: Form,
    renderer: RendererDep,
    directory: DirectoryDep,
) -> Response:
    try:
        invitation, token = directory.invite(
            coach, "student", form.get("name", ""), form.get("email", ""), days=INVITE_DAYS
        )
    except (InvalidInput, AccessRefused) as refused:
        problem = {"link": None, "error": str(refused), "form": form}
        return renderer.page(request, "coach/invite.html", problem, 422)
    context: dict[str, Any] = {"link": join_link(request, token), "invitation": invitation}
    return renderer.page(request, "coach/invite.html", {**context, "error": None, "form": {}})


def join_link(request: Request, token: str, kind: str = "join") -> str:
    """The address an invitation (or a reset) opens."""
    base = request.app.state.public_url or str(request.base_url).rstrip("/")
    return f"{base}/{kind}/{token}"
