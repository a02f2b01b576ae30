"""The top choice along a segment of weight vectors, solved exactly (not sampled).

Both "weight sensitivity" and "whose weights win" ask the same question: as the weights move
along w(s) = (1 - s) w0 + s w1 for s in [0, 1], where does the top-ranked alternative change?

Weighted sum: S_i(s) = r_i . w(s) is linear in s, so two alternatives swap at most once, where
S_i(s) = S_k(s) (one linear root). TOPSIS: with vector normalisation fixed and w(s) >= 0, the
weighted ideal is v+_j = w_j(s) r+_j, so D+_i(s)^2 = sum_j w_j(s)^2 (r_ij - r+_j)^2 is a
quadratic in s (likewise D-_i(s)^2). C_i = C_k  <=>  D-_i D+_k = D-_k D+_i  <=>  (both sides are
non-negative) D-_i^2 D+_k^2 - D-_k^2 D+_i^2 = 0: a quartic in s. The real roots in (0, 1) of
every pair's polynomial are the only places where the order can change; the top choice is
constant between consecutive roots (checked at the midpoints), and each change is polished with
Brent's method on the bracket between the neighbouring midpoints, where the two scores swap sign.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from lmsdecide.partner.mcda import ideal_points, normalise, vector_normalise
from lmsdecide.results import ArrayEq

__all__ = ["METHODS", "TopChoicePathResult", "score_along", "top_choice_path"]

FloatArray = NDArray[np.float64]
METHODS: tuple[str, ...] = ("topsis", "weighted_sum")
_ROOT_TOL = 1e-12
#: Half-width of the first bracket tried around a candidate root (see ``_polish``).
_NEAR = 1e-7


@dataclass(frozen=True, eq=False)
class TopChoicePathResult(ArrayEq):
    """Top alternative on each piece of [0, 1].

    Attributes
    ----------
    breakpoints
        Sorted values of s in (0, 1) where the top alternative changes.
    tops
        Index (into the full list of alternatives) of the top one on each piece:
        ``len(tops) == len(breakpoints) + 1``; -1 when no alternative qualifies.
    """

    breakpoints: FloatArray
    tops: tuple[int, ...]

    def top_at(self, s: float) -> int:
        """Top alternative at ``s`` (at a breakpoint, the one after it)."""
        return self.tops[int(np.searchsorted(self.breakpoints, s, side="right"))]

    def piece_containing(self, s: float) -> tuple[float, float]:
        """The interval [lo, hi] of the piece containing ``s``."""
        k = int(np.searchsorted(self.breakpoints, s, side="right"))
        edges = np.concatenate(([0.0], self.breakpoints, [1.0]))
        return float(edges[k]), float(edges[k + 1])


class _Scorer:
    """Scores of the qualified alternatives as a function of s (for evaluation and polishing)."""

    def __init__(
        self,
        x: FloatArray,
        benefit: NDArray[np.bool_],
        w0: FloatArray,
        w1: FloatArray,
        method: str,
        normalisation: str,
    ) -> None:
        self.method = method
        self.w0, self.dw = w0, w1 - w0
        if method == "weighted_sum":
            self.r = normalise(x, benefit, normalisation)
        elif method == "topsis":
            r = vector_normalise(x)
            best, worst = ideal_points(r, benefit)
            self.dp, self.dm = (r - best) ** 2, (r - worst) ** 2
        else:
            raise ValueError(f"method: must be one of {', '.join(METHODS)}; got {method!r}")

    def weights(self, s: float | FloatArray) -> FloatArray:
        s_arr = np.asarray(s, dtype=float)[..., None]
        w = self.w0 + s_arr * self.dw
        return np.asarray(w / w.sum(axis=-1, keepdims=True))

    def scores(self, s: float | FloatArray) -> FloatArray:
        """Scores at ``s``: shape (..., alternatives)."""
        w = self.weights(s)
        if self.method == "weighted_sum":
            return np.asarray(w @ self.r.T)
        w2 = w * w
        d_plus, d_minus = np.sqrt(w2 @ self.dp.T), np.sqrt(w2 @ self.dm.T)
        total = d_plus + d_minus
        return np.asarray(np.where(total > 0, d_minus / np.where(total > 0, total, 1.0), 0.5))

    def crossings(self) -> FloatArray:
        """Every s in (0, 1) where two alternatives' scores are equal (candidate breakpoints)."""
        a, b = self.w0, self.dw
        if self.method == "weighted_sum":
            c0, c1 = self.r @ a, self.r @ b  # S_i(s) = c0_i + s c1_i (weights sum to 1 along s)
            d0 = c0[:, None] - c0[None, :]
            d1 = c1[:, None] - c1[None, :]
            iu, ju = np.triu_indices(c0.shape[0], 1)
            d0, d1 = d0[iu, ju], d1[iu, ju]
            nz = np.abs(d1) > 1e-15
            roots = -d0[nz] / d1[nz]
            return np.asarray(roots[(roots > 0) & (roots < 1)])
        # TOPSIS: D^2(s) = q0 + q1 s + q2 s^2 for each alternative.
        quad = np.stack([a * a, 2 * a * b, b * b], axis=1)  # criteria x 3
        p = self.dp @ quad  # alternatives x 3 (D+^2)
        m = self.dm @ quad  # alternatives x 3 (D-^2)
        found: list[float] = []
        n_alt = p.shape[0]
        for i in range(n_alt):
            for k in range(i + 1, n_alt):
                poly = _polymul(m[i], p[k]) - _polymul(m[k], p[i])
                scale = np.max(np.abs(np.concatenate([_polymul(m[i], p[k]), _polymul(m[k], p[i])])))
                if scale == 0 or np.max(np.abs(poly)) <= 1e-13 * scale:
                    continue  # identical along the whole segment
                coeffs = np.trim_zeros(np.where(np.abs(poly) > 1e-15 * scale, poly, 0.0), "b")
                if coeffs.shape[0] < 2:
                    continue
                roots = np.polynomial.polynomial.polyroots(coeffs)
                real = roots[np.abs(roots.imag) <= 1e-7].real
                found.extend(float(r) for r in real if 0 < r < 1)
        return np.asarray(found, dtype=float)


def _polymul(x: FloatArray, y: FloatArray) -> FloatArray:
    """Product of two quadratics given as increasing-order coefficients (a quartic)."""
    return np.asarray(np.convolve(x, y))


def _dedupe(values: FloatArray) -> FloatArray:
    v = np.sort(values)
    if v.size == 0:
        return v
    keep = np.concatenate(([True], np.diff(v) > 1e-10))
    return np.asarray(v[keep])


def top_choice_path(
    matrix: FloatArray,
    benefit: NDArray[np.bool_],
    w0: FloatArray,
    w1: FloatArray,
    *,
    method: str = "topsis",
    normalisation: str = "minmax",
    qualified: NDArray[np.bool_] | None = None,
) -> TopChoicePathResult:
    """The top alternative along w(s) = (1 - s) w0 + s w1, s in [0, 1], with exact breakpoints.

    Parameters
    ----------
    matrix, benefit
        The decision problem (alternatives x criteria), as for :func:`~lmsdecide.partner.topsis`.
    w0, w1
        Non-negative weight vectors at s = 0 and s = 1 (each rescaled to sum to 1 first, so the
        whole segment is a convex combination of normalised weights).
    method
        ``"topsis"`` or ``"weighted_sum"``.
    normalisation
        Weighted-sum normalisation (``"minmax"`` or ``"linear"``); ignored by TOPSIS.
    qualified
        Mask of alternatives that pass the must-haves (default: all); others never rank.

    Returns
    -------
    TopChoicePathResult
        Breakpoints (solved, to ~1e-12) and the top alternative on each piece.
    """
    x = np.asarray(matrix, dtype=float)
    ok = np.ones(x.shape[0], dtype=bool) if qualified is None else np.asarray(qualified, bool)
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return TopChoicePathResult(np.empty(0), (-1,))
    a = np.asarray(w0, dtype=float) / float(np.sum(w0))
    b = np.asarray(w1, dtype=float) / float(np.sum(w1))
    scorer = _Scorer(x[idx], np.asarray(benefit, bool), a, b, method, normalisation)
    if idx.size == 1:
        return TopChoicePathResult(np.empty(0), (int(idx[0]),))
    cuts = _dedupe(scorer.crossings())
    edges = np.concatenate(([0.0], cuts, [1.0]))
    # Evaluate at the midpoints of the pieces (and at the ends, where a piece is a point).
    probes = np.concatenate(([0.0], (edges[:-1] + edges[1:]) / 2, [1.0]))
    tops_local = np.argmax(scorer.scores(probes), axis=1)
    mids = tops_local[1:-1]
    breakpoints: list[float] = []
    tops: list[int] = [int(mids[0])]
    for k in range(1, mids.shape[0]):
        if mids[k] == tops[-1]:
            continue
        lo, hi = (edges[k - 1] + edges[k]) / 2, (edges[k] + edges[k + 1]) / 2
        before, after = tops[-1], int(mids[k])
        at = _polish(scorer.scores, before, after, lo, hi, float(edges[k]))
        # a tie exactly at an end of the segment is not a change of leader inside it: the
        # leader there is whichever the tie-break picks, on a piece of zero length
        if at >= 1.0:
            break
        if at <= 0.0:
            tops[-1] = after
            continue
        breakpoints.append(at)
        tops.append(after)
    return TopChoicePathResult(
        np.asarray(breakpoints, dtype=float), tuple(int(idx[t]) for t in tops)
    )


def _polish(
    scores: Callable[[float], FloatArray], a: int, b: int, lo: float, hi: float, guess: float
) -> float:
    """Root of score_a - score_b on [lo, hi] (a leads at lo, b at hi), to ``_ROOT_TOL``.

    Bisection: the bracket halves at each step, so at most 41 steps take a bracket of length
    1 below 1e-12, and 18 the bracket of 2e-7 around ``guess`` when it holds the root. Brent's
    method (``scipy.optimize.brentq``) needs fewer evaluations, but its import (0.5 s) would
    come first on the Workshop's and the partner dashboard's first screen, and an evaluation
    here costs microseconds.
    """

    def diff(s: float) -> float:
        v = scores(s)
        return float(v[a] - v[b])

    f_lo, f_hi = diff(lo), diff(hi)
    if f_lo == 0:
        return lo
    if f_hi == 0:
        return hi
    if f_lo * f_hi > 0:  # pragma: no cover - a tie exactly at the probe; keep the root estimate
        return guess
    # the candidate root (``guess``, from the polynomial) is usually within 1e-7 of the
    # crossing: start from there when it brackets the change of sign (18 halvings, not 41)
    near_lo, near_hi = max(lo, guess - _NEAR), min(hi, guess + _NEAR)
    if near_lo < near_hi:
        f_near_lo, f_near_hi = diff(near_lo), diff(near_hi)
        if f_near_lo * f_near_hi < 0 and (f_near_lo > 0) == (f_lo > 0):
            lo, hi, f_lo = near_lo, near_hi, f_near_lo
    while hi - lo > _ROOT_TOL:
        mid = 0.5 * (lo + hi)
        f_mid = diff(mid)
        if f_mid == 0:
            return mid
        if (f_mid > 0) == (f_lo > 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def score_along(
    matrix: FloatArray,
    benefit: NDArray[np.bool_],
    w0: FloatArray,
    w1: FloatArray,
    s: FloatArray,
    *,
    method: str = "topsis",
    normalisation: str = "minmax",
    qualified: NDArray[np.bool_] | None = None,
) -> FloatArray:
    """Scores of every alternative at each s (rows), NaN for disqualified ones (for curves)."""
    x = np.asarray(matrix, dtype=float)
    ok = np.ones(x.shape[0], dtype=bool) if qualified is None else np.asarray(qualified, bool)
    s_arr = np.asarray(s, dtype=float)
    out = np.full((s_arr.shape[0], x.shape[0]), np.nan)
    if ok.any():
        a = np.asarray(w0, dtype=float) / float(np.sum(w0))
        b = np.asarray(w1, dtype=float) / float(np.sum(w1))
        scorer = _Scorer(x[ok], np.asarray(benefit, bool), a, b, method, normalisation)
        out[:, ok] = scorer.scores(s_arr)
    return out


def __getattr__(name: str) -> object:
    """The result classes' old names: deprecated aliases of the new ones (CHANGELOG.md)."""
    from lmsdecide._deprecated import renamed

    return renamed(__name__, name)
