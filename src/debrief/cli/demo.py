"""`debrief demo` and `debrief summary`: a realistic journal (or a coach server) to explore, and
counts at a glance."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from debrief.cli.common import (
    WholeRange,
    emit_json,
    json_option,
    print_as,
    printable,
    with_journal,
)
from debrief.model import counted

if TYPE_CHECKING:
    from datetime import date

    from debrief.demo.cohort import DemoPerson
    from debrief.journal import Journal

ROLES = {"admin": "admins", "coach": "coaches", "student": "students"}


@click.command()
@click.option("--seed", default=7, show_default=True, help="Same seed, same journal.")
@click.option(
    "--end",
    metavar="DATE",
    help="The last day of the search (default: today), for reproducible journals; with "
    "--cohort, the day the searches run to (some fell silent before it).",
)
@click.option(
    "--cohort",
    type=WholeRange(1, 12),
    metavar="N",
    help="Build a coach server instead: an admin, two coaches and N students (up to 12), each "
    "with a search of their own; --db names its new database (a SQLite file or a PostgreSQL URL).",
)
@json_option
@with_journal(access=lambda options: None if options.get("cohort") else "add")
def demo(
    journal: Journal | None, seed: int, end: str | None, cohort: int | None, as_json: bool
) -> None:
    """Build a realistic demo journal to explore.

    One data scientist's six-month search, generated from a seed, goes into an empty journal;
    use --db to give it a file of its own. With --cohort N, a coach server to explore instead:
    its admin, two coaches and N students, every one signing in with one demo password (taken
    from $DEBRIEF_COACH_PASSWORD, else made up and printed).
    """
    from debrief.demo import build_demo
    from debrief.model import parse_date

    last_day = parse_date(end, "end", past=True) if end else None
    if cohort is not None:
        _cohort_demo(cohort, seed, last_day, as_json)
        return
    assert journal is not None
    build_demo(journal, seed=seed, end=last_day)
    if not as_json:
        click.echo(f"Built a demo journal (seed {seed}) at {journal.location}.")
    print_as(journal.summary(), as_json, "summary")


def _cohort_demo(students: int, seed: int, end: date | None, as_json: bool) -> None:
    import secrets
    import shlex
    import time

    from debrief.cli.coach import PASSWORD_ENV, _server_url
    from debrief.coach.store import Directory
    from debrief.demo.cohort import build_cohort
    from debrief.model import local_today
    from debrief.storage.database import describe_url

    url = _server_url()
    given = os.environ.get(PASSWORD_ENV)
    password = given or secrets.token_urlsafe(12)
    began = time.perf_counter()
    directory = Directory.open(url, create=True)
    try:
        built = build_cohort(
            directory,
            students=students,
            password=password,
            seed=seed,
            end=end,
            progress=None if as_json else lambda who: click.echo(f"Writing {who}…", err=True),
        )
    finally:
        directory.close()
    seconds = time.perf_counter() - began
    serve = f"debrief --db {shlex.quote(describe_url(url))} coach serve"
    if as_json:
        emit_json(
            {
                "server": built.location,
                "seconds": round(seconds, 1),
                "password": None if given else password,
                "password_from": PASSWORD_ENV if given else "generated",
                "people": built.people,
                "serve": serve,
            }
        )
        return
    made = ", ".join(
        counted(sum(p.role == role for p in built.people), role, plural)
        for role, plural in ROLES.items()
    )
    click.echo(
        f"Built a coach demo server at {printable(built.location)} in {seconds:.1f} s: {made}."
    )
    if given:
        click.echo(f"Everyone signs in with the password in ${PASSWORD_ENV}.")
    else:
        click.echo(
            f"Everyone signs in with the demo password {password}\n"
            "(made up for this demo: it opens these demo accounts only; never use it for real "
            "people, who join by an invitation and choose their own)."
        )
    width = max(len(p.name) for p in built.people)
    email_width = max(len(p.email) for p in built.people)
    for person in built.people:
        click.echo(
            printable(
                f"  {person.role:8} {person.name:{width}}  {person.email:{email_width}}  "
                f"{_about(person, end or local_today())}"
            )
        )
    click.echo(f"Serve it with `{serve}`, then sign in at http://127.0.0.1:8000/login.")


def _about(person: DemoPerson, end: date) -> str:
    """What a demo person is there to show, in a few words."""
    from debrief.coach.store import CONSENT_WORDS

    if person.role == "coach":
        return f"coaches {counted(person.students, 'student')}"
    if person.role == "student":
        facts = [f"{person.applications} applications"]
        if person.offers:
            facts.append("an offer")
        if person.search_end and (end - person.search_end).days >= 7:
            facts.append(f"silent for {(end - person.search_end).days} days")
        facts.append(f"shares {CONSENT_WORDS.get(person.share or 'none', person.share)}")
        facts.append("coached by " + (" and ".join(person.coaches) or "no one"))
        return ", ".join(facts)
    return "invites people and assigns coaches"


@click.command()
@json_option
@with_journal
def summary(journal: Journal, as_json: bool) -> None:
    """Counts at a glance: statuses, interviews, feedback.

    Applications by current status and by the furthest stage they reached, interviews by kind
    (real and mock), feedback by source.
    """
    if not as_json:
        click.echo(f"Journal at {journal.location}.")
    print_as(journal.summary(), as_json, "summary")
