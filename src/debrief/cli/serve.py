"""`debrief serve`: the local web app (dashboard, board, inbox, themes, plan, report)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from debrief.cli.common import WholeRange, journal_created, stacked, with_journal

if TYPE_CHECKING:
    from debrief.journal import Journal

SERVED_AT = "served_at"  # the setting that keeps where the web app was last served


# The options of every command that starts a server (`serve`, `coach serve`).
server_options = stacked(
    [
        click.option(
            "--host", default="127.0.0.1", show_default=True, help="The address to listen on."
        ),
        click.option(
            "--port", default=8000, show_default=True, type=WholeRange(1, 65535), help="The port."
        ),
        click.option(
            "--public-url",
            metavar="URL",
            help="The address the app is reached at through a proxy or tunnel: partners' links use "
            "it, and its host name and origin are accepted "
            "(default for links: the address of the page that made the link).",
        ),
        click.option(
            "--allow-host",
            "allow_hosts",
            metavar="NAME",
            multiple=True,
            help="Another host name (or address) the app may be reached by; repeat for several. "
            "'*' answers any name, which lets any website that points a name at this address read "
            "the journal.",
        ),
        click.option(
            "--workers",
            default=1,
            show_default=True,
            type=WholeRange(1, 32),
            help="Worker processes serving requests (for PostgreSQL, or many users at once).",
        ),
    ]
)


@click.command()
@server_options
@with_journal(access="add")
def serve(
    journal: Journal,
    host: str,
    port: int,
    public_url: str | None,
    allow_hosts: tuple[str, ...],
    workers: int,
) -> None:
    """Start the web app and print its address; Ctrl+C stops it.

    It listens on this computer only unless --host says otherwise, and answers only the names
    it is served under: this computer's, the --host address, the --public-url host and those
    given with --allow-host. It has no login: anyone who can reach the address can read and
    change the journal, so keep it on localhost (a mock partner can answer an offline form
    instead: `debrief partner invite --file`).
    """
    try:
        import uvicorn  # noqa: F401

        from debrief.web import LOCAL_HOSTS, create_app
        from debrief.web.security import new_csrf_key
        from debrief.web.serving import ServeOptions, public_url_problem, run, served_hosts
    except ImportError as error:
        raise click.ClickException(
            f"the web app needs {error.name}: pip install 'fastapi' 'uvicorn' 'python-multipart'"
        ) from None
    if public_url is not None and (problem := public_url_problem(public_url)):
        raise click.BadParameter(problem, param_hint="'--public-url'")
    hosts = served_hosts(host, public_url, allow_hosts)
    key = new_csrf_key()
    url = journal.engine.url.render_as_string(hide_password=False)
    options = ServeOptions(url, host, port, hosts, public_url, key.hex(), workers)
    app = None
    if workers == 1:
        app = create_app(
            journal, allowed_hosts=hosts, public_url=public_url, warm=True, csrf_key=key
        )
    shown = f"[{host}]" if ":" in host else host
    if journal_created(click.get_current_context()):
        click.echo(f"No journal at {journal.location} yet: serving a new, empty one.", err=True)
    address = f"http://{shown}:{port}"
    # `partner invite` builds its links on the address the app was last served at.
    if journal.settings().get(SERVED_AT) != (public_url or address):
        journal.set_setting(SERVED_AT, public_url or address)
    workers_note = f" with {workers} workers" if workers > 1 else ""
    click.echo(
        f"debrief is serving {journal.location} at {address}/{workers_note} (Ctrl+C stops it)"
    )
    if "*" in hosts:
        click.echo(
            "Warning: --allow-host '*' answers any host name: a website that points a name of "
            "its own at this address can read and change the journal.",
            err=True,
        )
    if host not in LOCAL_HOSTS:
        names = ", ".join(h for h in hosts if h not in LOCAL_HOSTS and h != "*")
        click.echo(
            "Warning: listening beyond this computer, with no login: anyone who can reach "
            "this address can read and change the journal. "
            f"It answers the names {names} (add others with --allow-host).",
            err=True,
        )
    if workers > 1:
        journal.close()  # each worker opens its own
    run(options, app)
