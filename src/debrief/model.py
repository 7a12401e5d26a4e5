"""The journal's domain: vocabularies, value rules and the immutable records the core hands out.

Standard library only, so the CLI can build its options and help from it without loading storage.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, TypeVar

from debrief.errors import InvalidInput, InvalidTransition

# Bounds on user text: feedback is pasted from strangers' e-mails, so nothing is unbounded.
MAX_NAME = 200
MAX_LINK = 2_000
MAX_NOTES = 20_000
MAX_FEEDBACK = 100_000
MAX_QUESTION = 2_000  # a question asked in a round
# Record ids fit the journal's integer columns (32 bits on PostgreSQL): a larger one names no
# record, and is refused before it reaches the database.
MAX_ID = 2**31 - 1
# The days a journal holds: none before 1970, and none further ahead than a round booked or a
# target set could be, so a slip of the keyboard (0001-01-01, 9999-12-31) is refused.
EARLIEST_DAY = date(1970, 1, 1)
YEARS_AHEAD = 10


class Choice(enum.StrEnum):
    """A closed vocabulary; values are snake_case and parse from any reasonable spelling."""

    @classmethod
    def parse(cls: type[_C], text: str | Choice, field_name: str) -> _C:
        """Return the member named by `text` ("Cold apply", "cold-apply" and "cold_apply" agree)."""
        key = normalise_choice(str(text))
        try:
            return cls(key)
        except ValueError:
            options = ", ".join(m.value for m in cls)
            raise InvalidInput(field_name, f"'{text}' is not one of: {options}") from None


_C = TypeVar("_C", bound=Choice)


def normalise_choice(text: str) -> str:
    """The snake_case key for a spelling of a vocabulary word or skill area."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


class Status(Choice):
    """Where an application stands; the first five are the pipeline, the last three close it."""

    APPLIED = "applied"
    SCREEN = "screen"
    TECHNICAL = "technical"
    ONSITE = "onsite"
    OFFER = "offer"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    GHOSTED = "ghosted"


PIPELINE: tuple[Status, ...] = (
    Status.APPLIED,
    Status.SCREEN,
    Status.TECHNICAL,
    Status.ONSITE,
    Status.OFFER,
)
FINAL: frozenset[Status] = frozenset({Status.REJECTED, Status.WITHDRAWN})
# A final result: the company decided, or went silent. The moments to ask for feedback.
FINAL_RESULTS: frozenset[Status] = frozenset({Status.REJECTED, Status.GHOSTED, Status.OFFER})


class Source(Choice):
    """How the application started."""

    REFERRAL = "referral"
    COLD_APPLY = "cold_apply"
    RECRUITER_OUTREACH = "recruiter_outreach"
    JOB_BOARD = "job_board"
    NETWORK = "network"
    OTHER = "other"


class WorkMode(Choice):
    """Where the job is done."""

    ONSITE = "onsite"
    HYBRID = "hybrid"
    REMOTE = "remote"


class InterviewKind(Choice):
    """The kind of round."""

    RECRUITER_SCREEN = "recruiter_screen"
    HIRING_MANAGER = "hiring_manager"
    TECHNICAL_SCREEN = "technical_screen"
    SQL = "sql"
    CODING = "coding"
    STATISTICS = "statistics"
    PRODUCT_CASE = "product_case"
    TAKE_HOME = "take_home"
    ML_DESIGN = "ml_design"
    BEHAVIORAL = "behavioral"
    ONSITE = "onsite"
    FINAL = "final"


class Outcome(Choice):
    """How a round ended for the candidate."""

    PENDING = "pending"
    PASSED = "passed"
    REJECTED = "rejected"
    WITHDREW = "withdrew"
    GHOSTED = "ghosted"


class FeedbackSource(Choice):
    """Who gave the feedback."""

    INTERVIEWER = "interviewer"
    RECRUITER = "recruiter"
    MOCK_PARTNER = "mock_partner"
    COACH = "coach"
    SELF = "self"


# Feedback from these sources is an answer from the company; a self, coach or partner note is not.
COMPANY_SOURCES: frozenset[str] = frozenset(
    {FeedbackSource.INTERVIEWER.value, FeedbackSource.RECRUITER.value}
)


class Label(Choice):
    """The triage label of a feedback statement (see the labelling guide in the docs)."""

    CONSTRUCTIVE = "constructive"
    STRENGTH = "strength"
    CIRCUMSTANCE = "circumstance"
    NOISE = "noise"


class QuestionKind(Choice):
    """What kind of question an interviewer asked (or a practice question is)."""

    TECHNICAL = "technical"  # explain, reason, compute
    CODING = "coding"  # write SQL or code
    CASE = "case"  # an open product, metric, experiment or design case
    BEHAVIORAL = "behavioral"  # "tell me about a time..."
    OTHER = "other"


class QuestionSource(Choice):
    """Who recorded a question asked in a round."""

    SELF = "self"  # the candidate, one at a time
    NOTES = "notes"  # read from the candidate's pasted notes
    PARTNER = "partner"  # listed by the mock partner on their form


class AssignmentKind(Choice):
    """What a coach assigns: a practice task, or a mock interview on a skill area."""

    TASK = "task"
    MOCK = "mock"


# Labels that carry skill areas; circumstance and noise carry none.
SKILLED_LABELS: frozenset[Label] = frozenset({Label.CONSTRUCTIVE, Label.STRENGTH})


def furthest_stage(statuses: Iterable[Status | str]) -> Status:
    """The furthest pipeline stage among the statuses an application has had."""
    stages = [Status(s) for s in statuses]
    return max((s for s in stages if s in PIPELINE), key=PIPELINE.index, default=Status.APPLIED)


def check_transition(current: Status, new: Status, reached: Status) -> None:
    """Raise InvalidTransition unless `current` may move to `new`.

    `reached` is the furthest pipeline stage in the application's history. Moving forward (skipping
    stages is fine) or closing is allowed; moving backwards or reopening a final status needs force.
    A ghosted application may come back to life at or beyond the stage it had reached.
    """
    if new == current:
        raise InvalidTransition(f"the application is already '{new}'")
    if current in FINAL:
        raise InvalidTransition(f"'{current}' is final; use --force to change it to '{new}' anyway")
    if new not in PIPELINE:
        return
    if current == Status.GHOSTED and new == Status.APPLIED:
        raise InvalidTransition(
            "a ghosted application comes back at a stage after 'applied' (such as 'screen'); "
            "use --force to reopen it as 'applied'"
        )
    floor = reached if current == Status.GHOSTED else current
    if PIPELINE.index(new) < PIPELINE.index(floor):
        raise InvalidTransition(
            f"'{new}' comes before '{floor}'; use --force to move an application backwards"
        )


def status_step(
    current: Status, new: Status, reached: Status
) -> tuple[Literal["unchanged", "update", "error"], str]:
    """Whether a status found outside the status command (an import, a recorded round) is news,
    allowed, or would move backwards; the one rule both follow."""
    if new == current:
        return "unchanged", f"already '{current}'"
    if new in PIPELINE and current in PIPELINE and PIPELINE.index(new) < PIPELINE.index(current):
        return "unchanged", f"already past '{new}' (now '{current}')"
    try:
        check_transition(current, new, reached)
    except InvalidTransition as error:
        return "error", str(error)
    return "update", f"'{current}' → '{new}'"


def folded(text: str) -> str:
    """Text as a search compares it: case folded ("MÜLLER" finds "Müller") and without accents
    ("zoe" finds "Zoë")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def folded_words(text: str) -> str:
    """Text folded (`folded`) with every run of spaces made one: what two titles or two
    questions must share to be the same one."""
    return " ".join(folded(text).split())


# Vocabulary words written in capitals.
_CAPITALS = {"sql": "SQL", "ml design": "ML design"}


def words(value: object) -> str:
    """A vocabulary value as a person reads it ("cold_apply" is "cold apply", "sql" is "SQL")."""
    text = str(getattr(value, "value", value)).replace("_", " ")
    return _CAPITALS.get(text, text)


def counted(count: int, word: str, plural: str | None = None) -> str:
    """A count with its noun: "1 interview", "3 interviews", "2 analyses" (given `plural`)."""
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


# -- parsing user values ---------------------------------------------------------------------

_DAYS_AGO = re.compile(r"^([0-9]{1,4})\s*(?:d|days?)\s+ago$")


def parse_date(
    text: str | date | None,
    field_name: str,
    *,
    today: date | None = None,
    past: bool = False,
) -> date:
    """Parse YYYY-MM-DD, 'today', 'yesterday' or 'N days ago', within the days a journal holds
    (see `bounded_day`); with `past`, refuse the future."""
    today = today or local_today()
    if isinstance(text, datetime):
        day = text.date()
    elif isinstance(text, date):
        day = text
    elif text is None or not text.strip():
        raise InvalidInput(field_name, "a date is required")
    else:
        day = _parse_date_text(text, field_name, today)
    return bounded_day(day, field_name, today=today, past=past)


def bounded_day(
    day: date, field_name: str, *, today: date | None = None, past: bool = False
) -> date:
    """`day` if a journal can hold it: from 1970 to YEARS_AHEAD years from today (with `past`,
    to today)."""
    today = today or local_today()
    if day < EARLIEST_DAY:
        raise InvalidInput(field_name, f"{day} is before {EARLIEST_DAY.year}")
    if past and day > today:
        raise InvalidInput(field_name, f"{day} is in the future")
    if day > today + timedelta(days=round(YEARS_AHEAD * 365.25)):
        raise InvalidInput(field_name, f"{day} is more than {YEARS_AHEAD} years from today")
    return day


def _parse_date_text(text: str, field_name: str, today: date) -> date:
    value = text.strip().lower()
    if value == "today":
        return today
    if value == "yesterday":
        return today - timedelta(days=1)
    if match := _DAYS_AGO.match(value):
        return today - timedelta(days=int(match.group(1)))
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput(
        field_name, f"'{text}' is not a date (use YYYY-MM-DD, 'today', 'yesterday' or 'N days ago')"
    )


def is_whole(text: str) -> bool:
    """Whether `text` is a whole number as a person types it: ASCII digits only (not "²", "٣"
    or "1_000", which str.isdigit or int would take)."""
    return text.isascii() and text.isdigit()


def whole_number(value: object, field_name: str, low: int, high: int) -> int:
    """A whole number from `low` to `high` that a person gave: an int (not a bool), or ASCII
    digits with spaces around them; InvalidInput on `field_name` for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = value.strip() if isinstance(value, str) else ""
        if not is_whole(text):
            shown = str(value)[:40]
            raise InvalidInput(field_name, f"'{shown}' is not a whole number from {low} to {high}")
        if len(text.lstrip("0")) > len(str(high)):
            raise InvalidInput(field_name, f"{text[:40]} is out of range ({low} to {high})")
        number = int(text)
    if not low <= number <= high:
        shown = str(number) if number.bit_length() < 128 else "the number"
        raise InvalidInput(field_name, f"{shown} is out of range ({low} to {high})")
    return number


def record_id(value: object, field_name: str) -> int:
    """A record's id as a person gave it (see `whole_number`), within the ids a journal has."""
    return whole_number(value, field_name, 1, MAX_ID)


def parse_rating(value: int | str, field_name: str) -> int:
    """A 1–5 rating, as used for self-ratings and rubric scores."""
    return whole_number(value, field_name, 1, 5)


def parse_rubric(
    items: str | Mapping[str, int | str | None] | list[str] | tuple[str, ...],
    known_skills: frozenset[str],
) -> dict[str, int | None]:
    """Parse rubric scores: 'sql=4,statistics=3' (or a mapping); an empty score means remove it."""
    pairs: list[tuple[str, object]] = []
    if isinstance(items, Mapping):
        pairs = list(items.items())
    else:
        chunks = [items] if isinstance(items, str) else list(items)
        for chunk in chunks:
            for part in chunk.split(","):
                if not part.strip():
                    continue
                name, sep, value = part.partition("=") if "=" in part else part.partition(":")
                if not sep:
                    raise InvalidInput("rubric", f"'{part.strip()}' should look like skill=score")
                pairs.append((name, value))
    scores: dict[str, int | None] = {}
    for skill, score in pairs:
        key = normalise_choice(skill)
        if key not in known_skills:
            options = ", ".join(sorted(known_skills))
            raise InvalidInput("rubric", f"'{skill.strip()}' is not a skill area ({options})")
        written = "" if score is None else str(score).strip()
        try:
            scores[key] = parse_rating(written, "rubric") if written else None
        except InvalidInput as error:
            raise InvalidInput("rubric", f"{key}: {error.detail}") from None
    return scores


def clean_text(
    value: str | None, field_name: str, limit: int, *, required: bool = False
) -> str | None:
    """Strip a user string, enforce its size bound, and map empty to None (or refuse it)."""
    text = (value or "").strip()
    if not text:
        if required:
            raise InvalidInput(field_name, "must not be empty")
        return None
    if "\x00" in text:
        raise InvalidInput(field_name, "contains a NUL character; is this a binary file?")
    if len(text) > limit:
        raise InvalidInput(field_name, f"is {len(text):,} characters long; the limit is {limit:,}")
    return text


def local_today() -> date:
    """Today in the user's time zone (one place to ask, so tests can move the clock)."""
    return date.today()


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (every stored timestamp is UTC)."""
    return datetime.now(UTC)


# A field of a record that JSON output leaves out when it is empty: what one call did.
ONLY_WHEN_SET = "only_when_set"

# -- records the core hands out ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One timestamped transition in an application's history (from_status is None at creation)."""

    id: int
    application_id: int
    from_status: Status | None
    to_status: Status
    changed_at: datetime
    note: str | None
    forced: bool
    interview_id: int | None = None  # the round whose recording made the change


@dataclass(frozen=True, slots=True)
class Application:
    """A job application as the journal holds it."""

    id: int
    company: str
    role: str
    level: str | None
    location: str | None
    work_mode: WorkMode | None
    source: Source | None
    link: str | None
    applied_on: date
    status: Status
    notes: str | None
    created_at: datetime
    updated_at: datetime
    applied_on_known: bool = True  # False: applied_on is an estimate (the first mail about it)
    feedback_asked_on: date | None = None  # the day feedback was asked for, when recorded


@dataclass(frozen=True, slots=True)
class Interview:
    """One round, real (with an application) or mock (without one)."""

    id: int
    application_id: int | None
    company: str | None
    role: str | None
    mock: bool
    kind: InterviewKind
    held_on: date
    interviewer: str | None
    outcome: Outcome
    self_rating: int | None
    self_rated_at: datetime | None
    rubric: dict[str, int]
    notes: str | None
    created_at: datetime
    updated_at: datetime
    # What recording or changing the round did to its applications' statuses (add and edit
    # only; two applications when an edit moved the round from one to another).
    moved: tuple[RoundMoves, ...] = field(default=(), metadata={ONLY_WHEN_SET: True})
    # Open partner invites an edit withdrew (a mock attached to an application).
    invites_revoked: int = field(default=0, metadata={ONLY_WHEN_SET: True})


@dataclass(frozen=True, slots=True)
class RoundMoves:
    """The status changes a round made to its application, and those it took back (an edit or
    a delete takes back the changes it made before, when nothing came after them)."""

    application_id: int
    company: str
    made: tuple[StatusChange, ...] = ()
    taken_back: tuple[StatusChange, ...] = ()
    status: Status | None = None  # the application's status afterwards

    def __bool__(self) -> bool:
        return bool(self.made or self.taken_back)

    def sentence(self) -> str:
        """What happened, for a person: "Application #3 (Acme) moved applied → technical on
        2026-11-10. It is now technical." """
        parts = [f"took back {c.from_status} → {c.to_status}" for c in self.taken_back]
        parts += [
            f"moved {c.from_status} → {c.to_status} on {c.changed_at.astimezone().date()}"
            for c in self.made
        ]
        now = f" It is now {self.status}." if self.status else ""
        return f"Application #{self.application_id} ({self.company}) {'; '.join(parts)}.{now}"


@dataclass(frozen=True, slots=True)
class Feedback:
    """Feedback as received, verbatim; tied to an interview, or directly to an application."""

    id: int
    interview_id: int | None
    application_id: int | None
    company: str | None
    source: FeedbackSource
    received_on: date
    text: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement of a piece of feedback, triaged.

    `origin` says what decided the label: `user` (labelled by hand), `learned` (a near-paraphrase
    of a statement the user labelled), `rule`, `heading` (a section such as "What went well:")
    or `model`. `model_label` keeps the model's verdict when the user overrode it.
    """

    id: int
    feedback_id: int
    position: int
    text: str
    label: Label
    skills: tuple[str, ...]
    confidence: float
    explanation: str
    origin: str
    model_version: str
    model_label: Label | None
    labelled_at: datetime | None
    created_at: datetime
    updated_at: datetime
    uncertain: bool = False  # see `is_uncertain`


# Below this calibrated confidence a label the model gave needs a person's look: it is marked
# "uncertain", comes first in review and weighs less in themes (docs/triage.md has the
# reliability table it was read from).
UNCERTAIN_BELOW = 0.6
DECIDED_BY_MODEL = frozenset({"model", "heading"})


def is_uncertain(origin: str, confidence: float) -> bool:
    """Whether a label needs a person's look: the model gave it, and it was not sure."""
    return origin in DECIDED_BY_MODEL and confidence < UNCERTAIN_BELOW


@dataclass(frozen=True, slots=True)
class InviteState:
    """A mock partner's invite as the journal keeps it: only the token's hash, never the token."""

    id: int
    interview_id: int
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    feedback_id: int | None
    revoked_at: datetime | None = None
    # Who the invite asks: a mock partner, or a coach (their answers are recorded as that).
    source: str = "mock_partner"

    def state(self, now: datetime | None = None) -> str:
        """open, used, revoked or expired."""
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if (now or utcnow()) >= self.expires_at else "open"


@dataclass(frozen=True, slots=True)
class TriageRun:
    """What re-running triage did; `skipped` counts feedback that changed while triage ran
    (left as it was, for the next run)."""

    feedback: int
    statements: int
    changed: int
    kept_user_labels: int
    model_version: str
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class FeedbackEdit:
    """What editing a piece of feedback's text did: its statements now; how many labels of the
    user's were kept (their statement is still in the text), how many statements triage made
    afresh, and how many earlier statements were replaced (`labels_dropped` of them the user's,
    whose text is gone)."""

    feedback: Feedback
    statements: tuple[Statement, ...]
    kept: int
    new: int
    dropped: int
    labels_dropped: int


@dataclass(frozen=True, slots=True)
class Question:
    """A question asked in a round, with how it went (1-5) and the story told, if any."""

    id: int
    interview_id: int
    number: int  # its place among the round's questions (1, 2, ...)
    text: str
    kind: QuestionKind
    skill: str | None
    subskill: str | None
    competency: str | None
    rating: int | None
    notes: str | None
    source: QuestionSource
    story_id: int | None
    # The round it was asked in, for reading it without another query.
    held_on: date
    mock: bool
    round_kind: InterviewKind
    company: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Story:
    """A story of the STAR bank, with the competencies and skill areas it shows."""

    id: int
    title: str
    situation: str | None
    task: str | None
    action: str | None
    result: str | None
    competencies: tuple[str, ...]
    skills: tuple[str, ...]
    notes: str | None
    created_at: datetime
    updated_at: datetime

    def missing(self) -> tuple[str, ...]:
        """The parts of situation, task, action and result the story does not have yet."""
        parts = {"situation": self.situation, "task": self.task, "action": self.action}
        parts["result"] = self.result
        return tuple(name for name, value in parts.items() if not value)


@dataclass(frozen=True, slots=True)
class Assignment:
    """Practice a coach assigned: a task or a mock interview on a skill area, due on a day.
    The coach is known by name only (a journal knows no one else's account)."""

    id: int
    kind: AssignmentKind
    skill: str
    subskill: str | None
    text: str
    due_on: date
    assigned_by: str
    assigned_at: datetime
    done_on: date | None
    interview_id: int | None  # the mock interview recorded for it
    feedback_id: int | None  # the coach's scores and notes on that mock

    @property
    def open(self) -> bool:
        """Not done yet."""
        return self.done_on is None

    def days_left(self, as_of: date) -> int:
        """Days until it is due (negative: overdue)."""
        return (self.due_on - as_of).days


@dataclass(frozen=True, slots=True)
class InterviewDetail:
    """An interview with the feedback it received."""

    interview: Interview
    feedback: tuple[Feedback, ...]


@dataclass(frozen=True, slots=True)
class ApplicationDetail:
    """An application with its status history, its interviews and feedback not tied to a round."""

    application: Application
    history: tuple[StatusChange, ...]
    interviews: tuple[InterviewDetail, ...]
    feedback: tuple[Feedback, ...]


@dataclass(frozen=True, slots=True)
class Deleted:
    """What a delete removed."""

    kind: str
    id: int
    interviews: int = 0
    feedback: int = 0
    # Status changes taken back with a deleted round.
    moved: tuple[RoundMoves, ...] = field(default=(), metadata={ONLY_WHEN_SET: True})


@dataclass(frozen=True, slots=True)
class JournalSummary:
    """Counts that describe a journal at a glance.

    `by_status` counts current statuses; `reached` counts applications that ever got to each
    pipeline stage (an application rejected after its onsite counts for screen, technical and
    onsite).
    """

    applications: int
    companies: int
    first_applied: date | None
    last_applied: date | None
    by_status: dict[str, int] = field(default_factory=dict)
    reached: dict[str, int] = field(default_factory=dict)
    interviews_real: int = 0
    interviews_mock: int = 0
    interviews_by_kind: dict[str, dict[str, int]] = field(default_factory=dict)
    feedback: int = 0
    feedback_by_source: dict[str, int] = field(default_factory=dict)
    statements_by_label: dict[str, int] = field(default_factory=dict)


def to_jsonable(value: Any) -> Any:
    """Turn records (and what they hold) into JSON-ready values: ISO dates, enum values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_jsonable(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) or not f.metadata.get(ONLY_WHEN_SET)
        }
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


# -- text as it is shown -------------------------------------------------------------------------

# Characters that reorder the text around them: bidi embeddings, overrides and isolates, and
# the marks (LRM, RLM, ALM). Kept in the journal as typed, they are shown as what they are, so a
# company typed as "\u202emoc.evil" cannot pass itself off as "live.com" on a page or a terminal.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """`text` as shown to a person: each bidirectional control as a visible ⟨U+202E⟩."""
    if text.isascii() or not _BIDI_CONTROLS.search(text):  # nearly all text: returned at once
        return text
    return _BIDI_CONTROLS.sub(lambda found: f"⟨U+{ord(found.group()):04X}⟩", text)
