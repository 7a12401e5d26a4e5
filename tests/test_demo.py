"""The demo journal: deterministic, and realistic enough for later analysis to find true things."""

from __future__ import annotations

import dataclasses
import statistics
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from debrief.demo import JournalNotEmpty, build_demo, demo_statements
from debrief.journal import Journal
from debrief.model import to_jsonable

END = date(2026, 6, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Journal]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Journal.open(str(path)) as journal:
        build_demo(journal, seed=7, end=END)
        yield journal


def _content(journal: Journal) -> object:
    """Everything in a journal except the wall-clock timestamps of when rows were written."""
    volatile = {"created_at", "updated_at", "self_rated_at"}

    def strip(records: list[object]) -> list[dict[str, object]]:
        return [
            {k: v for k, v in to_jsonable(r).items() if k not in volatile}  # type: ignore[union-attr]
            for r in records
        ]

    history = [
        to_jsonable(dataclasses.replace(change, id=0))
        for app in journal.list_applications()
        for change in journal.get_application(app.id).history
    ]
    return (
        strip(journal.list_applications()),  # type: ignore[arg-type]
        strip(journal.list_interviews()),  # type: ignore[arg-type]
        strip(journal.list_feedback()),  # type: ignore[arg-type]
        history,
    )


def test_same_seed_same_journal(demo: Journal, tmp_path: Path) -> None:
    with Journal.open(str(tmp_path / "again.db")) as again:
        build_demo(again, seed=7, end=END)
        assert _content(again) == _content(demo)
    with Journal.open(str(tmp_path / "other.db")) as other:
        build_demo(other, seed=8, end=END)
        assert _content(other) != _content(demo)


def test_refuses_a_journal_that_holds_data(demo: Journal) -> None:
    with pytest.raises(JournalNotEmpty, match="already holds data"):
        build_demo(demo, seed=1, end=END)


def test_search_shape_is_believable(demo: Journal) -> None:
    report = demo.summary()
    assert report.applications == 150
    assert 95 <= report.companies <= 100
    assert report.first_applied is not None and report.last_applied is not None
    assert report.last_applied <= END
    assert (END - report.first_applied).days >= 170
    assert 22 <= report.reached["screen"] <= 28
    assert 10 <= report.reached["technical"] <= 14
    assert 3 <= report.reached["onsite"] <= 5
    assert report.reached["offer"] == 1
    assert report.by_status.get("rejected", 0) + report.by_status.get("ghosted", 0) >= 110
    assert report.interviews_mock == 15
    assert 40 <= report.interviews_real <= 90
    assert 45 <= report.feedback <= 75
    assert set(report.feedback_by_source) == {
        "interviewer",
        "recruiter",
        "mock_partner",
        "coach",
        "self",
    }
    sources = {a.source for a in demo.list_applications()}
    assert len(sources) == 5


def _statements_by_interview(journal: Journal) -> dict[str, set[tuple[int | None, bool]]]:
    """Skill area of each constructive demo statement → the (interview, mock?) it appeared in."""
    interviews = {i.id: i for i in journal.list_interviews()}
    raised: dict[str, set[tuple[int | None, bool]]] = defaultdict(set)
    for item in journal.list_feedback():
        for statement in demo_statements():
            if statement.label == "constructive" and statement.text in item.text:
                interview = interviews.get(item.interview_id) if item.interview_id else None
                for skill in statement.skills:
                    raised[skill].add((item.interview_id, bool(interview and interview.mock)))
    return raised


def test_feedback_covers_all_four_labels(demo: Journal) -> None:
    texts = " ".join(f.text for f in demo.list_feedback())
    used = {s.label for s in demo_statements() if s.text in texts}
    assert used == {"constructive", "strength", "circumstance", "noise"}


def test_a_few_weaknesses_recur_across_real_and_mock_interviews(demo: Journal) -> None:
    raised = _statements_by_interview(demo)
    recurring = {
        skill
        for skill, where in raised.items()
        if len({i for i, _ in where if i is not None}) >= 3
        and any(mock for _, mock in where)
        and any(not mock for i, mock in where if i is not None)
    }
    assert {"experimentation", "problem_solving"} <= recurring
    assert 3 <= len(recurring) <= 5


def test_rubric_scores_improve_in_some_skills_and_not_others(demo: Journal) -> None:
    mocks = demo.list_interviews(mock=True)
    midpoint = mocks[len(mocks) // 2].held_on

    def change(skill: str) -> float:
        early = [m.rubric[skill] for m in mocks if skill in m.rubric and m.held_on < midpoint]
        late = [m.rubric[skill] for m in mocks if skill in m.rubric and m.held_on >= midpoint]
        assert early and late, skill
        return statistics.mean(late) - statistics.mean(early)

    assert change("statistics") > 0.4
    assert change("communication") > 0.4
    assert change("experimentation") < 0.6


def test_feedback_phrasings_are_many_and_varied() -> None:
    statements = demo_statements()
    texts = [s.text for s in statements]
    assert len(texts) == len(set(texts)) >= 200
    for label in ("constructive", "strength", "circumstance", "noise"):
        assert sum(s.label == label for s in statements) >= 20
    assert all(s.skills for s in statements if s.label in ("constructive", "strength"))
    assert not any(s.skills for s in statements if s.label in ("circumstance", "noise"))


@pytest.mark.parametrize("seed", [14, 19, 22])
def test_nothing_happens_after_the_end_of_the_search(tmp_path: Path, seed: int) -> None:
    with Journal.open(str(tmp_path / "demo.db")) as journal:
        build_demo(journal, seed=seed, end=END)
        changes = journal.status_changes_frame()
        assert changes["changed_at"].dt.tz_convert(None).dt.date.max() <= END
        assert max(i.held_on for i in journal.list_interviews()) <= END
        assert max(f.received_on for f in journal.list_feedback()) <= END
