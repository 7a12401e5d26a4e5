"""The coach server's journeys in real headless Chromium: an admin invites a coach, the coach
invites a student, the student joins, keeps their journal and chooses what the coach sees, and
the coach follows them on the cohort page. Screenshots go to test-artifacts/."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.coach_helpers import PASSWORD, Server, fast_hashing, make_server
from tests.conftest import ARTIFACTS
from tests.test_web_browser import _free_port


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Server]]:
    """A coach server (SQLite) served by uvicorn on a free port, with its admin."""
    import uvicorn

    fast_hashing(monkeypatch)
    port = _free_port()
    server = make_server(
        f"sqlite:///{tmp_path / 'server.db'}", public_url=f"http://127.0.0.1:{port}"
    )
    running = uvicorn.Server(
        uvicorn.Config(server.app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", server
    running.should_exit = True
    thread.join(timeout=10)
    server.close()


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")


def _join(page: Any, link: str, level: str | None = None) -> None:
    page.goto(link)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=again]", PASSWORD)
    if level is not None:
        page.check(f"input[name=level][value={level}]")
    _shot(page, f"coach-join-{level or 'coach'}.png")
    page.click("main button[type=submit]")


def test_a_coach_invites_a_student_who_joins_shares_and_is_followed(
    site: tuple[str, Server], browser: Any
) -> None:
    base, _server = site
    admin = browser.new_context().new_page()
    _sign_in(admin, base, "ada@example.org")
    assert admin.url == f"{base}/admin"
    admin.fill("form[action='/admin/invite'] input[name=name]", "Cora Coach")
    admin.fill("form[action='/admin/invite'] input[name=email]", "cora@example.org")
    admin.select_option("form[action='/admin/invite'] select[name=role]", "coach")
    admin.click("form[action='/admin/invite'] button[type=submit]")
    coach_link = admin.input_value("input.link-box")
    assert coach_link.startswith(f"{base}/join/")
    _shot(admin, "coach-admin.png")

    coach = browser.new_context().new_page()
    _join(coach, coach_link)
    assert coach.url == f"{base}/coach"
    coach.click("text=Invite a student")
    coach.fill("input[name=name]", "Sam Student")
    coach.fill("input[name=email]", "sam@example.org")
    coach.click("main button[type=submit]")
    student_link = coach.input_value("input.link-box")

    student = browser.new_context().new_page()
    _join(student, student_link, level="themes")
    assert student.url == f"{base}/"
    assert "Sam Student" in student.inner_text("header")
    # The student keeps their journal in the single-user pages.
    student.goto(f"{base}/applications/new")
    student.fill("input[name=company]", "Quillon Analytics")
    student.fill("input[name=role]", "Data Scientist")
    student.click("main form button[type=submit]")
    assert "Quillon Analytics" in student.inner_text("main")
    _shot(student, "coach-student-application.png")

    coach.goto(f"{base}/coach")
    assert "Sam Student" in coach.inner_text("main")
    _shot(coach, "coach-cohort.png")
    coach.click("text=Sam Student")
    assert "statuses, statistics, themes and the plan" in coach.inner_text("main")

    # The student revokes the coach's view; both see the change.
    student.goto(f"{base}/account")
    student.check("input[name=level][value=none]")
    student.click("form[action='/account/consent'] button[type=submit]")
    assert "coaches see nothing (access revoked)" in student.inner_text("main")
    _shot(student, "coach-student-account.png")
    coach.reload()
    assert "shares nothing with you" in coach.inner_text("main")
    # A student's browser never opens the coach's pages, nor the coach the student's journal.
    student.goto(f"{base}/coach")
    assert "Not for this account" in student.inner_text("main")
    coach.goto(f"{base}/applications")
    assert "Quillon Analytics" not in coach.content()

    student.click("header button:has-text('Sign out')")
    assert student.url.startswith(f"{base}/login")
    student.goto(f"{base}/applications")
    assert student.url.startswith(f"{base}/login?next=")
