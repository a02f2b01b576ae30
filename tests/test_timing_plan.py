"""The recommended engagement plan: exact (checked by brute force), savings, the story."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lmsdecide as L
from lmsdecide.scenario import NEVER, Scenario
from lmsdecide.timing import late_engagement, recommend_plan, timing_inputs
from lmsdecide.timing.late import concern_expected_multiplier
from tests.strategies import scenarios


def brute_force(s: Scenario, meeting_effort: float, allow_later: bool) -> float:
    """Minimum of expected rework + meeting effort over every allowed joint plan.

    Allowed: never later than the department's first due phase, nor (unless ``allow_later``)
    than the scenario's phase.
    """
    inputs = timing_inputs(s)
    k, launch = len(s.phases), s.launch_index
    current = np.array(inputs.engagement)
    due = [
        min((s.phase_index(c.due) for c in s.concerns if c.department == d), default=k)
        for d in s.department_ids
    ]
    options = [
        [e for e in range(k + 1) if (allow_later or e <= current[d]) and e <= due[d]]
        for d in range(len(current))
    ]
    own = inputs.concern_dept >= 0  # partner concerns do not depend on the plan
    best = np.inf
    for plan in itertools.product(*options):
        mult = concern_expected_multiplier(inputs, inputs.surface(np.array(plan)))
        rework = float((inputs.effort * (mult - 1.0))[own].sum())
        meetings = sum(max(0, launch - e + 1) if e < k else 0 for e in plan)
        best = min(best, rework + meeting_effort * meetings)
    return float(best)


@settings(max_examples=30)
@given(
    scenarios(max_departments=3).filter(lambda s: len(s.phases) <= 4),
    st.floats(0.0, 2.0),
    st.booleans(),
)
def test_separable_optimum_equals_brute_force(s: Scenario, w: float, allow_later: bool) -> None:
    plan = recommend_plan(s, meeting_effort=w, allow_later=allow_later, n=100, seed=1)
    total = plan.rework_recommended + plan.meeting_recommended
    assert total == pytest.approx(brute_force(s, w, allow_later), rel=1e-9, abs=1e-9)
    # the plan never adds rework; it may add meetings (never later than the first due phase,
    # even for a concern whose late cost is smaller than a meeting)
    assert plan.rework_saving >= -1e-9
    for dept, phase in plan.recommended.items():
        if not allow_later:
            assert s.phase_index(phase) <= s.engagement_index(dept)
        dues = [s.phase_index(c.due) for c in s.concerns if c.department == dept]
        if dues:
            assert s.phase_index(phase) <= min(dues)


def test_late_it_plan_brings_it_in_at_requirements() -> None:
    s = L.example("learning_led_late_it")
    plan = recommend_plan(s, seed=1)
    assert plan.recommended["it"] == "requirements"
    assert plan.table.set_index("department").loc["it", "changed"]
    assert int(plan.table["changed"].sum()) == 1
    late = late_engagement(s)
    assert plan.rework_current == pytest.approx(late.expected_rework)
    assert plan.rework_recommended == pytest.approx(0.0)
    assert plan.rework_saving == pytest.approx(late.expected_rework)
    # IT now attends needs_analysis? no: requirements .. launch = 6 phases instead of 2
    assert plan.meeting_change == pytest.approx(0.1 * (6 - 2))
    assert plan.effort_saving == pytest.approx(plan.rework_saving - plan.meeting_change)
    assert plan.delay_saving == pytest.approx(late.expected_delay)
    assert plan.p50_recommended < plan.p50_current - 4
    assert plan.on_time_recommended > plan.on_time_current


def test_it_led_plan_brings_comms_marketing_and_managers_in_early() -> None:
    s = L.example("it_led")
    plan = recommend_plan(s, seed=2)
    rec = plan.recommended
    for dept in ("comms", "marketing", "managers", "ld", "hr"):
        assert s.phase_index(rec[dept]) < s.engagement_index(dept)
    assert rec["managers"] != NEVER
    assert plan.p80_recommended < plan.p80_current
    assert plan.comparison.engagement_b == rec


def test_meeting_cost_never_moves_a_department_past_its_first_due_phase() -> None:
    s = L.example("cloud_no_integration")
    cheap = recommend_plan(s, meeting_effort=0.0, n=200, seed=1)
    dear = recommend_plan(s, meeting_effort=5.0, n=200, seed=1)
    assert cheap.recommended["it"] == "design"  # its earliest concern's due phase
    assert dear.recommended["it"] == "design"
    assert recommend_plan(s, n=200, seed=1) == recommend_plan(s, n=200, seed=1)


def test_ld_is_recommended_in_the_phase_its_first_concern_is_due() -> None:
    # L&D's first concern (learning needs) is due in needs analysis: the plan says so, not the
    # cheaper-in-meetings requirements phase
    plan = recommend_plan(L.example("it_led"), n=500, seed=1)
    assert plan.recommended["ld"] == "needs_analysis"
    assert plan.table.set_index("department").loc["ld", "earliest_due"] == "needs_analysis"


def test_reseller_plan_prefers_a_partner_change_to_a_later_target() -> None:
    s = L.example("reseller_partner")
    plan = recommend_plan(s, n=4000, seed=1)
    assert plan.recommended == s.engagement | {"managers": plan.recommended["managers"]}
    assert plan.preferred == "partner" and plan.preferred_partner in ("learnwise", "catalyst")
    row = plan.partners.set_index("partner")
    assert row.loc["boxshift", "selected"]
    # the selected partner's row is the recommended plan on the same draws
    assert row.loc["boxshift", "p80"] == pytest.approx(plan.p80_recommended)
    assert row.loc[plan.preferred_partner, "p80"] < row.loc["boxshift", "p80"] - 2
    assert "Prefer changing the partner" in plan.preference
    assert f"week {plan.target_alternative:.0f}" in plan.preference
    assert plan.target_alternative == np.ceil(plan.p80_recommended)
    # BoxShift promises 22 weeks; the model forecasts far more with it
    assert row.loc["boxshift", "promised_weeks"] == 22.0
    assert row.loc["boxshift", "promise_gap"] > 0.3
    assert row.loc["boxshift", "rework_cost"] == pytest.approx(
        4.0 * row.loc["boxshift", "expected_rework"]
    )


def test_plan_that_meets_the_target_keeps_partner_and_target() -> None:
    plan = recommend_plan(L.example("learning_led_early_engagement"), n=4000, seed=1)
    if plan.p80_recommended <= 36:
        assert plan.preferred == "plan"
    else:
        assert plan.preferred in ("partner", "target")
    assert plan.preference.endswith(".")


def test_allow_later_may_drop_meetings_for_a_department_without_concerns() -> None:
    s = L.example("learning_led_early_engagement")
    data = s.to_data()
    data["concerns"] = [c for c in data["concerns"] if c["department"] != "exec"]
    s2 = L.validate_scenario(data)
    assert recommend_plan(s2, n=200, seed=1).recommended["exec"] == "needs_analysis"
    assert recommend_plan(s2, allow_later=True, n=200, seed=1).recommended["exec"] == NEVER


def test_cost_criterion_with_expected_rework() -> None:
    from lmsdecide.timing import with_rework_costs

    s = L.example("reseller_partner")
    costed = with_rework_costs(s, rework_rate=4.0)
    for p in s.partners:
        rework = late_engagement(s.with_changes(selected_partner=p.id)).expected_rework
        assert costed.partner(p.id).scores["cost"] == pytest.approx(p.scores["cost"] + 4 * rework)
    # BoxShift's integration gaps: 4 person-weeks x (4.98 - 1) = 15.9 person-weeks, 63.7 thousand
    assert costed.partner("boxshift").scores["cost"] == pytest.approx(120 + 4 * 15.925, abs=0.05)
    assert costed.partner("learnwise").scores["cost"] == 185.0
    with pytest.raises(ValueError, match="'support' is not a cost criterion"):
        with_rework_costs(s, criterion="support")
