"""Mock-partner invites: tokens, expiry, single use, the answers' validation, the offline file's
signature, and the `debrief partner` commands."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debrief.errors import InvalidImport, InvalidInput
from debrief.journal import Journal
from debrief.partner import (
    InviteRefused,
    create_invite,
    list_invites,
    open_invite,
    submit,
    token_hash,
)
from debrief.partner.offline import FORMAT, import_answers, offline_form, sign
from tests.conftest import CliDriver

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def answers_file(invite_id: int, token: str, answers: dict[str, object]) -> bytes:
    """What the offline form's script saves (the same signature, computed here)."""
    body = json.dumps(answers)
    signature = sign(token_hash(token), invite_id, body)
    document = {"format": FORMAT, "version": 1, "invite": invite_id, "answers": body}
    return json.dumps({**document, "signature": signature}).encode()


def test_tokens_are_long_random_and_stored_only_as_a_hash(journal: Journal) -> None:
    mock = journal.add_interview("sql")
    invites = [create_invite(journal, mock.id) for _ in range(20)]
    tokens = {invite.token for invite in invites}
    assert len(tokens) == 20 and all(len(t) >= 32 for t in tokens)  # 192 bits in base64url
    assert all(i.expires_at - datetime.now(UTC) > timedelta(days=6, hours=23) for i in invites)
    from sqlalchemy import text

    with journal.reading() as session:
        stored = set(session.scalars(text("SELECT token_hash FROM partner_invites")))
    assert stored == {token_hash(t) for t in tokens} and not stored & tokens


def test_an_invite_is_used_once_and_expires(journal: Journal) -> None:
    mock = journal.add_interview("statistics")
    invite = create_invite(journal, mock.id, days=2, now=NOW)
    form = open_invite(journal, invite.token, now=NOW)
    assert [a.id for a in form.areas] == ["statistics", "experimentation", "communication"]
    with pytest.raises(InviteRefused, match="expired"):
        open_invite(journal, invite.token, now=NOW + timedelta(days=2))
    with pytest.raises(InvalidInput, match="at least one score"):
        submit(journal, invite.token, {"went_well": "  "}, now=NOW)
    with pytest.raises(InvalidInput, match="not an area of this form"):
        submit(journal, invite.token, {"scores": {"sql": 3}}, now=NOW)
    feedback = submit(journal, invite.token, {"scores": {"statistics": "2"}}, now=NOW)
    assert feedback.text == "Rubric scores: Statistics 2/5"
    assert journal.get_interview(mock.id).interview.rubric == {"statistics": 2}
    with pytest.raises(InviteRefused, match="already answered"):
        submit(journal, invite.token, {"scores": {"statistics": 5}}, now=NOW)
    [state] = list_invites(journal, mock.id)
    assert state.state(NOW) == "used" and state.feedback_id == feedback.id
    with pytest.raises(InviteRefused, match="incomplete or unknown"):
        open_invite(journal, "x" * 40)
    with pytest.raises(InvalidInput):
        create_invite(journal, mock.id, days=0)


def test_deleting_the_interview_deletes_its_invites(journal: Journal) -> None:
    mock = journal.add_interview("sql")
    invite = create_invite(journal, mock.id)
    journal.delete_interview(mock.id)
    with pytest.raises(InviteRefused):
        open_invite(journal, invite.token)


def test_the_offline_answers_are_checked_and_accepted_once(journal: Journal) -> None:
    mock = journal.add_interview("coding")
    invite = create_invite(journal, mock.id)
    html = offline_form(journal, invite)
    assert invite.token in html and "Content-Security-Policy" in html
    answers = {"scores": {"coding": 3}, "work_on": "Test the edge cases before running."}
    good = answers_file(invite.id, invite.token, answers)

    tampered = json.loads(good)
    tampered["answers"] = tampered["answers"].replace("3", "5")
    with pytest.raises(InvalidImport, match="signature"):
        import_answers(journal, json.dumps(tampered).encode(), file="a.json")
    other = answers_file(invite.id, "another-token-of-enough-length", answers)
    with pytest.raises(InvalidImport, match="signature"):
        import_answers(journal, other, file="a.json")
    with pytest.raises(InvalidImport, match="not in this journal"):
        import_answers(journal, answers_file(999, invite.token, answers), file="a.json")
    bad_score = answers_file(invite.id, invite.token, {"scores": {"coding": 9}})
    with pytest.raises(InvalidImport, match="score from 1 to 5"):
        import_answers(journal, bad_score, file="a.json")

    feedback = import_answers(journal, good, file="a.json")
    assert "edge cases" in feedback.text
    with pytest.raises(InvalidImport, match="already answered"):
        import_answers(journal, good, file="a.json")
    assert len(journal.list_feedback()) == 1


@settings(max_examples=60, deadline=None)
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_any_bytes_are_refused_cleanly(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    with Journal.open(str(tmp_path_factory.mktemp("fuzz") / "j.db")) as journal:
        with pytest.raises(InvalidImport):
            import_answers(journal, data, file="x.json")
        assert journal.list_feedback() == []


@settings(max_examples=60, deadline=None)
@given(
    answers=st.dictionaries(
        st.sampled_from(["scores", "went_well", "work_on", "comments", "partner", "other"]),
        st.one_of(
            st.none(),
            st.integers(),
            st.text(max_size=50),
            st.dictionaries(st.text(max_size=20), st.one_of(st.integers(), st.text(max_size=5))),
        ),
    )
)
def test_any_signed_answers_are_stored_or_refused_cleanly(
    tmp_path_factory: pytest.TempPathFactory, answers: dict[str, object]
) -> None:
    with Journal.open(str(tmp_path_factory.mktemp("fuzz") / "j.db")) as journal:
        mock = journal.add_interview("sql")
        invite = create_invite(journal, mock.id)
        try:
            import_answers(journal, answers_file(invite.id, invite.token, answers), file="x")
        except InvalidImport:
            assert journal.list_feedback() == []
        else:
            assert len(journal.list_feedback()) == 1


def test_partner_commands(cli: CliDriver, tmp_path: Path) -> None:
    cli.ok("interview", "add", "--mock", "--kind", "product_case")
    made = cli.json("partner", "invite", "--interview", "1", "--url", "http://127.0.0.1:9000")
    assert made["link"].startswith("http://127.0.0.1:9000/partner/")
    form = tmp_path / "form.html"
    printed = cli.ok("partner", "invite", "--interview", "1", "--file", str(form)).output
    assert "written to" in printed and form.read_text("utf-8").startswith("<!doctype html>")
    token = json.loads(
        form.read_text("utf-8").split('id="invite">', 1)[1].split("</script>", 1)[0]
    )["token"]
    saved = tmp_path / "answers.json"
    saved.write_bytes(answers_file(2, token, {"went_well": "Clear metric choice."}))
    imported = cli.ok("partner", "import", str(saved)).output
    assert "Feedback #1 added to interview #1" in imported
    again = cli("partner", "import", str(saved))
    assert again.exit_code == 1 and "already answered" in again.output
    listed = cli.ok("partner", "list").output
    assert "open" in listed and "used" in listed
    missing = cli("partner", "invite", "--interview", "99")
    assert missing.exit_code == 1 and "no interview with id 99" in missing.output
    revoked = cli.ok("partner", "revoke", "1").output
    assert "Invite #1 to interview #1 is withdrawn" in revoked
    assert "revoked" in cli.ok("partner", "list").output
    refused = cli("partner", "revoke", "2")
    assert refused.exit_code != 0 and "already answered" in refused.output


def test_an_invite_link_is_on_the_address_the_app_was_served_at(
    cli: CliDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FINDINGS P1: the link said port 8000 whatever port the app ran on."""
    import uvicorn

    cli.ok("interview", "add", "--mock", "--kind", "sql")
    default = cli.json("partner", "invite", "--interview", "1")
    assert isinstance(default, dict) and default["link"].startswith("http://127.0.0.1:8000/")
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)  # serve, and stop at once
    assert "at http://127.0.0.1:8765/" in cli.ok("serve", "--port", "8765").output
    served = cli.json("partner", "invite", "--interview", "1")
    assert isinstance(served, dict) and served["link"].startswith("http://127.0.0.1:8765/partner/")


def test_a_revoked_invite_takes_no_answers_by_link_or_file(journal: Journal) -> None:
    """FINDINGS P2: invites could not be revoked."""
    from debrief.model import utcnow
    from debrief.partner import revoke_invite

    mock = journal.add_interview("sql")
    invite = create_invite(journal, mock.id, days=3)
    form = offline_form(journal, invite)
    assert "<form" in form
    revoked = revoke_invite(journal, invite.id)
    assert revoked.state() == "revoked"
    with pytest.raises(InviteRefused, match="withdrew it"):
        open_invite(journal, invite.token)
    with pytest.raises(InviteRefused, match="withdrew it"):
        submit(journal, invite.token, {"scores": {"sql": "4"}})
    assert journal.claim_invite(invite.id, utcnow()) is False
    used = create_invite(journal, mock.id, days=3)
    submit(journal, used.token, {"scores": {"sql": "4"}})
    with pytest.raises(InvalidInput, match="already answered"):
        revoke_invite(journal, used.id)
    offline = answers_file(invite.id, invite.token, {"scores": {"sql": "4"}})
    with pytest.raises(InvalidImport, match="withdrew it"):
        import_answers(journal, offline, file="answers.json")


def test_attaching_a_mock_revokes_its_open_invites_and_refuses_the_partner(
    journal: Journal,
) -> None:
    """FINDINGS S6: an invite still worked after its mock was attached to an application."""
    mock = journal.add_interview("sql", rubric={"sql": 2})
    used = create_invite(journal, mock.id)
    submit(journal, used.token, {"work_on": "Name the join keys first."})
    link = create_invite(journal, mock.id)
    offline = create_invite(journal, mock.id)
    answers = answers_file(offline.id, offline.token, {"scores": {"sql": "5"}})
    app = journal.add_application("Acme", "Data Scientist")

    attached = journal.edit_interview(mock.id, application_id=app.id)
    assert attached.invites_revoked == 2 and not attached.mock
    states = {invite.id: invite.state() for invite in list_invites(journal, mock.id)}
    assert states == {used.id: "used", link.id: "revoked", offline.id: "revoked"}
    closed = r"no longer a mock interview.*nothing was recorded"
    with pytest.raises(InviteRefused, match=closed):
        open_invite(journal, link.token)
    with pytest.raises(InviteRefused, match=closed):
        submit(journal, link.token, {"scores": {"sql": "5"}})
    with pytest.raises(InvalidImport, match="no longer a mock interview"):
        import_answers(journal, answers, file="answers.json")
    detail = journal.get_interview(mock.id)
    assert detail.interview.rubric == {"sql": 2} and len(detail.feedback) == 1
    assert journal.edit_interview(mock.id, notes="later").invites_revoked == 0


def test_a_partners_answers_are_checked_against_the_interview_when_they_are_written(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The form was opened while the interview was a mock; it became a real round while the
    answers were read: nothing lands on the real round."""
    mock = journal.add_interview("sql")
    invite = create_invite(journal, mock.id)
    assert open_invite(journal, invite.token).kind == "sql"
    app = journal.add_application("Acme", "Data Scientist")
    triager = journal.triager()
    read = triager.triage_text

    def attached_meanwhile(text: str) -> object:
        journal.edit_interview(mock.id, application_id=app.id)
        return read(text)

    monkeypatch.setattr(triager, "triage_text", attached_meanwhile)
    monkeypatch.setattr(journal, "triager", lambda: triager)
    with pytest.raises(InviteRefused, match="no longer a mock interview"):
        submit(journal, invite.token, {"scores": {"sql": "5"}, "work_on": "Slow on joins."})
    assert journal.get_interview(mock.id).interview.rubric == {}
    assert journal.list_feedback() == []


def test_an_invite_is_not_claimed_for_a_real_round(journal: Journal) -> None:
    """The claim itself asks that the interview be a mock, whatever made it a real round."""
    from sqlalchemy import text

    from debrief.model import utcnow

    mock = journal.add_interview("sql")
    invite = create_invite(journal, mock.id)
    app = journal.add_application("Acme", "Data Scientist")
    with journal.transaction() as session:
        session.execute(
            text("UPDATE interviews SET application_id = :app WHERE id = :id"),
            {"app": app.id, "id": mock.id},
        )
    assert journal.claim_invite(invite.id, utcnow()) is False
    with pytest.raises(InviteRefused, match="no longer a mock interview"):
        submit(journal, invite.token, {"scores": {"sql": "5"}})
    assert journal.list_feedback() == []


def test_the_cli_says_which_invites_attaching_a_mock_revoked(cli: CliDriver) -> None:
    cli.ok("interview", "add", "--mock", "--kind", "sql")
    cli.ok("partner", "invite", "--interview", "1")
    cli.ok("app", "add", "Acme", "Data Scientist")
    edited = cli.ok("interview", "edit", "1", "--app", "1").output
    assert "1 open partner invite was revoked" in edited
    assert "revoked" in cli.ok("partner", "list").output
    again = cli.json("interview", "edit", "1", "--mock")
    assert isinstance(again, dict) and "invites_revoked" not in again


def test_an_invite_file_that_cannot_be_written_leaves_no_invite(
    cli: CliDriver, tmp_path: Path
) -> None:
    """FINDINGS S9: a failed `invite --file` left an open invite whose token was lost."""
    cli.ok("interview", "add", "--mock", "--kind", "sql")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be", "utf-8")
    failed = cli("partner", "invite", "--interview", "1", "--file", str(blocker / "form.html"))
    assert failed.exit_code == 1 and f"cannot write {blocker / 'form.html'}" in failed.output
    assert "Traceback" not in failed.output
    assert cli.ok("partner", "list").output.strip() == "No invites."
    assert not (tmp_path / "not-a-folder.partial").exists()


def test_an_invite_file_is_removed_when_its_invite_cannot_be_kept(
    journal: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from debrief.journal.unit import UnitOfWork
    from debrief.partner import create_invite_file

    mock = journal.add_interview("sql")
    form = tmp_path / "form.html"
    counted = UnitOfWork.atomic

    def commit_fails(self: UnitOfWork) -> object:
        @contextmanager
        def block() -> Iterator[None]:
            with counted(self):
                yield
                raise OSError("disk full")

        return block()

    monkeypatch.setattr(UnitOfWork, "atomic", commit_fails)
    with pytest.raises(OSError, match="disk full"):
        create_invite_file(journal, mock.id, form)
    monkeypatch.undo()
    assert not form.exists() and list_invites(journal) == []
    made = create_invite_file(journal, mock.id, form)
    assert made.token in form.read_text("utf-8")
    assert [invite.state() for invite in list_invites(journal)] == ["open"]
