"""Importing job mail: read every message, match it to an application, decide, then write.

Messages are taken oldest first, so a confirmation, an invitation and a rejection from one
company land in the order they happened. A message matches the application at the same company
(its name compared without case or legal suffix) applied to before the message was sent,
preferring the one for the same role, else the latest; a message about an application the
journal does not have yet creates it. Its event moves the status on (an invitation to the round
it names, a take-home to technical, a rejection, an offer) on the day the message was sent,
never backwards. Feedback in it (constructive statements, as triage reads them) is added to the
application's last round before the message. Every message acted on is remembered by its
Message-ID, so importing the same mailbox twice changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from debrief.ingest.decisions import (
    Decision,
    ImportResult,
    Known,
    Progress,
    decided,
    known_applications,
    tick,
)
from debrief.ingest.mail.classify import (
    Reading,
    company_key,
    company_words,
    read_letter,
    same_company_loosely,
    same_role,
)
from debrief.ingest.mail.dates import stated_applied_day
from debrief.ingest.mail.policy import STAGE_STATUS, doubts, status_of
from debrief.ingest.mail.read import Letter, messages
from debrief.journal import Journal
from debrief.journal.imported import ImportedMessage, QueuedMessage, Review
from debrief.model import FINAL, MAX_FEEDBACK, MAX_NAME, Status, local_today, status_step
from debrief.triage.classify import Triage, Triager

UNKNOWN_ROLE = "(role not named)"
SLACK = timedelta(days=3)  # a confirmation may be dated a little before the day logged
# How far before an application's estimated day applied a message may still date it.
ESTIMATE_REACH = timedelta(days=120)


@dataclass(frozen=True, slots=True)
class MailStep:
    """What writing one message does."""

    letter: Letter
    reading: Reading
    decision: Decision
    create: bool  # create the application first
    target: int  # the application's id; negative for one this import creates
    status: Status | None  # move it to this status
    feedback: MailFeedback | None  # add this feedback
    applied_on: date | None = None  # a new application's day applied (else the message's)
    applied_on_known: bool = True  # False: that day is only the first message's


@dataclass(frozen=True, slots=True)
class MailReview:
    """A message the reader is unsure of: it goes to the review queue, nothing else."""

    letter: Letter
    decision: Decision
    queued: QueuedMessage


class _Applications:
    """The applications messages can match: the journal's and those this import creates,
    indexed by their company's first word so each message looks at a handful, not all."""

    def __init__(self, known: Iterable[Known]) -> None:
        self.by_id: dict[int, Known] = {}
        self.by_word: dict[str, set[int]] = {}
        self.created = 0
        for app in known:
            self.put(app)

    def put(self, app: Known) -> None:
        if app.id not in self.by_id:
            for word in {(*company_words(app.company), "")[0], company_key(app.company)}:
                self.by_word.setdefault(word, set()).add(app.id)
        self.by_id[app.id] = app

    def new(self, company: str, role: str, day: date, known: bool = True) -> Known:
        self.created += 1
        return Known(-self.created, company, role, day, Status.APPLIED, Status.APPLIED, day, known)

    def at(self, company: str) -> list[Known]:
        """The applications at a company (see `same_company_loosely`)."""
        words = company_words(company)
        if not words:
            return []
        ids = self.by_word.get(words[0], set()) | self.by_word.get(company_key(company), set())
        return [
            self.by_id[i]
            for i in sorted(ids)
            if same_company_loosely(self.by_id[i].company, company)
        ]


FEEDBACK_EVENTS = ("rejection", "other")
TRIAGE_BATCH = 200  # messages whose feedback triage reads at once (bounds the memory it takes)
WRITE_BATCH = 500  # messages written per transaction (each holds the write lock a moment)
# Feedback worth triaging says so or weighs the work; a form letter does neither, so triage
# (the slow part of reading a mailbox) runs only where one of these is found (a bulleted line
# too: its spaces are read from the first of a run, as docs/triage.md says).
FEEDBACK_HINT = re.compile(
    r"(?i)feedback|\bnotes?\b|comments|we felt|they felt|the panel|would have|could have|"
    r"didn't|did not|lacked|missing|however|on the plus side|strong(?:er)?\b|weak|"
    r"improve|concern|expected|were hoping|(?<!\s)[^\S\n]*+\n\s*+(?:[-*•]|\d\.)\s"
)


@dataclass(frozen=True, slots=True)
class MailFeedback:
    """The feedback a message carries: its text, and the statements triage made of it."""

    text: str
    statements: tuple[Triage, ...]


def carries_feedback(reading: Reading, triager: Triager) -> MailFeedback | None:
    """The message's feedback when it is news of a decision and triage finds a constructive
    statement in it (an invitation's "prepare X" is advice, not feedback), else None."""
    [found] = feedback_of([reading], triager)
    return found


def feedback_of(readings: Sequence[Reading], triager: Triager) -> list[MailFeedback | None]:
    """`carries_feedback` for many messages, triaged together (much faster than one by one)."""
    texts = {
        index: reading.text[:MAX_FEEDBACK].strip()
        for index, reading in enumerate(readings)
        if reading.event in FEEDBACK_EVENTS and FEEDBACK_HINT.search(reading.text)
    }
    found: list[MailFeedback | None] = [None] * len(readings)
    items = list(texts.items())
    for start in range(0, len(items), TRIAGE_BATCH):
        chunk = items[start : start + TRIAGE_BATCH]
        triaged = triager.triage_texts([text for _, text in chunk])
        for (index, text), statements in zip(chunk, triaged, strict=True):
            if any(s.label == "constructive" for s in statements):
                found[index] = MailFeedback(text, tuple(statements))
    return found


def plan_mail(
    journal: Journal, letters: Iterable[Letter], *, progress: Progress | None = None
) -> list[MailStep | MailReview | Decision]:
    """A decision for every message (nothing is written): steps for those to act on, and
    reviews for those the reader is unsure of."""
    seen = journal.imported_keys()
    queued = journal.review_keys()
    apps = _Applications(known_applications(journal))
    triager = journal.triager()
    own = own_names(journal)
    read = []
    for count, letter in enumerate(letters, start=1):
        tick(progress, count)
        read.append(letter)
    # Oldest first by the time each was sent; the order read breaks ties (and places mail
    # with no date last), so a morning invitation comes before the evening's rejection.
    latest = datetime.max.replace(tzinfo=UTC)
    read.sort(key=lambda letter: (letter.sent_at or latest, letter.sequence))
    decided: list[Decision | tuple[Letter, Reading]] = []
    batch: set[str] = set()
    for letter in read:
        if letter.problem:
            decided.append(Decision(letter.origin, "error", letter.problem, field="message"))
            continue
        if letter.key in seen or letter.key in queued or letter.key in batch:
            why = (
                "already imported"
                if letter.key in seen
                else "already in the review queue"
                if queued.get(letter.key) == "pending"
                else f"already reviewed ({queued[letter.key]})"
                if letter.key in queued
                else "the same message twice"
            )
            decided.append(Decision(letter.origin, "skip", why))
            continue
        reading = read_letter(letter, own)
        if not reading.job:
            decided.append(
                Decision(letter.origin, "skip", reading.why, confidence=reading.confidence)
            )
            continue
        batch.add(letter.key)
        decided.append((letter, reading))
    # Triage reads every job message's feedback in one go, before the steps use it.
    readings = [item[1] for item in decided if not isinstance(item, Decision)]
    feedback = iter(feedback_of(readings, triager))
    return [
        item if isinstance(item, Decision) else _step(*item, apps, next(feedback))
        for item in decided
    ]


def own_names(journal: Journal) -> tuple[str, ...]:
    """The user's own names (`debrief config set name …`), which are never a company."""
    name = journal.settings().get("name", "").strip()
    return (name,) if name else ()


def _step(
    letter: Letter,
    reading: Reading,
    apps: _Applications,
    found: MailFeedback | None,
    *,
    review: bool = True,
    application_id: int | None = None,
) -> MailStep | MailReview | Decision:
    """What to do with one job message (`found`: the feedback it carries): act on it, or
    (`review`: when unsure) queue it. `application_id` is the user's choice of application
    (accepting a review)."""
    common = dict(
        company=reading.company,
        role=reading.role,
        event=reading.event,
        confidence=reading.confidence,
    )
    day = min(letter.sent or local_today(), local_today())
    target = status_of(reading.event, reading.stage)
    unsure = list(doubts(reading)) if review else []
    candidates = apps.at(reading.company) if reading.company else []
    if application_id is not None:
        chosen = apps.by_id.get(application_id)
        if chosen is None:
            return Decision(letter.origin, "error", f"no application with id {application_id}")
        match: Known | None = chosen
    else:
        match, rivals = _match(reading, day, candidates)
        if rivals:
            listed = ", ".join(f"#{app.id} {app.role}" for app in rivals[:4] if app.id > 0)
            which = f"which application? ({listed or 'several in this import'})"
            if not review:  # accepting a review: the user says which, never a guess
                return Decision(letter.origin, "error", f"{which}: give the application's id")
            unsure.append(which)
    if unsure:
        return _queue(letter, reading, unsure, common)
    if not reading.company:
        return Decision(letter.origin, "skip", f"job mail, but {reading.why}", **common)  # type: ignore[arg-type]
    if match is None:
        return _create(letter, reading, apps, day, found, common)
    status: Status | None = None
    action, why = "unchanged", "nothing to change"
    if target is not None:
        action, why = status_step(match.status, target, match.reached)
        if action == "error":  # stale news (an invitation after a rejection) changes nothing
            action = "unchanged"
        if action == "update":
            status = target
    if found:
        action = "update"
        why = f"{why}; feedback added" if status else "feedback added"
    dated = _dates_an_estimate(reading, day, match)
    if dated is not None:
        action = "update"
        why = f"{why}; applied on {dated}, not {match.applied_on}"
    on = max(day, match.last_change, dated or match.applied_on)  # never before a change
    if status is not None or dated is not None:
        apps.put(
            replace(
                match,
                status=status or match.status,
                reached=_further(match.reached, status) if status else match.reached,
                last_change=on if status else match.last_change,
                applied_on=dated or match.applied_on,
                applied_on_known=match.applied_on_known or dated is not None,
            )
        )
    decision = Decision(
        letter.origin,
        action,  # type: ignore[arg-type]
        f"{why} ({reading.why})",
        application_id=match.id if match.id > 0 else None,
        status=status.value if status else None,
        from_status=match.status.value if status else None,
        on=on if status else None,
        **common,  # type: ignore[arg-type]
    )
    known = match.applied_on_known or dated is not None
    return MailStep(letter, reading, decision, False, match.id, status, found, dated, known)


def _create(
    letter: Letter,
    reading: Reading,
    apps: _Applications,
    day: date,
    feedback: MailFeedback | None,
    common: dict[str, Any],
) -> MailStep | Decision:
    """The step for a message about an application the journal does not have yet."""
    target = status_of(reading.event, reading.stage)
    if target is None and feedback is None:
        return Decision(
            letter.origin,
            "skip",
            f"{reading.why}; no application to attach it to",
            **common,
        )
    applied_on, known = _applied_day(reading, day)
    new = apps.new(reading.company or "", reading.role or UNKNOWN_ROLE, applied_on, known)
    first = target if target not in (None, Status.APPLIED) else None
    if first is not None:
        apps.put(replace(new, status=first, reached=_reached(first)))
    else:
        apps.put(new)
    reason = "new application" + (
        ""
        if reading.event == "application_received"
        else f" applied {applied_on} as the message says"
        if known
        else " (applied date unknown)"
    )
    reason += f", then '{first}'" if first else ""
    reason += " with feedback" if feedback else ""
    decision = Decision(
        letter.origin,
        "create",
        f"{reason} ({reading.why})",
        status=(first or Status.APPLIED).value,
        on=day,
        **common,
    )
    return MailStep(letter, reading, decision, True, new.id, first, feedback, applied_on, known)


def _dates_an_estimate(reading: Reading, day: date, match: Known) -> date | None:
    """The day applied an earlier message gives an application whose day applied was only
    estimated (an acknowledgement read after the rejection, from another folder or a later
    import), else None."""
    if match.applied_on_known:
        return None
    applied, known = _applied_day(reading, day)
    if known and applied < match.applied_on and match.applied_on - applied <= ESTIMATE_REACH:
        return applied
    return None


def _applied_day(reading: Reading, day: date) -> tuple[date, bool]:
    """The day a new application was made, and whether it is known: an acknowledgement's day,
    or a day the message states; else the message's day, which is only an estimate."""
    if reading.event == "application_received":
        return day, True
    stated = stated_applied_day(reading.text, day)
    return (stated, True) if stated else (day, False)


def _queue(
    letter: Letter, reading: Reading, unsure: Sequence[str], common: dict[str, Any]
) -> MailReview:
    """The review step for a message the reader is unsure of."""
    target = status_of(reading.event, reading.stage)
    proposal = f"'{target}'" if target else "no status change"
    decision = Decision(
        letter.origin,
        "review",
        f"{'; '.join(unsure)}: proposes {proposal} ({reading.why})",
        status=target.value if target else None,
        **common,
    )
    sender = (
        f"{reading.sender_name} <{reading.sender_address}>"
        if reading.sender_name
        else reading.sender_address
    )
    queued = QueuedMessage(
        key=letter.key,
        origin=letter.origin,
        sender=sender,
        subject=reading.subject,
        sent_at=letter.sent_at,
        sent_on=letter.sent,
        text=reading.text,
        event=reading.event,
        company=reading.company,
        role=reading.role,
        stage=reading.stage,
        confidence=reading.confidence,
        company_confidence=reading.company_confidence,
        why=reading.why,
        doubts="; ".join(unsure),
    )
    return MailReview(letter, decision, queued)


def _reached(status: Status) -> Status:
    return status if status in STAGE_STATUS.values() or status == Status.OFFER else Status.APPLIED


def _further(reached: Status, status: Status) -> Status:
    """The further of the stage reached and the stage a new status implies."""
    order = [Status.APPLIED, *STAGE_STATUS.values(), Status.OFFER]
    implied = _reached(status)
    return max(reached, implied, key=lambda s: order.index(s) if s in order else 0)


def _match(reading: Reading, day: date, apps: Sequence[Known]) -> tuple[Known | None, list[Known]]:
    """The application a message is about, and the rivals when it cannot tell.

    Same company, applied before the message was sent. A message that names a role goes to
    the application for that role; when the company's applications all name other roles, it
    is about a new application (two roles at one company are two applications). A message
    that names no role goes to the company's one open application; with several open, it
    cannot tell (the rivals are returned)."""
    # An application whose day applied is an estimate (a later message's day) may be what an
    # earlier message is about, when that message is news: it moves the status or dates the
    # application (news of nothing matches by date alone, so a re-import stays a no-op).
    news = status_of(reading.event, reading.stage) is not None
    same = [
        app
        for app in apps
        if app.applied_on <= day + SLACK
        or (not app.applied_on_known and news and app.applied_on - day <= ESTIMATE_REACH)
    ]
    if not same:
        return None, []
    if reading.role:
        by_role = [app for app in same if same_role(app.role, reading.role)]
        if by_role:
            return max(by_role, key=lambda app: (app.applied_on, app.id)), []
        unnamed = [app for app in same if app.role == UNKNOWN_ROLE]
        if unnamed:
            return max(unnamed, key=lambda app: (app.applied_on, app.id)), []
        return None, []
    open_ = [app for app in same if app.status not in FINAL]
    if len(open_) > 1:
        return None, sorted(open_, key=lambda app: app.id)
    if open_:
        return open_[0], []
    return max(same, key=lambda app: (app.applied_on, app.id)), []


def write_mail(
    journal: Journal,
    steps: Sequence[MailStep | MailReview | Decision],
    *,
    progress: Progress | None = None,
) -> list[Decision]:
    """Carry out the steps, WRITE_BATCH at a time, each batch in one transaction with the
    messages it acted on remembered: the write lock is held a moment at a time (a web app
    beside the import goes on writing), and an import cut short is carried on by running it
    again (the messages written are skipped). Returns the decisions with the ids they got."""
    done: list[Decision] = []
    created: dict[int, int] = {}  # planned (negative) id -> the id it got
    for start in range(0, len(steps), WRITE_BATCH):
        with journal.atomic():
            done.extend(_write_batch(journal, steps[start : start + WRITE_BATCH], created))
        tick(progress, min(start + WRITE_BATCH, len(steps)))
    if progress is not None:
        progress(len(steps))
    return done


def _write_batch(
    journal: Journal,
    steps: Sequence[MailStep | MailReview | Decision],
    created: dict[int, int],
) -> list[Decision]:
    done: list[Decision] = []
    remembered: list[ImportedMessage] = []  # the messages acted on, written at the end
    queued: list[QueuedMessage] = []
    for step in steps:
        if isinstance(step, Decision):
            done.append(step)
            continue
        if isinstance(step, MailReview):
            queued.append(step.queued)
            done.append(step.decision)
            continue
        letter, reading, decision = step.letter, step.reading, step.decision
        day = min(letter.sent or local_today(), local_today())
        if step.create:
            app = journal.add_application(
                (reading.company or "")[:MAX_NAME],
                (reading.role or UNKNOWN_ROLE)[:MAX_NAME],
                applied_on=step.applied_on or day,
                applied_on_known=step.applied_on_known,
                notes=f"Created from an e-mail ({letter.origin}): {letter.subject}"[:2000],
            )
            created[step.target] = app.id
        app_id = step.target if step.target > 0 else created[step.target]
        if not step.create and step.applied_on is not None:  # an estimate made known
            journal.edit_application(app_id, applied_on=step.applied_on, applied_on_known=True)
        if step.status is not None:
            journal.change_status(
                app_id,
                step.status,
                at=decision.on or day,
                note=f"e-mail: {letter.subject}"[:500],
            )
        feedback_id = None
        if step.feedback:
            interview = None
            if step.target > 0:  # an application this import made has no rounds yet
                rounds = journal.list_interviews(application_id=app_id, until=day)
                interview = rounds[-1].id if rounds else None
            source = "recruiter" if _from_recruiter(reading) else "interviewer"
            feedback = journal.add_feedback(
                step.feedback.text,
                triaged=step.feedback.statements,
                interview_id=interview,
                application_id=None if interview else app_id,
                source=source,
                received_on=min(day, local_today()),
            )
            feedback_id = feedback.id
        remembered.append(
            ImportedMessage(letter.key, letter.origin[:500], reading.event, app_id, feedback_id)
        )
        done.append(replace(decision, application_id=app_id))
    journal.remember_imported(remembered)
    journal.queue_for_review(queued)
    return done


def _from_recruiter(reading: Reading) -> bool:
    text = f"{reading.sender_name} {reading.text[-600:]}".casefold()
    return any(word in text for word in ("recruit", "talent", "people team", "hr ", "careers"))


def import_mail(
    journal: Journal,
    paths: Sequence[Path],
    *,
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Read, decide and (unless a dry run, or a message is bad and not `skip_bad`) write."""
    steps = plan_mail(journal, messages(list(paths)), progress=progress)
    decisions = decisions_of(steps)
    source = ", ".join(str(p) for p in paths)
    if dry_run or (any(d.action == "error" for d in decisions) and not skip_bad):
        return decided(decisions, source, written=False, mail=True)
    return decided(write_mail(journal, steps), source, written=True, mail=True)


def decisions_of(steps: Iterable[MailStep | MailReview | Decision]) -> list[Decision]:
    """The decision of each step, as a dry run shows them."""
    return [step if isinstance(step, Decision) else step.decision for step in steps]


def accept_review(
    journal: Journal,
    review_id: int,
    *,
    company: str | None = None,
    role: str | None = None,
    event: str | None = None,
    stage: str | None = None,
    application_id: int | None = None,
) -> Decision:
    """Write a queued message as the reader proposed it, or as the user corrected it (the
    company, the role, the event and its stage, or the application it is about)."""
    from debrief.errors import InvalidInput

    review = journal.get_review(review_id)
    journal.before_writing("accepting a review")
    step = _review_step(
        journal,
        review,
        _Applications(known_applications(journal)),
        Correction(company, role, event, stage, application_id),
    )
    if isinstance(step, Decision) and step.action == "error":
        raise InvalidInput("application_id", step.reason)
    with journal.atomic():
        [done] = write_mail(journal, [step])
        journal.settle_review(review_id, "accepted", done.application_id)
    return done


@dataclass(frozen=True, slots=True)
class Correction:
    """What the user changes of a queued message's reading when accepting it (None: keep it)."""

    company: str | None = None
    role: str | None = None  # "" for none
    event: str | None = None
    stage: str | None = None
    application_id: int | None = None


@dataclass(frozen=True, slots=True)
class ReviewPreview:
    """What accepting a queued message would write (an "error" decision says why it cannot be
    accepted so, `field` naming what to correct), and the applications at its company."""

    decision: Decision
    candidates: tuple[Known, ...]


def preview_review(
    journal: Journal, review_id: int, correction: Correction | None = None
) -> ReviewPreview:
    """What `accept_review` would do with a queued message, as proposed or corrected; nothing
    is written."""
    from debrief.errors import InvalidInput

    review = journal.get_review(review_id)
    correction = correction or Correction()
    apps = _Applications(known_applications(journal))
    company = (correction.company or review.company or "").strip()
    if correction.application_id in apps.by_id:
        company = apps.by_id[correction.application_id].company
    candidates = tuple(apps.at(company)) if company else ()  # before the step plans any
    try:
        step = _review_step(journal, review, apps, correction)
        decision = step if isinstance(step, Decision) else step.decision
    except InvalidInput as error:
        decision = Decision(review.origin, "error", error.detail, field=error.field)
    if decision.action == "error" and decision.field is None:
        decision = replace(decision, field="application_id")
    return ReviewPreview(decision, candidates)


def _review_step(
    journal: Journal, review: Review, apps: _Applications, correction: Correction
) -> MailStep | MailReview | Decision:
    """The step accepting a pending review takes (AlreadySettled, or InvalidInput naming the
    field, when it cannot)."""
    from email.utils import parseaddr

    from debrief.errors import AlreadySettled, InvalidInput
    from debrief.ingest.mail.classify import EVENTS

    company = correction.company or review.company
    role = review.role if correction.role is None else correction.role
    event, stage, application_id = correction.event, correction.stage, correction.application_id
    if review.state != "pending":
        raise AlreadySettled(review.id, review.state)
    if event is not None and event not in EVENTS:
        raise InvalidInput("event", f"'{event}' is not one of {', '.join(EVENTS)}")
    if stage is not None and stage not in (*STAGE_STATUS, "applied", "offer"):
        raise InvalidInput("stage", f"'{stage}' is not one of applied, {', '.join(STAGE_STATUS)}")
    if application_id is not None and application_id not in apps.by_id:
        raise InvalidInput("application_id", f"no application with id {application_id}")
    name, address = parseaddr(review.sender)
    letter = Letter(
        origin=review.origin,
        key=review.key,
        sender_name=name,
        sender_address=address,
        subject=review.subject,
        sent_at=review.sent_at,
        text=review.text,
        sent=review.sent_on,
    )
    reading = Reading(
        job=True,
        event=event or review.event,
        confidence=1.0,
        company=(company or "").strip()[:MAX_NAME] or None,
        role=(role or "").strip()[:MAX_NAME] or None,
        stage=stage if stage is not None else (None if event else review.stage),
        why=f"accepted from review {review.id}",
        text=review.text,
        sender_name=name,
        sender_address=address,
        subject=review.subject,
        company_confidence=1.0,
    )
    if not reading.company and application_id is None:
        raise InvalidInput("company", "name the company or the application it is about")
    if not reading.company and application_id is not None:
        reading = replace(reading, company=apps.by_id[application_id].company)
    return _step(
        letter,
        reading,
        apps,
        carries_feedback(reading, journal.triager()),
        review=False,
        application_id=application_id,
    )


def discard_review(journal: Journal, review_id: int) -> None:
    """Leave a queued message out of the journal for good (a re-import will not queue it)."""
    journal.settle_review(review_id, "discarded")
