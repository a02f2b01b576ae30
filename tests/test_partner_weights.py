"""Exact top-choice paths, weight sensitivity and whose-weights-win cores."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lmsdecide.partner import (
    criterion_intervals,
    effective_weights,
    score_along,
    share_family,
    top_choice_path,
)

# Three alternatives on two benefit criteria. With min-max normalisation the columns are
# (1, 0, .7) and (0, 1, .7), so along w(s) = ((1 - s), s) the weighted sums are A = 1 - s,
# B = s, C = 0.7: A leads below 0.3, C between 0.3 and 0.7, B above 0.7 (by hand).
ABC = np.array([[1.0, 0.0], [0.0, 1.0], [0.7, 0.7]])
BENEFIT = np.array([True, True])


def test_weighted_sum_path_by_hand() -> None:
    path = top_choice_path(ABC, BENEFIT, [1, 0], [0, 1], method="weighted_sum")
    np.testing.assert_allclose(path.breakpoints, [0.3, 0.7], atol=1e-12)
    assert path.tops == (0, 2, 1)
    assert path.top_at(0.1) == 0 and path.top_at(0.5) == 2 and path.top_at(0.9) == 1
    assert path.piece_containing(0.5) == pytest.approx((0.3, 0.7))


def test_topsis_path_symmetric_swap_at_half() -> None:
    # A = (5, 2), B = (2, 5): mirror images, so along w(s) = (1 - s, s) their TOPSIS closeness
    # swaps exactly at s = 1/2 (by symmetry).
    x = np.array([[5.0, 2.0], [2.0, 5.0]])
    path = top_choice_path(x, BENEFIT, [1, 0], [0, 1], method="topsis")
    np.testing.assert_allclose(path.breakpoints, [0.5], atol=1e-12)
    assert path.tops == (0, 1)


def test_no_change_gives_one_piece_and_disqualified_never_top() -> None:
    x = np.array([[9.0, 9.0], [1.0, 1.0], [10.0, 10.0]])
    path = top_choice_path(x, BENEFIT, [1, 0], [0, 1], qualified=np.array([True, True, False]))
    assert path.breakpoints.size == 0 and path.tops == (0,)
    none = top_choice_path(x, BENEFIT, [1, 0], [0, 1], qualified=np.zeros(3, bool))
    assert none.tops == (-1,)


@st.composite
def segments(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, str]:
    m, n = draw(st.integers(2, 6)), draw(st.integers(1, 5))
    x = draw(arrays(float, (m, n), elements=st.floats(0.5, 50.0)))
    b = draw(arrays(bool, n))
    w0 = draw(arrays(float, n, elements=st.floats(0.0, 1.0)))
    w1 = draw(arrays(float, n, elements=st.floats(0.0, 1.0)))
    assume(w0.sum() > 1e-2 and w1.sum() > 1e-2)
    return x, b, w0, w1, draw(st.sampled_from(["topsis", "weighted_sum"]))


@given(segments())
@example(  # two alternatives that tie exactly at s = 1: no breakpoint at the segment's end
    (
        np.array([[1.0, 2.0, 2.0, 1.0], [2.0, 1.0, 1.0, 2.0]]),
        np.array([True, True, True, True]),
        np.array([0.75, 0.5, 0.0, 0.5]),
        np.array([1.0, 1.0, 1.0, 1.0]),
        "weighted_sum",
    )
)
def test_path_is_exact(case: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, str]) -> None:
    x, b, w0, w1, method = case
    path = top_choice_path(x, b, w0, w1, method=method)
    bps = path.breakpoints
    assert np.all((bps > 0) & (bps < 1)) and np.all(np.diff(bps) > 0)
    assert len(path.tops) == len(bps) + 1
    # At each breakpoint the outgoing and incoming leaders score the same (solved, not sampled).
    for k, s in enumerate(bps):
        v = score_along(x, b, w0, w1, np.array([s]), method=method)[0]
        assert abs(v[path.tops[k]] - v[path.tops[k + 1]]) < 1e-9
    # Inside each piece the stated leader is the best on a fine grid (up to ties).
    grid = np.linspace(0, 1, 401)
    scores = score_along(x, b, w0, w1, grid, method=method)
    for s, row in zip(grid, scores, strict=True):
        if np.any(np.abs(bps - s) < 1e-6):
            continue
        k = int(np.searchsorted(bps, s, side="right"))
        assert row[path.tops[k]] >= row.max() - 1e-9


def test_criterion_intervals_by_hand() -> None:
    # Weights (.5, .5): C scores .7 against A = B = .5, so C is top. Criterion 0 at t (criterion
    # 1 at 1 - t): C stays top for t in [.3, .7]; B takes over below, A above. Mirror for 1.
    top, intervals = criterion_intervals(ABC, [0.5, 0.5], BENEFIT, method="weighted_sum")
    assert top == 2
    first, second = intervals
    assert (first.lower, first.upper) == pytest.approx((0.3, 0.7))
    assert (first.below, first.above) == (1, 0)
    assert (second.lower, second.upper) == pytest.approx((0.3, 0.7))
    assert (second.below, second.above) == (0, 1)


@given(segments())
def test_top_is_unchanged_inside_each_interval(
    case: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, str],
) -> None:
    x, b, w, _, method = case
    top, intervals = criterion_intervals(x, w, b, method=method)
    w = w / w.sum()
    for iv in intervals:
        assert iv.lower <= iv.weight + 1e-12 and iv.weight <= iv.upper + 1e-12
        if iv.below is not None:
            assert iv.below != top or iv.lower == iv.weight
        for t in np.linspace(iv.lower, iv.upper, 7)[1:-1]:
            moved = w * (1 - t) / (1 - iv.weight) if iv.weight < 1 else np.zeros_like(w)
            moved[iv.criterion] = t
            if moved.sum() <= 0:
                continue
            v = score_along(x, b, moved, moved, np.zeros(1), method=method)[0]
            assert v[top] >= v.max() - 1e-9


def test_effective_weights_by_hand() -> None:
    # W1 = (1, 0); W2 = (1, 3) -> (.25, .75); shares (.5, .25):
    # w = (.5 (1, 0) + .25 (.25, .75)) / .75 = (.75, .25). A department without weights is
    # left out whatever its share.
    w = effective_weights([[1, 0], [1, 3], [0, 0]], [0.5, 0.25, 0.9])
    np.testing.assert_allclose(w, [0.75, 0.25])
    with pytest.raises(ValueError, match="no department has both"):
        effective_weights([[0, 0]], [1.0])
    with pytest.raises(ValueError, match=r"share\[1\]: must be finite and non-negative"):
        effective_weights([[1, 0], [0, 1]], [0.5, -0.1])
    with pytest.raises(ValueError, match="share: must have one entry per department"):
        effective_weights([[1, 0], [0, 1]], [1.0])


def test_share_family_by_hand() -> None:
    # Learning weighs criterion 0 only, IT criterion 1 only; the family is w(s) = (s, 1 - s):
    # A = s, B = 1 - s, C = .7 -> B below .3, C up to .7, A from .7 up (by hand).
    fam = share_family(
        ABC, BENEFIT, [[1, 0], [0, 1]], [0.2, 0.8], [True, False], method="weighted_sum"
    )
    assert fam.share == pytest.approx(0.2)
    np.testing.assert_allclose(fam.effective, [0.2, 0.8])
    np.testing.assert_allclose(fam.path.breakpoints, [0.3, 0.7], atol=1e-12)
    assert fam.path.tops == (1, 2, 0)


@given(
    arrays(float, (4, 3), elements=st.floats(0.0, 1.0)),
    arrays(float, 4, elements=st.floats(0.0, 1.0)),
    arrays(bool, 4),
)
@example(  # a subnormal share: the group's weights must not underflow to zero
    wd=np.ones((4, 3)),
    shares=np.array([1.0, 5e-324, 0.0, 0.0]),
    learning=np.array([True, False, False, False]),
)
def test_family_passes_through_the_effective_weights(
    wd: np.ndarray, shares: np.ndarray, learning: np.ndarray
) -> None:
    assume(np.all(wd.sum(axis=1) > 1e-3) and shares.sum() > 1e-3)
    x = np.array([[1.0, 2.0, 3.0], [3.0, 1.0, 2.0], [2.0, 3.0, 1.0]])
    fam = share_family(x, [True, False, True], wd, shares, learning)
    np.testing.assert_allclose(fam.effective, effective_weights(wd, shares), atol=1e-12)
    np.testing.assert_allclose(fam.learning_weights.sum(), 1.0)
    np.testing.assert_allclose(fam.other_weights.sum(), 1.0)
    if learning.any() and (~learning).any():
        assert fam.share == pytest.approx(shares[learning].sum() / shares.sum())
