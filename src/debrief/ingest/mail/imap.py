"""Reading mail straight from an IMAP server: read-only, over verified TLS, in batches that resume.

A folder is opened with EXAMINE and its messages are fetched with BODY.PEEK[], so nothing on the
server changes, not even a \\Seen flag. What a caller keeps per folder is a `FolderState`: the
folder's UIDVALIDITY and the highest UID read. Stored after each batch is written, it makes the
next run (or an interrupted one) ask only for what came after; a changed UIDVALIDITY means the
server renumbered the folder, which is then read from the start (Message-IDs keep that from
importing anything twice). Every message becomes a `Letter` through `read.parse`; one over
`read.MAX_MESSAGE` is not downloaded. The password never appears in a repr, an origin or an error.
"""

from __future__ import annotations

import base64
import imaplib
import itertools
import re
import socket
import ssl
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

from debrief.errors import InvalidInput, MailboxError
from debrief.ingest.mail.read import MAX_MESSAGE, Letter, parse, unreadable

Security = Literal["ssl", "starttls"]
PORTS = {"ssl": 993, "starttls": 143}
PASSWORD_ENV = "DEBRIEF_IMAP_PASSWORD"
KEYRING_SERVICE = "debrief-imap"
# IMAP dates are English whatever the locale, so not strftime's %b.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, kw_only=True)
class Account:
    """A mailbox on an IMAP server and how to log in to it; TLS is always on and verified."""

    host: str
    port: int = 0  # 0: the usual port for `security` (993, or 143 for STARTTLS)
    user: str
    password: str = field(repr=False)
    security: Security = "ssl"
    folders: tuple[str, ...] = ("INBOX",)
    since: date | None = None  # only messages that arrived on or after this day
    cafile: str | None = None  # the CA to trust instead of the system's, for a self-signed server
    timeout: float = 30.0  # seconds without an answer before giving up

    def __post_init__(self) -> None:
        if self.security not in PORTS:
            raise InvalidInput("security", f"must be 'ssl' or 'starttls', not {self.security!r}")
        if not self.port:
            object.__setattr__(self, "port", PORTS[self.security])

    @property
    def server(self) -> str:
        """host:port, as errors name the server."""
        return f"{self.host}:{self.port}"

    @property
    def login(self) -> str:
        """user@host, as each letter's origin names the mailbox."""
        return f"{self.user}@{self.host}"


@dataclass(frozen=True)
class FolderState:
    """How far a folder has been read: the UIDVALIDITY its UIDs belong to, and the highest."""

    folder: str
    uidvalidity: int
    last_uid: int


@dataclass(frozen=True)
class Batch:
    """Messages read from one folder, and where the folder stands once they are written."""

    folder: str
    uidvalidity: int
    last_uid: int  # the highest UID in this batch
    letters: tuple[Letter, ...]
    total: int  # messages to fetch from this folder in this run
    done: int  # of which fetched so far, this batch included

    @property
    def state(self) -> FolderState:
        """The state to store once this batch is written."""
        return FolderState(self.folder, self.uidvalidity, self.last_uid)


def batches(
    account: Account, known: Mapping[str, FolderState], *, size: int = 200
) -> Iterator[Batch]:
    """The messages that came after `known`, folder by folder in UID order, `size` at a time;
    a folder with nothing new gives one empty batch. Connects on the first `next`."""
    if size < 1:
        raise InvalidInput("size", "must be at least 1")
    numbers = itertools.count()
    with _session(account) as imap:
        for folder in account.folders:
            yield from _folder_batches(imap, account, folder, known.get(folder), size, numbers)


def password_from(user: str, host: str, env: Mapping[str, str], prompt: Callable[[], str]) -> str:
    """The password: $DEBRIEF_IMAP_PASSWORD, else the system keyring's for user@host (when the
    keyring package is installed), else what `prompt` asks for."""
    if env.get(PASSWORD_ENV):
        return env[PASSWORD_ENV]
    try:
        import keyring
    except ImportError:
        return prompt()
    try:
        stored = keyring.get_password(KEYRING_SERVICE, f"{user}@{host}")
    except Exception:  # no usable backend, a locked keyring: ask instead
        stored = None
    return stored if isinstance(stored, str) and stored else prompt()


@contextmanager
def _session(account: Account) -> Iterator[imaplib.IMAP4]:
    """A logged-in connection, logged out and closed however the reading ends."""
    with _reported(account):
        imap = _connect(account)
        try:
            _login(imap, account)
            yield imap
        finally:
            with suppress(imaplib.IMAP4.error, OSError):
                imap.logout()
            with suppress(OSError):
                imap.shutdown()


@contextmanager
def _reported(account: Account) -> Iterator[None]:
    """Network and TLS failures as one `MailboxError` a person can act on."""
    try:
        yield
    except ssl.SSLCertVerificationError as error:
        raise MailboxError(
            account.server,
            f"the server's certificate could not be verified ({error.verify_message}); "
            "pass --cafile for a self-signed server",
        ) from error
    except ssl.SSLError as error:
        hint = ""
        if error.reason == "WRONG_VERSION_NUMBER" and account.security == "ssl":
            hint = "; if this port takes STARTTLS (143 does), use starttls"
        raise MailboxError(account.server, f"TLS failed ({error.reason or error}){hint}") from error
    except ConnectionRefusedError as error:
        raise MailboxError(
            account.server, "the connection was refused (is the host or port wrong?)"
        ) from error
    except TimeoutError as error:
        hint = ""
        if account.security == "starttls":
            hint = "; if this port takes TLS from the start (993 does), use ssl"
        raise MailboxError(
            account.server, f"no answer within {account.timeout:g} seconds{hint}"
        ) from error
    except socket.gaierror as error:
        raise MailboxError(account.server, f"unknown host ({error.strerror})") from error
    except OSError as error:
        raise MailboxError(account.server, f"cannot talk to the server ({error})") from error
    except imaplib.IMAP4.error as error:  # abort included: the server hung up or spoke nonsense
        raise MailboxError(
            account.server, f"the server failed ({_scrubbed(error, account.password)})"
        ) from None


def _connect(account: Account) -> imaplib.IMAP4:
    try:
        context = ssl.create_default_context(cafile=account.cafile)
    except (OSError, ssl.SSLError) as error:
        raise InvalidInput("cafile", f"cannot read {account.cafile} ({error})") from error
    if account.security == "ssl":
        return imaplib.IMAP4_SSL(
            account.host, account.port, ssl_context=context, timeout=account.timeout
        )
    imap = imaplib.IMAP4(account.host, account.port, timeout=account.timeout)
    try:
        if "STARTTLS" not in imap.capabilities:
            raise MailboxError(account.server, "the server does not offer STARTTLS")
        imap.starttls(ssl_context=context)
    except BaseException:
        with suppress(OSError):
            imap.shutdown()
        raise
    return imap


def _login(imap: imaplib.IMAP4, account: Account) -> None:
    try:
        if account.user.isascii() and account.password.isascii():
            imap.login(_quoted(account.user), account.password)
        else:  # LOGIN is ASCII only; SASL PLAIN carries UTF-8
            credentials = f"\0{account.user}\0{account.password}".encode()
            imap.authenticate("PLAIN", lambda _challenge: credentials)
    except imaplib.IMAP4.abort:
        raise
    except imaplib.IMAP4.error as error:
        # from None: the server's own words are in the message, and nothing else may carry
        # the password along.
        reason = _scrubbed(error, account.password)
        raise MailboxError(
            account.server, f"the server refused the login for {account.user} ({reason})"
        ) from None


def _folder_batches(
    imap: imaplib.IMAP4,
    account: Account,
    folder: str,
    known: FolderState | None,
    size: int,
    numbers: Iterator[int],
) -> Iterator[Batch]:
    status, answer = imap.select(_mailbox(folder), readonly=True)  # EXAMINE, never SELECT
    if status != "OK":
        raise MailboxError(account.server, f"cannot open the folder {folder!r} ({_said(answer)})")
    uidvalidity = int(imap.response("UIDVALIDITY")[1][-1] or 0)
    last = known.last_uid if known and known.uidvalidity == uidvalidity else 0
    criteria = ["UID", f"{last + 1}:*"]
    if account.since:
        since = account.since
        criteria += ["SINCE", f"{since.day:02d}-{MONTHS[since.month - 1]}-{since.year}"]
    status, answer = imap.uid("SEARCH", *criteria)
    if status != "OK":
        raise MailboxError(account.server, f"cannot search {folder!r} ({_said(answer)})")
    # "n:*" always matches the last message, even one below n.
    found = b" ".join(part for part in answer if isinstance(part, bytes)).split()
    uids = sorted(uid for uid in map(int, found) if uid > last)
    if not uids:
        yield Batch(folder, uidvalidity, last, (), 0, 0)
        return
    for start in range(0, len(uids), size):
        chunk = uids[start : start + size]
        letters = _fetch(imap, account, folder, chunk)
        yield Batch(
            folder,
            uidvalidity,
            chunk[-1],
            tuple(replace(letter, sequence=next(numbers)) for letter in letters),
            len(uids),
            start + len(chunk),
        )


def _fetch(imap: imaplib.IMAP4, account: Account, folder: str, uids: list[int]) -> list[Letter]:
    """The messages with these UIDs, in their order; one deleted meanwhile is left out."""
    sizes = _sizes(imap, account, uids)
    wanted = [uid for uid in uids if 0 < sizes.get(uid, 0) <= MAX_MESSAGE]
    bodies = _bodies(imap, account, wanted) if wanted else {}
    letters = []
    for uid in uids:
        origin = f"imap {account.login}/{folder} uid {uid}"
        if sizes.get(uid, 0) > MAX_MESSAGE:
            problem = f"is {sizes[uid]:,} bytes; messages over 30 MB are skipped"
            letters.append(unreadable(origin, problem))
        elif uid in bodies:
            # IMAP sends lines ending CRLF, files end them LF: one message reads the same
            # from either.
            letters.append(parse(bodies[uid].replace(b"\r\n", b"\n"), origin))
    return letters


_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")


def _sizes(imap: imaplib.IMAP4, account: Account, uids: list[int]) -> dict[int, int]:
    sizes = {}
    for part in _uid_fetch(imap, account, uids, "(UID RFC822.SIZE)"):
        line = part[0] if isinstance(part, tuple) else part
        uid, octets = _UID.search(line), _SIZE.search(line)
        if uid and octets:
            sizes[int(uid[1])] = int(octets[1])
    return sizes


def _bodies(imap: imaplib.IMAP4, account: Account, uids: list[int]) -> dict[int, bytes]:
    answer = _uid_fetch(imap, account, uids, "(UID BODY.PEEK[])")
    bodies = {}
    for index, part in enumerate(answer):
        if isinstance(part, tuple):
            # Some servers name the UID after the body, in the line that closes it.
            after = answer[index + 1] if index + 1 < len(answer) else b""
            uid = _UID.search(part[0]) or _UID.search(after if isinstance(after, bytes) else b"")
            if uid:
                bodies[int(uid[1])] = part[1]
    return bodies


def _uid_fetch(
    imap: imaplib.IMAP4, account: Account, uids: list[int], items: str
) -> list[bytes | tuple[bytes, bytes]]:
    status, answer = imap.uid("FETCH", _uid_set(uids), items)
    if status != "OK":
        raise MailboxError(account.server, f"cannot fetch messages ({_said(answer)})")
    return [part for part in answer if isinstance(part, bytes | tuple)]


def _uid_set(uids: list[int]) -> str:
    """1,2,3,7 as "1:3,7"; only UIDs that follow one another are joined, since a range also
    takes in messages a SINCE left out."""
    runs = []
    for _, run in itertools.groupby(enumerate(uids), lambda pair: pair[1] - pair[0]):
        numbers = [uid for _, uid in run]
        runs.append(f"{numbers[0]}:{numbers[-1]}" if len(numbers) > 1 else str(numbers[0]))
    return ",".join(runs)


def _mailbox(name: str) -> str:
    """A folder name as IMAP writes it: modified UTF-7 (RFC 3501 5.1.3), quoted."""
    parts = []
    for printable, run in itertools.groupby(name, lambda char: " " <= char <= "~"):
        text = "".join(run)
        if printable:
            parts.append(text.replace("&", "&-"))
        else:
            encoded = base64.b64encode(text.encode("utf-16-be")).decode("ascii").rstrip("=")
            parts.append("&" + encoded.replace("/", ",") + "-")
    return _quoted("".join(parts))


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# Dovecot ends its answers with how long they took: "(0.001 + 0.000 secs)." (Spaces are read
# from the first of a run, (?<!\s), as docs/triage.md says.)
_TIMING = re.compile(r"(?<!\s)\s*\([\d.]+( \+ [\d.]+)* secs\)\.?$")


def _said(answer: Sequence[object]) -> str:
    """What the server said, as one line of text."""
    last = answer[-1] if answer else b""
    text = last.decode("utf-8", "replace") if isinstance(last, bytes) else str(last)
    return _TIMING.sub("", " ".join(text.split()))


def _scrubbed(error: Exception, password: str) -> str:
    """An error's text, decoded, with the password cut out should a server echo it."""
    text = _said(error.args) if error.args else type(error).__name__
    return text.replace(password, "***") if password else text
