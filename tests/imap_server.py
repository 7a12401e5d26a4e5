"""A throwaway Dovecot IMAP server for the tests: Debian's `dovecot` run in the foreground from a
temporary directory, with its own configuration, a self-signed certificate for 127.0.0.1 made by
`openssl`, one user in a passwd-file and a maildir. It listens on 127.0.0.1 only, on two free
ports (IMAP with STARTTLS, and IMAPS), requires TLS, and runs as the current user, root included.
"""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import re
import socket
import ssl
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from debrief.ingest.mail.imap import Account

DOVECOT = os.environ.get("DEBRIEF_TEST_DOVECOT", "/usr/sbin/dovecot")
HOST = "127.0.0.1"
USER = "seeker"
PASSWORD = "correct horse battery staple"
# A second user whose password is not ASCII (LOGIN cannot carry it; SASL PLAIN can). Dovecot
# takes only ASCII user names unless told otherwise.
UTF8_USER, UTF8_PASSWORD = "jorg", "pässwörd €"


@dataclass
class ImapServer:
    """A running Dovecot and what a client needs to reach it."""

    root: Path
    process: subprocess.Popen[bytes]
    starttls_port: int
    ssl_port: int
    cafile: Path
    user: str = USER
    password: str = PASSWORD

    def account(self, **changes: Any) -> Account:
        """The test user's account over IMAPS, trusting the server's certificate."""
        settings: dict[str, Any] = dict(
            host=HOST,
            port=self.ssl_port,
            user=self.user,
            password=self.password,
            cafile=str(self.cafile),
        )
        return Account(**(settings | changes))

    def connect(self) -> imaplib.IMAP4_SSL:
        """A logged-in IMAPS connection, to fill and inspect the mailbox."""
        context = ssl.create_default_context(cafile=str(self.cafile))
        imap = imaplib.IMAP4_SSL(HOST, self.ssl_port, ssl_context=context, timeout=10)
        imap.login(self.user, self.password)
        return imap

    def create(self, folder: str) -> None:
        """An empty folder, made anew (with a new UIDVALIDITY) if it was there."""
        imap = self.connect()
        try:
            imap.delete(folder)
            status, answer = imap.create(folder)
            assert status == "OK", answer
        finally:
            imap.logout()

    def append(
        self, folder: str, messages: Iterable[bytes], arrived: datetime | None = None
    ) -> None:
        """Messages added through IMAP APPEND, unread, arrived at `arrived` (default: now)."""
        imap = self.connect()
        try:
            for message in messages:
                status, answer = imap.append(folder, "", arrived or time.time(), message)
                assert status == "OK", answer
        finally:
            imap.logout()

    def flags(self, folder: str) -> dict[int, str]:
        """Each message's flags, by UID, read without changing them."""
        imap = self.connect()
        try:
            imap.select(folder, readonly=True)
            status, answer = imap.uid("FETCH", "1:*", "(UID FLAGS)")
            assert status == "OK", answer
            found = {}
            for line in answer:
                uid, flags = re.search(rb"UID (\d+)", line), re.search(rb"FLAGS \(([^)]*)\)", line)
                if uid and flags:
                    found[int(uid[1])] = flags[1].decode()
            return found
        finally:
            imap.logout()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text("utf-8", "replace") if path.exists() else ""


def free_ports(count: int) -> list[int]:
    """Ports nothing listens on, all different (each held until all are chosen)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind((HOST, 0))
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def make_certificate(root: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, and its key."""
    cert, key = root / "cert.pem", root / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def configuration(root: Path, cert: Path, key: Path, starttls_port: int, ssl_port: int) -> str:
    """dovecot.conf for a server that lives in `root` and runs as the current user."""
    me = pwd.getpwuid(os.getuid())
    if os.getuid() == 0:
        # Dovecot will not run its login processes or touch mail as root. As root, both run as
        # nobody: the login processes chrooted (their default), the mail processes chrooted into
        # home/ (a "/./" in the home names the chroot), since nobody cannot reach a
        # root-only temporary directory.
        nobody = pwd.getpwnam("nobody")
        login_user, unchrooted = nobody.pw_name, ()
        mail_uid, mail_gid, home = nobody.pw_uid, nobody.pw_gid, f"{root}/home/./%u"
    else:
        # Anyone else runs everything as themselves, and cannot chroot.
        login_user, unchrooted = me.pw_name, ("imap-login", "anvil", "ipc")
        mail_uid, mail_gid, home = me.pw_uid, me.pw_gid, f"{root}/home/%u"
    services = "".join(f"service {name} {{\n  chroot =\n}}\n" for name in unchrooted)
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = {HOST}
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {me.pw_name}
default_internal_group = {grp.getgrgid(me.pw_gid).gr_name}
default_login_user = {login_user}
first_valid_uid = {mail_uid}
first_valid_gid = {mail_gid}
valid_chroot_dirs = {root}/home
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/users
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={home}
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    port = {starttls_port}
  }}
  inet_listener imaps {{
    port = {ssl_port}
    ssl = yes
  }}
}}
service auth-worker {{
  user = {me.pw_name}
}}
{services}"""


def start(root: Path, dovecot: str) -> ImapServer:
    """Start Dovecot (the `dovecot` binary at that path) in `root`, and wait until it answers."""
    for name in ("run", "state", "home", f"home/{USER}", f"home/{UTF8_USER}"):
        (root / name).mkdir()
        if os.getuid() == 0 and name.startswith("home/"):
            nobody = pwd.getpwnam("nobody")
            os.chown(root / name, nobody.pw_uid, nobody.pw_gid)
    cert, key = make_certificate(root)
    (root / "users").write_text(
        f"{USER}:{{PLAIN}}{PASSWORD}\n{UTF8_USER}:{{PLAIN}}{UTF8_PASSWORD}\n", "utf-8"
    )
    starttls_port, ssl_port = free_ports(2)
    conf = root / "dovecot.conf"
    conf.write_text(configuration(root, cert, key, starttls_port, ssl_port), "utf-8")
    with (root / "stderr.log").open("wb") as stderr:
        process = subprocess.Popen(
            [dovecot, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=stderr
        )
    server = ImapServer(root, process, starttls_port, ssl_port, cert)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            server.connect().logout()
            return server
        except (OSError, imaplib.IMAP4.error):
            time.sleep(0.05)
    server.stop()
    stderr = (root / "stderr.log").read_text("utf-8", "replace")
    raise RuntimeError(f"Dovecot did not start:\n{stderr}{server.log()}")
