"""Passwords, hashed with Argon2id (RFC 9106) by argon2-cffi, and the tokens of links and
sessions, kept only as SHA-256 hashes (a stolen database opens no door)."""

from __future__ import annotations

import hashlib
import secrets
from functools import cache
from typing import TYPE_CHECKING

from debrief.errors import InvalidInput

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_PASSWORD = 10  # characters; NIST SP 800-63B asks for at least 8
MAX_PASSWORD = 256  # a passphrase fits; a megabyte pasted by mistake does not reach the hasher
TOKEN_BYTES = 32


@cache
def hasher() -> PasswordHasher:
    """argon2-cffi's hasher with its defaults (the RFC's second recommended profile)."""
    from argon2 import PasswordHasher

    return PasswordHasher()


def checked_password(password: str) -> str:
    """A new password, refused (InvalidInput) when it is too short or too long."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput("password", f"use at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InvalidInput("password", f"use at most {MAX_PASSWORD} characters")
    if not password.strip():
        raise InvalidInput("password", "use something other than spaces")
    return password


def hash_password(password: str) -> str:
    """The Argon2id hash of a new password (its salt and parameters included)."""
    return hasher().hash(checked_password(password))


def verify_password(stored: str | None, password: str) -> bool:
    """Whether `password` is the one `stored` was made from. With nothing stored (no such
    person), a hash is checked all the same, so the answer takes as long either way."""
    from argon2.exceptions import InvalidHashError, VerificationError

    if len(password) > MAX_PASSWORD:
        return False
    try:
        return hasher().verify(stored or _decoy(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether a hash was made with weaker parameters than today's."""
    return hasher().check_needs_rehash(stored)


@cache
def _decoy() -> str:
    return hasher().hash(secrets.token_urlsafe(16))


def new_token() -> str:
    """A token for a link or a session: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What is stored of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()
