"""Bidirectional controls in user text (FINDINGS S9): kept in the journal as typed, shown as what
they are on every surface that displays text (web pages, the report, the terminal), so a company
typed as RLO + "moc.evil" cannot pass itself off as "live.com". Form fields keep the text as
typed, so sending a form back changes nothing."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from html import unescape
from typing import Any

from fastapi.testclient import TestClient

from debrief.journal import Journal
from debrief.report import render_html, render_markdown
from debrief.report.html import figures_of
from debrief.web import create_app
from debrief.web.security import CSRF_COOKIE
from tests.conftest import CliDriver

RLO = "\u202e"
SPOOF = f"{RLO}moc.evil"  # a terminal or a page shows it as "live.com"
SHOWN = "⟨U+202E⟩moc.evil"
CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_every_bidirectional_control_is_named_and_other_text_is_left_alone() -> None:
    from debrief.model import visible

    shown = visible(f"a{CONTROLS}b")
    assert not set(CONTROLS) & set(shown)
    assert shown == "a" + "".join(f"⟨U+{ord(c):04X}⟩" for c in CONTROLS) + "b"
    for text in ("Zoë Müller, München", "שלום עולם", "مرحبا", "emoji 🎉 and a\u200bzero width"):
        assert visible(text) == text
    assert visible(SPOOF) == SHOWN


def test_the_terminal_shows_bidirectional_controls(cli: CliDriver) -> None:
    added = cli.ok("app", "add", SPOOF, "Data Scientist").stdout
    assert SHOWN in added and RLO not in added
    for args in (["app", "show", "1"], ["app", "list"]):
        out = cli.ok(*args).stdout
        assert RLO not in out and "⟨U+202E⟩" in out, args
    kept = cli.json("app", "show", "1")
    assert isinstance(kept, dict) and kept["application"]["company"] == SPOOF  # as typed


def _fields(page: str) -> dict[str, str]:
    """The text fields of a form page as a browser would send them back."""
    inputs = re.findall(r'<input id="(\w+)" name="\1" type="(?:text|date)" value="([^"]*)"', page)
    areas = re.findall(r'<textarea id="(\w+)" name="\1"[^>]*>(.*?)</textarea>', page, re.S)
    return {name: unescape(value) for name, value in [*inputs, *areas]}


def test_pages_show_bidirectional_controls_and_forms_keep_them(journal: Journal) -> None:
    app = journal.add_application(SPOOF, "Data Scientist", notes=f"call {RLO}kcab")
    with TestClient(create_app(journal)) as client:
        for url in ("/applications", f"/applications/{app.id}", "/board"):
            page = client.get(url).text
            assert RLO not in page and SHOWN in page, url
        edit = client.get(f"/applications/{app.id}/edit").text
        fields = _fields(edit)
        assert fields["company"] == SPOOF and fields["notes"] == f"call {RLO}kcab"
        sent = client.post(
            f"/applications/{app.id}/edit",
            data={"csrf_token": client.cookies.get(CSRF_COOKIE) or "", **fields},
            follow_redirects=False,
        )
        assert sent.status_code == 303
    kept = journal.get_application(app.id).application
    assert kept.company == SPOOF and kept.notes == f"call {RLO}kcab"


def test_the_report_shows_bidirectional_controls(tmp_path: Any) -> None:
    from debrief.demo import build_demo
    from debrief.report import build_report, report_data

    with Journal.open(str(tmp_path / "demo.db")) as journal:
        build_demo(journal, seed=7, end=date(2026, 11, 30))
        data = report_data(build_report(journal, as_of=date(2026, 11, 30)))
    spoofed = copy.deepcopy(data)
    [theme, *_] = spoofed["themes"]["weaknesses"]
    theme["evidence"][0].update(text=f"{RLO}txet", company=SPOOF, mock=False)
    spoofed["blocks"]["cut_role"]["figure"]["data"][0]["y"][0] = SPOOF
    html = render_html(spoofed)
    assert RLO not in html and SHOWN in html and "⟨U+202E⟩txet" in html
    charts = re.search(r'id="report-charts">(.*?)</script>', html, re.S)
    assert charts and SHOWN in json.loads(charts.group(1))["cut_role"]["data"][0]["y"]
    assert figures_of(spoofed)["cut_role"]["data"][0]["y"][0] == SPOOF  # the data as it is
    markdown = render_markdown(spoofed)
    assert RLO not in markdown and "⟨U+202E⟩txet" in markdown
