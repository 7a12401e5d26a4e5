"""A coach server for tests: its database (SQLite file or a PostgreSQL schema), people made the
way a user makes them (an admin, invitations accepted), and browsers signed in as each."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from debrief.coach.store import Directory, Person

POSTGRES_ENV = "DEBRIEF_TEST_POSTGRES_URL"
PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with the least work it allows: the tests sign in hundreds of times."""
    from argon2 import PasswordHasher

    from debrief.coach import passwords

    quick = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(passwords, "hasher", lambda: quick)
    passwords._decoy.cache_clear()


def server_url(kind: str, tmp_path: Path) -> Iterator[str]:
    """An empty database for a coach server; on PostgreSQL, the students' schemas the server
    made are dropped with it."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.db'}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"set {POSTGRES_ENV} to run the coach server on PostgreSQL")
    from sqlalchemy import create_engine, text

    from debrief.storage.location import resolve_database_url
    from tests.conftest import postgres_schema_url

    for url in postgres_schema_url(base):
        try:
            yield url
        finally:
            admin = create_engine(resolve_database_url(base))
            with admin.begin() as connection:
                schemas = connection.scalars(
                    text(
                        "SELECT schema_name FROM information_schema.schemata "
                        "WHERE schema_name LIKE 'debrief\\_%\\_student\\_%'"
                    )
                ).all()
                server = _server_of(url)
                for schema in schemas:
                    if server and schema.startswith(f"debrief_{server}_student_"):
                        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


_servers: dict[str, str] = {}


def _server_of(url: str) -> str | None:
    return _servers.get(url)


@dataclass
class Server:
    """A coach server with a directory, its web app, and people in it."""

    directory: Directory
    app: Any
    admin: Person
    clients: list[TestClient] = field(default_factory=list)

    def client(self, **options: Any) -> TestClient:
        made = TestClient(self.app, follow_redirects=False, **options)
        made.__enter__()
        self.clients.append(made)
        return made

    def join(self, invited_by: Person, role: str, name: str, **options: Any) -> Person:
        """Someone joins by an invitation `invited_by` made."""
        email = f"{name.lower().replace(' ', '.')}@example.org"
        _, token = self.directory.invite(invited_by, role, name, email, **options)
        return self.directory.accept(token, PASSWORD)

    def signed_in(self, person: Person, **options: Any) -> TestClient:
        """A browser signed in as `person` through the sign-in form."""
        browser = self.client(**options)
        answer = sign_in(browser, person.email)
        assert answer.status_code == 303, answer.text
        return browser

    def close(self) -> None:
        for browser in self.clients:
            browser.__exit__(None, None, None)
        self.directory.close()


def token_of(browser: TestClient, path: str) -> str:
    """The CSRF token of a form on the page at `path`."""
    page = browser.get(path)
    found = _TOKEN.search(page.text)
    assert found, f"no form token on {path}: {page.status_code} {page.text[:300]}"
    return found[1]


def sign_in(browser: TestClient, email: str, password: str = PASSWORD, **fields: str) -> Any:
    """Send the sign-in form (with `fields` such as `next`), and its answer."""
    data = {"email": email, "password": password, **fields}
    return browser.post("/login", data={**data, "csrf_token": token_of(browser, "/login")})


def post_form(browser: TestClient, page: str, action: str, data: dict[str, str]) -> Any:
    """Send a form from `page` (its CSRF token included) to `action`."""
    return browser.post(action, data={**data, "csrf_token": token_of(browser, page)})


def make_server(url: str, **options: Any) -> Server:
    from debrief.web.coach import create_coach_app

    directory = Directory.open(url, create=True)
    _servers[url] = directory.server
    admin = directory.add_person("Ada Admin", "ada@example.org", "admin", PASSWORD)
    app = create_coach_app(directory, **options)
    return Server(directory, app, admin)


# -- fixtures the coach tests share (imported by name into each test module) ------------------


@pytest.fixture
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_hashing(monkeypatch)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty coach server database on each backend."""
    yield from server_url(request.param, tmp_path)


@pytest.fixture
def server(url: str, quick_passwords: None) -> Iterator[Server]:
    """A coach server with its admin, on each backend."""
    made = make_server(url)
    yield made
    made.close()
