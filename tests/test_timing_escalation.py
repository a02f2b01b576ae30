"""Cost escalation by concern kind: the default table, the capped closed form and its draws."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lmsdecide as L
from lmsdecide.scenario import CONCERN_KINDS, KIND_BY_FUNCTION, ScenarioError
from lmsdecide.timing import (
    KIND_ESCALATION,
    KIND_SOURCES,
    escalation_curve,
    escalation_table,
    expected_multiplier,
    log_uniform_mean,
)
from lmsdecide.timing.escalation import multiplier_draws


def test_default_table_covers_every_kind_and_labels_the_invented_ones() -> None:
    assert tuple(KIND_ESCALATION) == CONCERN_KINDS
    for kind, (low, high, cap) in KIND_ESCALATION.items():
        assert 1.0 <= low <= high and cap >= 1.0, kind
    for kind in ("communication", "content", "reporting", "process"):
        assert KIND_SOURCES[kind] == "illustrative"
    assert "McConnell" in KIND_SOURCES["integration"] and "Menzies" in KIND_SOURCES["integration"]
    # communication, content and reporting escalate far less than integration
    assert KIND_ESCALATION["communication"][2] <= KIND_ESCALATION["integration"][2] / 10


def test_technical_range_holds_the_published_anchors() -> None:
    low, high, cap = KIND_ESCALATION["integration"]
    # a requirements concern found in testing, 4 phases later: McConnell (2004) "10x at system
    # test" lies inside the range, Menzies et al. (2017) "no significant effect" at its low end
    assert low**4 < 1.25 and high**4 > 10
    # at launch or after (5+ phases): capped at 25, below Boehm & Basili's 100x for large
    # critical systems, above their 5:1 for small non-critical ones
    assert min(high**5, cap) == pytest.approx(cap, rel=0.01) and 5 < cap < 100


def test_expected_multiplier_closed_form_without_the_cap() -> None:
    # E[g**4], g log-uniform on [1.05, 1.9]: (1.9**4 - 1.05**4) / (4 ln(1.9 / 1.05))
    expected = (1.9**4 - 1.05**4) / (4 * math.log(1.9 / 1.05))
    assert float(expected_multiplier(1.05, 1.9, 25.0, 4)) == pytest.approx(expected)
    assert expected == pytest.approx(4.981, abs=1e-3)
    assert float(expected_multiplier(1.05, 1.9, 25.0, 0)) == 1.0


def test_expected_multiplier_closed_form_with_the_cap_binding() -> None:
    # g on [1, 2], k = 3, cap 4: X = 3 ln g uniform on [0, 3 ln 2], cap binds from ln 4:
    # E = ((4 - 1) + 4 (3 ln 2 - ln 4)) / (3 ln 2) = (3 + 4 ln 2) / (3 ln 2)
    expected = (3 + 4 * math.log(2)) / (3 * math.log(2))
    assert float(expected_multiplier(1.0, 2.0, 4.0, 3)) == pytest.approx(expected)
    # cap below every value: the cap itself; equal bounds: low**k (capped)
    assert float(expected_multiplier(3.0, 4.0, 2.0, 2)) == pytest.approx(2.0)
    assert float(expected_multiplier(1.5, 1.5, 100.0, 2)) == pytest.approx(2.25)


def test_monte_carlo_agrees_with_the_closed_form() -> None:
    u = np.random.default_rng(0).random(400_000)
    draws = multiplier_draws([1.0, 1.05], [2.0, 1.9], [4.0, 25.0], [3, 5], u)
    assert draws.shape == (u.size, 2)
    expected = expected_multiplier([1.0, 1.05], [2.0, 1.9], [4.0, 25.0], [3, 5])
    se = draws.std(axis=0) / np.sqrt(u.size)
    assert np.all(np.abs(draws.mean(axis=0) - expected) < 4 * se)
    assert draws.max(axis=0)[0] <= 4.0 and draws.max(axis=0)[1] <= 25.0


@given(
    st.floats(1.0, 3.0),
    st.floats(0.0, 2.0),
    st.floats(1.0, 500.0),
    st.integers(0, 9),
)
def test_multiplier_is_at_least_one_at_most_the_cap_and_grows_with_lateness(
    low: float, extra: float, cap: float, k: int
) -> None:
    high = low + extra
    m_k = float(expected_multiplier(low, high, cap, k))
    m_next = float(expected_multiplier(low, high, cap, k + 1))
    assert 1.0 - 1e-12 <= m_k <= cap * (1 + 1e-12)
    assert m_next >= m_k - 1e-9 * m_k
    u = np.linspace(0.0, 1.0, 11)
    d = multiplier_draws([low], [high], [cap], [k], u)[:, 0]
    assert np.all(d >= 1.0 - 1e-12) and np.all(d <= cap * (1 + 1e-12))
    assert np.all(np.diff(d) >= -1e-12)


def test_log_uniform_mean() -> None:
    assert float(log_uniform_mean(29, 1500)) == pytest.approx(1471 / math.log(1500 / 29))
    assert float(log_uniform_mean(3, 3)) == 3.0


def test_scenario_table_overrides_defaults_and_is_validated() -> None:
    s = L.example("learning_led_late_it")
    assert set(s.escalation) == set(CONCERN_KINDS)
    changed = s.with_changes(
        escalation={
            **s.to_data()["escalation"],
            "communication": {"low": 1.0, "high": 1.1, "cap": 1.5},
        }
    )
    table = escalation_table(changed)
    assert table["communication"][:3] == (1.0, 1.1, 1.5)
    assert "no source" in table["communication"][3]
    with pytest.raises(ScenarioError, match=r"escalation\.data\.cap: must be between 1 and 1000"):
        s.with_changes(escalation={"data": {"low": 1.0, "high": 1.5, "cap": 0.5}})
    with pytest.raises(ScenarioError, match=r"escalation\.data: must satisfy low <= high"):
        s.with_changes(escalation={"data": {"low": 2.0, "high": 1.5, "cap": 5}})
    with pytest.raises(ScenarioError, match=r"escalation\.gossip"):
        s.with_changes(escalation={"gossip": {"low": 1.0, "high": 1.5, "cap": 5}})


def test_escalation_curve_frame() -> None:
    s = L.example("it_led")
    curve = escalation_curve(s)
    k = len(s.phases)
    assert len(curve.curve) == len(CONCERN_KINDS) * (k + 1)
    rows = curve.curve[curve.curve["kind"] == "integration"].set_index("lateness")
    assert rows.loc[0, "mean"] == 1.0
    assert rows.loc[4, "mean"] == pytest.approx((1.9**4 - 1.05**4) / (4 * math.log(1.9 / 1.05)))
    assert (curve.curve["mean"] <= curve.curve["cap"] + 1e-9).all()
    assert list(curve.table["kind"]) == list(CONCERN_KINDS)


def test_files_without_kind_load_and_infer_it_from_the_function() -> None:
    data = L.example("it_led").to_data()
    for c in data["concerns"]:
        c.pop("kind", None)
    s = L.scenario.validate_scenario(data)
    for c in s.concerns:
        assert s.concern_kind(c) == KIND_BY_FUNCTION[s.department(c.department).function]
    assert set(KIND_BY_FUNCTION.values()) <= set(CONCERN_KINDS)
