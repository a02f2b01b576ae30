"""Friedkin–Johnsen / DeGroot algebra: published examples, closed forms, errors, properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lmsdecide.influence import closed_groups, friedkin_johnsen, row_normalise

# Friedkin & Johnsen (1999) four-person group as reprinted by Parsegov, Proskurnikov, Tempo &
# Friedkin (2017), "Novel multidimensional models of opinion dynamics in social networks",
# IEEE TAC 62(5):2270-2285, eq. (2); susceptibility Λ = I − diag(W); initial opinions and
# equilibria on two issues, eqs. (15)-(16) of arXiv:1505.04920.
FJ_W = np.array(
    [
        [0.220, 0.120, 0.360, 0.300],
        [0.147, 0.215, 0.344, 0.294],
        [0.0, 0.0, 1.0, 0.0],
        [0.090, 0.178, 0.446, 0.286],
    ]
)


def test_friedkin_johnsen_published_issue_a():
    r = friedkin_johnsen(FJ_W, 1 - np.diag(FJ_W), [25, 25, 75, 85])
    np.testing.assert_array_equal(np.round(r.final), [60, 60, 75, 75])


def test_friedkin_johnsen_published_issue_b():
    r = friedkin_johnsen(FJ_W, 1 - np.diag(FJ_W), [25, 15, -50, 5])
    np.testing.assert_array_equal(np.round(r.final, 1), [-19.3, -21.5, -50.0, -23.2])


def test_degroot_textbook_example_left_eigenvector():
    # Jackson (2008), Social and Economic Networks, §8.3 (DeGroot model example): T below
    # converges to consensus weights (3/11, 4/11, 4/11).
    T = np.array([[1 / 3, 1 / 3, 1 / 3], [1 / 2, 1 / 2, 0], [0, 1 / 4, 3 / 4]])
    r = friedkin_johnsen(T, np.ones(3), [1.0, 0.0, 0.0])
    expected = np.array([3, 4, 4]) / 11
    np.testing.assert_allclose(r.social_power, expected, atol=1e-12)
    np.testing.assert_allclose(r.total_influence, np.tile(expected, (3, 1)), atol=1e-12)
    np.testing.assert_allclose(r.final, 3 / 11, atol=1e-12)
    assert r.unanchored_groups == ((0, 1, 2),)


def test_closed_form_matches_definition():
    rng = np.random.default_rng(1)
    W = row_normalise(rng.random((6, 6)))
    lam = rng.uniform(0.1, 0.9, 6)
    x0 = rng.normal(size=6)
    r = friedkin_johnsen(W, lam, x0)
    V = np.linalg.inv(np.eye(6) - lam[:, None] * W) @ np.diag(1 - lam)
    np.testing.assert_allclose(r.total_influence, V, atol=1e-12)
    # iterating the dynamics reaches the same fixed point
    x = x0.copy()
    for _ in range(2000):
        x = lam * (W @ x) + (1 - lam) * x0
    np.testing.assert_allclose(r.final, x, atol=1e-9)


def test_doubly_stochastic_gives_equal_power():
    W = np.array([[1 / 6, 1 / 2, 1 / 3], [1 / 2, 1 / 4, 1 / 4], [1 / 3, 1 / 4, 5 / 12]])
    r = friedkin_johnsen(W, np.ones(3), [0, 0, 1])
    np.testing.assert_allclose(r.social_power, 1 / 3, atol=1e-12)
    # uniform susceptibility below one: V = (1-λ)(I-λW)^-1 is doubly stochastic too
    r2 = friedkin_johnsen(W, np.full(3, 0.7), [0, 0, 1])
    np.testing.assert_allclose(r2.social_power, 1 / 3, atol=1e-12)


def test_star_gives_centre_all_power():
    n = 5
    W = np.zeros((n, n))
    W[:, 0] = 1.0  # everyone, the centre included, listens to the centre
    r = friedkin_johnsen(W, np.ones(n), np.arange(n, dtype=float))
    np.testing.assert_allclose(r.social_power, [1, 0, 0, 0, 0], atol=1e-12)
    np.testing.assert_allclose(r.final, 0.0, atol=1e-12)


def test_two_closed_groups_no_consensus():
    # 0 and 1 each listen only to themselves; 2 listens to both equally
    W = np.array([[1, 0, 0], [0, 1, 0], [0.5, 0.5, 0]])
    r = friedkin_johnsen(W, np.ones(3), [1.0, -1.0, 5.0])
    np.testing.assert_allclose(r.final, [1.0, -1.0, 0.0], atol=1e-12)
    assert sorted(closed_groups(W)) == [(0,), (1,)]


def test_periodic_group_is_an_error_that_says_why():
    W = np.array([[0.0, 1.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match=r"closed group.*periodic \(period 2\)"):
        friedkin_johnsen(W, [1, 1], [0, 1], labels=["it", "exec"])
    r = friedkin_johnsen(W, [1, 1], [0, 1], on_periodic="average")
    assert not r.converges
    np.testing.assert_allclose(r.final, [0.5, 0.5])


def test_periodic_group_with_anchor_converges():
    W = np.array([[0.0, 1.0], [1.0, 0.0]])
    r = friedkin_johnsen(W, [1.0, 0.5], [0, 1])
    assert r.converges
    np.testing.assert_allclose(r.final, [1.0, 1.0])


@pytest.mark.parametrize(
    ("W", "lam", "x0", "message"),
    [
        (np.ones((2, 3)) / 3, [1, 1], [0, 0], "square"),
        ([[0.5, 0.5], [-0.5, 1.5]], [1, 1], [0, 0], r"W\[1, 0\]: must not be negative"),
        ([[0.5, 0.4], [0.5, 0.5]], [1, 1], [0, 0], "W row 0: must sum to 1"),
        ([[np.nan, 1], [0.5, 0.5]], [1, 1], [0, 0], "finite"),
        ([[0.5, 0.5], [0.5, 0.5]], [1, 1.2], [0, 0], r"susceptibility\[1\]"),
        ([[0.5, 0.5], [0.5, 0.5]], [1], [0, 0], "susceptibility: must have 2"),
        ([[0.5, 0.5], [0.5, 0.5]], [1, 1], [0, 0, 1], "x0: must have 2"),
    ],
)
def test_bad_input_named(W, lam, x0, message):
    with pytest.raises(ValueError, match=message):
        friedkin_johnsen(W, lam, x0)


def test_row_normalise_empty_row_listens_to_itself():
    W = row_normalise([[0, 0, 0], [1, 1, 0], [0, 0, 2]])
    np.testing.assert_allclose(W, [[1, 0, 0], [0.5, 0.5, 0], [0, 0, 1]])


matrices = st.integers(1, 8).flatmap(
    lambda n: st.tuples(
        arrays(float, (n, n), elements=st.sampled_from([0.0, 0.0, 0.3, 1.0, 2.5])),
        arrays(float, n, elements=st.sampled_from([0.0, 0.2, 0.5, 0.9, 1.0])),
        arrays(float, n, elements=st.floats(-1, 1)),
    )
)


@given(matrices)
def test_total_influence_rows_sum_to_one(args):
    raw, lam, x0 = args
    W = row_normalise(raw)
    r = friedkin_johnsen(W, lam, x0, on_periodic="average")
    V = r.total_influence
    assert np.all(V >= -1e-12)
    np.testing.assert_allclose(V.sum(axis=1), 1.0, atol=1e-9)
    np.testing.assert_allclose(r.social_power.sum(), 1.0, atol=1e-9)
    # final opinions stay within the range of initial ones (convex combinations)
    assert np.all(r.final >= x0.min() - 1e-9) and np.all(r.final <= x0.max() + 1e-9)
    # a fully stubborn actor keeps its opinion
    stubborn = lam == 0
    np.testing.assert_allclose(r.final[stubborn], x0[stubborn], atol=1e-12)
    # fixed point of the dynamics (time-averaged for periodic groups, so only when converging)
    if r.converges:
        np.testing.assert_allclose(lam * (W @ r.final) + (1 - lam) * x0, r.final, atol=1e-8)
