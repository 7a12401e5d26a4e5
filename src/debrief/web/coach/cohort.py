"""The coach's pages: the cohort, one student as far as they share, their report, the cohort as
CSV, and inviting students. What each shows is decided in `coach.summaries` and `coach.cohort`;
these routes check who asks, then render."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from debrief.coach.store import CONSENT_WORDS, INVITE_DAYS, AccessRefused
from debrief.coach.summaries import (
    Summaries,
    archive,
    cohort_csv_text,
    cohort_of,
    student_row,
)
from debrief.errors import InvalidInput
from debrief.stats import FUNNEL, STAGE_NAMES
from debrief.web.coach.access import CoachDep, DirectoryDep, StudentId, coached, spaces_of
from debrief.web.pages import Form, RendererDep

router = APIRouter()
_made = threading.Lock()


def summaries_of(request: Request) -> Summaries:
    """The students' summaries this process keeps (made on first use)."""
    state = request.app.state
    with _made:
        found: Summaries | None = getattr(state, "cohort_summaries", None)
        if found is None:
            found = Summaries(spaces_of(request).journals)
            state.cohort_summaries = found
    return found


@router.get("/coach", response_class=HTMLResponse)
def cohort_page(
    request: Request, coach: CoachDep, renderer: RendererDep, directory: DirectoryDep
) -> Response:
    cohort = cohort_of(directory, summaries_of(request), coach)
    return renderer.page(request, "coach/cohort.html", {"cohort": cohort, "words": CONSENT_WORDS})


@router.get("/coach/cohort.csv")
def cohort_export(request: Request, coach: CoachDep, directory: DirectoryDep) -> Response:
    cohort = cohort_of(directory, summaries_of(request), coach)
    name = f"cohort-{date.today().isoformat()}.csv"
    return Response(
        cohort_csv_text(cohort),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/coach/students/{student_id}", response_class=HTMLResponse)
def student_page(
    request: Request,
    student_id: StudentId,
    coach: CoachDep,
    renderer: RendererDep,
    directory: DirectoryDep,
) -> Response:
    student = coached(directory, coach, student_id)
    row = student_row(directory, summaries_of(request), student)
    context: dict[str, Any] = {
        "row": row,
        "student": student,
        "level_words": CONSENT_WORDS[row.level],
        "stage_names": [STAGE_NAMES[stage] for stage in FUNNEL],
        "audit": directory.audit(student_id=student.id, limit=50),
    }
    return renderer.page(request, "coach/student.html", context)


@router.get("/coach/students/{student_id}/report", response_class=HTMLResponse)
def student_report(
    request: Request,
    student_id: StudentId,
    coach: CoachDep,
    renderer: RendererDep,
    directory: DirectoryDep,
) -> Response:
    """The student's full report, titled with their name: only for a student who shares
    everything (it quotes their feedback), and not after they were archived."""
    from debrief.report.html import plotly_hash, render_html
    from debrief.web.security import csp_with_scripts
    from debrief.web.views import script_hashes

    student = coached(directory, coach, student_id)
    level = directory.level(student.id)
    refusal = None
    if student.archived:
        refusal = (
            f"{student.name} was archived on {student.archived_on}: their page keeps what "
            "they shared then, and nothing newer."
        )
    elif level != "feedback":
        refusal = (
            f"{student.name} shares {CONSENT_WORDS[level]} with you. The full report quotes "
            "their feedback word for word, so it is shown only when they share everything."
        )
    if refusal is not None:
        context = {"status": 403, "message": refusal}
        return renderer.page(request, "coach/message.html", context, 403)
    analysis = spaces_of(request).app(student.id).state.analysis.analysis()
    data = {**analysis.data, "meta": {**analysis.data["meta"], "person": student.name}}
    html = render_html(data)
    policy = csp_with_scripts((*script_hashes(html), plotly_hash()))
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})


@router.post("/coach/students/{student_id}/archive")
def archive_student(
    request: Request,
    student_id: StudentId,
    coach: CoachDep,
    form: Form,
    directory: DirectoryDep,
) -> Response:
    student = coached(directory, coach, student_id)
    archive(directory, summaries_of(request), coach, student)
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
