"""Escalation table (Stecklein et al. 2004), log-uniform means and the expected multiplier."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lmsdecide as L
from lmsdecide.timing import (
    LMS_PHASE_STAGE,
    STECKLEIN_2004,
    default_escalation,
    escalation_curve,
    expected_multiplier,
    log_uniform_mean,
    with_default_escalation,
)
from lmsdecide.timing.escalation import effective_bounds, multiplier_draws


def test_default_table_is_steckleins() -> None:
    # Stecklein et al. (2004), NASA JSC-CN-8435, abstract: requirements 1, design 3-8,
    # build 7-16, integration and test 21-78, operations 29 to more than 1500.
    assert STECKLEIN_2004 == {
        "requirements": (1.0, 1.0),
        "design": (3.0, 8.0),
        "build": (7.0, 16.0),
        "integration_and_test": (21.0, 78.0),
        "operations": (29.0, 1500.0),
    }
    table = default_escalation()
    assert list(table) == list(LMS_PHASE_STAGE)
    assert table["test"] == (21.0, 78.0)
    assert table["launch"] == table["embed"] == (29.0, 1500.0)


def test_bundled_scenarios_carry_the_default_table() -> None:
    for name in L.list_examples():
        s = L.example(name)
        table = default_escalation(s.phase_ids)
        assert {p.id: (p.escalation.low, p.escalation.high) for p in s.phases} == table
        assert with_default_escalation(s) == s


def test_unknown_phase_has_no_default() -> None:
    with pytest.raises(ValueError, match="'rollout'"):
        default_escalation(["design", "rollout"])


def test_log_uniform_mean_closed_form() -> None:
    # (high - low) / ln(high / low): 29-1500 -> 1471 / ln(51.72) = 372.8
    assert float(log_uniform_mean(29.0, 1500.0)) == pytest.approx(1471 / np.log(1500 / 29))
    assert float(log_uniform_mean(5.0, 5.0)) == 5.0
    u = np.random.default_rng(3).random(400_000)
    x = 21.0 * (78.0 / 21.0) ** u
    assert x.mean() == pytest.approx(float(log_uniform_mean(21.0, 78.0)), rel=5e-3)


def test_expected_multiplier_closed_form_and_monte_carlo() -> None:
    # due in design (3-8), surfaces in test (21-78): r0 = 7, c = (78/21)/(8/3)
    c = (78 / 21) / (8 / 3)
    expected = 7.0 * (c - 1) / np.log(c)
    assert float(expected_multiplier(3, 8, 21, 78)) == pytest.approx(expected)
    u = np.random.default_rng(9).random(400_000)
    draws = multiplier_draws([3.0], [8.0], [21.0], [78.0], u)[:, 0]
    assert draws.mean() == pytest.approx(expected, rel=5e-3)
    assert draws.min() >= 78 / 8 - 1e-9 or draws.min() >= 7.0 - 1e-9
    # on time: exactly 1
    assert float(expected_multiplier(3, 8, 3, 8)) == pytest.approx(1.0)


@given(
    st.lists(st.tuples(st.floats(0.1, 100.0), st.floats(1.0, 50.0)), min_size=2, max_size=8),
    st.data(),
)
def test_effective_escalation_never_falls(
    bounds: list[tuple[float, float]], data: st.DataObject
) -> None:
    low = np.array([b[0] for b in bounds])
    high = low * np.array([b[1] for b in bounds])
    lo, hi = effective_bounds(low, high)
    assert np.all(np.diff(lo) >= 0) and np.all(np.diff(hi) >= 0) and np.all(hi >= lo)
    p = data.draw(st.integers(0, len(lo) - 1))
    q = data.draw(st.integers(p, len(lo) - 1))
    r = data.draw(st.integers(q, len(lo) - 1))
    m_q = float(expected_multiplier(lo[p], hi[p], lo[q], hi[q]))
    m_r = float(expected_multiplier(lo[p], hi[p], lo[r], hi[r]))
    assert m_q >= 1 - 1e-9
    assert m_r >= m_q - 1e-9 * m_q
    u = np.linspace(0, 1, 11)
    assert np.all(multiplier_draws(lo[p], hi[p], lo[q], hi[q], u) >= 1 - 1e-9)


def test_escalation_curve_result() -> None:
    s = L.example("learning_led_late_it")
    curve = escalation_curve(s)
    frame = curve.to_frame()
    assert list(frame["phase"]) == s.phase_ids
    np.testing.assert_allclose(frame["mean"], log_uniform_mean(frame["low"], frame["high"]))
    assert list(frame["stage"])[-1] == "operations"
    assert frame["post_launch"].tolist() == [False] * 7 + [True]
    assert curve == escalation_curve(s)
