"""Reading mail exports: .eml files, folders of them and mbox files, one message at a time.

Real mail is messy, so nothing here may stop an import: a message that cannot be read becomes a
`Letter` with its `problem` set and the reading goes on. The text of a message is its plain-text
part, else its HTML converted to text (block elements become line breaks; scripts, styles and
images are dropped); attachments are never decoded, and a text part is cut at `MAX_TEXT`.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import email.utils
import hashlib
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from email.header import decode_header, make_header
from email.message import Message
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

MAX_MESSAGE = 30_000_000  # bytes of one message; a bigger one (attachments) is skipped
MAX_TEXT = 200_000  # characters of text kept from one message
MAX_HEADER = 2_000


@dataclass(frozen=True, slots=True)
class Letter:
    """One message as the classifier sees it."""

    origin: str  # "file.eml", "inbox.mbox #12"
    key: str  # Message-ID, else a hash of the raw message: what makes re-imports idempotent
    sender_name: str
    sender_address: str
    subject: str
    sent_at: datetime | None  # when it was sent, in UTC
    text: str
    problem: str | None = None  # set when the message could not be read
    sequence: int = 0  # its place in the order it was read (ties on the send time)
    sent: date | None = None  # the day it was sent, in the sender's time zone
    recipients: tuple[str, ...] = ()  # the display names in To: (the user's own name, mostly)
    bulk: bool = False  # sent to a list (List-Unsubscribe, List-Id, Precedence: bulk)


def messages(paths: list[Path]) -> Iterator[Letter]:
    """Every message under the paths (files, folders of .eml, mbox files), in path order,
    each numbered in that order."""
    for number, letter in enumerate(_messages(paths)):
        yield replace(letter, sequence=number)


def _messages(paths: list[Path]) -> Iterator[Letter]:
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in (".eml", ".msg", ".txt"):
                    yield read_file(child, child.relative_to(path).as_posix())
                elif child.is_file() and child.suffix.lower() in (".mbox", ".mbx"):
                    yield from read_mbox(child)
        elif _looks_like_mbox(path):
            yield from read_mbox(path)
        else:
            yield read_file(path, path.name)


def _looks_like_mbox(path: Path) -> bool:
    if path.suffix.lower() in (".mbox", ".mbx"):
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"From "
    except OSError:
        return False


def read_file(path: Path, origin: str) -> Letter:
    """One .eml file."""
    try:
        size = path.stat().st_size
        if size > MAX_MESSAGE:
            return unreadable(origin, f"is {size:,} bytes; messages over 30 MB are skipped")
        raw = path.read_bytes()
    except OSError as error:
        return unreadable(origin, error.strerror or str(error))
    return parse(raw, origin)


def read_mbox(path: Path) -> Iterator[Letter]:
    """Every message of an mbox file."""
    try:
        box = mailbox.mbox(path, create=False)
        keys = box.keys()
    except Exception as error:  # mailbox raises several kinds on a file it cannot read
        yield unreadable(path.name, f"is not a readable mbox file ({error})")
        return
    try:
        for number, key in enumerate(keys, start=1):
            origin = f"{path.name} #{number}"
            try:
                raw = box.get_bytes(key)
            except Exception as error:
                yield unreadable(origin, f"cannot be read ({error})")
                continue
            if len(raw) > MAX_MESSAGE:
                yield unreadable(origin, "is over 30 MB and is skipped")
                continue
            yield parse(raw, origin)
    finally:
        box.close()


def unreadable(origin: str, problem: str) -> Letter:
    """A letter standing for a message that cannot be read, with the reason."""
    return Letter(origin, f"unreadable:{origin}", "", "", "", None, "", problem)


# Control characters (a NUL in an encoded header, escape sequences) never reach the journal.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


def parse(raw: bytes, origin: str) -> Letter:
    """A message from its bytes; never raises."""
    try:
        # compat32 parses lazily: the headers a reading needs are decoded below, by hand,
        # at a fraction of the cost of the default policy's header objects.
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
        if not any(message.get(name) for name in ("From", "Subject", "Date", "Message-ID")):
            return unreadable(
                origin,
                "is not an e-mail message (no From, Subject or Date header); "
                "a spreadsheet is imported with `debrief import csv`",
            )
        sender_name, sender_address = _sender(message)
        subject = _header(message, "Subject")
        sent_at, local_day = _sent(message)
        text = _clean(body_text(message)[:MAX_TEXT])
        message_id = _header(message, "Message-ID").strip()
        # Without a Message-ID, what the message says is its identity: a mail client adding a
        # header or changing line endings must not make it new mail.
        content = "\n".join((sender_address, str(sent_at), subject, " ".join(text.split())))
        key = message_id or "sha256:" + hashlib.sha256(content.encode("utf-8")).hexdigest()
        return Letter(
            origin=origin,
            key=key[:500],
            sender_name=sender_name,
            sender_address=sender_address,
            subject=subject,
            sent_at=sent_at,
            text=text,
            sent=local_day,
            recipients=_recipients(message),
            bulk=bool(message.get("List-Unsubscribe") or message.get("List-Id"))
            or _header(message, "Precedence").lower() in ("bulk", "list", "junk"),
        )
    except Exception as error:  # broken MIME can fail in many places; report and go on
        return Letter(
            origin,
            "sha256:" + hashlib.sha256(raw).hexdigest(),
            "",
            "",
            "",
            None,
            "",
            f"cannot be parsed ({type(error).__name__}: {str(error)[:200]})",
        )


def _header(message: Message, name: str) -> str:
    """A header as text, with RFC 2047 encoded words decoded (broken ones kept as they are)."""
    try:
        value = message.get(name)
    except Exception:
        return ""
    if value is None:
        return ""
    raw = str(value)[: MAX_HEADER * 4]
    try:
        text = str(make_header(decode_header(raw)))
    except Exception:
        text = raw
    return _clean(" ".join(text.split()))[:MAX_HEADER]


def _sender(message: Message) -> tuple[str, str]:
    """The From: header's display name and address. The address is parsed before encoded
    words are decoded: a comma inside an encoded name ("Zoë Márquez, Tidewater") must not
    split the header."""
    try:
        raw = str(message.get("From") or "")[: MAX_HEADER * 4]
    except Exception:
        raw = ""
    name, address = email.utils.parseaddr(" ".join(raw.split()))
    if not address and not name:
        name, address = email.utils.parseaddr(_header(message, "From"))
    with contextlib.suppress(Exception):  # a broken encoded word stays as it is
        name = str(make_header(decode_header(name)))
    name = _clean(" ".join(name.strip().strip('"').split()))[:MAX_HEADER]
    return name, _clean(address.strip().lower())[:MAX_HEADER]


def _recipients(message: Message) -> tuple[str, ...]:
    """The display names of the To: header (a few; "Maren Okafor", not the address)."""
    names = []
    for raw, _ in email.utils.getaddresses([_header(message, "To")])[:10]:
        name = " ".join(raw.strip().strip('"').split())
        if name and "@" not in name:
            names.append(name[:200])
    return tuple(names)


def _sent(message: Message) -> tuple[datetime | None, date | None]:
    """When the message was sent (UTC), and the day in the sender's own time zone."""
    raw = _header(message, "Date")
    if not raw:
        return None, None
    try:
        moment = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None, None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC), moment.date()


def body_text(message: Message) -> str:
    """The message's text: its plain part, else its HTML as text, else whatever text it has."""
    plain, html = [], []
    for part in _parts(message):
        if part.is_multipart() or _is_attachment(part):
            continue
        kind = part.get_content_type()
        if kind == "text/plain":
            plain.append(_decoded(part))
        elif kind == "text/html":
            html.append(html_to_text(_decoded(part)))
    if any(p.strip() for p in plain):
        return "\n\n".join(plain)
    if any(h.strip() for h in html):
        return "\n\n".join(html)
    # A broken multipart (a boundary that matches nothing): read the raw body as text.
    payload = message.get_payload()
    raw = payload if isinstance(payload, str) else ""
    return html_to_text(raw) if "<html" in raw.lower() else _strip_mime(raw)


def _parts(message: Message) -> Iterator[Message]:
    try:
        yield from message.walk()
    except Exception:
        yield message


def _is_attachment(part: Message) -> bool:
    disposition = str(part.get("Content-Disposition", "") or "").lower()
    return disposition.startswith("attachment") or bool(part.get_filename())


def _decoded(part: Message) -> str:
    """A text part decoded whatever its charset or transfer encoding claims."""
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if not isinstance(data, bytes):
        payload = part.get_payload()
        return payload if isinstance(payload, str) else ""
    data = data[: MAX_TEXT * 4]
    charset = part.get_content_charset() or "utf-8"
    for candidate in (charset, "utf-8", "cp1252"):
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def _strip_mime(raw: str) -> str:
    """Text from a raw multipart body whose boundary is broken: drop part headers and
    boundaries, decode quoted-printable soft breaks."""
    lines = []
    for line in raw.splitlines():
        if re.match(r"^--", line) or re.match(r"^Content-[\w-]+:", line, re.I):
            continue
        lines.append(line)
    text = "\n".join(lines)
    if "=\n" in text or re.search(r"=[0-9A-F]{2}", text):
        import quopri

        text = quopri.decodestring(text.encode("utf-8", "replace")).decode("utf-8", "replace")
    return text


class _TextExtractor(HTMLParser):
    BLOCK = frozenset(
        {
            "p",
            "div",
            "br",
            "tr",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "table",
            "ul",
            "ol",
            "blockquote",
            "section",
            "article",
            "header",
            "footer",
            "hr",
        }
    )
    SKIP = frozenset({"script", "style", "head", "title", "noscript", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in self.BLOCK:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Readable text from HTML: paragraphs and line breaks kept, markup dropped."""
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
        text = "".join(parser.parts)
    except Exception:
        text = unescape(re.sub(r"<[^>]+>", " ", html))
    text = text.replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
