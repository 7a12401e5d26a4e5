"""The web app's main journeys in real headless Chromium (Debian's, driven by Playwright): add an
application, move it on the board, paste feedback and override a label, correct and accept a
message from the mail review queue, accept a plan item, and the mock partner's form by link and
offline. Screenshots go to test-artifacts/."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from debrief.journal import Journal
from debrief.triage.classify import Triage
from tests.conftest import ARTIFACTS

TODAY = date.today()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Journal]]:
    """The app served by uvicorn on a free port, over a small journal with a recurring
    weakness (so the plan proposes an item)."""
    import uvicorn

    from debrief.web import create_app

    path = tmp_path_factory.mktemp("browser") / "journal.db"
    journal = Journal.open(str(path))
    for days in (20, 12):
        app = journal.add_application(
            f"Gamma {days}", "Data Scientist", applied_on=TODAY - timedelta(days=days + 7)
        )
        interview = journal.add_interview(
            "sql", application_id=app.id, held_on=TODAY - timedelta(days=days), outcome="rejected"
        )
        journal.add_feedback(
            "Your SQL joins were wrong and the window functions were shaky.",
            interview_id=interview.id,
            received_on=TODAY - timedelta(days=days),
        )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(journal), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", journal
    server.should_exit = True
    thread.join(timeout=10)
    journal.close()


class Watched:
    """A page whose script errors, console errors (CSP violations among them) and requests
    leaving the app are collected."""

    def __init__(self, browser: Any, base: str, **options: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1300, "height": 900}, **options)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))
        self.page.on("console", self._console)
        self.page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith((base, "data:", "blob:", "file:"))
                else self.problems.append(r.url)
            ),
        )

    def _console(self, message: Any) -> None:
        # A form sent back with its messages (422) or a closed link (410) is an answer the
        # journey expects; anything else logged as an error is a problem.
        expected = ("status of 422", "status of 410")
        if message.type == "error" and not any(e in message.text for e in expected):
            self.problems.append(message.text)

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser: Any, site: tuple[str, Journal]) -> Iterator[Watched]:
    watched = Watched(browser, site[0])
    yield watched
    watched.close()
    assert watched.problems == []


def test_the_dashboard_draws_its_charts(tab: Watched, site: tuple[str, Journal]) -> None:
    base, _ = site
    tab.page.goto(base + "/")
    tab.page.wait_for_selector("[data-chart=funnel] .main-svg", timeout=20_000)
    assert tab.page.locator("[data-chart] .main-svg").count() >= 2
    assert "applications" in tab.page.locator(".numbers").inner_text()
    tab.shot("dashboard")


def test_add_an_application_and_move_it_on_the_board(
    tab: Watched, site: tuple[str, Journal]
) -> None:
    base, journal = site
    page = tab.page
    page.goto(base + "/board")
    page.click("text=+ Application")
    page.fill("#company", "")
    page.fill("#role", "Analyst")
    page.click("button:has-text('Add application')")
    assert "company" in page.locator(".problem").inner_text()  # the message is in the page
    page.fill("#company", "Delta <Labs>")
    page.select_option("#source", "referral")
    page.click("button:has-text('Add application')")
    page.wait_for_url("**/applications/*")
    app_id = int(page.url.rsplit("/", 1)[1])
    assert "Delta <Labs> — Analyst" in page.locator("h1").inner_text()

    page.goto(base + "/board")
    card = page.locator(f"#application-{app_id}")
    card.drag_to(page.locator(".column[data-status=screen]"))
    page.wait_for_selector(f".column[data-status=screen] #application-{app_id}")
    tab.shot("board")
    history = journal.get_application(app_id).history
    assert [c.to_status.value for c in history] == ["applied", "screen"]

    # Without dragging: the card's own form moves it too.
    card = page.locator(f"#application-{app_id}")
    card.locator("select").select_option("technical")
    card.locator("button:has-text('Move')").click()
    page.wait_for_selector(f".column[data-status=technical] #application-{app_id}")
    assert journal.get_application(app_id).application.status == "technical"


def test_paste_feedback_and_override_a_label(tab: Watched, site: tuple[str, Journal]) -> None:
    base, journal = site
    interview = journal.add_interview("statistics", held_on=TODAY, interviewer="Sam")
    page = tab.page
    page.goto(f"{base}/interviews/{interview.id}")
    page.click("text=+ Feedback")
    page.fill(
        "#text",
        "Hi!\n\nThanks for practising with me. Your explanation of p-values was muddled.\n"
        "The hiring freeze news must be stressful.\n\n<script>alert('x')</script>",
    )
    page.click("button:has-text('Add and triage')")
    page.wait_for_url("**/feedback/*")
    feedback_id = int(page.url.rsplit("/", 1)[1])
    statements = journal.list_statements(feedback_id=feedback_id)
    target = next(s for s in statements if "p-values" in s.text)
    other = "strength" if target.label != "strength" else "constructive"

    page.goto(base + "/inbox")
    row = page.locator(f"#statement-{target.id}")
    row.locator(f"button.relabel.label-{other}").click()
    page.wait_for_selector(f"#statement-{target.id}[data-origin=user]")
    assert journal.get_statement(target.id).label == other
    assert "yours" in page.locator(f"#statement-{target.id}").inner_text()
    # The pasted script is shown as text, never run (a run would be a page error).
    page.goto(f"{base}/feedback/{feedback_id}")
    assert "<script>alert('x')</script>" in page.locator("blockquote").inner_text()
    tab.shot("inbox")


def test_confirm_the_rest_of_a_partner_note(tab: Watched, site: tuple[str, Journal]) -> None:
    base, journal = site
    interview = journal.add_interview("sql", held_on=TODAY, interviewer="Ana")
    item = journal.add_feedback(
        "Great SQL but your A/B test design ignored power\nclear communication\nrushed the ending",
        interview_id=interview.id,
    )
    waiting = journal.list_statements(feedback_id=item.id)
    assert len(waiting) == 4  # one point per line, and the contrast split
    page = tab.page
    page.goto(base + "/inbox")
    tab.shot("inbox-review")
    page.locator(f"#feedback-{item.id} button:has-text('Confirm the rest')").click()
    page.wait_for_url("**/inbox*")
    assert all(s.origin == "user" for s in journal.list_statements(feedback_id=item.id))
    assert page.locator(f"#feedback-{item.id}").count() == 0  # reviewed: out of the inbox


def test_split_merge_and_edit_a_feedback_from_its_page(
    tab: Watched, site: tuple[str, Journal]
) -> None:
    base, journal = site
    interview = journal.add_interview("sql", held_on=TODAY, interviewer="Kim")
    mixed = "You explained the model well and then forgot to check the power of the test."
    said = [
        Triage(mixed, "constructive", ("statistics",), 0.6, "by hand", "model"),
        Triage("The recruiter was lovely.", "noise", (), 0.97, "by hand", "rule"),
    ]
    item = journal.add_feedback(
        "\n".join(t.text for t in said), interview_id=interview.id, triaged=said
    )
    whole, recruiter = journal.list_statements(feedback_id=item.id)
    page = tab.page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/feedback/{item.id}")

    # Split before "then forgot": two statements, each triaged, take its place.
    row = page.locator(f"#statement-{whole.id}")
    row.locator("input[name=at]").fill("nowhere at all")
    row.locator("button:has-text('Split')").click()
    assert "does not occur inside" in page.locator(".problem").inner_text()
    assert page.locator(f"#statement-{whole.id} input[name=at]").input_value() == "nowhere at all"
    tab.shot("review-split-refused")
    row = page.locator(f"#statement-{whole.id}")
    row.locator("input[name=at]").fill("then forgot")
    row.locator("button:has-text('Split')").click()
    page.wait_for_url(f"**/feedback/{item.id}#statement-*")
    left, right, after = journal.list_statements(feedback_id=item.id)
    assert (left.text, right.text, after.id) == (
        "You explained the model well and",
        "then forgot to check the power of the test.",
        recruiter.id,
    )
    assert page.locator(".statement .text").all_inner_texts()[:2] == [left.text, right.text]

    # Merge the parts back.
    page.locator(f"#statement-{left.id} button:has-text('Merge with next')").click()
    page.wait_for_selector(f"#statement-{left.id}", state="detached")
    merged, _ = journal.list_statements(feedback_id=item.id)
    assert merged.text == mixed
    assert (
        page.locator(f"#statement-{recruiter.id} button:has-text('Merge with next')").count() == 0
    )

    # Its skill areas, by hand: the label stays and becomes yours.
    row = page.locator(f"#statement-{merged.id}")
    row.locator("summary:has-text('Skill areas')").click()
    row.locator("input[name=skill_experimentation]").check()
    row.locator("button:has-text('Save areas')").click()
    page.wait_for_selector(f"#statement-{merged.id}[data-origin=user]")
    assert "experimentation" in journal.get_statement(merged.id).skills

    # Edit the text: the statement still there keeps the label, the rest is triaged afresh.
    page.locator("summary:has-text('Edit text')").click()
    page.fill("#text", f"{mixed}\nYour SQL <joins> were slow.")
    page.click("button:has-text('Save and triage again')")
    page.wait_for_selector("text=Your SQL <joins> were slow.")
    mine, fresh = journal.list_statements(feedback_id=item.id)
    assert (mine.id, mine.origin, fresh.text) == (merged.id, "user", "Your SQL <joins> were slow.")
    assert "yours" in page.locator(f"#statement-{mine.id}").inner_text()
    page.locator(f"#statement-{fresh.id} summary:has-text('Skill areas')").click()
    tab.shot("review-actions")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, width  # no sideways scrolling at 1280 px


def test_correct_and_accept_a_message_from_the_review_queue(
    tab: Watched, site: tuple[str, Journal], tmp_path: Path
) -> None:
    from debrief.ingest.mail.importer import import_mail
    from tests.test_mail_review import mail

    base, journal = site
    (tmp_path / "acme.eml").write_bytes(
        mail(
            "Hi Maren,\n\nThanks for applying. Could you send me your salary expectations?\n\n"
            "Acme Analytics Talent",
            id="<browser-acme@acme-analytics.com>",
        )
    )
    (tmp_path / "sam.eml").write_bytes(
        mail(
            "Hi Maren,\n\nThanks for your time on the phone today. Unfortunately the panel "
            "decided not to progress your application.\n\n<b>Sam</b> <script>alert(1)</script>",
            sender="Sam <sam@gmail.com>",
            subject="Update <i>from</i> the panel",
            id="<browser-sam@gmail.com>",
        )
    )
    assert import_mail(journal, [tmp_path / "acme.eml", tmp_path / "sam.eml"]).count("review") == 2
    review = next(r for r in journal.list_reviews() if r.origin == "sam.eml")
    page = tab.page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + "/")
    page.click("text=messages to review")
    page.wait_for_url("**/imports/review")
    assert page.locator("table.reviews tbody tr").count() == 2
    tab.shot("import-reviews")

    page.click("text=Update <i>from</i> the panel")  # the subject, shown as text
    page.wait_for_url(f"**/imports/review/{review.id}")
    assert "name the company" in page.locator(".preview").inner_text()
    assert "<script>alert(1)</script>" in page.locator("blockquote").inner_text()
    assert page.locator("button:has-text('Accept as proposed')").count() == 0
    tab.shot("import-review")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, width  # no sideways scrolling at 1280 px

    page.fill("#company", "Birchwood Health")
    page.fill("#role", "Data Scientist")
    page.click("button:has-text('Accept corrected')")
    page.wait_for_url(f"**/imports/review?accepted={review.id}&action=create")
    assert "Birchwood Health — Data Scientist" in page.locator(".saved").inner_text()
    assert page.locator(f"#review-{review.id}").count() == 0  # out of the queue
    assert page.locator("table.reviews tbody tr").count() == 1
    tab.shot("import-reviews-accepted")
    [app] = [a for a in journal.list_applications() if a.company == "Birchwood Health"]
    assert (app.role, app.status.value) == ("Data Scientist", "rejected")
    # The other message can be accepted as proposed.
    page.click("table.reviews a:has-text('Your application')")
    assert "creates a new application at Acme Analytics" in page.locator(".preview").inner_text()
    assert page.locator("button:has-text('Accept as proposed')").count() == 1
    tab.shot("import-review-proposed")
    page.goto(base + "/imports/review")
    page.click("nav.tabs >> text=Accepted")
    page.wait_for_url("**/imports/review?state=accepted")
    assert page.locator(f"#review-{review.id}").count() == 1


def test_accept_a_plan_item_and_log_practice(tab: Watched, site: tuple[str, Journal]) -> None:
    base, _ = site
    page = tab.page
    page.goto(base + "/plan")
    item = page.locator("article.plan-item.status-proposed").first
    item_id = item.get_attribute("id")
    item.locator("button:has-text('Accept')").click()
    page.wait_for_selector(f"#{item_id}.status-accepted")
    accepted = page.locator(f"#{item_id}")
    accepted.locator("input[name=text]").fill("Twenty window-function drills")
    accepted.locator("input[name=minutes]").fill("40")
    accepted.locator("button:has-text('Log')").click()
    page.wait_for_selector(f"#{item_id} >> text=40 min practised")
    tab.shot("plan")


def test_the_partner_journey_by_link(browser: Any, tab: Watched, site: tuple[str, Journal]) -> None:
    base, journal = site
    mock = journal.add_interview("product_case", held_on=TODAY)
    page = tab.page
    page.goto(f"{base}/interviews/{mock.id}")
    page.click("button:has-text('Invite a partner by link')")
    link = page.locator("#partner-link").input_value()
    assert link.startswith(base + "/partner/")

    partner = Watched(browser, base)  # the partner's own browser: nothing of the candidate's
    try:
        form = partner.page
        form.goto(link)
        assert form.locator("nav").count() == 0
        form.check("input[name=score_product_sense][value='2']")
        form.check("input[name=score_communication][value='4']")
        form.fill("#went_well", "You structured the case clearly.")
        form.fill("#work_on", "Define the success metric before sizing the market.")
        form.fill("#partner", "Robin")
        partner.shot("partner-form")
        form.click("button:has-text('Send feedback')")
        form.wait_for_selector("text=Thank you")
        form.goto(link)
        assert "already answered" in form.locator(".problem").inner_text()
    finally:
        problems = list(partner.problems)
        partner.close()
    assert problems == []

    [feedback] = journal.get_interview(mock.id).feedback
    assert feedback.source == "mock_partner"
    assert journal.get_interview(mock.id).interview.rubric == {
        "communication": 4,
        "product_sense": 2,
    }
    page.goto(base + "/inbox")
    assert page.locator(f"#feedback-{feedback.id}").count() == 1


def test_the_offline_partner_form(browser: Any, site: tuple[str, Journal], tmp_path: Path) -> None:
    from debrief.partner import create_invite
    from debrief.partner.offline import import_answers, offline_form

    _, journal = site
    mock = journal.add_interview("ml_design", held_on=TODAY)
    invite = create_invite(journal, mock.id)
    html = tmp_path / "form.html"
    html.write_text(offline_form(journal, invite), "utf-8")

    offline = Watched(browser, "file://", accept_downloads=True)
    try:
        page = offline.page
        page.goto(html.as_uri())
        page.click("button:has-text('Save my answers')")
        assert "at least one score" in page.locator("#problem").inner_text()
        page.check("input[name=score_machine_learning][value='3']")
        page.fill("#work_on", "Say how you would monitor the model after launch.")
        with page.expect_download() as download:
            page.click("button:has-text('Save my answers')")
        saved = tmp_path / "answers.json"
        download.value.save_as(saved)
        assert page.locator("#saved").is_visible()
        offline.shot("partner-offline")
    finally:
        problems = list(offline.problems)
        offline.close()
    assert problems == []

    document = json.loads(saved.read_text("utf-8"))
    assert document["invite"] == invite.id and len(document["signature"]) == 64
    feedback = import_answers(journal, saved.read_bytes(), file=str(saved))
    assert feedback.interview_id == mock.id
    assert journal.get_interview(mock.id).interview.rubric == {"machine_learning": 3}


def test_the_board_fits_1280_pixels_with_nothing_sticking_out(
    browser: Any, site: tuple[str, Journal]
) -> None:
    """FINDINGS W1: at 1280 px Ghosted was cut off, Move buttons stuck out of their cards and
    dates wrapped. Measured on the boxes Chromium lays out."""
    base, journal = site
    for status in ("applied", "screen", "technical", "onsite", "offer", "rejected", "withdrawn"):
        app = journal.add_application(
            f"Extraordinarily Long Company Name {status}",
            "Senior Staff Data Scientist, Experimentation Platform",
            applied_on=TODAY - timedelta(days=30),
        )
        if status != "applied":
            journal.change_status(app.id, status, at=TODAY - timedelta(days=20))
    silent = journal.add_application("Quiet Co", "Analyst", applied_on=TODAY - timedelta(days=60))
    journal.change_status(silent.id, "ghosted", at=TODAY - timedelta(days=5))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base + "/board")
        found = page.evaluate(
            """() => {
              const board = document.querySelector('.board');
              const columns = [...document.querySelectorAll('.column')].map(c => {
                const box = c.getBoundingClientRect();
                return {status: c.dataset.status, left: box.left, right: box.right};
              });
              const outside = [];
              document.querySelectorAll('.card').forEach(card => {
                const edge = card.getBoundingClientRect();
                card.querySelectorAll('select, button, a, .day').forEach(part => {
                  const box = part.getBoundingClientRect();
                  if (box.right > edge.right + 0.5 || box.left < edge.left - 0.5) {
                    outside.push(card.id + ' ' + part.tagName);
                  }
                });
              });
              const wrapped = [...document.querySelectorAll('.card .day')].filter(day => {
                const lines = day.getClientRects();
                return lines.length > 1;
              }).length;
              return {
                scroll: board.scrollWidth, width: board.clientWidth, columns, outside, wrapped,
                viewport: window.innerWidth,
              };
            }"""
        )
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "web-board-1280.png"), full_page=True)
    finally:
        context.close()
    assert found["scroll"] <= found["width"]
    assert [c["status"] for c in found["columns"]][-1] == "ghosted"
    assert all(c["right"] <= found["viewport"] for c in found["columns"])
    assert found["outside"] == [] and found["wrapped"] == 0


def test_import_a_tracker_from_the_browser_after_its_dry_run(
    tab: Watched, site: tuple[str, Journal]
) -> None:
    """FINDINGS W4 in a real browser: choose the file, read what it would do, import it."""
    base, journal = site
    before = len(journal.list_applications())
    page = tab.page
    page.goto(base + "/import")
    tracker = Path(__file__).parent / "data" / "trackers" / "teal.csv"
    page.set_input_files("#files-csv", str(tracker))
    page.click("form:has(#files-csv) button:has-text('See what it would do')")
    page.wait_for_selector("h1:has-text('What importing teal.csv would do')")
    tab.shot("import-preview")
    assert len(journal.list_applications()) == before  # nothing written yet
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_selector("h1:has-text('Imported teal.csv')")
    tab.shot("import-done")
    assert len(journal.list_applications()) > before
    page.goto(base + "/")
    assert page.locator("#due-heading").inner_text() == "Due today"
    tab.shot("dashboard-due")
