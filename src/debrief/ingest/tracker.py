"""Importing a tracker's spreadsheet: match each row to an application, decide, then write.

A row matches an application by its natural key (company and role, whatever their case and
spacing, and the day applied). A new one is created with its status history (applied on the day
applied, then its status on the row's status date or last activity, or the day applied when the
row has neither); a known one whose status moved on gets that change; one that says nothing new
is left alone. So importing the same file twice changes nothing the second time. Everything is
one transaction.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from debrief.ingest.decisions import (
    Decision,
    ImportResult,
    Known,
    Progress,
    decided,
    known_applications,
    tick,
)
from debrief.ingest.spreadsheet import Mapping, RowDraft, Sheet, natural_key, read_sheet
from debrief.journal import Journal
from debrief.model import Status, local_today, status_step

BATCH = 500  # applications written per flush


def plan_sheet(journal: Journal, sheet: Sheet) -> list[tuple[Decision, RowDraft | None]]:
    """A decision for every row of a sheet, in row order (nothing is written)."""
    name = Path(sheet.file).name
    known: dict[tuple[str, str, date], Known] = {}
    for existing in known_applications(journal):
        known.setdefault(
            natural_key(existing.company, existing.role, existing.applied_on), existing
        )
    planned: dict[tuple[str, str, date], Status] = {}  # rows earlier in this file
    rows: list[tuple[int, Decision, RowDraft | None]] = []
    for problem in sheet.problems:
        origin = f"{name} row {problem.line}"
        found = Decision(
            origin, "skip" if problem.skipped else "error", problem.reason, field=problem.field
        )
        rows.append((problem.line, found, None))
    today = local_today()
    added = sheet.columns.get("added_on", "")
    for draft in sheet.drafts:
        origin = f"{name} row {draft.line}"
        about = Decision(
            origin, "skip", "", company=draft.company, role=draft.role, status=draft.status.value
        )
        if draft.key in planned:
            rows.append(
                (
                    draft.line,
                    replace(about, reason="the same application as an earlier row"),
                    None,
                )
            )
            continue
        planned[draft.key] = draft.status
        app = known.get(draft.key)
        if app is None:
            on = draft.status_on or draft.applied_on
            reason = "new application" + (
                f", then '{draft.status}'" if draft.status != Status.APPLIED else ""
            )
            if draft.applied_estimated:
                reason += f"; day applied taken from '{added}' (the row has no date applied)"
            decision = replace(about, action="create", reason=reason, on=on)
            rows.append((draft.line, decision, draft))
            continue
        action, reason = status_step(app.status, draft.status, app.reached)
        if action == "error":  # closed in the journal since: the journal knows better
            action, reason = (
                "unchanged",
                f"'{app.status}' in the journal; the file says '{draft.status}'",
            )
        on = max(draft.status_on or today, app.last_change)
        decision = replace(
            about,
            action=action,
            reason=reason,
            application_id=app.id,
            from_status=app.status.value,
            on=on if action == "update" else None,
        )
        rows.append((draft.line, decision, draft if action == "update" else None))
    rows.sort(key=lambda r: r[0])
    return [(decision, draft) for _, decision, draft in rows]


def write_sheet(
    journal: Journal,
    plan: list[tuple[Decision, RowDraft | None]],
    *,
    progress: Progress | None = None,
) -> list[Decision]:
    """Carry out the decisions in one transaction; returns them with the ids they got."""
    done: list[Decision] = []
    creating = [(d, draft) for d, draft in plan if d.action == "create" and draft is not None]
    with journal.atomic():
        ids: dict[str, int] = {}
        for start in range(0, len(creating), BATCH):
            batch = creating[start : start + BATCH]
            new = journal.add_applications(
                [
                    (
                        {**draft.fields(), "applied_on_known": not draft.applied_estimated},
                        draft.status,
                        draft.status_on,
                        f"imported ({d.origin})",
                    )
                    for d, draft in batch
                ]
            )
            ids.update((d.origin, app_id) for (d, _), app_id in zip(batch, new, strict=True))
            tick(progress, start + len(batch))
        for count, (decision, draft) in enumerate(plan, start=1):
            if decision.action == "create":
                done.append(replace(decision, application_id=ids[decision.origin]))
                continue
            if draft is None:
                done.append(decision)
                continue
            if decision.action == "update" and decision.application_id is not None:
                tick(progress, len(creating) + count)
                journal.change_status(
                    decision.application_id,
                    draft.status,
                    at=decision.on,
                    note=f"imported ({decision.origin})",
                )
                done.append(decision)
    if progress is not None:
        progress(len(plan))
    return done


def import_sheet(
    journal: Journal,
    path: Path,
    *,
    mapping: Mapping | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
    progress: Progress | None = None,
    sheet: Sheet | None = None,
) -> ImportResult:
    """Read (unless the caller already has the `sheet`), decide and (unless a dry run, or a
    row is bad and not `skip_bad`) write."""
    sheet = sheet or read_sheet(path, mapping)
    plan = plan_sheet(journal, sheet)
    decisions = [decision for decision, _ in plan]
    if dry_run or (any(d.action == "error" for d in decisions) and not skip_bad):
        return decided(decisions, sheet.file, written=False)
    return decided(write_sheet(journal, plan, progress=progress), sheet.file, written=True)
