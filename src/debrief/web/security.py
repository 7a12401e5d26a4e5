"""The web app's guards: security headers, request size limits, trusted hosts and CSRF.

Feedback is free text from strangers, so every page is served with a Content-Security-Policy
that allows scripts only from the app's own files (or, for the report, only the exact scripts it
ships, by hash): even text that slipped past escaping could not run. State-changing forms carry
a CSRF token that must match a cookie the app set (double submit), and the cookie must carry the
app's own signature, so a cookie planted by another site (a sibling domain, a plain-HTTP page)
is not taken; state-changing JSON requests must say `Content-Type: application/json`, which a
page on another site cannot send without a CORS preflight the app never grants. The app answers
only the host names it is served under (DNS rebinding), and a state-changing request from a
browser must come from one of its own origins.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from typing import Any, Final
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE: Final = "debrief_csrf"
CSRF_FIELD: Final = "csrf_token"
MAX_BODY_BYTES: Final = 2_000_000  # a pasted e-mail of 100,000 characters, form-encoded, fits
# Files uploaded to import (a tracker's spreadsheet, a mail export) may be larger.
MAX_UPLOAD_BYTES: Final = 25_000_000
UPLOAD_PATHS: Final = frozenset({"/import"})
# A request body that stops coming for this long is cut off (408): a slow client must not hold
# a worker. (The request head has its own limit, in `serving`.)
BODY_TIMEOUT_SECONDS: Final = 20.0


def body_limit(path: str) -> int:
    """The most bytes a request to `path` may send."""
    return MAX_UPLOAD_BYTES if path in UPLOAD_PATHS else MAX_BODY_BYTES


CSP: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_TOKEN: Final = re.compile(r"([A-Za-z0-9_\-]{32})\.([A-Za-z0-9_\-]{32})")
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})


def csp_with_scripts(hashes: Iterable[str]) -> str:
    """The policy for a page whose own inline scripts are allowed by their SHA-256 hashes."""
    allowed = " ".join(f"'sha256-{h}'" for h in hashes)
    return CSP.replace("script-src 'self'", f"script-src 'self' {allowed}")


def new_csrf_key() -> bytes:
    """A key to sign CSRF tokens with: one per server (its workers share it), never stored."""
    return secrets.token_bytes(32)


def new_csrf_token(key: bytes) -> str:
    """A fresh token for the CSRF cookie: a random part and its signature by `key`."""
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_signature(key, nonce)}"


def csrf_signed(key: bytes, token: str) -> bool:
    """Whether `token` is one this server made (its signature checked in constant time)."""
    found = _TOKEN.fullmatch(token)
    return found is not None and hmac.compare_digest(
        _signature(key, found[1]).encode(), found[2].encode()
    )


def _signature(key: bytes, nonce: str) -> str:
    digest = hmac.new(key, nonce.encode(), hashlib.sha256).digest()[:24]
    return base64.urlsafe_b64encode(digest).decode()


def csrf_matches(issued: str | None, given: str | None) -> bool:
    """Whether a form's token is the one this server issued to the browser (compared as bytes,
    in constant time)."""
    if not issued or not given:
        return False
    return hmac.compare_digest(issued.encode(), given.encode())


def origin_of(url: str) -> str:
    """The origin ("scheme://host[:port]", lower case, default ports left out) of a URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # not a URL (an unclosed IPv6 bracket, say): no origin of ours
        return ""
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        return ""
    if port is None or (scheme, port) in (("http", 80), ("https", 443)):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def host_name(host_header: str) -> str:
    """The name in a Host header, without its port or IPv6 brackets, lower case."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Refused(HTTPException):
    """A request the guards turn away. An HTTP error, so a refusal raised while the app reads
    the body (too large, too slow) keeps its status wherever it passes."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(status, message)
        self.status = status
        self.message = message


class GuardMiddleware:
    """Pure ASGI middleware: trusted Host, body size, JSON-only state changes under /api/,
    and security headers (plus the CSRF cookie) on every response."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        allowed_hosts: Iterable[str] = ("*",),
        origins: Iterable[str] = (),
        csrf_key: bytes | None = None,
    ) -> None:
        self.app = app
        self.allowed_hosts = frozenset(host_name(h) if h != "*" else h for h in allowed_hosts)
        # Origins besides the request's own host that may change the journal: the public URL's
        # (a tunnel or proxy in front may pass on a Host of its own).
        self.origins = frozenset(origin_of(o) for o in origins)
        self.csrf_key = csrf_key or new_csrf_key()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        try:
            self._check(scope, headers)
        except Refused as refused:
            await _plain_response(send, refused.status, refused.message)
            return
        # Only a token this server made is echoed into pages or accepted (a cookie planted with
        # a narrower path comes first: the signed one after it is taken).
        cookie = next(
            (c for c in cookie_values(headers, CSRF_COOKIE) if csrf_signed(self.csrf_key, c)), None
        )
        token = cookie or new_csrf_token(self.csrf_key)
        scope.setdefault("state", {})["csrf_token"] = token
        received = 0
        body_done = False
        limit = body_limit(scope["path"])

        async def limited_receive() -> Message:
            nonlocal received, body_done
            if body_done:  # waiting for a disconnect, not for the body: no time limit
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), BODY_TIMEOUT_SECONDS)
            except TimeoutError:
                raise Refused(408, "the request body came too slowly") from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:  # chunked bodies say no length up front
                    raise Refused(413, f"the request is larger than {limit:,} bytes")
                body_done = not message.get("more_body", False)
            return message

        started = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                response_headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in response_headers}
                for name, value in _security_headers():
                    if name not in present:
                        response_headers.append((name, value))
                if cookie is None:
                    response_headers.append(
                        (
                            b"set-cookie",
                            f"{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict".encode(),
                        )
                    )
                message = {**message, "headers": response_headers}
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Refused as refused:
            if started:
                raise
            await _plain_response(send, refused.status, refused.message)

    def _check(self, scope: Scope, headers: Headers) -> None:
        host = host_name(headers.get("host", ""))
        # The address the connection came in on, asked for by number, is this server's own
        # (a page that rebinds a name of its own sends that name, never the address).
        arrived_on = str((scope.get("server") or ("",))[0]).lower()
        ours = host in self.allowed_hosts or (arrived_on != "" and host == arrived_on)
        if "*" not in self.allowed_hosts and not ours:
            raise Refused(400, "this host name is not served here")
        length = headers.get("content-length")
        limit = body_limit(scope["path"])
        if length is not None and not (
            length.isascii() and length.isdigit() and int(length) <= limit
        ):
            raise Refused(413, f"the request is larger than {limit:,} bytes")
        method = scope["method"]
        if method in SAFE_METHODS:
            return
        origin = headers.get("origin")
        if origin is not None:
            # "null" comes from sandboxed frames and local files: never from the app's pages.
            origin_host = origin.split("://", 1)[-1].split("/", 1)[0].lower()
            own = origin_host == headers.get("host", "").lower()
            if origin == "null" or not (own or origin_of(origin) in self.origins):
                raise Refused(403, "a page on another site cannot change this journal")
        path: str = scope["path"]
        if path.startswith("/api/") and method != "DELETE":
            kind = headers.get("content-type", "").split(";", 1)[0].strip().lower()
            if kind != "application/json":
                raise Refused(415, "send the request body as JSON (Content-Type: application/json)")


def _security_headers() -> list[tuple[bytes, bytes]]:
    return [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        # A partner's link carries its token in the path: never send it to another site as a
        # Referer. (Not "no-referrer": that makes the browser send `Origin: null` on the app's
        # own forms, and a null origin is what a sandboxed attacker's page sends.)
        (b"referrer-policy", b"same-origin"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]


def cookie_values(headers: Headers, name: str) -> list[str]:
    """The values of every cookie called `name`, in the order the browser sent them."""
    found = []
    for part in headers.get("cookie", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            found.append(value)
    return found


async def _plain_response(send: Send, status: int, message: str) -> None:
    body = message.encode()
    headers: list[Any] = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *_security_headers(),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
