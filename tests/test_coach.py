"""Coach mode: people and roles, sign-in and sessions, invitations, consent, archiving, and a
student's journal apart from every other, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from debrief.coach import store
from debrief.coach.store import AccessRefused, Directory, TooManyAttempts
from debrief.model import utcnow
from tests.coach_helpers import PASSWORD, Server, make_server, post_form, sign_in


def test_a_coach_invites_a_student_who_records_a_search_the_coach_then_follows(
    server: Server,
) -> None:
    admin = server.signed_in(server.admin)
    made = post_form(
        admin,
        "/admin",
        "/admin/invite",
        {"name": "Cora Coach", "email": "cora@example.org", "role": "coach"},
    )
    link = re.search(r'value="(http://testserver/join/[^"]+)"', made.text)
    assert made.status_code == 200 and link, made.text
    coach_browser = server.client()
    path = link[1].removeprefix("http://testserver")
    assert "Welcome, Cora Coach" in coach_browser.get(path).text
    joined = post_form(coach_browser, path, path, {"password": PASSWORD, "again": PASSWORD})
    assert joined.status_code == 303 and joined.headers["location"] == "/coach"
    # The link is spent.
    assert server.client().get(path).status_code == 410

    invited = post_form(
        coach_browser,
        "/coach/invite",
        "/coach/invite",
        {"name": "Sam Student", "email": "sam@example.org"},
    )
    link = re.search(r'value="(http://testserver/join/[^"]+)"', invited.text)
    assert link, invited.text
    student = server.client()
    path = link[1].removeprefix("http://testserver")
    assert "coached by <strong>Cora Coach</strong>" in student.get(path).text
    joined = post_form(
        student, path, path, {"password": PASSWORD, "again": PASSWORD, "level": "themes"}
    )
    assert joined.status_code == 303 and joined.headers["location"] == "/"
    # The student's own journal: the single-user app, with who is signed in.
    dashboard = student.get("/")
    assert dashboard.status_code == 200 and "Sam Student" in dashboard.text
    made_app = student.post(
        "/api/applications",
        json={"company": "Quillon Analytics", "role": "Data Scientist"},
        headers={"content-type": "application/json"},
    )
    assert made_app.status_code == 201, made_app.text
    cohort = coach_browser.get("/coach")
    assert cohort.status_code == 200 and "Sam Student" in cohort.text
    sam = server.directory.find("sam@example.org")
    assert sam is not None
    page = coach_browser.get(f"/coach/students/{sam.id}")
    assert "1 application" in page.text
    # What the student chose is logged, and shown to both.
    assert "statuses, statistics, themes and the plan" in page.text
    assert "statuses, statistics, themes and the plan" in student.get("/account").text


def test_tokens_and_passwords_are_stored_only_as_hashes(server: Server) -> None:
    _, token = server.directory.invite(server.admin, "coach", "Cora", "cora@example.org")
    person = server.directory.accept(token, PASSWORD)
    signed = server.directory.sign_in(person.email, PASSWORD, client="test")
    with server.directory.engine.connect() as connection:
        rows = [
            *connection.execute(select(store.invitations)).all(),
            *connection.execute(select(store.sessions)).all(),
            *connection.execute(select(store.people)).all(),
        ]
    dump = repr(rows)
    assert token not in dump and signed.token not in dump and PASSWORD not in dump
    assert "$argon2id$" in dump


def test_an_invitation_works_once_and_not_after_it_expires(server: Server) -> None:
    _, token = server.directory.invite(server.admin, "coach", "Cora", "cora@example.org")
    server.directory.accept(token, PASSWORD)
    with pytest.raises(AccessRefused, match="not valid"):
        server.directory.accept(token, PASSWORD)
    _, late = server.directory.invite(server.admin, "coach", "Cleo", "cleo@example.org")
    with server.directory.engine.begin() as connection:
        connection.execute(
            update(store.invitations)
            .where(store.invitations.c.used_at.is_(None))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    with pytest.raises(AccessRefused, match="not valid"):
        server.directory.invitation(late)
    assert server.client().get(f"/join/{late}").status_code == 410


def test_who_may_invite_whom(server: Server) -> None:
    coach = server.join(server.admin, "coach", "Cora Coach")
    student = server.join(coach, "student", "Sam Student")
    with pytest.raises(AccessRefused):
        server.directory.invite(coach, "coach", "Another", "another@example.org")
    with pytest.raises(AccessRefused):
        server.directory.invite(student, "student", "Friend", "friend@example.org")
    assert server.directory.students_of(coach.id) == [student]
    with pytest.raises(AccessRefused, match="already has an account"):
        server.directory.invite(server.admin, "coach", "Sam", "SAM.student@example.org")


def test_sign_in_is_refused_for_a_while_after_five_failures(server: Server) -> None:
    browser = server.client()
    for _ in range(store.LOGIN_FAILURES_PER_EMAIL):
        answer = post_form(
            browser, "/login", "/login", {"email": "ada@example.org", "password": "wrong"}
        )
        assert answer.status_code == 401
        assert "do not match" in answer.text
    # Now even the right password waits.
    answer = post_form(
        browser, "/login", "/login", {"email": "ada@example.org", "password": PASSWORD}
    )
    assert answer.status_code == 429
    assert int(answer.headers["retry-after"]) > 60
    with pytest.raises(TooManyAttempts):
        server.directory.sign_in("ADA@example.org", PASSWORD, client="elsewhere")


def test_the_session_cookie_is_http_only_same_site_and_secure_behind_https(url: str) -> None:
    plain = make_server(url)
    try:
        browser = plain.client()
        answer = sign_in(browser, "ada@example.org")
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith("debrief_session=")
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    finally:
        plain.close()


def test_behind_https_the_cookie_is_secure_and_host_only(tmp_path: Path) -> None:
    secure = make_server(
        f"sqlite:///{tmp_path / 'tls.db'}",
        public_url="https://coach.example.org",
        allowed_hosts=("coach.example.org",),
    )
    try:
        browser = secure.client(base_url="https://coach.example.org")
        answer = sign_in(browser, "ada@example.org")
        cookie = answer.headers["set-cookie"]
        assert cookie.startswith("__Host-debrief_session=")
        assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
        assert browser.get("/admin").status_code == 200
    finally:
        secure.close()


def test_sign_out_everywhere_ends_every_session(server: Server) -> None:
    first = server.signed_in(server.admin)
    second = server.signed_in(server.admin)
    assert second.get("/admin").status_code == 200
    post_form(first, "/account", "/account/sessions", {})
    assert first.get("/admin").status_code == 303
    assert second.get("/admin").headers["location"].startswith("/login")


def test_sign_out_ends_this_session_only(server: Server) -> None:
    first = server.signed_in(server.admin)
    second = server.signed_in(server.admin)
    answer = post_form(first, "/admin", "/logout", {})
    assert answer.status_code == 303 and "Max-Age=0" in answer.headers["set-cookie"]
    assert first.get("/admin").status_code == 303
    assert second.get("/admin").status_code == 200


def test_a_password_change_keeps_this_session_and_ends_the_others(server: Server) -> None:
    here = server.signed_in(server.admin)
    there = server.signed_in(server.admin)
    new = "a much longer passphrase"
    changed = post_form(
        here,
        "/account",
        "/account/password",
        {"current": PASSWORD, "password": new, "again": new},
    )
    assert changed.status_code == 200 and "password is changed" in changed.text
    assert here.get("/admin").status_code == 200
    assert there.get("/admin").status_code == 303
    wrong = post_form(
        here, "/account", "/account/password", {"current": PASSWORD, "password": new, "again": new}
    )
    assert wrong.status_code == 422 and "not your current password" in wrong.text
    server.directory.sign_in("ada@example.org", new, client="test")


def test_an_admin_reset_ends_sessions_and_lets_the_person_choose_a_password(
    server: Server,
) -> None:
    coach = server.join(server.admin, "coach", "Cora Coach")
    coach_browser = server.signed_in(coach)
    admin = server.signed_in(server.admin)
    answer = post_form(admin, "/admin", f"/admin/people/{coach.id}/reset", {})
    link = re.search(r'value="http://testserver(/reset/[^"]+)"', answer.text)
    assert link, answer.text
    assert coach_browser.get("/coach").status_code == 303  # signed out
    new = "chosen after a reset"
    fresh = server.client()
    done = post_form(fresh, link[1], link[1], {"password": new, "again": new})
    assert done.status_code == 303 and done.headers["location"] == "/coach"
    assert fresh.get("/coach").status_code == 200
    with pytest.raises(AccessRefused):
        server.directory.sign_in(coach.email, PASSWORD, client="old")


def test_nobody_signed_in_is_sent_to_sign_in_and_the_api_says_401(server: Server) -> None:
    browser = server.client()
    for path in ("/", "/applications", "/coach", "/admin", "/account", "/report"):
        answer = browser.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/login?next=")
    assert browser.get("/api/applications").status_code == 401
    assert (
        browser.post(
            "/api/applications",
            json={"company": "X", "role": "Y"},
            headers={"content-type": "application/json"},
        ).status_code
        == 401
    )


def test_the_sign_in_page_sends_back_to_where_one_was_going_and_only_there(
    server: Server,
) -> None:
    browser = server.client()
    answer = sign_in(browser, "ada@example.org", next="/account")
    assert answer.headers["location"] == "/account"
    other = server.client()
    answer = sign_in(other, "ada@example.org", next="//evil.example/")
    assert answer.headers["location"] == "/admin"


def test_consent_decides_what_the_coach_sees_and_every_change_is_logged(
    server: Server,
) -> None:
    coach = server.join(server.admin, "coach", "Cora Coach")
    student = server.join(coach, "student", "Sam Student")
    sam = server.signed_in(student)
    sam.post(
        "/api/applications",
        json={"company": "Quillon Analytics", "role": "Data Scientist"},
        headers={"content-type": "application/json"},
    )
    cora = server.signed_in(coach)
    assert "1 application" in cora.get(f"/coach/students/{student.id}").text
    post_form(sam, "/account", "/account/consent", {"level": "none"})
    page = cora.get(f"/coach/students/{student.id}").text
    assert "shares nothing with you" in page and "1 application" not in page
    assert "nothing (access revoked)" in page
    with pytest.raises(AccessRefused):
        server.directory.set_level(coach, student.id, "feedback")
    refused = post_form(sam, "/account", "/account/consent", {"level": "everything"})
    assert refused.status_code == 422
    actions = [entry.action for entry in server.directory.audit(student_id=student.id)]
    assert actions.count("consent") == 1 and "joined" in actions and "coach added" in actions


def test_a_student_can_end_a_coach_access(server: Server) -> None:
    coach = server.join(server.admin, "coach", "Cora Coach")
    student = server.join(coach, "student", "Sam Student")
    sam = server.signed_in(student)
    post_form(sam, "/account", f"/account/coaches/{coach.id}/remove", {})
    cora = server.signed_in(coach)
    assert cora.get(f"/coach/students/{student.id}").status_code == 404
    assert "Sam Student" not in cora.get("/coach").text


def test_an_archived_student_keeps_their_journal_and_the_coach_sees_no_new_data(
    server: Server,
) -> None:
    coach = server.join(server.admin, "coach", "Cora Coach")
    student = server.join(coach, "student", "Sam Student")
    sam = server.signed_in(student)
    new = {"company": "Quillon Analytics", "role": "Data Scientist"}
    sam.post("/api/applications", json=new, headers={"content-type": "application/json"})
    cora = server.signed_in(coach)
    post_form(cora, f"/coach/students/{student.id}", f"/coach/students/{student.id}/archive", {})
    sam.post(
        "/api/applications",
        json={**new, "company": "Brightwell"},
        headers={"content-type": "application/json"},
    )
    page = cora.get(f"/coach/students/{student.id}").text
    assert "Archived" in page and "1 application" in page
    assert "2 applications" not in page
    assert len(sam.get("/api/applications").json()) == 2


def test_a_partner_link_reaches_the_form_of_that_student_alone(server: Server) -> None:
    coach = server.join(server.admin, "coach", "Cora Coach")
    student = server.join(coach, "student", "Sam Student")
    sam = server.signed_in(student)
    mock = sam.post(
        "/api/interviews",
        json={"kind": "technical_screen", "held_on": "2026-11-30"},
        headers={"content-type": "application/json"},
    )
    assert mock.status_code == 201, mock.text
    invite = sam.post(
        f"/api/interviews/{mock.json()['id']}/invites",
        json={},
        headers={"content-type": "application/json"},
    )
    assert invite.status_code == 201, invite.text
    link = invite.json()["url"]
    assert f"/students/{student.id}/partner/" in link
    partner = server.client()
    path = link.removeprefix("http://testserver")
    assert partner.get(path).status_code == 200
    # The same token under another number, and other pages of the journal, are closed.
    assert partner.get(path.replace(f"/students/{student.id}/", "/students/99/")).status_code in (
        303,
        404,
    )
    assert partner.get(f"/students/{student.id}/applications").status_code in (303, 404)


def test_the_command_line_makes_a_server_and_refuses_to_mix_it_with_a_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from debrief.cli import main

    runner = CliRunner()
    db = str(tmp_path / "server.db")
    monkeypatch.setenv("DEBRIEF_COACH_PASSWORD", PASSWORD)
    made = runner.invoke(main, ["--db", db, "coach", "init", "--name", "Ada", "--email", "a@b.org"])
    assert made.exit_code == 0, made.output
    again = runner.invoke(main, ["--db", db, "coach", "init", "--name", "Bo", "--email", "b@b.org"])
    assert again.exit_code == 1 and "already has people" in again.output
    link = runner.invoke(
        main,
        ["--db", db, "coach", "invite", "--role", "coach", "--name", "C", "--email", "c@b.org"],
    )
    assert link.exit_code == 0 and "/join/" in link.output
    listed = runner.invoke(main, ["--db", db, "coach", "people"])
    assert "admin    Ada <a@b.org>" in listed.output
    served = runner.invoke(main, ["--db", db, "summary"])
    assert served.exit_code == 1 and "coach server, not a journal" in served.output
    journal = str(tmp_path / "journal.db")
    runner.invoke(main, ["--db", journal, "app", "add", "Quillon", "Data Scientist"])
    mixed = runner.invoke(
        main, ["--db", journal, "coach", "init", "--name", "Ada", "--email", "a@b.org"]
    )
    assert mixed.exit_code == 1 and "already holds data" in mixed.output
    nothing = runner.invoke(main, ["coach", "people"])
    assert nothing.exit_code == 2 and "--db" in nothing.output


def test_the_directory_refuses_a_database_that_is_not_a_server(tmp_path: Path) -> None:
    with pytest.raises(AccessRefused, match="not a coach server"):
        Directory.open(f"sqlite:///{tmp_path / 'empty.db'}")


@pytest.fixture(autouse=True)
def _quick_passwords(quick_passwords: None) -> None:
    """Sign-ins here use Argon2id's least work (coach_helpers.fast_hashing)."""
