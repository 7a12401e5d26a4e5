"""Shared fixtures: no test touches a user's data; storage tests run on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from debrief.journal import Journal
from tests.imap_server import DOVECOT, ImapServer
from tests.imap_server import start as start_imap

# The coach server's fixtures (`url`, `server`, `quick_passwords`), for every test module.
pytest_plugins = ["tests.coach_helpers"]

POSTGRES_ENV = "DEBRIEF_TEST_POSTGRES_URL"
CHROMIUM = os.environ.get("DEBRIEF_TEST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(
    os.environ.get("DEBRIEF_TEST_ARTIFACTS", Path(__file__).parents[1] / "test-artifacts")
)


def browser_or_skip() -> Any:
    """Playwright's `sync_playwright`, when it and Debian's Chromium are there; otherwise the
    test skips, or fails when DEBRIEF_TEST_BROWSER says the browser tests must run (as CI does)."""
    required = bool(os.environ.get("DEBRIEF_TEST_BROWSER"))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if required:
            pytest.fail("DEBRIEF_TEST_BROWSER is set but Playwright is not installed")
        pytest.skip("Playwright is not installed")
    if not Path(CHROMIUM).exists():
        if required:
            pytest.fail(f"DEBRIEF_TEST_BROWSER is set but there is no browser at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    return sync_playwright


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (see `browser_or_skip`)."""
    sync_playwright = browser_or_skip()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


def dovecot_or_skip() -> str:
    """The path of Debian's Dovecot, which the IMAP tests start; without it (or openssl, which
    makes its certificate) the tests skip, or fail when DEBRIEF_TEST_IMAP says they must run
    (as CI does)."""
    required = bool(os.environ.get("DEBRIEF_TEST_IMAP"))
    missing = []
    if not Path(DOVECOT).exists():
        missing.append(f"no Dovecot at {DOVECOT} (apt-get install dovecot-imapd)")
    if not shutil.which("openssl"):
        missing.append("no openssl command (apt-get install openssl)")
    if missing and required:
        pytest.fail(f"DEBRIEF_TEST_IMAP is set but there is {' and '.join(missing)}")
    if missing:
        pytest.skip("; ".join(missing))
    return DOVECOT


@pytest.fixture(scope="module")
def dovecot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ImapServer]:
    """A Dovecot for the tests of one module."""
    running = start_imap(tmp_path_factory.mktemp("dovecot"), dovecot_or_skip())
    yield running
    running.stop()


@pytest.fixture
def own_dovecot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ImapServer]:
    """A Dovecot of the test's own: after a failed login Dovecot makes the next logins from the
    same address wait (seconds), which would slow every test after it."""
    running = start_imap(tmp_path_factory.mktemp("dovecot"), dovecot_or_skip())
    yield running
    running.stop()


@pytest.fixture
def dovecot_folder(dovecot: ImapServer, request: pytest.FixtureRequest) -> str:
    """A new, empty folder of the test's own on the module's Dovecot."""
    name = re.sub(r"[^A-Za-z0-9_-]", "-", request.node.name)[:60]
    dovecot.create(name)
    return name


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the default journal location and DEBRIEF_DATABASE_URL away from the user's data."""
    data_dir = tmp_path / "user-data"
    monkeypatch.setattr(
        "debrief.storage.location.default_database_path", lambda: data_dir / "journal.db"
    )
    monkeypatch.delenv("DEBRIEF_DATABASE_URL", raising=False)
    return data_dir


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database: a SQLite file, or a fresh schema on PostgreSQL (dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'journal.db'}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"set {POSTGRES_ENV} to run the storage tests on PostgreSQL")
    yield from postgres_schema_url(base)


def postgres_schema_url(base: str) -> Iterator[str]:
    """A URL whose search_path is a new, empty schema; the schema is dropped when done."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from debrief.storage.location import resolve_database_url

    schema = f"debrief_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(resolve_database_url(base))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(resolve_database_url(base)).update_query_dict(
            {"options": f"-csearch_path={schema}"}
        )
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def journal(database_url: str) -> Iterator[Journal]:
    """A fresh, migrated journal on each backend (`fresh_db` in the style guide's words)."""
    opened = Journal.open(database_url)
    yield opened
    opened.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A SQLite file for CLI tests (not created yet)."""
    return tmp_path / "cli.db"


@pytest.fixture
def cli(db_path: Path) -> CliDriver:
    """Run `debrief --db <tmp file> ...` through Click's CliRunner."""
    return CliDriver(db_path)


class CliDriver:
    """Invoke the CLI on one database and keep stdout and stderr apart."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        from debrief.cli import main

        return self.runner.invoke(main, ["--db", str(self.db_path), *args], input=input)

    def ok(self, *args: str, input: str | None = None) -> Result:
        result = self(*args, input=input)
        assert result.exit_code == 0, (result.output, result.stderr, result.exception)
        return result

    def json(self, *args: str, input: str | None = None) -> object:
        import json

        return json.loads(self.ok(*args, "--json", input=input).stdout)
