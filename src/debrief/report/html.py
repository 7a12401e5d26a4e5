"""The report as one self-contained HTML file: Jinja2 for the page, Plotly for the charts.

Plotly was chosen because its Python wheel carries plotly.js, so the file embeds the library and
works offline with no CDN, and its charts stay interactive (hover for the counts behind a dot).
The page is rendered from `report_data` alone; every piece of user text goes through Jinja2's
autoescaping, and the chart data sits in a JSON script block with `<`, `>` and `&` escaped. Opened
from disk, the page carries its Content-Security-Policy in a meta tag: only its own two scripts
run (its own, and plotly.js it unpacks), by hash. Bidirectional controls in user text are shown
as ⟨U+202E⟩ (`shown`, the pages' finalize, which the web app uses too).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from debrief.errors import DebriefError
from debrief.model import visible

if TYPE_CHECKING:
    from jinja2 import Template


def chart_json(figures: dict[str, Any]) -> str:
    """The figures as JSON that cannot close the script element it sits in."""
    text = json.dumps(figures, separators=(",", ":"), ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def shown(value: Any) -> Any:
    """What each `{{ … }}` of a page shows (the Jinja2 `finalize` of the report and the web
    app): text with its bidirectional controls made visible (`model.visible`); markup the
    templates made themselves, and other values, as they are."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return visible(value)
    return value


def script_hash(body: str) -> str:
    """The base64 SHA-256 of an inline script, as a Content-Security-Policy names it."""
    return base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")


@cache
def plotly_source() -> str:
    """plotly.js as shipped in the plotly wheel."""
    try:
        source = resources.files("plotly").joinpath("package_data", "plotly.min.js")
        return source.read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise DebriefError(
            "the HTML report needs plotly's JavaScript: pip install 'plotly>=6'"
        ) from error


@cache
def plotly_packed() -> str:
    """plotly.js gzipped and in base64, as the report carries it: about 1.9 MB instead of 4.8,
    unpacked by the browser itself (DecompressionStream) when the page opens."""
    packed = gzip.compress(plotly_source().encode("utf-8"), compresslevel=9, mtime=0)
    return base64.b64encode(packed).decode("ascii")


def file_policy(script_hashes: Iterable[str]) -> str:
    """The Content-Security-Policy of a page opened from disk, for its meta tag (no header
    applies to a file): nothing is fetched from anywhere, and only the page's own inline
    scripts run, named by their hashes."""
    allowed = " ".join(f"'sha256-{h}'" for h in script_hashes)
    return (
        f"default-src 'none'; script-src {allowed}; style-src 'unsafe-inline'; img-src data:; "
        "object-src 'none'; base-uri 'none'; form-action 'none'"
    )


@cache
def report_script() -> str:
    """The report's own script: it unpacks plotly.js and draws the charts."""
    return resources.files("debrief.report").joinpath("templates", "report.js").read_text("utf-8")


@cache
def plotly_hash() -> str:
    """The hash a Content-Security-Policy allows the unpacked plotly.js by (it runs as an
    inline script the page adds)."""
    return script_hash(plotly_source())


def figures_of(data: dict[str, Any]) -> dict[str, Any]:
    """Every chart of the report, by the id its element carries."""
    figures = {key: block["figure"] for key, block in data["blocks"].items() if block["figure"]}
    for curve in data["learning"]:
        if curve["figure"]:
            figures[f"learning_{curve['skill']}"] = curve["figure"]
    return figures


@cache
def _template() -> Template:
    """The page's template, compiled once (compiling takes longer than rendering)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(
        loader=PackageLoader("debrief.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=shown,
    )
    return environment.get_template("report.html")


def render_html(data: dict[str, Any]) -> str:
    """The report page."""
    template = _template()
    script = report_script()
    return template.render(
        data=data,
        charts=visible(chart_json(figures_of(data))),
        plotly_packed=plotly_packed(),
        script=script,
        policy=file_policy((script_hash(script), plotly_hash())),
    )
