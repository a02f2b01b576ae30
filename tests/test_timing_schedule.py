"""Late engagement, schedule risk, plan comparison and partner-type effects."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lmsdecide as L
from lmsdecide.registry import all_models
from lmsdecide.scenario import NEVER, Scenario
from lmsdecide.timing import (
    compare_plans,
    late_engagement,
    pert_mean,
    pert_variance,
    simulate_schedule,
    timing_inputs,
)
from lmsdecide.timing.late import (
    expected_rework_total,
    late_engagement_from_inputs,
    missing_at_go_live,
)
from tests.strategies import scenarios

TIMING_MODELS = (
    "escalation_curve",
    "late_engagement",
    "simulate_schedule",
    "adoption",
    "recommend_plan",
)


def due_plan(s: Scenario) -> dict[str, str]:
    """Every department engaged in the phase its earliest concern is due."""
    plan = dict(s.engagement)
    for dept in s.department_ids:
        dues = [s.phase_index(c.due) for c in s.concerns if c.department == dept]
        if dues:
            plan[dept] = s.phase_ids[min(dues)]
    return plan


# --- late engagement -----------------------------------------------------------------------------


def test_late_it_concerns_and_multipliers() -> None:
    s = L.example("learning_led_late_it")
    late = late_engagement(s)
    it = late.concerns[late.concerns["department"] == "it"]
    assert set(it["surfaces"]) == {"test"}
    assert it["late"].all() and not it["post_launch"].any()
    assert set(it["resolution"]) == {"in project"}
    sso = it[it["concern"] == "Single sign-on"].iloc[0]
    # an integration concern due in requirements, surfacing in test: 4 phases late, g on
    # [1.05, 1.9], cap 25 not reached: E[g**4] = (1.9**4 - 1.05**4) / (4 ln(1.9 / 1.05)) = 4.98
    mult = (1.9**4 - 1.05**4) / (4 * np.log(1.9 / 1.05))
    assert sso["kind"] == "integration" and sso["lateness"] == 4 and sso["cap"] == 25.0
    assert sso["multiplier"] == pytest.approx(mult)
    assert sso["expected_rework"] == pytest.approx(1.0 * (mult - 1))
    assert late.expected_rework == pytest.approx(late.concerns["expected_rework"].sum())
    dept = late.departments.set_index("department")
    assert dept.loc["it", "n_late"] == 5
    assert dept.loc["it", "expected_rework"] == pytest.approx(late.expected_rework)
    # in-project rework: 75 % on the critical path over 3 FTE
    assert dept.loc["it", "expected_delay"] == pytest.approx(late.expected_rework * 0.75 / 3.0)
    assert late.expected_delay == pytest.approx(late.expected_rework * 0.75 / 3.0)
    text = late.explain("Single sign-on")
    assert "4 phases late" in text and f"{mult:.2f}" in text and "cap 25" in text
    assert f"{late.expected_delay:.1f} weeks" in late.explain()


def test_never_engaged_surfaces_after_launch_costs_effort_not_delay() -> None:
    s = L.example("it_led")
    late = late_engagement(s)
    managers = late.concerns[late.concerns["department"] == "managers"].iloc[0]
    assert managers["engaged"] == NEVER and managers["surfaces"] == "after_launch"
    assert managers["post_launch"] and managers["expected_rework"] > 0
    assert managers["expected_delay"] == 0.0
    assert managers["kind"] == "reporting" and managers["missing_at_go_live"]
    # a reporting concern 7 phases late is capped at 2.5x: the 0.5 person-week need costs at
    # most 0.75 person-weeks of rework, not the x373 of a spacecraft table
    assert managers["multiplier"] <= 2.5 and managers["expected_rework"] <= 0.5 * 1.5


def test_blocking_concern_of_a_department_never_engaged_is_found_at_launch() -> None:
    s = L.example("learning_led_late_it")
    never = late_engagement(s.with_changes(engagement={**s.engagement, "it": NEVER}))
    rows = never.concerns[never.concerns["department"] == "it"].set_index("concern")
    assert rows.loc["HR-system integration", "surfaces"] == "launch"
    assert rows.loc["HR-system integration", "resolution"] == "at launch"
    assert rows.loc["HR-system integration", "critical_share"] == 1.0
    # not blocking: done after go-live, missing at go-live
    assert rows.loc["Network and browser compatibility", "resolution"] == "after launch"
    assert never.missing_at_go_live == ("Network and browser compatibility",)
    assert never.expected_delay > late_engagement(s).expected_delay > 0


@given(scenarios(), st.data())
def test_engaging_later_never_lowers_expected_rework(s: Scenario, data: st.DataObject) -> None:
    inputs = timing_inputs(s)
    k = len(s.phases)
    d = data.draw(st.integers(0, len(s.departments) - 1))
    e1 = data.draw(st.integers(0, k))
    e2 = data.draw(st.integers(e1, k))
    eng1 = np.array(inputs.engagement)
    eng2 = np.array(inputs.engagement)
    eng1[d], eng2[d] = e1, e2
    r1 = late_engagement_from_inputs(inputs, eng1).expected_rework
    r2 = late_engagement_from_inputs(inputs, eng2).expected_rework
    assert r2 >= r1 - 1e-9 * max(1.0, r1)
    # and within every draw
    sim1 = compare_plans(
        s,
        {s.department_ids[d]: NEVER if e1 == k else s.phase_ids[e1]},
        {s.department_ids[d]: NEVER if e2 == k else s.phase_ids[e2]},
        n=100,
        seed=1,
    )
    assert np.all(sim1.rework_b >= sim1.rework_a - 1e-9 * np.maximum(1.0, sim1.rework_a))
    # (go-live time is not monotone: a concern pushed past go-live costs effort, not delay)


# --- schedule risk -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["learning_led_late_it", "it_led", "reseller_partner"])
def test_engaged_on_time_no_rework_and_mean_is_sum_of_pert_means(name: str) -> None:
    s = L.example(name)
    s = s.with_changes(engagement=due_plan(s))
    assert late_engagement(s, partner_effects=False).expected_rework == 0.0
    # with no shared overrun the phases are independent beta-PERTs: the mean is the PERT sum
    risk = simulate_schedule(
        s, n=40_000, seed=11, partner_effects=False, overrun_sigma=0.0, tail_probability=0.0
    )
    assert np.all(risk.rework == 0.0) and np.all(risk.delay == 0.0)
    launch = s.launch_index + 1
    a = [p.duration.optimistic for p in s.phases][:launch]
    m = [p.duration.likely for p in s.phases][:launch]
    b = [p.duration.pessimistic for p in s.phases][:launch]
    expected = float(np.sum(pert_mean(a, m, b)))
    se = float(np.sqrt(np.sum(pert_variance(a, m, b)) / risk.n))
    assert risk.planned == pytest.approx(expected)
    assert abs(risk.mean - expected) < 4 * se


def test_shared_lognormal_overrun_scales_the_mean_by_exp_sigma_squared_over_two() -> None:
    # O = exp(sigma Z) independent of the durations: E[O * D] = exp(sigma**2 / 2) E[D]
    s = L.example("learning_led_early_engagement")
    risk = simulate_schedule(s, n=200_000, seed=2, overrun_sigma=0.2, tail_probability=0.0)
    assert risk.mean == pytest.approx(np.exp(0.02) * risk.planned, rel=0.004)
    assert np.median(risk.overrun) == pytest.approx(1.0, abs=0.005)


def test_black_swan_tail_has_the_declared_probability_and_mean() -> None:
    # truncated Pareto, alpha 2, x_m 0.4, cap 2: mean = 2 x_m (1 - x_m/2) / (1 - (x_m/2)**2)
    s = L.example("learning_led_early_engagement")
    risk = simulate_schedule(s, n=200_000, seed=4, overrun_sigma=0.0)
    swan = risk.overrun > 1.0
    assert swan.mean() == pytest.approx(0.17, abs=0.004)
    x_m = 0.4
    expected = 2 * x_m * (1 - x_m / 2) / (1 - (x_m / 2) ** 2)
    assert expected == pytest.approx(0.667, abs=1e-3)  # Flyvbjerg & Budzier: "almost 70 %"
    assert (risk.overrun[swan] - 1).mean() == pytest.approx(expected, rel=0.01)
    assert risk.overrun.max() <= 3.0 + 1e-9


def test_simulated_rework_mean_matches_expected_rework() -> None:
    s = L.example("learning_led_late_it")
    risk = simulate_schedule(s, n=200_000, seed=5, max_delay=104.0)
    late = late_engagement(s)
    se = risk.rework.std() / np.sqrt(risk.n)
    assert abs(risk.rework.mean() - late.expected_rework) < 4 * se
    assert abs(risk.delay.mean() - late.expected_delay) < 4 * se * 0.75 / 3.0


def test_max_delay_caps_every_draw() -> None:
    s = L.example("learning_led_late_it")
    s = s.with_changes(engagement={**s.engagement, "it": "launch"})
    risk = simulate_schedule(s, n=5000, seed=5, max_delay=8.0)
    assert risk.delay.max() == pytest.approx(8.0)
    assert np.all(risk.delay <= 8.0)


def test_result_fields_and_percentiles() -> None:
    s = L.example("it_led")
    risk = simulate_schedule(s, n=5000, seed=3)
    assert risk.completion.shape == (5000,)
    assert risk.p50 == pytest.approx(np.percentile(risk.completion, 50))
    assert risk.p80 == pytest.approx(np.percentile(risk.completion, 80))
    assert risk.on_time_probability == pytest.approx(np.mean(risk.completion <= s.launch_target))
    assert risk.p10 <= risk.p50 <= risk.p80 <= risk.p90
    assert np.all(risk.finish >= risk.completion)
    assert not risk.completion.flags.writeable
    assert "P50" in risk.explain() and f"{risk.p50:.1f}" in risk.explain()
    plain = simulate_schedule(
        s, n=5000, seed=3, overrun_sigma=0.0, tail_probability=0.0, max_delay=104.0
    )
    phases = plain.phases
    pre = ~phases["post_launch"]
    assert phases.loc[pre, "mean_total"].sum() == pytest.approx(plain.mean)
    frame = risk.to_frame()
    assert list(frame.columns) == ["draw", "completion", "finish", "rework", "delay"]


def test_same_seed_same_result_and_different_seed_differs() -> None:
    s = L.example("it_led")
    assert simulate_schedule(s, 2000, 42) == simulate_schedule(s, 2000, 42)
    assert simulate_schedule(s, 2000, 42) != simulate_schedule(s, 2000, 43)
    assert np.array_equal(
        simulate_schedule(s, n=500, seed=np.random.default_rng(1)).completion,
        simulate_schedule(s, n=500, seed=1).completion,
    )


def test_tornado_is_the_p50_change_of_engaging_each_department_alone_at_due() -> None:
    s = L.example("it_led")
    risk = simulate_schedule(s, n=4000, seed=8)
    t = risk.tornado.set_index("department")
    for dept in ("hr", "ld", "learners"):
        plan = dict(s.engagement)
        dues = [s.phase_index(c.due) for c in s.concerns if c.department == dept]
        plan[dept] = s.phase_ids[min(dues)]
        alone = simulate_schedule(s.with_changes(engagement=plan), n=4000, seed=8)
        assert t.loc[dept, "engage_at"] == plan[dept]
        assert t.loc[dept, "p50_change"] == pytest.approx(alone.p50 - risk.p50, abs=1e-9)
    assert (risk.tornado["p50_change"] <= 0).all()
    assert risk.tornado.iloc[0]["department"] in ("ld", "hr")


# --- common random numbers -----------------------------------------------------------------------


def test_compare_plans_uses_common_random_numbers() -> None:
    s = L.example("learning_led_late_it")
    same = compare_plans(s, None, None, n=3000, seed=4)
    assert np.array_equal(same.difference, np.zeros(3000))
    cmp = compare_plans(s, None, {"it": "needs_analysis"}, n=3000, seed=4)
    alone_a = simulate_schedule(s, n=3000, seed=4)
    assert np.array_equal(cmp.completion_a, alone_a.completion)
    # plan B has no rework, so with shared draws the difference is exactly A's rework delay:
    # the phase-duration noise cancels draw by draw
    np.testing.assert_allclose(cmp.difference, alone_a.delay, rtol=1e-12, atol=1e-9)
    assert np.all(cmp.rework_b == 0.0)
    independent = simulate_schedule(s, n=3000, seed=5).completion - cmp.completion_b
    assert cmp.difference.std() < independent.std()
    # IT's five concerns found in testing: 24.2 person-weeks of expected rework, 75 % of it on the
    # critical path over 3 FTE = 6.1 weeks of expected delay (closed form, late_engagement)
    assert cmp.mean_difference == pytest.approx(late_engagement(s).expected_delay, rel=0.1)
    assert cmp.engagement_b["it"] == "needs_analysis"
    assert set(cmp.to_frame()["plan"]) == {"plan A", "plan B"}


def test_compare_plans_rejects_unknown_names() -> None:
    s = L.example("it_led")
    with pytest.raises(ValueError, match=r"engagement\.nobody: unknown department"):
        compare_plans(s, {"nobody": "design"}, None, n=100, seed=1)
    with pytest.raises(ValueError, match=r"engagement\.it: unknown phase"):
        compare_plans(s, {"it": "rollout"}, None, n=100, seed=1)


def test_bad_parameters_are_value_errors() -> None:
    s = L.example("it_led")
    with pytest.raises(ValueError, match="n: must be between"):
        simulate_schedule(s, n=0, seed=1)
    with pytest.raises(ValueError, match="rework_capacity"):
        simulate_schedule(s, n=100, seed=1, rework_capacity=-1.0)
    with pytest.raises(ValueError, match="seed"):
        simulate_schedule(s, n=100, seed="abc")  # type: ignore[arg-type]


# --- the bundled story ---------------------------------------------------------------------------


def test_story_late_it_lowers_on_time_probability() -> None:
    late = simulate_schedule(L.example("learning_led_late_it"), seed=1)
    early = simulate_schedule(L.example("learning_led_early_engagement"), seed=1)
    assert late.on_time_probability < early.on_time_probability
    assert early.on_time_probability > 0.55 and late.on_time_probability < 0.35
    # tens of percent over plan, not 3.5x: a committee recognises the plan
    assert 1.1 < late.p50 / late.planned < 1.5
    assert 3 < late.p50 - early.p50 < 12


def test_story_cloud_loses_little_from_late_it() -> None:
    cloud = simulate_schedule(L.example("cloud_no_integration"), seed=2)
    late_it = simulate_schedule(L.example("learning_led_late_it"), seed=2)
    it_cloud = cloud.tornado.set_index("department").loc["it", "p50_change"]
    it_late = late_it.tornado.set_index("department").loc["it", "p50_change"]
    # late IT costs 6.1 weeks of expected delay in the learning-led story, 0.3 in the cloud one
    # (a half-week security review found at launch, 3 phases late: 0.5 x (2.6 - 1) / 3 FTE)
    assert it_late < -4
    assert -1 < it_cloud <= 0
    assert abs(it_cloud) < 0.15 * abs(it_late)
    rework = late_engagement(L.example("cloud_no_integration")).departments.set_index("department")
    assert rework.loc["it", "expected_rework"] < 2


def test_story_it_led_learning_side_and_reseller_drive_the_delay() -> None:
    s = L.example("it_led")
    risk = simulate_schedule(s, seed=3)
    assert set(risk.tornado["department"][:2]) == {"ld", "hr"}
    # communications engaged at launch: their concerns do not block go-live, so they cost no
    # delay but are missing at go-live (the adoption model's ceiling falls)
    late = late_engagement(s)
    comms = late.concerns[late.concerns["function"] == "communications"]
    assert (comms["expected_delay"] == 0).all() and comms["missing_at_go_live"].all()
    assert risk.on_time_probability < 0.35
    # most of the delay is the reseller's integration gaps, which no engagement removes
    partner = late.departments.set_index("department").loc["boxshift", "expected_delay"]
    assert partner > 0.5 * late.expected_delay


# --- partner type feeds the timing model -------------------------------------------------------


def test_reseller_adds_a_late_integration_concern() -> None:
    s = L.example("reseller_partner")
    on = late_engagement(s)
    off = late_engagement(s, partner_effects=False)
    row = on.concerns[on.concerns["function"] == "vendor"].iloc[0]
    assert row["department"] == "boxshift" and row["due"] == "requirements"
    assert row["surfaces"] == "test" and row["engaged"] == "partner"
    assert row["effort"] == 4.0 and row["kind"] == "integration"
    assert off.expected_rework == 0.0
    mult = (1.9**4 - 1.05**4) / (4 * np.log(1.9 / 1.05))
    assert on.expected_rework == pytest.approx(4.0 * (mult - 1))
    bigger = late_engagement(s, reseller_integration_effort=8.0)
    assert bigger.expected_rework == pytest.approx(2 * on.expected_rework)
    # the same scenario with a learning specialist instead has no partner concern
    specialist = late_engagement(s.with_changes(selected_partner="learnwise"))
    assert specialist.expected_rework == 0.0
    risk_on = simulate_schedule(s, n=5000, seed=1)
    risk_off = simulate_schedule(s, n=5000, seed=1, partner_effects=False)
    assert risk_on.p50 > risk_off.p50 + 2


def test_integrator_adds_a_learning_setup_concern() -> None:
    s = L.example("learning_led_early_engagement").with_changes(selected_partner="techbridge")
    late = late_engagement(s, integrator_setup_effort=0.4)
    row = late.concerns[late.concerns["function"] == "vendor"].iloc[0]
    assert row["department"] == "techbridge" and row["effort"] == 0.4
    assert "set-up" in row["concern"]
    assert late_engagement(s, integrator_setup_effort=0.0).expected_rework == 0.0


def test_learning_specialist_shortens_embedding_not_go_live() -> None:
    s = L.example("learning_led_early_engagement")
    assert s.partner(s.selected_partner or "").type == "learning-specialist"
    short = simulate_schedule(s, n=4000, seed=9, specialist_embed_factor=0.5)
    full = simulate_schedule(s, n=4000, seed=9, specialist_embed_factor=1.0)
    assert np.array_equal(short.completion, full.completion)
    embed = s.phases[-1].duration
    expected = 0.5 * float(pert_mean(embed.optimistic, embed.likely, embed.pessimistic))
    # the embedding phase shares the project's overrun factor: E[O] = e^(0.1^2/2) (1 + 0.17 x
    # 0.667) with the default sigma, black-swan probability and tail mean
    mean_overrun = np.exp(0.005) * (1 + 0.17 * 0.8 * (1 - 0.2) / (1 - 0.04))
    assert (full.finish - short.finish).mean() == pytest.approx(expected * mean_overrun, rel=0.05)
    inputs = timing_inputs(s, specialist_embed_factor=0.5)
    assert inputs.likely[-1] == 0.5 * embed.likely
    assert any("learning specialist" in note for note in inputs.partner_notes)


# --- registration --------------------------------------------------------------------------------


def test_timing_models_are_registered_with_matching_declarations() -> None:
    models = all_models()
    for name in TIMING_MODELS:
        spec = models[name]
        assert spec.area == "timing"
        params = list(inspect.signature(spec.func).parameters)[1:]
        assert set(params) - {"seed"} == set(spec.params.names)
        assert spec.stochastic == ("seed" in params)


@pytest.mark.parametrize("scenario_name", L.list_examples())
def test_every_timing_model_runs_with_defaults_and_is_reproducible(scenario_name: str) -> None:
    s = L.example(scenario_name)
    models = all_models()
    for name in TIMING_MODELS:
        spec = models[name]
        extra = {"n": 500} if "n" in spec.params else {}
        if spec.stochastic:
            assert spec(s, seed=3, **extra) == spec(s, seed=3, **extra)
        else:
            assert spec(s) == spec(s)


@given(scenario=scenarios(), phase=st.integers(min_value=0, max_value=20))
def test_table_free_totals_equal_the_late_engagement_tables(scenario: Scenario, phase: int) -> None:
    """The totals the plan search and adoption use without tables are the full model's."""
    inputs = timing_inputs(scenario)
    # every department engaged in one phase (past the last phase: never engaged)
    engagement = np.full_like(inputs.engagement, min(phase, inputs.n_phases))
    for eng in (None, engagement):
        full = late_engagement_from_inputs(inputs, eng)
        assert expected_rework_total(inputs, eng) == pytest.approx(full.expected_rework, abs=1e-9)
        rows = full.concerns[full.concerns["missing_at_go_live"]]
        assert missing_at_go_live(inputs, eng) == (tuple(rows["concern"]), tuple(rows["kind"]))
