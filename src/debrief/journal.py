"""The journal: every operation on applications, interviews and feedback.

One core for every door. The CLI, the web app and notebooks call these methods; each one validates
its input before touching the database, writes in a single transaction, and hands back frozen
records from `debrief.model`, never ORM rows.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any, Final, TypeVar
from urllib.parse import urlsplit

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload, sessionmaker

from debrief.errors import InvalidInput, NotFound
from debrief.model import (
    MAX_FEEDBACK,
    MAX_LINK,
    MAX_NAME,
    MAX_NOTES,
    PIPELINE,
    SKILLED_LABELS,
    Application,
    ApplicationDetail,
    Deleted,
    Feedback,
    FeedbackSource,
    Interview,
    InterviewDetail,
    InterviewKind,
    JournalSummary,
    Label,
    Outcome,
    Source,
    Statement,
    Status,
    StatusChange,
    TriageRun,
    WorkMode,
    check_transition,
    clean_text,
    furthest_stage,
    local_today,
    normalise_choice,
    parse_date,
    parse_rating,
    parse_rubric,
    utcnow,
)
from debrief.storage.database import (
    SchemaUpgrade,
    create_database_engine,
    describe_url,
    ensure_schema,
)
from debrief.storage.location import resolve_database_url
from debrief.storage.schema import (
    ApplicationRow,
    FeedbackRow,
    InterviewRow,
    RubricScoreRow,
    StatementRow,
    StatementSkillRow,
    StatusChangeRow,
)
from debrief.taxonomy import skill_ids

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy import Engine

    from debrief.triage.classify import Backend, Triage, Triager


class _Unset:
    """Marks an edit argument that was not given (None means "clear this field")."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()

DateLike = date | str


def _optional(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None or value == "" else parse(value)


_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:(?!\d)", re.IGNORECASE)


def _clean_link(value: str) -> str | None:
    link = clean_text(value, "link", MAX_LINK)
    if link is None:
        return None
    if not _SCHEME.match(link):
        link = f"https://{link}"
    try:
        parts = urlsplit(link)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidInput("link", f"'{value}' is not a web address (http or https)")
    return link


# Validators per editable field: they turn user input into stored values or raise InvalidInput.
_APPLICATION_FIELDS: dict[str, Callable[[Any], Any]] = {
    "company": lambda v: clean_text(v, "company", MAX_NAME, required=True),
    "role": lambda v: clean_text(v, "role", MAX_NAME, required=True),
    "level": lambda v: clean_text(v, "level", MAX_NAME),
    "location": lambda v: clean_text(v, "location", MAX_NAME),
    "work_mode": _optional(lambda v: WorkMode.parse(v, "work_mode").value),
    "source": _optional(lambda v: Source.parse(v, "source").value),
    "link": _optional(_clean_link),
    "applied_on": lambda v: parse_date(v, "applied_on", past=True),
    "notes": lambda v: clean_text(v, "notes", MAX_NOTES),
}

_INTERVIEW_FIELDS: dict[str, Callable[[Any], Any]] = {
    "kind": lambda v: InterviewKind.parse(v, "kind").value,
    "held_on": lambda v: parse_date(v, "held_on"),
    "interviewer": lambda v: clean_text(v, "interviewer", MAX_NAME),
    "outcome": lambda v: Outcome.parse(v, "outcome").value,
    "self_rating": _optional(lambda v: parse_rating(v, "self_rating")),
    "notes": lambda v: clean_text(v, "notes", MAX_NOTES),
}


# The fields an application and an interview are edited by (their status, application and rubric
# have their own arguments), for forms that offer them.
APPLICATION_FIELDS: Final = tuple(_APPLICATION_FIELDS)
INTERVIEW_FIELDS: Final = tuple(_INTERVIEW_FIELDS)


def _validated(fields: dict[str, Callable[[Any], Any]], given: dict[str, Any]) -> dict[str, Any]:
    """Each given value (UNSET ones are skipped) through its field's validator."""
    return {name: fields[name](value) for name, value in given.items() if value is not UNSET}


def validate_application(**given: Any) -> dict[str, Any]:
    """An application's fields checked and cleaned as the journal stores them (InvalidInput
    names the field at fault), so an import can find a bad row before it writes anything."""
    unknown = sorted(set(given) - set(_APPLICATION_FIELDS))
    if unknown:
        raise InvalidInput(unknown[0], "is not a field of an application")
    return _validated(_APPLICATION_FIELDS, given)


def _moment(when: date | datetime | str | None, field_name: str) -> datetime:
    """When a dated event happened: now when no date or today is given, local noon of another
    day (so the day stays the same in the user's time zone); future days are refused."""
    if isinstance(when, datetime):
        return (when if when.tzinfo else when.astimezone()).astimezone(UTC)
    if when is None:
        return utcnow()
    day = parse_date(when, field_name, past=True)
    if day == local_today():
        return utcnow()
    try:
        return datetime.combine(day, time(12)).astimezone(UTC)
    except (OverflowError, ValueError):  # year 1 east of UTC, and the like
        raise InvalidInput(field_name, f"{day} is out of range") from None


def local_day(moment: datetime) -> date:
    """The calendar day of a timestamp in the user's time zone."""
    return moment.astimezone().date()


def status_histories(session: Session) -> dict[int, list[tuple[date, str]]]:
    """Every application's status changes as (local day, new status), oldest first, in one
    query: what themes, analytics and imports read an application's path from."""
    history: dict[int, list[tuple[date, str]]] = defaultdict(list)
    query = select(
        StatusChangeRow.application_id, StatusChangeRow.to_status, StatusChangeRow.changed_at
    ).order_by(StatusChangeRow.application_id, StatusChangeRow.changed_at, StatusChangeRow.id)
    for app_id, status, changed_at in session.execute(query):
        history[app_id].append((local_day(changed_at), status))
    return history


def _after(moment: datetime, last: StatusChangeRow, field_name: str) -> datetime:
    """`moment`, kept after the last change in the history; a day before it is refused."""
    if local_day(moment) < local_day(last.changed_at):
        raise InvalidInput(
            field_name,
            f"{local_day(moment)} is before the last status change "
            f"('{last.to_status}' on {local_day(last.changed_at)})",
        )
    return max(moment, last.changed_at)


class Journal:
    """A job-search journal stored in one database (SQLite file or PostgreSQL)."""

    def __init__(
        self,
        engine: Engine,
        upgrade: SchemaUpgrade | None = None,
        *,
        triage_backend: Backend | None = None,
    ) -> None:
        self._engine = engine
        self._backend = triage_backend
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # The session of an open `atomic()` block, per thread or task.
        self._active: ContextVar[Session | None] = ContextVar(f"debrief-{id(self)}", default=None)
        # A connection that only watches a SQLite file's data version (see `revision`).
        self._watch_lock = threading.Lock()
        self._watcher: Any = None
        self.upgrade = upgrade

    @classmethod
    def open(cls, db: str | None = None, *, triage_backend: Backend | None = None) -> Journal:
        """Open (creating or upgrading as needed) the journal at `db`, $DEBRIEF_DATABASE_URL or
        the default location. Triage uses `triage_backend`, else the one $DEBRIEF_TRIAGE_BACKEND
        names, else the default linear model."""
        engine = create_database_engine(resolve_database_url(db))
        return cls(engine, ensure_schema(engine), triage_backend=triage_backend)

    @property
    def location(self) -> str:
        """Where the journal is, fit to show a person."""
        return describe_url(self._engine.url.render_as_string(hide_password=False))

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for other core modules built on the journal)."""
        return self._engine

    def close(self) -> None:
        """Release the database connections."""
        with self._watch_lock:
            if self._watcher is not None:
                self._watcher.close()
                self._watcher = None
        self._engine.dispose()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Make every write inside the block one transaction: all of it lands, or none does.

        Blocks nest (an inner one joins the outer). An exception inside rolls everything back,
        so a caller must not swallow one and carry on writing.
        """
        if self._active.get() is not None:
            yield
            return
        with self._sessions.begin() as session:
            token = self._active.set(session)
            try:
                yield
            finally:
                self._active.reset(token)

    def transaction(self) -> AbstractContextManager[Session]:
        """A session for other core modules (themes, the plan) to write in: it joins an open
        `atomic()` block, else commits when the block ends."""
        return self._transaction()

    def reading(self) -> AbstractContextManager[Session]:
        """A session for other core modules to read in (it joins an open `atomic()` block)."""
        return self._reading()

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        active = self._active.get()
        if active is not None:
            yield active
            return
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        active = self._active.get()
        if active is not None:
            yield active
            return
        with self._sessions() as session:
            yield session

    # -- applications ----------------------------------------------------------------------

    def add_application(
        self,
        company: str,
        role: str,
        *,
        level: str | None = None,
        location: str | None = None,
        work_mode: WorkMode | str | None = None,
        source: Source | str | None = None,
        link: str | None = None,
        applied_on: DateLike | None = None,
        notes: str | None = None,
    ) -> Application:
        """Record a new application; its history starts with 'applied' on the day applied."""
        given = dict(
            company=company,
            role=role,
            level=level,
            location=location,
            work_mode=work_mode,
            source=source,
            link=link,
            applied_on=applied_on or local_today(),
            notes=notes,
        )
        values = _validated(_APPLICATION_FIELDS, given)
        with self._transaction() as session:
            row = ApplicationRow(status=Status.APPLIED.value, **values)
            row.history.append(
                StatusChangeRow(
                    from_status=None,
                    to_status=Status.APPLIED.value,
                    changed_at=_moment(values["applied_on"], "applied_on"),
                )
            )
            session.add(row)
            session.flush()
            return _application(row)

    def add_applications(
        self, applications: Sequence[tuple[dict[str, Any], Status, date | None, str | None]]
    ) -> list[int]:
        """Record many applications at once, as an import does: each is (fields, status, day of
        that status, note). Its history starts with 'applied' on the day applied, then moves to
        its status on its day (the day applied when none is given). Returns the new ids."""
        rows, moves = [], []
        for given, status, status_on, note in applications:
            values = validate_application(**given)
            applied_at = _moment(values["applied_on"], "applied_on")
            moved = None
            if status != Status.APPLIED:
                check_transition(Status.APPLIED, status, Status.APPLIED)
                at = max(_moment(status_on or values["applied_on"], "at"), applied_at)
                moved = (status.value, at, clean_text(note, "note", MAX_NOTES))
            rows.append({**values, "status": status.value})
            moves.append((applied_at, moved))
        if not rows:
            return []
        with self._transaction() as session:
            # Bulk INSERTs (ids back in order): an import of thousands stays a few seconds.
            ids = list(
                session.scalars(
                    insert(ApplicationRow).returning(
                        ApplicationRow.id, sort_by_parameter_order=True
                    ),
                    rows,
                )
            )
            history = []
            for app_id, (applied_at, moved) in zip(ids, moves, strict=True):
                history.append(
                    {
                        "application_id": app_id,
                        "from_status": None,
                        "to_status": Status.APPLIED.value,
                        "changed_at": applied_at,
                    }
                )
                if moved is not None:
                    history.append(
                        {
                            "application_id": app_id,
                            "from_status": Status.APPLIED.value,
                            "to_status": moved[0],
                            "changed_at": moved[1],
                            "note": moved[2],
                        }
                    )
            session.execute(insert(StatusChangeRow), history)
        return ids

    def edit_application(
        self,
        application_id: int,
        *,
        company: str | _Unset = UNSET,
        role: str | _Unset = UNSET,
        level: str | _Unset | None = UNSET,
        location: str | _Unset | None = UNSET,
        work_mode: WorkMode | str | _Unset | None = UNSET,
        source: Source | str | _Unset | None = UNSET,
        link: str | _Unset | None = UNSET,
        applied_on: DateLike | _Unset = UNSET,
        notes: str | _Unset | None = UNSET,
    ) -> Application:
        """Change the given fields (None clears an optional one); the status has its own method."""
        given = dict(
            company=company,
            role=role,
            level=level,
            location=location,
            work_mode=work_mode,
            source=source,
            link=link,
            applied_on=applied_on,
            notes=notes,
        )
        values = _validated(_APPLICATION_FIELDS, given)
        with self._transaction() as session:
            row = _fetch(session, ApplicationRow, "application", application_id)
            if "applied_on" in values:
                self._move_first_entry(row, values["applied_on"])
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_at = utcnow()
            session.flush()
            return _application(row)

    @staticmethod
    def _move_first_entry(row: ApplicationRow, applied_on: date) -> None:
        moment = _moment(applied_on, "applied_on")
        first, *later = row.history
        if later:
            following = later[0]
            if local_day(moment) > local_day(following.changed_at):
                raise InvalidInput(
                    "applied_on",
                    f"{applied_on} is after the change to '{following.to_status}' on "
                    f"{local_day(following.changed_at)}",
                )
            moment = min(moment, following.changed_at)
        first.changed_at = moment

    def change_status(
        self,
        application_id: int,
        status: Status | str,
        *,
        at: date | datetime | str | None = None,
        note: str | None = None,
        force: bool = False,
    ) -> Application:
        """Move an application to `status`, recording the transition with its time.

        Backwards moves and reopening a final status are refused unless `force` is set.
        """
        new = Status.parse(status, "status")
        moment = _moment(at, "at")
        clean_note = clean_text(note, "note", MAX_NOTES)
        with self._transaction() as session:
            row = _fetch(session, ApplicationRow, "application", application_id)
            current = Status(row.status)
            if not force:
                check_transition(current, new, furthest_stage(c.to_status for c in row.history))
            elif new == current:
                check_transition(current, new, current)
            if row.history:
                moment = _after(moment, row.history[-1], "at")
            row.history.append(
                StatusChangeRow(
                    from_status=current.value,
                    to_status=new.value,
                    changed_at=moment,
                    note=clean_note,
                    forced=force,
                )
            )
            row.status = new.value
            session.flush()
            return _application(row)

    def get_application(self, application_id: int) -> ApplicationDetail:
        """An application with its full history, its interviews (with their feedback) and the
        feedback given on the application itself."""
        with self._reading() as session:
            row = session.scalar(
                select(ApplicationRow)
                .where(ApplicationRow.id == application_id)
                .options(
                    selectinload(ApplicationRow.history),
                    selectinload(ApplicationRow.interviews).selectinload(InterviewRow.rubric),
                    selectinload(ApplicationRow.interviews).selectinload(InterviewRow.feedback),
                    selectinload(ApplicationRow.feedback),
                )
            )
            if row is None:
                raise NotFound("application", application_id)
            return ApplicationDetail(
                application=_application(row),
                history=tuple(_status_change(change) for change in row.history),
                interviews=tuple(_interview_detail(interview) for interview in row.interviews),
                feedback=tuple(_feedback(item, row.id, row.company) for item in row.feedback),
            )

    def list_applications(
        self,
        *,
        status: Iterable[Status | str] | None = None,
        company: str | None = None,
        source: Iterable[Source | str] | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
        limit: int | None = None,
    ) -> list[Application]:
        """Applications, oldest first, filtered by status, company (substring), source and the
        date applied (inclusive range); `limit` keeps the most recent ones."""
        query = select(ApplicationRow).order_by(
            ApplicationRow.applied_on.desc(), ApplicationRow.id.desc()
        )
        if status:
            query = query.where(
                ApplicationRow.status.in_([Status.parse(s, "status").value for s in status])
            )
        if source:
            query = query.where(
                ApplicationRow.source.in_([Source.parse(s, "source").value for s in source])
            )
        if company:
            query = query.where(ApplicationRow.company.icontains(company, autoescape=True))
        query = _date_range(query, ApplicationRow.applied_on, since, until)
        if limit is not None:
            query = query.limit(limit)
        with self._reading() as session:
            return [_application(row) for row in session.scalars(query)][::-1]

    def delete_application(self, application_id: int) -> Deleted:
        """Delete an application with its history, interviews and all their feedback."""
        with self._transaction() as session:
            row = _fetch(session, ApplicationRow, "application", application_id)
            interviews = session.scalar(
                select(func.count()).where(InterviewRow.application_id == application_id)
            )
            feedback = session.scalar(
                select(func.count())
                .select_from(FeedbackRow)
                .outerjoin(InterviewRow, FeedbackRow.interview_id == InterviewRow.id)
                .where(
                    or_(
                        FeedbackRow.application_id == application_id,
                        InterviewRow.application_id == application_id,
                    )
                )
            )
            session.delete(row)
            return Deleted("application", application_id, interviews or 0, feedback or 0)

    # -- interviews ------------------------------------------------------------------------

    def add_interview(
        self,
        kind: InterviewKind | str,
        *,
        application_id: int | None = None,
        held_on: DateLike | None = None,
        interviewer: str | None = None,
        outcome: Outcome | str = Outcome.PENDING,
        self_rating: int | str | None = None,
        rubric: dict[str, int | str | None] | str | list[str] | None = None,
        notes: str | None = None,
    ) -> Interview:
        """Record a round: real when it belongs to an application, mock (practice) when not.

        For a mock interview, `interviewer` is the practice partner.
        """
        given = dict(
            kind=kind,
            held_on=held_on or local_today(),
            interviewer=interviewer,
            outcome=outcome,
            self_rating=self_rating,
            notes=notes,
        )
        values = _validated(_INTERVIEW_FIELDS, given)
        scores = parse_rubric(rubric or {}, skill_ids())
        with self._transaction() as session:
            if application_id is not None:
                _fetch(session, ApplicationRow, "application", application_id)
            row = InterviewRow(application_id=application_id, **values)
            if row.self_rating is not None:
                row.self_rated_at = utcnow()
            row.rubric = [
                RubricScoreRow(skill=skill, score=score)
                for skill, score in scores.items()
                if score is not None
            ]
            session.add(row)
            session.flush()
            return _interview(row)

    def edit_interview(
        self,
        interview_id: int,
        *,
        kind: InterviewKind | str | _Unset = UNSET,
        application_id: int | _Unset | None = UNSET,
        held_on: DateLike | _Unset = UNSET,
        interviewer: str | _Unset | None = UNSET,
        outcome: Outcome | str | _Unset = UNSET,
        self_rating: int | str | _Unset | None = UNSET,
        rubric: dict[str, int | str | None] | str | list[str] | _Unset = UNSET,
        notes: str | _Unset | None = UNSET,
        force: bool = False,
    ) -> Interview:
        """Change the given fields. `rubric` scores are merged (a None score removes one);
        `application_id=None` turns the round into a mock interview.

        A self-rating is meant to be given before seeing feedback; once the interview has
        feedback from someone else, setting one needs `force`.
        """
        given = dict(
            kind=kind,
            held_on=held_on,
            interviewer=interviewer,
            outcome=outcome,
            self_rating=self_rating,
            notes=notes,
        )
        values = _validated(_INTERVIEW_FIELDS, given)
        scores = {} if isinstance(rubric, _Unset) else parse_rubric(rubric, skill_ids())
        with self._transaction() as session:
            row = _fetch(session, InterviewRow, "interview", interview_id)
            if not isinstance(application_id, _Unset):
                if application_id is not None:
                    _fetch(session, ApplicationRow, "application", application_id)
                row.application_id = application_id
            if "self_rating" in values and values["self_rating"] != row.self_rating:
                others = [f for f in row.feedback if f.source != FeedbackSource.SELF.value]
                if others and values["self_rating"] is not None and not force:
                    raise InvalidInput(
                        "self_rating",
                        f"interview #{interview_id} already has feedback; a self-rating given "
                        "after seeing it is not a blind one (use --force to record it anyway)",
                    )
                row.self_rated_at = utcnow() if values["self_rating"] is not None else None
            for name, value in values.items():
                setattr(row, name, value)
            existing = {score.skill: score for score in row.rubric}
            for skill, score in scores.items():
                if score is None:
                    if skill in existing:
                        row.rubric.remove(existing[skill])
                elif skill in existing:
                    existing[skill].score = score
                else:
                    row.rubric.append(RubricScoreRow(skill=skill, score=score))
            row.updated_at = utcnow()
            session.flush()
            return _interview(row)

    def get_interview(self, interview_id: int) -> InterviewDetail:
        """An interview with its rubric scores and feedback."""
        with self._reading() as session:
            row = session.scalar(
                _interview_query()
                .where(InterviewRow.id == interview_id)
                .options(selectinload(InterviewRow.feedback))
            )
            if row is None:
                raise NotFound("interview", interview_id)
            return _interview_detail(row)

    def list_interviews(
        self,
        *,
        application_id: int | None = None,
        kind: Iterable[InterviewKind | str] | None = None,
        mock: bool | None = None,
        outcome: Iterable[Outcome | str] | None = None,
        company: str | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
    ) -> list[Interview]:
        """Interviews in date order, filtered by application, kind, real/mock (`mock=False` for
        real only), outcome, company and date."""
        query = _interview_query().order_by(InterviewRow.held_on, InterviewRow.id)
        if application_id is not None:
            query = query.where(InterviewRow.application_id == application_id)
        if kind:
            kinds = [InterviewKind.parse(k, "kind").value for k in kind]
            query = query.where(InterviewRow.kind.in_(kinds))
        if outcome:
            outcomes = [Outcome.parse(o, "outcome").value for o in outcome]
            query = query.where(InterviewRow.outcome.in_(outcomes))
        if mock is True:
            query = query.where(InterviewRow.application_id.is_(None))
        elif mock is False:
            query = query.where(InterviewRow.application_id.is_not(None))
        if company:
            query = query.join(InterviewRow.application).where(
                ApplicationRow.company.icontains(company, autoescape=True)
            )
        query = _date_range(query, InterviewRow.held_on, since, until)
        with self._reading() as session:
            return [_interview(row) for row in session.scalars(query).unique()]

    def delete_interview(self, interview_id: int) -> Deleted:
        """Delete an interview with its rubric scores and feedback."""
        with self._transaction() as session:
            row = _fetch(session, InterviewRow, "interview", interview_id)
            feedback = len(row.feedback)
            session.delete(row)
            return Deleted("interview", interview_id, feedback=feedback)

    # -- feedback --------------------------------------------------------------------------

    def add_feedback(
        self,
        text: str,
        *,
        source: FeedbackSource | str | None = None,
        interview_id: int | None = None,
        application_id: int | None = None,
        received_on: DateLike | None = None,
        triage: bool = True,
        triaged: Sequence[Triage] | None = None,
    ) -> Feedback:
        """Store feedback verbatim, tied to an interview or (for a note after applying) to an
        application, and triage it into statements (unless `triage` is False; `triaged` gives
        the statements when the caller has just triaged this very text, as an import does).
        The source defaults to the interviewer, the mock partner or the recruiter."""
        if interview_id is not None and application_id is not None:
            raise InvalidInput(
                "interview",
                "give the interview or the application, not both (the interview "
                "already names its application)",
            )
        body = clean_text(text, "feedback text", MAX_FEEDBACK, required=True) or ""
        day = parse_date(received_on or local_today(), "received_on", past=True)
        chosen = None if source is None else FeedbackSource.parse(source, "source")
        with self._transaction() as session:
            company = None
            owner = application_id
            if interview_id is not None:
                interview = _fetch(session, InterviewRow, "interview", interview_id)
                owner = interview.application_id
                company = interview.application.company if interview.application else None
                default = (
                    FeedbackSource.MOCK_PARTNER if owner is None else FeedbackSource.INTERVIEWER
                )
            elif application_id is not None:
                company = _fetch(session, ApplicationRow, "application", application_id).company
                default = FeedbackSource.RECRUITER
            else:
                default = FeedbackSource.SELF
            row = FeedbackRow(
                interview_id=interview_id,
                application_id=application_id,
                source=(chosen or default).value,
                received_on=day,
                text=body,
            )
            session.add(row)
            session.flush()
            if triaged is not None:
                self._store_triage(session, row, list(triaged))
            elif triage:
                self._store_triage(session, row, self._triager(session).triage_text(body))
            return _feedback(row, owner, company)

    def get_feedback(self, feedback_id: int) -> Feedback:
        """One piece of feedback."""
        found = self._feedback_query(FeedbackRow.id == feedback_id)
        if not found:
            raise NotFound("feedback", feedback_id)
        return found[0]

    def list_feedback(
        self,
        *,
        interview_id: int | None = None,
        application_id: int | None = None,
        source: Iterable[FeedbackSource | str] | None = None,
        company: str | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
        mock: bool | None = None,
        kind: Iterable[InterviewKind | str] | None = None,
    ) -> list[Feedback]:
        """Feedback in date order. `application_id` includes feedback on its interviews;
        `kind` keeps feedback on interviews of those kinds."""
        conditions: list[Any] = []
        if interview_id is not None:
            conditions.append(FeedbackRow.interview_id == interview_id)
        if application_id is not None:
            conditions.append(
                or_(
                    FeedbackRow.application_id == application_id,
                    InterviewRow.application_id == application_id,
                )
            )
        if source:
            sources = [FeedbackSource.parse(s, "source").value for s in source]
            conditions.append(FeedbackRow.source.in_(sources))
        if company:
            conditions.append(_OWNER_COMPANY.icontains(company, autoescape=True))
        if kind:
            kinds = [InterviewKind.parse(k, "kind").value for k in kind]
            conditions.append(InterviewRow.kind.in_(kinds))
        if mock is not None:
            mock_condition = InterviewRow.id.is_not(None) & InterviewRow.application_id.is_(None)
            conditions.append(mock_condition if mock else ~mock_condition)
        if since is not None:
            conditions.append(FeedbackRow.received_on >= parse_date(since, "since"))
        if until is not None:
            conditions.append(FeedbackRow.received_on <= parse_date(until, "until"))
        return self._feedback_query(*conditions)

    def _feedback_query(self, *conditions: Any) -> list[Feedback]:
        query = (
            select(FeedbackRow, _OWNER_ID, _OWNER_COMPANY)
            .outerjoin(InterviewRow, FeedbackRow.interview_id == InterviewRow.id)
            .outerjoin(_INTERVIEW_APP, InterviewRow.application_id == _INTERVIEW_APP.id)
            .outerjoin(_DIRECT_APP, FeedbackRow.application_id == _DIRECT_APP.id)
            .where(*conditions)
            .order_by(FeedbackRow.received_on, FeedbackRow.id)
        )
        with self._reading() as session:
            return [
                _feedback(row, owner, company) for row, owner, company in session.execute(query)
            ]

    def delete_feedback(self, feedback_id: int) -> Deleted:
        """Delete one piece of feedback."""
        with self._transaction() as session:
            row = _fetch(session, FeedbackRow, "feedback", feedback_id)
            session.delete(row)
            return Deleted("feedback", feedback_id)

    # -- triaged statements ----------------------------------------------------------------

    def triager(self) -> Triager:
        """The triage pipeline this journal uses, remembering the user's own labels."""
        with self._reading() as session:
            return self._triager(session)

    def _triager(self, session: Session) -> Triager:
        from debrief.triage.classify import Remembered, Triager

        rows = session.scalars(
            select(StatementRow)
            .where(StatementRow.origin == "user")
            .options(selectinload(StatementRow.skills))
            .order_by(StatementRow.id)
        )
        memory = [
            Remembered(row.id, row.text, row.label, tuple(s.skill for s in row.skills))
            for row in rows
        ]
        return Triager(self._triage_backend(), memory)

    def _store_triage(self, session: Session, row: FeedbackRow, triaged: list[Triage]) -> None:
        version = self._triage_backend().version
        for position, verdict in enumerate(triaged, start=1):
            row.statements.append(
                StatementRow(
                    position=position,
                    text=verdict.text,
                    label=verdict.label,
                    confidence=verdict.confidence,
                    explanation=verdict.explanation,
                    origin=verdict.origin,
                    model_version=version,
                    skills=[StatementSkillRow(skill=skill) for skill in verdict.skills],
                )
            )

    def _triage_backend(self) -> Backend:
        """The backend triage uses, chosen once per journal (loading a model is not free)."""
        if self._backend is None:
            from debrief.triage import get_backend

            self._backend = get_backend()
        return self._backend

    def list_statements(
        self,
        *,
        feedback_id: int | None = None,
        label: Iterable[Label | str] | None = None,
        skill: Iterable[str] | None = None,
        origin: Iterable[str] | None = None,
    ) -> list[Statement]:
        """Triaged statements in feedback order, filtered by feedback, label, skill area and
        what decided the label."""
        query = (
            select(StatementRow)
            .join(StatementRow.feedback)
            .options(selectinload(StatementRow.skills))
            .order_by(FeedbackRow.received_on, FeedbackRow.id, StatementRow.position)
        )
        if feedback_id is not None:
            query = query.where(StatementRow.feedback_id == feedback_id)
        if label:
            query = query.where(
                StatementRow.label.in_([Label.parse(x, "label").value for x in label])
            )
        if skill:
            wanted = [normalise_choice(x) for x in skill]
            query = query.where(StatementRow.skills.any(StatementSkillRow.skill.in_(wanted)))
        if origin:
            query = query.where(StatementRow.origin.in_(list(origin)))
        with self._reading() as session:
            return [_statement(row) for row in session.scalars(query)]

    def get_statement(self, statement_id: int) -> Statement:
        """One triaged statement."""
        with self._reading() as session:
            return _statement(_fetch(session, StatementRow, "statement", statement_id))

    def label_statement(
        self, statement_id: int, label: Label | str, skills: Iterable[str] | None = None
    ) -> Statement:
        """Override a statement's label (and skill areas). The override is kept, wins from now
        on, and teaches triage: near-paraphrases of this statement get the same label.

        Constructive and strength statements carry skill areas: without `skills`, the ones it
        has are kept (or the model's best guess is used); circumstance and noise carry none.
        """
        chosen = Label.parse(label, "label")
        areas = _skill_list(skills) if skills is not None else None
        if chosen not in SKILLED_LABELS and areas:
            raise InvalidInput("skills", f"{chosen} statements carry no skill areas")
        if chosen in SKILLED_LABELS and areas == []:
            raise InvalidInput("skills", f"{chosen} statements need at least one skill area")
        with self._transaction() as session:
            row = _fetch(session, StatementRow, "statement", statement_id)
            if areas is None:
                areas = [s.skill for s in row.skills] if chosen in SKILLED_LABELS else []
                if chosen in SKILLED_LABELS and not areas:
                    areas = list(self._guess_skills(row.text))
            if row.origin != "user":
                row.model_label = row.label
            row.label = chosen.value
            _set_skills(row, areas)
            row.origin = "user"
            row.confidence = 1.0
            row.labelled_at = utcnow()
            row.explanation = f"{chosen}: labelled by you"
            row.updated_at = utcnow()
            session.flush()
            return _statement(row)

    def confirm_statement(self, statement_id: int) -> Statement:
        """Accept the label a statement has: it becomes the user's own, kept from now on."""
        current = self.get_statement(statement_id)
        skills = current.skills if current.label in SKILLED_LABELS else None
        return self.label_statement(statement_id, current.label, skills)

    def _guess_skills(self, text: str) -> tuple[str, ...]:
        """The skill areas the model would give `text` were it constructive or a strength."""
        [guess] = self._triage_backend().guess_skills([text])
        return guess or ("other",)

    def retriage(self, feedback_id: int | None = None) -> TriageRun:
        """Triage feedback again (one piece, or all) with the current model.

        Statements the user labelled are never touched. Feedback without any is segmented
        afresh; feedback with some keeps its statements and only the others are re-labelled.
        """
        with self._transaction() as session:
            query = select(FeedbackRow).options(
                selectinload(FeedbackRow.statements).selectinload(StatementRow.skills)
            )
            if feedback_id is not None:
                query = query.where(FeedbackRow.id == feedback_id)
            rows = list(session.scalars(query.order_by(FeedbackRow.id)))
            if feedback_id is not None and not rows:
                raise NotFound("feedback", feedback_id)
            triager = self._triager(session)
            version = self._triage_backend().version
            total = changed = kept = 0
            for row in rows:
                mine = [s for s in row.statements if s.origin == "user"]
                kept += len(mine)
                fresh = None if mine else triager.triage_text(row.text)
                if fresh is not None and [t.text for t in fresh] != [
                    s.text for s in row.statements
                ]:
                    # The statements themselves changed: replace them (they get new ids).
                    changed += max(len(fresh), len(row.statements))
                    row.statements.clear()
                    session.flush()
                    self._store_triage(session, row, fresh)
                    total += len(fresh)
                    continue
                # The same statements: re-label them in place, keeping the ids the user knows.
                others = [s for s in row.statements if s.origin != "user"]
                if fresh is not None:
                    verdicts = fresh
                else:
                    verdicts = triager.classify([s.text for s in others])
                for statement, verdict in zip(others, verdicts, strict=True):
                    before = (statement.label, tuple(x.skill for x in statement.skills))
                    changed += before != (verdict.label, verdict.skills)
                    statement.label = verdict.label
                    _set_skills(statement, verdict.skills)
                    statement.confidence = verdict.confidence
                    statement.explanation = verdict.explanation
                    statement.origin = verdict.origin
                    statement.model_version = version
                    statement.updated_at = utcnow()
                total += len(row.statements)
            return TriageRun(len(rows), total, changed, kept, version)

    # -- overview --------------------------------------------------------------------------

    def summary(self) -> JournalSummary:
        """Counts by status, interviews by kind (real and mock) and feedback by source."""
        with self._reading() as session:
            first, last, total, companies = session.execute(
                select(
                    func.min(ApplicationRow.applied_on),
                    func.max(ApplicationRow.applied_on),
                    func.count(),
                    func.count(func.distinct(func.lower(ApplicationRow.company))),
                )
            ).one()
            # A Result has .keys(), so dict(result) would read it as a mapping: unpack rows.
            by_status: dict[str, int] = {  # noqa: C416
                status: count
                for status, count in session.execute(
                    select(ApplicationRow.status, func.count()).group_by(ApplicationRow.status)
                )
            }
            reached = {  # noqa: C416
                stage: count
                for stage, count in session.execute(
                    select(
                        StatusChangeRow.to_status,
                        func.count(func.distinct(StatusChangeRow.application_id)),
                    ).group_by(StatusChangeRow.to_status)
                )
            }
            is_mock = InterviewRow.application_id.is_(None)
            by_kind: dict[str, dict[str, int]] = {}
            for kind, mock, count in session.execute(
                select(InterviewRow.kind, is_mock, func.count()).group_by(
                    InterviewRow.kind, is_mock
                )
            ):
                by_kind.setdefault(kind, {"real": 0, "mock": 0})["mock" if mock else "real"] = count
            by_source: dict[str, int] = {  # noqa: C416
                source: count
                for source, count in session.execute(
                    select(FeedbackRow.source, func.count()).group_by(FeedbackRow.source)
                )
            }
            by_label: dict[str, int] = {  # noqa: C416
                label: count
                for label, count in session.execute(
                    select(StatementRow.label, func.count()).group_by(StatementRow.label)
                )
            }
        order = {status.value: i for i, status in enumerate(Status)}
        kinds = {kind.value: i for i, kind in enumerate(InterviewKind)}
        sources = {source.value: i for i, source in enumerate(FeedbackSource)}
        return JournalSummary(
            applications=total,
            companies=companies,
            first_applied=first,
            last_applied=last,
            by_status=dict(sorted(by_status.items(), key=lambda kv: order.get(kv[0], 99))),
            reached={stage.value: reached.get(stage.value, 0) for stage in PIPELINE},
            interviews_real=sum(counts["real"] for counts in by_kind.values()),
            interviews_mock=sum(counts["mock"] for counts in by_kind.values()),
            interviews_by_kind=dict(sorted(by_kind.items(), key=lambda kv: kinds.get(kv[0], 99))),
            feedback=sum(by_source.values()),
            feedback_by_source=dict(
                sorted(by_source.items(), key=lambda kv: sources.get(kv[0], 99))
            ),
            statements_by_label={label.value: by_label.get(label.value, 0) for label in Label},
        )

    # -- views for the web app -------------------------------------------------------------

    def board(self, *, per_status: int = 50) -> dict[Status, tuple[int, list[Application]]]:
        """Applications by current status: how many, and the `per_status` most recently applied
        (newest first), for every status."""
        with self._reading() as session:
            counts: dict[str, int] = {  # noqa: C416 - see summary()
                status: count
                for status, count in session.execute(
                    select(ApplicationRow.status, func.count()).group_by(ApplicationRow.status)
                )
            }
            ranked = (
                select(
                    ApplicationRow.id,
                    func.row_number()
                    .over(
                        partition_by=ApplicationRow.status,
                        order_by=(ApplicationRow.applied_on.desc(), ApplicationRow.id.desc()),
                    )
                    .label("place"),
                )
            ).subquery()
            rows = session.scalars(
                select(ApplicationRow)
                .join(ranked, ranked.c.id == ApplicationRow.id)
                .where(ranked.c.place <= per_status)
                .order_by(ApplicationRow.applied_on.desc(), ApplicationRow.id.desc())
            )
            cards: dict[str, list[Application]] = defaultdict(list)
            for row in rows:
                cards[row.status].append(_application(row))
        return {s: (counts.get(s.value, 0), cards.get(s.value, [])) for s in Status}

    def review_queue(
        self, *, limit: int = 20, offset: int = 0
    ) -> tuple[int, list[tuple[Feedback, list[Statement]]]]:
        """Feedback with statements the user has not confirmed or relabelled yet, newest first:
        how many there are, and one page of them with all their statements."""
        waiting = (
            select(StatementRow.feedback_id).where(StatementRow.origin != "user").distinct()
        ).subquery()
        with self._reading() as session:
            total = session.scalar(select(func.count()).select_from(waiting)) or 0
            ids = list(
                session.scalars(
                    select(FeedbackRow.id)
                    .where(FeedbackRow.id.in_(select(waiting.c.feedback_id)))
                    .order_by(FeedbackRow.received_on.desc(), FeedbackRow.id.desc())
                    .limit(limit)
                    .offset(offset)
                )
            )
            statements: dict[int, list[Statement]] = defaultdict(list)
            for row in session.scalars(
                select(StatementRow)
                .where(StatementRow.feedback_id.in_(ids))
                .options(selectinload(StatementRow.skills))
                .order_by(StatementRow.feedback_id, StatementRow.position)
            ):
                statements[row.feedback_id].append(_statement(row))
        found = {item.id: item for item in self._feedback_query(FeedbackRow.id.in_(ids))}
        return total, [(found[i], statements[i]) for i in ids if i in found]

    def revision(self) -> tuple[Any, ...]:
        """A value that changes with every committed write, by this process or another: what a
        cache of derived views is keyed on.

        On a SQLite file it is the file's data version as a connection kept for the purpose
        sees it (it moves with every commit made by any other connection); elsewhere, a
        fingerprint of every table (row counts, last ids and last updates).
        """
        if self._engine.dialect.name == "sqlite" and self._engine.url.database not in (
            None,
            "",
            ":memory:",
        ):
            with self._watch_lock:
                if self._watcher is None:
                    self._watcher = self._engine.raw_connection()
                cursor = self._watcher.cursor()
                try:
                    cursor.execute("PRAGMA data_version")
                    return ("sqlite", cursor.fetchone()[0])
                finally:
                    cursor.close()
        return self._fingerprint()

    def _fingerprint(self) -> tuple[Any, ...]:
        from debrief.storage.schema import Base

        parts: list[Any] = []
        for table in Base.metadata.sorted_tables:
            parts.append(select(func.count()).select_from(table).scalar_subquery())
            if "id" in table.c:
                parts.append(select(func.max(table.c.id)).scalar_subquery())
            if "updated_at" in table.c:
                parts.append(select(func.max(table.c.updated_at)).scalar_subquery())
        with self._reading() as session:
            return tuple(session.execute(select(*parts)).one())

    # -- notebook frames -------------------------------------------------------------------

    def applications_frame(self) -> pd.DataFrame:
        """All applications as a DataFrame, one row each."""
        return _frame(self.list_applications(), Application, dates=("applied_on",))

    def interviews_frame(self) -> pd.DataFrame:
        """All interviews as a DataFrame; rubric scores become `rubric_<skill>` columns."""
        import pandas as pd

        interviews = self.list_interviews()
        frame = _frame(interviews, Interview, dates=("held_on",)).drop(columns="rubric")
        for skill in sorted({skill for i in interviews for skill in i.rubric}):
            frame[f"rubric_{skill}"] = pd.array([i.rubric.get(skill) for i in interviews], "Int64")
        return frame

    def feedback_frame(self) -> pd.DataFrame:
        """All feedback as a DataFrame, with the verbatim text."""
        return _frame(self.list_feedback(), Feedback, dates=("received_on",))

    def status_changes_frame(self) -> pd.DataFrame:
        """Every status transition of every application, in time order."""
        with self._reading() as session:
            rows = session.scalars(
                select(StatusChangeRow).order_by(StatusChangeRow.changed_at, StatusChangeRow.id)
            )
            changes = [_status_change(row) for row in rows]
        return _frame(changes, StatusChange, dates=())


# -- row → record ------------------------------------------------------------------------------

_INTERVIEW_APP = aliased(ApplicationRow)
_DIRECT_APP = aliased(ApplicationRow)
_OWNER_ID = func.coalesce(FeedbackRow.application_id, InterviewRow.application_id)
_OWNER_COMPANY = func.coalesce(_DIRECT_APP.company, _INTERVIEW_APP.company)


_Row = TypeVar("_Row")


def _fetch(session: Session, row_type: type[_Row], kind: str, record_id: int) -> _Row:
    """The row with this id, or NotFound naming the kind of record."""
    row = session.get(row_type, record_id)
    if row is None:
        raise NotFound(kind, record_id)
    return row


def _interview_query() -> Any:
    return select(InterviewRow).options(
        joinedload(InterviewRow.application), selectinload(InterviewRow.rubric)
    )


def _date_range(query: Any, column: Any, since: DateLike | None, until: DateLike | None) -> Any:
    if since is not None:
        query = query.where(column >= parse_date(since, "since"))
    if until is not None:
        query = query.where(column <= parse_date(until, "until"))
    return query


def _application(row: ApplicationRow) -> Application:
    return Application(
        id=row.id,
        company=row.company,
        role=row.role,
        level=row.level,
        location=row.location,
        work_mode=WorkMode(row.work_mode) if row.work_mode else None,
        source=Source(row.source) if row.source else None,
        link=row.link,
        applied_on=row.applied_on,
        status=Status(row.status),
        notes=row.notes,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _status_change(row: StatusChangeRow) -> StatusChange:
    return StatusChange(
        id=row.id,
        application_id=row.application_id,
        from_status=Status(row.from_status) if row.from_status else None,
        to_status=Status(row.to_status),
        changed_at=row.changed_at,
        note=row.note,
        forced=row.forced,
    )


def _interview(row: InterviewRow) -> Interview:
    application = row.application
    return Interview(
        id=row.id,
        application_id=row.application_id,
        company=application.company if application else None,
        role=application.role if application else None,
        mock=row.application_id is None,
        kind=InterviewKind(row.kind),
        held_on=row.held_on,
        interviewer=row.interviewer,
        outcome=Outcome(row.outcome),
        self_rating=row.self_rating,
        self_rated_at=row.self_rated_at,
        rubric={score.skill: score.score for score in sorted(row.rubric, key=lambda s: s.skill)},
        notes=row.notes,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _interview_detail(row: InterviewRow) -> InterviewDetail:
    application = row.application
    company = application.company if application else None
    return InterviewDetail(
        interview=_interview(row),
        feedback=tuple(_feedback(item, row.application_id, company) for item in row.feedback),
    )


def _feedback(row: FeedbackRow, application_id: int | None, company: str | None) -> Feedback:
    return Feedback(
        id=row.id,
        interview_id=row.interview_id,
        application_id=application_id,
        company=company,
        source=FeedbackSource(row.source),
        received_on=row.received_on,
        text=row.text,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _statement(row: StatementRow) -> Statement:
    return Statement(
        id=row.id,
        feedback_id=row.feedback_id,
        position=row.position,
        text=row.text,
        label=Label(row.label),
        skills=tuple(skill.skill for skill in row.skills),
        confidence=row.confidence,
        explanation=row.explanation,
        origin=row.origin,
        model_version=row.model_version,
        model_label=Label(row.model_label) if row.model_label else None,
        labelled_at=row.labelled_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _set_skills(row: StatementRow, skills: Iterable[str]) -> None:
    """Change a statement's skill areas in place (replacing the rows would insert a duplicate
    before the old one is deleted)."""
    wanted = list(dict.fromkeys(skills))
    for existing in [s for s in row.skills if s.skill not in wanted]:
        row.skills.remove(existing)
    present = {s.skill for s in row.skills}
    row.skills.extend(StatementSkillRow(skill=skill) for skill in wanted if skill not in present)


def _skill_list(skills: Iterable[str] | str) -> list[str]:
    """Skill areas from a list or 'a,b' text, each checked against the taxonomy."""
    known = skill_ids()
    items = skills.split(",") if isinstance(skills, str) else list(skills)
    chosen: list[str] = []
    for item in items:
        key = normalise_choice(item)
        if not key:
            continue
        if key not in known:
            raise InvalidInput(
                "skills", f"'{item}' is not a skill area ({', '.join(sorted(known))})"
            )
        if key not in chosen:
            chosen.append(key)
    return chosen


def _frame(records: list[Any], record_type: type, *, dates: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd

    columns = [f.name for f in dataclasses.fields(record_type)]
    rows = [{name: _plain(getattr(record, name)) for name in columns} for record in records]
    frame = pd.DataFrame(rows, columns=columns)
    for column in dates:
        frame[column] = pd.to_datetime(frame[column])
    for column in frame.columns:
        if column == "id" or column.endswith("_id"):
            frame[column] = frame[column].astype("Int64")
    return frame


def _plain(value: Any) -> Any:
    # StrEnum members become plain strings so DataFrames compare and group as users expect.
    return value.value if isinstance(value, enum.Enum) else value
