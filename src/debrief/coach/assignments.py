"""A coach's assignments on a coach server: practice set in a student's journal, and the mock
interviews the coach scores.

An assignment is the student's data, so it is kept in the student's own journal (the coach by
name), where `debrief today` and the plan show it. Every write here checks, in the directory,
that the coach coaches the student (NotFound otherwise, as for no such student), that the
student is not archived (archiving ends a coach's part in the search) and that they share
something (the level is not "none"), and is logged in the directory's audit log.

A write in the student's journal and its line in the log are two transactions (the journal is
a file of its own on SQLite, a schema of its own on PostgreSQL, each with its own connections),
and the log is only ever added to. So an assignment whose line cannot be logged is deleted
again; a withdrawal or a scoring is logged first, and when it then fails or is refused, a
second line says that it did not go through. An undoing that fails as well is reported in the
server's log and on the error, which is the one raised. A process killed between the two
writes can still leave them apart.

Assigning asks for no more than the lowest level, "progress": an assignment reveals nothing of
the journal to the coach (its text and due day are the coach's own), and whether it was done is
a status, which "progress" already shares. Scoring a mock writes the coach's own scores and
notes; it shows the coach nothing the student recorded. A student who chose "none" has
withdrawn from their coaches, so nothing is assigned to them either, and the coach no longer
sees whether past assignments were done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from debrief.coach.store import AccessRefused, Directory, Person
from debrief.errors import InvalidInput, NotFound
from debrief.model import (
    Assignment,
    AssignmentKind,
    Feedback,
    FeedbackSource,
    Outcome,
    local_today,
    parse_date,
    words,
)
from debrief.taxonomy import area_name, load_taxonomy, round_for_skill

if TYPE_CHECKING:
    from debrief.coach.students import StudentJournals
    from debrief.journal import Journal
    from debrief.partner import RubricArea


def assignable(directory: Directory, coach: Person, student_id: int) -> Person:
    """The student, when `coach` may assign them practice now; NotFound when the coach does
    not coach them, AccessRefused when they are archived or share nothing."""
    student = _coached(directory, coach, student_id)
    if student.archived:
        raise AccessRefused(f"{student.name} is archived: nothing new can be assigned")
    if directory.level(student.id) == "none":
        raise AccessRefused(f"{student.name} shares nothing with their coaches now")
    return student


def assignments_seen(
    directory: Directory, journals: StudentJournals, coach: Person, student_id: int
) -> list[Assignment] | None:
    """A student's assignments as their coach sees them: None when the student is archived or
    shares nothing (NotFound when not the coach's student)."""
    student = _coached(directory, coach, student_id)
    if student.archived or directory.level(student.id) == "none":
        return None
    return journals.journal(student.id).list_assignments()


def assign(
    directory: Directory,
    journals: StudentJournals,
    coach: Person,
    student_id: int,
    *,
    kind: AssignmentKind | str,
    skill: str,
    text: str,
    due_on: date | str,
    subskill: str | None = None,
) -> Assignment:
    """Assign practice to a student (see the module's text for who may), and log it."""
    student = assignable(directory, coach, student_id)
    journal = journals.journal(student.id)
    made = journal.add_assignment(
        kind, skill, text, due_on, assigned_by=coach.name, subskill=subskill
    )
    what = "a mock interview" if made.kind == AssignmentKind.MOCK else "a task"
    try:
        directory.log(
            coach,
            student.id,
            "assignment",
            f"{coach.name} assigned {what} on {area_name(made.skill)} (assignment #{made.id}), "
            f"due {made.due_on}",
        )
    except BaseException as error:
        _undo(
            error,
            f"deleting the unlogged assignment #{made.id}",
            journal.delete_assignment,
            made.id,
        )
        raise
    return made


def withdraw(
    directory: Directory,
    journals: StudentJournals,
    coach: Person,
    student_id: int,
    assignment_id: int,
) -> None:
    """Withdraw an assignment that is not done yet (a mock scored for it stays)."""
    student = assignable(directory, coach, student_id)
    journal = journals.journal(student.id)
    found = journal.get_assignment(assignment_id)
    if not found.open:
        raise InvalidInput("assignment", f"assignment #{found.id} is done; it stays")
    with _logged(
        directory,
        coach,
        student.id,
        "assignment",
        f"{coach.name} withdrew assignment #{assignment_id}",
        f"{coach.name}'s withdrawal of assignment #{assignment_id} did not go through; it stays",
    ):
        journal.delete_assignment(found.id)


def scoring_areas(journal: Journal, assignment: Assignment) -> tuple[RubricArea, ...]:
    """The areas a coach scores a mock assignment's interview on: those its kind of round
    tests, the assignment's own area first."""
    from debrief.partner import RubricArea, rubric_areas

    kind = mock_kind(journal, assignment)
    tested = rubric_areas(kind)
    if assignment.skill not in {area.id for area in tested}:
        own = next(a for a in load_taxonomy().areas if a.id == assignment.skill)
        tested = (RubricArea(own.id, own.name, own.covers), *tested)
    first = [a for a in tested if a.id == assignment.skill]
    return (*first, *(a for a in tested if a.id != assignment.skill))


def mock_kind(journal: Journal, assignment: Assignment) -> str:
    """The kind of round the assignment's mock is (or will be, once scored)."""
    if assignment.interview_id is not None:
        try:
            return journal.get_interview(assignment.interview_id).interview.kind.value
        except NotFound:
            pass
    return round_for_skill(assignment.skill)


def score_mock(
    directory: Directory,
    journals: StudentJournals,
    coach: Person,
    student_id: int,
    assignment_id: int,
    raw: dict[str, Any],
    *,
    held_on: date | str | None = None,
    outcome: Outcome | str | None = None,
) -> Feedback:
    """Record the coach's rubric scores and notes on a mock assignment: on the mock recorded
    for it, or on a new mock held on `held_on` (default today), of the kind of round that
    tests its area. The feedback's source is the coach; the assignment is done that day and
    takes one scoring."""
    from debrief.partner import parse_answers, ready_answers, record_answers

    student = assignable(directory, coach, student_id)
    journal = journals.journal(student.id)
    assignment = journal.get_assignment(assignment_id)
    if assignment.kind != AssignmentKind.MOCK:
        raise InvalidInput("assignment", f"assignment #{assignment.id} is a task, not a mock")
    if assignment.feedback_id is not None:
        raise InvalidInput("assignment", f"assignment #{assignment.id} was already scored")
    answers = parse_answers({**raw, "partner": None}, scoring_areas(journal, assignment))
    day = parse_date(held_on or local_today(), "held_on", past=True)
    result = None if outcome in (None, "") else Outcome.parse(outcome or "", "outcome")
    kind = mock_kind(journal, assignment)
    ready = ready_answers(journal, answers)  # triage, before the write
    logged = _logged(
        directory,
        coach,
        student.id,
        "mock scored",
        f"{coach.name} scored the {words(kind)} mock of assignment #{assignment.id}",
        f"{coach.name}'s scoring of assignment #{assignment.id} did not go through; "
        "nothing of it was recorded",
    )
    with logged, journal.atomic():
        interview_id = _mock_of(journal, assignment)
        if interview_id is None:
            interview_id = journal.add_interview(
                kind,
                held_on=day,
                interviewer=coach.name,
                outcome=result,
            ).id
        elif result is not None:
            journal.edit_interview(interview_id, outcome=result)
        feedback = record_answers(
            journal, interview_id, ready, source=FeedbackSource.COACH, scorer=coach.name
        )
        journal.attach_assignment_mock(
            assignment.id, interview_id, feedback_id=feedback.id, done_on=day
        )
    return feedback


@contextmanager
def _logged(
    directory: Directory, coach: Person, student_id: int, action: str, done: str, undone: str
) -> Iterator[None]:
    """Log a change about to be made in the student's journal (`done`), and when it then fails
    or is refused, that it did not go through (`undone`)."""
    directory.log(coach, student_id, action, done)
    try:
        yield
    except BaseException as error:
        _undo(
            error,
            "logging that it did not go through",
            directory.log,
            coach,
            student_id,
            action,
            undone,
        )
        raise


def _undo(error: BaseException, what: str, undo: Callable[..., object], *args: Any) -> None:
    """Undo one side of a change whose other side failed with `error`. When the undoing fails
    too, the server's log says so and so does `error` (raised by the caller, not this one)."""
    try:
        undo(*args)
    except Exception:
        logging.getLogger(__name__).exception("after %s, %s failed too", type(error).__name__, what)
        error.add_note(f"{what} failed too: the journal and the coach's log may disagree")


def _mock_of(journal: Journal, assignment: Assignment) -> int | None:
    """The mock interview recorded for the assignment, if it is still there."""
    if assignment.interview_id is None:
        return None
    try:
        journal.get_interview(assignment.interview_id)
    except NotFound:
        return None
    return assignment.interview_id


def _coached(directory: Directory, coach: Person, student_id: int) -> Person:
    if coach.role != "coach" or not directory.coaches(coach.id, student_id):
        raise NotFound("student", student_id)
    return directory.get(student_id)
