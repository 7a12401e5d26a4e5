"""Reading mail over IMAP, against a real Dovecot started for these tests (tests/imap_server.py):
read-only, resumable, over verified TLS, with one clear error for each way it can fail and the
password in none of them."""

from __future__ import annotations

import imaplib
import sys
import types
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from debrief.errors import InvalidInput, MailboxError
from debrief.ingest.mail import imap
from debrief.ingest.mail.imap import Account, Batch, FolderState, batches, password_from
from debrief.ingest.mail.read import parse
from tests import imap_server
from tests.imap_server import ImapServer

MAIL = sorted((Path(__file__).parent / "data" / "mail").glob("*.eml"))


@pytest.fixture
def commands(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every IMAP command sent, as its name (and a UID command's own name and items)."""
    sent: list[str] = []
    original = imaplib.IMAP4._command

    def recording(self: imaplib.IMAP4, name: str, *args: Any) -> Any:
        sent.append(" ".join([name, *args[:1], *args[2:]]) if name == "UID" else name)
        return original(self, name, *args)

    monkeypatch.setattr(imaplib.IMAP4, "_command", recording)
    return sent


def fill(server: ImapServer, folder: str, count: int, arrived: datetime | None = None) -> None:
    server.append(folder, (path.read_bytes() for path in MAIL[:count]), arrived)


def read_all(
    account: Account, known: dict[str, FolderState] | None = None, size: int = 200
) -> list[Batch]:
    return list(batches(account, known or {}, size=size))


def test_a_folder_is_read_in_uid_order_without_changing_anything(
    dovecot: ImapServer, dovecot_folder: str, commands: list[str]
) -> None:
    fill(dovecot, dovecot_folder, 5)
    commands.clear()
    [batch] = read_all(dovecot.account(folders=(dovecot_folder,)))
    assert (batch.folder, batch.last_uid, batch.total, batch.done) == (dovecot_folder, 5, 5, 5)
    assert [letter.origin for letter in batch.letters] == [
        f"imap seeker@127.0.0.1/{dovecot_folder} uid {uid}" for uid in range(1, 6)
    ]
    expected = [parse(path.read_bytes(), "x") for path in MAIL[:5]]
    assert [(letter.key, letter.subject, letter.text) for letter in batch.letters] == [
        (letter.key, letter.subject, letter.text) for letter in expected
    ]
    assert [letter.sequence for letter in batch.letters] == [0, 1, 2, 3, 4]
    assert all("\\Seen" not in flags for flags in dovecot.flags(dovecot_folder).values())
    assert "EXAMINE" in commands and "UID FETCH (UID BODY.PEEK[])" in commands
    assert not {"SELECT", "STORE", "EXPUNGE", "COPY", "APPEND"} & {c.split()[0] for c in commands}
    assert commands[-1] == "LOGOUT"


def test_the_state_it_returns_brings_only_new_mail_next_time(
    dovecot: ImapServer, dovecot_folder: str
) -> None:
    account = dovecot.account(folders=(dovecot_folder,))
    fill(dovecot, dovecot_folder, 3)
    state = read_all(account)[-1].state
    assert state == FolderState(dovecot_folder, state.uidvalidity, 3)
    [nothing] = read_all(account, {dovecot_folder: state})
    assert (nothing.letters, nothing.total, nothing.state) == ((), 0, state)
    dovecot.append(dovecot_folder, [MAIL[10].read_bytes()])
    [batch] = read_all(account, {dovecot_folder: state})
    assert [letter.origin.split()[-1] for letter in batch.letters] == ["4"]
    assert batch.letters[0].subject == parse(MAIL[10].read_bytes(), "x").subject


def test_a_changed_uidvalidity_reads_the_folder_from_the_start(
    dovecot: ImapServer, dovecot_folder: str
) -> None:
    account = dovecot.account(folders=(dovecot_folder,))
    fill(dovecot, dovecot_folder, 4)
    state = read_all(account)[-1].state
    dovecot.create(dovecot_folder)  # deleted and made again: new UIDVALIDITY, UIDs from 1
    fill(dovecot, dovecot_folder, 2)
    [batch] = read_all(account, {dovecot_folder: state})
    assert batch.uidvalidity != state.uidvalidity
    assert (len(batch.letters), batch.last_uid) == (2, 2)


def test_since_keeps_mail_that_arrived_on_or_after_the_day(
    dovecot: ImapServer, dovecot_folder: str
) -> None:
    dovecot.append(dovecot_folder, [MAIL[0].read_bytes()], datetime(2024, 1, 10, 12, tzinfo=UTC))
    dovecot.append(dovecot_folder, [MAIL[1].read_bytes()], datetime(2024, 3, 1, 9, tzinfo=UTC))
    dovecot.append(dovecot_folder, [MAIL[2].read_bytes()], datetime(2024, 3, 15, 9, tzinfo=UTC))
    [batch] = read_all(dovecot.account(folders=(dovecot_folder,), since=date(2024, 3, 1)))
    assert [letter.origin.split()[-1] for letter in batch.letters] == ["2", "3"]


def test_an_interrupted_run_resumes_after_the_last_stored_batch(
    dovecot: ImapServer, dovecot_folder: str
) -> None:
    account = dovecot.account(folders=(dovecot_folder,))
    fill(dovecot, dovecot_folder, 5)
    run = batches(account, {}, size=2)
    first, second = next(run), next(run)
    run.close()  # interrupted: the connection is closed, the third batch never read
    assert [(b.last_uid, b.done, b.total, len(b.letters)) for b in (first, second)] == [
        (2, 2, 5, 2),
        (4, 4, 5, 2),
    ]
    [rest] = read_all(account, {dovecot_folder: second.state}, size=2)
    assert (rest.last_uid, rest.done, rest.total) == (5, 1, 1)
    keys = [letter.key for batch in (first, second, rest) for letter in batch.letters]
    assert keys == [parse(path.read_bytes(), "x").key for path in MAIL[:5]]


def test_several_folders_are_read_in_turn(dovecot: ImapServer, dovecot_folder: str) -> None:
    other = dovecot_folder[:50] + "-other"
    dovecot.create(other)
    fill(dovecot, dovecot_folder, 2)
    fill(dovecot, other, 1)
    got = read_all(dovecot.account(folders=(dovecot_folder, other)))
    assert [(b.folder, len(b.letters)) for b in got] == [(dovecot_folder, 2), (other, 1)]
    assert [letter.sequence for b in got for letter in b.letters] == [0, 1, 2]


def test_a_folder_named_outside_ascii(dovecot: ImapServer) -> None:
    dovecot.create('"R&AOk-ponses"')  # "Réponses" in IMAP's modified UTF-7
    dovecot.append('"R&AOk-ponses"', [MAIL[3].read_bytes()])
    [batch] = read_all(dovecot.account(folders=("Réponses",)))
    assert batch.letters[0].origin == "imap seeker@127.0.0.1/Réponses uid 1"


def test_a_message_over_the_limit_is_reported_not_downloaded(
    dovecot: ImapServer, dovecot_folder: str, commands: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap, "MAX_MESSAGE", 3_000)
    big = MAIL[0].read_bytes() + b"\r\n" + b"x" * 3_000
    dovecot.append(dovecot_folder, [MAIL[1].read_bytes(), big, MAIL[2].read_bytes()])
    commands.clear()
    [batch] = read_all(dovecot.account(folders=(dovecot_folder,)))
    assert [letter.problem is None for letter in batch.letters] == [True, False, True]
    assert "bytes; messages over 30 MB are skipped" in (batch.letters[1].problem or "")
    assert batch.letters[1].origin.endswith(" uid 2")
    assert [c for c in commands if "BODY.PEEK" in c] == ["UID FETCH (UID BODY.PEEK[])"]


def test_starttls_works_with_the_cafile(
    dovecot: ImapServer, dovecot_folder: str, commands: list[str]
) -> None:
    fill(dovecot, dovecot_folder, 2)
    commands.clear()
    account = dovecot.account(
        folders=(dovecot_folder,), security="starttls", port=dovecot.starttls_port
    )
    [batch] = read_all(account)
    assert len(batch.letters) == 2
    assert commands[:3] == ["CAPABILITY", "STARTTLS", "CAPABILITY"]


def test_a_non_ascii_password_logs_in(dovecot: ImapServer) -> None:
    account = dovecot.account(user=imap_server.UTF8_USER, password=imap_server.UTF8_PASSWORD)
    [batch] = read_all(account)
    assert batch.letters == ()


def assert_one_clean_line(error: BaseException, password: str = imap_server.PASSWORD) -> str:
    """The error's text: one line, with no password in it or in anything chained to it."""
    text = str(error)
    assert "\n" not in text
    seen: BaseException | None = error
    while seen is not None:
        assert password not in str(seen) and password not in repr(seen)
        seen = seen.__cause__ or seen.__context__
    return text


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_a_certificate_it_cannot_verify_is_refused(dovecot: ImapServer, security: str) -> None:
    port = dovecot.ssl_port if security == "ssl" else dovecot.starttls_port
    with pytest.raises(MailboxError) as raised:
        read_all(dovecot.account(security=security, port=port, cafile=None))
    assert assert_one_clean_line(raised.value) == (
        f"127.0.0.1:{port}: the server's certificate could not be verified "
        "(self-signed certificate); pass --cafile for a self-signed server"
    )


def test_the_host_name_is_checked_against_the_certificate(dovecot: ImapServer) -> None:
    # 127.1 reaches 127.0.0.1, but the certificate names 127.0.0.1 and localhost only.
    with pytest.raises(MailboxError, match="Hostname mismatch"):
        read_all(dovecot.account(host="127.1"))
    assert read_all(dovecot.account(host="localhost"))


def test_a_wrong_password_is_one_line_without_the_password(own_dovecot: ImapServer) -> None:
    wrong = "hunter2-not-it"
    with pytest.raises(MailboxError) as raised:
        read_all(own_dovecot.account(password=wrong))
    assert assert_one_clean_line(raised.value, wrong) == (
        f"127.0.0.1:{own_dovecot.ssl_port}: the server refused the login for seeker "
        "([AUTHENTICATIONFAILED] Authentication failed.)"
    )


def test_an_unknown_folder_is_named(dovecot: ImapServer) -> None:
    with pytest.raises(MailboxError) as raised:
        read_all(dovecot.account(folders=("No such folder",)))
    assert assert_one_clean_line(raised.value) == (
        f"127.0.0.1:{dovecot.ssl_port}: cannot open the folder 'No such folder' "
        "(Mailbox doesn't exist: No such folder)"
    )


def test_wrong_ports_and_hosts_say_what_to_try(dovecot: ImapServer) -> None:
    cases = [
        (dict(port=dovecot.starttls_port), "use starttls"),
        (dict(security="starttls", port=dovecot.ssl_port, timeout=0.3), "0.3 seconds; if this"),
        (dict(port=imap_server.free_ports(1)[0]), "the connection was refused"),
        (dict(host="no-such-host.invalid"), "unknown host"),
    ]
    for changes, says in cases:
        with pytest.raises(MailboxError) as raised:
            read_all(dovecot.account(**changes))
        assert says in assert_one_clean_line(raised.value)


def test_the_password_is_in_no_repr() -> None:
    account = Account(host="imap.example.com", user="me", password="s3cret-Pa55")
    assert "s3cret-Pa55" not in repr(account) and "s3cret-Pa55" not in str(account)
    assert (account.port, account.folders) == (993, ("INBOX",))
    starttls = Account(host="imap.example.com", user="me", password="p", security="starttls")
    assert starttls.port == 143


def test_there_is_no_plain_text_imap() -> None:
    with pytest.raises(InvalidInput, match="security"):
        Account(host="h", user="u", password="p", security="plain")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="size"):
        next(batches(Account(host="h", user="u", password="p"), {}, size=0))


def test_a_missing_cafile_is_a_clear_error() -> None:
    account = Account(host="h", user="u", password="p", cafile="/no/such/ca.pem")
    with pytest.raises(InvalidInput, match="cafile: cannot read /no/such/ca\\.pem"):
        next(batches(account, {}))


def test_the_password_comes_from_the_environment_then_the_keyring_then_the_prompt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def prompt() -> str:
        asked.append("asked")
        return "typed"

    stored: dict[tuple[str, str], str] = {("debrief-imap", "me@imap.example.com"): "kept"}
    keyring = types.SimpleNamespace(get_password=lambda service, user: stored.get((service, user)))
    monkeypatch.setitem(sys.modules, "keyring", keyring)
    env = {"DEBRIEF_IMAP_PASSWORD": "from-env"}
    assert password_from("me", "imap.example.com", env, prompt) == "from-env"
    assert password_from("me", "imap.example.com", {}, prompt) == "kept"
    assert password_from("you", "imap.example.com", {}, prompt) == "typed"

    def locked(service: str, user: str) -> str:
        raise RuntimeError("the keyring is locked")

    monkeypatch.setitem(sys.modules, "keyring", types.SimpleNamespace(get_password=locked))
    assert password_from("me", "imap.example.com", {}, prompt) == "typed"
    monkeypatch.setitem(sys.modules, "keyring", None)  # not installed: import fails
    assert password_from("me", "imap.example.com", {}, prompt) == "typed"
    assert asked == ["asked"] * 3


def test_a_body_whose_uid_comes_after_it_is_still_matched() -> None:
    class Answering:
        def uid(self, command: str, *args: str) -> tuple[str, list[object]]:
            return "OK", [
                (b"1 (BODY[] {5}", b"hello"),
                b" UID 7)",
                (b"2 (UID 9 BODY[] {3}", b"bye"),
                b")",
                b"3 (FLAGS (\\Recent))",
            ]

    account = Account(host="h", user="u", password="p")
    assert imap._bodies(Answering(), account, [7, 9]) == {7: b"hello", 9: b"bye"}  # type: ignore[arg-type]


def test_uid_sets_join_only_neighbours() -> None:
    assert imap._uid_set([1, 2, 3, 7, 9, 10]) == "1:3,7,9:10"
