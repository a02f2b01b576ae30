"""Weight sensitivity and "whose weights win": pure cores on arrays.

Weight sensitivity (one criterion at a time): w_j moves to t, the others keep their proportions,
w_k(t) = w_k (1 - t)/(1 - w_j). This is the segment w(t) = (1 - t) u + t e_j (u: the weights with
w_j removed and rescaled; e_j: all weight on j), passing through the current weights at t = w_j;
the interval of t around w_j on which the top choice stays the same is read off the exact path of
:func:`~lmsdecide.partner.paths.top_choice_path`.

Whose weights win: department d has criteria weights W_d (rescaled to sum to 1) and a drive share
a_d (from :func:`lmsdecide.influence.who_drives`). Effective weights w = sum_d a_d W_d / sum_d a_d.
The learning group L (functions ``learning`` and ``hr``) holds share s = sum_{d in L} a_d; with
w_L and w_O the share-weighted averages within L and within the others, w = s w_L + (1 - s) w_O.
Holding the proportions inside each group fixed, this is a one-parameter family in the learning
share s; the top choice along it, and the share at which it flips, are solved exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lmsdecide.partner.mcda import check_problem, qualifies
from lmsdecide.partner.paths import TopChoicePathResult, score_along, top_choice_path
from lmsdecide.results import ArrayEq

__all__ = [
    "CriterionInterval",
    "ShareFamilyResult",
    "criterion_intervals",
    "effective_weights",
    "share_family",
]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class CriterionInterval:
    """How far one criterion's weight can move before the top choice changes.

    ``lower``/``upper`` bound the weight (on the 0-1 scale of weights summing to 1);
    ``below``/``above`` are the alternatives that take over beyond each end (None when the bound
    is 0 or 1 and nothing takes over).
    """

    criterion: int
    weight: float
    lower: float
    upper: float
    below: int | None
    above: int | None


def _unit(w: FloatArray) -> FloatArray:
    return np.asarray(w / w.sum())


def criterion_intervals(
    matrix: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike | Sequence[str],
    *,
    method: str = "topsis",
    normalisation: str = "minmax",
    must_have: ArrayLike | None = None,
) -> tuple[int, list[CriterionInterval]]:
    """The top alternative and, per criterion, the weight interval that keeps it on top.

    For criterion j the weights move along w_j = t, w_k = w_k (1 - t)/(1 - w_j) (k != j). When
    every other weight is zero, the others share 1 - t equally. Breakpoints are solved exactly
    (see :mod:`lmsdecide.partner.paths`).

    Returns
    -------
    (top, intervals)
        Index of the current top alternative (-1 when none qualifies) and one
        :class:`CriterionInterval` per criterion.
    """
    x, w, b = check_problem(matrix, weights, benefit)
    ok = np.ones(x.shape[0], bool) if must_have is None else qualifies(x, b, must_have)
    n = x.shape[1]
    out: list[CriterionInterval] = []
    top = -1
    if ok.any():
        now = score_along(
            x, b, w, w, np.zeros(1), method=method, normalisation=normalisation, qualified=ok
        )[0]
        top = int(np.argmax(np.where(np.isnan(now), -np.inf, now)))
    for j in range(n):
        e = np.zeros(n)
        e[j] = 1.0
        rest = w.copy()
        rest[j] = 0.0
        if rest.sum() <= 0:
            rest = np.where(np.arange(n) == j, 0.0, 1.0)
        if n == 1:
            rest = e.copy()
        path = top_choice_path(
            x, b, _unit(rest), e, method=method, normalisation=normalisation, qualified=ok
        )
        t0 = float(w[j])
        lo, hi, below, above = _interval(path, t0, top)
        out.append(CriterionInterval(j, t0, lo, hi, below, above))
    return top, out


def _interval(
    path: TopChoicePathResult, t0: float, top: int
) -> tuple[float, float, int | None, int | None]:
    """The piece of ``path`` around ``t0`` on which ``top`` leads, and who leads beyond it.

    When ``top`` leads only by a tie at ``t0`` itself (the current weights sit on a breakpoint
    or every score is equal there), the interval is the single point ``t0``.
    """
    edges = np.concatenate(([0.0], path.breakpoints, [1.0]))
    tops = path.tops
    k = int(np.searchsorted(path.breakpoints, t0, side="right"))
    at_edge = k > 0 and abs(t0 - edges[k]) <= 1e-12
    if tops[k] == top:
        before = tops[k - 1] if k > 0 else None
        after = tops[k + 1] if k + 1 < len(tops) else None
        return float(edges[k]), float(edges[k + 1]), before, after
    if at_edge and tops[k - 1] == top:
        before = tops[k - 2] if k > 1 else None
        return float(edges[k - 1]), float(edges[k]), before, tops[k]
    left = tops[k - 1] if at_edge else (tops[k] if t0 > 0 else None)
    return t0, t0, left, tops[k] if t0 < 1 else None


@dataclass(frozen=True, eq=False)
class ShareFamilyResult(ArrayEq):
    """Effective weights as a function of the learning share, and the exact top-choice path.

    Attributes
    ----------
    learning_weights, other_weights
        w_L and w_O (each summing to 1): the share-weighted average weights inside the learning
        group and inside the others (equal averaging inside a group whose shares are all zero).
    share
        The actual learning share s0 among departments with stated weights.
    effective
        w(s0) = s0 w_L + (1 - s0) w_O.
    path
        Top alternative along s in [0, 1] (s = 0: the others alone; s = 1: learning alone).
    """

    learning_weights: FloatArray
    other_weights: FloatArray
    share: float
    effective: FloatArray
    path: TopChoicePathResult


def effective_weights(department_weights: ArrayLike, share: ArrayLike) -> FloatArray:
    """Criteria weights averaged over departments by drive share: w = sum_d a_d W_d / sum_d a_d.

    Each department's row is first rescaled to sum to 1; rows that are all zero (no stated
    weights) are left out and the remaining shares renormalised.

    Raises
    ------
    ValueError
        Shapes that do not match, negative or non-finite values, or no department with both a
        positive share and stated weights.
    """
    wd, a = _check_departments(department_weights, share)
    rows = wd.sum(axis=1) > 0
    use = rows & (a > 0)
    if not use.any():
        raise ValueError("share: no department has both a positive share and stated weights")
    unit = wd[use] / wd[use].sum(axis=1, keepdims=True)
    return np.asarray(a[use] @ unit / a[use].sum())


def _check_departments(
    department_weights: ArrayLike, share: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    wd = np.asarray(department_weights, dtype=float)
    a = np.asarray(share, dtype=float)
    if wd.ndim != 2:
        raise ValueError(
            f"department_weights: must be 2-D (departments x criteria), got {wd.shape}"
        )
    if a.shape != (wd.shape[0],):
        raise ValueError(
            f"share: must have one entry per department ({wd.shape[0]}), got shape {a.shape}"
        )
    for name, arr in (("department_weights", wd), ("share", a)):
        bad = ~np.isfinite(arr) | (arr < 0)
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(
                f"{name}{list(where)}: must be finite and non-negative, got {arr[where]}"
            )
    return wd, a


def _group_average(unit: FloatArray, a: FloatArray) -> FloatArray | None:
    if unit.shape[0] == 0:
        return None
    if a.sum() > 0:
        # shares normalised first: a tiny (subnormal) share times a weight would underflow to 0
        return np.asarray((a / a.sum()) @ unit)
    return np.asarray(unit.mean(axis=0))


def share_family(
    matrix: ArrayLike,
    benefit: ArrayLike | Sequence[str],
    department_weights: ArrayLike,
    share: ArrayLike,
    is_learning: ArrayLike,
    *,
    method: str = "topsis",
    normalisation: str = "minmax",
    must_have: ArrayLike | None = None,
) -> ShareFamilyResult:
    """The learning-share family of effective weights and its exact top-choice path.

    w(s) = s w_L + (1 - s) w_O, where w_L (w_O) is the drive-share-weighted average of the
    learning (other) departments' unit-sum weights; departments without stated weights are left
    out. The actual learning share is s0 = sum_{L} a_d / sum_d a_d over the departments kept.
    When a group is empty its weights are taken equal to the other group's (the family is then
    constant and nothing flips).

    Raises
    ------
    ValueError
        As :func:`effective_weights`, or ``is_learning`` of the wrong length.
    """
    wd, a = _check_departments(department_weights, share)
    learn = np.asarray(is_learning, dtype=bool)
    if learn.shape != a.shape:
        raise ValueError(
            f"is_learning: must have one entry per department, got shape {learn.shape}"
        )
    x = np.asarray(matrix, dtype=float)
    rows = wd.sum(axis=1) > 0
    if not rows.any():
        raise ValueError("department_weights: no department states any criteria weights")
    unit = np.zeros_like(wd)
    unit[rows] = wd[rows] / wd[rows].sum(axis=1, keepdims=True)
    in_l, in_o = rows & learn, rows & ~learn
    w_l = _group_average(unit[in_l], a[in_l])
    w_o = _group_average(unit[in_o], a[in_o])
    if w_l is None:
        assert w_o is not None
        w_l = w_o
    if w_o is None:
        w_o = w_l
    total = a[rows].sum()
    s0 = float(a[in_l].sum() / total) if total > 0 else float(in_l.sum() / rows.sum())
    effective = s0 * w_l + (1 - s0) * w_o
    _, _, b = check_problem(x, effective, benefit)
    ok = np.ones(x.shape[0], bool) if must_have is None else qualifies(x, b, must_have)
    path = top_choice_path(x, b, w_o, w_l, method=method, normalisation=normalisation, qualified=ok)
    return ShareFamilyResult(w_l, w_o, s0, np.asarray(effective), path)


def __getattr__(name: str) -> object:
    """The result classes' old names: deprecated aliases of the new ones (CHANGELOG.md)."""
    from lmsdecide._deprecated import renamed

    return renamed(__name__, name)
