"""The local web app: server-rendered pages for everything the CLI does, a JSON API under /api/,
and the mock partner's rubric form.

A thin door like the CLI: routes parse input, call the journal, the plan or the partner module,
and render the result. Pages are Jinja2 templates with a little JavaScript from the package's own
static files (no CDN, works offline); domain errors become messages in the page or JSON problems,
never tracebacks.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

    from debrief.journal import Journal
    from debrief.web.render import Renderer

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
RETRY_AFTER_SECONDS = 1  # told to clients when the database is busy (503)


def create_app(
    journal: Journal,
    *,
    allowed_hosts: Iterable[str] = (*LOCAL_HOSTS, "testserver"),
    public_url: str | None = None,
    warm: bool = False,
    csrf_key: bytes | None = None,
    close_journal: bool = False,
    guarded: bool = True,
    renderer: Renderer | None = None,
    partner_prefix: str = "",
) -> FastAPI:
    """The web app over one journal. `allowed_hosts` are the Host names it answers (a guard
    against DNS rebinding; "*" answers any); `public_url` is the address partner links use
    (by default, the one the request came in on), and its origin may change the journal;
    `csrf_key` signs the CSRF tokens (the same in every worker of one server). With `warm`,
    the analysis the dashboard shows starts building right away, while the server starts, so
    the first visit does not wait for all of it; with `close_journal`, the journal is closed
    when the app stops.

    A coach server (`web.coach`) serves one such app per student behind its own guards
    (`guarded=False`), all with one `renderer`; partner links then carry `partner_prefix`,
    the part of the address that leads to the student's journal."""
    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from debrief import __version__
    from debrief.web import api, imports, pages, prep
    from debrief.web.render import Renderer
    from debrief.web.security import GuardMiddleware
    from debrief.web.views import AnalysisCache, PageCache

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        imports.close_uploads(app.state)  # files uploaded to import and never confirmed
        warming = app.state.analysis.warming
        if warming is not None:
            warming.join(timeout=60)  # a build under way ends before the journal closes
        if close_journal:
            journal.close()

    app = FastAPI(
        lifespan=lifespan,
        title="debrief",
        version=__version__,
        description=(
            "The journal of a job search: applications, interviews, feedback and its triage, "
            "recurring themes, the action plan and the analysis. State-changing requests take "
            "JSON bodies (Content-Type: application/json)."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.journal = journal
    app.state.analysis = AnalysisCache(journal)
    if warm:  # from now, while the server itself starts
        app.state.analysis.warm()
    app.state.pages = PageCache()
    app.state.renderer = renderer or Renderer()
    app.state.public_url = public_url.rstrip("/") if public_url else None
    app.state.partner_prefix = partner_prefix
    if guarded:
        app.add_middleware(
            GuardMiddleware,
            allowed_hosts=allowed_hosts,
            origins=[public_url] if public_url else [],
            csrf_key=csrf_key,
        )
    static = resources.files("debrief.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for module in (api, pages, imports, prep):
        app.include_router(module.router)

    _handle_errors(app)
    return app


def _handle_errors(app: FastAPI) -> None:
    """Domain errors become messages in the page, or JSON problems under /api/."""
    from fastapi import Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse, Response
    from starlette.exceptions import HTTPException

    from debrief.errors import DatabaseFailed, DebriefError, InvalidInput, NotFound
    from debrief.partner import InviteRefused

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    def page_error(request: Request, status: int, message: str) -> Response:
        renderer: Renderer = request.app.state.renderer
        return renderer.page(request, "error.html", {"status": status, "message": message}, status)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": str(error)}, status_code=404)
        return page_error(request, 404, str(error).capitalize())

    @app.exception_handler(InvalidInput)
    async def invalid(request: Request, error: InvalidInput) -> Response:
        if wants_json(request):
            problem = [{"loc": ["body", error.field], "msg": error.detail, "type": "value_error"}]
            return JSONResponse({"detail": problem}, status_code=422)
        return page_error(request, 422, str(error))

    @app.exception_handler(DebriefError)
    async def refused(request: Request, error: DebriefError) -> Response:
        status = 410 if isinstance(error, InviteRefused) else 409
        if wants_json(request):
            return JSONResponse({"detail": str(error)}, status_code=status)
        return page_error(request, status, str(error).capitalize())

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> Response:
        problems: list[dict[str, Any]] = [
            {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in error.errors()
        ]
        if wants_json(request):
            return JSONResponse({"detail": problems}, status_code=422)
        lines = "; ".join(f"{'.'.join(map(str, p['loc'][1:]))}: {p['msg']}" for p in problems)
        return page_error(request, 422, lines)

    @app.exception_handler(DatabaseFailed)
    async def database_failed(request: Request, error: DatabaseFailed) -> Response:
        # Nothing of the request was written, and the connection stays open. Another process
        # holding the journal: try again in a moment (503). Anything else is a fault to look
        # into: logged, with its cause (500).
        message = str(error)[:400]
        if error.busy:
            status, headers = 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
        else:
            status, headers = 500, {}
            logging.getLogger("debrief.web").error(
                "%s %s: %s", request.method, request.url.path, message, exc_info=error
            )
        if wants_json(request):
            return JSONResponse({"detail": message}, status_code=status, headers=headers)
        response = page_error(request, status, message[:1].upper() + message[1:])
        response.headers.update(headers)
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if wants_json(request):
            return JSONResponse(
                {"detail": error.detail}, status_code=error.status_code, headers=error.headers
            )
        return page_error(request, error.status_code, str(error.detail))
