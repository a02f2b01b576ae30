"""The timing model's doubtful assumptions are factors: escalation per kind, caps, rework and
overrun parameters, partner scores and criteria weights, within their declared ranges."""

from __future__ import annotations

import pytest

import lmsdecide as L
from lmsdecide.explore import sweep
from lmsdecide.explore.space import apply_values, base_values, factor
from lmsdecide.timing import KIND_ESCALATION, late_engagement, simulate_schedule


@pytest.fixture(scope="module")
def late_it() -> L.Scenario:
    return L.example("learning_led_late_it")


def test_escalation_growth_stays_inside_the_declared_range(late_it: L.Scenario) -> None:
    f = factor(late_it, "escalation.integration.growth")
    assert (f.low, f.high) == (1.05, 1.9)
    assert factor(late_it, "escalation.integration.growth", low=1.2, high=1.5).high == 1.5
    with pytest.raises(ValueError, match=r"outside the declared range 1\.05 to 1\.9"):
        factor(late_it, "escalation.integration.growth", low=1.0, high=3.0)
    cap = factor(late_it, "escalation.integration.cap")
    assert (cap.low, cap.high) == (1.0, 25.0)
    with pytest.raises(ValueError, match="outside the declared range 1 to 25"):
        factor(late_it, "escalation.integration.cap", high=100.0)
    with pytest.raises(ValueError, match="unknown concern kind 'gossip'"):
        factor(late_it, "escalation.gossip.growth")
    # a scenario without an escalation table: the defaults are the declared range
    bare = late_it.with_changes(escalation={})
    g = factor(bare, "escalation.data.growth")
    assert (g.low, g.high) == KIND_ESCALATION["data"][:2]


def test_applying_escalation_values_fixes_the_growth_and_the_cap(late_it: L.Scenario) -> None:
    data = apply_values(
        late_it.to_data(),
        {"escalation.integration.growth": 1.5, "escalation.integration.cap": 4.0},
    )
    s = L.validate_scenario(data)
    esc = s.escalation["integration"]
    assert (esc.low, esc.high, esc.cap) == (1.5, 1.5, 4.0)
    late = late_engagement(s)
    sso = late.concerns.set_index("concern").loc["Single sign-on"]
    # 4 phases late at g = 1.5: 1.5**4 = 5.06, capped at 4
    assert sso["multiplier"] == pytest.approx(4.0)
    assert late_it.escalation["integration"].cap == 25.0  # the base is not modified


def test_partner_score_and_criteria_weight_factors(late_it: L.Scenario) -> None:
    score = factor(late_it, "partners.boxshift.scores.time_to_launch")
    assert (score.low, score.high) == (11.0, 33.0)
    weight = factor(late_it, "departments.it.criteria_weights.integration")
    assert (weight.low, weight.high) == (0.0, 0.8)
    with pytest.raises(ValueError, match="unknown partner 'nobody'"):
        factor(late_it, "partners.nobody.scores.cost")
    with pytest.raises(ValueError, match="unknown criterion 'price'"):
        factor(late_it, "departments.it.criteria_weights.price")
    values = base_values(late_it, [score, weight])
    assert values == {
        "partners.boxshift.scores.time_to_launch": 22.0,
        "departments.it.criteria_weights.integration": 0.4,
    }
    data = apply_values(
        late_it.to_data(),
        {
            "partners.boxshift.scores.time_to_launch": 30.0,
            "departments.it.criteria_weights.integration": 0.1,
        },
    )
    s = L.validate_scenario(data)
    assert s.promised_weeks("boxshift") == 30.0
    assert s.department("it").criteria_weights["integration"] == 0.1


def test_sweep_over_overrun_and_escalation_matches_simulate_schedule(late_it: L.Scenario) -> None:
    names = [
        "simulate_schedule.overrun_sigma",
        "simulate_schedule.parallel_share",
        "escalation.integration.growth",
    ]
    frame = sweep(
        late_it,
        names,
        ["p80"],
        n=4,
        params={"simulate_schedule": {"n": 300}},
        executor="serial",
    ).frame
    for _, row in frame.iterrows():
        variant = L.validate_scenario(
            apply_values(
                late_it.to_data(),
                {"escalation.integration.growth": row["escalation.integration.growth"]},
            )
        )
        expected = simulate_schedule(
            variant,
            n=300,
            seed=0,
            overrun_sigma=float(row["simulate_schedule.overrun_sigma"]),
            parallel_share=float(row["simulate_schedule.parallel_share"]),
        ).p80
        assert row["p80"] == pytest.approx(expected, rel=1e-12)
