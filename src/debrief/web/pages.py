"""The pages: dashboard, board, applications, interviews, feedback inbox, the mail import review
queue, themes, plan, report, and the partner's rubric form.

Every state-changing form posts a CSRF token and, when done, redirects (303) to the page that
shows the change. A value the core refuses comes back as the same form with the message beside
the field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Annotated, Any, Final, Literal, TypeVar
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from debrief.errors import AlreadySettled, InvalidInput, NotFound
from debrief.ingest.mail.classify import EVENTS
from debrief.journal import APPLICATION_FIELDS, INTERVIEW_FIELDS, Journal, field_problems
from debrief.journal.imported import Review
from debrief.model import (
    MAX_ID,
    SKILLED_LABELS,
    Application,
    InterviewKind,
    Label,
    Outcome,
    Statement,
    Status,
    is_whole,
    local_today,
    record_id,
)
from debrief.plan import ActionPlan
from debrief.plan.propose import TARGET_DAYS
from debrief.plan.records import NOTHING_ABOUT_IT, task_evidence
from debrief.web.api import JournalDep
from debrief.web.render import Renderer
from debrief.web.security import CSRF_FIELD, csp_with_scripts, csrf_matches
from debrief.web.views import PageCache

router = APIRouter(include_in_schema=False)
# Where a cached page's CSRF token goes (tokens are URL-safe base64: no clash with markup).
CSRF_SLOT: Final = Markup("<csrf-token/>")  # escaped user text never holds a raw "<"
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
INBOX_PAGE: Final = 10
BOARD_CARDS: Final = 25
INTERVIEWS_SHOWN: Final = 300
APPLICATIONS_SHOWN: Final = 300
REVIEWS_SHOWN: Final = 200
EXCERPT: Final = 4000  # characters of a queued message shown on its page
ASSIGNMENTS_DONE: Final = 20  # done assignments the plan page lists
_T = TypeVar("_T")


def renderer_of(request: Request) -> Renderer:
    renderer: Renderer = request.app.state.renderer
    return renderer


RendererDep = Annotated[Renderer, Depends(renderer_of)]


def require_token(request: Request, given: object) -> None:
    """Refuse a form whose CSRF token is not the one the guard accepted from the cookie (signed
    by this server) or issued with this response."""
    if not csrf_matches(request.scope.get("state", {}).get("csrf_token"), _text(given)):
        raise HTTPException(
            403, "This form has expired or came from another site. Reload the page and try again."
        )


async def checked_form(request: Request) -> dict[str, str]:
    """The posted form's text fields, once its CSRF token matches the cookie."""
    form = await request.form(max_files=0, max_fields=200)
    require_token(request, form.get(CSRF_FIELD))
    return {key: value for key, value in form.items() if isinstance(value, str)}


Form = Annotated[dict[str, str], Depends(checked_form)]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _blank(value: str | None) -> str | None:
    """A form field with nothing in it means "not given"."""
    return None if value is None or not value.strip() else value


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def rubric_answers(form: dict[str, str], texts: tuple[str, ...]) -> dict[str, Any]:
    """A rubric form's answers as `partner.parse_answers` reads them: the `score_<area>` fields
    as scores, and the text fields named (a blank one not given)."""
    return {
        "scores": {
            key.removeprefix("score_"): value
            for key, value in form.items()
            if key.startswith("score_")
        },
        **{name: _blank(form.get(name)) for name in texts},
    }


def _back(form: dict[str, str], default: str) -> str:
    """Where to go after a form: its `next` field when it is a path of this app."""
    target = form.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def _attempt(action: Callable[[], _T]) -> tuple[_T | None, dict[str, str]]:
    """Run a core call; a refused value comes back as {field: message} for the form, and so
    does a record number that names no record (the page that edits a record looks it up
    before), so the form comes back with everything typed in it, a pasted e-mail included."""
    try:
        return action(), {}
    except InvalidInput as error:
        return None, {error.field: error.detail}
    except NotFound as error:
        return None, {f"{error.kind}_id": f"there is no {error.kind} #{error.record_id}"}


async def _cached(request: Request, name: str, build: Callable[[], dict[str, Any]]) -> Response:
    """A page that depends only on the journal (and the day): rendered once per change, for
    every visitor (each one's CSRF token is put in as it is served).

    The check runs on the event loop (one small query); only a page to render again goes to
    the thread pool, so a page served from the cache costs no thread hand-off, and views that
    ask while it is rendered wait for that render.
    """
    cache: PageCache = request.app.state.pages
    journal: Journal = request.app.state.journal
    key = (request.url.path, request.url.query, local_today(), *journal.revision())
    renderer = renderer_of(request)
    text = await cache.page(
        key, lambda: renderer.text(request, name, build(), csrf_token=CSRF_SLOT)
    )
    token = request.scope.get("state", {}).get("csrf_token", "")
    return HTMLResponse(text.replace(CSRF_SLOT, token))


# -- dashboard and analysis pages --------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
async def dashboard(request: Request, journal: JournalDep) -> Response:
    def build() -> dict[str, Any]:
        analysis = request.app.state.analysis.analysis()
        data = analysis.data
        charts = {
            key: data["blocks"][key]["figure"]
            for key in ("funnel", "pass_rates", "flow")
            if data["blocks"][key]["figure"]
        }
        from debrief.plan.today import HEADINGS, due_today

        waiting, _ = journal.review_queue(limit=0)
        return {
            "today": due_today(
                journal,
                as_of=analysis.report.as_of,
                themes=analysis.report.themes,
                plan=analysis.report.plan.items,
            ),
            "due_headings": HEADINGS,
            "data": data,
            "charts": charts,
            "waiting": waiting,
            "messages": journal.count_reviews()["pending"],
            "themes": data["themes"]["weaknesses"][:5],
            "plan": data["plan"],
        }

    return await _cached(request, "dashboard.html", build)


@router.get("/themes", response_class=HTMLResponse)
def themes(request: Request, renderer: RendererDep) -> Response:
    analysis = request.app.state.analysis.analysis()
    context = {"themes": analysis.report.themes, "data": analysis.data}
    return renderer.page(request, "themes.html", context)


@router.get("/plan", response_class=HTMLResponse)
def plan(request: Request, journal: JournalDep, renderer: RendererDep) -> Response:
    from debrief.plan.today import assignment_title, due_words

    view = request.app.state.analysis.analysis().report.plan
    led_by = {p.item.id: task_evidence(p) for p in view.items}
    assignments = journal.list_assignments()
    return renderer.page(
        request,
        "plan.html",
        {
            "view": view,
            "led_by": led_by,
            "nothing_about_it": NOTHING_ABOUT_IT,
            "today": date.today(),
            "default_target": local_today() + timedelta(days=TARGET_DAYS),
            "assignments": [a for a in assignments if a.open],
            "assignments_done": [a for a in reversed(assignments) if not a.open][:ASSIGNMENTS_DONE],
            "assignment_title": assignment_title,
            "due_words": due_words,
        },
    )


@router.get("/report", response_class=HTMLResponse)
def report(request: Request) -> Response:
    page = request.app.state.analysis.report_page()
    headers = {"Content-Security-Policy": csp_with_scripts(page.script_hashes)}
    return HTMLResponse(page.html, headers=headers)


@router.get("/assets/plotly.min.js")
def plotly() -> FileResponse:
    """plotly.js from the plotly wheel (the same file the report embeds)."""
    from importlib import resources

    path = resources.files("plotly").joinpath("package_data", "plotly.min.js")
    return FileResponse(
        str(path),
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/export", response_class=HTMLResponse)
def export_page(request: Request, renderer: RendererDep) -> Response:
    return renderer.page(request, "export.html", {})


@router.get("/export/debrief-backup.json")
def export_backup(journal: JournalDep) -> Response:
    """The whole journal as a JSON backup (`debrief import json` restores it exactly)."""
    from debrief.ingest.backup import backup_text

    text, _ = backup_text(journal)
    return _download(text.encode("utf-8"), "application/json", f"debrief-{local_today()}.json")


@router.get("/export/debrief-tables.zip")
def export_tables(journal: JournalDep) -> Response:
    """One CSV file per table, zipped."""
    from debrief.ingest.backup import csv_zip

    return _download(csv_zip(journal), "application/zip", f"debrief-{local_today()}.zip")


def _download(content: bytes, media_type: str, name: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/calendar.ics")
def calendar_feed(request: Request, journal: JournalDep) -> Response:
    """The coming rounds, follow-ups and plan targets, as a feed a calendar subscribes to."""
    from debrief.plan.calendar import calendar_ics

    return Response(
        calendar_ics(journal, base_url=str(request.base_url)),
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": 'inline; filename="debrief.ics"',
            "Cache-Control": "no-cache",
        },
    )


# -- the board and applications ----------------------------------------------------------------


@router.get("/board", response_class=HTMLResponse)
async def board(request: Request, journal: JournalDep) -> Response:
    return await _cached(
        request,
        "board.html",
        lambda: {"columns": journal.board(per_status=BOARD_CARDS), "shown": BOARD_CARDS},
    )


@router.post("/applications/{application_id}/move", response_class=HTMLResponse)
def move(
    request: Request,
    application_id: PathId,
    form: Form,
    journal: JournalDep,
    renderer: RendererDep,
) -> Response:
    from debrief.errors import InvalidTransition

    status = form.get("status", "")
    force = form.get("force") == "on"
    try:
        journal.change_status(application_id, status, note=_blank(form.get("note")), force=force)
    except InvalidTransition:
        current = journal.get_application(application_id).application
        if force or Status.parse(status, "status") == current.status:
            raise
        context = {"app": current, "to": Status.parse(status, "status"), "form": form}
        return renderer.page(request, "confirm_move.html", context, 409)
    return _see(_back(form, f"/board#application-{application_id}"))


@router.post("/applications/{application_id}/undo")
def undo_status(application_id: PathId, form: Form, journal: JournalDep) -> Response:
    journal.undo_status(application_id)
    return _see(_back(form, f"/applications/{application_id}"))


@router.get("/applications", response_class=HTMLResponse)
async def applications(
    request: Request,
    journal: JournalDep,
    status: Annotated[str, Query(max_length=20)] = "",
    source: Annotated[str, Query(max_length=40)] = "",
    company: Annotated[str, Query(max_length=200)] = "",
    since: Annotated[str, Query(max_length=20)] = "",
    until: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """Every application, newest first, filtered by status, source, company and the day
    applied: the list the board's columns are too short for. Rendered once per journal change
    and filter, like the board."""
    filters = {
        "status": status,
        "source": source,
        "company": company,
        "since": since,
        "until": until,
    }

    def build() -> dict[str, Any]:
        found = journal.list_applications(
            status=[status] if status else None,
            source=[source] if source else None,
            company=company.strip() or None,
            since=since or None,
            until=until or None,
        )[::-1]
        return {
            "applications": found[:APPLICATIONS_SHOWN],
            "total": len(found),
            "filters": filters,
        }

    return await _cached(request, "applications.html", build)


@router.get("/applications/new", response_class=HTMLResponse)
def new_application(request: Request, renderer: RendererDep) -> Response:
    values = {"applied_on": date.today().isoformat()}
    return renderer.page(request, "application_form.html", {"values": values, "errors": {}})


@router.post("/applications", response_class=HTMLResponse)
def add_application(
    request: Request, form: Form, journal: JournalDep, renderer: RendererDep
) -> Response:
    given: dict[str, Any] = {name: _blank(form.get(name)) for name in APPLICATION_FIELDS}
    every = {**given, "company": given["company"] or "", "role": given["role"] or ""}
    added, errors = _attempt(
        lambda: journal.add_application(
            given.pop("company") or "", given.pop("role") or "", **given
        )
    )
    if added is None:
        context = {"values": form, "errors": {**field_problems("application", every), **errors}}
        return renderer.page(request, "application_form.html", context, 422)
    return _see(f"/applications/{added.id}")


@router.get("/applications/{application_id}", response_class=HTMLResponse)
def application(
    request: Request, application_id: PathId, journal: JournalDep, renderer: RendererDep
) -> Response:
    from debrief.plan.ask import feedback_request

    detail = journal.get_application(application_id)
    request_mail = None
    if detail.application.status != Status.WITHDRAWN:
        request_mail = feedback_request(journal, application_id)
    context = {"detail": detail, "request_mail": request_mail, "today": local_today()}
    return renderer.page(request, "application.html", context)


@router.post("/applications/{application_id}/feedback-asked")
def feedback_asked(application_id: PathId, form: Form, journal: JournalDep) -> Response:
    """Record the day feedback was asked for (or, with `clear`, that it was not)."""
    clear = form.get("clear") == "on"
    journal.record_feedback_asked(application_id, on=_blank(form.get("on")), asked=not clear)
    return _see(f"/applications/{application_id}#asking")


@router.get("/applications/{application_id}/edit", response_class=HTMLResponse)
def edit_application_form(
    request: Request, application_id: PathId, journal: JournalDep, renderer: RendererDep
) -> Response:
    current = journal.get_application(application_id).application
    values = {name: _form_value(getattr(current, name)) for name in APPLICATION_FIELDS}
    context = {"values": values, "errors": {}, "application": current}
    return renderer.page(request, "application_form.html", context)


@router.post("/applications/{application_id}/edit", response_class=HTMLResponse)
def edit_application(
    request: Request,
    application_id: PathId,
    form: Form,
    journal: JournalDep,
    renderer: RendererDep,
) -> Response:
    current = journal.get_application(application_id).application
    given: dict[str, Any] = {name: _blank(form.get(name)) for name in APPLICATION_FIELDS}
    if given["applied_on"] is None:
        del given["applied_on"]
    edited, errors = _attempt(lambda: journal.edit_application(application_id, **given))
    if edited is None:
        errors = {**field_problems("application", given), **errors}
        context = {"values": form, "errors": errors, "application": current}
        return renderer.page(request, "application_form.html", context, 422)
    return _see(f"/applications/{application_id}")


@router.post("/applications/{application_id}/delete")
def delete_application(application_id: PathId, form: Form, journal: JournalDep) -> Response:
    journal.delete_application(application_id)
    return _see("/board")


def _form_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


# -- interviews --------------------------------------------------------------------------------


@router.get("/interviews", response_class=HTMLResponse)
def interviews(
    request: Request,
    journal: JournalDep,
    renderer: RendererDep,
    mock: Annotated[str, Query(max_length=10)] = "",
    kind: Annotated[str, Query(max_length=40)] = "",
    outcome: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    chosen_kind = InterviewKind.parse(kind, "kind") if kind else None
    chosen_outcome = Outcome.parse(outcome, "outcome") if outcome else None
    found = journal.list_interviews(
        mock={"mock": True, "real": False}.get(mock),
        kind=[chosen_kind] if chosen_kind else None,
        outcome=[chosen_outcome] if chosen_outcome else None,
    )
    context = {
        "interviews": found[::-1][:INTERVIEWS_SHOWN],
        "total": len(found),
        "filters": {"mock": mock, "kind": kind, "outcome": outcome},
    }
    return renderer.page(request, "interviews.html", context)


@router.get("/interviews/new", response_class=HTMLResponse)
def new_interview(
    request: Request,
    journal: JournalDep,
    renderer: RendererDep,
    application_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    values = {
        "held_on": date.today().isoformat(),
        "outcome": "pending",
        "application_id": str(application_id or ""),
    }
    owner = journal.get_application(application_id).application if application_id else None
    context = {"values": values, "errors": {}, "owner": owner}
    return renderer.page(request, "interview_form.html", context)


def _interview_given(form: dict[str, str]) -> dict[str, Any]:
    given: dict[str, Any] = {name: _blank(form.get(name)) for name in INTERVIEW_FIELDS}
    for area in _rubric_areas(form):
        given.setdefault("rubric", {})[area] = _blank(form.get(f"rubric_{area}"))
    return given


def _rubric_areas(form: dict[str, str]) -> list[str]:
    return [key.removeprefix("rubric_") for key in form if key.startswith("rubric_")]


@router.post("/interviews", response_class=HTMLResponse)
def add_interview(
    request: Request, form: Form, journal: JournalDep, renderer: RendererDep
) -> Response:
    given = _interview_given(form)
    if given["outcome"] is None:
        del given["outcome"]
    kind = given.pop("kind") or ""
    added, errors = _attempt(
        lambda: journal.add_interview(
            kind,
            application_id=_record_id(form, "application_id", "an application number"),
            **given,
        )
    )
    if added is None:
        errors = {**field_problems("interview", {**given, "kind": kind}), **errors}
        context = {"values": form, "errors": errors, "owner": None}
        return renderer.page(request, "interview_form.html", context, 422)
    return _see(f"/interviews/{added.id}")


@router.get("/interviews/{interview_id}", response_class=HTMLResponse)
def interview(
    request: Request, interview_id: PathId, journal: JournalDep, renderer: RendererDep
) -> Response:
    context = interview_context(journal, interview_id)
    revoked = request.query_params.get("invites_revoked", "")
    if is_whole(revoked) and len(revoked) <= 3 and int(revoked):
        from debrief.partner import revoked_notice

        context["revoked_notice"] = revoked_notice(int(revoked))
    return renderer.page(request, "interview.html", context)


def interview_context(journal: Journal, interview_id: int) -> dict[str, Any]:
    """What the interview page shows: the round, what it moved, partner links, questions."""
    from debrief.partner import list_invites
    from debrief.web.prep import interview_questions

    detail = journal.get_interview(interview_id)
    moves, last = [], False
    if detail.interview.application_id is not None:
        history = journal.get_application(detail.interview.application_id).history
        moves = [change for change in history if change.interview_id == interview_id]
        last = bool(moves) and history[-1].interview_id == interview_id
    return {
        "detail": detail,
        "invites": list_invites(journal, interview_id),
        "moves": moves,
        "moves_last": last,
        "question_values": {},
        "question_errors": {},
        **interview_questions(journal, interview_id),
    }


@router.get("/interviews/{interview_id}/edit", response_class=HTMLResponse)
def edit_interview_form(
    request: Request, interview_id: PathId, journal: JournalDep, renderer: RendererDep
) -> Response:
    current = journal.get_interview(interview_id).interview
    values = {name: _form_value(getattr(current, name)) for name in INTERVIEW_FIELDS}
    values["application_id"] = _form_value(current.application_id)
    values.update({f"rubric_{skill}": str(score) for skill, score in current.rubric.items()})
    context = {"values": values, "errors": {}, "interview": current, "owner": None}
    return renderer.page(request, "interview_form.html", context)


@router.post("/interviews/{interview_id}/edit", response_class=HTMLResponse)
def edit_interview(
    request: Request,
    interview_id: PathId,
    form: Form,
    journal: JournalDep,
    renderer: RendererDep,
) -> Response:
    current = journal.get_interview(interview_id).interview
    given = _interview_given(form)
    for required in ("kind", "held_on", "outcome"):
        if given[required] is None:
            del given[required]
    edited, errors = _attempt(
        lambda: journal.edit_interview(
            interview_id,
            application_id=_record_id(form, "application_id", "an application number"),
            force=form.get("force") == "on",
            **given,
        )
    )
    if edited is None:
        errors = {**field_problems("interview", given), **errors}
        context = {"values": form, "errors": errors, "interview": current, "owner": None}
        return renderer.page(request, "interview_form.html", context, 422)
    revoked = f"?invites_revoked={edited.invites_revoked}" if edited.invites_revoked else ""
    return _see(f"/interviews/{interview_id}{revoked}")


@router.post("/interviews/{interview_id}/delete")
def delete_interview(interview_id: PathId, form: Form, journal: JournalDep) -> Response:
    journal.delete_interview(interview_id)
    return _see("/interviews")


@router.post("/interviews/{interview_id}/invite", response_class=HTMLResponse)
def invite(
    request: Request,
    interview_id: PathId,
    form: Form,
    journal: JournalDep,
    renderer: RendererDep,
) -> Response:
    from debrief.partner import DEFAULT_DAYS, create_invite
    from debrief.web.api import partner_link

    days_text = form.get("days") or str(DEFAULT_DAYS)
    if not is_whole(days_text) or len(days_text) > 3:
        raise InvalidInput("days", f"'{days_text}' is not a number of days")
    created = create_invite(
        journal, interview_id, days=int(days_text), coach=form.get("coach") == "on"
    )
    if form.get("as") == "file":  # the offline form, for a partner who cannot reach this app
        from debrief.partner.offline import offline_form

        page = offline_form(journal, created).encode("utf-8")
        return _download(page, "text/html; charset=utf-8", f"mock-interview-{interview_id}.html")
    context = {
        "invite": created,
        "link": partner_link(request, created.token),
        "detail": journal.get_interview(interview_id),
    }
    return renderer.page(request, "invite.html", context, 201)


# -- feedback and the inbox --------------------------------------------------------------------


@router.get("/feedback/new", response_class=HTMLResponse)
def new_feedback(
    request: Request,
    renderer: RendererDep,
    interview_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    application_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    values = {
        "received_on": date.today().isoformat(),
        "interview_id": str(interview_id or ""),
        "application_id": str(application_id or ""),
    }
    return renderer.page(request, "feedback_form.html", {"values": values, "errors": {}})


def _record_id(form: dict[str, str], name: str, what: str = "a record number") -> int | None:
    """The record number in field `name` ("#12" or "12"), None when it is empty."""
    text = (form.get(name) or "").strip().lstrip("#")
    if not text:
        return None
    try:
        return record_id(text, name)
    except InvalidInput:
        raise InvalidInput(name, f"'{text[:40]}' is not {what}") from None


@router.post("/feedback", response_class=HTMLResponse)
def add_feedback(
    request: Request, form: Form, journal: JournalDep, renderer: RendererDep
) -> Response:
    added, errors = _attempt(
        lambda: journal.add_feedback(
            form.get("text", ""),
            source=_blank(form.get("source")),
            interview_id=_record_id(form, "interview_id"),
            application_id=_record_id(form, "application_id"),
            received_on=_blank(form.get("received_on")),
        )
    )
    if added is None:
        return renderer.page(request, "feedback_form.html", {"values": form, "errors": errors}, 422)
    return _see(f"/feedback/{added.id}")


@router.get("/feedback/{feedback_id}", response_class=HTMLResponse)
def feedback(
    request: Request, feedback_id: PathId, journal: JournalDep, renderer: RendererDep
) -> Response:
    return renderer.page(request, "feedback.html", _feedback_context(journal, feedback_id))


def _feedback_context(journal: Journal, feedback_id: int) -> dict[str, Any]:
    item = journal.get_feedback(feedback_id)
    statements = journal.list_statements(feedback_id=feedback_id)
    return {
        "entries": [(item, statements)],
        "single": True,
        "values": {"text": item.text},
        "errors": {},
    }


@router.post("/feedback/{feedback_id}/text", response_class=HTMLResponse)
def edit_feedback_text(
    request: Request,
    feedback_id: PathId,
    form: Form,
    journal: JournalDep,
    renderer: RendererDep,
) -> Response:
    text = form.get("text", "")
    edited, errors = _attempt(lambda: journal.edit_feedback_text(feedback_id, text))
    if edited is None:
        context = _feedback_context(journal, feedback_id)
        context.update(values={"text": text}, errors={"text": next(iter(errors.values()))})
        return renderer.page(request, "feedback.html", context, 422)
    return _see(f"/feedback/{feedback_id}")


@router.post("/feedback/{feedback_id}/delete")
def delete_feedback(feedback_id: PathId, form: Form, journal: JournalDep) -> Response:
    journal.delete_feedback(feedback_id)
    return _see(_back(form, "/inbox"))


@router.get("/inbox", response_class=HTMLResponse)
async def inbox(
    request: Request,
    journal: JournalDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    return await _cached(request, "inbox.html", lambda: _inbox_context(journal, page))


def _inbox_context(journal: Journal, page: int) -> dict[str, Any]:
    total, entries = journal.review_queue(limit=INBOX_PAGE, offset=(page - 1) * INBOX_PAGE)
    pages = max(1, -(-total // INBOX_PAGE))
    return {"entries": entries, "total": total, "page": page, "pages": pages}


@router.post("/statements/{statement_id}/label")
def label_statement(statement_id: PathId, form: Form, journal: JournalDep) -> Response:
    chosen = Label.parse(form.get("label", ""), "label")
    skills = [s for s in form.get("skills", "").split(",") if s.strip()] or None
    if chosen not in SKILLED_LABELS:
        skills = None
    labelled = journal.label_statement(statement_id, chosen, skills)
    return _see(_back(form, "/inbox") + f"#feedback-{labelled.feedback_id}")


@router.post("/feedback/{feedback_id}/confirm")
def confirm_feedback(feedback_id: PathId, form: Form, journal: JournalDep) -> Response:
    journal.confirm_rest(feedback_id)
    return _see(_back(form, "/inbox") + f"#feedback-{feedback_id}")


@router.post("/feedback/triage")
def retriage(form: Form, journal: JournalDep) -> Response:
    """Triage feedback again with the current model: one piece (`feedback_id`), or all of it.
    Labels you gave are kept."""
    feedback_id = _record_id(form, "feedback_id", "a feedback number")
    journal.retriage(feedback_id)
    return _see(_back(form, f"/feedback/{feedback_id}" if feedback_id else "/inbox"))


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, journal: JournalDep, renderer: RendererDep) -> Response:
    return renderer.page(request, "settings.html", _settings_context(journal, {}, {}))


@router.post("/settings", response_class=HTMLResponse)
def save_settings(
    request: Request, form: Form, journal: JournalDep, renderer: RendererDep
) -> Response:
    """Set or clear each setting, checked as `debrief config set` checks it."""
    from debrief.settings import MEANINGS, checked

    errors: dict[str, str] = {}
    chosen: dict[str, str | None] = {}
    for key in MEANINGS:
        value = form.get(key, "")
        try:
            chosen[key] = checked(key, value) if value.strip() else None
        except InvalidInput as error:
            errors[key] = error.detail
    if errors:
        return renderer.page(
            request, "settings.html", _settings_context(journal, form, errors), 422
        )
    for key, given in chosen.items():
        journal.set_setting(key, given)
    return _see("/settings")


def _settings_context(
    journal: Journal, values: dict[str, str], errors: dict[str, str]
) -> dict[str, Any]:
    from debrief.settings import MEANINGS

    made = journal.settings()
    shown = {key: values.get(key, made.get(key) or "") for key in MEANINGS}
    return {"settings": MEANINGS, "values": shown, "errors": errors}


@router.post("/inbox/confirm-certain")
def confirm_certain(form: Form, journal: JournalDep) -> Response:
    journal.confirm_rest()
    return _see(_back(form, "/inbox"))


@router.post("/statements/{statement_id}/confirm")
def confirm_statement(statement_id: PathId, form: Form, journal: JournalDep) -> Response:
    confirmed = journal.confirm_statement(statement_id)
    return _see(_back(form, "/inbox") + f"#feedback-{confirmed.feedback_id}")


@router.post("/statements/{statement_id}/split", response_class=HTMLResponse)
def split_statement(
    request: Request,
    statement_id: PathId,
    form: Form,
    journal: JournalDep,
    renderer: RendererDep,
) -> Response:
    at = form.get("at", "")
    problem = _Problem(statement_id, "split", "Could not split", at=at)

    def split() -> tuple[Statement, Statement]:
        return journal.split_statement(statement_id, at)

    return _review(request, renderer, journal, form, problem, split, lambda parts: parts[0].id)


@router.post("/statements/{statement_id}/merge", response_class=HTMLResponse)
def merge_statements(
    request: Request,
    statement_id: PathId,
    form: Form,
    journal: JournalDep,
    renderer: RendererDep,
) -> Response:
    def merge() -> Statement:
        following = _record_id(form, "with", "a statement number")
        if following is None:
            raise InvalidInput("with", "name the statement to merge with")
        return journal.merge_statements(statement_id, following)

    problem = _Problem(statement_id, "merge", "Could not merge")
    return _review(request, renderer, journal, form, problem, merge, lambda merged: merged.id)


@router.post("/statements/{statement_id}/skills", response_class=HTMLResponse)
def set_statement_skills(
    request: Request,
    statement_id: PathId,
    form: Form,
    journal: JournalDep,
    renderer: RendererDep,
) -> Response:
    areas = [key.removeprefix("skill_") for key in form if key.startswith("skill_")]
    problem = _Problem(statement_id, "skills", "Could not set the skill areas", skills=areas)

    def set_areas() -> Statement:
        return journal.set_statement_skills(statement_id, areas)

    return _review(request, renderer, journal, form, problem, set_areas, lambda done: done.id)


@dataclass(frozen=True, slots=True)
class _Problem:
    """A review form the core refused: which statement and action, the message, and what was
    typed or ticked (shown again in the form)."""

    statement: int
    action: str
    doing: str
    errors: dict[str, str] = field(default_factory=dict)
    at: str = ""
    skills: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        return f"{self.doing}: {next(iter(self.errors.values()))}"


def _review(
    request: Request,
    renderer: Renderer,
    journal: Journal,
    form: dict[str, str],
    problem: _Problem,
    action: Callable[[], _T],
    landing: Callable[[_T], int],
) -> Response:
    """Run a review action on a statement: back to the page the form came from, at the
    statement `landing` names in what the action returned; or, when the core refuses it, that
    page again with the refusal beside the statement (`problem`)."""
    done, errors = _attempt(action)
    if done is None:
        return _review_again(request, renderer, journal, form, replace(problem, errors=errors))
    return _see(_back(form, "/inbox") + f"#statement-{landing(done)}")


def _review_again(
    request: Request, renderer: Renderer, journal: Journal, form: dict[str, str], problem: _Problem
) -> Response:
    """The page a review form was sent from, again (422), with the form's message beside the
    statement and what was typed kept: the inbox page it was on, or the feedback's own page."""
    target = _back(form, "/inbox")
    if target.startswith("/inbox"):
        page = parse_qs(urlsplit(target).query).get("page", ["1"])[0]
        number = int(page) if is_whole(page) and len(page) < 7 else 1
        context = _inbox_context(journal, max(number, 1))
        return renderer.page(request, "inbox.html", {**context, "problem": problem}, 422)
    owner = journal.get_statement(problem.statement).feedback_id
    context = _feedback_context(journal, owner)
    return renderer.page(request, "feedback.html", {**context, "problem": problem}, 422)


# -- mail the import review queue holds ---------------------------------------------------------

ReviewState = Literal["pending", "accepted", "discarded", "all"]
SettledAction = Literal["create", "update", "unchanged", "skip"]


@router.get("/imports/review", response_class=HTMLResponse)
def import_reviews(
    request: Request,
    journal: JournalDep,
    renderer: RendererDep,
    state: ReviewState = "pending",
    accepted: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    discarded: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    action: SettledAction | None = None,
) -> Response:
    from debrief.ingest.mail.policy import status_of

    found = journal.list_reviews(None if state == "all" else state, limit=REVIEWS_SHOWN)
    context = {
        "reviews": [(review, status_of(review.event, review.stage)) for review in found],
        "state": state,
        "counts": journal.count_reviews(),
        "shown": REVIEWS_SHOWN,
        "notice": _settled_notice(journal, accepted or discarded, action),
    }
    return renderer.page(request, "import_reviews.html", context)


@dataclass(frozen=True, slots=True)
class _Settled:
    """What the queue page says after a review was accepted or discarded (read back from the
    journal, so the address can only ever show what really happened)."""

    review: Review
    action: str | None
    application: Application | None


def _settled_notice(journal: Journal, review_id: int | None, action: str | None) -> _Settled | None:
    if review_id is None:
        return None
    try:
        review = journal.get_review(review_id)
    except NotFound:
        return None
    if review.state == "pending":
        return None
    app = None
    if review.application_id is not None:
        app = journal.get_application(review.application_id).application
    return _Settled(review, action, app)


@router.get("/imports/review/{review_id}", response_class=HTMLResponse)
def import_review(
    request: Request, review_id: PathId, journal: JournalDep, renderer: RendererDep
) -> Response:
    return _review_page(request, renderer, journal, review_id)


@router.post("/imports/review/{review_id}/accept", response_class=HTMLResponse)
def accept_import_review(
    request: Request, review_id: PathId, form: Form, journal: JournalDep, renderer: RendererDep
) -> Response:
    from debrief.ingest.mail.importer import accept_review

    corrected = form.get("how") == "corrected"
    try:
        corrections: dict[str, Any] = {}
        if corrected:
            role = form.get("role")
            corrections = {
                "company": _blank(form.get("company")),
                "role": None if role is None else role.strip(),  # "": it names no role
                "event": _blank(form.get("event")),
                "stage": _blank(form.get("stage")),
                "application_id": _record_id(form, "application_id", "an application number"),
            }
        done = accept_review(journal, review_id, **corrections)
    except InvalidInput as error:
        values = form if corrected else None
        errors = {error.field: error.detail}
        return _review_page(request, renderer, journal, review_id, values, errors, status=422)
    except AlreadySettled as error:
        problem = str(error).capitalize()
        return _review_page(request, renderer, journal, review_id, problem=problem, status=409)
    return _see(f"/imports/review?accepted={review_id}&action={done.action}")


@router.post("/imports/review/{review_id}/discard", response_class=HTMLResponse)
def discard_import_review(
    request: Request, review_id: PathId, form: Form, journal: JournalDep, renderer: RendererDep
) -> Response:
    from debrief.ingest.mail.importer import discard_review

    try:
        discard_review(journal, review_id)
    except AlreadySettled as error:
        problem = str(error).capitalize()
        return _review_page(request, renderer, journal, review_id, problem=problem, status=409)
    return _see(f"/imports/review?discarded={review_id}")


def _review_page(
    request: Request,
    renderer: Renderer,
    journal: Journal,
    review_id: int,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    *,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    """A queued message, what accepting it would do and the forms that settle it; after a
    refused form, the same page with the message and what was typed (`values`) kept."""
    from debrief.ingest.mail.importer import preview_review
    from debrief.ingest.mail.policy import STAGE_STATUS, status_of

    review = journal.get_review(review_id)
    preview = preview_review(journal, review_id) if review.state == "pending" else None
    settled_to = None
    if review.application_id is not None:
        settled_to = journal.get_application(review.application_id).application
    proposed = {
        "company": review.company or "",
        "role": review.role or "",
        "event": review.event or "",
        "stage": review.stage or "",
        "application_id": "",
    }
    context = {
        "review": review,
        "status": status_of(review.event, review.stage),
        "preview": preview,
        "candidates": {app.id: app for app in preview.candidates} if preview else {},
        "settled_to": settled_to,
        "excerpt": review.text[:EXCERPT].strip(),
        "cut": len(review.text) > EXCERPT,
        "shown": min(len(review.text), EXCERPT),
        "events": EVENTS,
        "stages": ("applied", *STAGE_STATUS, "offer"),
        "values": values or proposed,
        "errors": errors or {},
        "problem": problem,
    }
    return renderer.page(request, "import_review.html", context, status)


# -- the plan ----------------------------------------------------------------------------------


@router.post("/plan/{item_id}/edit", response_class=HTMLResponse)
def edit_item(item_id: PathId, form: Form, journal: JournalDep) -> Response:
    """Change an item's goal or target, add a task of your own, or remove one."""
    changes: dict[str, Any] = {}
    if _blank(form.get("goal")) is not None:
        changes["goal"] = form.get("goal", "")
    if _blank(form.get("target")) is not None:
        changes["target"] = form.get("target")
    if _blank(form.get("add_task")) is not None:
        changes["add_tasks"] = [form.get("add_task", "")]
    remove = _blank(form.get("remove_task"))
    if remove is not None:
        if not is_whole(remove.strip()) or len(remove.strip()) > 4:
            raise InvalidInput("remove_task", f"'{remove}' is not a task number")
        changes["remove_tasks"] = [int(remove)]
    if changes:
        ActionPlan(journal).edit(item_id, **changes)
    return _see(f"/plan#item-{item_id}")


@router.post("/plan/{item_id}/{action}")
def plan_action(
    item_id: PathId,
    action: Annotated[str, Path(pattern="^(accept|drop|resolve|practice)$")],
    form: Form,
    journal: JournalDep,
) -> Response:
    actions = ActionPlan(journal)
    if action == "accept":
        actions.accept(item_id, target=_blank(form.get("target")))
    elif action == "drop":
        actions.drop(item_id)
    elif action == "resolve":
        actions.resolve(item_id)
    else:
        minutes = _blank(form.get("minutes"))
        task = _blank(form.get("task"))
        for name, value in (("minutes", minutes), ("task", task)):
            if value is not None and (not is_whole(value.strip()) or len(value.strip()) > 6):
                raise InvalidInput(name, f"'{value}' is not a whole number")
        actions.log_practice(
            item_id,
            form.get("text", ""),
            minutes=int(minutes) if minutes else None,
            on=_blank(form.get("on")),
            task=int(task) if task else None,
            done=form.get("done") == "on",
        )
    return _see(f"/plan#item-{item_id}")


@router.post("/plan/{item_id}/tasks/{number}")
def tick_task(
    item_id: PathId,
    number: Annotated[int, Path(ge=1, le=1000)],
    form: Form,
    journal: JournalDep,
) -> Response:
    """Tick a task done, or take the tick back."""
    done = form.get("done") == "on"
    ActionPlan(journal).edit(
        item_id, done=[number] if done else [], undone=[] if done else [number]
    )
    return _see(f"/plan#item-{item_id}")


@router.post("/plan/assignments/{assignment_id}/{action}")
def mark_assignment(
    assignment_id: PathId,
    action: Annotated[str, Path(pattern="^(done|undo)$")],
    form: Form,
    journal: JournalDep,
) -> Response:
    """Mark a coach's assignment done (on the day given, default today), or not done."""
    journal.mark_assignment(assignment_id, done=action == "done", on=_blank(form.get("on")))
    return _see(f"/plan#assignment-{assignment_id}")


@router.post("/invites/{invite_id}/revoke")
def revoke_invite(invite_id: PathId, form: Form, journal: JournalDep) -> Response:
    from debrief.partner import revoke_invite as revoke

    revoked = revoke(journal, invite_id)
    return _see(_back(form, f"/interviews/{revoked.interview_id}"))


# -- the partner's form ------------------------------------------------------------------------

# Any text up to a bound: a link cut short or mistyped gets the page that says what to ask for,
# not a validation error (the partner module checks the token's shape itself).
Token = Annotated[str, Path(max_length=512)]


def _partner_page(
    request: Request, renderer: Renderer, token: str, values: dict[str, str], errors: dict[str, str]
) -> Response:
    from debrief.partner import MAX_ANSWER, MAX_PARTNER_NAME, open_invite

    form = open_invite(request.app.state.journal, token)
    context = {
        "form": form,
        "values": values,
        "errors": errors,
        "max_answer": MAX_ANSWER,
        "max_name": MAX_PARTNER_NAME,
    }
    return renderer.page(request, "partner.html", context, 422 if errors else 200)


@router.get("/partner/{token}", response_class=HTMLResponse)
def partner_form(request: Request, token: Token, renderer: RendererDep) -> Response:
    return _partner_page(request, renderer, token, {}, {})


@router.post("/partner/{token}", response_class=HTMLResponse)
def partner_answer(
    request: Request, token: Token, form: Form, journal: JournalDep, renderer: RendererDep
) -> Response:
    from debrief.partner import submit

    raw = rubric_answers(form, ("went_well", "work_on", "comments", "partner", "asked"))
    sent, errors = _attempt(lambda: submit(journal, token, raw))
    if sent is None:
        return _partner_page(request, renderer, token, form, errors)
    return renderer.page(request, "partner_done.html", {})
