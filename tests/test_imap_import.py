"""`debrief import imap` against a real Dovecot (tests/imap_server.py): the same decisions as
the same messages from a file, only what is new on each run, a dry run that writes nothing, an
interrupted run that resumes, and the password never shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from debrief.errors import MailboxError
from debrief.ingest.mail import imap
from debrief.ingest.mail.mailbox import account_key, import_mailbox, known_folders
from debrief.journal import Journal
from tests import imap_server
from tests.conftest import CliDriver
from tests.imap_server import ImapServer

MAIL = sorted((Path(__file__).parent / "data" / "mail").glob("*.eml"))


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch, dovecot: ImapServer) -> str:
    monkeypatch.setenv("DEBRIEF_IMAP_PASSWORD", dovecot.password)
    return dovecot.password


def imap_args(dovecot: ImapServer, dovecot_folder: str, *more: str) -> list[str]:
    return [
        "import",
        "imap",
        imap_server.HOST,
        "--user",
        dovecot.user,
        "--port",
        str(dovecot.ssl_port),
        "--cafile",
        str(dovecot.cafile),
        "--folder",
        dovecot_folder,
        *more,
    ]


def statuses(cli: CliDriver) -> list[tuple[str, str, str]]:
    found = cli.json("app", "list")
    assert isinstance(found, list)
    return sorted((app["company"], app["role"], app["status"]) for app in found)


def test_a_mailbox_imports_as_the_same_messages_from_files_do(
    dovecot: ImapServer, dovecot_folder: str, password: str, tmp_path: Path
) -> None:
    dovecot.append(dovecot_folder, (path.read_bytes() for path in MAIL[:30]))
    by_imap = CliDriver(tmp_path / "imap.db")
    done = by_imap.ok(*imap_args(dovecot, dovecot_folder))
    assert f"{dovecot_folder}: 30 new messages read." in done.stderr
    assert "Imported from imap seeker@127.0.0.1:" in done.stderr
    by_file = CliDriver(tmp_path / "file.db")
    by_file.ok("import", "email", *map(str, MAIL[:30]))
    assert statuses(by_imap) == statuses(by_file)
    assert len(statuses(by_imap)) >= 5
    assert password not in done.output + done.stderr


def test_each_run_reads_only_what_arrived_since_the_last(
    dovecot: ImapServer, dovecot_folder: str, password: str, cli: CliDriver
) -> None:
    dovecot.append(dovecot_folder, (path.read_bytes() for path in MAIL[:6]))
    cli.ok(*imap_args(dovecot, dovecot_folder))
    before = statuses(cli)
    again = cli.ok(*imap_args(dovecot, dovecot_folder))
    assert f"{dovecot_folder}: 0 new messages read." in again.stderr
    assert "0 created, 0 updated, 0 unchanged" in again.stderr
    dovecot.append(dovecot_folder, (path.read_bytes() for path in MAIL[6:9]))
    more = cli.json(*imap_args(dovecot, dovecot_folder))
    assert isinstance(more, dict)
    assert [d["origin"].split()[-1] for d in more["decisions"]] == ["7", "8", "9"]
    assert len(statuses(cli)) >= len(before)


def test_a_dry_run_writes_nothing_not_even_how_far_it_read(
    dovecot: ImapServer, dovecot_folder: str, password: str, cli: CliDriver, db_path: Path
) -> None:
    dovecot.append(dovecot_folder, (path.read_bytes() for path in MAIL[:8]))
    dry = cli.ok(*imap_args(dovecot, dovecot_folder, "--dry-run"))
    assert "Dry run, nothing written" in dry.stderr
    assert "Decisions for imap seeker@127.0.0.1" in dry.stdout
    assert not db_path.exists()
    real = cli.json(*imap_args(dovecot, dovecot_folder))
    assert isinstance(real, dict) and len(real["decisions"]) == 8


def test_an_interrupted_import_keeps_its_batches_and_the_next_run_carries_on(
    dovecot: ImapServer,
    dovecot_folder: str,
    journal: Journal,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dovecot.append(dovecot_folder, (path.read_bytes() for path in MAIL[:12]))
    account = dovecot.account(folders=(dovecot_folder,))
    fetch, calls = imap._fetch, []

    def failing(*args: object) -> object:
        calls.append(1)
        if len(calls) == 3:
            raise MailboxError(account.server, "the connection dropped")
        return fetch(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(imap, "_fetch", failing)
    with pytest.raises(MailboxError, match="dropped"):
        import_mailbox(journal, account, batch_size=4)
    state = known_folders(journal, account)[dovecot_folder]
    assert state.last_uid == 8  # two batches of four written, with how far they read
    assert len(journal.imported_keys()) + len(journal.review_keys()) <= 8
    monkeypatch.setattr(imap, "_fetch", fetch)
    rest = import_mailbox(journal, account, batch_size=4)
    assert [d.origin.split()[-1] for d in rest.decisions] == ["9", "10", "11", "12"]
    assert known_folders(journal, account)[dovecot_folder].last_uid == 12

    whole = Journal.open(f"sqlite:///{tmp_path / 'whole.db'}")
    try:
        import_mailbox(whole, account, batch_size=4)
        assert sorted((a.company, a.role, a.status) for a in whole.list_applications()) == sorted(
            (a.company, a.role, a.status) for a in journal.list_applications()
        )
    finally:
        whole.close()


def test_folder_state_is_kept_per_account(dovecot: ImapServer, journal: Journal) -> None:
    one = dovecot.account(folders=("INBOX",))
    other = dovecot.account(folders=("INBOX",), user="someone-else")
    assert account_key(one) != account_key(other)
    journal.save_folder_state(account_key(one), "INBOX", 7, 42)
    assert known_folders(journal, one)["INBOX"].last_uid == 42
    assert known_folders(journal, other) == {}


def test_the_password_is_asked_for_hidden_and_never_shown(
    dovecot: ImapServer,
    dovecot_folder: str,
    cli: CliDriver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DEBRIEF_IMAP_PASSWORD", raising=False)
    monkeypatch.setitem(__import__("sys").modules, "keyring", None)  # no keyring installed
    dovecot.append(dovecot_folder, [MAIL[0].read_bytes()])
    done = cli.ok(*imap_args(dovecot, dovecot_folder), input=dovecot.password + "\n")
    assert "IMAP password for seeker@127.0.0.1" in done.stderr
    assert dovecot.password not in done.output + done.stderr
    assert f"{dovecot_folder}: 1 new messages read." in done.stderr


def test_a_refused_login_is_one_line_without_the_password(
    own_dovecot: ImapServer, cli: CliDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEBRIEF_IMAP_PASSWORD", "not-the-password-9731")
    failed = cli(*imap_args(own_dovecot, "INBOX"))
    assert failed.exit_code == 1
    assert "refused the login for seeker" in failed.stderr
    assert "not-the-password-9731" not in failed.output + failed.stderr
    assert "Traceback" not in failed.output + failed.stderr


def test_an_unknown_folder_and_a_bad_date_are_one_line_each(
    dovecot: ImapServer, password: str, cli: CliDriver
) -> None:
    missing = cli(*imap_args(dovecot, "No-Such-Folder"))
    assert missing.exit_code == 1 and "No-Such-Folder" in missing.stderr
    bad_date = cli(*imap_args(dovecot, "INBOX", "--since", "last tuesday"))
    assert bad_date.exit_code == 2 and "--since" in bad_date.stderr


def test_the_json_output_lists_every_decision(
    dovecot: ImapServer, dovecot_folder: str, password: str, cli: CliDriver
) -> None:
    dovecot.append(dovecot_folder, (path.read_bytes() for path in MAIL[:4]))
    found = json.loads(cli.ok(*imap_args(dovecot, dovecot_folder, "--json")).stdout)
    assert found["written"] is True
    assert found["source"] == "imap seeker@127.0.0.1"
    assert len(found["decisions"]) == 4


def test_an_acknowledgement_in_a_second_folder_dates_the_rejection_in_the_first(
    dovecot: ImapServer, password: str, cli: CliDriver, request: pytest.FixtureRequest
) -> None:
    from tests.test_mail_review import mail

    inbox, jobs = f"{request.node.name[:30]}-in", f"{request.node.name[:30]}-jobs"
    dovecot.create(inbox)
    dovecot.create(jobs)
    dovecot.append(
        inbox,
        [
            mail(
                "Dear Maren,\n\nThank you for your interest in the Data Analyst role at Acme "
                "Analytics. We have decided not to move forward with your application.\n\n"
                "Acme Analytics Talent",
                subject="Your application to Acme Analytics",
                date="Fri, 27 Mar 2026 10:00:00 +0000",
                id="<no@acme-analytics.com>",
            )
        ],
    )
    dovecot.append(
        jobs,
        [
            mail(
                "Hi Maren,\n\nThank you for applying to the Data Analyst role at Acme Analytics. "
                "We have received your application.\n\nAcme Analytics Talent",
                subject="We received your application",
                date="Mon, 02 Mar 2026 09:00:00 +0000",
                id="<ack@acme-analytics.com>",
            )
        ],
    )
    cli.ok(*imap_args(dovecot, inbox, "--folder", jobs))
    [app] = cli.json("app", "list")  # type: ignore[misc]
    assert (app["applied_on"], app["applied_on_known"], app["status"]) == (
        "2026-03-02",
        True,
        "rejected",
    )
