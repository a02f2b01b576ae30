"""Group judgements from the room: pure functions, no I/O.

- **Spread** per item: median and interquartile range over participants (numpy's linear
  quantiles, type 7 of Hyndman & Fan 1996), unanswered values (NaN) left out.
- **Criteria weights**: aggregation of individual judgements (AIJ, the element-wise geometric
  mean of the pairwise matrices, then the priority vector of the group matrix) or aggregation of
  individual priorities (AIP, the mean of each participant's priority vector). Forman, E. &
  Peniwati, K. (1998), "Aggregating individual judgments and priorities with the Analytic
  Hierarchy Process", EJOR 108(1), 165-169: AIJ needs the geometric mean (it alone keeps the
  reciprocal property and the Pareto principle); for AIP both the geometric and the arithmetic
  mean are acceptable.
- **Consistency**: each participant's consistency ratio from
  :func:`lmsdecide.partner.ahp.ahp_weights`, flagged above 0.1 (Saaty 1980).
- **Consensus**: Goepel's AHP consensus indicator (Goepel, K.D. 2013, "Implementing the
  Analytic Hierarchy Process as a standard method for multi-criteria decision making in
  corporate enterprises", Proc. ISAHP 2013, Kuala Lumpur), from the Shannon alpha, beta and gamma
  entropies of the participants' priorities (Jost 2006, "Entropy and diversity", Oikos 113):
  relative homogeneity S = 1/exp(H_beta), mapped onto 0..1 by
  S* = (S - D_alpha,min/D_gamma,max) / (1 - D_alpha,min/D_gamma,max), with D_gamma,max = n and
  D_alpha,min = exp of the entropy of the most extreme priority vector the 1..M scale allows
  (one criterion M times more important than every other). Bands (Goepel's word scale, BPMSG):
  below 0.5 very low, 0.5-0.625 low, 0.625-0.75 moderate, 0.75-0.875 high, above 0.875 very high.
- **Delphi movement**: how far each participant's answers moved between two rounds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numpy.typing import ArrayLike

from lmsdecide.partner.ahp import CR_THRESHOLD, ahp_weights
from lmsdecide.results import ArrayEq

__all__ = [
    "AGGREGATIONS",
    "CONSENSUS_BANDS",
    "Consensus",
    "DelphiMovement",
    "GroupWeights",
    "Spread",
    "ahp_consensus",
    "consensus_band",
    "delphi_movement",
    "group_weights",
    "spread",
]

FloatArray = npt.NDArray[np.float64]

AGGREGATIONS: tuple[str, ...] = ("aij", "aip")

#: Goepel's word scale for the AHP consensus indicator: (lower bound, word), ascending.
CONSENSUS_BANDS: tuple[tuple[float, str], ...] = (
    (0.0, "very low"),
    (0.5, "low"),
    (0.625, "moderate"),
    (0.75, "high"),
    (0.875, "very high"),
)


@dataclass(frozen=True, eq=False)
class Spread(ArrayEq):
    """Median and quartiles per item (columns) over participants (rows); NaN if none answered."""

    median: FloatArray
    q25: FloatArray
    q75: FloatArray
    count: npt.NDArray[np.int64]

    @property
    def iqr(self) -> FloatArray:
        """Interquartile range q75 - q25 per item."""
        return self.q75 - self.q25


def spread(values: ArrayLike) -> Spread:
    """Median, 25th and 75th percentiles of each column, ignoring NaN (unanswered).

    Parameters
    ----------
    values
        participants x items; NaN where a participant did not answer.
    """
    x = np.asarray(values, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"values: must be participants x items (2-D), got shape {x.shape}")
    count = np.sum(~np.isnan(x), axis=0).astype(np.int64)
    q = np.full((3, x.shape[1]), np.nan)
    has = count > 0
    if has.any():
        q[:, has] = np.nanquantile(x[:, has], [0.25, 0.5, 0.75], axis=0)
    return Spread(median=q[1], q25=q[0], q75=q[2], count=count)


def _geometric_mean(x: FloatArray, axis: int) -> FloatArray:
    return np.asarray(np.exp(np.mean(np.log(x), axis=axis)), dtype=float)


@dataclass(frozen=True, eq=False)
class GroupWeights(ArrayEq):
    """The group's criteria weights and each participant's.

    Attributes
    ----------
    labels
        Criteria.
    method
        ``aij`` or ``aip``.
    weights
        The group's weights (sum 1).
    individual
        participants x criteria: each participant's priority vector (eigenvector method).
    cr
        Each participant's consistency ratio.
    flagged
        True where CR > 0.1: the participant's judgements should be revisited.
    group_cr
        CR of the geometric-mean matrix (AIJ; reported for AIP too).
    consensus
        Goepel's consensus indicator over the individual priorities.
    """

    labels: tuple[str, ...]
    method: str
    weights: FloatArray
    individual: FloatArray
    cr: FloatArray
    flagged: npt.NDArray[np.bool_]
    group_cr: float
    consensus: Consensus


def group_weights(
    matrices: ArrayLike,
    *,
    method: str = "aij",
    aip_mean: str = "arithmetic",
    labels: tuple[str, ...] | None = None,
    scale_max: float = 9.0,
) -> GroupWeights:
    """Criteria weights of a group from each participant's reciprocal pairwise matrix.

    AIJ: A_g[i, j] = (prod_k a_k[i, j])^(1/K), weights = principal eigenvector of A_g.
    AIP: weights = mean over k of w_k (``aip_mean`` arithmetic or geometric, renormalised).

    Parameters
    ----------
    matrices
        K x n x n positive reciprocal matrices (one per participant).
    method
        ``aij`` (default) or ``aip`` (Forman & Peniwati 1998).
    aip_mean
        ``arithmetic`` or ``geometric`` mean of the priorities for AIP.
    labels
        Criteria names.
    scale_max
        Largest judgement of the scale (9 for Saaty's), for the consensus indicator.

    Raises
    ------
    ValueError
        No matrices, a matrix that is not positive reciprocal, an unknown method.
    """
    if method not in AGGREGATIONS:
        raise ValueError(f"method: must be one of {', '.join(AGGREGATIONS)}; got {method!r}")
    if aip_mean not in ("arithmetic", "geometric"):
        raise ValueError(f"aip_mean: must be arithmetic or geometric; got {aip_mean!r}")
    a = np.asarray(matrices, dtype=float)
    if a.ndim != 3 or a.shape[0] < 1 or a.shape[1] != a.shape[2]:
        raise ValueError(f"matrices: must be K x n x n with K >= 1, got shape {a.shape}")
    n = a.shape[1]
    names = labels or tuple(f"c{i + 1}" for i in range(n))
    results = [ahp_weights(m, labels=names) for m in a]  # validates each matrix
    individual = np.array([r.weights for r in results], dtype=float).reshape(len(results), n)
    cr = np.array([r.cr for r in results], dtype=float)
    group = ahp_weights(_geometric_mean(a, axis=0), labels=names)
    if method == "aij":
        weights = group.weights
    elif aip_mean == "arithmetic":
        weights = individual.mean(axis=0)
    else:
        g = _geometric_mean(individual, axis=0)
        weights = g / g.sum()
    return GroupWeights(
        labels=tuple(names),
        method=method,
        weights=np.asarray(weights, dtype=float),
        individual=individual,
        cr=cr,
        flagged=cr > CR_THRESHOLD,
        group_cr=float(group.cr),
        consensus=ahp_consensus(individual, scale_max=scale_max),
    )


@dataclass(frozen=True)
class Consensus:
    """Goepel's AHP consensus indicator and the entropies it is built from (natural logs)."""

    value: float  # S*, 0 (no consensus) .. 1 (identical priorities)
    band: str
    homogeneity: float  # S = 1/exp(H_beta)
    h_alpha: float
    h_beta: float
    h_gamma: float


def consensus_band(value: float) -> str:
    """Goepel's word for a consensus value (see :data:`CONSENSUS_BANDS`)."""
    word = CONSENSUS_BANDS[0][1]
    for low, name in CONSENSUS_BANDS:
        if value >= low:
            word = name
    return word


def _entropy(p: FloatArray) -> FloatArray:
    """Shannon entropy (nats) of each row; 0 ln 0 = 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log(p), 0.0)
    return np.asarray(terms.sum(axis=-1), dtype=float)


def ahp_consensus(priorities: ArrayLike, *, scale_max: float = 9.0) -> Consensus:
    """Goepel's (2013) AHP consensus indicator of K participants' priority vectors.

    H_alpha = mean_k H(w_k); H_gamma = H(mean_k w_k); H_beta = H_gamma - H_alpha;
    S = exp(-H_beta); S* = (S - D_a/D_g) / (1 - D_a/D_g) with D_g = n and D_a = exp H(w_ext),
    w_ext = (M, 1, ..., 1)/(M + n - 1), M = ``scale_max``. Clipped to [0, 1]. One participant,
    or a single criterion, gives 1.

    Parameters
    ----------
    priorities
        K x n, each row a priority vector (non-negative, summing to 1).
    scale_max
        M: the largest judgement of the scale (9 for Saaty's).
    """
    w = np.asarray(priorities, dtype=float)
    if w.ndim != 2 or w.shape[0] < 1 or w.shape[1] < 1:
        raise ValueError(f"priorities: must be K x n with K, n >= 1, got shape {w.shape}")
    if np.any(~np.isfinite(w)) or np.any(w < 0):
        raise ValueError("priorities: must be finite and non-negative")
    if not np.allclose(w.sum(axis=1), 1.0, atol=1e-6):
        raise ValueError("priorities: each row must sum to 1")
    if scale_max <= 1:
        raise ValueError(f"scale_max: must be above 1, got {scale_max}")
    n = w.shape[1]
    h_alpha = float(_entropy(w).mean())
    h_gamma = float(_entropy(w.mean(axis=0)))
    h_beta = max(h_gamma - h_alpha, 0.0)  # >= 0 by concavity; clip round-off
    s = float(np.exp(-h_beta))
    if n == 1:
        value = 1.0
    else:
        extreme = np.array([scale_max, *([1.0] * (n - 1))]) / (scale_max + n - 1)
        ratio = float(np.exp(_entropy(extreme))) / n  # D_alpha,min / D_gamma,max
        value = float(np.clip((s - ratio) / (1 - ratio), 0.0, 1.0))
    return Consensus(
        value=value,
        band=consensus_band(value),
        homogeneity=s,
        h_alpha=h_alpha,
        h_beta=h_beta,
        h_gamma=h_gamma,
    )


@dataclass(frozen=True, eq=False)
class DelphiMovement(ArrayEq):
    """How the answers moved from one round to the next, per item.

    Attributes
    ----------
    mean_abs_change
        Mean |x2 - x1| over participants who answered the item in both rounds.
    changed
        Share of those participants whose answer changed.
    pairs
        How many participants answered the item in both rounds.
    iqr_before, iqr_after
        Interquartile range of each round (over everyone who answered it).
    """

    mean_abs_change: FloatArray
    changed: FloatArray
    pairs: npt.NDArray[np.int64]
    iqr_before: FloatArray
    iqr_after: FloatArray

    @property
    def converged(self) -> npt.NDArray[np.bool_]:
        """True where the interquartile range narrowed (or stayed at 0)."""
        return np.asarray(self.iqr_after <= self.iqr_before, dtype=bool)


def delphi_movement(before: ArrayLike, after: ArrayLike, *, tol: float = 1e-12) -> DelphiMovement:
    """Movement of the answers between two Delphi rounds.

    Parameters
    ----------
    before, after
        participants x items, the same participants in the same order; NaN where not answered.
    """
    x1 = np.asarray(before, dtype=float)
    x2 = np.asarray(after, dtype=float)
    if x1.shape != x2.shape or x1.ndim != 2:
        raise ValueError(
            f"before, after: must be participants x items of one shape, got {x1.shape} and "
            f"{x2.shape}"
        )
    both = ~np.isnan(x1) & ~np.isnan(x2)
    pairs = both.sum(axis=0).astype(np.int64)
    diff = np.where(both, np.abs(x2 - x1), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(pairs > 0, diff.sum(axis=0) / np.maximum(pairs, 1), np.nan)
        changed = np.where(pairs > 0, (diff > tol).sum(axis=0) / np.maximum(pairs, 1), np.nan)
    return DelphiMovement(
        mean_abs_change=mean,
        changed=changed,
        pairs=pairs,
        iqr_before=spread(x1).iqr,
        iqr_after=spread(x2).iqr,
    )
