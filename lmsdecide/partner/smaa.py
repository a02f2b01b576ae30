"""The odds of each partner: SMAA-2 rank acceptability, central weights and confidence factors.

Stochastic Multicriteria Acceptability Analysis (SMAA-2; Lahdelma & Salminen 2001, Operations
Research 49(3):444-454). Partner scores ξ and criteria weights w are uncertain; for every draw
the partners are scored by the *same rule as the partner ranking* (TOPSIS closeness by default,
or the weighted sum; must-have thresholds applied per draw) and ranked. Then

* the **rank acceptability** b_i^r is the probability that partner i ranks r-th
  (b_i^1, the first-rank acceptability, is "the odds of partner i");
* the **central weight vector** w_i^c is the mean weight vector over the draws where i ranks
  first (the typical preferences that make i the choice);
* the **confidence factor** p_i^c is the probability that i ranks first when the weights are
  its central weights and only the scores vary (how robust i's win is to the score
  uncertainty).

Uncertainty:

* scores: each criterion score with a range in the partner's ``score_ranges`` is drawn
  uniformly in [low, high] (``scores="uniform"``) or from the triangular distribution with the
  point score as mode (``"triangular"``); other scores are fixed;
* weights (``weights=``): ``"uniform"``, uniform on the simplex (no preference information,
  SMAA's classic case); ``"ranged"``, uniform on the part of the simplex within each
  criterion's ``weight_range`` (acceptance-rejection); ``"drivers"``, Dirichlet(κ w) centred on
  the effective weights of the departments that drive the project (the weights
  :func:`~lmsdecide.partner.partner_ranking` uses), with concentration κ (the spread:
  Var w_j = w_j (1 − w_j) / (κ + 1)).

Sampling: scrambled Sobol points (Owen 1998; ``scipy.stats.qmc.Sobol``) mapped by inverse
CDFs (weights: Gamma(α_j) quantiles normalised, i.e. a Dirichlet; α = 1 gives the uniform
simplex through exponential quantiles), so first-rank probabilities converge faster than with
independent draws; ``sampler="random"`` gives plain Monte Carlo for comparison. Vectorised:
every draw is scored at once.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from lmsdecide._lazy import lazy_module
from lmsdecide.params import ChoiceParam, FloatParam, IntParam, ParamSet
from lmsdecide.partner.mcda import batch_scores, rank_scores
from lmsdecide.partner.models import (
    METHOD,
    MUST_HAVES,
    NORMALISATION,
    decision_problem,
    partner_ranking,
)
from lmsdecide.registry import register_model
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

__all__ = [
    "SMAA_PARAMS",
    "RankAcceptabilityResult",
    "rank_acceptability",
]

FloatArray = NDArray[np.float64]

SMAA_WEIGHTS: tuple[str, ...] = ("drivers", "uniform", "ranged")
SMAA_SCORES: tuple[str, ...] = ("uniform", "triangular")
SAMPLERS: tuple[str, ...] = ("sobol", "random")
#: Largest number of candidate points drawn to fill ``n`` accepted ones with ranged weights.
MAX_REJECTION_FACTOR = 10_000

N = IntParam(
    name="n",
    label="Draws",
    default=2**14,
    min=1,
    max=4_000_000,
    step=1024,
    unit="draws",
    help="Sobol points (a power of two is best). 16,384 gives first-rank probabilities to "
    "about ±0.005 (see bench/bench_decide.py).",
    source="numerical setting",
    group="Partner odds",
)
WEIGHTS = ChoiceParam(
    name="weights",
    label="Criteria weights",
    default="drivers",
    choices=SMAA_WEIGHTS,
    help="drivers: spread around the weights of the departments that drive the project; "
    "uniform: nothing known (any weights alike); ranged: any weights within each criterion's "
    "weight range.",
    source="Lahdelma & Salminen (2001), SMAA-2",
    group="Partner odds",
)
CONCENTRATION = FloatParam(
    name="concentration",
    label="Agreement on the drivers' weights",
    default=20.0,
    min=0.5,
    max=10_000.0,
    step=1.0,
    unit="Dirichlet concentration",
    help="How tightly the weights cluster around the drivers' weights (drivers only): a weight "
    "of 0.25 varies with standard deviation 0.094 at 20 and 0.031 at 200.",
    source="illustrative",
    group="Partner odds",
)
SCORES = ChoiceParam(
    name="scores",
    label="Score distribution within a range",
    default="uniform",
    choices=SMAA_SCORES,
    help="How a ranged score is drawn: uniform in its range, or triangular with the point "
    "score as the most likely value.",
    source="illustrative",
    group="Partner odds",
)
SAMPLER = ChoiceParam(
    name="sampler",
    label="Sampler",
    default="sobol",
    choices=SAMPLERS,
    help="sobol: scrambled Sobol quasi-random points; random: plain Monte Carlo.",
    source="Owen (1998), scrambled nets",
    group="Partner odds",
)
SMAA_PARAMS = ParamSet(
    (
        N,
        WEIGHTS,
        CONCENTRATION,
        SCORES,
        SAMPLER,
        METHOD,
        NORMALISATION,
        MUST_HAVES,
    )
)


@dataclass(frozen=True, eq=False)
class RankAcceptabilityResult(ArrayEq):
    """SMAA-2 results for the scenario's partners.

    Attributes
    ----------
    acceptability
        Partners (index: partner id) × ranks (columns 1, 2, …): b_i^r, each row summing to 1.
    central_weights
        Partners × criteria: the mean weights over the draws where the partner ranks first (NaN
        when it never does).
    partner_ids
        Partner ids in table order (the order of the arrays below).
    confidence
        Per partner: probability of ranking first at its central weights (NaN when it never
        ranks first).
    disqualified
        Per partner: probability of failing a must-have threshold (then ranked last).
    first
        The partner with the largest first-rank acceptability (None when there are none).
    n, seed, weights, concentration, scores, sampler, method, normalisation
        How it was computed.
    partner_names, partner_types, criterion_ids
        For labels.
    """

    acceptability: pd.DataFrame
    central_weights: pd.DataFrame
    partner_ids: tuple[str, ...]
    confidence: FloatArray
    disqualified: FloatArray
    first: str | None
    partner_names: tuple[str, ...]
    partner_types: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    n: int
    seed: int | None
    weights: str
    concentration: float
    scores: str
    sampler: str
    method: str
    normalisation: str
    uncertain_scores: int

    @property
    def first_rank(self) -> pd.Series:
        """b_i^1 per partner (the odds of being the best choice)."""
        if self.acceptability.empty:
            return pd.Series(dtype=float, name="first_rank")
        return self.acceptability[1].rename("first_rank")

    def confidence_of(self, partner: str) -> float:
        """The confidence factor of ``partner`` (``KeyError`` for an unknown id)."""
        if partner not in self.partner_ids:
            raise KeyError(partner)
        return float(self.confidence[self.partner_ids.index(partner)])

    @property
    def summary(self) -> str:
        """The finding in words, e.g. "Learnwise ranks first in 71% of cases, TechBridge 24%"."""
        if self.first is None:
            return "No candidate partners to compare."
        odds = self.first_rank.sort_values(ascending=False)
        names = dict(zip(self.acceptability.index, self.partner_names, strict=True))
        parts = [f"{names[p]} {v:.0%}" for p, v in odds.items() if v >= 0.005]
        weights = {
            "drivers": "the drivers' weights with a spread",
            "uniform": "any weights alike",
            "ranged": "weights within their ranges",
        }.get(self.weights, self.weights)
        head = f"Odds of ranking first ({weights}, {self.uncertain_scores} uncertain scores): "
        return head + ", ".join(parts) + "."

    def to_frame(self) -> pd.DataFrame:
        """One row per partner: name, type, first-rank acceptability, confidence, disqualified,
        then the acceptability of every rank (columns ``rank_1``, ``rank_2``, …)."""
        if self.acceptability.empty:
            return pd.DataFrame(
                columns=["partner", "name", "type", "first_rank", "confidence", "disqualified"]
            )
        out = pd.DataFrame(
            {
                "partner": list(self.acceptability.index),
                "name": list(self.partner_names),
                "type": list(self.partner_types),
                "first_rank": self.acceptability[1].to_numpy(),
                "confidence": self.confidence,
                "disqualified": self.disqualified,
            }
        )
        for r in self.acceptability.columns:
            out[f"rank_{r}"] = self.acceptability[r].to_numpy()
        return out


# ---------------------------------------------------------------------------------------------
# Sampling
# ---------------------------------------------------------------------------------------------


class _Points:
    """Unit-cube points from one scrambled Sobol engine or one random generator."""

    def __init__(self, d: int, sampler: str, seed: int | None) -> None:
        self.d = d
        from scipy.stats import qmc  # scipy.stats costs ~0.3 s to import: on first use

        self.rng = np.random.default_rng(seed)
        self.engine = qmc.Sobol(d, scramble=True, rng=self.rng) if sampler == "sobol" else None

    def draw(self, n: int) -> FloatArray:
        if self.d == 0:
            return np.zeros((n, 0))
        if self.engine is None:
            u = self.rng.random((n, self.d))
        else:
            with warnings.catch_warnings():  # balance needs n = 2^m; other n are still valid
                warnings.filterwarnings("ignore", message=".*balance properties of Sobol")
                u = self.engine.random(n)
        # keep inverse CDFs finite at the cube's faces
        return np.clip(u, 1e-12, 1.0 - 1e-12)


def _simplex(u: FloatArray, alpha: FloatArray) -> FloatArray:
    """Dirichlet(α) points from unit coordinates by Gamma inverse CDFs, normalised."""
    # α = 1: exponential quantiles, exact and fast
    if np.all(alpha == 1.0):
        g = -np.log1p(-u)
    else:
        from scipy import stats

        g = stats.gamma.ppf(u, alpha[None, :])
    return np.asarray(g / g.sum(axis=1, keepdims=True), dtype=float)


def _score_draws(
    u: FloatArray,
    base: FloatArray,
    low: FloatArray,
    high: FloatArray,
    cells: tuple[NDArray[np.intp], NDArray[np.intp]],
    kind: str,
) -> FloatArray:
    n = u.shape[0]
    X = np.broadcast_to(base, (n, *base.shape)).copy()
    if cells[0].size:
        lo, hi, mode = low[cells], high[cells], base[cells]
        span = hi - lo
        if kind == "uniform":
            vals = lo + u * span
        else:
            c = np.where(span > 0, (mode - lo) / np.where(span > 0, span, 1.0), 0.5)
            from scipy import stats

            vals = stats.triang.ppf(u, c[None, :], loc=lo[None, :], scale=span[None, :])
            vals = np.where(span > 0, vals, lo)
        X[:, cells[0], cells[1]] = vals
    return X


@register_model(label="Partner odds (SMAA-2)", area="partner", params=SMAA_PARAMS, generators=False)
def rank_acceptability(
    scenario: Scenario,
    *,
    n: int = N.default,
    seed: int | None = 0,
    weights: str = "drivers",
    concentration: float = 20.0,
    scores: str = "uniform",
    sampler: str = "sobol",
    method: str = "topsis",
    normalisation: str = "minmax",
    apply_must_haves: bool = True,
) -> RankAcceptabilityResult:
    """SMAA-2 rank acceptability of the scenario's partners (see the module docstring).

    Parameters
    ----------
    scenario
        The project; uncertain scores come from each partner's ``score_ranges``, weight ranges
        from each criterion's ``weight_range``.
    n
        Number of draws (Sobol points; a power of two is best).
    seed
        Seed of the scrambling (or of the random draws); the same seed gives the same result.
    weights, concentration
        How the criteria weights vary: ``"drivers"`` (Dirichlet(κ w_drivers), κ =
        ``concentration``), ``"uniform"`` (uniform on the simplex) or ``"ranged"``.
    scores
        ``"uniform"`` or ``"triangular"`` within each score range.
    sampler
        ``"sobol"`` (scrambled Sobol, default) or ``"random"`` (plain Monte Carlo).
    method, normalisation, apply_must_haves
        The scoring rule, as in :func:`~lmsdecide.partner.partner_ranking`.

    Returns
    -------
    RankAcceptabilityResult

    Raises
    ------
    ValueError
        A parameter out of range (naming it and the value), or weight ranges that leave almost
        none of the simplex.
    """
    problem = decision_problem(scenario)
    ids, n_c = problem.partner_ids, len(problem.criterion_ids)
    common: dict[str, Any] = {
        "partner_names": problem.partner_names,
        "partner_types": problem.partner_types,
        "criterion_ids": problem.criterion_ids,
        "n": n,
        "seed": None if seed is None else int(seed),
        "weights": weights,
        "concentration": float(concentration),
        "scores": scores,
        "sampler": sampler,
        "method": method,
        "normalisation": normalisation,
    }
    if problem.empty:
        return RankAcceptabilityResult(
            acceptability=pd.DataFrame(index=pd.Index(ids, name="partner")),
            central_weights=pd.DataFrame(index=pd.Index(ids, name="partner")),
            partner_ids=ids,
            confidence=np.full(len(ids), np.nan),
            disqualified=np.zeros(len(ids)),
            first=None,
            uncertain_scores=0,
            **common,
        )

    # the uncertain scores
    low = problem.matrix.copy()
    high = problem.matrix.copy()
    for i, p in enumerate(scenario.partners):
        for j, c in enumerate(problem.criterion_ids):
            r = p.score_ranges.get(c)
            if r is not None:
                low[i, j], high[i, j] = r.low, r.high
    rows, cols = np.nonzero(high > low)
    cells = (rows, cols)

    # the weights' distribution
    centre = partner_ranking(scenario, weights_from="drivers").weights
    if weights == "drivers":
        alpha = concentration * centre
        active = alpha > 0
    else:
        alpha = np.ones(n_c)
        active = np.ones(n_c, dtype=bool)
    w_low = np.zeros(n_c)
    w_high = np.ones(n_c)
    if weights == "ranged":
        for j, crit in enumerate(scenario.criteria):
            if crit.weight_range is not None:
                w_low[j], w_high[j] = crit.weight_range.low, crit.weight_range.high

    d_w = int(active.sum())
    points = _Points(d_w + cells[0].size, sampler, seed)
    u = points.draw(n)
    if weights == "ranged" and (np.any(w_low > 0) or np.any(w_high < 1)):
        u = _accept_ranged(points, u, n, d_w, w_low, w_high)
    W = np.zeros((n, n_c))
    if d_w:
        W[:, active] = _simplex(u[:, :d_w], alpha[active])
    X = _score_draws(u[:, d_w:], problem.matrix, low, high, cells, scores)

    must = problem.must_have if apply_must_haves else None
    S = batch_scores(
        X, W, problem.benefit, method=method, normalisation=normalisation, must_have=must
    )
    R = rank_scores(S)
    m = len(ids)
    acc = (R[:, :, None] == np.arange(1, m + 1)[None, None, :]).mean(axis=0)
    first = R == 1
    counts = first.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        central = (first.T.astype(float) @ W) / counts[:, None]
    central[counts == 0] = np.nan

    # confidence factors: scores vary, weights fixed at each partner's central weights
    confidence = np.full(m, np.nan)
    for k in np.flatnonzero(counts):
        i = int(k)
        Wc = np.broadcast_to(central[i], (n, n_c))
        Si = batch_scores(
            X, Wc, problem.benefit, method=method, normalisation=normalisation, must_have=must
        )
        confidence[i] = float((rank_scores(Si)[:, i] == 1).mean())
    index = pd.Index(ids, name="partner")
    acceptability = pd.DataFrame(acc, index=index, columns=pd.Index(range(1, m + 1), name="rank"))
    return RankAcceptabilityResult(
        acceptability=acceptability,
        central_weights=pd.DataFrame(
            central, index=index, columns=pd.Index(problem.criterion_ids, name="criterion")
        ),
        partner_ids=ids,
        confidence=confidence,
        disqualified=np.isnan(S).mean(axis=0),
        first=str(acceptability[1].idxmax()),
        uncertain_scores=int(cells[0].size),
        **common,
    )


def _accept_ranged(
    points: _Points, u: FloatArray, n: int, d_w: int, w_low: FloatArray, w_high: FloatArray
) -> FloatArray:
    """Keep the points whose uniform-simplex weights lie within the ranges; draw more as needed
    (acceptance-rejection keeps the distribution uniform on the restricted simplex)."""
    kept: list[FloatArray] = []
    total, drawn = 0, 0
    batch = u
    ones = np.ones(d_w)
    while True:
        drawn += batch.shape[0]
        w = _simplex(batch[:, :d_w], ones)
        ok = np.all((w >= w_low) & (w <= w_high), axis=1)
        kept.append(batch[ok])
        total += int(ok.sum())
        if total >= n:
            return np.concatenate(kept)[:n]
        if drawn >= MAX_REJECTION_FACTOR * n:
            raise ValueError(
                "criteria weight_range: the ranges leave too little of the weight simplex "
                f"(accepted {total} of {drawn} draws); widen them"
            )
        rate = max(total / drawn, 1.0 / MAX_REJECTION_FACTOR)
        batch = points.draw(int(min(MAX_REJECTION_FACTOR * n, 1.2 * (n - total) / rate + 64)))


def __getattr__(name: str) -> object:
    """The result classes' old names: deprecated aliases of the new ones (CHANGELOG.md)."""
    from lmsdecide._deprecated import renamed

    return renamed(__name__, name)
