"""Rendering pages: one Jinja2 environment with autoescaping on, over the web app's templates
and the partner form's shared fields. Text is shown with its bidirectional controls made visible;
form fields carry it as typed (the `typed` filter)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from debrief.model import (
    SKILLED_LABELS,
    FeedbackSource,
    InterviewKind,
    Label,
    Outcome,
    Source,
    Status,
    WorkMode,
    visible,
)
from debrief.model import words as vocabulary_words
from debrief.report.html import chart_json, shown
from debrief.taxonomy import area_name, load_taxonomy
from debrief.themes import subskill_name

if TYPE_CHECKING:
    from fastapi import Request
    from fastapi.responses import HTMLResponse

# The pages a navigation entry also stands for (Prepare: the questions and the stories).
NAVIGATION_ALSO = {"/questions": ("/stories",)}
NAVIGATION = (
    ("/", "Dashboard"),
    ("/board", "Board"),
    ("/applications", "Applications"),
    ("/interviews", "Interviews"),
    ("/inbox", "Inbox"),
    ("/themes", "Themes"),
    ("/plan", "Plan"),
    ("/questions", "Prepare"),
    ("/report", "Report"),
    ("/export", "Import, export"),
)


def words(value: Any) -> str:
    """A vocabulary value as a person reads it (`model.words`); nothing for None."""
    return "" if value is None else vocabulary_words(value)


def sentence(text: Any) -> str:
    """Text with its first letter in capitals and the rest as it is ("SQL round", not Jinja's
    "Sql round")."""
    written = str(text)
    return written[:1].upper() + written[1:]


def script_json(value: Any) -> Markup:
    """JSON for a `<script type="application/json">` block that cannot close the element (its
    text shown as `visible`, as chart labels)."""
    return Markup(visible(chart_json(value)))


def typed(value: Any) -> Markup:
    """Text for a form field, exactly as typed (escaped, bidirectional controls kept): sent
    back, it must not come back changed."""
    return escape("" if value is None else value)


class Renderer:
    """The templates, with what every page needs (navigation, the CSRF token, vocabularies)."""

    def __init__(self) -> None:
        self.environment = Environment(
            loader=ChoiceLoader(
                [PackageLoader("debrief.web", "templates"), PackageLoader("debrief.partner")]
            ),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=shown,
        )
        self.environment.filters["typed"] = typed
        self.environment.filters["words"] = words
        self.environment.filters["sentence"] = sentence
        self.environment.filters["area"] = area_name
        self.environment.filters["subskill"] = subskill_name
        self.environment.filters["script_json"] = script_json
        self.environment.globals.update(
            navigation=NAVIGATION,
            navigation_also=NAVIGATION_ALSO,
            statuses=list(Status),
            sources=list(Source),
            work_modes=list(WorkMode),
            kinds=list(InterviewKind),
            outcomes=list(Outcome),
            feedback_sources=list(FeedbackSource),
            labels=list(Label),
            skilled_labels=[label for label in Label if label in SKILLED_LABELS],
            areas=load_taxonomy().areas,
        )

    def text(
        self,
        request: Request,
        name: str,
        context: dict[str, Any],
        *,
        csrf_token: str | None = None,
    ) -> str:
        """A page as text (with the request's CSRF token, unless another is given)."""
        template = self.environment.get_template(name)
        if csrf_token is None:
            csrf_token = request.scope.get("state", {}).get("csrf_token", "")
        state = request.scope.get("state", {})
        return template.render(
            request=request,
            path=request.url.path,
            csrf_token=csrf_token,
            person=state.get("person"),  # who is signed in, on a coach server
            **context,
        )

    def page(
        self, request: Request, name: str, context: dict[str, Any], status: int = 200
    ) -> HTMLResponse:
        """A page as a response."""
        from fastapi.responses import HTMLResponse

        return HTMLResponse(self.text(request, name, context), status_code=status)
