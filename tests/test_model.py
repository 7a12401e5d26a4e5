"""The domain rules: vocabularies, value parsers (property-tested) and status transitions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from debrief.errors import InvalidInput, InvalidTransition
from debrief.model import (
    EARLIEST_DAY,
    MAX_NAME,
    PIPELINE,
    Source,
    Status,
    check_transition,
    clean_text,
    parse_date,
    parse_rating,
    parse_rubric,
)
from debrief.taxonomy import load_taxonomy, skill_ids

TODAY = date(2026, 3, 15)
SKILLS = skill_ids()


def test_taxonomy_has_the_product_skill_areas() -> None:
    assert [a.id for a in load_taxonomy().areas] == [
        "sql",
        "coding",
        "statistics",
        "experimentation",
        "machine_learning",
        "product_sense",
        "data_analysis",
        "communication",
        "problem_solving",
        "behavioral",
        "domain_knowledge",
        "other",
    ]
    assert load_taxonomy().version >= 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", date(2026, 3, 1)),
        (" 2026-03-01 ", date(2026, 3, 1)),
        ("today", TODAY),
        ("Yesterday", TODAY - timedelta(days=1)),
        ("3 days ago", TODAY - timedelta(days=3)),
        ("1 day ago", TODAY - timedelta(days=1)),
        ("10d ago", TODAY - timedelta(days=10)),
    ],
)
def test_parse_date_accepts(text: str, expected: date) -> None:
    assert parse_date(text, "on", today=TODAY) == expected


@pytest.mark.parametrize(
    "text", ["2026-02-30", "2026-13-01", "01/03/2026", "soon", "", "   ", "20260301", "2026-3-1"]
)
def test_parse_date_refuses_with_the_field_named(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse_date(text, "held_on", today=TODAY)
    assert error.value.field == "held_on"


@given(st.dates(min_value=EARLIEST_DAY, max_value=date(2036, 3, 14)))
def test_parse_date_round_trips_iso_dates(day: date) -> None:
    assert parse_date(day.isoformat(), "on", today=TODAY) == day


@given(
    st.one_of(
        st.dates(max_value=EARLIEST_DAY - timedelta(days=1)),
        st.dates(min_value=date(2036, 3, 15)),
    )
)
def test_parse_date_refuses_days_no_journal_holds(day: date) -> None:
    with pytest.raises(InvalidInput, match=r"before 1970|more than 10 years from today"):
        parse_date(day.isoformat(), "held_on", today=TODAY)


@given(st.text(max_size=40))
def test_parse_date_only_ever_returns_a_date_or_refuses(text: str) -> None:
    try:
        result = parse_date(text, "on", today=TODAY)
    except InvalidInput as error:
        assert error.field == "on"  # noqa: PT017 - either outcome is fine, both are checked
    else:
        assert isinstance(result, date)


@given(st.integers(min_value=-10, max_value=10))
def test_parse_rating_bounds(value: int) -> None:
    if 1 <= value <= 5:
        assert parse_rating(str(value), "self_rating") == value
    else:
        with pytest.raises(InvalidInput, match="out of range"):
            parse_rating(value, "self_rating")


@pytest.mark.parametrize("value", ["x", "3.5", "", "4/5"])
def test_parse_rating_refuses_non_integers(value: str) -> None:
    with pytest.raises(InvalidInput, match="whole number"):
        parse_rating(value, "self_rating")


def test_parse_rubric_forms() -> None:
    assert parse_rubric("sql=4, Statistics=3", SKILLS) == {"sql": 4, "statistics": 3}
    assert parse_rubric(["sql=4", "problem-solving:2"], SKILLS) == {
        "sql": 4,
        "problem_solving": 2,
    }
    assert parse_rubric({"coding": "5", "sql": None}, SKILLS) == {"coding": 5, "sql": None}
    assert parse_rubric("sql=", SKILLS) == {"sql": None}


@pytest.mark.parametrize(
    ("text", "message"),
    [("sql", "skill=score"), ("cooking=3", "not a skill area"), ("sql=6", "out of range")],
)
def test_parse_rubric_refuses(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_rubric(text, SKILLS)


@given(
    st.dictionaries(st.sampled_from(sorted(SKILLS)), st.integers(min_value=1, max_value=5)),
)
def test_parse_rubric_round_trips_written_scores(scores: dict[str, int]) -> None:
    written = ",".join(f"{skill}={score}" for skill, score in scores.items())
    assert parse_rubric(written, SKILLS) == scores


@given(st.text(max_size=60))
def test_parse_rubric_never_crashes_on_garbage(text: str) -> None:
    try:
        parsed = parse_rubric(text, SKILLS)
    except InvalidInput:
        return
    assert set(parsed) <= SKILLS
    assert all(v is None or 1 <= v <= 5 for v in parsed.values())


def test_choices_parse_any_spelling() -> None:
    assert Source.parse("Cold apply", "source") is Source.COLD_APPLY
    assert Source.parse("recruiter-outreach", "source") is Source.RECRUITER_OUTREACH
    with pytest.raises(InvalidInput, match="not one of"):
        Source.parse("carrier pigeon", "source")


def test_clean_text_bounds_and_strips() -> None:
    assert clean_text("  Acme  ", "company", MAX_NAME) == "Acme"
    assert clean_text("   ", "level", MAX_NAME) is None
    with pytest.raises(InvalidInput, match="must not be empty"):
        clean_text(" ", "company", MAX_NAME, required=True)
    with pytest.raises(InvalidInput, match="limit is 200"):
        clean_text("x" * 201, "company", MAX_NAME)


APP, SCR, TEC, ONS, OFF = PIPELINE
REJ, WDR, GHO = Status.REJECTED, Status.WITHDRAWN, Status.GHOSTED


@pytest.mark.parametrize(
    ("current", "new", "reached"),
    [
        (APP, SCR, APP),
        (APP, ONS, APP),  # skipping stages is fine
        (SCR, REJ, SCR),
        (TEC, WDR, TEC),
        (APP, GHO, APP),
        (GHO, SCR, APP),  # they came back after all
        (GHO, TEC, TEC),
        (GHO, REJ, SCR),
        (OFF, WDR, OFF),  # declined the offer
        (OFF, REJ, OFF),  # offer rescinded
    ],
)
def test_allowed_transitions(current: Status, new: Status, reached: Status) -> None:
    check_transition(current, new, reached)


@pytest.mark.parametrize(
    ("current", "new", "reached", "message"),
    [
        (OFF, APP, OFF, "comes before"),
        (ONS, SCR, ONS, "comes before"),
        (GHO, SCR, TEC, "comes before"),  # ghosted after technical cannot drop back to screen
        (GHO, APP, APP, "comes back at a stage after 'applied'"),
        (REJ, SCR, SCR, "final"),
        (WDR, ONS, TEC, "final"),
        (SCR, SCR, SCR, "already"),
    ],
)
def test_refused_transitions(current: Status, new: Status, reached: Status, message: str) -> None:
    with pytest.raises(InvalidTransition, match=message):
        check_transition(current, new, reached)


def test_dates_in_the_future_are_refused_where_they_cannot_be() -> None:
    assert parse_date("2026-03-16", "held_on", today=TODAY) == date(2026, 3, 16)
    with pytest.raises(InvalidInput, match="2026-03-16 is in the future"):
        parse_date("2026-03-16", "applied_on", today=TODAY, past=True)
    assert parse_date("today", "applied_on", today=TODAY, past=True) == TODAY


def test_nul_characters_are_refused() -> None:
    with pytest.raises(InvalidInput, match="NUL"):
        clean_text("abc\x00def", "feedback text", 100)
