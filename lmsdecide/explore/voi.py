"""What is worth finding out: the expected value of perfect information, overall and per input.

A decision picks one alternative a from a set A to maximise the expected value E_θ[U(a, θ)]
of an uncertain outcome; θ are the uncertain inputs. Then (Raiffa & Schlaifer 1961)

    EVPI      = E_θ[ max_a U(a, θ) ] − max_a E_θ[ U(a, θ) ]
    EVPPI(j)  = E_θj[ max_a E_θ[U(a, θ) | θ_j] ] − max_a E_θ[ U(a, θ) ]

EVPI is what learning every input before deciding would be worth; EVPPI(j) what learning input j
alone would be worth (in the unit of U). Both are ≥ 0 and EVPPI(j) ≤ EVPI. The conditional
expectation E[U(a, θ) | θ_j] is estimated from one sample of θ by the single-input nonparametric
regression of Strong & Oakley (2013, Medical Decision Making 33(6):755-766; Strong, Oakley &
Brennan 2014): the draws are sorted by θ_j and cut into B bins of equal size (B ≈ √n; one bin per
value of a discrete input), and the bin means estimate E[U | θ_j]. The estimate is ≥ 0 by
construction (a mean of maxima is at least the maximum of means); it carries a small upward
bias of order B / n from the noise inside the bins, reported as ``noise_floor`` (the EVPPI the
same estimator gives to an input that does not matter: a column of random numbers).

Decisions (``decision=``):

* ``"partner"``: A = the scenario's partners, U = the partner's score by the partner ranking's
  rule (TOPSIS closeness, 0-1, disqualified partners 0), with the drivers' effective weights of
  each variant. Default inputs: the authority of each learning, HR and IT department; each
  department's stated criteria weights (± 50%, illustrative); every partner score that has a
  ``score_range``.
* ``"plan"``: the engagement phase of every department; U = −(expected rework + engagement
  effort) in person-weeks, the objective :func:`~lmsdecide.timing.recommend_plan` minimises. That
  objective separates by department, so EVPI and EVPPI are sums over departments, each
  choosing among its current phase and every phase the plan model finds optimal in some draw.
  Default inputs: each concern owner's effort scale and the cost of engaging a department per
  phase (0.05-0.3 person-weeks, illustrative).

Inputs are the factors of the explore space (:mod:`lmsdecide.explore.space`: any scenario path
or ``"<model>.<param>"``), plus two kinds defined here: ``partners.<id>.scores.<criterion>``
(uniform over the score's range) and ``departments.<id>.criteria_weights.<criterion>``. They are
sampled together by Latin hypercube (seeded).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from lmsdecide.explore.measures import param_values
from lmsdecide.explore.space import Factor, Space, apply_values, factor, suggested_factors
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import Scenario, validate_scenario

__all__ = ["DECISIONS", "ValueOfInformationResult", "value_of_information"]

FloatArray = NDArray[np.float64]

#: The decisions whose value of information can be computed, with the measure they optimise.
DECISIONS: dict[str, tuple[str, str]] = {
    "partner": ("partner score (TOPSIS closeness, higher is better)", "score"),
    "plan": ("expected rework plus engagement effort (lower is better)", "person-weeks"),
}
#: Default number of draws per decision.
DEFAULT_DRAWS = {"partner": 1024, "plan": 256}
#: Relative half-width of the default range of a department's criteria weight (illustrative).
WEIGHT_SPREAD = 0.5
#: Default range of the cost of engaging a department per phase (person-weeks; illustrative,
#: around the declared default 0.1).
MEETING_EFFORT_RANGE = (0.05, 0.3)
#: Draws of recommend_plan's own P80 comparison (not used here; its minimum keeps it cheap).
_PLAN_DRAWS = 100

_DRIVE_INPUTS = ("authority", "susceptibility")


@dataclass(frozen=True, eq=False)
class ValueOfInformationResult(ArrayEq):
    """EVPI of a decision and the partial EVPI of each uncertain input.

    Attributes
    ----------
    decision, measure, unit
        The decision, what it optimises and the unit of every value below.
    alternatives
        The alternatives compared (for ``"plan"``, ``"<department>: <phase>"``: each
        department's candidate phases, the decision being taken department by department).
    expected
        E[U(a, θ)] per alternative (for ``"plan"``, U is minus the cost).
    best
        The choice without further information (largest expected value; for ``"plan"`` one
        phase per department, ``;``-separated).
    evpi
        Expected value of perfect information on every input at once (≥ 0).
    table
        One row per input, sorted by ``evpi`` (its partial EVPI), largest first: ``input``,
        ``label``, ``low``, ``high``, ``evpi``, ``share`` (of the total EVPI).
    noise_floor
        The partial EVPI the estimator gives to an irrelevant input (same bins, random values):
        rows at or below it are indistinguishable from noise.
    n, seed, bins
        Sample size, seed and number of bins per input.
    best_label
        :attr:`best` said with the scenario's names (a partner's name; for ``"plan"``,
        "<department name>: <phase name>"), as :attr:`summary` says it.
    """

    decision: str
    measure: str
    unit: str
    alternatives: tuple[str, ...]
    expected: FloatArray
    best: str
    evpi: float
    table: pd.DataFrame
    noise_floor: float
    n: int
    seed: int | None
    bins: int
    best_label: str = ""

    @property
    def top(self) -> tuple[str, ...]:
        """Inputs above the noise floor, largest partial EVPI first."""
        keep = self.table[self.table["evpi"] > self.noise_floor]
        return tuple(keep["input"])

    @property
    def summary(self) -> str:
        """The finding in words: which inputs are worth the room's time."""
        best = self.best_label or self.best
        if self.evpi <= 0:
            return (
                f"Nothing is worth finding out for the {self.decision} decision: no input's "
                f"uncertainty can change the choice ({best})."
            )
        if not self.top:
            return (
                f"Little is worth finding out for the {self.decision} decision ({best}): "
                f"knowing everything is worth {self.evpi:.3g} {self.unit}, and no single input "
                "stands above the estimator's noise."
            )
        labels = dict(zip(self.table["input"], self.table["label"], strict=True))
        names = [labels[i] for i in self.top[:3]]
        worth = (
            " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + f" and {names[-1]}"
        )
        return (
            f"For the {self.decision} decision ({best} without more information), "
            f"knowing everything is worth {self.evpi:.3g} {self.unit}; the inputs worth "
            f"discussing first: {worth}."
        )

    def to_frame(self) -> pd.DataFrame:
        """The per-input table (a copy)."""
        return self.table.copy()


# ---------------------------------------------------------------------------------------------
# EVPI estimators (pure, vectorised)
# ---------------------------------------------------------------------------------------------


def evpi(values: FloatArray) -> float:
    """EVPI from an (n draws × alternatives) array of values U: E[max_a U] − max_a E[U]."""
    u = np.asarray(values, dtype=float)
    return _floor(u.max(axis=1).mean() - u.mean(axis=0).max(), u)


def evppi(values: FloatArray, x: npt_like, bins: int) -> float:
    """Partial EVPI of one input x (n,) by the binned single-input regression (see module)."""
    u = np.asarray(values, dtype=float)
    xs = np.asarray(x)
    n = u.shape[0]
    if xs.dtype.kind in "fiub":
        xf = xs.astype(float)
        levels = np.unique(xf)
        if levels.size <= bins:
            codes = np.searchsorted(levels, xf)
        else:
            order = np.argsort(xf, kind="stable")
            codes = np.empty(n, dtype=np.int64)
            codes[order] = np.arange(n) * bins // n
    else:
        _, codes = np.unique(xs.astype(str), return_inverse=True)
    k = int(codes.max()) + 1
    counts = np.bincount(codes, minlength=k).astype(float)
    sums = np.zeros((k, u.shape[1]))
    np.add.at(sums, codes, u)
    means = sums / np.where(counts > 0, counts, 1.0)[:, None]
    conditional = float((counts * means.max(axis=1)).sum() / n)
    return _floor(conditional - u.mean(axis=0).max(), u)


def _floor(value: float, u: FloatArray) -> float:
    """Round-off below zero, or at the level of the values' rounding error, is zero."""
    tol = 1e-12 * max(1.0, float(np.abs(u).max())) if u.size else 0.0
    return float(value) if value > tol else 0.0


npt_like = Any  # an array-like of one input's values (numbers or choices)


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


def _own_factor(scenario: Scenario, name: str) -> Factor | None:
    """The inputs defined here: partner scores with a range, department criteria weights."""
    parts = name.split(".")
    if len(parts) == 4 and parts[0] == "partners" and parts[2] == "scores":
        try:
            partner = scenario.partner(parts[1])
        except KeyError:
            known = ", ".join(p.id for p in scenario.partners)
            raise ValueError(f"{name}: unknown partner {parts[1]!r}; known: {known}") from None
        crit = parts[3]
        if crit not in partner.scores:
            raise ValueError(f"{name}: unknown criterion {crit!r}")
        r = partner.score_ranges.get(crit)
        point = float(partner.scores[crit])
        low, high = (r.low, r.high) if r is not None else (point, point)
        return Factor(
            name, "float", low, high, label=f"{partner.name}: {_criterion(scenario, crit)} score"
        )
    if len(parts) == 4 and parts[0] == "departments" and parts[2] == "criteria_weights":
        try:
            dept = scenario.department(parts[1])
        except KeyError:
            known = ", ".join(scenario.department_ids)
            raise ValueError(f"{name}: unknown department {parts[1]!r}; known: {known}") from None
        crit = parts[3]
        if crit not in {c.id for c in scenario.criteria}:
            raise ValueError(f"{name}: unknown criterion {crit!r}")
        w = float(dept.criteria_weights.get(crit, 0.0))
        low, high = (w * (1 - WEIGHT_SPREAD), w * (1 + WEIGHT_SPREAD)) if w > 0 else (0.0, 0.1)
        return Factor(
            name, "float", low, high, label=f"{dept.name}: weight on {_criterion(scenario, crit)}"
        )
    return None


def _alternative_name(scenario: Scenario, decision: str, alternative: str) -> str:
    """An alternative by the scenario's names: a partner's name, or "<department>: <phase>"."""
    if decision == "partner":
        return scenario.partner(alternative).name
    dept, _, phase = alternative.partition(": ")
    return f"{scenario.department(dept).name}: {scenario.phase_name(phase)}"


def _criterion(scenario: Scenario, crit: str) -> str:
    """A criterion by its name in labels people read (its id otherwise)."""
    return next((c.name for c in scenario.criteria if c.id == crit), crit)


def _resolve(scenario: Scenario, items: Sequence[str | Factor] | Mapping[str, Any]) -> Space:
    resolved: list[Factor] = []
    pairs: list[tuple[str | Factor, Any]] = (
        list(items.items()) if isinstance(items, Mapping) else [(i, None) for i in items]
    )
    for item, spec in pairs:
        if isinstance(item, Factor):
            resolved.append(item)
            continue
        own = _own_factor(scenario, item)
        if own is not None:
            if spec is not None:
                own = Factor(own.name, "float", float(spec[0]), float(spec[1]), label=own.label)
            resolved.append(own)
            continue
        if spec is None:
            resolved.append(factor(scenario, item))
        elif isinstance(spec, tuple) and len(spec) == 2:
            resolved.append(factor(scenario, item, low=spec[0], high=spec[1]))
        else:
            resolved.append(factor(scenario, item, choices=list(spec)))
    return Space(tuple(resolved))


def default_factors(scenario: Scenario, decision: str) -> dict[str, Any]:
    """The inputs used when none are given (see the module docstring): name → None (its
    declared or natural range) or (low, high)."""
    if decision == "partner":
        names = [f for f in suggested_factors(scenario) if f.startswith("departments.")]
        crits = [c.id for c in scenario.criteria]
        for d in scenario.departments:
            names += [
                f"departments.{d.id}.criteria_weights.{c}"
                for c in crits
                if d.criteria_weights.get(c, 0.0) > 0
            ]
        for p in scenario.partners:
            names += [f"partners.{p.id}.scores.{c}" for c in p.score_ranges if c in crits]
        return dict.fromkeys(names)
    owners = sorted({c.department for c in scenario.concerns})
    out: dict[str, Any] = dict.fromkeys(f"concerns.{d}.effort_scale" for d in owners)
    out["recommend_plan.meeting_effort"] = MEETING_EFFORT_RANGE
    return out


# ---------------------------------------------------------------------------------------------
# Evaluating the alternatives
# ---------------------------------------------------------------------------------------------


def _variants(
    scenario: Scenario, space: Space, sample: pd.DataFrame
) -> tuple[list[Scenario] | None, list[str]]:
    """Each row's scenario with the explore-space fields applied (None when none vary)."""
    own = {f.name for f in space.factors if _own_factor(scenario, f.name) is not None}
    fields = [f for f in space.factors if f.target == "scenario" and f.name not in own]
    if not fields:
        return None, sorted(own)
    base = scenario.to_data()
    out = []
    for record in sample[[f.name for f in fields]].to_dict("records"):
        data = apply_values(base, {str(k): v for k, v in record.items()})
        try:
            out.append(Scenario.model_validate(data, context={"references_checked": True}))
        except Exception:
            out.append(validate_scenario(data))
    return out, sorted(own)


def _partner_values(
    scenario: Scenario, space: Space, sample: pd.DataFrame
) -> tuple[list[tuple[str, ...]], list[FloatArray]]:
    from lmsdecide.influence import who_drives
    from lmsdecide.partner import batch_scores, decision_problem, department_weights

    problem = decision_problem(scenario)
    if problem.empty:
        raise ValueError("decision 'partner': the scenario has no partners or no criteria")
    n = len(sample)
    variants, own = _variants(scenario, space, sample)
    scenarios = variants if variants is not None else [scenario]
    # per variant: the matrix, the departments' weights, the drive shares (models, not maths)
    drive_changes = any(
        f.target == "scenario"
        and f.name.split(".")[0] in ("departments", "influence")
        and f.name not in own
        for f in space.factors
    )
    mats, wds, shares = [], [], []
    cached_share = None
    for s in scenarios:
        mats.append(decision_problem(s).matrix)
        wds.append(department_weights(s)[2])
        if drive_changes or cached_share is None:
            res = who_drives(s)
            idx = {d: k for k, d in enumerate(res.departments)}
            cached_share = np.array([res.share[idx[d]] for d in s.department_ids])
        shares.append(cached_share)
    X = np.broadcast_to(np.array(mats), (n, *problem.matrix.shape)).copy()
    WD = np.broadcast_to(np.array(wds), (n, *wds[0].shape)).copy()
    A = np.broadcast_to(np.array(shares), (n, len(shares[0]))).copy()
    # the inputs defined here, applied as arrays
    pids = list(problem.partner_ids)
    cids = list(problem.criterion_ids)
    dids = scenario.department_ids
    for name in own:
        parts = name.split(".")
        values = sample[name].to_numpy(dtype=float)
        if parts[0] == "partners":
            X[:, pids.index(parts[1]), cids.index(parts[3])] = values
        else:
            WD[:, dids.index(parts[1]), cids.index(parts[3])] = values
    # drivers' effective weights, vectorised: w = Σ_d a_d Ŵ_d / Σ a_d over departments with weights
    totals = WD.sum(axis=2, keepdims=True)
    unit = np.where(totals > 0, WD / np.where(totals > 0, totals, 1.0), 0.0)
    use = (totals[:, :, 0] > 0) & (A > 0)
    a = np.where(use, A, 0.0)
    denom = a.sum(axis=1, keepdims=True)
    W = np.where(denom > 0, np.einsum("nd,ndc->nc", a, unit) / np.where(denom > 0, denom, 1.0), 1.0)
    W = W / W.sum(axis=1, keepdims=True)
    # the ranking rule (its declared parameters may vary too)
    method = np.asarray(
        sample["partner_ranking.method"] if "partner_ranking.method" in sample else ["topsis"] * n
    )
    norm = np.asarray(
        sample["partner_ranking.normalisation"]
        if "partner_ranking.normalisation" in sample
        else ["minmax"] * n
    )
    must = np.asarray(
        sample["partner_ranking.apply_must_haves"]
        if "partner_ranking.apply_must_haves" in sample
        else [True] * n,
        dtype=bool,
    )
    U = np.zeros((n, len(pids)))
    for key in {(str(m), str(z), bool(h)) for m, z, h in zip(method, norm, must, strict=True)}:
        rows = (method == key[0]) & (norm == key[1]) & (must == key[2])
        U[rows] = batch_scores(
            X[rows],
            W[rows],
            problem.benefit,
            method=key[0],
            normalisation=key[1],
            must_have=problem.must_have if key[2] else None,
        )
    return [tuple(pids)], [np.nan_to_num(U, nan=0.0)]


def _plan_costs(
    scenarios: Sequence[Scenario],
    rows: Sequence[Mapping[str, Any]],
    space: Space,
    plan: Mapping[str, str],
) -> FloatArray:
    """Per variant and department: expected rework + engagement effort with ``plan`` applied."""
    from lmsdecide.timing import recommend_plan

    out = []
    for s, row in zip(scenarios, rows, strict=True):
        params = param_values(space.factors, row, "recommend_plan")
        params.pop("allow_later", None)
        variant = s.model_copy(update={"engagement": dict(plan)})
        r = recommend_plan(variant, allow_later=True, n=_PLAN_DRAWS, seed=0, **params)
        t = r.table.set_index("department").loc[s.department_ids]
        out.append((t["rework_current"] + t["meeting_current"]).to_numpy(dtype=float))
    return np.array(out)


def _plan_values(
    scenario: Scenario, space: Space, sample: pd.DataFrame
) -> tuple[list[tuple[str, ...]], list[FloatArray]]:
    """One block per department: its candidate engagement phases and −cost per variant.

    The plan's objective separates by department (:mod:`lmsdecide.timing.plan`), so the value
    of information is the sum over departments. A department's candidates are its current phase
    and every phase that is optimal in some variant (found by the plan model itself).
    """
    from lmsdecide.timing import recommend_plan

    variants, _ = _variants(scenario, space, sample)
    scenarios = variants if variants is not None else [scenario] * len(sample)
    rows = [{str(k): v for k, v in r.items()} for r in sample.to_dict("records")]
    ids = scenario.department_ids
    # pass 1: the optimum of each variant, and the cost at the current plan
    optimal = []
    for s, row in zip(scenarios, rows, strict=True):
        params = param_values(space.factors, row, "recommend_plan")
        params.pop("allow_later", None)
        r = recommend_plan(s, allow_later=True, n=_PLAN_DRAWS, seed=0, **params)
        optimal.append([r.recommended[d] for d in ids])
    opt = np.array(optimal, dtype=object)  # n × D
    candidates = [
        [scenario.engagement[d]]
        + [p for p in dict.fromkeys(opt[:, k]) if p != scenario.engagement[d]]
        for k, d in enumerate(ids)
    ]
    # pass 2: the cost of every candidate; one plan model run per candidate index covers every
    # department at once (the objective separates)
    depth = max(len(c) for c in candidates)
    costs = []
    for level in range(depth):
        plan = {d: c[min(level, len(c) - 1)] for d, c in zip(ids, candidates, strict=True)}
        costs.append(_plan_costs(scenarios, rows, space, plan))  # n × D
    labels = [tuple(f"{d}: {p}" for p in c) for d, c in zip(ids, candidates, strict=True)]
    blocks = [
        -np.stack([costs[level][:, k] for level in range(len(c))], axis=1)
        for k, c in enumerate(candidates)
    ]
    return labels, blocks


# ---------------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------------


def value_of_information(
    scenario: Scenario,
    *,
    decision: str = "partner",
    factors: Sequence[str | Factor] | Mapping[str, Any] | None = None,
    n: int | None = None,
    seed: int | None = None,
    bins: int | None = None,
) -> ValueOfInformationResult:
    """EVPI of ``decision`` and the partial EVPI (EVPPI) of every uncertain input.

    Parameters
    ----------
    scenario
        The project.
    decision
        ``"partner"`` or ``"plan"`` (see :data:`DECISIONS` and the module docstring).
    factors
        The uncertain inputs: names (explore-space factors, ``partners.<id>.scores.<criterion>``
        or ``departments.<id>.criteria_weights.<criterion>``), :class:`Factor` objects, or a
        mapping name → (low, high) / choices to narrow ranges. None: :func:`default_factors`.
    n
        Latin-hypercube draws of the inputs. None: 1024 for the partner decision, 256 for the
        plan (which runs the plan model a few times per draw).
    seed
        Seed of the sample (None: fresh entropy).
    bins
        Bins per input for EVPPI; None: ⌊√n⌋.

    Returns
    -------
    ValueOfInformationResult
        ``.evpi`` and ``.table`` (one row per input, sorted, with an ``evpi`` column).

    Raises
    ------
    ValueError
        An unknown decision or input, n < 2, bins < 1, or a decision the scenario cannot make
        (no partners).
    """
    if decision not in DECISIONS:
        raise ValueError(f"decision: must be one of {', '.join(DECISIONS)}; got {decision!r}")
    if n is None:
        n = DEFAULT_DRAWS[decision]
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n: must be a whole number of draws >= 2, got {n!r}")
    n = int(n)
    b = math.isqrt(n) if bins is None else bins
    if isinstance(b, bool) or not isinstance(b, (int, np.integer)) or b < 1:
        raise ValueError(f"bins: must be a whole number >= 1, got {bins!r}")
    names = default_factors(scenario, decision) if factors is None else factors
    if not names:
        raise ValueError(
            f"factors: the scenario has no uncertain input for the {decision} decision; name some"
        )
    space = _resolve(scenario, names)
    sample = space.sample(n, method="lhs", seed=seed)
    if decision == "partner":
        labels, blocks = _partner_values(scenario, space, sample)
    else:
        labels, blocks = _plan_values(scenario, space, sample)
    total = sum(evpi(U) for U in blocks)
    rows = []
    for f in space.factors:
        x = sample[f.name].to_numpy()
        partial = min(sum(evppi(U, x, b) for U in blocks), total)
        rows.append(
            {
                "input": f.name,
                "label": f.label,
                "low": f.low if f.kind in ("float", "int") else None,
                "high": f.high if f.kind in ("float", "int") else None,
                "evpi": partial,
                "share": partial / total if total > 0 else 0.0,
            }
        )
    table = pd.DataFrame(rows).sort_values("evpi", ascending=False, kind="stable")
    noise = np.random.default_rng(None if seed is None else seed + 1).random(n)
    expected = np.concatenate([U.mean(axis=0) for U in blocks])
    alternatives = tuple(a for block in labels for a in block)
    choice = tuple(
        block[int(np.argmax(U.mean(axis=0)))] for block, U in zip(labels, blocks, strict=True)
    )
    measure, unit = DECISIONS[decision]
    return ValueOfInformationResult(
        decision=decision,
        measure=measure,
        unit=unit,
        alternatives=alternatives,
        expected=expected,
        best="; ".join(choice),
        best_label="; ".join(_alternative_name(scenario, decision, a) for a in choice),
        evpi=float(total),
        table=table.reset_index(drop=True),
        noise_floor=min(sum(evppi(U, noise, b) for U in blocks), total),
        n=n,
        seed=seed,
        bins=b,
    )


def __getattr__(name: str) -> object:
    """The result classes' old names: deprecated aliases of the new ones (CHANGELOG.md)."""
    from lmsdecide._deprecated import renamed

    return renamed(__name__, name)
