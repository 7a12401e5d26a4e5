"""`debrief partner`: one-time feedback forms for mock-interview partners."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from debrief.cli.common import ID, WholeRange, emit_json, with_journal

if TYPE_CHECKING:
    from debrief.journal import Journal


@click.group()
def partner() -> None:
    """Ask a mock-interview partner for structured feedback: a rubric form per interview, by a
    one-time link to the web app or as an offline HTML file."""


@partner.command()
@click.option("--interview", "interview_id", type=ID, required=True, help="The interview.")
@click.option(
    "--days",
    type=WholeRange(1, 90),
    default=7,
    show_default=True,
    help="How long the form stays open.",
)
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write a self-contained HTML form to send the partner (no web app needed).",
)
@click.option(
    "--url",
    "base_url",
    help="Where `debrief serve` is reached, for the link (default: where it was last served, "
    "its --public-url if it had one; else http://127.0.0.1:8000).",
)
@click.option(
    "--coach",
    is_flag=True,
    help="The invite asks your coach: their answers are recorded as the coach's feedback.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the invite as JSON.")
@with_journal(access="change")
def invite(
    journal: Journal,
    interview_id: int,
    days: int,
    path: Path | None,
    base_url: str | None,
    coach: bool,
    as_json: bool,
) -> None:
    """Make a one-time invite to score INTERVIEW: a link to the web app's form, or with --file
    an HTML form the partner fills offline and returns as a small JSON file.

    The token in the link or file is shown once and stored only as a hash; the answers land in
    the inbox for triage, as a mock partner's feedback (a coach's with --coach).
    """
    from debrief.cli.serve import SERVED_AT
    from debrief.partner import create_invite, create_invite_file

    base_url = base_url or journal.settings().get(SERVED_AT) or "http://127.0.0.1:8000"
    if path is None:
        created = create_invite(journal, interview_id, days=days, coach=coach)
    else:
        created = create_invite_file(journal, interview_id, path, days=days, coach=coach)
    link = f"{base_url.rstrip('/')}/partner/{created.token}"
    if as_json:
        emit_json(
            {
                "id": created.id,
                "interview_id": interview_id,
                "expires_at": created.expires_at.isoformat(),
                "link": link,
                "file": str(path) if path else None,
                "source": created.source,
            }
        )
        return
    until = created.expires_at.astimezone().strftime("%Y-%m-%d %H:%M")
    who = "coach" if coach else "partner"
    if path is not None:
        click.echo(
            f"Invite #{created.id} written to {path}; it can be answered once, until {until}.\n"
            f"Send the file to your {who}; import the JSON file they send back with "
            "`debrief partner import FILE`."
        )
    else:
        asks = " (for your coach)" if coach else ""
        click.echo(f"Invite #{created.id}{asks}, open until {until}, answered once:\n{link}")


@partner.command(name="revoke")
@click.argument("invite_id", metavar="INVITE", type=ID)
@with_journal(access="change")
def revoke(journal: Journal, invite_id: int) -> None:
    """Withdraw an invite that was not answered yet (sent to the wrong person, or no longer
    wanted): its link and its offline form stop working."""
    from debrief.partner import revoke_invite

    revoked = revoke_invite(journal, invite_id)
    click.echo(
        f"Invite #{revoked.id} to interview #{revoked.interview_id} is withdrawn: its link "
        "and form no longer work."
    )


@partner.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the new feedback as JSON.")
@with_journal(access="change")
def import_answers(journal: Journal, file: Path, as_json: bool) -> None:
    """Import the answers FILE a partner saved from an offline form (checked against its
    invite's signature, and accepted once)."""
    from debrief.partner.offline import MAX_FILE_BYTES, import_answers

    with file.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    feedback = import_answers(journal, data, file=str(file))
    statements = journal.list_statements(feedback_id=feedback.id)
    if as_json:
        emit_json({"feedback": feedback, "statements": statements})
        return
    click.echo(
        f"Feedback #{feedback.id} added to interview #{feedback.interview_id}: "
        f"{len(statements)} statements to review (`debrief feedback show {feedback.id}`)."
    )


@partner.command(name="list")
@click.option("--interview", "interview_id", type=ID, help="Only this interview's invites.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_journal
def list_invites(journal: Journal, interview_id: int | None, as_json: bool) -> None:
    """List invites: open, used or expired (tokens are never shown again)."""
    from debrief.partner import list_invites

    found = list_invites(journal, interview_id)
    if as_json:
        emit_json([{**_plain(i), "state": i.state()} for i in found])
        return
    if not found:
        click.echo("No invites.")
        return
    for item in found:
        until = item.expires_at.astimezone().strftime("%Y-%m-%d %H:%M")
        answer = f", feedback #{item.feedback_id}" if item.feedback_id else ""
        asks = "  for your coach" if item.source == "coach" else ""
        click.echo(
            f"#{item.id}  interview #{item.interview_id}{asks}  {item.state()} (until {until})"
            f"{answer}"
        )


def _plain(item: object) -> dict[str, object]:
    from debrief.model import to_jsonable

    result: dict[str, object] = to_jsonable(item)
    return result
