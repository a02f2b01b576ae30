"""Three-point (PERT) durations: the mean, the beta-PERT distribution and sampling from it.

Beta-PERT with shape parameter 4 (Malcolm, Roseboom, Clark & Fazar 1959; Vose 2008, "Risk
Analysis", 3rd ed., section 9.1.4): for optimistic ``a``, most likely ``m`` and pessimistic ``b``,

    X = a + (b - a) * Y,  Y ~ Beta(alpha, beta),
    alpha = 1 + 4 (m - a) / (b - a),  beta = 1 + 4 (b - m) / (b - a),

so that E[X] = (a + 4m + b) / 6 and Var[X] = (E[X] - a)(b - E[X]) / 7. Its standard deviation is
*not* the textbook shortcut (b - a) / 6 except when m is the midpoint. When a = m = b the duration
is certain: X = a.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lmsdecide.timing._common import as_generator

__all__ = ["pert_mean", "pert_sample", "pert_shape", "pert_variance"]

FloatOrArray = float | NDArray[np.float64]


def _three_point(a: ArrayLike, m: ArrayLike, b: ArrayLike) -> tuple[NDArray[np.float64], ...]:
    arrays = []
    for name, value in (("a (optimistic)", a), ("m (most likely)", m), ("b (pessimistic)", b)):
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(
                f"{name}: must be a number or an array of numbers, got {value!r}"
            ) from None
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name}: must be finite, got {value!r}")
        arrays.append(arr)
    a_arr, m_arr, b_arr = np.broadcast_arrays(*arrays)
    bad = ~((a_arr <= m_arr) & (m_arr <= b_arr))
    if np.any(bad):
        i = np.flatnonzero(bad.ravel())[0]
        raise ValueError(
            "three-point estimate must satisfy a <= m <= b, got "
            f"a={a_arr.ravel()[i]:g}, m={m_arr.ravel()[i]:g}, b={b_arr.ravel()[i]:g}"
        )
    return a_arr, m_arr, b_arr


def _scalar_or_array(x: NDArray[np.float64]) -> FloatOrArray:
    return float(x) if x.ndim == 0 else x


def pert_mean(a: ArrayLike, m: ArrayLike, b: ArrayLike) -> FloatOrArray:
    """PERT mean duration, (a + 4m + b) / 6.

    Parameters
    ----------
    a, m, b
        Optimistic, most likely and pessimistic durations (weeks), scalars or broadcastable
        arrays with a <= m <= b.

    Returns
    -------
    float or ndarray
        The mean in the same unit (weeks). Source: Malcolm et al. (1959).

    Raises
    ------
    ValueError
        When a value is not finite or the three points are out of order.
    """
    a_arr, m_arr, b_arr = _three_point(a, m, b)
    # clip: rounding must not put the mean of a degenerate estimate outside [a, b]
    return _scalar_or_array(np.clip((a_arr + 4.0 * m_arr + b_arr) / 6.0, a_arr, b_arr))


def pert_variance(a: ArrayLike, m: ArrayLike, b: ArrayLike) -> FloatOrArray:
    """Variance of the beta-PERT distribution, (mu - a)(b - mu) / 7, mu the PERT mean (weeks²)."""
    a_arr, m_arr, b_arr = _three_point(a, m, b)
    mu = np.clip((a_arr + 4.0 * m_arr + b_arr) / 6.0, a_arr, b_arr)
    return _scalar_or_array((mu - a_arr) * (b_arr - mu) / 7.0)


def pert_shape(
    a: ArrayLike, m: ArrayLike, b: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Beta shape parameters (alpha, beta) = (1 + 4(m - a)/(b - a), 1 + 4(b - m)/(b - a)).

    A degenerate estimate (a = b) gets alpha = beta = 3 (any value would do: its width is 0).
    """
    a_arr, m_arr, b_arr = _three_point(a, m, b)
    width = b_arr - a_arr
    safe = np.where(width > 0, width, 1.0)
    alpha = np.where(width > 0, 1.0 + 4.0 * (m_arr - a_arr) / safe, 3.0)
    beta = np.where(width > 0, 1.0 + 4.0 * (b_arr - m_arr) / safe, 3.0)
    return alpha, beta


def pert_sample(
    a: ArrayLike,
    m: ArrayLike,
    b: ArrayLike,
    size: int | tuple[int, ...] | None = None,
    rng: np.random.Generator | int | None = None,
) -> Any:
    """Draw from beta-PERT: a + (b - a) * Beta(alpha, beta).

    Parameters
    ----------
    a, m, b
        Optimistic, most likely and pessimistic durations (weeks); arrays broadcast, e.g. one
        entry per phase with ``size=(n, n_phases)``.
    size
        Output shape (numpy broadcasting rules); ``None`` gives one draw per estimate.
    rng
        A ``numpy.random.Generator`` (or a seed for one).

    Returns
    -------
    float or ndarray
        Durations in weeks, each within [a, b]; exactly ``a`` where a = m = b.
    """
    a_arr, m_arr, b_arr = _three_point(a, m, b)
    alpha, beta = pert_shape(a_arr, m_arr, b_arr)
    gen = as_generator(rng)
    y = gen.beta(alpha, beta, size=size)
    if np.ndim(y) == 0:
        return float(a_arr + (b_arr - a_arr) * y)
    y *= b_arr - a_arr  # in place: no temporaries of the draws' size
    y += a_arr
    return y
