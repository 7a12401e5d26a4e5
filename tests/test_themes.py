"""Themes: recurrence across distinct interviews, the score, trend, sub-themes, the
self-assessment gap, and the demo journal's planted weaknesses found first."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debrief.journal import Journal
from debrief.model import local_today
from debrief.plan.propose import propose
from debrief.themes import (
    InterviewFact,
    StatementFact,
    ThemeReport,
    find_themes,
    load_settings,
)
from debrief.themes.build import round_weight, statement_weight, trend
from debrief.themes.cluster import background, cluster_texts, count_background
from debrief.themes.gap import self_assessment
from tests.conftest import CliDriver
from tests.themes_helpers import mock_interview, real_interview, say

TODAY = local_today()
SETTINGS = load_settings()
EXP = "experimentation"


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def weakness(report: ThemeReport, skill: str) -> object:
    return next((t for t in report.weaknesses if t.skill == skill), None)


# -- recurrence, scope, exclusion (on SQLite and PostgreSQL) ------------------------------------


def test_one_interview_is_a_signal_two_make_a_theme_and_repeats_count_once(
    journal: Journal,
) -> None:
    first = real_interview(journal, "Acme", "statistics", days_ago(20))
    say(
        journal,
        [
            ("You could not explain how to size the experiment.", "constructive", EXP),
            ("The power analysis was shaky again later on.", "constructive", EXP),
        ],
        interview_id=first,
    )
    report = find_themes(journal)
    [theme] = report.weaknesses
    assert (theme.skill, theme.status, theme.interviews, len(theme.evidence)) == (
        "experimentation",
        "signal",
        1,
        2,
    )
    second = mock_interview(journal, "product_case", days_ago(5))
    say(
        journal,
        [("You never said how long the test should run.", "constructive", EXP)],
        interview_id=second,
    )
    theme = find_themes(journal).weaknesses[0]
    assert (theme.status, theme.interviews_real, theme.interviews_mock) == ("theme", 1, 1)
    assert theme.first_seen == days_ago(20) and theme.last_seen == days_ago(5)
    assert theme.sources == {"interviewer": 2, "mock_partner": 1}
    assert [e.day for e in theme.evidence] == [days_ago(5), days_ago(20), days_ago(20)]


def test_circumstance_and_noise_never_enter_a_theme(journal: Journal) -> None:
    ids = []
    for n, company in enumerate(("Acme", "Globex")):
        interview = real_interview(journal, company, "sql", days_ago(30 - n))
        ids += say(
            journal,
            [
                ("Your window functions were slow and error-prone.", "constructive", "sql"),
                ("The budget for the role was cut.", "circumstance", ""),
                ("Thank you for your time.", "noise", ""),
            ],
            interview_id=interview,
        )
    report = find_themes(journal)
    evidence = {e.statement_id for t in report.weaknesses + report.strengths for e in t.evidence}
    assert evidence == {ids[0], ids[3]}
    assert report.excluded == {"circumstance": 2, "noise": 2}
    journal.label_statement(ids[3], "noise")  # the user says: nothing to act on
    [theme] = find_themes(journal).weaknesses
    assert theme.status == "signal" and [e.statement_id for e in theme.evidence] == [ids[0]]


def test_real_mock_and_since_scopes(journal: Journal) -> None:
    old = real_interview(journal, "Acme", "coding", days_ago(90))
    say(
        journal,
        [("Your pandas code was hard to follow.", "constructive", "coding")],
        interview_id=old,
    )
    mock = mock_interview(journal, "coding", days_ago(10))
    say(
        journal,
        [("Your pandas code was hard to read.", "constructive", "coding")],
        interview_id=mock,
    )
    note = say(journal, [("Practise pandas group-bys every day.", "constructive", "coding")])
    assert find_themes(journal).weaknesses[0].notes == 1
    real = find_themes(journal, scope="real").weaknesses[0]
    assert (real.interviews_real, real.interviews_mock, real.notes) == (1, 0, 0)
    mocked = find_themes(journal, scope="mock").weaknesses[0]
    assert (mocked.interviews_real, mocked.interviews_mock) == (0, 1)
    recent = find_themes(journal, since=days_ago(30)).weaknesses[0]
    assert recent.interviews == 1 and note[0] in {e.statement_id for e in recent.evidence}


# -- the score ----------------------------------------------------------------------------------


def mention(**fields: object) -> StatementFact:
    base: dict[str, object] = dict(
        statement_id=1,
        text="x",
        label="constructive",
        skills=("sql",),
        confidence=1.0,
        origin="user",
        feedback_id=1,
        source="interviewer",
        received_on=TODAY,
        interview_id=1,
        application_id=1,
        company="Acme",
        kind="sql",
        mock=False,
        held_on=TODAY,
        stage="technical",
    )
    base.update(fields)
    return StatementFact(**base)  # type: ignore[arg-type]


def test_a_statement_halves_its_weight_every_half_life() -> None:
    fresh = statement_weight(mention(), 1.0, TODAY, SETTINGS)
    half = TODAY + timedelta(days=int(SETTINGS.half_life_days))
    assert statement_weight(mention(), 1.0, half, SETTINGS) == pytest.approx(fresh / 2)


def test_onsite_outweighs_a_recruiter_screen_and_interviewers_outweigh_self() -> None:
    screen = mention(kind="recruiter_screen", stage="screen")
    onsite_case = mention(kind="product_case", stage="onsite")
    assert round_weight(onsite_case, SETTINGS) == 1.5 > round_weight(screen, SETTINGS) == 0.5
    assert round_weight(mention(kind="final", mock=True, stage=None), SETTINGS) == 1.5
    interviewer = statement_weight(mention(), 1.0, TODAY, SETTINGS)
    self_note = statement_weight(mention(source="self"), 1.0, TODAY, SETTINGS)
    unsure = statement_weight(mention(confidence=0.5), 1.0, TODAY, SETTINGS)
    secondary = statement_weight(mention(), SETTINGS.secondary_share, TODAY, SETTINGS)
    assert interviewer > self_note and unsure == pytest.approx(interviewer / 2)
    assert secondary == pytest.approx(interviewer * SETTINGS.secondary_share)


def rounds(pattern: str, skill: str = "sql") -> list[InterviewFact]:
    """One round per character, a day apart: R raised the weakness, . did not (its feedback
    named another area), ? no feedback."""
    made = []
    for n, mark in enumerate(pattern):
        made.append(
            InterviewFact(
                id=n + 1,
                application_id=n + 1,
                kind="sql",
                mock=False,
                held_on=TODAY - timedelta(days=len(pattern) - n),
                outcome="rejected",
                self_rating=None,
                rubric={},
                company="Acme",
                stage="technical",
                constructive=frozenset({skill}) if mark == "R" else frozenset(),
                strength=frozenset({"communication"}) if mark == "." else frozenset(),
            )
        )
    return made


@pytest.mark.parametrize(
    ("pattern", "direction", "counts"),
    [
        ("RRRR....", "fading", (4, 4, 0, 4)),
        ("....RRRR", "rising", (0, 4, 4, 4)),
        ("R.R.R.R.", "steady", (2, 4, 2, 4)),
        ("R.?R", "unclear", (1, 1, 1, 2)),
    ],
)
def test_trend_compares_the_earlier_and_later_interviews_that_tested_the_skill(
    pattern: str, direction: str, counts: tuple[int, int, int, int]
) -> None:
    found = trend("sql", "weakness", rounds(pattern), TODAY, SETTINGS)
    assert found.direction == direction
    assert (found.early_raised, found.early_tested, found.late_raised, found.late_tested) == counts
    assert str(found.tested) in found.describe() or direction != "unclear"


def test_a_low_rubric_score_raises_a_weakness_and_a_high_one_a_strength() -> None:
    [scored] = rounds(".")
    low = dataclasses.replace(scored, rubric={"sql": 2}, strength=frozenset())
    high = dataclasses.replace(scored, rubric={"sql": 5}, strength=frozenset())
    assert trend("sql", "weakness", [low], TODAY, SETTINGS).late_raised == 1
    assert trend("sql", "strength", [high], TODAY, SETTINGS).late_raised == 1


def test_how_often_a_skill_comes_up_when_tested_scales_the_score(journal: Journal) -> None:
    """Two skills raised in two interviews each: the one raised every time it was tested ranks
    above the one raised in two of many interviews that tested it."""
    for n in range(6):
        interview = real_interview(journal, f"Co{n}", "behavioral", days_ago(40 - n))
        lines = [("Your stories were vivid and well structured.", "strength", "behavioral")]
        if n < 2:
            lines.append(("Your answers ran far too long.", "constructive", "communication"))
        say(journal, lines, interview_id=interview)
    for n in range(2):
        interview = real_interview(journal, f"Stats{n}", "statistics", days_ago(40 - n))
        say(
            journal,
            [
                (
                    "You confused a p-value with a posterior probability.",
                    "constructive",
                    "statistics",
                )
            ],
            interview_id=interview,
        )
    report = find_themes(journal)
    assert [t.skill for t in report.weaknesses] == ["statistics", "communication"]
    statistics, communication = report.weaknesses
    assert statistics.trend.tested == 2 and communication.trend.tested == 8


# -- sub-themes -----------------------------------------------------------------------------------

EXPERIMENTATION = [
    "You were not sure how to compute the sample size for the test.",
    "The sample size calculation was missing entirely.",
    "You could not get from the minimum detectable effect to a sample size.",
    "You picked click-through rate without any guardrail metrics.",
    "No guardrail metrics, so harm to retention would go unnoticed.",
    "Think about guardrail metrics before you launch.",
    "You proposed stopping the test as soon as it looked significant.",
]


def test_subthemes_separate_topics_and_are_named_by_the_terms_they_share() -> None:
    clusters = cluster_texts(EXPERIMENTATION)
    groups = {c.terms[0]: {EXPERIMENTATION[i] for i in c.members} for c in clusters}
    assert set(groups["sample size"]) == set(EXPERIMENTATION[:3])
    assert set(groups["guardrail metrics"]) == set(EXPERIMENTATION[3:6])
    assert sorted(i for c in clusters for i in c.members) == list(range(len(EXPERIMENTATION)))


def test_clustering_is_deterministic_and_handles_the_degenerate_cases() -> None:
    assert cluster_texts(EXPERIMENTATION) == cluster_texts(list(EXPERIMENTATION))
    assert cluster_texts([]) == []
    [alone] = cluster_texts(["!!!"])
    assert alone.members == (0,) and alone.terms == ()
    twins = cluster_texts(["Weak on power analysis."] * 3)
    assert [c.members for c in twins] == [(0, 1, 2)]


def test_statements_past_the_cap_join_the_group_they_resemble() -> None:
    texts = EXPERIMENTATION[:3] + EXPERIMENTATION[3:6] + ["The sample size was far too small."]
    clusters = cluster_texts(texts, max_clustered=6)
    home = next(c for c in clusters if 6 in c.members)
    assert set(home.members) == {0, 1, 2, 6}


def test_the_shipped_background_frequencies_are_current() -> None:
    shipped = json.loads(
        (Path(__file__).resolve().parents[1] / "src/debrief/themes/data/background.json").read_text(
            "utf-8"
        )
    )
    assert shipped == count_background(), "run `make model` to refresh themes/data/background.json"
    assert background()[0] == shipped["documents"] > 4000


# -- self-assessment ------------------------------------------------------------------------------


def test_self_assessment_compares_self_ratings_with_rubric_scores_and_outcomes() -> None:
    base = rounds(".")[0]
    made = [
        dataclasses.replace(base, id=n, self_rating=4, rubric={"sql": 2, "coding": 4})
        for n in range(3)
    ]
    made.append(dataclasses.replace(base, id=9, kind="behavioral", self_rating=2, outcome="passed"))
    gaps = {g.skill: g for g in self_assessment(made, SETTINGS)}
    assert (gaps["sql"].gap, gaps["sql"].verdict, gaps["sql"].by_rubric) == (2.0, "over-rates", 3)
    assert gaps["coding"].verdict == "about right"
    assert (gaps["behavioral"].by_outcome, gaps["behavioral"].verdict) == (1, "too few to tell")
    assert gaps["behavioral"].gap == -2.0  # rated 2, passed (stands for 4)


# -- the demo journal ----------------------------------------------------------------------------

DEMO_ENDS = [date(2026, 11, 30), date(2026, 11, 27)]


@pytest.fixture(scope="module", params=DEMO_ENDS, ids=str)
def demo_journal(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Journal, date]]:
    from debrief.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    journal = Journal.open(str(path))
    build_demo(journal, end=request.param)
    yield journal, request.param
    journal.close()


def test_the_demo_top_three_weaknesses_are_the_ones_it_planted(
    demo_journal: tuple[Journal, date],
) -> None:
    from debrief.demo import planted_weaknesses

    journal, end = demo_journal
    report = find_themes(journal, as_of=end)
    top = report.weaknesses[:3]
    assert (
        {t.skill for t in top}
        == set(planted_weaknesses())
        == {
            "experimentation",
            "problem_solving",
            "product_sense",
        }
    )
    assert all(t.status == "theme" and t.interviews >= 5 for t in top)
    assert find_themes(journal, as_of=end) == report  # same data, same themes


def test_no_circumstance_or_noise_statement_is_evidence_in_the_demo(
    demo_journal: tuple[Journal, date],
) -> None:
    from debrief.demo import demo_statements

    journal, end = demo_journal
    report = find_themes(journal, as_of=end)
    evidence = [e for t in report.weaknesses + report.strengths for e in t.evidence]
    assert evidence and all(e.label in ("constructive", "strength") for e in evidence)
    stored = {s.id: s.label.value for s in journal.list_statements()}
    assert {stored[e.statement_id] for e in evidence} <= {"constructive", "strength"}
    # Nor anything the demo wrote as circumstance or noise that triage could have mislabelled.
    written = {s.text: s.label for s in demo_statements()}
    assert not [e.text for e in evidence if written.get(e.text) in ("circumstance", "noise")]


class _Rollback(Exception):
    """Leaves the journal as it was after a property-test example."""


@given(
    text=st.text(min_size=1, max_size=300).filter(lambda t: t.strip() and "\x00" not in t),
    label=st.sampled_from(["noise", "circumstance"]),
    where=st.integers(min_value=0, max_value=80),
)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
def test_adding_a_noise_or_circumstance_statement_never_changes_themes_or_plan(
    demo_journal: tuple[Journal, date], text: str, label: str, where: int
) -> None:
    journal, end = demo_journal
    before = find_themes(journal, as_of=end)
    interviews = journal.list_interviews()
    target = interviews[where % len(interviews)]
    triaged = journal.triager().triage_text(text)  # before the write, as triage always is
    try:
        with journal.atomic():
            feedback = journal.add_feedback(
                text, interview_id=target.id, received_on=end, triaged=triaged
            )
            for statement in journal.list_statements(feedback_id=feedback.id):
                journal.label_statement(statement.id, label)
            after = find_themes(journal, as_of=end)
            raise _Rollback
    except _Rollback:
        pass
    assert after.weaknesses == before.weaknesses
    assert after.strengths == before.strengths
    assert after.self_assessment == before.self_assessment

    def proposals(report: ThemeReport) -> list[object]:
        themes = [t for t in report.weaknesses if t.status == "theme"][:3]
        return [propose(t, n, end) for n, t in enumerate(themes, start=1)]

    assert proposals(after) == proposals(before)


def test_a_journal_years_old_ranks_by_its_own_evidence(journal: Journal) -> None:
    """Interviews from 2019: recency counts from the journal's latest feedback, not today, so
    the scores are not all 0.0 and the skill raised more often and more lately comes first."""
    days = [date(2019, 3, 4), date(2019, 4, 2), date(2019, 5, 6), date(2019, 6, 3)]
    for number, day in enumerate(days):
        interview = real_interview(journal, f"Firm {number}", "statistics", day)
        lines = [("You could not explain how to size the experiment.", "constructive", EXP)]
        if number >= 2:
            lines.append(("Your SQL joins were slow and unclear.", "constructive", "sql"))
        say(journal, lines, interview_id=interview, on=day)
    report = find_themes(journal)
    assert report.recent_to == date(2019, 6, 3) and report.as_of == local_today()
    assert [t.skill for t in report.weaknesses] == ["experimentation", "sql"]
    assert all(t.score > 0.5 for t in report.weaknesses)
    # As the journal stood in April 2019: only the first two interviews, experimentation alone.
    earlier = find_themes(journal, as_of=date(2019, 4, 30))
    assert [(t.skill, t.interviews) for t in earlier.weaknesses] == [("experimentation", 2)]
    assert earlier.recent_to == date(2019, 4, 2)


def test_equal_scores_rank_by_interviews_then_the_latest_then_the_name(journal: Journal) -> None:
    day = date(2026, 3, 2)
    for number in range(2):
        interview = real_interview(journal, f"Firm {number}", "statistics", day)
        say(
            journal,
            [
                ("Your SQL joins were slow and unclear.", "constructive", "sql"),
                ("You could not explain how to size the experiment.", "constructive", EXP),
            ],
            interview_id=interview,
            on=day,
        )
    first, second = find_themes(journal).weaknesses
    assert first.score == second.score
    assert [first.name, second.name] == sorted([first.name, second.name])


def test_themes_as_of_on_the_command_line(cli: CliDriver) -> None:
    with Journal.open(str(cli.db_path)) as journal:
        for number, day in enumerate([date(2019, 3, 4), date(2019, 5, 6)]):
            interview = real_interview(journal, f"Firm {number}", "statistics", day)
            say(
                journal,
                [("You could not explain how to size the experiment.", "constructive", EXP)],
                interview_id=interview,
                on=day,
            )
    shown = cli.ok("themes").stdout
    assert "recency counted from the latest feedback, 2019-05-06" in " ".join(shown.split())
    early = cli.json("themes", "--as-of", "2019-04-01")
    assert isinstance(early, dict) and early["recent_to"] == "2019-03-04"
    [theme] = early["weaknesses"]
    assert (theme["skill"], theme["status"]) == ("experimentation", "signal")
    refused = cli("themes", "--as-of", "next year")
    assert refused.exit_code != 0 and "invalid '--as-of'" in refused.stderr
