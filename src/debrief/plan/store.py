"""The action plan in the journal: proposals kept in step with the themes, items the user accepts,
edits, drops and resolves, the practice log, and follow-through that reopens an item by itself.

Every operation is one transaction; records handed out are frozen (`plan.records`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from debrief.errors import InvalidInput, NotFound
from debrief.journal import UNSET, _Unset
from debrief.model import MAX_NOTES, clean_text, local_today, parse_date, utcnow
from debrief.plan.follow import RESOLVE_AFTER, follow_through
from debrief.plan.library import PracticeLibrary, load_library
from debrief.plan.propose import TARGET_DAYS, Proposal, propose
from debrief.plan.records import (
    ActionEvent,
    ActionItem,
    ActionTask,
    ItemProgress,
    PlanView,
    PracticeEntry,
)
from debrief.storage.schema import (
    ActionEventRow,
    ActionEvidenceRow,
    ActionItemRow,
    ActionTaskRow,
    PracticeEntryRow,
)
from debrief.taxonomy import area_name, skill_named
from debrief.themes import (
    Evidence,
    Facts,
    ThemeReport,
    ThemeSettings,
    load_facts,
    report_from_facts,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from debrief.journal import Journal

DEFAULT_ITEMS = 3  # proposals cover the top three recurring weaknesses
MAX_TASK = 500
MAX_GOAL = 1_000
MAX_MINUTES = 24 * 60


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
        self.settings = settings

    # -- reading and refreshing ------------------------------------------------------------

    def refresh(
        self,
        *,
        as_of: date | None = None,
        items: int = DEFAULT_ITEMS,
        resolve_after: int = RESOLVE_AFTER,
        everything: bool = False,
        read: tuple[Facts, ThemeReport] | None = None,
    ) -> PlanView:
        """Bring the plan up to date with the journal and show it.

        Proposals follow the current top `items` recurring weaknesses (a weakness the user
        dropped is never proposed again); a resolved item whose theme came back in a later
        interview is reopened. Dropped items are shown only with `everything`. `read` gives
        the journal's facts and the themes built from them as of `as_of`, when the caller has
        them already (the report does), so they are not read and clustered twice.
        """
        as_of = as_of or local_today()
        if items < 1:
            raise InvalidInput("items", "must be at least 1")
        if read is None:
            facts = load_facts(self.journal)
            report = report_from_facts(facts, as_of=as_of, settings=self.settings)
        else:
            facts, report = read
        with self.journal.transaction() as session:
            rows = _all_items(session)
            reopened = self._reopen(session, rows, facts, as_of)
            current = self._sync_proposals(session, rows, report, as_of, items)
            session.flush()
            shown = [
                r
                for r in _all_items(session)
                if (everything or r.status != "dropped")
                and (r.status != "proposed" or r.id in current)
            ]
            records = [_item(row) for row in shown]
        progress = [self._progress(item, facts, report, as_of, resolve_after) for item in records]
        progress.sort(key=_display_order)
        themes = sum(1 for t in report.weaknesses if t.status == "theme")
        return PlanView(as_of, tuple(progress), tuple(reopened), themes)

    def status(self, *, as_of: date | None = None, resolve_after: int = RESOLVE_AFTER) -> PlanView:
        """The accepted and resolved items, with their progress and follow-through."""
        view = self.refresh(as_of=as_of, resolve_after=resolve_after)
        kept = tuple(p for p in view.items if p.item.status in ("accepted", "resolved"))
        return PlanView(view.as_of, kept, view.reopened, view.weakness_themes)

    def get(self, ref: int | str) -> ActionItem:
        """One item, by id or by its skill area's name."""
        with self.journal.reading() as session:
            return _item(self._row(session, ref))

    def progress(
        self, ref: int | str, *, as_of: date | None = None, resolve_after: int = RESOLVE_AFTER
    ) -> ItemProgress:
        """One item with its follow-through and evidence (reopened first if its theme is back)."""
        as_of = as_of or local_today()
        facts = load_facts(self.journal)
        report = report_from_facts(facts, as_of=as_of, settings=self.settings)
        with self.journal.transaction() as session:
            self._reopen(session, _all_items(session), facts, as_of)
            item = _item(self._row(session, ref))
        return self._progress(item, facts, report, as_of, resolve_after)

    def practice_log(self, ref: int | str | None = None) -> list[PracticeEntry]:
        """The practice log, oldest first: of one item, or of all."""
        with self.journal.reading() as session:
            query = select(PracticeEntryRow).order_by(PracticeEntryRow.done_on, PracticeEntryRow.id)
            if ref is not None:
                query = query.where(PracticeEntryRow.item_id == self._row(session, ref).id)
            return [_entry(row) for row in session.scalars(query)]

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
        with self.journal.transaction() as session:
            row = self._row(session, ref)
            if row.status == "accepted":
                raise InvalidInput("item", f"item #{row.id} is already accepted")
            before = row.status
            row.status = "accepted"
            row.accepted_on = row.accepted_on or as_of
            row.tracking_from = as_of
            row.resolved_on = None
            if day is not None or row.target_on is None or row.target_on < as_of:
                row.target_on = day or as_of + timedelta(days=TARGET_DAYS)
            _event(row, before, "accepted", "accepted by you")
            session.flush()
            return _item(row)

    def drop(self, ref: int | str) -> ActionItem:
        """Set an item aside; its weakness is not proposed again until you accept it."""
        with self.journal.transaction() as session:
            row = self._row(session, ref)
            if row.status == "dropped":
                raise InvalidInput("item", f"item #{row.id} is already dropped")
            before, row.status = row.status, "dropped"
            _event(row, before, "dropped", "dropped by you")
            session.flush()
            return _item(row)

    def resolve(self, ref: int | str, *, as_of: date | None = None) -> ActionItem:
        """Mark an accepted item resolved; it reopens by itself if its theme comes back."""
        as_of = as_of or local_today()
        with self.journal.transaction() as session:
            row = self._row(session, ref)
            if row.status != "accepted":
                raise InvalidInput(
                    "item", f"item #{row.id} is {row.status}; only an accepted item is resolved"
                )
            row.status, row.resolved_on = "resolved", as_of
            _event(row, "accepted", "resolved", "resolved by you")
            session.flush()
            return _item(row)

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
        with self.journal.transaction() as session:
            row = self._row(session, ref)
            _require_taken(row)
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
            return _item(row)

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
        with self.journal.transaction() as session:
            row = self._row(session, ref)
            _require_taken(row)
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
            return _entry(entry, chosen.position if chosen else None)

    # -- internals -------------------------------------------------------------------------

    def _row(self, session: Session, ref: int | str) -> ActionItemRow:
        if isinstance(ref, int) or str(ref).strip().isdigit():
            item_id = int(ref)
            row = session.get(ActionItemRow, item_id)
            if row is None:
                raise NotFound("plan item", item_id)
            return row
        skill = skill_named(str(ref), "item")
        found = session.scalars(
            select(ActionItemRow).where(ActionItemRow.skill == skill).order_by(ActionItemRow.id)
        ).first()
        if found is None:
            raise InvalidInput("item", f"no plan item for {skill} (see `debrief plan`)")
        return found

    def _reopen(
        self, session: Session, rows: list[ActionItemRow], facts: Facts, as_of: date
    ) -> list[str]:
        """Reopen resolved items whose theme an interview on or after resolution raised again."""
        settings = self.settings or _settings()
        lines = []
        for row in rows:
            if row.status != "resolved" or row.resolved_on is None:
                continue
            follow = follow_through(
                skill=row.skill,
                status="accepted",
                since=row.resolved_on,
                rounds=facts.rounds,
                settings=settings,
                exclude=_interviews_of([e.statement_id for e in row.evidence], facts),
                as_of=as_of,
            )
            back = next((c for c in follow.checks if c.raised), None)
            if back is None:
                continue
            where = f"{'mock ' if back.mock else ''}{back.kind.replace('_', ' ')}"
            reason = (
                f"the theme came back: the {where} on {back.held_on} (interview "
                f"#{back.interview_id}) raised {area_name(row.skill).lower()} again"
            )
            row.status, row.resolved_on = "accepted", None
            row.tracking_from = back.held_on
            row.reopened += 1
            _event(row, "resolved", "accepted", reason)
            lines.append(f"Reopened item #{row.id} ({row.title}): {reason}.")
        return lines

    def _sync_proposals(
        self,
        session: Session,
        rows: list[ActionItemRow],
        report: ThemeReport,
        as_of: date,
        items: int,
    ) -> set[int]:
        """Propose an item for each of the top `items` recurring weaknesses that has none (a
        dropped one is skipped), refresh the proposals already there, and return their ids.

        A proposal outside the top stays (hidden, keeping its number) while its weakness is
        still a theme, and goes when it no longer is.
        """
        by_skill = {row.skill: row for row in rows}
        current: set[int] = set()
        slots = items
        for theme in report.weaknesses:
            if slots == 0 or theme.status != "theme":
                break
            row = by_skill.get(theme.skill)
            if row is not None and row.status == "dropped":
                continue
            slots -= 1
            if row is not None and row.status != "proposed":
                continue
            proposal = propose(theme, items - slots, as_of, self.library)
            if row is None:
                row = ActionItemRow(
                    skill=theme.skill, status="proposed", proposed_on=as_of, reopened=0
                )
                _event(
                    row,
                    None,
                    "proposed",
                    f"proposed: raised in {theme.interviews} interviews "
                    f"({theme.interviews_real} real, {theme.interviews_mock} mock)",
                )
                session.add(row)
                rows.append(row)
            _apply(session, row, proposal)
            session.flush()
            current.add(row.id)
        recurring = {t.skill for t in report.weaknesses if t.status == "theme"}
        for row in rows:
            if row.status == "proposed" and row.id not in current and row.skill not in recurring:
                session.delete(row)  # no longer a recurring weakness
        return current

    def _progress(
        self,
        item: ActionItem,
        facts: Facts,
        report: ThemeReport,
        as_of: date,
        resolve_after: int,
    ) -> ItemProgress:
        settings = self.settings or _settings()
        follow = follow_through(
            skill=item.skill,
            status=item.status,
            since=item.tracking_from,
            rounds=facts.rounds,
            settings=settings,
            exclude=_interviews_of(item.evidence, facts),
            resolve_after=resolve_after,
            as_of=as_of,
        )
        theme = next((t for t in report.weaknesses if t.skill == item.skill), None)
        wanted = set(item.evidence)
        evidence: tuple[Evidence, ...] = ()
        if theme is not None:
            evidence = tuple(e for e in theme.evidence if e.statement_id in wanted)
        days = (item.target_on - as_of).days if item.target_on else None
        rank = theme.rank if theme is not None and theme.status == "theme" else None
        return ItemProgress(item, follow, days, evidence, rank)


def stored_items(journal: Journal) -> list[ActionItem]:
    """Every item kept in the journal, in id order."""
    with journal.reading() as session:
        return [_item(row) for row in _all_items(session)]


_STATUS_ORDER = {"accepted": 0, "proposed": 1, "resolved": 2, "dropped": 3}


def _display_order(progress: ItemProgress) -> tuple[int, int, int]:
    item = progress.item
    rank = progress.theme_rank if progress.theme_rank is not None else 99
    return (
        _STATUS_ORDER[item.status],
        rank if item.status != "proposed" else item.rank or 99,
        item.id,
    )


def _settings() -> ThemeSettings:
    from debrief.themes import load_settings

    return load_settings()


def _require_taken(row: ActionItemRow) -> None:
    """Only an item the user took on (accepted, or resolved) is edited or practised."""
    if row.status not in ("accepted", "resolved"):
        raise InvalidInput(
            "item", f"item #{row.id} is {row.status}: accept it first (plan accept {row.id})"
        )


def _interviews_of(statement_ids: Iterable[int], facts: Facts) -> frozenset[int]:
    """The interviews some statements came from (those that motivated an item)."""
    interviews = {m.statement_id: m.interview_id for m in facts.mentions}
    return frozenset(i for s in statement_ids if (i := interviews.get(s)) is not None)


def _all_items(session: Session) -> list[ActionItemRow]:
    query = (
        select(ActionItemRow)
        .options(
            selectinload(ActionItemRow.tasks),
            selectinload(ActionItemRow.practice),
            selectinload(ActionItemRow.events),
            selectinload(ActionItemRow.evidence),
        )
        .order_by(ActionItemRow.id)
    )
    return list(session.scalars(query))


def _apply(session: Session, row: ActionItemRow, proposal: Proposal) -> None:
    """Write a proposal into a proposed item, keeping the rows that did not change."""
    row.title = proposal.title
    row.goal = proposal.goal
    row.rank = proposal.rank
    row.target_on = proposal.target_on
    if [(t.kind, t.text) for t in row.tasks] != [(t.kind, t.text) for t in proposal.tasks]:
        row.tasks.clear()
        session.flush()  # the old positions go before the new ones take them
        row.tasks.extend(
            ActionTaskRow(position=n, kind=t.kind, text=t.text)
            for n, t in enumerate(proposal.tasks, start=1)
        )
    wanted = set(proposal.evidence)
    for link in [e for e in row.evidence if e.statement_id not in wanted]:
        row.evidence.remove(link)
    present = {e.statement_id for e in row.evidence}
    row.evidence.extend(
        ActionEvidenceRow(statement_id=s) for s in proposal.evidence if s not in present
    )
    row.updated_at = utcnow()


def _event(row: ActionItemRow, before: str | None, after: str, reason: str) -> None:
    row.events.append(
        ActionEventRow(at=utcnow(), from_status=before, to_status=after, reason=reason)
    )


def _item(row: ActionItemRow) -> ActionItem:
    positions = {task.id: task.position for task in row.tasks}
    return ActionItem(
        id=row.id,
        skill=row.skill,
        title=row.title,
        goal=row.goal,
        status=row.status,
        rank=row.rank,
        target_on=row.target_on,
        proposed_on=row.proposed_on,
        accepted_on=row.accepted_on,
        tracking_from=row.tracking_from,
        resolved_on=row.resolved_on,
        reopened=row.reopened,
        tasks=tuple(
            ActionTask(task.id, task.position, task.kind, task.text, task.done_on)
            for task in row.tasks
        ),
        practice=tuple(_entry(entry, positions.get(entry.task_id or -1)) for entry in row.practice),
        events=tuple(
            ActionEvent(event.at, event.from_status, event.to_status, event.reason)
            for event in row.events
        ),
        evidence=tuple(sorted((e.statement_id for e in row.evidence), reverse=True)),
    )


def _entry(row: PracticeEntryRow, task_number: int | None = None) -> PracticeEntry:
    if task_number is None and row.task_id is not None:
        task_number = next((t.position for t in row.item.tasks if t.id == row.task_id), None)
    return PracticeEntry(row.id, row.item_id, task_number, row.done_on, row.text, row.minutes)
