"""The web app's guards: security headers, request size limits, trusted hosts and CSRF.

Feedback is free text from strangers, so every page is served with a Content-Security-Policy
that allows scripts only from the app's own files (or, for the report, only the exact scripts it
ships, by hash): even text that slipped past escaping could not run. State-changing forms carry
a CSRF token that must match a cookie the app set (double submit); state-changing JSON requests
must say `Content-Type: application/json`, which a page on another site cannot send without a
CORS preflight the app never grants.
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Iterable
from typing import Any, Final

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE: Final = "debrief_csrf"
CSRF_FIELD: Final = "csrf_token"
MAX_BODY_BYTES: Final = 2_000_000  # a pasted e-mail of 100,000 characters, form-encoded, fits
# Files uploaded to import (a tracker's spreadsheet, a mail export) may be larger.
MAX_UPLOAD_BYTES: Final = 25_000_000
UPLOAD_PATHS: Final = frozenset({"/import"})


def body_limit(path: str) -> int:
    """The most bytes a request to `path` may send."""
    return MAX_UPLOAD_BYTES if path in UPLOAD_PATHS else MAX_BODY_BYTES


CSP: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
_TOKEN: Final = re.compile(r"[A-Za-z0-9_\-]{43}")
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})


def csp_with_scripts(hashes: Iterable[str]) -> str:
    """The policy for a page whose own inline scripts are allowed by their SHA-256 hashes."""
    allowed = " ".join(f"'sha256-{h}'" for h in hashes)
    return CSP.replace("script-src 'self'", f"script-src 'self' {allowed}")


def new_csrf_token() -> str:
    """A fresh token for the CSRF cookie."""
    return secrets.token_urlsafe(32)


def csrf_matches(cookie: str | None, given: str | None) -> bool:
    """Whether a form's token is the cookie's (compared in constant time)."""
    if not cookie or not given:
        return False
    return hmac.compare_digest(cookie.encode(), given.encode())


class Refused(Exception):
    """A request the guards turn away before the app sees it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class GuardMiddleware:
    """Pure ASGI middleware: trusted Host, body size, JSON-only state changes under /api/,
    and security headers (plus the CSRF cookie) on every response."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: Iterable[str] = ("*",)) -> None:
        self.app = app
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts)

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
        cookie = _cookie(headers, CSRF_COOKIE)
        if cookie is not None and not _TOKEN.fullmatch(cookie):
            cookie = None  # only a token this app could have made is echoed into pages
        token = cookie or new_csrf_token()
        scope.setdefault("state", {})["csrf_token"] = token
        received = 0
        limit = body_limit(scope["path"])

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise Refused(413, f"the request is larger than {limit:,} bytes")
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
        host = headers.get("host", "").rsplit(":", 1)[0].strip("[]").lower()
        if "*" not in self.allowed_hosts and host not in self.allowed_hosts:
            raise Refused(400, "this host name is not served here")
        length = headers.get("content-length")
        limit = body_limit(scope["path"])
        if length is not None and (not length.isdigit() or int(length) > limit):
            raise Refused(413, f"the request is larger than {limit:,} bytes")
        method = scope["method"]
        if method in SAFE_METHODS:
            return
        origin = headers.get("origin")
        if origin is not None:
            # "null" comes from sandboxed frames and local files: never from the app's pages.
            origin_host = origin.split("://", 1)[-1].split("/", 1)[0].lower()
            if origin == "null" or origin_host != headers.get("host", "").lower():
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


def _cookie(headers: Headers, name: str) -> str | None:
    for part in headers.get("cookie", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value
    return None


async def _plain_response(send: Send, status: int, message: str) -> None:
    body = message.encode()
    headers: list[Any] = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *_security_headers(),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
