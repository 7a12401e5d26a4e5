"""The coach demo: a coach server's admin, two coaches and up to twelve students, each student's
journal a search of their own (`build_demo` with a seed and a `SearchProfile` each).

The cast, who coaches whom, what each student shares and how each search differs are the data
file cohort.toml beside this module: some searches end in an offer, some fell silent weeks ago,
and the weak skill areas recur across at least three students of a coach, so the cohort page has
something to find.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING

from debrief.demo import SearchProfile, _read, build_demo
from debrief.errors import DebriefError
from debrief.model import local_today

if TYPE_CHECKING:
    from debrief.coach.store import Directory


@dataclass(frozen=True, slots=True)
class CastMember:
    """One person of the coach demo, as cohort.toml gives them."""

    role: str
    name: str
    email: str
    key: str = ""  # a coach's, for the students to name
    coaches: tuple[str, ...] = ()
    seed: int = 0  # added to the demo's seed
    profile: SearchProfile | None = None
    quiet: int = 0
    share: str = "progress"


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """Someone the demo made: their id on the server, and (for a student) their search."""

    id: int
    role: str
    name: str
    email: str
    coaches: tuple[str, ...] = ()  # a student's coaches, by name
    students: int = 0  # a coach's number of students
    share: str | None = None  # what a student lets their coaches see
    applications: int = 0
    offers: int = 0
    search_end: date | None = None  # the last day of a student's search


@dataclass(frozen=True, slots=True)
class CohortDemo:
    """The coach demo built: where, and who can sign in."""

    location: str
    people: tuple[DemoPerson, ...]


class ServerNotEmpty(DebriefError):
    """The coach demo only goes into a new server, so it never mixes with real people."""


@cache
def cast() -> tuple[CastMember, ...]:
    """The admin, the coaches and the students of the coach demo, in the data file's order."""
    data = tomllib.loads(_read("cohort.toml"))
    admin = CastMember("admin", data["admin"]["name"], data["admin"]["email"])
    coaches = [CastMember("coach", c["name"], c["email"], key=c["key"]) for c in data["coach"]]
    students = [
        CastMember(
            "student",
            s["name"],
            s["email"],
            coaches=tuple(s["coaches"]),
            seed=int(s["seed"]),
            profile=SearchProfile(
                candidate=s["name"].split()[0],
                days=int(s["days"]),
                applications=int(s["applications"]),
                offer=bool(s["offer"]),
                weak=tuple(s["weak"]),
            ),
            quiet=int(s["quiet"]),
            share=s["share"],
        )
        for s in data["student"]
    ]
    return (admin, *coaches, *students)


def cast_students() -> tuple[CastMember, ...]:
    return tuple(member for member in cast() if member.role == "student")


def build_cohort(
    directory: Directory,
    *,
    students: int,
    password: str,
    seed: int = 7,
    end: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> CohortDemo:
    """Fill a new coach server with the demo's admin, coaches and first `students` students,
    all signing in with `password`, each student's search ending `quiet` days before `end`
    (default today). The same seed and end date always give the same journals."""
    from debrief.coach.store import Person

    chosen = cast_students()[: max(0, students)]
    if not 1 <= students <= len(cast_students()):
        raise ValueError(f"the coach demo has 1 to {len(cast_students())} students")
    if directory.has_people():
        raise ServerNotEmpty(
            f"{directory.location} already has people; the coach demo only goes into a new "
            "server (give --db a new file or an empty PostgreSQL database)"
        )
    last_day = end or local_today()
    members = [m for m in cast() if m.role != "student"] + list(chosen)
    made: dict[str, Person] = {}
    for member in members:
        made[_key(member)] = directory.add_person(
            member.name, member.email, member.role, password, by=made.get("admin")
        )
    searches = []
    for member in chosen:
        person = made[_key(member)]
        for coach in member.coaches:
            directory.link(made["admin"], made[coach].id, person.id)
        if member.share != "progress":  # what a student shares when they join
            directory.set_level(person, person.id, member.share)
        search_end = last_day - timedelta(days=member.quiet)
        searches.append(_Search(person.id, member.name, seed + member.seed, search_end, member))
    counts = _fill(directory, searches, progress)
    people = [
        DemoPerson(
            search.student_id,
            "student",
            search.name,
            search.member.email,
            coaches=tuple(made[c].name for c in search.member.coaches),
            share=search.member.share,
            applications=counts[search.student_id][0],
            offers=counts[search.student_id][1],
            search_end=search.end,
        )
        for search in searches
    ]
    leaders = [
        DemoPerson(
            made[_key(m)].id,
            m.role,
            m.name,
            m.email,
            students=sum(m.name in p.coaches for p in people),
        )
        for m in members
        if m.role != "student"
    ]
    return CohortDemo(directory.location, (*leaders, *people))


def _key(member: CastMember) -> str:
    return {"admin": "admin", "coach": member.key}.get(member.role, member.email)


@dataclass(frozen=True, slots=True)
class _Search:
    """One student's search to write into their journal."""

    student_id: int
    name: str
    seed: int
    end: date
    member: CastMember


def _fill(
    directory: Directory, searches: list[_Search], progress: Callable[[str], None] | None
) -> dict[int, tuple[int, int]]:
    """Write each search into its student's journal; the applications and offers of each."""
    from debrief.coach.students import StudentJournals

    counts: dict[int, tuple[int, int]] = {}
    journals = StudentJournals(directory)
    try:
        for number, search in enumerate(searches, start=1):
            if progress is not None:
                progress(f"{search.name} ({number} of {len(searches)})")
            journal = journals.journal(search.student_id)
            build_demo(journal, seed=search.seed, end=search.end, profile=search.member.profile)
            journal.set_setting("name", search.name)
            summary = journal.summary()
            counts[search.student_id] = (summary.applications, summary.reached.get("offer", 0))
    finally:
        journals.close()
    return counts
