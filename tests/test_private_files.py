"""What debrief writes holds journal data, so it is readable by its owner only: files 0600, the
folders debrief makes for them 0700, whatever the umask (FINDINGS S9)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from debrief.files import write_text
from tests.conftest import CliDriver


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """The usual umask, under which files are made readable by everyone (0644)."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_everything_written_is_readable_by_its_owner_only(cli: CliDriver, tmp_path: Path) -> None:
    cli.ok("app", "add", "Acme", "Data Scientist")
    cli.ok("interview", "add", "--mock", "--kind", "sql")
    out = tmp_path / "out"
    written = {
        "report.html": ("report", "-o"),
        "report.md": ("report", "--format", "md", "-o"),
        "backup.json": ("export", "json"),
        "dates.ics": ("export", "ics"),
        "journal-copy.db": ("db", "backup"),
        "form.html": ("partner", "invite", "--interview", "1", "--file"),
    }
    for name, command in written.items():
        cli.ok(*command, str(out / "new" / name))
    cli.ok("export", "csv", "-o", str(out / "csv"))
    assert mode(out) == mode(out / "new") == mode(out / "csv") == 0o700
    files = [out / "new" / name for name in written] + sorted((out / "csv").glob("*.csv"))
    assert len(files) > len(written) + 5
    assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}


def test_a_file_debrief_replaces_becomes_private_and_a_folder_there_keeps_its_mode(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    old = shared / "report.html"
    old.write_text("an old report", "utf-8")
    old.chmod(0o644)
    write_text(old, "the new report")
    assert mode(old) == 0o600 and old.read_text("utf-8") == "the new report"
    assert mode(shared) == 0o755
    write_text(shared / "a" / "b" / "notes.md", "in folders debrief makes")
    assert mode(shared / "a") == mode(shared / "a" / "b") == 0o700
    assert mode(shared) == 0o755
