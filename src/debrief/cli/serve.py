"""`debrief serve`: the local web app (dashboard, board, inbox, themes, plan, report)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from debrief.cli.common import journal_created, with_journal

if TYPE_CHECKING:
    from debrief.journal import Journal

SERVED_AT = "served_at"  # the setting that keeps where the web app was last served


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="The port."
)
@click.option(
    "--public-url",
    metavar="URL",
    help="The address partners reach this app at, for the links they get "
    "(default: the address of the page that made the link).",
)
@with_journal(access="add")
def serve(journal: Journal, host: str, port: int, public_url: str | None) -> None:
    """Start the web app and print its address; Ctrl+C stops it.

    It listens on this computer only unless --host says otherwise. It has no login: anyone who
    can reach the address can read and change the journal, so keep it on localhost (a mock
    partner can answer an offline form instead: `debrief partner invite --file`).
    """
    try:
        import uvicorn

        from debrief.web import LOCAL_HOSTS, create_app
    except ImportError as error:
        raise click.ClickException(
            f"the web app needs {error.name}: pip install 'fastapi' 'uvicorn' 'python-multipart'"
        ) from None
    local = host in LOCAL_HOSTS
    hosts = (*LOCAL_HOSTS,) if local else ("*",)
    app = create_app(journal, allowed_hosts=hosts, public_url=public_url, warm=True)
    shown = f"[{host}]" if ":" in host else host
    if journal_created(click.get_current_context()):
        click.echo(f"No journal at {journal.location} yet: serving a new, empty one.", err=True)
    address = f"http://{shown}:{port}"
    # `partner invite` builds its links on the address the app was last served at.
    if journal.settings().get(SERVED_AT) != (public_url or address):
        journal.set_setting(SERVED_AT, public_url or address)
    click.echo(f"debrief is serving {journal.location} at {address}/ (Ctrl+C stops it)")
    if not local:
        click.echo(
            "Warning: listening beyond this computer, with no login: anyone who can reach "
            "this address can read and change the journal.",
            err=True,
        )
    uvicorn.run(app, host=host, port=port, log_level="warning", workers=1)
