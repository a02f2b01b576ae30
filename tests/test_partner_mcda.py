"""Weighted sum and TOPSIS: published examples, closed forms, peers (pymcdm) and properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lmsdecide.partner import (
    normalise,
    qualifies,
    rank_scores,
    topsis,
    topsis_detail,
    weighted_sum,
)

# ---------------------------------------------------------------------------------------------
# Published worked examples
# ---------------------------------------------------------------------------------------------


def test_topsis_papathanasiou_ploskas_facility_location() -> None:
    # Papathanasiou, J. & Ploskas, N. (2018), Multiple Criteria Decision Aid: Methods, Examples
    # and Python Implementations, Springer, ch. 1 (TOPSIS), facility location example: six sites,
    # four benefit criteria, weights (0.4, 0.3, 0.1, 0.2); published closeness coefficients
    # 0.387, 0.327, 0.391, 0.615, 0.868, 0.493 (site 5 best).
    x = [[8, 7, 2, 1], [5, 3, 7, 5], [7, 5, 6, 4], [9, 9, 7, 3], [11, 10, 3, 7], [6, 9, 5, 4]]
    c = topsis(x, [0.4, 0.3, 0.1, 0.2], [True, True, True, True])
    np.testing.assert_allclose(c, [0.387, 0.327, 0.391, 0.615, 0.868, 0.493], atol=6e-4)
    assert list(rank_scores(c)) == [5, 6, 4, 2, 1, 3]


def test_topsis_ideal_points_mcda_r_package_cars() -> None:
    # R package MCDA (Bigaret & Meyer), TOPSIS() documentation example, the same as Hodgett's
    # "TOPSIS in Excel": Corsa, Clio, Fiesta on purchase price (cost), economy, aesthetics and
    # boot capacity, weights (0.35, 0.25, 0.25, 0.15). Published positive and negative ideal
    # solutions of the weighted normalised matrix:
    x = [[5490, 51.4, 8.5, 285], [6500, 70.6, 7, 288], [6489, 54.3, 7.5, 290]]
    d = topsis_detail(x, [0.35, 0.25, 0.25, 0.15], ["cost", "benefit", "benefit", "benefit"])
    np.testing.assert_allclose(d.ideal, [0.179573776, 0.171636015, 0.159499658, 0.087302767])
    np.testing.assert_allclose(d.anti_ideal, [0.212610118, 0.124958799, 0.131352659, 0.085797547])
    # and the method's own identities on the same data
    np.testing.assert_allclose(d.closeness, d.d_minus / (d.d_plus + d.d_minus))
    np.testing.assert_allclose(np.sqrt((d.normalised**2).sum(axis=0)), 1.0)


# ---------------------------------------------------------------------------------------------
# Closed forms (hand calculations)
# ---------------------------------------------------------------------------------------------


def test_topsis_two_alternatives_closed_form() -> None:
    # Two alternatives, one benefit criterion: the better one is the ideal (C = 1), the other
    # the anti-ideal (C = 0), whatever the values.
    np.testing.assert_allclose(topsis([[3.0], [7.0]], [1.0], [True]), [0.0, 1.0])
    np.testing.assert_allclose(topsis([[3.0], [7.0]], [1.0], [False]), [1.0, 0.0])


def test_weighted_sum_minmax_by_hand() -> None:
    # Benefit column (2, 4, 6) -> (0, .5, 1); cost column (10, 30, 20) -> (1, 0, .5);
    # weights (3, 1) -> (.75, .25): scores .25, .375, .875.
    x = [[2, 10], [4, 30], [6, 20]]
    s = weighted_sum(x, [3, 1], ["benefit", "cost"])
    np.testing.assert_allclose(s, [0.25, 0.375, 0.875])


def test_weighted_sum_linear_by_hand() -> None:
    # Linear scale transformation (Hwang & Yoon 1981): benefit x/max, cost min/x.
    x = [[2, 10], [4, 40], [8, 20]]
    s = weighted_sum(x, [1, 1], [True, False], normalisation="linear")
    np.testing.assert_allclose(s, [(0.25 + 1) / 2, (0.5 + 0.25) / 2, (1 + 0.5) / 2])


def test_must_have_disqualifies_before_scoring() -> None:
    # Benefit must-have 4 on column 0: the second alternative (3 < 4) is out. Cost must-have
    # 100 on column 1: the third (120 > 100) is out. Scores of the rest are computed as if the
    # others were never there.
    x = np.array([[5.0, 50.0], [3.0, 60.0], [9.0, 120.0], [6.0, 90.0]])
    t = np.array([4.0, 100.0])
    b = np.array([True, False])
    ok = qualifies(x, b, t)
    assert list(ok) == [True, False, False, True]
    s = weighted_sum(x, [1, 1], b, must_have=t)
    assert np.isnan(s[1]) and np.isnan(s[2])
    np.testing.assert_allclose(s[[0, 3]], weighted_sum(x[[0, 3]], [1, 1], b))
    c = topsis(x, [1, 1], b, must_have=t)
    np.testing.assert_allclose(c[[0, 3]], topsis(x[[0, 3]], [1, 1], b))
    assert list(rank_scores(c))[1:3] == [3, 4]
    # no threshold (NaN) means no constraint
    assert qualifies(x, b, [np.nan, np.nan]).all()


def test_constant_weighted_criteria_tie() -> None:
    c = topsis([[1.0, 5.0], [1.0, 5.0]], [1, 1], [True, True])
    np.testing.assert_allclose(c, [0.5, 0.5])
    s = weighted_sum([[1.0], [1.0]], [1], [True])
    np.testing.assert_allclose(s, [1.0, 1.0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"matrix": [1, 2, 3]}, "matrix: must be 2-D"),
        ({"matrix": [[1.0, np.nan]]}, r"matrix\[0, 1\]: must be finite"),
        ({"weights": [1.0]}, "weights: must have one entry per criterion"),
        ({"weights": [1.0, -1.0]}, r"weights\[1\]: must be non-negative"),
        ({"weights": [0.0, 0.0]}, "at least one weight must be positive"),
        ({"benefit": [True]}, "benefit: must have one entry"),
        ({"benefit": ["benefit", "gain"]}, "'benefit' or 'cost', got 'gain'"),
        ({"benefit": [1, 0]}, "benefit: must be booleans"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"matrix": [[1.0, 2.0], [3.0, 4.0]], "weights": [1, 1]}
    args["benefit"] = [True, False]
    args.update(kwargs)
    for func in (topsis, weighted_sum):
        with pytest.raises(ValueError, match=message):
            func(args["matrix"], args["weights"], args["benefit"])  # type: ignore[arg-type]


def test_unknown_normalisation_and_linear_needs_positive() -> None:
    with pytest.raises(ValueError, match="normalisation: must be one of"):
        normalise([[1.0]], [True], "zscore")
    with pytest.raises(ValueError, match=r"matrix\[1, 0\]: linear normalisation needs positive"):
        weighted_sum([[1.0], [0.0]], [1], [True], normalisation="linear")


# ---------------------------------------------------------------------------------------------
# Peer library: pymcdm on random matrices
# ---------------------------------------------------------------------------------------------


def _random_problem(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m, n = int(rng.integers(2, 12)), int(rng.integers(1, 8))
    x = rng.uniform(0.5, 100.0, size=(m, n)) * rng.uniform(0.01, 100.0, size=n)
    w = rng.dirichlet(np.ones(n))
    b = rng.random(n) < 0.6
    return x, w, b


@pytest.mark.filterwarnings("ignore:Alternatives with indices:UserWarning")
def test_topsis_agrees_with_pymcdm() -> None:
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization

    rng = np.random.default_rng(20240905)
    peer = TOPSIS(vector_normalization)
    for _ in range(200):
        x, w, b = _random_problem(rng)
        expected = peer(x, w, np.where(b, 1, -1))
        np.testing.assert_allclose(topsis(x, w, b), expected, rtol=1e-10, atol=1e-12)


@pytest.mark.filterwarnings("ignore:Alternatives with indices:UserWarning")
@pytest.mark.parametrize("normalisation", ["minmax", "linear"])
def test_weighted_sum_agrees_with_pymcdm(normalisation: str) -> None:
    from pymcdm.methods import WSM
    from pymcdm.normalizations import linear_normalization, minmax_normalization

    func = {"minmax": minmax_normalization, "linear": linear_normalization}[normalisation]
    peer = WSM(func)
    rng = np.random.default_rng(7)
    for _ in range(200):
        x, w, b = _random_problem(rng)
        expected = peer(x, w, np.where(b, 1, -1))
        got = weighted_sum(x, w, b, normalisation=normalisation)
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

_sizes = st.tuples(st.integers(2, 7), st.integers(1, 5))


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m, n = draw(_sizes)
    x = draw(arrays(float, (m, n), elements=st.floats(0.1, 100.0)))
    w = draw(arrays(float, n, elements=st.floats(0.0, 1.0)))
    assume(w.sum() > 1e-3)
    b = draw(arrays(bool, n))
    return x, w, b


def _order(scores: np.ndarray) -> list[int]:
    return list(rank_scores(np.round(scores, 9)))


@given(problems(), st.data())
def test_scaling_a_criterion_changes_no_ranking(
    problem: tuple[np.ndarray, np.ndarray, np.ndarray], data: st.DataObject
) -> None:
    x, w, b = problem
    j = data.draw(st.integers(0, x.shape[1] - 1))
    factor = data.draw(st.sampled_from([1e-3, 0.5, 3.0, 1000.0]))
    y = x.copy()
    y[:, j] *= factor
    np.testing.assert_allclose(topsis(y, w, b), topsis(x, w, b), atol=1e-9)
    for norm in ("minmax", "linear"):
        np.testing.assert_allclose(
            weighted_sum(y, w, b, normalisation=norm),
            weighted_sum(x, w, b, normalisation=norm),
            atol=1e-9,
        )
    # min-max is also invariant to a change of origin (e.g. degrees Celsius to Fahrenheit)
    z = x.copy()
    z[:, j] = 1.8 * z[:, j] + 32
    np.testing.assert_allclose(weighted_sum(z, w, b), weighted_sum(x, w, b), atol=1e-9)


@given(problems(), st.data())
def test_dominated_alternative_never_ranks_first(
    problem: tuple[np.ndarray, np.ndarray, np.ndarray], data: st.DataObject
) -> None:
    x, w, b = problem
    w = w + 0.01  # every criterion counts, so strict domination is strict in score
    best = data.draw(st.integers(0, x.shape[0] - 1))
    margin = data.draw(st.floats(0.05, 10.0))
    dominated = np.where(b, x[best] - margin, x[best] + margin)
    assume(np.all(dominated > 0))
    y = np.vstack([x, dominated])
    for scores in (
        topsis(y, w, b),
        weighted_sum(y, w, b),
        weighted_sum(y, w, b, normalisation="linear"),
    ):
        assert scores[-1] < scores[best]
        assert rank_scores(scores)[-1] != 1


@given(problems())
def test_scores_in_unit_interval_and_weight_scale_free(
    problem: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> None:
    x, w, b = problem
    c = topsis(x, w, b)
    assert np.all((c >= -1e-12) & (c <= 1 + 1e-12))
    np.testing.assert_allclose(topsis(x, 7.5 * w, b), c, atol=1e-12)
    s = weighted_sum(x, w, b)
    assert np.all((s >= -1e-12) & (s <= 1 + 1e-12))
