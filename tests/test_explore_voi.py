"""Value of information: closed cases, bounds of the estimator, the two decisions, bad input."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lmsdecide.explore import value_of_information
from lmsdecide.explore.voi import evpi, evppi
from lmsdecide.io import example
from lmsdecide.scenario import Scenario, validate_scenario
from tests.strategies import scenarios


def test_closed_case_two_alternatives() -> None:
    # U1 = θ, U2 = 1/2 with θ ~ U(0, 1): EVPI = E[max(θ, 1/2)] − 1/2 = 5/8 − 1/2 = 1/8
    theta = (np.arange(100_000) + 0.5) / 100_000
    U = np.column_stack([theta, np.full_like(theta, 0.5)])
    assert evpi(U) == pytest.approx(0.125, abs=1e-6)
    assert evppi(U, theta, 300) == pytest.approx(0.125, abs=1e-3)
    noise = np.random.default_rng(0).random(theta.size)
    # an irrelevant input keeps only the estimator's small upward bias (alternatives tie here,
    # the worst case): about 0.4 sd(U) / sqrt(n / bins)
    assert evppi(U, noise, 300) < 0.01


@given(
    arrays(
        np.float64, st.tuples(st.integers(2, 60), st.integers(1, 5)), elements=st.floats(-1e3, 1e3)
    ),
    st.integers(1, 10),
    st.integers(0, 2**32 - 1),
)
def test_estimates_are_never_negative_and_partial_never_exceeds_total(
    U: np.ndarray, bins: int, seed: int
) -> None:
    x = np.random.default_rng(seed).random(U.shape[0])
    total = evpi(U)
    part = evppi(U, x, bins)
    assert total >= 0.0
    assert part >= 0.0
    assert part <= total + 1e-9 * max(1.0, float(np.abs(U).max()))


def test_discrete_input_bins_by_value() -> None:
    x = np.array(["a", "b"] * 50)
    U = np.column_stack([np.where(x == "a", 1.0, 0.0), np.where(x == "a", 0.0, 1.0)])
    assert evppi(U, x, 3) == pytest.approx(0.5)
    assert evpi(U) == pytest.approx(0.5)


def _two_partners() -> Scenario:
    data = example("reseller_partner").to_data()
    data["partners"] = [
        {
            "id": "alpha",
            "name": "Alpha",
            "type": "learning-specialist",
            "scores": {c["id"]: 5.0 for c in data["criteria"]},
            "score_ranges": {"integration": {"low": 1.0, "high": 9.0}},
        },
        {
            "id": "beta",
            "name": "Beta",
            "type": "it-integrator",
            "scores": {c["id"]: 5.0 for c in data["criteria"]} | {"content_design": 5.5},
            "score_ranges": {"support": {"low": 4.9, "high": 5.1}},
        },
    ]
    data["selected_partner"] = "alpha"
    return validate_scenario(data)


def test_partner_decision_finds_the_score_that_matters() -> None:
    r = value_of_information(_two_partners(), n=1024, seed=0)
    assert r.decision == "partner"
    assert r.alternatives == ("alpha", "beta")
    assert r.evpi > 0
    assert r.table["input"].iloc[0] == "partners.alpha.scores.integration"
    assert r.table["evpi"].iloc[0] > 10 * r.noise_floor
    assert r.top[0] == "partners.alpha.scores.integration"
    # sorted, one row per input, partial EVPI within [0, EVPI]
    assert r.table["evpi"].is_monotonic_decreasing
    assert len(r.table) == r.table["input"].nunique()
    assert ((r.table["evpi"] >= 0) & (r.table["evpi"] <= r.evpi + 1e-12)).all()
    assert "Integration capability" in r.summary  # the criterion by its name


def test_nothing_uncertain_means_zero() -> None:
    s = _two_partners()
    factors: dict[str, Any] = {
        "departments.ld.authority": (0.5, 0.5),
        "partners.alpha.scores.integration": (5.0, 5.0),
    }
    r = value_of_information(s, factors=factors, n=64, seed=1)
    assert r.evpi == 0.0
    assert (r.table["evpi"] == 0.0).all()
    assert "Nothing is worth finding out" in r.summary


def test_plan_decision_separates_by_department() -> None:
    s = example("learning_led_late_it")
    factors = {
        "concerns.comms.effort_scale": (0.5, 2.0),
        "recommend_plan.meeting_effort": (0.05, 0.3),
    }
    r = value_of_information(s, decision="plan", factors=factors, n=24, seed=2)
    assert r.unit == "person-weeks"
    assert r.evpi >= 0
    assert set(r.table["input"]) == set(factors)
    # every department's choice appears once in the plan chosen without information
    assert len(r.best.split("; ")) == len(s.departments)
    assert r == value_of_information(s, decision="plan", factors=factors, n=24, seed=2)
    # said with the scenario's names: department and phase, in the same order as the ids
    names = {d.id: d.name for d in s.departments}
    phases = {p.id: p.name for p in s.phases} | {"never": "never"}
    said = []
    for choice in r.best.split("; "):
        dept, phase = choice.split(": ")
        said.append(f"{names[dept]}: {phases[phase]}")
    assert r.best_label == "; ".join(said)
    assert r.best_label in r.summary and "needs_analysis" not in r.summary


def test_partner_choice_said_by_its_name() -> None:
    r = value_of_information(example("it_led"), n=256, seed=0)
    assert r.best == "boxshift" and r.best_label == "BoxShift Software"
    assert "(BoxShift Software without more information)" in r.summary


@given(decision=st.text(max_size=10).filter(lambda d: d not in ("partner", "plan")))
def test_unknown_decision(decision: str) -> None:
    with pytest.raises(ValueError, match="decision: must be one of partner, plan"):
        value_of_information(example("reseller_partner"), decision=decision, n=8)


@given(n=st.integers(max_value=1))
def test_bad_n(n: int) -> None:
    with pytest.raises(ValueError, match="n: must be"):
        value_of_information(example("reseller_partner"), n=n)


@pytest.mark.parametrize(
    "factors, match",
    [
        (["partners.nobody.scores.cost"], "unknown partner 'nobody'"),
        (["departments.ld.criteria_weights.taste"], "unknown criterion 'taste'"),
        (["departments.ld.flair"], "unknown department attribute"),
        ({"partners.learnwise.scores.cost": (300.0, 200.0)}, "low must not exceed high"),
    ],
)
def test_bad_factors(factors: Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        value_of_information(example("reseller_partner"), factors=factors, n=8)


@settings(max_examples=10)
@given(scenarios(max_departments=5), st.sampled_from(["partner", "plan"]))
def test_any_scenario_gives_non_negative_values(scenario: Scenario, decision: str) -> None:
    try:
        r = value_of_information(scenario, decision=decision, n=8, seed=0)
    except ValueError as exc:  # nothing to decide or nothing uncertain: said in words
        assert "decision 'partner'" in str(exc) or "factors:" in str(exc)
        return
    assert r.evpi >= 0
    assert (r.table["evpi"] >= 0).all()
    assert (r.table["evpi"] <= r.evpi + 1e-12).all()
