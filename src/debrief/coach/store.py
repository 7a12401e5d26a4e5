"""The coach server's directory: people, their sessions and invitations, who coaches whom,
what each student shares, assignments, and the log of every change to access.

It lives in the server's database, apart from the students' journals (`coach.students`): the
directory knows people, never a search. Every change is one transaction; records handed out are
frozen. This module is the only one that touches the directory's tables.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)

from debrief.coach.passwords import (
    checked_password,
    hash_password,
    needs_rehash,
    new_token,
    token_hash,
    verify_password,
)
from debrief.errors import DebriefError, InvalidInput, NotFound
from debrief.model import clean_text, utcnow
from debrief.storage.database import create_database_engine, one_line
from debrief.storage.schema import UTCDateTime

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

ROLES = ("admin", "coach", "student")
# What a student lets their coaches see, from least to most (each level includes the ones
# before it): nothing, statuses and statistics, themes and the plan too, verbatim feedback too.
CONSENT_LEVELS = ("none", "progress", "themes", "feedback")
CONSENT_WORDS = {
    "none": "nothing (access revoked)",
    "progress": "statuses and statistics",
    "themes": "statuses, statistics, themes and the plan",
    "feedback": "everything, verbatim feedback included",
}
DIRECTORY_REVISION = "c1"
INVITE_DAYS = 7
RESET_DAYS = 2
SESSION_DAYS = 14  # a session ends this long after sign-in, whatever happens
SESSION_IDLE = timedelta(days=3)  # or after this long unused
SEEN_EVERY = timedelta(minutes=10)  # how often a session's last use is written down
# Failed sign-ins allowed per address typed and per client within the window.
LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_FAILURES_PER_EMAIL = 5
LOGIN_FAILURES_PER_CLIENT = 20
MAX_EMAIL = 254
MAX_PERSON_NAME = 120

metadata = MetaData()
people = Table(
    "coach_people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(MAX_PERSON_NAME), nullable=False),
    Column("email", String(MAX_EMAIL), nullable=False, unique=True),
    Column("role", String(10), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("archived_on", Date),
    # A student's summary as their coaches last saw it before the archive (JSON).
    Column("archived_view", Text),
    Column("created_at", UTCDateTime(), nullable=False),
    sqlite_autoincrement=True,
)
sessions = Table(
    "coach_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("person_id", ForeignKey("coach_people.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("seen_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
)
invitations = Table(
    "coach_invitations",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("kind", String(10), nullable=False),  # join, reset
    Column("role", String(10), nullable=False),
    Column("name", String(MAX_PERSON_NAME), nullable=False),
    Column("email", String(MAX_EMAIL), nullable=False),
    Column("coach_id", ForeignKey("coach_people.id", ondelete="SET NULL")),
    Column("person_id", ForeignKey("coach_people.id", ondelete="CASCADE")),  # reset: whose
    Column("invited_by", ForeignKey("coach_people.id", ondelete="SET NULL")),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
)
coaching = Table(
    "coach_links",
    metadata,
    Column("coach_id", ForeignKey("coach_people.id", ondelete="CASCADE"), primary_key=True),
    Column("student_id", ForeignKey("coach_people.id", ondelete="CASCADE"), primary_key=True),
    Column("since", UTCDateTime(), nullable=False),
)
consents = Table(
    "coach_consent",
    metadata,
    Column("student_id", ForeignKey("coach_people.id", ondelete="CASCADE"), primary_key=True),
    Column("level", String(10), nullable=False),
    Column("changed_at", UTCDateTime(), nullable=False),
)
audit_log = Table(
    "coach_audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime(), nullable=False, index=True),
    Column("actor_id", ForeignKey("coach_people.id", ondelete="SET NULL")),
    Column("actor", String(MAX_PERSON_NAME), nullable=False),  # the name, kept if they go
    Column("student_id", ForeignKey("coach_people.id", ondelete="CASCADE"), index=True),
    Column("action", String(40), nullable=False),
    Column("detail", Text, nullable=False),
    sqlite_autoincrement=True,
)
login_failures = Table(
    "coach_login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(300), nullable=False, index=True),
    Column("at", UTCDateTime(), nullable=False),
)
meta = Table(
    "coach_meta",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", String(200), nullable=False),
)


class AccessRefused(DebriefError):
    """A sign-in, link or change the directory turns down; the message says why."""


class TooManyAttempts(AccessRefused):
    """Sign-ins refused for a while after too many failures."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, round(retry_after / 60))
        super().__init__(f"too many failed sign-ins: try again in {minutes} minutes")
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    name: str
    email: str
    role: str
    archived_on: date | None
    created_at: datetime

    @property
    def archived(self) -> bool:
        return self.archived_on is not None


@dataclass(frozen=True, slots=True)
class Invitation:
    kind: str
    role: str
    name: str
    email: str
    coach_id: int | None
    person_id: int | None
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor: str
    student_id: int | None
    action: str
    detail: str


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A session begun: the token for the cookie (never stored) and whose it is."""

    token: str
    person: Person
    expires_at: datetime


def _person(row: Any) -> Person:
    return Person(row.id, row.name, row.email, row.role, row.archived_on, row.created_at)


def clean_email(value: str) -> str:
    email = (clean_text(value, "email", MAX_EMAIL, required=True) or "").strip().lower()
    local, at, domain = email.partition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in email):
        raise InvalidInput("email", f"{email!r} is not an e-mail address")
    return email


def clean_name(value: str) -> str:
    return clean_text(value, "name", MAX_PERSON_NAME, required=True) or ""


def clean_level(value: str) -> str:
    if value not in CONSENT_LEVELS:
        raise InvalidInput("level", f"choose one of {', '.join(CONSENT_LEVELS)}")
    return value


class Directory:
    """The people of one coach server, over the server's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, create: bool = False) -> Directory:
        """The directory in the database at `url`; with `create`, its tables are made when the
        database has none yet (`coach init`)."""
        from debrief.storage.database import describe_url, ensure_directory

        engine = create_database_engine(url)
        # The server's own name for its students' PostgreSQL schemas: two servers (or test
        # runs) in one database never share one.
        initial = {"server": secrets.token_hex(4)}
        found = ensure_directory(
            engine, metadata, DIRECTORY_REVISION, create=create, initial=initial
        )
        if not found:
            engine.dispose()
            raise AccessRefused(
                f"{describe_url(url)} is not a coach server: `debrief coach init` makes one"
            )
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    @property
    def server(self) -> str:
        """The server's name for itself (8 hex digits), made with it."""
        with self._reading() as connection:
            return str(connection.scalar(select(meta.c.value).where(meta.c.key == "server")))

    @property
    def location(self) -> str:
        """Where the server's database is, fit to show a person."""
        from debrief.storage.database import describe_url

        return describe_url(self.engine.url.render_as_string(hide_password=False))

    def setting(self, key: str) -> str | None:
        with self._reading() as connection:
            found: str | None = connection.scalar(
                select(meta.c.value).where(meta.c.key == f"setting:{key}")
            )
            return found

    def set_setting(self, key: str, value: str) -> None:
        with self._writing() as connection:
            name = f"setting:{key}"
            connection.execute(delete(meta).where(meta.c.key == name))
            connection.execute(insert(meta).values(key=name, value=value[:200]))

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        from debrief.journal.unit import database_errors

        with database_errors(), self.engine.begin() as connection:
            yield connection

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        from debrief.journal.unit import database_errors

        with database_errors(), self.engine.connect() as connection:
            yield connection

    # -- people ------------------------------------------------------------------------------

    def add_person(
        self, name: str, email: str, role: str, password: str, *, by: Person | None = None
    ) -> Person:
        """Add someone who chose their password (the first admin, or `coach init --add`)."""
        if role not in ROLES:
            raise InvalidInput("role", f"choose one of {', '.join(ROLES)}")
        values = {
            "name": clean_name(name),
            "email": clean_email(email),
            "role": role,
            "password_hash": hash_password(password),
            "created_at": utcnow(),
        }
        with self._writing() as connection:
            return self._insert_person(connection, values, by)

    def _insert_person(
        self, connection: Connection, values: dict[str, Any], by: Person | None
    ) -> Person:
        taken = connection.scalar(select(people.c.id).where(people.c.email == values["email"]))
        if taken is not None:
            raise AccessRefused(f"{values['email']} already has an account here")
        inserted = connection.execute(insert(people).values(**values)).inserted_primary_key
        assert inserted is not None
        new_id = int(inserted[0])
        person = self._get(connection, new_id)
        if person.role == "student":
            connection.execute(
                insert(consents).values(student_id=person.id, level="progress", changed_at=utcnow())
            )
        _log(
            connection,
            by or person,
            _student(person),
            "joined",
            f"{person.name} joined as {person.role}",
        )
        return person

    def has_people(self) -> bool:
        with self._reading() as connection:
            return bool(connection.scalar(select(func.count()).select_from(people)))

    def _get(self, connection: Connection, person_id: int) -> Person:
        row = connection.execute(select(people).where(people.c.id == person_id)).first()
        if row is None:
            raise NotFound("person", person_id)
        return _person(row)

    def get(self, person_id: int) -> Person:
        with self._reading() as connection:
            return self._get(connection, person_id)

    def people(self, role: str | None = None) -> list[Person]:
        query = select(people).order_by(people.c.role, people.c.name, people.c.id)
        if role is not None:
            query = query.where(people.c.role == role)
        with self._reading() as connection:
            return [_person(row) for row in connection.execute(query)]

    def find(self, email: str) -> Person | None:
        with self._reading() as connection:
            row = connection.execute(
                select(people).where(people.c.email == email.strip().lower())
            ).first()
        return None if row is None else _person(row)

    # -- invitations -------------------------------------------------------------------------

    def invite(
        self,
        by: Person,
        role: str,
        name: str,
        email: str,
        *,
        coach_id: int | None = None,
        days: int = INVITE_DAYS,
    ) -> tuple[Invitation, str]:
        """A single-use link for someone to join as `role` (a student joins with `coach_id`
        as their coach); returns the invitation and its token (only its hash is kept). Admins
        invite anyone; a coach invites students, who become theirs."""
        if role not in ROLES:
            raise InvalidInput("role", f"choose one of {', '.join(ROLES)}")
        if by.role == "coach":
            if role != "student":
                raise AccessRefused("a coach invites students only")
            coach_id = by.id
        elif by.role != "admin":
            raise AccessRefused("only an admin or a coach invites people")
        if not 1 <= days <= 30:
            raise InvalidInput("days", "an invitation lasts 1 to 30 days")
        values: dict[str, Any] = {
            "kind": "join",
            "role": role,
            "name": clean_name(name),
            "email": clean_email(email),
            "coach_id": coach_id if role == "student" else None,
            "person_id": None,
            "invited_by": by.id,
            "created_at": utcnow(),
            "expires_at": utcnow() + timedelta(days=days),
        }
        token = new_token()
        with self._writing() as connection:
            if values["coach_id"] is not None:
                coach = self._get(connection, int(values["coach_id"]))
                if coach.role != "coach":
                    raise InvalidInput("coach", f"{coach.name} is not a coach")
            if connection.scalar(select(people.c.id).where(people.c.email == values["email"])):
                raise AccessRefused(f"{values['email']} already has an account here")
            connection.execute(insert(invitations).values(token_hash=token_hash(token), **values))
            _log(connection, by, None, "invited", f"{values['name']} invited as {role}")
        return _invitation(values), token

    def reset_link(self, by: Person, person_id: int, *, days: int = RESET_DAYS) -> str:
        """A single-use link (an admin's) for someone to choose a new password; their sessions
        end now."""
        if by.role != "admin":
            raise AccessRefused("only an admin resets passwords")
        token = new_token()
        with self._writing() as connection:
            person = self._get(connection, person_id)
            connection.execute(delete(sessions).where(sessions.c.person_id == person.id))
            connection.execute(
                insert(invitations).values(
                    token_hash=token_hash(token),
                    kind="reset",
                    role=person.role,
                    name=person.name,
                    email=person.email,
                    person_id=person.id,
                    invited_by=by.id,
                    created_at=utcnow(),
                    expires_at=utcnow() + timedelta(days=days),
                )
            )
            _log(connection, by, _student(person), "reset", f"password reset for {person.name}")
        return token

    def invitation(self, token: str) -> Invitation:
        """The open invitation a link's token stands for (AccessRefused when there is none,
        or it was used or has expired)."""
        with self._reading() as connection:
            return _invitation(self._open_invitation(connection, token))

    def _open_invitation(self, connection: Connection, token: str) -> Any:
        row = connection.execute(
            select(invitations).where(invitations.c.token_hash == token_hash(token))
        ).first()
        if row is None or row.used_at is not None or row.expires_at <= utcnow():
            raise AccessRefused("this link is not valid (it was used, or it has expired)")
        return row

    def accept(self, token: str, password: str, *, level: str = "progress") -> Person:
        """Use a link: join with a password (and, for a student, what their coach may see),
        or set a new password. The link is spent in the same transaction."""
        clean_level(level)
        checked_password(password)
        hashed = hash_password(password)  # before the transaction: it takes a moment
        with self._writing() as connection:
            row = self._open_invitation(connection, token)
            spent = connection.execute(
                update(invitations)
                .where(invitations.c.token_hash == row.token_hash, invitations.c.used_at.is_(None))
                .values(used_at=utcnow())
            )
            if not spent.rowcount:
                raise AccessRefused("this link is not valid (it was used, or it has expired)")
            if row.kind == "reset":
                connection.execute(
                    update(people).where(people.c.id == row.person_id).values(password_hash=hashed)
                )
                connection.execute(delete(sessions).where(sessions.c.person_id == row.person_id))
                person = self._get(connection, row.person_id)
                _log(connection, person, _student(person), "password", "new password chosen")
                return person
            values = {
                "name": row.name,
                "email": row.email,
                "role": row.role,
                "password_hash": hashed,
                "created_at": utcnow(),
            }
            inviter = None if row.invited_by is None else self._get(connection, row.invited_by)
            person = self._insert_person(connection, values, inviter)
            if person.role == "student":
                if row.coach_id is not None:
                    self._link(connection, inviter or person, row.coach_id, person.id)
                self._set_level(connection, person, person.id, level)
            return person

    # -- sessions ----------------------------------------------------------------------------

    def sign_in(self, email: str, password: str, *, client: str) -> SignedIn:
        """Check a password and begin a session. Failures are counted per address typed and
        per client; past the limit, sign-ins are refused for a while (TooManyAttempts),
        whether the password is right or not."""
        email = email.strip().lower()[:MAX_EMAIL]
        keys = (f"email:{email}", f"client:{client[:200]}")
        now = utcnow()
        with self._reading() as connection:
            self._check_attempts(connection, keys, now)
            row = connection.execute(select(people).where(people.c.email == email)).first()
        stored = None if row is None else row.password_hash
        if not verify_password(stored, password) or row is None:
            with self._writing() as connection:
                connection.execute(
                    delete(login_failures).where(login_failures.c.at < now - LOGIN_WINDOW)
                )
                connection.execute(insert(login_failures), [{"key": k, "at": now} for k in keys])
            raise AccessRefused("that e-mail address and password do not match an account here")
        token = new_token()
        expires = now + timedelta(days=SESSION_DAYS)
        with self._writing() as connection:
            connection.execute(delete(login_failures).where(login_failures.c.key == keys[0]))
            connection.execute(delete(sessions).where(sessions.c.expires_at <= now))
            connection.execute(
                insert(sessions).values(
                    token_hash=token_hash(token),
                    person_id=row.id,
                    created_at=now,
                    seen_at=now,
                    expires_at=expires,
                )
            )
            if needs_rehash(row.password_hash):
                connection.execute(
                    update(people)
                    .where(people.c.id == row.id)
                    .values(password_hash=hash_password(password))
                )
        return SignedIn(token, _person(row), expires)

    def _check_attempts(self, connection: Connection, keys: Sequence[str], now: datetime) -> None:
        since = now - LOGIN_WINDOW
        for key, limit in zip(
            keys, (LOGIN_FAILURES_PER_EMAIL, LOGIN_FAILURES_PER_CLIENT), strict=True
        ):
            found = connection.execute(
                select(func.count(), func.min(login_failures.c.at)).where(
                    login_failures.c.key == key, login_failures.c.at >= since
                )
            ).one()
            if found[0] >= limit:
                wait = (found[1] + LOGIN_WINDOW - now).total_seconds()
                raise TooManyAttempts(max(1, int(wait)))

    def session(self, token: str) -> Person | None:
        """Whose session a cookie's token is, or None (unknown, ended, expired or idle)."""
        now = utcnow()
        with self._reading() as connection:
            row = connection.execute(
                select(people, sessions.c.seen_at, sessions.c.token_hash)
                .join(sessions, sessions.c.person_id == people.c.id)
                .where(
                    sessions.c.token_hash == token_hash(token),
                    sessions.c.expires_at > now,
                    sessions.c.seen_at > now - SESSION_IDLE,
                )
            ).first()
        if row is None:
            return None
        if row.seen_at < now - SEEN_EVERY:  # written now and then, not on every request
            with self._writing() as connection:
                connection.execute(
                    update(sessions)
                    .where(sessions.c.token_hash == row.token_hash)
                    .values(seen_at=now)
                )
        return _person(row)

    def sign_out(self, token: str) -> None:
        with self._writing() as connection:
            connection.execute(delete(sessions).where(sessions.c.token_hash == token_hash(token)))

    def sign_out_everywhere(self, person: Person) -> int:
        """End every session of `person`; returns how many there were."""
        with self._writing() as connection:
            ended = connection.execute(delete(sessions).where(sessions.c.person_id == person.id))
            _log(connection, person, _student(person), "signed out", "signed out everywhere")
            return int(ended.rowcount)

    def change_password(self, person: Person, current: str, new: str, *, keep: str) -> None:
        """Change one's own password; every other session ends (the one whose token is `keep`
        goes on)."""
        with self._reading() as connection:
            stored = connection.scalar(
                select(people.c.password_hash).where(people.c.id == person.id)
            )
        if not verify_password(stored, current):
            raise InvalidInput("current", "that is not your current password")
        hashed = hash_password(new)
        with self._writing() as connection:
            connection.execute(
                update(people).where(people.c.id == person.id).values(password_hash=hashed)
            )
            connection.execute(
                delete(sessions).where(
                    sessions.c.person_id == person.id, sessions.c.token_hash != token_hash(keep)
                )
            )
            _log(connection, person, _student(person), "password", "password changed")

    # -- who coaches whom, and what they see -------------------------------------------------

    def link(self, by: Person, coach_id: int, student_id: int) -> None:
        """Make `coach_id` one of `student_id`'s coaches (an admin's decision)."""
        if by.role != "admin":
            raise AccessRefused("only an admin assigns coaches")
        with self._writing() as connection:
            self._link(connection, by, coach_id, student_id)

    def _link(self, connection: Connection, by: Person, coach_id: int, student_id: int) -> None:
        coach, student = self._get(connection, coach_id), self._get(connection, student_id)
        if coach.role != "coach" or student.role != "student":
            raise InvalidInput("coach", f"{coach.name} cannot coach {student.name}")
        exists = connection.scalar(
            select(func.count())
            .select_from(coaching)
            .where(coaching.c.coach_id == coach_id, coaching.c.student_id == student_id)
        )
        if not exists:
            connection.execute(
                insert(coaching).values(coach_id=coach_id, student_id=student_id, since=utcnow())
            )
            _log(connection, by, student_id, "coach added", f"{coach.name} coaches {student.name}")

    def unlink(self, by: Person, coach_id: int, student_id: int) -> None:
        """End a coach's access to a student (an admin, or the student themself)."""
        if by.role != "admin" and by.id != student_id:
            raise AccessRefused("only an admin or the student ends a coach's access")
        with self._writing() as connection:
            coach = self._get(connection, coach_id)
            gone = connection.execute(
                delete(coaching).where(
                    coaching.c.coach_id == coach_id, coaching.c.student_id == student_id
                )
            )
            if gone.rowcount:
                _log(connection, by, student_id, "coach removed", f"{coach.name} no longer coaches")

    def coaches_of(self, student_id: int) -> list[Person]:
        query = (
            select(people)
            .join(coaching, coaching.c.coach_id == people.c.id)
            .where(coaching.c.student_id == student_id)
            .order_by(people.c.name)
        )
        with self._reading() as connection:
            return [_person(row) for row in connection.execute(query)]

    def students_of(self, coach_id: int) -> list[Person]:
        query = (
            select(people)
            .join(coaching, coaching.c.student_id == people.c.id)
            .where(coaching.c.coach_id == coach_id)
            .order_by(people.c.name, people.c.id)
        )
        with self._reading() as connection:
            return [_person(row) for row in connection.execute(query)]

    def coaches(self, coach_id: int, student_id: int) -> bool:
        """Whether `coach_id` coaches `student_id` now."""
        with self._reading() as connection:
            return bool(
                connection.scalar(
                    select(func.count())
                    .select_from(coaching)
                    .where(coaching.c.coach_id == coach_id, coaching.c.student_id == student_id)
                )
            )

    def level(self, student_id: int) -> str:
        """What the student lets their coaches see (one of CONSENT_LEVELS)."""
        with self._reading() as connection:
            found = connection.scalar(
                select(consents.c.level).where(consents.c.student_id == student_id)
            )
        return found or "none"

    def levels(self, student_ids: Sequence[int]) -> dict[int, str]:
        with self._reading() as connection:
            rows = connection.execute(
                select(consents.c.student_id, consents.c.level).where(
                    consents.c.student_id.in_(list(student_ids))
                )
            )
            found = {row.student_id: row.level for row in rows}
        return {sid: found.get(sid, "none") for sid in student_ids}

    def set_level(self, by: Person, student_id: int, level: str) -> None:
        """The student's choice of what their coaches see; only they make it."""
        clean_level(level)
        with self._writing() as connection:
            self._set_level(connection, by, student_id, level)

    def _set_level(self, connection: Connection, by: Person, student_id: int, level: str) -> None:
        if by.id != student_id:
            raise AccessRefused("only the student chooses what their coach sees")
        before = connection.scalar(
            select(consents.c.level).where(consents.c.student_id == student_id)
        )
        if before == level:
            return
        if before is None:
            connection.execute(
                insert(consents).values(student_id=student_id, level=level, changed_at=utcnow())
            )
        else:
            connection.execute(
                update(consents)
                .where(consents.c.student_id == student_id)
                .values(level=level, changed_at=utcnow())
            )
        _log(connection, by, student_id, "consent", f"coaches see {CONSENT_WORDS[level]}")

    # -- archive -----------------------------------------------------------------------------

    def archive(self, by: Person, student_id: int, view: dict[str, Any]) -> None:
        """Archive a student (who found a job, say): their journal is kept and they can still
        sign in, but coaches see only `view`, what they saw at this moment, from now on."""
        if by.role not in ("admin", "coach"):
            raise AccessRefused("only an admin or a coach archives a student")
        with self._writing() as connection:
            student = self._get(connection, student_id)
            if student.role != "student":
                raise InvalidInput("student", f"{student.name} is not a student")
            if by.role == "coach" and not connection.scalar(
                select(func.count())
                .select_from(coaching)
                .where(coaching.c.coach_id == by.id, coaching.c.student_id == student_id)
            ):
                raise NotFound("student", student_id)
            if student.archived:
                return
            connection.execute(
                update(people)
                .where(people.c.id == student_id)
                .values(archived_on=utcnow().date(), archived_view=json.dumps(view))
            )
            _log(connection, by, student_id, "archived", f"{student.name} archived")

    def archived_view(self, student_id: int) -> dict[str, Any] | None:
        with self._reading() as connection:
            text = connection.scalar(
                select(people.c.archived_view).where(people.c.id == student_id)
            )
        return None if text is None else json.loads(text)

    # -- the log -----------------------------------------------------------------------------

    def log(self, by: Person, student_id: int | None, action: str, detail: str) -> None:
        with self._writing() as connection:
            _log(connection, by, student_id, action, detail)

    def audit(self, *, student_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
        """The latest changes to access, for one student or all."""
        query = select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
        if student_id is not None:
            query = query.where(audit_log.c.student_id == student_id)
        with self._reading() as connection:
            rows = connection.execute(query.limit(limit))
            return [AuditEntry(r.at, r.actor, r.student_id, r.action, r.detail) for r in rows]


def _student(person: Person) -> int | None:
    return person.id if person.role == "student" else None


def _invitation(row: Any) -> Invitation:
    def get(key: str) -> Any:
        return row[key] if isinstance(row, dict) else getattr(row, key)

    return Invitation(
        get("kind"),
        get("role"),
        get("name"),
        get("email"),
        get("coach_id"),
        get("person_id"),
        get("expires_at"),
    )


def _log(
    connection: Connection, by: Person, student_id: int | None, action: str, detail: str
) -> None:
    connection.execute(
        insert(audit_log).values(
            at=utcnow(),
            actor_id=by.id,
            actor=by.name,
            student_id=student_id,
            action=action,
            detail=one_line(detail)[:500],
        )
    )
