"""Scenario-level partner models: ranking, expertise match, weight sensitivity, whose weights win.

Each is a pure function ``model(scenario, *, <declared params>)`` returning a frozen dataclass
with ``.to_frame()``, registered with its parameter declarations. The array maths lives in
:mod:`lmsdecide.partner.mcda`, :mod:`~lmsdecide.partner.paths` and
:mod:`~lmsdecide.partner.weights`; this module only reads the scenario's tables.

Scenarios without partners or criteria give empty results rather than errors, so dashboards
and the conformance test can run every model on any valid scenario.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from lmsdecide._lazy import lazy_module
from lmsdecide.params import BoolParam, ChoiceParam, ParamSet
from lmsdecide.partner.mcda import NORMALISATIONS, normalise, rank_scores, topsis, weighted_sum
from lmsdecide.partner.paths import METHODS, score_along
from lmsdecide.partner.weights import criterion_intervals, share_family
from lmsdecide.registry import register_model, validated
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import LEARNING_FUNCTIONS, Scenario

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

__all__ = [
    "DecisionProblem",
    "ExpertiseMatchResult",
    "PartnerRankingResult",
    "WeightSensitivityResult",
    "WhoseWeightsWinResult",
    "cosine_similarity",
    "decision_problem",
    "department_weights",
    "expertise_match",
    "partner_ranking",
    "weight_sensitivity",
    "whose_weights_win",
    "whose_weights_win_from_shares",
]

FloatArray = NDArray[np.float64]
WEIGHT_SOURCES: tuple[str, ...] = ("drivers", "learning", "equal")

# ---------------------------------------------------------------------------------------------
# Parameter declarations
# ---------------------------------------------------------------------------------------------

METHOD = ChoiceParam(
    name="method",
    label="Ranking method",
    default="topsis",
    choices=METHODS,
    help=(
        "TOPSIS ranks partners by closeness to the ideal partner (vector normalisation); the "
        "weighted sum adds normalised scores times weights."
    ),
    source="Hwang & Yoon (1981), Multiple Attribute Decision Making, Springer",
    group="Partner choice",
)
NORMALISATION = ChoiceParam(
    name="normalisation",
    label="Weighted-sum normalisation",
    default="minmax",
    choices=NORMALISATIONS,
    help=(
        "How the weighted sum puts criteria on one scale: min-max (worst 0, best 1) or linear "
        "(x/max for benefits, min/x for costs; needs positive scores). TOPSIS ignores it."
    ),
    source="Hwang & Yoon (1981), linear scale transformation; min-max: standard practice",
    group="Partner choice",
)
WEIGHTS_FROM = ChoiceParam(
    name="weights_from",
    label="Whose criteria weights",
    default="drivers",
    choices=WEIGHT_SOURCES,
    help=(
        "drivers: each department's weights averaged by its share of the decision (who drives); "
        "learning: the learning and HR departments' weights only; equal: every criterion alike."
    ),
    source="lmsdecide definition (docs/models.md, Whose weights win)",
    group="Partner choice",
)
MUST_HAVES = BoolParam(
    name="apply_must_haves",
    label="Disqualify below must-have thresholds",
    default=True,
    help="Partners that miss a criterion's must-have threshold are dropped before ranking.",
    source="LMS request-for-proposal scorecard practice",
    group="Partner choice",
)

RANKING_PARAMS = ParamSet((METHOD, NORMALISATION, WEIGHTS_FROM, MUST_HAVES))
EXPERTISE_PARAMS = ParamSet(())
SENSITIVITY_PARAMS = ParamSet((METHOD, NORMALISATION, WEIGHTS_FROM, MUST_HAVES))
WHOSE_PARAMS = ParamSet((METHOD, NORMALISATION, MUST_HAVES))

# ---------------------------------------------------------------------------------------------
# Reading the scenario
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class DecisionProblem(ArrayEq):
    """The partner-selection problem of a scenario, in table order."""

    partner_ids: tuple[str, ...]
    partner_names: tuple[str, ...]
    partner_types: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    criterion_names: tuple[str, ...]
    benefit: NDArray[np.bool_]
    matrix: FloatArray  # partners x criteria, in the criteria's own units
    must_have: FloatArray  # per criterion, NaN when none

    @property
    def empty(self) -> bool:
        """True when there is nothing to rank (no partners or no criteria)."""
        return not self.partner_ids or not self.criterion_ids


def decision_problem(scenario: Scenario) -> DecisionProblem:
    """Partners x criteria matrix, directions and must-have thresholds of a scenario."""
    crit = scenario.criteria
    partners = scenario.partners if crit else []
    matrix = np.array([[p.scores[c.id] for c in crit] for p in partners], dtype=float).reshape(
        len(partners), len(crit)
    )
    return DecisionProblem(
        partner_ids=tuple(p.id for p in partners),
        partner_names=tuple(p.name for p in partners),
        partner_types=tuple(p.type for p in partners),
        criterion_ids=tuple(c.id for c in crit),
        criterion_names=tuple(c.name for c in crit),
        benefit=np.array([c.direction == "benefit" for c in crit], dtype=bool),
        matrix=matrix,
        must_have=np.array(
            [np.nan if c.must_have is None else c.must_have for c in crit], dtype=float
        ),
    )


def department_weights(scenario: Scenario) -> tuple[tuple[str, ...], tuple[str, ...], FloatArray]:
    """(department ids, functions, departments x criteria weights); unstated weights are 0."""
    crit = [c.id for c in scenario.criteria]
    rows = [[d.criteria_weights.get(c, 0.0) for c in crit] for d in scenario.departments]
    return (
        tuple(d.id for d in scenario.departments),
        tuple(d.function for d in scenario.departments),
        np.array(rows, dtype=float).reshape(len(scenario.departments), len(crit)),
    )


def _drive_shares(scenario: Scenario) -> FloatArray:
    """Drive share per department (in table order) from :func:`lmsdecide.influence.who_drives`."""
    from lmsdecide.influence import who_drives

    result = who_drives(scenario)
    index = {d: k for k, d in enumerate(result.departments)}
    share = np.asarray(result.share, dtype=float)
    return np.array([share[index[d]] for d in scenario.department_ids], dtype=float)


def _score(
    problem: DecisionProblem, weights: FloatArray, method: str, normalisation: str, must: bool
) -> FloatArray:
    thresholds = problem.must_have if must else None
    if method == "topsis":
        return topsis(problem.matrix, weights, problem.benefit, must_have=thresholds)
    return weighted_sum(
        problem.matrix, weights, problem.benefit, normalisation=normalisation, must_have=thresholds
    )


def _qualified(
    problem: DecisionProblem, must: bool
) -> tuple[NDArray[np.bool_], tuple[tuple[str, ...], ...]]:
    x, t, b = problem.matrix, problem.must_have, problem.benefit
    has = ~np.isnan(t)
    fail = has & np.where(b, x < t, x > t)
    failed = tuple(
        tuple(c for c, f in zip(problem.criterion_ids, row, strict=True) if f) for row in fail
    )
    if not must:
        return np.ones(x.shape[0], dtype=bool), tuple(() for _ in failed)
    return np.asarray(~fail.any(axis=1), dtype=bool), failed


def _ids_or_none(ids: Sequence[str], k: int | None) -> str | None:
    return None if k is None or k < 0 else ids[k]


def _weights_for(
    scenario: Scenario, problem: DecisionProblem, source: str
) -> tuple[FloatArray, str]:
    """Criteria weights from ``source`` and a note when a fallback was needed."""
    n = len(problem.criterion_ids)
    equal = np.full(n, 1.0 / n)
    if source == "equal":
        return equal, ""
    _, functions, wd = department_weights(scenario)
    stated = wd.sum(axis=1) > 0
    if not stated.any():
        return equal, "no department states criteria weights; equal weights used"
    learn = np.array([f in LEARNING_FUNCTIONS for f in functions], dtype=bool)
    shares = _drive_shares(scenario) if source == "drivers" else np.zeros(len(functions))
    family = share_family(problem.matrix, problem.benefit, wd, shares, learn)
    if source == "learning":
        if not (stated & learn).any():
            return family.other_weights, "no learning or HR department states weights; others' used"
        return family.learning_weights, ""
    return family.effective, ""


def cosine_similarity(team: FloatArray, partners: FloatArray) -> FloatArray:
    """Cosine similarity of a team profile with each partner's profile (rows).

    cos(t, p) = t . p / (||t|| ||p||), in [0, 1] for non-negative profiles; 0 when either
    profile is all zero (nothing to match).

    Raises
    ------
    ValueError
        Mismatched lengths, or negative or non-finite levels.
    """
    t = np.asarray(team, dtype=float)
    p = np.asarray(partners, dtype=float)
    if p.ndim == 1:
        p = p[None, :]
    if t.ndim != 1 or p.ndim != 2 or p.shape[1] != t.shape[0]:
        raise ValueError(
            f"partners: must have one column per expertise area ({t.shape}), got shape {p.shape}"
        )
    for name, arr in (("team", t), ("partners", p)):
        if not np.all(np.isfinite(arr)) or np.any(arr < 0):
            raise ValueError(f"{name}: expertise levels must be finite and non-negative")
    denom = np.linalg.norm(p, axis=1) * np.linalg.norm(t)
    return np.asarray(np.where(denom > 0, p @ t / np.where(denom > 0, denom, 1.0), 0.0))


# ---------------------------------------------------------------------------------------------
# Ranking
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PartnerRankingResult(ArrayEq):
    """Partners ranked by one method and one set of criteria weights.

    ``scores`` are TOPSIS closeness coefficients or weighted-sum scores (both in [0, 1], higher
    is better; NaN for a disqualified partner); ``ranks`` 1 = best, disqualified last;
    ``profile`` is the min-max normalised, benefit-oriented matrix (1 = best on that criterion)
    used for the radar chart.
    """

    method: str
    normalisation: str
    weights_from: str
    partner_ids: tuple[str, ...]
    partner_names: tuple[str, ...]
    partner_types: tuple[str, ...]
    criterion_ids: tuple[str, ...]
    criterion_names: tuple[str, ...]
    weights: FloatArray
    matrix: FloatArray
    profile: FloatArray
    scores: FloatArray
    ranks: NDArray[np.int64]
    qualified: NDArray[np.bool_]
    failed: tuple[tuple[str, ...], ...]
    top: str | None
    selected: str | None
    note: str = ""

    def to_frame(self) -> pd.DataFrame:
        """One row per partner: id, name, type, score, rank, qualified, failed must-haves."""
        return pd.DataFrame(
            {
                "partner": list(self.partner_ids),
                "name": list(self.partner_names),
                "type": list(self.partner_types),
                "score": self.scores,
                "rank": self.ranks,
                "qualified": self.qualified,
                "failed_must_haves": [", ".join(f) for f in self.failed],
                "selected": [p == self.selected for p in self.partner_ids],
            }
        )

    def criteria_frame(self) -> pd.DataFrame:
        """Long table: partner x criterion with the raw score and the normalised profile."""
        n_p, n_c = len(self.partner_ids), len(self.criterion_ids)
        return pd.DataFrame(
            {
                "partner": np.repeat(self.partner_ids, n_c),
                "criterion": np.tile(self.criterion_ids, n_p),
                "value": self.matrix.reshape(-1),
                "profile": self.profile.reshape(-1),
            }
        )


@register_model(label="Partner ranking", area="partner", params=RANKING_PARAMS)
def partner_ranking(
    scenario: Scenario,
    *,
    method: str = "topsis",
    normalisation: str = "minmax",
    weights_from: str = "drivers",
    apply_must_haves: bool = True,
) -> PartnerRankingResult:
    """Rank the scenario's candidate partners.

    Scores: TOPSIS closeness C_i = D-_i/(D+_i + D-_i) or weighted sum S_i = sum_j w_j r_ij (see
    :func:`~lmsdecide.partner.topsis`, :func:`~lmsdecide.partner.weighted_sum`), with criteria
    weights from ``weights_from``: ``drivers`` (departments' weights averaged by drive share from
    ``who_drives``), ``learning`` (learning and HR departments only) or ``equal``. Partners below
    a must-have threshold are disqualified first when ``apply_must_haves``.

    Parameters
    ----------
    scenario
        The LMS project.
    method, normalisation, weights_from, apply_must_haves
        See the parameter declarations (:data:`RANKING_PARAMS`).
    """
    problem = decision_problem(scenario)
    n_p, n_c = len(problem.partner_ids), len(problem.criterion_ids)
    if problem.empty:
        weights, note = np.full(n_c, 1.0 / n_c) if n_c else np.zeros(0), "nothing to rank"
        scores = np.full(n_p, np.nan)
        profile = np.zeros((n_p, n_c))
    else:
        weights, note = _weights_for(scenario, problem, weights_from)
        scores = _score(problem, weights, method, normalisation, apply_must_haves)
        profile = normalise(problem.matrix, problem.benefit, "minmax")
    qualified, failed = _qualified(problem, apply_must_haves)
    ranks = rank_scores(scores)
    top = problem.partner_ids[int(np.argmin(ranks))] if np.isfinite(scores).any() else None
    return PartnerRankingResult(
        method=method,
        normalisation=normalisation,
        weights_from=weights_from,
        partner_ids=problem.partner_ids,
        partner_names=problem.partner_names,
        partner_types=problem.partner_types,
        criterion_ids=problem.criterion_ids,
        criterion_names=problem.criterion_names,
        weights=np.asarray(weights, dtype=float),
        matrix=problem.matrix,
        profile=profile,
        scores=scores,
        ranks=ranks,
        qualified=qualified,
        failed=failed,
        top=top,
        selected=scenario.selected_partner,
        note=note,
    )


# ---------------------------------------------------------------------------------------------
# Expertise match
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ExpertiseMatchResult(ArrayEq):
    """Cosine similarity of the team's expertise profile with each partner's."""

    areas: tuple[str, ...]
    team: FloatArray
    partner_ids: tuple[str, ...]
    partner_names: tuple[str, ...]
    partner_types: tuple[str, ...]
    profiles: FloatArray  # partners x areas
    similarity: FloatArray
    best: str | None
    selected: str | None

    def to_frame(self) -> pd.DataFrame:
        """One row per partner: id, name, type, similarity, best, selected."""
        return pd.DataFrame(
            {
                "partner": list(self.partner_ids),
                "name": list(self.partner_names),
                "type": list(self.partner_types),
                "similarity": self.similarity,
                "best": [p == self.best for p in self.partner_ids],
                "selected": [p == self.selected for p in self.partner_ids],
            }
        )

    def profiles_frame(self) -> pd.DataFrame:
        """Long table: who (``team`` or a partner id) x area x level."""
        who = ["team", *self.partner_ids]
        levels = np.vstack([self.team[None, :], self.profiles])
        return pd.DataFrame(
            {
                "who": np.repeat(who, len(self.areas)),
                "area": np.tile(self.areas, len(who)),
                "level": levels.reshape(-1),
            }
        )


@register_model(label="Expertise match", area="partner", params=EXPERTISE_PARAMS)
def expertise_match(scenario: Scenario) -> ExpertiseMatchResult:
    """How well each partner's expertise matches the team's: cosine similarity.

    cos(t, p) = sum_a t_a p_a / (||t|| ||p||) over the areas of ``team_expertise`` (a partner's
    missing area counts 0). 1 = the same mix of expertise (whatever the overall level); 0 = no
    overlap. The source article: "match the expertise of your team with that of the team you're
    linking with".
    """
    areas = tuple(scenario.team_expertise)
    team = np.array([scenario.team_expertise[a] for a in areas], dtype=float)
    partners = scenario.partners
    profiles = np.array(
        [[p.expertise.get(a, 0.0) for a in areas] for p in partners], dtype=float
    ).reshape(len(partners), len(areas))
    sim = cosine_similarity(team, profiles) if partners else np.zeros(0)
    best = partners[int(np.argmax(sim))].id if partners and np.any(sim > 0) else None
    return ExpertiseMatchResult(
        areas=areas,
        team=team,
        partner_ids=tuple(p.id for p in partners),
        partner_names=tuple(p.name for p in partners),
        partner_types=tuple(p.type for p in partners),
        profiles=profiles,
        similarity=np.asarray(sim, dtype=float),
        best=best,
        selected=scenario.selected_partner,
    )


# ---------------------------------------------------------------------------------------------
# Weight sensitivity
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class WeightSensitivityResult(ArrayEq):
    """Per criterion, the weight interval within which the top partner stays on top.

    Weights move one at a time, the others rescaled proportionally; ``lower``/``upper`` are on
    the scale of weights summing to 1; ``below``/``above`` name the partner that takes over past
    each end (None when nothing does).
    """

    method: str
    weights_from: str
    top: str | None
    criterion_ids: tuple[str, ...]
    criterion_names: tuple[str, ...]
    weights: FloatArray
    lower: FloatArray
    upper: FloatArray
    below: tuple[str | None, ...]
    above: tuple[str | None, ...]
    top_name: str | None = None

    @property
    def most_sensitive(self) -> str | None:
        """The criterion whose weight needs the smallest change to change the top choice."""
        if not self.criterion_ids or self.top is None:
            return None
        gap = np.minimum(
            np.where(
                np.array([b is not None for b in self.below]), self.weights - self.lower, np.inf
            ),
            np.where(
                np.array([a is not None for a in self.above]), self.upper - self.weights, np.inf
            ),
        )
        return None if not np.isfinite(gap).any() else self.criterion_ids[int(np.argmin(gap))]

    def to_frame(self) -> pd.DataFrame:
        """One row per criterion: weight, interval, and who takes over past each end."""
        return pd.DataFrame(
            {
                "criterion": list(self.criterion_ids),
                "name": list(self.criterion_names),
                "weight": self.weights,
                "lower": self.lower,
                "upper": self.upper,
                "below_winner": list(self.below),
                "above_winner": list(self.above),
            }
        )


@register_model(label="Weight sensitivity", area="partner", params=SENSITIVITY_PARAMS)
def weight_sensitivity(
    scenario: Scenario,
    *,
    method: str = "topsis",
    normalisation: str = "minmax",
    weights_from: str = "drivers",
    apply_must_haves: bool = True,
) -> WeightSensitivityResult:
    """How far each criterion's weight can move before the top partner changes (solved).

    Criterion j's weight moves to t with w_k(t) = w_k (1 - t)/(1 - w_j) for the others; the
    interval [lower, upper] around w_j on which the top choice is unchanged comes from the exact
    breakpoints of :func:`~lmsdecide.partner.paths.top_choice_path`.
    """
    ranking = partner_ranking(
        scenario,
        method=method,
        normalisation=normalisation,
        weights_from=weights_from,
        apply_must_haves=apply_must_haves,
    )
    problem = decision_problem(scenario)
    n_c = len(problem.criterion_ids)
    if problem.empty or ranking.top is None:
        nan = np.full(n_c, np.nan)
        return WeightSensitivityResult(
            method,
            weights_from,
            None,
            problem.criterion_ids,
            problem.criterion_names,
            ranking.weights,
            nan,
            nan.copy(),
            (None,) * n_c,
            (None,) * n_c,
        )
    top, intervals = criterion_intervals(
        problem.matrix,
        ranking.weights,
        problem.benefit,
        method=method,
        normalisation=normalisation,
        must_have=problem.must_have if apply_must_haves else None,
    )
    ids = problem.partner_ids
    return WeightSensitivityResult(
        method=method,
        weights_from=weights_from,
        top=_ids_or_none(ids, top),
        criterion_ids=problem.criterion_ids,
        criterion_names=problem.criterion_names,
        weights=np.array([iv.weight for iv in intervals]),
        lower=np.array([iv.lower for iv in intervals]),
        upper=np.array([iv.upper for iv in intervals]),
        below=tuple(_ids_or_none(ids, iv.below) for iv in intervals),
        above=tuple(_ids_or_none(ids, iv.above) for iv in intervals),
        top_name=_ids_or_none(problem.partner_names, top),
    )


# ---------------------------------------------------------------------------------------------
# Whose weights win
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class WhoseWeightsWinResult(ArrayEq):
    """The partner the drivers' weights choose, against the one learning's weights choose.

    Attributes
    ----------
    department_ids, functions, shares
        Departments (table order) and their drive shares.
    share
        The learning share among departments that state weights (the point on the curve).
    effective_weights, learning_weights, other_weights
        w(share), w_L (share = 1) and w_O (share = 0), per criterion.
    scores_effective, scores_learning, ranks_effective, ranks_learning
        Scores and ranks of each partner under the effective and under learning's weights.
    top_effective, top_learning
        The partners they choose.
    breakpoints, segment_tops
        Learning shares where the top choice changes (solved exactly) and the top partner on
        each piece of [0, 1] (``len(segment_tops) == len(breakpoints) + 1``).
    flip_share
        The learning share from which learning's choice wins all the way to 1 (the last
        breakpoint), or None when the top choice is the same at every share.
    curve_shares, curve_scores
        A grid over [0, 1] (with the breakpoints and the current share added) and every partner's
        score on it, for the curve figure.
    """

    method: str
    normalisation: str
    department_ids: tuple[str, ...]
    functions: tuple[str, ...]
    shares: FloatArray
    share: float
    criterion_ids: tuple[str, ...]
    criterion_names: tuple[str, ...]
    effective_weights: FloatArray
    learning_weights: FloatArray
    other_weights: FloatArray
    partner_ids: tuple[str, ...]
    partner_names: tuple[str, ...]
    partner_types: tuple[str, ...]
    scores_effective: FloatArray
    scores_learning: FloatArray
    ranks_effective: NDArray[np.int64]
    ranks_learning: NDArray[np.int64]
    top_effective: str | None
    top_learning: str | None
    breakpoints: FloatArray
    segment_tops: tuple[str | None, ...]
    flip_share: float | None
    curve_shares: FloatArray
    curve_scores: FloatArray

    @property
    def differs(self) -> bool:
        """True when the drivers' weights pick a different partner than learning's."""
        return self.top_effective != self.top_learning

    def _label(self, pid: str | None) -> str:
        if pid is None:
            return "no partner"
        k = self.partner_ids.index(pid)
        return f"{self.partner_names[k]} ({self.partner_types[k]})"

    @property
    def summary(self) -> str:
        """The finding in words, e.g. "with IT driving, the reseller wins; from a learning share
        of 0.46 up, the learning specialist does"."""
        if not self.partner_ids:
            return "No candidate partners to compare."
        now = f"With the current drivers (learning share {self.share:.2f}), "
        if self.flip_share is None:
            return now + f"{self._label(self.top_effective)} wins at every learning share."
        head = now + f"{self._label(self.top_effective)} wins; "
        if self.differs:
            return head + (
                f"from a learning share of {self.flip_share:.2f} up, "
                f"{self._label(self.top_learning)} does."
            )
        return head + (
            f"it stays the choice from a learning share of {self.flip_share:.2f} up, "
            "as learning's own weights would have it."
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per partner: scores and ranks under the drivers' and learning's weights."""
        return pd.DataFrame(
            {
                "partner": list(self.partner_ids),
                "name": list(self.partner_names),
                "type": list(self.partner_types),
                "score_drivers": self.scores_effective,
                "rank_drivers": self.ranks_effective,
                "score_learning": self.scores_learning,
                "rank_learning": self.ranks_learning,
            }
        )

    def weights_frame(self) -> pd.DataFrame:
        """One row per criterion: effective, learning's and the others' weights."""
        return pd.DataFrame(
            {
                "criterion": list(self.criterion_ids),
                "name": list(self.criterion_names),
                "effective": self.effective_weights,
                "learning": self.learning_weights,
                "others": self.other_weights,
            }
        )

    def path_frame(self) -> pd.DataFrame:
        """One row per piece of the learning-share axis: from, to, and the top partner."""
        edges = np.concatenate(([0.0], self.breakpoints, [1.0]))
        return pd.DataFrame(
            {"from_share": edges[:-1], "to_share": edges[1:], "top": list(self.segment_tops)}
        )


@validated(WHOSE_PARAMS)
def whose_weights_win_from_shares(
    scenario: Scenario,
    shares: Sequence[float] | FloatArray,
    *,
    method: str = "topsis",
    normalisation: str = "minmax",
    apply_must_haves: bool = True,
    grid: int = 101,
) -> WhoseWeightsWinResult:
    """Whose weights win, given each department's drive share (table order); pure.

    Effective weights w = sum_d a_d W_d / sum_d a_d (W_d: department d's weights rescaled to sum
    to 1; departments without weights left out). Along the family w(s) = s w_L + (1 - s) w_O
    (learning group L = functions ``learning`` and ``hr``, proportions within each group held),
    the top choice is piecewise constant and its breakpoints are solved exactly: each pair's
    score difference is linear in s for the weighted sum and, for TOPSIS, vanishes exactly at
    the roots of a quartic (see :mod:`lmsdecide.partner.paths`), polished by Brent's method.

    Raises
    ------
    ValueError
        ``shares`` of the wrong length, negative or not finite.
    """
    a = np.asarray(shares, dtype=float)
    ids, functions, wd = department_weights(scenario)
    if a.shape != (len(ids),):
        raise ValueError(f"shares: must have one entry per department ({len(ids)}), got {a.shape}")
    if not np.all(np.isfinite(a)) or np.any(a < 0):
        raise ValueError(f"shares: must be finite and non-negative, got {a.tolist()}")
    problem = decision_problem(scenario)
    n_p, n_c = len(problem.partner_ids), len(problem.criterion_ids)
    learn = np.array([f in LEARNING_FUNCTIONS for f in functions], dtype=bool)
    curve_s = np.linspace(0.0, 1.0, grid)
    if problem.empty or not (wd.sum(axis=1) > 0).any():
        empty = np.full(n_p, np.nan)
        w_eq = np.full(n_c, 1.0 / n_c) if n_c else np.zeros(0)
        ranks = rank_scores(empty)
        return WhoseWeightsWinResult(
            method,
            normalisation,
            ids,
            functions,
            a,
            float(a[learn].sum() / a.sum()) if a.sum() > 0 else 0.0,
            problem.criterion_ids,
            problem.criterion_names,
            w_eq,
            w_eq.copy(),
            w_eq.copy(),
            problem.partner_ids,
            problem.partner_names,
            problem.partner_types,
            empty,
            empty.copy(),
            ranks,
            ranks.copy(),
            None,
            None,
            np.empty(0),
            (None,),
            None,
            curve_s,
            np.full((grid, n_p), np.nan),
        )
    thresholds = problem.must_have if apply_must_haves else None
    fam = share_family(
        problem.matrix,
        problem.benefit,
        wd,
        a,
        learn,
        method=method,
        normalisation=normalisation,
        must_have=thresholds,
    )
    s_eff = _score(problem, fam.effective, method, normalisation, apply_must_haves)
    s_learn = _score(problem, fam.learning_weights, method, normalisation, apply_must_haves)
    r_eff, r_learn = rank_scores(s_eff), rank_scores(s_learn)

    def top_of(scores: FloatArray, ranks: NDArray[np.int64]) -> str | None:
        return problem.partner_ids[int(np.argmin(ranks))] if np.isfinite(scores).any() else None

    qualified = _qualified(problem, apply_must_haves)[0]
    shares_curve = np.unique(np.concatenate((curve_s, fam.path.breakpoints, [fam.share])))
    curve = score_along(
        problem.matrix,
        problem.benefit,
        fam.other_weights,
        fam.learning_weights,
        shares_curve,
        method=method,
        normalisation=normalisation,
        qualified=qualified,
    )
    bps = fam.path.breakpoints
    return WhoseWeightsWinResult(
        method=method,
        normalisation=normalisation,
        department_ids=ids,
        functions=functions,
        shares=a,
        share=fam.share,
        criterion_ids=problem.criterion_ids,
        criterion_names=problem.criterion_names,
        effective_weights=fam.effective,
        learning_weights=fam.learning_weights,
        other_weights=fam.other_weights,
        partner_ids=problem.partner_ids,
        partner_names=problem.partner_names,
        partner_types=problem.partner_types,
        scores_effective=s_eff,
        scores_learning=s_learn,
        ranks_effective=r_eff,
        ranks_learning=r_learn,
        top_effective=top_of(s_eff, r_eff),
        top_learning=top_of(s_learn, r_learn),
        breakpoints=bps,
        segment_tops=tuple(_ids_or_none(problem.partner_ids, t) for t in fam.path.tops),
        flip_share=float(bps[-1]) if bps.size else None,
        curve_shares=shares_curve,
        curve_scores=curve,
    )


@register_model(label="Whose weights win", area="partner", params=WHOSE_PARAMS)
def whose_weights_win(
    scenario: Scenario,
    *,
    method: str = "topsis",
    normalisation: str = "minmax",
    apply_must_haves: bool = True,
) -> WhoseWeightsWinResult:
    """Whose weights win: the drivers' choice of partner against learning's, and the flip share.

    Drive shares come from :func:`lmsdecide.influence.who_drives`; the rest is
    :func:`whose_weights_win_from_shares`. The source article: an IT-led project "installs the wrong
    system, or the right system with the wrong set-up".
    """
    return whose_weights_win_from_shares(
        scenario,
        _drive_shares(scenario),
        method=method,
        normalisation=normalisation,
        apply_must_haves=apply_must_haves,
    )


def __getattr__(name: str) -> object:
    """The result classes' old names: deprecated aliases of the new ones (CHANGELOG.md)."""
    from lmsdecide._deprecated import renamed

    return renamed(__name__, name)
