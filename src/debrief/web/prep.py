"""Preparation in the browser: the questions asked in a round (added one at a time or read from
pasted notes), the questions to practise now with a form to log each, the practice bank, their
coverage of the recurring weaknesses, and the STAR story bank with its gaps."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from debrief.bank import load_bank, load_competencies
from debrief.errors import InvalidInput
from debrief.journal import Journal
from debrief.model import InterviewKind, QuestionKind, folded, is_whole
from debrief.plan import ActionPlan
from debrief.taxonomy import subskill_areas
from debrief.web.api import JournalDep
from debrief.web.pages import Form, PathId, RendererDep, _attempt, _back, _blank, _see
from debrief.web.render import Renderer

router = APIRouter(include_in_schema=False)
BANK_SHOWN: Final = 400
QUESTION_FIELDS: Final = ("text", "kind", "skill", "subskill", "competency", "rating", "notes")
STORY_PARTS: Final = ("title", "situation", "task", "action", "result", "notes")


def _choices() -> dict[str, Any]:
    """What the question and story forms offer."""
    return {
        "question_kinds": list(QuestionKind),
        "subskills": list(subskill_areas()),
        "competencies": load_competencies(),
    }


def _question_given(form: dict[str, str]) -> dict[str, Any]:
    given: dict[str, Any] = {name: _blank(form.get(name)) for name in QUESTION_FIELDS}
    story = _blank(form.get("story"))
    given["story"] = int(story) if story and is_whole(story.strip()) and len(story) < 10 else story
    return given


def _filled(given: dict[str, Any]) -> dict[str, Any]:
    from debrief.prep.infer import with_guesses

    chosen = {name: value for name, value in given.items() if value is not None}
    return with_guesses([chosen])[0] if chosen.get("text") else chosen


# -- questions asked in a round ----------------------------------------------------------------


def interview_questions(journal: Journal, interview_id: int) -> dict[str, Any]:
    """What the interview page shows of its questions."""
    from debrief.prep import asked_times

    every = journal.list_questions()  # the round's, and the rest to count them against
    asked = [q for q in every if q.interview_id == interview_id]
    times = asked_times(every) if asked else {}
    return {
        "questions": asked,
        "asked_times": times,
        "stories": journal.list_stories(),
        **_choices(),
    }


@router.post("/interviews/{interview_id}/questions", response_class=HTMLResponse)
def add_question(
    request: Request,
    interview_id: PathId,
    form: Form,
    journal: JournalDep,
    renderer: RendererDep,
) -> Response:
    """One question asked in the round; what is not given is guessed from its words."""
    given = _filled(_question_given(form))
    text = given.pop("text", None) or ""
    added, errors = _attempt(
        lambda: journal.add_question(interview_id, text, source="self", **given)
    )
    if added is None:
        return _interview_page(request, renderer, journal, interview_id, form, errors)
    return _see(f"/interviews/{interview_id}#question-{added.id}")


@router.post("/interviews/{interview_id}/questions/paste", response_class=HTMLResponse)
def paste_questions(
    request: Request,
    interview_id: PathId,
    form: Form,
    journal: JournalDep,
    renderer: RendererDep,
) -> Response:
    """The questions in pasted notes: shown first, recorded when the user says so."""
    from debrief.prep import from_notes

    notes = form.get("notes", "")
    read, errors = _attempt(lambda: from_notes(journal, interview_id, notes))
    if read is None:
        return _interview_page(request, renderer, journal, interview_id, form, errors)
    if form.get("record") != "yes":
        context = {"detail": journal.get_interview(interview_id), "read": read, "notes": notes}
        return renderer.page(request, "questions_paste.html", context)
    if read.questions:
        made, errors = _attempt(
            lambda: journal.add_questions(interview_id, read.questions, source="notes")
        )
        if made is None:
            return _interview_page(request, renderer, journal, interview_id, form, errors)
    return _see(f"/interviews/{interview_id}#questions")


def _interview_page(
    request: Request,
    renderer: Renderer,
    journal: Journal,
    interview_id: int,
    values: dict[str, str],
    errors: dict[str, str],
) -> Response:
    """The interview page again, with the question form as it was typed and what was wrong."""
    from debrief.web.pages import interview_context

    context = interview_context(journal, interview_id)
    context.update(question_values=values, question_errors=errors)
    return renderer.page(request, "interview.html", context, 422)


@router.get("/questions/{question_id}/edit", response_class=HTMLResponse)
def edit_question_form(
    request: Request, question_id: PathId, journal: JournalDep, renderer: RendererDep
) -> Response:
    question = journal.get_question(question_id)
    values = {
        name: "" if getattr(question, name) is None else str(getattr(question, name))
        for name in QUESTION_FIELDS
    }
    values["kind"] = question.kind.value
    values["story"] = str(question.story_id or "")
    context = {
        "question": question,
        "values": values,
        "errors": {},
        "stories": journal.list_stories(),
        **_choices(),
    }
    return renderer.page(request, "question_form.html", context)


@router.post("/questions/{question_id}/edit", response_class=HTMLResponse)
def edit_question(
    request: Request,
    question_id: PathId,
    form: Form,
    journal: JournalDep,
    renderer: RendererDep,
) -> Response:
    question = journal.get_question(question_id)
    given = _question_given(form)
    if given["text"] is None:
        given["text"] = ""  # the text may not be emptied: the core says so
    if given["subskill"] is not None:
        del given["skill"]  # the sub-skill says its area
    edited, errors = _attempt(lambda: journal.edit_question(question_id, **given))
    if edited is None:
        context = {
            "question": question,
            "values": form,
            "errors": errors,
            "stories": journal.list_stories(),
            **_choices(),
        }
        return renderer.page(request, "question_form.html", context, 422)
    return _see(f"/interviews/{edited.interview_id}#question-{edited.id}")


@router.post("/questions/{question_id}/delete")
def delete_question(question_id: PathId, form: Form, journal: JournalDep) -> Response:
    question = journal.get_question(question_id)
    journal.delete_question(question_id)
    return _see(_back(form, f"/interviews/{question.interview_id}#questions"))


# -- what to practise --------------------------------------------------------------------------


@router.get("/questions", response_class=HTMLResponse)
def questions(
    request: Request,
    journal: JournalDep,
    renderer: RendererDep,
    kind: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """Questions to practise for the recurring weaknesses (and a round kind), the questions
    asked that came back or went badly, and the coverage of each weakness."""
    from debrief.prep import next_round, prepare, repeated

    round_kind, coming = None, None
    if kind:
        round_kind = InterviewKind.parse(kind, "kind").value
    elif kind is None:  # "any" chosen in the form is "", and keeps no round
        coming = next_round(journal)
        round_kind = coming.kind.value if coming is not None else None
    prep = prepare(journal)
    context = {
        "proposals": prep.proposals(round_kind=round_kind, count=12),
        "coverage": prep.coverage(),
        "repeated": repeated(prep.questions)[:20],
        "asked": len(prep.questions),
        "round_kind": round_kind or "",
        "coming": coming,
        "practice": [e for e in prep.practice if e.question][-10:],
    }
    return renderer.page(request, "questions.html", context)


@router.get("/questions/bank", response_class=HTMLResponse)
def bank(
    request: Request,
    renderer: RendererDep,
    skill: Annotated[str | None, Query(max_length=40)] = None,
    subskill: Annotated[str | None, Query(max_length=80)] = None,
    kind: Annotated[str | None, Query(max_length=20)] = None,
    search: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    from debrief.taxonomy import skill_named, subskill_named

    found = list(load_bank().questions)
    if _blank(skill):
        wanted = skill_named(skill or "")
        found = [q for q in found if q.skill == wanted]
    if _blank(subskill):
        wanted = subskill_named(subskill or "")
        found = [q for q in found if q.subskill == wanted]
    if _blank(kind):
        wanted = QuestionKind.parse(kind or "", "kind").value
        found = [q for q in found if q.kind.value == wanted]
    if _blank(search):
        words = folded(search or "").split()
        found = [q for q in found if all(w in folded(q.text) for w in words)]
    values = {"skill": skill or "", "subskill": subskill or "", "kind": kind or ""}
    values["search"] = search or ""
    context = {"found": found[:BANK_SHOWN], "total": len(found), "values": values, **_choices()}
    return renderer.page(request, "questions_bank.html", context)


@router.post("/questions/practise", response_class=HTMLResponse)
def practise(form: Form, journal: JournalDep) -> Response:
    """Log a practice question of the bank as answered."""
    minutes = _blank(form.get("minutes"))
    if minutes is not None and (not is_whole(minutes.strip()) or len(minutes.strip()) > 4):
        raise InvalidInput("minutes", f"'{minutes}' is not a whole number")
    ActionPlan(journal).practise_question(
        form.get("question", ""),
        rating=_blank(form.get("rating")),
        minutes=int(minutes) if minutes else None,
        on=_blank(form.get("on")),
        notes=_blank(form.get("notes")),
    )
    return _see(_back(form, "/questions"))


# -- stories -----------------------------------------------------------------------------------


def _story_given(form: dict[str, str]) -> dict[str, Any]:
    given: dict[str, Any] = {name: form.get(name, "") for name in STORY_PARTS}
    given["competencies"] = [
        key.removeprefix("competency_") for key in form if key.startswith("competency_")
    ]
    given["skills"] = [key.removeprefix("skill_") for key in form if key.startswith("skill_")]
    return given


@router.get("/stories", response_class=HTMLResponse)
def stories(request: Request, journal: JournalDep, renderer: RendererDep) -> Response:
    return _stories_page(request, renderer, journal, {}, {})


def _stories_page(
    request: Request,
    renderer: Renderer,
    journal: Journal,
    values: dict[str, Any],
    errors: dict[str, str],
) -> Response:
    from debrief.prep import story_bank

    context = {
        "bank": story_bank(journal),
        "values": values,
        "errors": errors,
        **_choices(),
    }
    return renderer.page(request, "stories.html", context, 422 if errors else 200)


@router.post("/stories", response_class=HTMLResponse)
def add_story(request: Request, form: Form, journal: JournalDep, renderer: RendererDep) -> Response:
    given = _story_given(form)
    title = given.pop("title")
    added, errors = _attempt(lambda: journal.add_story(title, **given))
    if added is None:
        return _stories_page(request, renderer, journal, {**form, **given}, errors)
    return _see(f"/stories/{added.id}")


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(
    request: Request, story_id: PathId, journal: JournalDep, renderer: RendererDep
) -> Response:
    return _story_page(request, renderer, journal, story_id, None, {})


def _story_page(
    request: Request,
    renderer: Renderer,
    journal: Journal,
    story_id: int,
    values: dict[str, Any] | None,
    errors: dict[str, str],
) -> Response:
    from debrief.prep import story_bank

    found = journal.get_story(story_id)
    use = next(u for u in story_bank(journal).stories if u.story.id == found.id)
    if values is None:
        values = {name: getattr(found, name) or "" for name in STORY_PARTS}
        values["competencies"] = list(found.competencies)
        values["skills"] = list(found.skills)
    context = {"use": use, "values": values, "errors": errors, **_choices()}
    return renderer.page(request, "story.html", context, 422 if errors else 200)


@router.post("/stories/{story_id}/edit", response_class=HTMLResponse)
def edit_story(
    request: Request, story_id: PathId, form: Form, journal: JournalDep, renderer: RendererDep
) -> Response:
    given = _story_given(form)
    edited, errors = _attempt(lambda: journal.edit_story(story_id, **given))
    if edited is None:
        return _story_page(request, renderer, journal, story_id, {**form, **given}, errors)
    return _see(f"/stories/{story_id}")


@router.post("/stories/{story_id}/delete")
def delete_story(story_id: PathId, form: Form, journal: JournalDep) -> Response:
    journal.delete_story(story_id)
    return _see("/stories")
