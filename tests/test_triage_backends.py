"""Triage backends by name (built in, or registered by another package), and triage that never
runs inside a write: a slow backend must not hold the journal's lock."""

from __future__ import annotations

import sqlite3
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from debrief.journal import Journal
from debrief.partner import create_invite, submit
from debrief.triage import registry
from debrief.triage.backend import ModelVerdict
from debrief.triage.classify import LinearBackend, Triage
from debrief.triage.registry import BackendUnavailable, backends, get_backend
from tests.conftest import CliDriver

GROUP = registry.ENTRY_POINTS


class EchoBackend:
    """A backend another package might ship: every statement is noise."""

    name = "echo"
    version = "echo-1"

    def predict(self, texts: list[str]) -> list[ModelVerdict]:
        return [ModelVerdict("noise", 0.6, (), {"noise": 0.6}, "echo says so") for _ in texts]

    def guess_skills(self, texts: list[str]) -> list[tuple[str, ...]]:
        return [("other",) for _ in texts]


class NeedsGpu:
    """A backend that cannot run on this machine, and says so without being built."""

    @staticmethod
    def why_unavailable() -> str | None:
        return "no GPU here"

    def __init__(self) -> None:
        raise AssertionError("an unavailable backend must never be built")


class Crashes:
    """A backend whose check itself fails."""

    @staticmethod
    def why_unavailable() -> str | None:
        raise ZeroDivisionError("its own bug")


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Entry points as installed packages would declare them."""
    points = (
        EntryPoint("echo", f"{__name__}:EchoBackend", GROUP),
        EntryPoint("gpu", f"{__name__}:NeedsGpu", GROUP),
        EntryPoint("broken", "no_such_module_anywhere:Backend", GROUP),
        EntryPoint("crashes", f"{__name__}:Crashes", GROUP),
        EntryPoint("linear", f"{__name__}:EchoBackend", GROUP),  # cannot take a built-in name
    )
    monkeypatch.setattr(registry, "_entry_points", lambda: points)


def test_the_built_in_backends_are_known_and_say_whether_they_run() -> None:
    found = {entry.name: entry for entry in backends()}
    assert set(found) >= {"linear", "semantic"}
    assert found["linear"].available and found["linear"].origin == "built in"
    assert isinstance(get_backend(" Linear "), LinearBackend)
    semantic = found["semantic"]
    assert semantic.available == (semantic.why_not is None)
    unknown = r"unknown triage backend 'magic' \(choose one of: linear, semantic"
    with pytest.raises(BackendUnavailable, match=unknown):
        get_backend("magic")


@pytest.mark.usefixtures("registered")
def test_other_packages_register_backends_by_entry_point(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    found = {entry.name: entry for entry in backends()}
    assert found["echo"].available and found["echo"].summary.startswith("A backend another")
    assert (found["gpu"].available, found["gpu"].why_not) == (False, "no GPU here")
    assert found["broken"].why_not is not None and "cannot load" in found["broken"].why_not
    assert found["crashes"].why_not == "cannot tell whether it can run: its own bug"
    assert found["linear"].origin == "built in"
    assert isinstance(get_backend("linear"), LinearBackend)
    with pytest.raises(BackendUnavailable, match="the gpu triage backend cannot run here: no GPU"):
        get_backend("gpu")
    with pytest.raises(BackendUnavailable, match="cannot load"):
        get_backend("broken")

    monkeypatch.setenv(registry.ENV_VAR, "echo")
    with Journal.open(str(tmp_path / "echo.db")) as journal:
        added = journal.add_feedback("Your SQL was slow.")
        [statement] = journal.list_statements(feedback_id=added.id)
    assert (statement.label, statement.model_version) == ("noise", "echo-1")


@pytest.mark.usefixtures("registered")
def test_the_cli_lists_backends_and_refuses_one_that_cannot_run(cli: CliDriver) -> None:
    listed = cli.json("triage", "backends")
    assert isinstance(listed, list)
    by_name = {entry["name"]: entry for entry in listed}
    assert by_name["gpu"]["why_not"] == "no GPU here" and by_name["echo"]["why_not"] is None
    table = cli.ok("triage", "backends").stdout
    assert "no GPU here" in table and "echo" in table
    refused = cli("triage", "classify", "--backend", "gpu", input="Too verbose.\n")
    assert refused.exit_code == 1 and "cannot run here: no GPU here" in refused.stderr


# -- never inside a write ----------------------------------------------------------------------


def write_lock_free(path: Path) -> bool:
    """Whether another connection could start writing to the file right now."""
    connection = sqlite3.connect(path, timeout=0)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.rollback()
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        connection.close()


class LockProbe(LinearBackend):
    """The default model, noting at every call whether the journal had a write transaction
    open, and whether another connection could have written to the file right then."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.journal: Journal | None = None
        self.free: list[bool] = []

    def _look(self) -> None:
        inside = self.journal is not None and self.journal.writing
        self.free.append(write_lock_free(self.path) and not inside)

    def predict(self, texts: list[str]) -> list[ModelVerdict]:
        self._look()
        return super().predict(texts)

    def guess_skills(self, texts: list[str]) -> list[tuple[str, ...]]:
        self._look()
        return super().guess_skills(texts)


def test_triage_never_runs_while_the_journal_is_locked_for_writing(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    probe = LockProbe(path)
    with Journal.open(str(path), triage_backend=probe) as journal:
        probe.journal = journal
        app = journal.add_application("Acme", "Data Scientist")
        item = journal.add_feedback(
            "Thanks for your time. Your SQL was slow.", application_id=app.id
        )
        noise = next(s for s in journal.list_statements(feedback_id=item.id) if not s.skills)
        journal.label_statement(noise.id, "constructive")  # its skills are guessed
        journal.retriage()
        mock = journal.add_interview("sql")
        invite = create_invite(journal, mock.id)
        submit(journal, invite.token, {"work_on": "Your joins were slow.", "scores": {"sql": 2}})
        assert len(probe.free) >= 5 and all(probe.free), probe.free

        # The probe sees an open write, even one that has written nothing yet.
        with journal.transaction():
            probe.guess_skills(["Weak on joins."])
        assert probe.free[-1] is False
        # Inside a caller's write block, triage is refused rather than run there.
        with journal.atomic():
            with pytest.raises(RuntimeError, match="before the write transaction opens"):
                journal.add_feedback("Weak on joins.", application_id=app.id)
            with pytest.raises(RuntimeError, match="before the write transaction opens"):
                journal.retriage()
        said = Triage("We had many applicants.", "noise", (), 0.9, "generic", "model")
        plain = journal.add_feedback(said.text, application_id=app.id, triaged=[said])
        [bare] = journal.list_statements(feedback_id=plain.id)
        with pytest.raises(RuntimeError, match="before"), journal.atomic():
            journal.label_statement(bare.id, "strength")  # a relabel without skills guesses


def test_a_mail_import_triages_before_it_writes(tmp_path: Path) -> None:
    from debrief.ingest.mail.importer import import_mail

    path = tmp_path / "journal.db"
    mail = tmp_path / "rejection.eml"
    mail.write_text(
        "From: Dana <dana@acme.example>\nTo: me@example.com\n"
        "Subject: Your application for Data Scientist at Acme\n"
        "Date: Mon, 02 Nov 2026 10:00:00 +0000\nMessage-ID: <r1@acme.example>\n\n"
        "Hi,\n\nUnfortunately we have decided not to move forward with your application for the "
        "Data Scientist role. The panel's feedback: your SQL was slow, and you did not size the "
        "A/B test before running it.\n\nBest,\nDana\n"
    )
    probe = LockProbe(path)
    with Journal.open(str(path), triage_backend=probe) as journal:
        probe.journal = journal
        result = import_mail(journal, [mail])
    [decision] = result.decisions
    assert result.written and decision.event == "rejection"
    assert probe.free and all(probe.free)  # the model ran, and never under the write lock


def test_the_demo_triages_outside_its_write(tmp_path: Path) -> None:
    from datetime import date

    from debrief.demo import build_demo

    path = tmp_path / "demo.db"
    probe = LockProbe(path)
    with Journal.open(str(path), triage_backend=probe) as journal:
        probe.journal = journal
        build_demo(journal, seed=7, end=date(2026, 11, 30))
        statements = journal.list_statements()
    assert len(statements) > 100 and {s.origin for s in statements} >= {"model", "rule"}
    assert probe.free and all(probe.free)


class Interfering(LinearBackend):
    """The default model, which, once armed, has someone change the journal (through another
    connection, in `meddle`) while it classifies."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.armed = False

    def meddle(self, other: Journal) -> None:
        raise NotImplementedError

    def predict(self, texts: list[str]) -> list[ModelVerdict]:
        if self.armed:
            self.armed = False
            with Journal.open(str(self.path)) as other:
                self.meddle(other)
        return super().predict(texts)


class Meddler(Interfering):
    """Someone labels a statement by hand while triage runs."""

    def meddle(self, other: Journal) -> None:
        first = other.list_statements()[0]
        other.label_statement(first.id, "constructive", ["sql"])


def test_re_triage_leaves_feedback_that_changed_while_it_ran(tmp_path: Path) -> None:
    path = tmp_path / "journal.db"
    meddler = Meddler(path)
    with Journal.open(str(path), triage_backend=meddler) as journal:
        item = journal.add_feedback("Your SQL was slow. Thanks for your time.")
        meddler.armed = True
        run = journal.retriage()
        assert (run.feedback, run.skipped) == (0, 1)
        [mine, _] = journal.list_statements(feedback_id=item.id)
        assert (mine.origin, mine.label, mine.skills) == ("user", "constructive", ("sql",))
        again = journal.retriage()  # the next run sees it, and keeps the user's label
        assert (again.feedback, again.skipped, again.kept_user_labels) == (1, 0, 1)
