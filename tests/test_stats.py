"""Analytics: intervals against SciPy, a funnel built by hand, cuts, the forecast, learning curves,
response times, the data collected, and a journal end to end (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from debrief.errors import InvalidInput
from debrief.journal import Journal
from debrief.journal.facts import InterviewFact
from debrief.stats import (
    FUNNEL,
    JEFFREYS,
    UNIFORM,
    AppFact,
    application_fact,
    build_funnel,
    compare,
    cut_funnel,
    fit_trend,
    forecast_offer,
    learning_curves,
    parse_prior,
    pass_rate_interval,
    response_times,
    round_rates,
    search_stats,
)

TODAY = date(2026, 11, 30)


# -- intervals ---------------------------------------------------------------------------------


def test_jeffreys_interval_for_3_of_20_matches_scipy_beta_ppf() -> None:
    from scipy.stats import beta

    rate = pass_rate_interval(3, 20)
    assert rate.low == pytest.approx(beta.ppf(0.05, 3.5, 17.5), abs=1e-12)
    assert rate.high == pytest.approx(beta.ppf(0.95, 3.5, 17.5), abs=1e-12)
    assert rate.mean == pytest.approx(3.5 / 21)
    # The same quantiles found by integrating the Beta(3.5, 17.5) density numerically.
    assert (round(rate.low, 4), round(rate.high, 4)) == (0.0562, 0.3137)
    assert rate.observed == pytest.approx(0.15)
    assert not rate.small_sample  # 27 points wide


def test_a_prior_is_a_parameter() -> None:
    from scipy.stats import beta

    uniform = pass_rate_interval(3, 20, prior=UNIFORM)
    assert uniform.low == pytest.approx(beta.ppf(0.05, 4, 18))
    custom = pass_rate_interval(3, 20, prior=parse_prior("2,8"))
    assert custom.mean == pytest.approx(5 / 30)
    assert parse_prior("Jeffreys") is JEFFREYS
    assert parse_prior("uniform") is UNIFORM
    assert parse_prior("1e-3, 1").a == 0.001
    for bad in ("", "beta", "0,1", "-1,2", "1", "inf,1", "nan,1", "1,2,3"):
        with pytest.raises(InvalidInput):
            parse_prior(bad)


def test_wide_intervals_warn_and_no_data_is_the_prior() -> None:
    assert pass_rate_interval(1, 3).small_sample
    empty = pass_rate_interval(0, 0)
    assert empty.mean == 0.5 and empty.small_sample and empty.observed is None
    none_of_40 = pass_rate_interval(0, 40)
    assert none_of_40.low < 1e-4 and none_of_40.high == pytest.approx(0.0466, abs=1e-4)
    with pytest.raises(ValueError, match="cannot have"):
        pass_rate_interval(5, 3)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 400).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_every_interval_holds_its_mean_inside_0_1(case: tuple[int, int]) -> None:
    passed, total = case
    rate = pass_rate_interval(passed, total)
    assert 0.0 <= rate.low <= rate.mean <= rate.high <= 1.0


# -- one application at a time ---------------------------------------------------------------


def fact(
    status: str = "applied",
    history: tuple[tuple[int, str], ...] = (),
    *,
    applied: int = 60,
    source: str = "cold_apply",
    implied: int = 0,
    role: str = "Data Scientist",
    app_id: int = 1,
) -> AppFact:
    """An application sent `applied` days before TODAY, with changes (days after applying)."""
    day = TODAY - timedelta(days=applied)
    return application_fact(
        app_id=app_id,
        company="Acme",
        role=role,
        level=None,
        source=source,
        applied_on=day,
        status=status,
        history=[(day, "applied"), *((day + timedelta(days=d), s) for d, s in history)],
        implied_stage=implied,
        as_of=TODAY,
    )


def test_how_an_application_ended() -> None:
    rejected = fact("rejected", ((12, "rejected"),))
    assert (FUNNEL[rejected.reached], rejected.ending, rejected.response_days) == (
        "response",
        "failed",
        12,
    )
    ghosted = fact("ghosted", ((35, "ghosted"),))
    assert (ghosted.reached, ghosted.ending, ghosted.first_response) == (0, "failed", None)
    assert fact(applied=10).ending == "pending"  # within the 30-day window
    assert fact(applied=45).ending == "failed"  # unanswered after it
    withdrawn = fact("withdrawn", ((3, "screen"), (9, "withdrawn")))
    assert (FUNNEL[withdrawn.reached], withdrawn.ending) == ("screen", "withdrew")
    offer = fact("offer", ((5, "screen"), (20, "onsite"), (30, "offer")))
    assert (FUNNEL[offer.reached], offer.ending, offer.response_days) == ("offer", "offer", 5)
    # A round of a kind implies its stage even where the status was never moved on.
    assert FUNNEL[fact("screen", ((4, "screen"),), implied=4).reached] == "onsite"


def test_a_rejected_round_ends_an_application_whose_status_was_never_moved() -> None:
    day = TODAY - timedelta(days=20)
    found = application_fact(
        app_id=1,
        company="Acme",
        role="Data Scientist",
        level=None,
        source=None,
        applied_on=day,
        status="applied",
        history=[(day, "applied")],
        implied_stage=FUNNEL.index("onsite"),
        answers=[day - timedelta(days=3)],  # the recruiter wrote before the application
        last_round="rejected",
        as_of=TODAY,
    )
    assert (FUNNEL[found.reached], found.ending, found.response_days) == ("onsite", "failed", 0)


def test_pass_and_reach_verdicts() -> None:
    screened_then_rejected = fact("rejected", ((4, "screen"), (10, "rejected")))
    assert [screened_then_rejected.passed(s) for s in range(4)] == [True, True, False, None]
    assert screened_then_rejected.reaches(FUNNEL.index("technical")) is False
    waiting = fact("screen", ((4, "screen"),))
    assert waiting.passed(FUNNEL.index("screen")) is None
    assert waiting.reaches(FUNNEL.index("technical")) is None


# -- a funnel built by hand --------------------------------------------------------------------


def hand_built() -> list[AppFact]:
    """20 applications: 8 unanswered, 6 rejected on paper, 3 rejected after a screen, 1 waiting
    after a screen, 1 rejected after a technical round, 1 offer."""
    apps = [fact("ghosted", ((35, "ghosted"),), app_id=i) for i in range(8)]
    apps += [fact("rejected", ((10, "rejected"),), app_id=10 + i) for i in range(6)]
    apps += [fact("rejected", ((4, "screen"), (9, "rejected")), app_id=20 + i) for i in range(3)]
    apps.append(fact("screen", ((4, "screen"),), app_id=30))
    apps.append(fact("rejected", ((4, "screen"), (9, "technical"), (15, "rejected")), app_id=31))
    apps.append(fact("offer", ((4, "screen"), (9, "technical"), (15, "onsite"), (25, "offer"))))
    return apps


def test_a_funnel_built_by_hand() -> None:
    funnel = build_funnel(hand_built())
    assert [s.reached for s in funnel.stages] == [20, 12, 6, 2, 1, 1]
    steps = {s.stage: (s.rate.passed, s.rate.total) for s in funnel.steps if s.rate}
    assert steps == {
        "response": (12, 20),
        "screen": (6, 12),
        "technical": (2, 5),  # the one still waiting after its screen is left out
        "onsite": (1, 2),
        "offer": (1, 1),
    }
    assert funnel.stage("technical").waiting == 1
    assert funnel.shortage is None
    # Even 12 of 20 leaves an interval 35 points wide: every step of so small a funnel warns.
    assert funnel.warnings == (
        "Any response",
        "Recruiter screen",
        "Technical",
        "Onsite / final",
        "Offer",
    )
    assert not build_funnel(hand_built() * 4).stage("response").rate.small_sample  # type: ignore[union-attr]
    frame = funnel.frame()
    assert list(frame["reached"]) == [20, 12, 6, 2, 1, 1]
    assert frame.loc[2, "low"] == pytest.approx(pass_rate_interval(6, 12).low)


def test_a_tiny_funnel_says_it_needs_more_data() -> None:
    funnel = build_funnel(hand_built()[:4])
    assert funnel.shortage == (
        "Not enough data yet: 6 more applications with an answer or a verdict before the "
        "pass rates mean anything."
    )
    assert build_funnel([]).stages[0].reached == 0


# -- cuts and comparisons ----------------------------------------------------------------------


def by_source() -> list[AppFact]:
    """Referrals reach a screen 8 times in 10; cold applications 4 times in 40."""
    apps = []
    for i in range(10):
        history = ((3, "screen"), (8, "rejected")) if i < 8 else ((9, "rejected"),)
        apps.append(fact("rejected", history, source="referral", app_id=i))
    for i in range(40):
        history = ((3, "screen"), (8, "rejected")) if i < 4 else ((9, "rejected"),)
        apps.append(fact("rejected", history, source="cold_apply", app_id=100 + i))
    return apps


def test_a_cut_by_source_compares_in_plain_words() -> None:
    cut = cut_funnel(by_source(), "source")
    assert [(g.name, g.measure.passed, g.measure.total) for g in cut.groups] == [
        ("Cold applications", 4, 40),
        ("Referrals", 8, 10),
    ]
    comparison = cut.comparison
    assert comparison is not None
    ratio = pass_rate_interval(8, 10).mean / pass_rate_interval(4, 40).mean
    assert comparison.ratio == pytest.approx(ratio)
    assert comparison.sentence == (
        f"Referrals reach a recruiter screen {ratio:.1f}× as often as cold applications "
        "(8 of 10 vs 4 of 40); the 90% intervals do not overlap."
    )
    assert not comparison.overlap and comparison.chance_best > 0.99 and comparison.groups == 2


def test_overlapping_groups_are_called_possibly_chance() -> None:
    found = compare(
        [("A", pass_rate_interval(3, 10)), ("B", pass_rate_interval(2, 10))],
        lambda name: f"Group {name}",
        "pass",
    )
    assert found is not None and found.overlap
    assert "may be chance" in found.sentence
    assert 0.5 < found.chance_best < 0.9
    # Among many groups, the chance quoted is that the best is the highest of them all.
    many = compare(
        [
            (name, pass_rate_interval(k, 15))
            for name, k in zip("ABCDEF", (6, 4, 3, 3, 3, 2), strict=True)
        ],
        lambda name: f"Group {name}",
        "pass",
    )
    assert many is not None and many.groups == 6
    pair = pass_rate_interval(6, 15), pass_rate_interval(2, 15)
    assert many.chance_best < compare([("A", pair[0]), ("F", pair[1])], str, "x").chance_best  # type: ignore[union-attr]
    assert "the best of these 6 groups" in many.sentence
    # Groups too small to compare give no sentence at all.
    assert (
        compare([("A", pass_rate_interval(1, 2)), ("B", pass_rate_interval(0, 3))], str, "x")
        is None
    )


def test_cuts_by_role_month_and_half() -> None:
    apps = [
        fact("rejected", ((9, "rejected"),), role=role, applied=days, app_id=n)
        for n, (role, days) in enumerate(
            [("Data Scientist", 100)] * 5 + [("data  scientist", 40)] * 5 + [("ML Engineer", 90)]
        )
    ]
    roles = cut_funnel(apps, "role")
    assert [(g.name, g.funnel.applications) for g in roles.groups] == [
        ("Data Scientist", 10),  # grouped regardless of case and spaces, spelled as most often
        ("ML Engineer", 1),
    ]
    assert roles.comparison is None and roles.shortage is not None
    assert cut_funnel(apps, "level").groups[0].name == "(no level given)"
    months = cut_funnel(apps, "month")
    assert [g.key for g in months.groups] == sorted(g.key for g in months.groups)
    halves = cut_funnel(apps, "half")
    assert [(g.name, g.funnel.applications) for g in halves.groups] == [
        ("First half", 6),
        ("Second half", 5),
    ]
    with pytest.raises(ValueError, match="cannot cut"):
        cut_funnel(apps, "colour")


def round_fact(
    interview_id: int,
    application_id: int | None,
    kind: str,
    held_on: date,
    outcome: str,
    rubric: dict[str, int] | None = None,
) -> InterviewFact:
    """An interview as analytics read it (mock when it has no application)."""
    return InterviewFact(
        id=interview_id,
        application_id=application_id,
        company=None,
        kind=kind,
        mock=application_id is None,
        held_on=held_on,
        outcome=outcome,
        self_rating=None,
        rubric=rubric or {},
        stage=None,
    )


REAL_OUTCOMES = ("passed", "rejected", "ghosted", "pending", "withdrew", "passed")
MOCK_OUTCOMES = ("passed", "passed", "rejected")


def test_round_pass_rates_real_and_mock() -> None:
    day = TODAY - timedelta(days=50)
    rounds = [
        round_fact(i, 1 if i < 6 else None, "sql", day + timedelta(days=i), outcome)
        for i, outcome in enumerate(REAL_OUTCOMES + MOCK_OUTCOMES)
    ]
    found = round_rates(rounds)
    assert (found.real.passed, found.real.total) == (2, 4)  # ghosted counts as not passed
    assert (found.mock.passed, found.mock.total) == (2, 3)
    assert found.waiting == 1
    assert [(k, m) for k, m, _ in found.by_kind] == [("sql", False), ("sql", True)]


# -- forecast ----------------------------------------------------------------------------------


def test_forecast_is_simulated_from_the_posterior_and_repeatable() -> None:
    apps = hand_built() * 2
    funnel = build_funnel(apps)
    first = forecast_offer(funnel, apps, prior=JEFFREYS, as_of=TODAY)
    again = forecast_offer(funnel, apps, prior=JEFFREYS, as_of=TODAY)
    assert first == again
    assert first.applications is not None and first.offer_chance is not None
    assert first.applications.low < first.applications.median < first.applications.high
    # The median of 1/p is near 1 / (product of the posterior means) for this much data.
    product = 1.0
    for step in funnel.steps:
        assert step.rate is not None
        product *= step.rate.mean
    assert first.applications.median == pytest.approx(1 / product, rel=0.5)
    assert first.summary.startswith("At the rates so far, the next offer takes about")


def test_forecast_what_if_uses_the_best_month_of_the_weakest_step() -> None:
    early = [fact("rejected", ((9, "rejected"),), applied=150, app_id=i) for i in range(20)]
    late = [
        fact("rejected", ((3, "screen"), (9, "rejected")), applied=70, app_id=100 + i)
        for i in range(4)
    ] + [fact("rejected", ((9, "rejected"),), applied=70, app_id=200 + i) for i in range(4)]
    offer = [fact("offer", ((3, "screen"), (9, "technical"), (15, "onsite"), (25, "offer")))]
    apps = early + late + offer
    found = forecast_offer(build_funnel(apps), apps, prior=JEFFREYS, as_of=TODAY)
    assert found.weakest == "screen"
    assert found.what_if is not None
    assert found.what_if.month == (TODAY - timedelta(days=70)).strftime("%Y-%m")
    assert found.what_if.applications.median < found.applications.median  # type: ignore[union-attr]


def test_forecast_says_when_no_application_got_past_a_step() -> None:
    screened = [fact("rejected", ((3, "screen"), (9, "rejected")), app_id=i) for i in range(10)]
    apps = screened + [fact("rejected", ((9, "rejected"),), app_id=100 + i) for i in range(15)]
    found = forecast_offer(build_funnel(apps), apps, prior=JEFFREYS, as_of=TODAY)
    assert found.weakest == "technical"
    assert found.summary.startswith(
        "No application has reached 'technical' yet, so that step rests on the prior alone"
    )
    assert found.what_if is None  # a month with no pass at all is no example to follow


def test_pace_is_measured_up_to_today_and_over_the_search_so_far() -> None:
    young = [fact("rejected", ((9, "rejected"),), applied=d % 14, app_id=d) for d in range(40)]
    found = forecast_offer(build_funnel(young), young, prior=JEFFREYS, as_of=TODAY)
    assert found.per_week == pytest.approx(40 / 2)  # two weeks old, not eight
    paused = [fact("rejected", ((9, "rejected"),), applied=100 + d, app_id=d) for d in range(30)]
    assert forecast_offer(build_funnel(paused), paused, prior=JEFFREYS, as_of=TODAY).per_week == 0


def test_forecast_waits_for_enough_data() -> None:
    apps = hand_built()[:5]
    found = forecast_offer(build_funnel(apps), apps, prior=JEFFREYS, as_of=TODAY)
    assert found.applications is None
    assert found.shortage is not None and "15 more applications" in found.shortage


# -- learning curves ---------------------------------------------------------------------------


def test_trend_matches_scipy_linregress_with_a_t_interval() -> None:
    from scipy.stats import linregress, t

    start = date(2026, 1, 1)
    scores = [(0, 2), (10, 3), (25, 2), (40, 4), (60, 3), (70, 5)]
    points = [(start + timedelta(days=d), float(s)) for d, s in scores]
    trend = fit_trend(points)
    assert trend is not None
    fit = linregress([(d - start).days for d, _ in points], [s for _, s in points])
    days = [(d - start).days for d, _ in points]
    mean_day = sum(days) / len(days)
    residual_variance = fit.stderr**2 * sum((x - mean_day) ** 2 for x in days)
    assert residual_variance > 1 / 12  # well above rounding: the floor plays no part here
    half = t.ppf(0.95, 4) * fit.stderr
    assert trend.slope == pytest.approx(fit.slope * 30.44)
    assert trend.low == pytest.approx((fit.slope - half) * 30.44)
    assert trend.high == pytest.approx((fit.slope + half) * 30.44)
    assert trend.direction == "improving"
    assert trend.line[0][0] == start and trend.line[-1][0] == start + timedelta(days=70)
    assert fit_trend(points[:2]) is None
    assert fit_trend([(start, 3.0)] * 4) is None  # one day: no slope
    two_days = [(start, 2.0), (start, 2.0), (start + timedelta(days=1), 5.0)]
    assert fit_trend(two_days) is None


def test_an_exact_fit_of_whole_number_scores_claims_no_certainty() -> None:
    start = date(2026, 1, 1)
    exact = fit_trend([(start + timedelta(days=10 * i), float(2 + i)) for i in range(3)])
    assert exact is not None
    assert exact.low < exact.slope < exact.high  # rounding alone leaves an interval
    flat = fit_trend([(start + timedelta(days=10 * i), 3.0) for i in range(4)])
    assert flat is not None and flat.direction == "no clear trend" and flat.low < 0 < flat.high


def test_learning_curves_per_skill_with_shortages() -> None:
    day = date(2026, 3, 1)
    rounds = [
        round_fact(i, None, "sql", day + timedelta(days=9 * i), "passed", {"sql": s})
        for i, s in enumerate([2, 3, 3, 4])
    ] + [round_fact(9, 1, "coding", day, "passed", {"coding": 3})]
    curves = learning_curves(rounds)
    assert [(c.skill, len(c.points), c.trend is not None) for c in curves] == [
        ("sql", 4, True),
        ("coding", 1, False),
    ]
    assert curves[1].shortage == (
        "Not enough data yet: 2 more days with a score before a trend means anything."
    )
    assert len(curves[1].real) == 1 and not curves[1].mock


# -- response times ----------------------------------------------------------------------------


def test_response_times_and_ghosting_by_source() -> None:
    apps = [
        fact("rejected", ((d, "rejected"),), source="referral", app_id=d) for d in (2, 4, 6, 8, 10)
    ]
    apps += [
        fact("ghosted", ((35, "ghosted"),), source="cold_apply", app_id=100 + i) for i in range(3)
    ]
    apps.append(fact("ghosted", ((3, "screen"), (40, "ghosted")), source="cold_apply", app_id=200))
    everyone, *sources = response_times(apps, prior=JEFFREYS)
    assert (everyone.answered, everyone.median_days, everyone.quartiles) == (6, 5.0, (3.25, 7.5))
    assert (everyone.unanswered.passed, everyone.unanswered.total) == (3, 9)
    assert everyone.ghosted_later == 1
    assert [(s.key, s.answered, s.unanswered.passed) for s in sources] == [
        ("referral", 5, 0),
        ("cold_apply", 1, 3),
    ]


# -- a journal, end to end ---------------------------------------------------------------------


def test_stats_of_a_journal(journal: Journal) -> None:
    start = TODAY - timedelta(days=90)
    for n in range(12):
        app = journal.add_application(
            f"Company {n}",
            "Data Scientist",
            source="referral" if n < 5 else "cold_apply",
            applied_on=start + timedelta(days=n),
        )
        if n < 5:
            journal.change_status(app.id, "screen", at=start + timedelta(days=n + 5))
            interview = journal.add_interview(
                "recruiter_screen",
                application_id=app.id,
                held_on=start + timedelta(days=n + 7),
                outcome="rejected",
                rubric={"communication": 2 + n % 3},
                decided_on=start + timedelta(days=n + 9),
            )  # the rejected round closes the application
            journal.add_feedback(
                "You did not ask clarifying questions. Great communication.",
                interview_id=interview.id,
                source="recruiter",
                received_on=start + timedelta(days=n + 9),
            )
        elif n < 8:
            journal.change_status(app.id, "ghosted", at=start + timedelta(days=n + 40))
    journal.add_interview("sql", held_on=start, outcome="passed", rubric={"sql": 3})
    found = search_stats(journal, as_of=TODAY)
    assert [s.reached for s in found.funnel.stages] == [12, 5, 5, 0, 0, 0]
    response = found.funnel.stage("response").rate
    assert response is not None and (response.passed, response.total) == (5, 12)
    assert found.cuts["source"].comparison is not None
    assert (found.rounds.real.total, found.rounds.mock.total) == (5, 1)
    assert [c.skill for c in found.learning] == ["sql", "communication"]
    assert found.responses[0].median_days == 5.0
    collected = found.collected
    # Three ghosted, and four never answered in 30 days.
    assert (collected.rejections, collected.silences) == (5, 7)
    assert (collected.interviews_real, collected.interviews_mock, collected.feedback) == (5, 1, 5)
    assert collected.constructive >= 5 and collected.acted_on == 0
    assert "Accept an item of the action plan" in collected.sentence
    assert found.first_day == start

    from debrief.plan import ActionPlan

    plan = ActionPlan(journal)
    [item] = [p.item for p in plan.refresh(as_of=TODAY).items if p.item.skill == "problem_solving"]
    plan.accept(item.id, as_of=TODAY)
    plan.log_practice(item.id, "Two case drills, asking questions first", minutes=45, on=TODAY)
    acted = search_stats(journal, as_of=TODAY).collected
    assert acted.acted_on == 5 and acted.items_active == 1
    assert (acted.practice_sessions, acted.practice_minutes) == (1, 45)
    assert "5 of those are about a skill your action plan is working on." in acted.sentence


def test_stats_of_an_empty_journal(journal: Journal) -> None:
    found = search_stats(journal, as_of=TODAY)
    assert found.funnel.applications == 0 and found.funnel.shortage is not None
    assert found.forecast.shortage is not None
    assert found.learning == () and found.first_day is None
    assert found.collected.sentence.startswith("Nothing recorded yet")


def test_chance_highest_is_kept_for_the_same_counts_and_equals_fresh_draws() -> None:
    """Rebuilding the analysis after a write compares mostly unchanged groups: their draws are
    kept, and a kept answer is the one fresh draws with the same seed give."""
    import numpy as np

    from debrief.stats.intervals import (
        _chance_highest,
        chance_highest,
        pass_rate_interval,
        sample_rates,
    )

    rates = [pass_rate_interval(7, 20), pass_rate_interval(3, 18), pass_rate_interval(5, 9)]
    fresh = sample_rates(rates, 20_000, np.random.default_rng(0))
    expected = float((fresh.argmax(axis=0) == 2).mean())
    before = _chance_highest.cache_info().hits
    assert chance_highest(rates, 2) == expected
    assert chance_highest(list(rates), 2) == expected
    assert _chance_highest.cache_info().hits == before + 1
    assert chance_highest(rates, 0) != expected
