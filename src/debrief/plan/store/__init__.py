"""The action plan in the journal: items the user accepts, edits, drops and resolves, and the
practice log; reading the plan as it stands now (`rows` turns the plan's rows into records).

Only what the user decided is stored. Proposals and the reopening of a resolved item whose
theme came back are derived whenever the plan is read (`derive`), so reading never writes; the
user's next change to an item stores what they saw. Every change is one transaction; records
handed out are frozen (`plan.records`). This package is the only one that touches the plan's
tables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from debrief.bank import load_bank
from debrief.errors import InvalidInput, NotFound
from debrief.journal.fields import UNSET, _Unset
from debrief.model import (
    MAX_NOTES,
    clean_text,
    is_whole,
    local_today,
    parse_date,
    parse_rating,
    record_id,
    utcnow,
)
from debrief.plan.derive import (
    Proposed,
    Reopening,
    interviews_of,
    proposals,
    reopenings,
    standing,
)
from debrief.plan.follow import RESOLVE_AFTER, follow_through
from debrief.plan.library import PracticeLibrary, load_library
from debrief.plan.propose import TARGET_DAYS
from debrief.plan.records import (
    ActionItem,
    ItemProgress,
    PlanView,
    PracticeEntry,
)
from debrief.plan.store.rows import (
    add_event,
    all_items,
    keep_proposal,
    keep_reopening,
    to_entry,
    to_item,
)
from debrief.storage.dump import last_id
from debrief.storage.schema import ActionItemRow, ActionTaskRow, PracticeEntryRow
from debrief.taxonomy import skill_named
from debrief.themes import (
    Evidence,
    Facts,
    ThemeReport,
    ThemeSettings,
    load_settings,
    report_from_facts,
    scoped,
)

if TYPE_CHECKING:
    from debrief.journal import Journal
    from debrief.journal.facts import JournalFacts

DEFAULT_ITEMS = 3  # the plan shows proposals for the top three recurring weaknesses
MAX_TASK = 500
MAX_GOAL = 1_000
MAX_MINUTES = 24 * 60


@dataclass(frozen=True, slots=True)
class _State:
    """The plan as read at one moment: what is kept, what is derived, and what from."""

    as_of: date
    facts: Facts
    report: ThemeReport
    kept: tuple[ActionItem, ...]  # as stored
    reopenings: dict[int, Reopening]  # by item id: resolved items whose theme came back
    proposed: tuple[Proposed, ...]  # for every recurring weakness without an item, in rank order

    def items(self) -> list[ActionItem]:
        """Every item as it stands now: kept ones (reopened where their theme came back),
        then the proposals."""
        return standing(self.kept, self.reopenings) + [p.item() for p in self.proposed]


class ActionPlan:
    """The action plan of one journal."""

    def __init__(
        self,
        journal: Journal,
        *,
        library: PracticeLibrary | None = None,
        settings: ThemeSettings | None = None,
    ) -> None:
        self.journal = journal
        self.library = library or load_library()
        self.settings = settings or load_settings()

    # -- reading ---------------------------------------------------------------------------

    def refresh(
        self,
        *,
        as_of: date | None = None,
        items: int = DEFAULT_ITEMS,
        resolve_after: int = RESOLVE_AFTER,
        everything: bool = False,
        read: tuple[Facts, ThemeReport] | None = None,
    ) -> PlanView:
        """The plan as it stands, brought up to date with the journal (nothing is written).

        The items kept in the journal, with a resolved one whose theme came back in a later
        interview shown reopened, and a proposal for each of the top `items` recurring
        weaknesses that has no item (a weakness the user dropped is never proposed again).
        Dropped items are shown only with `everything`. `read` gives the journal's facts and the
        themes built from them as of `as_of`, when the caller has them already (the report
        does), so they are not read and clustered twice.
        """
        if items < 1:
            raise InvalidInput("items", "must be at least 1")
        state = self._state(as_of, read)
        shown = [
            item
            for item in state.items()
            if (everything or item.status != "dropped")
            and (item.status != "proposed" or (item.rank or 0) <= items)
        ]
        progress = sorted(
            (self._progress(item, state, resolve_after) for item in shown), key=_display_order
        )
        notices = tuple(r.notice for r in state.reopenings.values())
        themes = sum(1 for t in state.report.weaknesses if t.status == "theme")
        return PlanView(state.as_of, tuple(progress), notices, themes)

    def status(self, *, as_of: date | None = None, resolve_after: int = RESOLVE_AFTER) -> PlanView:
        """The accepted and resolved items, with their progress and follow-through."""
        view = self.refresh(as_of=as_of, resolve_after=resolve_after)
        kept = tuple(p for p in view.items if p.item.status in ("accepted", "resolved"))
        return PlanView(view.as_of, kept, view.reopened, view.weakness_themes)

    def get(self, ref: int | str, *, as_of: date | None = None) -> ActionItem:
        """One item, by number or by its skill area's name: kept, or proposed now."""
        return _find(self._state(as_of).items(), ref)

    def progress(
        self, ref: int | str, *, as_of: date | None = None, resolve_after: int = RESOLVE_AFTER
    ) -> ItemProgress:
        """One item with its follow-through and evidence."""
        state = self._state(as_of)
        return self._progress(_find(state.items(), ref), state, resolve_after)

    def practice_log(self, ref: int | str | None = None) -> list[PracticeEntry]:
        """The practice log, oldest first: of one item, or of all."""
        if ref is not None:
            return list(self.get(ref).practice)
        with self.journal.reading() as session:
            query = select(PracticeEntryRow).order_by(PracticeEntryRow.done_on, PracticeEntryRow.id)
            return [to_entry(row) for row in session.scalars(query)]

    # -- changes ---------------------------------------------------------------------------

    def accept(
        self, ref: int | str, *, target: date | str | None = None, as_of: date | None = None
    ) -> ActionItem:
        """Take an item on (a proposal, or a dropped or resolved item): follow-through counts
        interviews from today."""
        as_of = as_of or local_today()
        day = parse_date(target, "target") if target is not None else None
        if day is not None and day < as_of:
            raise InvalidInput("target", f"{day} is in the past")
        state = self._state(as_of)
        with self.journal.transaction() as session:
            row = self._taken(session, state, ref, _not_accepted)
            before = row.status
            row.status = "accepted"
            row.accepted_on = row.accepted_on or as_of
            row.tracking_from = as_of
            row.resolved_on = None
            if day is not None or row.target_on is None or row.target_on < as_of:
                row.target_on = day or as_of + timedelta(days=TARGET_DAYS)
            add_event(row, before, "accepted", "accepted by you")
            session.flush()
            self._adopt_practice(session, row)
            return to_item(row)

    def _adopt_practice(self, session: Session, row: ActionItemRow) -> None:
        """Practice questions of the item's area answered while no item served it count for
        it from now on (the practice was for this weakness all along)."""
        area = {q.id for q in load_bank().of_skill(row.skill)}
        loose = session.scalars(
            select(PracticeEntryRow).where(
                PracticeEntryRow.item_id.is_(None), PracticeEntryRow.question.is_not(None)
            )
        )
        for entry in loose:
            if entry.question in area:
                row.practice.append(entry)
        session.flush()

    def drop(self, ref: int | str) -> ActionItem:
        """Set an item aside; its weakness is not proposed again until you accept it."""
        state = self._state(None)
        with self.journal.transaction() as session:
            row = self._taken(session, state, ref, _not_dropped)
            before, row.status = row.status, "dropped"
            add_event(row, before, "dropped", "dropped by you")
            session.flush()
            return to_item(row)

    def resolve(self, ref: int | str, *, as_of: date | None = None) -> ActionItem:
        """Mark an accepted item resolved; it reopens by itself if its theme comes back."""
        as_of = as_of or local_today()
        state = self._state(as_of)
        with self.journal.transaction() as session:
            row = self._taken(session, state, ref, _accepted)
            row.status, row.resolved_on = "resolved", as_of
            add_event(row, "accepted", "resolved", "resolved by you")
            session.flush()
            return to_item(row)

    def edit(
        self,
        ref: int | str,
        *,
        goal: str | _Unset = UNSET,
        target: date | str | _Unset | None = UNSET,
        add_tasks: Sequence[str] = (),
        remove_tasks: Sequence[int] = (),
        done: Sequence[int] = (),
        undone: Sequence[int] = (),
        as_of: date | None = None,
    ) -> ActionItem:
        """Change an accepted (or resolved) item: its goal, target date and tasks.

        Task numbers are those shown by `plan show`; removing renumbers the rest.
        """
        as_of = as_of or local_today()
        new_goal = None
        if not isinstance(goal, _Unset):
            new_goal = clean_text(goal, "goal", MAX_GOAL, required=True)
        texts = [clean_text(t, "add_task", MAX_TASK, required=True) or "" for t in add_tasks]
        state = self._state(as_of)
        with self.journal.transaction() as session:
            row = self._taken(session, state, ref, _taken_on)
            numbers = {task.position: task for task in row.tasks}
            for number in (*remove_tasks, *done, *undone):
                if number not in numbers:
                    raise InvalidInput(
                        "task", f"item #{row.id} has no task {number} (it has 1 to {len(numbers)})"
                    )
            if new_goal is not None:
                row.goal = new_goal
            if not isinstance(target, _Unset):
                row.target_on = parse_date(target, "target") if target else None
            for number in done:
                numbers[number].done_on = numbers[number].done_on or as_of
            for number in undone:
                numbers[number].done_on = None
            if remove_tasks:
                for number in set(remove_tasks):
                    row.tasks.remove(numbers[number])
                session.flush()  # delete before renumbering, or positions collide
                for position, task in enumerate(row.tasks, start=1):
                    task.position = position
            start = len(row.tasks)
            for offset, text in enumerate(texts, start=1):
                row.tasks.append(ActionTaskRow(position=start + offset, kind="own", text=text))
            row.updated_at = utcnow()
            session.flush()
            return to_item(row)

    def log_practice(
        self,
        ref: int | str,
        text: str,
        *,
        minutes: int | None = None,
        on: date | str | None = None,
        task: int | None = None,
        done: bool = False,
    ) -> PracticeEntry:
        """Record practice for an accepted item; with `task` and `done`, that task is done."""
        body = clean_text(text, "text", MAX_NOTES, required=True) or ""
        day = parse_date(on or local_today(), "date", past=True)
        if minutes is not None and not 0 <= minutes <= MAX_MINUTES:
            raise InvalidInput("minutes", f"{minutes} is out of range (0 to {MAX_MINUTES})")
        if done and task is None:
            raise InvalidInput("done", "say which task is done with --task")
        state = self._state(None)
        with self.journal.transaction() as session:
            row = self._taken(session, state, ref, _taken_on)
            chosen = None
            if task is not None:
                chosen = next((t for t in row.tasks if t.position == task), None)
                if chosen is None:
                    raise InvalidInput(
                        "task", f"item #{row.id} has no task {task} (it has 1 to {len(row.tasks)})"
                    )
                if done:
                    chosen.done_on = chosen.done_on or day
            entry = PracticeEntryRow(
                done_on=day, text=body, minutes=minutes, task_id=chosen.id if chosen else None
            )
            row.practice.append(entry)
            session.flush()
            return to_entry(entry, chosen.position if chosen else None)

    def practise_question(
        self,
        ref: str,
        *,
        rating: int | str | None = None,
        minutes: int | None = None,
        on: date | str | None = None,
        notes: str | None = None,
    ) -> PracticeEntry:
        """Log a practice question of the bank as answered: in the practice log of the accepted
        item in its skill area (the item it serves), or of none when there is no such item (an
        item accepted later for that area takes it on). `rating` is how it went (1-5)."""
        question = load_bank().get(ref)
        body = clean_text(notes, "notes", MAX_NOTES) or f"Practised {question.id}: {question.text}"
        score = None if rating in (None, "") else parse_rating(rating, "rating")
        day = parse_date(on or local_today(), "date", past=True)
        if minutes is not None and not 0 <= minutes <= MAX_MINUTES:
            raise InvalidInput("minutes", f"{minutes} is out of range (0 to {MAX_MINUTES})")
        with self.journal.transaction() as session:
            serves = session.scalar(
                select(ActionItemRow)
                .where(ActionItemRow.skill == question.skill, ActionItemRow.status == "accepted")
                .order_by(ActionItemRow.id)
            )
            entry = PracticeEntryRow(
                item=serves,
                done_on=day,
                text=body[:MAX_NOTES],
                minutes=minutes,
                question=question.id,
                rating=score,
            )
            session.add(entry)
            session.flush()
            return to_entry(entry)

    # -- internals -------------------------------------------------------------------------

    def _state(self, as_of: date | None, read: tuple[Facts, ThemeReport] | None = None) -> _State:
        """Read what the plan is derived from (the themes, unless the caller has them)."""
        as_of = as_of or local_today()
        if read is None:
            facts = scoped(self.journal.facts())
            report = report_from_facts(facts, as_of=as_of, settings=self.settings)
        else:
            facts, report = read
        with self.journal.reading() as session:
            kept = tuple(to_item(row) for row in all_items(session))
            after = last_id(session, ActionItemRow.__tablename__)
        found = reopenings(kept, facts, self.settings, as_of)
        proposed = proposals(kept, report, as_of, after, self.library, self.settings)
        return _State(as_of, facts, report, kept, found, tuple(proposed))

    def _taken(
        self, session: Session, state: _State, ref: int | str, allowed: _Allowed
    ) -> ActionItemRow:
        """The row of the item `ref` names, as the user saw it, once `allowed` agrees to the
        change: a proposal becomes a stored item, and a reopening the reader derived is
        stored first."""
        item = _find(state.items(), ref)
        allowed(item.id, item.status)  # before anything is written
        proposed = next((p for p in state.proposed if p.number == item.id), None)
        if item.status == "proposed" and proposed is not None:
            return keep_proposal(session, proposed)
        row = session.get(ActionItemRow, item.id)
        if row is None:
            raise NotFound("plan item", item.id)
        back = state.reopenings.get(row.id)
        if back is not None and row.status == "resolved":
            keep_reopening(row, back)
        allowed(row.id, row.status)  # still, should it have changed since it was read
        return row

    def _progress(self, item: ActionItem, state: _State, resolve_after: int) -> ItemProgress:
        follow = follow_through(
            skill=item.skill,
            status=item.status,
            since=item.tracking_from,
            rounds=state.facts.rounds,
            settings=self.settings,
            exclude=interviews_of(item.evidence, state.facts),
            resolve_after=resolve_after,
            as_of=state.as_of,
        )
        theme = next((t for t in state.report.weaknesses if t.skill == item.skill), None)
        wanted = set(item.evidence)
        evidence: tuple[Evidence, ...] = ()
        if theme is not None:
            evidence = tuple(e for e in theme.evidence if e.statement_id in wanted)
        days = (item.target_on - state.as_of).days if item.target_on else None
        rank = theme.rank if theme is not None and theme.status == "theme" else None
        return ItemProgress(item, follow, days, evidence, rank)


def kept_items(
    journal: Journal,
    facts: JournalFacts | None = None,
    *,
    as_of: date | None = None,
    settings: ThemeSettings | None = None,
) -> list[ActionItem]:
    """The items kept in the journal as they stand now (a resolved one whose theme came back is
    accepted again), without proposals: what analytics count."""
    themed = scoped(facts or journal.facts())
    with journal.reading() as session:
        kept = [to_item(row) for row in all_items(session)]
    found = reopenings(kept, themed, settings or load_settings(), as_of or local_today())
    return standing(kept, found)


def _find(items: Sequence[ActionItem], ref: int | str) -> ActionItem:
    """The item a number or a skill area's name refers to."""
    if isinstance(ref, int) or is_whole(str(ref).strip()):
        number = record_id(ref, "item")
        found = next((item for item in items if item.id == number), None)
        if found is None:
            raise NotFound("plan item", number)
        return found
    skill = skill_named(str(ref), "item")
    found = next((item for item in items if item.skill == skill), None)
    if found is None:
        raise InvalidInput("item", f"no plan item for {skill} (see `debrief plan`)")
    return found


_STATUS_ORDER = {"accepted": 0, "proposed": 1, "resolved": 2, "dropped": 3}


def _display_order(progress: ItemProgress) -> tuple[int, int, int]:
    item = progress.item
    rank = progress.theme_rank if progress.theme_rank is not None else 99
    return (
        _STATUS_ORDER[item.status],
        rank if item.status != "proposed" else item.rank or 99,
        item.id,
    )


_Allowed = Callable[[int, str], None]  # (item number, status): raises when a change may not


def _taken_on(item_id: int, status: str) -> None:
    """Only an item the user took on (accepted, or resolved) is edited or practised."""
    if status not in ("accepted", "resolved"):
        raise InvalidInput(
            "item", f"item #{item_id} is {status}: accept it first (plan accept {item_id})"
        )


def _not_accepted(item_id: int, status: str) -> None:
    if status == "accepted":
        raise InvalidInput("item", f"item #{item_id} is already accepted")


def _not_dropped(item_id: int, status: str) -> None:
    if status == "dropped":
        raise InvalidInput("item", f"item #{item_id} is already dropped")


def _accepted(item_id: int, status: str) -> None:
    if status != "accepted":
        raise InvalidInput(
            "item", f"item #{item_id} is {status}; only an accepted item is resolved"
        )
