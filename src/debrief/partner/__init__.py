"""Mock-partner feedback: one-time invites to the rubric form of one interview.

An invite holds an unguessable token (192 bits); the journal keeps only its SHA-256, an expiry
and whether it was used. The partner answers the form once, through the web app's link or an
offline HTML file (`offline.py`); the answers become rubric scores on the interview and a piece
of feedback, triaged like any other, in the candidate's inbox. A token grants nothing else.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from debrief.errors import DebriefError, InvalidInput
from debrief.model import (
    MAX_QUESTION,
    Feedback,
    FeedbackSource,
    InterviewKind,
    InviteState,
    QuestionSource,
    clean_text,
    counted,
    utcnow,
)
from debrief.taxonomy import load_taxonomy, round_skills

if TYPE_CHECKING:
    from debrief.journal import Journal
    from debrief.triage.classify import Triage

TOKEN_BYTES: Final = 24  # 192 bits, above the 128 the threat calls for
DEFAULT_DAYS: Final = 7
MAX_DAYS: Final = 90
MAX_ANSWER: Final = 5_000  # characters per free-text answer
MAX_PARTNER_NAME: Final = 100
MAX_ASKED: Final = 30  # questions a partner lists


class InviteRefused(DebriefError):
    """The token names no invite, or one that expired, was used or withdrawn, or whose
    interview is no longer a mock."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        messages = {
            "unknown": (
                "this link is incomplete or unknown; a mail program may have cut it in two. "
                "Ask the person who sent it to send it again, or to send the form as a file"
            ),
            "expired": "this link has expired; ask for a new one",
            "used": "this form was already answered; each link can be used once",
            "revoked": "the person who sent this link withdrew it; ask them for a new one",
            "not_mock": (
                "this interview is no longer a mock interview, so its form is closed; "
                "nothing was recorded"
            ),
        }
        super().__init__(messages[reason])


@dataclass(frozen=True, slots=True)
class Invite:
    """A new invite; `token` exists only here, at creation."""

    id: int
    interview_id: int
    token: str
    expires_at: datetime
    source: str = FeedbackSource.MOCK_PARTNER.value  # who is asked: mock_partner or coach


@dataclass(frozen=True, slots=True)
class RubricArea:
    """A skill area the partner scores."""

    id: str
    name: str
    covers: str


@dataclass(frozen=True, slots=True)
class RubricForm:
    """What the partner sees: the round (never the candidate's journal), areas and anchors."""

    invite_id: int
    kind: str
    held_on: str
    expires_at: datetime
    areas: tuple[RubricArea, ...]
    anchors: tuple[tuple[int, str], ...]
    questions: dict[str, str]


@dataclass(frozen=True, slots=True)
class PartnerAnswers:
    """The partner's answers, validated."""

    scores: dict[str, int]
    went_well: str | None
    work_on: str | None
    comments: str | None
    partner: str | None
    asked: tuple[str, ...] = ()  # the questions the partner asked, one per line of their list

    def feedback_text(self) -> str:
        """The answers as feedback, with the headings triage reads as sections."""
        parts = []
        if self.went_well:
            parts.append(f"What went well:\n{self.went_well}")
        if self.work_on:
            parts.append(f"What to work on:\n{self.work_on}")
        if self.comments:
            parts.append(self.comments)
        return "\n\n".join(parts)


@cache
def _rubric() -> dict[str, Any]:
    text = resources.files("debrief.partner.data").joinpath("rubric.toml").read_text("utf-8")
    return tomllib.loads(text)


def anchors() -> tuple[tuple[int, str], ...]:
    """What each score from 1 to 5 means."""
    return tuple((int(score), text) for score, text in sorted(_rubric()["anchors"].items()))


def form_questions() -> dict[str, str]:
    """The form's free-text questions, by field (went_well, work_on, comments)."""
    return dict(_rubric()["questions"])


def rubric_areas(kind: InterviewKind | str) -> tuple[RubricArea, ...]:
    """The areas a round of `kind` tests, as the form asks about them."""
    by_id = {area.id: area for area in load_taxonomy().areas}
    tested = round_skills().get(InterviewKind.parse(kind, "kind").value, ("communication",))
    return tuple(RubricArea(a, by_id[a].name, by_id[a].covers) for a in tested)


def token_hash(token: str) -> str:
    """The SHA-256 the journal keeps for a token (also the key an offline answer is signed with)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_invite(
    journal: Journal,
    interview_id: int,
    *,
    days: int = DEFAULT_DAYS,
    now: datetime | None = None,
    coach: bool = False,
) -> Invite:
    """A new one-time link to the rubric form of `interview_id`, open for `days` days; with
    `coach`, it asks the candidate's coach, whose answers are recorded as the coach's."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput("days", f"{days} is out of range (1 to {MAX_DAYS})")
    if not journal.get_interview(interview_id).interview.mock:
        raise InvalidInput(
            "interview",
            f"interview #{interview_id} is a real round; a partner's form is for a mock interview",
        )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    created = now or utcnow()
    kept = journal.add_invite(
        interview_id,
        token_hash(token),
        created_at=created,
        expires_at=created + timedelta(days=days),
        source=FeedbackSource.COACH if coach else FeedbackSource.MOCK_PARTNER,
    )
    return Invite(kept.id, interview_id, token, kept.expires_at, kept.source)


def create_invite_file(
    journal: Journal,
    interview_id: int,
    path: Path,
    *,
    days: int = DEFAULT_DAYS,
    now: datetime | None = None,
    coach: bool = False,
) -> Invite:
    """A new invite whose offline form is written to `path`. The invite is kept only once the
    file is written, and the file only if the invite is kept: a form that cannot be written
    leaves no open invite whose token nobody has."""
    from debrief.files import write_text
    from debrief.partner.offline import offline_form

    written = False
    try:
        with journal.atomic():
            invite = create_invite(journal, interview_id, days=days, now=now, coach=coach)
            write_text(path, offline_form(journal, invite))
            written = True
    except BaseException:
        if written:  # the commit failed: the file's token names no invite
            path.unlink(missing_ok=True)
        raise
    return invite


def list_invites(journal: Journal, interview_id: int | None = None) -> list[InviteState]:
    """Invites, oldest first: all, or those of one interview."""
    return journal.list_invites(interview_id)


def revoke_invite(journal: Journal, invite_id: int, *, now: datetime | None = None) -> InviteState:
    """Withdraw an invite that was not answered yet: its link and its offline form stop
    working, and the partner who opens it is told to ask for a new one."""
    return journal.revoke_invite(invite_id, now or utcnow())


def revoked_notice(count: int) -> str:
    """What to tell the candidate when attaching a mock to an application revoked its invites."""
    were = "was" if count == 1 else "were"
    return (
        f"{counted(count, 'open partner invite')} {were} revoked: a partner's form is for a "
        "mock interview, and this one is a real round now."
    )


def _find(journal: Journal, key_hash: str, now: datetime) -> InviteState:
    """An open invite to a mock interview; InviteRefused otherwise."""
    invite = journal.invite_by_hash(key_hash)
    if invite is None:
        raise InviteRefused("unknown")
    state = invite.state(now)
    if state != "used" and not journal.get_interview(invite.interview_id).interview.mock:
        raise InviteRefused("not_mock")
    if state != "open":
        raise InviteRefused(state)
    return invite


def _valid_token(token: str) -> bool:
    return 16 <= len(token) <= 128 and token.replace("-", "").replace("_", "").isalnum()


def open_invite(journal: Journal, token: str, *, now: datetime | None = None) -> RubricForm:
    """The form an open invite shows; InviteRefused when the token is unknown, expired, used or
    withdrawn, or its interview is no longer a mock."""
    if not _valid_token(token):
        raise InviteRefused("unknown")
    return _form(journal, _find(journal, token_hash(token), now or utcnow()))


def _form(journal: Journal, invite: InviteState) -> RubricForm:
    interview = journal.get_interview(invite.interview_id).interview
    return RubricForm(
        invite_id=invite.id,
        kind=interview.kind.value,
        held_on=interview.held_on.isoformat(),
        expires_at=invite.expires_at,
        areas=rubric_areas(interview.kind),
        anchors=anchors(),
        questions=form_questions(),
    )


def parse_answers(raw: Mapping[str, Any], areas: tuple[RubricArea, ...]) -> PartnerAnswers:
    """The partner's answers checked: scores 1 to 5 for the form's areas only (blank skips one),
    bounded text, and something to say (a score or an answer)."""
    known = {area.id for area in areas}
    given = raw.get("scores") or {}
    if not isinstance(given, Mapping):
        raise InvalidInput("scores", "must map skill areas to scores")
    scores: dict[str, int] = {}
    for skill, value in given.items():
        if skill not in known:
            raise InvalidInput("scores", f"'{skill}' is not an area of this form")
        if value is None or value == "":
            continue
        try:
            score = int(value)
        except (TypeError, ValueError, OverflowError):
            raise InvalidInput(f"score_{skill}", f"'{value}' is not a score from 1 to 5") from None
        if isinstance(value, bool) or not 1 <= score <= 5 or str(score) != str(value).strip():
            raise InvalidInput(f"score_{skill}", f"'{value}' is not a score from 1 to 5")
        scores[skill] = score
    texts = {}
    for name in ("went_well", "work_on", "comments"):
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            raise InvalidInput(name, "must be text")
        texts[name] = clean_text(value, name, MAX_ANSWER)
    partner = raw.get("partner")
    if partner is not None and not isinstance(partner, str):
        raise InvalidInput("partner", "must be text")
    answers = PartnerAnswers(
        scores=scores,
        went_well=texts["went_well"],
        work_on=texts["work_on"],
        comments=texts["comments"],
        partner=clean_text(partner, "partner", MAX_PARTNER_NAME),
        asked=asked_list(raw.get("asked")),
    )
    if not answers.scores and not answers.feedback_text():
        raise InvalidInput("form", "give at least one score or a few words of feedback")
    return answers


# A list's marks: bullets, "1.", "(2)", "Q3:" (not the "Q-" of "Q-learning").
_LIST_MARK = re.compile(
    r"^[ \t]*(?:[-*•·–]|\(?\d{1,3}[.):]|q\d{0,3}[ \t]*(?:[:.)]|-(?=[ \t])))[ \t]*", re.IGNORECASE
)


def asked_list(value: Any) -> tuple[str, ...]:
    """The questions a partner listed, one per line (bullets and numbers taken off)."""
    if value is None:
        return ()
    if not isinstance(value, str):
        raise InvalidInput("asked", "must be text, one question per line")
    text = clean_text(value, "asked", MAX_ANSWER) or ""
    lines = [_LIST_MARK.sub("", line).strip() for line in text.splitlines()]
    found = tuple(line for line in lines if line)
    if len(found) > MAX_ASKED:
        raise InvalidInput("asked", f"{len(found)} questions; list at most {MAX_ASKED}")
    for line in found:
        if len(line) > MAX_QUESTION:
            raise InvalidInput("asked", f"a question is longer than {MAX_QUESTION:,} characters")
    return found


def submit(
    journal: Journal, token: str, raw: Mapping[str, Any], *, now: datetime | None = None
) -> Feedback:
    """Take the partner's answers through the link: validated, then stored once (the invite is
    used up in the same transaction, so two submissions cannot both land)."""
    if not _valid_token(token):
        raise InviteRefused("unknown")
    return _accept(journal, token_hash(token), raw, now or utcnow())


def _accept(journal: Journal, key_hash: str, raw: Mapping[str, Any], now: datetime) -> Feedback:
    invite = _find(journal, key_hash, now)
    form = _form(journal, invite)
    ready = ready_answers(journal, parse_answers(raw, form.areas))
    with journal.atomic():
        if not journal.claim_invite(invite.id, now):
            _find(journal, key_hash, now)  # says why: used, withdrawn, or no longer a mock
            raise InviteRefused("used")
        feedback = record_answers(journal, invite.interview_id, ready, source=invite.source)
        journal.attach_invite_feedback(invite.id, feedback.id)
        return feedback


@dataclass(frozen=True, slots=True)
class ReadyAnswers:
    """Answers with their text triaged and their questions' areas guessed: the slow part,
    done before the write transaction opens."""

    answers: PartnerAnswers
    text: str
    statements: tuple[Triage, ...]
    asked: tuple[dict[str, Any], ...]


def ready_answers(journal: Journal, answers: PartnerAnswers) -> ReadyAnswers:
    """Triage the answers' text and guess their questions' areas (outside any write)."""
    text = answers.feedback_text() or _scores_text(answers.scores)
    statements = journal.triager().triage_text(text)
    asked: list[dict[str, Any]] = []
    if answers.asked:
        from debrief.prep.infer import with_guesses

        asked = with_guesses([{"text": question} for question in answers.asked])
    return ReadyAnswers(answers, text, tuple(statements), tuple(asked))


def record_answers(
    journal: Journal,
    interview_id: int,
    ready: ReadyAnswers,
    *,
    source: FeedbackSource | str,
    scorer: str | None = None,
) -> Feedback:
    """Put a rubric form's answers on a mock: its scores, the name of who scored it (when the
    mock names no interviewer yet), their feedback with `source`, and the questions they
    listed; one transaction (the caller's, if one is open)."""
    answers = ready.answers
    with journal.atomic():
        if answers.scores:
            journal.edit_interview(interview_id, rubric=dict(answers.scores))
        name = answers.partner or scorer
        if name and journal.get_interview(interview_id).interview.interviewer is None:
            journal.edit_interview(interview_id, interviewer=name)
        feedback = journal.add_feedback(
            ready.text,
            interview_id=interview_id,
            source=source,
            triaged=list(ready.statements),
        )
        if ready.asked:
            journal.add_questions(interview_id, list(ready.asked), source=QuestionSource.PARTNER)
        return feedback


def _scores_text(scores: dict[str, int]) -> str:
    """Feedback for a form answered with scores alone, so the inbox still shows it."""
    names = {area.id: area.name for area in load_taxonomy().areas}
    return "Rubric scores: " + ", ".join(f"{names[s]} {n}/5" for s, n in sorted(scores.items()))
