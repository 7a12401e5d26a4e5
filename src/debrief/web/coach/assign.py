"""The coach's assignments: practice set for one student (a task, or a mock interview on a skill
area, with a due day), what became of it, and the scores of a mock the coach ran.

Every route asks for a coach who coaches the student (404 otherwise, as for no such student);
writing asks too that the student is not archived and shares something (`coach.assignments`
says why no higher level is needed). The assignment is written into the student's journal and
logged in the directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from debrief.coach import assignments as core
from debrief.coach.store import CONSENT_WORDS, Person
from debrief.errors import InvalidInput
from debrief.model import MAX_ID, AssignmentKind, Outcome, local_today
from debrief.taxonomy import subskill_areas
from debrief.web.coach.access import CoachDep, DirectoryDep, StudentId, coached, spaces_of
from debrief.web.pages import Form, RendererDep, _see, rubric_answers

if TYPE_CHECKING:
    from debrief.coach.store import Directory
    from debrief.partner import RubricArea
    from debrief.web.render import Renderer

router = APIRouter()
AssignmentId = Annotated[int, Path(ge=1, le=MAX_ID)]
DEFAULT_DAYS = 7  # the due day a new assignment's form proposes, from today
FIELDS = ("kind", "skill", "subskill", "text", "due_on")


@dataclass(frozen=True, slots=True)
class ScoreForm:
    """What the shared rubric fields need (`partner/templates/rubric_fields.html`)."""

    areas: tuple[RubricArea, ...]
    anchors: tuple[tuple[int, str], ...]
    questions: dict[str, str]


def _page(
    request: Request,
    renderer: Renderer,
    directory: Directory,
    coach: Person,
    student_id: int,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    from debrief.plan.today import assignment_title, due_words
    from debrief.themes import subskill_name

    student = coached(directory, coach, student_id)
    level = directory.level(student.id)
    seen = core.assignments_seen(directory, spaces_of(request).journals, coach, student.id)
    by_area: dict[str, list[tuple[str, str]]] = {}
    for sub, area in subskill_areas().items():
        by_area.setdefault(area, []).append((sub, subskill_name(sub)))
    today = local_today()
    context = {
        "student": student,
        "level": level,
        "level_words": CONSENT_WORDS[level],
        "assignments": seen,
        "kinds": list(AssignmentKind),
        "subskills": by_area,
        "values": values or {"due_on": (today + timedelta(days=DEFAULT_DAYS)).isoformat()},
        "errors": errors or {},
        "today": today,
        "assignment_title": assignment_title,
        "due_words": due_words,
    }
    return renderer.page(request, "coach/assignment_list.html", context, status)


@router.get("/coach/students/{student_id}/assignments", response_class=HTMLResponse)
def assignments_page(
    request: Request,
    student_id: StudentId,
    coach: CoachDep,
    renderer: RendererDep,
    directory: DirectoryDep,
) -> Response:
    return _page(request, renderer, directory, coach, student_id)


@router.post("/coach/students/{student_id}/assignments", response_class=HTMLResponse)
def assign(
    request: Request,
    student_id: StudentId,
    coach: CoachDep,
    form: Form,
    renderer: RendererDep,
    directory: DirectoryDep,
) -> Response:
    given = {name: form.get(name, "") for name in FIELDS}
    try:
        made = core.assign(
            directory,
            spaces_of(request).journals,
            coach,
            student_id,
            kind=given["kind"],
            skill=given["skill"],
            text=given["text"],
            due_on=given["due_on"],
            subskill=given["subskill"] or None,
        )
    except InvalidInput as error:
        return _page(
            request,
            renderer,
            directory,
            coach,
            student_id,
            values=given,
            errors={error.field: error.detail},
            status=422,
        )
    return _see(f"/coach/students/{student_id}/assignments#assignment-{made.id}")


@router.post("/coach/students/{student_id}/assignments/{assignment_id}/withdraw")
def withdraw(
    request: Request,
    student_id: StudentId,
    assignment_id: AssignmentId,
    coach: CoachDep,
    form: Form,
    directory: DirectoryDep,
) -> Response:
    core.withdraw(directory, spaces_of(request).journals, coach, student_id, assignment_id)
    return _see(f"/coach/students/{student_id}/assignments")


def _score_page(
    request: Request,
    renderer: Renderer,
    directory: Directory,
    coach: Person,
    student_id: int,
    assignment_id: int,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    from debrief.partner import MAX_ANSWER, anchors, form_questions
    from debrief.plan.today import assignment_title

    student = core.assignable(directory, coach, student_id)
    journal = spaces_of(request).journals.journal(student.id)
    assignment = journal.get_assignment(assignment_id)
    if assignment.kind != AssignmentKind.MOCK:
        raise InvalidInput("assignment", f"assignment #{assignment.id} is a task, not a mock")
    form = ScoreForm(core.scoring_areas(journal, assignment), anchors(), form_questions())
    context = {
        "student": student,
        "assignment": assignment,
        "title": assignment_title(assignment),
        "round_kind": core.mock_kind(journal, assignment),
        "form": form,
        "outcomes": [Outcome.PENDING, Outcome.PASSED, Outcome.REJECTED],
        "values": values or {"held_on": local_today().isoformat()},
        "errors": errors or {},
        "max_answer": MAX_ANSWER,
        "ask_name": False,
    }
    return renderer.page(request, "coach/mock_scores.html", context, status)


@router.get(
    "/coach/students/{student_id}/assignments/{assignment_id}/score",
    response_class=HTMLResponse,
)
def score_page(
    request: Request,
    student_id: StudentId,
    assignment_id: AssignmentId,
    coach: CoachDep,
    renderer: RendererDep,
    directory: DirectoryDep,
) -> Response:
    return _score_page(request, renderer, directory, coach, student_id, assignment_id)


@router.post(
    "/coach/students/{student_id}/assignments/{assignment_id}/score",
    response_class=HTMLResponse,
)
def score(
    request: Request,
    student_id: StudentId,
    assignment_id: AssignmentId,
    coach: CoachDep,
    form: Form,
    renderer: RendererDep,
    directory: DirectoryDep,
) -> Response:
    raw = rubric_answers(form, ("went_well", "work_on", "comments", "asked"))
    try:
        core.score_mock(
            directory,
            spaces_of(request).journals,
            coach,
            student_id,
            assignment_id,
            raw,
            held_on=form.get("held_on") or None,
            outcome=form.get("outcome") or None,
        )
    except InvalidInput as error:
        return _score_page(
            request,
            renderer,
            directory,
            coach,
            student_id,
            assignment_id,
            values=form,
            errors={error.field: error.detail},
            status=422,
        )
    return _see(f"/coach/students/{student_id}/assignments#assignment-{assignment_id}")
