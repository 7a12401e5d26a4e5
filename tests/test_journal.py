"""The journal core on every backend: records, history, filters, cascades, atomicity, frames."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debrief.errors import InvalidInput, InvalidTransition, NotFound
from debrief.journal import Journal
from debrief.journal.fields import _clean_link
from debrief.model import FeedbackSource, Outcome, Source, Status, WorkMode


def _application(journal: Journal, company: str = "Acme", **fields: object) -> int:
    fields.setdefault("applied_on", "2026-03-01")
    return journal.add_application(company, "Data Scientist", **fields).id  # type: ignore[arg-type]


def test_add_application_records_fields_and_first_history_entry(journal: Journal) -> None:
    added = journal.add_application(
        " Acme Corp ",
        "Senior Data Scientist",
        level="senior",
        location="Berlin",
        work_mode="Hybrid",
        source="cold apply",
        link="jobs.example.com/42",
        applied_on="2026-03-01",
        notes="Found through a friend's post.",
    )
    assert added.company == "Acme Corp"
    assert added.work_mode is WorkMode.HYBRID
    assert added.source is Source.COLD_APPLY
    assert added.link == "https://jobs.example.com/42"
    assert added.status is Status.APPLIED
    assert added.created_at.tzinfo is not None
    detail = journal.get_application(added.id)
    assert detail.application == added
    [first] = detail.history
    assert first.from_status is None
    assert first.to_status is Status.APPLIED
    assert first.changed_at == datetime(2026, 3, 1, 12, tzinfo=UTC)


def test_status_changes_are_recorded_in_order(journal: Journal) -> None:
    app_id = _application(journal)
    journal.change_status(app_id, "screen", at="2026-03-05", note="Recruiter called")
    journal.change_status(app_id, "technical", at="2026-03-12")
    journal.change_status(app_id, "rejected", at="2026-03-20")
    detail = journal.get_application(app_id)
    assert detail.application.status is Status.REJECTED
    moves = [(c.from_status, c.to_status) for c in detail.history]
    assert moves == [
        (None, Status.APPLIED),
        (Status.APPLIED, Status.SCREEN),
        (Status.SCREEN, Status.TECHNICAL),
        (Status.TECHNICAL, Status.REJECTED),
    ]
    assert detail.history[1].note == "Recruiter called"
    assert [c.changed_at.date() for c in detail.history] == [
        date(2026, 3, 1),
        date(2026, 3, 5),
        date(2026, 3, 12),
        date(2026, 3, 20),
    ]


def test_invalid_transition_writes_nothing_and_force_overrides(journal: Journal) -> None:
    app_id = _application(journal)
    journal.change_status(app_id, "offer", at="2026-03-10")
    with pytest.raises(InvalidTransition, match="before 'offer'"):
        journal.change_status(app_id, "applied")
    assert len(journal.get_application(app_id).history) == 2
    journal.change_status(app_id, "applied", force=True)
    detail = journal.get_application(app_id)
    assert detail.application.status is Status.APPLIED
    assert detail.history[-1].forced is True


def test_ghosted_application_can_come_back(journal: Journal) -> None:
    app_id = _application(journal)
    journal.change_status(app_id, "screen", at="2026-03-03")
    journal.change_status(app_id, "ghosted", at="2026-04-10")
    journal.change_status(app_id, "technical", at="2026-04-20")
    assert journal.get_application(app_id).application.status is Status.TECHNICAL


def test_status_change_cannot_predate_the_last_one(journal: Journal) -> None:
    app_id = _application(journal)
    journal.change_status(app_id, "screen", at="2026-03-10")
    with pytest.raises(InvalidInput, match="before the last status change") as error:
        journal.change_status(app_id, "rejected", at="2026-03-02")
    assert error.value.field == "at"
    assert journal.get_application(app_id).application.status is Status.SCREEN


def test_edit_application_changes_only_given_fields_and_clears_with_none(
    journal: Journal,
) -> None:
    app_id = _application(journal, level="mid", notes="n")
    before = journal.get_application(app_id).application
    after = journal.edit_application(app_id, role="Staff Data Scientist", level=None)
    assert after.role == "Staff Data Scientist"
    assert after.level is None
    assert after.notes == "n"
    assert after.updated_at >= before.updated_at
    assert after.created_at == before.created_at


def test_editing_applied_on_moves_the_first_history_entry(journal: Journal) -> None:
    app_id = _application(journal)
    journal.change_status(app_id, "screen", at="2026-03-10")
    journal.edit_application(app_id, applied_on="2026-02-20")
    assert journal.get_application(app_id).history[0].changed_at.date() == date(2026, 2, 20)
    with pytest.raises(InvalidInput, match="after the change to 'screen'"):
        journal.edit_application(app_id, applied_on="2026-03-20")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"company": "  "}, "company"),
        ({"work_mode": "on the moon"}, "work_mode"),
        ({"source": "telepathy"}, "source"),
        ({"link": "javascript:alert(1)"}, "link"),
        ({"applied_on": "2026-02-30"}, "applied_on"),
        ({"notes": "x" * 20_001}, "notes"),
    ],
)
def test_bad_application_values_are_refused_and_nothing_is_written(
    journal: Journal, fields: dict[str, object], field: str
) -> None:
    values: dict[str, object] = {"company": "Acme", **fields}
    company = values.pop("company")
    with pytest.raises(InvalidInput) as error:
        journal.add_application(company, "DS", **values)  # type: ignore[arg-type]
    assert error.value.field == field
    assert journal.list_applications() == []


def test_unknown_ids_raise_not_found(journal: Journal) -> None:
    for call in (
        lambda: journal.get_application(404),
        lambda: journal.change_status(404, "screen"),
        lambda: journal.edit_application(404, role="x"),
        lambda: journal.delete_application(404),
        lambda: journal.get_interview(404),
        lambda: journal.add_interview("sql", application_id=404),
        lambda: journal.delete_interview(404),
        lambda: journal.get_feedback(404),
        lambda: journal.add_feedback("text", interview_id=404),
        lambda: journal.delete_feedback(404),
    ):
        with pytest.raises(NotFound, match="404"):
            call()


def test_list_applications_filters(journal: Journal) -> None:
    a = _application(journal, "Acme Analytics", source="referral", applied_on="2026-01-10")
    b = _application(journal, "Globex", source="job board", applied_on="2026-02-10")
    c = _application(journal, "acme 50%_off", source="cold_apply", applied_on="2026-03-10")
    journal.change_status(b, "rejected", at="2026-02-20")

    def ids(**filters: object) -> list[int]:
        return [x.id for x in journal.list_applications(**filters)]  # type: ignore[arg-type]

    assert ids() == [a, b, c]
    assert ids(status=["rejected"]) == [b]
    assert ids(status=["applied", "rejected"]) == [a, b, c]
    assert ids(company="ACME") == [a, c]
    assert ids(company="50%_") == [c]  # LIKE wildcards in user text are literal
    assert ids(company="%") == [c]
    assert ids(source=["referral", "job_board"]) == [a, b]
    assert ids(since="2026-02-01") == [b, c]
    assert ids(until="2026-02-10") == [a, b]
    assert ids(since="2026-02-01", until="2026-02-28") == [b]
    assert ids(limit=1) == [c]  # the most recent
    assert ids(limit=2) == [b, c]


def test_interviews_real_and_mock_with_rubric(journal: Journal) -> None:
    app_id = _application(journal)
    real = journal.add_interview(
        "technical screen",
        application_id=app_id,
        held_on="2026-03-08",
        interviewer="Lina",
        self_rating=4,
        rubric="sql=4,statistics=2",
    )
    mock = journal.add_interview(
        "product_case",
        held_on="2026-03-09",
        interviewer="Sam (partner)",
        rubric={"sql": 3},
        outcome="pending",  # given: the rubric rule does not overrule it
    )
    assert not real.mock and real.company == "Acme"
    assert real.rubric == {"sql": 4, "statistics": 2}
    assert real.self_rating == 4 and real.self_rated_at is not None
    assert real.outcome is Outcome.PENDING
    assert mock.mock and mock.application_id is None and mock.company is None

    edited = journal.edit_interview(
        real.id, outcome="passed", rubric={"statistics": 3, "sql": None, "coding": 5}
    )
    assert edited.outcome is Outcome.PASSED
    assert edited.rubric == {"coding": 5, "statistics": 3}
    assert edited.updated_at >= real.updated_at

    assert [i.id for i in journal.list_interviews(mock=True)] == [mock.id]
    assert [i.id for i in journal.list_interviews(mock=False)] == [real.id]
    assert [i.id for i in journal.list_interviews(kind=["product case"])] == [mock.id]
    assert [i.id for i in journal.list_interviews(outcome=["passed"])] == [real.id]
    assert [i.id for i in journal.list_interviews(company="acm")] == [real.id]
    assert [i.id for i in journal.list_interviews(application_id=app_id)] == [real.id]
    assert [i.id for i in journal.list_interviews(since="2026-03-09")] == [mock.id]

    moved = journal.edit_interview(mock.id, application_id=app_id)
    assert not moved.mock
    detached = journal.edit_interview(mock.id, application_id=None)
    assert detached.mock


def test_bad_interview_values(journal: Journal) -> None:
    with pytest.raises(InvalidInput, match="out of range"):
        journal.add_interview("sql", self_rating=6)
    with pytest.raises(InvalidInput, match="not a skill area"):
        journal.add_interview("sql", rubric="cooking=3")
    with pytest.raises(InvalidInput, match="not one of"):
        journal.add_interview("karaoke")
    assert journal.list_interviews() == []


def test_feedback_on_interview_application_or_nothing(journal: Journal) -> None:
    app_id = _application(journal)
    real = journal.add_interview("sql", application_id=app_id, held_on="2026-03-08")
    mock = journal.add_interview("statistics", held_on="2026-03-09")
    on_real = journal.add_feedback("Your joins were solid.", interview_id=real.id)
    on_mock = journal.add_feedback("Work on power analysis.", interview_id=mock.id)
    on_app = journal.add_feedback(
        "We went with another candidate.", application_id=app_id, received_on="2026-03-02"
    )
    general = journal.add_feedback("Open every case with a structure.", source="coach")

    assert on_real.source is FeedbackSource.INTERVIEWER
    assert on_real.application_id == app_id and on_real.company == "Acme"
    assert on_mock.source is FeedbackSource.MOCK_PARTNER and on_mock.application_id is None
    assert on_app.source is FeedbackSource.RECRUITER and on_app.interview_id is None
    assert general.source is FeedbackSource.COACH and general.company is None

    def ids(**filters: object) -> list[int]:
        return [f.id for f in journal.list_feedback(**filters)]  # type: ignore[arg-type]

    assert ids(application_id=app_id) == [on_app.id, on_real.id]
    assert ids(interview_id=mock.id) == [on_mock.id]
    assert ids(company="ACME") == [on_app.id, on_real.id]
    assert ids(source=["coach"]) == [general.id]
    assert ids(mock=True) == [on_mock.id]
    assert ids(mock=False) == [on_app.id, on_real.id, general.id]
    assert ids(until="2026-03-02") == [on_app.id]
    assert journal.get_feedback(on_real.id) == on_real

    detail = journal.get_application(app_id)
    assert [f.id for f in detail.feedback] == [on_app.id]
    assert [f.id for f in detail.interviews[0].feedback] == [on_real.id]


def test_feedback_text_is_verbatim_and_bounded(journal: Journal) -> None:
    email = "Hi Priya,\n\n<b>Thanks</b> for your time — ünïcødé & 'quotes'.\n\nBest,\nTom\n"
    stored = journal.add_feedback(email)
    assert journal.get_feedback(stored.id).text == email.strip()
    with pytest.raises(InvalidInput, match="must not be empty"):
        journal.add_feedback(" \n\t ")
    with pytest.raises(InvalidInput, match="limit is 100,000"):
        journal.add_feedback("x" * 100_001)
    with pytest.raises(InvalidInput, match="not both"):
        journal.add_feedback("x", interview_id=1, application_id=1)
    assert len(journal.list_feedback()) == 1


def test_delete_application_cascades(journal: Journal) -> None:
    keep = _application(journal, "Keep")
    gone = _application(journal, "Gone")
    interview = journal.add_interview("sql", application_id=gone)
    journal.add_feedback("a", interview_id=interview.id)
    journal.add_feedback("b", application_id=gone)
    journal.add_feedback("c", application_id=keep)
    mock = journal.add_interview("sql")

    deleted = journal.delete_application(gone)
    assert (deleted.interviews, deleted.feedback) == (1, 2)
    assert [a.id for a in journal.list_applications()] == [keep]
    assert [i.id for i in journal.list_interviews()] == [mock.id]
    assert [f.text for f in journal.list_feedback()] == ["c"]
    with pytest.raises(NotFound):
        journal.get_interview(interview.id)


def test_delete_interview_and_feedback(journal: Journal) -> None:
    interview = journal.add_interview("sql", rubric="sql=3")
    journal.add_feedback("x", interview_id=interview.id)
    kept = journal.add_feedback("y")
    assert journal.delete_interview(interview.id).feedback == 1
    assert [f.id for f in journal.list_feedback()] == [kept.id]
    journal.delete_feedback(kept.id)
    assert journal.list_feedback() == []


def test_atomic_block_is_all_or_nothing(journal: Journal) -> None:
    with pytest.raises(InvalidTransition), journal.atomic():  # noqa: PT012
        app_id = _application(journal)
        journal.add_interview("sql", application_id=app_id)
        journal.change_status(app_id, "screen")
        journal.change_status(app_id, "applied")  # refused: rolls the whole block back
    assert journal.list_applications() == []
    assert journal.list_interviews() == []

    with journal.atomic():
        app_id = _application(journal)
        journal.change_status(app_id, "screen")
        assert journal.get_application(app_id).application.status is Status.SCREEN
    assert [a.status for a in journal.list_applications()] == [Status.SCREEN]


def test_summary_counts(journal: Journal) -> None:
    assert journal.summary().applications == 0
    a = _application(journal, "Acme")
    _application(journal, "acme")
    c = _application(journal, "Globex", applied_on="2026-04-01")
    journal.change_status(a, "screen")
    journal.change_status(a, "rejected")
    journal.change_status(c, "ghosted")
    journal.add_interview("sql", application_id=a)
    journal.add_interview("sql")
    journal.add_interview("coding")
    journal.add_feedback("x", application_id=a)
    report = journal.summary()
    assert report.applications == 3
    assert report.companies == 2
    assert (report.first_applied, report.last_applied) == (date(2026, 3, 1), date(2026, 4, 1))
    assert report.by_status == {"applied": 1, "rejected": 1, "ghosted": 1}
    assert report.reached == {"applied": 3, "screen": 1, "technical": 0, "onsite": 0, "offer": 0}
    assert report.interviews_by_kind == {
        "sql": {"real": 1, "mock": 1},
        "coding": {"real": 0, "mock": 1},
    }
    assert (report.interviews_real, report.interviews_mock) == (1, 2)
    assert report.feedback_by_source == {"recruiter": 1}
    assert sum(report.statements_by_label.values()) == 0  # "x" is too short to be a statement
    assert list(report.statements_by_label) == [
        "constructive",
        "strength",
        "circumstance",
        "noise",
    ]


def test_dataframes(journal: Journal) -> None:
    import pandas as pd

    empty = journal.applications_frame()
    assert list(empty.columns)[:3] == ["id", "company", "role"]
    assert len(empty) == 0

    app_id = _application(journal, source="referral")
    journal.add_interview("sql", application_id=app_id, rubric="sql=4", held_on="2026-03-05")
    journal.add_interview("statistics", rubric="statistics=2", held_on="2026-03-06")
    journal.add_feedback("Good SQL.", application_id=app_id)

    apps = journal.applications_frame()
    assert apps.loc[0, "source"] == "referral" and type(apps.loc[0, "source"]) is str
    assert pd.api.types.is_datetime64_any_dtype(apps["applied_on"])

    interviews = journal.interviews_frame()
    assert list(interviews["mock"]) == [False, True]
    assert interviews["rubric_sql"].tolist()[0] == 4
    assert pd.isna(interviews["rubric_sql"].tolist()[1])
    assert str(interviews["application_id"].dtype) == "Int64"

    feedback = journal.feedback_frame()
    assert feedback.loc[0, "text"] == "Good SQL."
    changes = journal.status_changes_frame()
    assert changes["to_status"].tolist() == ["applied", "technical"]  # the SQL round moved it


def test_the_statements_frame_joins_feedback_interview_and_application(journal: Journal) -> None:
    import pandas as pd

    assert len(journal.statements_frame()) == 0
    app_id = _application(journal, "Acme")
    real = journal.add_interview("sql", application_id=app_id, held_on="2026-03-05")
    mock = journal.add_interview("statistics", held_on="2026-03-06")
    on_real = journal.add_feedback("Your joins were slow.", interview_id=real.id)
    [slow] = journal.list_statements(feedback_id=on_real.id)
    journal.label_statement(slow.id, "constructive", ["sql", "coding"])
    journal.add_feedback("Great explanation of the p-value.", interview_id=mock.id)
    journal.add_feedback("We hired someone internally.", application_id=app_id)
    journal.add_feedback("Practise window functions.")  # a note on no record

    frame = journal.statements_frame()
    assert len(frame) == len(journal.list_statements()) == 4
    by_text = frame.set_index("text")
    joins = by_text.loc["Your joins were slow."]
    assert joins["skills"] == ["sql", "coding"] and joins["label"] == "constructive"
    assert (joins["kind"], joins["mock"], joins["company"], joins["role"]) == (
        "sql",
        False,
        "Acme",
        "Data Scientist",
    )
    assert joins["source"] == "interviewer" and joins["origin"] == "user"
    assert by_text.loc["Great explanation of the p-value."]["mock"]
    assert pd.isna(by_text.loc["Great explanation of the p-value."]["company"])
    internal = by_text.loc["We hired someone internally."]
    assert pd.isna(internal["interview_id"]) and internal["company"] == "Acme"
    note = by_text.loc["Practise window functions."]
    assert pd.isna(note["mock"]) and pd.isna(note["application_id"])
    assert pd.api.types.is_datetime64_any_dtype(frame["held_on"])
    assert str(frame["interview_id"].dtype) == "Int64"
    exploded = frame.explode("skills")  # one row per skill area, as notebooks count them
    assert {"sql", "coding"} <= set(exploded["skills"].dropna())


def test_help_lists_every_frame() -> None:
    import debrief

    frames = [name for name in dir(Journal) if name.endswith("_frame")]
    assert len(frames) == 7
    assert all(f"{name}()" in (debrief.__doc__ or "") for name in frames)


def test_ids_are_never_reused_after_a_delete(journal: Journal) -> None:
    first = _application(journal)
    journal.delete_application(first)
    assert _application(journal) > first
    mock = journal.add_interview("sql").id
    journal.delete_interview(mock)
    assert journal.add_interview("sql").id > mock


@given(st.text(max_size=80))
@settings(max_examples=300)
def test_links_are_web_addresses_or_refused(text: str) -> None:
    try:
        link = _clean_link(text)
    except InvalidInput as error:
        assert error.field == "link"  # noqa: PT017 - either outcome is fine, both are checked
        return
    if link is not None:
        parts = urlsplit(link)
        assert parts.scheme.lower() in ("http", "https")
        assert parts.hostname


def test_self_rating_after_feedback_needs_force(journal: Journal) -> None:
    interview = journal.add_interview("sql")
    journal.add_feedback("My own notes.", interview_id=interview.id, source="self")
    assert journal.edit_interview(interview.id, self_rating=3).self_rating == 3  # self notes: fine
    journal.add_feedback("Clean SQL.", interview_id=interview.id)
    with pytest.raises(InvalidInput, match="not a blind one") as error:
        journal.edit_interview(interview.id, self_rating=5)
    assert error.value.field == "self_rating"
    assert journal.get_interview(interview.id).interview.self_rating == 3
    assert journal.edit_interview(interview.id, self_rating=5, force=True).self_rating == 5


def test_future_dates_are_refused_except_for_interviews(journal: Journal) -> None:
    future = (date.today() + timedelta(days=3)).isoformat()
    with pytest.raises(InvalidInput, match="in the future"):
        journal.add_application("Acme", "DS", applied_on=future)
    app_id = _application(journal)
    with pytest.raises(InvalidInput, match="in the future"):
        journal.change_status(app_id, "screen", at=future)
    with pytest.raises(InvalidInput, match="in the future"):
        journal.add_feedback("x", received_on=future)
    scheduled = journal.add_interview("sql", application_id=app_id, held_on=future)
    assert scheduled.held_on.isoformat() == future


def test_feedback_filter_by_interview_kind(journal: Journal) -> None:
    sql = journal.add_interview("sql")
    stats = journal.add_interview("statistics")
    journal.add_feedback("a", interview_id=sql.id)
    journal.add_feedback("b", interview_id=stats.id)
    journal.add_feedback("c")
    assert [f.text for f in journal.list_feedback(kind=["statistics"])] == ["b"]


@pytest.fixture
def evening_in_california(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """The clock at 20:00 on 2026-11-26 in Los Angeles (04:00 UTC the next day)."""
    import time as time_module

    import debrief.journal.fields
    import debrief.model

    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time_module.tzset()
    clock: dict[str, object] = {
        "now": datetime(2026, 11, 27, 4, 0, tzinfo=UTC),
        "today": date(2026, 11, 26),
    }

    # The journal dates events by the clock of its field rules (`moment`).
    monkeypatch.setattr(debrief.journal.fields, "local_today", lambda: clock["today"])
    monkeypatch.setattr(debrief.model, "local_today", lambda: clock["today"])
    monkeypatch.setattr(debrief.journal.fields, "utcnow", lambda: clock["now"])
    yield clock
    monkeypatch.undo()
    time_module.tzset()


def test_dates_follow_the_users_calendar_day(
    journal: Journal, evening_in_california: dict[str, object]
) -> None:
    clock = evening_in_california
    app = journal.add_application("Acme", "DS", applied_on="today")
    first = journal.get_application(app.id).history[0].changed_at
    assert first.astimezone().date() == date(2026, 11, 26)
    clock.update(now=datetime(2026, 11, 27, 17, 0, tzinfo=UTC), today=date(2026, 11, 27))
    journal.change_status(app.id, "screen", at="yesterday")  # the same day as the application
    history = journal.get_application(app.id).history
    assert [c.to_status for c in history] == [Status.APPLIED, Status.SCREEN]
    assert history[1].changed_at >= history[0].changed_at
    assert history[1].changed_at.astimezone().date() == date(2026, 11, 26)
    old = journal.add_application("Globex", "DS", applied_on="2026-11-20")
    shown = journal.get_application(old.id).history[0].changed_at.astimezone()
    assert (shown.date(), shown.hour) == (date(2026, 11, 20), 12)  # local noon of that day


def test_company_search_ignores_case_and_accents(journal: Journal) -> None:
    """FINDINGS N3: `-c MÜLLER` and `-c zoe` found nothing."""
    muller = journal.add_application("Müller Analytics", "DS", applied_on="2026-03-01").id
    zoe = journal.add_application("Zoë Labs", "DS", applied_on="2026-03-02").id
    journal.add_application("Acme", "DS", applied_on="2026-03-03")
    assert [a.id for a in journal.list_applications(company="MÜLLER")] == [muller]
    assert [a.id for a in journal.list_applications(company="muller")] == [muller]
    assert [a.id for a in journal.list_applications(company="zoe")] == [zoe]
    assert [a.id for a in journal.list_applications(company="L", limit=1)] == [zoe]
    round_ = journal.add_interview("sql", application_id=zoe, held_on="2026-03-05")
    assert [i.id for i in journal.list_interviews(company="ZOË")] == [round_.id]
    note = journal.add_feedback("Clear answers.", interview_id=round_.id)
    assert [f.id for f in journal.list_feedback(company="zoe labs")] == [note.id]
