"""The web app beyond localhost (FINDINGS S4, S5, S8 and S9's slow connections): the names it
answers, the origins that may change the journal, CSRF cookies only this server signed, bodies
too large or too slow, request heads too slow, and a busy journal that keeps the connection."""

from __future__ import annotations

import http.client
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from debrief.journal import Journal
from debrief.storage import database
from debrief.web import create_app, serving
from debrief.web.security import CSRF_COOKIE, MAX_BODY_BYTES, new_csrf_key, new_csrf_token
from tests.conftest import CliDriver
from tests.imap_server import free_ports

LAN = "192.168.1.5"


def served(cli: CliDriver, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[Any, FastAPI]:
    """What `debrief serve ARGS` would serve, without serving it."""
    seen: dict[str, Any] = {}
    monkeypatch.setattr(serving, "run", lambda options, app: seen.update(options=options, app=app))
    result = cli("serve", *args)
    assert result.exit_code == 0, result.output
    return seen["options"], seen["app"]


def test_a_lan_address_answers_its_own_names_only(
    cli: CliDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S4: any --host beyond loopback switched the Host check off, so any website could rebind
    a name of its own to the address and read and write the journal."""
    options, app = served(cli, monkeypatch, "--host", LAN, "--allow-host", "debrief.lan")
    assert "*" not in options.allowed_hosts
    with TestClient(app, base_url=f"http://{LAN}:8000") as client:
        assert client.get("/board").status_code == 200
        assert client.get("/board", headers={"Host": "debrief.lan:8000"}).status_code == 200
        assert client.get("/board", headers={"Host": socket.gethostname()}).status_code == 200
        rebound = client.get("/board", headers={"Host": "attacker.example:8000"})
        assert rebound.status_code == 400
        write = client.post(
            "/api/applications",
            json={"company": "A", "role": "B"},
            headers={"Host": "attacker.example:8000", "Origin": "http://attacker.example:8000"},
        )
        assert write.status_code == 400


def test_any_name_only_by_an_explicit_star_with_a_warning(
    cli: CliDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(serving, "run", lambda options, app: seen.update(app=app))
    result = cli("serve", "--host", "0.0.0.0", "--allow-host", "*")
    assert result.exit_code == 0
    assert "--allow-host '*' answers any host name" in result.stderr
    with TestClient(seen["app"]) as client:
        assert client.get("/board", headers={"Host": "any.example"}).status_code == 200
    without = cli("serve", "--host", "0.0.0.0")
    assert "answers any host name" not in without.stderr
    with TestClient(seen["app"]) as client:
        assert client.get("/board", headers={"Host": "any.example"}).status_code == 400


def test_the_public_url_is_answered_and_its_origin_may_write(
    cli: CliDriver, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S4: behind a tunnel, --public-url was refused by the Host or the Origin check."""
    options, _ = served(cli, monkeypatch, "--public-url", "https://interviews.example.org")
    assert "interviews.example.org" in options.allowed_hosts
    app = create_app(journal, allowed_hosts=options.allowed_hosts, public_url=options.public_url)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        # The tunnel passes the request on with its own Host; the browser's Origin is public.
        created = client.post(
            "/api/applications",
            json={"company": "Tunnelled", "role": "Analyst"},
            headers={"Origin": "https://interviews.example.org"},
        )
        assert created.status_code == 201
        other = client.post(
            "/api/applications",
            json={"company": "Elsewhere", "role": "Analyst"},
            headers={"Origin": "https://attacker.example"},
        )
        assert other.status_code == 403
        public = client.get("/board", headers={"Host": "interviews.example.org"})
        assert public.status_code == 200
    assert [a.company for a in journal.list_applications()] == ["Tunnelled"]


@pytest.mark.parametrize(
    "url", ["interviews.example.org", "ftp://x.example", "https://x?y=1", "http://[::1"]
)
def test_a_public_url_that_is_not_one_is_refused(
    cli: CliDriver, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setattr(serving, "run", lambda options, app: None)
    result = cli("serve", "--public-url", url)
    assert result.exit_code == 2 and "--public-url" in result.output


def test_the_address_a_request_came_in_on_is_answered(journal: Journal) -> None:
    """With --host 0.0.0.0 the machine's LAN address may be unknown to its host name; a
    request that names the very address it arrived on is this server's own."""
    app = create_app(journal, allowed_hosts=("localhost",))
    with TestClient(app, base_url="http://192.0.2.2:8000") as client:  # arrives on 192.0.2.2
        assert client.get("/board").status_code == 200
        other = client.get("/board", headers={"Host": "192.0.2.9:8000"})
        assert other.status_code == 400
        rebound = client.get("/board", headers={"Host": "attacker.example"})
        assert rebound.status_code == 400


def test_a_malformed_origin_is_refused_not_a_traceback(journal: Journal) -> None:
    with TestClient(create_app(journal)) as client:
        response = client.post(
            "/api/applications",
            json={"company": "A", "role": "B"},
            headers={"Origin": "http://[::1"},
        )
    assert response.status_code == 403
    assert journal.list_applications() == []


def test_a_signed_cookie_after_a_planted_one_is_taken(journal: Journal) -> None:
    app = create_app(journal)
    with TestClient(app) as client:
        client.get("/")
        token = client.cookies.get(CSRF_COOKIE)
        assert token is not None
        planted = "A" * 32 + "." + "B" * 32
        response = client.post(
            "/applications",
            data={"csrf_token": token, "company": "Real", "role": "Analyst"},
            headers={"Cookie": f"{CSRF_COOKIE}={planted}; {CSRF_COOKIE}={token}"},
            follow_redirects=False,
        )
        assert response.status_code == 303
    assert [a.company for a in journal.list_applications()] == ["Real"]


def test_a_planted_csrf_cookie_is_not_taken(journal: Journal) -> None:
    """S8: the form check compared the raw cookie, so any cookie value with a matching field
    passed (a sibling domain or a plain-HTTP page can set a cookie)."""
    app = create_app(journal)
    planted = {
        "well formed": "A" * 43,
        "another server's": new_csrf_token(new_csrf_key()),
        "unsigned": "A" * 32 + "." + "B" * 32,
    }
    for name, value in planted.items():
        with TestClient(app) as client:
            client.cookies.set(CSRF_COOKIE, value)
            response = client.post(
                "/applications",
                data={"csrf_token": value, "company": "Planted", "role": name},
                follow_redirects=False,
            )
            assert response.status_code == 403, name
            # The planted value is never echoed into a page as the token to send.
            assert value not in client.get("/applications/new").text
    with TestClient(app) as client:  # the token this server issued works
        client.get("/")
        token = client.cookies.get(CSRF_COOKIE)
        assert token is not None
        response = client.post(
            "/applications",
            data={"csrf_token": token, "company": "Real", "role": "Analyst"},
            follow_redirects=False,
        )
        assert response.status_code == 303
    assert [a.company for a in journal.list_applications()] == ["Real"]


def test_a_form_served_by_one_worker_is_accepted_by_another(journal: Journal) -> None:
    key = new_csrf_key()
    first, second = create_app(journal, csrf_key=key), create_app(journal, csrf_key=key)
    with TestClient(first) as one:
        one.get("/")
        token = one.cookies.get(CSRF_COOKIE)
    assert token is not None
    with TestClient(second) as two:
        two.cookies.set(CSRF_COOKIE, token)
        response = two.post(
            "/applications",
            data={"csrf_token": token, "company": "Acme", "role": "Analyst"},
            follow_redirects=False,
        )
        assert response.status_code == 303


def _chunks(size: int) -> Iterator[bytes]:
    yield b'{"text": "'
    sent = 0
    while sent < size:
        yield b"x" * 65_536
        sent += 65_536
    yield b'"}'


def test_a_chunked_body_over_the_limit_gets_413(journal: Journal) -> None:
    """S8: a body sent in chunks (no Content-Length) over 2 MB got 400."""
    with TestClient(create_app(journal)) as client:
        client.get("/")
        api = client.post(
            "/api/feedback",
            content=_chunks(MAX_BODY_BYTES + 100_000),
            headers={"Content-Type": "application/json"},
        )
        assert api.status_code == 413, api.text
        assert "larger than" in api.json()["detail"]
        token = client.cookies.get(CSRF_COOKIE)
        form = client.post(
            "/feedback",
            content=_form_chunks(str(token), MAX_BODY_BYTES + 100_000),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert form.status_code == 413
    assert journal.list_feedback() == []


def _form_chunks(token: str, size: int) -> Iterator[bytes]:
    yield f"csrf_token={token}&text=".encode()
    sent = 0
    while sent < size:
        yield b"y" * 65_536
        sent += 65_536


# -- over a real connection ------------------------------------------------------------------


@pytest.fixture
def server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, int, Journal, sqlite3.Connection]]:
    """The app served by uvicorn with the protocol `debrief serve` uses, with short limits,
    over a SQLite journal, and another connection that can hold its write lock."""
    import uvicorn

    from debrief.web import security

    monkeypatch.setattr(serving, "HEAD_TIMEOUT_SECONDS", 0.5)
    monkeypatch.setattr(security, "BODY_TIMEOUT_SECONDS", 0.5)
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "served.db"
    journal = Journal.open(str(path))
    [port] = free_ports(1)
    config = uvicorn.Config(
        create_app(journal),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        http=serving.HeadTimedH11Protocol,
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.started
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    yield "127.0.0.1", port, journal, other
    other.close()
    running.should_exit = True
    thread.join(timeout=10)
    journal.close()


def _closed_within(sock: socket.socket, seconds: float) -> bytes:
    """What the server sent before closing the connection, waiting at most `seconds`."""
    sock.settimeout(seconds)
    received = b""
    try:
        while chunk := sock.recv(65_536):
            received += chunk
    except TimeoutError:
        pytest.fail(f"the connection was still open after {seconds} s")
    return received


def test_a_slow_request_head_is_cut_off(server: tuple[str, int, Journal, Any]) -> None:
    """S9: no read timeout on slow connections (one client trickling a head held a worker)."""
    host, port, _, _ = server
    with socket.create_connection((host, port)) as idle:
        assert _closed_within(idle, 5) == b""
    with socket.create_connection((host, port)) as slow:
        # A header line every 0.1 s: never idle, but the head is not whole after 0.5 s.
        began = time.monotonic()
        slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        try:
            while time.monotonic() - began < 3:
                time.sleep(0.1)
                slow.sendall(b"X-Slow: 1\r\n")
        except OSError:  # closed by the server
            pass
        assert time.monotonic() - began < 2, "a head trickled in forever was never cut off"
        assert _closed_within(slow, 5) == b""


def test_a_request_pipelined_behind_another_is_not_cut_off(
    server: tuple[str, int, Journal, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The head deadline starts after a response; a request already read behind it (HTTP/1.1
    pipelining) and slower than the deadline is answered whole."""
    host, port, _, _ = server
    from debrief.web.views import AnalysisCache

    real = AnalysisCache.analysis

    def slow_analysis(self: AnalysisCache) -> Any:
        time.sleep(1.0)  # longer than the 0.5 s head deadline
        return real(self)

    monkeypatch.setattr(AnalysisCache, "analysis", slow_analysis)
    with socket.create_connection((host, port)) as both:
        both.sendall(
            b"GET /static/app.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            b"GET /themes HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        answers = _closed_within(both, 10)
    assert answers.count(b"HTTP/1.1 200") == 2, answers[:300]


def test_a_slow_request_body_gets_408(server: tuple[str, int, Journal, Any]) -> None:
    host, port, journal, _ = server
    with socket.create_connection((host, port)) as slow:
        slow.sendall(
            b"POST /api/feedback HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"text": '
        )
        answer = _closed_within(slow, 5)
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert journal.list_feedback() == []


def test_a_busy_journal_answers_503_and_the_connection_goes_on(
    server: tuple[str, int, Journal, sqlite3.Connection],
) -> None:
    """S5: "database is locked" reached clients as a bare 500 and dropped the keep-alive
    connection, so the next request on it failed too."""
    host, port, journal, other = server
    connection = http.client.HTTPConnection(host, port, timeout=10)
    other.execute("BEGIN IMMEDIATE")
    try:
        connection.request(
            "POST",
            "/api/applications",
            body='{"company": "Busy", "role": "Analyst"}',
            headers={"Content-Type": "application/json"},
        )
        busy = connection.getresponse()
        assert busy.status == 503 and busy.getheader("Retry-After") == "1"
        assert b"busy" in busy.read()
    finally:
        other.execute("ROLLBACK")
    connection.request(  # the same connection
        "POST",
        "/api/applications",
        body='{"company": "Later", "role": "Analyst"}',
        headers={"Content-Type": "application/json"},
    )
    later = connection.getresponse()
    assert later.status == 201, later.read()
    later.read()
    connection.close()
    assert [a.company for a in journal.list_applications()] == ["Later"]


def test_a_content_length_in_other_digits_is_refused_not_a_traceback(journal: Journal) -> None:
    """A server in front may pass on any bytes; "²" is a digit to str.isdigit, not to int."""
    import asyncio

    app = create_app(journal)
    sent: list[dict[str, Any]] = []
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/applications",
        "raw_path": b"/api/applications",
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"content-length", b"\xb2"),  # "²" as Latin-1, as HTTP headers are read
        ],
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    assert sent[0]["status"] == 413
    assert journal.list_applications() == []


@pytest.mark.parametrize(
    "option", [["--port", "\u0668\u0660\u0660\u0660"], ["--workers", "\u0663"]]
)
def test_serve_takes_ascii_digits_only(
    cli: CliDriver, monkeypatch: pytest.MonkeyPatch, option: list[str]
) -> None:
    monkeypatch.setattr(serving, "run", lambda options, app: None)
    result = cli("serve", *option)
    assert result.exit_code == 2 and option[0] in result.output
