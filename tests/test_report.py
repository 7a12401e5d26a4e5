"""The report: its data snapshotted on the demo journal, escaping of user text, empty and tiny
journals, the CLI, Plotly's schema for every chart, and the page in a real headless Chromium."""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
from collections.abc import Iterator
from datetime import date
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from debrief.journal import Journal
from debrief.report import build_report, render_html, render_markdown, report_data, save
from debrief.report.html import (
    chart_json,
    figures_of,
    plotly_hash,
    plotly_packed,
    plotly_source,
    script_hash,
)
from tests.conftest import ARTIFACTS, CHROMIUM, CliDriver, browser_or_skip

END = date(2026, 11, 30)
SNAPSHOT = Path(__file__).parent / "data" / "report_snapshot.json"
MAX_HTML_BYTES = 2_500_000  # plotly.js packed (FINDINGS N4: it was 4.8 MB)
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


EXP = "experimentation"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    from debrief.demo import build_demo

    path = tmp_path_factory.mktemp("report") / "demo.db"
    with Journal.open(str(path)) as journal:
        build_demo(journal, seed=7, end=END)
        yield journal


@pytest.fixture(scope="module")
def demo_data(demo: Journal) -> dict[str, Any]:
    return report_data(build_report(demo, as_of=END))


@pytest.fixture(scope="module")
def demo_html(demo_data: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save(tmp_path_factory.mktemp("html") / "report.html", render_html(demo_data))


def _normalised(data: dict[str, Any]) -> dict[str, Any]:
    copy = json.loads(json.dumps(data))
    copy["meta"].pop("version")
    return copy


CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def test_the_written_report_allows_only_its_own_scripts(demo_html: Path) -> None:
    """FINDINGS S9: the written report had no CSP, and opened from disk no header applies."""
    html = demo_html.read_text("utf-8")
    [policy] = [unescape(found) for found in CSP_META.findall(html)]
    assert html.index("Content-Security-Policy") < html.index("<script")
    assert "default-src 'none'" in policy and "unsafe-eval" not in policy
    inline = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(inline) == 1
    allowed = set(re.findall(r"'sha256-([^']+)'", policy))
    assert allowed == {script_hash(inline[0]), plotly_hash()}


def test_the_demo_report_data_matches_its_snapshot(demo_data: dict[str, Any]) -> None:
    found = _normalised(demo_data)
    if os.environ.get("DEBRIEF_UPDATE_SNAPSHOTS") or not SNAPSHOT.exists():
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n", "utf-8")
        pytest.skip(f"wrote {SNAPSHOT.name}; check it and run again")
    expected = json.loads(SNAPSHOT.read_text("utf-8"))
    assert found == expected, "report data changed: DEBRIEF_UPDATE_SNAPSHOTS=1 rewrites it"


def test_the_demo_report_tells_the_demo_story(demo_data: dict[str, Any]) -> None:
    from debrief.demo import planted_weaknesses

    head = demo_data["headline"]
    assert head["applications"] == 150 and head["offers"] == 1
    top = {t["skill"] for t in demo_data["themes"]["weaknesses"][:3]}
    assert top == set(planted_weaknesses())
    source = demo_data["blocks"]["cut_source"]["comparison"]
    assert source.startswith("Referrals reach a recruiter screen")
    assert (
        demo_data["forecast"]["applications"]["low"] < demo_data["forecast"]["applications"]["high"]
    )
    assert demo_data["plan"], "the plan proposes items for the top weaknesses"
    # Every block states the records behind it and their dates.
    for key, block in demo_data["blocks"].items():
        assert re.search(r"\d", block["caption"]), key
    assert all(re.search(r"\d{4}-\d\d-\d\d", c["caption"]) for c in demo_data["learning"])


def test_every_chart_is_a_valid_plotly_figure(demo_data: dict[str, Any]) -> None:
    import plotly.graph_objects as go

    figures = figures_of(demo_data)
    assert {"funnel", "pass_rates", "cut_source", "rounds", "responses", "self_gap"} <= set(figures)
    for key, figure in figures.items():
        go.Figure(figure)  # raises on any property Plotly does not know
        assert figure["data"], key


def test_the_html_is_one_self_contained_file(demo_html: Path) -> None:
    html = demo_html.read_text("utf-8")
    assert demo_html.stat().st_size <= MAX_HTML_BYTES
    assert plotly_packed() in html  # the library is embedded, packed ...
    assert gzip.decompress(base64.b64decode(plotly_packed())).decode() == plotly_source()
    page = html.replace(plotly_packed(), "")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # ... and nothing is fetched
    assert html.count("data-chart=") == len(figures_of(report_data_from(html)))


def test_each_sub_theme_opens_to_its_statements(demo_data: dict[str, Any], demo_html: Path) -> None:
    [experimentation] = [t for t in demo_data["themes"]["weaknesses"] if t["skill"] == EXP]
    names = [s["name"] for s in experimentation["subthemes"]]
    assert names[:1] == ["sample size and power"] and "peeking and sequential testing" in names
    html = demo_html.read_text("utf-8")
    blocks = re.findall(r'<details class="subtheme">(.*?)</details>', html, re.S)
    themes = demo_data["themes"]["weaknesses"] + demo_data["themes"]["strengths"]
    subs = [sub for theme in themes for sub in theme["subthemes"]]
    assert len(blocks) == len(subs)  # in the page's order: weaknesses, then strengths
    for sub, block in zip(subs, blocks, strict=True):
        assert f"<strong>{escape(sub['name'])}</strong>" in block
        assert sub["statements"]
        for statement in sub["statements"]:
            assert f"<blockquote>{escape(statement['text'])}<cite>" in block


def report_data_from(html: str) -> dict[str, Any]:
    """The figures a page carries, read back out of its JSON block (as the page's script does)."""
    block = re.search(
        r'<script type="application/json" id="report-charts">(.*?)</script>', html, re.S
    )
    assert block is not None
    figures = json.loads(block.group(1))
    return {"blocks": {k: {"figure": v} for k, v in figures.items()}, "learning": []}


def test_markdown_summary(demo_data: dict[str, Any]) -> None:
    text = render_markdown(demo_data)
    assert text.startswith(f"# Job search report, {END}")
    assert re.search(r"^\| Any response \| \d+ \| \d+ / \d+ \| \d+% \(\d+%–\d+%\)", text, re.M)
    assert "## Recurring weaknesses" in text and "1. **Experimentation**" in text


# -- untrusted text ----------------------------------------------------------------------------


def hostile_journal(journal: Journal) -> None:
    for n in range(3):
        app = journal.add_application(
            f"{PAYLOAD} Corp {n}",
            PAYLOAD,
            level=PAYLOAD,
            source="referral",
            applied_on="2026-09-01",
        )
        interview = journal.add_interview(
            "sql", application_id=app.id, held_on="2026-09-10", outcome="rejected", self_rating=4
        )
        journal.add_feedback(
            f"Your SQL joins were weak {PAYLOAD}. You never explained the window function {n}.",
            interview_id=interview.id,
            received_on="2026-09-12",
        )


def test_user_text_is_escaped_everywhere(journal: Journal) -> None:
    hostile_journal(journal)
    data = report_data(build_report(journal, as_of=END))
    html = render_html(data)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html  # shown, as text
    charts = chart_json(figures_of(data))
    assert "<" not in charts and ">" not in charts
    assert "&lt;script&gt;" in json.loads(charts)["cut_role"]["data"][0]["y"][0]  # Plotly label
    assert "<script>" not in render_markdown(data)


def test_markdown_escapes_user_text(demo_data: dict[str, Any]) -> None:
    data = json.loads(json.dumps(demo_data))
    data["themes"]["weaknesses"][0]["evidence"][0]["text"] = f"{PAYLOAD} | a\nb"
    data["plan"][0]["title"] = PAYLOAD
    text = render_markdown(data)
    assert "<script>" not in text and "<img" not in text
    assert (
        '“&lt;script&gt;alert("x")&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; \\| a b”'
        in text
    )


# -- empty and tiny journals -------------------------------------------------------------------


def test_an_empty_journal_gets_a_sensible_report(journal: Journal) -> None:
    data = report_data(build_report(journal, as_of=END))
    html = render_html(data)
    assert "Not enough data yet: 10 more applications" in html
    assert "Nothing recorded yet" in html
    assert figures_of(data) == {}
    assert "Not enough data yet" in render_markdown(data)


def test_a_tiny_journal_gets_a_sensible_report(journal: Journal) -> None:
    hostile_journal(journal)
    data = report_data(build_report(journal, as_of=END))
    assert data["blocks"]["funnel"]["shortage"] is not None
    assert data["forecast"]["shortage"] is not None
    assert data["blocks"]["funnel"]["figure"] is not None  # three applications still chart
    render_html(data)


# -- the CLI -----------------------------------------------------------------------------------


def _small(cli: CliDriver) -> None:
    for n, source in enumerate(["referral"] * 6 + ["cold_apply"] * 6):
        cli.ok(
            "app", "add", f"Co {n}", "Data Scientist", "--source", source, "--applied", "2026-08-01"
        )
        if n < 6:
            cli.ok("app", "status", str(n + 1), "screen", "--at", "2026-08-05")


def test_report_command_writes_html_and_markdown(cli: CliDriver, tmp_path: Path) -> None:
    _small(cli)
    target = tmp_path / "out" / "r.html"
    result = cli.ok("report", "-o", str(target))
    assert result.stdout.startswith(f"Report written to {target} (")
    assert "12 applications" in result.stdout
    assert target.read_text("utf-8").startswith("<!doctype html>")
    markdown = cli.ok("report", "--format", "md").stdout
    assert markdown.startswith("# Job search report") and "| Recruiter screen | 6 |" in markdown
    bad = cli("report", "--prior", "nonsense")
    assert bad.exit_code == 2 and "invalid '--prior': 'nonsense' is not" in bad.stderr


def test_report_open_hands_the_file_to_the_browser(
    cli: CliDriver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    target = tmp_path / "report.html"
    Journal.open(str(cli.db_path)).close()  # an empty journal: the report says so
    cli.ok("report", "-o", str(target), "--open")
    assert opened == [target.resolve().as_uri()]
    unwritable = cli("report", "-o", str(target / "inside-a-file.html"))
    assert unwritable.exit_code == 1 and "cannot write" in unwritable.stderr


def test_stats_commands(cli: CliDriver) -> None:
    _small(cli)
    overview = cli.ok("stats").stdout
    assert "the funnel" in overview and "Data collected" in overview
    funnel = cli.json("stats", "funnel")
    assert isinstance(funnel, dict)
    assert [s["reached"] for s in funnel["stages"]][:3] == [12, 6, 6]
    cut = cli.json("stats", "funnel", "--by", "source")
    assert isinstance(cut, dict) and cut["comparison"]["best"] == "Referrals"
    assert (
        "Referrals reach a recruiter screen" in cli.ok("stats", "funnel", "--by", "source").stdout
    )
    uniform = cli.json("stats", "funnel", "--prior", "uniform")
    assert isinstance(uniform, dict) and uniform["prior"]["a"] == 1.0
    for command in ("rounds", "forecast", "learning", "responses", "collected"):
        cli.ok("stats", command)
        cli.json("stats", command)
    assert "No rubric scores yet" in cli.ok("stats", "learning").stdout


# -- in a real browser -------------------------------------------------------------------------


def test_the_report_renders_in_headless_chromium(demo_html: Path) -> None:
    sync_playwright = browser_or_skip()
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("request", lambda r: errors.append(r.url) if r.url.startswith("http") else None)
            page.goto(demo_html.as_uri())
            page.wait_for_function(
                "document.querySelectorAll('[data-chart]').length > 0 && "
                "[...document.querySelectorAll('[data-chart]')]"
                ".every(e => e.querySelector('.main-svg'))",
                timeout=20_000,
            )
            charts = page.locator("[data-chart]").count()
            drawn = page.locator("[data-chart] .plot-container .main-svg").count()
            funnel_bars = page.locator(
                "[data-chart=funnel] .trace.bars path, [data-chart=funnel] .funnel path"
            ).count()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert charts >= 15 and drawn >= charts
    assert funnel_bars >= 6


def test_a_script_slipped_into_the_written_report_does_not_run(
    demo_html: Path, tmp_path: Path
) -> None:
    """The meta policy holds in a browser: the charts draw, a script that is not the page's
    own is refused."""
    sync_playwright = browser_or_skip()
    tampered = tmp_path / "tampered.html"
    injected = '<script>document.title = "ran"</script><img src=x onerror="document.title=1">'
    html = demo_html.read_text("utf-8").replace("<footer>", injected + "<footer>", 1)
    tampered.write_text(html, "utf-8")
    messages: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            page = browser.new_page()
            page.on("console", lambda m: messages.append(m.text) if m.type == "error" else None)
            page.goto(tampered.as_uri())
            page.wait_for_function("document.body.dataset.charts === 'drawn'", timeout=20_000)
            title = page.title()
        finally:
            browser.close()
    assert title.startswith("Job search report")
    refused = [m for m in messages if "Content Security Policy" in m]
    assert len(refused) >= 2 and all("script" in m for m in refused)


def test_the_demo_flow_adds_up_to_its_funnel(demo_data: dict[str, Any]) -> None:
    block = demo_data["blocks"]["flow"]
    [sankey] = block["figure"]["data"]
    labels, links = sankey["node"]["label"], sankey["link"]
    reached = {row["name"]: row["reached"] for row in demo_data["blocks"]["funnel"]["rows"]}
    for name, count in reached.items():
        assert f"{name} ({count})" in labels  # every stage node shows the funnel's count
    applications = reached["Applications"]
    out = sum(
        value
        for target, value in zip(links["target"], links["value"], strict=True)
        if not labels[target].startswith(tuple(reached))
    )
    assert out + reached["Offer"] == applications  # every application ends somewhere once


def test_the_markdown_names_each_comparison_it_could_not_make(tmp_path: Path) -> None:
    """FINDINGS N4, N5: five identical lines, and "this" that named nothing."""
    with Journal.open(str(tmp_path / "small.db")) as journal:
        journal.add_application("Acme", "DS", applied_on="2026-11-01")
        text = render_markdown(report_data(build_report(journal, as_of=END)))
    comparisons = text.split("## Comparisons", 1)[1].split("##", 1)[0]
    lines = [line for line in comparisons.splitlines() if line.startswith("- ")]
    assert len(lines) == len(set(lines)) == 6
    assert "- By month applied: Not enough data yet" in comparisons
    assert "5 more rounds with an outcome before the real-vs-mock comparison means" in comparisons
    assert "before this" not in text


def test_the_month_cut_is_drawn_on_categories(demo_data: dict[str, Any]) -> None:
    """FINDINGS N4: the month chart put its dots between the date labels."""
    figure = demo_data["blocks"]["cut_month"]["figure"]
    assert figure["layout"]["yaxis"]["type"] == "category"
