"""Multi-criteria ranking of alternatives: weighted sum and TOPSIS, with must-have criteria.

Pure functions on arrays: a decision matrix ``X`` (alternatives x criteria), non-negative
criterion weights ``w`` and a ``benefit`` flag per criterion (True: more is better; False: a cost,
less is better). Partners that fail a must-have criterion are disqualified *before* scoring, as
LMS request-for-proposal scorecards do: their score is NaN and they do not influence the
normalisation of the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lmsdecide.results import ArrayEq

__all__ = [
    "NORMALISATIONS",
    "TopsisDetail",
    "batch_scores",
    "check_problem",
    "normalise",
    "qualifies",
    "rank_scores",
    "topsis",
    "topsis_detail",
    "weighted_sum",
]

#: Normalisations offered for the weighted sum (TOPSIS always uses vector normalisation).
NORMALISATIONS: tuple[str, ...] = ("minmax", "linear")

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def _as_benefit(benefit: ArrayLike | Sequence[str], n: int) -> BoolArray:
    """Benefit flags from booleans or from ``"benefit"``/``"cost"`` strings."""
    arr = np.asarray(benefit)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"benefit: must have one entry per criterion ({n}), got shape {arr.shape}")
    if arr.dtype == np.bool_:
        return arr.astype(bool)
    if arr.dtype.kind in ("U", "S", "O"):
        values = [str(v) for v in arr]
        bad = [v for v in values if v not in ("benefit", "cost")]
        if bad:
            raise ValueError(f"benefit: entries must be 'benefit' or 'cost', got {bad[0]!r}")
        return np.array([v == "benefit" for v in values], dtype=bool)
    raise ValueError(
        f"benefit: must be booleans (True = benefit) or 'benefit'/'cost', got dtype {arr.dtype}"
    )


def check_problem(
    matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike | Sequence[str]
) -> tuple[FloatArray, FloatArray, BoolArray]:
    """Validate a decision problem and return ``(X, w, benefit)`` with ``w`` summing to 1.

    Raises
    ------
    ValueError
        Naming the argument and the offending value: a matrix that is not 2-D or not finite,
        weights of the wrong length, negative, not finite or all zero.
    """
    x = np.asarray(matrix, dtype=float)
    if x.ndim != 2 or x.shape[0] < 1 or x.shape[1] < 1:
        raise ValueError(
            f"matrix: must be 2-D (alternatives x criteria) and non-empty, got shape {x.shape}"
        )
    if not np.all(np.isfinite(x)):
        i, j = np.argwhere(~np.isfinite(x))[0]
        raise ValueError(f"matrix[{i}, {j}]: must be finite, got {x[i, j]}")
    w = np.asarray(weights, dtype=float)
    if w.ndim != 1 or w.shape[0] != x.shape[1]:
        raise ValueError(
            f"weights: must have one entry per criterion ({x.shape[1]}), got shape {w.shape}"
        )
    if not np.all(np.isfinite(w)):
        j = int(np.argmax(~np.isfinite(w)))
        raise ValueError(f"weights[{j}]: must be finite, got {w[j]}")
    if np.any(w < 0):
        j = int(np.argmax(w < 0))
        raise ValueError(f"weights[{j}]: must be non-negative, got {w[j]}")
    total = float(w.sum())
    if total <= 0:
        raise ValueError("weights: at least one weight must be positive, got all zero")
    return x, w / total, _as_benefit(benefit, x.shape[1])


def qualifies(
    matrix: ArrayLike, benefit: ArrayLike | Sequence[str], must_have: ArrayLike
) -> BoolArray:
    """Which alternatives pass every must-have threshold.

    ``must_have[j]`` is the minimum acceptable score of a benefit criterion, the maximum of a
    cost criterion, or NaN when criterion ``j`` has no threshold. An alternative qualifies when
    ``x_ij >= t_j`` for every benefit criterion and ``x_ij <= t_j`` for every cost criterion
    with a threshold.
    """
    x = np.asarray(matrix, dtype=float)
    b = _as_benefit(benefit, x.shape[1])
    t = np.asarray(must_have, dtype=float)
    if t.shape != (x.shape[1],):
        raise ValueError(
            f"must_have: must have one entry per criterion ({x.shape[1]}), got shape {t.shape}"
        )
    has = ~np.isnan(t)
    ok_benefit = np.where(has & b, x >= t, True)
    ok_cost = np.where(has & ~b, x <= t, True)
    return np.asarray(np.all(ok_benefit & ok_cost, axis=1), dtype=bool)


def normalise(
    matrix: ArrayLike, benefit: ArrayLike | Sequence[str], method: str = "minmax"
) -> FloatArray:
    """Normalise each criterion column to a benefit-oriented scale (more is better).

    ``minmax``: benefit r = (x - min)/(max - min), cost r = (max - x)/(max - min); a constant
    column gives 1 for every alternative (it cannot discriminate). Invariant to positive affine
    changes of unit (x -> a x + c, a > 0).

    ``linear`` (Hwang & Yoon 1981, linear scale transformation): benefit r = x / max, cost
    r = min / x; needs strictly positive values. Invariant to positive scaling (x -> a x).

    Raises
    ------
    ValueError
        For an unknown method, or ``linear`` on a column with a value <= 0.
    """
    x = np.asarray(matrix, dtype=float)
    return _normalise(x, _as_benefit(benefit, x.shape[-1]), method, None)


def _normalise(x: FloatArray, b: BoolArray, method: str, ok: BoolArray | None) -> FloatArray:
    """:func:`normalise` along the alternatives axis (-2) of ``x`` (..., alternatives, criteria),
    the minimum and maximum taken over the rows ``ok`` (..., alternatives) only: one rule for a
    matrix and for a stack of Monte Carlo draws."""
    q = np.ones(x.shape[:-1], dtype=bool) if ok is None else ok
    q = q[..., None]
    lo = np.where(q, x, np.inf).min(axis=-2, keepdims=True)
    hi = np.where(q, x, -np.inf).max(axis=-2, keepdims=True)
    if method == "minmax":
        span = hi - lo
        safe = np.where(span > 0, span, 1.0)
        r = np.where(b, (x - lo) / safe, (hi - x) / safe)
        return np.asarray(np.where(span > 0, r, 1.0), dtype=float)
    if method == "linear":
        bad = np.argwhere((x <= 0) & q)
        if bad.size:
            at = tuple(int(k) for k in bad[0])
            where = ", ".join(map(str, at))
            raise ValueError(
                f"matrix[{where}]: linear normalisation needs positive values, got {x[at]}"
            )
        return np.asarray(np.where(b, x / hi, lo / x), dtype=float)
    raise ValueError(f"normalisation: must be one of {', '.join(NORMALISATIONS)}; got {method!r}")


def _mask(x: FloatArray, benefit: BoolArray, must_have: ArrayLike | None) -> BoolArray:
    if must_have is None:
        return np.ones(x.shape[0], dtype=bool)
    return qualifies(x, benefit, must_have)


def weighted_sum(
    matrix: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike | Sequence[str],
    *,
    normalisation: str = "minmax",
    must_have: ArrayLike | None = None,
) -> FloatArray:
    """Weighted-sum score of each alternative (simple additive weighting).

    S_i = sum_j w_j r_ij, with r the normalised, benefit-oriented matrix (see :func:`normalise`)
    and w the weights rescaled to sum to 1. Scores lie in [0, 1]; higher is better.

    Parameters
    ----------
    matrix
        Decision matrix, alternatives x criteria, in the criteria's own units.
    weights
        Non-negative criterion weights (any scale; rescaled to sum to 1).
    benefit
        Per criterion, True (or ``"benefit"``) when more is better, False (``"cost"``) otherwise.
    normalisation
        ``"minmax"`` (default) or ``"linear"``.
    must_have
        Optional per-criterion thresholds (NaN: none); see :func:`qualifies`. Alternatives that
        fail are disqualified: score NaN, and excluded from the normalisation of the others.

    Returns
    -------
    numpy.ndarray
        One score per alternative (NaN for disqualified ones).

    References
    ----------
    Fishburn (1967), "Additive utilities with incomplete product sets"; Hwang & Yoon (1981),
    *Multiple Attribute Decision Making*, Springer, section on simple additive weighting.
    """
    x, w, b = check_problem(matrix, weights, benefit)
    ok = _mask(x, b, must_have)
    out = np.full(x.shape[0], np.nan)
    if ok.any():
        out[ok] = normalise(x[ok], b, normalisation) @ w
    return out


@dataclass(frozen=True, eq=False)
class TopsisDetail(ArrayEq):
    """Every intermediate of a TOPSIS run (alternatives x criteria unless stated).

    Attributes
    ----------
    normalised
        r_ij = x_ij / sqrt(sum_i x_ij^2) (vector normalisation).
    weighted
        v_ij = w_j r_ij.
    ideal, anti_ideal
        Per criterion: v+_j = max_i v_ij for a benefit criterion (min for a cost one); v-_j the
        opposite.
    d_plus, d_minus
        Per alternative: Euclidean distances to the ideal and to the anti-ideal.
    closeness
        Per alternative: C_i = D-_i / (D+_i + D-_i) in [0, 1]; NaN when disqualified.
    """

    normalised: FloatArray
    weighted: FloatArray
    ideal: FloatArray
    anti_ideal: FloatArray
    d_plus: FloatArray
    d_minus: FloatArray
    closeness: FloatArray


def vector_normalise(x: FloatArray) -> FloatArray:
    """Columns divided by their Euclidean norm (an all-zero column stays zero)."""
    return _vector_normalise(x, None)


def _vector_normalise(x: FloatArray, q: BoolArray | None) -> FloatArray:
    sq = x * x if q is None else np.where(q, x * x, 0.0)
    norm = np.sqrt(np.sum(sq, axis=-2, keepdims=True))
    return np.asarray(x / np.where(norm > 0, norm, 1.0), dtype=float)


def ideal_points(r: FloatArray, benefit: BoolArray) -> tuple[FloatArray, FloatArray]:
    """Ideal and anti-ideal of a (weighted or unweighted) normalised matrix."""
    ideal, anti = _ideal_points(r, benefit, None)
    return ideal[..., 0, :], anti[..., 0, :]


def _ideal_points(
    r: FloatArray, benefit: BoolArray, q: BoolArray | None
) -> tuple[FloatArray, FloatArray]:
    hi = (r if q is None else np.where(q, r, -np.inf)).max(axis=-2, keepdims=True)
    lo = (r if q is None else np.where(q, r, np.inf)).min(axis=-2, keepdims=True)
    return np.where(benefit, hi, lo), np.where(benefit, lo, hi)


def _closeness(d_plus: FloatArray, d_minus: FloatArray) -> FloatArray:
    total = d_plus + d_minus
    # Every weighted criterion constant: each alternative is both ideal and anti-ideal; a tie.
    with np.errstate(invalid="ignore"):  # NaN rows are disqualified ones, masked by the caller
        return np.asarray(np.where(total > 0, d_minus / np.where(total > 0, total, 1.0), 0.5))


def _topsis_core(
    x: FloatArray, w: FloatArray, b: BoolArray, ok: BoolArray | None = None
) -> tuple[FloatArray, ...]:
    """TOPSIS along the alternatives axis (-2) of ``x`` (..., alternatives, criteria) with
    weights ``w`` (..., criteria), over the rows ``ok`` only: a matrix or a stack of draws."""
    q = None if ok is None else ok[..., None]
    r = _vector_normalise(x, q)
    v = r * w[..., None, :]
    ideal, anti = _ideal_points(v, b, q)
    dp = np.sqrt(np.sum((v - ideal) ** 2, axis=-1))
    dm = np.sqrt(np.sum((v - anti) ** 2, axis=-1))
    return r, v, ideal[..., 0, :], anti[..., 0, :], dp, dm, _closeness(dp, dm)


def batch_scores(
    X: FloatArray,
    W: FloatArray,
    benefit: BoolArray,
    *,
    method: str = "topsis",
    normalisation: str = "minmax",
    must_have: FloatArray | None = None,
) -> FloatArray:
    """Scores of every alternative in every draw: X (n × m × c) scores, W (n × c) weights summing
    to 1.

    The rules of :func:`topsis` and :func:`weighted_sum` (the same code, applied along the
    alternatives axis): alternatives failing a must-have threshold in a draw get NaN and are left
    out of that draw's normalisation and ideal points.
    """
    x = np.asarray(X, dtype=float)
    w = np.asarray(W, dtype=float)
    b = np.asarray(benefit, dtype=bool)
    if must_have is not None:
        t = np.asarray(must_have, dtype=float)
        has = ~np.isnan(t)
        fail = has & np.where(b, x < np.where(has, t, 0), x > np.where(has, t, 0))
        ok = ~fail.any(axis=-1)
    else:
        ok = np.ones(x.shape[:-1], dtype=bool)
    if method == "topsis":
        score = _topsis_core(x, w, b, ok)[-1]
    elif method == "weighted_sum":
        score = np.sum(_normalise(x, b, normalisation, ok) * w[..., None, :], axis=-1)
    else:
        raise ValueError(f"method: must be topsis or weighted_sum, got {method!r}")
    return np.asarray(np.where(ok, score, np.nan), dtype=float)


def topsis_detail(
    matrix: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike | Sequence[str],
    *,
    must_have: ArrayLike | None = None,
) -> TopsisDetail:
    """TOPSIS with every intermediate; see :func:`topsis` for the method.

    Disqualified alternatives (``must_have``) are removed before normalising; their rows are NaN.
    """
    x, w, b = check_problem(matrix, weights, benefit)
    if must_have is None:
        return TopsisDetail(*_topsis_core(x, w, b))
    ok = _mask(x, b, must_have)
    m, n = x.shape
    full = np.full((m, n), np.nan)
    normalised, weighted = full.copy(), full.copy()
    d_plus, d_minus, close = (np.full(m, np.nan) for _ in range(3))
    ideal = anti = np.full(n, np.nan)
    if ok.any():
        r, v, ideal, anti, dp, dm, c = _topsis_core(x[ok], w, b)
        normalised[ok], weighted[ok] = r, v
        d_plus[ok], d_minus[ok], close[ok] = dp, dm, c
    return TopsisDetail(normalised, weighted, ideal, anti, d_plus, d_minus, close)


def topsis(
    matrix: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike | Sequence[str],
    *,
    must_have: ArrayLike | None = None,
) -> FloatArray:
    """TOPSIS closeness coefficient of each alternative (Hwang & Yoon 1981).

    r_ij = x_ij / sqrt(sum_k x_kj^2) (vector normalisation), v_ij = w_j r_ij with w summing to 1;
    ideal v+_j = max_i v_ij for a benefit criterion and min_i v_ij for a cost criterion, the
    anti-ideal v-_j the opposite; D+_i = ||v_i - v+||, D-_i = ||v_i - v-||;
    C_i = D-_i / (D+_i + D-_i). Higher is better; C_i in [0, 1]. When every weighted criterion is
    constant (D+ = D- = 0) all alternatives tie at 0.5.

    Parameters
    ----------
    matrix
        Decision matrix, alternatives x criteria, in the criteria's own units.
    weights
        Non-negative criterion weights (any scale: C is invariant to rescaling all weights).
    benefit
        Per criterion, True (or ``"benefit"``) when more is better, False (``"cost"``) otherwise.
    must_have
        Optional per-criterion thresholds (NaN: none); failing alternatives get NaN and are left
        out of the normalisation and of the ideal points.

    Returns
    -------
    numpy.ndarray
        Closeness coefficients, one per alternative.

    References
    ----------
    Hwang, C.L. & Yoon, K. (1981), *Multiple Attribute Decision Making: Methods and
    Applications*, Springer, pp. 128-134.
    """
    if must_have is None:
        return _topsis_core(*check_problem(matrix, weights, benefit))[-1]
    return topsis_detail(matrix, weights, benefit, must_have=must_have).closeness


def rank_scores(scores: ArrayLike) -> NDArray[np.int64]:
    """Rank 1 = best (highest score) along the last axis; ties keep input order; NaN
    (disqualified) ranks last. A 2-D input ranks each row (each draw) on its own."""
    s = np.asarray(scores, dtype=float)
    key = np.where(np.isnan(s), -np.inf, s)
    order = np.argsort(-key, axis=-1, kind="stable")
    ranks = np.empty(s.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, np.broadcast_to(np.arange(1, s.shape[-1] + 1), s.shape), -1)
    return ranks
