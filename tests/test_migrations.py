"""The schema only changes through migrations: they build it from empty, match the models, upgrade
an older database (backing up SQLite first) and refuse one newer than the code."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from debrief.errors import DatabaseFailed, SchemaTooNew, StorageError
from debrief.journal import Journal
from debrief.storage import database
from debrief.storage.database import (
    SCHEMA_REVISION,
    create_database_engine,
    current_revision,
    ensure_schema,
    run_migrations,
)
from debrief.storage.location import resolve_database_url, sqlite_path
from debrief.storage.schema import Base

TABLES = {
    "applications",
    "status_changes",
    "interviews",
    "rubric_scores",
    "feedback",
    "statements",
    "action_items",
    "practice_entries",
    "assignments",
}


def test_schema_revision_constant_is_alembic_head() -> None:
    assert database._script_directory().get_current_head() == SCHEMA_REVISION


def test_migrations_build_the_schema_from_empty(database_url: str) -> None:
    engine = create_database_engine(database_url)
    try:
        done = ensure_schema(engine)
        assert done is not None and done.from_revision is None and done.backup is None
        with engine.connect() as connection:
            assert current_revision(connection) == SCHEMA_REVISION
            assert set(inspect(connection).get_table_names()) >= TABLES
        assert ensure_schema(engine) is None  # already current: nothing to do
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_database_engine(database_url)
    try:
        ensure_schema(engine)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_downgrade_to_empty_and_up_again(database_url: str) -> None:
    engine = create_database_engine(database_url)
    try:
        ensure_schema(engine)
        run_migrations(engine, "base", downgrade=True)
        with engine.connect() as connection:
            assert not TABLES & set(inspect(connection).get_table_names())
        run_migrations(engine, "head")
        with engine.connect() as connection:
            assert current_revision(connection) == SCHEMA_REVISION
    finally:
        engine.dispose()


NEXT_MIGRATION = '''"""test-only: a later revision, to exercise upgrading a database with data."""
import sqlalchemy as sa
from alembic import op

revision = "0099"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("upgrade_probe", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("upgrade_probe")
'''


def test_opening_an_older_journal_upgrades_it_keeping_data_and_backs_up_sqlite(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Journal.open(database_url) as journal:
        journal.add_application("Acme", "Data Scientist")

    migrations = tmp_path / "migrations"
    shutil.copytree(database.MIGRATIONS_DIR, migrations)
    (migrations / "versions" / "0099_probe.py").write_text(
        NEXT_MIGRATION.format(head=SCHEMA_REVISION)
    )
    monkeypatch.setattr(database, "MIGRATIONS_DIR", migrations)
    monkeypatch.setattr(database, "SCHEMA_REVISION", "0099")

    with Journal.open(database_url) as journal:
        assert journal.upgrade is not None
        assert (journal.upgrade.from_revision, journal.upgrade.to_revision) == (
            SCHEMA_REVISION,
            "0099",
        )
        backup = journal.upgrade.backup
        assert [a.company for a in journal.list_applications()] == ["Acme"]
        with journal.engine.connect() as connection:
            assert current_revision(connection) == "0099"
            assert "upgrade_probe" in inspect(connection).get_table_names()

    path = sqlite_path(database_url)
    if path is None:
        assert backup is None  # PostgreSQL backups are pg_dump's job
        return
    assert backup is not None and backup.exists() and backup.parent == path.parent
    with closing(sqlite3.connect(backup)) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (
            SCHEMA_REVISION,
        )
        assert copy.execute("SELECT company FROM applications").fetchall() == [("Acme",)]


def test_a_newer_schema_is_refused_untouched(database_url: str) -> None:
    with Journal.open(database_url) as journal:
        journal.add_application("Acme", "Data Scientist")
    engine = create_engine(resolve_database_url(database_url))
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(SchemaTooNew, match="9999, newer than this debrief knows"):
        Journal.open(database_url)
    engine = create_engine(resolve_database_url(database_url))
    with engine.connect() as connection:
        assert current_revision(connection) == "9999"
        assert connection.execute(text("SELECT count(*) FROM applications")).scalar() == 1
    engine.dispose()


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with closing(sqlite3.connect(path)) as other:
        other.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY)")
        other.commit()
    with pytest.raises(StorageError, match="not a debrief database"):
        Journal.open(str(path))


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    with Journal.open(str(tmp_path / "j.db")) as journal, journal.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing-dir" / "j.db", "is not an existing directory"),
        (lambda tmp: tmp, "it is not a file"),
    ],
)
def test_unusable_sqlite_paths(tmp_path: Path, make: object, message: str) -> None:
    with pytest.raises(StorageError, match=message):
        Journal.open(str(make(tmp_path)))  # type: ignore[operator]


def test_default_location_is_created_in_the_user_data_dir(isolated_data_dir: Path) -> None:
    with Journal.open() as journal:
        assert journal.location == str(isolated_data_dir / "journal.db")
    assert (isolated_data_dir / "journal.db").exists()


def test_environment_variable_redirects_the_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEBRIEF_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    with Journal.open() as journal:
        assert journal.location == str(tmp_path / "env.db")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_urls(given: str, expected: str) -> None:
    assert resolve_database_url(given) == expected


def test_relative_paths_become_absolute_sqlite_urls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert resolve_database_url("j.db") == f"sqlite:///{tmp_path / 'j.db'}"


def test_every_older_revision_upgrades_with_its_data(database_url: str, tmp_path: Path) -> None:
    """Each shipped revision before the head, holding an application, upgrades on open."""
    older = [r for r in sorted(database.known_revisions()) if r != SCHEMA_REVISION]
    assert older, "there is more than one revision to upgrade from"
    for revision in older:
        url = database_url
        if sqlite_path(database_url) is not None:
            url = f"sqlite:///{tmp_path / f'at-{revision}.db'}"
        engine = create_database_engine(url)
        run_migrations(engine, "base", downgrade=True)  # PostgreSQL reuses one schema
        run_migrations(engine, revision)
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO applications (company, role, applied_on, status, created_at, "
                    "updated_at) VALUES ('Acme', 'DS', '2026-01-05', 'applied', "
                    "'2026-01-05 12:00:00', '2026-01-05 12:00:00')"
                )
            )
        engine.dispose()
        with Journal.open(url) as journal:
            assert journal.upgrade is not None
            assert journal.upgrade.from_revision == revision
            [acme] = journal.list_applications()
            assert (acme.company, acme.applied_on_known) == ("Acme", True)
            journal.add_feedback("Your SQL was strong.")  # the new tables work
            journal.delete_application(acme.id)  # ids are still never handed out again
            assert journal.add_application("Beta", "DS").id == acme.id + 1
        if sqlite_path(url) is not None:
            assert journal.upgrade.backup is not None and journal.upgrade.backup.exists()


def test_stored_proposals_go_and_taken_items_stay_on_upgrade(database_url: str) -> None:
    """Revision 0006 derives proposals instead of storing them: an older journal's proposals
    (and what hung off them) are removed; items the user took on are kept; the revision counter
    starts."""
    engine = create_database_engine(database_url)
    run_migrations(engine, "0005")
    with engine.begin() as connection:
        for item_id, status in ((1, "proposed"), (2, "accepted")):
            connection.execute(
                text(
                    "INSERT INTO action_items (id, skill, title, goal, status, proposed_on, "
                    "reopened, created_at, updated_at) VALUES (:id, 'sql', 'SQL', 'Faster', "
                    ":status, '2026-11-01', 0, '2026-11-01 12:00:00', '2026-11-01 12:00:00')"
                ),
                {"id": item_id, "status": status},
            )
            connection.execute(
                text(
                    "INSERT INTO action_tasks (item_id, position, kind, text) "
                    "VALUES (:id, 1, 'study', 'Read a chapter')"
                ),
                {"id": item_id},
            )
    engine.dispose()
    with Journal.open(database_url) as journal, journal.reading() as session:
        kept = session.execute(text("SELECT id, status FROM action_items")).all()
        tasks = session.execute(text("SELECT item_id FROM action_tasks")).all()
        assert [tuple(row) for row in kept] == [(2, "accepted")] and [t[0] for t in tasks] == [2]
        assert journal.revision()[0] == 0  # the counter starts at nought


def test_copying_status_changes_for_0010_keeps_their_ids_unused(tmp_path: Path) -> None:
    """0010 copies SQLite's status_changes table to add a named foreign key: a change deleted
    before the upgrade keeps its id out of use after it."""
    url = f"sqlite:///{tmp_path / 'at-0009.db'}"
    engine = create_database_engine(url)
    run_migrations(engine, "0009")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO applications (id, company, role, applied_on, status, created_at, "
                "updated_at) VALUES (1, 'Acme', 'DS', '2026-01-05', 'applied', "
                "'2026-01-05 12:00:00', '2026-01-05 12:00:00')"
            )
        )
        for number in (1, 2, 3):
            connection.execute(
                text(
                    "INSERT INTO status_changes (id, application_id, to_status, changed_at, "
                    "forced, created_at) VALUES (:id, 1, 'applied', '2026-01-05 12:00:00', 0, "
                    "'2026-01-05 12:00:00')"
                ),
                {"id": number},
            )
        connection.execute(text("DELETE FROM status_changes WHERE id > 1"))
    engine.dispose()
    with Journal.open(url) as journal:
        moved = journal.change_status(1, "screen", at="2026-01-09")
        [first, second] = journal.get_application(moved.id).history
        assert (first.id, second.id) == (1, 4)


def test_copying_practice_entries_for_0011_keeps_their_ids_and_checks(tmp_path: Path) -> None:
    """0011 copies SQLite's practice_entries table (its item becomes optional): an entry
    deleted before the upgrade keeps its id out of use, and the minutes' range is still
    checked after the copy."""
    import sqlalchemy

    from debrief.plan import ActionPlan

    url = f"sqlite:///{tmp_path / 'at-0010.db'}"
    engine = create_database_engine(url)
    run_migrations(engine, "0010")
    stamp = "'2026-01-05 12:00:00'"
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO action_items (id, skill, title, goal, status, proposed_on, "
                f"reopened, created_at, updated_at) VALUES (1, 'sql', 'SQL', 'Joins', "
                f"'accepted', '2026-01-05', 0, {stamp}, {stamp})"
            )
        )
        for number in (1, 2, 3):
            connection.execute(
                text(
                    "INSERT INTO practice_entries (id, item_id, done_on, text, minutes, "
                    f"created_at) VALUES (:id, 1, '2026-01-06', 'joins', 30, {stamp})"
                ),
                {"id": number},
            )
        connection.execute(text("DELETE FROM practice_entries WHERE id > 1"))
    engine.dispose()
    with Journal.open(url) as journal:
        entry = ActionPlan(journal).practise_question("sql-05", rating=3, on="2026-01-07")
        assert entry.id == 4 and entry.item_id == 1
        with pytest.raises(DatabaseFailed) as refused, journal.transaction() as session:
            session.execute(text("UPDATE practice_entries SET minutes = 5000 WHERE id = 1"))
        assert isinstance(refused.value.__cause__, sqlalchemy.exc.IntegrityError)
        assert "ck_practice_entries_minutes_range" in str(refused.value)
        assert [e.minutes for e in ActionPlan(journal).practice_log()] == [30, None]


def test_invites_made_before_0012_asked_a_mock_partner(database_url: str) -> None:
    """0012 adds who an invite asks: every invite made before asked a mock partner, and the
    answers to one still come in as a mock partner's."""
    from debrief.partner import submit, token_hash

    engine = create_database_engine(database_url)
    run_migrations(engine, "0011")
    token = "t" * 32
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO interviews (id, kind, held_on, outcome, created_at, updated_at) "
                "VALUES (1, 'sql', '2026-11-01', 'pending', '2026-11-01 12:00:00', "
                "'2026-11-01 12:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO partner_invites (id, interview_id, token_hash, created_at, "
                "expires_at) VALUES (1, 1, :hash, '2026-11-01 12:00:00', '2999-01-01 12:00:00')"
            ),
            {"hash": token_hash(token)},
        )
    engine.dispose()
    with Journal.open(database_url) as journal:
        [invite] = journal.list_invites()
        assert invite.source == "mock_partner"
        assert submit(journal, token, {"went_well": "Clear."}).source == "mock_partner"
        assert journal.list_assignments() == []


def test_a_new_journal_and_its_backups_are_readable_by_their_owner_only(
    isolated_data_dir: Path, tmp_path: Path
) -> None:
    """S9: journals were written world-readable (0644)."""
    import stat

    from debrief.storage.database import backup_sqlite

    with Journal.open() as journal:  # the default location, made for it
        journal.add_application("Acme", "Data Scientist")
    assert stat.S_IMODE(isolated_data_dir.stat().st_mode) == 0o700
    for made in isolated_data_dir.iterdir():  # the journal and its WAL files
        assert stat.S_IMODE(made.stat().st_mode) == 0o600, made
    given = tmp_path / "given.db"
    with Journal.open(str(given)) as journal:
        journal.add_application("Acme", "Data Scientist")
    assert stat.S_IMODE(given.stat().st_mode) == 0o600
    copy = backup_sqlite(given)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with pytest.raises(StorageError, match="will not overwrite"):
        backup_sqlite(given, copy)


@pytest.fixture
def read_only_mount(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A folder and a read-only view of it (a bind mount); skipped where mounting is not
    allowed (it needs root), or failed when DEBRIEF_TEST_MOUNT says it must run (as CI does,
    as root)."""
    import subprocess

    source, view = tmp_path / "source", tmp_path / "view"
    source.mkdir()
    view.mkdir()
    mounted = subprocess.run(
        ["mount", "--bind", str(source), str(view)], check=False, capture_output=True
    )
    if mounted.returncode != 0:
        reason = f"cannot make a read-only mount here: {mounted.stderr.decode().strip()}"
        if os.environ.get("DEBRIEF_TEST_MOUNT"):
            pytest.fail(f"DEBRIEF_TEST_MOUNT is set but {reason}")
        pytest.skip(reason)
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(view)], check=True)
        yield source, view
    finally:
        subprocess.run(["umount", str(view)], check=False)


def test_a_journal_on_a_read_only_mount_can_be_read(
    read_only_mount: tuple[Path, Path],
) -> None:
    """S9: a journal on a read-only mount could not even be read."""
    from click.testing import CliRunner

    from debrief.cli import main

    source, view = read_only_mount
    with Journal.open(str(source / "journal.db")) as journal:
        journal.add_application("Acme", "Data Scientist")
    runner = CliRunner()
    listed = runner.invoke(main, ["--db", str(view / "journal.db"), "app", "list"])
    assert listed.exit_code == 0, listed.output
    assert "Acme" in listed.output
    refused = runner.invoke(main, ["--db", str(view / "journal.db"), "app", "add", "B", "C"])
    assert refused.exit_code == 1
    assert "it can only be read" in refused.output and "Traceback" not in refused.output
    with Journal.open(str(view / "journal.db")) as journal:
        assert journal.read_only
        assert [a.company for a in journal.list_applications()] == ["Acme"]
        report = journal.summary()
        assert report is not None
    assert sorted(p.name for p in source.iterdir()) == ["journal.db"]
    # Changes still in the write-ahead log (its owner has the journal open) are read too.
    with Journal.open(str(source / "journal.db")) as owner:
        owner.add_application("Beta", "Analyst")
        assert (source / "journal.db-wal").stat().st_size > 0
        with Journal.open(str(view / "journal.db")) as journal:
            assert [a.company for a in journal.list_applications()] == ["Acme", "Beta"]
