"""The report as one self-contained HTML file: Jinja2 for the page, Plotly for the charts.

Plotly was chosen because its Python wheel carries plotly.js, so the file embeds the library and
works offline with no CDN, and its charts stay interactive (hover for the counts behind a dot).
The page is rendered from `report_data` alone; every piece of user text goes through Jinja2's
autoescaping, and the chart data sits in a JSON script block with `<`, `>` and `&` escaped.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache
from importlib import resources
from typing import Any

from debrief.errors import DebriefError


def chart_json(figures: dict[str, Any]) -> str:
    """The figures as JSON that cannot close the script element it sits in."""
    text = json.dumps(figures, separators=(",", ":"), ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def script_hash(body: str) -> str:
    """The base64 SHA-256 of an inline script, as a Content-Security-Policy names it."""
    return base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")


@cache
def plotly_js() -> str:
    """plotly.js as shipped in the plotly wheel."""
    try:
        source = resources.files("plotly").joinpath("package_data", "plotly.min.js")
        text = source.read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as error:
        raise DebriefError(
            "the HTML report needs plotly's JavaScript: pip install 'plotly>=6'"
        ) from error
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def figures_of(data: dict[str, Any]) -> dict[str, Any]:
    """Every chart of the report, by the id its element carries."""
    figures = {key: block["figure"] for key, block in data["blocks"].items() if block["figure"]}
    for curve in data["learning"]:
        if curve["figure"]:
            figures[f"learning_{curve['skill']}"] = curve["figure"]
    return figures


def render_html(data: dict[str, Any]) -> str:
    """The report page."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(
        loader=PackageLoader("debrief.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = environment.get_template("report.html")
    return template.render(
        data=data,
        charts=chart_json(figures_of(data)),
        plotly=plotly_js(),
    )
