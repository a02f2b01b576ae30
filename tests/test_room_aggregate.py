"""Group judgements from the room: closed cases and properties (lmsdecide.room.aggregate)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lmsdecide.room import (
    CONSENSUS_BANDS,
    ahp_consensus,
    consensus_band,
    delphi_movement,
    group_weights,
    spread,
)

SCALE = [1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9]


def _pair(a12: float) -> np.ndarray:
    return np.array([[1.0, a12], [1.0 / a12, 1.0]])


def test_spread_ignores_unanswered() -> None:
    s = spread([[1, 2], [2, np.nan], [3, 4], [4, np.nan]])
    # column 0: 1..4 -> median 2.5, type-7 quartiles 1.75 and 3.25; column 1: 2 and 4
    np.testing.assert_allclose(s.median, [2.5, 3.0])
    np.testing.assert_allclose(s.q25, [1.75, 2.5])
    np.testing.assert_allclose(s.q75, [3.25, 3.5])
    np.testing.assert_array_equal(s.count, [4, 2])
    np.testing.assert_allclose(s.iqr, [1.5, 1.0])


def test_spread_of_an_unanswered_item_is_nan() -> None:
    s = spread([[np.nan, 1.0], [np.nan, 3.0]])
    assert math.isnan(s.median[0]) and s.count[0] == 0
    assert s.median[1] == 2.0


def test_aij_is_the_geometric_mean_of_judgements() -> None:
    # a12 = 4 and 1: geometric mean 2 -> weights (2/3, 1/3); opposite extremes cancel to equal.
    g = group_weights([_pair(4.0), _pair(1.0)])
    np.testing.assert_allclose(g.weights, [2 / 3, 1 / 3])
    g = group_weights([_pair(9.0), _pair(1 / 9)])
    np.testing.assert_allclose(g.weights, [0.5, 0.5])


def test_aip_arithmetic_and_geometric() -> None:
    # individual priorities (0.8, 0.2) and (0.5, 0.5)
    g = group_weights([_pair(4.0), _pair(1.0)], method="aip")
    np.testing.assert_allclose(g.individual, [[0.8, 0.2], [0.5, 0.5]])
    np.testing.assert_allclose(g.weights, [0.65, 0.35])
    g = group_weights([_pair(4.0), _pair(1.0)], method="aip", aip_mean="geometric")
    # sqrt(0.4) : sqrt(0.1) = 2 : 1
    np.testing.assert_allclose(g.weights, [2 / 3, 1 / 3])


def test_inconsistent_participants_are_flagged() -> None:
    consistent = np.array([[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]])  # w = (4, 2, 1)/7, CR = 0
    circular = np.array([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])  # a > b > c > a
    g = group_weights([consistent, circular], labels=("a", "b", "c"))
    np.testing.assert_allclose(g.individual[0], [4 / 7, 2 / 7, 1 / 7], atol=1e-9)
    assert g.cr[0] == pytest.approx(0.0, abs=1e-9)
    assert g.cr[1] > 1.0
    assert g.flagged.tolist() == [False, True]
    assert g.labels == ("a", "b", "c")


def test_group_weights_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="method"):
        group_weights([_pair(2.0)], method="mean")
    with pytest.raises(ValueError, match="K x n x n"):
        group_weights(np.ones((2, 3)))
    with pytest.raises(ValueError, match="reciprocal"):
        group_weights([np.array([[1.0, 2.0], [2.0, 1.0]])])


def test_consensus_of_identical_priorities_is_one() -> None:
    c = ahp_consensus([[0.6, 0.3, 0.1]] * 5)
    assert c.value == pytest.approx(1.0)
    assert c.h_beta == pytest.approx(0.0, abs=1e-12)
    assert c.band == "very high"


def test_consensus_of_opposite_extremes_is_zero() -> None:
    # n = 2, M = 9: the most extreme priorities are (0.9, 0.1); two opposite extremes give
    # H_alpha = H_alpha,min and H_gamma = ln 2 = H_gamma,max, so S = D_alpha,min / D_gamma,max.
    c = ahp_consensus([[0.9, 0.1], [0.1, 0.9]])
    assert c.value == pytest.approx(0.0, abs=1e-12)
    assert c.band == "very low"


def _shannon(p: list[float]) -> float:
    return -sum(x * math.log(x) for x in p if x > 0)


def test_consensus_hand_computed() -> None:
    # Goepel (2018), Shannon-entropy consensus, computed here from its definitions for the
    # priorities (0.5, 0.5) and (0.9, 0.1): alpha is the mean of the individual entropies,
    # gamma the entropy of the mean priorities, S = exp(-(H_gamma - H_alpha)); with n = 2 and
    # M = 9 the extreme priorities are (0.9, 0.1), so D_alpha,min / D_gamma,max = exp(H(0.9,
    # 0.1)) / 2, and S* = (S - that) / (1 - that). (Values: 0.509115, 0.610864, 0.903256,
    # 0.685822.)
    h_alpha = (_shannon([0.5, 0.5]) + _shannon([0.9, 0.1])) / 2
    h_gamma = _shannon([0.7, 0.3])
    homogeneity = math.exp(-(h_gamma - h_alpha))
    floor = math.exp(_shannon([0.9, 0.1])) / 2
    c = ahp_consensus([[0.5, 0.5], [0.9, 0.1]])
    assert c.h_alpha == pytest.approx(h_alpha, abs=1e-12)
    assert c.h_gamma == pytest.approx(h_gamma, abs=1e-12)
    assert c.homogeneity == pytest.approx(homogeneity, abs=1e-12)
    assert c.value == pytest.approx((homogeneity - floor) / (1 - floor), abs=1e-12)
    assert c.band == "moderate"


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (0.0, "very low"),
        (0.4999, "very low"),
        (0.5, "low"),
        (0.625, "moderate"),
        (0.7499, "moderate"),
        (0.75, "high"),
        (0.875, "very high"),
        (1.0, "very high"),
    ],
)
def test_consensus_bands(value: float, band: str) -> None:
    assert consensus_band(value) == band
    assert [b for _, b in CONSENSUS_BANDS] == ["very low", "low", "moderate", "high", "very high"]


def test_consensus_rejects_bad_priorities() -> None:
    with pytest.raises(ValueError, match="sum to 1"):
        ahp_consensus([[0.5, 0.6]])
    with pytest.raises(ValueError, match="non-negative"):
        ahp_consensus([[1.5, -0.5]])


def test_delphi_movement_closed_case() -> None:
    before = [[1.0, 0.0], [2.0, 1.0], [3.0, np.nan], [np.nan, 1.0]]
    after = [[2.0, 0.0], [2.0, 1.0], [3.0, 1.0], [np.nan, 1.0]]
    m = delphi_movement(before, after)
    # item 0: pairs (1->2, 2->2, 3->3): mean |change| 1/3, one of three changed
    np.testing.assert_allclose(m.mean_abs_change, [1 / 3, 0.0])
    np.testing.assert_allclose(m.changed, [1 / 3, 0.0])
    np.testing.assert_array_equal(m.pairs, [3, 3])
    np.testing.assert_allclose(m.iqr_before, [1.0, 0.5])
    np.testing.assert_allclose(m.iqr_after, [0.5, 0.25])  # item 1 after: 0, 1, 1, 1
    assert m.converged.tolist() == [True, True]
    with pytest.raises(ValueError, match="one shape"):
        delphi_movement([[1.0]], [[1.0, 2.0]])


@st.composite
def _matrices(draw: st.DrawFn) -> np.ndarray:
    k = draw(st.integers(1, 6))
    n = draw(st.integers(2, 6))
    out = np.ones((k, n, n))
    for m in out:
        for i in range(n):
            for j in range(i + 1, n):
                m[i, j] = draw(st.sampled_from(SCALE))
                m[j, i] = 1.0 / m[i, j]
    return out


@settings(max_examples=60, deadline=None)
@given(_matrices(), st.sampled_from(["aij", "aip"]))
def test_group_weights_properties(matrices: np.ndarray, method: str) -> None:
    g = group_weights(matrices, method=method)
    assert g.weights.sum() == pytest.approx(1.0)
    assert np.all(g.weights > 0)
    assert 0.0 <= g.consensus.value <= 1.0
    # the participants' order does not matter
    h = group_weights(matrices[::-1], method=method)
    np.testing.assert_allclose(h.weights, g.weights, atol=1e-9)
    assert h.consensus.value == pytest.approx(g.consensus.value, abs=1e-9)
    # everyone agreeing with the group's AIJ matrix gives full consensus
    if method == "aij" and len(matrices) > 1:
        same = np.repeat(matrices[:1], 3, axis=0)
        assert group_weights(same).consensus.value == pytest.approx(1.0)
