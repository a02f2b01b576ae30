"""Analytic Hierarchy Process: criterion weights from pairwise judgements (Saaty 1977, 1980).

``a_ij`` says how much more important criterion i is than criterion j on Saaty's 1-9 scale; the
matrix must be positive and reciprocal (a_ji = 1/a_ij, a_ii = 1). Weights come from the principal
(Perron) eigenvector, or optionally from the row geometric means (Crawford & Williams 1985).
Consistency: CI = (lambda_max - n)/(n - 1), CR = CI / RI(n), with RI the random index table
(default: Saaty 1980); CR above 0.1 is flagged, and the judgement that departs most from the
weights is named so it can be revisited.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lmsdecide._lazy import lazy_module
from lmsdecide.results import ArrayEq

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

__all__ = [
    "AHP_METHODS",
    "CR_THRESHOLD",
    "RANDOM_INDEX",
    "AHPResult",
    "ahp_weights",
    "pairwise_matrix",
    "random_index",
]

FloatArray = NDArray[np.float64]

AHP_METHODS: tuple[str, ...] = ("eigenvector", "geometric_mean")

#: Saaty's threshold: a consistency ratio above 0.1 calls for the judgements to be revisited.
CR_THRESHOLD = 0.1

#: Random index tables: n -> mean consistency index of random reciprocal matrices.
RANDOM_INDEX: dict[str, dict[int, float]] = {
    # Saaty, T.L. (1980), The Analytic Hierarchy Process, McGraw-Hill, p. 21 (n = 1..10).
    # The same table as Saaty (1990), EJOR 48, 9-26, whose house example uses RI(8) = 1.41.
    "saaty1980": {
        1: 0.0,
        2: 0.0,
        3: 0.58,
        4: 0.90,
        5: 1.12,
        6: 1.24,
        7: 1.32,
        8: 1.41,
        9: 1.45,
        10: 1.49,
    },
    # Saaty, T.L. (2005), Theory and Applications of the Analytic Network Process, RWS, p. 31.
    "saaty2005": {
        1: 0.0,
        2: 0.0,
        3: 0.52,
        4: 0.89,
        5: 1.11,
        6: 1.25,
        7: 1.35,
        8: 1.40,
        9: 1.45,
        10: 1.49,
        11: 1.52,
        12: 1.54,
        13: 1.56,
        14: 1.58,
        15: 1.59,
    },
    # Donegan, H.A. & Dodd, F.J. (1991), "A note on Saaty's random indexes", Mathematical and
    # Computer Modelling 15(10), 135-137. Sizes between the tabulated ones are interpolated.
    "donegan_dodd": {
        1: 0.0,
        2: 0.0,
        3: 0.4914,
        4: 0.8286,
        5: 1.0591,
        6: 1.1797,
        7: 1.2519,
        8: 1.3171,
        9: 1.3733,
        10: 1.4055,
        11: 1.4213,
        12: 1.4497,
        13: 1.4643,
        14: 1.4822,
        15: 1.4969,
        16: 1.5078,
        17: 1.5153,
        18: 1.5262,
        19: 1.5313,
        20: 1.5371,
        25: 1.5619,
        30: 1.5772,
        40: 1.5976,
        50: 1.6102,
        60: 1.6178,
        70: 1.6237,
        80: 1.6277,
        90: 1.6213,
        100: 1.6339,
    },
}


def random_index(n: int, table: str = "saaty1980") -> float:
    """RI(n) from one of :data:`RANDOM_INDEX` (linear interpolation between tabulated sizes).

    Raises
    ------
    ValueError
        Unknown table, or ``n`` outside the table's range.
    """
    if table not in RANDOM_INDEX:
        raise ValueError(f"random_index: must be one of {', '.join(RANDOM_INDEX)}; got {table!r}")
    values = RANDOM_INDEX[table]
    if n in values:
        return values[n]
    sizes = sorted(values)
    if n < 1 or n > sizes[-1]:
        others = [k for k, v in RANDOM_INDEX.items() if max(v) >= n]
        hint = f"; use random_index={others[-1]!r}" if others else ""
        raise ValueError(
            f"pairwise: the {table} random index covers n <= {sizes[-1]}, got n = {n}{hint}"
        )
    return float(np.interp(n, sizes, [values[k] for k in sizes]))


@dataclass(frozen=True, eq=False)
class AHPResult(ArrayEq):
    """Weights and consistency of one pairwise comparison matrix.

    Attributes
    ----------
    pairwise
        The judgements a_ij (n x n).
    labels
        Names of the compared items.
    weights
        Priority vector, summing to 1.
    lambda_max
        Principal eigenvalue of the matrix (>= n; = n exactly when consistent).
    ci, ri, cr
        Consistency index (lambda_max - n)/(n - 1), random index RI(n), ratio CI/RI (0 when n <= 2).
    method, random_index_table
        How the weights were derived, and which RI table was used.
    errors
        e_ij = a_ij w_j / w_i: 1 where judgement (i, j) agrees with the weights.
    most_inconsistent
        (i, j) with i < j maximising |ln e_ij|, or None when n < 2.
    """

    pairwise: FloatArray
    labels: tuple[str, ...]
    weights: FloatArray
    lambda_max: float
    ci: float
    ri: float
    cr: float
    method: str
    random_index_table: str
    errors: FloatArray
    most_inconsistent: tuple[int, int] | None

    @property
    def consistent(self) -> bool:
        """True when CR <= 0.1 (Saaty's rule of thumb)."""
        return self.cr <= CR_THRESHOLD

    @property
    def flagged(self) -> bool:
        """True when CR > 0.1: the judgements should be revisited."""
        return not self.consistent

    @property
    def suggested_judgement(self) -> float | None:
        """The value w_i/w_j that would make the most inconsistent judgement agree."""
        if self.most_inconsistent is None:
            return None
        i, j = self.most_inconsistent
        return float(self.weights[i] / self.weights[j])

    def describe_most_inconsistent(self) -> str:
        """One sentence naming the judgement to revisit."""
        if self.most_inconsistent is None:
            return "a single item has no judgements"
        i, j = self.most_inconsistent
        a, b = self.labels[i], self.labels[j]
        return (
            f"{a} vs {b}: judged {self.pairwise[i, j]:.3g}, the weights imply "
            f"{self.suggested_judgement:.3g}"
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per judgement (i < j): the items, the judgement, implied ratio and error."""
        n = len(self.labels)
        iu, ju = np.triu_indices(n, 1)
        frame = pd.DataFrame(
            {
                "item": [self.labels[i] for i in iu],
                "versus": [self.labels[j] for j in ju],
                "judgement": self.pairwise[iu, ju],
                "implied": self.weights[iu] / self.weights[ju],
                "error": self.errors[iu, ju],
            }
        )
        frame["most_inconsistent"] = [
            (int(i), int(j)) == self.most_inconsistent for i, j in zip(iu, ju, strict=True)
        ]
        return frame

    def weights_frame(self) -> pd.DataFrame:
        """One row per item: label and weight."""
        return pd.DataFrame({"item": list(self.labels), "weight": self.weights})


def _check_pairwise(pairwise: ArrayLike, tol: float) -> FloatArray:
    a = np.asarray(pairwise, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] < 1:
        raise ValueError(f"pairwise: must be a non-empty square matrix, got shape {a.shape}")
    bad = ~np.isfinite(a) | (a <= 0)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ValueError(f"pairwise[{i}, {j}]: must be a positive finite number, got {a[i, j]}")
    diag = np.abs(np.diag(a) - 1.0) > tol
    if diag.any():
        i = int(np.argmax(diag))
        raise ValueError(f"pairwise[{i}, {i}]: the diagonal must be 1, got {a[i, i]}")
    product = a * a.T
    off = np.abs(product - 1.0) > tol
    if off.any():
        i, j = np.argwhere(off)[0]
        raise ValueError(
            f"pairwise[{i}, {j}]: must be reciprocal (pairwise[{j}, {i}] = 1/pairwise[{i}, {j}]), "
            f"got {a[i, j]:g} and {a[j, i]:g}"
        )
    return a


def _principal(a: FloatArray) -> tuple[float, FloatArray]:
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    v = np.abs(vectors[:, k].real)
    return float(values[k].real), v / v.sum()


def ahp_weights(
    pairwise: ArrayLike,
    method: str = "eigenvector",
    *,
    labels: Sequence[str] | None = None,
    random_index_table: str = "saaty1980",
    tol: float = 1e-3,
) -> AHPResult:
    """AHP priority weights and consistency of a reciprocal pairwise comparison matrix.

    Eigenvector method (Saaty 1977): A w = lambda_max w, w > 0, sum w = 1 (Perron vector).
    Geometric-mean method (Crawford & Williams 1985): w_i proportional to (prod_j a_ij)^(1/n);
    it coincides with the eigenvector for n <= 3 and for consistent matrices.
    Either way lambda_max is the principal eigenvalue of A (a property of the judgements), and
    CI = (lambda_max - n)/(n - 1), CR = CI / RI(n) (CR = 0 for n <= 2). Judgement (i, j) departs
    from the weights by e_ij = a_ij w_j / w_i; the most inconsistent judgement maximises
    |ln e_ij| over i < j.

    Parameters
    ----------
    pairwise
        n x n matrix of positive judgements with a_ii = 1 and a_ji = 1/a_ij.
    method
        ``"eigenvector"`` (default) or ``"geometric_mean"``.
    labels
        Names of the n items (default ``"1"``..``"n"``).
    random_index_table
        ``"saaty1980"`` (default; Saaty 1980, n <= 10), ``"saaty2005"`` (n <= 15) or
        ``"donegan_dodd"`` (Donegan & Dodd 1991, n <= 100).
    tol
        Absolute tolerance on a_ii = 1 and a_ij a_ji = 1 (allows 0.333 for 1/3).

    Raises
    ------
    ValueError
        Not square, not positive and finite, diagonal not 1, not reciprocal (naming the entry),
        unknown method or table.

    References
    ----------
    Saaty, T.L. (1977), "A scaling method for priorities in hierarchical structures", Journal of
    Mathematical Psychology 15, 234-281. Saaty, T.L. (1980), *The Analytic Hierarchy Process*.
    Crawford, G. & Williams, C. (1985), "A note on the analysis of subjective judgment matrices",
    Journal of Mathematical Psychology 29, 387-405.
    """
    if method not in AHP_METHODS:
        raise ValueError(f"method: must be one of {', '.join(AHP_METHODS)}; got {method!r}")
    if tol < 0 or not np.isfinite(tol):
        raise ValueError(f"tol: must be a non-negative number, got {tol}")
    a = _check_pairwise(pairwise, tol)
    n = a.shape[0]
    names = (
        tuple(str(x) for x in labels) if labels is not None else tuple(str(i + 1) for i in range(n))
    )
    if len(names) != n:
        raise ValueError(f"labels: must name each of the {n} items, got {len(names)}")
    ri = random_index(n, random_index_table)
    lam, w_eig = _principal(a)
    if method == "eigenvector":
        w = w_eig
    else:
        g = np.exp(np.mean(np.log(a), axis=1))
        w = g / g.sum()
    if abs(lam - n) <= 1e-9 * n:  # lambda_max >= n always (Saaty 1977); remove rounding noise
        lam = float(n)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    cr = ci / ri if n > 2 and ri > 0 else 0.0
    errors = a * w[None, :] / w[:, None]
    most: tuple[int, int] | None = None
    if n >= 2:
        iu, ju = np.triu_indices(n, 1)
        k = int(np.argmax(np.abs(np.log(errors[iu, ju]))))
        most = (int(iu[k]), int(ju[k]))
    return AHPResult(
        pairwise=a,
        labels=names,
        weights=w,
        lambda_max=lam,
        ci=float(ci),
        ri=float(ri),
        cr=float(cr),
        method=method,
        random_index_table=random_index_table,
        errors=errors,
        most_inconsistent=most,
    )


def pairwise_matrix(
    labels: Sequence[str], judgements: Mapping[tuple[str, str], float]
) -> FloatArray:
    """Build a reciprocal matrix from judgements ``{(a, b): how much more a matters than b}``.

    Missing pairs default to 1 (equal importance); a pair given both ways must be reciprocal.

    Raises
    ------
    ValueError
        Unknown label, non-positive judgement, or a pair given twice inconsistently.
    """
    index = {label: k for k, label in enumerate(labels)}
    if len(index) != len(labels):
        raise ValueError(f"labels: must be unique, got {list(labels)}")
    a = np.ones((len(labels), len(labels)))
    seen: dict[tuple[int, int], float] = {}
    for (x, y), value in judgements.items():
        for name in (x, y):
            if name not in index:
                raise ValueError(f"judgements: unknown item {name!r}; known: {', '.join(labels)}")
        v = float(value)
        if not np.isfinite(v) or v <= 0:
            raise ValueError(f"judgements[{x!r}, {y!r}]: must be a positive number, got {value}")
        i, j = index[x], index[y]
        if i == j:
            if v != 1:
                raise ValueError(f"judgements[{x!r}, {y!r}]: an item against itself must be 1")
            continue
        key, val = ((i, j), v) if i < j else ((j, i), 1.0 / v)
        if key in seen and not np.isclose(seen[key], val):
            raise ValueError(f"judgements[{x!r}, {y!r}]: contradicts the reverse judgement")
        seen[key] = val
        a[key] = val
        a[key[::-1]] = 1.0 / val
    return a
