"""A recorded round moves its application (FINDINGS L1): to the stage its kind implies, closed by
an outcome that ends it, with the round named in the history, a later change winning, and an
undo; through the journal, the CLI and the web app."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from debrief.errors import InvalidInput
from debrief.journal import Journal
from debrief.model import Status, furthest_stage, local_today
from debrief.web import create_app
from tests.conftest import CliDriver


def ago(days: int) -> date:
    return local_today() - timedelta(days=days)


def trail(journal: Journal, app_id: int) -> list[tuple[str, int | None]]:
    """The history as (status, round that made the change)."""
    return [
        (change.to_status.value, change.interview_id)
        for change in journal.get_application(app_id).history
    ]


def new_app(journal: Journal, company: str = "Acme") -> int:
    return journal.add_application(company, "Data Scientist", applied_on=ago(40)).id


def test_a_round_moves_its_application_to_the_stage_it_implies(journal: Journal) -> None:
    app_id = new_app(journal)
    screen = journal.add_interview("recruiter_screen", application_id=app_id, held_on=ago(30))
    [moves] = screen.moved
    assert [(c.from_status, c.to_status) for c in moves.made] == [("applied", "screen")]
    assert moves.status == Status.SCREEN and moves.made[0].changed_at.date() == ago(30)
    sql = journal.add_interview("sql", application_id=app_id, held_on=ago(20), outcome="passed")
    onsite = journal.add_interview("final", application_id=app_id, held_on=ago(10))
    assert trail(journal, app_id) == [
        ("applied", None),
        ("screen", screen.id),
        ("technical", sql.id),
        ("onsite", onsite.id),
    ]
    # Never backwards: a screen logged late leaves an onsite application where it is.
    late = journal.add_interview("hiring_manager", application_id=app_id, held_on=ago(25))
    assert late.moved == () and journal.get_application(app_id).application.status == "onsite"


def test_an_outcome_that_ends_the_search_closes_it_at_that_stage(journal: Journal) -> None:
    app_id = new_app(journal)
    rejected = journal.add_interview(
        "coding", application_id=app_id, held_on=ago(20), outcome="rejected", decided_on=ago(15)
    )
    history = journal.get_application(app_id).history
    assert [(c.to_status, c.interview_id) for c in history[1:]] == [
        ("technical", rejected.id),
        ("rejected", rejected.id),
    ]
    assert history[2].changed_at.date() == ago(15)
    assert furthest_stage(c.to_status for c in history) == Status.TECHNICAL
    for outcome, status in (("withdrew", "withdrawn"), ("ghosted", "ghosted")):
        other = new_app(journal, f"Other {outcome}")
        closer = journal.add_interview("recruiter_screen", application_id=other, outcome=outcome).id
        assert trail(journal, other) == [("applied", None), ("screen", closer), (status, closer)]
    with pytest.raises(InvalidInput, match="before the round"):
        journal.add_interview(
            "sql", application_id=app_id, held_on=ago(5), outcome="rejected", decided_on=ago(6)
        )


def test_a_closed_application_is_not_reopened_and_a_ghosted_one_comes_back(
    journal: Journal,
) -> None:
    closed = new_app(journal)
    journal.change_status(closed, "rejected", at=ago(30))
    assert journal.add_interview("sql", application_id=closed, held_on=ago(20)).moved == ()
    assert journal.get_application(closed).application.status == "rejected"

    silent = new_app(journal, "Initech")
    journal.change_status(silent, "ghosted", at=ago(20))
    old = journal.add_interview("recruiter_screen", application_id=silent, held_on=ago(25))
    assert old.moved == ()  # a round from before the silence does not bring it back
    back = journal.add_interview("technical_screen", application_id=silent, held_on=ago(5))
    assert back.moved[0].status == Status.TECHNICAL


def test_only_the_last_round_at_its_stage_closes_the_application(journal: Journal) -> None:
    app_id = new_app(journal)
    first = journal.add_interview("sql", application_id=app_id, held_on=ago(20))
    journal.add_interview("coding", application_id=app_id, held_on=ago(10))
    assert journal.edit_interview(first.id, outcome="rejected").moved == ()
    assert journal.get_application(app_id).application.status == "technical"

    ahead = new_app(journal, "Globex")
    sql = journal.add_interview("sql", application_id=ahead, held_on=ago(20))
    journal.change_status(ahead, "onsite", at=ago(10))  # by hand: it went further
    assert journal.edit_interview(sql.id, outcome="rejected").moved == ()
    assert journal.get_application(ahead).application.status == "onsite"


def test_an_edit_works_the_changes_out_again_and_a_later_change_wins(journal: Journal) -> None:
    app_id = new_app(journal)
    round_ = journal.add_interview("sql", application_id=app_id, held_on=ago(20))
    [closed] = journal.edit_interview(round_.id, outcome="rejected", decided_on=ago(12)).moved
    # The stage move stays as it was; only the close is news.
    assert [(c.from_status, c.to_status) for c in closed.made] == [("technical", "rejected")]
    assert closed.taken_back == () and closed.made[0].changed_at.date() == ago(12)
    [reopened] = journal.edit_interview(round_.id, outcome="passed").moved
    assert [(c.from_status, c.to_status) for c in reopened.taken_back] == [
        ("technical", "rejected")
    ]
    assert reopened.status == Status.TECHNICAL
    [renamed] = journal.edit_interview(round_.id, kind="final").moved
    assert renamed.status == Status.ONSITE and trail(journal, app_id)[-1] == ("onsite", round_.id)

    journal.change_status(app_id, "offer", at=ago(2))  # by hand, after the round's change
    assert journal.edit_interview(round_.id, outcome="rejected").moved == ()
    assert journal.edit_interview(round_.id, kind="sql").moved == ()
    assert journal.get_application(app_id).application.status == "offer"


def test_moving_a_round_or_deleting_it_takes_its_changes_back(journal: Journal) -> None:
    first, second = new_app(journal), new_app(journal, "Globex")
    round_ = journal.add_interview("coding", application_id=first, held_on=ago(10))
    moved = journal.edit_interview(round_.id, application_id=second).moved
    assert [(m.application_id, m.status) for m in moved] == [
        (first, Status.APPLIED),
        (second, Status.TECHNICAL),
    ]
    as_mock = journal.edit_interview(round_.id, application_id=None)
    assert as_mock.mock and as_mock.moved[0].status == Status.APPLIED
    again = journal.edit_interview(round_.id, application_id=first)
    assert again.moved[0].status == Status.TECHNICAL
    deleted = journal.delete_interview(round_.id)
    assert deleted.moved[0].status == Status.APPLIED
    assert trail(journal, first) == [("applied", None)]


def test_undo_takes_back_the_last_change_whole(journal: Journal) -> None:
    app_id = new_app(journal)
    journal.change_status(app_id, "screen", at=ago(30))
    journal.add_interview("sql", application_id=app_id, held_on=ago(20), outcome="rejected")
    undone = journal.undo_status(app_id)
    assert [c.to_status for c in undone.taken_back] == ["technical", "rejected"]
    assert undone.status == Status.SCREEN
    assert journal.undo_status(app_id).status == Status.APPLIED  # the change made by hand
    with pytest.raises(InvalidInput, match="no status change to take back"):
        journal.undo_status(app_id)


def test_an_upcoming_round_moves_the_application_today(journal: Journal) -> None:
    app_id = new_app(journal)
    upcoming = journal.add_interview("final", application_id=app_id, held_on=ago(-7))
    [change] = upcoming.moved[0].made
    assert change.to_status == "onsite" and change.changed_at.astimezone().date() == ago(0)


def test_the_cli_says_what_moved_and_undoes_it(cli: CliDriver) -> None:
    added_app = cli.json("app", "add", "Acme", "Data Scientist", "--applied", "2026-03-01")
    assert isinstance(added_app, dict)
    app_id = added_app["id"]
    added = cli.ok(
        "interview", "add", "--app", str(app_id), "--kind", "sql", "--date", "2026-03-08",
        "--outcome", "rejected", "--decided", "2026-03-12",
    ).stdout  # fmt: skip
    assert f"Application #{app_id} (Acme) moved applied → technical on 2026-03-08; " in added
    assert "moved technical → rejected on 2026-03-12. It is now rejected." in added
    assert f"Undo with: debrief app undo {app_id}" in added
    shown = cli.ok("app", "show", str(app_id)).stdout
    assert "(round #1)" in shown
    undone = cli.ok("app", "undo", str(app_id)).stdout
    assert "took back applied → technical; took back technical → rejected" in undone
    assert "It is now applied." in undone
    refused = cli("app", "undo", str(app_id))
    assert refused.exit_code != 0 and "no status change to take back" in refused.output


@pytest.fixture
def client(journal: Journal) -> Iterator[TestClient]:
    with TestClient(create_app(journal)) as test_client:
        yield test_client


def test_the_web_shows_the_move_and_undoes_it(client: TestClient, journal: Journal) -> None:
    from debrief.web.security import CSRF_COOKIE

    app_id = new_app(journal)
    client.get("/")
    token = client.cookies.get(CSRF_COOKIE)
    posted = client.post(
        "/interviews",
        data={
            "csrf_token": token,
            "kind": "product_case",
            "application_id": str(app_id),
            "held_on": ago(3).isoformat(),
            "outcome": "pending",
        },
    )
    assert posted.status_code == 200 and "This round moved its application" in posted.text
    assert "applied → <strong>technical</strong>" in posted.text
    page = client.get(f"/applications/{app_id}").text
    assert 'by <a href="/interviews/1">round #1</a>' in page
    undone = client.post(
        f"/applications/{app_id}/undo", data={"csrf_token": token, "next": "/interviews/1"}
    )
    assert undone.status_code == 200 and "This round moved" not in undone.text
    assert journal.get_application(app_id).application.status == "applied"
    api = client.post(
        "/api/interviews",
        json={"kind": "final", "application_id": app_id, "held_on": ago(1).isoformat()},
    )
    assert api.status_code == 201
    assert api.json()["moved"][0]["made"][0]["to_status"] == "onsite"


# -- mock outcomes (FINDINGS L2) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "outcome"),
    [
        ({"sql": 3, "communication": 3}, "passed"),  # meets the bar on average
        ({"sql": 5, "communication": 2}, "passed"),
        ({"sql": 2, "communication": 3}, "rejected"),  # below the bar on average
        ({"sql": 5, "statistics": 5, "communication": 1}, "rejected"),  # a strong no sinks it
    ],
)
def test_a_scored_mock_gets_the_panels_outcome(
    journal: Journal, scores: dict[str, int], outcome: str
) -> None:
    mock = journal.add_interview("sql", rubric=scores)
    assert mock.outcome == outcome


def test_a_mock_outcome_follows_its_scores_until_the_user_gives_one(journal: Journal) -> None:
    from debrief.stats import search_stats

    unscored = journal.add_interview("product_case")
    assert unscored.outcome == "pending"
    # Scores from the partner's form, later: the outcome follows.
    assert journal.edit_interview(unscored.id, rubric={"product_sense": 2}).outcome == "rejected"
    assert journal.edit_interview(unscored.id, rubric={"product_sense": 4}).outcome == "passed"
    # The user's own word stays, whatever the scores say after.
    journal.edit_interview(unscored.id, outcome="rejected")
    assert journal.edit_interview(unscored.id, rubric={"product_sense": 5}).outcome == "rejected"
    given = journal.add_interview("sql", rubric={"sql": 1}, outcome="passed")
    assert given.outcome == "passed"
    # A real round is never judged by its rubric: the company decides.
    app_id = new_app(journal)
    real = journal.add_interview("take_home", application_id=app_id, rubric={"coding": 5})
    assert real.outcome == "pending"
    rounds = search_stats(journal, as_of=local_today()).rounds
    assert (rounds.mock.passed, rounds.mock.total) == (1, 2)


def test_the_cli_says_when_a_mock_needs_an_outcome(cli: CliDriver) -> None:
    bare = cli.ok("interview", "add", "--mock", "--kind", "sql").stdout
    assert "Mock #1 has no outcome yet" in bare and "--rubric SKILL=SCORE" in bare
    scored = cli.ok("interview", "add", "--mock", "--kind", "sql", "--rubric", "sql=4").stdout
    assert "Outcome passed by the panel's rule" in scored
    told = cli.ok("interview", "add", "--mock", "--kind", "sql", "--outcome", "rejected").stdout
    assert "outcome" not in told.split("\n", 1)[1]


def test_the_last_round_of_an_onsite_loop_closes_it_whatever_its_kind(journal: Journal) -> None:
    app_id = new_app(journal)
    journal.change_status(app_id, "onsite", at=ago(12))
    journal.add_interview("sql", application_id=app_id, held_on=ago(10), outcome="passed")
    last = journal.add_interview(
        "behavioral", application_id=app_id, held_on=ago(10), outcome="rejected"
    )
    assert last.moved[0].status == Status.REJECTED
    assert trail(journal, app_id)[-1] == ("rejected", last.id)


def test_a_mock_attached_to_an_application_drops_the_rules_practice_verdict(
    journal: Journal,
) -> None:
    """The panel's rule judged practice; attached to a real application, the round waits for
    the company's verdict instead of closing the application."""
    mock = journal.add_interview("sql", held_on=ago(3), rubric={"sql": 2, "communication": 2})
    assert mock.outcome == "rejected"
    app_id = new_app(journal)
    attached = journal.edit_interview(mock.id, application_id=app_id)
    assert attached.outcome == "pending"
    assert journal.get_application(app_id).application.status == "technical"
    # An outcome the rule would not give was the user's: it stays (one the rule would give
    # cannot be told apart from the rule's, and waits as pending).
    told = journal.add_interview("sql", held_on=ago(2), rubric={"sql": 4}, outcome="rejected")
    other = new_app(journal, "Globex")
    assert journal.edit_interview(told.id, application_id=other).outcome == "rejected"
