"""Serving the web app: the host names it answers, a time limit on slow request heads, and
several worker processes.

`debrief serve` decides what to serve (`ServeOptions`) and hands it to `run`. One worker serves
the app made in the command's own process; several are started by uvicorn, each making its own
app over its own connection to the journal (`app_from_environment`), all sharing the key that
signs CSRF tokens, so a form served by one worker is accepted by another.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from uvicorn.protocols.http.h11_impl import H11Protocol

from debrief.web import LOCAL_HOSTS

if TYPE_CHECKING:
    import asyncio

    from fastapi import FastAPI

# How long a client may take to send a request's head (its line and headers) once connected or
# after its last response; a connection that is slower is closed (slowloris).
HEAD_TIMEOUT_SECONDS = 10.0
KEEP_ALIVE_SECONDS = 5  # an idle keep-alive connection is closed after this
WILDCARDS = frozenset({"0.0.0.0", "::", ""})
OPTIONS_ENV = "DEBRIEF_SERVE_OPTIONS"  # how the command tells its workers what to serve


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """What one `debrief serve` serves, and how."""

    database_url: str
    host: str
    port: int
    allowed_hosts: tuple[str, ...]
    public_url: str | None
    csrf_key: str  # hex; the same in every worker
    workers: int = 1
    coach: bool = False  # a coach server (`debrief coach serve`), not one journal


def served_hosts(bound: str, public_url: str | None, allowed: Iterable[str]) -> tuple[str, ...]:
    """The Host names the app answers: this computer's own names, the address it is bound to,
    the machine's host name (and, bound to every interface, its addresses), the public URL's
    host and the names given with --allow-host. "*" among them answers any name."""
    names = {*LOCAL_HOSTS, *(name.strip().lower() for name in allowed if name.strip())}
    if bound not in WILDCARDS:
        names.add(bound.strip("[]").lower())
    machine = socket.gethostname().lower()
    if machine:
        names.add(machine)
        if bound in WILDCARDS:
            names.update(_addresses(machine))
    if public_url:
        host = urlsplit(public_url).hostname
        if host:
            names.add(host.lower())
    return tuple(sorted(names))


def _addresses(machine: str) -> set[str]:
    try:
        found = socket.getaddrinfo(machine, None, type=socket.SOCK_STREAM)
    except OSError:
        return set()
    return {str(info[4][0]).lower() for info in found}


def public_url_problem(url: str) -> str | None:
    """What is wrong with a --public-url, or None."""
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed IPv6 bracket, say
        return "is not a valid address"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an http:// or https:// address with a host name, like https://example.org"
    try:
        parts.port  # noqa: B018  # raises on a port that is not a number
    except ValueError:
        return "has a port that is not a number"
    if parts.query or parts.fragment:
        return "must not have a query or a fragment"
    return None


def run(options: ServeOptions, app: FastAPI | None = None) -> None:
    """Serve until stopped: `app` in this process with one worker, else `options.workers`
    processes, each with an app of its own."""
    import uvicorn

    settings: dict[str, Any] = {
        "host": options.host,
        "port": options.port,
        "log_level": "warning",
        "http": HeadTimedH11Protocol,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
    }
    if options.workers == 1 and app is not None:
        uvicorn.run(app, workers=1, **settings)
        return
    os.environ[OPTIONS_ENV] = json.dumps(asdict(options))
    uvicorn.run(
        "debrief.web.serving:app_from_environment",
        factory=True,
        workers=options.workers,
        **settings,
    )


def app_from_environment() -> FastAPI:
    """The app of one worker, from the options its `debrief serve` left in the environment."""
    from debrief.journal import Journal
    from debrief.web import create_app

    options = ServeOptions(**json.loads(os.environ[OPTIONS_ENV]))
    if options.coach:
        from debrief.coach.store import Directory
        from debrief.web.coach import create_coach_app

        return create_coach_app(
            Directory.open(options.database_url),
            allowed_hosts=options.allowed_hosts,
            public_url=options.public_url,
            csrf_key=bytes.fromhex(options.csrf_key),
            close_directory=True,
        )
    journal = Journal.open(options.database_url)
    return create_app(
        journal,
        allowed_hosts=options.allowed_hosts,
        public_url=options.public_url,
        warm=True,
        csrf_key=bytes.fromhex(options.csrf_key),
        close_journal=True,
    )


class HeadTimedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline on each request head: a connection whose
    head has not come in whole in time is closed (uvicorn has only the idle keep-alive timeout,
    which the first byte of a head cancels)."""

    _head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def handle_events(self) -> None:
        waiting = self.cycle
        super().handle_events()
        if self.cycle is not waiting:  # a whole head came in: its request is under way
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._head_deadline = self.loop.call_later(HEAD_TIMEOUT_SECONDS, self._too_slow)

    def _disarm(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _too_slow(self) -> None:
        self._head_deadline = None
        if self.cycle is not None and not self.cycle.response_complete:
            return  # a request is under way (one pipelined behind the last response, say)
        if not self.transport.is_closing():
            self.transport.close()
