"""PERT and beta-PERT: closed forms, degenerate case, seeding, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lmsdecide.timing import pert_mean, pert_sample, pert_shape, pert_variance


def test_pert_mean_closed_form() -> None:
    # (a + 4m + b) / 6 (Malcolm et al. 1959): 2, 4, 12 -> 30 / 6 = 5
    assert pert_mean(2, 4, 12) == pytest.approx(5.0)
    assert pert_mean(3.0, 4.0, 6.0) == pytest.approx(25.0 / 6.0)
    np.testing.assert_allclose(pert_mean([1, 2], [2, 3], [3, 10]), [2.0, 4.0])


def test_pert_shape_closed_form() -> None:
    # alpha = 1 + 4(m - a)/(b - a), beta = 1 + 4(b - m)/(b - a): 0, 1, 4 -> 2, 4
    alpha, beta = pert_shape(0.0, 1.0, 4.0)
    assert float(alpha) == pytest.approx(2.0)
    assert float(beta) == pytest.approx(4.0)


def test_pert_variance_closed_form_and_not_range_over_six() -> None:
    # Var = (mu - a)(b - mu) / 7; for 0, 1, 4: mu = 8/6, Var = (4/3)(8/3)/7 = 32/63
    assert pert_variance(0.0, 1.0, 4.0) == pytest.approx(32.0 / 63.0)
    # the shortcut ((b - a) / 6)^2 = 16/36 differs for a skewed estimate
    assert pert_variance(0.0, 1.0, 4.0) != pytest.approx(16.0 / 36.0)


@pytest.mark.parametrize(("a", "m", "b"), [(2.0, 3.0, 5.0), (5.0, 8.0, 13.0), (0.0, 0.5, 10.0)])
def test_sample_moments_match_closed_forms(a: float, m: float, b: float) -> None:
    rng = np.random.default_rng(20240901)
    x = pert_sample(a, m, b, size=400_000, rng=rng)
    mu, var = pert_mean(a, m, b), pert_variance(a, m, b)
    assert x.min() >= a and x.max() <= b
    # 5 standard errors of the mean and of the variance (4th moment bounded by (b-a)^4)
    assert abs(x.mean() - mu) < 5 * np.sqrt(var / x.size)
    assert abs(x.var() - var) < 5 * (b - a) ** 2 / np.sqrt(x.size)


def test_degenerate_estimate_is_certain() -> None:
    x = pert_sample(4.0, 4.0, 4.0, size=1000, rng=np.random.default_rng(1))
    assert np.all(x == 4.0)
    assert pert_mean(4.0, 4.0, 4.0) == 4.0
    assert pert_variance(4.0, 4.0, 4.0) == 0.0
    mixed = pert_sample([1.0, 2.0], [1.0, 3.0], [1.0, 5.0], size=(50, 2), rng=1)
    assert np.all(mixed[:, 0] == 1.0) and np.all((mixed[:, 1] >= 2.0) & (mixed[:, 1] <= 5.0))


def test_same_seed_same_draws() -> None:
    a = pert_sample(1, 2, 6, size=100, rng=np.random.default_rng(7))
    b = pert_sample(1, 2, 6, size=100, rng=np.random.default_rng(7))
    c = pert_sample(1, 2, 6, size=100, rng=np.random.default_rng(8))
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize(
    ("a", "m", "b", "match"),
    [(3, 2, 5, "a <= m <= b"), (1, 6, 5, "a <= m <= b"), (float("nan"), 1, 2, "finite")],
)
def test_bad_three_point_is_a_clear_value_error(a: float, m: float, b: float, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        pert_mean(a, m, b)
    with pytest.raises(ValueError, match=match):
        pert_sample(a, m, b, size=3, rng=1)


@given(
    st.lists(st.floats(0, 100, allow_nan=False), min_size=3, max_size=3).map(sorted),
    st.integers(0, 2**32 - 1),
)
def test_draws_stay_within_the_estimate(abc: list[float], seed: int) -> None:
    a, m, b = abc
    x = pert_sample(a, m, b, size=200, rng=seed)
    assert np.all(x >= a) and np.all(x <= b)
    assert a <= pert_mean(a, m, b) <= b
