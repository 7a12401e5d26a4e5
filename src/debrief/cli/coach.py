"""`debrief coach`: a server where a coach follows many students' searches (docs/coach.md)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from debrief.cli.common import DB_KEY, printable
from debrief.cli.serve import server_options

if TYPE_CHECKING:
    from debrief.coach.store import Directory, Person

SERVED_AT = "served_at"  # where the server was last served: links printed here use it
PASSWORD_ENV = "DEBRIEF_COACH_PASSWORD"  # the first admin's password, for scripts


def _server_url() -> str:
    given = click.get_current_context().find_root().meta.get(DB_KEY)
    url = given or os.environ.get("DEBRIEF_DATABASE_URL")
    if not url:
        raise click.UsageError(
            "name the coach server's database with --db (a new SQLite file, or a PostgreSQL "
            "URL): it is not a personal journal"
        )
    from debrief.storage.location import resolve_database_url

    return resolve_database_url(url)


def _directory(*, create: bool = False) -> Directory:
    from debrief.coach.store import Directory

    return Directory.open(_server_url(), create=create)


def _first_admin(directory: Directory) -> Person:
    admins = directory.people("admin")
    if not admins:
        raise click.ClickException("this server has no admin yet: run `debrief coach init`")
    return min(admins, key=lambda person: person.id)


def _link(directory: Directory, kind: str, token: str) -> str:
    base = directory.setting(SERVED_AT) or "http://127.0.0.1:8000"
    return f"{base}/{kind}/{token}"


@click.group()
def coach() -> None:
    """A coach server: many students, each with a journal of their own, and their coaches.

    Give the server's database with --db (before `coach`): a SQLite file, or a PostgreSQL URL
    for more than a few dozen students. `coach init` makes it and its first admin; `coach
    serve` serves it, with sign-in. Commands here act as the server's first admin.
    """


@coach.command()
@click.option("--name", required=True, help="The admin's name.")
@click.option("--email", required=True, help="The admin's e-mail address (to sign in with).")
def init(name: str, email: str) -> None:
    """Make a new coach server's database and its first admin (asks for a password, or reads
    it from $DEBRIEF_COACH_PASSWORD)."""
    directory = _directory(create=True)
    try:
        if directory.has_people():
            raise click.ClickException("this server already has people: sign in as its admin")
        password = os.environ.get(PASSWORD_ENV) or click.prompt(
            "Password (at least 10 characters)", hide_input=True, confirmation_prompt=True
        )
        admin = directory.add_person(name, email, "admin", password)
        click.echo(f"Coach server ready at {printable(str(directory.location))}.")
        click.echo(f"{printable(admin.name)} is its admin; `debrief coach serve` starts it.")
    finally:
        directory.close()


@coach.command()
@click.option(
    "--role",
    type=click.Choice(["student", "coach", "admin"]),
    default="student",
    show_default=True,
    help="What they will be.",
)
@click.option("--name", required=True, help="Their name, as others will see it.")
@click.option("--email", required=True, help="The e-mail address they will sign in with.")
@click.option("--coach", "coach_email", metavar="EMAIL", help="A student's coach, by e-mail.")
def invite(role: str, name: str, email: str, coach_email: str | None) -> None:
    """Make a single-use link (valid 7 days) for someone to join, and print it."""
    directory = _directory()
    try:
        admin = _first_admin(directory)
        coach_id = None
        if coach_email:
            found = directory.find(coach_email)
            if found is None or found.role != "coach":
                raise click.BadParameter(f"no coach {coach_email!r}", param_hint="'--coach'")
            coach_id = found.id
        _, token = directory.invite(admin, role, name, email, coach_id=coach_id)
        click.echo(_link(directory, "join", token))
    finally:
        directory.close()


@coach.command()
@click.argument("email")
def reset(email: str) -> None:
    """End someone's sessions and print a single-use link (valid 2 days) for a new password."""
    directory = _directory()
    try:
        person = directory.find(email)
        if person is None:
            raise click.BadParameter(f"no one signs in as {email!r}", param_hint="'EMAIL'")
        token = directory.reset_link(_first_admin(directory), person.id)
        click.echo(_link(directory, "reset", token))
    finally:
        directory.close()


@coach.command()
def people() -> None:
    """List the server's people: role, name, e-mail, coaches."""
    directory = _directory()
    try:
        for person in directory.people():
            coaches = ""
            if person.role == "student":
                names = ", ".join(c.name for c in directory.coaches_of(person.id)) or "none"
                coaches = f"  coached by {names}"
            archived = f"  archived {person.archived_on}" if person.archived_on else ""
            click.echo(
                printable(f"{person.role:8} {person.name} <{person.email}>{coaches}{archived}")
            )
    finally:
        directory.close()


@coach.command("serve")
@server_options
def serve_coach(
    host: str, port: int, public_url: str | None, allow_hosts: tuple[str, ...], workers: int
) -> None:
    """Start the coach server and print its address; Ctrl+C stops it.

    Everyone signs in. Beyond this computer, serve it behind a reverse proxy with TLS and give
    its https address with --public-url (docs/coach.md): sessions then travel only over https.
    """
    from debrief.web import LOCAL_HOSTS
    from debrief.web.coach import create_coach_app
    from debrief.web.security import new_csrf_key
    from debrief.web.serving import ServeOptions, public_url_problem, run, served_hosts

    if public_url is not None and (problem := public_url_problem(public_url)):
        raise click.BadParameter(problem, param_hint="'--public-url'")
    directory = _directory()
    _first_admin(directory)
    hosts = served_hosts(host, public_url, allow_hosts)
    key = new_csrf_key()
    url = directory.engine.url.render_as_string(hide_password=False)
    options = ServeOptions(url, host, port, hosts, public_url, key.hex(), workers, coach=True)
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{shown}:{port}"
    directory.set_setting(SERVED_AT, public_url or address)
    workers_note = f" with {workers} workers" if workers > 1 else ""
    click.echo(
        f"debrief coach server {printable(directory.location)} at {address}/{workers_note} "
        "(Ctrl+C stops it)"
    )
    if host not in LOCAL_HOSTS and not (public_url or "").startswith("https://"):
        click.echo(
            "Warning: listening beyond this computer without https: passwords and sessions "
            "would cross the network in clear. Put a reverse proxy with TLS in front and give "
            "--public-url https://… (docs/coach.md).",
            err=True,
        )
    app = None
    if workers == 1:
        app = create_coach_app(directory, allowed_hosts=hosts, public_url=public_url, csrf_key=key)
    else:
        directory.close()  # each worker opens its own
    run(options, app)
