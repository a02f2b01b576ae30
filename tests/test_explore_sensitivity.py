"""Sensitivity analysis: published closed forms recovered through the sweep machinery."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import lmsdecide as L
from lmsdecide.explore import (
    Factor,
    MorrisResult,
    SobolResult,
    Space,
    TornadoResult,
    morris,
    sensitivity,
    sobol,
    tornado,
)
from tests import test_explore_helpers as H


@pytest.fixture(scope="module")
def it_led() -> L.Scenario:
    return L.example("it_led")


# Ishigami & Homma (1990), a = 7, b = 0.1, inputs uniform on [−π, π]. Analytical indices (e.g.
# Saltelli et al. 2008, "Global Sensitivity Analysis: The Primer", §4.9; Sobol' & Levitan 1999):
#   V = a²/8 + b π⁴/5 + b² π⁸/18 + 1/2
#   V1 = (1 + b π⁴/5)² / 2, V2 = a²/8, V13 = b² π⁸ (1/18 − 1/50)
#   S1 = V1/V, S2 = V2/V, S3 = 0; ST1 = (V1 + V13)/V, ST2 = S2, ST3 = V13/V
A, B, PI = 7.0, 0.1, math.pi
V = A**2 / 8 + B * PI**4 / 5 + B**2 * PI**8 / 18 + 0.5
V1 = (1 + B * PI**4 / 5) ** 2 / 2
V2 = A**2 / 8
V13 = B**2 * PI**8 * (1 / 18 - 1 / 50)
S1 = np.array([V1 / V, V2 / V, 0.0])
ST = np.array([(V1 + V13) / V, V2 / V, V13 / V])


def test_ishigami_closed_form_values() -> None:
    # the published rounded values: S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437)
    np.testing.assert_allclose(S1, [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(ST, [0.5576, 0.4424, 0.2437], atol=1e-4)


def test_ishigami_sobol_through_the_sweep_machinery(it_led: L.Scenario) -> None:
    # the registered model's declared ranges (−π, π) are the Ishigami input ranges
    result = sensitivity(it_led, "explore_test_ishigami.y", method="sobol", n=2048, seed=3)
    assert isinstance(result, SobolResult)
    assert result.names == (
        "explore_test_ishigami.x1",
        "explore_test_ishigami.x2",
        "explore_test_ishigami.x3",
    )
    assert result.runs == 2048 * 5
    assert np.all(np.abs(result.s1 - S1) <= result.s1_conf)
    assert np.all(np.abs(result.st - ST) <= result.st_conf)
    # and the intervals are informative, not trivially wide
    assert np.all(result.s1_conf < 0.08) and np.all(result.st_conf < 0.08)


def test_ishigami_sobol_vectorised_function() -> None:
    space = Space(tuple(Factor(f"x{i}", "float", -PI, PI) for i in (1, 2, 3)))

    def f(v: pd.DataFrame) -> np.ndarray:
        x = v.to_numpy(dtype=float)
        return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])

    result = sobol(f, space, n=4096, seed=11)
    assert np.all(np.abs(result.s1 - S1) <= result.s1_conf)
    assert np.all(np.abs(result.st - ST) <= result.st_conf)


def test_linear_morris_mu_star_equals_coefficients(it_led: L.Scenario) -> None:
    result = sensitivity(it_led, "explore_test_linear.y", method="morris", trajectories=10)
    assert isinstance(result, MorrisResult)
    np.testing.assert_allclose(result.mu_star, np.abs(H.COEFFICIENTS), rtol=1e-9)
    np.testing.assert_allclose(result.mu, H.COEFFICIENTS, rtol=1e-9)
    np.testing.assert_allclose(result.sigma, 0.0, atol=1e-9)  # linear: no spread
    assert result.runs == 10 * 4
    frame = result.to_frame()
    assert list(frame["factor"]) == [f"explore_test_linear.x{i}" for i in (1, 2, 3)]


def test_morris_effect_is_per_full_range() -> None:
    # over [0, 2] the effect of moving across the range is twice the coefficient
    space = Space((Factor("a", "float", 0.0, 2.0), Factor("b", "float", -1.0, 1.0)))
    result = morris(lambda v: 3 * v["a"] - 2 * v["b"], space, trajectories=6, seed=1)
    np.testing.assert_allclose(result.mu_star, [6.0, 4.0], rtol=1e-9)


def test_tornado_linear_swings(it_led: L.Scenario) -> None:
    result = sensitivity(it_led, "explore_test_linear.y", method="tornado")
    assert isinstance(result, TornadoResult)
    assert result.base_output == pytest.approx(0.75)  # the declared defaults 0.5
    frame = result.to_frame()
    assert list(frame["factor"]) == [f"explore_test_linear.x{i}" for i in (1, 2, 3)]
    np.testing.assert_allclose(frame["swing"], [3.0, 2.0, 0.5])
    row = frame.iloc[1]  # x2 has a negative coefficient: its highest output at its low end
    assert row["high_value"] == "0" and row["low_value"] == "1"


def test_tornado_discrete_factors_every_value() -> None:
    space = Space((Factor("c", "choice", choices=("a", "b", "c")), Factor("t", "bool")))
    scores = {"a": 1.0, "b": 5.0, "c": 2.0}
    result = tornado(
        lambda v: v["c"].map(scores) + v["t"].astype(float), space, {"c": "a", "t": False}
    )
    assert len(result.points) == 3 + 2
    top = result.frame.iloc[0]
    assert top["factor"] == "c" and top["swing"] == 4.0 and top["high_value"] == "b"


def test_declared_ranges_and_methods_checked(it_led: L.Scenario) -> None:
    with pytest.raises(ValueError, match="method"):
        sensitivity(it_led, "p80", method="fast")
    with pytest.raises(ValueError, match="declared range"):
        sensitivity(it_led, "p80", {"simulate_schedule.rework_capacity": (0.1, 60.0)})
    with pytest.raises(ValueError, match="numeric measure"):
        sensitivity(it_led, "top_driver", ["departments.it.authority"], method="tornado")
    with pytest.raises(ValueError, match="power of two"):
        sobol(lambda v: v["a"], Space((Factor("a", "float", 0, 1),)), n=100)


def test_story_it_authority_lowers_the_learning_share(it_led: L.Scenario) -> None:
    # the seed: formal say given to IT takes the decision away from learning
    factors = ["departments.ld.authority", "departments.it.authority"]
    result = sensitivity(it_led, "learning_share", factors, method="morris", trajectories=8)
    assert isinstance(result, MorrisResult)
    ld, it = result.mu
    assert ld > 0 > it
    assert np.all(result.mu_star > 0)


def test_story_it_engagement_tops_the_p80_tornado(it_led: L.Scenario) -> None:
    # the seed: "involve IT as early as possible": in the IT-led story, when IT engages moves
    # the P80 go-live more than any other department's engagement or the partner
    factors = [f"engagement.{d}" for d in it_led.department_ids] + ["selected_partner"]
    result = sensitivity(
        it_led, "p80", factors, method="tornado", params={"simulate_schedule": {"n": 1000}}
    )
    assert isinstance(result, TornadoResult)
    top = result.frame.iloc[0]
    assert top["factor"] == "engagement.it"
    assert top["low_value"] in ("needs_analysis", "requirements")


def test_story_cloud_without_integration_late_it_costs_little() -> None:
    # the seed: a cloud system with no integration is "no more IT than any other portal": when
    # IT engages barely moves the P80 there (its one blocking concern is a half-week security
    # review), against months in the IT-led story (single sign-on, the HR feed, the security
    # review and the data migration all block go-live; capped escalation and the 26-week maximum
    # delay bound the swing, where uncapped spacecraft factors gave hundreds of weeks)
    def it_swing(name: str) -> tuple[float, str]:
        scenario = L.example(name)
        factors = [f"engagement.{d}" for d in scenario.department_ids]
        result = sensitivity(
            scenario, "p80", factors, method="tornado", params={"simulate_schedule": {"n": 1000}}
        )
        assert isinstance(result, TornadoResult)
        frame = result.frame.set_index("factor")
        return float(frame.loc["engagement.it", "swing"]), str(frame.index[0])

    cloud, cloud_top = it_swing("cloud_no_integration")
    it_led, it_led_top = it_swing("it_led")
    assert cloud < 1.0 < 10.0 < it_led < 26.0 + 10.0
    assert it_led_top == "engagement.it" and cloud_top != "engagement.it"
