"""`debrief coach serve` as it runs for real: made and filled from the command line, served by
uvicorn (several workers on PostgreSQL) behind what a TLS proxy on this computer sends, with
people signing in and working over fresh connections that land on any worker."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
import time
from typing import Any

from tests.coach_helpers import (
    PASSWORD,
)
from tests.imap_server import free_ports

PUBLIC = "coach.example.org"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _debrief(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "debrief", "--db", url, *args]


class Browser:
    """A browser behind the proxy: every request on a new connection, cookies kept."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.set_cookies: list[str] = []

    def request(self, method: str, path: str, body: Any = None, kind: str = "") -> Any:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "Host": PUBLIC,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "203.0.113.7",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if kind:
            headers["Content-Type"] = kind
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("set-cookie") or []:
            self.set_cookies.append(header)
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "Max-Age=0" in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        connection.close()
        response.text = text
        return response

    def form(self, page: str, action: str, fields: dict[str, str]) -> Any:
        from urllib.parse import urlencode

        token = CSRF.search(self.request("GET", page).text)
        assert token, f"no form on {page}"
        body = urlencode({**fields, "csrf_token": token[1]})
        return self.request("POST", action, body, "application/x-www-form-urlencoded")


def _join(port: int, link: str) -> Browser:
    browser = Browser(port)
    path = link.split(PUBLIC, 1)[1]
    answer = browser.form(path, path, {"password": PASSWORD, "again": PASSWORD})
    assert answer.status == 303, answer.text
    return browser


def test_a_served_coach_server_behind_a_tls_proxy(url: str) -> None:
    workers = 1 if url.startswith("sqlite") else 3
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "DEBRIEF_COACH_PASSWORD": PASSWORD,
    }

    def run(*args: str) -> str:
        done = subprocess.run(
            _debrief(url, *args), check=False, capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("coach", "init", "--name", "Ada Admin", "--email", "ada@example.org")
    [port] = free_ports(1)
    server = subprocess.Popen(
        _debrief(
            url,
            "coach",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--public-url",
            f"https://{PUBLIC}",
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if Browser(port).request("GET", "/login").status == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, server.communicate()[1]
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.3)
        # Links printed by the command line use the public address the server was served at.
        coach_link = run(
            "coach", "invite", "--role", "coach", "--name", "Cora", "--email", "cora@example.org"
        ).strip()
        assert coach_link.startswith(f"https://{PUBLIC}/join/")
        coach = _join(port, coach_link)
        student_link = run(
            "coach",
            "invite",
            "--name",
            "Sam",
            "--email",
            "sam@example.org",
            "--coach",
            "cora@example.org",
        ).strip()
        student = _join(port, student_link)
        # Behind https the session cookie is Secure and host-only.
        session = [c for c in student.set_cookies if "debrief_session=" in c][-1]
        assert session.startswith("__Host-debrief_session=")
        assert "Secure" in session and "HttpOnly" in session and "SameSite=Lax" in session

        made = []
        for number in range(6):  # fresh connections: any worker answers
            company = f"Quillon {number}"
            answer = student.request(
                "POST",
                "/api/applications",
                json.dumps({"company": company, "role": "Data Scientist"}),
                "application/json",
            )
            assert answer.status == 201, answer.text
            made.append(company)
        listed = json.loads(student.request("GET", "/api/applications").text)
        assert {a["company"] for a in listed} == set(made)
        assert student.request("GET", "/").status == 200
        cohort = coach.request("GET", "/coach")
        assert cohort.status == 200 and "Sam" in cohort.text
        assert coach.request("GET", "/api/applications").status in (401, 404)
        # Sign-in failures count the client the proxy names, on every worker.
        stranger = Browser(port)
        statuses = [
            stranger.form(
                "/login", "/login", {"email": "sam@example.org", "password": "not it at all"}
            ).status
            for _ in range(6)
        ]
        assert statuses == [401] * 5 + [429]
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert b"Traceback" not in err
